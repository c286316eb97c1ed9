//! The QA lead's loop, end to end (#21): audit the bundled sample log, draw a review sample,
//! calibrate against evaluators who disagree on purpose, settle the disputes with overrides,
//! and audit again. Every figure below was worked out by hand from the sample's calls.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{callflow, code, stderr, stdout};

const LOG: &str = "sim/data/sample.csv";

/// Two evaluators. ana judged the twelve sampled calls and disagrees with the machine three
/// times: she finds a CF02 on C-1006 the machine did not, does not count C-1016's SD05 (and
/// passes the call, scoring it 85), and scores C-1006 95. ben judged four calls and misses
/// C-1015's SD03 (scoring it 100). The last three rows are rejected.
const HUMAN: &str = "\
call_id,evaluator,verdict,score,codes
C-1002,ana,pass,100,SD12
C-1006,ana,pass,95,CF02
C-1026,ana,pass,95,SD13
C-1016,ana,pass,85,SD04
C-1024,ana,fail,50,SD06;SD07;SD08;SD09
C-1028,ana,fail,0,PC01;PC08
C-1005,ana,pass,100,
C-1021,ana,incomplete,100,CF05
C-1029,ana,fail,0,PC02
C-1015,ana,pass,85,SD03
C-1023,ana,pass,95,CF06;CF07
C-1027,ana,pass,85,SD12;SD02
C-1016,ben,fail,70,SD04;SD05
C-1006,ben,pass,100,
C-1029,ben,fail,0,PC02
C-1015,ben,pass,100,
C-9999,ana,pass,100,
C-1005,ben,pass,100,XX99
C-1005,ben,great,100,
";

/// The disputes settled: ana was right about both.
const OVERRIDES: &str = "\
call_id,code,action,reason,reviewer,date,line
C-1016,SD05,remove,the rewards team had the details from an earlier call,ana,2026-03-09,178
C-1006,CF02,add,the closing was read too fast to follow,ana,2026-03-09,
";

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("a file")).expect("JSON")
}

fn outcome(report: &Value, id: &str) -> (String, u64) {
    let call = report["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .find(|c| c["call_id"] == id)
        .expect("the call");
    (
        call["verdict"].as_str().expect("a verdict").to_owned(),
        call["score"].as_u64().expect("a score"),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn audit_sample_calibrate_dispute_and_audit_again() {
    let dir = temp_dir!();
    let audit = dir.path().join("audit.json");
    // 1. The audit: some calls fail, so exit 1.
    let run = callflow(["audit", LOG, "--out", path(&audit)]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));

    // 2. The review sample: three calls an agent, every branch first, the same for a seed.
    let sample = dir.path().join("sample.csv");
    let run = callflow([
        "sample",
        path(&audit),
        "--per-agent",
        "3",
        "--seed",
        "7",
        "--out",
        path(&sample),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let drawn = fs::read_to_string(&sample).expect("the sample");
    assert_eq!(
        drawn,
        "call_id,agent_id,date,branches,verdict,score,transcript,stratum_calls
C-1002,mlopez,2026-03-02,awaiting_first_payment,pass,100,C-1002.md,1
C-1006,mlopez,2026-03-02,reward_partner_no_response,pass,100,C-1006.md,1
C-1026,mlopez,2026-03-04,recently_eligible,pass,95,C-1026.md,1
C-1016,rpatel,2026-03-03,overdue,fail,70,C-1016.md,2
C-1024,rpatel,2026-03-04,reward_partner_no_response,fail,50,C-1024.md,1
C-1028,rpatel,2026-03-04,warranty_cancellation,fail,0,C-1028.md,5
C-1005,sjones,2026-03-02,reward_site_issue,pass,100,C-1005.md,2
C-1021,sjones,2026-03-03,overdue,incomplete,100,C-1021.md,1
C-1029,sjones,2026-03-04,warranty_cancellation,fail,0,C-1029.md,3
C-1015,tkim,2026-03-03,recently_eligible,pass,85,C-1015.md,2
C-1023,tkim,2026-03-03,billing_question,pass,95,C-1023.md,1
C-1027,tkim,2026-03-04,awaiting_first_payment,pass,85,C-1027.md,1
"
    );
    let again = callflow(["sample", path(&audit), "--per-agent", "3", "--seed", "7"]);
    assert_eq!(stdout(&again), drawn);
    let other_seed = callflow(["sample", path(&audit), "--per-agent", "3", "--seed", "8"]);
    assert_ne!(stdout(&other_seed), drawn);
    // Each transcript named is the file `audit --transcripts DIR --all` writes.
    let transcripts = dir.path().join("transcripts");
    let run = callflow([
        "audit",
        LOG,
        "--out",
        path(&dir.path().join("again.json")),
        "--transcripts",
        path(&transcripts),
        "--all",
    ]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    for row in drawn.lines().skip(1) {
        let name = row.split(',').nth(6).expect("a transcript column");
        let text = fs::read_to_string(transcripts.join(name)).expect("the transcript");
        let id = row.split(',').next().expect("a call id");
        assert!(text.contains(id), "{name} is not the transcript of {id}");
    }

    // 3. Calibration against the evaluators.
    let human = dir.path().join("human.csv");
    fs::write(&human, HUMAN).expect("written");
    let calibration = dir.path().join("calibration.json");
    let run = callflow([
        "calibrate",
        path(&audit),
        path(&human),
        "--out",
        path(&calibration),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    // The rejected rows are told on standard error too, with their lines.
    let told = stderr(&run);
    for expected in [
        "line 18: row rejected: call 'C-9999' is not in the audit",
        "line 19: row rejected: unknown code 'XX99'",
        "line 20: row rejected: verdict 'great' is not pass, fail or incomplete",
    ] {
        assert!(told.contains(expected), "{told}");
    }
    let c = json(&calibration);
    assert_eq!(c["format"], "callflow-calibration/1");
    assert_eq!(c["audit_calls"], 37);
    assert_eq!(c["calls_judged"], 12);
    assert_eq!(c["judgements"], 16);
    assert_eq!(c["evaluators"], serde_json::json!(["ana", "ben"]));
    assert_eq!(c["rejected"].as_array().expect("rejected").len(), 3);
    // Seventeen codes were raised by one side or the other, each over 16 judgements.
    let codes = c["codes"].as_array().expect("codes");
    assert_eq!(codes.len(), 17);
    let row = |code: &str| {
        codes
            .iter()
            .find(|r| r["code"] == code)
            .unwrap_or_else(|| panic!("no row for {code}"))
            .clone()
    };
    // CF02: only ana, once. p_o = 15/16 = p_e: kappa 0.
    let cf02 = row("CF02");
    assert_eq!(
        cf02["agreement"],
        serde_json::json!({"both": 0, "first_only": 0, "second_only": 1, "neither": 15})
    );
    assert_eq!(
        (cf02["n"].as_u64(), cf02["percent"].as_f64()),
        (Some(16), Some(93.75))
    );
    assert_eq!(cf02["kappa"].as_f64(), Some(0.0));
    // SD05: the machine on C-1016 twice (ana and ben), ben with it. p_o = 15/16,
    // p_e = (2/16)(1/16) + (14/16)(15/16) = 212/256, kappa = 28/44 = 0.6364.
    let sd05 = row("SD05");
    assert_eq!(
        sd05["agreement"],
        serde_json::json!({"both": 1, "first_only": 1, "second_only": 0, "neither": 14})
    );
    assert_eq!(sd05["kappa"].as_f64(), Some(0.6364));
    assert_eq!(row("SD03")["kappa"].as_f64(), Some(0.6364));
    // SD04: both, both times.
    assert_eq!(row("SD04")["kappa"].as_f64(), Some(1.0));
    assert_eq!(row("SD04")["too_few"], false);
    // Verdicts: rows the machine (pass, fail, incomplete), columns the evaluators.
    assert_eq!(
        c["verdicts"]["counts"],
        serde_json::json!([[9, 0, 0], [1, 5, 0], [0, 0, 1]])
    );
    assert_eq!(c["verdicts"]["percent"].as_f64(), Some(93.75));
    // p_o = 15/16; the machine's verdicts 9, 6, 1 and the evaluators' 10, 5, 1 of 16:
    // p_e = 121/256; kappa = (15/16 - 121/256) / (135/256) = 119/135 = 0.8815.
    assert_eq!(c["verdicts"]["kappa"].as_f64(), Some(0.8815));
    // Scores: differences 5, -15 (ana) and -15 (ben), the rest 0, over 16.
    assert_eq!(c["scores"]["n"], 16);
    assert_eq!(c["scores"]["mean_absolute"].as_f64(), Some(2.19));
    assert_eq!(c["scores"]["within_10"].as_f64(), Some(87.5));
    assert_eq!(c["scores"]["mean_signed"].as_f64(), Some(-1.56));
    // ana against ben over the four calls both judged, 17 codes each: both 2 (SD04, PC02),
    // only ana 2 (CF02, SD03), only ben 1 (SD05); 65 of 68 agree.
    let ana = &c["per_evaluator"][0];
    assert_eq!(ana["evaluator"], "ana");
    assert_eq!(ana["calls"], 12);
    let against = &ana["against"][0];
    assert_eq!(against["other"], "ben");
    assert_eq!(against["calls"], 4);
    assert_eq!(
        against["overall"]["agreement"],
        serde_json::json!({"both": 2, "first_only": 2, "second_only": 1, "neither": 63})
    );
    assert_eq!(against["overall"]["percent"].as_f64(), Some(95.59));
    let ben = &c["per_evaluator"][1];
    assert_eq!(ben["calls"], 4);
    assert_eq!(ben["verdict_percent"].as_f64(), Some(100.0));
    // Fewer than ten calls: ben's kappas are "too few".
    let ben_codes: Vec<&str> = ben["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|r| r["code"].as_str().expect("a code"))
        .collect();
    // Only the codes either side raised on ben's calls.
    assert_eq!(ben_codes, ["SD03", "SD04", "SD05", "PC02"]);
    assert!(ben["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .all(|r| r["too_few"] == true && r["n"] == 4));
    // Every disagreement, in the log's order, with the machine's evidence.
    let disagreements: Vec<(String, String, String, String, Vec<u64>)> = c["disagreements"]
        .as_array()
        .expect("disagreements")
        .iter()
        .map(|d| {
            (
                d["call_id"].as_str().expect("id").to_owned(),
                d["evaluator"].as_str().expect("evaluator").to_owned(),
                d["code"].as_str().unwrap_or("verdict").to_owned(),
                d["found_by"].as_str().expect("by").to_owned(),
                d["evidence"]
                    .as_array()
                    .expect("evidence")
                    .iter()
                    .map(|e| e["line"].as_u64().expect("a line"))
                    .collect(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String, String, Vec<u64>)> = [
        ("C-1006", "ana", "CF02", "evaluator", vec![]),
        ("C-1015", "ben", "SD03", "machine", vec![163]),
        ("C-1016", "ana", "verdict", "fail vs pass", vec![178, 178]),
        ("C-1016", "ana", "SD05", "machine", vec![178]),
    ]
    .into_iter()
    .map(|(a, b, c, d, e)| (a.into(), b.into(), c.into(), d.into(), e))
    .collect();
    assert_eq!(disagreements, expected);
    assert!(c["disagreements"][3]["evidence"][0]["message"]
        .as_str()
        .expect("a message")
        .starts_with("escalation email missing"));
    // The other formats say the same.
    let text = stdout(&callflow(["calibrate", path(&audit), path(&human)]));
    assert!(text.contains("C-1016  rpatel  ana        SD05"), "{text}");
    for format in ["markdown", "html"] {
        let out = callflow(["calibrate", path(&audit), path(&human), "--format", format]);
        assert_eq!(code(&out), 0);
        assert!(stdout(&out).contains("escalation email missing"));
    }

    // 4. The disputes settled, and the audit again.
    let overrides = dir.path().join("overrides.csv");
    fs::write(&overrides, OVERRIDES).expect("written");
    let settled = dir.path().join("settled.json");
    let run = callflow([
        "audit",
        LOG,
        "--overrides",
        path(&overrides),
        "--out",
        path(&settled),
    ]);
    assert_eq!(code(&run), 1, "{}", stderr(&run));
    let (before, after) = (json(&audit), json(&settled));
    // SD05 no longer counts: 100 - 15 (SD04) = 85, a pass. CF02 added: 100 - 5 = 95, a pass.
    assert_eq!(outcome(&before, "C-1016"), ("fail".into(), 70));
    assert_eq!(outcome(&after, "C-1016"), ("pass".into(), 85));
    assert_eq!(outcome(&before, "C-1006"), ("pass".into(), 100));
    assert_eq!(outcome(&after, "C-1006"), ("pass".into(), 95));
    // Every other call as it was.
    let calls = |r: &Value| r["calls"].as_array().expect("calls").clone();
    for (b, a) in calls(&before).iter().zip(&calls(&after)) {
        if b["call_id"] != "C-1016" && b["call_id"] != "C-1006" {
            assert_eq!(b, a);
        }
    }
    // The overridden findings stay, marked.
    let c1016 = calls(&after)
        .into_iter()
        .find(|c| c["call_id"] == "C-1016")
        .expect("C-1016");
    assert_eq!(
        c1016["findings"][1]["override"],
        serde_json::json!({"action": "remove", "reviewer": "ana", "date": "2026-03-09",
            "reason": "the rewards team had the details from an earlier call"})
    );
    assert_eq!(c1016["findings"][1]["code"], "SD05");
    // rpatel's figures moved: one fail fewer (C-1016; C-1024 and C-1028 still fail).
    let passed_failed = |report: &Value| {
        let agents = report["agents"].as_array().expect("agents");
        let rpatel = agents
            .iter()
            .find(|a| a["agent_id"] == "rpatel")
            .expect("rpatel");
        (rpatel["passed"].as_u64(), rpatel["failed"].as_u64())
    };
    assert_eq!(passed_failed(&before), (Some(6), Some(3)));
    assert_eq!(passed_failed(&after), (Some(7), Some(2)));
    // What the disputes changed, as `callflow diff` tells it: two calls, SD05 off C-1016,
    // CF02 onto C-1006 (the two audits are of the same log).
    let diff = callflow(["diff", path(&audit), path(&settled), "--format", "json"]);
    assert_eq!(code(&diff), 0, "{}", stderr(&diff));
    let diff: Value = serde_json::from_str(&stdout(&diff)).expect("JSON");
    let changed: Vec<(String, Value, Value)> = diff["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .map(|c| {
            (
                c["call_id"].as_str().unwrap_or_default().to_owned(),
                c["added"].clone(),
                c["removed"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            (
                "C-1006".to_owned(),
                serde_json::json!(["CF02"]),
                serde_json::json!([])
            ),
            (
                "C-1016".to_owned(),
                serde_json::json!([]),
                serde_json::json!(["SD05"])
            ),
        ]
    );
    // A removed finding no longer counts in the per-call export: C-1016 has one major, SD04.
    let calls_csv = stdout(&callflow([
        "audit",
        LOG,
        "--overrides",
        path(&overrides),
        "--format",
        "calls-csv",
    ]));
    let row = calls_csv
        .lines()
        .find(|l| l.starts_with("C-1016,"))
        .expect("C-1016's row");
    let cells: Vec<&str> = row.split(',').collect();
    // verdict, score, critical, major, minor, info, codes
    assert_eq!(
        (cells[2], cells[3], cells[11], cells[12], cells[13], cells[14], cells[15]),
        ("pass", "85", "0", "1", "0", "0", "SD04"),
        "{row}"
    );
    // The human reports mark them.
    for format in ["markdown", "csv", "html"] {
        let out = callflow([
            "audit",
            LOG,
            "--overrides",
            path(&overrides),
            "--format",
            format,
        ]);
        let text = stdout(&out);
        assert!(
            text.contains("Removed on review by ana, 2026-03-09"),
            "{format}"
        );
        assert!(
            text.contains("Added on review by ana, 2026-03-09"),
            "{format}"
        );
    }
}

#[test]
fn an_override_that_does_not_fit_exits_2_with_its_line_and_writes_nothing() {
    let dir = temp_dir!();
    let out = dir.path().join("report.json");
    let overrides = dir.path().join("overrides.csv");
    let header = "call_id,code,action,reason,reviewer,date,line\n";
    for (rows, message) in [
        (
            "C-1016,SD05,remove,x,ana,2026-03-09,\nC-9999,SD05,remove,x,ana,2026-03-09,\n",
            "line 3: call 'C-9999' is not in the log",
        ),
        (
            "C-1016,SD06,remove,x,ana,2026-03-09,\n",
            "line 2: remove: call 'C-1016' has no SD06 finding",
        ),
        (
            "C-1016,SD05,remove,x,ana,2026-03-09,177\n",
            "line 2: remove: call 'C-1016' has no SD05 finding on line 177",
        ),
        (
            "C-1016,SD05,add,x,ana,2026-03-09,\n",
            "line 2: add: call 'C-1016' already has SD05 on line 178",
        ),
        (
            "C-1016,SD05,remove,x,ana,2026-03-09,\nC-1016,SD05,add,y,ben,2026-03-10,\n",
            "line 3: contradicts line 2 (remove SD05 on call 'C-1016')",
        ),
        (
            "C-1016,SD05,remove,x,ana,2026-03-09,178\nC-1016,SD05,remove,y,ben,2026-03-10,\n",
            "line 3: contradicts line 2: both remove the SD05 finding of call 'C-1016'",
        ),
        (
            "C-1016,SD05,undo,x,ana,2026-03-09,\n",
            "line 2: action 'undo' is neither remove nor add",
        ),
        (
            "C-1016,XX01,remove,x,ana,2026-03-09,\n",
            "line 2: unknown code 'XX01'",
        ),
        (
            "C-1016,SD05,remove,,ana,2026-03-09,\n",
            "line 2: no reason: an override says who, when and why",
        ),
        (
            "C-1016,SD05,remove,x,ana,9 March,\n",
            "line 2: date '9 March' is not a date written 2026-03-09",
        ),
        (
            "C-1016,SD05,remove,x,ana,2026-03-09,0\n",
            "line 2: line '0' is not a line of a log's rows (2 or more)",
        ),
    ] {
        fs::write(&overrides, format!("{header}{rows}")).expect("written");
        for format in ["json", "text"] {
            let run = callflow([
                "audit",
                LOG,
                "--overrides",
                path(&overrides),
                "--format",
                format,
                "--out",
                path(&out),
            ]);
            assert_eq!(code(&run), 2, "{rows}");
            let told = stderr(&run);
            assert!(
                told.contains(&format!("overrides.csv: {message}")),
                "{told} lacks {message}"
            );
            assert!(!out.exists(), "a report was written for {rows}");
        }
    }
    // Nothing to standard output either: the JSON does not stream with overrides.
    fs::write(
        &overrides,
        format!("{header}C-9999,SD05,remove,x,ana,2026-03-09,\n"),
    )
    .expect("written");
    let run = callflow([
        "audit",
        LOG,
        "--overrides",
        path(&overrides),
        "--format",
        "json",
    ]);
    assert_eq!(code(&run), 2);
    assert_eq!(stdout(&run), "");
}

#[test]
fn codes_the_policy_switches_off_are_not_calibrated() {
    let dir = temp_dir!();
    let audit = dir.path().join("audit.json");
    assert_eq!(code(&callflow(["audit", LOG, "--out", path(&audit)])), 1);
    let policy = dir.path().join("policy.toml");
    let default = stdout(&callflow(["policy", "init"]));
    let switched = default.replace("switched_off = []", "switched_off = [\"SD05\"]");
    assert_ne!(
        switched, default,
        "the default policy has a switched_off line"
    );
    fs::write(&policy, switched).expect("written");
    let human = dir.path().join("human.csv");
    fs::write(&human, HUMAN).expect("written");
    let run = callflow([
        "calibrate",
        path(&audit),
        path(&human),
        "--format",
        "json",
        "--policy",
        path(&policy),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let c: Value = serde_json::from_str(&stdout(&run)).expect("JSON");
    assert!(c["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .all(|r| r["code"] != "SD05"));
    assert_eq!(c["not_calibrated"], serde_json::json!(["SD05"]));
    // Without SD05, C-1016's only code disagreement is gone; its verdict one stays.
    assert_eq!(c["disagreements"].as_array().expect("list").len(), 3);
}

#[test]
fn the_sample_csv_cells_are_neutralised() {
    let dir = temp_dir!();
    let audit = dir.path().join("audit.json");
    fs::write(
        &audit,
        r#"{"format": "callflow-audit/1", "calls": [
            {"call_id": "=HYPERLINK(\"x\")", "agent_id": "@agent", "verdict": "fail",
             "score": 70, "call_date": "2026-03-02",
             "inquiries": [{"reason": "+r", "branch": null}]}]}"#,
    )
    .expect("written");
    let run = callflow(["sample", path(&audit), "--per-agent", "1"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(
        stdout(&run),
        "call_id,agent_id,date,branches,verdict,score,transcript,stratum_calls\n\
         \"'=HYPERLINK(\"\"x\"\")\",\"'@agent\",2026-03-02,\"'+r\",fail,70,_HYPERLINK__x__.md,1\n"
    );
}

/// A code raised in two inquiries of one call (SD11 on lines 22 and 30 of M-2, with a CF03:
/// 100 - 3 x 5 = 85): an override of it names the line.
#[test]
fn a_code_raised_twice_on_a_call_needs_the_line() {
    let dir = temp_dir!();
    let log = "tests/logs/multi_inquiry.csv";
    let out = dir.path().join("report.json");
    let overrides = dir.path().join("overrides.csv");
    let header = "call_id,code,action,reason,reviewer,date,line\n";
    let run_with = |rows: &str| {
        fs::write(&overrides, format!("{header}{rows}")).expect("written");
        callflow([
            "audit",
            log,
            "--overrides",
            path(&overrides),
            "--out",
            path(&out),
        ])
    };
    let run = run_with("M-2,SD11,remove,x,ana,2026-03-09,\n");
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("line 2: remove: call 'M-2' has SD11 on lines 22, 30: give the line")
    );
    let run = run_with("M-2,SD11,add,x,ana,2026-03-09,30\n");
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("line 2: add: call 'M-2' already has SD11 on line 30"));
    // The second one removed: 90.
    let run = run_with("M-2,SD11,remove,x,ana,2026-03-09,30\n");
    assert!(code(&run) < 2, "{}", stderr(&run));
    assert_eq!(outcome(&json(&out), "M-2"), ("pass".into(), 90));
    // Both removed, on two rows: 95.
    let run =
        run_with("M-2,SD11,remove,x,ana,2026-03-09,30\nM-2,SD11,remove,y,ana,2026-03-09,22\n");
    assert!(code(&run) < 2, "{}", stderr(&run));
    assert_eq!(outcome(&json(&out), "M-2"), ("pass".into(), 95));
    // One added on a line without it, and CF03 removed: 100 - 3 x 5 = 85 again.
    let run = run_with("M-2,SD11,add,x,ana,2026-03-09,25\nM-2,CF03,remove,y,ana,2026-03-09,\n");
    assert!(code(&run) < 2, "{}", stderr(&run));
    let report = json(&out);
    assert_eq!(outcome(&report, "M-2"), ("pass".into(), 85));
    let m2 = report["calls"]
        .as_array()
        .expect("calls")
        .iter()
        .find(|c| c["call_id"] == "M-2")
        .expect("M-2")
        .clone();
    let findings: Vec<(String, u64, String)> = m2["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().expect("code").to_owned(),
                f["line"].as_u64().expect("line"),
                f["override"]["action"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            ("CF03".to_owned(), 22, "remove".to_owned()),
            ("SD11".to_owned(), 22, String::new()),
            ("SD11".to_owned(), 25, "add".to_owned()),
            ("SD11".to_owned(), 30, String::new()),
        ]
    );
}

#[test]
fn an_evaluators_file_without_its_columns_exits_2() {
    let dir = temp_dir!();
    let audit = dir.path().join("audit.json");
    assert_eq!(code(&callflow(["audit", LOG, "--out", path(&audit)])), 1);
    let human = dir.path().join("human.csv");
    fs::write(
        &human,
        "call_id,evaluator,verdict,codes\nC-1016,ana,pass,\n",
    )
    .expect("written");
    let run = callflow(["calibrate", path(&audit), path(&human)]);
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("human.csv: line 1: missing column 'score'"),
        "{}",
        stderr(&run)
    );
    assert_eq!(stdout(&run), "");
    // A score out of range is a row rejected, not the file.
    fs::write(
        &human,
        "call_id,evaluator,verdict,score,codes\nC-1016,ana,pass,101,\nC-1016,ben,fail,70,SD04;SD05\n",
    )
    .expect("written");
    let run = callflow(["calibrate", path(&audit), path(&human), "--format", "json"]);
    assert_eq!(code(&run), 0);
    let c: Value = serde_json::from_str(&stdout(&run)).expect("JSON");
    assert_eq!(c["judgements"], 1);
    assert_eq!(
        c["rejected"][0]["reason"],
        "score '101' is not a whole number from 0 to 100"
    );
    // Not an audit report at all.
    let run = callflow(["calibrate", path(&human), path(&human)]);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("not a callflow audit report (JSON)"));
}
