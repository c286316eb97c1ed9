//! Amazon Connect Contact Lens analysis output files, one JSON per contact: the call id is
//! `CustomerMetadata.ContactId`; `Participants` map each `ParticipantId` to its
//! `ParticipantRole` (`AGENT`, `CUSTOMER`); each `Transcript` item has its `ParticipantId`,
//! `BeginOffsetMillis` and `Content` (`[PII]` where the service redacted). Offsets count from
//! the call's `call_started` in the facts log (the timestamps are written in its offset).
//! Every other field (sentiment, loudness, categories, characteristics) is ignored.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::Duration;
use serde::Deserialize;

use super::facts::Facts;
use super::{TagRejected, Utterance};
use crate::error::Error;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Analysis {
    customer_metadata: CustomerMetadata,
    participants: Vec<Participant>,
    transcript: Vec<Item>,
    #[serde(default)]
    job_status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerMetadata {
    contact_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Participant {
    participant_id: String,
    participant_role: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Item {
    participant_id: String,
    begin_offset_millis: i64,
    content: String,
}

/// The `.json` files of a folder, by name.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::TagInput {
            source_name: dir.display().to_string(),
            why: "no .json file here: a Contact Lens folder holds one analysis file per contact"
                .to_owned(),
        });
    }
    Ok(files)
}

/// The utterances of one analysis file, each or its rejection; the whole file rejected when
/// it is no Contact Lens analysis file or its call has no facts.
pub fn read(
    path: &Path,
    facts: &Facts,
) -> Result<Vec<Result<Utterance, TagRejected>>, TagRejected> {
    let name = path.display().to_string();
    let file_rejected = |call_id: &str, reason: String| TagRejected {
        place: name.clone(),
        call_id: call_id.to_owned(),
        reason,
    };
    let bytes = fs::read(path).map_err(|e| file_rejected("", format!("cannot read: {e}")))?;
    let analysis: Analysis = serde_json::from_slice(&bytes).map_err(|e| {
        file_rejected(
            "",
            format!("not a Contact Lens analysis file (CustomerMetadata.ContactId, Participants, Transcript): {e}"),
        )
    })?;
    let call_id = analysis.customer_metadata.contact_id;
    if let Some(status) = analysis.job_status.as_deref().filter(|s| *s != "COMPLETED") {
        return Err(file_rejected(
            &call_id,
            format!("JobStatus is {status}, not COMPLETED: no finished transcript"),
        ));
    }
    let Some(rows) = facts.call(&call_id) else {
        return Err(file_rejected(
            &call_id,
            format!("no facts for contact '{call_id}': its call_started must be in the facts file"),
        ));
    };
    let Some(start) = rows.first() else {
        return Err(file_rejected(&call_id, "no call_started".to_owned()));
    };
    let mut out = Vec::with_capacity(analysis.transcript.len());
    let mut previous: Option<i64> = None;
    for (i, item) in analysis.transcript.iter().enumerate() {
        let place = format!("{name}: Transcript[{i}]");
        let reject = |reason: String| {
            Err(TagRejected {
                place: place.clone(),
                call_id: call_id.clone(),
                reason,
            })
        };
        let role = analysis
            .participants
            .iter()
            .find(|p| p.participant_id == item.participant_id)
            .map(|p| p.participant_role.as_str());
        let Some(speaker) = role.and_then(super::turns::speaker) else {
            out.push(reject(format!(
                "unknown speaker: ParticipantId '{}' is {} (AGENT or CUSTOMER)",
                item.participant_id,
                role.map_or("in no Participants entry".to_owned(), |r| format!(
                    "role '{r}'"
                ))
            )));
            continue;
        };
        if item.begin_offset_millis < 0 || previous.is_some_and(|p| item.begin_offset_millis < p) {
            out.push(reject(format!(
                "BeginOffsetMillis {} goes backwards (the previous item's is {})",
                item.begin_offset_millis,
                previous.unwrap_or(0)
            )));
            continue;
        }
        previous = Some(item.begin_offset_millis);
        let instant = start.instant + Duration::milliseconds(item.begin_offset_millis);
        let timestamp = if item.begin_offset_millis % 1000 == 0 {
            instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        } else {
            instant.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        };
        out.push(Ok(Utterance {
            call_id: call_id.clone(),
            timestamp,
            instant,
            speaker,
            text: item.content.clone(),
            place,
        }));
    }
    Ok(out)
}
