//! Row timestamps: RFC 3339 with an offset, parsed once per row.
//!
//! Logs write one layout, `2026-03-02T14:05:11-05:00` (or `Z`); it is read here field by field.
//! Anything else (fractions of a second, a lower-case `t`, a leap second, a mistake) goes to
//! chrono's RFC 3339 parser, which decides and words the error. Either way the result is the
//! one chrono gives (a property test checks it).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};

/// Parses a row's timestamp.
///
/// ```
/// use callflow_sim::timestamp::parse_timestamp;
/// let at = parse_timestamp("2026-03-02T14:05:11-05:00").unwrap();
/// assert_eq!(at.to_rfc3339(), "2026-03-02T14:05:11-05:00");
/// assert!(parse_timestamp("2026-03-02 2pm").is_err());
/// ```
pub fn parse_timestamp(text: &str) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
    match common_layout(text.as_bytes()) {
        Some(at) => Ok(at),
        None => DateTime::parse_from_rfc3339(text),
    }
}

/// `YYYY-MM-DDTHH:MM:SS` then `Z` or `+HH:MM`/`-HH:MM`, when every part is in range.
fn common_layout(text: &[u8]) -> Option<DateTime<FixedOffset>> {
    let [y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0, s1, offset @ ..] =
        text
    else {
        return None;
    };
    let year = number(&[*y0, *y1, *y2, *y3])?;
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        number(&[*mo0, *mo1])?,
        number(&[*d0, *d1])?,
    )?;
    let time = NaiveTime::from_hms_opt(
        number(&[*h0, *h1])?,
        number(&[*mi0, *mi1])?,
        number(&[*s0, *s1])?,
    )?;
    let seconds_east = match offset {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), oh0, oh1, b':', om0, om1] => {
            let (hours, minutes) = (number(&[*oh0, *oh1])?, number(&[*om0, *om1])?);
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
    FixedOffset::east_opt(seconds_east)?
        .from_local_datetime(&date.and_time(time))
        .single()
}

/// A run of ASCII digits as a number.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &digit| {
        digit
            .is_ascii_digit()
            .then(|| value * 10 + u32::from(digit - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_layout_reads_as_chrono_does() {
        for text in [
            "2026-03-02T14:05:11-05:00",
            "2026-03-02T14:05:11+05:30",
            "2026-03-02T14:05:11Z",
            "0001-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59",
            "2024-02-29T12:00:00+00:00",
        ] {
            assert_eq!(
                common_layout(text.as_bytes()),
                DateTime::parse_from_rfc3339(text).ok(),
                "{text}"
            );
            assert!(common_layout(text.as_bytes()).is_some(), "{text}");
        }
    }

    #[test]
    fn everything_else_goes_to_chrono() {
        for text in [
            "2026-03-02T14:05:11.250-05:00",
            "2026-03-02t14:05:11-05:00",
            "2026-03-02 14:05:11-05:00",
            "2026-12-31T23:59:60Z",
            "2026-02-29T12:00:00Z",
            "2026-03-02T14:05:11-05:60",
            "2026-03-02T14:05:11-24:00",
            "2026-03-02T14:05:11",
            "2026-03-02T14:05:11 -05:00",
            "+2026-03-02T14:05:11Z",
            "",
        ] {
            assert_eq!(common_layout(text.as_bytes()), None, "{text}");
            assert_eq!(
                parse_timestamp(text).ok(),
                DateTime::parse_from_rfc3339(text).ok(),
                "{text}"
            );
        }
    }
}
