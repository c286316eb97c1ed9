//! The JSON contract (`callflow-audit/1`, call-log-v1.md), written as a stream: the calls go out
//! one per line as they finish, and the rows, rejected rows and agents follow them.

use std::io::{self, Write};
use std::sync::Arc;

use callflow_workflows::{Engine, Rules, Verdict};
use serde::Serialize;

use crate::identity::PolicyIdentity;
use crate::pipeline::{CallSink, Totals};
use crate::report::{AgentTally, AuditReport, CallReport, FORMAT};

/// Writes a report as calls arrive. Keys: `format`, `policy`, `calls` (one per line), then
/// `rows`, `rejected`, `agents` and `log` (last: the log's hash is known once it was read to
/// the end).
///
/// Nothing is written before the first call (or [`JsonStream::finish`]): a run that stops
/// before any call, because the log turned out unusable, leaves its output untouched.
pub struct JsonStream<'w> {
    out: &'w mut dyn Write,
    /// Whether the opening (`{"format": ..., "calls": [`) is written.
    opened: bool,
    first: bool,
    agents: AgentTally,
    any_failed: bool,
    engine: Option<Arc<Engine>>,
    policy: PolicyIdentity,
}

impl<'w> JsonStream<'w> {
    /// A stream to `out`; calls not rendered where they were replayed are explained under
    /// the default rules (see [`JsonStream::with_engine`]).
    pub fn start(out: &'w mut dyn Write) -> io::Result<JsonStream<'w>> {
        Ok(JsonStream {
            out,
            opened: false,
            first: true,
            agents: AgentTally::default(),
            any_failed: false,
            engine: None,
            policy: PolicyIdentity::default(),
        })
    }

    /// The same stream, explaining the findings of calls it renders itself under the rules
    /// `engine` judged each call by (the policy version of its call date).
    pub fn with_engine(mut self, engine: Arc<Engine>) -> JsonStream<'w> {
        self.engine = Some(engine);
        self
    }

    /// The same stream, naming `policy` in the header.
    pub fn with_policy(mut self, policy: PolicyIdentity) -> JsonStream<'w> {
        self.policy = policy;
        self
    }

    fn open(&mut self) -> io::Result<()> {
        if !self.opened {
            write!(self.out, "{{\n  \"format\": \"{FORMAT}\",\n  \"policy\": ")?;
            serde_json::to_writer(&mut *self.out, &self.policy)?;
            write!(self.out, ",\n  \"calls\": [")?;
            self.opened = true;
        }
        Ok(())
    }

    /// Writes the rest of the report; returns whether any call failed.
    pub fn finish(mut self, totals: &Totals) -> io::Result<bool> {
        self.open()?;
        let out = self.out;
        write!(
            out,
            "{}],\n  \"rows\": ",
            if self.first { "" } else { "\n  " }
        )?;
        serde_json::to_writer(&mut *out, &totals.rows)?;
        write_list(out, "rejected", &totals.rejected)?;
        write_list(out, "agents", &self.agents.finish())?;
        write!(out, ",\n  \"log\": ")?;
        serde_json::to_writer(&mut *out, &totals.log)?;
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
        self.open()?;
        self.out
            .write_all(if self.first { b"\n    " } else { b",\n    " })?;
        self.first = false;
        match &report.rendered {
            Some(line) => self.out.write_all(line)?,
            None => {
                let mut line = Vec::with_capacity(256);
                let rules = self
                    .engine
                    .as_ref()
                    .map(|e| e.rules_on(report.call_date).1.as_ref());
                super::json_call::write_call(&report, rules, &mut line);
                self.out.write_all(&line)?;
            }
        }
        self.agents.add(&report);
        self.any_failed |= report.verdict == Verdict::Fail;
        Ok(())
    }
}

/// Writes a whole report, in the same layout as the stream.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut stream = JsonStream::start(out)?.with_policy(report.policy.clone());
    if let Some(engine) = &report.engine {
        stream = stream.with_engine(Arc::clone(&engine.0));
    }
    for call in &report.calls {
        stream.call(call.clone())?;
    }
    stream.finish(&Totals {
        rows: report.rows,
        rejected: report.rejected.clone(),
        log: report.log.clone(),
        calls_spilled: 0,
        finished_spilled: 0,
    })?;
    Ok(())
}

/// One call as the stream writes it (for rendering on a replay worker): the bytes
/// `serde_json::to_vec` gives, with each finding's explanation under `rules`, written by hand
/// (see `json_call`).
pub fn render_call(report: &CallReport, rules: &Rules) -> Vec<u8> {
    // Written into a buffer the thread keeps, then copied once at its size: no growing, and
    // the line's allocation is exactly what the stream holds until it writes it.
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<u8>, String)> =
            std::cell::RefCell::new((Vec::with_capacity(4096), String::with_capacity(512)));
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let (out, explanation) = &mut *scratch;
            out.clear();
            super::json_call::write_call_with(report, Some(rules), out, explanation);
            out.as_slice().to_vec()
        }
        Err(_) => {
            let mut out = Vec::with_capacity(1024);
            super::json_call::write_call(report, Some(rules), &mut out);
            out
        }
    })
}
