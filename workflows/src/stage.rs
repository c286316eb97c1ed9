//! What generated calls need from a procedure (the transcripts for trainers and the simulated
//! logs): the values a call of the procedure draws, what people say and do around its steps,
//! how its sample events take a call's own values, and its faults.
//!
//! The generator (`callflow-gen`) plays a path out by doing what the machine lists as next;
//! it asks the procedure's [`Stage`] for everything it cannot know: the words of an unscripted
//! step, the customer's answer to a question, a chat's exchange, and where and how each fault
//! is injected. Nothing here decides a transition: the machine does.
//!
//! For trainers a stage also says what each branch teaches ([`Stage::rule`], the rule cards)
//! and, for each fault, the rule it breaks and what the agent should have done instead
//! ([`FaultDef::rule`], [`FaultDef::fix`]): the answer sheets of exercises are made of these
//! and of what the machine itself lists as next.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::engine::{Facts, Requirement};
use crate::explore::Sample;
use crate::finding::Code;
use crate::script::ScriptLine;
use crate::vocab::{Cents, EventDef, EventName, OwnedValue, ProcedureStep, ReasonDef, Speaker};

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
    /// A number drawn afresh for each question the generator asks, from the call's seed: what
    /// [`Scene::pick`] chooses a phrasing by, where the stage cannot draw (`narrate` reads the
    /// scene without changing it).
    pub variant: u64,
    /// The path's decision events, all of them (a stage may suit a value it draws early to a
    /// later sample: the warranty's age the customer mentions, to the start date the account
    /// shows).
    pub samples: &'s [Sample],
    /// The event the path plays next, if any (a question the customer is about to answer, a
    /// dispute about to come).
    pub upcoming: Option<EventName>,
    /// The ids of this procedure's faults the call carries ([`FaultDef::id`]): a stage may draw
    /// its values to suit them (a warranty started exactly 29 days ago, for a wrong answer at
    /// the edge of the review period).
    pub faults: &'s [&'static str],
}

impl Scene<'_> {
    /// One of `options`, chosen by the scene's [`variant`](Scene::variant) and `salt` (two
    /// choices in one answer take two salts); `""` when there is none.
    pub fn pick<'a>(&self, options: &[&'a str], salt: u64) -> &'a str {
        if options.is_empty() {
            return "";
        }
        let mixed = (self.variant ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_mul(0xBF58_476D_1CE4_E5B9)
            .rotate_left(31);
        let index = usize::try_from(mixed % options.len() as u64).unwrap_or(0);
        options.get(index).copied().unwrap_or_default()
    }

    /// Whether the call carries the fault of this procedure with this id.
    pub fn carries(&self, fault: &str) -> bool {
        self.faults.contains(&fault)
    }
}

/// A fault a generated call can carry: a deviation from the procedure, the codes it must
/// raise, how it is injected, and what a trainer's answer sheet says of it.
#[derive(Debug)]
pub struct FaultDef {
    /// A short name (`wrong_answer`), unique within the procedure.
    pub id: &'static str,
    /// What the agent did, in words (answer keys).
    pub describe: &'static str,
    /// The rule it breaks, for answer sheets.
    pub rule: Rule,
    /// What the agent should have said or done instead, for answer sheets.
    pub fix: Fix,
    /// The codes it must raise, given the call's facts where it was injected.
    pub codes: fn(&Facts) -> Vec<Code>,
    /// How it is injected.
    pub injection: Injection,
    /// The ids of this procedure's faults it interacts with: two that bear on the same
    /// decision (a chat while an amount is shown, and quoting what that chat gave), preferred
    /// for the exercises with two flaws.
    pub pairs: &'static [&'static str],
    /// Whether it makes sense on a path, by the path's tokens (the calculator skipped only
    /// where nothing later refers to its amount). [`any_path`] for every path.
    pub fits: fn(&[String]) -> bool,
}

/// [`FaultDef::fits`] for a fault that fits every path.
pub fn any_path(tokens: &[String]) -> bool {
    let _ = tokens;
    true
}

/// The rule a fault breaks, as an answer sheet states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The rule card of the state the inquiry was in where the fault shows ([`Stage::rule`]):
    /// for faults that get the branch wrong, the branch's own rule is the one broken.
    Card,
    /// A rule of its own, in plain words.
    Words(&'static str),
}

/// What the agent should have said or done in place of a fault, as an answer sheet states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// What the machine listed as next where the fault was injected (its script line, when it
    /// has one): derived from the machine.
    Next,
    /// The same step done right: the value before the fault changed it.
    Unaltered,
    /// Words of its own.
    Words(&'static str),
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
    /// An answer given before the account facts, in `state`: the step for the path's tokens
    /// and the ids of the call's faults (a guess, right or wrong), if the path gives one.
    BeforeFacts {
        /// The state waiting for the facts.
        state: &'static str,
        /// The answer for the branch the path ends in.
        step: fn(&[String], &[&'static str]) -> Option<Scripted>,
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
    /// Steps taken once the open inquiry is in one of `states` (any speaker: a chat opened
    /// includes what the systems show), in place of what the machine asks for the `skip`
    /// events, which the agent then leaves out for the rest of the inquiry.
    Steps {
        /// The states where it applies.
        states: &'static [&'static str],
        /// The steps for the state, with this call's people and values.
        steps: fn(&'static str, &Cast<'_>) -> Vec<Scripted>,
        /// Steps the agent leaves out from then on: an event, and the value the requirement
        /// names when it matters (`rewards_team`). After-call work is left out by that value
        /// (another inquiry of the call may require the same event with another); the rest
        /// only while the inquiry stays open.
        skip: &'static [(&'static EventDef, Option<&'static str>)],
    },
    /// The call takes place at another time of day: the explored clock of this label
    /// ([`crate::explore::CLOCKS`]), where a careful agent would walk the path otherwise (a
    /// chat opened after 18:00). The generator starts the call then; a call it cannot start
    /// then does not carry the fault.
    Clock {
        /// The clock's label (`outside chat hours`).
        label: &'static str,
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

    /// What the stage notes of a step as it is played, in [`Scene::memo`] (the purpose of the
    /// chat just opened, the wait it announced), for its later answers.
    fn played(&self, step: &OwnedStep, scene: &mut Scene<'_>) {
        let _ = (step, scene);
    }

    /// Seconds a step takes beyond the usual pause (a representative who connects after the
    /// wait the chat announced).
    fn delay(&self, step: &OwnedStep, scene: &mut Scene<'_>) -> i64 {
        let _ = (step, scene);
        0
    }

    /// What the customer says to raise `reason`, after introducing themselves (the generator
    /// says the introduction): one of several phrasings, true to the path (a warranty
    /// "recently purchased" only when it is). The stage may draw values the phrasing needs
    /// into [`Scene::memo`]. `None`: the reason's `customer_line` without its introduction.
    fn request(&self, reason: &'static ReasonDef, scene: &mut Scene<'_>) -> Option<String> {
        let _ = (reason, scene);
        None
    }

    /// The rule a path through `state` teaches, in one sentence for trainers ("Day 30 to 36
    /// and paid: tell the customer the email comes within the week."), quoting `params`, the
    /// procedure's parameters in force ([`crate::Rules::params`]): the rule card of
    /// transcripts, `--list` and answer sheets. `state` is a path token
    /// ([`crate::Procedure::path_token`]).
    fn rule(&self, state: &str, params: &(dyn std::any::Any + Send + Sync)) -> Option<String> {
        let _ = (state, params);
        None
    }

    /// Whether what the procedure does by the time of day (the partner chat's hours) is open at
    /// `at` under `params` and `config` (the business time zone); `None` for a procedure with
    /// no time of day. The simulator starts a call on a path explored "within" or "outside"
    /// those hours only when the policy in force makes it so.
    fn open_at(
        &self,
        at: chrono::DateTime<chrono::FixedOffset>,
        config: &crate::Config,
        params: &(dyn std::any::Any + Send + Sync),
    ) -> Option<bool> {
        let _ = (at, config, params);
        None
    }

    /// A step an agent might take before the customer says why they call (a fault: CF06),
    /// with its script line.
    fn premature(&self) -> Option<Scripted> {
        None
    }

    /// Dialogue or events that lead up to a step, a path's or one the machine asked for (a
    /// customer reporting a wrong address and giving the right one before a chat that
    /// verifies it; the question a detail answers before the agent records it).
    fn before(&self, sample: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        let _ = (sample, scene);
        Vec::new()
    }

    /// What an event without a script line says or does: speech for what is said (one of
    /// several phrasings, by [`Scene::pick`]), a stage direction only for what is done.
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
