//! The JSON report's machine contract (`callflow-audit/1`, call-log-v1.md), checked field by
//! field on the parsed JSON, as a consumer reads it: for the bundled sample through the
//! binary and the library, and for every hand-written log.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{
    assert_calls, call, callflow, code, log_path, rendered, row_lines, sample_report, stdout,
    SEVERITIES,
};
use callflow::audit::render::Format;
use callflow::audit::sample::SAMPLE_LOG;

const BRANCHES: [&str; 4] = [
    "within_review",
    "awaiting_first_payment",
    "recently_eligible",
    "overdue",
];

fn object<'v>(value: &'v Value, what: &str) -> &'v serde_json::Map<String, Value> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{what} is an object: {value}"))
}

fn array<'v>(value: &'v Value, what: &str) -> &'v Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what} is an array: {value}"))
}

fn uint(value: &Value, what: &str) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("{what} is a non-negative integer: {value}"))
}

fn string<'v>(value: &'v Value, what: &str) -> &'v str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is a string: {value}"))
}

/// Checks one `callflow-audit/1` document against call-log-v1.md, field by field, and
/// against the log it reports on. Returns the call ids in report order.
fn check_contract(json: &Value, log: &[u8]) -> Vec<String> {
    let top = object(json, "the report");
    for key in ["format", "rows", "rejected", "calls", "agents"] {
        assert!(top.contains_key(key), "top-level key {key}");
    }
    assert_eq!(top["format"], "callflow-audit/1");

    let rows = object(&top["rows"], "rows");
    let (read, replayed, rejected) = (
        uint(&rows["read"], "rows.read"),
        uint(&rows["replayed"], "rows.replayed"),
        uint(&rows["rejected"], "rows.rejected"),
    );
    assert_eq!(read, replayed + rejected, "read == replayed + rejected");
    let log_rows = row_lines(log);
    assert_eq!(
        read,
        log_rows.len() as u64,
        "rows.read counts the log's rows"
    );

    let rejected_rows = array(&top["rejected"], "rejected");
    assert_eq!(rejected_rows.len() as u64, rejected);
    let mut rejected_lines = Vec::new();
    for r in rejected_rows {
        let r = object(r, "a rejected row");
        let line = uint(&r["line"], "rejected.line");
        let call_id = string(&r["call_id"], "rejected.call_id");
        assert!(!string(&r["reason"], "rejected.reason").is_empty());
        let row = log_rows
            .iter()
            .find(|(l, _, _)| *l == line)
            .unwrap_or_else(|| panic!("rejected line {line} starts a row"));
        assert_eq!(row.1, call_id, "rejected line {line}: its call_id");
        rejected_lines.push(line);
    }

    let severity: BTreeMap<&str, &str> = SEVERITIES.into_iter().collect();
    let calls = array(&top["calls"], "calls");
    let mut ids = Vec::new();
    let mut per_agent: BTreeMap<String, (u64, u64, u64, u64, u64)> = BTreeMap::new();
    for c in calls {
        let c = object(c, "a call");
        let id = string(&c["call_id"], "call_id");
        let agent = string(&c["agent_id"], "agent_id");
        let verdict = string(&c["verdict"], "verdict");
        assert!(
            ["pass", "fail", "incomplete"].contains(&verdict),
            "{id}: verdict {verdict}"
        );
        let score = uint(&c["score"], "score");
        assert!(score <= 100, "{id}: score {score}");
        for i in array(&c["inquiries"], "inquiries") {
            let i = object(i, "an inquiry");
            let reason = string(&i["reason"], "inquiry.reason");
            assert!(
                i.contains_key("branch"),
                "{id}: branch is present, null or not"
            );
            match &i["branch"] {
                Value::Null => {}
                Value::String(b) => {
                    assert!(BRANCHES.contains(&b.as_str()), "{id}: branch {b}");
                    assert_eq!(
                        reason, "reward_email_missing",
                        "{id}: a branch for {reason}"
                    );
                }
                other => panic!("{id}: branch {other}"),
            }
        }
        let mut last = (0, String::new());
        for f in array(&c["findings"], "findings") {
            let f = object(f, "a finding");
            let code = string(&f["code"], "finding.code");
            let sev = string(&f["severity"], "finding.severity");
            assert_eq!(Some(&sev), severity.get(code), "{id}: {code} severity");
            let line = uint(&f["line"], "finding.line");
            let row = log_rows.iter().find(|(l, _, _)| *l == line);
            assert_eq!(
                row.map(|r| r.1.as_str()),
                Some(id),
                "{id}: {code} line {line}"
            );
            let message = string(&f["message"], "finding.message");
            assert!(message.contains(&format!("line {line}")), "{id}: {message}");
            assert!(
                (line, code.to_owned()) >= last,
                "{id}: findings by line, then code"
            );
            last = (line, code.to_owned());
        }
        let entry = per_agent.entry(agent.to_owned()).or_default();
        entry.0 += 1;
        match verdict {
            "pass" => entry.1 += 1,
            "fail" => entry.2 += 1,
            _ => entry.3 += 1,
        }
        entry.4 += score;
        ids.push(id.to_owned());
    }

    // `calls` is ordered by each call's first line in the log: its replayed call_started.
    let mut by_first_line: Vec<(u64, String)> = ids
        .iter()
        .map(|id| {
            let started = log_rows
                .iter()
                .find(|(l, cid, ev)| {
                    cid == id && ev == "call_started" && !rejected_lines.contains(l)
                })
                .unwrap_or_else(|| panic!("{id}: a call_started row"));
            (started.0, id.clone())
        })
        .collect();
    by_first_line.sort();
    let ordered: Vec<String> = by_first_line.into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids, ordered, "calls ordered by their first line");

    let agents = array(&top["agents"], "agents");
    assert_eq!(agents.len(), per_agent.len(), "one entry per agent");
    for a in agents {
        let a = object(a, "an agent");
        let id = string(&a["agent_id"], "agent_id");
        let (calls, passed, failed, incomplete, sum) = per_agent[id];
        assert_eq!(uint(&a["calls"], "calls"), calls, "{id}: calls");
        assert_eq!(uint(&a["passed"], "passed"), passed, "{id}: passed");
        assert_eq!(uint(&a["failed"], "failed"), failed, "{id}: failed");
        assert_eq!(
            uint(&a["incomplete"], "incomplete"),
            incomplete,
            "{id}: incomplete"
        );
        assert!(
            a["mean_score"].is_f64(),
            "{id}: mean_score is a float: {}",
            a["mean_score"]
        );
        let mean = a["mean_score"].as_f64().unwrap();
        let exact = sum as f64 / calls as f64;
        assert!(
            (mean - exact).abs() <= 0.005 + 1e-9,
            "{id}: mean {mean} vs {exact}"
        );
    }
    ids
}

/// The sample's calls in log order (C-1011 starts after C-1023; C-1031 last).
const SAMPLE_ORDER: [&str; 37] = [
    "C-1001", "C-1002", "C-1003", "C-1004", "C-1005", "C-1006", "C-1007", "C-1008", "C-1009",
    "C-1010", "C-1012", "C-1013", "C-1014", "C-1015", "C-1016", "C-1017", "C-1018", "C-1019",
    "C-1020", "C-1021", "C-1022", "C-1023", "C-1011", "C-1024", "C-1025", "C-1026", "C-1027",
    "C-1028", "C-1029", "C-1030", "C-1032", "C-1033", "C-1034", "C-1035", "C-1036", "C-1037",
    "C-1031",
];

#[test]
fn sample_json_from_the_binary_keeps_the_contract() {
    let output = callflow(["audit", "sim/data/sample.csv", "--format", "json"]);
    assert_eq!(code(&output), 1, "the sample has failed calls");
    let json: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    let ids = check_contract(&json, SAMPLE_LOG.as_bytes());
    assert_eq!(ids, SAMPLE_ORDER);
    assert_eq!(json["rows"]["read"], 392);
    assert_eq!(json["rows"]["replayed"], 388);
    assert_eq!(json["rows"]["rejected"], 4);
    let rejected: Vec<(u64, &str, &str)> = array(&json["rejected"], "rejected")
        .iter()
        .map(|r| {
            (
                uint(&r["line"], "line"),
                string(&r["call_id"], "call_id"),
                string(&r["reason"], "reason"),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [
            (368, "C-1037", "unknown event 'gretting'"),
            (
                372,
                "C-1037",
                "warranty_started: invalid date '2026-02-30': no such date"
            ),
            (
                378,
                "C-1037",
                "call 'C-1037' ended at line 377; rows after call_ended are rejected"
            ),
            (
                379,
                "C-9999",
                "call 'C-9999' was never started (no call_started before this row)"
            ),
        ]
    );
    let agents: Vec<(&str, u64, u64, u64, u64, f64)> = array(&json["agents"], "agents")
        .iter()
        .map(|a| {
            (
                string(&a["agent_id"], "agent_id"),
                uint(&a["calls"], "calls"),
                uint(&a["passed"], "passed"),
                uint(&a["failed"], "failed"),
                uint(&a["incomplete"], "incomplete"),
                a["mean_score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        agents,
        [
            ("mlopez", 9, 7, 1, 1, 84.44),
            ("rpatel", 9, 6, 3, 0, 76.67),
            ("sjones", 10, 7, 2, 1, 78.0),
            ("tkim", 9, 9, 0, 0, 91.67),
        ]
    );
    // One call in full, as a consumer reads it.
    let c1016 = &json["calls"][14];
    assert_eq!(c1016["call_id"], "C-1016");
    assert_eq!(c1016["agent_id"], "rpatel");
    assert_eq!(c1016["verdict"], "fail");
    assert_eq!(c1016["score"], 70);
    assert_eq!(c1016["inquiries"][0]["reason"], "reward_email_missing");
    assert_eq!(c1016["inquiries"][0]["branch"], "overdue");
    let f = &c1016["findings"][0];
    assert_eq!(f["code"], "SD04");
    assert_eq!(f["severity"], "major");
    assert_eq!(f["line"], 178);
    assert_eq!(
        f["message"],
        "overdue: name, email or phone not asked: line 178: expected confirm the customer's first/last name, email address and phone number (collect email), got not done before the inquiry closed"
    );
    let site = &json["calls"][4];
    assert_eq!(site["call_id"], "C-1005");
    assert_eq!(site["inquiries"][0]["branch"], Value::Null);
    assert_eq!(site["findings"], Value::Array(vec![]));
}

#[test]
fn binary_and_library_write_the_same_json() {
    let output = callflow(["audit", "--format", "json"]);
    let from_binary: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let from_library: Value =
        serde_json::from_str(&rendered(&sample_report(), Format::Json)).unwrap();
    assert_eq!(from_binary, from_library);
}

#[test]
fn sample_calls_come_out_as_documented() {
    const EMAIL: &str = "reward_email_missing";
    const SITE: &str = "reward_site_issue";
    const NO_RESPONSE: &str = "reward_partner_no_response";
    const CANCEL: &str = "warranty_cancellation";
    const WITHIN: Option<&str> = Some("within_review");
    const AWAITING: Option<&str> = Some("awaiting_first_payment");
    const RECENT: Option<&str> = Some("recently_eligible");
    const OVERDUE: Option<&str> = Some("overdue");
    let cancel = &[(CANCEL, None)];
    assert_calls(
        &sample_report(),
        &[
            call("C-1001", "sjones", "pass", 100, &[(EMAIL, WITHIN)], &[]),
            call(
                "C-1002",
                "mlopez",
                "pass",
                100,
                &[(EMAIL, AWAITING)],
                &[("SD12", 17)],
            ),
            call("C-1003", "tkim", "pass", 100, &[(EMAIL, RECENT)], &[]),
            call("C-1004", "rpatel", "pass", 100, &[(EMAIL, OVERDUE)], &[]),
            call("C-1005", "sjones", "pass", 100, &[(SITE, None)], &[]),
            call("C-1006", "mlopez", "pass", 100, &[(NO_RESPONSE, None)], &[]),
            call("C-1007", "tkim", "pass", 100, &[(NO_RESPONSE, None)], &[]),
            call("C-1008", "rpatel", "pass", 100, cancel, &[]),
            call("C-1009", "sjones", "pass", 100, cancel, &[]),
            call("C-1010", "mlopez", "pass", 100, cancel, &[]),
            call("C-1012", "rpatel", "pass", 100, cancel, &[]),
            call(
                "C-1013",
                "sjones",
                "pass",
                100,
                &[(EMAIL, WITHIN), (SITE, None)],
                &[],
            ),
            call(
                "C-1014",
                "mlopez",
                "fail",
                0,
                &[(EMAIL, WITHIN)],
                &[("SD01", 156)],
            ),
            call(
                "C-1015",
                "tkim",
                "pass",
                85,
                &[(EMAIL, RECENT)],
                &[("SD03", 163)],
            ),
            call(
                "C-1016",
                "rpatel",
                "fail",
                70,
                &[(EMAIL, OVERDUE)],
                &[("SD04", 178), ("SD05", 178)],
            ),
            call(
                "C-1017",
                "sjones",
                "pass",
                95,
                &[(EMAIL, WITHIN)],
                &[("CF01", 181)],
            ),
            call(
                "C-1018",
                "mlopez",
                "pass",
                95,
                &[(EMAIL, WITHIN)],
                &[("CF02", 188)],
            ),
            call(
                "C-1019",
                "tkim",
                "pass",
                90,
                &[(SITE, None)],
                &[("CF03", 202), ("SD11", 202)],
            ),
            call(
                "C-1020",
                "rpatel",
                "pass",
                95,
                &[(EMAIL, WITHIN)],
                &[("CF04", 210)],
            ),
            call(
                "C-1021",
                "sjones",
                "incomplete",
                100,
                &[(EMAIL, OVERDUE)],
                &[("CF05", 219)],
            ),
            call(
                "C-1022",
                "mlopez",
                "incomplete",
                100,
                &[(EMAIL, WITHIN)],
                &[("CF05", 226)],
            ),
            call(
                "C-1023",
                "tkim",
                "pass",
                95,
                &[("billing_question", None)],
                &[("CF06", 229), ("CF07", 231)],
            ),
            call("C-1011", "tkim", "pass", 100, cancel, &[]),
            call(
                "C-1024",
                "rpatel",
                "fail",
                50,
                &[(NO_RESPONSE, None)],
                &[("SD06", 251), ("SD07", 251), ("SD08", 251), ("SD09", 251)],
            ),
            call(
                "C-1025",
                "sjones",
                "pass",
                85,
                &[(SITE, None)],
                &[("SD10", 259)],
            ),
            call(
                "C-1026",
                "mlopez",
                "pass",
                95,
                &[(EMAIL, RECENT)],
                &[("SD13", 267)],
            ),
            call(
                "C-1027",
                "tkim",
                "pass",
                85,
                &[(EMAIL, AWAITING)],
                &[("SD12", 275), ("SD02", 277)],
            ),
            call(
                "C-1028",
                "rpatel",
                "fail",
                0,
                cancel,
                &[("PC01", 284), ("PC08", 291)],
            ),
            call("C-1029", "sjones", "fail", 0, cancel, &[("PC02", 298)]),
            call("C-1030", "mlopez", "pass", 85, cancel, &[("PC03", 307)]),
            call(
                "C-1032",
                "rpatel",
                "pass",
                80,
                cancel,
                &[("PC05", 321), ("PC06", 322)],
            ),
            call("C-1033", "sjones", "fail", 0, cancel, &[("PC07", 334)]),
            call("C-1034", "mlopez", "pass", 85, cancel, &[("PC08", 346)]),
            call("C-1035", "tkim", "pass", 85, cancel, &[("PC09", 353)]),
            call("C-1036", "rpatel", "pass", 95, cancel, &[("PC10", 366)]),
            call("C-1037", "sjones", "pass", 100, &[(EMAIL, WITHIN)], &[]),
            call("C-1031", "tkim", "pass", 85, cancel, &[("PC04", 386)]),
        ],
    );
}

#[test]
fn every_log_keeps_the_contract() {
    for name in crate::audit_logs::auditable_logs() {
        let path = log_path(name);
        let output = callflow([
            "audit".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert!(
            [0, 1].contains(&code(&output)),
            "{name}: exit {}",
            code(&output)
        );
        let json: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
        let log = std::fs::read(&path).unwrap();
        let ids = check_contract(&json, &log);
        assert!(!ids.is_empty(), "{name}");
    }
}

#[test]
fn rejected_rows_in_json() {
    let path = log_path("rejected.csv");
    let output = callflow([
        "audit".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(
        code(&output),
        0,
        "all calls pass; rejected rows do not fail a run"
    );
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        json["rows"],
        serde_json::json!({"read": 28, "replayed": 15, "rejected": 13})
    );
    let empty = &json["rejected"][7];
    assert_eq!(empty["line"], 23);
    assert_eq!(empty["call_id"], "");
    assert_eq!(empty["reason"], "empty call_id");
    let ragged = &json["rejected"][10];
    assert_eq!(ragged["line"], 26);
    assert_eq!(ragged["call_id"], "R-2");
    assert_eq!(
        ragged["reason"],
        "expected 6 fields as in the header, found 4"
    );
}
