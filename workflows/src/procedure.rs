//! The procedure interface: what a documented procedure declares to the engine, and the
//! machine each of its inquiries runs.
//!
//! A procedure is one folder (`procedures/<name>/` for the built-in ones): its statig machine,
//! its vocabulary (events, reasons, finding codes, script lines, parameters), its exploration
//! alphabet, and what generated calls need (see [`crate::stage`]). It registers with
//! [`crate::EngineBuilder::procedure`], the same call for the built-in procedures
//! ([`crate::procedures::builtin`]) and for a procedure of one's own.
//!
//! ```
//! use callflow_workflows::Engine;
//! let engine = Engine::builtin();
//! let names: Vec<&str> = engine.procedures().iter().map(|p| p.name()).collect();
//! assert_eq!(names, ["shopping_dollars", "paid_call"]);
//! ```

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::{ParamDef, ParamTable};
use crate::engine::{Ctx, Input, Requirement, Requirements};
use crate::error::Error;
use crate::explore::Sample;
use crate::finding::{Code, Findings};
use crate::recognition::Recognition;
use crate::script::ScriptLine;
use crate::stage::Stage;
use crate::vocab::{EventDef, ProcedureStep, ReasonDef};

/// A documented procedure, as the engine sees it.
pub trait Procedure: Send + Sync + 'static {
    /// The name used in paths, on the command line and in saved calls (`paid_call`).
    fn name(&self) -> &'static str;

    /// The procedure's version: saved calls carry it, and a call saved under another version
    /// is not restored under this one.
    fn version(&self) -> u32 {
        1
    }

    /// What the procedure is, in one line (the seed document it reads).
    fn title(&self) -> &'static str;

    /// The department its calls reach (fills `<Department Name>` in generated calls).
    fn department(&self) -> &'static str;

    /// The inquiry reasons it handles.
    fn reasons(&self) -> &'static [&'static ReasonDef];

    /// Its events (an event another procedure declares too, by the same static, is shared).
    fn events(&self) -> &'static [&'static EventDef];

    /// Its finding codes.
    fn codes(&self) -> &'static [Code];

    /// Its script lines (those checked for adherence and those generated calls say).
    fn scripts(&self) -> &'static [ScriptLine];

    /// How its spoken steps and reasons sound: phrase lists, the script lines that recognise
    /// them, how values are read from the words ([`crate::recognition`]). A policy file may
    /// replace any list (`[<name>.recognition]`). Nothing by default: its steps then come only
    /// from logs that name them.
    fn recognition(&self) -> Recognition {
        Recognition::NONE
    }

    /// Its parameters: what a policy may set, with their defaults.
    fn parameters(&self) -> &'static [ParamDef] {
        &[]
    }

    /// Its parameters resolved from a policy's table (missing keys take their defaults), in
    /// the procedure's own type: its machines read them back with [`Ctx::params`].
    fn params(&self, table: &ParamTable) -> Result<Arc<dyn Any + Send + Sync>, Error>;

    /// A fresh machine for an inquiry (before its [`Input::Open`]), made by
    /// [`crate::inquiry_machine!`]'s `start` or with [`machine_box`].
    fn start(&self) -> MachineBox;

    /// A machine read back from a saved call.
    fn restore(
        &self,
        from: &mut dyn erased_serde::Deserializer<'_>,
    ) -> Result<MachineBox, erased_serde::Error>;

    /// The sample events exploration tries (graphs, paths, transcripts): every event of the
    /// vocabulary with representative values, dates relative to `call_date`, each labelled
    /// with the condition it stands for (`warranty_started [d ≤ 29]`). Values a careful agent
    /// would use come first. The `inquiry` samples are added by the explorer. `params` are the
    /// procedure's parameters in force on `call_date` (its own type, as [`Procedure::params`]
    /// made them): samples that stand for a condition are placed by them (a 45-day review
    /// period puts "inside the period" at d ≤ 44).
    fn alphabet(&self, call_date: NaiveDate, params: &(dyn Any + Send + Sync)) -> Vec<Sample>;

    /// The name a state gives a path that enters it (`overdue`), or `None` for a state that
    /// names no path (waiting for facts, a chat's inner steps). `entered_by` is the sample
    /// that entered it.
    fn path_token(&self, state: &'static str, entered_by: &Sample) -> Option<String>;

    /// What generated calls need: what people say and do around the procedure's steps, how
    /// its sample values are drawn, and its faults.
    fn stage(&self) -> &dyn Stage;
}

impl fmt::Debug for dyn Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Procedure({} v{})", self.name(), self.version())
    }
}

/// The room an inquiry keeps in place for its procedure's machine: 160 bytes, 8-aligned. The
/// shopping-dollars machine (160 bytes) fits; a larger one, such as the paid-call machine
/// (216 bytes), or one aligned to more than 8, goes on the heap as every machine did before.
/// Each byte of room is a byte of every call, inquiry or not (memory per open call, #23).
pub type MachineSpace = [u64; 20];

/// A procedure's machine as an inquiry holds it: in place when it fits [`MachineSpace`], on
/// the heap otherwise, a `dyn InquiryMachine` either way (it derefs to one). In place, an
/// event reaches the machine in the call's own memory, without a second cache miss for a
/// box (live latency, issue #23: docs/PERFORMANCE.md, "Fifth round").
pub type MachineBox = smallbox::SmallBox<dyn InquiryMachine, MachineSpace>;

/// `machine`, held as an inquiry holds it ([`MachineBox`]).
///
/// ```
/// use callflow_workflows::procedure::{machine_box, MachineBox};
/// use callflow_workflows::procedures::shopping_dollars::machine::SdMachine;
///
/// let machine: MachineBox = SdMachine::start();
/// let copy: MachineBox = machine_box(machine.as_any().downcast_ref::<SdMachine>().unwrap().clone());
/// assert_eq!(copy.state(), machine.state());
/// assert!(!copy.is_heap(), "the shopping-dollars machine fits in place");
/// // The paid-call machine is larger than the room: it goes on the heap.
/// assert!(callflow_workflows::procedures::paid_call::machine::PcMachine::start().is_heap());
/// ```
pub fn machine_box<M: InquiryMachine + 'static>(machine: M) -> MachineBox {
    smallbox::smallbox!(machine)
}

/// The machine of one inquiry: a statig machine behind an object-safe face. Implement it with
/// [`crate::inquiry_machine!`] for a statig storage type that implements [`ProcedureStorage`].
pub trait InquiryMachine: Send + Sync {
    /// Handles one input. Returns whether the machine took it: `false` for an event its
    /// procedure does not declare (the frame then judges it: CF06, a fact kept, courtesy).
    fn handle(&mut self, input: &Input<ProcedureStep<'_>>, ctx: &mut Ctx<'_>) -> bool;

    /// The current state's name.
    fn state(&self) -> &'static str;

    /// The state the inquiry closed in, once it has.
    fn closed_in(&self) -> Option<&'static str>;

    /// The branch the inquiry is in (or closed in), as reports name it, for procedures whose
    /// document decides between branches (`within_review`); `None` otherwise.
    fn branch(&self) -> Option<&'static str>;

    /// The findings raised in this inquiry so far.
    fn findings(&self) -> &Findings;

    /// What the procedure still requires: in the current state, or in the state it closed in
    /// (where only after-call work still counts).
    fn outstanding(&self, ctx: &Ctx<'_>) -> Vec<Requirement>;

    /// The same requirements as [`InquiryMachine::outstanding`], added to `out` (what the
    /// next steps use: no allocation for the usual few). By default, built on `outstanding`.
    fn outstanding_into(&self, ctx: &Ctx<'_>, out: &mut Requirements) {
        out.extend(self.outstanding(ctx));
    }

    /// Checks a restored machine against the call (its facts, its parameters): whether its
    /// state is one the call allows. Saved calls can be edited; the error says what
    /// contradicts what. Every state is allowed by default.
    fn check(&self, ctx: &Ctx<'_>) -> Result<(), String> {
        let _ = ctx;
        Ok(())
    }

    /// A copy of the machine.
    fn clone_box(&self) -> MachineBox;

    /// The machine as `Any`, for [`InquiryMachine::same_as`].
    fn as_any(&self) -> &dyn Any;

    /// Whether two machines are in the same state with the same storage.
    fn same_as(&self, other: &dyn InquiryMachine) -> bool;

    /// The machine, for saving.
    fn as_serialize(&self) -> &dyn erased_serde::Serialize;

    /// Writes the state and the storage for `{:?}`.
    fn fmt_debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl fmt::Debug for dyn InquiryMachine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_debug(f)
    }
}

/// What [`crate::inquiry_machine!`] needs of a statig storage type: its states' names, what
/// it requires, and how it reads the engine's events as its own.
pub trait ProcedureStorage: statig::blocking::IntoStateMachine {
    /// The procedure's own event type (`Input<Typed<'a>>` is the statig machine's event).
    type Typed<'a>;

    /// Reads an engine event as the procedure's own (`None`: not one of its events).
    fn event<'a>(step: &ProcedureStep<'a>) -> Option<Self::Typed<'a>>;

    /// A state's name (`overdue`).
    fn state_name(state: &Self::State) -> &'static str;

    /// The state the inquiry closed in, once it has (recorded by an `after_transition` hook).
    fn closed_in(&self) -> Option<Self::State>;

    /// The branch a state stands for, as reports name it; `None` by default.
    fn branch(state: &Self::State) -> Option<&'static str> {
        let _ = state;
        None
    }

    /// The findings raised so far.
    fn findings(&self) -> &Findings;

    /// What the procedure still requires in `state`.
    fn outstanding(&self, state: &Self::State, ctx: &Ctx<'_>) -> Vec<Requirement>;

    /// The same requirements as [`ProcedureStorage::outstanding`], added to `out` without an
    /// allocation of its own (what the next steps use). By default, built on `outstanding`.
    fn outstanding_into(&self, state: &Self::State, ctx: &Ctx<'_>, out: &mut Requirements) {
        out.extend(self.outstanding(state, ctx));
    }

    /// Checks a restored machine: whether `state` (its live state) is one the call's facts
    /// and the procedure's parameters allow (for a procedure whose facts decide its branch,
    /// the branch they make true). Every state is allowed by default.
    fn check(&self, state: &Self::State, ctx: &Ctx<'_>) -> Result<(), String> {
        let _ = (state, ctx);
        Ok(())
    }
}

/// Implements [`InquiryMachine`] for a statig machine whose storage implements
/// [`ProcedureStorage`], with a statig event type of `Input<Storage::Typed<'_>>` and a
/// context of [`Ctx`]:
///
/// ```ignore
/// callflow_workflows::inquiry_machine! {
///     /// An address-change inquiry.
///     pub struct AddressChangeMachine(AddressChange);
/// }
/// ```
///
/// It defines the wrapper (`AddressChangeMachine(pub StateMachine<AddressChange>)`), its
/// `start()` and `restore(...)` (for [`Procedure::start`] and [`Procedure::restore`]).
#[macro_export]
macro_rules! inquiry_machine {
    ($(#[$meta:meta])* $vis:vis struct $name:ident($storage:ty);) => {
        $(#[$meta])*
        #[derive(Clone)]
        $vis struct $name(pub $crate::statig::blocking::StateMachine<$storage>);

        impl $name {
            /// A fresh machine, held as an inquiry holds it.
            pub fn start() -> $crate::procedure::MachineBox {
                use $crate::statig::blocking::IntoStateMachineExt as _;
                $crate::procedure::machine_box($name(<$storage>::default().state_machine()))
            }

            /// A machine read back from a saved call, held as an inquiry holds it.
            pub fn restore(
                from: &mut dyn $crate::erased_serde::Deserializer<'_>,
            ) -> ::std::result::Result<
                $crate::procedure::MachineBox,
                $crate::erased_serde::Error,
            > {
                let machine: $crate::statig::blocking::StateMachine<$storage> =
                    $crate::erased_serde::deserialize(from)?;
                ::std::result::Result::Ok($crate::procedure::machine_box($name(machine)))
            }
        }

        impl $crate::procedure::InquiryMachine for $name {
            fn handle(
                &mut self,
                input: &$crate::engine::Input<$crate::vocab::ProcedureStep<'_>>,
                ctx: &mut $crate::engine::Ctx<'_>,
            ) -> bool {
                match input.map(<$storage as $crate::procedure::ProcedureStorage>::event) {
                    ::std::option::Option::Some(input) => {
                        self.0.handle_with_context(&input, ctx);
                        true
                    }
                    ::std::option::Option::None => false,
                }
            }

            fn state(&self) -> &'static str {
                <$storage as $crate::procedure::ProcedureStorage>::state_name(self.0.state())
            }

            fn closed_in(&self) -> ::std::option::Option<&'static str> {
                $crate::procedure::ProcedureStorage::closed_in(self.0.inner())
                    .map(|state| <$storage as $crate::procedure::ProcedureStorage>::state_name(&state))
            }

            fn branch(&self) -> ::std::option::Option<&'static str> {
                let inner = self.0.inner();
                let state = $crate::procedure::ProcedureStorage::closed_in(inner)
                    .unwrap_or(*self.0.state());
                <$storage as $crate::procedure::ProcedureStorage>::branch(&state)
            }

            fn findings(&self) -> &$crate::finding::Findings {
                $crate::procedure::ProcedureStorage::findings(self.0.inner())
            }

            fn outstanding(
                &self,
                ctx: &$crate::engine::Ctx<'_>,
            ) -> ::std::vec::Vec<$crate::engine::Requirement> {
                let inner = self.0.inner();
                let state = $crate::procedure::ProcedureStorage::closed_in(inner)
                    .unwrap_or(*self.0.state());
                $crate::procedure::ProcedureStorage::outstanding(inner, &state, ctx)
            }

            fn outstanding_into(
                &self,
                ctx: &$crate::engine::Ctx<'_>,
                out: &mut $crate::engine::Requirements,
            ) {
                let inner = self.0.inner();
                let state = $crate::procedure::ProcedureStorage::closed_in(inner)
                    .unwrap_or(*self.0.state());
                $crate::procedure::ProcedureStorage::outstanding_into(inner, &state, ctx, out)
            }

            fn check(
                &self,
                ctx: &$crate::engine::Ctx<'_>,
            ) -> ::std::result::Result<(), ::std::string::String> {
                $crate::procedure::ProcedureStorage::check(self.0.inner(), self.0.state(), ctx)
            }

            fn clone_box(&self) -> $crate::procedure::MachineBox {
                $crate::procedure::machine_box(self.clone())
            }

            fn as_any(&self) -> &dyn ::std::any::Any {
                self
            }

            fn same_as(&self, other: &dyn $crate::procedure::InquiryMachine) -> bool {
                // statig's own equality also compares whether the machine ran its initial entry
                // actions, which a restored machine has not until its next input.
                other.as_any().downcast_ref::<$name>().is_some_and(|other| {
                    self.0.state() == other.0.state() && self.0.inner() == other.0.inner()
                })
            }

            fn as_serialize(&self) -> &dyn $crate::erased_serde::Serialize {
                &self.0
            }

            fn fmt_debug(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("state", self.0.state())
                    .field("storage", self.0.inner())
                    .finish()
            }
        }
    };
}
