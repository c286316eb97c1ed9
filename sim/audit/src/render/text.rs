//! The summary a QA lead reads in 30 seconds: the figures, what to coach on (critical first),
//! the info findings apart, each agent's row, the failed calls with their findings in plain
//! words, and the calls with a check that could not be made (a redacted value).

use std::io::{self, Write};

use callflow_workflows::Verdict;

use super::order::{self, agent_codes, problem_calls, ranked_codes};
use super::TOP_FINDINGS;
use crate::report::AuditReport;

/// How many rejected rows the summary lists before "... and N more".
const REJECTED_SHOWN: usize = 10;
/// How many failed calls the summary lists.
const FAILED_SHOWN: usize = 10;

/// Writes the summary.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    writeln!(out, "callflow audit of {}", report.source)?;
    if let Some(period) = order::period(report) {
        writeln!(
            out,
            "period: {period}; times in business time ({})",
            order::tz_label(report)
        )?;
    }
    if let Some(versions) = order::policy_versions(report) {
        writeln!(out, "policy versions: {versions}")?;
    }
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
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }

    let ranked = ranked_codes(report);
    let line = |out: &mut dyn Write, code: &callflow_workflows::Code, calls: u64| {
        writeln!(
            out,
            "  {:<5} {:<8} {:>5}  {}",
            code.as_str(),
            code.severity().as_str(),
            calls,
            code.description()
        )
    };
    if !ranked.coaching.is_empty() {
        writeln!(
            out,
            "\ntop findings (calls raising each code; critical first)"
        )?;
        for (code, calls) in ranked.coaching.iter().take(TOP_FINDINGS) {
            line(out, code, *calls)?;
        }
        if ranked.coaching.len() > TOP_FINDINGS {
            writeln!(
                out,
                "  ... and {} more codes",
                ranked.coaching.len() - TOP_FINDINGS
            )?;
        }
    }
    if !ranked.documents.is_empty() {
        writeln!(out, "\nabout the documents (info, no penalty)")?;
        for (code, calls) in &ranked.documents {
            line(out, code, *calls)?;
        }
    }
    if !ranked.calls.is_empty() {
        writeln!(out, "\nabout the calls (info, no penalty)")?;
        for (code, calls) in &ranked.calls {
            line(out, code, *calls)?;
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
            "  {:<width$}  {:>5}  {:>4}  {:>4}  {:>10}  {:>8}  {:>10}  top finding",
            "agent", "calls", "pass", "fail", "incomplete", "critical", "mean score"
        )?;
        for agent in &report.agents {
            let top = agent_codes(agent)
                .coaching
                .first()
                .map(|(code, n)| format!("{code} {} x{n}", code.severity()))
                .unwrap_or_else(|| "-".to_owned());
            writeln!(
                out,
                "  {:<width$}  {:>5}  {:>4}  {:>4}  {:>10}  {:>8}  {:>10.1}  {}",
                agent.agent_id,
                agent.calls,
                agent.passed,
                agent.failed,
                agent.incomplete,
                agent.critical,
                agent.mean_score,
                top
            )?;
        }
    }

    let failed: Vec<_> = problem_calls(report)
        .into_iter()
        .filter(|c| c.verdict == Verdict::Fail)
        .collect();
    if !failed.is_empty() {
        writeln!(out, "\nfailed calls (most severe first)")?;
        for call in failed.iter().take(FAILED_SHOWN) {
            let codes: Vec<&str> = order::codes_by_severity(call)
                .into_iter()
                .map(|c| c.as_str())
                .collect();
            writeln!(
                out,
                "  {} ({}, {}, line {}): score {}, {}",
                call.call_id,
                call.agent_id,
                order::local(report, &call.started).format("%a %-d %b %H:%M"),
                call.first_line,
                call.score,
                codes.join(" ")
            )?;
            for finding in call.findings_by_severity() {
                let lines = finding.lines();
                writeln!(
                    out,
                    "    {} {} (line{} {}): {}",
                    finding.code,
                    finding.severity,
                    if lines.contains(',') { "s" } else { "" },
                    lines,
                    order::explanation(report, call, finding)
                )?;
            }
        }
        if failed.len() > FAILED_SHOWN {
            writeln!(out, "  ... and {} more", failed.len() - FAILED_SHOWN)?;
        }
    }

    let unchecked: Vec<_> = report
        .calls
        .iter()
        .filter(|c| !c.unchecked.is_empty())
        .collect();
    if !unchecked.is_empty() {
        writeln!(
            out,
            "\nnot checked (a value the check rests on was redacted in the transcript)"
        )?;
        for call in unchecked {
            writeln!(out, "  {} (line {}):", call.call_id, call.first_line)?;
            for note in &call.unchecked {
                writeln!(out, "    {}", note.sentence())?;
            }
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
