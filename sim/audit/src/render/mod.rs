//! Renderings of an [`AuditReport`]: a text summary for a terminal, the JSON contract, one CSV
//! row per finding, Markdown with per-call detail, and a self-contained HTML page with charts.

use std::io::{self, Write};

use crate::report::AuditReport;

mod charts;
pub mod csv;
pub mod html;
pub mod json;
mod json_call;
pub mod markdown;
pub mod text;

/// An output format of `callflow audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The 30-second summary.
    Text,
    /// The `callflow-audit/1` contract.
    Json,
    /// One row per finding.
    Csv,
    /// The summary plus per-call detail.
    Markdown,
    /// One self-contained HTML page: headline, charts, agent scorecard, failed and incomplete
    /// calls with their evidence, rejected rows.
    Html,
}

/// Writes the report in a format.
pub fn render(report: &AuditReport, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, out),
        Format::Json => json::write(report, out),
        Format::Csv => csv::write(report, out),
        Format::Markdown => markdown::write(report, out),
        Format::Html => html::write(report, out),
    }
}

/// How many findings codes the summaries list.
pub const TOP_FINDINGS: usize = 8;

/// Escapes text for HTML (a text node or a quoted attribute).
pub(crate) fn escape_html_text(text: &str) -> String {
    charts::escape(text)
}

/// The codes raised most often (by calls), most first, then by code.
pub(crate) fn top_codes(report: &AuditReport) -> Vec<(callflow_workflows::Code, u64)> {
    let mut codes: Vec<_> = report.summary().codes.into_iter().collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    codes
}
