//! The summary plus per-call detail, in Markdown.

use std::io::{self, Write};

use super::top_codes;
use crate::report::AuditReport;

/// Escapes the characters that would break a Markdown table cell or start markup.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '`' | '<' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Writes the Markdown report.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    writeln!(out, "# Audit of `{}`\n", report.source.replace('`', "'"))?;
    writeln!(
        out,
        "- **Rows:** {} read, {} replayed, {} rejected",
        report.rows.read, report.rows.replayed, report.rows.rejected
    )?;
    writeln!(
        out,
        "- **Calls:** {} audited: {} pass, {} fail, {} incomplete (pass rate {:.1}%)\n",
        summary.calls,
        summary.passed,
        summary.failed,
        summary.incomplete,
        summary.pass_rate()
    )?;

    let top = top_codes(report);
    if !top.is_empty() {
        writeln!(out, "## Findings by code\n")?;
        writeln!(out, "| code | severity | calls | meaning |")?;
        writeln!(out, "|---|---|---:|---|")?;
        for (code, calls) in &top {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                code,
                code.severity(),
                calls,
                cell(code.description())
            )?;
        }
        writeln!(out)?;
    }

    if !report.agents.is_empty() {
        writeln!(out, "## Agents\n")?;
        writeln!(
            out,
            "| agent | calls | pass | fail | incomplete | mean score |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---:|---:|")?;
        for a in &report.agents {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:.1} |",
                cell(&a.agent_id),
                a.calls,
                a.passed,
                a.failed,
                a.incomplete,
                a.mean_score
            )?;
        }
        writeln!(out)?;
    }

    if !report.calls.is_empty() {
        writeln!(out, "## Calls\n")?;
    }
    for call in &report.calls {
        let inquiries: Vec<String> = call
            .inquiries
            .iter()
            .map(|i| match i.branch {
                Some(branch) => format!("{} ({branch})", i.reason),
                None => i.reason.clone(),
            })
            .collect();
        writeln!(
            out,
            "### {} — {} ({})\n",
            cell(&call.call_id),
            call.verdict,
            call.score
        )?;
        writeln!(
            out,
            "Agent {}, lines {}–{}; inquiries: {}\n",
            cell(&call.agent_id),
            call.first_line,
            call.last_line,
            if inquiries.is_empty() {
                "none".to_owned()
            } else {
                cell(&inquiries.join(", "))
            }
        )?;
        if call.findings.is_empty() {
            writeln!(out, "No findings.\n")?;
            continue;
        }
        writeln!(out, "| code | severity | line | expected | actual |")?;
        writeln!(out, "|---|---|---:|---|---|")?;
        for finding in &call.findings {
            for e in &finding.evidence {
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    finding.code,
                    finding.severity,
                    e.line,
                    cell(&e.expected),
                    cell(&e.actual)
                )?;
            }
        }
        writeln!(out)?;
    }

    if !report.rejected.is_empty() {
        writeln!(out, "## Rejected rows\n")?;
        writeln!(out, "| line | call | reason |")?;
        writeln!(out, "|---:|---|---|")?;
        for row in &report.rejected {
            writeln!(
                out,
                "| {} | {} | {} |",
                row.line,
                cell(&row.call_id),
                cell(&row.reason)
            )?;
        }
    }
    Ok(())
}
