//! The facts log: a v1 log of what the systems recorded (no spoken step), held per call.

use std::collections::HashSet;
use std::io::Read;

use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;

use super::TagRejected;
use crate::error::Error;
use crate::timestamp::Timestamps;

/// One row of the facts log.
#[derive(Debug, Clone)]
pub struct FactRow {
    /// The call.
    pub call_id: String,
    /// The timestamp as written.
    pub timestamp: String,
    /// The instant.
    pub instant: DateTime<FixedOffset>,
    /// The agent (on `call_started`).
    pub agent_id: String,
    /// The event.
    pub event: String,
    /// Its value.
    pub value: String,
    /// Its text, if any.
    pub text: String,
    /// The line in the facts file.
    pub line: u64,
}

/// The facts of every call, in the file's order of calls.
#[derive(Debug, Default)]
pub struct Facts {
    order: Vec<String>,
    calls: FxHashMap<String, Vec<FactRow>>,
}

impl Facts {
    /// A call's facts, `call_started` first.
    pub fn call(&self, call_id: &str) -> Option<&[FactRow]> {
        self.calls.get(call_id).map(Vec::as_slice)
    }

    /// Every call with its facts, in the order they start in the file.
    pub fn calls(&self) -> impl Iterator<Item = (&String, &[FactRow])> {
        self.order
            .iter()
            .filter_map(|id| self.calls.get(id).map(|rows| (id, rows.as_slice())))
    }
}

/// The call's `call_ended` row, if the facts have one.
pub fn end(rows: &[FactRow]) -> Option<&FactRow> {
    rows.iter().find(|r| r.event == "call_ended")
}

/// Why an utterance at `instant` is outside its call, if it is.
pub fn outside(rows: &[FactRow], instant: DateTime<FixedOffset>) -> Option<String> {
    let start = rows.first()?;
    if instant < start.instant {
        return Some(format!(
            "before the call started ({} at line {} of the facts)",
            start.timestamp, start.line
        ));
    }
    let end = end(rows)?;
    (instant > end.instant).then(|| {
        format!(
            "after the call ended ({} at line {} of the facts)",
            end.timestamp, end.line
        )
    })
}

/// A flexible CSV reader over `reader` (the tag inputs' files), with its header read; a header
/// that cannot be read is an [`Error`] naming the input.
pub(crate) fn open_csv<R: Read>(
    reader: R,
    name: &str,
) -> Result<(csv::Reader<R>, csv::StringRecord), Error> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| Error::TagInput {
            source_name: name.to_owned(),
            why: format!("cannot read the header: {e}"),
        })?
        .clone();
    Ok((csv, headers))
}

/// The column named `name` (exactly, else ignoring case, `_`, `-` and spaces).
pub(crate) fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    let loose = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    headers.iter().position(|h| h == name).or_else(|| {
        headers
            .iter()
            .position(|h| loose(h.trim_start_matches('\u{feff}')) == loose(name))
    })
}

/// Reads the facts log. A spoken event in it is rejected (it belongs to the transcript: the
/// tagger would count it twice); so are rows that are not v1 rows. A file without its
/// columns is an [`Error`].
pub fn read<R: Read>(
    reader: R,
    name: &str,
    spoken: &HashSet<&'static str>,
) -> Result<(Facts, Vec<TagRejected>), Error> {
    let (mut csv, headers) = open_csv(reader, name)?;
    let need = |col: &str| {
        column(&headers, col).ok_or_else(|| Error::TagInput {
            source_name: name.to_owned(),
            why: format!(
                "line 1: no column '{col}' (a facts file is a v1 log: call_id, timestamp, agent_id, event, value, text)"
            ),
        })
    };
    let (c_id, c_ts, c_ev) = (need("call_id")?, need("timestamp")?, need("event")?);
    let c_agent = column(&headers, "agent_id");
    let c_value = column(&headers, "value");
    let c_text = column(&headers, "text");
    let mut facts = Facts::default();
    let mut rejected = Vec::new();
    let mut stamps = Timestamps::default();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                rejected.push(TagRejected {
                    place: format!("{name}:{line}"),
                    call_id: String::new(),
                    reason: format!("not a CSV row: {e}"),
                });
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let place = format!("{name}:{line}");
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        let call_id = get(Some(c_id));
        let event = get(Some(c_ev));
        let timestamp = get(Some(c_ts));
        let mut reject = |reason: String| {
            rejected.push(TagRejected {
                place: place.clone(),
                call_id: call_id.clone(),
                reason,
            });
        };
        if call_id.is_empty() || event.is_empty() {
            reject("no call_id or no event".to_owned());
            continue;
        }
        if spoken.contains(event.as_str()) {
            reject(format!(
                "'{event}' is a spoken step: it belongs to the transcript, which the tagger reads it from (kept here it would be counted twice)"
            ));
            continue;
        }
        let instant = match stamps.parse(&timestamp) {
            Ok(at) => at,
            Err(e) => {
                reject(format!(
                    "timestamp '{timestamp}' is not RFC 3339 with an offset: {e}"
                ));
                continue;
            }
        };
        let row = FactRow {
            call_id: call_id.clone(),
            timestamp,
            instant,
            agent_id: get(c_agent),
            event,
            value: get(c_value),
            text: get(c_text),
            line,
        };
        match facts.calls.get_mut(&call_id) {
            Some(rows) => rows.push(row),
            None if row.event == "call_started" => {
                facts.order.push(call_id.clone());
                facts.calls.insert(call_id, vec![row]);
            }
            None => reject(format!(
                "row of call '{call_id}' before its call_started (the facts file starts each call with it)"
            )),
        }
    }
    Ok((facts, rejected))
}
