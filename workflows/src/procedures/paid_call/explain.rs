//! The paid-call verification findings in plain words, from the refund calculator's amount,
//! the chat hours and the evidence (procedures.md 3): what a supervisor reads out to the
//! agent. Each code's explainer is declared beside it in [`super::codes`].

use std::fmt::Write as _;

use chrono::Weekday;

use super::events as ev;
use super::params::PcParams;
use crate::explain::{and_list, capitalised, local_time, Explain, Instance};
use crate::vocab::Cents;

/// What the refund calculator showed, in words.
fn calculator(e: &Explain<'_>) -> std::borrow::Cow<'static, str> {
    match e.facts.amount_or_none(&ev::REFUND_CALCULATOR) {
        Some(Some(amount)) => format!("the refund calculator showed {amount}").into(),
        Some(None) => "the refund calculator showed no amount".into(),
        None => "the refund calculator was not consulted".into(),
    }
}

/// The calculator's amount, when one was shown.
fn shown(e: &Explain<'_>) -> Option<Cents> {
    e.facts.amount_or_none(&ev::REFUND_CALCULATOR).flatten()
}

/// `Monday to Friday, 09:00 to 18:00`.
fn chat_hours(params: &PcParams) -> String {
    let name = |day: &Weekday| match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    };
    let days = match params.chat_days.as_slice() {
        [] => "no day".to_owned(),
        [one] => name(one).to_owned(),
        [first, .., last]
            if params
                .chat_days
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.succ() == *b)) =>
        {
            format!("{} to {}", name(first), name(last))
        }
        all => and_list(&all.iter().map(name).collect::<Vec<_>>()),
    };
    format!(
        "{days}, {} to {}",
        params.chat_opens.format("%H:%M"),
        params.chat_closes.format("%H:%M")
    )
}

/// PC01: the partner contacted about the amount while the calculator showed one.
pub fn pc01(e: &Explain<'_>, out: &mut String) {
    let what: Vec<String> = e
        .instances
        .iter()
        .map(|i| {
            if i.actual.starts_with("phoned") {
                "phoned the partner".to_owned()
            } else if let Some(amount) = i.actual.strip_prefix("obtained ") {
                format!(
                    "obtained {} in the chat",
                    amount.trim_end_matches(" from the partner")
                )
            } else {
                "opened a paid-call chat with the partner".to_owned()
            }
        })
        .collect();
    let mut what = what;
    what.dedup();
    let _ = write!(
        out,
        "Contacted the partner about the amount although {} (that amount is the one to give \
         the customer, even when they dispute it): {}.",
        calculator(e),
        and_list(&what)
    );
}

/// PC02: a phone call to the partner.
pub fn pc02(e: &Explain<'_>, out: &mut String) {
    let _ = e;
    out.push_str("Phoned the partner: the partner chat is the first and only way to contact them.");
}

/// PC03: a chat for a purpose the rules do not allow.
pub fn pc03(e: &Explain<'_>, out: &mut String) {
    let parts: Vec<String> = e
        .instances
        .iter()
        .map(|i| {
            if i.actual.starts_with("record_verification") {
                "opened a record-verification chat although the customer reported no wrong name \
                 or address"
                    .to_owned()
            } else {
                "opened a paid-call chat although the customer reported no recent service call \
                 missing from the list"
                    .to_owned()
            }
        })
        .collect();
    let mut parts = parts;
    parts.dedup();
    let _ = write!(out, "{}.", capitalised(&parts.join("; ")));
}

/// PC04: a chat opened outside chat hours.
pub fn pc04(e: &Explain<'_>, out: &mut String) {
    let params = e.params::<PcParams>().cloned().unwrap_or_default();
    let when: Vec<String> = e
        .instances
        .iter()
        .filter_map(|i| local_time(e, i, true))
        .collect();
    let _ = write!(
        out,
        "Opened the partner chat on {}, outside chat hours ({} business time): the document \
         says to promise a follow-up instead.",
        and_list(&when),
        chat_hours(&params)
    );
}

/// PC05: "Yes" on the warranty prompt.
pub fn pc05(_: &Explain<'_>, out: &mut String) {
    out.push_str(
        "Selected \"Yes\" on the chat's \"Does your product have a warranty?\" prompt; the \
         document says to select \"No\".",
    );
}

/// PC06: the chat form invalid. Evidence: each defect, or no form before the representative.
pub fn pc06(e: &Explain<'_>, out: &mut String) {
    let defects: Vec<String> = e
        .instances
        .iter()
        .map(|i| {
            if i.actual.starts_with("no chat_form") {
                "the representative connected before any form was filled in".to_owned()
            } else {
                i.actual.replace('_', " ")
            }
        })
        .collect();
    let _ = write!(
        out,
        "The chat form was not right: {}. It needs the agent's enterprise id and name, the \
         member's name, the customer id as the 10-digit phone number, and the reason \"{}\".",
        defects.join("; "),
        e.params::<PcParams>()
            .map_or(super::chat_form::CHAT_FORM_REASON, |p| p
                .form_reason
                .as_str())
    );
}

/// PC07: the amount quoted differs from the amount to quote. Evidence: the amount to quote
/// (or "no amount to quote ...") against `quoted $X`.
pub fn pc07(e: &Explain<'_>, out: &mut String) {
    let parts: Vec<String> = e
        .instances
        .iter()
        .map(|i: &Instance<'_>| {
            let quoted = i.actual.strip_prefix("quoted ").unwrap_or(i.actual);
            if i.expected.starts_with("no amount") {
                format!(
                    "quoted {quoted} with no amount to quote: {} and no amount was obtained in \
                     the chat",
                    calculator(e)
                )
            } else {
                let source = match shown(e) {
                    Some(_) => "the refund calculator's",
                    None => "the total paid, obtained in the chat",
                };
                format!(
                    "quoted {quoted}, but the amount to give was {} ({source})",
                    i.expected
                )
            }
        })
        .collect();
    let _ = write!(out, "{}.", capitalised(&parts.join("; ")));
}

/// PC08: a disputed calculator amount without both rebuttal steps.
pub fn pc08(e: &Explain<'_>, out: &mut String) {
    let value = e
        .instances
        .iter()
        .any(|i| i.expected.contains(ev::BUILD_VALUE.name));
    let letter = e
        .instances
        .iter()
        .any(|i| i.expected.contains(ev::ADVISE_DISPUTE_LETTER.name));
    let missing = match (value, letter) {
        (true, true) => {
            "neither built value and rebutted the objection nor advised disputing \
                         with the partner when the payment-due letter arrives"
        }
        (true, false) => "did not build value and rebut the objection",
        _ => "did not advise disputing with the partner when the payment-due letter arrives",
    };
    let amount = shown(e).map_or_else(|| "the amount".to_owned(), |a| format!("the {a}"));
    let _ = write!(
        out,
        "The customer disputed {amount} the refund calculator showed, and the agent {missing}."
    );
}

/// PC09: an amount to quote, none quoted, no follow-up. Evidence: `... (quote_amount $X)`.
pub fn pc09(e: &Explain<'_>, out: &mut String) {
    let amount = e
        .first()
        .and_then(|i| i.expected.rsplit_once('(')?.1.strip_suffix(')'))
        .and_then(|step| step.split_once(' ').map(|(_, amount)| amount.to_owned()))
        .map_or_else(
            || "the amount".to_owned(),
            |amount| format!("the amount ({amount})"),
        );
    let _ = write!(
        out,
        "Closed the cancellation without giving the customer {amount}, and without promising \
         to confirm it later."
    );
}

/// PC10: a chat never ended.
pub fn pc10(e: &Explain<'_>, out: &mut String) {
    let _ = e;
    out.push_str("Opened a chat with the partner and never ended it.");
}

/// PC11: a reported service call left unverified.
pub fn pc11(e: &Explain<'_>, out: &mut String) {
    out.push_str("The customer reported a recent service call that is not listed and ");
    out.push_str(&calculator(e));
    out.push_str(
        ", but the agent neither opened a paid-call chat to verify the fee nor promised to \
         confirm it later.",
    );
}

/// PC12: the refund calculator never consulted.
pub fn pc12(_: &Explain<'_>, out: &mut String) {
    out.push_str(
        "Closed the cancellation without consulting the refund calculator, so the amount to \
         give the customer was never known.",
    );
}
