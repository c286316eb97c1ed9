//! The engine core the procedure machines share: what an inquiry machine receives
//! ([`Input`], [`Ctx`]), the account facts, and the requirements it reports as outstanding.
//!
//! A procedure machine's shared storage records what happened; its statig state says where the
//! procedure stands (which branch, which step of the chat). Omission findings come from one
//! place: the requirements a machine reports as outstanding are the next steps while the call is
//! live and, when the inquiry closes on a complete call, the findings.

use chrono::{Datelike, NaiveDate, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::event::{Event, EventKind, Stamp};
use crate::finding::{Code, Findings};
use crate::script::ScriptLine;
use crate::values::Cents;

/// What an inquiry machine is fed: the call's events, and the close of the inquiry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input<'a> {
    /// An event of the call, routed to the open inquiry.
    Event(Event<'a>),
    /// The inquiry is over (a new inquiry opened, or the call ended). `complete` is false when
    /// the call did not run to its end: then nothing counts as missing.
    Close {
        /// The call ran to its end.
        complete: bool,
        /// The call is over too: the inquiry's after-call work is judged now as well. When a
        /// later inquiry closes this one, its after-call work waits for the end of the call.
        call_over: bool,
    },
    /// The call is over, for an inquiry a later one closed: its after-call work (the
    /// escalation emails, contacting the partner) is judged now.
    CallOver {
        /// The call ran to its end.
        complete: bool,
    },
}

/// Facts the account system writes into the call. They belong to the call, not to one inquiry:
/// a fact logged before the inquiry it serves is kept for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFacts {
    /// `warranty_started`, once known.
    pub warranty_started: Option<NaiveDate>,
    /// `first_payment`, once known: `Some(None)` is "no payment".
    #[serde(default, skip_serializing_if = "Option::is_none", with = "known")]
    pub first_payment: Option<Option<NaiveDate>>,
    /// `refund_calculator`, once known: `Some(None)` is "no amount displayed".
    #[serde(default, skip_serializing_if = "Option::is_none", with = "known")]
    pub refund_calculator: Option<Option<Cents>>,
}

/// Serde for a fact that may be known to be empty (`Some(None)`): plain serde writes both
/// `None` and `Some(None)` as `null` and reads `null` back as `None`, so a saved call would
/// forget `first_payment none` or `refund_calculator none`. Here an unknown fact is left out
/// and a known one is written as its value, `null` for "known to be none".
mod known {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        fact: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match fact {
            Some(value) => value.serialize(serializer),
            None => serializer.serialize_unit(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// What a procedure machine may read while it handles an input.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'c> {
    /// The line and time of the input (for a close: of the event that closed the inquiry).
    pub stamp: Stamp,
    /// The configuration.
    pub config: &'c Config,
    /// The call's account facts so far.
    pub facts: &'c AccountFacts,
    /// The call date: the calendar date of `call_started` in the business time zone.
    pub call_date: NaiveDate,
    /// The agent who started the call.
    pub agent_id: &'c str,
    /// The customer's name, once identified.
    pub customer_name: Option<&'c str>,
}

impl Ctx<'_> {
    /// Whether the partner chat is open at this input's time: Monday to Friday, from 09:00
    /// (inside) to 18:00 (outside), in the business time zone.
    pub fn within_chat_hours(&self) -> bool {
        let local = self.stamp.at.with_timezone(&self.config.business_tz);
        let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
        weekday && (9..18).contains(&local.hour())
    }
}

/// Something the procedure still requires of the agent (or, for facts, of the system).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The event that would satisfy it.
    pub step: EventKind,
    /// The payload that event needs, when it matters (`rewards_team`, `email`, an amount).
    pub value: Option<String>,
    /// What the document asks, in words.
    pub what: &'static str,
    /// The finding raised when it is still outstanding as the inquiry closes on a complete call.
    pub code: Option<Code>,
    /// The line to say, if the document scripts one.
    pub script: Option<ScriptLine>,
    /// After-call work: done after the goodbye in the document's dialogues (the escalation
    /// emails, contacting the partner).
    pub after_call: bool,
}

impl Requirement {
    /// A requirement without a payload.
    pub const fn new(
        step: EventKind,
        what: &'static str,
        code: Option<Code>,
        script: Option<ScriptLine>,
    ) -> Self {
        Requirement {
            step,
            value: None,
            what,
            code,
            script,
            after_call: Requirement::is_after_call(step),
        }
    }

    /// Whether a step is after-call work: done after the goodbye in the documents' dialogues,
    /// so it may come after a later inquiry and still count for the one that requires it.
    pub const fn is_after_call(step: EventKind) -> bool {
        matches!(step, EventKind::EmailSent | EventKind::PartnerContacted)
    }

    /// The same requirement for one payload value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// Which outstanding requirements are judged: those of the inquiry itself as it closes, its
/// after-call work as the call ends, or both when the two coincide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Judged {
    /// The inquiry closes before the call ends: all but its after-call work.
    InquiryOnly,
    /// The call ends for an inquiry closed earlier: its after-call work only.
    AfterCallOnly,
    /// The inquiry closes as the call ends: everything.
    All,
}

impl Judged {
    /// What a close judges.
    pub(crate) fn on_close(call_over: bool) -> Judged {
        if call_over {
            Judged::All
        } else {
            Judged::InquiryOnly
        }
    }

    fn includes(self, requirement: &Requirement) -> bool {
        match self {
            Judged::InquiryOnly => !requirement.after_call,
            Judged::AfterCallOnly => requirement.after_call,
            Judged::All => true,
        }
    }
}

/// Raises the finding of every outstanding requirement `judged` covers: the omission findings
/// of a closing inquiry. Callers do this only for complete calls.
pub(crate) fn raise_outstanding(
    findings: &mut Findings,
    outstanding: &[Requirement],
    judged: Judged,
    at: Stamp,
) {
    for requirement in outstanding.iter().filter(|r| judged.includes(r)) {
        if let Some(code) = requirement.code {
            let expected = match &requirement.value {
                Some(value) => format!("{} ({} {})", requirement.what, requirement.step, value),
                None => format!("{} ({})", requirement.what, requirement.step),
            };
            findings.raise(code, at, expected, "not done before the inquiry closed");
        }
    }
}
