//! Generated calls: one per path of a machine, played out by an agent who does what the
//! machine says is next, with every line from the scripts and every placeholder filled from a
//! seeded persona. Optionally with injected faults and their answer key.
//!
//! A generated call is driven through a real [`Call`] as it is written, so its dates make its
//! branch true by construction, and the same call can be written as a v1 log (the simulator)
//! or as a transcript (for trainers).

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Days, Duration, FixedOffset, NaiveDate};
use fastrand::Rng;

use callflow_workflows::explore::{Path, Sample};
use callflow_workflows::{
    score, Call, CallStart, Cents, ChatForm, ChatPurpose, Code, Config, Detail, EndStatus, Event,
    EventKind, Placeholders, Reason, RecordField, ScriptLine, Speaker, Stamp, Step, Verdict,
};

use crate::persona::{department, Persona};

/// A deviation a generated call can carry, and the finding codes it must raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// Leave out every step whose absence raises this code (an omission).
    Omit(Code),
    /// Read the greeting off-script (CF02).
    OffScriptGreeting,
    /// Ask for the ticket number before any inquiry is open (CF06; an apology there would be
    /// courtesy, not a finding).
    StepBeforeInquiry,
    /// Start with an inquiry no procedure covers (CF07).
    UncoveredInquiry,
    /// The customer hangs up before the goodbye (CF05; the call is incomplete).
    HangUp,
    /// Give the review-period answer the branch makes false (SD01).
    WrongAnswer,
    /// Answer before the account facts are in (SD03).
    AnswerBeforeFacts,
    /// Collect a detail where the branch calls for no escalation (SD13).
    NeedlessCollect,
    /// Phone the partner (PC02; PC01 too when the calculator shows an amount).
    PhonePartner,
    /// Select "Yes" on the warranty prompt (PC05).
    PromptYes,
    /// Enter the customer id with dashes (PC06).
    DashedCustomerId,
    /// Quote ten dollars more than the amount to quote (PC07).
    WrongQuote,
    /// Never end the partner chat (PC10).
    ChatLeftOpen,
}

impl Fault {
    /// Every fault the generator knows, omissions included.
    pub fn all() -> Vec<Fault> {
        let mut all = vec![
            Fault::OffScriptGreeting,
            Fault::StepBeforeInquiry,
            Fault::UncoveredInquiry,
            Fault::HangUp,
            Fault::WrongAnswer,
            Fault::AnswerBeforeFacts,
            Fault::NeedlessCollect,
            Fault::PhonePartner,
            Fault::PromptYes,
            Fault::DashedCustomerId,
            Fault::WrongQuote,
            Fault::ChatLeftOpen,
        ];
        for code in Code::ALL {
            if code.is_omission() {
                all.push(Fault::Omit(*code));
            }
        }
        all.push(Fault::Omit(Code::CF01));
        all
    }

    /// What the fault does, in words (for answer keys).
    pub fn describe(&self) -> String {
        match self {
            Fault::Omit(code) => format!("left out the step whose absence is {code}"),
            Fault::OffScriptGreeting => "greeting read off-script".to_owned(),
            Fault::StepBeforeInquiry => {
                "asked for a ticket number before the customer said why they called".to_owned()
            }
            Fault::UncoveredInquiry => "an inquiry no procedure covers".to_owned(),
            Fault::HangUp => "the customer hung up before the goodbye".to_owned(),
            Fault::WrongAnswer => "the review-period answer the branch makes false".to_owned(),
            Fault::AnswerBeforeFacts => "answered before the account facts were in".to_owned(),
            Fault::NeedlessCollect => "collected a detail the branch does not call for".to_owned(),
            Fault::PhonePartner => "phoned the partner".to_owned(),
            Fault::PromptYes => "selected Yes on the warranty prompt".to_owned(),
            Fault::DashedCustomerId => "entered the customer id with dashes".to_owned(),
            Fault::WrongQuote => "quoted ten dollars more than the amount to quote".to_owned(),
            Fault::ChatLeftOpen => "never ended the partner chat".to_owned(),
        }
    }

    /// The codes the fault must raise, given whether the calculator showed an amount when it
    /// happened.
    fn codes(&self, amount_shown: bool) -> Vec<Code> {
        match self {
            Fault::Omit(code) => vec![*code],
            Fault::OffScriptGreeting => vec![Code::CF02],
            Fault::StepBeforeInquiry => vec![Code::CF06],
            Fault::UncoveredInquiry => vec![Code::CF07],
            Fault::HangUp => vec![Code::CF05],
            Fault::WrongAnswer => vec![Code::SD01],
            Fault::AnswerBeforeFacts => vec![Code::SD03],
            Fault::NeedlessCollect => vec![Code::SD13],
            Fault::PhonePartner if amount_shown => vec![Code::PC01, Code::PC02],
            Fault::PhonePartner => vec![Code::PC02],
            Fault::PromptYes => vec![Code::PC05],
            Fault::DashedCustomerId => vec![Code::PC06],
            Fault::WrongQuote => vec![Code::PC07],
            Fault::ChatLeftOpen => vec![Code::PC10],
        }
    }
}

/// One line of a generated call: an event of its log, or dialogue around the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who speaks or acts.
    pub speaker: Speaker,
    /// The log event, when the line is one (a customer's "No." is only dialogue).
    pub event: Option<EventKind>,
    /// The event's `value` column.
    pub value: String,
    /// What was said (quoted speech) or done (narration).
    pub text: String,
    /// Whether `text` is speech (goes in the log's `text` column for agent lines).
    pub spoken: bool,
    /// The 1-based line of this event in the call's own log (2 for the first event).
    pub log_line: Option<u64>,
}

/// The answer key of a generated call: what an audit must find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerKey {
    /// The faults injected.
    pub faults: Vec<Fault>,
    /// The expected verdict.
    pub verdict: Verdict,
    /// The expected score.
    pub score: u32,
    /// The expected finding codes, sorted.
    pub codes: Vec<Code>,
}

/// A generated call.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The path's name (`shopping_dollars/reward_email_missing/overdue`).
    pub path: String,
    /// The call id.
    pub call_id: String,
    /// The people and values.
    pub persona: Persona,
    /// The department.
    pub department: &'static str,
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// What an audit must find (for a clean call: no faults, and only the path's own info
    /// findings such as SD12).
    pub answer_key: AnswerKey,
    /// The call as the machines saw it.
    pub call: Call,
}

/// Everything a generation needs besides the path.
pub struct Setup<'a> {
    /// The configuration the machines run with.
    pub config: &'a Arc<Config>,
    /// The call id.
    pub call_id: String,
    /// The persona.
    pub persona: Persona,
    /// The call's start.
    pub start: DateTime<FixedOffset>,
    /// Faults to inject (each applied where the path allows).
    pub faults: &'a [Fault],
}

struct Scene<'a> {
    call: Call,
    persona: &'a Persona,
    department: &'static str,
    lines: Vec<Line>,
    at: DateTime<FixedOffset>,
    line: u64,
    rng: Rng,
    faults: &'a [Fault],
    applied: Vec<(Fault, bool)>,
    exploration_date: NaiveDate,
    warranty_start: Option<NaiveDate>,
    collected: bool,
    final_branch: Option<String>,
    /// The path's decision events still to play.
    rest: VecDeque<Sample>,
}

fn customer_line(reason: Reason) -> ScriptLine {
    match reason {
        Reason::RewardSiteIssue => ScriptLine::CustomerSiteIssue,
        Reason::RewardPartnerNoResponse => ScriptLine::CustomerNoResponse,
        Reason::WarrantyCancellation => ScriptLine::CustomerCancellation,
        _ => ScriptLine::CustomerEmailMissing,
    }
}

impl<'a> Scene<'a> {
    fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }

    fn mark(&mut self, fault: Fault) {
        let shown = self
            .call
            .frame()
            .facts()
            .refund_calculator
            .flatten()
            .is_some();
        if !self.applied.iter().any(|(f, _)| *f == fault) {
            self.applied.push((fault, shown));
        }
    }

    fn names(&self) -> Placeholders<'_> {
        Placeholders {
            department: Some(self.department),
            agent_name: Some(self.persona.agent_first()),
            customer_name: Some(&self.persona.customer),
            ticket: Some(&self.persona.ticket),
        }
    }

    fn tick(&mut self, kind: EventKind) {
        let seconds = match kind.speaker() {
            Speaker::System => 4 + self.rng.i64(0..4),
            _ => 8 + self.rng.i64(0..20),
        };
        let seconds = if kind == EventKind::ChatWaiting {
            seconds + 120
        } else {
            seconds
        };
        self.at += Duration::seconds(seconds);
    }

    /// Feeds an event to the call and records its line.
    fn event(&mut self, event: Event<'_>, value: String, text: String, spoken: bool) {
        let kind = event.kind();
        self.tick(kind);
        self.line += 1;
        let step = Step {
            stamp: Stamp {
                line: self.line,
                at: self.at,
            },
            event,
            text: (spoken && kind.speaker() == Speaker::Agent).then_some(text.as_str()),
            agent_id: None,
        };
        // A generated call never goes back in time or past its end.
        let _ = self.call.handle(&step);
        self.lines.push(Line {
            at: self.at,
            speaker: kind.speaker(),
            event: Some(kind),
            value,
            text,
            spoken,
            log_line: Some(self.line),
        });
    }

    /// A line of dialogue that is no event of the log.
    fn say(&mut self, speaker: Speaker, text: String) {
        self.at += Duration::seconds(3 + self.rng.i64(0..6));
        self.lines.push(Line {
            at: self.at,
            speaker,
            event: None,
            value: String::new(),
            text,
            spoken: true,
            log_line: None,
        });
    }

    fn script(&self, line: ScriptLine) -> String {
        line.fill(&self.names())
    }

    fn inquiry_state(&self) -> &'static str {
        self.call
            .inquiries()
            .last()
            .filter(|i| i.closed().is_none())
            .map_or("none", |i| i.state_name())
    }

    /// An agent event, with its script line when it has one, else a narration.
    fn agent(&mut self, event: Event<'_>, script: Option<ScriptLine>) {
        let kind = event.kind();
        // The details request is said once; each detail after it is only recorded.
        let script = script.filter(|_| !(kind == EventKind::Collect && self.collected));
        let (text, spoken) = match script {
            Some(line) => {
                let mut text = String::new();
                if let Some(lead) = line.lead_in() {
                    text.push_str(&self.names().fill(lead));
                    text.push(' ');
                }
                text.push_str(&self.script(line));
                (text, true)
            }
            None => self.narrate(&event),
        };
        let value = event.value();
        self.event(event, value, text, spoken);
        self.respond(kind);
    }

    /// What the customer says back to an agent step, when the document implies an answer.
    fn respond(&mut self, kind: EventKind) {
        match kind {
            EventKind::AskTicket => {
                let text = self.script(ScriptLine::CustomerTicket);
                let ticket = self.persona.ticket.clone();
                self.event(Event::Ticket(&ticket), ticket.clone(), text, true);
            }
            EventKind::Collect => {
                let first = self.persona.customer_first().to_lowercase();
                let reply = match self.lines.last().map(|l| l.value.as_str()) {
                    Some("name") => format!("It's {}.", self.persona.customer),
                    Some("email") => format!("{first}@example.com"),
                    Some("phone") => format_phone(&self.persona.phone),
                    _ => return,
                };
                self.say(Speaker::Customer, reply);
            }
            EventKind::PromiseFollowup
            | EventKind::ExplainReviewPeriod
            | EventKind::ExpectEmailSoon
            | EventKind::ExplainPartnerSupport => {
                let text = self.script(ScriptLine::CustomerThanks);
                self.say(Speaker::Customer, text);
            }
            _ => {}
        }
    }

    /// What an agent step without a script line says or does: speech (`true`) or narration.
    fn narrate(&self, event: &Event<'_>) -> (String, bool) {
        let speech = |text: &str| (text.to_owned(), true);
        let action = |text: String| (text, false);
        match *event {
            Event::Collect { detail, .. } => {
                let ask = if self.collected {
                    String::new()
                } else {
                    self.script(ScriptLine::ConfirmDetails) + " "
                };
                action(format!("{ask}(records the customer's {})", detail.as_str()))
            }
            Event::EmailSent(team) => action(format!(
                "(emails the customer's information and issue to the {})",
                team.as_str().replace('_', " ")
            )),
            Event::PartnerContacted => {
                action("(contacts Home Service Perks about the ticket)".to_owned())
            }
            Event::QuoteAmount(amount) => (
                format!("The paid call deducted from your refund is {amount}."),
                true,
            ),
            Event::BuildValue => speech(
                "That visit was a covered repair at a fraction of its usual cost, and it is why the amount is deducted.",
            ),
            Event::AdviseDisputeLetter => speech(
                "If you still disagree, you can dispute it directly with Sears when you receive the payment due letter.",
            ),
            Event::PromiseFollowup => {
                speech("I'll confirm that amount with our partner and call you back with it.")
            }
            Event::Apologize => speech("I'm sorry about the wait."),
            Event::PhoneCallPartner => action("(phones Sears about the amount)".to_owned()),
            Event::ChatOpened(purpose) => action(format!(
                "(opens Sears Chat: {})",
                purpose.as_str().replace('_', " ")
            )),
            Event::WarrantyPrompt { yes } => action(format!(
                "(answers \"Does your product have a warranty?\": {})",
                if yes { "Yes" } else { "No" }
            )),
            Event::ChatForm(form) => action(format!(
                "(fills the chat form: {}, {}, {}, {}, {}; clicks Start Chat)",
                form.enterprise_id.unwrap_or("-"),
                form.agent_name.unwrap_or("-"),
                form.member_name.unwrap_or("-"),
                form.customer_id.unwrap_or("-"),
                form.reason.unwrap_or("-")
            )),
            Event::ChatMessage => action(
                "(types in Comments: asks for the total amount paid for the recent service call)"
                    .to_owned(),
            ),
            Event::PaidAmountObtained(amount) => action(format!(
                "(notes the total paid the representative confirms: {amount})"
            )),
            Event::ChatEnded => action("(clicks End Chat)".to_owned()),
            Event::ChatTranscript(_) => action("(emails the chat transcript)".to_owned()),
            Event::AskContactTime => (self.script(ScriptLine::AskContactTime), true),
            Event::AskTicket => (self.script(ScriptLine::AskTicket), true),
            _ => action(format!("({})", event.kind().as_str().replace('_', " "))),
        }
    }

    /// The event a requirement asks for, with this call's values.
    fn event_for(&self, kind: EventKind, value: Option<&str>) -> Option<OwnedEvent> {
        Some(match kind {
            EventKind::ChatForm => OwnedEvent::Form(self.form()),
            EventKind::PaidAmountObtained => {
                OwnedEvent::Plain(Event::PaidAmountObtained(self.persona.paid_amount))
            }
            EventKind::QuoteAmount => {
                let amount = value.and_then(|v| Cents::parse(v).ok())?;
                let amount = if self.has(Fault::WrongQuote) {
                    Cents(amount.0 + 1000)
                } else {
                    amount
                };
                OwnedEvent::Plain(Event::QuoteAmount(amount))
            }
            EventKind::PartnerContacted => OwnedEvent::Plain(Event::PartnerContacted),
            k if k.speaker() == Speaker::Agent => OwnedEvent::Plain(
                Event::parse(k, value.unwrap_or(""))
                    .ok()
                    .map(static_event)??,
            ),
            _ => return None,
        })
    }

    fn form(&self) -> FormValues {
        let customer_id = if self.has(Fault::DashedCustomerId) {
            format_phone(&self.persona.phone)
        } else {
            self.persona.phone.clone()
        };
        FormValues {
            enterprise_id: self.persona.agent.id.to_owned(),
            agent_name: self.persona.agent.name.to_owned(),
            member_name: self.persona.customer.clone(),
            customer_id,
        }
    }

    /// Does what the machine says is next, as long as it keeps the machine where it is (the
    /// path's own events move it), skipping what the faults leave out.
    fn fulfil(&mut self, after_goodbye: bool) {
        for _ in 0..24 {
            let steps = self.call.next_steps();
            let mut done = false;
            for next in steps {
                let requirement = &next.requirement;
                let kind = requirement.step;
                if matches!(
                    kind,
                    EventKind::Greeting | EventKind::AnythingElse | EventKind::Goodbye
                ) || kind.speaker() != Speaker::Agent
                    || (requirement.after_call && !after_goodbye)
                {
                    continue;
                }
                if let Some(code) = requirement.code {
                    if self.has(Fault::Omit(code)) {
                        self.mark(Fault::Omit(code));
                        continue;
                    }
                }
                let Some(event) = self.event_for(kind, requirement.value.as_deref()) else {
                    continue;
                };
                let before = self.inquiry_state();
                let mut probe = self.call.clone();
                let stamp = Stamp {
                    line: self.line + 1,
                    at: self.at,
                };
                let _ = event.with(|e| probe.handle(&Step::new(stamp, *e)));
                let moved = probe
                    .inquiries()
                    .last()
                    .is_some_and(|i| i.state_name() != before);
                if moved {
                    continue;
                }
                if kind == EventKind::QuoteAmount && self.has(Fault::WrongQuote) {
                    self.mark(Fault::WrongQuote);
                }
                if kind == EventKind::ChatForm && self.has(Fault::DashedCustomerId) {
                    self.mark(Fault::DashedCustomerId);
                }
                let script = requirement.script;
                event.with(|e| self.agent(*e, script));
                if kind == EventKind::Collect {
                    self.collected = true;
                }
                // The customer answers a question the path has them answer.
                if kind == EventKind::AskContactTime
                    && self
                        .rest
                        .front()
                        .is_some_and(|s| s.event.kind() == EventKind::ContactTime)
                {
                    if let Some(answer) = self.rest.pop_front() {
                        self.play(&answer);
                    }
                }
                done = true;
                break;
            }
            if !done {
                break;
            }
            self.faults_in_state();
        }
    }

    /// Faults that add a wrong step where the machine now stands.
    fn faults_in_state(&mut self) {
        let state = self.inquiry_state();
        let branch_state = matches!(
            state,
            "within_review" | "awaiting_first_payment" | "recently_eligible" | "overdue"
        );
        if self.has(Fault::WrongAnswer) && branch_state && !self.marked(Fault::WrongAnswer) {
            self.mark(Fault::WrongAnswer);
            let (event, line) = match state {
                "within_review" | "awaiting_first_payment" => {
                    (Event::ExpectEmailSoon, ScriptLine::ExpectEmailSoon)
                }
                _ => (Event::ExplainReviewPeriod, ScriptLine::ExplainReviewPeriod),
            };
            self.agent(event, Some(line));
        }
        let needless = matches!(
            state,
            "within_review"
                | "awaiting_first_payment"
                | "recently_eligible"
                | "site_issue"
                | "partner_unanswered"
                | "reached_out_after_hours"
                | "reached_out_in_hours"
        );
        if self.has(Fault::NeedlessCollect) && needless && !self.marked(Fault::NeedlessCollect) {
            self.mark(Fault::NeedlessCollect);
            self.agent(
                Event::Collect {
                    detail: Detail::Email,
                    declined: false,
                },
                None,
            );
        }
        let resting = matches!(
            state,
            "amount_shown" | "amount_disputed" | "no_amount" | "verify_in_chat" | "follow_up_later"
        );
        if self.has(Fault::PhonePartner) && resting && !self.marked(Fault::PhonePartner) {
            self.mark(Fault::PhonePartner);
            self.agent(Event::PhoneCallPartner, None);
        }
    }

    fn marked(&self, fault: Fault) -> bool {
        self.applied.iter().any(|(f, _)| *f == fault)
    }

    /// A path's sample with this call's values: dates in the same bucket relative to this
    /// call's date, this persona's amounts and names.
    fn revalue(&mut self, sample: &Sample) -> OwnedEvent {
        let call_date = self.call.frame().call_date();
        let days_before = |date: NaiveDate, reference: NaiveDate| (reference - date).num_days();
        match sample.event {
            Event::WarrantyStarted(date) => {
                let d = days_before(date, self.exploration_date);
                let d = match d {
                    ..=29 => self.rng.i64(3..=29),
                    30..=36 => self.rng.i64(30..=36),
                    _ => self.rng.i64(37..=120),
                };
                let start = call_date - Duration::days(d);
                self.warranty_start = Some(start);
                OwnedEvent::Plain(Event::WarrantyStarted(start))
            }
            Event::FirstPayment(Some(date)) => {
                if date > self.exploration_date {
                    let after = call_date
                        .checked_add_days(Days::new(self.rng.u64(1..=14)))
                        .unwrap_or(call_date);
                    OwnedEvent::Plain(Event::FirstPayment(Some(after)))
                } else {
                    let from = self
                        .warranty_start
                        .unwrap_or(call_date - Duration::days(40));
                    let paid = (from + Duration::days(self.rng.i64(1..=28))).min(call_date);
                    OwnedEvent::Plain(Event::FirstPayment(Some(paid)))
                }
            }
            Event::RefundCalculator(Some(_)) => OwnedEvent::Plain(Event::RefundCalculator(Some(
                self.persona.calculator_amount,
            ))),
            Event::PaidAmountObtained(_) => {
                OwnedEvent::Plain(Event::PaidAmountObtained(self.persona.paid_amount))
            }
            Event::ChatForm(_) => OwnedEvent::Form(self.form()),
            Event::WarrantyPrompt { .. } if self.has(Fault::PromptYes) => {
                self.mark(Fault::PromptYes);
                OwnedEvent::Plain(Event::WarrantyPrompt { yes: true })
            }
            Event::ChatConnected { .. } => OwnedEvent::Plain(Event::ChatConnected {
                representative: self.persona.representative,
            }),
            other => OwnedEvent::Plain(other),
        }
    }

    /// Plays one decision event of the path, with what leads up to it and what follows.
    fn play(&mut self, sample: &Sample) {
        let event = self.revalue(sample);
        let kind = sample.event.kind();
        if let Event::ChatOpened(ChatPurpose::RecordVerification) = sample.event {
            let text = self.script(ScriptLine::CustomerRecordMismatch);
            self.event(
                Event::RecordMismatch(RecordField::Address),
                "address".to_owned(),
                text,
                true,
            );
        }
        if kind.is_account_fact()
            && self.has(Fault::AnswerBeforeFacts)
            && !self.marked(Fault::AnswerBeforeFacts)
            && self.inquiry_state() == "awaiting_facts"
        {
            if let Some((answer, line)) = self.answer_for_path() {
                self.mark(Fault::AnswerBeforeFacts);
                self.agent(answer, Some(line));
            }
        }
        if kind == EventKind::ChatEnded && self.has(Fault::ChatLeftOpen) {
            self.mark(Fault::ChatLeftOpen);
            return;
        }
        match (sample.event, kind.speaker()) {
            (Event::Inquiry { reason, code }, _) => {
                let text = if self.call.inquiries().is_empty() {
                    let name = self.persona.customer.clone();
                    self.event(
                        Event::CustomerIdentified { name: &name },
                        name.clone(),
                        format!("(gives their name: {name})"),
                        false,
                    );
                    self.script(customer_line(reason))
                } else {
                    // A further inquiry answers "anything else", without the introduction.
                    self.agent(Event::AnythingElse, Some(ScriptLine::AnythingElse));
                    let template = customer_line(reason).template();
                    let rest = template
                        .split_once("<Customer Name>")
                        .map_or(template, |(_, rest)| rest)
                        .trim_start_matches([',', '.', ' ']);
                    format!("Yes, {}", self.names().fill(rest))
                };
                self.event(Event::Inquiry { reason, code }, code.to_owned(), text, true);
            }
            (_, Speaker::Customer) => {
                let text = match kind {
                    EventKind::ServiceCallReported => self.script(ScriptLine::CustomerServiceCall),
                    EventKind::AmountDisputed => self.script(ScriptLine::CustomerDispute),
                    EventKind::ContactTime => self.script(ScriptLine::CustomerContactTime),
                    _ => format!("({})", kind.as_str().replace('_', " ")),
                };
                event.with(|e| {
                    let value = e.value();
                    self.event(*e, value, text, true)
                });
            }
            (_, Speaker::System) | (_, Speaker::Partner) => {
                let text = self.system_text(&event);
                event.with(|e| {
                    let value = e.value();
                    self.event(*e, value, text, false)
                });
            }
            (_, Speaker::Agent) => {
                let script = match kind {
                    EventKind::AskContactTime => Some(ScriptLine::AskContactTime),
                    _ => None,
                };
                event.with(|e| self.agent(*e, script));
            }
        }
        if kind == EventKind::ChatConnected {
            self.converse();
        }
        self.faults_in_state();
        self.fulfil(false);
    }

    /// The exchange in the chat window once a representative connects.
    fn converse(&mut self) {
        let purpose = self
            .call
            .inquiries()
            .last()
            .and_then(|i| match i.machine() {
                callflow_workflows::frame::InquiryMachine::PaidCall(_) => Some(()),
                _ => None,
            });
        if purpose.is_none() {
            return;
        }
        let asks_amount = self.inquiry_state() == "chat_connected"
            && self
                .call
                .next_steps()
                .iter()
                .any(|n| n.requirement.step == EventKind::PaidAmountObtained);
        let (message, reply) = if asks_amount {
            (
                "(types in Comments: asks for the total amount paid for the recent service call)"
                    .to_owned(),
                format!(
                    "[chat] {}: The total amount paid for that visit was {}.",
                    self.persona.representative, self.persona.paid_amount
                ),
            )
        } else {
            (
                "(types in Comments: the member's cancellation and record details)".to_owned(),
                format!(
                    "[chat] {}: Thank you, I have updated the member's record.",
                    self.persona.representative
                ),
            )
        };
        self.event(Event::ChatMessage, String::new(), message, false);
        self.event(Event::ChatReply, String::new(), reply, false);
    }

    fn system_text(&self, event: &OwnedEvent) -> String {
        event.with(|e| match *e {
            Event::WarrantyStarted(date) => {
                let d = (self.call.frame().call_date() - date).num_days();
                format!("[account] warranty started {date} ({d} days before the call)")
            }
            Event::FirstPayment(None) => "[account] first payment: none".to_owned(),
            Event::FirstPayment(Some(date)) => format!("[account] first payment {date}"),
            Event::RefundCalculator(Some(amount)) => {
                format!("[refund calculator] paid call deducted: {amount}")
            }
            Event::RefundCalculator(None) => "[refund calculator] no paid call displayed".to_owned(),
            Event::ChatWaiting(minutes) => format!(
                "[chat] Please wait for a Sears Customer Service representative to respond. Your average wait time is about {} minutes.",
                minutes.unwrap_or(2)
            ),
            Event::ChatConnected { representative } => format!(
                "[chat] Welcome to Sears Customer Service chat support. You are now connected to {representative}."
            ),
            _ => format!("[system] {}", e.kind().as_str().replace('_', " ")),
        })
    }

    /// The right answer for the branch the path ends in (for "answer before the facts").
    fn answer_for_path(&self) -> Option<(Event<'static>, ScriptLine)> {
        match self.final_branch.as_deref()? {
            "within_review" | "awaiting_first_payment" => {
                Some((Event::ExplainReviewPeriod, ScriptLine::ExplainReviewPeriod))
            }
            "recently_eligible" => Some((Event::ExpectEmailSoon, ScriptLine::ExpectEmailSoon)),
            _ => None,
        }
    }
}

/// Owned values an event can borrow from while it is fed.
enum OwnedEvent {
    Plain(Event<'static>),
    Form(FormValues),
}

struct FormValues {
    enterprise_id: String,
    agent_name: String,
    member_name: String,
    customer_id: String,
}

impl OwnedEvent {
    fn with<R>(&self, f: impl FnOnce(&Event<'_>) -> R) -> R {
        match self {
            OwnedEvent::Plain(e) => f(e),
            OwnedEvent::Form(v) => f(&Event::ChatForm(ChatForm {
                enterprise_id: Some(&v.enterprise_id),
                agent_name: Some(&v.agent_name),
                member_name: Some(&v.member_name),
                customer_id: Some(&v.customer_id),
                reason: Some(callflow_workflows::values::CHAT_FORM_REASON),
            })),
        }
    }
}

/// An event with no borrowed text, or `None` if it borrows (those are built from the persona).
fn static_event(event: Event<'_>) -> Option<Event<'static>> {
    Some(match event {
        Event::Ticket(_)
        | Event::ChatForm(_)
        | Event::ChatConnected { .. }
        | Event::CustomerIdentified { .. }
        | Event::CallStarted { .. }
        | Event::Inquiry { .. } => return None,
        Event::Greeting => Event::Greeting,
        Event::AnythingElse => Event::AnythingElse,
        Event::Goodbye => Event::Goodbye,
        Event::CallEnded(s) => Event::CallEnded(s),
        Event::WarrantyStarted(d) => Event::WarrantyStarted(d),
        Event::FirstPayment(d) => Event::FirstPayment(d),
        Event::ExplainReviewPeriod => Event::ExplainReviewPeriod,
        Event::ExpectEmailSoon => Event::ExpectEmailSoon,
        Event::Apologize => Event::Apologize,
        Event::Collect { detail, declined } => Event::Collect { detail, declined },
        Event::EmailSent(t) => Event::EmailSent(t),
        Event::ExplainPartnerSupport => Event::ExplainPartnerSupport,
        Event::AskContactTime => Event::AskContactTime,
        Event::ContactTime(c) => Event::ContactTime(c),
        Event::AskTicket => Event::AskTicket,
        Event::PromiseFollowup => Event::PromiseFollowup,
        Event::PartnerContacted => Event::PartnerContacted,
        Event::RefundCalculator(a) => Event::RefundCalculator(a),
        Event::ServiceCallReported => Event::ServiceCallReported,
        Event::RecordMismatch(r) => Event::RecordMismatch(r),
        Event::AmountDisputed => Event::AmountDisputed,
        Event::QuoteAmount(a) => Event::QuoteAmount(a),
        Event::BuildValue => Event::BuildValue,
        Event::AdviseDisputeLetter => Event::AdviseDisputeLetter,
        Event::PhoneCallPartner => Event::PhoneCallPartner,
        Event::ChatOpened(p) => Event::ChatOpened(p),
        Event::WarrantyPrompt { yes } => Event::WarrantyPrompt { yes },
        Event::ChatWaiting(m) => Event::ChatWaiting(m),
        Event::ChatMessage => Event::ChatMessage,
        Event::ChatReply => Event::ChatReply,
        Event::PaidAmountObtained(a) => Event::PaidAmountObtained(a),
        Event::ChatEnded => Event::ChatEnded,
        Event::ChatTranscript(c) => Event::ChatTranscript(c),
    })
}

fn format_phone(digits: &str) -> String {
    if digits.len() == 10 {
        format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        digits.to_owned()
    }
}

/// The branch names of the review check (a path's token that names its branch).
const BRANCHES: [&str; 4] = [
    "within_review",
    "awaiting_first_payment",
    "recently_eligible",
    "overdue",
];

/// Plays a path out as a call. Faults that the path gives no occasion for are not applied;
/// the answer key lists the ones that were, and the codes they must raise on top of the
/// path's own (info) findings.
pub fn generate(path: &Path, setup: Setup<'_>) -> Generated {
    let procedure = path.reasons.first().and_then(|r| r.procedure());
    let department = department(procedure);
    let persona = setup.persona;
    let start = setup.start;
    let call = Call::start(
        Arc::clone(setup.config),
        CallStart {
            call_id: &setup.call_id,
            agent_id: persona.agent.id,
            department,
            agent_name: Some(persona.agent.name),
            stamp: Stamp { line: 2, at: start },
        },
    );
    let exploration_date = path_call_date(path);
    let seed = start.timestamp().unsigned_abs() ^ u64::from(persona.phone.len() as u32);
    let final_branch = path
        .tokens
        .iter()
        .find(|t| BRANCHES.contains(&t.as_str()))
        .cloned();
    let mut scene = Scene {
        call,
        persona: &persona,
        department,
        lines: vec![Line {
            at: start,
            speaker: Speaker::System,
            event: Some(EventKind::CallStarted),
            value: department.to_owned(),
            text: format!("[system] call started: {department}"),
            spoken: false,
            log_line: Some(2),
        }],
        at: start,
        line: 2,
        rng: Rng::with_seed(seed),
        faults: setup.faults,
        applied: Vec::new(),
        exploration_date,
        warranty_start: None,
        collected: false,
        final_branch,
        rest: path.samples.iter().cloned().collect(),
    };
    // Opening.
    if scene.has(Fault::Omit(Code::CF01)) {
        scene.mark(Fault::Omit(Code::CF01));
    } else if scene.has(Fault::OffScriptGreeting) {
        scene.mark(Fault::OffScriptGreeting);
        let text = "Yeah hi. What do you want?".to_owned();
        scene.event(Event::Greeting, String::new(), text, true);
    } else {
        scene.agent(Event::Greeting, Some(ScriptLine::Greeting));
    }
    if scene.has(Fault::StepBeforeInquiry) {
        scene.mark(Fault::StepBeforeInquiry);
        scene.agent(Event::AskTicket, Some(ScriptLine::AskTicket));
    }
    if scene.has(Fault::UncoveredInquiry) {
        scene.mark(Fault::UncoveredInquiry);
        let text = "Before that, I also have a question about my bill.".to_owned();
        scene.event(
            Event::Inquiry {
                reason: Reason::Uncovered,
                code: "billing_question",
            },
            "billing_question".to_owned(),
            text,
            true,
        );
        scene.say(
            Speaker::Agent,
            "Billing is handled by another team; I can transfer you after we are done.".to_owned(),
        );
    }
    // The path.
    while let Some(sample) = scene.rest.pop_front() {
        scene.play(&sample);
    }
    scene.fulfil(false);
    // Closing.
    if scene.has(Fault::HangUp) {
        scene.mark(Fault::HangUp);
        scene.event(
            Event::CallEnded(EndStatus::CustomerHungUp),
            "customer_hung_up".to_owned(),
            "[system] the customer hung up".to_owned(),
            false,
        );
    } else {
        let wants_anything_else = scene
            .call
            .next_steps()
            .iter()
            .any(|n| n.requirement.step == EventKind::AnythingElse);
        if wants_anything_else && scene.has(Fault::Omit(Code::CF03)) {
            scene.mark(Fault::Omit(Code::CF03));
        } else if wants_anything_else {
            scene.agent(Event::AnythingElse, Some(ScriptLine::AnythingElse));
            let no = scene.script(ScriptLine::CustomerNo);
            scene.say(Speaker::Customer, no);
        }
        if scene.has(Fault::Omit(Code::CF04)) {
            scene.mark(Fault::Omit(Code::CF04));
        } else {
            scene.agent(Event::Goodbye, Some(ScriptLine::Goodbye));
        }
        scene.fulfil(true);
        scene.event(
            Event::CallEnded(EndStatus::Completed),
            "completed".to_owned(),
            "[system] call ended".to_owned(),
            false,
        );
    }
    let Scene {
        call,
        lines,
        applied,
        ..
    } = scene;
    let answer_key = predict(&call, &applied);
    Generated {
        path: path.name(),
        call_id: setup.call_id,
        persona,
        department,
        lines,
        answer_key,
        call,
    }
}

/// The exploration's call date of a path (its samples' dates are relative to it).
fn path_call_date(path: &Path) -> NaiveDate {
    DateTime::parse_from_rfc3339(path.clock.start)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// The answer key: the info findings the path raises by itself, plus each applied fault's
/// codes; the verdict and score those codes give.
fn predict(call: &Call, applied: &[(Fault, bool)]) -> AnswerKey {
    let mut codes: Vec<Code> = call
        .findings()
        .map(|f| f.code)
        .filter(|c| c.severity() == callflow_workflows::Severity::Info && *c != Code::CF05)
        .collect();
    for (fault, amount_shown) in applied {
        codes.extend(fault.codes(*amount_shown));
    }
    codes.sort();
    codes.dedup();
    let complete = !applied.iter().any(|(f, _)| *f == Fault::HangUp);
    let outcome = score(
        codes.iter().map(|c| c.severity()),
        complete,
        &call.config().scoring,
    );
    AnswerKey {
        faults: applied.iter().map(|(f, _)| *f).collect(),
        verdict: outcome.verdict,
        score: outcome.score,
        codes,
    }
}

impl Generated {
    /// The codes the machines actually raised, sorted.
    pub fn actual_codes(&self) -> Vec<Code> {
        let mut codes: Vec<Code> = self.call.findings().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Whether the machines raised exactly what the answer key predicts.
    pub fn agrees(&self) -> bool {
        let outcome = self.call.outcome();
        self.actual_codes() == self.answer_key.codes
            && outcome.verdict == self.answer_key.verdict
            && outcome.score == self.answer_key.score
    }
}
