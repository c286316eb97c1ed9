//! Spreadsheet exports: one row per finding (`findings.csv`), or one row per call, passing
//! ones included (`--format calls-csv`).
//!
//! **No cell a spreadsheet would evaluate.** A text cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return (a call id `=HYPERLINK(...)` from a log, say) is neutralised as
//! OWASP advises for CSV injection: a single quote is put before it and the cell is quoted,
//! so that it shows as the text it is. Numeric columns (line, score, counts) are written by
//! the audit itself, never negative, and are never touched; a text column that holds a
//! negative number (a call id `-5`) is text and is neutralised like any other.
//!
//! Times: `timestamp` is the first instance's RFC 3339 stamp as the log wrote it; `local_date`
//! and `local_time` give it in the business time zone, as `2026-03-02` and `14:05:11`, which
//! spreadsheets read as a date and a time.

use std::io::{self, Write};

use callflow_workflows::Severity;

use super::order;
use crate::report::{AuditReport, CallReport, FindingReport};

/// The header of `findings.csv`: the seven columns it always had, then the ones added for
/// pivoting and reading (#16).
pub const HEADER: [&str; 17] = [
    "call_id",
    "agent_id",
    "code",
    "severity",
    "line",
    "timestamp",
    "message",
    "procedure",
    "reason",
    "branch",
    "verdict",
    "score",
    "expected",
    "actual",
    "local_date",
    "local_time",
    "explanation",
];

/// The header of the per-call CSV.
pub const CALLS_HEADER: [&str; 18] = [
    "call_id",
    "agent_id",
    "verdict",
    "score",
    "local_date",
    "local_time",
    "started_at",
    "procedures",
    "reasons",
    "branches",
    "findings",
    "critical",
    "major",
    "minor",
    "info",
    "codes",
    "first_line",
    "last_line",
];

/// Whether a text cell would be read as a formula (or could become one): it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return.
pub fn is_formula_like(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// One CSV row: text cells neutralised and quoted as needed, numbers as they are. Every CSV
/// callflow writes goes through it (findings, calls, review samples, calibration exports).
///
/// ```
/// use callflow_audit::render::csv::Row;
/// let mut out = Vec::new();
/// let mut row = Row::new();
/// row.text("=HYPERLINK(1)").number(7).text("a, b");
/// row.write(&mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "\"'=HYPERLINK(1)\",7,\"a, b\"\n");
/// ```
#[derive(Debug, Default)]
pub struct Row {
    line: String,
}

impl Row {
    /// An empty row.
    pub fn new() -> Row {
        Row {
            line: String::with_capacity(256),
        }
    }

    fn separator(&mut self) {
        if !self.line.is_empty() {
            self.line.push(',');
        }
    }

    /// A text cell: a formula-like one gets a leading `'` and quotes; one holding a `,`, a
    /// quote or a line break is quoted, its quotes doubled.
    pub fn text(&mut self, cell: &str) -> &mut Row {
        self.separator();
        let neutralise = is_formula_like(cell);
        let quote = neutralise || cell.contains([',', '"', '\n', '\r']);
        if quote {
            self.line.push('"');
            if neutralise {
                self.line.push('\'');
            }
            self.line.push_str(&cell.replace('"', "\"\""));
            self.line.push('"');
        } else {
            self.line.push_str(cell);
        }
        self
    }

    /// A number the audit wrote.
    pub fn number(&mut self, n: u64) -> &mut Row {
        self.separator();
        self.line.push_str(itoa::Buffer::new().format(n));
        self
    }

    /// Writes the row and a line break, and empties it for the next.
    pub fn write(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.line.push('\n');
        out.write_all(self.line.as_bytes())?;
        self.line.clear();
        Ok(())
    }
}

/// Writes a header row of column names.
pub fn header(out: &mut dyn Write, names: &[&str]) -> io::Result<()> {
    let mut row = Row::new();
    for name in names {
        row.text(name);
    }
    row.write(out)
}

/// Writes `findings.csv`: a header and one row per finding, the most severe first (then by
/// line). Passing calls with no finding have no row: see [`write_calls`].
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    header(out, &HEADER)?;
    let mut findings: Vec<(&CallReport, &FindingReport)> = report
        .calls
        .iter()
        .flat_map(|call| call.findings.iter().map(move |f| (call, f)))
        .collect();
    findings.sort_by_key(|(_, f)| f.severity_order());
    let mut row = Row::new();
    for (call, finding) in findings {
        let inquiry = finding.inquiry.and_then(|i| call.inquiries.get(i));
        let (expected, actual) = order::expected_actual(finding);
        let local = order::local_of(report, &finding.timestamp);
        row.text(&call.call_id)
            .text(&call.agent_id)
            .text(finding.code.as_str())
            .text(finding.severity.as_str())
            .number(finding.line)
            .text(&finding.timestamp)
            .text(&finding.message)
            .text(inquiry.and_then(|i| i.procedure).unwrap_or(""))
            .text(inquiry.map_or("", |i| i.reason.as_str()))
            .text(inquiry.and_then(|i| i.branch).unwrap_or(""))
            .text(call.verdict.as_str())
            .number(u64::from(call.score))
            .text(&expected)
            .text(&actual)
            .text(
                &local
                    .map(|t| t.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            )
            .text(
                &local
                    .map(|t| t.format("%H:%M:%S").to_string())
                    .unwrap_or_default(),
            )
            .text(&order::explanation(report, call, finding));
        row.write(out)?;
    }
    Ok(())
}

/// Writes the per-call CSV: a header and one row per call, in log order, passing calls
/// included (a pass rate pivots from it).
pub fn write_calls(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    header(out, &CALLS_HEADER)?;
    let mut row = Row::new();
    for call in &report.calls {
        let local = order::local(report, &call.started);
        let count = |severity: Severity| {
            call.findings
                .iter()
                .filter(|f| f.counts() && f.severity == severity)
                .count() as u64
        };
        let join = |items: Vec<&str>| items.join("; ");
        let codes: Vec<&str> = order::codes_by_severity(call)
            .into_iter()
            .map(|c| c.as_str())
            .collect();
        row.text(&call.call_id)
            .text(&call.agent_id)
            .text(call.verdict.as_str())
            .number(u64::from(call.score))
            .text(&local.format("%Y-%m-%d").to_string())
            .text(&local.format("%H:%M:%S").to_string())
            .text(&call.started.to_rfc3339())
            .text(&join(call.procedures()))
            .text(&join(
                call.inquiries.iter().map(|i| i.reason.as_str()).collect(),
            ))
            .text(&join(
                call.inquiries
                    .iter()
                    .map(|i| i.branch.unwrap_or(i.state))
                    .collect(),
            ))
            .number(call.findings.len() as u64)
            .number(count(Severity::Critical))
            .number(count(Severity::Major))
            .number(count(Severity::Minor))
            .number(count(Severity::Info))
            .text(&codes.join(" "))
            .number(call.first_line)
            .number(call.last_line);
        row.write(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised_and_quoted() {
        let mut row = Row::new();
        for cell in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-5",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "plain",
            "a,b",
            "say \"hi\"",
        ] {
            row.text(cell);
        }
        row.number(7);
        assert_eq!(
            row.line,
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+1\",\"'-5\",\"'@SUM(A1)\",\
             \"'\tx\",\"'\rx\",plain,\"a,b\",\"say \"\"hi\"\"\",7"
        );
    }
}
