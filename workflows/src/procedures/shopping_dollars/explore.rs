//! How exploration drives the shopping-dollars machine: its sample events, each with the
//! condition it stands for, and the states that name paths.

use chrono::{Days, NaiveDate};

use super::events as ev;
use super::params::SdParams;
use crate::explore::Sample;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::vocab::Value;

/// Every event of the vocabulary with representative values, dates relative to `call_date`
/// placed by the review period and grace week in force, a careful agent's values first.
pub fn alphabet(call_date: NaiveDate, params: &SdParams) -> Vec<Sample> {
    let review = u64::try_from(params.review_period_days).unwrap_or(30);
    let overdue = u64::try_from(params.overdue_from()).unwrap_or(37);
    // Inside the period (day 12, or the last day of a shorter one), the middle of the week
    // after it, and eight days into the overdue branch: 12, 33 and 45 by default.
    let (inside, eligible, late) = (
        12.min(review.saturating_sub(1)),
        review + (overdue - review) / 2,
        overdue + 8,
    );
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
            format!("warranty_started [d ≤ {}]", review.saturating_sub(1)),
            &ev::WARRANTY_STARTED,
            Value::Date(before(inside)),
        ),
        Sample::step(
            format!(
                "warranty_started [{review} ≤ d ≤ {}]",
                overdue.saturating_sub(1)
            ),
            &ev::WARRANTY_STARTED,
            Value::Date(before(eligible)),
        ),
        Sample::step(
            format!("warranty_started [d ≥ {overdue}]"),
            &ev::WARRANTY_STARTED,
            Value::Date(before(late)),
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
