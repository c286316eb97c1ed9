//! How exploration drives the paid-call machine: its sample events, each with the condition
//! it stands for, and the states that name paths.

use super::chat_form::CHAT_FORM_REASON;
use super::events as ev;
use crate::explore::Sample;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::vocab::{Cents, Event, Value};

/// The form a careful agent fills in (the exploration's agent is `sjones`).
pub const GOOD_FORM: &str = "enterprise_id=sjones;agent_name=Sam Jones;member_name=Pat Lee;customer_id=3125550142;reason=Cancellations/Paid Call Fee";

/// Every event of the vocabulary with representative values, a careful agent's first.
pub fn alphabet() -> Vec<Sample> {
    debug_assert!(GOOD_FORM.ends_with(CHAT_FORM_REASON));
    vec![
        Sample::step(
            "refund_calculator [amount shown]",
            &ev::REFUND_CALCULATOR,
            Value::AmountOrNone(Some(Cents(7900))),
        ),
        Sample::step(
            "refund_calculator [none]",
            &ev::REFUND_CALCULATOR,
            Value::AmountOrNone(None),
        ),
        Sample::plain(&ev::SERVICE_CALL_REPORTED),
        Sample::step(
            "record_mismatch [address]",
            &ev::RECORD_MISMATCH,
            Value::Choice(1),
        ),
        Sample::plain(&ev::AMOUNT_DISPUTED),
        Sample::plain(&ev::BUILD_VALUE),
        Sample::plain(&ev::ADVISE_DISPUTE_LETTER),
        Sample::step(
            "chat_opened [paid_call]",
            &ev::CHAT_OPENED,
            Value::Choice(0),
        ),
        Sample::step(
            "chat_opened [record_verification]",
            &ev::CHAT_OPENED,
            Value::Choice(1),
        ),
        Sample::step(
            "chat_opened [relay_cancellation]",
            &ev::CHAT_OPENED,
            Value::Choice(2),
        ),
        Sample::step(
            "warranty_prompt [no]",
            &ev::WARRANTY_PROMPT,
            Value::Choice(1),
        ),
        Sample::step(
            "warranty_prompt [yes]",
            &ev::WARRANTY_PROMPT,
            Value::Choice(0),
        ),
        Sample::step("chat_form", &ev::CHAT_FORM, Value::Text(GOOD_FORM)),
        Sample::step("chat_waiting", &ev::CHAT_WAITING, Value::Minutes(Some(3))),
        Sample::step("chat_connected", &ev::CHAT_CONNECTED, Value::Text("Dee")),
        Sample::plain(&ev::CHAT_MESSAGE),
        Sample::plain(&ev::CHAT_REPLY),
        Sample::step(
            "paid_amount_obtained",
            &ev::PAID_AMOUNT_OBTAINED,
            Value::Amount(Cents(8900)),
        ),
        Sample::plain(&ev::CHAT_ENDED),
        Sample::step(
            "chat_transcript [email]",
            &ev::CHAT_TRANSCRIPT,
            Value::Choice(0),
        ),
        Sample::step(
            "quote_amount",
            &ev::QUOTE_AMOUNT,
            Value::Amount(Cents(7900)),
        ),
        Sample::plain(&PROMISE_FOLLOWUP),
        Sample::plain(&ev::PHONE_CALL_PARTNER),
    ]
}

/// The name a state gives a path: a chat by its purpose; the calculator not read yet and a
/// chat's inner steps name none.
pub fn path_token(state: &'static str, entered_by: &Sample) -> Option<String> {
    match state {
        "awaiting_calculator"
        | "prompt_answered"
        | "form_sent"
        | "chat_waiting"
        | "chat_connected" => None,
        "chat_open" => match entered_by.event {
            Event::Step(step) if step.is(&ev::CHAT_OPENED) => {
                let index = step.value.choice().map_or(0, usize::from);
                super::events::ChatPurpose::ALL
                    .get(index)
                    .map(|purpose| format!("chat_{}", purpose.as_str()))
            }
            _ => None,
        },
        other => Some(other.to_owned()),
    }
}
