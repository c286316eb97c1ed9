//! The summary a QA lead reads in 30 seconds.

use std::io::{self, Write};

use callflow_workflows::Verdict;

use super::{top_codes, TOP_FINDINGS};
use crate::report::AuditReport;

/// How many rejected rows the summary lists before "... and N more".
const REJECTED_SHOWN: usize = 10;
/// How many failed calls the summary lists.
const FAILED_SHOWN: usize = 10;

/// Writes the summary.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    writeln!(out, "callflow audit of {}", report.source)?;
    writeln!(
        out,
        "rows: {} read, {} replayed, {} rejected",
        report.rows.read, report.rows.replayed, report.rows.rejected
    )?;
    writeln!(
        out,
        "calls: {} audited: {} pass, {} fail, {} incomplete (pass rate {:.1}%)",
        summary.calls,
        summary.passed,
        summary.failed,
        summary.incomplete,
        summary.pass_rate()
    )?;

    let top = top_codes(report);
    if !top.is_empty() {
        writeln!(out, "\ntop findings (calls raising each code)")?;
        for (code, calls) in top.iter().take(TOP_FINDINGS) {
            writeln!(
                out,
                "  {:<5} {:<8} {:>5}  {}",
                code.as_str(),
                code.severity().as_str(),
                calls,
                code.description()
            )?;
        }
    }

    if !report.agents.is_empty() {
        let width = report
            .agents
            .iter()
            .map(|a| a.agent_id.chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        writeln!(out, "\nagents")?;
        writeln!(
            out,
            "  {:<width$}  {:>5}  {:>4}  {:>4}  {:>10}  {:>10}  top finding",
            "agent", "calls", "pass", "fail", "incomplete", "mean score"
        )?;
        for agent in &report.agents {
            let top = agent
                .codes
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(code, n)| format!("{code} x{n}"))
                .unwrap_or_else(|| "-".to_owned());
            writeln!(
                out,
                "  {:<width$}  {:>5}  {:>4}  {:>4}  {:>10}  {:>10.1}  {}",
                agent.agent_id,
                agent.calls,
                agent.passed,
                agent.failed,
                agent.incomplete,
                agent.mean_score,
                top
            )?;
        }
    }

    let failed: Vec<_> = report
        .calls
        .iter()
        .filter(|c| c.verdict == Verdict::Fail)
        .collect();
    if !failed.is_empty() {
        writeln!(out, "\nfailed calls")?;
        for call in failed.iter().take(FAILED_SHOWN) {
            let codes: Vec<&str> = call.findings.iter().map(|f| f.code.as_str()).collect();
            writeln!(
                out,
                "  {} ({}, line {}): score {}, {}",
                call.call_id,
                call.agent_id,
                call.first_line,
                call.score,
                codes.join(" ")
            )?;
        }
        if failed.len() > FAILED_SHOWN {
            writeln!(out, "  ... and {} more", failed.len() - FAILED_SHOWN)?;
        }
    }

    if !report.rejected.is_empty() {
        writeln!(out, "\nrejected rows")?;
        for row in report.rejected.iter().take(REJECTED_SHOWN) {
            let call = if row.call_id.is_empty() {
                String::new()
            } else {
                format!(" {}", row.call_id)
            };
            writeln!(out, "  line {}{}: {}", row.line, call, row.reason)?;
        }
        if report.rejected.len() > REJECTED_SHOWN {
            writeln!(
                out,
                "  ... and {} more",
                report.rejected.len() - REJECTED_SHOWN
            )?;
        }
    }
    Ok(())
}
