//! Finished calls waiting to go out: the report lists calls in the order of their first
//! lines, so a call that finishes waits until every call that started before it has finished.
//! One call left open early in a log holds every later call; past a budget, the waiting calls
//! that go out last wait on disk instead ([`Waiting::with_budget`]), and what stays in memory
//! for each is its place (about 40 bytes) rather than its report (about a kilobyte).
//!
//! Only a call rendered where it was replayed (the JSON stream's line) and holding nothing
//! else but its summary can wait on disk: its line, its ids, its verdict and score, its dates
//! and its account facts are written and read back whole. A call with its rows, its findings
//! or a comparison kept for the sink (the reports made at the end, which hold every call
//! anyway) waits in memory.

use std::collections::BTreeMap;
use std::io;

use callflow_workflows::{Facts, Verdict};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use crate::report::CallReport;
use crate::spill::SpillFile;

/// What a waiting report takes in memory besides its strings and its line: the report itself
/// and its box, and its share of the map (measured by `size_of`, rounded up).
const REPORT_BYTES: u64 = 320;

/// The finished calls waiting to go out, in memory up to a budget and on disk past it.
#[derive(Default)]
pub(crate) struct Waiting {
    /// Boxed: the map's nodes then shift pointers, not whole reports.
    memory: BTreeMap<u64, Box<CallReport>>,
    /// What the reports in memory take, as [`footprint`] counts them.
    memory_bytes: u64,
    /// The reports on disk, by first line: where each is.
    on_disk: BTreeMap<u64, (u64, u32)>,
    file: Option<SpillFile>,
    /// Bytes the reports in memory may take; `None`: no limit.
    budget: Option<u64>,
    record: Vec<u8>,
    /// Reports written to disk.
    spilled: u64,
}

/// What a report takes in memory, roughly.
fn footprint(report: &CallReport) -> u64 {
    let rendered = report.rendered.as_ref().map_or(0, Vec::capacity);
    REPORT_BYTES + (report.call_id.len() + report.agent_id.len() + rendered) as u64
}

/// Whether a report can wait on disk: rendered, with nothing beside its summary.
fn spillable(report: &CallReport) -> bool {
    report.rendered.is_some()
        && report.history.is_none()
        && report.compared.is_none()
        && report.findings.is_empty()
        && report.inquiries.is_empty()
        && report.unchecked.is_empty()
}

impl Waiting {
    /// Waiting calls that may take `budget` bytes in memory before the last to go out wait on
    /// disk.
    pub(crate) fn with_budget(budget: u64) -> Waiting {
        Waiting {
            budget: Some(budget),
            ..Waiting::default()
        }
    }

    /// Reports written to disk so far.
    pub(crate) fn spilled(&self) -> u64 {
        self.spilled
    }

    /// A call finished. Fails only when the spill file cannot be created or written.
    pub(crate) fn add(&mut self, report: CallReport) -> io::Result<()> {
        self.memory_bytes += footprint(&report);
        self.memory.insert(report.first_line, Box::new(report));
        match self.budget {
            Some(budget) if self.memory_bytes > budget => self.make_room(budget / 2),
            _ => Ok(()),
        }
    }

    /// Moves the reports that go out last to disk until those in memory take `room` bytes
    /// or fewer (or none left can move).
    fn make_room(&mut self, room: u64) -> io::Result<()> {
        let moving: Vec<u64> = {
            let mut bytes = self.memory_bytes;
            self.memory
                .iter()
                .rev()
                .filter(|(_, report)| spillable(report))
                .take_while(|(_, report)| {
                    let over = bytes > room;
                    bytes = bytes.saturating_sub(footprint(report));
                    over
                })
                .map(|(line, _)| *line)
                .collect()
        };
        if moving.is_empty() {
            // Nothing can move: keep the budget from being checked again at every call.
            self.budget = self.budget.map(|budget| budget.max(self.memory_bytes * 2));
            return Ok(());
        }
        if self.file.is_none() {
            self.file = Some(SpillFile::create()?);
        }
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        for line in moving {
            let Some(report) = self.memory.remove(&line) else {
                continue;
            };
            self.memory_bytes = self.memory_bytes.saturating_sub(footprint(&report));
            self.record.clear();
            encode(&report, &mut self.record)?;
            let len = u32::try_from(self.record.len())
                .map_err(|_| io::Error::other("a finished call's record is over 4 GiB"))?;
            let offset = file.append(&self.record)?;
            self.on_disk.insert(line, (offset, len));
            self.spilled += 1;
        }
        Ok(())
    }

    /// The waiting call with the earliest first line, if that line is before `low` (read back
    /// from disk when it waits there). Fails when a call on disk cannot be read back.
    pub(crate) fn pop_before(&mut self, low: u64) -> io::Result<Option<CallReport>> {
        let in_memory = self.memory.first_key_value().map(|(line, _)| *line);
        let on_disk = self.on_disk.first_key_value().map(|(line, _)| *line);
        let from_disk = match (in_memory, on_disk) {
            (_, Some(disk)) if disk < low && in_memory.is_none_or(|memory| disk < memory) => true,
            (Some(memory), _) if memory < low => false,
            _ => return Ok(None),
        };
        if !from_disk {
            let Some((_, report)) = self.memory.pop_first() else {
                return Ok(None);
            };
            self.memory_bytes = self.memory_bytes.saturating_sub(footprint(&report));
            return Ok(Some(*report));
        }
        let Some((_, (offset, len))) = self.on_disk.pop_first() else {
            return Ok(None);
        };
        let Some(file) = self.file.as_mut() else {
            return Err(io::Error::other("the spill file is gone"));
        };
        file.read(offset, len, &mut self.record)?;
        file.release(len);
        decode(&self.record).map(Some)
    }
}

/// Writes a report that can wait on disk (see [`spillable`]).
fn encode(report: &CallReport, out: &mut Vec<u8>) -> io::Result<()> {
    let facts = serde_json::to_vec(&report.facts).map_err(io::Error::other)?;
    out.extend_from_slice(&report.first_line.to_le_bytes());
    out.extend_from_slice(&report.last_line.to_le_bytes());
    out.extend_from_slice(&report.score.to_le_bytes());
    out.push(match report.verdict {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
        Verdict::Incomplete => 2,
    });
    out.push(u8::from(report.complete));
    out.extend_from_slice(&report.call_date.num_days_from_ce().to_le_bytes());
    match report.policy {
        Some(date) => {
            out.push(1);
            out.extend_from_slice(&date.num_days_from_ce().to_le_bytes());
        }
        None => out.push(0),
    }
    out.extend_from_slice(&report.started.timestamp().to_le_bytes());
    out.extend_from_slice(&report.started.timestamp_subsec_nanos().to_le_bytes());
    out.extend_from_slice(&report.started.offset().local_minus_utc().to_le_bytes());
    put(out, report.call_id.as_bytes())?;
    put(out, report.agent_id.as_bytes())?;
    match &report.customer {
        Some(name) => {
            out.push(1);
            put(out, name.as_bytes())?;
        }
        None => out.push(0),
    }
    put(out, &facts)?;
    put(out, report.rendered.as_deref().unwrap_or_default())
}

/// Appends `bytes` after their length.
fn put(out: &mut Vec<u8>, bytes: &[u8]) -> io::Result<()> {
    let len = u32::try_from(bytes.len()).map_err(|_| io::Error::other("a field over 4 GiB"))?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

/// Reads back what [`encode`] wrote.
fn decode(bytes: &[u8]) -> io::Result<CallReport> {
    let mut at = Reader { bytes, at: 0 };
    let first_line = u64::from_le_bytes(at.array()?);
    let last_line = u64::from_le_bytes(at.array()?);
    let score = u32::from_le_bytes(at.array()?);
    let verdict = match at.byte()? {
        0 => Verdict::Pass,
        1 => Verdict::Fail,
        2 => Verdict::Incomplete,
        other => return Err(invalid(format!("verdict {other}"))),
    };
    let complete = at.byte()? == 1;
    let call_date = at.date()?;
    let policy = match at.byte()? {
        1 => Some(at.date()?),
        _ => None,
    };
    let seconds = i64::from_le_bytes(at.array()?);
    let nanos = u32::from_le_bytes(at.array()?);
    let offset = i32::from_le_bytes(at.array()?);
    let offset = FixedOffset::east_opt(offset).ok_or_else(|| invalid("offset".to_owned()))?;
    let started = DateTime::from_timestamp(seconds, nanos)
        .ok_or_else(|| invalid("start".to_owned()))?
        .with_timezone(&offset);
    let call_id = at.text()?;
    let agent_id = at.text()?;
    let customer = match at.byte()? {
        1 => Some(at.text()?),
        _ => None,
    };
    let facts: Facts = serde_json::from_slice(at.field()?).map_err(io::Error::other)?;
    let rendered = at.field()?.to_vec();
    Ok(CallReport {
        call_id,
        agent_id,
        verdict,
        score,
        inquiries: Vec::new(),
        findings: Vec::new(),
        first_line,
        last_line,
        started,
        call_date,
        policy,
        unchecked: Vec::new(),
        facts,
        customer,
        complete,
        history: None,
        rendered: Some(rendered),
        compared: None,
    })
}

fn invalid(what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("a finished call read back from disk has a bad {what}"),
    )
}

/// Reads the fields of a record in turn.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> io::Result<&'a [u8]> {
        let taken = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or_else(|| invalid("length".to_owned()))?;
        self.at += len;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        self.take(N)?
            .try_into()
            .map_err(|_| invalid("length".to_owned()))
    }

    fn byte(&mut self) -> io::Result<u8> {
        let [byte] = self.array::<1>()?;
        Ok(byte)
    }

    fn date(&mut self) -> io::Result<NaiveDate> {
        let days = i32::from_le_bytes(self.array()?);
        NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| invalid("date".to_owned()))
    }

    fn field(&mut self) -> io::Result<&'a [u8]> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        self.take(len)
    }

    fn text(&mut self) -> io::Result<String> {
        String::from_utf8(self.field()?.to_vec()).map_err(|_| invalid("text".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use callflow_workflows::Engine;

    use super::*;
    use crate::pipeline::{audit_into, AuditOptions};
    use crate::reader::LogReader;
    use crate::render::json::render_call;

    /// The bundled sample's calls, rendered where replayed as the JSON stream asks.
    fn rendered_calls() -> Vec<CallReport> {
        let log = include_str!("../../data/sample.csv");
        let reader = LogReader::new(log.as_bytes(), "sample.csv").expect("a header");
        let options = AuditOptions {
            render: Some(render_call),
            memory_limit: None,
            ..AuditOptions::default()
        };
        let mut calls = Vec::new();
        audit_into(reader, Arc::new(Engine::builtin()), options, &mut calls).expect("an audit");
        calls
    }

    #[test]
    fn a_rendered_call_reads_back_from_disk_as_it_was_written() {
        let calls = rendered_calls();
        assert!(calls.len() >= 30);
        for call in calls {
            assert!(spillable(&call), "{}", call.call_id);
            let mut record = Vec::new();
            encode(&call, &mut record).expect("encoded");
            assert_eq!(decode(&record).expect("decoded"), call);
            // A record cut anywhere is an error, never a panic.
            for cut in [0, 1, 20, record.len() / 2, record.len() - 1] {
                assert!(decode(&record[..cut]).is_err());
            }
        }
    }

    #[test]
    fn calls_waiting_past_the_budget_go_out_in_order_from_memory_and_disk() {
        let calls = rendered_calls();
        // Added last first: every call waits for the earlier ones.
        let mut waiting = Waiting::with_budget(2_000);
        for call in calls.iter().rev() {
            waiting.add(call.clone()).expect("added");
        }
        assert!(waiting.spilled() > 10, "{} on disk", waiting.spilled());
        assert!(waiting.memory_bytes <= 2_000 + 2 * 1_000);
        let first_lines: Vec<u64> = calls.iter().map(|call| call.first_line).collect();
        // Nothing before the first call's line; then all, in order.
        assert_eq!(waiting.pop_before(first_lines[0]).expect("read"), None);
        let mut out = Vec::new();
        while let Some(call) = waiting.pop_before(u64::MAX).expect("read") {
            out.push(call);
        }
        assert_eq!(out, calls);
    }
}
