//! The call frame (procedures.md 1): greeting, one or more inquiries, "anything else", goodbye,
//! after-call work, end. It is the superstate around the procedures: while an inquiry is open,
//! the frame's `live` superstate routes the procedure's steps into that inquiry's machine.
//! It names no procedure: it asks the engine which procedure an event or a reason belongs to.
//!
//! Its diagram, derived from this machine by exploration and checked by a test, is in
//! ARCHITECTURE.md (`callflow graph --workflow call_frame`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use statig::prelude::*;

use crate::engine::{Ctx, Facts, Input, Requirement, Requirements};
use crate::finding::{Code, Findings};
use crate::registry::Engine;
use crate::rules::Rules;
use crate::script::frame as scripts;
use crate::vocab::{
    frame_events, is_blank, EndStatus, Event, PackedStamp, ProcedureStep, Quoted, Reason, Stamp,
    Step,
};

mod check;
mod inquiry;
mod names;

pub(crate) use inquiry::with_engine;
pub use inquiry::Inquiry;
pub(crate) use names::Names;

/// The frame's context: the engine and the rules the call runs under.
pub struct FrameCtx<'c> {
    /// The engine (which procedure an event or a reason belongs to).
    pub engine: &'c Engine,
    /// The rules the call runs under.
    pub rules: &'c Rules,
}

/// What the frame is fed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FrameInput<'a> {
    /// An event of the call.
    Step(&'a Step<'a>),
    /// No more events will come (end of log) and none said the call ended.
    Finish,
}

/// The frame's shared storage: the call's identity, facts, inquiries and call-level findings.
///
/// Saved (JSON, compact) as one struct of every field, in the order below with `findings`
/// after `inquiries` and `end`, `other_agents` last as before the rare parts were boxed.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The call id, agent id and name, department and customer name, in one allocation.
    names: Names,
    started: PackedStamp,
    call_date: NaiveDate,
    facts: Facts,
    /// The first inquiry inline (most calls have one): an event for it reaches its machine
    /// one pointer sooner (live latency, issue #23).
    inquiries: smallvec::SmallVec<[Inquiry; 1]>,
    greeting: Option<PackedStamp>,
    goodbye: Option<PackedStamp>,
    last: PackedStamp,
    /// What few open calls have: call-level findings, the end, other agents' ids. `None`
    /// until one is recorded (memory per open call, issue #23); never empty when `Some`.
    rare: Option<Box<Rare>>,
}

/// The parts of a frame few open calls have.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rare {
    findings: Findings,
    end: Option<(Stamp, Option<EndStatus>)>,
    other_agents: Vec<(String, u64)>,
}

/// A frame as it is written: every field in its saved order.
#[derive(Serialize)]
#[serde(rename = "Frame")]
struct SavedFrameRef<'a> {
    call_id: &'a str,
    agent_id: &'a str,
    agent_name: Option<&'a str>,
    department: &'a str,
    started: Stamp,
    #[serde(with = "crate::vocab::time_serde::date")]
    call_date: NaiveDate,
    customer_name: Option<&'a str>,
    facts: &'a Facts,
    inquiries: &'a [Inquiry],
    findings: &'a Findings,
    greeting: Option<Stamp>,
    goodbye: Option<Stamp>,
    end: Option<(Stamp, Option<EndStatus>)>,
    last: Stamp,
    other_agents: &'a [(String, u64)],
}

/// A frame as it is read back.
#[derive(Deserialize)]
#[serde(rename = "Frame")]
struct SavedFrame {
    call_id: Box<str>,
    agent_id: Box<str>,
    agent_name: Option<Box<str>>,
    department: Box<str>,
    started: PackedStamp,
    #[serde(with = "crate::vocab::time_serde::date")]
    call_date: NaiveDate,
    customer_name: Option<Box<str>>,
    facts: Facts,
    inquiries: Vec<Inquiry>,
    findings: Findings,
    greeting: Option<PackedStamp>,
    goodbye: Option<PackedStamp>,
    end: Option<(Stamp, Option<EndStatus>)>,
    last: PackedStamp,
    other_agents: Vec<(String, u64)>,
}

impl Serialize for Frame {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SavedFrameRef {
            call_id: self.names.call_id(),
            agent_id: self.names.agent_id(),
            agent_name: self.names.agent_name(),
            department: self.names.department(),
            started: self.started.get(),
            call_date: self.call_date,
            customer_name: self.names.customer_name(),
            facts: &self.facts,
            inquiries: &self.inquiries,
            findings: self.findings(),
            greeting: self.greeting.map(PackedStamp::get),
            goodbye: self.goodbye.map(PackedStamp::get),
            end: self.end(),
            last: self.last.get(),
            other_agents: self.other_agents(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Frame {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = SavedFrame::deserialize(deserializer)?;
        let rare = Rare {
            findings: saved.findings,
            end: saved.end,
            other_agents: saved.other_agents,
        };
        Ok(Frame {
            names: Names::new(
                &saved.call_id,
                &saved.agent_id,
                saved.agent_name.as_deref(),
                &saved.department,
                saved.customer_name.as_deref(),
            ),
            started: saved.started,
            call_date: saved.call_date,
            facts: saved.facts,
            inquiries: smallvec::SmallVec::from_vec(saved.inquiries),
            greeting: saved.greeting,
            goodbye: saved.goodbye,
            last: saved.last,
            rare: (rare != Rare::default()).then(|| Box::new(rare)),
        })
    }
}

/// The states of the call frame (generated by statig from the state functions).
pub type CallState = State;

pub use machine::{State, Superstate};

/// The statig machine. statig 0.4 generates `State` and `Superstate` without docs; each
/// state function's doc comment says what the document asks of the agent there.
#[allow(missing_docs)]
mod machine {
    use super::*;

    #[state_machine(
        initial = "State::opening()",
        before_dispatch = "Self::observe",
        state(derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)),
        superstate(derive(Debug))
    )]
    impl Frame {
        /// The call is live: routes procedure steps to the open inquiry, takes the goodbye and the
        /// end. The substates say how far the conversation has come.
        #[superstate]
        fn live(&mut self, context: &mut FrameCtx<'_>, event: &FrameInput<'_>) -> Outcome<State> {
            let frame_ctx = &*context;
            let step = match event {
                FrameInput::Finish => {
                    self.conclude(self.last.get(), None, frame_ctx);
                    return Transition(State::ended());
                }
                FrameInput::Step(step) => step,
            };
            match step.event {
                Event::Inquiry { code } => {
                    self.start_inquiry(code, step.stamp, frame_ctx);
                    Transition(State::inquiring())
                }
                Event::Goodbye => Transition(State::after_goodbye()),
                Event::CallEnded(status) => {
                    self.conclude(step.stamp, Some(status), frame_ctx);
                    Transition(State::ended())
                }
                Event::CustomerIdentified { name } => {
                    self.names.set_customer_name(name);
                    Handled
                }
                Event::AnythingElse => {
                    if let Some(inquiry) = self.open_inquiry_mut() {
                        inquiry.anything_else.get_or_insert(step.stamp.into());
                    }
                    Handled
                }
                Event::Step(ref procedure_step) => {
                    self.route(step, procedure_step, frame_ctx);
                    Handled
                }
                _ => Handled,
            }
        }

        /// Call started; the agent has not greeted yet ("Thank you for calling <Department Name>.
        /// My name is <Agent Name>, how may I assist you today?").
        #[state(superstate = "live")]
        fn opening(&mut self, event: &FrameInput<'_>) -> Outcome<State> {
            match event {
                FrameInput::Step(Step {
                    event: Event::Greeting,
                    ..
                }) => Transition(State::greeted()),
                FrameInput::Step(
                    step @ Step {
                        event: Event::Inquiry { .. },
                        ..
                    },
                ) => {
                    self.rare_mut().findings.raise(
                        Code::CF01,
                        step.stamp,
                        "the greeting before the first inquiry",
                        "an inquiry with no greeting",
                    );
                    Super
                }
                _ => Super,
            }
        }

        /// Greeted; waiting for the customer's reason.
        #[state(superstate = "live")]
        fn greeted(event: &FrameInput<'_>) -> Outcome<State> {
            let _ = event;
            Super
        }

        /// An inquiry is open: its procedure runs.
        #[state(superstate = "live")]
        fn inquiring(event: &FrameInput<'_>) -> Outcome<State> {
            match event {
                FrameInput::Step(Step {
                    event: Event::AnythingElse,
                    ..
                }) => Transition(State::anything_else()),
                _ => Super,
            }
        }

        /// "Is there anything else I can assist you with today <Customer Name>?" was asked: a new
        /// inquiry, or the goodbye, comes next.
        #[state(superstate = "live")]
        fn anything_else(event: &FrameInput<'_>) -> Outcome<State> {
            let _ = event;
            Super
        }

        /// "OK, thank you and have a great day. Goodbye." was said: after-call work (the escalation
        /// emails) still belongs to the call.
        #[state(superstate = "live")]
        fn after_goodbye(event: &FrameInput<'_>) -> Outcome<State> {
            let _ = event;
            Super
        }

        /// The call is over and judged.
        #[state]
        fn ended(event: &FrameInput<'_>) -> Outcome<State> {
            let _ = event;
            Handled
        }
    }
}

impl Frame {
    /// The `before_dispatch` hook: bookkeeping every event gets once, before the state handles
    /// it (time order, agent evidence, the script check of said lines).
    fn observe(
        &mut self,
        state_or_superstate: StateOrSuperstate<'_, State, Superstate>,
        event: &FrameInput<'_>,
        context: &mut FrameCtx<'_>,
    ) {
        let (StateOrSuperstate::State(_), FrameInput::Step(step)) = (state_or_superstate, event)
        else {
            return;
        };
        self.last = step.stamp.into();
        match step.event {
            Event::Greeting => {
                self.greeting.get_or_insert(step.stamp.into());
            }
            Event::Goodbye => {
                self.goodbye.get_or_insert(step.stamp.into());
            }
            Event::AnythingElse => {
                if let Some(inquiry) = self.open_inquiry_mut() {
                    inquiry.anything_else.get_or_insert(step.stamp.into());
                }
            }
            _ => {}
        }
        if let Some(agent) = step
            .agent_id
            .filter(|a| !a.is_empty() && *a != self.names.agent_id())
        {
            crate::tight::push(
                &mut self.rare_mut().other_agents,
                (agent.to_owned(), step.stamp.line),
            );
        }
        if let Some(said) = step.text.filter(|t| !is_blank(t)) {
            self.check_script(step, said, context.rules);
        }
    }

    /// CF02: a said line under the adherence threshold for its script: the event's own
    /// script, or the one the open inquiry's reason gives it.
    fn check_script(&mut self, step: &Step<'_>, said: &str, rules: &Rules) {
        let threshold = rules.config().adherence_threshold;
        let name = step.event.name();
        let line = match name.def().script {
            Some(line) => Some(line),
            None => self.open_inquiry().and_then(|i| i.script_for(name)),
        };
        let Some(line) = line else { return };
        let score = rules.adherence(line, said);
        if score < threshold {
            let shown: String = said.chars().take(80).collect();
            let ellipsis = if said.chars().count() > 80 { "..." } else { "" };
            self.rare_mut().findings.raise(
                Code::CF02,
                step.stamp,
                format!("the {name} script (adherence >= {:.0}%)", threshold * 100.0),
                format!("adherence {:.0}%: \"{shown}{ellipsis}\"", score * 100.0),
            );
        }
    }

    fn open_inquiry(&self) -> Option<&Inquiry> {
        self.inquiries.last().filter(|i| i.closed.is_none())
    }

    fn open_inquiry_mut(&mut self) -> Option<&mut Inquiry> {
        self.inquiries.last_mut().filter(|i| i.closed.is_none())
    }

    /// Dispatches one input to the open inquiry's machine; whether the machine took it.
    fn dispatch(
        &mut self,
        input: Input<ProcedureStep<'_>>,
        stamp: Stamp,
        context: &FrameCtx<'_>,
    ) -> bool {
        self.open_inquiry().is_some()
            && self.dispatch_to(self.inquiries.len() - 1, input, stamp, context)
    }

    /// Dispatches one input to the machine of the inquiry at `index` (open or closed);
    /// whether a machine took it (an event its procedure declares).
    fn dispatch_to(
        &mut self,
        index: usize,
        input: Input<ProcedureStep<'_>>,
        stamp: Stamp,
        context: &FrameCtx<'_>,
    ) -> bool {
        let Frame {
            inquiries,
            facts,
            call_date,
            names,
            ..
        } = self;
        let Some(inquiry) = inquiries.get_mut(index) else {
            return false;
        };
        let mut taken = false;
        let procedure = inquiry.reason.procedure();
        if let (Some(machine), Some(procedure)) = (inquiry.machine_mut(), procedure) {
            let mut ctx = Ctx {
                stamp,
                config: context.rules.config(),
                params: context.rules.params(procedure),
                facts,
                call_date: *call_date,
                names,
            };
            taken = machine.handle(&input, &mut ctx);
        }
        if let Input::Close { .. } = input {
            inquiry.closed = Some(stamp.into());
        }
        taken
    }

    /// A procedure step: to the earliest inquiry still requiring it when it is after-call
    /// work; else to the open inquiry of its procedure, or CF06.
    fn route(
        &mut self,
        step: &Step<'_>,
        procedure_step: &ProcedureStep<'_>,
        context: &FrameCtx<'_>,
    ) {
        let name = procedure_step.name;
        let def = name.def();
        if def.fact {
            self.facts.set(procedure_step);
        }
        // After-call work counts for the earliest inquiry that still requires it, whichever
        // inquiry is open (procedures.md 1).
        if def.after_call {
            if let Some(index) = self.earliest_requiring(procedure_step, context) {
                self.dispatch_to(index, Input::Event(*procedure_step), step.stamp, context);
                return;
            }
        }
        // The open inquiry's machine takes the step if its procedure declares it.
        if self.dispatch(Input::Event(*procedure_step), step.stamp, context) {
            return;
        }
        match self.open_inquiry().map(|i| i.reason) {
            // Account facts wait for the inquiry they serve.
            _ if def.fact => {}
            // "Sorry about the wait" outside an inquiry of its procedure is courtesy.
            _ if def.courtesy => {}
            None => self.rare_mut().findings.raise(
                Code::CF06,
                step.stamp,
                "procedure steps inside an inquiry of their procedure",
                format!("{name} before any inquiry was open"),
            ),
            Some(reason) => {
                let code = reason.def().map_or("uncovered", |r| r.code);
                self.rare_mut().findings.raise(
                    Code::CF06,
                    step.stamp,
                    "procedure steps inside an inquiry of their procedure",
                    format!("{name} while a {code} inquiry was open"),
                )
            }
        }
    }

    /// The earliest inquiry, closed or open, whose after-call work still requires this step
    /// (the same team, the same partner).
    fn earliest_requiring(
        &self,
        step: &ProcedureStep<'_>,
        context: &FrameCtx<'_>,
    ) -> Option<usize> {
        self.inquiries.iter().position(|inquiry| {
            let Some(procedure) = inquiry.procedure() else {
                return false;
            };
            let ctx = self.ctx(context, procedure);
            inquiry
                .outstanding_after_call(&ctx)
                .iter()
                .any(|r| r.is_met_by(step))
        })
    }

    /// Closes the open inquiry: its machine judges what is outstanding, and CF03 is judged.
    /// Its after-call work is judged with it when the call is over (`call_over`), else at the
    /// end of the call.
    fn close_inquiry(
        &mut self,
        stamp: Stamp,
        complete: bool,
        call_over: bool,
        context: &FrameCtx<'_>,
    ) {
        let Some(inquiry) = self.open_inquiry() else {
            return;
        };
        let missing_anything_else =
            inquiry.requires_anything_else() && inquiry.anything_else.is_none();
        let code = inquiry.reason.def().map_or("uncovered", |r| r.code);
        self.dispatch(
            Input::Close {
                complete,
                call_over,
            },
            stamp,
            context,
        );
        if complete && missing_anything_else {
            self.rare_mut().findings.raise(
                Code::CF03,
                stamp,
                format!("\"anything else\" after the {code} inquiry"),
                "not asked",
            );
        }
    }

    fn start_inquiry(&mut self, code: &str, stamp: Stamp, context: &FrameCtx<'_>) {
        self.close_inquiry(stamp, true, false, context);
        let reason = context.engine.reason(code);
        if reason == Reason::Uncovered {
            self.rare_mut().findings.raise(
                Code::CF07,
                stamp,
                "a reason a procedure covers",
                format!("inquiry {}", Quoted(code)),
            );
        }
        let procedure = reason
            .procedure()
            .and_then(|index| context.engine.procedure(index));
        // A call has one or two inquiries: the first is inline, a second grows the list by one,
        // not to the four a push would reserve (memory per open call; docs/INPUT-FAULTS.md).
        if self.inquiries.len() == self.inquiries.capacity() && self.inquiries.len() < 4 {
            self.inquiries.reserve_exact(1);
        }
        self.inquiries.push(Inquiry::new(
            reason,
            code,
            stamp.into(),
            procedure.map(|p| (p, p.start())),
        ));
        if let Some(def) = reason.def() {
            self.dispatch(Input::Open(def), stamp, context);
        }
    }

    /// The end of the call: the open inquiry closes, and the frame's own omissions are judged
    /// for a complete call; an incomplete one gets CF05 instead.
    fn conclude(&mut self, stamp: Stamp, status: Option<EndStatus>, context: &FrameCtx<'_>) {
        let complete = status == Some(EndStatus::Completed);
        self.rare_mut().end = Some((stamp, status));
        // The inquiries a later one closed: their after-call work is judged now.
        let earlier = match self.open_inquiry() {
            Some(_) => self.inquiries.len() - 1,
            None => self.inquiries.len(),
        };
        for index in 0..earlier {
            self.dispatch_to(index, Input::CallOver { complete }, stamp, context);
        }
        self.close_inquiry(stamp, complete, true, context);
        if complete {
            if self.goodbye.is_none() {
                self.rare_mut().findings.raise(
                    Code::CF04,
                    stamp,
                    "the goodbye before the call ended",
                    "no goodbye",
                );
            }
        } else {
            let why = match status {
                None => "no call_ended event".to_owned(),
                Some(status) => format!("call_ended {}", status.as_str()),
            };
            self.rare_mut()
                .findings
                .raise(Code::CF05, stamp, "a call that runs to its end", why);
        }
    }

    /// What the machine of a procedure reads, at the latest event.
    fn ctx<'c>(&'c self, context: &FrameCtx<'c>, procedure: usize) -> Ctx<'c> {
        Ctx {
            stamp: self.last.get(),
            config: context.rules.config(),
            params: context.rules.params(procedure),
            facts: &self.facts,
            call_date: self.call_date,
            names: &self.names,
        }
    }
}

/// What an embedder or the replayer needs to start a call (the `call_started` event).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallStart<'a> {
    /// The call's identifier.
    pub call_id: &'a str,
    /// The agent's enterprise id (`sjones`).
    pub agent_id: &'a str,
    /// The department name (fills `<Department Name>`).
    pub department: &'a str,
    /// The agent's name (fills `<Agent Name>`), when known.
    pub agent_name: Option<&'a str>,
    /// Where and when the call started.
    pub stamp: Stamp,
}

impl Frame {
    pub(crate) fn new(start: &CallStart<'_>, business_tz: chrono_tz::Tz) -> Frame {
        let call_date = start.stamp.at.with_timezone(&business_tz).date_naive();
        Frame {
            names: Names::new(
                start.call_id,
                start.agent_id,
                start.agent_name,
                start.department,
                None,
            ),
            started: start.stamp.into(),
            call_date,
            facts: Facts::default(),
            inquiries: smallvec::SmallVec::new(),
            greeting: None,
            goodbye: None,
            last: start.stamp.into(),
            rare: None,
        }
    }

    /// The rare parts, made when the first is recorded.
    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// The call's identifier.
    pub fn call_id(&self) -> &str {
        self.names.call_id()
    }

    /// The agent who started the call.
    pub fn agent_id(&self) -> &str {
        self.names.agent_id()
    }

    /// The agent's name, when known.
    pub fn agent_name(&self) -> Option<&str> {
        self.names.agent_name()
    }

    /// The department.
    pub fn department(&self) -> &str {
        self.names.department()
    }

    /// The call's names, read only when asked (a line's placeholders).
    pub(crate) fn names(&self) -> &Names {
        &self.names
    }

    /// The customer's name, once identified.
    pub fn customer_name(&self) -> Option<&str> {
        self.names.customer_name()
    }

    /// Where the call started.
    pub fn started(&self) -> Stamp {
        self.started.get()
    }

    /// The call date in the business time zone.
    pub fn call_date(&self) -> NaiveDate {
        self.call_date
    }

    /// The latest event's stamp.
    pub fn last(&self) -> Stamp {
        self.last.get()
    }

    /// The latest event's stamp as kept (its line and instant read without unpacking).
    pub(crate) fn last_packed(&self) -> PackedStamp {
        self.last
    }

    /// How the call ended: the stamp of the end and the `call_ended` status (`None` when the
    /// log simply stopped).
    pub fn end(&self) -> Option<(Stamp, Option<EndStatus>)> {
        self.rare.as_ref().and_then(|rare| rare.end)
    }

    /// The account facts so far.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The inquiries, in order.
    pub fn inquiries(&self) -> &[Inquiry] {
        &self.inquiries
    }

    /// The call-level (CF) findings.
    pub fn findings(&self) -> &Findings {
        static NONE: Findings = Findings::EMPTY;
        self.rare.as_ref().map_or(&NONE, |rare| &rare.findings)
    }

    /// Agent ids other than the call's that rows carried, with their lines (evidence only).
    pub fn other_agents(&self) -> &[(String, u64)] {
        self.rare.as_ref().map_or(&[], |rare| &rare.other_agents)
    }

    /// The requirements outstanding in `state`, added to `out`: the open inquiry's, then the
    /// frame's own.
    pub(crate) fn outstanding_into(
        &self,
        state: State,
        context: &FrameCtx<'_>,
        out: &mut Requirements,
    ) {
        let anything_else = || {
            Requirement::new(
                &frame_events::ANYTHING_ELSE,
                "ask whether there is anything else",
                Some(Code::CF03),
                Some(scripts::ANYTHING_ELSE),
            )
        };
        let goodbye = || {
            Requirement::new(
                &frame_events::GOODBYE,
                "say goodbye",
                Some(Code::CF04),
                Some(scripts::GOODBYE),
            )
        };
        let open = self.open_inquiry();
        // The open inquiry's requirements, written straight into `out` (the next steps of a live
        // call copy no list: issue #23), then sorted in place: those of the conversation first,
        // its after-call work after them.
        let start = out.len();
        if let Some(inquiry) = open {
            if let Some(procedure) = inquiry.procedure() {
                inquiry.outstanding_into(&self.ctx(context, procedure), out);
            }
        }
        let after_call = out.stable_partition_from(start, |r| !r.after_call);
        match state {
            State::Opening {} => {
                out.truncate(start);
                out.push(Requirement::new(
                    &frame_events::GREETING,
                    "greet the customer",
                    Some(Code::CF01),
                    Some(scripts::GREETING),
                ));
            }
            State::Greeted {} | State::Ended {} => out.truncate(start),
            State::Inquiring {} => {
                out.truncate(after_call);
                if out.len() == start {
                    let asked = open.is_some_and(|i| i.anything_else.is_some());
                    if open.is_some_and(Inquiry::requires_anything_else) && !asked {
                        out.push(anything_else());
                    } else {
                        out.push(goodbye());
                    }
                }
            }
            State::AnythingElse {} => {
                out.truncate(after_call);
                out.push(goodbye());
            }
            State::AfterGoodbye {} => {
                // The after-call work of every inquiry, the closed ones first, then the open
                // one's (already at the end of `out`).
                let open_after = out.split_off(after_call);
                for inquiry in &self.inquiries {
                    if let (Some(_), Some(procedure)) = (inquiry.closed, inquiry.procedure()) {
                        out.extend(inquiry.outstanding_after_call(&self.ctx(context, procedure)));
                    }
                }
                out.extend(open_after);
            }
        }
    }
}

impl State {
    /// The state's name, as diagrams and reports show it.
    pub fn name(&self) -> &'static str {
        match self {
            State::Opening {} => "opening",
            State::Greeted {} => "greeted",
            State::Inquiring {} => "inquiring",
            State::AnythingElse {} => "anything_else",
            State::AfterGoodbye {} => "after_goodbye",
            State::Ended {} => "ended",
        }
    }
}
