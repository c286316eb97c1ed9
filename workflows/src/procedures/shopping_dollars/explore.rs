//! How exploration drives the shopping-dollars machine: its sample events, each with the
//! condition it stands for, and the states that name paths.

use chrono::{Days, NaiveDate};

use super::events as ev;
use crate::explore::Sample;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::vocab::Value;

/// Every event of the vocabulary with representative values, dates relative to `call_date`,
/// a careful agent's values first.
pub fn alphabet(call_date: NaiveDate) -> Vec<Sample> {
    let before = |days: u64| {
        call_date
            .checked_sub_days(Days::new(days))
            .unwrap_or(call_date)
    };
    let after = |days: u64| {
        call_date
            .checked_add_days(Days::new(days))
            .unwrap_or(call_date)
    };
    vec![
        Sample::step(
            "warranty_started [d ≤ 29]",
            &ev::WARRANTY_STARTED,
            Value::Date(before(12)),
        ),
        Sample::step(
            "warranty_started [30 ≤ d ≤ 36]",
            &ev::WARRANTY_STARTED,
            Value::Date(before(33)),
        ),
        Sample::step(
            "warranty_started [d ≥ 37]",
            &ev::WARRANTY_STARTED,
            Value::Date(before(45)),
        ),
        Sample::step(
            "first_payment [on or before the call date]",
            &ev::FIRST_PAYMENT,
            Value::DateOrNone(Some(before(20))),
        ),
        Sample::step(
            "first_payment [none]",
            &ev::FIRST_PAYMENT,
            Value::DateOrNone(None),
        ),
        Sample::step(
            "first_payment [after the call date]",
            &ev::FIRST_PAYMENT,
            Value::DateOrNone(Some(after(3))),
        ),
        Sample::plain(&ev::EXPLAIN_REVIEW_PERIOD),
        Sample::plain(&ev::EXPECT_EMAIL_SOON),
        Sample::plain(&ev::APOLOGIZE),
        Sample::step("collect [name]", &ev::COLLECT, Value::Choice(0)),
        Sample::step("collect [email]", &ev::COLLECT, Value::Choice(1)),
        Sample::step("collect [phone]", &ev::COLLECT, Value::Choice(2)),
        Sample::step(
            "email_sent [rewards_team]",
            &ev::EMAIL_SENT,
            Value::Choice(0),
        ),
        Sample::step(
            "email_sent [product_team]",
            &ev::EMAIL_SENT,
            Value::Choice(1),
        ),
        Sample::plain(&ev::EXPLAIN_PARTNER_SUPPORT),
        Sample::plain(&ev::ASK_CONTACT_TIME),
        Sample::step(
            "contact_time [outside_business_hours]",
            &ev::CONTACT_TIME,
            Value::Choice(1),
        ),
        Sample::step(
            "contact_time [business_hours]",
            &ev::CONTACT_TIME,
            Value::Choice(0),
        ),
        Sample::plain(&ev::ASK_TICKET),
        Sample::step("ticket", &ev::TICKET, Value::Text("HSP-48213")),
        Sample::plain(&PROMISE_FOLLOWUP),
        Sample::step(
            "partner_contacted",
            &ev::PARTNER_CONTACTED,
            Value::Choice(0),
        ),
    ]
}

/// The name a state gives a path: every state but the one waiting for the facts.
pub fn path_token(state: &'static str) -> Option<String> {
    match state {
        "awaiting_facts" => None,
        other => Some(other.to_owned()),
    }
}
