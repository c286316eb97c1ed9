//! Payload values: the syntax of a log's `value` column (amounts in cents, strict dates,
//! choices, free text) and the parsed [`Value`] a step carries.
//!
//! Every event declares its [`Syntax`]; the engine parses a row's value with it once, and a
//! procedure reads the typed [`Value`] back without parsing again.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How many characters of a value a message quotes (see [`Quoted`]).
pub const QUOTED_CHARS: usize = 60;

/// A value from a log as messages quote it: between single quotes, control characters
/// escaped (`\n`, `\u{1b}`), and cut after [`QUOTED_CHARS`] characters with the value's full
/// length, so a huge or binary field cannot flood a report or a terminal.
///
/// ```
/// use callflow_workflows::vocab::Quoted;
/// assert_eq!(Quoted("reward_email_missing").to_string(), "'reward_email_missing'");
/// assert_eq!(Quoted("a\nb").to_string(), "'a\\nb'");
/// let long = "x".repeat(1000);
/// assert_eq!(Quoted(&long).to_string(), format!("'{}...' (1000 bytes)", "x".repeat(60)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        f.write_char('\'')?;
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(QUOTED_CHARS) {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        if chars.next().is_some() {
            write!(f, "...' ({} bytes)", self.0.len())
        } else {
            f.write_char('\'')
        }
    }
}

/// An amount of money in cents. Amounts compare in cents: `79` = `79.00`, `79.5` = `79.50`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cents(pub u64);

impl Cents {
    /// An amount a transcript redacted: written `[PII]` (as Contact Lens redacts), read back
    /// from it, equal to no amount a log can write. A check that compares amounts (PC07)
    /// skips it rather than guess (issue #19).
    pub const REDACTED: Cents = Cents(u64::MAX);

    /// Whether this is [`Cents::REDACTED`].
    pub fn is_redacted(self) -> bool {
        self == Cents::REDACTED
    }

    /// Parses an amount as spreadsheets write it: an optional `$`, digits with optional `,`
    /// thousands separators, and an optional `.` with one or two decimals; or `[PII]`, a
    /// redacted amount ([`Cents::REDACTED`]).
    ///
    /// ```
    /// use callflow_workflows::Cents;
    /// assert_eq!(Cents::parse("$1,079.5").unwrap(), Cents(107_950));
    /// assert_eq!(Cents::parse("79").unwrap(), Cents::parse("79.00").unwrap());
    /// assert!(Cents::parse("-5").is_err());
    /// assert!(Cents::parse("1,00").is_err());
    /// assert!(Cents::parse("[PII]").unwrap().is_redacted());
    /// ```
    pub fn parse(text: &str) -> Result<Cents, Error> {
        if text == "[PII]" {
            return Ok(Cents::REDACTED);
        }
        let bad = |why: &'static str| Error::InvalidValue {
            what: "amount",
            value: text.to_owned(),
            why,
        };
        let body = text.strip_prefix('$').unwrap_or(text);
        let (whole, fraction) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        if whole.is_empty() {
            return Err(bad("expected digits before any decimal point"));
        }
        let mut units: u64 = 0;
        let groups: Vec<&str> = whole.split(',').collect();
        for (i, group) in groups.iter().enumerate() {
            let ok_len = if groups.len() == 1 {
                !group.is_empty()
            } else if i == 0 {
                (1..=3).contains(&group.len())
            } else {
                group.len() == 3
            };
            if !ok_len || !group.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(
                    "expected digits with optional ',' separators between groups of three",
                ));
            }
            for b in group.bytes() {
                units = units
                    .checked_mul(10)
                    .and_then(|u| u.checked_add(u64::from(b - b'0')))
                    .ok_or_else(|| bad("too large"))?;
            }
        }
        let cents = match fraction {
            None => 0,
            Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
                let digits: u64 = f.bytes().fold(0, |acc, b| acc * 10 + u64::from(b - b'0'));
                if f.len() == 1 {
                    digits * 10
                } else {
                    digits
                }
            }
            Some(_) => return Err(bad("expected one or two decimals after '.'")),
        };
        units
            .checked_mul(100)
            .and_then(|u| u.checked_add(cents))
            .map(Cents)
            .filter(|c| !c.is_redacted())
            .ok_or_else(|| bad("too large"))
    }

    /// The amount as a log writes it: `79.50`.
    pub fn plain(self) -> String {
        if self.is_redacted() {
            return "[PII]".to_owned();
        }
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Display for Cents {
    /// `$1,079.50`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_redacted() {
            return f.write_str("[PII] (redacted)");
        }
        let units = self.0 / 100;
        let digits = units.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "${grouped}.{:02}", self.0 % 100)
    }
}

/// Whether a value is empty or only white space (as `str::trim` sees it), deciding from the
/// first byte alone in the common case of a value that starts with a visible ASCII character.
///
/// ```
/// use callflow_workflows::vocab::is_blank;
/// assert!(is_blank("") && is_blank(" \t") && is_blank("\u{3000}"));
/// assert!(!is_blank("C-1") && !is_blank(" x") && !is_blank("\u{1}") && !is_blank("é"));
/// ```
pub fn is_blank(value: &str) -> bool {
    match value.as_bytes().first() {
        None => true,
        // ASCII but not the white space `char::is_whitespace` knows (space, \t to \r).
        Some(&first) if first.is_ascii() && !matches!(first, b' ' | b'\t'..=b'\r') => false,
        Some(_) => value.trim().is_empty(),
    }
}

/// Parses a `YYYY-MM-DD` date that must exist (`2026-02-30` is an error).
///
/// ```
/// assert!(callflow_workflows::vocab::parse_date("2026-02-28").is_ok());
/// assert!(callflow_workflows::vocab::parse_date("2026-02-30").is_err());
/// assert!(callflow_workflows::vocab::parse_date("2026-2-3").is_err());
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, Error> {
    let bad = |why| Error::InvalidValue {
        what: "date",
        value: text.to_owned(),
        why,
    };
    let b = text.as_bytes();
    let shape_ok = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(bad("expected YYYY-MM-DD"));
    }
    // The shape is checked: every other byte is a digit.
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    i32::try_from(digits(0..4))
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, digits(5..7), digits(8..10)))
        .ok_or_else(|| bad("no such date"))
}

/// The syntax of an event's `value` column (call-log-v1.md), and what it parses into.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Syntax {
    /// No value: anything but an empty value is an error. Parses into [`Value::Empty`].
    Empty,
    /// Any value, not read (the event carries nothing). Parses into [`Value::Empty`].
    Ignored,
    /// Free text, empty allowed. [`Value::Text`].
    Text,
    /// Text that must not be blank; `what` names it in errors (`customer name`). [`Value::Text`].
    Required {
        /// What the text is.
        what: &'static str,
    },
    /// A date `YYYY-MM-DD` that exists. [`Value::Date`].
    Date,
    /// A date, or `none`. [`Value::DateOrNone`].
    DateOrNone,
    /// An amount (`79`, `$1,079.50`). [`Value::Amount`].
    Amount,
    /// An amount, or `none`. [`Value::AmountOrNone`].
    AmountOrNone,
    /// One of a list of tokens. [`Value::Choice`] holds the token's index.
    Choice {
        /// What the token is (`team`), for errors.
        what: &'static str,
        /// The tokens, in the order their indexes count.
        options: &'static [&'static str],
        /// The index an empty value stands for, if an empty value is allowed.
        empty: Option<u8>,
        /// The reason given for any other token.
        why: &'static str,
    },
    /// A whole number of minutes, or empty. [`Value::Minutes`].
    Minutes,
    /// Text checked by a procedure's own parser (`key=value;...` forms). [`Value::Text`].
    Checked {
        /// The check: `Ok` when the text is well formed.
        check: fn(&str) -> Result<(), Error>,
    },
}

/// The reason given for a token that is not one of a choice's options.
pub const NOT_DOCUMENTED: &str = "not one of the documented values";

impl Syntax {
    /// A choice among `options` (no empty value), with the usual reason for others.
    pub const fn choice(what: &'static str, options: &'static [&'static str]) -> Syntax {
        Syntax::Choice {
            what,
            options,
            empty: None,
            why: NOT_DOCUMENTED,
        }
    }

    /// Parses a value with this syntax.
    ///
    /// ```
    /// use callflow_workflows::vocab::{Syntax, Value};
    /// let team = Syntax::choice("team", &["rewards_team", "product_team"]);
    /// assert_eq!(team.parse("product_team").unwrap(), Value::Choice(1));
    /// assert!(team.parse("sales").is_err());
    /// assert!(Syntax::Empty.parse("x").is_err());
    /// ```
    #[inline]
    pub fn parse(self, value: &str) -> Result<Value<'_>, Error> {
        Ok(match self {
            Syntax::Empty => {
                if !value.is_empty() {
                    return Err(Error::InvalidValue {
                        what: "value",
                        value: value.to_owned(),
                        why: "this event takes no value",
                    });
                }
                Value::Empty
            }
            Syntax::Ignored => Value::Empty,
            Syntax::Text => Value::Text(value),
            Syntax::Required { what } => {
                if is_blank(value) {
                    return Err(Error::InvalidValue {
                        what,
                        value: value.to_owned(),
                        why: "must not be empty",
                    });
                }
                Value::Text(value)
            }
            Syntax::Date => Value::Date(parse_date(value)?),
            Syntax::DateOrNone => Value::DateOrNone(match value {
                "none" => None,
                date => Some(parse_date(date)?),
            }),
            Syntax::Amount => Value::Amount(Cents::parse(value)?),
            Syntax::AmountOrNone => Value::AmountOrNone(match value {
                "none" => None,
                amount => Some(Cents::parse(amount)?),
            }),
            Syntax::Choice {
                what,
                options,
                empty,
                why,
            } => match (value, empty) {
                ("", Some(index)) => Value::Choice(index),
                _ => options
                    .iter()
                    .position(|option| *option == value)
                    .and_then(|index| u8::try_from(index).ok())
                    .map(Value::Choice)
                    .ok_or_else(|| Error::InvalidValue {
                        what,
                        value: value.to_owned(),
                        why,
                    })?,
            },
            Syntax::Minutes => Value::Minutes(if value.is_empty() {
                None
            } else {
                Some(value.parse::<u32>().map_err(|_| Error::InvalidValue {
                    what: "wait minutes",
                    value: value.to_owned(),
                    why: "expected a whole number of minutes",
                })?)
            }),
            Syntax::Checked { check } => {
                check(value)?;
                Value::Text(value)
            }
        })
    }

    /// Writes a value as a log does: the inverse of [`Syntax::parse`].
    pub fn write(self, value: &Value<'_>) -> String {
        match (*value, self) {
            (Value::Empty, _) => String::new(),
            (Value::Text(text), _) => text.to_owned(),
            (Value::Date(date), _) => date.to_string(),
            (Value::DateOrNone(date), _) => date.map_or("none".to_owned(), |d| d.to_string()),
            (Value::Amount(amount), _) => amount.plain(),
            (Value::AmountOrNone(amount), _) => amount.map_or("none".to_owned(), Cents::plain),
            (Value::Choice(index), Syntax::Choice { options, .. }) => options
                .get(usize::from(index))
                .map_or_else(String::new, |o| (*o).to_owned()),
            (Value::Choice(index), _) => index.to_string(),
            (Value::Minutes(minutes), _) => minutes.map_or(String::new(), |m| m.to_string()),
        }
    }
}

/// A parsed value, borrowing its text from the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Value<'a> {
    /// No value.
    Empty,
    /// Text.
    Text(&'a str),
    /// A date.
    Date(NaiveDate),
    /// A date, or none (`None`).
    DateOrNone(Option<NaiveDate>),
    /// An amount.
    Amount(Cents),
    /// An amount, or none (`None`).
    AmountOrNone(Option<Cents>),
    /// The index of a choice's token.
    Choice(u8),
    /// Minutes, when given.
    Minutes(Option<u32>),
}

impl<'a> Value<'a> {
    /// The text, for a text value.
    pub fn text(&self) -> Option<&'a str> {
        match *self {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The date of a [`Value::Date`].
    pub fn date(&self) -> Option<NaiveDate> {
        match *self {
            Value::Date(date) => Some(date),
            _ => None,
        }
    }

    /// A date or none, for a [`Value::DateOrNone`] (or a date).
    pub fn date_or_none(&self) -> Option<Option<NaiveDate>> {
        match *self {
            Value::DateOrNone(date) => Some(date),
            Value::Date(date) => Some(Some(date)),
            _ => None,
        }
    }

    /// The amount of a [`Value::Amount`].
    pub fn amount(&self) -> Option<Cents> {
        match *self {
            Value::Amount(amount) => Some(amount),
            _ => None,
        }
    }

    /// An amount or none, for a [`Value::AmountOrNone`] (or an amount).
    pub fn amount_or_none(&self) -> Option<Option<Cents>> {
        match *self {
            Value::AmountOrNone(amount) => Some(amount),
            Value::Amount(amount) => Some(Some(amount)),
            _ => None,
        }
    }

    /// The index of a [`Value::Choice`].
    pub fn choice(&self) -> Option<u8> {
        match *self {
            Value::Choice(index) => Some(index),
            _ => None,
        }
    }

    /// The minutes of a [`Value::Minutes`].
    pub fn minutes(&self) -> Option<u32> {
        match *self {
            Value::Minutes(minutes) => minutes,
            _ => None,
        }
    }

    /// The same value, owned (text copied).
    pub fn to_owned_value(&self) -> OwnedValue {
        match *self {
            Value::Empty => OwnedValue::Empty,
            Value::Text(text) => OwnedValue::Text(text.into()),
            Value::Date(date) => OwnedValue::Date(date),
            Value::DateOrNone(date) => OwnedValue::DateOrNone(date),
            Value::Amount(amount) => OwnedValue::Amount(amount),
            Value::AmountOrNone(amount) => OwnedValue::AmountOrNone(amount),
            Value::Choice(index) => OwnedValue::Choice(index),
            Value::Minutes(minutes) => OwnedValue::Minutes(minutes),
        }
    }
}

/// A [`Value`] that owns its text: kept beyond the row (account facts, generated calls).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the matching `Value` variant
pub enum OwnedValue {
    Empty,
    Text(Box<str>),
    Date(NaiveDate),
    DateOrNone(Option<NaiveDate>),
    Amount(Cents),
    AmountOrNone(Option<Cents>),
    Choice(u8),
    Minutes(Option<u32>),
}

impl OwnedValue {
    /// The value, borrowed.
    pub fn as_value(&self) -> Value<'_> {
        match self {
            OwnedValue::Empty => Value::Empty,
            OwnedValue::Text(text) => Value::Text(text),
            OwnedValue::Date(date) => Value::Date(*date),
            OwnedValue::DateOrNone(date) => Value::DateOrNone(*date),
            OwnedValue::Amount(amount) => Value::Amount(*amount),
            OwnedValue::AmountOrNone(amount) => Value::AmountOrNone(*amount),
            OwnedValue::Choice(index) => Value::Choice(*index),
            OwnedValue::Minutes(minutes) => Value::Minutes(*minutes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_means_what_trim_means() {
        for c in (0..=0x3000).filter_map(char::from_u32) {
            for text in [
                c.to_string(),
                format!("{c}x"),
                format!("{c} "),
                format!(" {c}"),
            ] {
                assert_eq!(is_blank(&text), text.trim().is_empty(), "{text:?}");
            }
        }
        assert!(is_blank("") && is_blank(" \u{85}\u{a0}\u{2028} "));
    }

    #[test]
    fn dates_read_as_chrono_reads_them() {
        for year in [0, 1900, 2000, 2024, 2026, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let chrono = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
                    assert_eq!(parse_date(&text).ok(), chrono, "{text}");
                }
            }
        }
    }

    #[test]
    fn amounts_compare_in_cents() {
        assert_eq!(Cents::parse("79").unwrap(), Cents(7900));
        assert_eq!(Cents::parse("79.5").unwrap(), Cents(7950));
        assert_eq!(Cents::parse("$1,079.00").unwrap(), Cents(107_900));
        assert_eq!(Cents::parse("0.00").unwrap(), Cents(0));
        for bad in [
            "", "$", "-1", "1.234", "1,2345", ",100", "1.", ".5", "12a", "1 000", "$-3",
        ] {
            assert!(Cents::parse(bad).is_err(), "{bad:?} must be rejected");
        }
        assert!(Cents::parse("99999999999999999999").is_err());
    }

    #[test]
    fn amounts_display_with_separators() {
        assert_eq!(Cents(107_950).to_string(), "$1,079.50");
        assert_eq!(Cents(5).to_string(), "$0.05");
        assert_eq!(Cents(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Cents(7950).plain(), "79.50");
    }

    #[test]
    fn every_syntax_writes_what_it_parses() {
        let choice = Syntax::Choice {
            what: "purpose",
            options: &["a", "b"],
            empty: Some(0),
            why: NOT_DOCUMENTED,
        };
        let cases: [(Syntax, &str); 10] = [
            (Syntax::Empty, ""),
            (Syntax::Text, "x y"),
            (Syntax::Required { what: "name" }, "Pat"),
            (Syntax::Date, "2026-03-02"),
            (Syntax::DateOrNone, "none"),
            (Syntax::Amount, "79.50"),
            (Syntax::AmountOrNone, "none"),
            (choice, "b"),
            (Syntax::Minutes, "4"),
            (Syntax::Minutes, ""),
        ];
        for (syntax, text) in cases {
            let value = syntax.parse(text).unwrap();
            assert_eq!(syntax.write(&value), text, "{syntax:?}");
            assert_eq!(value.to_owned_value().as_value(), value);
        }
        assert_eq!(choice.parse("").unwrap(), Value::Choice(0));
    }
}
