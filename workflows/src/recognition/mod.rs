//! Recognising spoken steps in what was said: the phrase lists and recognisers each procedure
//! (and the call frame) declares, and the lexical [`Recognizer`] that reads an utterance with
//! them.
//!
//! A [`Recognition`] is a procedure's knowledge of how its steps sound: one [`Cue`] per spoken
//! step (its phrase lists, the script line the adherence measure compares, how the value is
//! read from the words, and when the step can occur at all) and one [`ReasonCue`] per inquiry
//! reason. A QA team may replace any phrase list from its policy file
//! (`[<procedure>.recognition]`, `[call_frame.recognition]`, keyed by the cue's id).
//!
//! **Phrases.** A phrase is words in order, matched against the utterance's words lower-cased
//! with their punctuation and apostrophes dropped (`"I'm"` is `im`) and number words read as
//! digits (`thirty` is `30`, `twenty four` is `24`). `*` stands for a gap of up to six words;
//! `#` for any number. A phrase starting with `!` vetoes the cue: "sorry could you" keeps
//! "Sorry, could you say that again?" from being an apology. Nothing is downloaded.
//!
//! **Learned from examples.** Behind the lists, a small [classifier] reads the
//! steps whose meaning is in the content rather than in a stock phrase. It learns from the
//! labelled utterances each procedure declares ([`Recognition::examples`]) when a recogniser
//! is built, and it only adds to the lists: a cue read by a phrase or its script line never
//! asks it, and what it reads still passes the cue's vetoes, gate and value reading. Its
//! reads are always listed for review (their confidence is under [`LOW_CONFIDENCE`]).
//!
//! ```
//! use callflow_workflows::recognition::{CallContext, Recognizer};
//! use callflow_workflows::vocab::Speaker;
//! use callflow_workflows::Engine;
//! let engine = Engine::builtin();
//! let recognizer = Recognizer::new(&engine).unwrap();
//! let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
//! let mut call = CallContext::new(date);
//! let said = "Hi, this is Dana, I never got my shopping dollars email";
//! let steps = recognizer.recognize(engine.rules(), &mut call, Speaker::Customer, said);
//! let names: Vec<(&str, &str)> = steps.iter().map(|s| (s.event, s.value.as_str())).collect();
//! assert_eq!(names, [("customer_identified", "Dana"), ("inquiry", "reward_email_missing")]);
//! ```

use crate::script::ScriptLine;
use crate::vocab::Speaker;

pub mod classifier;
pub mod frame;
mod implied;
mod kept;
mod matcher;
mod phrase;
mod words;

pub use classifier::{parse_examples, Example, CLASSIFIER_FLOOR};
pub use matcher::{
    CallContext, ReadBy, Recognized, Recognizer, FROM_THE_ANSWER, LEARNED_CEILING, LOW_CONFIDENCE,
    OPENING_FLOOR, SCRIPT_FLOOR,
};
pub use phrase::check_phrase;
pub use words::{amount_in, business_hours_in, name_in, ticket_in, REDACTED};

/// A procedure's (or the frame's) knowledge of how its spoken steps sound.
#[derive(Debug, Clone, Copy)]
pub struct Recognition {
    /// One cue per spoken step (a step with two fixed values has two).
    pub cues: &'static [Cue],
    /// One cue per inquiry reason.
    pub reasons: &'static [ReasonCue],
    /// Utterances of the procedure's calls as people say them, each with the steps it
    /// holds, that the [classifier] learns from: one per line,
    /// `speaker<TAB>steps<TAB>text` ([`parse_examples`]). Empty for none.
    pub examples: &'static str,
}

impl Recognition {
    /// Nothing recognised: the default of a procedure that declares no recognition.
    pub const NONE: Recognition = Recognition {
        cues: &[],
        reasons: &[],
        examples: "",
    };
}

/// How one spoken step sounds.
#[derive(Debug, Clone, Copy)]
pub struct Cue {
    /// The cue's id, unique within its owner: the key that replaces its phrases in a policy
    /// file (the event's name, or `record_mismatch_address` for a step with fixed values).
    pub id: &'static str,
    /// The event the step is written as (`explain_review_period`).
    pub event: &'static str,
    /// Who says it.
    pub speaker: Speaker,
    /// The phrases that recognise it (see the module's documentation for their syntax).
    pub phrases: &'static [&'static str],
    /// The script line whose words recognise it too, by the adherence measure (at
    /// [`SCRIPT_FLOOR`] or above), under the rules' wording of the line.
    pub script: Option<ScriptLine>,
    /// How the value is read from the words.
    pub value: Extract,
    /// When the step can be said at all.
    pub gate: Gate,
    /// Whether the agent's turn that opens the call is read as this step when it resembles
    /// it at all (adherence at [`OPENING_FLOOR`], or a phrase of [`Cue::opening`]).
    pub opens_call: bool,
    /// Words that, in the turn opening the call, make it an attempt at this step.
    pub opening: &'static [&'static str],
    /// Whether the [classifier] may read the step when no phrase does (for a
    /// step whose meaning is in the content rather than in a stock phrase).
    pub learned: bool,
}

impl Cue {
    /// A cue with phrases alone: any time, no value.
    pub const fn new(
        id: &'static str,
        event: &'static str,
        speaker: Speaker,
        phrases: &'static [&'static str],
    ) -> Cue {
        Cue {
            id,
            event,
            speaker,
            phrases,
            script: None,
            value: Extract::None,
            gate: Gate::Always,
            opens_call: false,
            opening: &[],
            learned: false,
        }
    }

    /// The same cue, also read by the [classifier] when no phrase reads it.
    pub const fn learned(mut self) -> Cue {
        self.learned = true;
        self
    }

    /// The same cue, also recognised by a script line.
    pub const fn script(mut self, line: ScriptLine) -> Cue {
        self.script = Some(line);
        self
    }

    /// The same cue with a value read from the words.
    pub const fn value(mut self, value: Extract) -> Cue {
        self.value = value;
        self
    }

    /// The same cue under a gate.
    pub const fn gate(mut self, gate: Gate) -> Cue {
        self.gate = gate;
        self
    }

    /// The same cue, read from the opening agent turn when it resembles it somewhat.
    pub const fn opens_call(mut self, opening: &'static [&'static str]) -> Cue {
        self.opens_call = true;
        self.opening = opening;
        self
    }
}

/// How a step's value is read from the words.
#[derive(Debug, Clone, Copy)]
pub enum Extract {
    /// No value.
    None,
    /// Always this value (`record_mismatch`: `name` or `address`).
    Fixed(&'static str),
    /// A person's name: the name-like words after the phrase that matched (or, when the agent's
    /// last turn held one of `prompts`, at the start of the answer); each word capitalised.
    Name {
        /// Words of an agent's question asking for the name.
        prompts: &'static [&'static str],
    },
    /// An amount in digits or words, written with two decimals (`161.00`).
    Amount,
    /// A ticket number: `prefix`, a dash and `digits` digits, from digits, digit words or
    /// letters spelled out ("h s p five one oh oh seven").
    Ticket {
        /// The letters that open the number (`HSP`).
        prefix: &'static str,
        /// How many digits follow.
        digits: usize,
    },
    /// Whether a moment the customer tells of falls within business hours (Monday to
    /// Friday, `opens` to `closes` o'clock), relative days read against the call's date.
    BusinessHours {
        /// The value when inside.
        inside: &'static str,
        /// The value when outside.
        outside: &'static str,
        /// The hour business opens.
        opens: u32,
        /// The hour business closes.
        closes: u32,
    },
}

/// When a step can be said.
#[derive(Debug, Clone, Copy)]
pub enum Gate {
    /// Any time.
    Always,
    /// Only after one of these events was recognised in the call, and not already since
    /// ("the ticket" answers "what's the ticket number?").
    After(&'static [&'static str]),
    /// As [`Gate::After`], or in an utterance that also holds one of these phrases (a
    /// customer volunteering when they reached out: "I emailed them Friday night").
    AfterOr(&'static [&'static str], &'static [&'static str]),
    /// Only in an utterance that also holds one of these phrases (a wrong record is an
    /// address when an address is named: "you have it as Birch Road, which is wrong").
    With(&'static [&'static str]),
}

/// How an inquiry reason sounds.
#[derive(Debug, Clone, Copy)]
pub struct ReasonCue {
    /// The reason code (`reward_email_missing`); also its key in a policy file.
    pub reason: &'static str,
    /// The phrases that recognise it.
    pub phrases: &'static [&'static str],
}
