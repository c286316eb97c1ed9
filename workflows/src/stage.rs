//! What generated calls need from a procedure (the transcripts for trainers and the simulated
//! logs): the values a call of the procedure draws, what people say and do around its steps,
//! how its sample events take a call's own values, and its faults.
//!
//! The generator (`callflow-gen`) plays a path out by doing what the machine lists as next;
//! it asks the procedure's [`Stage`] for everything it cannot know: the words of an unscripted
//! step, the customer's answer to a question, a chat's exchange, and where and how each fault
//! is injected. Nothing here decides a transition: the machine does.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::engine::{Facts, Requirement};
use crate::finding::Code;
use crate::script::ScriptLine;
use crate::vocab::{Cents, EventDef, EventName, OwnedValue, ProcedureStep, Speaker};

/// Values a generated call draws once (a ticket number, the amounts a calculator shows, a
/// representative's name), by key. The generator draws every procedure's in the order they
/// registered, so a seed gives the same calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Props(BTreeMap<&'static str, Prop>);

/// One drawn value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prop {
    /// Text.
    Text(String),
    /// An amount.
    Amount(Cents),
    /// A date.
    Date(NaiveDate),
}

impl Props {
    /// Sets a value.
    pub fn set(&mut self, key: &'static str, value: Prop) {
        self.0.insert(key, value);
    }

    /// A text value.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.0.get(key)? {
            Prop::Text(text) => Some(text),
            _ => None,
        }
    }

    /// An amount.
    pub fn amount(&self, key: &str) -> Option<Cents> {
        match self.0.get(key)? {
            Prop::Amount(amount) => Some(*amount),
            _ => None,
        }
    }

    /// A date.
    pub fn date(&self, key: &str) -> Option<NaiveDate> {
        match self.0.get(key)? {
            Prop::Date(date) => Some(*date),
            _ => None,
        }
    }
}

/// The people of a generated call, as a stage sees them.
#[derive(Debug, Clone, Copy)]
pub struct Cast<'a> {
    /// The department the call reached.
    pub department: &'a str,
    /// The agent's enterprise id (`sjones`).
    pub agent_id: &'a str,
    /// The agent's full name.
    pub agent_name: &'a str,
    /// The customer's full name.
    pub customer: &'a str,
    /// The customer's phone number, 10 digits.
    pub phone: &'a str,
    /// The call's drawn values.
    pub props: &'a Props,
}

/// An event of a generated call, owning its value.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedStep {
    /// Which event.
    pub name: EventName,
    /// Its value.
    pub value: OwnedValue,
}

impl OwnedStep {
    /// An event with a value.
    pub fn new(def: &'static EventDef, value: OwnedValue) -> OwnedStep {
        OwnedStep {
            name: EventName::of(def),
            value,
        }
    }

    /// An event with no value.
    pub fn plain(def: &'static EventDef) -> OwnedStep {
        OwnedStep::new(def, OwnedValue::Empty)
    }

    /// The same event borrowed from a step.
    pub fn of(step: &ProcedureStep<'_>) -> OwnedStep {
        OwnedStep {
            name: step.name,
            value: step.value.to_owned_value(),
        }
    }

    /// Whether this is the event `def` declares.
    pub fn is(&self, def: &'static EventDef) -> bool {
        self.name.is(def)
    }
}

/// One line of a generated call besides the step itself: dialogue, or an event with its words.
#[derive(Debug, Clone, PartialEq)]
pub enum Beat {
    /// Words that are no event of the log ("Great, thank you!").
    Say {
        /// Who says them.
        speaker: Speaker,
        /// What is said.
        text: String,
    },
    /// An event, with what was said (`spoken`) or what was done.
    Event {
        /// The event.
        step: OwnedStep,
        /// Its words or its narration.
        text: String,
        /// Whether `text` is speech.
        spoken: bool,
    },
}

/// What a step says or does in a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narration {
    /// The words, or the action in parentheses.
    pub text: String,
    /// Whether the text is speech.
    pub spoken: bool,
}

impl Narration {
    /// Words said.
    pub fn said(text: impl Into<String>) -> Narration {
        Narration {
            text: text.into(),
            spoken: true,
        }
    }

    /// An action (written in parentheses in transcripts).
    pub fn done(text: impl Into<String>) -> Narration {
        Narration {
            text: text.into(),
            spoken: false,
        }
    }
}

/// Where a generated call stands when a stage is asked something.
pub struct Scene<'s> {
    /// The call's people and drawn values.
    pub cast: Cast<'s>,
    /// The call date.
    pub call_date: NaiveDate,
    /// The date exploration used for its samples (their dates are relative to it).
    pub exploration_date: NaiveDate,
    /// The call's account facts so far.
    pub facts: &'s Facts,
    /// The open inquiry's state (`"none"` when no inquiry is open).
    pub state: &'static str,
    /// What the open inquiry's machine lists as next.
    pub next: &'s [Requirement],
    /// The names of the states the path goes through (its tokens).
    pub tokens: &'s [String],
    /// The procedure's parameters, in its own type (as [`crate::Ctx::params`] gives them).
    pub params: &'s (dyn std::any::Any + Send + Sync),
    /// The call's random numbers.
    pub rng: &'s mut fastrand::Rng,
    /// Values the stage keeps between its answers for this call (a warranty start drawn for
    /// one sample, read for the next).
    pub memo: &'s mut Props,
}

/// A fault a generated call can carry: a deviation from the procedure, the codes it must
/// raise, and how it is injected.
#[derive(Debug)]
pub struct FaultDef {
    /// A short name (`wrong_answer`).
    pub id: &'static str,
    /// What the agent did, in words (answer keys).
    pub describe: &'static str,
    /// The codes it must raise, given the call's facts where it was injected.
    pub codes: fn(&Facts) -> Vec<Code>,
    /// How it is injected.
    pub injection: Injection,
}

/// A step and the script line it says (`None`: the stage narrates it).
pub type Scripted = (OwnedStep, Option<ScriptLine>);

/// How a fault is injected into a generated call.
#[derive(Debug, Clone, Copy)]
pub enum Injection {
    /// A step added once the open inquiry is in one of `states`: the event, and the script
    /// line it says (or `None`: the stage narrates it).
    Add {
        /// The states where it applies.
        states: &'static [&'static str],
        /// The step for the state.
        step: fn(&'static str) -> Scripted,
    },
    /// An answer given before the account facts, in `state`: the step for the path's tokens,
    /// if the path gives one.
    BeforeFacts {
        /// The state waiting for the facts.
        state: &'static str,
        /// The answer for the branch the path ends in.
        step: fn(&[String]) -> Option<Scripted>,
    },
    /// A step of the path left out.
    Skip {
        /// The event left out.
        event: &'static EventDef,
    },
    /// A step's value changed as the agent writes it.
    Alter {
        /// The event changed.
        event: &'static EventDef,
        /// The change.
        alter: fn(&OwnedValue, &Cast<'_>) -> OwnedValue,
    },
}

/// What generated calls need from a procedure. Every method has a plain default: a procedure
/// of one's own can start with none and add words later.
pub trait Stage: Send + Sync {
    /// Draws the values a call of this procedure needs (the generator calls every procedure's
    /// in registration order for every call, so the draws of a seed do not depend on the path).
    fn draw_props(&self, rng: &mut fastrand::Rng, props: &mut Props) {
        let _ = (rng, props);
    }

    /// A path's sample with this call's values: dates in the same condition relative to this
    /// call's date, this call's amounts and names.
    fn draw(&self, sample: &ProcedureStep<'static>, scene: &mut Scene<'_>) -> OwnedStep {
        let _ = scene;
        OwnedStep::of(sample)
    }

    /// The event a requirement asks for, with this call's values; `None` when the stage cannot
    /// make one (then the generator leaves the step to the path).
    fn fulfil(&self, requirement: &Requirement, scene: &Scene<'_>) -> Option<OwnedStep> {
        let _ = scene;
        let syntax = requirement.step.def().syntax;
        let value = syntax
            .parse(requirement.value.as_deref().unwrap_or(""))
            .ok()?;
        Some(OwnedStep {
            name: requirement.step,
            value: value.to_owned_value(),
        })
    }

    /// The script line an agent says for a step the machine asks for with `script`: `script`
    /// by default; a stage may say a line once and record the next steps silently (the details
    /// request before each detail is collected).
    fn says(
        &self,
        step: &OwnedStep,
        script: Option<ScriptLine>,
        scene: &mut Scene<'_>,
    ) -> Option<ScriptLine> {
        let _ = (step, scene);
        script
    }

    /// The customer's answer to an agent's question, when the path has them give it right
    /// after (when they reached out, after "how long ago did you reach out?").
    fn answered_by(&self, question: &OwnedStep) -> Option<&'static EventDef> {
        let _ = question;
        None
    }

    /// Seconds a step takes beyond the usual pause (a chat's wait message).
    fn delay(&self, step: &OwnedStep) -> i64 {
        let _ = step;
        0
    }

    /// A step an agent might take before the customer says why they call (a fault: CF06),
    /// with its script line.
    fn premature(&self) -> Option<Scripted> {
        None
    }

    /// Dialogue or events that lead up to a sample (a customer reporting a wrong address
    /// before a chat that verifies it).
    fn before(&self, sample: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        let _ = (sample, scene);
        Vec::new()
    }

    /// What an event without a script line says or does.
    fn narrate(&self, step: &OwnedStep, scene: &Scene<'_>) -> Narration {
        let _ = scene;
        let name = step.name.as_str().replace('_', " ");
        match step.name.speaker() {
            Speaker::System | Speaker::Partner => Narration::done(format!("[system] {name}")),
            _ => Narration::done(format!("({name})")),
        }
    }

    /// What follows an event: the customer's answer to a question, a chat's exchange.
    fn respond(&self, step: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        let _ = (step, scene);
        Vec::new()
    }

    /// The procedure's faults.
    fn faults(&self) -> &'static [FaultDef] {
        &[]
    }
}

/// A 10-digit phone number written with dashes (`212-555-0142`), as people say and type it.
pub fn format_phone(digits: &str) -> String {
    match (digits.get(..3), digits.get(3..6), digits.get(6..)) {
        (Some(area), Some(exchange), Some(line)) if digits.len() == 10 => {
            format!("{area}-{exchange}-{line}")
        }
        _ => digits.to_owned(),
    }
}
