//! Replay: each row becomes a typed event fed to its call's machines. Every row ends replayed
//! or rejected with its line and a reason naming the bad value.
//!
//! Memory grows with the calls open at once, not with the log: a call leaves the table when it
//! ends, and only a hash of its id (and, while it is recent, its end line) is kept, to reject
//! late rows and reused ids ([`crate::ended`]). Under a memory limit
//! ([`Replayer::with_memory_limit`]) the open calls idle longest wait on disk
//! (`open_calls.rs`), so not even a log whose calls never end can exhaust memory.

use std::io::Read;
use std::sync::Arc;

use callflow_workflows::vocab::{is_blank, Quoted};
use callflow_workflows::{Call, CallStart, Engine, Event, Stamp, Step};

use crate::diff::{CallDigest, Compared};
use crate::ended::EndedCalls;
use crate::error::Error;
use crate::memory::MemoryLimit;
use crate::open_calls::{Closing, OpenCall, OpenCalls};
use crate::reader::{BadRow, LogReader, Row};
use crate::rejection::RejectKind;
use crate::report::{AuditReport, CallReport, Rejected, RowCounts};
use crate::timestamp::Timestamps;

/// Replays rows into calls.
pub struct Replayer {
    engine: Arc<Engine>,
    open: OpenCalls,
    ended: EndedCalls,
    rows: RowCounts,
    /// Calls started: `call_started` rows replayed, each of which opened a call.
    started: u64,
    rejected: Vec<Rejected>,
    timestamps: Timestamps,
    /// The engine each call is also replayed under, for a what-if (`audit --compare`).
    shadow: Option<Arc<Engine>>,
    /// The last look at the earliest open call ([`Replayer::earliest_open_line`]).
    earliest: Option<EarliestOpen>,
    /// The line of the last row fed.
    last_line: u64,
}

/// What [`Replayer::earliest_open_line`] found last time.
#[derive(Debug, Clone, Copy)]
struct EarliestOpen {
    /// Rows fed when it looked.
    fed: u64,
    /// No call then open started before this line.
    bound: u64,
}

impl Replayer {
    /// A replayer with no calls yet, replaying under `engine`'s procedures and rules.
    pub fn new(engine: Arc<Engine>) -> Replayer {
        Replayer {
            open: OpenCalls::new(Arc::clone(&engine)),
            engine,
            ended: EndedCalls::default(),
            rows: RowCounts::default(),
            started: 0,
            rejected: Vec::new(),
            timestamps: Timestamps::default(),
            shadow: None,
            earliest: None,
            last_line: 0,
        }
    }

    /// The same replayer, also replaying every call under `other` (the policy compared
    /// against): each call's report then carries both judgements
    /// ([`CallReport::compared`]). The rows are taken or rejected as `engine` decides; the
    /// two engines must share their procedures (two policies of one build).
    pub fn comparing(mut self, other: Arc<Engine>) -> Replayer {
        self.open = self.open.comparing(Arc::clone(&other));
        self.shadow = Some(other);
        self
    }

    /// The same replayer, keeping its open calls within `limit`: past it, the calls idle
    /// longest move to a spill file (in `TMPDIR`) and come back when a row of theirs arrives.
    /// The reports are the same as without a limit. Call it before the first row.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use callflow_audit::{memory::MemoryLimit, LogReader, Replayer};
    /// let engine = Arc::new(callflow_workflows::Engine::builtin());
    /// // No room at all: every call waits on disk while another one's row is replayed.
    /// let mut replayer = Replayer::new(engine).with_memory_limit(MemoryLimit::from_bytes(0));
    /// let log = "call_id,timestamp,agent_id,event,value,text\n\
    ///            C-1,2026-03-02T14:05:11-05:00,sjones,call_started,Rewards,\n\
    ///            C-2,2026-03-02T14:05:12-05:00,adiaz,call_started,Rewards,\n\
    ///            C-1,2026-03-02T14:05:13-05:00,,greeting,,\n";
    /// let mut reader = LogReader::new(log.as_bytes(), "example.csv").unwrap();
    /// while let Some(row) = reader.next_row().unwrap() {
    ///     assert!(replayer.feed(row).is_none());
    /// }
    /// assert!(replayer.calls_spilled() >= 2);
    /// let (reports, rows, _) = replayer.finish().unwrap();
    /// assert_eq!(rows.replayed, 3);
    /// // The calls still open, judged in the order they started.
    /// let ids: Vec<&str> = reports.iter().map(|r| r.call_id.as_str()).collect();
    /// assert_eq!(ids, ["C-1", "C-2"]);
    /// ```
    pub fn with_memory_limit(mut self, limit: MemoryLimit) -> Replayer {
        self.open = std::mem::replace(&mut self.open, OpenCalls::new(Arc::clone(&self.engine)))
            .with_budget(limit.bytes());
        self
    }

    /// The engine calls are replayed under.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Row counts so far.
    pub fn rows(&self) -> RowCounts {
        self.rows
    }

    /// Calls started so far (`call_started` rows replayed): each gives one report, when it
    /// ends or at [`Replayer::finish`].
    pub fn calls_started(&self) -> u64 {
        self.started
    }

    /// Calls open now (in memory and on disk).
    pub fn open_calls(&self) -> usize {
        self.open.len()
    }

    /// Calls moved to disk so far under the memory limit (a call moved twice counts twice).
    pub fn calls_spilled(&self) -> u64 {
        self.open.spills()
    }

    /// A line no call still open starts before, if any call may be open: every call that
    /// ends from now on starts at or after it. Exact when few calls are open; with many, the
    /// value of an earlier look while fewer rows than open calls were fed since (calls open
    /// in line order, so an earlier earliest is never later than today's): the look costs
    /// one pass over the open calls, and this keeps it to one row in each.
    pub fn earliest_open_line(&mut self) -> Option<u64> {
        let open = self.open.len() as u64;
        if let Some(earlier) = self.earliest {
            if self.rows.read < earlier.fed + open {
                return Some(earlier.bound);
            }
        }
        let exact = self.open.earliest_first_line();
        self.earliest = Some(EarliestOpen {
            fed: self.rows.read,
            // No call open now: those opened later start after the last row fed.
            bound: exact.unwrap_or(self.last_line + 1),
        });
        exact
    }

    fn reject(&mut self, line: u64, call_id: &str, (kind, reason): (RejectKind, String)) {
        self.rows.rejected += 1;
        self.rejected.push(Rejected {
            line,
            call_id: call_id.to_owned(),
            reason,
            kind,
        });
    }

    /// Feeds one row as the reader gave it. Returns the report of the call this row ended.
    pub fn feed(&mut self, row: Result<Row<'_>, BadRow<'_>>) -> Option<CallReport> {
        self.rows.read += 1;
        let row = match row {
            Ok(row) => row,
            Err(bad) => {
                self.last_line = bad.line;
                self.reject(bad.line, bad.call_id, (bad.kind, bad.reason));
                return None;
            }
        };
        self.last_line = row.line;
        match self.replay(&row) {
            Ok(None) => {
                self.rows.replayed += 1;
                None
            }
            Ok(Some(ended)) => {
                self.rows.replayed += 1;
                Some(report_of(*ended))
            }
            Err(reason) => {
                self.reject(row.line, row.call_id, reason);
                None
            }
        }
    }

    /// Replays a row; returns the call it ended, if any (a pointer, not the report: most rows
    /// end nothing, and a report returned through every row's result is copied every time).
    fn replay(&mut self, row: &Row<'_>) -> Result<Option<Box<OpenCall>>, (RejectKind, String)> {
        if is_blank(row.call_id) {
            return Err((
                RejectKind::CallId,
                if row.call_id.is_empty() {
                    "empty call_id".to_owned()
                } else {
                    format!(
                        "blank call_id {}: a call id needs a visible character",
                        Quoted(row.call_id)
                    )
                },
            ));
        }
        let at = self
            .timestamps
            .parse(row.timestamp)
            .map_err(|e| bad_timestamp(row.timestamp, &e))?;
        let name = self.engine.lookup(row.event).ok_or_else(|| {
            (
                RejectKind::UnknownEvent,
                format!("unknown event {}", Quoted(row.event)),
            )
        })?;
        let event = self
            .engine
            .parse(name, row.value)
            .map_err(|e| (RejectKind::BadValue, format!("{name}: {e}")))?;
        let stamp = Stamp { line: row.line, at };
        if let Event::CallStarted { department } = event {
            return self.start(row, department, stamp).map(|()| None);
        }
        let Some(open) = self.open.get_mut(row.call_id) else {
            if let Some(why) = self.open.failure() {
                return Err((RejectKind::Other, format!("internal: {why}")));
            }
            return Err(match self.ended.get(row.call_id, row.line) {
                Some(end) => (
                    RejectKind::AfterEnd,
                    format!(
                        "call {} ended {end}; rows after call_ended are rejected",
                        Quoted(row.call_id)
                    ),
                ),
                None => (
                    RejectKind::NeverStarted,
                    format!(
                        "call {} was never started (no call_started before this row)",
                        Quoted(row.call_id)
                    ),
                ),
            });
        };
        let step = Step {
            stamp,
            event,
            text: Some(row.text).filter(|t| !t.is_empty()),
            agent_id: Some(row.agent_id).filter(|a| !a.is_empty()),
        };
        open.touched = row.line;
        open.call.feed(&step).map_err(|e| {
            let kind = match e {
                callflow_workflows::Error::BackInTime { .. } => RejectKind::BackInTime,
                callflow_workflows::Error::AfterEnd { .. } => RejectKind::AfterEnd,
                callflow_workflows::Error::AlreadyStarted { .. } => RejectKind::Duplicate,
                _ => RejectKind::Other,
            };
            (kind, e.to_string())
        })?;
        if let Some(shadow) = open.shadow.as_mut() {
            // The row was taken; the frame's checks (time order, the end) are the policy's
            // neither, so the shadow takes it too.
            let _taken = shadow.feed(&step);
        }
        if !open.call.is_over() {
            return Ok(None);
        }
        let (id, open) = self
            .open
            .remove(row.call_id)
            .ok_or_else(|| (RejectKind::Other, "internal: the call vanished".to_owned()))?;
        self.ended.insert(&id, row.line);
        Ok(Some(open))
    }

    fn start(
        &mut self,
        row: &Row<'_>,
        department: &str,
        stamp: Stamp,
    ) -> Result<(), (RejectKind, String)> {
        if let Some(first_line) = self.open.first_line_of(row.call_id) {
            return Err((
                RejectKind::Duplicate,
                format!(
                    "duplicate call_started: call {} already started at line {first_line}",
                    Quoted(row.call_id),
                ),
            ));
        }
        if let Some(end) = self.ended.get(row.call_id, row.line) {
            return Err((
                RejectKind::Duplicate,
                format!(
                    "duplicate call_started: call {} already ran and ended {end}; call ids are unique per log",
                    Quoted(row.call_id)
                ),
            ));
        }
        if is_blank(row.agent_id) {
            return Err((
                RejectKind::NoAgent,
                "call_started needs an agent_id".to_owned(),
            ));
        }
        let start = |engine: &Arc<Engine>| {
            Call::start(
                engine,
                CallStart {
                    call_id: row.call_id,
                    agent_id: row.agent_id,
                    department,
                    agent_name: None,
                    stamp,
                },
            )
            .map_err(|e| (RejectKind::Other, e.to_string()))
        };
        let call = start(&self.engine)?;
        let shadow = match &self.shadow {
            Some(engine) => Some(Box::new(start(engine)?)),
            None => None,
        };
        self.open.insert(
            row.call_id,
            OpenCall {
                call,
                first_line: row.line,
                touched: row.line,
                shadow,
            },
        );
        self.started += 1;
        Ok(())
    }

    /// The log is over: every call still open is judged incomplete. Returns their reports, in
    /// the order of their first lines, the row counts and the rejected rows; fails when a call
    /// could not be kept on disk or read back from it ([`Error::Spill`]).
    ///
    /// [`Replayer::close`] gives the same calls one at a time.
    pub fn finish(self) -> Result<(Vec<CallReport>, RowCounts, Vec<Rejected>), Error> {
        let (closing, rows, rejected) = self.close()?;
        let reports = closing.collect::<Result<Vec<_>, _>>()?;
        Ok((reports, rows, rejected))
    }

    /// The log is over: the calls still open, judged incomplete one at a time in the order of
    /// their first lines (those on disk read back as their turn comes), the row counts and the
    /// rejected rows. Fails when the spill file failed during the replay ([`Error::Spill`]).
    pub fn close(self) -> Result<(StillOpen, RowCounts, Vec<Rejected>), Error> {
        if let Some(why) = self.open.failure() {
            return Err(Error::Spill {
                cause: why.to_owned(),
            });
        }
        let closing = self.open.close();
        Ok((StillOpen { closing }, self.rows, self.rejected))
    }
}

/// The calls still open at the end of a log, judged one at a time in the order of their
/// first lines ([`Replayer::close`]).
pub struct StillOpen {
    closing: Closing,
}

impl StillOpen {
    /// Calls left to judge.
    pub fn remaining(&self) -> usize {
        self.closing.len()
    }
}

impl Iterator for StillOpen {
    type Item = Result<CallReport, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let open = self.closing.next()?;
        Some(
            open.map(|mut open| {
                open.call.finish();
                if let Some(shadow) = open.shadow.as_mut() {
                    shadow.finish();
                }
                report_of(*open)
            })
            .map_err(|cause| Error::Spill { cause }),
        )
    }
}

/// The report of a call that is over, with its judgement under the compared engine when it
/// was replayed under one too.
fn report_of(open: OpenCall) -> CallReport {
    let mut report = CallReport::of(&open.call, open.first_line);
    if let Some(shadow) = open.shadow {
        let before = CallReport::of(&shadow, open.first_line);
        report.compared = Some(Box::new(Compared {
            before: CallDigest::of(&before),
            after: CallDigest::of(&report),
        }));
    }
    report
}

/// Why a timestamp is rejected, naming the two mistakes exports make most: a US date
/// (`03/02/2026 2:05 PM`) and a time without its offset (`2026-03-02T14:05:11`).
fn bad_timestamp(text: &str, error: &chrono::ParseError) -> (RejectKind, String) {
    const LIKE: &str = "expected RFC 3339 with an offset, like 2026-03-02T14:05:11-05:00";
    if crate::timestamp::looks_like_us_date(text) {
        (
            RejectKind::UsDate,
            format!(
                "timestamp {} is a US date (month/day/year): {LIKE}",
                Quoted(text)
            ),
        )
    } else if crate::timestamp::lacks_offset(text) {
        (
            RejectKind::NoOffset,
            format!(
                "timestamp {} has no UTC offset (-05:00, +01:00 or Z): {LIKE}",
                Quoted(text)
            ),
        )
    } else {
        (
            RejectKind::Timestamp,
            format!(
                "timestamp {} is not RFC 3339 with an offset, like 2026-03-02T14:05:11-05:00 ({error})",
                Quoted(text)
            ),
        )
    }
}

/// Audits a whole log: reads, replays and reports.
///
/// ```
/// use std::sync::Arc;
/// use callflow_audit::{audit, LogReader};
/// let log = "call_id,timestamp,agent_id,event,value,text\n\
///            C-1,2026-03-02T14:05:11-05:00,sjones,call_started,Rewards,\n\
///            C-1,2026-03-02T14:05:12-05:00,,greeting,,\n\
///            C-1,2026-03-02T14:05:13-05:00,,gretting,,\n";
/// let reader = LogReader::new(log.as_bytes(), "example.csv").unwrap();
/// let report = audit(reader, Arc::new(callflow_workflows::Engine::builtin())).unwrap();
/// assert_eq!((report.rows.read, report.rows.replayed, report.rows.rejected), (3, 2, 1));
/// assert_eq!(report.rejected[0].line, 4);
/// assert_eq!(report.calls[0].verdict.as_str(), "incomplete");
/// ```
pub fn audit<R: Read>(reader: LogReader<R>, engine: Arc<Engine>) -> Result<AuditReport, Error> {
    crate::pipeline::audit_report(reader, engine, crate::pipeline::AuditOptions::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// `calls` calls taking turns, one row each in turn, `rounds` rounds (greeting, inquiry,
    /// then notes), each ended at the last round.
    fn turns(calls: u32, rounds: u32) -> String {
        let mut log = String::from("call_id,timestamp,agent_id,event,value,text\n");
        let events = ["greeting,", "inquiry,reward_email_missing"];
        for round in 0..=rounds {
            for c in 0..calls {
                let at = format!("2026-03-02T10:{:02}:{:02}-05:00", round, c % 60);
                let event = match round {
                    0 => "call_started,Home Warranty Rewards",
                    r if r == rounds => "call_ended,",
                    r => events
                        .get(r as usize - 1)
                        .copied()
                        .unwrap_or("anything_else,"),
                };
                let agent = if round == 0 { "sjones" } else { "" };
                let _ = writeln!(log, "T-{c},{at},{agent},{event},");
            }
        }
        log
    }

    fn replay(log: &str, limit: Option<u64>, floor: Option<u64>) -> (Vec<CallReport>, Replayer) {
        let mut replayer = Replayer::new(Arc::new(Engine::builtin()));
        if let Some(limit) = limit {
            replayer = replayer.with_memory_limit(MemoryLimit::from_bytes(limit));
        }
        if let Some(floor) = floor {
            replayer.open.compact_past(floor);
        }
        let mut reader = LogReader::new(log.as_bytes(), "turns.csv").unwrap();
        let mut ended = Vec::new();
        while let Some(row) = reader.next_row().unwrap() {
            ended.extend(replayer.feed(row));
        }
        (ended, replayer)
    }

    #[test]
    fn calls_brought_back_after_the_spill_file_is_rewritten_end_as_never_spilled() {
        let log = turns(40, 6);
        let (free, free_replayer) = replay(&log, None, None);
        assert_eq!(free_replayer.calls_spilled(), 0);
        // No room: each call goes to disk whenever another is touched; a rewrite as soon as
        // 1 KB of garbage outweighs the live records.
        let (spilled, replayer) = replay(&log, Some(0), Some(1_024));
        assert!(
            replayer.calls_spilled() >= 40 * 5,
            "{}",
            replayer.calls_spilled()
        );
        assert!(replayer.open.compactions() > 0);
        assert_eq!(replayer.rows().rejected, 0);
        assert_eq!(free.len(), 40);
        let digest = |r: &CallReport| (r.call_id.clone(), r.verdict, r.score, r.findings.clone());
        assert_eq!(
            free.iter().map(digest).collect::<Vec<_>>(),
            spilled.iter().map(digest).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_duplicate_start_of_a_call_on_disk_is_rejected_with_its_first_line() {
        let log = "call_id,timestamp,agent_id,event,value,text\n\
            A,2026-03-02T10:00:00-05:00,sjones,call_started,Rewards,\n\
            B,2026-03-02T10:00:01-05:00,sjones,call_started,Rewards,\n\
            A,2026-03-02T10:00:02-05:00,sjones,call_started,Rewards,\n";
        let (_, replayer) = replay(log, Some(0), None);
        assert!(replayer.calls_spilled() >= 1);
        let (rest, rows, rejected) = replayer.finish().unwrap();
        assert_eq!((rows.replayed, rows.rejected), (2, 1));
        assert_eq!(rejected[0].kind, RejectKind::Duplicate);
        assert!(
            rejected[0].reason.contains("already started at line 2"),
            "{}",
            rejected[0].reason
        );
        // Still open at the end: judged in the order they started.
        let ids: Vec<&str> = rest.iter().map(|r| r.call_id.as_str()).collect();
        assert_eq!(ids, ["A", "B"]);
    }
}
