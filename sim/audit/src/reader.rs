//! The streaming reader of v1 call logs: columns found by name, extra columns ignored, a BOM
//! and CRLF (or a lone CR) accepted, each row borrowed from the read buffer.
//!
//! The records are split by [`crate::scanner`], as the csv crate splits them; besides, it
//! catches the quoting mistakes the crate reads through (a quote never closed, text after a
//! closing quote: the signs of rows swallowed into one field) and rejects the row that holds
//! them, and it refuses a header that is not UTF-8 text.
//!
//! Line numbers are counted from the bytes read, not taken from the csv crate: its record
//! positions lag one line behind with CRLF line ends and after blank lines
//! (BurntSushi/rust-csv#395, #208).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use csv::ByteRecord;

use crate::blocks::BlockReader;
use crate::error::Error;
use crate::identity::{Hashed, LogIdentity};
use crate::rejection::RejectKind;
pub use crate::scanner::RecordView;
use crate::scanner::{QuoteFault, Scanner};

/// Where each column of the log is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    call_id: usize,
    timestamp: usize,
    event: usize,
    agent_id: Option<usize>,
    value: Option<usize>,
    text: Option<usize>,
    count: usize,
}

/// The columns a log must have.
pub const REQUIRED_COLUMNS: [&str; 3] = ["call_id", "timestamp", "event"];

/// A column name as matched when it is not written exactly: lower case, without `_`, `-` and
/// white space (`CallID`, `Call ID` and `call-id` all give `callid`).
fn normalised(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Columns {
    /// Finds the columns by name in a header record (a leading UTF-8 BOM is ignored).
    pub fn from_header(header: &ByteRecord, source_name: &str) -> Result<Columns, Error> {
        Columns::find(header, source_name, &mut Vec::new())
    }

    /// Finds the columns by name in a header record, as [`Columns::from_header`]; a column
    /// not written exactly is matched ignoring case, `_`, `-` and spaces (`CallID` is
    /// `call_id`), with a note in `notes` naming it.
    pub fn find(
        header: &ByteRecord,
        source_name: &str,
        notes: &mut Vec<String>,
    ) -> Result<Columns, Error> {
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let field = if i == 0 {
                    field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
                } else {
                    field
                };
                String::from_utf8_lossy(field).trim().to_owned()
            })
            .collect();
        let mut find = |name: &'static str| -> Result<Option<usize>, Error> {
            let mut hits = names.iter().enumerate().filter(|(_, n)| n.as_str() == name);
            let first = hits.next().map(|(i, _)| i);
            if hits.next().is_some() {
                return Err(Error::DuplicateColumn {
                    source_name: source_name.to_owned(),
                    column: name.to_owned(),
                });
            }
            if first.is_some() {
                return Ok(first);
            }
            let wanted = normalised(name);
            let like: Vec<(usize, &String)> = names
                .iter()
                .enumerate()
                .filter(|(_, n)| normalised(n) == wanted)
                .collect();
            match like.as_slice() {
                [] => Ok(None),
                [(i, written)] => {
                    notes.push(format!("column '{written}' read as {name}"));
                    Ok(Some(*i))
                }
                [(_, a), (_, b), ..] => Err(Error::AmbiguousColumn {
                    source_name: source_name.to_owned(),
                    column: name,
                    first: (*a).clone(),
                    second: (*b).clone(),
                }),
            }
        };
        let mut required = |name: &'static str| -> Result<usize, Error> {
            find(name)?.ok_or_else(|| {
                let mut found: String = names.join(",").chars().take(120).collect();
                if found.is_empty() {
                    found = "nothing".to_owned();
                }
                let hint = match names.as_slice() {
                    [one] if one.contains([';', '\t', ',', '|']) => {
                        "; is the file separated by another character? --delimiter chooses it"
                    }
                    _ => "",
                };
                Error::MissingColumn {
                    source_name: source_name.to_owned(),
                    column: name,
                    found,
                    hint,
                }
            })
        };
        let call_id = required("call_id")?;
        let timestamp = required("timestamp")?;
        let event = required("event")?;
        Ok(Columns {
            call_id,
            timestamp,
            event,
            agent_id: find("agent_id")?,
            value: find("value")?,
            text: find("text")?,
            count: names.len(),
        })
    }
}

/// One row of a log, borrowed from the reader's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'r> {
    /// 1-based line where the row starts (the header is line 1).
    pub line: u64,
    /// `call_id`
    pub call_id: &'r str,
    /// `timestamp`, unparsed.
    pub timestamp: &'r str,
    /// `agent_id` (empty when absent).
    pub agent_id: &'r str,
    /// `event`
    pub event: &'r str,
    /// `value` (empty when absent).
    pub value: &'r str,
    /// `text` (empty when absent).
    pub text: &'r str,
}

/// A row the reader could not make into a [`Row`]: its line and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow<'r> {
    /// 1-based line.
    pub line: u64,
    /// The row's call id, when it could be read.
    pub call_id: &'r str,
    /// Why, naming the value.
    pub reason: String,
    /// What kind of fault it is.
    pub kind: RejectKind,
}

/// A streaming reader of one v1 log.
pub struct LogReader<R> {
    scanner: Scanner<Hashed<R>>,
    columns: Columns,
    source_name: String,
    rows_read: u64,
    notes: Vec<String>,
}

/// How to read a log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The field separator; `None` sniffs it: a header with no comma but `;` or tabs is
    /// read with that separator (and a note says so).
    pub delimiter: Option<u8>,
}

impl LogReader<File> {
    /// Opens a log file. A missing file, a folder, an empty file or a missing column is an
    /// [`Error`] naming the path.
    pub fn open(path: &Path) -> Result<LogReader<File>, Error> {
        LogReader::open_with(path, ReadOptions::default())
    }

    /// Opens a log file with options.
    pub fn open_with(path: &Path, options: ReadOptions) -> Result<LogReader<File>, Error> {
        if path.is_dir() {
            return Err(Error::IsADirectory {
                path: path.to_owned(),
            });
        }
        let file = File::open(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        LogReader::with_options(file, &path.display().to_string(), options)
    }
}

impl<R: Read> LogReader<R> {
    /// Reads the header of a log from any reader; `source_name` names it in messages. The
    /// separator is sniffed (see [`ReadOptions::delimiter`]).
    pub fn new(reader: R, source_name: &str) -> Result<LogReader<R>, Error> {
        LogReader::with_options(reader, source_name, ReadOptions::default())
    }

    /// Reads the header of a log from any reader, with options.
    pub fn with_options(
        reader: R,
        source_name: &str,
        options: ReadOptions,
    ) -> Result<LogReader<R>, Error> {
        let mut scanner = Scanner::with_delimiter(Hashed::new(reader), options.delimiter);
        let scanned = scanner
            .next_record()
            .map_err(|e| Error::Csv {
                source_name: source_name.to_owned(),
                line: 1,
                message: e.to_string(),
            })?
            .ok_or_else(|| Error::Empty {
                source_name: source_name.to_owned(),
            })?;
        if let Some(fault) = scanned.fault {
            return Err(Error::Header {
                source_name: source_name.to_owned(),
                problem: fault.reason(1),
            });
        }
        let view = scanner.view();
        let mut header = ByteRecord::new();
        for i in 0..view.len() {
            header.push_field(view.field(i).unwrap_or_default());
        }
        check_text(&header, source_name)?;
        let mut notes = Vec::new();
        let delimiter = scanner.delimiter();
        if options.delimiter.is_none() && delimiter != b',' {
            notes.push(format!(
                "read with {} as the separator: the header has no comma (--delimiter chooses \
                 another)",
                delimiter_name(delimiter)
            ));
        }
        let columns = Columns::find(&header, source_name, &mut notes)?;
        Ok(LogReader {
            scanner,
            columns,
            source_name: source_name.to_owned(),
            rows_read: 0,
            notes,
        })
    }

    /// What the reader did that the user should know, one sentence each: a separator
    /// sniffed, columns matched by a normalised name.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The field separator the log is read with.
    pub fn delimiter(&self) -> u8 {
        self.scanner.delimiter()
    }

    /// The input's name, as given.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The input's identity: its name and the SHA-256 of every byte read. Ask once the last
    /// row was read (bytes read after it are not hashed).
    pub fn identity(&self) -> LogIdentity {
        LogIdentity {
            name: self.source_name.clone(),
            sha256: self.scanner.get_ref().finish(),
        }
    }

    /// How many rows (not counting the header) were read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Reads the next row: `Ok(None)` at the end; `Ok(Some(Err(bad)))` for a row that cannot
    /// be used (wrong field count, invalid UTF-8); `Err` only when reading itself fails.
    pub fn next_row(&mut self) -> Result<Option<Result<Row<'_>, BadRow<'_>>>, Error> {
        let columns = self.columns;
        Ok(self
            .next_record()?
            .map(|(raw, view)| raw.row_of(view, &columns)))
    }

    /// Reads the next record: where it starts, whether the reader saw a quoting fault in it,
    /// and its fields, borrowed until the next read (turn them into a row with
    /// [`RawRecord::row_of`], or copy them into a [`RecordBatch`]). `Ok(None)` at the end.
    pub fn next_record(&mut self) -> Result<Option<(RawRecord, RecordView<'_>)>, Error> {
        let scanned = self.scanner.next_record().map_err(|e| Error::Csv {
            source_name: self.source_name.clone(),
            line: self.rows_read + 2,
            message: e.to_string(),
        })?;
        let Some(scanned) = scanned else {
            return Ok(None);
        };
        self.rows_read += 1;
        let raw = RawRecord {
            line: scanned.line,
            fault: scanned.fault,
            end: scanned.end,
        };
        Ok(Some((raw, self.scanner.view())))
    }

    /// Goes on reading the log after its header in blocks of about `size` bytes cut at line
    /// ends, for several threads to split at once ([`crate::blocks`]). Call it before any
    /// row is read.
    pub fn into_blocks(mut self, size: usize) -> Result<BlockReader<R>, Error> {
        let start = self.scanner.resume_point().map_err(|e| Error::Csv {
            source_name: self.source_name.clone(),
            line: self.rows_read + 2,
            message: e.to_string(),
        })?;
        let (inner, unread) = self.scanner.into_unread();
        Ok(BlockReader::new(
            inner,
            self.source_name,
            unread,
            start,
            size,
        ))
    }

    /// Where the columns are.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// How many bytes of the input have been read into records so far.
    pub fn bytes_read(&self) -> u64 {
        self.scanner.bytes_read()
    }
}

/// Where a record starts, and what the reader saw wrong in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// 1-based line where the record starts.
    pub line: u64,
    /// A quoting fault the reader saw in the record's bytes.
    pub fault: Option<QuoteFault>,
    /// The byte offset just past the record.
    pub end: u64,
}

impl RawRecord {
    /// The record's fields as a row, or why they cannot be one.
    pub fn row_of<'r>(
        &self,
        record: RecordView<'r>,
        columns: &Columns,
    ) -> Result<Row<'r>, BadRow<'r>> {
        self.row_of_text(record, std::str::from_utf8(record.bytes).ok(), columns)
    }

    /// [`RawRecord::row_of`] for a record whose bytes are known to be `text` (checked as UTF-8
    /// with others at once), or not known to be text (`None`: its fields are checked one by
    /// one, and the first one that is not UTF-8 is the error).
    fn row_of_text<'r>(
        &self,
        record: RecordView<'r>,
        text: Option<&'r str>,
        columns: &Columns,
    ) -> Result<Row<'r>, BadRow<'r>> {
        match self.fault {
            Some(fault) => Err(BadRow {
                line: self.line,
                call_id: call_id_of(record, columns),
                reason: fault.reason(self.line),
                kind: RejectKind::Quoting,
            }),
            None => split_row(record, text, columns, self.line),
        }
    }
}

/// Records read on one thread to be replayed on another, in one buffer: each record's bytes
/// as read, one after the other, the places of its fields, and where it starts. Filling it
/// copies each record once; the replaying thread then reads memory in order, where a list of
/// [`ByteRecord`]s (two buffers each) would scatter it.
#[derive(Debug, Default)]
pub struct RecordBatch {
    bytes: Vec<u8>,
    /// The fields of every record, each relative to its record's start.
    ranges: Vec<(usize, usize)>,
    records: Vec<BatchRecord>,
    /// Where its records' lines and offsets count from: the line ends and bytes of the input
    /// before the block they were read from (0 for records read from the start).
    lines_before: u64,
    bytes_before: u64,
}

/// One record of a [`RecordBatch`].
#[derive(Debug)]
struct BatchRecord {
    raw: RawRecord,
    /// Its bytes in the batch's.
    bytes: (usize, usize),
    /// Its fields in the batch's ranges.
    fields: (usize, usize),
}

impl RecordBatch {
    /// An empty batch with room for `records` records of a typical log (six fields, about
    /// 110 bytes each), so that filling it does not grow it step by step.
    pub fn with_room(records: usize) -> RecordBatch {
        RecordBatch {
            bytes: Vec::with_capacity(records * 128),
            ranges: Vec::with_capacity(records * 6),
            records: Vec::with_capacity(records),
            lines_before: 0,
            bytes_before: 0,
        }
    }

    /// Counts its records' lines and offsets from a block that starts after `lines` line ends
    /// and `bytes` bytes of the input (their lines were counted from the block's start).
    pub fn starting_after(&mut self, lines: u64, bytes: u64) {
        self.lines_before = lines;
        self.bytes_before = bytes;
    }

    /// Adds a record and where it starts.
    pub fn push(&mut self, record: RecordView<'_>, raw: RawRecord) {
        let bytes = (self.bytes.len(), self.bytes.len() + record.bytes.len());
        let fields = (self.ranges.len(), self.ranges.len() + record.ranges.len());
        self.bytes.extend_from_slice(record.bytes);
        self.ranges.extend_from_slice(record.ranges);
        self.records.push(BatchRecord { raw, bytes, fields });
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether it holds no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Empties it, keeping its buffers.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ranges.clear();
        self.records.clear();
        self.lines_before = 0;
        self.bytes_before = 0;
    }

    /// Its records as read, in order: where each starts (lines and offsets counted from the
    /// start of the input) and its fields.
    pub fn records(&self) -> impl Iterator<Item = (RawRecord, RecordView<'_>)> + '_ {
        self.records.iter().map(move |record| {
            let view = RecordView {
                bytes: self
                    .bytes
                    .get(record.bytes.0..record.bytes.1)
                    .unwrap_or_default(),
                ranges: self
                    .ranges
                    .get(record.fields.0..record.fields.1)
                    .unwrap_or_default(),
            };
            (self.placed(&record.raw), view)
        })
    }

    /// A record's start counted from the start of the input.
    fn placed(&self, raw: &RawRecord) -> RawRecord {
        RawRecord {
            line: raw.line + self.lines_before,
            fault: raw.fault.map(|fault| fault.moved_down(self.lines_before)),
            end: raw.end + self.bytes_before,
        }
    }

    /// Its records as rows (or why each cannot be one), in order.
    pub fn rows<'b>(
        &'b self,
        columns: &'b Columns,
    ) -> impl Iterator<Item = Result<Row<'b>, BadRow<'b>>> + 'b {
        // One UTF-8 check for the whole batch (a check per record costs twice as much, most
        // of it getting started); a batch holding a record that is not UTF-8 checks each.
        let all = std::str::from_utf8(&self.bytes).ok();
        self.records
            .iter()
            .zip(self.records())
            .map(move |(record, (raw, view))| {
                // Records start and end at ASCII bytes, between characters; a record that
                // does not (or a batch that is not all UTF-8) has each field checked alone.
                let text = all.and_then(|all| all.get(record.bytes.0..record.bytes.1));
                raw.row_of_text(view, text, columns)
            })
    }
}

/// The raw call id field of a record (for routing rows before they are checked).
pub fn call_id_bytes<'r>(record: RecordView<'r>, columns: &Columns) -> &'r [u8] {
    record.field(columns.call_id).unwrap_or_default()
}

/// A separator as the notes name it: `';'`, `a tab`.
pub fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "a tab".to_owned(),
        b' ' => "a space".to_owned(),
        other => format!("'{}'", char::from(other)),
    }
}

/// A header that is not text is not a log: a binary file, or one saved as UTF-16.
fn check_text(header: &ByteRecord, source_name: &str) -> Result<(), Error> {
    let bytes = header.as_slice();
    let problem = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        "the file is UTF-16 text; a call log must be UTF-8 (save it as \"CSV UTF-8\")"
    } else if std::str::from_utf8(bytes).is_err() {
        "the header row is not UTF-8 text (a binary file?)"
    } else if bytes.iter().any(|&b| b < 0x20 && b != b'\t') {
        "the header row holds control characters (a binary file?)"
    } else {
        return Ok(());
    };
    Err(Error::NotALog {
        source_name: source_name.to_owned(),
        problem,
    })
}

/// The call id of a record, when it can be read (empty otherwise).
fn call_id_of<'r>(record: RecordView<'r>, columns: &Columns) -> &'r str {
    std::str::from_utf8(call_id_bytes(record, columns)).unwrap_or("")
}

/// The row of a record, given its bytes as text when they are valid UTF-8: a field then only
/// needs its ends to fall between characters (they do unless a field is itself invalid).
fn split_row<'r>(
    record: RecordView<'r>,
    text: Option<&'r str>,
    columns: &Columns,
    line: u64,
) -> Result<Row<'r>, BadRow<'r>> {
    let field =
        |index: usize| -> Option<&'r str> { text.and_then(|text| text.get(record.range(index)?)) };
    // The common case without building any error: every column there and valid.
    if record.len() == columns.count {
        let optional = |index: Option<usize>| index.map_or(Some(""), field);
        if let (
            Some(call_id),
            Some(timestamp),
            Some(event),
            Some(agent_id),
            Some(value),
            Some(text),
        ) = (
            field(columns.call_id),
            field(columns.timestamp),
            field(columns.event),
            optional(columns.agent_id),
            optional(columns.value),
            optional(columns.text),
        ) {
            return Ok(Row {
                line,
                call_id,
                timestamp,
                event,
                agent_id,
                value,
                text,
            });
        }
    }
    // Why not, in words.
    let call_id = field(columns.call_id).unwrap_or_else(|| call_id_of(record, columns));
    if record.len() != columns.count {
        return Err(BadRow {
            line,
            call_id,
            reason: format!(
                "expected {} fields as in the header, found {}",
                columns.count,
                record.len()
            ),
            kind: RejectKind::FieldCount,
        });
    }
    // Each column read directly (a loop over arrays of columns and names cost a copy of both
    // a row); the slow path words the error.
    let column = |index: Option<usize>, name: &str| -> Result<&'r str, BadRow<'r>> {
        let Some(index) = index else { return Ok("") };
        if let Some(text) = field(index) {
            return Ok(text);
        }
        let bytes = record.field(index).unwrap_or_default();
        std::str::from_utf8(bytes).map_err(|e| BadRow {
            line,
            call_id,
            reason: format!(
                "column '{name}' is not valid UTF-8 (bad byte at offset {}: {:?})",
                e.valid_up_to(),
                String::from_utf8_lossy(bytes)
                    .chars()
                    .take(60)
                    .collect::<String>()
            ),
            kind: RejectKind::NotUtf8,
        })
    };
    Ok(Row {
        line,
        call_id: column(Some(columns.call_id), "call_id")?,
        timestamp: column(Some(columns.timestamp), "timestamp")?,
        event: column(Some(columns.event), "event")?,
        agent_id: column(columns.agent_id, "agent_id")?,
        value: column(columns.value, "value")?,
        text: column(columns.text, "text")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(u64, String)> {
        let mut reader = LogReader::new(input, "test.csv").unwrap();
        let mut out = Vec::new();
        while let Some(row) = reader.next_row().unwrap() {
            let row = row.unwrap();
            out.push((row.line, row.call_id.to_owned()));
        }
        out
    }

    #[test]
    fn lines_count_the_same_with_lf_crlf_blank_lines_and_quoted_breaks() {
        let lf = "call_id,timestamp,event\nA,t,e\n\nB,t,\"x\ny\"\n\n\nC,t,e\nD,t,e\n";
        let expected: Vec<(u64, String)> = [(2, "A"), (4, "B"), (8, "C"), (9, "D")]
            .into_iter()
            .map(|(l, c)| (l, c.to_owned()))
            .collect();
        assert_eq!(lines(lf.as_bytes()), expected);
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(lines(crlf.as_bytes()), expected);
        let cr = lf.replace('\n', "\r");
        assert_eq!(lines(cr.as_bytes()), expected);
        let bom_crlf = format!("\u{feff}{crlf}");
        assert_eq!(lines(bom_crlf.as_bytes()), expected);
    }

    /// Every record of `log` read alone, and the same records through one batch.
    fn alone_and_batched(log: &[u8]) -> (Vec<String>, Vec<String>) {
        let show = |row: Result<Row<'_>, BadRow<'_>>| match row {
            Ok(row) => format!("{} {} {} {}", row.line, row.call_id, row.event, row.text),
            Err(bad) => format!("{} {:?}: {}", bad.line, bad.call_id, bad.reason),
        };
        let mut reader = LogReader::new(log, "test.csv").unwrap();
        let columns = *reader.columns();
        let mut alone = Vec::new();
        let mut batch = RecordBatch::default();
        while let Some((raw, view)) = reader.next_record().unwrap() {
            alone.push(show(raw.row_of(view, &columns)));
            batch.push(view, raw);
        }
        let batched = batch.rows(&columns).map(show).collect();
        (alone, batched)
    }

    #[test]
    fn a_batch_reads_its_records_as_they_read_alone_invalid_utf8_included() {
        let valid = "call_id,timestamp,event,text\nA,t,e,caf\u{e9}\nB,t,e,\"x, y\"\n";
        let (alone, batched) = alone_and_batched(valid.as_bytes());
        assert_eq!(alone, batched);
        assert!(alone.iter().all(|row| !row.contains("UTF-8")), "{alone:?}");
        // A record ending in half a character and the next starting with the other half: the
        // batch's bytes are valid UTF-8 across the two, each record alone is not.
        let mut split = b"call_id,timestamp,event,text\nA,t,e,caf\xC3\n".to_vec();
        split.extend_from_slice(b"\xA9B,t,e,x\nC,t,e,ok\n");
        let (alone, batched) = alone_and_batched(&split);
        assert_eq!(alone, batched);
        assert!(
            alone[0].contains("column 'text' is not valid UTF-8"),
            "{alone:?}"
        );
        assert!(
            alone[1].contains("column 'call_id' is not valid UTF-8"),
            "{alone:?}"
        );
        assert_eq!(alone[2], "4 C e ok");
    }
}
