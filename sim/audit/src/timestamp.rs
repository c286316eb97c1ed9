//! Row timestamps: RFC 3339 with an offset, parsed once per row.
//!
//! Logs write one layout, `2026-03-02T14:05:11-05:00` (or `Z`); it is read here field by field,
//! and the rows of one day and offset share the work of the date (the last one is remembered).
//! Anything else (fractions of a second, a lower-case `t`, a leap second, a mistake) goes to
//! chrono's RFC 3339 parser, which decides and words the error. Either way the result is the
//! one chrono gives (a property test checks it).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Parses a row's timestamp (see [`Timestamps`] to parse many).
///
/// ```
/// use callflow_audit::timestamp::parse_timestamp;
/// let at = parse_timestamp("2026-03-02T14:05:11-05:00").unwrap();
/// assert_eq!(at.to_rfc3339(), "2026-03-02T14:05:11-05:00");
/// assert!(parse_timestamp("2026-03-02 2pm").is_err());
/// ```
pub fn parse_timestamp(text: &str) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
    Timestamps::default().parse(text)
}

/// Whether a timestamp that failed to parse is a US date: `M/D/YYYY`, `MM/DD/YY`, with or
/// without a time after it (`03/02/2026 2:05 PM`).
///
/// ```
/// use callflow_audit::timestamp::looks_like_us_date;
/// assert!(looks_like_us_date("03/02/2026 2:05 PM"));
/// assert!(looks_like_us_date("3/2/26"));
/// assert!(!looks_like_us_date("2026-03-02T14:05:11"));
/// ```
pub fn looks_like_us_date(text: &str) -> bool {
    let date = text.trim().split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = date.split('/').collect();
    let digits =
        |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    matches!(parts.as_slice(), [m, d, y] if digits(m, &[1, 2]) && digits(d, &[1, 2]) && digits(y, &[2, 4]))
}

/// Whether a timestamp that failed to parse is an RFC 3339 date and time without its offset
/// (`2026-03-02T14:05:11`, `2026-03-02 14:05:11.250`).
///
/// ```
/// use callflow_audit::timestamp::lacks_offset;
/// assert!(lacks_offset("2026-03-02T14:05:11"));
/// assert!(lacks_offset("2026-03-02 14:05"));
/// assert!(!lacks_offset("2026-03-02T14:05:11+25:00"));
/// ```
pub fn lacks_offset(text: &str) -> bool {
    let bytes = text.trim().as_bytes();
    let Some((date, rest)) = bytes.split_at_checked(10) else {
        return false;
    };
    let is_date = date.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    let Some((&sep, time)) = rest.split_first() else {
        return false;
    };
    is_date
        && matches!(sep, b'T' | b't' | b' ')
        && (time.len() == 5 || time.len() >= 8)
        && time
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b':' || *b == b'.')
}

/// Parses the timestamps of a log's rows, remembering the last day and offset seen.
#[derive(Debug, Default, Clone)]
pub struct Timestamps {
    last: Option<Day>,
}

/// A day in one offset: its date and offset as written, the offset read, and where the day
/// starts in UTC (so that a row's time only needs adding to it).
#[derive(Debug, Clone)]
struct Day {
    key: DayKey,
    offset: FixedOffset,
    /// The UTC date of the local midnight, and the one after it.
    utc_date: NaiveDate,
    utc_next_date: Option<NaiveDate>,
    /// Seconds from that UTC date's midnight to the local midnight.
    utc_seconds: u32,
}

/// A day as written: `YYYY-MM-DD`, and the offset's bytes (`Z` or `+HH:MM`) packed in a number
/// (compared in two steps, not copied into a buffer for each row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DayKey {
    date: [u8; 10],
    offset: u64,
}

impl DayKey {
    /// `None` for a date that is not 10 bytes or an offset that is neither `Z` nor 6 bytes.
    fn of(date: &[u8], offset: &[u8]) -> Option<DayKey> {
        let offset = match *offset {
            [zone] => u64::from(zone),
            [sign, h0, h1, colon, m0, m1] => {
                u64::from_be_bytes([1, 0, sign, h0, h1, colon, m0, m1])
            }
            _ => return None,
        };
        Some(DayKey {
            date: date.try_into().ok()?,
            offset,
        })
    }
}

impl Day {
    fn new(key: DayKey, date: NaiveDate, offset: FixedOffset) -> Option<Day> {
        // chrono's own arithmetic, once a day; `None` near the ends of chrono's range leaves
        // those rows to chrono's parser.
        let utc_midnight = date.and_time(NaiveTime::MIN).checked_sub_offset(offset)?;
        Some(Day {
            key,
            offset,
            utc_date: utc_midnight.date(),
            utc_next_date: utc_midnight.date().succ_opt(),
            utc_seconds: utc_midnight.time().num_seconds_from_midnight(),
        })
    }

    /// The instant `seconds` after the local midnight (less than a day).
    fn at(&self, seconds: u32) -> Option<DateTime<FixedOffset>> {
        const DAY: u32 = 86_400;
        let since = self.utc_seconds + seconds;
        let (date, since) = if since < DAY {
            (self.utc_date, since)
        } else {
            (self.utc_next_date?, since - DAY)
        };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(since, 0)?;
        Some(DateTime::from_naive_utc_and_offset(
            NaiveDateTime::new(date, time),
            self.offset,
        ))
    }
}

impl Timestamps {
    /// Parses one timestamp.
    pub fn parse(&mut self, text: &str) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
        match self.common_layout(text.as_bytes()) {
            Some(at) => Ok(at),
            None => DateTime::parse_from_rfc3339(text),
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` then `Z` or `+HH:MM`/`-HH:MM`, when every part is in range.
    fn common_layout(&mut self, text: &[u8]) -> Option<DateTime<FixedOffset>> {
        let [date @ .., b'T', h0, h1, b':', m0, m1, b':', s0, s1] = text.get(..19)? else {
            return None;
        };
        let offset = text.get(19..)?;
        let (hours, minutes, seconds) = (
            two_digits(*h0, *h1)?,
            two_digits(*m0, *m1)?,
            two_digits(*s0, *s1)?,
        );
        if hours >= 24 || minutes >= 60 || seconds >= 60 {
            return None;
        }
        let key = DayKey::of(date, offset)?;
        let since_midnight = hours * 3600 + minutes * 60 + seconds;
        match &self.last {
            Some(day) if day.key == key => day.at(since_midnight),
            _ => {
                let (date, offset) = local_day(date, offset)?;
                let day = self.last.insert(Day::new(key, date, offset)?);
                day.at(since_midnight)
            }
        }
    }
}

/// Midnight of a `YYYY-MM-DD` date in a `Z` or `+HH:MM` offset.
fn local_day(date: &[u8], offset: &[u8]) -> Option<(NaiveDate, FixedOffset)> {
    // The strict `YYYY-MM-DD` of the log's date values.
    let date = std::str::from_utf8(date)
        .ok()
        .and_then(|text| callflow_workflows::vocab::parse_date(text).ok())?;
    let seconds_east = match offset {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), oh0, oh1, b':', om0, om1] => {
            let (hours, minutes) = (two_digits(*oh0, *oh1)?, two_digits(*om0, *om1)?);
            if hours >= 24 || minutes >= 60 {
                return None;
            }
            let east = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' {
                -east
            } else {
                east
            }
        }
        _ => return None,
    };
    Some((date, FixedOffset::east_opt(seconds_east)?))
}

/// Two ASCII digits as a number.
fn two_digits(tens: u8, ones: u8) -> Option<u32> {
    let (tens, ones) = (tens.wrapping_sub(b'0'), ones.wrapping_sub(b'0'));
    (tens < 10 && ones < 10).then(|| u32::from(tens) * 10 + u32::from(ones))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMON: [&str; 10] = [
        "2026-03-02T14:05:11-05:00",
        "2026-03-02T23:59:59-05:00",
        "2026-12-31T20:00:00-05:00",
        "2026-03-02T00:00:00+05:30",
        "2026-03-01T05:29:59+05:30",
        "2026-03-02T14:05:11+05:30",
        "2026-03-02T14:05:11Z",
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "2024-02-29T12:00:00+00:00",
    ];

    #[test]
    fn the_common_layout_reads_as_chrono_does() {
        let mut timestamps = Timestamps::default();
        // Twice over: the second time from the remembered day where it is the same.
        for text in COMMON.iter().chain(COMMON.iter().rev()) {
            // As written: `DateTime`'s equality compares instants, not offsets.
            assert_eq!(
                timestamps
                    .common_layout(text.as_bytes())
                    .map(|at| at.to_rfc3339()),
                DateTime::parse_from_rfc3339(text)
                    .ok()
                    .map(|at| at.to_rfc3339()),
                "{text}"
            );
            assert!(timestamps.last.is_some(), "{text}");
        }
    }

    #[test]
    fn everything_else_goes_to_chrono() {
        let mut timestamps = Timestamps::default();
        for text in [
            "2026-03-02T14:05:11.250-05:00",
            "2026-03-02t14:05:11-05:00",
            "2026-03-02 14:05:11-05:00",
            "2026-12-31T23:59:60Z",
            "2026-02-29T12:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T14:05:11-05:60",
            "2026-03-02T14:05:11-24:00",
            "2026-03-02T14:05:11",
            "2026-03-02T14:05:11 -05:00",
            "2026-03-02T14:05:11-05:00:00",
            "+2026-03-02T14:05:11Z",
            "",
        ] {
            assert_eq!(timestamps.common_layout(text.as_bytes()), None, "{text}");
            assert_eq!(
                timestamps.parse(text).ok(),
                DateTime::parse_from_rfc3339(text).ok(),
                "{text}"
            );
        }
    }
}
