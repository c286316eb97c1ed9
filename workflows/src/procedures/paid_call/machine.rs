//! The paid-call verification machine: the refund calculator, the dispute, chat hours, the
//! chat session with its form, and the amount to quote. One statig machine; one inquiry each.
//!
//! The seed's closing notes win over its opening list where they clash (procedures.md 3): with
//! an amount shown, the partner is not contacted about the amount, even on a dispute.
//!
//! Its diagram, derived from this machine by exploration and checked by a test, is in
//! ARCHITECTURE.md (`callflow graph --workflow paid_call`).

use serde::{Deserialize, Serialize};
use statig::prelude::*;

use super::chat_form::ChatForm;
use super::events::{self as ev, ChatPurpose, PcEvent};
use super::params::PcParams;
use crate::engine::{raise_outstanding, Ctx, Input, Judged, Requirement, Requirements};
use crate::finding::{Code, Findings};
use crate::procedure::ProcedureStorage;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::vocab::{Cents, PackedStamp, ProcedureStep};

/// One partner chat of the inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Chat {
    opened: PackedStamp,
    purpose: ChatPurpose,
    form: bool,
    ended: bool,
}

/// The shared storage: what happened in this inquiry, and its findings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PcInquiry {
    service_call_reported: Option<PackedStamp>,
    record_mismatch: Option<PackedStamp>,
    calculator_disputed: Option<PackedStamp>,
    chat_amount_disputed: Option<PackedStamp>,
    build_value: Option<PackedStamp>,
    dispute_letter: Option<PackedStamp>,
    quotes: Vec<(Cents, PackedStamp)>,
    followup: Option<PackedStamp>,
    obtained: Option<(Cents, PackedStamp)>,
    chats: Vec<Chat>,
    findings: Findings,
    /// The state the inquiry was in when it closed.
    closed_in: Option<State>,
}

pub use states::{State, Superstate};

/// The statig machine. statig 0.4 generates `State` and `Superstate` without docs; each
/// state function's doc comment says what the document asks of the agent there.
#[allow(missing_docs)]
mod states {
    use super::*;

    #[state_machine(
        initial = "State::idle()",
        before_dispatch = "Self::record",
        after_transition = "Self::remember",
        state(derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)),
        superstate(derive(Debug))
    )]
    impl PcInquiry {
        /// Before the inquiry: the `inquiry` event opens the cancellation.
        #[state]
        fn idle(context: &mut Ctx<'_>, event: &Input<PcEvent<'_>>) -> Outcome<State> {
            match event {
                Input::Open(_) => Transition(PcInquiry::default().resting_state(context)),
                Input::Event(_) | Input::CallOver { .. } => Handled,
                Input::Close { .. } => Transition(State::closed()),
            }
        }

        /// The cancellation is open: the rules that hold whatever the calculator shows.
        #[superstate]
        fn cancellation(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            let stamp = context.stamp;
            match event {
                Input::Close {
                    complete,
                    call_over,
                } => {
                    let state = self.resting_state(context);
                    self.close(state, context, *complete, *call_over)
                }
                Input::Event(PcEvent::PhoneCallPartner) => {
                    self.findings.raise(
                        Code::PC02,
                        stamp,
                        "chat, the first and only contact method",
                        "phone_call_partner",
                    );
                    if let Some(amount) = calculator_amount(context) {
                        self.findings.raise(
                            Code::PC01,
                            stamp,
                            format!(
                                "quote the calculator's {amount} without contacting the partner"
                            ),
                            "phoned the partner",
                        );
                    }
                    Handled
                }
                Input::Event(PcEvent::ChatOpened(purpose)) => {
                    self.judge_chat_opened(*purpose, context);
                    Transition(State::chat_open())
                }
                Input::Event(PcEvent::PaidAmountObtained(amount)) => {
                    if let Some(shown) = calculator_amount(context) {
                        self.findings.raise(
                            Code::PC01,
                            stamp,
                            format!("the calculator's {shown}, without asking the partner"),
                            format!("obtained {amount} from the partner"),
                        );
                    }
                    self.judge_quotes(context, false);
                    Handled
                }
                Input::Event(PcEvent::QuoteAmount(_) | PcEvent::RefundCalculator(_)) => {
                    self.judge_quotes(context, false);
                    Handled
                }
                Input::Event(PcEvent::ChatForm(form)) => {
                    self.judge_form(form, context);
                    Handled
                }
                Input::Event(PcEvent::WarrantyPrompt { yes }) => {
                    self.judge_prompt(*yes, context);
                    Handled
                }
                Input::Open(_) | Input::Event(_) | Input::CallOver { .. } => Handled,
            }
        }

        /// The calculator has not been read yet.
        #[state(superstate = "cancellation")]
        fn awaiting_calculator(
            &self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            self.on_calculator(context, event, State::awaiting_calculator())
        }

        /// The calculator shows an amount: communicate it; do not contact the partner about it.
        #[state(superstate = "cancellation")]
        fn amount_shown(
            &self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Event(PcEvent::AmountDisputed) => Transition(State::amount_disputed()),
                _ => self.on_calculator(context, event, State::amount_shown()),
            }
        }

        /// The customer disputes the calculator's amount: build value, rebut, and advise disputing
        /// with the partner when the payment-due letter arrives.
        #[state(superstate = "cancellation")]
        fn amount_disputed(
            &self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            self.on_calculator(context, event, State::amount_disputed())
        }

        /// Nothing displayed and no service call reported: nothing to verify, nothing to quote.
        #[state(superstate = "cancellation")]
        fn no_amount(&self, context: &mut Ctx<'_>, event: &Input<PcEvent<'_>>) -> Outcome<State> {
            match event {
                Input::Event(PcEvent::ServiceCallReported) => {
                    Transition(self.resting_state(context))
                }
                _ => self.on_calculator(context, event, State::no_amount()),
            }
        }

        /// Nothing displayed, the customer reports a recent service call that is not listed,
        /// and the chat is open (Monday to Friday, 09:00 to 18:00): verify the paid call through
        /// the partner chat, obtain the total amount paid, and quote it.
        #[state(superstate = "cancellation")]
        fn verify_in_chat(
            &self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            self.on_calculator(context, event, State::verify_in_chat())
        }

        /// Nothing displayed, a service call reported, outside chat hours: do not contact the
        /// partner; promise to confirm the amount later instead of quoting an unknown one.
        #[state(superstate = "cancellation")]
        fn follow_up_later(
            &self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            self.on_calculator(context, event, State::follow_up_later())
        }

        /// A partner chat is open: the session's steps, in the document's order.
        #[superstate(superstate = "cancellation")]
        fn chat(&mut self, context: &mut Ctx<'_>, event: &Input<PcEvent<'_>>) -> Outcome<State> {
            match event {
                Input::Event(PcEvent::ChatEnded) => {
                    if let Some(chat) = self.chats.last_mut() {
                        chat.ended = true;
                    }
                    Transition(self.resting_state(context))
                }
                Input::Event(PcEvent::ChatConnected { .. }) => {
                    self.require_form(context);
                    Super
                }
                _ => Super,
            }
        }

        /// The chat window is open ("Does your product have a warranty?" may show: select "No").
        #[state(superstate = "chat")]
        fn chat_open(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Event(PcEvent::WarrantyPrompt { yes }) => {
                    self.judge_prompt(*yes, context);
                    Transition(State::prompt_answered())
                }
                Input::Event(PcEvent::ChatForm(form)) => {
                    self.judge_form(form, context);
                    Transition(State::form_sent())
                }
                _ => Super,
            }
        }

        /// The prompt was answered; the form comes next.
        #[state(superstate = "chat")]
        fn prompt_answered(
            &mut self,
            context: &mut Ctx<'_>,
            event: &Input<PcEvent<'_>>,
        ) -> Outcome<State> {
            match event {
                Input::Event(PcEvent::ChatForm(form)) => {
                    self.judge_form(form, context);
                    Transition(State::form_sent())
                }
                _ => Super,
            }
        }

        /// The form was sent (Start Chat); a wait message or a representative comes next.
        #[state(superstate = "chat")]
        fn form_sent(event: &Input<PcEvent<'_>>) -> Outcome<State> {
            match event {
                Input::Event(PcEvent::ChatWaiting(_)) => Transition(State::chat_waiting()),
                Input::Event(PcEvent::ChatConnected { .. }) => Transition(State::chat_connected()),
                _ => Super,
            }
        }

        /// "Please wait for a Sears Customer Service representative to respond."
        #[state(superstate = "chat")]
        fn chat_waiting(event: &Input<PcEvent<'_>>) -> Outcome<State> {
            match event {
                Input::Event(PcEvent::ChatConnected { .. }) => Transition(State::chat_connected()),
                _ => Super,
            }
        }

        /// Connected to a representative: type in the Comments section; in a `paid_call` chat,
        /// obtain the total amount paid; then End Chat.
        #[state(superstate = "chat")]
        fn chat_connected(event: &Input<PcEvent<'_>>) -> Outcome<State> {
            let _ = event;
            Super
        }

        /// The inquiry is closed and judged; only its after-call work, done after a later
        /// inquiry, still counts for it, and is judged when the call is over.
        #[state]
        fn closed(&mut self, context: &mut Ctx<'_>, event: &Input<PcEvent<'_>>) -> Outcome<State> {
            if let Input::CallOver { complete: true } = event {
                if let Some(state) = self.closed_in {
                    let outstanding = self.outstanding(state, context);
                    raise_outstanding(
                        &mut self.findings,
                        &outstanding,
                        Judged::AfterCallOnly,
                        context.stamp,
                    );
                }
            }
            Handled
        }
    }
}

/// The amount the calculator shows, if it shows one.
fn calculator_amount(context: &Ctx<'_>) -> Option<Cents> {
    context
        .facts
        .amount_or_none(&ev::REFUND_CALCULATOR)
        .flatten()
}

impl PcInquiry {
    /// The state the inquiry rests in outside a chat: what the calculator shows, whether the
    /// amount was disputed, and, with nothing shown, whether a service call was reported and the
    /// chat is open now.
    fn resting_state(&self, context: &Ctx<'_>) -> State {
        match context.facts.amount_or_none(&ev::REFUND_CALCULATOR) {
            None => State::AwaitingCalculator {},
            Some(None) if self.service_call_reported.is_none() => State::NoAmount {},
            Some(None) if PcParams::of(context).within_chat_hours(context) => {
                State::VerifyInChat {}
            }
            Some(None) => State::FollowUpLater {},
            Some(Some(_)) if self.calculator_disputed.is_some() => State::AmountDisputed {},
            Some(Some(_)) => State::AmountShown {},
        }
    }

    /// The resting states move when the calculator is read (or read again).
    fn on_calculator(
        &self,
        context: &Ctx<'_>,
        event: &Input<PcEvent<'_>>,
        current: State,
    ) -> Outcome<State> {
        match event {
            Input::Event(PcEvent::RefundCalculator(_)) => {
                let target = self.resting_state(context);
                if target == current {
                    Super
                } else {
                    Transition(target)
                }
            }
            _ => Super,
        }
    }

    /// The `after_transition` hook: remembers the state the inquiry closed in (its branch).
    fn remember(&mut self, source: &State, target: &State, context: &mut Ctx<'_>) {
        let _ = context;
        if matches!(target, State::Closed {}) {
            self.closed_in = Some(*source);
        }
    }

    /// The state the inquiry was in when it closed, once it has.
    pub fn closed_in(&self) -> Option<State> {
        self.closed_in
    }

    /// The `before_dispatch` hook: records each step once, before the leaf state handles it.
    fn record(
        &mut self,
        state_or_superstate: StateOrSuperstate<'_, State, Superstate>,
        event: &Input<PcEvent<'_>>,
        context: &mut Ctx<'_>,
    ) {
        let (StateOrSuperstate::State(_), Input::Event(event)) = (state_or_superstate, event)
        else {
            return;
        };
        let stamp = context.stamp;
        match event {
            PcEvent::ServiceCallReported => {
                self.service_call_reported.get_or_insert(stamp.into());
            }
            PcEvent::RecordMismatch(_) => {
                self.record_mismatch.get_or_insert(stamp.into());
            }
            PcEvent::AmountDisputed => {
                if calculator_amount(context).is_some() {
                    self.calculator_disputed.get_or_insert(stamp.into());
                } else if self.obtained.is_some() {
                    self.chat_amount_disputed.get_or_insert(stamp.into());
                }
            }
            PcEvent::BuildValue => {
                self.build_value.get_or_insert(stamp.into());
            }
            PcEvent::AdviseDisputeLetter => {
                self.dispute_letter.get_or_insert(stamp.into());
            }
            PcEvent::QuoteAmount(amount) => {
                crate::tight::push(&mut self.quotes, (*amount, stamp.into()))
            }
            PcEvent::PromiseFollowup => {
                self.followup.get_or_insert(stamp.into());
            }
            PcEvent::PaidAmountObtained(amount) => self.obtained = Some((*amount, stamp.into())),
            PcEvent::ChatOpened(purpose) => crate::tight::push(
                &mut self.chats,
                Chat {
                    opened: stamp.into(),
                    purpose: *purpose,
                    form: false,
                    ended: false,
                },
            ),
            PcEvent::ChatForm(_) => {
                if let Some(chat) = self.chats.last_mut() {
                    chat.form = true;
                }
            }
            _ => {}
        }
    }

    /// PC11's condition, once nothing is displayed and a service call was reported: neither a
    /// `paid_call` chat opened (a chat of another purpose does not count) nor a follow-up
    /// promised.
    fn unverified(&self) -> bool {
        self.followup.is_none()
            && !self
                .chats
                .iter()
                .any(|chat| chat.purpose == ChatPurpose::PaidCall)
    }

    /// Rule 6: the calculator's amount when one is shown, else the total paid obtained in chat.
    pub fn amount_to_quote(&self, context: &Ctx<'_>) -> Option<Cents> {
        calculator_amount(context).or(self.obtained.map(|(amount, _)| amount))
    }

    /// Rules 2 and 4, judged at `chat_opened`.
    fn judge_chat_opened(&mut self, purpose: ChatPurpose, context: &Ctx<'_>) {
        let stamp = context.stamp;
        let params = PcParams::of(context);
        if !params.within_chat_hours(context) {
            let local = stamp.at.with_timezone(&context.config.business_tz);
            self.findings.raise(
                Code::PC04,
                stamp,
                format!("a chat {}, or a promised follow-up", params.hours()),
                format!("chat opened {}", local.format("%a %Y-%m-%d %H:%M %Z")),
            );
        }
        match purpose {
            ChatPurpose::PaidCall => {
                if let Some(amount) = calculator_amount(context) {
                    self.findings.raise(
                        Code::PC01,
                        stamp,
                        format!("the calculator's {amount}, without contacting the partner"),
                        "a paid_call chat",
                    );
                } else if self.service_call_reported.is_none()
                    && self.chat_amount_disputed.is_none()
                {
                    self.findings.raise(
                        Code::PC03,
                        stamp,
                        "a paid_call chat only after the customer reports an unlisted recent service call",
                        "paid_call chat with no service call reported",
                    );
                }
            }
            ChatPurpose::RecordVerification => {
                if self.record_mismatch.is_none() {
                    self.findings.raise(
                        Code::PC03,
                        stamp,
                        "a record_verification chat only after the customer reports a wrong name or address",
                        "record_verification chat with no record mismatch reported",
                    );
                }
            }
            ChatPurpose::RelayCancellation => {}
        }
    }

    /// PC05: "Yes" on the "Does your product have a warranty?" prompt.
    fn judge_prompt(&mut self, yes: bool, context: &Ctx<'_>) {
        if yes {
            self.findings.raise(
                Code::PC05,
                context.stamp,
                "\"No\" on the warranty prompt",
                "\"Yes\"",
            );
        }
    }

    /// PC06: each defect of a chat form, one instance each.
    fn judge_form(&mut self, payload: &str, context: &Ctx<'_>) {
        // The syntax checked the payload as the row was read: it parses.
        let form = ChatForm::parse(payload).unwrap_or_default();
        let params = PcParams::of(context);
        for defect in form.defects(context.agent_id(), &params.form_reason) {
            self.findings.raise(
                Code::PC06,
                context.stamp,
                format!("a complete form with reason '{}'", params.form_reason),
                defect,
            );
        }
    }

    /// PC06 when a representative connects before any form was sent in this chat.
    fn require_form(&mut self, context: &Ctx<'_>) {
        if let Some(chat) = self.chats.last().filter(|c| !c.form) {
            self.findings.raise(
                Code::PC06,
                chat.opened.get(),
                "the chat form filled before Start Chat",
                format!(
                    "no chat_form before the representative connected (line {})",
                    context.stamp.line
                ),
            );
        }
    }

    /// PC07 for each quote that differs from rule 6's amount. A quote made before the amount is
    /// known is judged once it is, or at the close (`closing`) if it never is. Idempotent.
    fn judge_quotes(&mut self, context: &Ctx<'_>, closing: bool) {
        let target = self.amount_to_quote(context);
        let PcInquiry {
            quotes, findings, ..
        } = self;
        for &(quoted, stamp) in quotes.iter() {
            let stamp = stamp.get();
            // A redacted amount (quoted, or the one to quote) is not compared: no PC07 on a
            // guess, and the call's report says the check was not made.
            if quoted.is_redacted() {
                findings.not_checked(Code::PC07, stamp, "the quoted amount was redacted ([PII])");
                continue;
            }
            if target.is_some_and(Cents::is_redacted) {
                findings.not_checked(
                    Code::PC07,
                    stamp,
                    "the amount to quote (the calculator's, or the total paid obtained in chat) was redacted ([PII])",
                );
                continue;
            }
            match target {
                Some(target) if target != quoted => findings.raise(
                    Code::PC07,
                    stamp,
                    target.to_string(),
                    format!("quoted {quoted}"),
                ),
                None if closing => findings.raise(
                    Code::PC07,
                    stamp,
                    "no amount to quote (no calculator amount, none obtained in chat)",
                    format!("quoted {quoted}"),
                ),
                _ => {}
            }
        }
    }

    fn close(
        &mut self,
        state: State,
        context: &Ctx<'_>,
        complete: bool,
        call_over: bool,
    ) -> Outcome<State> {
        self.judge_quotes(context, true);
        if complete {
            let mut outstanding = self.outstanding(state, context);
            for chat in self.chats.iter().filter(|c| !c.ended) {
                outstanding.push(
                    Requirement::new(
                        &ev::CHAT_ENDED,
                        "end the chat (End Chat)",
                        Some(Code::PC10),
                        None,
                    )
                    .with_value(format!("the chat opened at line {}", chat.opened.line())),
                );
            }
            raise_outstanding(
                &mut self.findings,
                &outstanding,
                Judged::on_close(call_over),
                context.stamp,
            );
        }
        Transition(State::Closed {})
    }

    /// What the procedure still requires in `state`.
    pub fn outstanding(&self, state: State, context: &Ctx<'_>) -> Vec<Requirement> {
        let mut out = Requirements::new();
        self.outstanding_into(state, context, &mut out);
        out.into_vec()
    }

    /// The same requirements, added to `out` (no allocation of its own for the next steps).
    pub fn outstanding_into(&self, state: State, context: &Ctx<'_>, out: &mut Requirements) {
        let quote_or_followup = |out: &mut Requirements| {
            if let Some(amount) = self.amount_to_quote(context) {
                if self.quotes.is_empty() && self.followup.is_none() {
                    out.push(
                        Requirement::new(
                            &ev::QUOTE_AMOUNT,
                            "quote the amount (the calculator's when shown, else the total paid obtained in chat)",
                            Some(Code::PC09),
                            None,
                        )
                        .with_value(amount.to_string()),
                    );
                }
            }
        };
        match state {
            State::AwaitingCalculator {} => out.push(Requirement::new(
                &ev::REFUND_CALCULATOR,
                "consult the refund calculator before closing the cancellation",
                Some(Code::PC12),
                None,
            )),
            State::AmountShown {} => quote_or_followup(out),
            State::AmountDisputed {} => {
                if self.build_value.is_none() || self.dispute_letter.is_none() {
                    if self.build_value.is_none() {
                        out.push(Requirement::new(
                            &ev::BUILD_VALUE,
                            "build value and rebut the objection (do not contact the partner)",
                            Some(Code::PC08),
                            None,
                        ));
                    }
                    if self.dispute_letter.is_none() {
                        out.push(Requirement::new(
                            &ev::ADVISE_DISPUTE_LETTER,
                            "advise the customer to dispute with the partner when the payment-due letter arrives",
                            Some(Code::PC08),
                            None,
                        ));
                    }
                }
                quote_or_followup(out);
            }
            State::NoAmount {} => quote_or_followup(out),
            State::VerifyInChat {} => {
                if self.unverified() {
                    out.push(
                        Requirement::new(
                            &ev::CHAT_OPENED,
                            "verify the reported service call through a paid_call chat, or promise a follow-up",
                            Some(Code::PC11),
                            None,
                        )
                        .with_value("paid_call"),
                    );
                }
                quote_or_followup(out);
            }
            State::FollowUpLater {} => {
                if self.unverified() {
                    out.push(Requirement::new(
                        &PROMISE_FOLLOWUP,
                        "outside chat hours: promise to confirm the amount of the reported service call later",
                        Some(Code::PC11),
                        None,
                    ));
                }
                quote_or_followup(out);
            }
            State::ChatOpen {} => {
                out.push(
                    Requirement::new(&ev::WARRANTY_PROMPT, "if asked about a warranty, select No", None, None)
                        .with_value("no"),
                );
                out.push(Requirement::new(
                    &ev::CHAT_FORM,
                    "fill the form: enterprise id, your name, member name, customer id (10 digits), reason",
                    None,
                    None,
                ));
            }
            State::PromptAnswered {} => out.push(Requirement::new(
                &ev::CHAT_FORM,
                "fill the form: enterprise id, your name, member name, customer id (10 digits), reason",
                None,
                None,
            )),
            State::FormSent {} | State::ChatWaiting {} => {}
            State::ChatConnected {} => {
                let paid_call = self
                    .chats
                    .last()
                    .is_some_and(|c| c.purpose == ChatPurpose::PaidCall);
                if paid_call && self.obtained.is_none() {
                    out.push(Requirement::new(
                        &ev::PAID_AMOUNT_OBTAINED,
                        "obtain the total amount paid for the service call",
                        None,
                        None,
                    ));
                }
                out.push(Requirement::new(
                    &ev::CHAT_ENDED,
                    "end the chat (End Chat)",
                    Some(Code::PC10),
                    None,
                ));
            }
            State::Idle {} | State::Closed {} => {}
        }
        // In a chat, what the inquiry needs once the chat is over comes after the chat's steps.
        let in_chat = matches!(
            state,
            State::ChatOpen {}
                | State::PromptAnswered {}
                | State::FormSent {}
                | State::ChatWaiting {}
                | State::ChatConnected {}
        );
        if in_chat {
            self.outstanding_into(self.resting_state(context), context, out);
        }
    }

    /// The findings raised in this inquiry so far.
    pub fn findings(&self) -> &Findings {
        &self.findings
    }
}

impl State {
    /// The state's name, as diagrams and reports show it.
    pub fn name(&self) -> &'static str {
        match self {
            State::Idle {} => "idle",
            State::AwaitingCalculator {} => "awaiting_calculator",
            State::AmountShown {} => "amount_shown",
            State::AmountDisputed {} => "amount_disputed",
            State::NoAmount {} => "no_amount",
            State::VerifyInChat {} => "verify_in_chat",
            State::FollowUpLater {} => "follow_up_later",
            State::ChatOpen {} => "chat_open",
            State::PromptAnswered {} => "prompt_answered",
            State::FormSent {} => "form_sent",
            State::ChatWaiting {} => "chat_waiting",
            State::ChatConnected {} => "chat_connected",
            State::Closed {} => "closed",
        }
    }
}

impl ProcedureStorage for PcInquiry {
    type Typed<'a> = PcEvent<'a>;

    fn event<'a>(step: &ProcedureStep<'a>) -> Option<PcEvent<'a>> {
        PcEvent::of(step)
    }

    fn state_name(state: &State) -> &'static str {
        state.name()
    }

    fn closed_in(&self) -> Option<State> {
        self.closed_in
    }

    fn findings(&self) -> &Findings {
        &self.findings
    }

    fn outstanding(&self, state: &State, ctx: &Ctx<'_>) -> Vec<Requirement> {
        PcInquiry::outstanding(self, *state, ctx)
    }

    fn outstanding_into(&self, state: &State, ctx: &Ctx<'_>, out: &mut Requirements) {
        PcInquiry::outstanding_into(self, *state, ctx, out)
    }
}

crate::inquiry_machine! {
    /// The machine of one paid-call verification inquiry.
    pub struct PcMachine(PcInquiry);
}
