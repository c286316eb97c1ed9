//! Payload values: amounts in cents, strict dates, the chat form, and the parse of an event
//! from its log name and value (the syntax of `call-log-v1.md`).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::event::{
    ChatPurpose, ContactTime, Detail, EndStatus, Event, EventKind, Reason, RecordField, Team,
    TranscriptCopy,
};

/// How many characters of a value a message quotes (see [`Quoted`]).
pub const QUOTED_CHARS: usize = 60;

/// A value from a log as messages quote it: between single quotes, control characters
/// escaped (`\n`, `\u{1b}`), and cut after [`QUOTED_CHARS`] characters with the value's full
/// length, so a huge or binary field cannot flood a report or a terminal.
///
/// ```
/// use callflow_workflows::values::Quoted;
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
    /// Parses an amount as spreadsheets write it: an optional `$`, digits with optional `,`
    /// thousands separators, and an optional `.` with one or two decimals.
    ///
    /// ```
    /// use callflow_workflows::Cents;
    /// assert_eq!(Cents::parse("$1,079.5").unwrap(), Cents(107_950));
    /// assert_eq!(Cents::parse("79").unwrap(), Cents::parse("79.00").unwrap());
    /// assert!(Cents::parse("-5").is_err());
    /// assert!(Cents::parse("1,00").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Cents, Error> {
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
            .ok_or_else(|| bad("too large"))
    }
}

impl fmt::Display for Cents {
    /// `$1,079.50`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = self.0 / 100;
        let digits = units.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
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
/// use callflow_workflows::values::is_blank;
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
/// assert!(callflow_workflows::values::parse_date("2026-02-28").is_ok());
/// assert!(callflow_workflows::values::parse_date("2026-02-30").is_err());
/// assert!(callflow_workflows::values::parse_date("2026-2-3").is_err());
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

/// The partner chat's start form (`chat_form`'s `key=value;...` payload), borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChatForm<'a> {
    /// `enterprise_id`: the agent's user name.
    pub enterprise_id: Option<&'a str>,
    /// `agent_name`: the agent's name.
    pub agent_name: Option<&'a str>,
    /// `member_name`: the customer's name.
    pub member_name: Option<&'a str>,
    /// `customer_id`: the customer's phone number, exactly 10 digits.
    pub customer_id: Option<&'a str>,
    /// `reason`: must be `Cancellations/Paid Call Fee`.
    pub reason: Option<&'a str>,
}

/// The only reason the chat form accepts for this procedure.
pub const CHAT_FORM_REASON: &str = "Cancellations/Paid Call Fee";

impl ChatForm<'_> {
    /// The form as its `key=value;...` payload, the fields given in the form's order.
    pub fn value(&self) -> String {
        let mut text = String::new();
        for (key, field) in [
            ("enterprise_id", self.enterprise_id),
            ("agent_name", self.agent_name),
            ("member_name", self.member_name),
            ("customer_id", self.customer_id),
            ("reason", self.reason),
        ] {
            if let Some(field) = field {
                if !text.is_empty() {
                    text.push(';');
                }
                text.push_str(key);
                text.push('=');
                text.push_str(field);
            }
        }
        text
    }
}

impl<'a> ChatForm<'a> {
    /// Parses `key=value` pairs joined by `;`, each split on its first `=`. Unknown keys are
    /// ignored (the format may grow); a pair without `=` or a repeated key is an error.
    ///
    /// ```
    /// use callflow_workflows::ChatForm;
    /// let form = ChatForm::parse("enterprise_id=sjones;customer_id=5551234567").unwrap();
    /// assert_eq!(form.enterprise_id, Some("sjones"));
    /// assert_eq!(form.reason, None);
    /// ```
    pub fn parse(text: &'a str) -> Result<ChatForm<'a>, Error> {
        let mut form = ChatForm::default();
        for pair in text.split(';').filter(|p| !is_blank(p)) {
            let (key, value) = pair.split_once('=').ok_or_else(|| Error::InvalidValue {
                what: "chat form",
                value: text.to_owned(),
                why: "each ';'-separated pair needs a '='",
            })?;
            let slot = match key.trim() {
                "enterprise_id" => &mut form.enterprise_id,
                "agent_name" => &mut form.agent_name,
                "member_name" => &mut form.member_name,
                "customer_id" => &mut form.customer_id,
                "reason" => &mut form.reason,
                _ => continue,
            };
            if slot.is_some() {
                return Err(Error::InvalidValue {
                    what: "chat form",
                    value: text.to_owned(),
                    why: "a key appears twice",
                });
            }
            *slot = Some(value.trim());
        }
        Ok(form)
    }

    /// The form's defects against the document: each missing field, a customer id that is not
    /// exactly 10 digits, a wrong reason, an enterprise id that is not the call's agent.
    pub fn defects(&self, agent_id: &str) -> Vec<String> {
        let mut defects = Vec::new();
        let fields = [
            ("enterprise_id", self.enterprise_id),
            ("agent_name", self.agent_name),
            ("member_name", self.member_name),
            ("customer_id", self.customer_id),
            ("reason", self.reason),
        ];
        for (name, value) in fields {
            if value.is_none_or(str::is_empty) {
                defects.push(format!("{name} missing"));
            }
        }
        if let Some(id) = self.enterprise_id.filter(|s| !s.is_empty()) {
            if !agent_id.is_empty() && id != agent_id {
                defects.push(format!(
                    "enterprise_id {} is not the agent's user name {}",
                    Quoted(id),
                    Quoted(agent_id)
                ));
            }
        }
        if let Some(id) = self.customer_id.filter(|s| !s.is_empty()) {
            if id.len() != 10 || !id.bytes().all(|b| b.is_ascii_digit()) {
                defects.push(format!(
                    "customer_id {} is not exactly 10 digits (numbers only, no dashes or spaces)",
                    Quoted(id)
                ));
            }
        }
        if let Some(reason) = self.reason.filter(|s| !s.is_empty()) {
            if reason != CHAT_FORM_REASON {
                defects.push(format!(
                    "reason {} is not '{CHAT_FORM_REASON}'",
                    Quoted(reason)
                ));
            }
        }
        defects
    }
}

fn expect_empty(value: &str) -> Result<(), Error> {
    if value.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            what: "value",
            value: value.to_owned(),
            why: "this event takes no value",
        })
    }
}

fn one_of<T: Copy>(what: &'static str, value: &str, options: &[(&str, T)]) -> Result<T, Error> {
    options
        .iter()
        .find(|(name, _)| *name == value)
        .map(|(_, v)| *v)
        .ok_or_else(|| Error::InvalidValue {
            what,
            value: value.to_owned(),
            why: "not one of the documented values",
        })
}

fn non_empty<'a>(what: &'static str, value: &'a str) -> Result<&'a str, Error> {
    if is_blank(value) {
        Err(Error::InvalidValue {
            what,
            value: value.to_owned(),
            why: "must not be empty",
        })
    } else {
        Ok(value)
    }
}

impl Event<'_> {
    /// The event's `value` column as a log writes it: the inverse of [`Event::parse`].
    ///
    /// ```
    /// use callflow_workflows::{Event, EventKind, Cents, Team};
    /// assert_eq!(Event::EmailSent(Team::RewardsTeam).value(), "rewards_team");
    /// assert_eq!(Event::QuoteAmount(Cents(7950)).value(), "79.50");
    /// let e = Event::parse(EventKind::FirstPayment, "none").unwrap();
    /// assert_eq!(Event::parse(EventKind::FirstPayment, &e.value()).unwrap(), e);
    /// ```
    pub fn value(&self) -> String {
        let amount = |a: Cents| format!("{}.{:02}", a.0 / 100, a.0 % 100);
        match *self {
            Event::CallStarted { department } => department.to_owned(),
            Event::CustomerIdentified { name } => name.to_owned(),
            Event::Inquiry { code, .. } => code.to_owned(),
            Event::CallEnded(status) => status.as_str().to_owned(),
            Event::WarrantyStarted(date) => date.to_string(),
            Event::FirstPayment(date) => date.map_or("none".to_owned(), |d| d.to_string()),
            Event::Collect { detail, declined } => format!(
                "{}{}",
                detail.as_str(),
                if declined { "_declined" } else { "" }
            ),
            Event::EmailSent(team) => team.as_str().to_owned(),
            Event::ContactTime(when) => when.as_str().to_owned(),
            Event::Ticket(ticket) => ticket.to_owned(),
            Event::PartnerContacted => "home_service_perks".to_owned(),
            Event::RefundCalculator(a) => a.map_or("none".to_owned(), amount),
            Event::RecordMismatch(RecordField::Name) => "name".to_owned(),
            Event::RecordMismatch(RecordField::Address) => "address".to_owned(),
            Event::QuoteAmount(a) | Event::PaidAmountObtained(a) => amount(a),
            Event::ChatOpened(purpose) => purpose.as_str().to_owned(),
            Event::WarrantyPrompt { yes } => if yes { "yes" } else { "no" }.to_owned(),
            Event::ChatForm(form) => form.value(),
            Event::ChatWaiting(minutes) => minutes.map_or(String::new(), |m| m.to_string()),
            Event::ChatConnected { representative } => representative.to_owned(),
            Event::ChatTranscript(TranscriptCopy::Email) => "email".to_owned(),
            Event::ChatTranscript(TranscriptCopy::Print) => "print".to_owned(),
            Event::Greeting
            | Event::AnythingElse
            | Event::Goodbye
            | Event::ExplainReviewPeriod
            | Event::ExpectEmailSoon
            | Event::Apologize
            | Event::ExplainPartnerSupport
            | Event::AskContactTime
            | Event::AskTicket
            | Event::PromiseFollowup
            | Event::ServiceCallReported
            | Event::AmountDisputed
            | Event::BuildValue
            | Event::AdviseDisputeLetter
            | Event::PhoneCallPartner
            | Event::ChatMessage
            | Event::ChatReply
            | Event::ChatEnded => String::new(),
        }
    }
}

impl<'a> Event<'a> {
    /// Builds the typed event from its log name's kind and its `value` column.
    ///
    /// ```
    /// use callflow_workflows::{Event, EventKind, Cents};
    /// let e = Event::parse(EventKind::QuoteAmount, "$79.5").unwrap();
    /// assert_eq!(e, Event::QuoteAmount(Cents(7950)));
    /// assert!(Event::parse(EventKind::FirstPayment, "2026-02-30").is_err());
    /// ```
    pub fn parse(kind: EventKind, value: &'a str) -> Result<Event<'a>, Error> {
        use EventKind as K;
        Ok(match kind {
            K::CallStarted => Event::CallStarted { department: value },
            K::Greeting => expect_empty(value).map(|_| Event::Greeting)?,
            K::CustomerIdentified => Event::CustomerIdentified {
                name: non_empty("customer name", value)?,
            },
            K::Inquiry => Event::Inquiry {
                reason: Reason::from_code(non_empty("reason code", value)?),
                code: value,
            },
            K::AnythingElse => expect_empty(value).map(|_| Event::AnythingElse)?,
            K::Goodbye => expect_empty(value).map(|_| Event::Goodbye)?,
            K::CallEnded => {
                Event::CallEnded(EndStatus::parse(value).ok_or_else(|| Error::InvalidValue {
                    what: "end status",
                    value: value.to_owned(),
                    why: "expected empty, completed, customer_hung_up, dropped or transferred",
                })?)
            }
            K::WarrantyStarted => Event::WarrantyStarted(parse_date(value)?),
            K::FirstPayment => Event::FirstPayment(match value {
                "none" => None,
                date => Some(parse_date(date)?),
            }),
            K::ExplainReviewPeriod => expect_empty(value).map(|_| Event::ExplainReviewPeriod)?,
            K::ExpectEmailSoon => expect_empty(value).map(|_| Event::ExpectEmailSoon)?,
            K::Apologize => expect_empty(value).map(|_| Event::Apologize)?,
            K::Collect => {
                let (detail, declined) = one_of(
                    "detail",
                    value,
                    &[
                        ("name", (Detail::Name, false)),
                        ("email", (Detail::Email, false)),
                        ("phone", (Detail::Phone, false)),
                        ("name_declined", (Detail::Name, true)),
                        ("email_declined", (Detail::Email, true)),
                        ("phone_declined", (Detail::Phone, true)),
                    ],
                )?;
                Event::Collect { detail, declined }
            }
            K::EmailSent => Event::EmailSent(one_of(
                "team",
                value,
                &[
                    ("rewards_team", Team::RewardsTeam),
                    ("product_team", Team::ProductTeam),
                ],
            )?),
            K::ExplainPartnerSupport => {
                expect_empty(value).map(|_| Event::ExplainPartnerSupport)?
            }
            K::AskContactTime => expect_empty(value).map(|_| Event::AskContactTime)?,
            K::ContactTime => Event::ContactTime(one_of(
                "contact time",
                value,
                &[
                    ("business_hours", ContactTime::BusinessHours),
                    ("outside_business_hours", ContactTime::OutsideBusinessHours),
                ],
            )?),
            K::AskTicket => expect_empty(value).map(|_| Event::AskTicket)?,
            K::Ticket => Event::Ticket(non_empty("ticket number", value)?),
            K::PromiseFollowup => expect_empty(value).map(|_| Event::PromiseFollowup)?,
            K::PartnerContacted => {
                if !value.is_empty() && value != "home_service_perks" {
                    return Err(Error::InvalidValue {
                        what: "partner",
                        value: value.to_owned(),
                        why: "the only partner is home_service_perks",
                    });
                }
                Event::PartnerContacted
            }
            K::RefundCalculator => Event::RefundCalculator(match value {
                "none" => None,
                amount => Some(Cents::parse(amount)?),
            }),
            K::ServiceCallReported => expect_empty(value).map(|_| Event::ServiceCallReported)?,
            K::RecordMismatch => Event::RecordMismatch(one_of(
                "record field",
                value,
                &[
                    ("name", RecordField::Name),
                    ("address", RecordField::Address),
                ],
            )?),
            K::AmountDisputed => expect_empty(value).map(|_| Event::AmountDisputed)?,
            K::QuoteAmount => Event::QuoteAmount(Cents::parse(value)?),
            K::BuildValue => expect_empty(value).map(|_| Event::BuildValue)?,
            K::AdviseDisputeLetter => expect_empty(value).map(|_| Event::AdviseDisputeLetter)?,
            K::PhoneCallPartner => Event::PhoneCallPartner,
            K::ChatOpened => Event::ChatOpened(if value.is_empty() {
                ChatPurpose::PaidCall
            } else {
                one_of(
                    "chat purpose",
                    value,
                    &[
                        ("paid_call", ChatPurpose::PaidCall),
                        ("record_verification", ChatPurpose::RecordVerification),
                        ("relay_cancellation", ChatPurpose::RelayCancellation),
                    ],
                )?
            }),
            K::WarrantyPrompt => Event::WarrantyPrompt {
                yes: one_of(
                    "warranty prompt answer",
                    value,
                    &[("yes", true), ("no", false)],
                )?,
            },
            K::ChatForm => Event::ChatForm(ChatForm::parse(value)?),
            K::ChatWaiting => Event::ChatWaiting(if value.is_empty() {
                None
            } else {
                Some(value.parse::<u32>().map_err(|_| Error::InvalidValue {
                    what: "wait minutes",
                    value: value.to_owned(),
                    why: "expected a whole number of minutes",
                })?)
            }),
            K::ChatConnected => Event::ChatConnected {
                representative: value,
            },
            K::ChatMessage => Event::ChatMessage,
            K::ChatReply => Event::ChatReply,
            K::PaidAmountObtained => Event::PaidAmountObtained(Cents::parse(value)?),
            K::ChatEnded => expect_empty(value).map(|_| Event::ChatEnded)?,
            K::ChatTranscript => Event::ChatTranscript(one_of(
                "transcript copy",
                value,
                &[
                    ("email", TranscriptCopy::Email),
                    ("print", TranscriptCopy::Print),
                ],
            )?),
        })
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
    }

    #[test]
    fn chat_form_rejects_pairs_without_equals_and_repeats() {
        assert!(ChatForm::parse("enterprise_id").is_err());
        assert!(ChatForm::parse("reason=a;reason=b").is_err());
        let form = ChatForm::parse("reason=a=b;extra=1").unwrap();
        assert_eq!(form.reason, Some("a=b"));
    }

    #[test]
    fn chat_form_defects_name_each_problem() {
        let form = ChatForm::parse(
            "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=555-123-4567;reason=Other",
        )
        .unwrap();
        let defects = form.defects("sjones");
        assert_eq!(defects.len(), 2, "{defects:?}");
        assert!(defects[0].contains("555-123-4567"));
        assert!(defects[1].contains("Other"));
        assert_eq!(ChatForm::default().defects("sjones").len(), 5);
    }

    #[test]
    fn events_with_no_value_reject_one() {
        assert!(Event::parse(EventKind::Greeting, "x").is_err());
        assert!(Event::parse(EventKind::CallEnded, "exploded").is_err());
        assert_eq!(
            Event::parse(EventKind::ChatOpened, "").unwrap(),
            Event::ChatOpened(ChatPurpose::PaidCall)
        );
    }
}
