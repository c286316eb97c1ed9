//! The typed events a call is made of: the vocabulary of `call-log-v1.md`, one variant a name.
//!
//! Events borrow their text payloads (`&'a str`): a replayer can feed one without allocating.
//! Every event travels with a [`Stamp`] (where and when it happened) inside a [`Step`].

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::values::{Cents, ChatForm};

/// Where and when an event happened: the log line (1-based, the header is line 1) and the
/// timestamp with its offset. Embedders without a log can number events from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// 1-based line of the event in its log (or any increasing sequence number).
    pub line: u64,
    /// When it happened, with the offset it was written with.
    pub at: DateTime<FixedOffset>,
}

/// One event of a call as the machines receive it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step<'a> {
    /// Where and when.
    pub stamp: Stamp,
    /// What happened.
    pub event: Event<'a>,
    /// The words actually said, when the call was transcribed: checked against the script (CF02).
    pub text: Option<&'a str>,
    /// The agent id written on the row, when one was (kept as evidence; the call keeps its agent).
    pub agent_id: Option<&'a str>,
}

impl<'a> Step<'a> {
    /// A step with no transcribed text and no agent id.
    pub fn new(stamp: Stamp, event: Event<'a>) -> Self {
        Step {
            stamp,
            event,
            text: None,
            agent_id: None,
        }
    }

    /// The same step with the words said.
    pub fn with_text(mut self, text: &'a str) -> Self {
        self.text = Some(text);
        self
    }
}

/// Why the customer called: the `inquiry` event's reason code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Shopping dollars: the reward email has not arrived (2a, the review-period check).
    RewardEmailMissing,
    /// Shopping dollars: the reward site does not work (2b).
    RewardSiteIssue,
    /// Shopping dollars: the partner has not answered the customer (2c, escalation).
    RewardPartnerNoResponse,
    /// Paid-call verification while cancelling a warranty (seed 000).
    WarrantyCancellation,
    /// A reason no procedure covers (CF07); the call keeps the code as written.
    Uncovered,
}

impl Reason {
    /// Every covered reason, in the order the spec lists them.
    pub const COVERED: [Reason; 4] = [
        Reason::RewardEmailMissing,
        Reason::RewardSiteIssue,
        Reason::RewardPartnerNoResponse,
        Reason::WarrantyCancellation,
    ];

    /// The reason code as written in logs and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::RewardEmailMissing => "reward_email_missing",
            Reason::RewardSiteIssue => "reward_site_issue",
            Reason::RewardPartnerNoResponse => "reward_partner_no_response",
            Reason::WarrantyCancellation => "warranty_cancellation",
            Reason::Uncovered => "uncovered",
        }
    }

    /// The reason for a code; any code not listed is [`Reason::Uncovered`].
    pub fn from_code(code: &str) -> Reason {
        Reason::COVERED
            .into_iter()
            .find(|r| r.as_str() == code)
            .unwrap_or(Reason::Uncovered)
    }

    /// The procedure that handles this reason, if any.
    pub fn procedure(self) -> Option<Procedure> {
        match self {
            Reason::RewardEmailMissing
            | Reason::RewardSiteIssue
            | Reason::RewardPartnerNoResponse => Some(Procedure::ShoppingDollars),
            Reason::WarrantyCancellation => Some(Procedure::PaidCall),
            Reason::Uncovered => None,
        }
    }
}

/// A documented procedure: one statig machine each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Seed 002: the shopping-dollars reward and its partner.
    ShoppingDollars,
    /// Seed 000: paid-call verification through the partner chat.
    PaidCall,
}

impl Procedure {
    /// Both procedures.
    pub const ALL: [Procedure; 2] = [Procedure::ShoppingDollars, Procedure::PaidCall];

    /// The name used in paths and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Procedure::ShoppingDollars => "shopping_dollars",
            Procedure::PaidCall => "paid_call",
        }
    }
}

/// How a call ended (`call_ended`'s value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndStatus {
    /// Ran to its end (`completed`, or an empty value).
    #[default]
    Completed,
    /// The customer hung up.
    CustomerHungUp,
    /// The line dropped.
    Dropped,
    /// The call was transferred away.
    Transferred,
}

impl EndStatus {
    /// The value as written in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            EndStatus::Completed => "completed",
            EndStatus::CustomerHungUp => "customer_hung_up",
            EndStatus::Dropped => "dropped",
            EndStatus::Transferred => "transferred",
        }
    }

    /// Parses a `call_ended` value; empty means completed.
    pub fn parse(value: &str) -> Option<EndStatus> {
        Some(match value {
            "" | "completed" => EndStatus::Completed,
            "customer_hung_up" => EndStatus::CustomerHungUp,
            "dropped" => EndStatus::Dropped,
            "transferred" => EndStatus::Transferred,
            _ => return None,
        })
    }
}

/// A customer detail the agent collects in the `overdue` escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// First and last name.
    Name,
    /// Email address.
    Email,
    /// Phone number.
    Phone,
}

impl Detail {
    /// The three details, in the script's order.
    pub const ALL: [Detail; 3] = [Detail::Name, Detail::Email, Detail::Phone];

    /// The detail as written in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Detail::Name => "name",
            Detail::Email => "email",
            Detail::Phone => "phone",
        }
    }
}

/// Who an escalation email goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Team {
    /// The rewards team (2a `overdue`).
    RewardsTeam,
    /// The product team (2c no-response).
    ProductTeam,
}

impl Team {
    /// The value as written in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Team::RewardsTeam => "rewards_team",
            Team::ProductTeam => "product_team",
        }
    }
}

/// When the customer reached out to the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactTime {
    /// During the partner's business hours (a case the seed does not script).
    BusinessHours,
    /// Over the weekend or another time outside business hours (the scripted case).
    OutsideBusinessHours,
}

impl ContactTime {
    /// The value as written in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactTime::BusinessHours => "business_hours",
            ContactTime::OutsideBusinessHours => "outside_business_hours",
        }
    }
}

/// The customer record field the customer says is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordField {
    /// The name on record.
    Name,
    /// The address on record.
    Address,
}

/// Why a partner chat was opened (`chat_opened`'s value; rule 2 of section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatPurpose {
    /// To obtain the total amount paid for a service call (the default).
    PaidCall,
    /// To verify a customer's name or address.
    RecordVerification,
    /// To relay the cancellation of a warranty.
    RelayCancellation,
}

impl ChatPurpose {
    /// The value as written in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatPurpose::PaidCall => "paid_call",
            ChatPurpose::RecordVerification => "record_verification",
            ChatPurpose::RelayCancellation => "relay_cancellation",
        }
    }
}

/// How a chat transcript was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TranscriptCopy {
    /// Emailed.
    Email,
    /// Printed.
    Print,
}

/// One event of the call-log vocabulary, with its typed payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event<'a> {
    /// The call begins; the payload is the department name.
    CallStarted {
        /// The department the customer called (fills `<Department Name>`).
        department: &'a str,
    },
    /// The agent's greeting.
    Greeting,
    /// The customer gave their name.
    CustomerIdentified {
        /// The customer's name (fills `<Customer Name>`).
        name: &'a str,
    },
    /// The customer states a reason for calling; opens an inquiry.
    Inquiry {
        /// The reason.
        reason: Reason,
        /// The code as written (differs from `reason.as_str()` only for uncovered reasons).
        code: &'a str,
    },
    /// The agent asks whether there is anything else.
    AnythingElse,
    /// The agent says goodbye.
    Goodbye,
    /// The call ends.
    CallEnded(EndStatus),
    /// Account fact: the warranty's start date.
    WarrantyStarted(NaiveDate),
    /// Account fact: the first payment's date, or `None` when there is none.
    FirstPayment(Option<NaiveDate>),
    /// The agent explains the 30-day review period.
    ExplainReviewPeriod,
    /// The agent says the email should arrive soon.
    ExpectEmailSoon,
    /// The agent apologises.
    Apologize,
    /// The agent collects a detail; `declined` when the customer refused (it counts as asked).
    Collect {
        /// Which detail.
        detail: Detail,
        /// The customer declined to give it.
        declined: bool,
    },
    /// The agent emails an escalation.
    EmailSent(Team),
    /// The agent explains the partner's support (2b).
    ExplainPartnerSupport,
    /// The agent asks when the customer reached out.
    AskContactTime,
    /// The customer says when they reached out.
    ContactTime(ContactTime),
    /// The agent asks for the support ticket number.
    AskTicket,
    /// The customer gives the ticket number.
    Ticket(&'a str),
    /// The agent promises a follow-up.
    PromiseFollowup,
    /// The agent contacted the partner (Home Service Perks).
    PartnerContacted,
    /// Account fact: the refund calculator's paid-call amount, `None` when nothing is displayed.
    RefundCalculator(Option<Cents>),
    /// The customer reports a recent service call that is not listed.
    ServiceCallReported,
    /// The customer reports a wrong name or address on record.
    RecordMismatch(RecordField),
    /// The customer disputes the amount.
    AmountDisputed,
    /// The agent quotes an amount.
    QuoteAmount(Cents),
    /// The agent builds value (rebuts the objection).
    BuildValue,
    /// The agent advises disputing with the partner when the payment-due letter arrives.
    AdviseDisputeLetter,
    /// The agent phones the partner (never allowed).
    PhoneCallPartner,
    /// The agent opens a partner chat.
    ChatOpened(ChatPurpose),
    /// The agent answers the "Does your product have a warranty?" prompt; `true` is "Yes".
    WarrantyPrompt {
        /// "Yes" was selected (the document says to select "No").
        yes: bool,
    },
    /// The agent submits the chat form.
    ChatForm(ChatForm<'a>),
    /// The chat shows a wait message with the average wait in minutes, when given.
    ChatWaiting(Option<u32>),
    /// A partner representative connected.
    ChatConnected {
        /// The representative's name.
        representative: &'a str,
    },
    /// The agent writes in the chat.
    ChatMessage,
    /// The partner replies in the chat.
    ChatReply,
    /// The agent obtained the total amount paid, in the chat.
    PaidAmountObtained(Cents),
    /// The agent ends the chat.
    ChatEnded,
    /// The agent keeps the chat transcript.
    ChatTranscript(TranscriptCopy),
}

/// The name of an event, without its payload: the `event` column of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is the log name of the matching `Event` variant
pub enum EventKind {
    CallStarted,
    Greeting,
    CustomerIdentified,
    Inquiry,
    AnythingElse,
    Goodbye,
    CallEnded,
    WarrantyStarted,
    FirstPayment,
    ExplainReviewPeriod,
    ExpectEmailSoon,
    Apologize,
    Collect,
    EmailSent,
    ExplainPartnerSupport,
    AskContactTime,
    ContactTime,
    AskTicket,
    Ticket,
    PromiseFollowup,
    PartnerContacted,
    RefundCalculator,
    ServiceCallReported,
    RecordMismatch,
    AmountDisputed,
    QuoteAmount,
    BuildValue,
    AdviseDisputeLetter,
    PhoneCallPartner,
    ChatOpened,
    WarrantyPrompt,
    ChatForm,
    ChatWaiting,
    ChatConnected,
    ChatMessage,
    ChatReply,
    PaidAmountObtained,
    ChatEnded,
    ChatTranscript,
}

/// Who speaks or acts at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The telephony or account system.
    System,
    /// The call-center agent.
    Agent,
    /// The customer.
    Customer,
    /// The partner's chat representative.
    Partner,
}

impl EventKind {
    /// Every event name, in the order of the vocabulary.
    pub const ALL: [EventKind; 39] = [
        EventKind::CallStarted,
        EventKind::Greeting,
        EventKind::CustomerIdentified,
        EventKind::Inquiry,
        EventKind::AnythingElse,
        EventKind::Goodbye,
        EventKind::CallEnded,
        EventKind::WarrantyStarted,
        EventKind::FirstPayment,
        EventKind::ExplainReviewPeriod,
        EventKind::ExpectEmailSoon,
        EventKind::Apologize,
        EventKind::Collect,
        EventKind::EmailSent,
        EventKind::ExplainPartnerSupport,
        EventKind::AskContactTime,
        EventKind::ContactTime,
        EventKind::AskTicket,
        EventKind::Ticket,
        EventKind::PromiseFollowup,
        EventKind::PartnerContacted,
        EventKind::RefundCalculator,
        EventKind::ServiceCallReported,
        EventKind::RecordMismatch,
        EventKind::AmountDisputed,
        EventKind::QuoteAmount,
        EventKind::BuildValue,
        EventKind::AdviseDisputeLetter,
        EventKind::PhoneCallPartner,
        EventKind::ChatOpened,
        EventKind::WarrantyPrompt,
        EventKind::ChatForm,
        EventKind::ChatWaiting,
        EventKind::ChatConnected,
        EventKind::ChatMessage,
        EventKind::ChatReply,
        EventKind::PaidAmountObtained,
        EventKind::ChatEnded,
        EventKind::ChatTranscript,
    ];

    /// The name as written in the `event` column.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CallStarted => "call_started",
            EventKind::Greeting => "greeting",
            EventKind::CustomerIdentified => "customer_identified",
            EventKind::Inquiry => "inquiry",
            EventKind::AnythingElse => "anything_else",
            EventKind::Goodbye => "goodbye",
            EventKind::CallEnded => "call_ended",
            EventKind::WarrantyStarted => "warranty_started",
            EventKind::FirstPayment => "first_payment",
            EventKind::ExplainReviewPeriod => "explain_review_period",
            EventKind::ExpectEmailSoon => "expect_email_soon",
            EventKind::Apologize => "apologize",
            EventKind::Collect => "collect",
            EventKind::EmailSent => "email_sent",
            EventKind::ExplainPartnerSupport => "explain_partner_support",
            EventKind::AskContactTime => "ask_contact_time",
            EventKind::ContactTime => "contact_time",
            EventKind::AskTicket => "ask_ticket",
            EventKind::Ticket => "ticket",
            EventKind::PromiseFollowup => "promise_followup",
            EventKind::PartnerContacted => "partner_contacted",
            EventKind::RefundCalculator => "refund_calculator",
            EventKind::ServiceCallReported => "service_call_reported",
            EventKind::RecordMismatch => "record_mismatch",
            EventKind::AmountDisputed => "amount_disputed",
            EventKind::QuoteAmount => "quote_amount",
            EventKind::BuildValue => "build_value",
            EventKind::AdviseDisputeLetter => "advise_dispute_letter",
            EventKind::PhoneCallPartner => "phone_call_partner",
            EventKind::ChatOpened => "chat_opened",
            EventKind::WarrantyPrompt => "warranty_prompt",
            EventKind::ChatForm => "chat_form",
            EventKind::ChatWaiting => "chat_waiting",
            EventKind::ChatConnected => "chat_connected",
            EventKind::ChatMessage => "chat_message",
            EventKind::ChatReply => "chat_reply",
            EventKind::PaidAmountObtained => "paid_amount_obtained",
            EventKind::ChatEnded => "chat_ended",
            EventKind::ChatTranscript => "chat_transcript",
        }
    }

    /// The kind for an `event` column value, if it is in the vocabulary.
    pub fn from_name(name: &str) -> Option<EventKind> {
        // Every row asks: a table built once from the names, probed from a hash of the
        // name's length and three of its bytes (cheaper than hashing the whole name).
        static BY_NAME: std::sync::OnceLock<[Option<EventKind>; NAME_SLOTS]> =
            std::sync::OnceLock::new();
        let slots = BY_NAME.get_or_init(|| {
            let mut slots = [None; NAME_SLOTS];
            for kind in EventKind::ALL {
                let mut slot = name_slot(kind.as_str().as_bytes());
                while slots.get(slot).is_some_and(Option::is_some) {
                    slot = (slot + 1) % NAME_SLOTS;
                }
                if let Some(free) = slots.get_mut(slot) {
                    *free = Some(kind);
                }
            }
            slots
        });
        let mut slot = name_slot(name.as_bytes());
        // The table is at most a third full: a free slot ends every probe.
        while let Some(kind) = slots.get(slot).copied().flatten() {
            if kind.as_str() == name {
                return Some(kind);
            }
            slot = (slot + 1) % NAME_SLOTS;
        }
        None
    }

    /// Who produces this event.
    pub fn speaker(self) -> Speaker {
        use EventKind::*;
        match self {
            CallStarted | CallEnded | WarrantyStarted | FirstPayment | RefundCalculator
            | ChatWaiting | ChatConnected => Speaker::System,
            CustomerIdentified | Inquiry | ContactTime | Ticket | ServiceCallReported
            | RecordMismatch | AmountDisputed => Speaker::Customer,
            ChatReply => Speaker::Partner,
            _ => Speaker::Agent,
        }
    }

    /// The procedures whose vocabulary holds this event; empty for call-frame events.
    ///
    /// `promise_followup` belongs to both procedures.
    pub fn procedures(self) -> &'static [Procedure] {
        use EventKind::*;
        match self {
            CallStarted | Greeting | CustomerIdentified | Inquiry | AnythingElse | Goodbye
            | CallEnded => &[],
            WarrantyStarted
            | FirstPayment
            | ExplainReviewPeriod
            | ExpectEmailSoon
            | Apologize
            | Collect
            | EmailSent
            | ExplainPartnerSupport
            | AskContactTime
            | ContactTime
            | AskTicket
            | Ticket
            | PartnerContacted => &[Procedure::ShoppingDollars],
            PromiseFollowup => &[Procedure::ShoppingDollars, Procedure::PaidCall],
            _ => &[Procedure::PaidCall],
        }
    }

    /// Account facts the system writes (never the agent's doing): they may arrive before the
    /// inquiry they serve and are kept for it.
    pub fn is_account_fact(self) -> bool {
        matches!(
            self,
            EventKind::WarrantyStarted | EventKind::FirstPayment | EventKind::RefundCalculator
        )
    }
}

impl Event<'_> {
    /// The event's name.
    pub fn kind(&self) -> EventKind {
        match self {
            Event::CallStarted { .. } => EventKind::CallStarted,
            Event::Greeting => EventKind::Greeting,
            Event::CustomerIdentified { .. } => EventKind::CustomerIdentified,
            Event::Inquiry { .. } => EventKind::Inquiry,
            Event::AnythingElse => EventKind::AnythingElse,
            Event::Goodbye => EventKind::Goodbye,
            Event::CallEnded(_) => EventKind::CallEnded,
            Event::WarrantyStarted(_) => EventKind::WarrantyStarted,
            Event::FirstPayment(_) => EventKind::FirstPayment,
            Event::ExplainReviewPeriod => EventKind::ExplainReviewPeriod,
            Event::ExpectEmailSoon => EventKind::ExpectEmailSoon,
            Event::Apologize => EventKind::Apologize,
            Event::Collect { .. } => EventKind::Collect,
            Event::EmailSent(_) => EventKind::EmailSent,
            Event::ExplainPartnerSupport => EventKind::ExplainPartnerSupport,
            Event::AskContactTime => EventKind::AskContactTime,
            Event::ContactTime(_) => EventKind::ContactTime,
            Event::AskTicket => EventKind::AskTicket,
            Event::Ticket(_) => EventKind::Ticket,
            Event::PromiseFollowup => EventKind::PromiseFollowup,
            Event::PartnerContacted => EventKind::PartnerContacted,
            Event::RefundCalculator(_) => EventKind::RefundCalculator,
            Event::ServiceCallReported => EventKind::ServiceCallReported,
            Event::RecordMismatch(_) => EventKind::RecordMismatch,
            Event::AmountDisputed => EventKind::AmountDisputed,
            Event::QuoteAmount(_) => EventKind::QuoteAmount,
            Event::BuildValue => EventKind::BuildValue,
            Event::AdviseDisputeLetter => EventKind::AdviseDisputeLetter,
            Event::PhoneCallPartner => EventKind::PhoneCallPartner,
            Event::ChatOpened(_) => EventKind::ChatOpened,
            Event::WarrantyPrompt { .. } => EventKind::WarrantyPrompt,
            Event::ChatForm(_) => EventKind::ChatForm,
            Event::ChatWaiting(_) => EventKind::ChatWaiting,
            Event::ChatConnected { .. } => EventKind::ChatConnected,
            Event::ChatMessage => EventKind::ChatMessage,
            Event::ChatReply => EventKind::ChatReply,
            Event::PaidAmountObtained(_) => EventKind::PaidAmountObtained,
            Event::ChatEnded => EventKind::ChatEnded,
            Event::ChatTranscript(_) => EventKind::ChatTranscript,
        }
    }
}

/// Slots of the table of event names: a power of two, over three times the names.
const NAME_SLOTS: usize = 128;

/// A name's first slot in the table of event names.
fn name_slot(name: &[u8]) -> usize {
    let byte = |index: usize| u64::from(name.get(index).copied().unwrap_or(0));
    let len = name.len();
    let key = (len as u64) | byte(0) << 8 | byte(len / 2) << 16 | byte(len.wrapping_sub(1)) << 24;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57) as usize % NAME_SLOTS
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_found_by_its_name_and_nothing_else_is() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_name(kind.as_str()), Some(kind));
        }
        for name in ["", "Greeting", "greeting ", "gretting", "call_started\0"] {
            assert_eq!(EventKind::from_name(name), None, "{name:?}");
        }
    }
}
