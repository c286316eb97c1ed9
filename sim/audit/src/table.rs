//! The small CSV tables callflow reads besides logs (overrides, evaluators' judgements): a
//! header naming the columns (case, spaces and a BOM ignored), then rows kept with their
//! 1-based lines (the header is line 1).

use std::io::Read;

use crate::Error;

/// A table read whole, its columns found by name.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// The header's cells, trimmed and lowercased.
    header: Vec<String>,
    /// The rows, with their lines; blank rows left out.
    pub rows: Vec<TableRow>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone)]
pub(crate) struct TableRow {
    /// Its 1-based line.
    pub line: u64,
    fields: Vec<String>,
}

impl TableRow {
    /// The cell of a column (trimmed; empty when the row is short or the column absent).
    pub fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.fields.get(c))
            .map_or("", |s| s.trim())
    }
}

impl Table {
    /// Reads a table; `required` columns must all be in the header.
    pub fn read(from: impl Read, source: &str, required: &[&str]) -> Result<Table, Error> {
        let mut text = String::new();
        let mut from = from;
        from.read_to_string(&mut text).map_err(|e| Error::Table {
            source_name: source.to_owned(),
            line: 1,
            problem: format!("cannot read it as UTF-8 text ({e})"),
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header: Vec<String> = match records.next() {
            Some(Ok(record)) => record.iter().map(|c| c.trim().to_lowercase()).collect(),
            Some(Err(e)) => {
                return Err(Error::Table {
                    source_name: source.to_owned(),
                    line: 1,
                    problem: format!("the header cannot be read as CSV: {e}"),
                })
            }
            None => {
                return Err(Error::Table {
                    source_name: source.to_owned(),
                    line: 1,
                    problem: format!("empty file: no header (expected {})", required.join(",")),
                })
            }
        };
        for column in required {
            if !header.iter().any(|h| h == column) {
                return Err(Error::Table {
                    source_name: source.to_owned(),
                    line: 1,
                    problem: format!(
                        "missing column '{column}' (expected {}; the header has: {})",
                        required.join(","),
                        header.join(",")
                    ),
                });
            }
        }
        let mut rows = Vec::new();
        for record in records {
            let record = record.map_err(|e| Error::Table {
                source_name: source.to_owned(),
                line: e.position().map_or(0, |p| p.line()),
                problem: format!("cannot be read as CSV: {e}"),
            })?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(TableRow {
                line,
                fields: record.iter().map(str::to_owned).collect(),
            });
        }
        Ok(Table { header, rows })
    }

    /// The place of a column in the header, if there.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}
