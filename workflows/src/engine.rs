//! What procedure machines share: what an inquiry machine receives ([`Input`], [`Ctx`]), the
//! call's account facts ([`Facts`]), and the requirements it reports as outstanding.
//!
//! A procedure machine's shared storage records what happened; its statig state says where the
//! procedure stands (which branch, which step of a chat). Omission findings come from one
//! place: the requirements a machine reports as outstanding are the next steps while the call is
//! live and, when the inquiry closes on a complete call, the findings.

use std::any::Any;

use chrono::NaiveDate;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::Config;
use crate::finding::{Code, Findings};
use crate::script::ScriptLine;
use crate::vocab::{
    lookup_event, Cents, EventDef, EventName, ProcedureStep, ReasonDef, Stamp, Value,
};

/// What an inquiry machine is fed: its procedure's events, its opening and its close. `E` is
/// the procedure's own event type; the engine hands machines [`ProcedureStep`]s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input<E> {
    /// The inquiry opens for a reason of the procedure.
    Open(&'static ReasonDef),
    /// An event of the procedure, routed to this inquiry.
    Event(E),
    /// The inquiry is over (a new inquiry opened, or the call ended). `complete` is false when
    /// the call did not run to its end: then nothing counts as missing.
    Close {
        /// The call ran to its end.
        complete: bool,
        /// The call is over too: the inquiry's after-call work is judged now as well. When a
        /// later inquiry closes this one, its after-call work waits for the end of the call.
        call_over: bool,
    },
    /// The call is over, for an inquiry a later one closed: its after-call work (escalation
    /// emails, contacting a partner) is judged now.
    CallOver {
        /// The call ran to its end.
        complete: bool,
    },
}

impl<'a> Input<ProcedureStep<'a>> {
    /// The same input with the event converted by `convert` (`None`: an event the procedure
    /// does not know, which the frame never routes to it).
    #[inline]
    pub fn map<E>(
        &self,
        convert: impl FnOnce(&ProcedureStep<'a>) -> Option<E>,
    ) -> Option<Input<E>> {
        Some(match *self {
            Input::Open(reason) => Input::Open(reason),
            Input::Event(ref step) => Input::Event(convert(step)?),
            Input::Close {
                complete,
                call_over,
            } => Input::Close {
                complete,
                call_over,
            },
            Input::CallOver { complete } => Input::CallOver { complete },
        })
    }
}

/// Facts the account system writes into the call (events declared [`EventDef::fact`]). They
/// belong to the call, not to one inquiry: a fact logged before the inquiry it serves is kept
/// for it. The latest value of each fact counts.
///
/// The first [`Facts::INLINE`] facts are kept in place (a call has two or three): reading
/// them takes no pointer beyond the call's own (live latency, issue #23).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts(smallvec::SmallVec<[(EventName, FactValue); Facts::INLINE]>);

/// A fact's value as a call keeps it: an [`OwnedValue`](crate::vocab::OwnedValue) in 16 bytes, not 24 (memory per open
/// call, issue #23). Text, which no built-in fact has, takes a second allocation to keep the
/// pointer thin.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FactValue {
    Empty,
    Text(Box<Box<str>>),
    Date(NaiveDate),
    DateOrNone(Option<NaiveDate>),
    Amount(Cents),
    /// `AmountOrNone(Some(..))`; an `Option<Cents>` would take 16 bytes of its own.
    SomeAmount(Cents),
    /// `AmountOrNone(None)`.
    NoAmount,
    Choice(u8),
    Minutes(Option<u32>),
}

impl FactValue {
    /// `value`, kept.
    fn of(value: &Value<'_>) -> FactValue {
        match *value {
            Value::Empty => FactValue::Empty,
            Value::Text(text) => FactValue::Text(Box::new(text.into())),
            Value::Date(date) => FactValue::Date(date),
            Value::DateOrNone(date) => FactValue::DateOrNone(date),
            Value::Amount(amount) => FactValue::Amount(amount),
            Value::AmountOrNone(Some(amount)) => FactValue::SomeAmount(amount),
            Value::AmountOrNone(None) => FactValue::NoAmount,
            Value::Choice(index) => FactValue::Choice(index),
            Value::Minutes(minutes) => FactValue::Minutes(minutes),
        }
    }

    /// The value, borrowed.
    #[inline]
    fn as_value(&self) -> Value<'_> {
        match self {
            FactValue::Empty => Value::Empty,
            FactValue::Text(text) => Value::Text(text),
            FactValue::Date(date) => Value::Date(*date),
            FactValue::DateOrNone(date) => Value::DateOrNone(*date),
            FactValue::Amount(amount) => Value::Amount(*amount),
            FactValue::SomeAmount(amount) => Value::AmountOrNone(Some(*amount)),
            FactValue::NoAmount => Value::AmountOrNone(None),
            FactValue::Choice(index) => Value::Choice(*index),
            FactValue::Minutes(minutes) => Value::Minutes(*minutes),
        }
    }
}

impl Facts {
    /// How many facts are kept without a list on the heap.
    pub const INLINE: usize = 2;

    /// Records a fact (replacing an earlier value of the same fact).
    pub fn set(&mut self, step: &ProcedureStep<'_>) {
        let value = FactValue::of(&step.value);
        match self.0.iter_mut().find(|(name, _)| *name == step.name) {
            Some(slot) => slot.1 = value,
            None => {
                // Past the places in line, grow by one at a time while short.
                if self.0.len() == self.0.capacity() && self.0.len() < 4 {
                    self.0.reserve_exact(1);
                }
                self.0.push((step.name, value));
            }
        }
    }

    /// The value of a fact, once known.
    #[inline]
    pub fn get(&self, def: &'static EventDef) -> Option<Value<'_>> {
        self.0
            .iter()
            .find(|(name, _)| name.is(def))
            .map(|(_, value)| value.as_value())
    }

    /// A date fact, once known.
    #[inline]
    pub fn date(&self, def: &'static EventDef) -> Option<NaiveDate> {
        self.get(def)?.date()
    }

    /// A date-or-none fact, once known: `Some(None)` is "known to be none".
    #[inline]
    pub fn date_or_none(&self, def: &'static EventDef) -> Option<Option<NaiveDate>> {
        self.get(def)?.date_or_none()
    }

    /// An amount-or-none fact, once known: `Some(None)` is "known: nothing".
    #[inline]
    pub fn amount_or_none(&self, def: &'static EventDef) -> Option<Option<Cents>> {
        self.get(def)?.amount_or_none()
    }

    /// Every fact known, in the order first logged.
    pub fn iter(&self) -> impl Iterator<Item = (EventName, Value<'_>)> {
        self.0.iter().map(|(name, value)| (*name, value.as_value()))
    }
}

impl Serialize for Facts {
    /// A map from the fact's event name to its value as a log writes it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name.as_str(), &name.def().syntax.write(&value.as_value()))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Facts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FactsVisitor;
        impl<'de> Visitor<'de> for FactsVisitor {
            type Value = Facts;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of account facts to their values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Facts, A::Error> {
                let mut facts = Facts::default();
                while let Some((name, value)) = access.next_entry::<String, String>()? {
                    let event = lookup_event(&name).ok_or_else(|| {
                        serde::de::Error::custom(format!("unknown account fact '{name}'"))
                    })?;
                    let parsed = event
                        .def()
                        .syntax
                        .parse(&value)
                        .map_err(serde::de::Error::custom)?;
                    facts.0.push((event, FactValue::of(&parsed)));
                }
                Ok(facts)
            }
        }
        deserializer.deserialize_map(FactsVisitor)
    }
}

/// What a procedure machine may read while it handles an input.
#[derive(Clone, Copy)]
pub struct Ctx<'c> {
    /// The line and time of the input (for a close: of the event that closed the inquiry).
    pub stamp: Stamp,
    /// The configuration.
    pub config: &'c Config,
    /// The procedure's parameters (its own type: [`Ctx::params`] gives it back).
    pub params: &'c (dyn Any + Send + Sync),
    /// The call's account facts so far.
    pub facts: &'c Facts,
    /// The call date: the calendar date of `call_started` in the business time zone.
    pub call_date: NaiveDate,
    /// The call's names: the agent and the customer, read through [`Ctx::agent_id`] and
    /// [`Ctx::customer_name`] only when a machine asks (an event that does not ask never
    /// touches the memory they are in: live latency, issue #23).
    pub(crate) names: &'c crate::frame::Names,
}

impl<'c> Ctx<'c> {
    /// The procedure's parameters, as the procedure declared their type. `None` for another
    /// type (a procedure asking for someone else's).
    #[inline]
    pub fn params<P: Any>(&self) -> Option<&'c P> {
        self.params.downcast_ref::<P>()
    }

    /// The agent who started the call.
    pub fn agent_id(&self) -> &'c str {
        self.names.agent_id()
    }

    /// The customer's name, once identified.
    pub fn customer_name(&self) -> Option<&'c str> {
        self.names.customer_name()
    }
}

impl std::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("stamp", &self.stamp)
            .field("facts", &self.facts)
            .field("call_date", &self.call_date)
            .field("agent_id", &self.agent_id())
            .finish_non_exhaustive()
    }
}

/// Something the procedure still requires of the agent (or, for facts, of the system).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The event that would satisfy it.
    pub step: EventName,
    /// The payload that event needs, when it matters (`rewards_team`, `email`, an amount).
    pub value: Option<std::borrow::Cow<'static, str>>,
    /// What the document asks, in words (with the parameters in force: "explain the 30-day
    /// review period").
    pub what: std::borrow::Cow<'static, str>,
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
    pub fn new(
        step: &'static EventDef,
        what: impl Into<std::borrow::Cow<'static, str>>,
        code: Option<Code>,
        script: Option<ScriptLine>,
    ) -> Self {
        Requirement {
            step: EventName::of(step),
            value: None,
            what: what.into(),
            code,
            script,
            after_call: step.after_call,
        }
    }

    /// The same requirement for one payload value (a `&'static str` is kept without a copy).
    pub fn with_value(mut self, value: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Whether `step` satisfies it: the same event, with the same value when it names one.
    pub fn is_met_by(&self, step: &ProcedureStep<'_>) -> bool {
        self.step == step.name
            && self
                .value
                .as_deref()
                .is_none_or(|value| *value == step.name.def().syntax.write(&step.value))
    }
}

/// The requirements outstanding, in order, kept inline up to [`Requirements::INLINE`] (no
/// allocation for the usual few): what [`InquiryMachine::outstanding_into`] fills and
/// [`crate::NextSteps`] holds.
///
/// [`InquiryMachine::outstanding_into`]: crate::InquiryMachine::outstanding_into
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements(smallvec::SmallVec<[Requirement; Requirements::INLINE]>);

impl Requirements {
    /// How many requirements are kept without an allocation.
    pub const INLINE: usize = 8;

    /// No requirement.
    pub fn new() -> Requirements {
        Requirements(smallvec::SmallVec::new())
    }

    /// Adds one at the end.
    #[inline]
    pub fn push(&mut self, requirement: Requirement) {
        self.0.push(requirement);
    }

    /// Keeps those `keep` says to keep, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Requirement) -> bool) {
        self.0.retain(|r| keep(r));
    }

    /// Moves those from `start` on that `first` picks ahead of the others, each part in its
    /// order, and returns where the others begin.
    pub(crate) fn stable_partition_from(
        &mut self,
        start: usize,
        mut first: impl FnMut(&Requirement) -> bool,
    ) -> usize {
        let mut boundary = start;
        for i in start..self.0.len() {
            if self.0.get(i).is_some_and(&mut first) {
                // The others between `boundary` and `i` shift up by one, keeping their order.
                if let Some(run) = self.0.get_mut(boundary..=i) {
                    run.rotate_right(1);
                }
                boundary += 1;
            }
        }
        boundary
    }

    /// Keeps the first `len`.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// Takes those from `at` on away, in order.
    pub(crate) fn split_off(&mut self, at: usize) -> Requirements {
        Requirements(self.0.drain(at.min(self.0.len())..).collect())
    }

    /// The requirements, in order.
    pub fn as_slice(&self) -> &[Requirement] {
        &self.0
    }

    /// The requirements in a `Vec`.
    pub fn into_vec(self) -> Vec<Requirement> {
        self.0.into_vec()
    }
}

impl std::ops::Deref for Requirements {
    type Target = [Requirement];

    fn deref(&self) -> &[Requirement] {
        &self.0
    }
}

impl Extend<Requirement> for Requirements {
    fn extend<I: IntoIterator<Item = Requirement>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Requirements {
    type Item = Requirement;
    type IntoIter = smallvec::IntoIter<[Requirement; Requirements::INLINE]>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Requirements {
    type Item = &'a Requirement;
    type IntoIter = std::slice::Iter<'a, Requirement>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Which outstanding requirements are judged: those of the inquiry itself as it closes, its
/// after-call work as the call ends, or both when the two coincide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    /// The inquiry closes before the call ends: all but its after-call work.
    InquiryOnly,
    /// The call ends for an inquiry closed earlier: its after-call work only.
    AfterCallOnly,
    /// The inquiry closes as the call ends: everything.
    All,
}

impl Judged {
    /// What a close judges.
    pub fn on_close(call_over: bool) -> Judged {
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
pub fn raise_outstanding(
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

#[cfg(test)]
mod tests {
    use super::{FactValue, Requirement, Requirements};
    use crate::vocab::{frame_events, Cents, Value};

    #[test]
    fn a_fact_value_gives_back_every_kind_of_value_in_16_bytes() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        for value in [
            Value::Empty,
            Value::Text("INC-4471"),
            Value::Text(""),
            Value::Date(date),
            Value::DateOrNone(Some(date)),
            Value::DateOrNone(None),
            Value::Amount(Cents(16_100)),
            Value::AmountOrNone(Some(Cents(0))),
            Value::AmountOrNone(None),
            Value::Choice(3),
            Value::Minutes(Some(90)),
            Value::Minutes(None),
        ] {
            assert_eq!(FactValue::of(&value).as_value(), value);
        }
        assert_eq!(std::mem::size_of::<FactValue>(), 16);
    }

    fn requirement(what: &'static str, after_call: bool) -> Requirement {
        let mut requirement = Requirement::new(&frame_events::GOODBYE, what, None, None);
        requirement.after_call = after_call;
        requirement
    }

    fn whats(requirements: &Requirements) -> Vec<&str> {
        requirements.iter().map(|r| r.what.as_ref()).collect()
    }

    #[test]
    fn a_partition_from_a_start_keeps_both_parts_in_order_and_leaves_the_head_alone() {
        let mut out = Requirements::new();
        for (what, after) in [
            ("head", true),
            ("a1", true),
            ("d1", false),
            ("a2", true),
            ("d2", false),
            ("d3", false),
            ("a3", true),
        ] {
            out.push(requirement(what, after));
        }
        let boundary = out.stable_partition_from(1, |r| !r.after_call);
        assert_eq!(boundary, 4);
        assert_eq!(whats(&out), ["head", "d1", "d2", "d3", "a1", "a2", "a3"]);
        let after = out.split_off(boundary);
        assert_eq!(whats(&after), ["a1", "a2", "a3"]);
        assert_eq!(whats(&out), ["head", "d1", "d2", "d3"]);
        // Nothing past the end, nothing to move.
        assert_eq!(out.stable_partition_from(4, |_| true), 4);
        assert_eq!(out.split_off(9).len(), 0);
        out.truncate(1);
        assert_eq!(whats(&out), ["head"]);
    }
}
