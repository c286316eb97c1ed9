//! The JSON contract (`callflow-audit/1`, call-log-v1.md).

use std::io::{self, Write};

use crate::report::AuditReport;

/// Writes the report as one pretty-printed JSON object and a newline.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
