//! The script lines of seed 002, with their placeholders. The seed's typo ("OK, thank you
//! `<Agent Name>`" in the `overdue` dialogue) is corrected to `<Customer Name>`.

use crate::script::{ScriptDef, ScriptLine};
use crate::vocab::Speaker;

macro_rules! lines {
    ($($(#[$doc:meta])* $name:ident = $def:expr;)*) => {
        $(
            $(#[$doc])*
            pub const $name: ScriptLine = ScriptLine::of({
                static DEF: ScriptDef = $def;
                &DEF
            });
        )*
        /// Every line, in the order declared.
        pub static ALL: &[ScriptLine] = &[$($name),*];
    };
}

lines! {
    /// Agent: the review-period explanation (`within_review`, `awaiting_first_payment`).
    EXPLAIN_REVIEW_PERIOD = ScriptDef::new(
        "explain_review_period",
        Speaker::Agent,
        "Your shopping dollars are made available once you have had your warranty for at least 30 days and made your first payment. Typically, you will receive your shopping dollars email the week following your 30-day review period.",
    )
    .with_lead_in("OK, thank you <Customer Name>.");
    /// Agent: the email should arrive soon (`recently_eligible`).
    EXPECT_EMAIL_SOON = ScriptDef::new(
        "expect_email_soon",
        Speaker::Agent,
        "Typically, you will receive your shopping dollars email within a week following your 30-day review period. If you have not received your email within the next few days please don't hesitate to give us a call and we'll make sure it gets to you.",
    )
    .with_lead_in("OK, thank you <Customer Name>.");
    /// Agent: the apology for a delayed reward (`overdue`).
    APOLOGIZE_DELAY = ScriptDef::new(
        "apologize_delay",
        Speaker::Agent,
        "We do apologize for the delay.",
    )
    .with_lead_in("OK, thank you <Customer Name>.");
    /// Agent: the request for the customer's details (`overdue`).
    CONFIRM_DETAILS = ScriptDef::new(
        "confirm_details",
        Speaker::Agent,
        "Please confirm the following details so we can quickly get your shopping dollars out to you: Customer First/Last Name, email address, phone number.",
    );
    /// Agent: the apology for the inconvenience (site issue, no-response).
    APOLOGIZE_INCONVENIENCE = ScriptDef::new(
        "apologize_inconvenience",
        Speaker::Agent,
        "Sorry, <Customer Name>. I apologize for the inconvenience.",
    );
    /// Agent: the partner's support explained (site issue).
    EXPLAIN_PARTNER_SUPPORT = ScriptDef::new(
        "explain_partner_support",
        Speaker::Agent,
        "To help get this resolved quickly, we have partnered with Home Service Perks to handle all customer service that is needed for your shopping dollars. Since this is an online reward program, you'll just need to follow a few simple steps to make sure everything is working as it should.",
    );
    /// Agent: how long ago the customer reached out (no-response).
    ASK_CONTACT_TIME = ScriptDef::new(
        "ask_contact_time",
        Speaker::Agent,
        "May I ask how long ago you reached out to Home Service Perks?",
    );
    /// Agent: the ticket number (no-response).
    ASK_TICKET = ScriptDef::new(
        "ask_ticket",
        Speaker::Agent,
        "Thank you. Can I also ask what the ticket number was for that online support submission?",
    );
    /// Agent: the 24-hour follow-up promise (no-response).
    PROMISE_FOLLOWUP = ScriptDef::new(
        "promise_followup",
        Speaker::Agent,
        "What I'm going to do is contact Home Service Perks to make sure that your online support ticket is answered within 24 hours. If you don't get a response via email by this time tomorrow, please don't hesitate to call me back so I can escalate this further.",
    )
    .with_lead_in("Thank you for the additional detail.");
    /// Customer: the reward email has not arrived.
    CUSTOMER_EMAIL_MISSING = ScriptDef::new(
        "customer_email_missing",
        Speaker::Customer,
        "Hi <Agent Name>, this is <Customer Name>, I'm calling regarding the shopping dollars that I was supposed to receive as part of the warranty I recently purchased. Could you please tell me when they will be available?",
    );
    /// Customer: the reward site does not work.
    CUSTOMER_SITE_ISSUE = ScriptDef::new(
        "customer_site_issue",
        Speaker::Customer,
        "Hi <Agent Name>, this is <Customer Name>. I received an email from Home Service Perks regarding my $250 shopping dollars; however, the site does not appear to be working.",
    );
    /// Customer: the partner has not answered.
    CUSTOMER_NO_RESPONSE = ScriptDef::new(
        "customer_no_response",
        Speaker::Customer,
        "Hi <Agent Name>, this is <Customer Name>. I'm calling regarding an inquiry I have placed with Home Service Perks, and I have been unable to reach anyone.",
    );
}
