//! The vocabulary of paid-call verification: its events, and the typed form its machine reads.

use serde::{Deserialize, Serialize};

use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::vocab::{Cents, EventDef, ProcedureStep, Speaker, Syntax};

/// `refund_calculator` (system): account fact, the paid-call amount shown, or `none`.
///
/// Value: an amount (`79`, `79.50`, `$1,079.50`), or `none` when nothing is displayed. As a wire [`Event`](crate::Event): `{"event": "refund_calculator", "value": "$79.00"}`.
pub static REFUND_CALCULATOR: EventDef = EventDef::new(
    "refund_calculator",
    Speaker::System,
    Syntax::AmountOrNone,
    "account fact: the refund calculator's paid-call amount, or none when nothing is displayed",
)
.fact()
.tag(1);

/// `service_call_reported` (customer).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "service_call_reported", "value": ""}`.
pub static SERVICE_CALL_REPORTED: EventDef = EventDef::new(
    "service_call_reported",
    Speaker::Customer,
    Syntax::Empty,
    "the customer reports a recent service call that is not listed",
)
.tag(2);

/// `record_mismatch` (customer): `name` | `address`.
///
/// Value: `name` or `address`. As a wire [`Event`](crate::Event): `{"event": "record_mismatch", "value": "address"}`.
pub static RECORD_MISMATCH: EventDef = EventDef::new(
    "record_mismatch",
    Speaker::Customer,
    Syntax::choice("record field", &["name", "address"]),
    "the customer reports a wrong name or address on record",
)
.tag(3);

/// `amount_disputed` (customer).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "amount_disputed", "value": ""}`.
pub static AMOUNT_DISPUTED: EventDef = EventDef::new(
    "amount_disputed",
    Speaker::Customer,
    Syntax::Empty,
    "the customer disputes the amount",
)
.tag(4);

/// `quote_amount` (agent): the amount quoted.
///
/// Value: an amount (`79`, `79.50`, `$1,079.50`). As a wire [`Event`](crate::Event): `{"event": "quote_amount", "value": "79.00"}`.
pub static QUOTE_AMOUNT: EventDef = EventDef::new(
    "quote_amount",
    Speaker::Agent,
    Syntax::Amount,
    "the agent quotes an amount",
)
.tag(5);

/// `build_value` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "build_value", "value": ""}`.
pub static BUILD_VALUE: EventDef = EventDef::new(
    "build_value",
    Speaker::Agent,
    Syntax::Empty,
    "the agent builds value and rebuts the objection",
)
.tag(6);

/// `advise_dispute_letter` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "advise_dispute_letter", "value": ""}`.
pub static ADVISE_DISPUTE_LETTER: EventDef = EventDef::new(
    "advise_dispute_letter",
    Speaker::Agent,
    Syntax::Empty,
    "the agent advises disputing with the partner when the payment-due letter arrives",
)
.tag(7);

/// `phone_call_partner` (agent): never allowed.
///
/// Value: ignored (any text). As a wire [`Event`](crate::Event): `{"event": "phone_call_partner", "value": ""}`.
pub static PHONE_CALL_PARTNER: EventDef = EventDef::new(
    "phone_call_partner",
    Speaker::Agent,
    Syntax::Ignored,
    "the agent phones the partner (never allowed)",
)
.tag(8);

/// The chat purposes, in [`ChatPurpose`] order.
const PURPOSES: &[&str] = &["paid_call", "record_verification", "relay_cancellation"];

/// `chat_opened` (agent): the purpose, `paid_call` when empty.
///
/// Value: `paid_call` (or empty), `record_verification` or `relay_cancellation`. As a wire [`Event`](crate::Event): `{"event": "chat_opened", "value": "record_verification"}`.
pub static CHAT_OPENED: EventDef = EventDef::new(
    "chat_opened",
    Speaker::Agent,
    Syntax::Choice {
        what: "chat purpose",
        options: PURPOSES,
        empty: Some(0),
        why: crate::vocab::NOT_DOCUMENTED,
    },
    "the agent opens a partner chat for a purpose",
)
.tag(9);

/// `warranty_prompt` (agent): `yes` | `no`.
///
/// Value: `yes` or `no`. As a wire [`Event`](crate::Event): `{"event": "warranty_prompt", "value": "yes"}`.
pub static WARRANTY_PROMPT: EventDef = EventDef::new(
    "warranty_prompt",
    Speaker::Agent,
    Syntax::choice("warranty prompt answer", &["yes", "no"]),
    "the agent answers the \"Does your product have a warranty?\" prompt",
)
.tag(10);

/// `chat_form` (agent): `key=value;...`.
///
/// Value: `key=value` pairs separated by `;`: `enterprise_id`, `agent_name`, `member_name`, `customer_id`, `reason`. As a wire [`Event`](crate::Event): `{"event": "chat_form", "value": "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=88231;reason=paid call amount"}`.
pub static CHAT_FORM: EventDef = EventDef::new(
    "chat_form",
    Speaker::Agent,
    Syntax::Checked {
        check: super::chat_form::ChatForm::check,
    },
    "the agent submits the chat form (enterprise_id, agent_name, member_name, customer_id, reason)",
)
.tag(11);

/// `chat_waiting` (system): the average wait in minutes, when given.
///
/// Value: a whole number of minutes, or empty. As a wire [`Event`](crate::Event): `{"event": "chat_waiting", "value": "3"}`.
pub static CHAT_WAITING: EventDef = EventDef::new(
    "chat_waiting",
    Speaker::System,
    Syntax::Minutes,
    "the chat shows a wait message with the average wait in minutes",
)
.tag(12);

/// `chat_connected` (system): the representative's name.
///
/// Value: the representative's name (free text). As a wire [`Event`](crate::Event): `{"event": "chat_connected", "value": "Dana"}`.
pub static CHAT_CONNECTED: EventDef = EventDef::new(
    "chat_connected",
    Speaker::System,
    Syntax::Text,
    "a partner representative connected",
)
.tag(13);

/// `chat_message` (agent).
///
/// Value: ignored (any text). As a wire [`Event`](crate::Event): `{"event": "chat_message", "value": ""}`.
pub static CHAT_MESSAGE: EventDef = EventDef::new(
    "chat_message",
    Speaker::Agent,
    Syntax::Ignored,
    "the agent writes in the chat",
)
.tag(14);

/// `chat_reply` (partner).
///
/// Value: ignored (any text). As a wire [`Event`](crate::Event): `{"event": "chat_reply", "value": ""}`.
pub static CHAT_REPLY: EventDef = EventDef::new(
    "chat_reply",
    Speaker::Partner,
    Syntax::Ignored,
    "the partner replies in the chat",
)
.tag(15);

/// `paid_amount_obtained` (agent): the total amount paid.
///
/// Value: an amount (`79`, `79.50`, `$1,079.50`). As a wire [`Event`](crate::Event): `{"event": "paid_amount_obtained", "value": "150.00"}`.
pub static PAID_AMOUNT_OBTAINED: EventDef = EventDef::new(
    "paid_amount_obtained",
    Speaker::Agent,
    Syntax::Amount,
    "the agent obtained the total amount paid, in the chat",
)
.tag(16);

/// `chat_ended` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "chat_ended", "value": ""}`.
pub static CHAT_ENDED: EventDef = EventDef::new(
    "chat_ended",
    Speaker::Agent,
    Syntax::Empty,
    "the agent ends the chat",
)
.tag(17);

/// `chat_transcript` (agent): `email` | `print`.
///
/// Value: `email` or `print`. As a wire [`Event`](crate::Event): `{"event": "chat_transcript", "value": "email"}`.
pub static CHAT_TRANSCRIPT: EventDef = EventDef::new(
    "chat_transcript",
    Speaker::Agent,
    Syntax::choice("transcript copy", &["email", "print"]),
    "the agent keeps the chat transcript",
)
.tag(18);

/// The vocabulary, in call-log-v1.md's order.
pub static EVENTS: &[&EventDef] = &[
    &PROMISE_FOLLOWUP,
    &REFUND_CALCULATOR,
    &SERVICE_CALL_REPORTED,
    &RECORD_MISMATCH,
    &AMOUNT_DISPUTED,
    &QUOTE_AMOUNT,
    &BUILD_VALUE,
    &ADVISE_DISPUTE_LETTER,
    &PHONE_CALL_PARTNER,
    &CHAT_OPENED,
    &WARRANTY_PROMPT,
    &CHAT_FORM,
    &CHAT_WAITING,
    &CHAT_CONNECTED,
    &CHAT_MESSAGE,
    &CHAT_REPLY,
    &PAID_AMOUNT_OBTAINED,
    &CHAT_ENDED,
    &CHAT_TRANSCRIPT,
];

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
    /// The three, in the order their tokens are declared.
    pub const ALL: [ChatPurpose; 3] = [
        ChatPurpose::PaidCall,
        ChatPurpose::RecordVerification,
        ChatPurpose::RelayCancellation,
    ];

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

/// An event of paid-call verification, typed: what its machine matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PcEvent<'a> {
    /// The calculator's amount, or `None` when nothing is displayed.
    RefundCalculator(Option<Cents>),
    /// A recent service call not listed.
    ServiceCallReported,
    /// A wrong name or address on record.
    RecordMismatch(RecordField),
    /// The customer disputes the amount.
    AmountDisputed,
    /// An amount quoted.
    QuoteAmount(Cents),
    /// Value built, the objection rebutted.
    BuildValue,
    /// The payment-due-letter advice.
    AdviseDisputeLetter,
    /// A phone call to the partner.
    PhoneCallPartner,
    /// A partner chat opened.
    ChatOpened(ChatPurpose),
    /// The warranty prompt answered (`yes`: "Yes" selected).
    WarrantyPrompt {
        /// "Yes" was selected (the document says to select "No").
        yes: bool,
    },
    /// The chat form, as its `key=value;...` payload (parsed where it is judged).
    ChatForm(&'a str),
    /// The wait message, with its minutes.
    ChatWaiting(Option<u32>),
    /// A representative connected.
    ChatConnected {
        /// The representative's name.
        representative: &'a str,
    },
    /// The agent writes in the chat.
    ChatMessage,
    /// The partner replies.
    ChatReply,
    /// The total amount paid, obtained in the chat.
    PaidAmountObtained(Cents),
    /// The chat ended.
    ChatEnded,
    /// The chat transcript kept.
    ChatTranscript(TranscriptCopy),
    /// A follow-up promised (the amount confirmed later).
    PromiseFollowup,
}

impl<'a> PcEvent<'a> {
    /// The typed event of an engine step, if it is one of paid-call verification's: read by
    /// the event's tag, then checked to be the very event (another procedure's may share a tag).
    pub fn of(step: &ProcedureStep<'a>) -> Option<PcEvent<'a>> {
        let value = &step.value;
        let choice = || value.choice().map(usize::from);
        let (def, event): (&'static EventDef, PcEvent<'a>) = match step.name.def().tag {
            1 => (
                &REFUND_CALCULATOR,
                PcEvent::RefundCalculator(value.amount_or_none()?),
            ),
            2 => (&SERVICE_CALL_REPORTED, PcEvent::ServiceCallReported),
            3 => (
                &RECORD_MISMATCH,
                PcEvent::RecordMismatch(match choice()? {
                    0 => RecordField::Name,
                    _ => RecordField::Address,
                }),
            ),
            4 => (&AMOUNT_DISPUTED, PcEvent::AmountDisputed),
            5 => (&QUOTE_AMOUNT, PcEvent::QuoteAmount(value.amount()?)),
            6 => (&BUILD_VALUE, PcEvent::BuildValue),
            7 => (&ADVISE_DISPUTE_LETTER, PcEvent::AdviseDisputeLetter),
            8 => (&PHONE_CALL_PARTNER, PcEvent::PhoneCallPartner),
            9 => (
                &CHAT_OPENED,
                PcEvent::ChatOpened(*ChatPurpose::ALL.get(choice()?)?),
            ),
            10 => (
                &WARRANTY_PROMPT,
                PcEvent::WarrantyPrompt {
                    yes: choice()? == 0,
                },
            ),
            11 => (&CHAT_FORM, PcEvent::ChatForm(value.text()?)),
            12 => (&CHAT_WAITING, PcEvent::ChatWaiting(value.minutes())),
            13 => (
                &CHAT_CONNECTED,
                PcEvent::ChatConnected {
                    representative: value.text()?,
                },
            ),
            14 => (&CHAT_MESSAGE, PcEvent::ChatMessage),
            15 => (&CHAT_REPLY, PcEvent::ChatReply),
            16 => (
                &PAID_AMOUNT_OBTAINED,
                PcEvent::PaidAmountObtained(value.amount()?),
            ),
            17 => (&CHAT_ENDED, PcEvent::ChatEnded),
            18 => (
                &CHAT_TRANSCRIPT,
                PcEvent::ChatTranscript(match choice()? {
                    0 => TranscriptCopy::Email,
                    _ => TranscriptCopy::Print,
                }),
            ),
            100 => (&PROMISE_FOLLOWUP, PcEvent::PromiseFollowup),
            _ => return None,
        };
        step.is(def).then_some(event)
    }
}
