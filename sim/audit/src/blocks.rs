//! A log cut into blocks so that several threads split its records at once, and the blocks'
//! records put back in the order of the file.
//!
//! The reading thread reads the log after its header in blocks of about a set size, each cut
//! after its last line end ([`BlockReader`]). Any thread splits a block into records
//! ([`parse_block`]) as if the block started a record, sorting them by the thread that
//! replays their call; that guess is wrong only when the cut fell inside a quoted field that
//! holds a line break. The [`Sequencer`] takes the parsed blocks in the file's order and
//! checks each guess: a block whose last record is a quoted field still open at its end
//! (which, but for the last block, cannot be the end of the file) hands that record's bytes
//! to the next block, which is split again from there, on the reading thread (a field still
//! open through the whole next block, a quote never closed, is carried on without splitting
//! anything again, so that it costs its length once). Every record
//! is the one a single reader of the whole file reads, with the same line, the same fields
//! and the same quoting fault (tested on random bytes cut everywhere).
//!
//! Lines are counted in each block from its start and moved down by the line ends before it
//! once the block's place is known ([`RecordBatch::starting_after`]).

use std::collections::BTreeMap;
use std::io::{self, Read};

use crate::identity::{Hashed, LogIdentity};
use crate::reader::{RawRecord, RecordBatch};
use crate::scanner::{RecordView, Scanner};

/// The size of a block when none is asked for: large enough that the work per block (a
/// message to a thread and back) is noise, small enough that the blocks in flight cost
/// little memory.
pub const BLOCK_BYTES: usize = 256 * 1024;

/// One block of the log: bytes from the start of a line to just after a line end (or to the
/// end of the file).
#[derive(Debug)]
pub struct Block {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Whether the file ends with it.
    pub last: bool,
}

/// Reads a log in blocks cut at line ends, hashing every byte (the log's identity).
pub struct BlockReader<R> {
    inner: Hashed<R>,
    name: String,
    /// Bytes read past the last cut, for the next block.
    carry: Vec<u8>,
    size: usize,
    /// Bytes of the input before the next block.
    offset: u64,
    /// Where the first block starts: bytes and line ends before it (the header's).
    start: (u64, u64),
    done: bool,
}

impl<R: Read> BlockReader<R> {
    /// Goes on reading `inner` in blocks of about `size` bytes (at least 1): `unread` is
    /// what was read past the header, which starts after `offset` bytes and `lines` line
    /// ends.
    pub(crate) fn new(
        inner: Hashed<R>,
        name: String,
        unread: Vec<u8>,
        (offset, lines): (u64, u64),
        size: usize,
    ) -> BlockReader<R> {
        BlockReader {
            inner,
            name,
            carry: unread,
            size: size.max(1),
            offset,
            start: (offset, lines),
            done: false,
        }
    }

    /// Where the first block starts: the bytes and the line ends before it.
    pub fn start(&self) -> (u64, u64) {
        self.start
    }

    /// How many bytes of the input were handed out in blocks so far.
    pub fn bytes_read(&self) -> u64 {
        self.offset
    }

    /// The input's identity; ask once the last block was read.
    pub fn identity(&self) -> LogIdentity {
        LogIdentity {
            name: self.name.clone(),
            sha256: self.inner.finish(),
        }
    }

    /// The next block, read into `buffer` (a block handed back, or a new one); `None` once
    /// the last was read. A line longer than the block size makes the block longer.
    pub fn next_block(&mut self, mut buffer: Vec<u8>) -> io::Result<Option<Block>> {
        if self.done {
            return Ok(None);
        }
        buffer.clear();
        let mut want = self.size;
        let mut searched = 0;
        let last = loop {
            // From what was read past the last cut first, then from the input.
            let from_carry = want.saturating_sub(buffer.len()).min(self.carry.len());
            buffer.extend(self.carry.drain(..from_carry));
            let missing = want.saturating_sub(buffer.len());
            if missing > 0 {
                buffer.reserve(missing);
                let got = (&mut self.inner)
                    .take(missing as u64)
                    .read_to_end(&mut buffer)?;
                if got < missing {
                    break true;
                }
            }
            if let Some(cut) = cut(&buffer, searched) {
                let rest = buffer.get(cut..).unwrap_or_default().to_vec();
                self.carry.splice(0..0, rest);
                buffer.truncate(cut);
                break false;
            }
            // No line end yet: a longer block (the last byte, a `\r`, is looked at again).
            searched = buffer.len().saturating_sub(1);
            want = buffer.len() * 2;
        };
        self.done = last;
        self.offset += buffer.len() as u64;
        Ok(Some(Block {
            bytes: buffer,
            last,
        }))
    }
}

/// Where to cut `bytes` read so far (more follow): just after their last line end, `\n`, or a
/// `\r` not followed by `\n` (a `\r` that is the last byte may be half of `\r\n`). Only bytes
/// from `from` on are searched.
fn cut(bytes: &[u8], from: usize) -> Option<usize> {
    let mut end = bytes.len();
    while end > from {
        let at = from + memchr::memrchr2(b'\n', b'\r', bytes.get(from..end)?)?;
        if bytes.get(at) == Some(&b'\n') || at + 1 < bytes.len() {
            return Some(at + 1);
        }
        end = at;
    }
    None
}

/// Where a block stops being its own: a quoted field still open at its end (whatever fault
/// came first in its record), which the next block's bytes continue. Its record is left out
/// of the block's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tail {
    /// The offset in the block where the record's bytes start (blank lines before it
    /// included).
    pub start: usize,
    /// The line ends in the block before `start`.
    pub lines: u64,
}

/// A block split into records, sorted by the thread that replays each.
#[derive(Debug)]
pub struct Parsed {
    /// The block's bytes, handed back.
    pub bytes: Vec<u8>,
    /// Whether the file ends with it.
    pub last: bool,
    /// The records of each replaying thread, their lines counted from the block's start.
    pub batches: Vec<RecordBatch>,
    /// How many records.
    pub records: u64,
    /// The line ends in the block (to the tail's start when it has one).
    pub lines: u64,
    /// Its last record, when the next block's bytes continue it.
    pub tail: Option<Tail>,
}

/// Splits a block into records with `scanner` ([`Scanner::for_blocks`], kept from block to
/// block), as if the block started a record, into `batches` (one per replaying thread, chosen
/// by `route`, which must return an index below `batches.len()`).
pub fn parse_block(
    scanner: &mut Scanner<io::Empty>,
    block: Block,
    mut batches: Vec<RecordBatch>,
    route: &dyn Fn(RecordView<'_>) -> usize,
) -> io::Result<Parsed> {
    let last = block.last;
    let _empty = scanner.start_block(block.bytes);
    let mut records = 0;
    let mut tail = None;
    loop {
        let (start, lines) = scanner.resume_point()?;
        let Some(scanned) = scanner.next_record()? else {
            break;
        };
        if !last && scanner.open_at_end() {
            tail = Some(Tail {
                start: usize::try_from(start).unwrap_or(usize::MAX),
                lines,
            });
            break;
        }
        let view = scanner.view();
        let raw = RawRecord {
            line: scanned.line,
            fault: scanned.fault,
            end: scanned.end,
        };
        if let Some(batch) = batches.get_mut(route(view)) {
            batch.push(view, raw);
            records += 1;
        }
    }
    let lines = tail.map_or(scanner.lines(), |tail| tail.lines);
    Ok(Parsed {
        bytes: scanner.start_block(Vec::new()),
        last,
        batches,
        records,
        lines,
        tail,
    })
}

/// One block's records in their place in the file: their batches count lines and offsets
/// from the start of the input.
#[derive(Debug)]
pub struct Sequenced {
    /// The records of each replaying thread.
    pub batches: Vec<RecordBatch>,
    /// How many records.
    pub records: u64,
    /// The line every later record starts on or after.
    pub next_line: u64,
}

/// Puts parsed blocks back in the file's order and checks where each was guessed to start.
pub struct Sequencer {
    /// The index of the next block to take, and the blocks parsed ahead of it.
    next: u64,
    ahead: BTreeMap<u64, Parsed>,
    /// Where the next block starts: bytes and line ends before it.
    bytes_before: u64,
    lines_before: u64,
    /// The bytes of a record the last block left open, for the next.
    tail: Option<Vec<u8>>,
    /// Bytes split again here (see [`Sequencer::bytes_split_again`]).
    split_again: u64,
}

impl Sequencer {
    /// A sequencer whose first block starts after `bytes` bytes and `lines` line ends (see
    /// [`BlockReader::start`]).
    pub fn new((bytes, lines): (u64, u64)) -> Sequencer {
        Sequencer {
            next: 0,
            ahead: BTreeMap::new(),
            bytes_before: bytes,
            lines_before: lines,
            tail: None,
            split_again: 0,
        }
    }

    /// How many bytes were split again because a block started inside the last one's open
    /// quoted field: each such stretch once, plus the block where the field closes.
    pub fn bytes_split_again(&self) -> u64 {
        self.split_again
    }

    /// How many blocks were put in place.
    pub fn placed(&self) -> u64 {
        self.next
    }

    /// Block `index` (counted from 0 in the order read), parsed.
    pub fn add(&mut self, index: u64, parsed: Parsed) {
        self.ahead.insert(index, parsed);
    }

    /// The next block in the file's order, once it is parsed and its place checked. A block
    /// that starts inside the record the one before left open is split again with that
    /// record's bytes in front, by `reparse`; `spent` receives the byte buffers done with.
    pub fn next_in_place(
        &mut self,
        reparse: &mut dyn FnMut(Block) -> io::Result<Parsed>,
        spent: &mut Vec<Vec<u8>>,
    ) -> io::Result<Option<Sequenced>> {
        let Some(mut parsed) = self.ahead.remove(&self.next) else {
            return Ok(None);
        };
        self.next += 1;
        if let Some(mut bytes) = self.tail.take() {
            // The guess was wrong: this block continues the last one's open record.
            if !parsed.last && still_quoted_through(&parsed.bytes) {
                // The open field runs through this block too (a quote never closed): no record
                // ends in it, and splitting the record so far again would make a long field
                // cost the square of its length.
                bytes.extend_from_slice(&parsed.bytes);
                self.tail = Some(bytes);
                spent.push(std::mem::take(&mut parsed.bytes));
                for batch in &mut parsed.batches {
                    batch.clear();
                }
                return Ok(Some(Sequenced {
                    batches: parsed.batches,
                    records: 0,
                    next_line: self.lines_before + 1,
                }));
            }
            self.split_again += bytes.len() as u64 + parsed.bytes.len() as u64;
            bytes.extend_from_slice(&parsed.bytes);
            spent.push(std::mem::take(&mut parsed.bytes));
            parsed = reparse(Block {
                bytes,
                last: parsed.last,
            })?;
        }
        let Parsed {
            bytes,
            batches: mut sorted,
            records,
            lines,
            tail,
            ..
        } = parsed;
        for batch in &mut sorted {
            batch.starting_after(self.lines_before, self.bytes_before);
        }
        self.lines_before += lines;
        match tail {
            Some(tail) => {
                self.bytes_before += tail.start as u64;
                self.tail = Some(bytes.get(tail.start..).unwrap_or_default().to_vec());
            }
            None => self.bytes_before += bytes.len() as u64,
        }
        spent.push(bytes);
        Ok(Some(Sequenced {
            batches: sorted,
            records,
            next_line: self.lines_before + 1,
        }))
    }
}

/// Whether a quoted field still open where `bytes` start stays open through all of them: no
/// `"` in them but doubled ones (an escaped quote). The bytes end with a line end, so a `"`
/// among them is never the last byte.
fn still_quoted_through(bytes: &[u8]) -> bool {
    let mut from = 0;
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr(b'"', rest))
    {
        let at = from + found;
        if bytes.get(at + 1) != Some(&b'"') {
            return false;
        }
        from = at + 2;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::{Columns, LogReader};

    /// Every record of `log` as one reader reads it: line, fields, quoting fault.
    fn whole(log: &[u8]) -> Vec<String> {
        let mut reader = LogReader::new(log, "t.csv").expect("a header");
        let mut out = Vec::new();
        while let Some((raw, view)) = reader.next_record().expect("in memory") {
            out.push(show(&raw, view));
        }
        out
    }

    fn show(raw: &RawRecord, view: RecordView<'_>) -> String {
        let fields: Vec<String> = (0..view.len())
            .map(|i| String::from_utf8_lossy(view.field(i).unwrap_or_default()).into_owned())
            .collect();
        let fault = raw.fault.map(|fault| fault.reason(raw.line));
        format!("{} {} {fields:?} {fault:?}", raw.line, raw.end)
    }

    /// The records of `log` read in blocks of `size` bytes, parsed out of order, two threads
    /// (routed by the call id's length), put back in order.
    fn in_blocks(log: &[u8], size: usize) -> Vec<String> {
        let reader = LogReader::new(log, "t.csv").expect("a header");
        let columns: Columns = *reader.columns();
        let delimiter = reader.delimiter();
        let mut blocks = reader.into_blocks(size).expect("in memory");
        let route = |view: RecordView<'_>| view.field(0).map_or(0, |id| id.len() % 2);
        let mut scanner = Scanner::for_blocks(delimiter);
        let mut parse = |block: Block| {
            let batches = (0..2).map(|_| RecordBatch::default()).collect();
            parse_block(&mut scanner, block, batches, &route)
        };
        let mut parsed = Vec::new();
        while let Some(block) = blocks.next_block(Vec::new()).expect("in memory") {
            parsed.push(parse(block).expect("in memory"));
        }
        let mut sequencer = Sequencer::new(blocks.start());
        // Backwards: the sequencer waits for the first.
        let count = parsed.len() as u64;
        for (index, block) in parsed.into_iter().enumerate().rev() {
            sequencer.add(index as u64, block);
        }
        let mut out = Vec::new();
        let mut spent = Vec::new();
        let mut next_line = 0;
        let mut reparse = parse;
        while let Some(placed) = sequencer
            .next_in_place(&mut reparse, &mut spent)
            .expect("in memory")
        {
            // Both threads' records, back in the file's order by line.
            let mut rows: Vec<(u64, String)> = Vec::new();
            for batch in &placed.batches {
                for (raw, view) in batch.records() {
                    assert!(
                        raw.line >= next_line,
                        "a record before an earlier block's end"
                    );
                    rows.push((raw.line, show(&raw, view)));
                }
            }
            rows.sort_by_key(|(line, _)| *line);
            assert_eq!(rows.len() as u64, placed.records);
            next_line = placed.next_line;
            out.extend(rows.into_iter().map(|(_, row)| row));
        }
        assert_eq!(sequencer.placed(), count);
        let _ = columns;
        out
    }

    fn agrees(log: &[u8]) {
        let expected = whole(log);
        for size in [1, 2, 3, 5, 7, 16, 64, 1 << 20] {
            assert_eq!(
                in_blocks(log, size),
                expected,
                "blocks of {size} bytes, log {:?}",
                String::from_utf8_lossy(log)
            );
        }
    }

    #[test]
    fn quoted_breaks_crlf_and_lone_crs_straddling_every_cut_read_as_one_reader_reads_them() {
        let lf = "call_id,timestamp,event,text\nA,t,e,x\n\nBB,t,\"x\ny\n\nz\",w\n\n\nC,t,e,\"q\"\"\nr\"\nDD,t,e,\n";
        agrees(lf.as_bytes());
        agrees(lf.replace('\n', "\r\n").as_bytes());
        agrees(lf.replace('\n', "\r").as_bytes());
        agrees(format!("\u{feff}{}", lf.replace('\n', "\r\n")).as_bytes());
        // No line end at the end of the file.
        agrees(lf.trim_end().as_bytes());
    }

    #[test]
    fn quoting_faults_read_as_one_reader_reads_them_whichever_block_they_fall_in() {
        // Text after a closing quote, across lines; a quote never closed, to the end.
        let log = "call_id,timestamp,event,text\nA,t,e,\"x\ny\"z\nBB,t,e,ok\nC,t,\"e\nDD,t,e,x\n";
        agrees(log.as_bytes());
        agrees(log.replace('\n', "\r\n").as_bytes());
    }

    #[test]
    fn random_bytes_read_in_blocks_as_one_reader_reads_them() {
        let mut rng = fastrand::Rng::with_seed(22);
        let alphabet = b"ab,\"\n\r;";
        for _ in 0..400 {
            let len = rng.usize(0..60);
            let body: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .collect();
            let mut log = b"call_id,timestamp,event\n".to_vec();
            log.extend_from_slice(&body);
            agrees(&log);
        }
    }

    #[test]
    fn a_quote_never_closed_is_not_split_again_block_after_block() {
        // A quote opened on line 3 and never closed: every block after it continues the field.
        let mut log = String::from("call_id,timestamp,event,text\nA,t,e,x\nB,t,e,\"open\n");
        for n in 0..2_000 {
            log.push_str(&format!("C{n},t,e,\"\"doubled\"\" x\n"));
        }
        let expected = whole(log.as_bytes());
        assert_eq!(expected.len(), 2, "{expected:?}");
        let reader = LogReader::new(log.as_bytes(), "t.csv").expect("a header");
        let delimiter = reader.delimiter();
        let mut blocks = reader.into_blocks(64).expect("in memory");
        let mut scanner = Scanner::for_blocks(delimiter);
        let route = |_: RecordView<'_>| 0;
        let mut parse =
            |block: Block| parse_block(&mut scanner, block, vec![RecordBatch::default()], &route);
        let mut sequencer = Sequencer::new(blocks.start());
        let mut index = 0;
        let mut spent = Vec::new();
        let mut records = 0;
        while let Some(block) = blocks.next_block(Vec::new()).expect("in memory") {
            let parsed = parse(block).expect("in memory");
            sequencer.add(index, parsed);
            index += 1;
            while let Some(placed) = sequencer
                .next_in_place(&mut parse, &mut spent)
                .expect("in memory")
            {
                records += placed.records;
            }
        }
        assert_eq!(records, 2);
        // Split again once, with the last block: not once per block.
        let size = log.len() as u64;
        assert!(
            sequencer.bytes_split_again() <= size,
            "{} bytes split again for a log of {size}",
            sequencer.bytes_split_again()
        );
    }

    #[test]
    fn a_block_is_cut_after_a_line_end_and_never_between_cr_and_lf() {
        assert_eq!(cut(b"ab\ncd", 0), Some(3));
        assert_eq!(cut(b"ab\r\ncd", 0), Some(4));
        assert_eq!(cut(b"ab\rcd", 0), Some(3));
        // A `\r` last may be half of `\r\n`: cut before it, at the line end before.
        assert_eq!(cut(b"a\nb\r", 0), Some(2));
        assert_eq!(cut(b"ab\r", 0), None);
        assert_eq!(cut(b"abc", 0), None);
    }
}
