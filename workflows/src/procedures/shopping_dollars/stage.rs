//! What generated calls of shopping dollars need: the ticket number they draw, the dates
//! that make each branch true, what the customer says back, and the procedure's faults.

use chrono::{Days, Duration};

use super::events as ev;
use super::params::SdParams;
use super::scripts;
use crate::engine::Facts;
use crate::finding::Code;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::script::{frame, Placeholders, ScriptLine};
use crate::stage::{
    format_phone, Beat, FaultDef, Injection, Narration, OwnedStep, Prop, Props, Scene, Stage,
};
use crate::vocab::{EventDef, OwnedValue, ProcedureStep, Speaker};

/// The stage of shopping dollars.
#[derive(Debug, Clone, Copy, Default)]
pub struct SdStage;

/// The memo key of the warranty start drawn for this call.
const WARRANTY_START: &str = "warranty_start";
/// The memo key set once the details request was said.
const DETAILS_ASKED: &str = "details_asked";

fn names<'a>(scene: &'a Scene<'_>) -> Placeholders<'a> {
    Placeholders {
        department: Some(scene.cast.department),
        agent_name: scene.cast.agent_name.split(' ').next(),
        customer_name: Some(scene.cast.customer),
        ticket: scene.cast.props.text("ticket"),
    }
}

impl Stage for SdStage {
    fn draw_props(&self, rng: &mut fastrand::Rng, props: &mut Props) {
        props.set(
            "ticket",
            Prop::Text(format!("HSP-{:05}", rng.u32(10_000..100_000))),
        );
    }

    fn draw(&self, sample: &ProcedureStep<'static>, scene: &mut Scene<'_>) -> OwnedStep {
        let default = SdParams::default();
        let params = scene.params.downcast_ref::<SdParams>().unwrap_or(&default);
        let call_date = scene.call_date;
        if let (true, Some(date)) = (sample.is(&ev::WARRANTY_STARTED), sample.value.date()) {
            let d = (scene.exploration_date - date).num_days();
            let (period, overdue) = (params.review_period_days, params.overdue_from());
            let d = if d < period {
                scene.rng.i64(3..=period - 1)
            } else if d < overdue {
                scene.rng.i64(period..=overdue - 1)
            } else {
                scene.rng.i64(overdue..=overdue + 83)
            };
            let start = call_date - Duration::days(d);
            scene.memo.set(WARRANTY_START, Prop::Date(start));
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
        // The details request is said once; each detail after it is only recorded.
        if step.is(&ev::COLLECT) {
            if scene.memo.text(DETAILS_ASKED).is_some() {
                return None;
            }
            if script.is_some() {
                scene.memo.set(DETAILS_ASKED, Prop::Text(String::new()));
            }
        }
        script
    }

    fn answered_by(&self, question: &OwnedStep) -> Option<&'static EventDef> {
        question
            .is(&ev::ASK_CONTACT_TIME)
            .then_some(&ev::CONTACT_TIME)
    }

    fn premature(&self) -> Option<(OwnedStep, Option<ScriptLine>)> {
        Some((OwnedStep::plain(&ev::ASK_TICKET), Some(scripts::ASK_TICKET)))
    }

    fn narrate(&self, step: &OwnedStep, scene: &Scene<'_>) -> Narration {
        let value = step.value.as_value();
        let detail = || {
            value
                .choice()
                .and_then(|i| super::Detail::ALL.get(usize::from(i) % 3))
                .map_or("detail", |d| d.as_str())
        };
        if step.is(&ev::COLLECT) {
            let ask = if scene.memo.text(DETAILS_ASKED).is_some() {
                String::new()
            } else {
                scripts::CONFIRM_DETAILS.fill(&names(scene)) + " "
            };
            Narration::done(format!("{ask}(records the customer's {})", detail()))
        } else if step.is(&ev::EMAIL_SENT) {
            let team = ev::EMAIL_SENT.syntax.write(&value).replace('_', " ");
            Narration::done(format!(
                "(emails the customer's information and issue to the {team})"
            ))
        } else if step.is(&ev::PARTNER_CONTACTED) {
            Narration::done("(contacts Home Service Perks about the ticket)")
        } else if step.is(&ev::APOLOGIZE) {
            Narration::said("I'm sorry about the wait.")
        } else if step.is(&ev::ASK_CONTACT_TIME) {
            Narration::said(scripts::ASK_CONTACT_TIME.fill(&names(scene)))
        } else if step.is(&ev::ASK_TICKET) {
            Narration::said(scripts::ASK_TICKET.fill(&names(scene)))
        } else if step.is(&ev::CONTACT_TIME) {
            Narration::said(scripts::CUSTOMER_CONTACT_TIME.fill(&names(scene)))
        } else if step.is(&ev::WARRANTY_STARTED) {
            let date = value.date().unwrap_or(scene.call_date);
            let d = (scene.call_date - date).num_days();
            Narration::done(format!(
                "[account] warranty started {date} ({d} days before the call)"
            ))
        } else if step.is(&ev::FIRST_PAYMENT) {
            Narration::done(match value.date_or_none().flatten() {
                None => "[account] first payment: none".to_owned(),
                Some(date) => format!("[account] first payment {date}"),
            })
        } else {
            let name = step.name.as_str().replace('_', " ");
            match step.name.speaker() {
                Speaker::System | Speaker::Partner => Narration::done(format!("[system] {name}")),
                Speaker::Customer => Narration::said(format!("({name})")),
                Speaker::Agent => Narration::done(format!("({name})")),
            }
        }
    }

    fn respond(&self, step: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        if step.is(&ev::ASK_TICKET) {
            let ticket = scene.cast.props.text("ticket").unwrap_or_default();
            return vec![Beat::Event {
                step: OwnedStep::new(&ev::TICKET, OwnedValue::Text(ticket.into())),
                text: scripts::CUSTOMER_TICKET.fill(&names(scene)),
                spoken: true,
            }];
        }
        if step.is(&ev::COLLECT) {
            let first = scene
                .cast
                .customer
                .split(' ')
                .next()
                .unwrap_or(scene.cast.customer)
                .to_lowercase();
            let reply = match step.value.as_value().choice() {
                Some(0) => format!("It's {}.", scene.cast.customer),
                Some(1) => format!("{first}@example.com"),
                Some(2) => format_phone(scene.cast.phone),
                _ => return Vec::new(),
            };
            return vec![Beat::Say {
                speaker: Speaker::Customer,
                text: reply,
            }];
        }
        let thanks = [
            &PROMISE_FOLLOWUP,
            &ev::EXPLAIN_REVIEW_PERIOD,
            &ev::EXPECT_EMAIL_SOON,
            &ev::EXPLAIN_PARTNER_SUPPORT,
        ];
        if thanks.iter().any(|def| step.is(def)) {
            return vec![Beat::Say {
                speaker: Speaker::Customer,
                text: frame::CUSTOMER_THANKS.fill(&names(scene)),
            }];
        }
        Vec::new()
    }

    fn faults(&self) -> &'static [FaultDef] {
        FAULTS
    }
}

/// The branch states of the review-period check.
const BRANCH_STATES: &[&str] = &[
    "within_review",
    "awaiting_first_payment",
    "recently_eligible",
    "overdue",
];

/// The faults of shopping dollars.
pub static FAULTS: &[FaultDef] = &[
    FaultDef {
        id: "wrong_answer",
        describe: "the review-period answer the branch makes false",
        codes: |_: &Facts| vec![Code::SD01],
        injection: Injection::Add {
            states: BRANCH_STATES,
            step: |state| match state {
                "within_review" | "awaiting_first_payment" => (
                    OwnedStep::plain(&ev::EXPECT_EMAIL_SOON),
                    Some(scripts::EXPECT_EMAIL_SOON),
                ),
                _ => (
                    OwnedStep::plain(&ev::EXPLAIN_REVIEW_PERIOD),
                    Some(scripts::EXPLAIN_REVIEW_PERIOD),
                ),
            },
        },
    },
    FaultDef {
        id: "answer_before_facts",
        describe: "answered before the account facts were in",
        codes: |_: &Facts| vec![Code::SD03],
        injection: Injection::BeforeFacts {
            state: "awaiting_facts",
            step: |tokens| {
                let branch = tokens
                    .iter()
                    .find(|t| BRANCH_STATES.contains(&t.as_str()))?;
                match branch.as_str() {
                    "within_review" | "awaiting_first_payment" => Some((
                        OwnedStep::plain(&ev::EXPLAIN_REVIEW_PERIOD),
                        Some(scripts::EXPLAIN_REVIEW_PERIOD),
                    )),
                    "recently_eligible" => Some((
                        OwnedStep::plain(&ev::EXPECT_EMAIL_SOON),
                        Some(scripts::EXPECT_EMAIL_SOON),
                    )),
                    _ => None,
                }
            },
        },
    },
    FaultDef {
        id: "needless_collect",
        describe: "collected a detail the branch does not call for",
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
