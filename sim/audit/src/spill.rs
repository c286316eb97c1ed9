//! The spill file: open calls moved out of memory, one record each, appended to an anonymous
//! temporary file (in `TMPDIR`; removed by the system when the run ends, even if it is killed)
//! and read back by offset.
//!
//! A record brought back, or replaced by a newer save of its call, becomes garbage; the file
//! is rewritten with its live records only once garbage outweighs them
//! ([`SpillFile::wants_compaction`]), so the disk used stays within a few times the calls
//! spilled at once.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Writes are gathered up to this size before they go to the file.
const WRITE_BUFFER: usize = 1 << 20;
/// No compaction below this much garbage: rewriting a small file costs more than it saves.
const COMPACT_FLOOR: u64 = 64 << 20;

/// An append-only file of records, read back by offset and length.
pub(crate) struct SpillFile {
    file: File,
    /// Records appended and not yet written: they follow the file's `written` bytes.
    pending: Vec<u8>,
    /// Bytes in the file itself.
    written: u64,
    /// Bytes of records still wanted.
    live: u64,
    /// Bytes of records given up (brought back, or replaced).
    garbage: u64,
}

impl SpillFile {
    /// A new, empty spill file.
    pub(crate) fn create() -> io::Result<SpillFile> {
        Ok(SpillFile {
            file: tempfile::tempfile()?,
            pending: Vec::new(),
            written: 0,
            live: 0,
            garbage: 0,
        })
    }

    /// Where the next record appended goes.
    pub(crate) fn next_offset(&self) -> u64 {
        self.written + self.pending.len() as u64
    }

    /// Appends a record; returns its offset ([`SpillFile::next_offset`] before).
    pub(crate) fn append(&mut self, record: &[u8]) -> io::Result<u64> {
        let offset = self.next_offset();
        self.pending.extend_from_slice(record);
        self.live += record.len() as u64;
        if self.pending.len() >= WRITE_BUFFER {
            self.flush()?;
        }
        Ok(offset)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.file.seek(SeekFrom::Start(self.written))?;
        self.file.write_all(&self.pending)?;
        self.written += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }

    /// Reads the record at `offset` of `len` bytes into `into` (cleared first).
    pub(crate) fn read(&mut self, offset: u64, len: u32, into: &mut Vec<u8>) -> io::Result<()> {
        into.clear();
        let len = len as usize;
        if offset >= self.written {
            let start = usize::try_from(offset - self.written).map_err(invalid)?;
            let end = start
                .checked_add(len)
                .ok_or_else(|| invalid("a record past the end of the spill file"))?;
            let record = self
                .pending
                .get(start..end)
                .ok_or_else(|| invalid("a record past the end of the spill file"))?;
            into.extend_from_slice(record);
            return Ok(());
        }
        into.resize(len, 0);
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(into)
    }

    /// A record is no longer wanted.
    pub(crate) fn release(&mut self, len: u32) {
        self.live = self.live.saturating_sub(u64::from(len));
        self.garbage += u64::from(len);
    }

    /// Whether garbage outweighs the live records enough for a rewrite to pay: past 64 MiB,
    /// or past `floor` when given (tests).
    pub(crate) fn wants_compaction(&self, floor: Option<u64>) -> bool {
        self.garbage > floor.unwrap_or(COMPACT_FLOOR) && self.garbage > self.live
    }

    /// Bytes of live records.
    #[cfg(test)]
    pub(crate) fn live(&self) -> u64 {
        self.live
    }
}

fn invalid(why: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_from_the_buffer_and_from_the_file() {
        let mut spill = SpillFile::create().unwrap();
        let small = spill.append(b"first record").unwrap();
        let mut out = Vec::new();
        spill.read(small, 12, &mut out).unwrap();
        assert_eq!(out, b"first record");
        // Past the buffer: the first record is now in the file.
        let big = vec![7u8; WRITE_BUFFER];
        let at = spill.append(&big).unwrap();
        assert_eq!(at, 12);
        spill.read(small, 12, &mut out).unwrap();
        assert_eq!(out, b"first record");
        spill.read(at, big.len() as u32, &mut out).unwrap();
        assert_eq!(out, big);
        let last = spill.append(b"tail").unwrap();
        spill.read(last, 4, &mut out).unwrap();
        assert_eq!(out, b"tail");
    }

    #[test]
    fn garbage_is_counted_and_compaction_waits_for_it_to_outweigh_the_live_records() {
        let mut spill = SpillFile::create().unwrap();
        spill.append(&[1u8; 1000]).unwrap();
        spill.release(1000);
        assert_eq!(spill.live(), 0);
        // Little garbage: not worth a rewrite.
        assert!(!spill.wants_compaction(None));
        assert!(spill.wants_compaction(Some(999)));
        spill.garbage = COMPACT_FLOOR + 1;
        assert!(spill.wants_compaction(None));
        spill.live = COMPACT_FLOOR * 2;
        assert!(!spill.wants_compaction(None));
    }

    #[test]
    fn a_read_past_the_end_is_an_error_not_a_panic() {
        let mut spill = SpillFile::create().unwrap();
        spill.append(b"abc").unwrap();
        let mut out = Vec::new();
        assert!(spill.read(2, 10, &mut out).is_err());
        assert!(spill.read(1 << 40, 1, &mut out).is_err());
    }
}
