//! How stamps, times and dates are written. Readable formats (JSON) write them as they always
//! have: RFC 3339 text, ISO dates. Formats that are not human-readable (the compact snapshot,
//! [`crate::Call::save_compact`]) write integers: a time as its seconds since 1970, its
//! nanoseconds and its offset; a date as its days since 1970.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Stamp;

/// A time as integers: seconds since 1970 (UTC), nanoseconds, and the offset in seconds.
type CompactTime = (i64, u32, i32);

fn compact_time(at: &DateTime<FixedOffset>) -> CompactTime {
    (
        at.timestamp(),
        at.timestamp_subsec_nanos(),
        at.offset().local_minus_utc(),
    )
}

fn from_compact_time<E: serde::de::Error>(
    (secs, nanos, offset): CompactTime,
) -> Result<DateTime<FixedOffset>, E> {
    let offset = FixedOffset::east_opt(offset)
        .ok_or_else(|| E::custom(format!("offset of {offset} seconds out of range")))?;
    let utc = DateTime::from_timestamp(secs, nanos)
        .ok_or_else(|| E::custom(format!("time {secs}.{nanos:09} out of range")))?;
    Ok(offset.from_utc_datetime(&utc.naive_utc()))
}

/// A time: RFC 3339 text when readable, integers otherwise (`#[serde(with = ...)]`).
pub(crate) mod time {
    use super::*;

    /// Writes a time.
    pub fn serialize<S: Serializer>(at: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            at.serialize(s)
        } else {
            compact_time(at).serialize(s)
        }
    }

    /// Reads a time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        if d.is_human_readable() {
            DateTime::<FixedOffset>::deserialize(d)
        } else {
            from_compact_time(CompactTime::deserialize(d)?)
        }
    }
}

/// A date: `2026-03-02` when readable, days since 1970 otherwise (`#[serde(with = ...)]`).
pub(crate) mod date {
    use chrono::Datelike;

    use super::*;

    /// 1970-01-01 in days from the common era.
    const EPOCH_FROM_CE: i32 = 719_163;

    /// Writes a date.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            date.serialize(s)
        } else {
            (date.num_days_from_ce() - EPOCH_FROM_CE).serialize(s)
        }
    }

    /// Reads a date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if d.is_human_readable() {
            NaiveDate::deserialize(d)
        } else {
            let days = i32::deserialize(d)?;
            days.checked_add(EPOCH_FROM_CE)
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or_else(|| D::Error::custom(format!("date {days} days from 1970 out of range")))
        }
    }
}

/// The readable form of a stamp: `{"line": 12, "at": "2026-03-02T14:05:11-05:00"}`.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Stamp")]
struct Readable {
    line: u64,
    at: DateTime<FixedOffset>,
}

impl Serialize for Stamp {
    /// `{"line", "at"}` when readable; `(line, seconds, nanoseconds, offset)` otherwise.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            Readable {
                line: self.line,
                at: self.at,
            }
            .serialize(s)
        } else {
            let (secs, nanos, offset) = compact_time(&self.at);
            (self.line, secs, nanos, offset).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        if d.is_human_readable() {
            let Readable { line, at } = Readable::deserialize(d)?;
            Ok(Stamp { line, at })
        } else {
            let (line, secs, nanos, offset) = <(u64, i64, u32, i32)>::deserialize(d)?;
            Ok(Stamp {
                line,
                at: from_compact_time((secs, nanos, offset))?,
            })
        }
    }
}
