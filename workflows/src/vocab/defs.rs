//! Definitions a vocabulary is made of, as statics: events and reasons. A handle to a
//! definition ([`EventName`]) is a pointer: copying and comparing one costs nothing.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::value::Syntax;
use super::Speaker;
use crate::script::ScriptLine;

/// An event of the vocabulary: its name in the `event` column, who produces it, the syntax
/// of its value, and how the call frame treats it.
#[derive(Debug)]
pub struct EventDef {
    /// The name in the `event` column (`explain_review_period`).
    pub name: &'static str,
    /// Who produces it.
    pub speaker: Speaker,
    /// The syntax of its `value` column.
    pub syntax: Syntax,
    /// What it means, in one sentence (shown in `callflow graph --events` and the docs).
    pub doc: &'static str,
    /// An account fact the system writes: it may come before the inquiry it serves and is kept
    /// for the call (no CF06 outside an inquiry).
    pub fact: bool,
    /// After-call work: done after the goodbye in the documents' dialogues; it counts for the
    /// earliest inquiry of the call that still requires it, whichever inquiry is open.
    pub after_call: bool,
    /// Courtesy: outside an inquiry of its procedure it changes nothing (no CF06).
    pub courtesy: bool,
    /// The script line a said text of this event is checked against (CF02), when it has one
    /// whatever the inquiry (a reason may give others: [`ReasonDef::scripts`]).
    pub script: Option<ScriptLine>,
    /// A number the declaring procedure reads its typed events by (unique among the events a
    /// procedure declares; 0 when it does not use them).
    pub tag: u16,
    /// Which of the call frame's events this is (0: a procedure's), for the engine's parse.
    pub(crate) frame: u8,
}

impl EventDef {
    /// An event with no special treatment and no script.
    pub const fn new(
        name: &'static str,
        speaker: Speaker,
        syntax: Syntax,
        doc: &'static str,
    ) -> EventDef {
        EventDef {
            name,
            speaker,
            syntax,
            doc,
            fact: false,
            after_call: false,
            courtesy: false,
            script: None,
            tag: 0,
            frame: 0,
        }
    }

    /// The same event with a tag its procedure reads it by.
    pub const fn tag(mut self, tag: u16) -> EventDef {
        self.tag = tag;
        self
    }

    /// The same event, the call frame's `kind` (1 to 7, in `frame_events::ALL`'s order).
    pub(crate) const fn frame_kind(mut self, kind: u8) -> EventDef {
        self.frame = kind;
        self
    }

    /// The same event, an account fact.
    pub const fn fact(mut self) -> EventDef {
        self.fact = true;
        self
    }

    /// The same event, after-call work.
    pub const fn after_call(mut self) -> EventDef {
        self.after_call = true;
        self
    }

    /// The same event, courtesy outside an inquiry of its procedure.
    pub const fn courtesy(mut self) -> EventDef {
        self.courtesy = true;
        self
    }

    /// The same event, checked against a script line when said.
    pub const fn scripted(mut self, script: ScriptLine) -> EventDef {
        self.script = Some(script);
        self
    }
}

/// A handle to an [`EventDef`]: equal when it is the same definition.
#[derive(Clone, Copy)]
pub struct EventName(&'static EventDef);

impl EventName {
    /// The handle of a definition.
    pub const fn of(def: &'static EventDef) -> EventName {
        EventName(def)
    }

    /// The definition.
    pub fn def(self) -> &'static EventDef {
        self.0
    }

    /// The name in the `event` column.
    pub fn as_str(self) -> &'static str {
        self.0.name
    }

    /// Who produces it.
    pub fn speaker(self) -> Speaker {
        self.0.speaker
    }

    /// Whether this is the event `def` declares.
    pub fn is(self, def: &'static EventDef) -> bool {
        std::ptr::eq(self.0, def)
    }
}

impl PartialEq for EventName {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for EventName {}

impl std::hash::Hash for EventName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl PartialOrd for EventName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EventName {
    /// By name.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.name.cmp(other.0.name)
    }
}

impl std::fmt::Debug for EventName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Serialize for EventName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name)
    }
}

impl<'de> Deserialize<'de> for EventName {
    /// By name, among the events of every procedure registered in this program.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        lookup_event(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown event '{name}' (no registered procedure declares it)"
            ))
        })
    }
}

/// An inquiry reason a procedure covers: the `inquiry` event's value.
#[derive(Debug)]
pub struct ReasonDef {
    /// The code in the `inquiry` value (`reward_email_missing`).
    pub code: &'static str,
    /// What the customer calls about, in a few words.
    pub doc: &'static str,
    /// Whether the document asks "anything else" after such an inquiry (CF03 when not asked).
    pub anything_else: bool,
    /// Script lines said events take in this inquiry, beyond their own ([`EventDef::script`]):
    /// the apology of the reason's dialogue, for instance.
    pub scripts: &'static [(&'static EventDef, ScriptLine)],
    /// What the customer says to raise it (generated calls).
    pub customer_line: Option<ScriptLine>,
    /// How often the reason comes up in simulated logs, relative to the others.
    pub weight: u32,
}

impl PartialEq for ReasonDef {
    /// The same definition.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for ReasonDef {}

impl ReasonDef {
    /// The script line `event` is checked against in this inquiry, if any.
    pub fn script_for(&self, event: EventName) -> Option<ScriptLine> {
        self.scripts
            .iter()
            .find(|(def, _)| event.is(def))
            .map(|(_, line)| *line)
    }
}

/// Every event definition an engine registered in this program, by name: for reading saved
/// calls and events back (the hot paths use an engine's own table).
fn events() -> &'static RwLock<HashMap<&'static str, &'static EventDef>> {
    static EVENTS: OnceLock<RwLock<HashMap<&'static str, &'static EventDef>>> = OnceLock::new();
    EVENTS.get_or_init(|| {
        let mut map = HashMap::new();
        for def in super::frame_events::ALL {
            map.insert(def.name, *def);
        }
        RwLock::new(map)
    })
}

/// Records the events an engine registers. Errors when a name is taken by another definition.
pub(crate) fn register_events(defs: &[&'static EventDef]) -> Result<(), &'static str> {
    let mut map = events()
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for def in defs {
        match map.get(def.name) {
            Some(known) if !std::ptr::eq(*known, *def) => return Err(def.name),
            Some(_) => {}
            None => {
                map.insert(def.name, def);
            }
        }
    }
    Ok(())
}

/// The event of that name among the frame's and those of every procedure an engine of this
/// program registered.
pub fn lookup_event(name: &str) -> Option<EventName> {
    let map = events()
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.get(name).map(|def| EventName(def))
}
