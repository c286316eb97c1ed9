//! The reader as it was before [`super::Scanner`]: the csv crate's `Reader` over a wrapper that
//! follows every byte read, one at a time, for line numbers and quoting faults. Kept to check
//! the scanner against (tests only).

use std::collections::VecDeque;
use std::io::{self, Read};

use super::{QuoteFault, Quoting};

/// Follows the bytes the csv reader reads (see the module doc).
struct Follow<R> {
    inner: R,
    offset: u64,
    breaks: VecDeque<(u64, bool)>,
    lines_before: u64,
    previous: u8,
    quoting: Quoting,
    newlines: u64,
    opened: u64,
    faults: VecDeque<(u64, QuoteFault)>,
}

impl<R: Read> Read for Follow<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() && self.quoting == Quoting::Quoted {
            let opened = self.opened;
            self.faults
                .push_back((self.offset, QuoteFault::Unclosed { opened }));
            self.quoting = Quoting::RecordStart;
        }
        for (i, &b) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            let ends_line = b == b'\r' || (b == b'\n' && self.previous != b'\r');
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((at, ends_line));
            }
            self.previous = b;
            self.quoting = match (self.quoting, b) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (Quoting::RecordStart, b'\n' | b'\r') => Quoting::RecordStart,
                (Quoting::RecordStart | Quoting::FieldStart, b'"') => {
                    self.opened = self.newlines + 1;
                    Quoting::Quoted
                }
                (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (_, b',') => Quoting::FieldStart,
                (_, b'\n' | b'\r') => Quoting::RecordStart,
                (Quoting::QuoteInQuoted, _) => {
                    let (opened, closed) = (self.opened, self.newlines + 1);
                    self.faults
                        .push_back((at, QuoteFault::TextAfterClosingQuote { opened, closed }));
                    Quoting::Unquoted
                }
                (_, _) => Quoting::Unquoted,
            };
            if ends_line {
                self.newlines += 1;
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Every record of `input`: its line, fields and quoting fault's reason, as the old reader
/// gave them.
pub fn records(input: &[u8]) -> Vec<(u64, Vec<Vec<u8>>, Option<String>)> {
    let follow = Follow {
        inner: input,
        offset: 0,
        breaks: VecDeque::new(),
        lines_before: 0,
        previous: 0,
        quoting: Quoting::RecordStart,
        newlines: 0,
        opened: 0,
        faults: VecDeque::new(),
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(7) // Small reads: records cross read boundaries.
        .from_reader(follow);
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while csv.read_byte_record(&mut record).expect("bytes in memory") {
        let byte = record.position().map_or(0, |p| p.byte());
        let end = csv.position().byte();
        let follow = csv.get_mut();
        // The line: the first byte from `byte` that is not a line break.
        let mut start = byte;
        while let Some(&(at, ends_line)) = follow.breaks.front() {
            if at > start {
                break;
            }
            if at == start {
                start += 1;
            }
            if ends_line {
                follow.lines_before += 1;
            }
            follow.breaks.pop_front();
        }
        let line = follow.lines_before + 1;
        let mut fault = None;
        while let Some(&(at, f)) = follow.faults.front() {
            if at > end {
                break;
            }
            fault = fault.or(Some(f));
            follow.faults.pop_front();
        }
        out.push((
            line,
            record.iter().map(<[u8]>::to_vec).collect(),
            fault.map(|f| f.reason(line)),
        ));
    }
    out
}
