//! The catalogue of input faults (docs/INPUT-FAULTS.md), one test at least per item, each
//! asserting the decided behaviour exactly: file-level faults exit 2 with one sentence and no
//! output file; row-level faults reject the row (line and reason naming the value) or give the
//! call a finding, and the run goes on.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::util::{audit_text, callflow, code, find, stderr, stdout};
use callflow::audit::pipeline::{audit_report, AuditOptions};
use callflow::audit::report::AuditReport;
use callflow::audit::{audit, LogReader, Replayer};
use callflow::workflows::Engine;

const HEADER: &str = "call_id,timestamp,agent_id,event,value,text";
const DEPT: &str = "Home Warranty Rewards";

/// A log: the v1 header, then these rows, each ended by `\n`.
fn log(rows: &[&str]) -> String {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// The timestamp `2026-03-02THH:MM:SS-05:00` of the `s`-th second after 09:00.
fn at(s: u32) -> String {
    format!(
        "2026-03-02T{:02}:{:02}:{:02}-05:00",
        9 + s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// A row of call `id` at second `s`.
fn row(id: &str, s: u32, event: &str, value: &str) -> String {
    format!("{id},{},,{event},{value},", at(s))
}

/// The `call_started` row of call `id` at second `s`, by `sjones`.
fn start(id: &str, s: u32) -> String {
    format!("{id},{},sjones,call_started,{DEPT},", at(s))
}

/// `(line, call_id, reason)` of every rejected row.
fn rejected(report: &callflow::audit::AuditReport) -> Vec<(u64, String, String)> {
    report
        .rejected
        .iter()
        .map(|r| (r.line, r.call_id.clone(), r.reason.clone()))
        .collect()
}

/// `(line, call_id, reason)` with owned strings.
fn rej(line: u64, call_id: &str, reason: &str) -> (u64, String, String) {
    (line, call_id.to_owned(), reason.to_owned())
}

/// `(code, line)` of a call's findings.
fn codes(report: &callflow::audit::AuditReport, id: &str) -> Vec<(&'static str, u64)> {
    find(report, id)
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.line))
        .collect()
}

/// The names of the entries of a folder, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Runs `callflow audit FILE --out DIR/report.json` on these bytes and checks what every
/// file-level fault must give: exit 2, nothing on stdout, exactly one line on stderr that
/// starts with `callflow: ` (no panic, no trace), and no report written. Returns the line.
fn file_level_fault(bytes: &[u8]) -> String {
    let dir = temp_dir!();
    let input = dir.path().join("input.csv");
    fs::write(&input, bytes).expect("write the input");
    let out = dir.path().join("report.json");
    let output = callflow([
        "audit".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let message = stderr(&output);
    assert_eq!(code(&output), 2, "{message}");
    assert_eq!(stdout(&output), "");
    assert_eq!(message.lines().count(), 1, "one sentence: {message}");
    assert!(message.ends_with('\n'), "{message}");
    assert!(
        !message.contains("panicked") && !message.contains("backtrace"),
        "{message}"
    );
    assert_eq!(
        entries(dir.path()),
        ["input.csv"],
        "no report, no temporary file"
    );
    let prefix = format!("callflow: {}: ", input.display());
    message
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{message} starts with {prefix}"))
        .trim_end()
        .to_owned()
}

/// The library's error for a whole input, as the CLI prints it after `callflow: `.
fn open_error(bytes: &[u8]) -> String {
    match LogReader::new(bytes, "log.csv") {
        Ok(_) => panic!("the input was accepted"),
        Err(e) => e.to_string(),
    }
}

// --- File-level faults: exit 2, one sentence, nothing written ---------------------------------

#[test]
fn an_empty_file_exits_2_saying_it_has_no_header() {
    let expected =
        "empty file: no header row (expected columns call_id, timestamp, event, ...)".to_owned();
    assert_eq!(file_level_fault(b""), expected);
    // Blank lines only, or a lone BOM, hold no header either.
    assert_eq!(file_level_fault(b"\n\r\n\n"), expected);
    assert_eq!(file_level_fault(b"\xEF\xBB\xBF"), expected);
}

#[test]
fn a_header_only_log_is_an_empty_audit_exit_0() {
    let report = audit_text(&log(&[]), "header.csv");
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (0, 0, 0)
    );
    assert!(report.calls.is_empty() && report.agents.is_empty() && report.rejected.is_empty());
    let dir = temp_dir!();
    let input = dir.path().join("header.csv");
    fs::write(&input, log(&[])).expect("write");
    let output = callflow([
        "audit".as_ref(),
        input.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(
        json["rows"],
        serde_json::json!({"read": 0, "replayed": 0, "rejected": 0})
    );
    assert_eq!(json["calls"], serde_json::json!([]));
}

#[test]
fn a_missing_required_column_stops_before_any_output_naming_it() {
    for (header, column, found) in [
        (
            "id,timestamp,agent_id,event,value,text",
            "call_id",
            "id,timestamp,agent_id,event,value,text",
        ),
        (
            "call_id,time,agent_id,event,value,text",
            "timestamp",
            "call_id,time,agent_id,event,value,text",
        ),
        ("call_id,timestamp", "event", "call_id,timestamp"),
    ] {
        let text = format!("{header}\nA,{},sjones,call_started,{DEPT},\n", at(0));
        let expected =
            format!("line 1: missing required column '{column}' (the header has: {found})");
        assert_eq!(file_level_fault(text.as_bytes()), expected);
        assert_eq!(open_error(text.as_bytes()), format!("log.csv: {expected}"));
    }
    // A column named twice is as unusable: which one holds the call id?
    let twice = "call_id,timestamp,event,call_id\n";
    assert_eq!(
        file_level_fault(twice.as_bytes()),
        "line 1: column 'call_id' appears twice in the header"
    );
}

#[test]
fn binary_garbage_is_not_a_log_exit_2() {
    let mut rng = fastrand::Rng::with_seed(7);
    let garbage: Vec<u8> = (0..4096).map(|_| rng.u8(..)).collect();
    assert_eq!(
        file_level_fault(&garbage),
        "line 1: not a call log: the header row is not UTF-8 text (a binary file?)"
    );
    // Valid UTF-8 but control characters: an executable's or an archive's header.
    assert_eq!(
        file_level_fault(b"\x7fELF\x02\x01\x01\x00\x00\x00,call_id\n"),
        "line 1: not a call log: the header row holds control characters (a binary file?)"
    );
    // A spreadsheet saved as "Unicode text": UTF-16 with its byte-order mark.
    let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
        .chain(HEADER.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        file_level_fault(&utf16),
        "line 1: not a call log: the file is UTF-16 text; a call log must be UTF-8 (save it as \"CSV UTF-8\")"
    );
}

#[test]
fn binary_garbage_after_a_good_header_is_rejected_row_by_row() {
    let mut bytes = log(&[&start("A", 0), &row("A", 1, "greeting", "")]).into_bytes();
    bytes.extend_from_slice(b"\x00\xff\xfe\x01garbage\xc3\n");
    bytes.extend_from_slice(row("A", 2, "call_ended", "").as_bytes());
    bytes.push(b'\n');
    // (Its call id is not UTF-8: reported empty; see the UTF-8 test below.)
    let reader = LogReader::new(bytes.as_slice(), "log.csv").expect("a header");
    let report = audit(reader, Arc::new(Engine::builtin())).expect("an audit");
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (4, 3, 1)
    );
    assert_eq!(
        rejected(&report),
        [rej(4, "", "expected 6 fields as in the header, found 1")]
    );
    assert_eq!(find(&report, "A").verdict.as_str(), "pass");
}

#[test]
fn an_unclosed_quote_in_the_header_exits_2() {
    let text = "call_id,timestamp,agent_id,event,value,\"text\nA,b,c,d,e,f\n";
    assert_eq!(
        file_level_fault(text.as_bytes()),
        "line 1: the header row is malformed: unclosed quote: the quoted field opened on line 1 \
         runs to the end of the file; lines 1 to the end were read as this one row"
    );
}

#[test]
fn a_missing_path_or_a_folder_exits_2_and_writes_nothing() {
    let dir = temp_dir!();
    let out = dir.path().join("report.json");
    let missing = dir.path().join("no-such-log.csv");
    for (input, expected) in [
        (
            missing.clone(),
            format!(
                "callflow: {}: cannot read: No such file or directory (os error 2)\n",
                missing.display()
            ),
        ),
        (
            dir.path().to_owned(),
            format!(
                "callflow: {}: is a folder, not a call log\n",
                dir.path().display()
            ),
        ),
    ] {
        let output = callflow([
            "audit".as_ref(),
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(code(&output), 2);
        assert_eq!(stdout(&output), "");
        assert_eq!(stderr(&output), expected);
        assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
    }
}

// --- Row-level faults: the row is rejected or the call gets a finding; the run goes on -------

#[test]
fn invalid_utf8_in_a_field_rejects_the_row_naming_the_column() {
    let mut bytes = log(&[&start("A", 0)]).into_bytes();
    bytes.extend_from_slice(format!("A,{},,customer_identified,Pat ", at(1)).as_bytes());
    bytes.extend_from_slice(b"\xC3\xA9\xE9 Lee,\n");
    bytes.extend_from_slice(b"A\xFF,");
    bytes.extend_from_slice(format!("{},,greeting,,\n", at(2)).as_bytes());
    for r in [row("A", 3, "goodbye", ""), row("A", 4, "call_ended", "")] {
        bytes.extend_from_slice(r.as_bytes());
        bytes.push(b'\n');
    }
    // (Not through check_invariants: a call id that is not UTF-8 is reported empty, while
    // its independent parse reads it lossily; the reason shows it.) Three threads and more
    // replay every row on a worker, from batches checked as UTF-8 a batch at a time.
    for threads in [1, 2, 3] {
        let reader = LogReader::new(bytes.as_slice(), "log.csv").expect("a header");
        let options = AuditOptions {
            threads,
            ..AuditOptions::default()
        };
        let report = audit_report(reader, Arc::new(Engine::builtin()), options).expect("an audit");
        check_invalid_utf8_rejections(&report);
    }
}

fn check_invalid_utf8_rejections(report: &AuditReport) {
    assert_eq!(
        rejected(report),
        [
            rej(
                3,
                "A",
                "column 'value' is not valid UTF-8 (bad byte at offset 6: \"Pat é\u{fffd} Lee\")"
            ),
            rej(
                4,
                "",
                "column 'call_id' is not valid UTF-8 (bad byte at offset 1: \"A\u{fffd}\")"
            ),
        ]
    );
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (5, 3, 2)
    );
    assert_eq!(find(report, "A").verdict.as_str(), "pass");
}

#[test]
fn an_unclosed_quote_rejects_its_row_naming_the_line() {
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &row("A", 1, "greeting", ""),
            &format!("A,{},,inquiry,reward_site_issue,\"Well", at(2)),
            &row("A", 3, "apologize", ""),
            &row("A", 4, "call_ended", ""),
        ]),
        "log.csv",
    );
    assert_eq!(
        rejected(&report),
        [rej(
            4,
            "A",
            "unclosed quote: the quoted field opened on line 4 runs to the end of the file; \
             lines 4 to the end were read as this one row"
        )]
    );
    // The rows before it count; the call never saw its end.
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (3, 2, 1)
    );
    assert_eq!(find(&report, "A").verdict.as_str(), "incomplete");
    assert_eq!(codes(&report, "A"), [("CF05", 3)]);
}

#[test]
fn a_stray_quote_that_swallows_rows_rejects_the_swallowing_row() {
    // The greeting's text opens a quote it never closes; the csv crate reads on to the next
    // quote, three lines later, and takes the rows between as part of the text.
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &format!("A,{},,greeting,,\"Thank you for calling", at(1)),
            &row("A", 2, "inquiry", "reward_site_issue"),
            &format!(
                "A,{},,apologize,,\"Sorry, Pat. I apologize for the inconvenience.\"",
                at(3)
            ),
            &row("A", 4, "goodbye", ""),
            &row("A", 5, "call_ended", ""),
        ]),
        "log.csv",
    );
    assert_eq!(
        rejected(&report),
        [rej(
            3,
            "A",
            "malformed quoting: text after the closing quote on line 5 of the field opened on \
             line 3 (a '\"' inside a field must be doubled, the field quoted); lines 3 to 5 were \
             read as this one row"
        )]
    );
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (4, 3, 1)
    );
    // Doubled quotes inside a quoted field are text, not a fault.
    let fine = audit_text(
        &log(&[
            &start("B", 0),
            &format!("B,{},,greeting,,\"He said \"\"hi\"\"\"", at(1)),
        ]),
        "log.csv",
    );
    assert!(fine.rejected.is_empty(), "{:?}", fine.rejected);
}

#[test]
fn ragged_rows_are_rejected_with_their_field_counts() {
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &format!("A,{},,greeting", at(1)),
            &format!("A,{},,greeting,,,extra", at(2)),
            "A",
            &row("A", 3, "call_ended", ""),
        ]),
        "log.csv",
    );
    assert_eq!(
        rejected(&report),
        [
            rej(3, "A", "expected 6 fields as in the header, found 4"),
            rej(4, "A", "expected 6 fields as in the header, found 7"),
            rej(5, "A", "expected 6 fields as in the header, found 1"),
        ]
    );
    assert_eq!(
        (report.rows.read, report.rows.replayed, report.rows.rejected),
        (5, 2, 3)
    );
}

#[test]
fn five_megabyte_fields_are_read_and_quoted_abbreviated() {
    const BIG: usize = 5 * 1024 * 1024;
    let x = "x".repeat(BIG);
    let words = "word ".repeat(BIG / 5);
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &format!("A,{},,greeting,,{words}", at(1)),
            &row("A", 2, &x, ""),
            &row("A", 3, "inquiry", &x),
            &row(&x, 4, "goodbye", ""),
            &row("A", 5, "warranty_started", &x),
            &format!("A,{x},,goodbye,,"),
            &row("A", 6, "goodbye", ""),
            &row("A", 7, "call_ended", ""),
        ]),
        "big.csv",
    );
    let cut = format!("'{}...' ({BIG} bytes)", "x".repeat(60));
    assert_eq!(
        rejected(&report),
        [
            rej(4, "A", &format!("unknown event {cut}")),
            rej(
                6,
                &x,
                &format!("call {cut} was never started (no call_started before this row)")
            ),
            rej(
                7,
                "A",
                &format!("warranty_started: invalid date {cut}: expected YYYY-MM-DD")
            ),
            rej(
                8,
                "A",
                &format!(
                    "timestamp {cut} is not RFC 3339 with an offset, like \
                     2026-03-02T14:05:11-05:00 (input contains invalid characters)"
                )
            ),
        ]
    );
    // The 5 MB text and reason are data: kept whole in the call, quoted short in findings.
    let a = find(&report, "A");
    assert_eq!(a.inquiries[0].reason.len(), BIG);
    assert_eq!(codes(&report, "A"), [("CF02", 3), ("CF07", 5)]);
    for f in &a.findings {
        assert!(f.message.len() < 400, "{}: {}", f.code, f.message.len());
    }
    assert_eq!(
        a.findings[1].evidence[0].actual,
        format!("inquiry {cut}"),
        "CF07 names the reason, abbreviated"
    );
}

#[test]
fn a_bom_crlf_or_lone_cr_log_reads_as_the_same_log() {
    let lf = log(&[
        &start("A", 0),
        &format!("A,{},,greeting,,\"Thank you\nfor calling\"", at(1)),
        "",
        &row("A", 2, "gretting", ""),
        &row("A", 3, "call_ended", ""),
    ]);
    let expected = |report: &callflow::audit::AuditReport| {
        assert_eq!(
            rejected(report),
            [rej(6, "A", "unknown event 'gretting'")],
            "lines as an editor shows them"
        );
        assert_eq!(codes(report, "A"), [("CF02", 3), ("CF04", 7)]);
        assert_eq!(find(report, "A").last_line, 7);
    };
    for text in [
        lf.clone(),
        format!("\u{feff}{lf}"),
        lf.replace('\n', "\r\n"),
        format!("\u{feff}{}", lf.replace('\n', "\r\n")),
        lf.replace('\n', "\r"),
    ] {
        expected(&audit_text(&text, "log.csv"));
    }
}

#[test]
fn a_row_of_a_call_never_started_is_rejected() {
    let report = audit_text(
        &log(&[
            &row("B", 0, "greeting", ""),
            &start("A", 1),
            &row("B", 2, "call_ended", ""),
            &row("A", 3, "call_ended", ""),
        ]),
        "log.csv",
    );
    let never = "call 'B' was never started (no call_started before this row)";
    assert_eq!(rejected(&report), [rej(2, "B", never), rej(4, "B", never)]);
    assert_eq!(report.calls.len(), 1);
    assert_eq!(codes(&report, "A"), [("CF04", 5)]);
}

#[test]
fn a_second_call_started_for_an_open_or_ended_call_is_rejected() {
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &start("A", 1),
            &row("A", 2, "goodbye", ""),
            &row("A", 3, "call_ended", ""),
            &start("A", 4),
        ]),
        "log.csv",
    );
    assert_eq!(
        rejected(&report),
        [
            rej(
                3,
                "A",
                "duplicate call_started: call 'A' already started at line 2"
            ),
            rej(
                6,
                "A",
                "duplicate call_started: call 'A' already ran and ended at line 5; \
                 call ids are unique per log"
            ),
        ]
    );
    let a = find(&report, "A");
    assert_eq!((a.first_line, a.last_line), (2, 5), "not merged");
    assert_eq!(report.calls.len(), 1);
}

#[test]
fn rows_after_call_ended_are_rejected() {
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &row("A", 1, "goodbye", ""),
            &row("A", 2, "call_ended", ""),
            &row("A", 3, "goodbye", ""),
            &row("A", 4, "call_ended", "dropped"),
        ]),
        "log.csv",
    );
    let after = "call 'A' ended at line 4; rows after call_ended are rejected";
    assert_eq!(rejected(&report), [rej(5, "A", after), rej(6, "A", after)]);
    let a = find(&report, "A");
    assert_eq!((a.verdict.as_str(), a.last_line), ("pass", 4));
}

#[test]
fn timestamps_going_backwards_within_a_call_are_rejected() {
    // Between calls, time may go back (interleaved calls); within a call it may not, and
    // equal timestamps keep file order.
    let report = audit_text(
        &log(&[
            &start("A", 10),
            &start("B", 5),
            &row("A", 9, "greeting", ""),
            &row("A", 10, "greeting", ""),
            &row("A", 10, "goodbye", ""),
            &row("B", 6, "goodbye", ""),
            &row("A", 11, "call_ended", ""),
            &row("B", 7, "call_ended", ""),
        ]),
        "log.csv",
    );
    assert_eq!(
        rejected(&report),
        [rej(
            4,
            "A",
            "timestamp 2026-03-02T09:00:09-05:00 is earlier than the call's previous event \
             (2026-03-02T09:00:10-05:00)"
        )]
    );
    assert_eq!(codes(&report, "A"), []);
    assert_eq!(codes(&report, "B"), []);
}

#[test]
fn impossible_dates_and_bad_offsets_are_rejected_naming_the_value() {
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &row("A", 1, "inquiry", "reward_email_missing"),
            &row("A", 2, "warranty_started", "2026-02-30"),
            &row("A", 2, "warranty_started", "2026-2-3"),
            &row("A", 2, "first_payment", "yesterday"),
            "A,2026-02-30T09:00:03-05:00,,greeting,,",
            "A,2026-03-02T09:00:03+25:00,,greeting,,",
            "A,2026-03-02T09:00:03-05:60,,greeting,,",
            "A,2026-03-02T09:00:03,,greeting,,",
            "A,2026-03-02 09:00:03-05:00x,,greeting,,",
            &row("A", 4, "call_ended", ""),
        ]),
        "log.csv",
    );
    let ts = |value: &str, why: &str| {
        format!(
            "timestamp '{value}' is not RFC 3339 with an offset, like 2026-03-02T14:05:11-05:00 ({why})"
        )
    };
    assert_eq!(
        rejected(&report),
        [
            rej(
                4,
                "A",
                "warranty_started: invalid date '2026-02-30': no such date"
            ),
            rej(
                5,
                "A",
                "warranty_started: invalid date '2026-2-3': expected YYYY-MM-DD"
            ),
            rej(
                6,
                "A",
                "first_payment: invalid date 'yesterday': expected YYYY-MM-DD"
            ),
            rej(
                7,
                "A",
                &ts("2026-02-30T09:00:03-05:00", "input is out of range")
            ),
            rej(
                8,
                "A",
                &ts("2026-03-02T09:00:03+25:00", "input is out of range")
            ),
            rej(
                9,
                "A",
                &ts("2026-03-02T09:00:03-05:60", "input is out of range")
            ),
            rej(
                10,
                "A",
                "timestamp '2026-03-02T09:00:03' has no UTC offset (-05:00, +01:00 or Z): \
                 expected RFC 3339 with an offset, like 2026-03-02T14:05:11-05:00"
            ),
            rej(11, "A", &ts("2026-03-02 09:00:03-05:00x", "trailing input")),
        ]
    );
    // The call goes on: the facts never came (SD03), not a wrong branch.
    assert_eq!(
        codes(&report, "A"),
        [("CF01", 3), ("CF04", 12), ("SD03", 12)]
    );
}

#[test]
fn malformed_amounts_and_key_value_payloads_are_rejected_naming_the_value() {
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &row("A", 1, "greeting", ""),
            &row("A", 2, "inquiry", "warranty_cancellation"),
            &row("A", 3, "refund_calculator", "-5"),
            &row("A", 3, "refund_calculator", "1.234"),
            &row("A", 3, "refund_calculator", "\"1,00\""),
            &row("A", 3, "refund_calculator", "1e3"),
            &row("A", 3, "refund_calculator", "$"),
            &row("A", 3, "refund_calculator", "99999999999999999999"),
            &row("A", 3, "refund_calculator", "\"$1,079.50\""),
            &row("A", 4, "chat_form", "enterprise_id=sjones;oops"),
            &row("A", 4, "chat_form", "reason=a;reason=b"),
            &row("A", 5, "quote_amount", "$1079.5"),
            &row("A", 6, "goodbye", ""),
            &row("A", 7, "call_ended", ""),
        ]),
        "log.csv",
    );
    let amount =
        |value: &str, why: &str| format!("refund_calculator: invalid amount '{value}': {why}");
    let groups = "expected digits with optional ',' separators between groups of three";
    assert_eq!(
        rejected(&report),
        [
            rej(5, "A", &amount("-5", groups)),
            rej(
                6,
                "A",
                &amount("1.234", "expected one or two decimals after '.'")
            ),
            rej(7, "A", &amount("1,00", groups)),
            rej(8, "A", &amount("1e3", groups)),
            rej(
                9,
                "A",
                &amount("$", "expected digits before any decimal point")
            ),
            rej(10, "A", &amount("99999999999999999999", "too large")),
            rej(
                12,
                "A",
                "chat_form: invalid chat form 'enterprise_id=sjones;oops': each ';'-separated \
                 pair needs a '='"
            ),
            rej(
                13,
                "A",
                "chat_form: invalid chat form 'reason=a;reason=b': a key appears twice"
            ),
        ]
    );
    // The amount that was read ($1,079.50) is the one quoted: no PC07.
    assert_eq!(find(&report, "A").verdict.as_str(), "pass");
}

#[test]
fn an_empty_or_blank_call_id_is_rejected() {
    let report = audit_text(
        &log(&[
            &start("A", 0),
            &row("", 1, "greeting", ""),
            &row(" ", 2, "greeting", ""),
            &format!(",{},sjones,call_started,{DEPT},", at(3)),
            &row("A", 4, "call_ended", ""),
        ]),
        "log.csv",
    );
    assert_eq!(
        rejected(&report),
        [
            rej(3, "", "empty call_id"),
            rej(
                4,
                " ",
                "blank call_id ' ': a call id needs a visible character"
            ),
            rej(5, "", "empty call_id"),
        ]
    );
    assert_eq!(report.calls.len(), 1);
}

#[test]
fn twenty_thousand_calls_that_never_end_are_all_incomplete_and_leave_when_judged() {
    const CALLS: u32 = 20_000;
    let mut text = format!("{HEADER}\n");
    for i in 0..CALLS {
        let id = format!("N-{i:05}");
        text.push_str(&start(&id, i));
        text.push('\n');
        text.push_str(&row(&id, i + 1, "greeting", ""));
        text.push('\n');
        text.push_str(&row(&id, i + 2, "inquiry", "reward_site_issue"));
        text.push('\n');
    }
    let config = Arc::new(Engine::builtin());
    let mut reader = LogReader::new(text.as_bytes(), "open.csv").expect("a header");
    let mut replayer = Replayer::new(Arc::clone(&config));
    while let Some(row) = reader.next_row().expect("rows") {
        assert!(replayer.feed(row).is_none(), "no call ends");
    }
    assert_eq!(replayer.open_calls(), CALLS as usize);
    let (reports, rows, rejected) = replayer.finish().expect("no spill failure");
    assert_eq!(
        (rows.read, rows.replayed, rows.rejected),
        (3 * u64::from(CALLS), 3 * u64::from(CALLS), 0)
    );
    assert!(rejected.is_empty());
    assert_eq!(reports.len(), CALLS as usize);
    for report in &reports {
        assert_eq!(report.verdict.as_str(), "incomplete", "{}", report.call_id);
        let found: Vec<(&str, u64)> = report
            .findings
            .iter()
            .map(|f| (f.code.as_str(), f.line))
            .collect();
        assert_eq!(
            found,
            [("CF05", report.first_line + 2)],
            "{}",
            report.call_id
        );
    }
    // The same calls with their end leave the table as they end: memory follows the calls
    // open at once, not the log.
    let mut ended = text.clone();
    for i in 0..CALLS {
        ended.push_str(&row(&format!("N-{i:05}"), CALLS + 3, "call_ended", ""));
        ended.push('\n');
    }
    let mut reader = LogReader::new(ended.as_bytes(), "ended.csv").expect("a header");
    let mut replayer = Replayer::new(config);
    let mut most_open = 0;
    let mut judged = 0;
    while let Some(row) = reader.next_row().expect("rows") {
        judged += usize::from(replayer.feed(row).is_some());
        most_open = most_open.max(replayer.open_calls());
    }
    assert_eq!(
        (judged, most_open, replayer.open_calls()),
        (20_000, 20_000, 0)
    );
}

// --- The command line: row-level faults never stop the run ---------------------------------

#[test]
fn row_level_faults_never_stop_the_run_and_the_report_is_written() {
    let dir = temp_dir!();
    let input = dir.path().join("faulty.csv");
    let mut bytes = log(&[
        &start("A", 0),
        &row("A", 1, "gretting", ""),
        &format!("A,{},,greeting", at(2)),
        &row("B", 3, "greeting", ""),
        &start("A", 4),
        &row("A", 5, "warranty_started", "2026-02-30"),
        &row("", 6, "greeting", ""),
        &row("A", 7, "goodbye", ""),
        &row("A", 8, "call_ended", ""),
        &row("A", 9, "goodbye", ""),
    ])
    .into_bytes();
    bytes.extend_from_slice(b"A,\xff,,greeting,,\n");
    bytes.extend_from_slice(format!("A,{},,greeting,,\"unclosed\n", at(10)).as_bytes());
    fs::write(&input, &bytes).expect("write");
    let out = dir.path().join("report.json");
    let output = callflow([
        "audit".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    // Most rows rejected: the run goes on, with a warning naming the top reasons (#16).
    let warning = stderr(&output);
    assert!(
        warning.starts_with(
            "callflow: warning: 9 of 12 rows (75%) were rejected; the report covers the rest. \
             Top reasons:\n"
        ),
        "{warning}"
    );
    assert_eq!(warning.lines().count(), 4, "three reasons: {warning}");
    let json: Value =
        serde_json::from_str(&fs::read_to_string(&out).expect("the report")).expect("JSON");
    assert_eq!(
        json["rows"],
        serde_json::json!({"read": 12, "replayed": 3, "rejected": 9})
    );
    let lines: Vec<u64> = json["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| r["line"].as_u64().expect("a line"))
        .collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 11, 12, 13]);
    assert_eq!(json["calls"][0]["verdict"], "pass");
}
