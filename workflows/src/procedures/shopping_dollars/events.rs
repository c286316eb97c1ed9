//! The vocabulary of shopping dollars: its events, and the typed form its machine reads.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::scripts;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::vocab::{EventDef, ProcedureStep, Speaker, Syntax};

/// `warranty_started` (system): account fact, the warranty's start date.
///
/// Value: a date `YYYY-MM-DD` that exists. As a wire [`Event`](crate::Event): `{"event": "warranty_started", "value": "2026-02-10"}`.
pub static WARRANTY_STARTED: EventDef = EventDef::new(
    "warranty_started",
    Speaker::System,
    Syntax::Date,
    "account fact: the warranty's start date",
)
.fact()
.tag(1);

/// `first_payment` (system): account fact, the first payment's date or `none`.
///
/// Value: a date `YYYY-MM-DD`, or `none` (known: no payment yet). As a wire [`Event`](crate::Event): `{"event": "first_payment", "value": "none"}`.
pub static FIRST_PAYMENT: EventDef = EventDef::new(
    "first_payment",
    Speaker::System,
    Syntax::DateOrNone,
    "account fact: the first payment's date, or none",
)
.fact()
.tag(2);

/// `explain_review_period` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "explain_review_period", "value": ""}`.
pub static EXPLAIN_REVIEW_PERIOD: EventDef = EventDef::new(
    "explain_review_period",
    Speaker::Agent,
    Syntax::Empty,
    "the agent explains the 30-day review period",
)
.scripted(scripts::EXPLAIN_REVIEW_PERIOD)
.tag(3);

/// `expect_email_soon` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "expect_email_soon", "value": ""}`.
pub static EXPECT_EMAIL_SOON: EventDef = EventDef::new(
    "expect_email_soon",
    Speaker::Agent,
    Syntax::Empty,
    "the agent says the email should arrive within the week",
)
.scripted(scripts::EXPECT_EMAIL_SOON)
.tag(4);

/// `apologize` (agent): courtesy outside a shopping-dollars inquiry.
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "apologize", "value": ""}`.
pub static APOLOGIZE: EventDef = EventDef::new(
    "apologize",
    Speaker::Agent,
    Syntax::Empty,
    "the agent apologises",
)
.courtesy()
.tag(5);

/// The tokens of `collect`, in [`Detail`] order, then declined.
const COLLECT_VALUES: &[&str] = &[
    "name",
    "email",
    "phone",
    "name_declined",
    "email_declined",
    "phone_declined",
];

/// `collect` (agent): `name` | `email` | `phone`, or `..._declined` (it counts as asked).
///
/// Value: `name`, `email` or `phone`, or `name_declined`, `email_declined`, `phone_declined`. As a wire [`Event`](crate::Event): `{"event": "collect", "value": "email"}`.
pub static COLLECT: EventDef = EventDef::new(
    "collect",
    Speaker::Agent,
    Syntax::choice("detail", COLLECT_VALUES),
    "the agent collects a detail for the escalation (declined: the customer refused)",
)
.tag(6);

/// The tokens of `email_sent`, in [`Team`] order.
const TEAMS: &[&str] = &["rewards_team", "product_team"];

/// `email_sent` (agent): after-call work, `rewards_team` | `product_team`.
///
/// Value: `rewards_team` or `product_team`. As a wire [`Event`](crate::Event): `{"event": "email_sent", "value": "rewards_team"}`.
pub static EMAIL_SENT: EventDef = EventDef::new(
    "email_sent",
    Speaker::Agent,
    Syntax::choice("team", TEAMS),
    "the agent emails an escalation to a team",
)
.after_call()
.tag(7);

/// `explain_partner_support` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "explain_partner_support", "value": ""}`.
pub static EXPLAIN_PARTNER_SUPPORT: EventDef = EventDef::new(
    "explain_partner_support",
    Speaker::Agent,
    Syntax::Empty,
    "the agent explains the partner's support and walks through its steps",
)
.scripted(scripts::EXPLAIN_PARTNER_SUPPORT)
.tag(8);

/// `ask_contact_time` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "ask_contact_time", "value": ""}`.
pub static ASK_CONTACT_TIME: EventDef = EventDef::new(
    "ask_contact_time",
    Speaker::Agent,
    Syntax::Empty,
    "the agent asks how long ago the customer reached out to the partner",
)
.tag(9);

/// The tokens of `contact_time`, in [`ContactTime`] order.
const CONTACT_TIMES: &[&str] = &["business_hours", "outside_business_hours"];

/// `contact_time` (customer): `business_hours` | `outside_business_hours`.
///
/// Value: `business_hours` or `outside_business_hours`. As a wire [`Event`](crate::Event): `{"event": "contact_time", "value": "business_hours"}`.
pub static CONTACT_TIME: EventDef = EventDef::new(
    "contact_time",
    Speaker::Customer,
    Syntax::choice("contact time", CONTACT_TIMES),
    "the customer says when they reached out to the partner",
)
.tag(10);

/// `ask_ticket` (agent).
///
/// Value: empty. As a wire [`Event`](crate::Event): `{"event": "ask_ticket", "value": ""}`.
pub static ASK_TICKET: EventDef = EventDef::new(
    "ask_ticket",
    Speaker::Agent,
    Syntax::Empty,
    "the agent asks for the support ticket number",
)
.tag(11);

/// `ticket` (customer): the ticket number.
///
/// Value: the ticket number (text, not blank). As a wire [`Event`](crate::Event): `{"event": "ticket", "value": "HSP-4471"}`.
pub static TICKET: EventDef = EventDef::new(
    "ticket",
    Speaker::Customer,
    Syntax::Required {
        what: "ticket number",
    },
    "the customer gives the support ticket number",
)
.tag(12);

/// `partner_contacted` (agent): after-call work, `home_service_perks` (or empty).
///
/// Value: `home_service_perks`, or empty. As a wire [`Event`](crate::Event): `{"event": "partner_contacted", "value": "home_service_perks"}`.
pub static PARTNER_CONTACTED: EventDef = EventDef::new(
    "partner_contacted",
    Speaker::Agent,
    Syntax::Choice {
        what: "partner",
        options: &["home_service_perks"],
        empty: Some(0),
        why: "the only partner is home_service_perks",
    },
    "the agent contacted the partner, Home Service Perks",
)
.after_call()
.tag(13);

/// The vocabulary, in call-log-v1.md's order.
pub static EVENTS: &[&EventDef] = &[
    &WARRANTY_STARTED,
    &FIRST_PAYMENT,
    &EXPLAIN_REVIEW_PERIOD,
    &EXPECT_EMAIL_SOON,
    &APOLOGIZE,
    &COLLECT,
    &EMAIL_SENT,
    &EXPLAIN_PARTNER_SUPPORT,
    &ASK_CONTACT_TIME,
    &CONTACT_TIME,
    &ASK_TICKET,
    &TICKET,
    &PROMISE_FOLLOWUP,
    &PARTNER_CONTACTED,
];

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

/// An event of shopping dollars, typed: what its machine matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdEvent<'a> {
    /// The warranty's start date.
    WarrantyStarted(NaiveDate),
    /// The first payment's date, or `None` when there is none.
    FirstPayment(Option<NaiveDate>),
    /// The review-period explanation.
    ExplainReviewPeriod,
    /// The email comes within the week.
    ExpectEmailSoon,
    /// An apology.
    Apologize,
    /// A detail collected (`declined`: refused, which counts as asked).
    Collect {
        /// Which detail.
        detail: Detail,
        /// The customer declined to give it.
        declined: bool,
    },
    /// An escalation email.
    EmailSent(Team),
    /// The partner's support explained.
    ExplainPartnerSupport,
    /// "How long ago did you reach out?"
    AskContactTime,
    /// When the customer reached out.
    ContactTime(ContactTime),
    /// "What is the ticket number?"
    AskTicket,
    /// The ticket number.
    Ticket(&'a str),
    /// The 24-hour follow-up promised.
    PromiseFollowup,
    /// The partner contacted.
    PartnerContacted,
}

impl<'a> SdEvent<'a> {
    /// The typed event of an engine step, if it is one of shopping dollars': read by the
    /// event's tag, then checked to be the very event (another procedure's may share a tag).
    pub fn of(step: &ProcedureStep<'a>) -> Option<SdEvent<'a>> {
        let value = &step.value;
        let choice = || value.choice().map(usize::from);
        let (def, event): (&'static EventDef, SdEvent<'a>) = match step.name.def().tag {
            1 => (&WARRANTY_STARTED, SdEvent::WarrantyStarted(value.date()?)),
            2 => (&FIRST_PAYMENT, SdEvent::FirstPayment(value.date_or_none()?)),
            3 => (&EXPLAIN_REVIEW_PERIOD, SdEvent::ExplainReviewPeriod),
            4 => (&EXPECT_EMAIL_SOON, SdEvent::ExpectEmailSoon),
            5 => (&APOLOGIZE, SdEvent::Apologize),
            6 => {
                let index = choice()?;
                let event = SdEvent::Collect {
                    detail: *Detail::ALL.get(index % 3)?,
                    declined: index >= 3,
                };
                (&COLLECT, event)
            }
            7 => (
                &EMAIL_SENT,
                SdEvent::EmailSent(match choice()? {
                    0 => Team::RewardsTeam,
                    _ => Team::ProductTeam,
                }),
            ),
            8 => (&EXPLAIN_PARTNER_SUPPORT, SdEvent::ExplainPartnerSupport),
            9 => (&ASK_CONTACT_TIME, SdEvent::AskContactTime),
            10 => (
                &CONTACT_TIME,
                SdEvent::ContactTime(match choice()? {
                    0 => ContactTime::BusinessHours,
                    _ => ContactTime::OutsideBusinessHours,
                }),
            ),
            11 => (&ASK_TICKET, SdEvent::AskTicket),
            12 => (&TICKET, SdEvent::Ticket(value.text()?)),
            13 => (&PARTNER_CONTACTED, SdEvent::PartnerContacted),
            100 => (&PROMISE_FOLLOWUP, SdEvent::PromiseFollowup),
            _ => return None,
        };
        step.is(def).then_some(event)
    }
}
