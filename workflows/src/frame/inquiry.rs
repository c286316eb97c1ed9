//! One inquiry of a call: its reason, when it opened and closed, and its procedure's machine.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::{Ctx, Requirements};
use crate::finding::Findings;
use crate::procedure::{InquiryMachine, MachineBox, Procedure};
use crate::registry::Engine;
use crate::script::ScriptLine;
use crate::vocab::{EventName, PackedStamp, Reason, Stamp};

/// One inquiry of a call.
#[derive(Clone)]
pub struct Inquiry {
    pub(super) reason: Reason,
    pub(super) opened: PackedStamp,
    pub(super) anything_else: Option<PackedStamp>,
    pub(super) closed: Option<PackedStamp>,
    runner: Runner,
}

/// Who runs an inquiry: the procedure that covers its reason, or nobody. One field for the
/// two cases (memory per open call, issue #23).
enum Runner {
    /// A procedure covers the reason: its name and its machine, in place when it fits. The
    /// code is the reason definition's (the engine matches codes exactly).
    Procedure {
        name: &'static str,
        machine: MachineBox,
    },
    /// No procedure covers the reason: the code as written.
    Uncovered(Box<str>),
}

impl Clone for Runner {
    fn clone(&self) -> Self {
        match self {
            Runner::Procedure { name, machine } => Runner::Procedure {
                name,
                machine: machine.clone_box(),
            },
            Runner::Uncovered(code) => Runner::Uncovered(code.clone()),
        }
    }
}

impl fmt::Debug for Inquiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inquiry")
            .field("code", &self.code())
            .field("opened", &self.opened)
            .field("anything_else", &self.anything_else)
            .field("closed", &self.closed)
            .field("machine", &self.machine())
            .finish()
    }
}

impl PartialEq for Inquiry {
    /// Two inquiries are equal when their reasons, stamps, states and storages are.
    fn eq(&self, other: &Self) -> bool {
        self.reason == other.reason
            && self.code() == other.code()
            && self.opened == other.opened
            && self.anything_else == other.anything_else
            && self.closed == other.closed
            && match (self.machine(), other.machine()) {
                (Some(a), Some(b)) => a.same_as(b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl Inquiry {
    /// An inquiry for `reason` (read from `code`), opened at `opened`, run by `procedure`'s
    /// `machine` when a procedure covers the reason. A covered inquiry's code is its reason
    /// definition's.
    pub(super) fn new(
        reason: Reason,
        code: &str,
        opened: PackedStamp,
        machine: Option<(&dyn Procedure, MachineBox)>,
    ) -> Inquiry {
        let runner = match (reason.def(), machine) {
            (Some(_), Some((procedure, machine))) => Runner::Procedure {
                name: procedure.name(),
                machine,
            },
            _ => Runner::Uncovered(code.into()),
        };
        Inquiry {
            reason,
            opened,
            anything_else: None,
            closed: None,
            runner,
        }
    }

    /// The reason, as the engine resolved it.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The reason code as written in the log.
    pub fn code(&self) -> &str {
        match (&self.runner, self.reason.def()) {
            (Runner::Uncovered(code), _) => code,
            (Runner::Procedure { .. }, Some(def)) => def.code,
            (Runner::Procedure { .. }, None) => "",
        }
    }

    /// The index of the procedure that runs it, if a procedure covers its reason.
    pub fn procedure(&self) -> Option<usize> {
        self.reason.procedure()
    }

    /// The name of the procedure that runs it, if a procedure covers its reason.
    pub fn procedure_name(&self) -> Option<&'static str> {
        match self.runner {
            Runner::Procedure { name, .. } => Some(name),
            Runner::Uncovered(_) => None,
        }
    }

    /// Where the inquiry opened.
    pub fn opened(&self) -> Stamp {
        self.opened.get()
    }

    /// Where "anything else" was asked after it, if it was.
    pub fn anything_else(&self) -> Option<Stamp> {
        self.anything_else.map(PackedStamp::get)
    }

    /// Where the inquiry closed, once it has.
    pub fn closed(&self) -> Option<Stamp> {
        self.closed.map(PackedStamp::get)
    }

    /// The branch the inquiry is in (or closed in), for procedures whose document decides
    /// between branches.
    pub fn branch(&self) -> Option<&'static str> {
        self.machine()?.branch()
    }

    /// The procedure machine's current state by name; for a closed inquiry, the state it
    /// closed in; `uncovered` for a reason no procedure covers.
    pub fn state_name(&self) -> &'static str {
        match self.machine() {
            Some(machine) => machine.closed_in().unwrap_or_else(|| machine.state()),
            None => "uncovered",
        }
    }

    /// The procedure machine's live state (`closed` once the inquiry closed).
    pub fn live_state(&self) -> &'static str {
        self.machine().map_or("idle", |m| m.state())
    }

    /// The procedure machine, if a procedure covers the reason.
    pub fn machine(&self) -> Option<&(dyn InquiryMachine + 'static)> {
        match &self.runner {
            Runner::Procedure { machine, .. } => Some(&**machine),
            Runner::Uncovered(_) => None,
        }
    }

    /// The procedure machine, to be fed, if a procedure covers the reason.
    pub(super) fn machine_mut(&mut self) -> Option<&mut dyn InquiryMachine> {
        match &mut self.runner {
            Runner::Procedure { machine, .. } => Some(&mut **machine),
            Runner::Uncovered(_) => None,
        }
    }

    /// The inquiry's findings so far.
    pub fn findings(&self) -> &Findings {
        static NONE: Findings = Findings::EMPTY;
        self.machine().map_or(&NONE, |m| m.findings())
    }

    /// Whether the document asks "anything else" after this inquiry.
    pub fn requires_anything_else(&self) -> bool {
        self.reason.def().is_some_and(|r| r.anything_else)
    }

    /// What the procedure still requires, added to `out`.
    pub(super) fn outstanding_into(&self, ctx: &Ctx<'_>, out: &mut Requirements) {
        if let Some(machine) = self.machine() {
            machine.outstanding_into(ctx, out);
        }
    }

    /// The after-call work this inquiry still requires.
    pub(super) fn outstanding_after_call(&self, ctx: &Ctx<'_>) -> Requirements {
        let mut pending = Requirements::new();
        self.outstanding_into(ctx, &mut pending);
        pending.retain(|r| r.after_call);
        pending
    }

    /// The script line an event says in this inquiry, beyond its own, if the reason's
    /// dialogue scripts one.
    pub(super) fn script_for(&self, event: EventName) -> Option<ScriptLine> {
        self.reason.def()?.script_for(event)
    }
}

impl Serialize for Inquiry {
    /// Readable formats (JSON) write a struct with the procedure's name; compact ones
    /// ([`crate::Call::save_compact`]) a tuple `(code, opened, anything_else, closed, machine)`:
    /// the code gives the procedure under the engine the snapshot is checked against.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            use serde::ser::SerializeTuple;
            let mut t = serializer.serialize_tuple(5)?;
            t.serialize_element(self.code())?;
            t.serialize_element(&self.opened)?;
            t.serialize_element(&self.anything_else)?;
            t.serialize_element(&self.closed)?;
            match self.machine() {
                Some(machine) => t.serialize_element(machine.as_serialize())?,
                None => t.serialize_element(&())?,
            }
            return t.end();
        }
        let mut s = serializer.serialize_struct("Inquiry", 6)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("opened", &self.opened)?;
        s.serialize_field("anything_else", &self.anything_else)?;
        s.serialize_field("closed", &self.closed)?;
        s.serialize_field("procedure", &self.procedure_name())?;
        match self.machine() {
            Some(machine) => s.serialize_field("machine", machine.as_serialize())?,
            None => s.serialize_field("machine", &())?,
        }
        s.end()
    }
}

thread_local! {
    /// The engine of the call being restored on this thread: inquiries restore their machine
    /// through their procedure.
    static SAVING: RefCell<Option<Arc<Engine>>> = const { RefCell::new(None) };
}

/// Runs `f` with `engine` as the engine of the calls restored on this thread.
pub(crate) fn with_engine<R>(engine: &Arc<Engine>, f: impl FnOnce() -> R) -> R {
    let previous = SAVING.with(|slot| slot.replace(Some(Arc::clone(engine))));
    let result = f();
    SAVING.with(|slot| *slot.borrow_mut() = previous);
    result
}

impl<'de> Deserialize<'de> for Inquiry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            return deserializer.deserialize_tuple(5, CompactInquiryVisitor);
        }
        deserializer.deserialize_struct(
            "Inquiry",
            &[
                "code",
                "opened",
                "anything_else",
                "closed",
                "procedure",
                "machine",
            ],
            InquiryVisitor,
        )
    }
}

struct InquiryVisitor;

impl<'de> Visitor<'de> for InquiryVisitor {
    type Value = Inquiry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an inquiry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Inquiry, A::Error> {
        let engine = restoring()?;
        let mut code: Option<String> = None;
        let mut opened = None;
        let mut anything_else = None;
        let mut closed = None;
        let mut procedure: Option<Option<String>> = None;
        let mut machine: Option<Option<MachineBox>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "code" => code = Some(map.next_value()?),
                "opened" => opened = Some(map.next_value()?),
                "anything_else" => anything_else = Some(map.next_value()?),
                "closed" => closed = Some(map.next_value()?),
                "procedure" => procedure = Some(map.next_value()?),
                "machine" => {
                    // The procedure that reads the machine: the saved one, else the reason's.
                    let name =
                        match (&procedure, &code) {
                            (Some(saved), _) => saved.clone(),
                            (None, Some(code)) => engine
                                .reason(code)
                                .procedure()
                                .and_then(|index| engine.procedure(index))
                                .map(|p| p.name().to_owned()),
                            (None, None) => return Err(de::Error::custom(
                                "an inquiry's 'code' or 'procedure' must come before its 'machine'",
                            )),
                        };
                    machine = Some(match name {
                        None => {
                            map.next_value::<()>()?;
                            None
                        }
                        Some(name) => {
                            let (_, found) = engine.procedure_named(&name).ok_or_else(|| {
                                de::Error::custom(format!(
                                    "the saved call has an inquiry of procedure '{name}', which this engine does not register"
                                ))
                            })?;
                            Some(map.next_value_seed(MachineSeed(found))?)
                        }
                    });
                }
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &[
                            "code",
                            "opened",
                            "anything_else",
                            "closed",
                            "procedure",
                            "machine",
                        ],
                    ))
                }
            }
        }
        let code = code.ok_or_else(|| de::Error::missing_field("code"))?;
        let reason = engine.reason(&code);
        let machine = machine.unwrap_or(None);
        if reason.procedure().is_some() != machine.is_some() {
            return Err(de::Error::custom(format!(
                "inquiry '{code}': its machine does not match its reason under this engine"
            )));
        }
        let found = reason.procedure().and_then(|index| engine.procedure(index));
        if let (Some(found), Some(Some(saved))) = (found, &procedure) {
            if found.name() != saved {
                return Err(de::Error::custom(format!(
                    "inquiry '{code}': saved under procedure '{saved}', this engine gives the reason to '{}'",
                    found.name()
                )));
            }
        }
        let opened = opened.ok_or_else(|| de::Error::missing_field("opened"))?;
        let mut inquiry = Inquiry::new(reason, &code, opened, found.zip(machine));
        inquiry.anything_else = anything_else.unwrap_or(None);
        inquiry.closed = closed.unwrap_or(None);
        Ok(inquiry)
    }
}

/// The engine of the call being restored on this thread.
fn restoring<E: de::Error>() -> Result<Arc<Engine>, E> {
    SAVING
        .with(|slot| slot.borrow().clone())
        .ok_or_else(|| E::custom("a call is restored with Call::restore, which takes the engine"))
}

/// Reads the compact form of an inquiry: `(code, opened, anything_else, closed, machine)`,
/// the machine read by the procedure that covers the code under the restoring engine.
struct CompactInquiryVisitor;

impl<'de> Visitor<'de> for CompactInquiryVisitor {
    type Value = Inquiry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an inquiry (code, opened, anything else, closed, machine)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Inquiry, A::Error> {
        let engine = restoring()?;
        let missing = |what: &str| de::Error::custom(format!("an inquiry without its {what}"));
        let code: String = seq.next_element()?.ok_or_else(|| missing("code"))?;
        let opened: PackedStamp = seq.next_element()?.ok_or_else(|| missing("opening"))?;
        let anything_else: Option<PackedStamp> = seq
            .next_element()?
            .ok_or_else(|| missing("anything else"))?;
        let closed: Option<PackedStamp> = seq.next_element()?.ok_or_else(|| missing("close"))?;
        let reason = engine.reason(&code);
        let procedure = reason.procedure().and_then(|index| engine.procedure(index));
        let machine = match procedure {
            Some(procedure) => Some(
                seq.next_element_seed(MachineSeed(procedure))?
                    .ok_or_else(|| missing("machine"))?,
            ),
            None => {
                seq.next_element::<()>()?
                    .ok_or_else(|| missing("machine"))?;
                None
            }
        };
        let mut inquiry = Inquiry::new(reason, &code, opened, procedure.zip(machine));
        inquiry.anything_else = anything_else;
        inquiry.closed = closed;
        Ok(inquiry)
    }
}

/// Reads a machine through its procedure.
struct MachineSeed<'p>(&'p dyn Procedure);

impl<'de> DeserializeSeed<'de> for MachineSeed<'_> {
    type Value = MachineBox;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.restore(&mut erased).map_err(de::Error::custom)
    }
}
