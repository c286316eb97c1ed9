//! Speaker turns: a CSV `call_id,timestamp,speaker,text`, one row per utterance (`speaker`
//! `agent` or `customer`, any case; RFC 3339 timestamps; extra columns ignored).

use std::io::Read;

use callflow_workflows::vocab::Speaker;

use super::facts::column;
use super::{TagRejected, Utterance};
use crate::error::Error;
use crate::timestamp::Timestamps;

/// Reads turns one by one: each an utterance, or the row rejected with its line and reason.
pub struct TurnsReader<R: Read> {
    csv: csv::Reader<R>,
    name: String,
    columns: [usize; 4],
    stamps: Timestamps,
    record: csv::StringRecord,
}

impl<R: Read> TurnsReader<R> {
    /// A reader over a turns CSV; a header without the four columns is an [`Error`].
    pub fn new(reader: R, name: &str) -> Result<TurnsReader<R>, Error> {
        let (csv, headers) = super::facts::open_csv(reader, name)?;
        let mut columns = [0; 4];
        for (slot, col) in columns
            .iter_mut()
            .zip(["call_id", "timestamp", "speaker", "text"])
        {
            *slot = column(&headers, col).ok_or_else(|| Error::TagInput {
                source_name: name.to_owned(),
                why: format!(
                    "line 1: no column '{col}' (turns are call_id, timestamp, speaker, text)"
                ),
            })?;
        }
        Ok(TurnsReader {
            csv,
            name: name.to_owned(),
            columns,
            stamps: Timestamps::default(),
            record: csv::StringRecord::new(),
        })
    }
}

/// `agent` or `customer`, any case.
pub fn speaker(text: &str) -> Option<Speaker> {
    if text.eq_ignore_ascii_case("agent") {
        Some(Speaker::Agent)
    } else if text.eq_ignore_ascii_case("customer") {
        Some(Speaker::Customer)
    } else {
        None
    }
}

impl<R: Read> Iterator for TurnsReader<R> {
    type Item = Result<Utterance, TagRejected>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.csv.read_record(&mut self.record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Some(Err(TagRejected {
                    place: format!("{}:{line}", self.name),
                    call_id: String::new(),
                    reason: format!("not a CSV row: {e}"),
                }));
            }
        }
        let line = self.record.position().map_or(0, |p| p.line());
        let place = format!("{}:{line}", self.name);
        let [c_id, c_ts, c_sp, c_text] = self.columns;
        let get = |c: usize| self.record.get(c).unwrap_or("");
        let call_id = get(c_id).to_owned();
        let reject = |reason: String| {
            Some(Err(TagRejected {
                place: place.clone(),
                call_id: call_id.clone(),
                reason,
            }))
        };
        if call_id.is_empty() {
            return reject("no call_id".to_owned());
        }
        let Some(who) = speaker(get(c_sp)) else {
            return reject(format!(
                "unknown speaker '{}' (agent or customer)",
                get(c_sp)
            ));
        };
        let timestamp = get(c_ts).to_owned();
        let text = get(c_text).to_owned();
        let instant = match self.stamps.parse(&timestamp) {
            Ok(at) => at,
            Err(e) => {
                return reject(format!(
                    "timestamp '{timestamp}' is not RFC 3339 with an offset: {e}"
                ))
            }
        };
        Some(Ok(Utterance {
            call_id,
            timestamp,
            instant,
            speaker: who,
            text,
            place,
        }))
    }
}
