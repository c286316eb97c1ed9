//! The calls open during a replay, in memory up to a budget and on disk past it.
//!
//! Under a memory budget ([`OpenCalls::with_budget`]), when a call is about to come into
//! memory and the table is full, the calls idle longest (by the line of their last row) go to
//! the [spill file](crate::spill) until half the room is free; a row for a spilled call brings
//! it back. A call saved and brought back is the same call (its snapshot is its whole state),
//! so the reports are those of a run without a budget (tested on the sample logs with every
//! call spilled after every row of another).
//!
//! What stays in memory for a spilled call is its slot: the hash of its id, where its record
//! is, and its first line (24 bytes in the table, up to 74 with the table's spare room and
//! the end of the log's list, `SLOT_BYTES`); the budget counts the slots too, so past
//! `budget / 74` spilled calls every open call is on disk and only the slots grow: at most
//! 74 MB for a million calls open at once, against about 640 MB in memory.
//!
//! At the end of the log the calls still open are judged one at a time, in the order of their
//! first lines ([`OpenCalls::close`]).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use callflow_workflows::{Call, Engine};
use rustc_hash::FxHashMap as HashMap;

use crate::slots::Slots;
use crate::spill::SpillFile;

/// What an open call takes in memory, in bytes: the call and its boxes on the heap, its id,
/// and its share of the table. Measured, not derived: 200,000 calls that never end, all kept
/// open (`benches/never_ending.py 200000`, `audit --memory-limit 1T --threads 1`), peaked at
/// 133.0 MB (129,888 kB), about 114 MB above the run's fixed cost: 568 bytes a call (632
/// before an inquiry and the facts were made smaller, 828 before stamps were packed and the
/// names shared one block). Kept at 640: the room left goes some way to what the peak holds
/// beyond the count with two or three workers (likely the allocator's pages that calls moved
/// to disk leave partly used): 2 million never-ending calls under `--memory-limit 256M` still
/// peaked up to 5% over the limit with 640, until the pipeline kept a sixteenth of the room
/// back for the allocator (`pipeline::ALLOCATOR_SLACK`; docs/PERFORMANCE.md, "The limit
/// held").
pub(crate) const OPEN_CALL_BYTES: u64 = 640;
/// What a spilled call keeps in memory, at most: its slot in the table of spilled calls
/// (24 bytes with its hash, and a control byte: 25), the table's spare room when every one
/// of its 64 parts has just doubled (hashbrown is then 7/16 full: 57 bytes a slot, counted
/// as 58), and at the end of the log its place in the list of calls to judge in first-line
/// order (16 more, while the table is let go of). Counting less let the peak pass the
/// memory limit by up to a quarter with 2 million calls spilled (docs/PERFORMANCE.md).
const SLOT_BYTES: u64 = 58 + 16;

/// One call being replayed.
pub(crate) struct OpenCall {
    pub(crate) call: Call,
    /// The line of its `call_started` row.
    pub(crate) first_line: u64,
    /// The line of the last row that reached it: the calls idle longest go to disk first.
    pub(crate) touched: u64,
    /// The same call under the engine compared against (`audit --compare`).
    pub(crate) shadow: Option<Box<Call>>,
}

/// Where a spilled call's record is (its offset in the spill file and its length, in one
/// word) and its first line: 16 bytes.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: u64,
    first_line: u64,
}

impl Slot {
    /// Bits of the record's length, below its offset.
    const LEN_BITS: u32 = 24;

    /// The slot of a record of `len` bytes at `offset`; `None` past 16 MiB for the record or
    /// 1 TiB for the offset (the call then stays in memory).
    fn new(offset: u64, len: usize, first_line: u64) -> Option<Slot> {
        let len = u64::try_from(len)
            .ok()
            .filter(|&len| len < 1 << Self::LEN_BITS)?;
        let high = offset.checked_shl(Self::LEN_BITS)?;
        (high >> Self::LEN_BITS == offset).then_some(Slot {
            at: high | len,
            first_line,
        })
    }

    /// Where the record starts in the spill file.
    fn offset(self) -> u64 {
        self.at >> Self::LEN_BITS
    }

    /// The record's length in bytes.
    fn len(self) -> u32 {
        (self.at & ((1 << Self::LEN_BITS) - 1)) as u32
    }
}

/// The open calls of one replayer.
pub(crate) struct OpenCalls {
    /// Boxed: the table's spare capacity then costs a pointer a slot, not a whole call.
    memory: HashMap<Box<str>, Box<OpenCall>>,
    /// The spilled calls, by the hash of their id ([`id_hash`]); a call whose hash is
    /// already here stays in memory.
    spilled: Slots<Slot>,
    spill: Option<SpillFile>,
    /// Bytes the open calls may take; `None`: no limit, nothing spilled.
    budget: Option<u64>,
    /// The engine calls run under, and the one compared against, to read spilled calls back.
    engine: Arc<Engine>,
    shadow_engine: Option<Arc<Engine>>,
    /// The earliest first line among the spilled calls, when known.
    spilled_min: Option<u64>,
    /// Whether `spilled_min` must be found again (the call holding it came back).
    spilled_min_stale: bool,
    /// The first thing that went wrong with the spill file: the run fails with it.
    failure: Option<String>,
    /// Calls written to the spill file (one call spilled twice counts twice).
    spills: u64,
    /// Times the spill file was rewritten with its live records only.
    compactions: u64,
    /// Garbage past which the file is rewritten, when not the spill file's own.
    compact_floor: Option<u64>,
    record: Vec<u8>,
}

impl OpenCalls {
    /// An empty table, with no budget.
    pub(crate) fn new(engine: Arc<Engine>) -> OpenCalls {
        OpenCalls {
            memory: HashMap::default(),
            spilled: Slots::default(),
            spill: None,
            budget: None,
            engine,
            shadow_engine: None,
            spilled_min: None,
            spilled_min_stale: false,
            failure: None,
            spills: 0,
            compactions: 0,
            compact_floor: None,
            record: Vec::new(),
        }
    }

    /// Open calls past `bytes` go to disk.
    pub(crate) fn with_budget(mut self, bytes: u64) -> OpenCalls {
        self.budget = Some(bytes);
        self
    }

    /// Spilled calls carry their shadow, read back under `engine`.
    pub(crate) fn comparing(mut self, engine: Arc<Engine>) -> OpenCalls {
        self.shadow_engine = Some(engine);
        self
    }

    /// Calls open, in memory and on disk.
    pub(crate) fn len(&self) -> usize {
        self.memory.len() + self.spilled.len()
    }

    /// Calls written to the spill file so far.
    pub(crate) fn spills(&self) -> u64 {
        self.spills
    }

    /// Times the spill file was rewritten with its live records only.
    #[cfg(test)]
    pub(crate) fn compactions(&self) -> u64 {
        self.compactions
    }

    /// Rewrites the spill file as soon as its garbage passes `bytes` (and outweighs its live
    /// records), instead of 64 MiB: for tests.
    #[cfg(test)]
    pub(crate) fn compact_past(&mut self, bytes: u64) {
        self.compact_floor = Some(bytes);
    }

    /// What went wrong with the spill file, if anything did.
    pub(crate) fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// The open call `id`, brought back from disk if it was spilled.
    #[inline]
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut OpenCall> {
        if !self.spilled.is_empty() && !self.memory.contains_key(id) {
            self.bring_back(id);
        }
        self.memory.get_mut(id).map(|open| &mut **open)
    }

    /// The first line of the open call `id`, in memory or on disk.
    pub(crate) fn first_line_of(&mut self, id: &str) -> Option<u64> {
        if let Some(open) = self.memory.get(id) {
            return Some(open.first_line);
        }
        if self.spilled.is_empty() {
            return None;
        }
        let slot = *self.spilled.get(id_hash(id))?;
        let record = self.read(slot)?;
        (record.id == id).then_some(slot.first_line)
    }

    /// A new open call.
    pub(crate) fn insert(&mut self, id: &str, open: OpenCall) {
        self.make_room();
        self.memory.insert(id.into(), Box::new(open));
    }

    /// Takes out the open call `id` (in memory: it was just fed).
    pub(crate) fn remove(&mut self, id: &str) -> Option<(Box<str>, Box<OpenCall>)> {
        self.memory.remove_entry(id)
    }

    /// The first line of the earliest call still open.
    pub(crate) fn earliest_first_line(&mut self) -> Option<u64> {
        let here = self.memory.values().map(|open| open.first_line).min();
        if self.spilled_min_stale {
            self.spilled_min = self.spilled.values().map(|slot| slot.first_line).min();
            self.spilled_min_stale = false;
        }
        match (here, self.spilled_min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// How many calls memory may hold now: the budget less the spilled calls' slots.
    fn room(&self, budget: u64) -> usize {
        let slots = self.spilled.len() as u64 * SLOT_BYTES;
        usize::try_from(budget.saturating_sub(slots) / OPEN_CALL_BYTES).unwrap_or(usize::MAX)
    }

    /// Before a call comes into memory: if memory is full, the calls idle longest go to disk
    /// until half the room is free.
    fn make_room(&mut self) {
        let Some(budget) = self.budget else { return };
        let room = self.room(budget);
        if self.memory.len() < room {
            return;
        }
        let keep = room / 2;
        let excess = self.memory.len() - keep;
        if excess == 0 {
            return;
        }
        let mut touched: Vec<u64> = self.memory.values().map(|open| open.touched).collect();
        let (_, &mut threshold, _) = touched.select_nth_unstable(excess - 1);
        drop(touched);
        if self.spill.is_none() {
            match SpillFile::create() {
                Ok(file) => self.spill = Some(file),
                Err(e) => return self.give_up(format!("could not create the spill file: {e}")),
            }
        }
        let OpenCalls {
            memory,
            spilled,
            spill: Some(file),
            record,
            spilled_min,
            spills,
            failure,
            ..
        } = self
        else {
            return;
        };
        memory.retain(|id, open| {
            if open.touched > threshold || failure.is_some() {
                return true;
            }
            let hash = id_hash(id);
            if spilled.contains_key(hash) {
                // Another spilled call has this hash: this one stays.
                return true;
            }
            if let Err(e) = encode(id, open, record) {
                *failure = Some(format!("could not save call {id:?}: {e}"));
                return true;
            }
            // A record past what a slot can say stays in memory (where it will be written
            // is the file's length: its next offset).
            let Some(slot) = Slot::new(file.next_offset(), record.len(), open.first_line) else {
                return true;
            };
            match file.append(record) {
                Ok(offset) => {
                    debug_assert_eq!(offset, slot.offset());
                    spilled.insert(hash, slot);
                    *spilled_min =
                        Some(spilled_min.map_or(open.first_line, |m| m.min(open.first_line)));
                    *spills += 1;
                    false
                }
                Err(e) => {
                    *failure = Some(format!("could not write the spill file: {e}"));
                    true
                }
            }
        });
        if let Some(why) = self.failure.clone() {
            self.give_up(why);
        } else if self
            .spill
            .as_ref()
            .is_some_and(|file| file.wants_compaction(self.compact_floor))
        {
            self.compact();
        }
    }

    /// Something went wrong with the spill file: nothing more is spilled, and the run fails.
    fn give_up(&mut self, why: String) {
        self.failure.get_or_insert(why);
        self.budget = None;
    }

    /// Rewrites the spill file with its live records only.
    fn compact(&mut self) {
        let Some(mut old) = self.spill.take() else {
            return;
        };
        let Ok(mut new) = SpillFile::create() else {
            // Not fatal: the old file goes on, garbage and all.
            self.spill = Some(old);
            return;
        };
        // Each slot moves to the new file as its record is copied: with no list of new
        // offsets beside the table. A failure fails the run, and both files are let go of:
        // a table left half moved is never read again (a read finds no file).
        let mut failed = None;
        for slot in self.spilled.values_mut() {
            let copied = old
                .read(slot.offset(), slot.len(), &mut self.record)
                .and_then(|()| new.append(&self.record));
            match copied.map(|offset| Slot::new(offset, slot.len() as usize, slot.first_line)) {
                Ok(Some(moved)) => *slot = moved,
                Ok(None) => failed = Some("it grew past 1 TiB".to_owned()),
                Err(e) => failed = Some(e.to_string()),
            }
            if failed.is_some() {
                break;
            }
        }
        if let Some(why) = failed {
            return self.give_up(format!("could not rewrite the spill file: {why}"));
        }
        self.spill = Some(new);
        self.compactions += 1;
    }

    /// Reads a spilled call's record, noting a failure to read it.
    fn read(&mut self, slot: Slot) -> Option<Record<'_>> {
        match read_record(self.spill.as_mut(), &mut self.record, slot) {
            Ok(record) => Some(record),
            Err(why) => {
                self.failure.get_or_insert(why);
                None
            }
        }
    }

    /// Brings the spilled call `id` back into memory, if it is on disk.
    fn bring_back(&mut self, id: &str) {
        let hash = id_hash(id);
        let Some(&slot) = self.spilled.get(hash) else {
            return;
        };
        let restored = match read_record(self.spill.as_mut(), &mut self.record, slot) {
            Ok(record) if record.id != id => {
                // Another call with the same hash: `id` is not on disk.
                return;
            }
            Ok(record) => restore(
                &self.engine,
                self.shadow_engine.as_ref(),
                &record,
                slot.first_line,
            ),
            Err(why) => Err(why),
        };
        match restored {
            Ok(open) => {
                self.spilled.remove(hash);
                if let Some(file) = self.spill.as_mut() {
                    file.release(slot.len());
                }
                if self.spilled_min == Some(slot.first_line) {
                    self.spilled_min_stale = true;
                }
                self.make_room();
                self.memory.insert(id.into(), Box::new(open));
            }
            Err(why) => {
                self.failure
                    .get_or_insert(format!("could not read call {id:?} back from disk: {why}"));
            }
        }
    }

    /// The end of the log: the calls still open, one at a time, in the order of their first
    /// lines (those on disk read back as their turn comes).
    pub(crate) fn close(self) -> Closing {
        let mut memory: Vec<Box<OpenCall>> = self.memory.into_values().collect();
        memory.sort_unstable_by_key(|open| std::cmp::Reverse(open.first_line));
        // Sized ahead: a list that doubled as it filled would hold its old array beside the
        // new one, with the table not yet let go of (the peak of the run).
        let mut spilled: Vec<Slot> = Vec::with_capacity(self.spilled.len());
        spilled.extend(self.spilled.into_values());
        spilled.sort_unstable_by_key(|slot| std::cmp::Reverse(slot.first_line));
        Closing {
            memory,
            spilled,
            spill: self.spill,
            engine: self.engine,
            shadow_engine: self.shadow_engine,
            record: self.record,
        }
    }
}

/// The calls still open at the end of the log, earliest first line first: what
/// [`OpenCalls::close`] gives.
pub(crate) struct Closing {
    /// By first line, the earliest last (taken from the end). Boxed as the table held them:
    /// sorting moves pointers, not whole calls, and nothing is copied out of its box.
    #[allow(clippy::vec_box)]
    memory: Vec<Box<OpenCall>>,
    spilled: Vec<Slot>,
    spill: Option<SpillFile>,
    engine: Arc<Engine>,
    shadow_engine: Option<Arc<Engine>>,
    record: Vec<u8>,
}

impl Closing {
    /// Calls left.
    pub(crate) fn len(&self) -> usize {
        self.memory.len() + self.spilled.len()
    }
}

impl Iterator for Closing {
    /// A call still open, or why a spilled one could not be read back.
    type Item = Result<Box<OpenCall>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let here = self.memory.last().map(|open| open.first_line);
        let there = self.spilled.last().map(|slot| slot.first_line);
        match (here, there) {
            (None, None) => None,
            (Some(a), Some(b)) if b < a => self.read_back(),
            (Some(_), _) => self.memory.pop().map(Ok),
            (None, Some(_)) => self.read_back(),
        }
    }
}

impl Closing {
    fn read_back(&mut self) -> Option<Result<Box<OpenCall>, String>> {
        let slot = self.spilled.pop()?;
        let read = read_record(self.spill.as_mut(), &mut self.record, slot);
        Some(read.and_then(|record| {
            restore(
                &self.engine,
                self.shadow_engine.as_ref(),
                &record,
                slot.first_line,
            )
            .map(Box::new)
        }))
    }
}

/// Reads a spilled call's record into `buffer`.
fn read_record<'b>(
    spill: Option<&mut SpillFile>,
    buffer: &'b mut Vec<u8>,
    slot: Slot,
) -> Result<Record<'b>, String> {
    let file = spill.ok_or("the spill file is gone")?;
    file.read(slot.offset(), slot.len(), buffer)
        .map_err(|e| format!("could not read the spill file: {e}"))?;
    decode(buffer).ok_or_else(|| "a record of the spill file is damaged".to_owned())
}

/// The hash spilled calls are found by: the standard library's SipHash with its fixed keys
/// (well spread, the same in every run), taken only when a call goes to disk or a row misses memory.
fn id_hash(id: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// A spilled call's record, borrowed from the bytes read.
struct Record<'a> {
    id: &'a str,
    touched: u64,
    call: &'a [u8],
    shadow: Option<&'a [u8]>,
}

/// Writes a call's record: its touched line, its id, its snapshot and its shadow's
/// (little-endian lengths).
fn encode(id: &str, open: &OpenCall, out: &mut Vec<u8>) -> Result<(), String> {
    out.clear();
    out.extend_from_slice(&open.touched.to_le_bytes());
    put_bytes(out, id.as_bytes());
    put_call(out, &open.call)?;
    match &open.shadow {
        Some(shadow) => put_call(out, shadow),
        None => {
            out.extend_from_slice(&u32::MAX.to_le_bytes());
            Ok(())
        }
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// A call's snapshot, after its length.
fn put_call(out: &mut Vec<u8>, call: &Call) -> Result<(), String> {
    let at = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    save_call(call, out)?;
    let len = u32::try_from(out.len() - at - 4).map_err(|_| "a call too large to save")?;
    if let Some(prefix) = out.get_mut(at..at + 4) {
        prefix.copy_from_slice(&len.to_le_bytes());
    }
    Ok(())
}

fn decode(bytes: &[u8]) -> Option<Record<'_>> {
    let (touched, rest) = take_u64(bytes)?;
    let (id, rest) = take_bytes(rest)?;
    let (call, rest) = take_bytes(rest)?;
    let shadow = match take_u32(rest)? {
        (u32::MAX, _) => None,
        _ => Some(take_bytes(rest)?.0),
    };
    Some(Record {
        id: std::str::from_utf8(id).ok()?,
        touched,
        call,
        shadow,
    })
}

fn take_u64(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<8>()?;
    Some((u64::from_le_bytes(*head), rest))
}

fn take_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<4>()?;
    Some((u32::from_le_bytes(*head), rest))
}

fn take_bytes(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = take_u32(bytes)?;
    let len = usize::try_from(len).ok()?;
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// A call's snapshot as the spill file keeps it: the compact form ([`Call::save_compact`],
/// about 170 bytes for a call in progress, against about 1 KB of JSON).
fn save_call(call: &Call, out: &mut Vec<u8>) -> Result<(), String> {
    call.save_compact(out);
    Ok(())
}

/// A call read back from its snapshot.
fn load_call(engine: &Arc<Engine>, bytes: &[u8]) -> Result<Call, String> {
    Call::restore_compact(engine, bytes).map_err(|e| e.to_string())
}

/// An open call read back from its record.
fn restore(
    engine: &Arc<Engine>,
    shadow_engine: Option<&Arc<Engine>>,
    record: &Record<'_>,
    first_line: u64,
) -> Result<OpenCall, String> {
    let call = load_call(engine, record.call)?;
    let shadow = match (record.shadow, shadow_engine) {
        (Some(bytes), Some(engine)) => Some(Box::new(load_call(engine, bytes)?)),
        (None, None) => None,
        _ => return Err("the call and its shadow disagree".to_owned()),
    };
    Ok(OpenCall {
        call,
        first_line,
        touched: record.touched,
        shadow,
    })
}

#[cfg(test)]
mod tests {
    use super::Slot;

    #[test]
    fn a_slot_keeps_offset_length_and_first_line_and_refuses_what_it_cannot_say() {
        for (offset, len) in [
            (0, 0),
            (1, 1),
            (123_456_789, 170),
            ((1 << 40) - 1, (1 << 24) - 1),
        ] {
            let slot = Slot::new(offset, len, 42).expect("in range");
            assert_eq!((slot.offset(), slot.len() as usize), (offset, len));
            assert_eq!(slot.first_line, 42);
        }
        // A record of 16 MiB or more, or an offset of 1 TiB or more: the call stays in memory.
        assert!(Slot::new(0, 1 << 24, 1).is_none());
        assert!(Slot::new(1 << 40, 1, 1).is_none());
        assert!(Slot::new(u64::MAX, 1, 1).is_none());
        assert_eq!(std::mem::size_of::<Slot>(), 16);
    }

    #[test]
    fn the_limit_counts_a_slot_at_its_worst() {
        // A bucket of the spilled calls' table (hash and slot) and its control byte, in a
        // table that has just doubled (hashbrown: 7/16 full), and its place in the end of the
        // log's list: what `SLOT_BYTES` must cover, whatever `Slot` becomes.
        let bucket = std::mem::size_of::<(u64, Slot)>() as u64 + 1;
        let worst = (bucket * 16).div_ceil(7) + std::mem::size_of::<Slot>() as u64;
        assert!(
            worst <= super::SLOT_BYTES,
            "{worst} > {}",
            super::SLOT_BYTES
        );
    }
}
