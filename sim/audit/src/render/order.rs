//! What every human rendering shares: rankings by severity first, info findings apart, the
//! order of the calls worth a look, and times in the business time zone.
//!
//! - Codes rank critical, major, minor, then by the number of calls raising them, then in the
//!   spec's order. Info codes are never ranked among them: they are listed apart, "about the
//!   documents" (a gap in a document, a reason none covers: [`Code::is_about_the_documents`])
//!   and "about the calls" (an incomplete call).
//! - An agent's top finding is the highest-ranked code among their calls', info excluded.
//! - Calls worth a look: failed ones first, the most severe first (then by line), then the
//!   incomplete ones by line.
//! - Times: the business time zone of the rules the audit ran under (the default rules'
//!   otherwise), named once with its offset; each time then shows without it.

use std::collections::BTreeMap;

use callflow_workflows::{Code, Severity, Verdict};
use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

use crate::report::{AgentReport, AuditReport, CallReport, FindingReport};

/// Codes with the number of calls raising each, split for readers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RankedCodes {
    /// Critical, major and minor codes, severity first, then most calls first.
    pub coaching: Vec<(Code, u64)>,
    /// Info codes about the documents.
    pub documents: Vec<(Code, u64)>,
    /// Other info codes: about the calls (an incomplete call).
    pub calls: Vec<(Code, u64)>,
}

/// Ranks code counts: severity first, then count, then the spec's order.
pub fn rank(codes: &BTreeMap<Code, u64>) -> RankedCodes {
    let mut all: Vec<(Code, u64)> = codes.iter().map(|(c, n)| (*c, *n)).collect();
    all.sort_by(|a, b| {
        a.0.severity()
            .cmp(&b.0.severity())
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let mut ranked = RankedCodes::default();
    for (code, n) in all {
        if code.severity() != Severity::Info {
            ranked.coaching.push((code, n));
        } else if code.is_about_the_documents() {
            ranked.documents.push((code, n));
        } else {
            ranked.calls.push((code, n));
        }
    }
    ranked
}

/// The report's codes (calls raising each), ranked.
pub fn ranked_codes(report: &AuditReport) -> RankedCodes {
    rank(&report.summary().codes)
}

/// An agent's codes ranked; the first coaching code is their top finding.
pub fn agent_codes(agent: &AgentReport) -> RankedCodes {
    rank(&agent.codes)
}

/// The calls worth a look: failed ones (most severe first, then by line), then incomplete
/// ones by line.
pub fn problem_calls(report: &AuditReport) -> Vec<&CallReport> {
    let mut calls: Vec<&CallReport> = report
        .calls
        .iter()
        .filter(|c| c.verdict != Verdict::Pass)
        .collect();
    calls.sort_by_key(|c| problem_key(c));
    calls
}

/// Where a call sorts among the calls worth a look.
pub fn problem_key(call: &CallReport) -> (u8, Severity, u64) {
    let group = match call.verdict {
        Verdict::Fail => 0,
        Verdict::Incomplete => 1,
        Verdict::Pass => 2,
    };
    let worst = if call.verdict == Verdict::Fail {
        call.worst().unwrap_or(Severity::Info)
    } else {
        Severity::Info
    };
    (group, worst, call.first_line)
}

/// A call's codes in severity order, each once: `CF02 CF04` (a finding a reviewer removed
/// left out).
pub fn codes_by_severity(call: &CallReport) -> Vec<Code> {
    let mut codes: Vec<Code> = Vec::new();
    for finding in call.findings_by_severity() {
        if finding.counts() && !codes.contains(&finding.code) {
            codes.push(finding.code);
        }
    }
    codes
}

/// The business time zone of the audit.
pub fn tz(report: &AuditReport) -> Tz {
    report
        .rules()
        .map_or(chrono_tz::America::New_York, |r| r.config().business_tz)
}

/// A time in the business time zone.
pub fn local(report: &AuditReport, at: &DateTime<FixedOffset>) -> DateTime<Tz> {
    at.with_timezone(&tz(report))
}

/// A time from an RFC 3339 text, in the business time zone (`None` when it is not one).
pub fn local_of(report: &AuditReport, rfc3339: &str) -> Option<DateTime<Tz>> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|at| local(report, &at))
}

/// `UTC-05:00`
fn offset_text(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The business time zone named once, with its offset over the log's calls:
/// `America/New_York, UTC-05:00` (or `UTC-05:00 to UTC-04:00` across a change of clocks).
pub fn tz_label(report: &AuditReport) -> String {
    let zone = tz(report);
    let offsets: Vec<FixedOffset> = {
        let mut seen: Vec<FixedOffset> = Vec::new();
        for call in &report.calls {
            let offset = zone
                .offset_from_utc_datetime(&call.started.naive_utc())
                .fix();
            if !seen.contains(&offset) {
                seen.push(offset);
            }
        }
        seen.sort_by_key(|o| o.local_minus_utc());
        seen
    };
    match offsets.as_slice() {
        [] => zone.name().to_owned(),
        [one] => format!("{}, {}", zone.name(), offset_text(*one)),
        [first, .., last] => format!(
            "{}, {} to {}",
            zone.name(),
            offset_text(*first),
            offset_text(*last)
        ),
    }
}

/// The log's span in words: `Mon 2 Mar 2026 to Wed 4 Mar 2026`, or one day.
pub fn period(report: &AuditReport) -> Option<String> {
    let (first, last) = report.date_range()?;
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    Some(if first == last {
        day(first)
    } else {
        format!("{} to {}", day(first), day(last))
    })
}

/// The policy versions the calls were judged under, with how many calls each, when the
/// policy has dated versions (`None` otherwise: every call under the one set of rules).
/// "base (before 2026-04-01): 12 calls; 2026-04-01: 30 calls".
pub fn policy_versions(report: &AuditReport) -> Option<String> {
    let first = *report.policy.versions.first()?;
    let mut counts: BTreeMap<Option<NaiveDate>, u64> = BTreeMap::new();
    for call in &report.calls {
        *counts.entry(call.policy).or_default() += 1;
    }
    let plural = |n: u64| if n == 1 { "call" } else { "calls" };
    let mut parts = Vec::new();
    let base = counts.get(&None).copied().unwrap_or(0);
    parts.push(format!("base (before {first}): {base} {}", plural(base)));
    for effective in &report.policy.versions {
        let n = counts.get(&Some(*effective)).copied().unwrap_or(0);
        parts.push(format!("{effective}: {n} {}", plural(n)));
    }
    Some(parts.join("; "))
}

/// The policy version a call was judged under, in words, when the policy has dated
/// versions.
pub fn call_version(report: &AuditReport, call: &CallReport) -> Option<String> {
    report.policy.versions.first()?;
    Some(match call.policy {
        Some(effective) => format!("policy version of {effective}"),
        None => "the policy's base rules".to_owned(),
    })
}

/// A finding in plain words, under the rules the call was judged under.
pub fn explanation(report: &AuditReport, call: &CallReport, finding: &FindingReport) -> String {
    call.explanation(finding, report.rules_for(call))
}

/// Expected against actual of each instance, joined: for one cell.
pub fn expected_actual(finding: &FindingReport) -> (String, String) {
    let mut expected: Vec<&str> = Vec::new();
    let mut actual: Vec<&str> = Vec::new();
    for e in &finding.evidence {
        if !expected.contains(&e.expected.as_str()) {
            expected.push(&e.expected);
        }
        if !actual.contains(&e.actual.as_str()) {
            actual.push(&e.actual);
        }
    }
    (expected.join("; "), actual.join("; "))
}

/// `1 call`, `100,000 calls`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `100000` as `100,000`.
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_codes_never_rank_among_the_others() {
        let mut codes = BTreeMap::new();
        codes.insert(Code::SD12, 608);
        codes.insert(Code::CF05, 40);
        codes.insert(Code::CF02, 9);
        codes.insert(Code::SD01, 115);
        codes.insert(Code::PC08, 300);
        codes.insert(Code::PC02, 2);
        let ranked = rank(&codes);
        assert_eq!(
            ranked.coaching,
            vec![
                (Code::SD01, 115),
                (Code::PC02, 2),
                (Code::PC08, 300),
                (Code::CF02, 9)
            ]
        );
        assert_eq!(ranked.documents, vec![(Code::SD12, 608)]);
        assert_eq!(ranked.calls, vec![(Code::CF05, 40)]);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0u64), "0");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(thousands(1000u64), "1,000");
        assert_eq!(thousands(100_000u64), "100,000");
    }
}
