//! The shopping-dollars findings in plain words, from the account facts and the branch
//! (procedures.md 2): what a supervisor reads out to the agent. Each code's explainer is
//! declared beside it in [`super::codes`].

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::events as ev;
use super::params::SdParams;
use crate::explain::{and_list, date, push_int, words, Explain, Instance};

/// The review check's facts, as the call knew them at its end.
struct Account {
    /// Days from the warranty start to the call date (`None`: never looked up).
    d: Option<i64>,
    /// The first payment: `None` not looked up, `Some(None)` none made.
    first_payment: Option<Option<NaiveDate>>,
    call_date: NaiveDate,
    review: i64,
    overdue_from: i64,
}

impl Account {
    fn of(e: &Explain<'_>) -> Account {
        let params = e
            .params::<SdParams>()
            .unwrap_or_else(|| SdParams::fallback());
        Account {
            d: e.facts
                .date(&ev::WARRANTY_STARTED)
                .map(|start| (e.call_date - start).num_days()),
            first_payment: e.facts.date_or_none(&ev::FIRST_PAYMENT),
            call_date: e.call_date,
            review: params.review_period_days,
            overdue_from: params.overdue_from(),
        }
    }

    /// Whether the first payment was made on or before the call date.
    fn paid(&self) -> Option<bool> {
        self.first_payment
            .map(|payment| payment.is_some_and(|day| day <= self.call_date))
    }

    /// `the warranty began 12 days before the call` (`verb`: began, started), written into
    /// `out` (explanations are written straight into the report's buffer: no string each).
    fn warranty(&self, verb: &str, out: &mut String) {
        match self.d {
            None => out.push_str("the warranty's start date was never looked up"),
            Some(0) => {
                out.push_str("the warranty ");
                out.push_str(verb);
                out.push_str(" on the day of the call");
            }
            Some(d) if d < 0 => {
                out.push_str("the warranty starts ");
                push_days(out, -d);
                out.push_str(" after the call");
            }
            Some(d) => {
                out.push_str("the warranty ");
                out.push_str(verb);
                out.push(' ');
                push_days(out, d);
                out.push_str(" before the call");
            }
        }
    }

    /// `no payment has been made`, `the first payment was made on Mon 2 Feb 2026`.
    fn payment(&self, out: &mut String) {
        match self.first_payment {
            None => out.push_str("the first payment was never looked up"),
            Some(None) => out.push_str("no payment has been made"),
            Some(Some(day)) if day > self.call_date => {
                out.push_str("the first payment is dated ");
                out.push_str(&date(day));
                out.push_str(", after the call");
            }
            Some(Some(_)) => out.push_str("the first payment was made"),
        }
    }

    /// Why the branch holds: the facts, then what they make true.
    fn branch(&self, branch: Option<&str>, out: &mut String) {
        let review = self.review;
        match branch {
            Some("within_review") => {
                self.warranty("began", out);
                let _ = write!(out, ", inside the {review}-day review period");
            }
            Some("awaiting_first_payment") => {
                self.warranty("started", out);
                out.push_str(" and ");
                self.payment(out);
                let _ = write!(
                    out,
                    ": the email comes only once the {review}-day review period is over and the \
                     first payment is made"
                );
            }
            Some("recently_eligible") => {
                self.warranty("began", out);
                out.push_str(" and ");
                self.payment(out);
                let _ = write!(
                    out,
                    ": the {review}-day review period is over and the email is due within the \
                     week (by day {})",
                    self.overdue_from
                );
            }
            Some("overdue") => {
                self.warranty("began", out);
                out.push_str(" and ");
                self.payment(out);
                let _ = write!(
                    out,
                    ": the email is overdue (more than a week past the {review}-day review \
                     period)"
                );
            }
            _ => {
                self.warranty("began", out);
                if self.d.is_some() {
                    out.push_str(" and ");
                    self.payment(out);
                    if self.paid().is_none() {
                        out.push_str(", so the branch could not be told");
                    }
                }
            }
        }
    }

    /// What the branch asks the agent to say.
    fn answer(&self, branch: Option<&str>) -> String {
        match branch {
            Some("recently_eligible") => {
                "told the customer to expect the email within the week".to_owned()
            }
            Some("overdue") => "apologised and escalated to the rewards team".to_owned(),
            _ => format!("explained the {}-day review period", self.review),
        }
    }

    /// [`Account::branch`] as a new string.
    fn branch_text(&self, branch: Option<&str>) -> String {
        let mut out = String::new();
        self.branch(branch, &mut out);
        out
    }
}

/// `1 day`, `12 days`, into `out`.
fn push_days(out: &mut String, n: i64) {
    push_int(out, n);
    out.push_str(if n == 1 { " day" } else { " days" });
}

/// Writes `text` into `out` with its first letter in upper case.
fn push_capitalised(out: &mut String, text: &str) {
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// What the agent said, from an instance naming the event (`expect_email_soon, ...`).
fn said(instance: &Instance<'_>, review: i64) -> String {
    if instance.actual.starts_with(ev::EXPECT_EMAIL_SOON.name) {
        "told the customer to expect the email soon".to_owned()
    } else if instance.actual.starts_with(ev::EXPLAIN_REVIEW_PERIOD.name) {
        format!("explained the {review}-day review period")
    } else {
        words(instance.actual)
    }
}

/// The value a requirement named, from an omission's expected text: `... (collect email)`
/// gives `email`.
fn required_value<'a>(instance: &Instance<'a>) -> Option<&'a str> {
    let (_, step) = instance.expected.rsplit_once('(')?;
    let step = step.strip_suffix(')')?;
    step.split_once(' ').map(|(_, value)| value)
}

/// SD01: an answer the branch makes false.
pub fn sd01(e: &Explain<'_>, out: &mut String) {
    let account = Account::of(e);
    let mut said: Vec<String> = e
        .instances
        .iter()
        .map(|i| said(i, account.review))
        .collect();
    said.dedup();
    push_capitalised(out, &and_list(&said));
    out.push_str(", but ");
    account.branch(e.branch(), out);
    if e.branch() == Some("overdue") {
        out.push_str(
            ", and the document asks for an apology and an escalation to the rewards team",
        );
    }
    out.push('.');
}

/// SD02: no answer at all.
pub fn sd02(e: &Explain<'_>, out: &mut String) {
    let account = Account::of(e);
    out.push_str("Never answered why the email had not arrived: ");
    account.branch(e.branch(), out);
    out.push_str(", so the agent should have ");
    out.push_str(&account.answer(e.branch()));
    out.push('.');
}

/// SD03: the answer before the facts, or the facts never came.
pub fn sd03(e: &Explain<'_>, out: &mut String) {
    let account = Account::of(e);
    let mut parts = Vec::new();
    for instance in e.instances {
        let fact = if instance.expected.contains("first payment") {
            "the first payment"
        } else {
            "the warranty start date"
        };
        if instance.actual.starts_with("answered") {
            parts.push(format!("answered the customer before looking up {fact}"));
        } else {
            parts.push(format!(
                "never looked up {fact}, so the right answer could not be known"
            ));
        }
    }
    let _ = write!(
        out,
        "{}; the answer depends on it.",
        crate::explain::capitalised(&parts.join("; "))
    );
    if account.d.is_some() && e.branch().is_some() {
        out.push_str(" Once known: ");
        account.branch(e.branch(), out);
        out.push('.');
    }
}

/// SD04: details for the escalation not asked.
pub fn sd04(e: &Explain<'_>, out: &mut String) {
    let account = Account::of(e);
    let missing: Vec<String> = e
        .instances
        .iter()
        .filter_map(required_value)
        .map(|detail| match detail {
            "email" => "email address".to_owned(),
            "phone" => "phone number".to_owned(),
            "name" => "first and last name".to_owned(),
            other => words(other),
        })
        .collect();
    let _ = write!(
        out,
        "Did not ask for the customer's {}, which the rewards team needs for the escalation: ",
        and_list(&missing)
    );
    account.branch(e.branch(), out);
    out.push('.');
}

/// SD05: the escalation email not sent.
pub fn sd05(e: &Explain<'_>, out: &mut String) {
    let team = e
        .first()
        .and_then(required_value)
        .map_or("the team".to_owned(), |team| format!("the {}", words(team)));
    let what = if team.contains("product") {
        "the customer's information and issue"
    } else {
        "the customer's details"
    };
    let _ = write!(
        out,
        "Did not email {what} to {team}, the escalation the document asks for."
    );
}

/// SD06: no ticket number.
pub fn sd06(_: &Explain<'_>, out: &mut String) {
    out.push_str(
        "Did not ask for the support ticket number, and the customer did not give it: the \
         partner cannot find the ticket without it.",
    );
}

/// SD07: when the customer reached out, not asked.
pub fn sd07(_: &Explain<'_>, out: &mut String) {
    out.push_str(
        "Did not ask how long ago the customer reached out to Home Service Perks, and the \
         customer did not say.",
    );
}

/// SD08: the 24-hour follow-up not promised.
pub fn sd08(_: &Explain<'_>, out: &mut String) {
    out.push_str(
        "Did not promise that Home Service Perks would answer the ticket within 24 hours (and \
         to call back if no answer comes by this time tomorrow).",
    );
}

/// SD09: the partner not contacted.
pub fn sd09(_: &Explain<'_>, out: &mut String) {
    out.push_str("Did not contact Home Service Perks about the unanswered ticket after the call.");
}

/// SD10: partner support not explained.
pub fn sd10(_: &Explain<'_>, out: &mut String) {
    out.push_str(
        "Did not explain that Home Service Perks handles the reward site's customer service, \
         nor walk the customer through its steps.",
    );
}

/// SD11: no apology.
pub fn sd11(e: &Explain<'_>, out: &mut String) {
    let line = match e.inquiry.map(|i| i.state) {
        Some("overdue") => "\"We do apologize for the delay.\"",
        _ => "\"Sorry, <Customer Name>. I apologize for the inconvenience.\"",
    };
    let _ = write!(out, "Did not apologise where the script does ({line}).");
}

/// SD12: a branch the document does not cover (about the document, no penalty).
pub fn sd12(e: &Explain<'_>, out: &mut String) {
    let account = Account::of(e);
    let mut warranty = String::new();
    account.warranty("started", &mut warranty);
    push_capitalised(out, &warranty);
    out.push_str(" and ");
    account.payment(out);
    out.push_str(
        ": the document has no answer for this case. The review-period explanation (which names \
         both conditions) is taken as right. About the document, not the agent.",
    );
}

/// SD13: escalation steps the branch does not call for.
pub fn sd13(e: &Explain<'_>, out: &mut String) {
    let account = Account::of(e);
    let steps: Vec<String> = e
        .instances
        .iter()
        .map(|i| match i.actual.split_once(' ') {
            Some(("collect", detail)) => format!("asked for the customer's {}", words(detail)),
            Some(("email_sent", team)) => format!("emailed the {}", words(team)),
            _ => words(i.actual),
        })
        .collect();
    let why = match e.branch() {
        Some(branch) => account.branch_text(Some(branch)),
        None => format!(
            "a {} request does not call for an escalation",
            e.inquiry.map_or("this".to_owned(), |i| words(i.reason))
        ),
    };
    let _ = write!(
        out,
        "{}, an escalation step this call did not need: {why}.",
        crate::explain::capitalised(&and_list(&steps))
    );
}
