//! The call frame (procedures.md 1): greeting, one or more inquiries, "anything else", goodbye,
//! after-call work, end. It is the superstate around the procedures: while an inquiry is open,
//! the frame's `live` superstate routes the procedure's steps into that inquiry's machine.
//!
//! Its diagram, derived from this machine by exploration and checked by a test, is in
//! ARCHITECTURE.md (`callflow graph --workflow call_frame`).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use statig::blocking::{IntoStateMachineExt, StateMachine};
use statig::prelude::*;

use crate::config::Config;
use crate::engine::{AccountFacts, Ctx, Input, Requirement};
use crate::event::{EndStatus, Event, EventKind, Procedure, Reason, Stamp, Step};
use crate::finding::{Code, Findings};
use crate::paid_call::PaidCall;
use crate::script::{adherence, ScriptLine};
use crate::shopping_dollars::{Branch, ShoppingDollars};
use crate::values::is_blank;

/// The procedure machine behind one inquiry.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InquiryMachine {
    /// A shopping-dollars inquiry.
    ShoppingDollars(StateMachine<ShoppingDollars>),
    /// A paid-call verification inquiry.
    PaidCall(StateMachine<PaidCall>),
    /// A reason no procedure covers (CF07): nothing to run.
    Uncovered,
}

impl fmt::Debug for InquiryMachine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InquiryMachine::ShoppingDollars(m) => f
                .debug_struct("ShoppingDollars")
                .field("state", m.state())
                .field("storage", m.inner())
                .finish(),
            InquiryMachine::PaidCall(m) => f
                .debug_struct("PaidCall")
                .field("state", m.state())
                .field("storage", m.inner())
                .finish(),
            InquiryMachine::Uncovered => f.write_str("Uncovered"),
        }
    }
}

impl PartialEq for InquiryMachine {
    /// Two inquiry machines are equal when their states and storages are. statig's own
    /// equality also compares whether the machine has run its initial entry actions, which a
    /// restored machine has not until its next input: a closed inquiry of a restored call would
    /// never equal the original.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (InquiryMachine::ShoppingDollars(a), InquiryMachine::ShoppingDollars(b)) => {
                a.state() == b.state() && a.inner() == b.inner()
            }
            (InquiryMachine::PaidCall(a), InquiryMachine::PaidCall(b)) => {
                a.state() == b.state() && a.inner() == b.inner()
            }
            (InquiryMachine::Uncovered, InquiryMachine::Uncovered) => true,
            _ => false,
        }
    }
}

impl InquiryMachine {
    fn for_reason(reason: Reason) -> InquiryMachine {
        match reason.procedure() {
            Some(Procedure::ShoppingDollars) => {
                InquiryMachine::ShoppingDollars(ShoppingDollars::default().state_machine())
            }
            Some(Procedure::PaidCall) => {
                InquiryMachine::PaidCall(PaidCall::default().state_machine())
            }
            None => InquiryMachine::Uncovered,
        }
    }

    fn handle(&mut self, input: &Input<'_>, ctx: &mut Ctx<'_>) {
        match self {
            InquiryMachine::ShoppingDollars(m) => m.handle_with_context(input, ctx),
            InquiryMachine::PaidCall(m) => m.handle_with_context(input, ctx),
            InquiryMachine::Uncovered => {}
        }
    }
}

/// One inquiry of a call: its reason, when it opened and closed, and its procedure machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inquiry {
    reason: Reason,
    code: String,
    opened: Stamp,
    anything_else: Option<Stamp>,
    closed: Option<Stamp>,
    machine: InquiryMachine,
}

impl Inquiry {
    /// The reason.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The reason code as written in the log (differs from `reason` for uncovered reasons).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Where the inquiry opened.
    pub fn opened(&self) -> Stamp {
        self.opened
    }

    /// Where the inquiry closed, once it has.
    pub fn closed(&self) -> Option<Stamp> {
        self.closed
    }

    /// The review-check branch, for a `reward_email_missing` inquiry whose facts are known.
    pub fn branch(&self) -> Option<Branch> {
        match &self.machine {
            InquiryMachine::ShoppingDollars(m) => {
                m.inner().closed_in().unwrap_or(*m.state()).branch()
            }
            _ => None,
        }
    }

    /// The procedure machine's current state by name (`overdue`, `chat_connected`, ...); for a
    /// closed inquiry, the state it closed in.
    pub fn state_name(&self) -> &'static str {
        match &self.machine {
            InquiryMachine::ShoppingDollars(m) => {
                m.inner().closed_in().unwrap_or(*m.state()).name()
            }
            InquiryMachine::PaidCall(m) => m.inner().closed_in().unwrap_or(*m.state()).name(),
            InquiryMachine::Uncovered => "uncovered",
        }
    }

    /// The procedure machine.
    pub fn machine(&self) -> &InquiryMachine {
        &self.machine
    }

    /// The inquiry's findings so far.
    pub fn findings(&self) -> &Findings {
        static NONE: Findings = Findings::EMPTY;
        match &self.machine {
            InquiryMachine::ShoppingDollars(m) => m.inner().findings(),
            InquiryMachine::PaidCall(m) => m.inner().findings(),
            InquiryMachine::Uncovered => &NONE,
        }
    }

    /// Whether the document asks "anything else" after this inquiry (2b and 2c).
    pub fn requires_anything_else(&self) -> bool {
        matches!(
            self.reason,
            Reason::RewardSiteIssue | Reason::RewardPartnerNoResponse
        )
    }

    fn outstanding(&self, ctx: &Ctx<'_>) -> Vec<Requirement> {
        match &self.machine {
            InquiryMachine::ShoppingDollars(m) => m.inner().outstanding(*m.state(), ctx),
            InquiryMachine::PaidCall(m) => m.inner().outstanding(*m.state(), ctx),
            InquiryMachine::Uncovered => Vec::new(),
        }
    }

    /// The after-call work this inquiry still requires: of its current state while it is open,
    /// of the state it closed in once it has.
    fn outstanding_after_call(&self, ctx: &Ctx<'_>) -> Vec<Requirement> {
        let mut pending = match &self.machine {
            InquiryMachine::ShoppingDollars(m) => m
                .inner()
                .outstanding(m.inner().closed_in().unwrap_or(*m.state()), ctx),
            InquiryMachine::PaidCall(m) => m
                .inner()
                .outstanding(m.inner().closed_in().unwrap_or(*m.state()), ctx),
            InquiryMachine::Uncovered => Vec::new(),
        };
        pending.retain(|r| r.after_call);
        pending
    }

    /// The script line an agent event says in this inquiry, if the document scripts it.
    fn script_for(&self, kind: EventKind) -> Option<ScriptLine> {
        match (kind, self.reason) {
            (EventKind::Apologize, Reason::RewardEmailMissing) => Some(ScriptLine::ApologizeDelay),
            (EventKind::Apologize, Reason::RewardSiteIssue | Reason::RewardPartnerNoResponse) => {
                Some(ScriptLine::ApologizeInconvenience)
            }
            (EventKind::PromiseFollowup, Reason::RewardPartnerNoResponse) => {
                Some(ScriptLine::PromiseFollowup)
            }
            _ => None,
        }
    }
}

/// The frame's context: the configuration.
pub struct FrameCtx<'c> {
    /// The configuration the call runs with.
    pub config: &'c Config,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    call_id: String,
    agent_id: String,
    agent_name: Option<String>,
    department: String,
    started: Stamp,
    call_date: NaiveDate,
    customer_name: Option<String>,
    facts: AccountFacts,
    inquiries: Vec<Inquiry>,
    findings: Findings,
    greeting: Option<Stamp>,
    goodbye: Option<Stamp>,
    end: Option<(Stamp, Option<EndStatus>)>,
    last: Stamp,
    other_agents: Vec<(String, u64)>,
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
            let config = context.config;
            let step = match event {
                FrameInput::Finish => {
                    self.conclude(self.last, None, config);
                    return Transition(State::ended());
                }
                FrameInput::Step(step) => step,
            };
            match step.event {
                Event::Inquiry { reason, code } => {
                    self.start_inquiry(reason, code, step.stamp, config);
                    Transition(State::inquiring())
                }
                Event::Goodbye => Transition(State::after_goodbye()),
                Event::CallEnded(status) => {
                    self.conclude(step.stamp, Some(status), config);
                    Transition(State::ended())
                }
                Event::CustomerIdentified { name } => {
                    self.customer_name = Some(name.to_owned());
                    Handled
                }
                Event::AnythingElse => {
                    if let Some(inquiry) = self.open_inquiry_mut() {
                        inquiry.anything_else.get_or_insert(step.stamp);
                    }
                    Handled
                }
                ref event if !event.kind().procedures().is_empty() => {
                    self.route(step, config);
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
                    self.findings.raise(
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
        self.last = step.stamp;
        match step.event {
            Event::Greeting => {
                self.greeting.get_or_insert(step.stamp);
            }
            Event::Goodbye => {
                self.goodbye.get_or_insert(step.stamp);
            }
            Event::AnythingElse => {
                if let Some(inquiry) = self.open_inquiry_mut() {
                    inquiry.anything_else.get_or_insert(step.stamp);
                }
            }
            _ => {}
        }
        if let Some(agent) = step
            .agent_id
            .filter(|a| !a.is_empty() && *a != self.agent_id)
        {
            self.other_agents.push((agent.to_owned(), step.stamp.line));
        }
        if let Some(said) = step.text.filter(|t| !is_blank(t)) {
            self.check_script(step, said, context.config);
        }
    }

    /// CF02: a said line under the adherence threshold for its script.
    fn check_script(&mut self, step: &Step<'_>, said: &str, config: &Config) {
        let kind = step.event.kind();
        let line = match kind {
            EventKind::Greeting => Some(ScriptLine::Greeting),
            EventKind::ExplainReviewPeriod => Some(ScriptLine::ExplainReviewPeriod),
            EventKind::ExpectEmailSoon => Some(ScriptLine::ExpectEmailSoon),
            EventKind::ExplainPartnerSupport => Some(ScriptLine::ExplainPartnerSupport),
            EventKind::AnythingElse => Some(ScriptLine::AnythingElse),
            EventKind::Goodbye => Some(ScriptLine::Goodbye),
            EventKind::Apologize | EventKind::PromiseFollowup => {
                self.open_inquiry().and_then(|i| i.script_for(kind))
            }
            _ => None,
        };
        let Some(line) = line else { return };
        let score = adherence(line, said);
        if score < config.adherence_threshold {
            let shown: String = said.chars().take(80).collect();
            let ellipsis = if said.chars().count() > 80 { "..." } else { "" };
            self.findings.raise(
                Code::CF02,
                step.stamp,
                format!(
                    "the {kind} script (adherence >= {:.0}%)",
                    config.adherence_threshold * 100.0
                ),
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

    /// Dispatches one input to the open inquiry's machine.
    fn dispatch(&mut self, input: Input<'_>, stamp: Stamp, config: &Config) {
        if self.open_inquiry().is_some() {
            self.dispatch_to(self.inquiries.len() - 1, input, stamp, config);
        }
    }

    /// Dispatches one input to the machine of the inquiry at `index` (open or closed).
    fn dispatch_to(&mut self, index: usize, input: Input<'_>, stamp: Stamp, config: &Config) {
        let Frame {
            inquiries,
            facts,
            call_date,
            agent_id,
            customer_name,
            ..
        } = self;
        let Some(inquiry) = inquiries.get_mut(index) else {
            return;
        };
        let mut ctx = Ctx {
            stamp,
            config,
            facts,
            call_date: *call_date,
            agent_id,
            customer_name: customer_name.as_deref(),
        };
        inquiry.machine.handle(&input, &mut ctx);
        if let Input::Close { .. } = input {
            inquiry.closed = Some(stamp);
        }
    }

    /// A procedure step: to the open inquiry of its procedure, or CF06.
    fn route(&mut self, step: &Step<'_>, config: &Config) {
        let kind = step.event.kind();
        match step.event {
            Event::WarrantyStarted(date) => self.facts.warranty_started = Some(date),
            Event::FirstPayment(date) => self.facts.first_payment = Some(date),
            Event::RefundCalculator(amount) => self.facts.refund_calculator = Some(amount),
            _ => {}
        }
        // After-call work counts for the earliest inquiry that still requires it, whichever
        // inquiry is open (procedures.md 1).
        if let Some(index) = self.earliest_requiring(step, config) {
            self.dispatch_to(index, Input::Event(step.event), step.stamp, config);
            return;
        }
        let open = self
            .open_inquiry()
            .map(|i| (i.reason, i.reason.procedure()));
        match open {
            Some((_, Some(procedure))) if kind.procedures().contains(&procedure) => {
                self.dispatch(Input::Event(step.event), step.stamp, config);
            }
            // Account facts wait for the inquiry they serve.
            _ if kind.is_account_fact() => {}
            // "Sorry about the wait" outside an inquiry of its procedure is courtesy.
            _ if kind == EventKind::Apologize => {}
            None => self.findings.raise(
                Code::CF06,
                step.stamp,
                "procedure steps inside an inquiry of their procedure",
                format!("{kind} before any inquiry was open"),
            ),
            Some((reason, _)) => self.findings.raise(
                Code::CF06,
                step.stamp,
                "procedure steps inside an inquiry of their procedure",
                format!("{kind} while a {} inquiry was open", reason.as_str()),
            ),
        }
    }

    /// The earliest inquiry, closed or open, whose after-call work still requires this step
    /// (the same team, the same partner); `None` for any other step.
    fn earliest_requiring(&self, step: &Step<'_>, config: &Config) -> Option<usize> {
        let kind = step.event.kind();
        if !Requirement::is_after_call(kind) {
            return None;
        }
        let ctx = self.ctx(config);
        self.inquiries.iter().position(|inquiry| {
            inquiry.outstanding_after_call(&ctx).iter().any(|r| {
                r.step == kind && r.value.as_deref().is_none_or(|v| *v == step.event.value())
            })
        })
    }

    /// Closes the open inquiry: its machine judges what is outstanding, and CF03 is judged.
    /// Its after-call work is judged with it when the call is over (`call_over`), else at the
    /// end of the call.
    fn close_inquiry(&mut self, stamp: Stamp, complete: bool, call_over: bool, config: &Config) {
        let Some(inquiry) = self.open_inquiry() else {
            return;
        };
        let missing_anything_else =
            inquiry.requires_anything_else() && inquiry.anything_else.is_none();
        let reason = inquiry.reason;
        self.dispatch(
            Input::Close {
                complete,
                call_over,
            },
            stamp,
            config,
        );
        if complete && missing_anything_else {
            self.findings.raise(
                Code::CF03,
                stamp,
                format!("\"anything else\" after the {} inquiry", reason.as_str()),
                "not asked",
            );
        }
    }

    fn start_inquiry(&mut self, reason: Reason, code: &str, stamp: Stamp, config: &Config) {
        self.close_inquiry(stamp, true, false, config);
        if reason == Reason::Uncovered {
            self.findings.raise(
                Code::CF07,
                stamp,
                "a reason a procedure covers",
                format!("inquiry {}", crate::values::Quoted(code)),
            );
        }
        // An inquiry is 400 bytes and a call has one or two: grow by one, not to the four a
        // first push would reserve (memory per open call; docs/INPUT-FAULTS.md).
        self.inquiries.reserve_exact(1);
        self.inquiries.push(Inquiry {
            reason,
            code: code.to_owned(),
            opened: stamp,
            anything_else: None,
            closed: None,
            machine: InquiryMachine::for_reason(reason),
        });
        self.dispatch(Input::Event(Event::Inquiry { reason, code }), stamp, config);
    }

    /// The end of the call: the open inquiry closes, and the frame's own omissions are judged
    /// for a complete call; an incomplete one gets CF05 instead.
    fn conclude(&mut self, stamp: Stamp, status: Option<EndStatus>, config: &Config) {
        let complete = status == Some(EndStatus::Completed);
        self.end = Some((stamp, status));
        // The inquiries a later one closed: their after-call work is judged now.
        let earlier = match self.open_inquiry() {
            Some(_) => self.inquiries.len() - 1,
            None => self.inquiries.len(),
        };
        for index in 0..earlier {
            self.dispatch_to(index, Input::CallOver { complete }, stamp, config);
        }
        self.close_inquiry(stamp, complete, true, config);
        if complete {
            if self.goodbye.is_none() {
                self.findings.raise(
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
            self.findings
                .raise(Code::CF05, stamp, "a call that runs to its end", why);
        }
    }

    fn ctx<'c>(&'c self, config: &'c Config) -> Ctx<'c> {
        Ctx {
            stamp: self.last,
            config,
            facts: &self.facts,
            call_date: self.call_date,
            agent_id: &self.agent_id,
            customer_name: self.customer_name.as_deref(),
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
    pub(crate) fn new(start: &CallStart<'_>, config: &Config) -> Frame {
        let call_date = start
            .stamp
            .at
            .with_timezone(&config.business_tz)
            .date_naive();
        Frame {
            call_id: start.call_id.to_owned(),
            agent_id: start.agent_id.to_owned(),
            agent_name: start.agent_name.map(str::to_owned),
            department: start.department.to_owned(),
            started: start.stamp,
            call_date,
            customer_name: None,
            facts: AccountFacts::default(),
            inquiries: Vec::new(),
            findings: Findings::default(),
            greeting: None,
            goodbye: None,
            end: None,
            last: start.stamp,
            other_agents: Vec::new(),
        }
    }

    /// The call's identifier.
    pub fn call_id(&self) -> &str {
        &self.call_id
    }

    /// The agent who started the call.
    pub fn agent_id(&self) -> &str {
        &self.agent_id
    }

    /// The agent's name, when known.
    pub fn agent_name(&self) -> Option<&str> {
        self.agent_name.as_deref()
    }

    /// The department.
    pub fn department(&self) -> &str {
        &self.department
    }

    /// The customer's name, once identified.
    pub fn customer_name(&self) -> Option<&str> {
        self.customer_name.as_deref()
    }

    /// Where the call started.
    pub fn started(&self) -> Stamp {
        self.started
    }

    /// The call date in the business time zone.
    pub fn call_date(&self) -> NaiveDate {
        self.call_date
    }

    /// The latest event's stamp.
    pub fn last(&self) -> Stamp {
        self.last
    }

    /// How the call ended: the stamp of the end and the `call_ended` status (`None` when the
    /// log simply stopped).
    pub fn end(&self) -> Option<(Stamp, Option<EndStatus>)> {
        self.end
    }

    /// The account facts so far.
    pub fn facts(&self) -> &AccountFacts {
        &self.facts
    }

    /// The inquiries, in order.
    pub fn inquiries(&self) -> &[Inquiry] {
        &self.inquiries
    }

    /// The call-level (CF) findings.
    pub fn findings(&self) -> &Findings {
        &self.findings
    }

    /// Agent ids other than the call's that rows carried, with their lines (evidence only).
    pub fn other_agents(&self) -> &[(String, u64)] {
        &self.other_agents
    }

    /// The requirements outstanding in `state`: the open inquiry's, then the frame's own.
    pub(crate) fn outstanding(&self, state: State, config: &Config) -> Vec<Requirement> {
        let ctx = self.ctx(config);
        let mut out = Vec::new();
        let anything_else = Requirement::new(
            EventKind::AnythingElse,
            "ask whether there is anything else",
            Some(Code::CF03),
            Some(ScriptLine::AnythingElse),
        );
        let goodbye = Requirement::new(
            EventKind::Goodbye,
            "say goodbye",
            Some(Code::CF04),
            Some(ScriptLine::Goodbye),
        );
        let open = self.open_inquiry();
        let (during, after): (Vec<Requirement>, Vec<Requirement>) = open
            .map(|inquiry| inquiry.outstanding(&ctx))
            .unwrap_or_default()
            .into_iter()
            .partition(|r| !r.after_call);
        match state {
            State::Opening {} => out.push(Requirement::new(
                EventKind::Greeting,
                "greet the customer",
                Some(Code::CF01),
                Some(ScriptLine::Greeting),
            )),
            State::Greeted {} => {}
            State::Inquiring {} => {
                let done = during.is_empty();
                out.extend(during);
                if done {
                    let asked = open.is_some_and(|i| i.anything_else.is_some());
                    if open.is_some_and(Inquiry::requires_anything_else) && !asked {
                        out.push(anything_else);
                    } else {
                        out.push(goodbye);
                    }
                }
            }
            State::AnythingElse {} => {
                out.extend(during);
                out.push(goodbye);
            }
            State::AfterGoodbye {} => {
                out.extend(during);
                // The after-call work of every inquiry, the closed ones first.
                for inquiry in &self.inquiries {
                    if inquiry.closed.is_some() {
                        out.extend(inquiry.outstanding_after_call(&ctx));
                    }
                }
                out.extend(after);
            }
            State::Ended {} => {}
        }
        out
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
