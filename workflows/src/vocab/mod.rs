//! The vocabulary of a call: what an event is ([`EventDef`]), the events every call has (the
//! call frame's, declared here), the reasons a procedure covers ([`ReasonDef`]), and the typed
//! [`Event`] the machines receive, borrowing its text from the row.
//!
//! A procedure declares its own events, reasons, codes and script lines as statics and hands
//! them to the engine when it registers; nothing here names a procedure.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

mod defs;
pub mod frame_events;
mod packed;
pub(crate) mod time_serde;
mod value;
mod wire;

pub(crate) use defs::register_events;
pub use defs::{lookup_event, EventDef, EventName, ReasonDef};
pub(crate) use packed::{out_of_range, PackedStamp};
pub use value::{
    is_blank, parse_date, Cents, OwnedValue, Quoted, Syntax, Value, NOT_DOCUMENTED, QUOTED_CHARS,
};
pub use wire::EventRecord;

/// Where and when an event happened: the log line (1-based, the header is line 1) and the
/// timestamp with its offset. Embedders without a log can number events from 1.
///
/// Written `{"line": 12, "at": "2026-03-02T14:05:11-05:00"}` by readable formats (JSON), as
/// integers by compact ones ([`crate::Call::save_compact`]).
///
/// A call keeps stamps whose line is at most [`Stamp::MAX_LINE`] and whose time is between the
/// years 0000 and about 17,400 in UTC (every time RFC 3339 can write, 0000 to 9999, fits);
/// [`crate::Call`] refuses others with
/// [`crate::Error::StampOutOfRange`]. It keeps them in 16 bytes, not 24 (memory per open call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// 1-based line of the event in its log (or any increasing sequence number up to
    /// [`Stamp::MAX_LINE`]).
    pub line: u64,
    /// When it happened, with the offset it was written with.
    pub at: DateTime<FixedOffset>,
}

impl Stamp {
    /// The last line a call can number: 2^40 - 1, about 1.1 trillion (a log of that many
    /// lines would be about a hundred terabytes).
    pub const MAX_LINE: u64 = (1 << 40) - 1;
}

/// Who speaks or acts at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The telephony or account system.
    System,
    /// The call-center agent.
    Agent,
    /// The customer.
    Customer,
    /// A partner's representative (in a chat with the partner).
    Partner,
}

impl Speaker {
    /// The name used in reports and transcripts' data.
    pub fn as_str(self) -> &'static str {
        match self {
            Speaker::System => "system",
            Speaker::Agent => "agent",
            Speaker::Customer => "customer",
            Speaker::Partner => "partner",
        }
    }
}

/// How a call ended (`call_ended`'s value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndStatus {
    /// Ran to its end (`completed`, or an empty value).
    #[default]
    Completed,
    /// The customer hung up.
    CustomerHungUp,
    /// The line dropped.
    Dropped,
    /// The call was transferred away.
    Transferred,
}

impl EndStatus {
    /// Every status, `completed` first.
    pub const ALL: [EndStatus; 4] = [
        EndStatus::Completed,
        EndStatus::CustomerHungUp,
        EndStatus::Dropped,
        EndStatus::Transferred,
    ];

    /// The value as written in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            EndStatus::Completed => "completed",
            EndStatus::CustomerHungUp => "customer_hung_up",
            EndStatus::Dropped => "dropped",
            EndStatus::Transferred => "transferred",
        }
    }

    /// Parses a `call_ended` value; empty means completed.
    pub fn parse(value: &str) -> Option<EndStatus> {
        match value {
            "" => Some(EndStatus::Completed),
            _ => EndStatus::ALL.into_iter().find(|s| s.as_str() == value),
        }
    }
}

/// Why the customer called, as the engine resolved the `inquiry` value: a reason a
/// registered procedure covers, or one none covers (CF07).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A reason a registered procedure covers.
    Covered {
        /// The reason as its procedure declares it.
        def: &'static ReasonDef,
        /// The procedure's index in the engine that parsed the event.
        procedure: usize,
    },
    /// A reason no registered procedure covers; the event keeps the code as written.
    Uncovered,
}

impl Reason {
    /// The covered reason's definition, if any.
    pub fn def(self) -> Option<&'static ReasonDef> {
        match self {
            Reason::Covered { def, .. } => Some(def),
            Reason::Uncovered => None,
        }
    }

    /// The index of the procedure that handles it, if any.
    pub fn procedure(self) -> Option<usize> {
        match self {
            Reason::Covered { procedure, .. } => Some(procedure),
            Reason::Uncovered => None,
        }
    }
}

/// An event of a procedure's vocabulary: its name and its parsed value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcedureStep<'a> {
    /// Which event.
    pub name: EventName,
    /// Its value, parsed with the event's syntax.
    pub value: Value<'a>,
}

impl ProcedureStep<'_> {
    /// Whether this is the event `def` declares.
    pub fn is(&self, def: &'static EventDef) -> bool {
        self.name.is(def)
    }
}

/// One event of a call as the machines receive it: the call frame's events by name, and any
/// procedure's as a [`ProcedureStep`].
///
/// Build events with [`crate::Engine::event`] from a name and a value as a log writes them
/// (the vocabulary and each value's syntax are listed by [`crate::Engine::events`]; their
/// documentation is on each [`EventDef`]), or directly for the frame's own events.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The call begins; the payload is the department name.
    CallStarted {
        /// The department the customer called (fills `<Department Name>`).
        department: &'a str,
    },
    /// The agent's greeting.
    Greeting,
    /// The customer gave their name.
    CustomerIdentified {
        /// The customer's name (fills `<Customer Name>`).
        name: &'a str,
    },
    /// The customer states a reason for calling; opens an inquiry. The engine resolves the
    /// code to the procedure that covers it as the inquiry opens (a code none covers is CF07),
    /// so an event cannot name one reason and carry another's code. Build it with
    /// [`Event::inquiry`] or [`Event::inquiry_for`].
    Inquiry {
        /// The reason code as written (`reward_email_missing`).
        code: &'a str,
    },
    /// The agent asks whether there is anything else.
    AnythingElse,
    /// The agent says goodbye.
    Goodbye,
    /// The call ends.
    CallEnded(EndStatus),
    /// An event of a procedure's vocabulary.
    Step(ProcedureStep<'a>),
}

impl<'a> Event<'a> {
    /// The `inquiry` event for a reason code as a log writes it.
    ///
    /// ```
    /// use callflow_workflows::Event;
    /// assert_eq!(Event::inquiry("reward_email_missing").value(), "reward_email_missing");
    /// ```
    pub fn inquiry(code: &'a str) -> Event<'a> {
        Event::Inquiry { code }
    }

    /// The `inquiry` event for a reason a procedure declares.
    pub fn inquiry_for(reason: &'static ReasonDef) -> Event<'static> {
        Event::Inquiry { code: reason.code }
    }

    /// The event's name.
    pub fn name(&self) -> EventName {
        use frame_events as f;
        match self {
            Event::CallStarted { .. } => EventName::of(&f::CALL_STARTED),
            Event::Greeting => EventName::of(&f::GREETING),
            Event::CustomerIdentified { .. } => EventName::of(&f::CUSTOMER_IDENTIFIED),
            Event::Inquiry { .. } => EventName::of(&f::INQUIRY),
            Event::AnythingElse => EventName::of(&f::ANYTHING_ELSE),
            Event::Goodbye => EventName::of(&f::GOODBYE),
            Event::CallEnded(_) => EventName::of(&f::CALL_ENDED),
            Event::Step(step) => step.name,
        }
    }

    /// The procedure step, when the event is one.
    pub fn step(&self) -> Option<&ProcedureStep<'a>> {
        match self {
            Event::Step(step) => Some(step),
            _ => None,
        }
    }

    /// The event's `value` column as a log writes it: the inverse of [`crate::Engine::event`].
    pub fn value(&self) -> String {
        match *self {
            Event::CallStarted { department } => department.to_owned(),
            Event::CustomerIdentified { name } => name.to_owned(),
            Event::Inquiry { code } => code.to_owned(),
            Event::CallEnded(status) => status.as_str().to_owned(),
            Event::Greeting | Event::AnythingElse | Event::Goodbye => String::new(),
            Event::Step(step) => step.name.def().syntax.write(&step.value),
        }
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event of a call with where and when it happened, and what was said.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step<'a> {
    /// Where and when.
    pub stamp: Stamp,
    /// What happened.
    pub event: Event<'a>,
    /// The words actually said, when the call was transcribed: checked against the script (CF02).
    pub text: Option<&'a str>,
    /// The agent id written on the row, when one was (kept as evidence; the call keeps its agent).
    pub agent_id: Option<&'a str>,
}

impl<'a> Step<'a> {
    /// A step with no transcribed text and no agent id.
    pub fn new(stamp: Stamp, event: Event<'a>) -> Self {
        Step {
            stamp,
            event,
            text: None,
            agent_id: None,
        }
    }

    /// The same step with the words said.
    pub fn with_text(mut self, text: &'a str) -> Self {
        self.text = Some(text);
        self
    }
}
