//! The hand-written logs under `tests/logs/`, each with its exact outcome: call ids, verdicts,
//! scores, inquiries with their branches, finding codes with their lines, rejected rows with
//! their lines and reasons. Every log also goes through `util::check_invariants`. The logs are
//! read from the folder, and a log without its expectations in [`LOGS`] fails.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::util::{
    assert_calls, audit_log, audit_text, call, find, log_path, log_text, rendered, Expect, ROOT,
    SEVERITIES,
};
use callflow::audit::render::Format;
use callflow::audit::{audit, AuditReport, LogReader};
use callflow::workflows::Engine;

/// What a log under `tests/logs/` must come out as.
enum Expected {
    /// The audit, held to the log's exact outcome by this function.
    Audit(fn(&AuditReport)),
    /// No audit: the log is unusable, and the error says this.
    Unusable(&'static str),
}

/// Every log under `tests/logs/`, by file name, with its expectations.
const LOGS: [(&str, Expected); 11] = [
    (
        "all_pass.csv",
        Expected::Audit(every_call_passes_or_is_incomplete),
    ),
    (
        "branches.csv",
        Expected::Audit(review_period_branch_boundaries),
    ),
    ("frame.csv", Expected::Audit(frame_codes_cf01_to_cf07)),
    (
        "incomplete.csv",
        Expected::Audit(calls_cut_off_are_incomplete_and_raise_no_omission),
    ),
    (
        "interleaved.csv",
        Expected::Audit(interleaved_calls_come_out_as_when_sorted_by_call),
    ),
    (
        "missing_event.csv",
        Expected::Unusable("line 1: missing required column 'event'"),
    ),
    (
        "multi_inquiry.csv",
        Expected::Audit(several_inquiries_in_one_call),
    ),
    (
        "paid_call.csv",
        Expected::Audit(paid_call_codes_pc01_to_pc12),
    ),
    (
        "rejected.csv",
        Expected::Audit(rejected_rows_name_their_line_and_the_bad_value),
    ),
    ("scores.csv", Expected::Audit(verdict_and_score_edges)),
    (
        "shopping_dollars.csv",
        Expected::Audit(shopping_dollars_codes_sd01_to_sd13),
    ),
];

/// The file names under `tests/logs/`, sorted.
fn logs_in_folder() -> Vec<String> {
    crate::util::entries(&std::path::Path::new(ROOT).join("tests/logs"))
}

/// The logs that audit (every one but those [`LOGS`] expects to be unusable).
pub fn auditable_logs() -> Vec<&'static str> {
    LOGS.iter()
        .filter(|(_, expected)| matches!(expected, Expected::Audit(_)))
        .map(|(name, _)| *name)
        .collect()
}

/// Each log in the folder meets its expectations, and has some: a log added without them, or
/// expectations left for a log that is gone, fail here, named.
#[test]
fn every_log_in_the_folder_meets_its_expectations() {
    let folder = logs_in_folder();
    let mut without = Vec::new();
    let mut failed = Vec::new();
    for name in &folder {
        let Some((_, expected)) = LOGS.iter().find(|(log, _)| log == name) else {
            without.push(name.as_str());
            continue;
        };
        let outcome = std::panic::catch_unwind(|| match expected {
            Expected::Audit(check) => check(&audit_log(name)),
            Expected::Unusable(problem) => {
                let error = LogReader::open(&log_path(name))
                    .and_then(|reader| audit(reader, Arc::new(Engine::builtin())))
                    .expect_err("an unusable log");
                assert!(error.to_string().contains(problem), "{name}: {error}");
            }
        });
        if outcome.is_err() {
            failed.push(name.as_str());
        }
    }
    let gone: Vec<&str> = LOGS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !folder.iter().any(|log| log == name))
        .collect();
    assert!(
        without.is_empty() && failed.is_empty() && gone.is_empty(),
        "logs without expectations in LOGS: {without:?}; logs that fail theirs (see above): \
         {failed:?}; expectations of logs not in tests/logs: {gone:?}"
    );
}

const EMAIL: &str = "reward_email_missing";
const SITE: &str = "reward_site_issue";
const NO_RESPONSE: &str = "reward_partner_no_response";
const CANCEL: &str = "warranty_cancellation";
const WITHIN: Option<&str> = Some("within_review");
const AWAITING: Option<&str> = Some("awaiting_first_payment");
const RECENT: Option<&str> = Some("recently_eligible");
const OVERDUE: Option<&str> = Some("overdue");

fn frame_calls() -> Vec<Expect> {
    vec![
        call(
            "F-01",
            "sjones",
            "pass",
            95,
            &[(EMAIL, WITHIN)],
            &[("CF01", 3)],
        ),
        call(
            "F-02",
            "mlopez",
            "pass",
            95,
            &[(EMAIL, WITHIN)],
            &[("CF02", 10)],
        ),
        call("F-03", "tkim", "pass", 95, &[(SITE, None)], &[("CF03", 23)]),
        call(
            "F-04",
            "rpatel",
            "pass",
            95,
            &[(EMAIL, WITHIN)],
            &[("CF04", 30)],
        ),
        call(
            "F-05",
            "sjones",
            "incomplete",
            100,
            &[(EMAIL, WITHIN)],
            &[("CF05", 36)],
        ),
        call(
            "F-06",
            "mlopez",
            "pass",
            95,
            &[(CANCEL, None)],
            &[("CF06", 39)],
        ),
        call(
            "F-07",
            "tkim",
            "pass",
            100,
            &[("billing_question", None)],
            &[("CF07", 48)],
        ),
    ]
}

fn frame_codes_cf01_to_cf07(report: &AuditReport) {
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (49, 49, 0)
    );
    assert_calls(report, &frame_calls());
    // CF codes are raised once per call; every instance is evidence (procedures.md 4).
    let cf06 = &find(report, "F-06").findings[0];
    let lines: Vec<u64> = cf06.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, [39, 42]);
    assert!(cf06.evidence[0]
        .actual
        .contains("explain_review_period before any inquiry"));
    assert!(cf06.evidence[1]
        .actual
        .contains("ask_ticket while a warranty_cancellation inquiry"));
    let cf02 = &find(report, "F-02").findings[0];
    assert!(
        cf02.message.contains("Yeah hi. What do you want?"),
        "{}",
        cf02.message
    );
    let cf05 = &find(report, "F-05").findings[0];
    assert!(
        cf05.message.contains("call_ended dropped"),
        "{}",
        cf05.message
    );
    let cf07 = &find(report, "F-07").findings[0];
    assert!(
        cf07.message.contains("'billing_question'"),
        "{}",
        cf07.message
    );
}

fn shopping_dollars_codes_sd01_to_sd13(report: &AuditReport) {
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (105, 105, 0)
    );
    let no_response_misses = [
        ("SD05", 46),
        ("SD06", 46),
        ("SD07", 46),
        ("SD08", 46),
        ("SD09", 46),
        ("SD11", 46),
    ];
    assert_calls(
        report,
        &[
            call(
                "S-01",
                "sjones",
                "fail",
                0,
                &[(EMAIL, WITHIN)],
                &[("SD01", 7)],
            ),
            call(
                "S-02",
                "mlopez",
                "pass",
                85,
                &[(EMAIL, RECENT)],
                &[("SD02", 16)],
            ),
            call(
                "S-03",
                "tkim",
                "pass",
                85,
                &[(EMAIL, WITHIN)],
                &[("SD03", 20)],
            ),
            call(
                "S-04",
                "rpatel",
                "pass",
                85,
                &[(EMAIL, None)],
                &[("SD03", 28)],
            ),
            call(
                "S-05",
                "sjones",
                "fail",
                70,
                &[(EMAIL, OVERDUE)],
                &[("SD04", 40), ("SD05", 40)],
            ),
            call(
                "S-06",
                "mlopez",
                "fail",
                30,
                &[(NO_RESPONSE, None)],
                &no_response_misses,
            ),
            call("S-07", "tkim", "pass", 85, &[(SITE, None)], &[("SD10", 53)]),
            call(
                "S-08",
                "rpatel",
                "pass",
                95,
                &[(EMAIL, OVERDUE)],
                &[("SD11", 64)],
            ),
            call(
                "S-09",
                "sjones",
                "pass",
                100,
                &[(EMAIL, AWAITING)],
                &[("SD12", 69)],
            ),
            call(
                "S-10",
                "mlopez",
                "pass",
                95,
                &[(EMAIL, WITHIN)],
                &[("SD13", 79)],
            ),
            call("S-11", "tkim", "pass", 100, &[(NO_RESPONSE, None)], &[]),
            call(
                "S-12",
                "rpatel",
                "fail",
                0,
                &[(EMAIL, OVERDUE)],
                &[("SD01", 99)],
            ),
        ],
    );
    // SD03 for facts that never came: the early answer and the close are both evidence.
    let sd03 = &find(report, "S-04").findings[0];
    let lines: Vec<u64> = sd03.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, [28, 30]);
    assert!(
        sd03.evidence[1].actual.contains("never came"),
        "{:?}",
        sd03.evidence[1]
    );
    // SD04 names the one detail not asked (a declined one counts as asked).
    let sd04 = &find(report, "S-05").findings[0];
    assert_eq!(sd04.evidence.len(), 1);
    assert!(
        sd04.evidence[0].expected.contains("collect phone"),
        "{:?}",
        sd04.evidence
    );
    let sd05 = &find(report, "S-06").findings[0];
    assert!(sd05.message.contains("product_team"), "{}", sd05.message);
    let sd13 = &find(report, "S-10").findings[0];
    assert!(sd13.message.contains("collect email"), "{}", sd13.message);
}

fn review_period_branch_boundaries(report: &AuditReport) {
    // Call date 2026-03-02 (America/New_York): d = 29 is inside the review period, 30 outside,
    // 36 still recently eligible, 37 overdue; a start after the call date counts as inside; a
    // first payment after the call date is no payment yet; the call date is the business
    // zone's (03:30Z on March 2 is March 1 in New York: d = 29, not 30).
    assert_eq!((report.rows.read, report.rows.rejected), (60, 0));
    assert_calls(
        report,
        &[
            call("B-29", "sjones", "pass", 100, &[(EMAIL, WITHIN)], &[]),
            call("B-30", "mlopez", "pass", 100, &[(EMAIL, RECENT)], &[]),
            call("B-36", "tkim", "pass", 100, &[(EMAIL, RECENT)], &[]),
            call("B-37", "rpatel", "pass", 100, &[(EMAIL, OVERDUE)], &[]),
            call("B-FUTURE", "sjones", "pass", 100, &[(EMAIL, WITHIN)], &[]),
            call(
                "B-LATEPAY",
                "mlopez",
                "pass",
                100,
                &[(EMAIL, AWAITING)],
                &[("SD12", 50)],
            ),
            call("B-TZ", "tkim", "pass", 100, &[(EMAIL, WITHIN)], &[]),
        ],
    );
}

fn paid_call_codes_pc01_to_pc12(report: &AuditReport) {
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (164, 164, 0)
    );
    let cancel = &[(CANCEL, None)];
    assert_calls(
        report,
        &[
            call("P-01", "sjones", "fail", 0, cancel, &[("PC01", 6)]),
            call("P-02", "mlopez", "fail", 0, cancel, &[("PC02", 19)]),
            call("P-03", "tkim", "pass", 85, cancel, &[("PC03", 27)]),
            call("P-04", "rpatel", "pass", 85, cancel, &[("PC04", 39)]),
            // A chat opened at 09:00:00 is inside chat hours (no PC04); "Yes" on the prompt
            // right after chat_opened is PC05.
            call("P-05", "sjones", "pass", 95, cancel, &[("PC05", 54)]),
            call("P-06", "mlopez", "pass", 85, cancel, &[("PC06", 73)]),
            call("P-07", "tkim", "fail", 0, cancel, &[("PC07", 84)]),
            call("P-08", "rpatel", "pass", 85, cancel, &[("PC08", 95)]),
            call("P-09", "sjones", "pass", 85, cancel, &[("PC09", 101)]),
            call("P-10", "mlopez", "pass", 95, cancel, &[("PC10", 114)]),
            call("P-11", "tkim", "pass", 100, cancel, &[]),
            call(
                "P-12",
                "rpatel",
                "fail",
                0,
                cancel,
                &[("PC01", 126), ("PC02", 126)],
            ),
            call("P-13", "sjones", "pass", 85, cancel, &[("PC06", 134)]),
            // The prompt may come after the form: still PC05.
            call("P-14", "mlopez", "pass", 95, cancel, &[("PC05", 147)]),
            // Nothing displayed, a service call reported, neither a chat nor a follow-up.
            call("P-15", "tkim", "pass", 85, cancel, &[("PC11", 160)]),
            // The customer asked to cancel and the agent said goodbye at once.
            call("P-16", "rpatel", "pass", 85, cancel, &[("PC12", 165)]),
        ],
    );
    let pc04 = &find(report, "P-04").findings[0];
    assert!(
        pc04.message.contains("Mon 2026-03-02 18:00"),
        "{}",
        pc04.message
    );
    // Every defect of the form is evidence of the one PC06.
    let pc06 = &find(report, "P-06").findings[0];
    assert_eq!(pc06.evidence.len(), 2, "{:?}", pc06.evidence);
    assert!(
        pc06.evidence[0].actual.contains("'312-555-0142'"),
        "{:?}",
        pc06.evidence
    );
    assert!(
        pc06.evidence[1].actual.contains("'Other'"),
        "{:?}",
        pc06.evidence
    );
    let pc06 = &find(report, "P-13").findings[0];
    assert!(pc06
        .message
        .contains("no chat_form before the representative connected (line 135)"));
    // Amounts compare in cents and print with separators (rule 6).
    let pc07 = &find(report, "P-07").findings[0];
    assert_eq!(pc07.evidence[0].expected, "$1,079.00");
    assert_eq!(pc07.evidence[0].actual, "quoted $1,079.50");
    // PC08 lists what was missing: the payment-due-letter advice only.
    let pc08 = &find(report, "P-08").findings[0];
    assert_eq!(pc08.evidence.len(), 1);
    assert!(
        pc08.evidence[0].expected.contains("advise_dispute_letter"),
        "{:?}",
        pc08.evidence
    );
    let pc10 = &find(report, "P-10").findings[0];
    assert!(pc10.message.contains("line 107"), "{}", pc10.message);
}

#[test]
fn every_finding_code_is_raised_by_some_log() {
    let mut raised = BTreeSet::new();
    for log in auditable_logs() {
        for call in audit_log(log).calls {
            raised.extend(call.findings.iter().map(|f| f.code.as_str()));
        }
    }
    let all: BTreeSet<&str> = SEVERITIES.iter().map(|(code, _)| *code).collect();
    let missing: Vec<&&str> = all.difference(&raised).collect();
    assert!(missing.is_empty(), "codes no log raises: {missing:?}");
    assert_eq!(raised, all);
}

/// The interleaved log, with its rows regrouped by call (stable: each call keeps its order).
fn sorted_by_call(log: &str) -> String {
    let mut lines = log.lines();
    let header = lines.next().expect("a header");
    let mut rows: Vec<&str> = lines.collect();
    rows.sort_by_key(|row| row.split(',').next().unwrap_or(""));
    let mut out = format!("{header}\n");
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    out
}

fn interleaved_calls_come_out_as_when_sorted_by_call(interleaved: &AuditReport) {
    let text = log_text("interleaved.csv");
    let sorted_text = sorted_by_call(&text);
    assert_ne!(sorted_text, text);
    let sorted = audit_text(&sorted_text, "sorted.csv");
    let inquiry = |branch| vec![(EMAIL, branch)];
    assert_calls(
        interleaved,
        &[
            call("I-A", "sjones", "pass", 100, &inquiry(WITHIN), &[]),
            call(
                "I-B",
                "mlopez",
                "pass",
                95,
                &inquiry(AWAITING),
                &[("SD12", 15), ("CF02", 21)],
            ),
            call("I-C", "tkim", "fail", 0, &[(CANCEL, None)], &[("PC07", 17)]),
        ],
    );
    assert_calls(
        &sorted,
        &[
            call("I-A", "sjones", "pass", 100, &inquiry(WITHIN), &[]),
            call(
                "I-B",
                "mlopez",
                "pass",
                95,
                &inquiry(AWAITING),
                &[("SD12", 14), ("CF02", 16)],
            ),
            call("I-C", "tkim", "fail", 0, &[(CANCEL, None)], &[("PC07", 22)]),
        ],
    );
    // Finding for finding, the same rows: map each line to the row it holds.
    let row_at = |text: &str, line: u64| text.lines().nth(line as usize - 1).unwrap().to_owned();
    for (a, b) in interleaved.calls.iter().zip(&sorted.calls) {
        assert_eq!(a.call_id, b.call_id);
        assert_eq!((a.verdict, a.score), (b.verdict, b.score));
        assert_eq!(a.findings.len(), b.findings.len());
        for (fa, fb) in a.findings.iter().zip(&b.findings) {
            assert_eq!(fa.code, fb.code);
            assert_eq!(row_at(&text, fa.line), row_at(&sorted_text, fb.line));
            let ea: Vec<_> = fa
                .evidence
                .iter()
                .map(|e| (&e.expected, &e.actual))
                .collect();
            let eb: Vec<_> = fb
                .evidence
                .iter()
                .map(|e| (&e.expected, &e.actual))
                .collect();
            assert_eq!(ea, eb);
        }
    }
    assert_eq!(interleaved.agents, sorted.agents);
    assert_eq!(interleaved.rows, sorted.rows);
}

fn calls_cut_off_are_incomplete_and_raise_no_omission(report: &AuditReport) {
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (36, 36, 0)
    );
    // N-1 and N-2 never end (both open at the end of the log, interleaved), N-6 neither.
    assert_calls(
        report,
        &[
            call(
                "N-3",
                "tkim",
                "incomplete",
                100,
                &[(EMAIL, OVERDUE)],
                &[("CF05", 9)],
            ),
            call(
                "N-4",
                "rpatel",
                "incomplete",
                100,
                &[(CANCEL, None)],
                &[("CF05", 19)],
            ),
            call(
                "N-5",
                "sjones",
                "fail",
                0,
                &[(EMAIL, WITHIN)],
                &[("SD01", 25), ("CF05", 26)],
            ),
            call(
                "N-1",
                "sjones",
                "incomplete",
                100,
                &[(SITE, None)],
                &[("CF05", 31)],
            ),
            call(
                "N-2",
                "mlopez",
                "incomplete",
                100,
                &[(NO_RESPONSE, None)],
                &[("CF05", 33)],
            ),
            call(
                "N-6",
                "tkim",
                "incomplete",
                85,
                &[(EMAIL, None)],
                &[("CF05", 37), ("SD03", 37)],
            ),
        ],
    );
    let why = |id: &str| {
        find(report, id)
            .findings
            .iter()
            .find(|f| f.code.as_str() == "CF05")
            .unwrap()
            .message
            .clone()
    };
    assert!(why("N-3").contains("call_ended customer_hung_up"));
    assert!(why("N-4").contains("call_ended dropped"));
    assert!(why("N-5").contains("call_ended transferred"));
    assert!(why("N-1").contains("no call_ended event"));
    assert!(why("N-6").contains("no call_ended event"));
}

fn several_inquiries_in_one_call(report: &AuditReport) {
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (35, 35, 0)
    );
    assert_calls(
        report,
        &[
            call(
                "M-1",
                "sjones",
                "pass",
                100,
                &[(EMAIL, WITHIN), (SITE, None), (CANCEL, None)],
                &[],
            ),
            // The site issue is judged when the next inquiry opens (line 22); the same code can
            // come once per inquiry (SD11 twice).
            call(
                "M-2",
                "mlopez",
                "pass",
                85,
                &[(SITE, None), (EMAIL, OVERDUE)],
                &[("CF03", 22), ("SD11", 22), ("SD11", 30)],
            ),
            // The call is cut off by a hang-up: nothing counts as missing, not even in the
            // first inquiry that the second one closed (procedures.md 4).
            call(
                "M-3",
                "tkim",
                "incomplete",
                100,
                &[(SITE, None), (NO_RESPONSE, None)],
                &[("CF05", 36)],
            ),
        ],
    );
    let inquiry_lines: Vec<u64> = find(report, "M-1")
        .inquiries
        .iter()
        .map(|i| i.line)
        .collect();
    assert_eq!(inquiry_lines, [5, 9, 13]);
    // The summaries count calls, not findings: M-2 raised SD11 twice but is one call.
    let summary = report.summary();
    let sd11 = summary
        .codes
        .iter()
        .find(|(c, _)| c.as_str() == "SD11")
        .map(|(_, n)| *n);
    assert_eq!(sd11, Some(1));
    let text = rendered(report, Format::Text);
    assert!(text.contains("  SD11  minor        1  "), "{text}");
    let markdown = rendered(report, Format::Markdown);
    assert!(markdown.contains("| SD11 | minor | 1 |"), "{markdown}");
}

fn rejected_rows_name_their_line_and_the_bad_value(report: &AuditReport) {
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (28, 15, 13)
    );
    let rejected: Vec<(u64, &str, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.call_id.as_str(), r.reason.as_str()))
        .collect();
    let bad_timestamp = "timestamp '2026-03-02 09:11:00' has no UTC offset (-05:00, +01:00 or Z): expected RFC 3339 with an offset, like 2026-03-02T14:05:11-05:00";
    assert!(
        rejected[8].2.starts_with(bad_timestamp),
        "{}",
        rejected[8].2
    );
    let expected: Vec<(u64, &str, &str)> = vec![
        (5, "R-1", "unknown event 'gretting'"),
        (7, "R-1", "warranty_started: invalid date '2026-02-30': no such date"),
        (
            10,
            "R-1",
            "timestamp 2026-03-02T09:00:55-05:00 is earlier than the call's previous event (2026-03-02T09:01:00-05:00)",
        ),
        (14, "R-1", "call 'R-1' ended at line 13; rows after call_ended are rejected"),
        (
            15,
            "R-1",
            "duplicate call_started: call 'R-1' already ran and ended at line 13; call ids are unique per log",
        ),
        (17, "R-2", "duplicate call_started: call 'R-2' already started at line 16"),
        (
            21,
            "R-2",
            "quote_amount: invalid amount '-5': expected digits with optional ',' separators between groups of three",
        ),
        (23, "", "empty call_id"),
        (24, "R-2", rejected[8].2),
        (25, "R-3", "call 'R-3' was never started (no call_started before this row)"),
        (26, "R-2", "expected 6 fields as in the header, found 4"),
        (29, "R-4", "call_started needs an agent_id"),
        (30, "R-4", "call 'R-4' was never started (no call_started before this row)"),
    ];
    assert_eq!(rejected, expected);
    // The rows around them still make whole calls (the greeting's text spans lines 3-4).
    assert_calls(
        report,
        &[
            call("R-1", "sjones", "pass", 100, &[(EMAIL, WITHIN)], &[]),
            call("R-2", "mlopez", "pass", 100, &[(CANCEL, None)], &[]),
        ],
    );
    assert_eq!(
        (
            find(report, "R-1").first_line,
            find(report, "R-1").last_line
        ),
        (2, 13)
    );
    assert_eq!(
        (
            find(report, "R-2").first_line,
            find(report, "R-2").last_line
        ),
        (16, 28)
    );
}

fn verdict_and_score_edges(report: &AuditReport) {
    assert_eq!((report.rows.read, report.rows.rejected), (37, 0));
    let email = &[(EMAIL, WITHIN)];
    assert_calls(
        report,
        &[
            // Four minors: 80, exactly the threshold: a pass.
            call(
                "V-1",
                "sjones",
                "pass",
                80,
                email,
                &[("CF06", 3), ("CF01", 4), ("CF02", 7), ("SD13", 8)],
            ),
            // Five minors: 75, a fail.
            call(
                "V-2",
                "mlopez",
                "fail",
                75,
                email,
                &[
                    ("CF06", 12),
                    ("CF01", 13),
                    ("CF02", 16),
                    ("SD13", 17),
                    ("CF04", 18),
                ],
            ),
            // A critical: 0 and a fail, whatever else.
            call(
                "V-3",
                "tkim",
                "fail",
                0,
                email,
                &[("CF01", 20), ("SD01", 23)],
            ),
            // Incomplete with a critical: a fail, not incomplete.
            call(
                "V-4",
                "rpatel",
                "fail",
                0,
                &[(CANCEL, None)],
                &[("PC01", 30), ("PC02", 30), ("CF05", 31)],
            ),
            // One major and one minor: 80, a pass.
            call(
                "V-5",
                "sjones",
                "pass",
                80,
                &[(SITE, None)],
                &[("CF02", 37), ("SD10", 38)],
            ),
        ],
    );
    let sjones = report
        .agents
        .iter()
        .find(|a| a.agent_id == "sjones")
        .unwrap();
    assert_eq!(
        (sjones.calls, sjones.passed, sjones.mean_score),
        (2, 2, 80.0)
    );
}

fn every_call_passes_or_is_incomplete(report: &AuditReport) {
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (20, 20, 0)
    );
    assert_calls(
        report,
        &[
            call("A-1", "sjones", "pass", 100, &[(EMAIL, WITHIN)], &[]),
            call("A-2", "mlopez", "pass", 100, &[(CANCEL, None)], &[]),
            call("A-3", "tkim", "incomplete", 100, &[], &[("CF05", 21)]),
        ],
    );
}

#[test]
fn columns_in_any_order_with_extra_columns() {
    let text = log_text("all_pass.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "text",
            "event",
            "extra",
            "value",
            "timestamp",
            "call_id",
            "agent_id",
        ])
        .unwrap();
    for record in reader.records() {
        let r = record.unwrap();
        writer
            .write_record([&r[5], &r[3], "ignored", &r[4], &r[1], &r[0], &r[2]])
            .unwrap();
    }
    let shuffled = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let a = audit_text(&text, "all_pass.csv");
    let b = audit_text(&shuffled, "shuffled.csv");
    assert_eq!(a.calls, b.calls);
    assert_eq!(a.rows, b.rows);
    every_call_passes_or_is_incomplete(&b);
}

#[test]
fn line_numbers_survive_bom_crlf_and_blank_lines() {
    let text = log_text("rejected.csv");
    let lf = audit_text(&text, "rejected.csv");
    let bom_crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let crlf = audit_text(&bom_crlf, "rejected-crlf.csv");
    assert_eq!(lf.rejected, crlf.rejected);
    assert_eq!(lf.rows, crlf.rows);
    let key = |r: &callflow::audit::AuditReport| -> Vec<Expect> {
        r.calls.iter().map(crate::util::actual).collect()
    };
    assert_eq!(key(&lf), key(&crlf));
    assert_eq!(
        lf.calls
            .iter()
            .map(|c| (c.first_line, c.last_line))
            .collect::<Vec<_>>(),
        crlf.calls
            .iter()
            .map(|c| (c.first_line, c.last_line))
            .collect::<Vec<_>>()
    );
    // A blank line is a line: what follows it keeps its own number.
    let frame = log_text("frame.csv");
    let (head, tail) = frame.split_at(frame.find("F-02,").unwrap());
    let blank = format!("{head}\r\n{}", tail.replace('\n', "\r\n"));
    let report = audit_text(&blank, "frame-blank.csv");
    let f02 = find(&report, "F-02");
    assert_eq!(f02.first_line, 10);
    assert_eq!(f02.findings[0].line, 11);
}
