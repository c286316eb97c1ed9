//! The history of each historical call as it happened (its rows), kept on request while the
//! call is open, and its transcript: who said or did what, when (business time), with the
//! lines the findings point at marked, and the findings in plain words.
//!
//! [`transcript`] gives a call's lines for any rendering (Markdown, HTML); [`render`] writes
//! one call's transcript file and [`index`] the list of them (`callflow audit
//! --transcripts DIR`).

use std::fmt::Write as _;

use callflow_workflows::vocab::lookup_event;
use callflow_workflows::{Code, Rules, Severity};
use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use rustc_hash::FxHashMap;

use crate::reader::Row;
use crate::report::CallReport;

/// One row of a call, as the log wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// 1-based line.
    pub line: u64,
    /// The timestamp as written.
    pub timestamp: String,
    /// The event name.
    pub event: String,
    /// The value.
    pub value: String,
    /// The words said.
    pub text: String,
    /// Who said it, for an utterance read as no step (`audit --turns`, #19): such a row is
    /// no row of the log (`line` 0, `event` and `value` empty), kept for the transcript.
    pub no_step: Option<&'static str>,
}

impl HistoryRow {
    fn of(row: &Row<'_>) -> HistoryRow {
        HistoryRow {
            line: row.line,
            timestamp: row.timestamp.to_owned(),
            event: row.event.to_owned(),
            value: row.value.to_owned(),
            text: row.text.to_owned(),
            no_step: None,
        }
    }

    /// An utterance read as no step: `who` said `text` at `timestamp`.
    pub fn no_step(timestamp: &str, who: &'static str, text: &str) -> HistoryRow {
        HistoryRow {
            line: 0,
            timestamp: timestamp.to_owned(),
            event: String::new(),
            value: String::new(),
            text: text.to_owned(),
            no_step: Some(who),
        }
    }
}

/// Puts utterances read as no step ([`HistoryRow::no_step`]) among a call's rows in time
/// order: each after the rows at or before its instant (a timestamp that does not parse goes
/// last). `rows` are in the log's order, which a tagged log writes in time order.
///
/// ```
/// use callflow_audit::history::{merge_no_step, HistoryRow};
/// let row = |line, at: &str, event: &str| HistoryRow {
///     line, timestamp: at.into(), event: event.into(), value: String::new(),
///     text: String::new(), no_step: None,
/// };
/// let mut rows = vec![row(2, "2026-03-02T10:00:00-05:00", "call_started"),
///                     row(3, "2026-03-02T10:00:05-05:00", "greeting")];
/// merge_no_step(&mut rows, vec![HistoryRow::no_step("2026-03-02T15:00:03Z", "customer", "um hello?")]);
/// let order: Vec<u64> = rows.iter().map(|r| r.line).collect();
/// assert_eq!(order, [2, 0, 3]);
/// ```
pub fn merge_no_step(rows: &mut Vec<HistoryRow>, heard: Vec<HistoryRow>) {
    if heard.is_empty() {
        return;
    }
    let instant = |row: &HistoryRow| DateTime::parse_from_rfc3339(&row.timestamp).ok();
    let mut merged = Vec::with_capacity(rows.len() + heard.len());
    let mut logged = std::mem::take(rows).into_iter().peekable();
    for utterance in heard {
        let at = instant(&utterance);
        while let Some(next) = logged.peek() {
            let before = match (instant(next), at) {
                (Some(row), Some(at)) => row <= at,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            if !before {
                break;
            }
            merged.extend(logged.next());
        }
        merged.push(utterance);
    }
    merged.extend(logged);
    *rows = merged;
}

/// The rows of the calls still open, by call id.
#[derive(Debug, Default)]
pub struct Histories(FxHashMap<Box<str>, Vec<HistoryRow>>);

impl Histories {
    /// Keeps a replayed row.
    pub fn keep(&mut self, row: &Row<'_>) {
        match self.0.get_mut(row.call_id) {
            Some(rows) => rows.push(HistoryRow::of(row)),
            None => {
                self.0.insert(row.call_id.into(), vec![HistoryRow::of(row)]);
            }
        }
    }

    /// Gives a finished call its rows.
    pub fn attach(&mut self, report: &mut CallReport) {
        report.history = self.0.remove(report.call_id.as_str());
    }
}

/// A file name for a call id: letters, digits, `-` and `_` kept, anything else `_`.
pub fn file_name(call_id: &str) -> String {
    let stem: String = call_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}.md", if stem.is_empty() { "call" } else { &stem })
}

/// The transcript file names of a run (`audit --transcripts DIR`), given out in the order calls
/// are written: [`file_name`], with `-2`, `-3` ... when two call ids make the same name.
///
/// ```
/// use callflow_audit::history::TranscriptNames;
/// let mut names = TranscriptNames::default();
/// assert_eq!(names.take("C/1"), "C_1.md");
/// assert_eq!(names.take("C:1"), "C_1-2.md");
/// ```
#[derive(Debug, Clone, Default)]
pub struct TranscriptNames(std::collections::HashSet<String>);

impl TranscriptNames {
    /// The name of the next call's transcript.
    pub fn take(&mut self, call_id: &str) -> String {
        let base = file_name(call_id);
        let mut name = base.clone();
        let mut n = 1;
        while !self.0.insert(name.clone()) {
            n += 1;
            name = format!("{}-{n}.md", base.trim_end_matches(".md"));
        }
        name
    }
}

/// One line of a call's transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptLine<'a> {
    /// The log line.
    pub line: u64,
    /// When, in the business time zone (`14:05:11`; the stamp as written when it is not
    /// RFC 3339).
    pub time: String,
    /// When, as the log wrote it (`None` when the stamp is not RFC 3339).
    pub at: Option<DateTime<FixedOffset>>,
    /// Who: `agent`, `customer`, `system`, `partner` (the event's speaker), or `?` for an
    /// event no procedure declares.
    pub who: &'static str,
    /// The event name.
    pub event: &'a str,
    /// Its value.
    pub value: &'a str,
    /// The words said, if any.
    pub said: &'a str,
    /// The findings whose evidence points at this line, most severe first.
    pub findings: Vec<(Code, Severity)>,
    /// Whether this is an utterance read as no step (no row of the log; `line` 0).
    pub no_step: bool,
}

impl TranscriptLine<'_> {
    /// The line as the transcript tables show it: the log line, or `–` for an utterance read
    /// as no step.
    pub fn line_cell(&self) -> String {
        if self.no_step {
            "\u{2013}".to_owned()
        } else {
            self.line.to_string()
        }
    }

    /// What was said or done, in one cell: `greeting: "Thank you for calling..."`, or
    /// `no step: "one moment please"`.
    pub fn what(&self) -> String {
        if self.no_step {
            return format!("no step: \u{201c}{}\u{201d}", self.said);
        }
        let event = self.event.replace('_', " ");
        match (self.value.is_empty(), self.said.is_empty()) {
            (true, true) => event,
            (false, true) => format!("{event}: {}", self.value),
            (true, false) => format!("{event}: \u{201c}{}\u{201d}", self.said),
            (false, false) => format!("{event} {}: \u{201c}{}\u{201d}", self.value, self.said),
        }
    }

    /// Whether a finding points at this line.
    pub fn flagged(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// The business time zone of `rules` (the default rules' otherwise).
pub fn business_tz(rules: Option<&Rules>) -> Tz {
    rules.map_or(chrono_tz::America::New_York, |r| r.config().business_tz)
}

/// A call's transcript from its kept rows (empty when they were not kept), times in `tz`.
pub fn transcript(call: &CallReport, tz: Tz) -> Vec<TranscriptLine<'_>> {
    let rows = call.history.as_deref().unwrap_or_default();
    rows.iter()
        .map(|row| {
            let mut findings: Vec<(Code, Severity)> = call
                .findings
                .iter()
                .filter(|f| f.evidence.iter().any(|e| e.line == row.line))
                .map(|f| (f.code, f.severity))
                .collect();
            findings.sort_by_key(|(code, severity)| (*severity, *code));
            findings.dedup();
            let at = DateTime::parse_from_rfc3339(&row.timestamp).ok();
            TranscriptLine {
                line: row.line,
                time: at.map_or_else(
                    || row.timestamp.clone(),
                    |at| at.with_timezone(&tz).format("%H:%M:%S").to_string(),
                ),
                at,
                who: row.no_step.unwrap_or_else(|| {
                    lookup_event(&row.event).map_or("?", |e| e.speaker().as_str())
                }),
                event: &row.event,
                value: &row.value,
                said: &row.text,
                findings: if row.no_step.is_some() {
                    Vec::new()
                } else {
                    findings
                },
                no_step: row.no_step.is_some(),
            }
        })
        .collect()
}

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// `Mon 2 Mar 2026, 14:05:11 to 14:09:40 business time (America/New_York, UTC-05:00)`.
fn when(call: &CallReport, tz: Tz) -> String {
    let start = call.started.with_timezone(&tz);
    let end = call
        .history
        .as_deref()
        .and_then(|rows| rows.last())
        .and_then(|row| DateTime::parse_from_rfc3339(&row.timestamp).ok())
        .map(|at| at.with_timezone(&tz));
    let offset = start.format("%:z").to_string();
    format!(
        "{}, {}{} business time ({}, UTC{offset})",
        start.format("%a %-d %b %Y"),
        start.format("%H:%M:%S"),
        end.map(|e| format!(" to {}", e.format("%H:%M:%S")))
            .unwrap_or_default(),
        tz.name()
    )
}

/// The call's transcript as it happened (Markdown): who it was, its findings in plain words
/// (most severe first, with expected and actual), and each row with the lines the findings
/// point at in bold, marked with their codes.
pub fn render(report: &CallReport, rules: Option<&Rules>) -> String {
    let tz = business_tz(rules);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Call {}: {}, score {}\n",
        cell(&report.call_id),
        report.verdict,
        report.score
    );
    let _ = writeln!(
        out,
        "- Agent {}{}",
        cell(&report.agent_id),
        report
            .customer
            .as_deref()
            .map(|c| format!("; customer {}", cell(c)))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "- {}", when(report, tz));
    let _ = writeln!(
        out,
        "- Lines {} to {} of the log",
        report.first_line, report.last_line
    );
    for inquiry in &report.inquiries {
        let _ = writeln!(
            out,
            "- Inquiry `{}` at line {}: {}{}",
            cell(&inquiry.reason).replace('`', "'"),
            inquiry.line,
            inquiry.branch.unwrap_or(inquiry.state),
            inquiry
                .procedure
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        );
    }
    if report.findings.is_empty() {
        let _ = writeln!(out, "\nNo findings.");
    } else {
        let _ = writeln!(out, "\n## Findings, most severe first\n");
        for (i, finding) in report.findings_by_severity().into_iter().enumerate() {
            let lines: Vec<String> = finding
                .evidence
                .iter()
                .map(|e| e.line.to_string())
                .collect();
            let _ = writeln!(
                out,
                "{}. **{} {}** (line {}): {}",
                i + 1,
                finding.code,
                finding.severity,
                lines.join(", "),
                cell(&report.explanation(finding, rules))
            );
            for e in &finding.evidence {
                let _ = writeln!(
                    out,
                    "   - line {}: expected {}; actual: {}",
                    e.line,
                    cell(&e.expected),
                    cell(&e.actual)
                );
            }
        }
    }
    let lines = transcript(report, tz);
    let _ = writeln!(out, "\n## Transcript\n");
    if lines.is_empty() {
        let _ = writeln!(out, "The call's rows were not kept.");
    } else {
        let _ = writeln!(out, "| line | time | who | said or did | finding |");
        let _ = writeln!(out, "|---:|---|---|---|---|");
        for line in &lines {
            let marks: Vec<String> = line
                .findings
                .iter()
                .map(|(code, severity)| format!("⚠ **{code}** {severity}"))
                .collect();
            let bold = |text: String| {
                if line.flagged() && !text.is_empty() {
                    format!("**{text}**")
                } else {
                    text
                }
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                bold(line.line_cell()),
                bold(cell(&line.time)),
                bold(line.who.to_owned()),
                bold(cell(&line.what())),
                marks.join("<br>")
            );
        }
    }
    let elsewhere: Vec<String> = report
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(move |e| (f, e)))
        .filter(|(_, e)| !lines.iter().any(|l| l.line == e.line))
        .map(|(f, e)| {
            format!(
                "- line {}: **{}**: expected {}; actual: {}",
                e.line,
                f.code,
                cell(&e.expected),
                cell(&e.actual)
            )
        })
        .collect();
    if !lines.is_empty() && !elsewhere.is_empty() {
        let _ = writeln!(out, "\nFindings on lines not in this call's rows:\n");
        for line in elsewhere {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// One call listed in the transcripts' index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The call id.
    pub call_id: String,
    /// The transcript's file name in the folder.
    pub file: String,
    /// `fail`, `incomplete`, `pass`.
    pub verdict: callflow_workflows::Verdict,
    /// The score.
    pub score: u32,
    /// The agent.
    pub agent_id: String,
    /// Its codes, most severe first.
    pub codes: Vec<Code>,
    /// Where it sorts: failed (most severe first), incomplete, passing; then by line.
    pub key: (u8, Severity, u64),
    /// When it started, in business time.
    pub started: String,
}

impl IndexEntry {
    /// The entry of a call whose transcript is `file`.
    pub fn of(call: &CallReport, file: String, rules: Option<&Rules>) -> IndexEntry {
        let mut codes: Vec<Code> = Vec::new();
        for finding in call.findings_by_severity() {
            if !codes.contains(&finding.code) {
                codes.push(finding.code);
            }
        }
        IndexEntry {
            call_id: call.call_id.clone(),
            file,
            verdict: call.verdict,
            score: call.score,
            agent_id: call.agent_id.clone(),
            codes,
            key: crate::render::order::problem_key(call),
            started: call
                .started
                .with_timezone(&business_tz(rules))
                .format("%a %-d %b %Y %H:%M")
                .to_string(),
        }
    }
}

/// The transcripts' `index.md`: every call transcribed, failed first (most severe first),
/// then incomplete, then passing, each linking to its file with its verdict, agent and codes.
/// `audited` is how many calls the log had; `all` whether every call was transcribed.
pub fn index(source: &str, mut entries: Vec<IndexEntry>, audited: u64, all: bool) -> String {
    entries.sort_by_key(|e| e.key);
    let mut out = String::new();
    let _ = writeln!(out, "# Transcripts of {}\n", cell(source));
    let _ = writeln!(
        out,
        "{} of {} calls transcribed: {}. Failed calls first, the most severe first; then \
         incomplete ones{}.\n",
        entries.len(),
        audited,
        if all {
            "every call (--all)"
        } else {
            "the failed and incomplete ones (--all writes every call)"
        },
        if all { "; then passing ones" } else { "" }
    );
    if entries.is_empty() {
        let _ = writeln!(out, "No call to transcribe: every call passed.");
        return out;
    }
    let _ = writeln!(out, "| call | verdict | score | agent | codes | started |");
    let _ = writeln!(out, "|---|---|---:|---|---|---|");
    for entry in &entries {
        let codes: Vec<&str> = entry.codes.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            out,
            "| [{}]({}) | {} | {} | {} | {} | {} |",
            cell(&entry.call_id).replace(['[', ']'], "_"),
            entry.file,
            entry.verdict,
            entry.score,
            cell(&entry.agent_id),
            if codes.is_empty() {
                "-".to_owned()
            } else {
                codes.join(" ")
            },
            entry.started
        );
    }
    out
}
