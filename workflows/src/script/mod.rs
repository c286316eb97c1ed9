//! Script lines: what the documents have agents (and, in generated calls, customers) say,
//! with placeholders; their filling; and the adherence measure behind CF02.
//!
//! A [`ScriptLine`] is a handle to a static [`ScriptDef`]. The call frame's lines are declared
//! in [`frame`]; each procedure declares its own in its folder. Everything that prints a
//! script line (next steps, transcripts, reports) takes it from [`ScriptLine::template`].

use serde::{Serialize, Serializer};

use crate::vocab::Speaker;

mod adherence;
mod recent;
mod text;

pub use adherence::adherence;
pub(crate) use adherence::adherence_to;
pub use text::ScriptText;

/// One line of a documented dialogue.
#[derive(Debug)]
pub struct ScriptDef {
    /// A name for the line, unique within its procedure (`explain_review_period`).
    pub id: &'static str,
    /// Who says it.
    pub speaker: Speaker,
    /// The line, with placeholders (`<Department Name>`, `<Agent Name>`, `<Customer Name>`,
    /// `<Ticket Number>`).
    pub template: &'static str,
    /// A short lead-in the documents' dialogues put before the line ("OK, thank you
    /// `<Customer Name>`."): it never lowers adherence, and generated calls say it.
    pub lead_in: Option<&'static str>,
}

impl ScriptDef {
    /// A line with no lead-in.
    pub const fn new(id: &'static str, speaker: Speaker, template: &'static str) -> ScriptDef {
        ScriptDef {
            id,
            speaker,
            template,
            lead_in: None,
        }
    }

    /// The same line with a lead-in.
    pub const fn with_lead_in(mut self, lead_in: &'static str) -> ScriptDef {
        self.lead_in = Some(lead_in);
        self
    }
}

/// A handle to a [`ScriptDef`]: equal when it is the same definition.
#[derive(Clone, Copy)]
pub struct ScriptLine(&'static ScriptDef);

impl ScriptLine {
    /// The handle of a definition.
    pub const fn of(def: &'static ScriptDef) -> ScriptLine {
        ScriptLine(def)
    }

    /// The definition.
    pub fn def(self) -> &'static ScriptDef {
        self.0
    }

    /// The line's name.
    pub fn id(self) -> &'static str {
        self.0.id
    }

    /// The line with its placeholders.
    pub fn template(self) -> &'static str {
        self.0.template
    }

    /// The lead-in the dialogues put before the line, if any.
    pub fn lead_in(self) -> Option<&'static str> {
        self.0.lead_in
    }

    /// The line with every placeholder the values know filled in; unknown ones stay as written.
    ///
    /// ```
    /// use callflow_workflows::{script::frame, Placeholders};
    /// let names = Placeholders {
    ///     department: Some("Home Warranty Rewards"),
    ///     agent_name: Some("Sam"),
    ///     ..Placeholders::default()
    /// };
    /// assert_eq!(
    ///     frame::GREETING.fill(&names),
    ///     "Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?"
    /// );
    /// ```
    pub fn fill(self, values: &Placeholders<'_>) -> String {
        values.fill(self.template())
    }
}

impl PartialEq for ScriptLine {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for ScriptLine {}

impl std::hash::Hash for ScriptLine {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state);
    }
}

impl std::fmt::Debug for ScriptLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.id)
    }
}

impl Serialize for ScriptLine {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.id)
    }
}

/// The values that fill a script's placeholders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placeholders<'a> {
    /// `<Department Name>`
    pub department: Option<&'a str>,
    /// `<Agent Name>`
    pub agent_name: Option<&'a str>,
    /// `<Customer Name>`
    pub customer_name: Option<&'a str>,
    /// `<Ticket Number>`
    pub ticket: Option<&'a str>,
}

/// Every placeholder the scripts use.
pub const PLACEHOLDERS: [&str; 4] = [
    "<Department Name>",
    "<Agent Name>",
    "<Customer Name>",
    "<Ticket Number>",
];

impl Placeholders<'_> {
    /// Fills the known placeholders of any template text, in one pass: a value is written as
    /// it is, never searched for placeholders itself (a customer who gives their name as
    /// `<Agent Name>` is not renamed), and a placeholder without a value stays as written.
    ///
    /// ```
    /// use callflow_workflows::Placeholders;
    /// let names = Placeholders {
    ///     customer_name: Some("<Agent Name>"),
    ///     agent_name: Some("Sam"),
    ///     ..Placeholders::default()
    /// };
    /// assert_eq!(
    ///     names.fill("Hi <Customer Name>, I am <Agent Name> of <Department Name> <3"),
    ///     "Hi <Agent Name>, I am Sam of <Department Name> <3"
    /// );
    /// ```
    pub fn fill(&self, template: &str) -> String {
        let pairs = [
            ("<Department Name>", self.department),
            ("<Agent Name>", self.agent_name),
            ("<Customer Name>", self.customer_name),
            ("<Ticket Number>", self.ticket),
        ];
        let mut text = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(at) = rest.find('<') {
            let (before, tail) = rest.split_at(at);
            text.push_str(before);
            let known = pairs.iter().find_map(|&(placeholder, value)| {
                value
                    .filter(|_| tail.starts_with(placeholder))
                    .map(|value| (placeholder.len(), value))
            });
            let (skip, written) = known.unwrap_or((1, "<"));
            text.push_str(written);
            // `skip` ends on an ASCII character ('<' or a placeholder's '>').
            rest = tail.get(skip..).unwrap_or_default();
        }
        text.push_str(rest);
        text
    }
}

/// The call frame's lines (procedures.md 1), and the customer's generic ones.
pub mod frame {
    use super::{ScriptDef, ScriptLine};
    use crate::vocab::Speaker;

    static GREETING_DEF: ScriptDef = ScriptDef::new(
        "greeting",
        Speaker::Agent,
        "Thank you for calling <Department Name>. My name is <Agent Name>, how may I assist you today?",
    );
    static ANYTHING_ELSE_DEF: ScriptDef = ScriptDef::new(
        "anything_else",
        Speaker::Agent,
        "Is there anything else I can assist you with today <Customer Name>?",
    );
    static GOODBYE_DEF: ScriptDef = ScriptDef::new(
        "goodbye",
        Speaker::Agent,
        "OK, thank you and have a great day. Goodbye.",
    );
    static CUSTOMER_THANKS_DEF: ScriptDef =
        ScriptDef::new("customer_thanks", Speaker::Customer, "Great, thank you!");
    static CUSTOMER_NO_DEF: ScriptDef = ScriptDef::new("customer_no", Speaker::Customer, "No.");

    /// Agent: the greeting that opens every call.
    pub const GREETING: ScriptLine = ScriptLine::of(&GREETING_DEF);
    /// Agent: "anything else".
    pub const ANYTHING_ELSE: ScriptLine = ScriptLine::of(&ANYTHING_ELSE_DEF);
    /// Agent: the goodbye.
    pub const GOODBYE: ScriptLine = ScriptLine::of(&GOODBYE_DEF);
    /// Customer: thanks.
    pub const CUSTOMER_THANKS: ScriptLine = ScriptLine::of(&CUSTOMER_THANKS_DEF);
    /// Customer: nothing else.
    pub const CUSTOMER_NO: ScriptLine = ScriptLine::of(&CUSTOMER_NO_DEF);

    /// Every line of the frame.
    pub static ALL: &[ScriptLine] = &[
        GREETING,
        ANYTHING_ELSE,
        GOODBYE,
        CUSTOMER_THANKS,
        CUSTOMER_NO,
    ];
}
