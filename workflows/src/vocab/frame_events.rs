//! The call frame's events (call-log-v1.md): every call has them, whatever its procedures.

use super::defs::EventDef;
use super::value::Syntax;
use super::Speaker;
use crate::script::frame as scripts;

/// `call_started` (system): the call begins; the value is the department name.
///
/// Value: the department name (free text). As a wire [`Event`](crate::Event): `{"event": "call_started", "value": "Home Warranty Rewards"}`.
pub static CALL_STARTED: EventDef = EventDef::new(
    "call_started",
    Speaker::System,
    Syntax::Text,
    "the call begins; the value is the department the customer called",
)
.frame_kind(1);

/// `greeting` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "greeting", "value": ""}`.
pub static GREETING: EventDef = EventDef::new(
    "greeting",
    Speaker::Agent,
    Syntax::Empty,
    "the agent's greeting",
)
.scripted(scripts::GREETING)
.frame_kind(2);

/// `customer_identified` (customer): the value is the customer's name.
///
/// Value: the customer's name (text, not blank). As a wire [`Event`](crate::Event): `{"event": "customer_identified", "value": "Pat Lee"}`.
pub static CUSTOMER_IDENTIFIED: EventDef = EventDef::new(
    "customer_identified",
    Speaker::Customer,
    Syntax::Required {
        what: "customer name",
    },
    "the customer gave their name (the value)",
)
.frame_kind(3);

/// `inquiry` (customer): the value is the reason code; opens an inquiry.
///
/// Value: the reason code (text, not blank): a code no procedure covers is CF07. As a wire [`Event`](crate::Event): `{"event": "inquiry", "value": "reward_email_missing"}`.
pub static INQUIRY: EventDef = EventDef::new(
    "inquiry",
    Speaker::Customer,
    Syntax::Required {
        what: "reason code",
    },
    "the customer states why they call (the value, a reason code); opens an inquiry",
)
.frame_kind(4);

/// `anything_else` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "anything_else", "value": ""}`.
pub static ANYTHING_ELSE: EventDef = EventDef::new(
    "anything_else",
    Speaker::Agent,
    Syntax::Empty,
    "the agent asks whether there is anything else",
)
.scripted(scripts::ANYTHING_ELSE)
.frame_kind(5);

/// `goodbye` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "goodbye", "value": ""}`.
pub static GOODBYE: EventDef = EventDef::new(
    "goodbye",
    Speaker::Agent,
    Syntax::Empty,
    "the agent says goodbye",
)
.scripted(scripts::GOODBYE)
.frame_kind(6);

/// `call_ended` (system): empty or `completed`, `customer_hung_up`, `dropped`, `transferred`.
///
/// Value: empty or `completed`, `customer_hung_up`, `dropped`, `transferred`. As a wire [`Event`](crate::Event): `{"event": "call_ended", "value": "completed"}`.
pub static CALL_ENDED: EventDef = EventDef::new(
    "call_ended",
    Speaker::System,
    Syntax::Choice {
        what: "end status",
        options: &["completed", "customer_hung_up", "dropped", "transferred"],
        empty: Some(0),
        why: "expected empty, completed, customer_hung_up, dropped or transferred",
    },
    "the call ends; the value says whether it ran to its end",
)
.frame_kind(7);

/// The frame's events, in the vocabulary's order.
pub static ALL: &[&EventDef] = &[
    &CALL_STARTED,
    &GREETING,
    &CUSTOMER_IDENTIFIED,
    &INQUIRY,
    &ANYTHING_ELSE,
    &GOODBYE,
    &CALL_ENDED,
];
