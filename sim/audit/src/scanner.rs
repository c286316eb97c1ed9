//! Splits the bytes of a log into records: their fields, the line each starts on, and the
//! quoting mistakes the csv format lets through.
//!
//! A record whose quoting is regular (nearly every row of a log: quoted fields closed, then
//! followed by a comma or the end of the line) is split here, each field's end found by
//! `memchr`. Any other record goes to the csv crate's parser (`csv_core`, configured as
//! `csv::Reader`'s defaults), which decides its fields, while the quoting is followed byte by
//! byte to catch the mistakes it reads through ([`QuoteFault`]). Either way the records are
//! those `csv::Reader` gives (RFC 4180: `,`, `"` doubled inside quotes, `\r`, `\n` or `\r\n`
//! ending a record, blank lines skipped, a leading UTF-8 BOM dropped); a test compares the two
//! on random bytes.
//!
//! Lines are counted from the bytes: `\r\n` ends one line, and so does a lone `\r` or `\n`.
//!
//! The separator is `,` unless told otherwise ([`Scanner::with_delimiter`]) or, when asked to
//! sniff it, the first line has no comma but a `;` or a tab (spreadsheets in many locales
//! export "CSV" with semicolons): then that one.

use std::io::{self, Read};

/// How many bytes are read at a time (the buffer grows for a longer record).
const CHUNK: usize = 256 * 1024;

/// Where a record's bytes leave the RFC 4180 quoting, followed byte by byte as the csv parser
/// reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a record.
    RecordStart,
    /// At the start of a field.
    FieldStart,
    /// Inside an unquoted field (a `"` there is a plain character).
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a `"` inside a quoted field: the closing quote, or half of a doubled one.
    QuoteInQuoted,
}

/// A quoting mistake the csv parser reads through without a word, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteFault {
    /// The file ends inside a quoted field: every line from the opening quote on was read as
    /// part of that one field.
    Unclosed {
        /// The line of the opening quote.
        opened: u64,
    },
    /// Text after a field's closing quote (RFC 4180 wants a `,` or the end of the line): the
    /// sign of a stray or undoubled `"`, which may have swallowed the rows up to that quote.
    TextAfterClosingQuote {
        /// The line of the opening quote.
        opened: u64,
        /// The line of the closing quote.
        closed: u64,
    },
}

impl QuoteFault {
    /// The same fault in a block that starts `lines` line ends into the input.
    pub fn moved_down(self, lines: u64) -> QuoteFault {
        match self {
            QuoteFault::Unclosed { opened } => QuoteFault::Unclosed {
                opened: opened + lines,
            },
            QuoteFault::TextAfterClosingQuote { opened, closed } => {
                QuoteFault::TextAfterClosingQuote {
                    opened: opened + lines,
                    closed: closed + lines,
                }
            }
        }
    }

    /// Why a row with this fault is rejected, for a row that starts on `line`.
    pub fn reason(self, line: u64) -> String {
        let span = |last: u64| {
            if last > line {
                format!("; lines {line} to {last} were read as this one row")
            } else {
                String::new()
            }
        };
        match self {
            QuoteFault::Unclosed { opened } => format!(
                "unclosed quote: the quoted field opened on line {opened} runs to the end of the file; lines {line} to the end were read as this one row"
            ),
            QuoteFault::TextAfterClosingQuote { opened, closed } => format!(
                "malformed quoting: text after the closing quote on line {closed} of the field opened on line {opened} (a '\"' inside a field must be doubled, the field quoted){}",
                span(closed)
            ),
        }
    }
}

/// One record found: where it starts and what was wrong with its quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scanned {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The first quoting mistake in the record, if any.
    pub fault: Option<QuoteFault>,
    /// The byte offset just past the record's fields.
    pub end: u64,
}

/// Reads records from a byte stream.
pub struct Scanner<R> {
    inner: R,
    buf: Vec<u8>,
    /// The next byte to look at, and the end of the bytes read, in `buf`.
    pos: usize,
    len: usize,
    /// The input's offset of `buf[0]`.
    offset: u64,
    eof: bool,
    /// Line ends before `pos`, and whether the byte before `pos` was a `\r`.
    lines: u64,
    after_cr: bool,
    /// Whether the start of the input was looked at for a BOM.
    started: bool,
    /// The parser for records with quotes, and its output buffers.
    quoted: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// The current record's fields: ranges in its bytes (see [`Scanner::view`]).
    ranges: Vec<(usize, usize)>,
    /// Where the current record's bytes are.
    current: Current,
    /// The searches of [`split_record`], set up once.
    search: Search,
    /// The field separator, and whether it is still to be sniffed from the first line.
    delimiter: u8,
    sniff: bool,
    /// Whether the record last read ran into the end of the input inside a quoted field.
    open_at_end: bool,
}

/// Where the bytes of the record last read are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Current {
    /// In the input buffer, from this index, this long (a regular record: no copy).
    Input { start: usize, len: usize },
    /// In `fields`, this long (the csv parser wrote it).
    Parsed { len: usize },
}

/// The fields of one record, borrowed: the record's bytes and where each field lies in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// The record's bytes (with its delimiters and quotes when it was read as written).
    pub bytes: &'a [u8],
    /// Each field's start and end in `bytes`.
    pub ranges: &'a [(usize, usize)],
}

impl<'a> RecordView<'a> {
    /// Field `i`.
    pub fn field(&self, i: usize) -> Option<&'a [u8]> {
        let &(start, end) = self.ranges.get(i)?;
        self.bytes.get(start..end)
    }

    /// Where field `i` lies in [`RecordView::bytes`].
    pub fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.ranges.get(i).map(|&(start, end)| start..end)
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether it has no field (never, for a record read).
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// The csv parser for irregular records, with `delimiter`.
fn quoted_parser(delimiter: u8) -> csv_core::Reader {
    // The parser drops a BOM only on its first read; a blank line read first makes sure it
    // never takes one for a BOM later in the file (this scanner drops the file's own).
    let mut quoted = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let _ = quoted.read_record(b"\n", &mut [], &mut []);
    quoted
}

/// The separator a first line uses when it has no comma: `;` or a tab, whichever it has more
/// of (`None`: keep the comma).
fn sniff(first_line: &[u8]) -> Option<u8> {
    if first_line.contains(&b',') {
        return None;
    }
    let count = |b: u8| first_line.iter().filter(|&&c| c == b).count();
    let (semicolons, tabs) = (count(b';'), count(b'\t'));
    match (semicolons, tabs) {
        (0, 0) => None,
        (s, t) if s >= t => Some(b';'),
        _ => Some(b'\t'),
    }
}

impl Scanner<io::Empty> {
    /// A scanner for blocks of a log cut at line ends ([`crate::blocks`]), read with a known
    /// separator; give it each block with [`Scanner::start_block`].
    pub fn for_blocks(delimiter: u8) -> Scanner<io::Empty> {
        let mut scanner = Scanner::with_buffer(io::empty(), Vec::new(), Some(delimiter));
        scanner.eof = true;
        scanner.started = true;
        scanner
    }

    /// Starts on a block: `bytes` is all there is (the end of the block is the end of its
    /// input: a quoted field still open there is [`QuoteFault::Unclosed`]), with no BOM to
    /// look for, lines counted from 0 at its first byte. Gives back the last block's bytes.
    pub fn start_block(&mut self, bytes: Vec<u8>) -> Vec<u8> {
        let mut last = std::mem::replace(&mut self.buf, bytes);
        last.truncate(self.len);
        self.len = self.buf.len();
        self.pos = 0;
        self.lines = 0;
        self.after_cr = false;
        self.open_at_end = false;
        self.current = Current::Parsed { len: 0 };
        self.ranges.clear();
        // The csv parser may have stopped inside a record at the last block's end; a blank
        // line read first keeps it from taking a BOM (as `quoted_parser`).
        self.quoted.reset();
        let _ = self.quoted.read_record(b"\n", &mut [], &mut []);
        last
    }
}

impl<R: Read> Scanner<R> {
    /// A scanner at the start of the input, for comma-separated records.
    pub fn new(inner: R) -> Scanner<R> {
        Scanner::with_delimiter(inner, Some(b','))
    }

    /// A scanner for records separated by `delimiter`; `None` sniffs it from the first line
    /// (a `;` or a tab when the line has no comma; else the comma).
    pub fn with_delimiter(inner: R, delimiter: Option<u8>) -> Scanner<R> {
        Scanner::with_buffer(inner, vec![0; CHUNK], delimiter)
    }

    fn with_buffer(inner: R, buf: Vec<u8>, delimiter: Option<u8>) -> Scanner<R> {
        let first = delimiter.unwrap_or(b',');
        Scanner {
            inner,
            buf,
            pos: 0,
            len: 0,
            offset: 0,
            eof: false,
            lines: 0,
            after_cr: false,
            started: false,
            quoted: quoted_parser(first),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            ranges: Vec::new(),
            current: Current::Parsed { len: 0 },
            search: Search::new(first),
            delimiter: first,
            sniff: delimiter.is_none(),
            open_at_end: false,
        }
    }

    /// The reader underneath.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The field separator (once the first record is read, the sniffed one).
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Sniffs the separator from the first line (up to 64 KiB of it) and sets it up.
    fn sniff_delimiter(&mut self) -> io::Result<()> {
        const LOOK: usize = 64 * 1024;
        loop {
            let unread = self.unread();
            if unread.contains(&b'\n') || unread.contains(&b'\r') || unread.len() >= LOOK {
                break;
            }
            if !self.fill()? {
                break;
            }
        }
        let unread = self.unread();
        let end = unread
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(unread.len());
        if let Some(found) = sniff(unread.get(..end).unwrap_or_default()) {
            self.delimiter = found;
            self.quoted = quoted_parser(found);
            self.search = Search::new(found);
        }
        Ok(())
    }

    /// How many line ends lie before the next byte to look at (`\r\n` counts one).
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Where a new scanner could take over from this one: the bytes and the line ends before
    /// the next byte to look at, once the `\n` of a `\r\n` whose `\r` was passed is passed
    /// too (a new scanner would count it as a line of its own).
    pub fn resume_point(&mut self) -> io::Result<(u64, u64)> {
        if self.after_cr {
            if self.unread().is_empty() {
                self.fill()?;
            }
            if self.unread().first() == Some(&b'\n') {
                self.pos += 1;
            }
            self.after_cr = false;
        }
        Ok((self.bytes_read(), self.lines))
    }

    /// The reader, and the bytes read from it but not yet looked at: to go on reading the
    /// input in blocks once its header is read. Call [`Scanner::resume_point`] first.
    pub fn into_unread(self) -> (R, Vec<u8>) {
        let unread = self.unread().to_vec();
        (self.inner, unread)
    }

    /// Whether the record last read ran into the end of the input inside a quoted field (its
    /// fault is then [`QuoteFault::Unclosed`], unless an earlier fault in it came first).
    pub fn open_at_end(&self) -> bool {
        self.open_at_end
    }

    /// How many bytes of the input lie before the next record.
    pub fn bytes_read(&self) -> u64 {
        self.offset + self.pos as u64
    }

    /// Moves the unread bytes to the front of the buffer and reads more after them (growing
    /// the buffer when it is full). `false` at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.len, 0);
            self.offset += self.pos as u64;
            self.len -= self.pos;
            self.pos = 0;
        }
        if self.len == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            let Some(space) = self.buf.get_mut(self.len..) else {
                return Ok(false);
            };
            match self.inner.read(space) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The bytes read and not yet looked at.
    fn unread(&self) -> &[u8] {
        self.buf.get(self.pos..self.len).unwrap_or_default()
    }

    /// Counts the line ends of bytes being passed over.
    fn count_lines(&mut self, bytes: &[u8]) {
        count_lines(bytes, &mut self.lines, &mut self.after_cr);
    }

    /// The record last read by [`Scanner::next_record`].
    pub fn view(&self) -> RecordView<'_> {
        let bytes = match self.current {
            Current::Input { start, len } => self.buf.get(start..start + len),
            Current::Parsed { len } => self.fields.get(..len),
        };
        RecordView {
            bytes: bytes.unwrap_or_default(),
            ranges: &self.ranges,
        }
    }

    /// Reads the next record (see [`Scanner::view`] for its fields). `Ok(None)` at the end of
    /// the input.
    pub fn next_record(&mut self) -> io::Result<Option<Scanned>> {
        if !self.started {
            while self.len < 3 && self.fill()? {}
            if self.unread().starts_with(b"\xEF\xBB\xBF") {
                self.pos += 3;
            }
            if self.sniff {
                self.sniff_delimiter()?;
            }
            self.started = true;
        }
        // Blank lines (and the end of the previous record) are skipped.
        loop {
            match self.unread().first() {
                Some(&b @ (b'\n' | b'\r')) => {
                    self.count_lines(&[b]);
                    self.pos += 1;
                }
                Some(_) => break,
                None => {
                    if !self.fill()? {
                        return Ok(None);
                    }
                }
            }
        }
        let line = self.lines + 1;
        self.open_at_end = false;
        loop {
            let unread = self.buf.get(self.pos..self.len).unwrap_or_default();
            match split_record(unread, self.eof, &mut self.ranges, &self.search) {
                Split::Record { len, breaks } => {
                    if breaks {
                        let bytes = unread.get(..len).unwrap_or_default();
                        count_lines(bytes, &mut self.lines, &mut self.after_cr);
                    }
                    self.current = Current::Input {
                        start: self.pos,
                        len,
                    };
                    self.pos += len;
                    // The record's last byte is not a line break (its terminator is left for
                    // the next call).
                    self.after_cr = false;
                    return Ok(Some(Scanned {
                        line,
                        fault: None,
                        end: self.bytes_read(),
                    }));
                }
                Split::NeedMore => {
                    self.fill()?;
                }
                Split::Irregular => return self.parsed_record(line).map(Some),
            }
        }
    }

    /// An irregular record: the csv parser reads it, the quoting follower watches.
    fn parsed_record(&mut self, line: u64) -> io::Result<Scanned> {
        let mut follower = Follower {
            quoting: Quoting::RecordStart,
            opened: 0,
            fault: None,
            delimiter: self.delimiter,
        };
        let (mut out, mut ends) = (0usize, 0usize);
        loop {
            let input = self.buf.get(self.pos..self.len).unwrap_or_default();
            let (result, read, wrote, ended) = self.quoted.read_record(
                input,
                self.fields.get_mut(out..).unwrap_or_default(),
                self.ends.get_mut(ends..).unwrap_or_default(),
            );
            let consumed = input.get(..read).unwrap_or_default();
            // Line numbers for the follower: the line ends before each byte.
            let (mut lines, mut after_cr) = (self.lines, self.after_cr);
            for &b in consumed {
                follower.step(b, lines + 1);
                count_lines(&[b], &mut lines, &mut after_cr);
            }
            (self.lines, self.after_cr) = (lines, after_cr);
            self.pos += read;
            out += wrote;
            ends += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {
                    if !self.fill()? {
                        // The end of the input: the parser is told with an empty input.
                        if follower.quoting == Quoting::Quoted {
                            self.open_at_end = true;
                            follower.fault.get_or_insert(QuoteFault::Unclosed {
                                opened: follower.opened,
                            });
                            follower.quoting = Quoting::RecordStart;
                        }
                        let (result, _, wrote, ended) = self.quoted.read_record(
                            &[],
                            self.fields.get_mut(out..).unwrap_or_default(),
                            self.ends.get_mut(ends..).unwrap_or_default(),
                        );
                        out += wrote;
                        ends += ended;
                        match result {
                            csv_core::ReadRecordResult::OutputFull => self.grow_fields(),
                            csv_core::ReadRecordResult::OutputEndsFull => self.grow_ends(),
                            _ => break,
                        }
                    }
                }
                csv_core::ReadRecordResult::OutputFull => self.grow_fields(),
                csv_core::ReadRecordResult::OutputEndsFull => self.grow_ends(),
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        self.ranges.clear();
        let mut start = 0;
        for &end in self.ends.get(..ends).unwrap_or_default() {
            self.ranges.push((start, end));
            start = end;
        }
        self.current = Current::Parsed { len: out };
        Ok(Scanned {
            line,
            fault: follower.fault,
            end: self.bytes_read(),
        })
    }

    fn grow_fields(&mut self) {
        let size = self.fields.len() * 2;
        self.fields.resize(size, 0);
    }

    fn grow_ends(&mut self) {
        let size = self.ends.len() * 2;
        self.ends.resize(size, 0);
    }
}

/// Counts the line ends in `bytes` onto `lines`: `\r\n` is one, a lone `\r` or `\n` one too.
/// `after_cr` says whether the byte before them was a `\r`, and then the last of them.
fn count_lines(bytes: &[u8], lines: &mut u64, after_cr: &mut bool) {
    for &b in bytes {
        if b == b'\r' || (b == b'\n' && !*after_cr) {
            *lines += 1;
        }
        *after_cr = b == b'\r';
    }
}

/// How a record's bytes split, as far as the bytes at hand tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    /// The record, `len` bytes long (its terminator not counted); `breaks` when a quoted field
    /// holds a line break.
    Record { len: usize, breaks: bool },
    /// The bytes end before the record does.
    NeedMore,
    /// Text after a closing quote, or the input ends inside quotes: for the csv parser and the
    /// quoting follower.
    Irregular,
}

/// The two searches that split a regular record: the end of an unquoted field (the separator,
/// `\n` or `\r`), and in a quoted field its closing quote or a line break (one pass tells both).
/// `memchr::memchr3` picks its implementation and sets up its needles on every call, a cost as
/// large as the search itself for a field of a few bytes; these are set up once per scanner
/// (AVX2 where the processor has it).
#[derive(Debug, Clone, Copy)]
struct Search {
    /// The field separator.
    delimiter: u8,
    #[cfg(target_arch = "x86_64")]
    avx2: Option<(
        memchr::arch::x86_64::avx2::memchr::Three,
        memchr::arch::x86_64::avx2::memchr::Three,
    )>,
}

impl Search {
    fn new(delimiter: u8) -> Search {
        #[cfg(target_arch = "x86_64")]
        use memchr::arch::x86_64::avx2::memchr::Three;
        Search {
            delimiter,
            #[cfg(target_arch = "x86_64")]
            avx2: Three::new(delimiter, b'\n', b'\r').zip(Three::new(b'"', b'\n', b'\r')),
        }
    }

    /// Where the first separator, `\n` or `\r` is.
    fn field_end(&self, bytes: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some((three, _)) = &self.avx2 {
            return three.find(bytes);
        }
        memchr::memchr3(self.delimiter, b'\n', b'\r', bytes)
    }

    /// Where the first `"`, `\n` or `\r` is.
    fn quote_or_break(&self, bytes: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some((_, three)) = &self.avx2 {
            return three.find(bytes);
        }
        memchr::memchr3(b'"', b'\n', b'\r', bytes)
    }
}

/// Splits the record at the start of `bytes` when its quoting is regular (every quoted field
/// closed, then followed by a `,` or the end of the line, with no doubled quote inside): the
/// fields' places go to `ranges`, each found with `memchr`.
fn split_record(
    bytes: &[u8],
    at_eof: bool,
    ranges: &mut Vec<(usize, usize)>,
    search: &Search,
) -> Split {
    let more = if at_eof {
        Split::Irregular
    } else {
        Split::NeedMore
    };
    ranges.clear();
    let mut at = 0;
    let mut breaks = false;
    loop {
        // One field, from `at`.
        if bytes.get(at) == Some(&b'"') {
            let start = at + 1;
            // The closing quote, noting any line break on the way.
            let mut from = start;
            let close = loop {
                let rest = bytes.get(from..).unwrap_or_default();
                let Some(found) = search.quote_or_break(rest).map(|q| from + q) else {
                    return more;
                };
                if bytes.get(found) == Some(&b'"') {
                    break found;
                }
                breaks = true;
                from = found + 1;
            };
            match bytes.get(close + 1) {
                Some(&b) if b == search.delimiter || b == b'\n' || b == b'\r' => {}
                None if at_eof => {}
                None => return Split::NeedMore,
                // A doubled quote (its field must be undone) or text after the closing one.
                Some(_) => return Split::Irregular,
            }
            ranges.push((start, close));
            at = close + 1;
        } else {
            let rest = bytes.get(at..).unwrap_or_default();
            match search.field_end(rest) {
                Some(end) => {
                    ranges.push((at, at + end));
                    at += end;
                }
                None if at_eof => {
                    ranges.push((at, bytes.len()));
                    return Split::Record {
                        len: bytes.len(),
                        breaks,
                    };
                }
                None => return Split::NeedMore,
            }
        }
        // After the field: a separator, the end of the line, or the end of the input.
        match bytes.get(at) {
            Some(&b) if b == search.delimiter => at += 1,
            Some(b'\n' | b'\r') => return Split::Record { len: at, breaks },
            None if at_eof => return Split::Record { len: at, breaks },
            None => return Split::NeedMore,
            Some(_) => return Split::Irregular,
        }
    }
}

/// Follows the quoting of one record's bytes and keeps its first mistake.
struct Follower {
    quoting: Quoting,
    /// The line of the last opening quote.
    opened: u64,
    fault: Option<QuoteFault>,
    /// The field separator.
    delimiter: u8,
}

impl Follower {
    /// One byte, on line `line`.
    fn step(&mut self, b: u8, line: u64) {
        self.quoting = match (self.quoting, b) {
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::RecordStart, b'\n' | b'\r') => Quoting::RecordStart,
            (Quoting::RecordStart | Quoting::FieldStart, b'"') => {
                self.opened = line;
                Quoting::Quoted
            }
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (_, b) if b == self.delimiter => Quoting::FieldStart,
            (_, b'\n' | b'\r') => Quoting::RecordStart,
            (Quoting::QuoteInQuoted, _) => {
                self.fault.get_or_insert(QuoteFault::TextAfterClosingQuote {
                    opened: self.opened,
                    closed: line,
                });
                Quoting::Unquoted
            }
            (_, _) => Quoting::Unquoted,
        };
    }
}

#[cfg(test)]
#[path = "scanner_reference.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;

    /// What the scanner makes of `input`, read `chunk` bytes at a time.
    fn scan(input: &[u8], chunk: usize) -> Vec<(u64, Vec<Vec<u8>>, Option<String>)> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut scanner = Scanner::new(Trickle(input, chunk));
        let mut out = Vec::new();
        while let Some(scanned) = scanner.next_record().expect("bytes in memory") {
            let view = scanner.view();
            out.push((
                scanned.line,
                (0..view.len())
                    .map(|i| view.field(i).expect("a field").to_vec())
                    .collect(),
                scanned.fault.map(|f| f.reason(scanned.line)),
            ));
        }
        out
    }

    #[test]
    fn records_lines_and_faults_are_the_old_readers_on_random_bytes() {
        // Bytes that matter to CSV, and a few that do not; no BOM (see the next test).
        const ALPHABET: &[u8] = b",,,\"\"\"\n\n\r ab\xC3\xA9";
        let mut rng = fastrand::Rng::with_seed(7);
        for case in 0..22_000 {
            // Mostly short inputs (every small shape), some long ones (many records).
            let len = if case < 20_000 {
                rng.usize(0..40)
            } else {
                rng.usize(0..400)
            };
            agrees_with_the_old_reader(&random_bytes(&mut rng, ALPHABET, len), case, [1, 3]);
        }
    }

    /// `len` bytes drawn from `alphabet`.
    fn random_bytes(rng: &mut fastrand::Rng, alphabet: &[u8], len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                alphabet
                    .get(rng.usize(..alphabet.len()))
                    .copied()
                    .unwrap_or(b',')
            })
            .collect()
    }

    /// The scanner reads `input` as the old reader does, read in chunks of each of `chunks`
    /// bytes and all at once.
    fn agrees_with_the_old_reader(input: &[u8], case: usize, chunks: [usize; 2]) {
        let expected = reference::records(input);
        for chunk in chunks.into_iter().chain([1 << 20]) {
            assert_eq!(
                scan(input, chunk),
                expected,
                "case {case}, chunk {chunk}: {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn long_fields_split_as_the_old_reader_splits_them() {
        // Few structural bytes: fields and quoted text run over many bytes (the searches' long
        // paths), and records end anywhere.
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789 ,,\"\n\r";
        let mut rng = fastrand::Rng::with_seed(11);
        for case in 0..4_000 {
            let len = rng.usize(0..600);
            agrees_with_the_old_reader(&random_bytes(&mut rng, ALPHABET, len), case, [1, 7]);
        }
    }

    #[test]
    fn a_bom_is_dropped_once_at_the_start_only() {
        let bom = "\u{feff}";
        let input = format!("{bom}\"a\",b\nc,{bom}\"d\"\n{bom}\"e\"\n");
        let records = scan(input.as_bytes(), 4);
        let fields: Vec<Vec<Vec<u8>>> = records.iter().map(|r| r.1.clone()).collect();
        assert_eq!(
            fields,
            vec![
                vec![b"a".to_vec(), b"b".to_vec()],
                vec![b"c".to_vec(), format!("{bom}\"d\"").into_bytes()],
                vec![format!("{bom}\"e\"").into_bytes()],
            ]
        );
        assert!(records.iter().all(|r| r.2.is_none()));
        // As the csv crate reads it.
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input.as_bytes());
        let from_csv: Vec<Vec<Vec<u8>>> = csv
            .byte_records()
            .map(|r| r.expect("a record").iter().map(<[u8]>::to_vec).collect())
            .collect();
        assert_eq!(fields, from_csv);
    }

    #[test]
    fn the_separator_is_sniffed_from_a_first_line_without_commas() {
        assert_eq!(sniff(b"call_id;timestamp;event"), Some(b';'));
        assert_eq!(sniff(b"call_id\ttimestamp\tevent"), Some(b'\t'));
        assert_eq!(sniff(b"call_id,timestamp;event"), None, "a comma wins");
        assert_eq!(sniff(b"call_id"), None);
        assert_eq!(sniff(b"a;b\tc;d"), Some(b';'), "the commoner one");
    }

    #[test]
    fn records_split_by_another_separator_are_the_csv_crates() {
        // Random records with ';' as the separator (and stray commas as text), against the csv
        // crate reading them with the same separator.
        const ALPHABET: &[u8] = b";;;,\"\"\n\rab";
        let mut rng = fastrand::Rng::with_seed(5);
        for case in 0..5_000 {
            let mut input = b"h1;h2\n".to_vec();
            let len = rng.usize(0..60);
            input.extend(random_bytes(&mut rng, ALPHABET, len));
            let mut scanner = Scanner::with_delimiter(input.as_slice(), None);
            let mut ours = Vec::new();
            while scanner.next_record().expect("bytes in memory").is_some() {
                let view = scanner.view();
                ours.push(
                    (0..view.len())
                        .map(|i| view.field(i).expect("a field").to_vec())
                        .collect::<Vec<_>>(),
                );
            }
            assert_eq!(scanner.delimiter(), b';');
            let theirs: Vec<Vec<Vec<u8>>> = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(b';')
                .from_reader(input.as_slice())
                .byte_records()
                .map(|r| r.expect("a record").iter().map(<[u8]>::to_vec).collect())
                .collect();
            assert_eq!(
                ours,
                theirs,
                "case {case}: {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }

    #[test]
    fn long_records_grow_the_buffer() {
        let text = "x".repeat(3 * CHUNK);
        let input = format!("a,b\n1,{text}\n2,\"{text}\"\n");
        let records = scan(input.as_bytes(), 1 << 20);
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].1[1].len(), 3 * CHUNK);
        assert_eq!(records[2].1[1].len(), 3 * CHUNK);
        assert_eq!(records[2].0, 3);
    }
}
