//! The streaming reader of v1 call logs: columns found by name, extra columns ignored, a BOM
//! and CRLF accepted, one reused [`csv::ByteRecord`] for every row.
//!
//! Line numbers are counted here, from the bytes read, not taken from the csv crate: its
//! record positions lag one line behind with CRLF line ends and after blank lines
//! (BurntSushi/rust-csv#395, #208).

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};

use crate::error::Error;

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

impl Columns {
    /// Finds the columns by name in a header record (a leading UTF-8 BOM is ignored).
    pub fn from_header(header: &ByteRecord, source_name: &str) -> Result<Columns, Error> {
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
        let find = |name: &str| -> Result<Option<usize>, Error> {
            let mut hits = names.iter().enumerate().filter(|(_, n)| n.as_str() == name);
            let first = hits.next().map(|(i, _)| i);
            if hits.next().is_some() {
                return Err(Error::DuplicateColumn {
                    source_name: source_name.to_owned(),
                    column: name.to_owned(),
                });
            }
            Ok(first)
        };
        let required = |name: &'static str| -> Result<usize, Error> {
            find(name)?.ok_or_else(|| {
                let mut found: String = names.join(",").chars().take(120).collect();
                if found.is_empty() {
                    found = "nothing".to_owned();
                }
                Error::MissingColumn {
                    source_name: source_name.to_owned(),
                    column: name,
                    found,
                }
            })
        };
        Ok(Columns {
            call_id: required("call_id")?,
            timestamp: required("timestamp")?,
            event: required("event")?,
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
}

/// Wraps the input and remembers where the line breaks (`\r`, `\n`) of the bytes read so far
/// are, until the rows before them are numbered. It holds at most the breaks of the csv
/// reader's buffer, not of the whole log.
struct LineCounter<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of the `\r` and `\n` bytes not yet passed (`true` for `\n`), in order.
    breaks: VecDeque<(u64, bool)>,
    /// `\n` bytes passed so far.
    lines_before: u64,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((self.offset + i as u64, b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R> LineCounter<R> {
    /// The 1-based line of a record whose position the csv reader gives as `byte`. That
    /// position may point at the line breaks (and blank lines) before the record: the record
    /// really starts at the first byte from there that is not a line break.
    fn line_of(&mut self, byte: u64) -> u64 {
        let mut start = byte;
        while let Some(&(at, newline)) = self.breaks.front() {
            if at > start {
                break;
            }
            if at == start {
                start += 1;
            }
            if newline {
                self.lines_before += 1;
            }
            self.breaks.pop_front();
        }
        self.lines_before + 1
    }
}

/// A streaming reader of one v1 log.
pub struct LogReader<R> {
    csv: csv::Reader<LineCounter<R>>,
    columns: Columns,
    record: ByteRecord,
    source_name: String,
    rows_read: u64,
}

impl LogReader<File> {
    /// Opens a log file. A missing file, a folder, an empty file or a missing column is an
    /// [`Error`] naming the path.
    pub fn open(path: &Path) -> Result<LogReader<File>, Error> {
        if path.is_dir() {
            return Err(Error::IsADirectory {
                path: path.to_owned(),
            });
        }
        let file = File::open(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        LogReader::new(file, &path.display().to_string())
    }
}

impl<R: Read> LogReader<R> {
    /// Reads the header of a log from any reader; `source_name` names it in messages.
    pub fn new(reader: R, source_name: &str) -> Result<LogReader<R>, Error> {
        let mut csv = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(LineCounter {
                inner: reader,
                offset: 0,
                breaks: VecDeque::new(),
                lines_before: 0,
            });
        let mut header = ByteRecord::new();
        let csv_error = |e: csv::Error, line| Error::Csv {
            source_name: source_name.to_owned(),
            line,
            message: e.to_string(),
        };
        if !csv
            .read_byte_record(&mut header)
            .map_err(|e| csv_error(e, 1))?
        {
            return Err(Error::Empty {
                source_name: source_name.to_owned(),
            });
        }
        let columns = Columns::from_header(&header, source_name)?;
        Ok(LogReader {
            csv,
            columns,
            record: ByteRecord::new(),
            source_name: source_name.to_owned(),
            rows_read: 0,
        })
    }

    /// The input's name, as given.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// How many rows (not counting the header) were read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Reads the next row: `Ok(None)` at the end; `Ok(Some(Err(bad)))` for a row that cannot
    /// be used (wrong field count, invalid UTF-8); `Err` only when reading itself fails.
    pub fn next_row(&mut self) -> Result<Option<Result<Row<'_>, BadRow<'_>>>, Error> {
        let more = self.csv.read_byte_record(&mut self.record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::Csv {
                source_name: self.source_name.clone(),
                line,
                message: e.to_string(),
            }
        })?;
        if !more {
            return Ok(None);
        }
        self.rows_read += 1;
        let byte = self.record.position().map_or(0, |p| p.byte());
        let line = self.csv.get_mut().line_of(byte);
        Ok(Some(split_row(&self.record, &self.columns, line)))
    }
}

const FIELD_NAMES: [&str; 6] = ["call_id", "timestamp", "event", "agent_id", "value", "text"];

fn split_row<'r>(
    record: &'r ByteRecord,
    columns: &Columns,
    line: u64,
) -> Result<Row<'r>, BadRow<'r>> {
    let call_id = record
        .get(columns.call_id)
        .and_then(|f| std::str::from_utf8(f).ok())
        .unwrap_or("");
    if record.len() != columns.count {
        return Err(BadRow {
            line,
            call_id,
            reason: format!(
                "expected {} fields as in the header, found {}",
                columns.count,
                record.len()
            ),
        });
    }
    let indices = [
        Some(columns.call_id),
        Some(columns.timestamp),
        Some(columns.event),
        columns.agent_id,
        columns.value,
        columns.text,
    ];
    let mut fields = [""; 6];
    for (slot, (index, name)) in fields.iter_mut().zip(indices.into_iter().zip(FIELD_NAMES)) {
        let Some(index) = index else { continue };
        let bytes = record.get(index).unwrap_or_default();
        *slot = std::str::from_utf8(bytes).map_err(|e| BadRow {
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
        })?;
    }
    let [call_id, timestamp, event, agent_id, value, text] = fields;
    Ok(Row {
        line,
        call_id,
        timestamp,
        agent_id,
        event,
        value,
        text,
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
        let bom_crlf = format!("\u{feff}{crlf}");
        assert_eq!(lines(bom_crlf.as_bytes()), expected);
    }
}
