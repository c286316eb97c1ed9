//! The JSON contract (`callflow-audit/1`, call-log-v1.md), written as a stream: the calls go out
//! one per line as they finish, and the rows, rejected rows and agents follow them.

use std::io::{self, Write};

use callflow_workflows::Verdict;
use serde::Serialize;

use crate::pipeline::{CallSink, Totals};
use crate::report::{AgentTally, AuditReport, CallReport, FORMAT};

/// Writes a report as calls arrive. Keys: `format`, `calls` (one per line), then `rows`,
/// `rejected` and `agents`.
pub struct JsonStream<'w> {
    out: &'w mut dyn Write,
    first: bool,
    agents: AgentTally,
    any_failed: bool,
}

impl<'w> JsonStream<'w> {
    /// Writes the opening of the report.
    pub fn start(out: &'w mut dyn Write) -> io::Result<JsonStream<'w>> {
        write!(out, "{{\n  \"format\": \"{FORMAT}\",\n  \"calls\": [")?;
        Ok(JsonStream {
            out,
            first: true,
            agents: AgentTally::default(),
            any_failed: false,
        })
    }

    /// Writes the rest of the report; returns whether any call failed.
    pub fn finish(self, totals: &Totals) -> io::Result<bool> {
        let out = self.out;
        write!(
            out,
            "{}],\n  \"rows\": ",
            if self.first { "" } else { "\n  " }
        )?;
        serde_json::to_writer(&mut *out, &totals.rows)?;
        write_list(out, "rejected", &totals.rejected)?;
        write_list(out, "agents", &self.agents.finish())?;
        writeln!(out, "\n}}")?;
        Ok(self.any_failed)
    }
}

fn write_list<T: Serialize>(out: &mut dyn Write, key: &str, items: &[T]) -> io::Result<()> {
    write!(out, ",\n  \"{key}\": [")?;
    for (i, item) in items.iter().enumerate() {
        write!(out, "{}\n    ", if i == 0 { "" } else { "," })?;
        serde_json::to_writer(&mut *out, item)?;
    }
    write!(out, "{}]", if items.is_empty() { "" } else { "\n  " })
}

impl CallSink for JsonStream<'_> {
    fn call(&mut self, report: CallReport) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"\n    " } else { b",\n    " })?;
        self.first = false;
        match &report.rendered {
            Some(line) => self.out.write_all(line)?,
            None => serde_json::to_writer(&mut *self.out, &report)?,
        }
        self.agents.add(&report);
        self.any_failed |= report.verdict == Verdict::Fail;
        Ok(())
    }
}

/// Writes a whole report, in the same layout as the stream.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut stream = JsonStream::start(out)?;
    for call in &report.calls {
        stream.call(call.clone())?;
    }
    stream.finish(&Totals {
        rows: report.rows,
        rejected: report.rejected.clone(),
    })?;
    Ok(())
}

/// One call as the stream writes it (for rendering on a replay worker): the bytes
/// `serde_json::to_vec` gives, written by hand (see `json_call`).
pub fn render_call(report: &CallReport) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    super::json_call::write_call(report, &mut out);
    out
}
