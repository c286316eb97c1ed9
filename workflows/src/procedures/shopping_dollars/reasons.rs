//! The three inquiries of seed 002.

use super::events::APOLOGIZE;
use super::scripts;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::vocab::ReasonDef;

/// "Customer has not received the email": the review-period check (2a).
pub static REWARD_EMAIL_MISSING: ReasonDef = ReasonDef {
    code: "reward_email_missing",
    doc: "the shopping-dollars email has not arrived",
    anything_else: false,
    scripts: &[(&APOLOGIZE, scripts::APOLOGIZE_DELAY)],
    customer_line: Some(scripts::CUSTOMER_EMAIL_MISSING),
    weight: 8,
};

/// "Customer experiencing issues with the reward site" (2b).
pub static REWARD_SITE_ISSUE: ReasonDef = ReasonDef {
    code: "reward_site_issue",
    doc: "the reward site does not work",
    anything_else: true,
    scripts: &[(&APOLOGIZE, scripts::APOLOGIZE_INCONVENIENCE)],
    customer_line: Some(scripts::CUSTOMER_SITE_ISSUE),
    weight: 3,
};

/// "Customer has not received a response from Optimus": the escalation (2c).
pub static REWARD_PARTNER_NO_RESPONSE: ReasonDef = ReasonDef {
    code: "reward_partner_no_response",
    doc: "the partner has not answered the customer",
    anything_else: true,
    scripts: &[
        (&APOLOGIZE, scripts::APOLOGIZE_INCONVENIENCE),
        (&PROMISE_FOLLOWUP, scripts::PROMISE_FOLLOWUP),
    ],
    customer_line: Some(scripts::CUSTOMER_NO_RESPONSE),
    weight: 2,
};

/// The three, in the spec's order.
pub static ALL: &[&ReasonDef] = &[
    &REWARD_EMAIL_MISSING,
    &REWARD_SITE_ISSUE,
    &REWARD_PARTNER_NO_RESPONSE,
];
