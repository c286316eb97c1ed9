//! A comparison as text, Markdown, JSON or HTML.

use std::fmt::Write as _;

use super::ReportDiff;

/// The formats a diff is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// A summary to read on a terminal.
    Text,
    /// Markdown tables.
    Markdown,
    /// `callflow-diff/1` JSON.
    Json,
    /// One self-contained HTML page.
    Html,
}

/// Writes a diff in a format.
pub fn render(diff: &ReportDiff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Text => text(diff),
        DiffFormat::Markdown => markdown(diff),
        DiffFormat::Json => {
            let mut out = serde_json::to_string_pretty(diff).unwrap_or_default();
            out.push('\n');
            out
        }
        DiffFormat::Html => html(diff),
    }
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn codes(list: &[String]) -> String {
    if list.is_empty() {
        "-".to_owned()
    } else {
        list.join(" ")
    }
}

fn headline(diff: &ReportDiff) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(log) = &diff.log {
        lines.push(format!("log: {} (sha256 {:.12}...)", log.name, log.sha256));
    }
    if let (Some(a), Some(b)) = (&diff.policy_before, &diff.policy_after) {
        lines.push(format!("policy: {a:.12}... -> {b:.12}..."));
    }
    let [p0, f0, i0] = diff.verdicts_before;
    let [p1, f1, i1] = diff.verdicts_after;
    lines.push(format!(
        "calls: {} compared; pass {p0} -> {p1}, fail {f0} -> {f1}, incomplete {i0} -> {i1}",
        diff.calls
    ));
    lines.push(if diff.is_empty() {
        "no change".to_owned()
    } else {
        format!(
            "{} calls changed, {} agents moved",
            diff.changed.len(),
            diff.agents.len()
        )
    });
    for id in &diff.only_before {
        lines.push(format!("only before: {id}"));
    }
    for id in &diff.only_after {
        lines.push(format!("only after: {id}"));
    }
    lines
}

fn text(diff: &ReportDiff) -> String {
    let mut out = String::from("callflow diff\n");
    for line in headline(diff) {
        let _ = writeln!(out, "{line}");
    }
    if !diff.changed.is_empty() {
        let _ = writeln!(out, "\ncalls that changed:");
        for c in &diff.changed {
            let _ = writeln!(
                out,
                "  {} ({}): {} {} -> {} {}; added {}; removed {}",
                c.call_id,
                c.agent_id,
                c.verdict_before,
                c.score_before,
                c.verdict_after,
                c.score_after,
                codes(&c.added),
                codes(&c.removed)
            );
        }
    }
    if !diff.agents.is_empty() {
        let _ = writeln!(out, "\nagents that moved:");
        for a in &diff.agents {
            let _ = writeln!(
                out,
                "  {}: pass rate {} -> {}, mean score {:.1} -> {:.1} ({} calls)",
                a.agent_id,
                percent(a.pass_rate_before),
                percent(a.pass_rate_after),
                a.mean_score_before,
                a.mean_score_after,
                a.calls
            );
        }
    }
    let moved: Vec<_> = diff.codes.iter().filter(|c| c.before != c.after).collect();
    if !moved.is_empty() {
        let _ = writeln!(out, "\ncodes (calls raising each):");
        for c in moved {
            let _ = writeln!(out, "  {}: {} -> {}", c.code, c.before, c.after);
        }
    }
    out
}

fn markdown(diff: &ReportDiff) -> String {
    let mut out = String::from("# callflow diff\n\n");
    for line in headline(diff) {
        let _ = writeln!(out, "- {line}");
    }
    if !diff.changed.is_empty() {
        out.push_str("\n## Calls that changed\n\n| call | agent | before | after | added | removed |\n|---|---|---|---|---|---|\n");
        for c in &diff.changed {
            let _ = writeln!(
                out,
                "| {} | {} | {} {} | {} {} | {} | {} |",
                md(&c.call_id),
                md(&c.agent_id),
                c.verdict_before,
                c.score_before,
                c.verdict_after,
                c.score_after,
                codes(&c.added),
                codes(&c.removed)
            );
        }
    }
    if !diff.agents.is_empty() {
        out.push_str("\n## Agents that moved\n\n| agent | calls | pass rate | mean score |\n|---|---:|---|---|\n");
        for a in &diff.agents {
            let _ = writeln!(
                out,
                "| {} | {} | {} → {} | {:.1} → {:.1} |",
                md(&a.agent_id),
                a.calls,
                percent(a.pass_rate_before),
                percent(a.pass_rate_after),
                a.mean_score_before,
                a.mean_score_after
            );
        }
    }
    out.push_str("\n## Codes\n\n| code | calls before | calls after |\n|---|---:|---:|\n");
    for c in &diff.codes {
        let _ = writeln!(out, "| {} | {} | {} |", c.code, c.before, c.after);
    }
    out
}

/// Markdown table cell text: pipes escaped.
fn md(text: &str) -> String {
    text.replace('|', "\\|")
}

fn html(diff: &ReportDiff) -> String {
    let e = crate::render::escape_html_text;
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>callflow diff</title>\n<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}.up{color:#0a6d2c}.down{color:#b00020}.wrap{overflow-x:auto}</style>\n</head><body>\n<h1>callflow diff</h1>\n<ul>\n",
    );
    for line in headline(diff) {
        let _ = writeln!(out, "<li>{}</li>", e(&line));
    }
    out.push_str("</ul>\n");
    if !diff.changed.is_empty() {
        out.push_str("<h2>Calls that changed</h2><div class=\"wrap\"><table><tr><th>call</th><th>agent</th><th>before</th><th>after</th><th>added</th><th>removed</th></tr>\n");
        for c in &diff.changed {
            let class = if c.score_after < c.score_before {
                "down"
            } else {
                "up"
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{} {}</td><td class=\"{class}\">{} {}</td><td>{}</td><td>{}</td></tr>",
                e(&c.call_id),
                e(&c.agent_id),
                c.verdict_before,
                c.score_before,
                c.verdict_after,
                c.score_after,
                e(&codes(&c.added)),
                e(&codes(&c.removed))
            );
        }
        out.push_str("</table></div>\n");
    }
    if !diff.agents.is_empty() {
        out.push_str("<h2>Agents that moved</h2><div class=\"wrap\"><table><tr><th>agent</th><th>calls</th><th>pass rate</th><th>mean score</th></tr>\n");
        for a in &diff.agents {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{:.1} → {:.1}</td></tr>",
                e(&a.agent_id),
                a.calls,
                percent(a.pass_rate_before),
                percent(a.pass_rate_after),
                a.mean_score_before,
                a.mean_score_after
            );
        }
        out.push_str("</table></div>\n");
    }
    out.push_str("<h2>Codes</h2><div class=\"wrap\"><table><tr><th>code</th><th>calls before</th><th>calls after</th></tr>\n");
    for c in &diff.codes {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&c.code),
            c.before,
            c.after
        );
    }
    out.push_str("</table></div>\n</body></html>\n");
    out
}
