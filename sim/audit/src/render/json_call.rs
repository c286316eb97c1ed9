//! One call of the JSON contract, written by hand: the same bytes as `serde_json::to_vec` of a
//! [`CallReport`] (tested), plus each finding's `explanation`, at a fraction of the cost.
//! Every call of a large audit goes through here on its replay thread; the keys are literals,
//! and strings are copied in runs, eight bytes looked at a time, stopping only where a
//! character must be escaped.

use callflow_workflows::Rules;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};

use crate::report::{CallReport, EvidenceReport, FindingReport, InquiryReport, UncheckedReport};

/// Appends `report` as compact JSON, with the fields in the order of the struct; each finding
/// ends with its explanation, made here under `rules` (`None`: the default rules).
pub(crate) fn write_call(report: &CallReport, rules: Option<&Rules>, out: &mut Vec<u8>) {
    write_call_with(report, rules, out, &mut String::new());
}

/// [`write_call`] with a buffer for the explanations (kept by the caller between calls).
pub(crate) fn write_call_with(
    report: &CallReport,
    rules: Option<&Rules>,
    out: &mut Vec<u8>,
    explanation: &mut String,
) {
    out.extend_from_slice(b"{\"call_id\":");
    string(out, &report.call_id);
    out.extend_from_slice(b",\"agent_id\":");
    string(out, &report.agent_id);
    out.extend_from_slice(b",\"verdict\":\"");
    out.extend_from_slice(report.verdict.as_str().as_bytes());
    out.extend_from_slice(b"\",\"score\":");
    number(out, u64::from(report.score));
    out.extend_from_slice(b",\"inquiries\":[");
    list(out, &report.inquiries, inquiry);
    out.extend_from_slice(b"],\"findings\":[");
    for (i, one) in report.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        finding(out, one);
        out.extend_from_slice(b",\"explanation\":");
        explanation.clear();
        report.explain_into(one, rules, explanation);
        string(out, explanation);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"first_line\":");
    number(out, report.first_line);
    out.extend_from_slice(b",\"last_line\":");
    number(out, report.last_line);
    out.extend_from_slice(b",\"started_at\":\"");
    timestamp(out, &report.started);
    out.extend_from_slice(b"\",\"call_date\":\"");
    date(out, report.call_date);
    match report.policy {
        Some(effective) => {
            out.extend_from_slice(b"\",\"policy\":\"");
            date(out, effective);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"\",\"policy\":null"),
    }
    if !report.unchecked.is_empty() {
        out.extend_from_slice(b",\"unchecked\":[");
        list(out, &report.unchecked, unchecked);
        out.push(b']');
    }
    out.push(b'}');
}

/// One check not made: `{"code":..,"line":..,"timestamp":..,"why":..}`.
fn unchecked(out: &mut Vec<u8>, note: &UncheckedReport) {
    out.extend_from_slice(b"{\"code\":");
    string(out, note.code.as_str());
    out.extend_from_slice(b",\"line\":");
    number(out, note.line);
    out.extend_from_slice(b",\"timestamp\":");
    string(out, &note.timestamp);
    out.extend_from_slice(b",\"why\":");
    string(out, &note.why);
    out.push(b'}');
}

/// `2026-03-02T14:05:11-05:00`, as `DateTime::to_rfc3339` writes it (fractions of a second and
/// years outside 0 to 9999 go through chrono).
fn timestamp(out: &mut Vec<u8>, at: &DateTime<FixedOffset>) {
    let local = at.naive_local();
    let year = local.year();
    if !(0..=9999).contains(&year) || local.nanosecond() != 0 {
        out.extend_from_slice(at.to_rfc3339().as_bytes());
        return;
    }
    let mut text = *b"0000-00-00T00:00:00+00:00";
    write_date(&mut text, local.date());
    let offset = at.offset().local_minus_utc();
    let minutes = offset.unsigned_abs() / 60;
    for (at, n) in [
        (11, local.hour()),
        (14, local.minute()),
        (17, local.second()),
        (20, minutes / 60),
        (23, minutes % 60),
    ] {
        two(&mut text, at, n);
    }
    if offset < 0 {
        text[19] = b'-';
    }
    out.extend_from_slice(&text);
}

/// `2026-03-02`, as chrono writes a date of years 0 to 9999 (others through chrono).
fn date(out: &mut Vec<u8>, day: NaiveDate) {
    if !(0..=9999).contains(&day.year()) {
        out.extend_from_slice(day.to_string().as_bytes());
        return;
    }
    let mut text = *b"0000-00-00T00:00:00+00:00";
    write_date(&mut text, day);
    out.extend_from_slice(&text[..10]);
}

/// Writes a date of years 0 to 9999 over the first ten bytes.
fn write_date(text: &mut [u8; 25], day: NaiveDate) {
    let year = day.year().unsigned_abs();
    two(text, 0, year / 100);
    two(text, 2, year % 100);
    two(text, 5, day.month());
    two(text, 8, day.day());
}

/// Two digits of `n` (under 100) at `at`.
fn two(text: &mut [u8; 25], at: usize, n: u32) {
    if let Some(pair) = text.get_mut(at..at + 2) {
        pair[0] = b'0' + (n / 10 % 10) as u8;
        pair[1] = b'0' + (n % 10) as u8;
    }
}

fn list<T>(out: &mut Vec<u8>, items: &[T], item: fn(&mut Vec<u8>, &T)) {
    for (i, one) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, one);
    }
}

fn inquiry(out: &mut Vec<u8>, inquiry: &InquiryReport) {
    out.extend_from_slice(b"{\"reason\":");
    string(out, &inquiry.reason);
    out.extend_from_slice(b",\"branch\":");
    match inquiry.branch {
        Some(branch) => string(out, branch),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"state\":");
    string(out, inquiry.state);
    out.extend_from_slice(b",\"line\":");
    number(out, inquiry.line);
    out.push(b'}');
}

fn finding(out: &mut Vec<u8>, finding: &FindingReport) {
    out.extend_from_slice(b"{\"code\":\"");
    out.extend_from_slice(finding.code.as_str().as_bytes());
    out.extend_from_slice(b"\",\"severity\":\"");
    out.extend_from_slice(finding.severity.as_str().as_bytes());
    out.extend_from_slice(b"\",\"line\":");
    number(out, finding.line);
    out.extend_from_slice(b",\"message\":");
    string(out, &finding.message);
    out.extend_from_slice(b",\"timestamp\":");
    string(out, &finding.timestamp);
    out.extend_from_slice(b",\"evidence\":[");
    list(out, &finding.evidence, evidence);
    out.push(b']');
    if let Some(mark) = &finding.overridden {
        out.extend_from_slice(b",\"override\":{\"action\":\"");
        out.extend_from_slice(mark.action.as_str().as_bytes());
        out.extend_from_slice(b"\",\"reviewer\":");
        string(out, &mark.reviewer);
        out.extend_from_slice(b",\"date\":");
        string(out, &mark.date);
        out.extend_from_slice(b",\"reason\":");
        string(out, &mark.reason);
        out.push(b'}');
    }
}

fn evidence(out: &mut Vec<u8>, evidence: &EvidenceReport) {
    out.extend_from_slice(b"{\"line\":");
    number(out, evidence.line);
    out.extend_from_slice(b",\"timestamp\":");
    string(out, &evidence.timestamp);
    out.extend_from_slice(b",\"expected\":");
    string(out, &evidence.expected);
    out.extend_from_slice(b",\"actual\":");
    string(out, &evidence.actual);
    out.push(b'}');
}

fn number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = LANES * 0x80;

/// The first byte in `bytes` that JSON must escape (a control character, `"` or `\`).
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let x = u64::from_le_bytes(eight);
        // The lowest flagged byte of each test is exact (a borrow only runs upwards).
        let control = x.wrapping_sub(LANES * 0x20) & !x;
        let quote = x ^ (LANES * u64::from(b'"'));
        let backslash = x ^ (LANES * u64::from(b'\\'));
        let flags = (control
            | (quote.wrapping_sub(LANES) & !quote)
            | (backslash.wrapping_sub(LANES) & !backslash))
            & HIGH;
        if flags != 0 {
            return Some(at + (flags.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|i| at + i)
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it.
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let mut rest = text.as_bytes();
    while let Some(at) = first_to_escape(rest) {
        let (run, tail) = rest.split_at(at);
        out.extend_from_slice(run);
        let Some((&byte, after)) = tail.split_first() else {
            break;
        };
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xf)]);
            }
        }
        rest = after;
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{EvidenceReport, FindingReport, InquiryReport};
    use callflow_workflows::{Code, Severity, Verdict};

    fn by_hand(text: &str) -> String {
        let mut out = Vec::new();
        string(&mut out, text);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        let samples = [
            "",
            "plain",
            "\"quoted\" and \\back\\slashed\\",
            "tab\tnew\nline\rcarriage\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "Grüße, café — 日本語 \u{1F600} with \"quotes\" after eight bytes",
            "exactly8",
            "0123456\"",
            every_ascii.as_str(),
        ];
        for text in samples {
            let expected = serde_json::to_string(text).expect("JSON");
            assert_eq!(by_hand(text), expected, "{text:?}");
        }
        // Every byte at every position within a chunk.
        for position in 0..17 {
            for byte in 0u8..=0x7f {
                let mut text = "x".repeat(position);
                text.push(char::from(byte));
                text.push_str("tail");
                let expected = serde_json::to_string(&text).expect("JSON");
                assert_eq!(by_hand(&text), expected, "{text:?}");
            }
        }
    }

    /// The hand-written call without its explanations, which serde's derive does not write.
    fn without_explanations(json: &[u8]) -> String {
        let text = String::from_utf8_lossy(json).into_owned();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(",\"explanation\":\"") {
            out.push_str(&rest[..at]);
            let string = &rest[at + ",\"explanation\":".len()..];
            // The string ends at the first unescaped quote after its opening one.
            let mut escaped = false;
            let mut close = 0;
            for (i, c) in string.char_indices().skip(1) {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        close = i;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &string[close + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn a_call_is_written_as_serde_json_writes_it() {
        let evidence = |line| EvidenceReport {
            line,
            timestamp: "2026-03-02T09:00:15-05:00".into(),
            expected: "the greeting script (adherence >= 70%)".into(),
            actual: "adherence 12%: \"Yeah hi.\\ What do you want?\"\n".into(),
        };
        let mut report = CallReport {
            call_id: "C-\"7\"".into(),
            agent_id: "sjones".into(),
            verdict: Verdict::Fail,
            score: 85,
            inquiries: vec![
                InquiryReport {
                    reason: "reward_email_missing".into(),
                    branch: Some("within_review"),
                    state: "explained",
                    line: 4,
                    procedure: Some("shopping_dollars"),
                    procedure_index: Some(0),
                },
                InquiryReport {
                    reason: "warranty_cancellation".into(),
                    branch: None,
                    state: "chat_open",
                    line: 9,
                    procedure: Some("paid_call"),
                    procedure_index: Some(1),
                },
            ],
            findings: vec![
                FindingReport {
                    code: Code::CF02,
                    severity: Severity::Minor,
                    line: 2,
                    message: "Script not followed: line 2.".into(),
                    timestamp: "2026-03-02T09:00:15-05:00".into(),
                    evidence: vec![evidence(2), evidence(7)],
                    inquiry: None,
                    overridden: None,
                },
                FindingReport {
                    code: Code::CF02,
                    severity: Severity::Minor,
                    line: 7,
                    message: "Script not followed: line 7.".into(),
                    timestamp: "2026-03-02T09:00:15-05:00".into(),
                    evidence: vec![evidence(7)],
                    inquiry: None,
                    // An overridden finding carries its mark, quotes and all.
                    overridden: Some(Box::new(crate::report::OverrideMark {
                        action: crate::report::OverrideAction::Remove,
                        reviewer: "R. \"Bob\" Diaz".into(),
                        date: "2026-03-09".into(),
                        reason: "line\nbreak".into(),
                    })),
                },
            ],
            first_line: 2,
            last_line: 18_446_744_073_709_551_615,
            started: chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00-05:00")
                .expect("a time"),
            call_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date"),
            policy: None,
            facts: callflow_workflows::Facts::default(),
            customer: Some("Pat Ives".into()),
            unchecked: vec![crate::report::UncheckedReport {
                code: Code::PC07,
                line: 12,
                timestamp: "2026-03-02T09:03:00-05:00".into(),
                why: "the quoted amount was redacted ([PII])".into(),
            }],
            complete: true,
            history: None,
            rendered: None,
            compared: None,
        };
        for round in 0..2 {
            let mut out = Vec::new();
            write_call(&report, None, &mut out);
            let expected = serde_json::to_vec(&report).expect("JSON");
            assert_eq!(
                without_explanations(&out),
                String::from_utf8_lossy(&expected)
            );
            // Every finding has its explanation, from the code's owner.
            let value: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
            for finding in value["findings"].as_array().expect("findings") {
                let explanation = finding["explanation"].as_str().expect("an explanation");
                assert!(
                    explanation.starts_with("Strayed from the script"),
                    "{explanation}"
                );
            }
            assert_eq!(value["started_at"], "2026-03-02T09:00:00-05:00");
            assert_eq!(value["call_date"], "2026-03-02");
            match round {
                0 => assert_eq!(value["unchecked"][0]["code"], "PC07"),
                _ => assert!(value.get("unchecked").is_none(), "{value}"),
            }
            // And with nothing in the lists (no `unchecked` key at all then).
            report.inquiries.clear();
            report.findings.clear();
            report.unchecked.clear();
            report.verdict = Verdict::Incomplete;
        }
    }

    #[test]
    fn times_and_dates_are_written_as_chrono_writes_them() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..20_000 {
            let offset = chrono::FixedOffset::east_opt(rng.i32(-86_399..86_400) / 60 * 60)
                .expect("an offset");
            let seconds = rng.i64(-70_000_000_000..260_000_000_000);
            let Some(utc) = chrono::DateTime::from_timestamp(seconds, 0) else {
                continue;
            };
            let at = utc.with_timezone(&offset);
            let mut out = Vec::new();
            timestamp(&mut out, &at);
            assert_eq!(String::from_utf8_lossy(&out), at.to_rfc3339());
            let mut out = Vec::new();
            date(&mut out, at.date_naive());
            assert_eq!(String::from_utf8_lossy(&out), at.date_naive().to_string());
        }
    }
}
