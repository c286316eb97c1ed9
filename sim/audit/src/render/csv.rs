//! One CSV row per finding, for spreadsheets.

use std::io::{self, Write};

use crate::report::AuditReport;

/// The header row.
pub const HEADER: [&str; 7] = [
    "call_id",
    "agent_id",
    "code",
    "severity",
    "line",
    "timestamp",
    "message",
];

/// Writes a header and one row per finding, calls in log order.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for call in &report.calls {
        for finding in &call.findings {
            writer.write_record([
                call.call_id.as_str(),
                call.agent_id.as_str(),
                finding.code.as_str(),
                finding.severity.as_str(),
                &finding.line.to_string(),
                &finding.timestamp,
                &finding.message,
            ])?;
        }
    }
    writer.flush()
}
