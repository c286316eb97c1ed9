//! The history of each historical call as it happened (its rows), kept on request while the
//! call is open, and its transcript with the audit's findings beside the lines they concern.

use std::fmt::Write as _;

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
}

impl HistoryRow {
    fn of(row: &Row<'_>) -> HistoryRow {
        HistoryRow {
            line: row.line,
            timestamp: row.timestamp.to_owned(),
            event: row.event.to_owned(),
            value: row.value.to_owned(),
            text: row.text.to_owned(),
        }
    }
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

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The call's transcript as it happened (Markdown): each row, and beside it every finding
/// whose evidence points at that line.
pub fn render(report: &CallReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Call {}\n", cell(&report.call_id));
    let _ = writeln!(
        out,
        "- Agent {}; verdict **{}**, score {}; lines {} to {}",
        cell(&report.agent_id),
        report.verdict,
        report.score,
        report.first_line,
        report.last_line
    );
    for inquiry in &report.inquiries {
        let _ = writeln!(
            out,
            "- Inquiry `{}` at line {}: {}",
            cell(&inquiry.reason),
            inquiry.line,
            inquiry.branch.unwrap_or(inquiry.state)
        );
    }
    let _ = writeln!(out, "\n| line | time | event | value | said | findings |");
    let _ = writeln!(out, "|---:|---|---|---|---|---|");
    let rows = report.history.as_deref().unwrap_or_default();
    for row in rows {
        let mut beside = Vec::new();
        for finding in &report.findings {
            for e in finding.evidence.iter().filter(|e| e.line == row.line) {
                beside.push(format!(
                    "**{}** ({}): expected {}, got {}",
                    finding.code, finding.severity, e.expected, e.actual
                ));
            }
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.line,
            cell(&row.timestamp),
            cell(&row.event),
            cell(&row.value),
            cell(&row.text),
            cell(&beside.join("<br>"))
        );
    }
    let elsewhere: Vec<String> = report
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(move |e| (f, e)))
        .filter(|(_, e)| !rows.iter().any(|r| r.line == e.line))
        .map(|(f, e)| {
            format!(
                "- line {}: **{}**: expected {}, got {}",
                e.line, f.code, e.expected, e.actual
            )
        })
        .collect();
    if !elsewhere.is_empty() {
        let _ = writeln!(out, "\nFindings on lines not in this call's rows:\n");
        for line in elsewhere {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}
