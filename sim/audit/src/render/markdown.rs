//! The summary plus per-call detail, in Markdown: what to coach on (critical first), info
//! findings apart, the agents, then the calls worth a look first (failed, most severe first;
//! incomplete), then the passing ones, each finding in plain words with expected and actual,
//! and, when the call's rows were kept, its transcript with the offending lines marked.

use std::io::{self, Write};

use callflow_workflows::Code;

use super::order::{self, agent_codes, ranked_codes};
use crate::history;
use crate::report::{AuditReport, CallReport};

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

fn codes_table(out: &mut dyn Write, codes: &[(Code, u64)]) -> io::Result<()> {
    writeln!(out, "| code | severity | calls | meaning |")?;
    writeln!(out, "|---|---|---:|---|")?;
    for (code, calls) in codes {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            code,
            code.severity(),
            calls,
            cell(code.description())
        )?;
    }
    writeln!(out)
}

/// Writes the Markdown report.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    writeln!(out, "# Audit of `{}`\n", report.source.replace('`', "'"))?;
    if let Some(period) = order::period(report) {
        writeln!(
            out,
            "- **Period:** {period}; times in business time ({})",
            order::tz_label(report)
        )?;
    }
    if let Some(versions) = order::policy_versions(report) {
        writeln!(out, "- **Policy versions:** {versions}")?;
    }
    writeln!(
        out,
        "- **Rows:** {} read, {} replayed, {} rejected",
        report.rows.read, report.rows.replayed, report.rows.rejected
    )?;
    writeln!(
        out,
        "- **Calls:** {} audited: {} pass, {} fail, {} incomplete (pass rate {:.1}%)",
        summary.calls,
        summary.passed,
        summary.failed,
        summary.incomplete,
        summary.pass_rate()
    )?;
    for note in &report.notes {
        writeln!(out, "- **Note:** {}", cell(note))?;
    }
    writeln!(out)?;

    let ranked = ranked_codes(report);
    if !ranked.coaching.is_empty() {
        writeln!(out, "## Findings by code, critical first\n")?;
        codes_table(out, &ranked.coaching)?;
    }
    if !ranked.documents.is_empty() {
        writeln!(out, "## About the documents (info, no penalty)\n")?;
        codes_table(out, &ranked.documents)?;
    }
    if !ranked.calls.is_empty() {
        writeln!(out, "## About the calls (info, no penalty)\n")?;
        codes_table(out, &ranked.calls)?;
    }

    if !report.agents.is_empty() {
        writeln!(out, "## Agents\n")?;
        writeln!(
            out,
            "| agent | calls | pass | fail | incomplete | critical | mean score | top finding |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---|")?;
        for a in &report.agents {
            let top = agent_codes(a)
                .coaching
                .first()
                .map(|(code, n)| format!("{code} {} ×{n}", code.severity()))
                .unwrap_or_else(|| "none".to_owned());
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {:.1} | {} |",
                cell(&a.agent_id),
                a.calls,
                a.passed,
                a.failed,
                a.incomplete,
                a.critical,
                a.mean_score,
                top
            )?;
        }
        writeln!(out)?;
    }

    let mut calls: Vec<&CallReport> = report.calls.iter().collect();
    calls.sort_by_key(|c| order::problem_key(c));
    if !calls.is_empty() {
        writeln!(
            out,
            "## Calls\n\nFailed calls first (the most severe first), then incomplete, then \
             passing ones; findings the most severe first.\n"
        )?;
    }
    let tz = order::tz(report);
    for call in calls {
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
            "Agent {}, {}, lines {}–{}; inquiries: {}\n",
            cell(&call.agent_id),
            order::local(report, &call.started).format("%a %-d %b %Y %H:%M:%S"),
            call.first_line,
            call.last_line,
            if inquiries.is_empty() {
                "none".to_owned()
            } else {
                cell(&inquiries.join(", "))
            }
        )?;
        if let Some(version) = order::call_version(report, call) {
            writeln!(out, "Judged under the {version}.\n")?;
        }
        if !call.unchecked.is_empty() {
            writeln!(
                out,
                "Not checked, a value being redacted in the transcript:\n"
            )?;
            for note in &call.unchecked {
                writeln!(out, "- {}", cell(&note.sentence()))?;
            }
            writeln!(out)?;
        }
        if call.findings.is_empty() {
            writeln!(out, "No findings.\n")?;
            continue;
        }
        writeln!(
            out,
            "| code | severity | lines | what happened | expected | actual |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for finding in call.findings_by_severity() {
            let (expected, actual) = order::expected_actual(finding);
            let lines: Vec<String> = finding
                .evidence
                .iter()
                .map(|e| e.line.to_string())
                .collect();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                finding.code,
                finding.severity,
                lines.join(", "),
                cell(&order::explanation(report, call, finding)),
                cell(&expected),
                cell(&actual)
            )?;
        }
        writeln!(out)?;
        let transcript = history::transcript(call, tz);
        if !transcript.is_empty() {
            writeln!(out, "Transcript (lines with a finding in bold):\n")?;
            writeln!(out, "| line | time | who | said or did | finding |")?;
            writeln!(out, "|---:|---|---|---|---|")?;
            for line in &transcript {
                let marks: Vec<String> = line
                    .findings
                    .iter()
                    .map(|(code, severity)| format!("⚠ {code} {severity}"))
                    .collect();
                let strong = |text: String| {
                    if line.flagged() {
                        format!("**{text}**")
                    } else {
                        text
                    }
                };
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    strong(line.line_cell()),
                    strong(cell(&line.time)),
                    strong(line.who.to_owned()),
                    strong(cell(&line.what())),
                    marks.join("<br>")
                )?;
            }
            writeln!(out)?;
        }
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
