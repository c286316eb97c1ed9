//! What generated calls of shopping dollars need: the ticket number they draw, the dates
//! that make each branch true (and the customer's words that match them), what the customer
//! says back, the rule each branch teaches, and the procedure's faults.

use chrono::{Days, Duration, NaiveDate};

use super::events as ev;
use super::params::SdParams;
use super::{reasons, scripts, speech, Detail};
use crate::engine::Facts;
use crate::finding::Code;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::script::{Placeholders, ScriptLine};
use crate::stage::{
    any_path, format_phone, Beat, FaultDef, Fix, Injection, Narration, OwnedStep, Prop, Props,
    Rule, Scene, Scripted, Stage,
};
use crate::vocab::{EventDef, OwnedValue, ProcedureStep, ReasonDef, Speaker};

/// The stage of shopping dollars.
#[derive(Debug, Clone, Copy, Default)]
pub struct SdStage;

/// The memo key of the warranty start drawn for this call.
const WARRANTY_START: &str = "warranty_start";

/// The customer's first name, as the agent addresses them.
fn first_name<'a>(scene: &Scene<'a>) -> &'a str {
    scene
        .cast
        .customer
        .split(' ')
        .next()
        .unwrap_or(scene.cast.customer)
}

fn names<'a>(scene: &'a Scene<'_>) -> Placeholders<'a> {
    Placeholders {
        department: Some(scene.cast.department),
        agent_name: scene.cast.agent_name.split(' ').next(),
        customer_name: Some(first_name(scene)),
        ticket: scene.cast.props.text("ticket"),
    }
}

/// The customer's email address, as they spell it.
fn email(scene: &Scene<'_>) -> String {
    scene.cast.customer.to_lowercase().replace(' ', ".") + "@example.com"
}

/// A phrasing with the call's values put in.
fn fill(template: &str, scene: &Scene<'_>) -> String {
    template
        .replace(
            "{ticket}",
            scene.cast.props.text("ticket").unwrap_or_default(),
        )
        .replace("{name}", scene.cast.customer)
        .replace("{email}", &email(scene))
        .replace("{phone}", &format_phone(scene.cast.phone))
}

fn say(speaker: Speaker, text: impl Into<String>) -> Beat {
    Beat::Say {
        speaker,
        text: text.into(),
    }
}

fn params(scene: &Scene<'_>) -> SdParams {
    scene
        .params
        .downcast_ref::<SdParams>()
        .cloned()
        .unwrap_or_default()
}

/// The detail a `collect` step records.
fn detail(step: &OwnedStep) -> Option<Detail> {
    let index = step.value.as_value().choice()?;
    Detail::ALL.get(usize::from(index)).copied()
}

impl SdStage {
    /// The warranty start of this call, drawn once: an age in the condition of the path's
    /// `warranty_started` sample, at the edge of the branch when a fault is about the edge
    /// (day 29, 30, 36 or 37), and only as old as the customer's words allow.
    fn warranty_start(&self, scene: &mut Scene<'_>) -> NaiveDate {
        if let Some(start) = scene.memo.date(WARRANTY_START) {
            return start;
        }
        let params = params(scene);
        let (period, overdue) = (params.review_period_days, params.overdue_from());
        let sample = scene
            .samples
            .iter()
            .filter_map(|s| s.event.step())
            .find(|s| s.is(&ev::WARRANTY_STARTED))
            .and_then(|s| s.value.date());
        let awaiting_payment = scene.tokens.iter().any(|t| t == "awaiting_first_payment");
        let d = match sample.map(|date| (scene.exploration_date - date).num_days()) {
            None => 20,
            Some(d) if d < period => {
                if scene.carries("wrong_answer") {
                    period - 1
                } else {
                    scene.rng.i64(3..=period - 1)
                }
            }
            Some(d) if d < overdue => {
                if scene.carries("escalates_early") {
                    overdue - 1
                } else if scene.carries("wrong_answer") && !awaiting_payment {
                    period
                } else {
                    scene.rng.i64(period..=overdue - 1)
                }
            }
            Some(_) => {
                if scene.carries("soon_when_overdue") {
                    overdue
                } else {
                    scene.rng.i64(overdue..=overdue + 28)
                }
            }
        };
        let start = scene.call_date - Duration::days(d);
        scene.memo.set(WARRANTY_START, Prop::Date(start));
        start
    }

    /// The customer's words for the missing email, true to the warranty's age.
    fn email_missing(&self, scene: &mut Scene<'_>) -> String {
        let start = self.warranty_start(scene);
        let days = (scene.call_date - start).num_days();
        let recent = days <= 45 && scene.variant.is_multiple_of(3);
        if recent {
            return scene.pick(speech::EMAIL_MISSING_RECENT, 1).to_owned();
        }
        let pick = usize::try_from(scene.variant % 1009).unwrap_or(0);
        scene
            .pick(speech::EMAIL_MISSING_AGED, 2)
            .replace("{age}", &speech::age_phrase(days, start, pick))
    }
}

impl Stage for SdStage {
    fn draw_props(&self, rng: &mut fastrand::Rng, props: &mut Props) {
        props.set(
            "ticket",
            Prop::Text(format!("HSP-{:05}", rng.u32(10_000..100_000))),
        );
    }

    fn request(&self, reason: &'static ReasonDef, scene: &mut Scene<'_>) -> Option<String> {
        if std::ptr::eq(reason, &reasons::REWARD_EMAIL_MISSING) {
            Some(self.email_missing(scene))
        } else if std::ptr::eq(reason, &reasons::REWARD_SITE_ISSUE) {
            Some(scene.pick(speech::SITE_ISSUE, 3).to_owned())
        } else if std::ptr::eq(reason, &reasons::REWARD_PARTNER_NO_RESPONSE) {
            Some(scene.pick(speech::NO_RESPONSE, 4).to_owned())
        } else {
            None
        }
    }

    fn draw(&self, sample: &ProcedureStep<'static>, scene: &mut Scene<'_>) -> OwnedStep {
        let call_date = scene.call_date;
        if sample.is(&ev::WARRANTY_STARTED) {
            let start = self.warranty_start(scene);
            return OwnedStep::new(&ev::WARRANTY_STARTED, OwnedValue::Date(start));
        }
        if let (true, Some(Some(date))) =
            (sample.is(&ev::FIRST_PAYMENT), sample.value.date_or_none())
        {
            let paid = if date > scene.exploration_date {
                call_date
                    .checked_add_days(Days::new(scene.rng.u64(1..=14)))
                    .unwrap_or(call_date)
            } else {
                let from = scene
                    .memo
                    .date(WARRANTY_START)
                    .unwrap_or(call_date - Duration::days(40));
                (from + Duration::days(scene.rng.i64(1..=28))).min(call_date)
            };
            return OwnedStep::new(&ev::FIRST_PAYMENT, OwnedValue::DateOrNone(Some(paid)));
        }
        OwnedStep::of(sample)
    }

    fn says(
        &self,
        step: &OwnedStep,
        script: Option<ScriptLine>,
        scene: &mut Scene<'_>,
    ) -> Option<ScriptLine> {
        let _ = scene;
        // A detail is asked for before it is given (see `before`); its step is the record.
        if step.is(&ev::COLLECT) {
            return None;
        }
        script
    }

    fn answered_by(&self, question: &OwnedStep) -> Option<&'static EventDef> {
        question
            .is(&ev::ASK_CONTACT_TIME)
            .then_some(&ev::CONTACT_TIME)
    }

    fn premature(&self) -> Option<Scripted> {
        Some((OwnedStep::plain(&ev::ASK_TICKET), Some(scripts::ASK_TICKET)))
    }

    fn before(&self, step: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        let facts = scene.facts;
        let is_fact = step.is(&ev::WARRANTY_STARTED) || step.is(&ev::FIRST_PAYMENT);
        if is_fact
            && facts.date(&ev::WARRANTY_STARTED).is_none()
            && facts.date_or_none(&ev::FIRST_PAYMENT).is_none()
        {
            return vec![say(Speaker::Agent, scene.pick(speech::LOOK_UP, 5))];
        }
        if let (true, Some(detail)) = (step.is(&ev::COLLECT), detail(step)) {
            let index = detail as usize;
            let escalating = scene.state == "overdue" || scene.carries("escalates_early");
            let asked = if !escalating {
                speech::ASK_DETAIL_PLAIN
                    .get(index)
                    .copied()
                    .unwrap_or_default()
                    .to_owned()
            } else {
                let question = scene.pick(speech::ASK_DETAIL.get(index).copied().unwrap_or(&[]), 6);
                let outstanding = scene
                    .next
                    .iter()
                    .filter(|n| n.step.is(&ev::COLLECT))
                    .count();
                let first =
                    outstanding >= Detail::ALL.len() || scene.state != "overdue" && index == 0;
                if first {
                    // The script's request, word for word up to its list of fields; the list
                    // is asked for one field at a time.
                    let request = scripts::CONFIRM_DETAILS.fill(&names(scene));
                    let lead = request.split(':').next().unwrap_or(&request).trim();
                    format!("{lead}. {question}")
                } else {
                    question.to_owned()
                }
            };
            let given = scene.pick(speech::GIVE_DETAIL.get(index).copied().unwrap_or(&[]), 7);
            return vec![
                say(Speaker::Agent, asked),
                say(Speaker::Customer, fill(given, scene)),
            ];
        }
        Vec::new()
    }

    fn narrate(&self, step: &OwnedStep, scene: &Scene<'_>) -> Narration {
        let value = step.value.as_value();
        if step.is(&ev::COLLECT) {
            let what = match detail(step) {
                Some(Detail::Name) => "first and last name",
                Some(Detail::Email) => "email address",
                Some(Detail::Phone) => "phone number",
                None => "details",
            };
            Narration::done(format!(
                "(types the customer's {what} into the rewards request)"
            ))
        } else if step.is(&ev::EMAIL_SENT) {
            Narration::done(if value.choice() == Some(0) {
                "(emails the customer's name, email address and phone number to the rewards team)"
            } else {
                "(emails the customer's information and issue to the product team)"
            })
        } else if step.is(&ev::PARTNER_CONTACTED) {
            Narration::done(format!(
                "(contacts Home Service Perks about ticket {})",
                scene.cast.props.text("ticket").unwrap_or("the ticket")
            ))
        } else if step.is(&ev::APOLOGIZE) {
            Narration::said(scene.pick(speech::SORRY, 8))
        } else if step.is(&ev::ASK_CONTACT_TIME) {
            Narration::said(scripts::ASK_CONTACT_TIME.fill(&names(scene)))
        } else if step.is(&ev::ASK_TICKET) {
            Narration::said(scripts::ASK_TICKET.fill(&names(scene)))
        } else if step.is(&ev::CONTACT_TIME) {
            let in_hours = value.choice() == Some(0);
            let phrasings = if in_hours {
                speech::CONTACT_IN_HOURS
            } else {
                speech::CONTACT_AFTER_HOURS
            };
            let pick = usize::try_from(scene.variant % 997).unwrap_or(0);
            let when = speech::contact_when(scene.call_date, in_hours, pick);
            Narration::said(scene.pick(phrasings, 9).replace("{when}", &when))
        } else if step.is(&ev::TICKET) {
            Narration::said(fill(scene.pick(speech::TICKET, 10), scene))
        } else if step.is(&ev::WARRANTY_STARTED) {
            let date = value.date().unwrap_or(scene.call_date);
            let d = (scene.call_date - date).num_days();
            Narration::done(format!(
                "[account] warranty started {date} ({d} days before the call)"
            ))
        } else if step.is(&ev::FIRST_PAYMENT) {
            Narration::done(match value.date_or_none().flatten() {
                None => "[account] first payment: none".to_owned(),
                Some(date) if date > scene.call_date => {
                    format!("[account] first payment scheduled for {date}")
                }
                Some(date) => format!("[account] first payment {date}"),
            })
        } else {
            let name = step.name.as_str().replace('_', " ");
            match step.name.speaker() {
                Speaker::System | Speaker::Partner => Narration::done(format!("[system] {name}")),
                Speaker::Customer | Speaker::Agent => Narration::done(format!("({name})")),
            }
        }
    }

    fn respond(&self, step: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        if step.is(&ev::ASK_CONTACT_TIME) {
            // The path's own answer comes next when it has one; else the customer cannot say.
            let answered = scene.upcoming.is_some_and(|e| e.is(&ev::CONTACT_TIME));
            return if answered {
                Vec::new()
            } else {
                vec![say(
                    Speaker::Customer,
                    scene.pick(speech::CONTACT_VAGUE, 11),
                )]
            };
        }
        if step.is(&ev::ASK_TICKET) {
            let ticket = scene.cast.props.text("ticket").unwrap_or_default();
            return vec![Beat::Event {
                step: OwnedStep::new(&ev::TICKET, OwnedValue::Text(ticket.into())),
                text: fill(scene.pick(speech::TICKET, 10), scene),
                spoken: true,
            }];
        }
        if step.is(&ev::COLLECT) {
            let escalating = scene.state == "overdue" || scene.carries("escalates_early");
            return if escalating && detail(step) == Some(Detail::Phone) {
                vec![
                    say(Speaker::Agent, scene.pick(speech::DETAILS_TAKEN, 12)),
                    say(Speaker::Customer, scene.pick(speech::THANKS, 13)),
                ]
            } else {
                Vec::new()
            };
        }
        let thanks: &[&str] = if step.is(&ev::EXPLAIN_REVIEW_PERIOD) {
            speech::THANKS
        } else if step.is(&ev::EXPECT_EMAIL_SOON) {
            speech::THANKS_SOON
        } else if step.is(&PROMISE_FOLLOWUP) {
            speech::THANKS_FOLLOWUP
        } else if step.is(&ev::EXPLAIN_PARTNER_SUPPORT) {
            speech::THANKS_SUPPORT
        } else {
            return Vec::new();
        };
        vec![say(Speaker::Customer, scene.pick(thanks, 14))]
    }

    fn rule(&self, state: &str, params: &(dyn std::any::Any + Send + Sync)) -> Option<String> {
        let params = params
            .downcast_ref::<SdParams>()
            .unwrap_or_else(|| SdParams::fallback());
        speech::rule(state, params)
    }

    fn faults(&self) -> &'static [FaultDef] {
        FAULTS
    }
}

/// An answer step with its script line.
fn answer(def: &'static EventDef, line: ScriptLine) -> Scripted {
    (OwnedStep::plain(def), Some(line))
}

/// The answer a branch makes false: "soon" inside the review period or unpaid, the review
/// period once it is over and paid.
fn wrong_answer(state: &str) -> Scripted {
    match state {
        "within_review" | "awaiting_first_payment" => {
            answer(&ev::EXPECT_EMAIL_SOON, scripts::EXPECT_EMAIL_SOON)
        }
        _ => answer(&ev::EXPLAIN_REVIEW_PERIOD, scripts::EXPLAIN_REVIEW_PERIOD),
    }
}

/// The faults of shopping dollars.
pub static FAULTS: &[FaultDef] = &[
    FaultDef {
        id: "wrong_answer",
        describe: "gave the answer of the neighbouring branch",
        rule: Rule::Card,
        fix: Fix::Next,
        codes: |_: &Facts| vec![Code::SD01],
        injection: Injection::Add {
            states: &["within_review", "awaiting_first_payment", "recently_eligible"],
            step: wrong_answer,
        },
        pairs: &["answer_before_facts"],
        fits: any_path,
    },
    FaultDef {
        id: "soon_when_overdue",
        describe: "told the customer the email comes within the week instead of escalating",
        rule: Rule::Card,
        fix: Fix::Next,
        codes: |_: &Facts| vec![Code::SD01, Code::SD04, Code::SD05, Code::SD11],
        injection: Injection::Steps {
            states: &["overdue"],
            steps: |_, _| vec![answer(&ev::EXPECT_EMAIL_SOON, scripts::EXPECT_EMAIL_SOON)],
            skip: &[
                (&ev::APOLOGIZE, None),
                (&ev::COLLECT, None),
                (&ev::EMAIL_SENT, Some("rewards_team")),
            ],
        },
        pairs: &["answer_before_facts"],
        fits: any_path,
    },
    FaultDef {
        id: "escalates_early",
        describe: "escalated to the rewards team as if the reward were overdue",
        rule: Rule::Card,
        fix: Fix::Next,
        codes: |_: &Facts| vec![Code::SD02, Code::SD13],
        injection: Injection::Steps {
            states: &["recently_eligible"],
            steps: |_, _| {
                let mut steps = vec![answer(&ev::APOLOGIZE, scripts::APOLOGIZE_DELAY)];
                for detail in 0..3 {
                    steps.push((OwnedStep::new(&ev::COLLECT, OwnedValue::Choice(detail)), None));
                }
                steps.push((OwnedStep::new(&ev::EMAIL_SENT, OwnedValue::Choice(0)), None));
                steps
            },
            skip: &[(&ev::EXPECT_EMAIL_SOON, None), (&ev::EXPLAIN_REVIEW_PERIOD, None)],
        },
        pairs: &[],
        fits: any_path,
    },
    FaultDef {
        id: "answer_before_facts",
        describe: "answered before looking up the account",
        rule: Rule::Words(
            "Look up the warranty start date and the first payment before answering: the answer depends on both.",
        ),
        fix: Fix::Next,
        codes: |_: &Facts| vec![Code::SD03],
        injection: Injection::BeforeFacts {
            state: "awaiting_facts",
            step: |tokens, faults| {
                let branch = tokens.iter().find(|t| speech::rule(t, SdParams::fallback()).is_some())?;
                let guessed_wrong = faults.contains(&"wrong_answer");
                match branch.as_str() {
                    "within_review" | "awaiting_first_payment" | "recently_eligible"
                        if guessed_wrong =>
                    {
                        Some(wrong_answer(branch))
                    }
                    "overdue" if faults.contains(&"soon_when_overdue") => {
                        Some(answer(&ev::EXPECT_EMAIL_SOON, scripts::EXPECT_EMAIL_SOON))
                    }
                    "within_review" | "awaiting_first_payment" => Some(answer(
                        &ev::EXPLAIN_REVIEW_PERIOD,
                        scripts::EXPLAIN_REVIEW_PERIOD,
                    )),
                    "recently_eligible" => {
                        Some(answer(&ev::EXPECT_EMAIL_SOON, scripts::EXPECT_EMAIL_SOON))
                    }
                    _ => None,
                }
            },
        },
        pairs: &["wrong_answer", "soon_when_overdue"],
        fits: any_path,
    },
    FaultDef {
        id: "needless_collect",
        describe: "collected a detail the branch does not call for",
        rule: Rule::Words(
            "Collect the customer's name, email and phone only for the overdue escalation (day 37 or more, paid).",
        ),
        fix: Fix::Words("Leave the customer's details alone: this branch sends nothing to the rewards team."),
        codes: |_: &Facts| vec![Code::SD13],
        injection: Injection::Add {
            states: &[
                "within_review",
                "awaiting_first_payment",
                "recently_eligible",
                "site_issue",
                "partner_unanswered",
                "reached_out_after_hours",
                "reached_out_in_hours",
            ],
            step: |_| (OwnedStep::new(&ev::COLLECT, OwnedValue::Choice(1)), None),
        },
        pairs: &[],
        fits: any_path,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_written_with_dashes() {
        assert_eq!(format_phone("2125550142"), "212-555-0142");
        assert_eq!(format_phone("555"), "555");
    }
}
