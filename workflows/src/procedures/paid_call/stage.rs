//! What generated calls of paid-call verification need: the amounts and representative they
//! draw, the form the agent fills in, the chat's exchange, and the procedure's faults.

use super::chat_form::ChatForm;
use super::events::{self as ev, ChatPurpose};
use super::params::PcParams;
use super::scripts;
use crate::engine::Facts;
use crate::finding::Code;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::script::{frame, Placeholders};
use crate::stage::{
    format_phone, Beat, Cast, FaultDef, Injection, Narration, OwnedStep, Prop, Props, Scene, Stage,
};
use crate::vocab::{Cents, OwnedValue, ProcedureStep, Speaker};

/// The stage of paid-call verification.
#[derive(Debug, Clone, Copy, Default)]
pub struct PcStage;

/// The partner's chat representatives of generated calls.
const REPRESENTATIVES: [&str; 6] = ["Dee", "Max", "Lu", "Bea", "Cy", "Al"];

fn names<'a>(scene: &'a Scene<'_>) -> Placeholders<'a> {
    Placeholders {
        department: Some(scene.cast.department),
        agent_name: scene.cast.agent_name.split(' ').next(),
        customer_name: Some(scene.cast.customer),
        ticket: scene.cast.props.text("ticket"),
    }
}

/// The form a careful agent fills in for this call.
fn form(cast: &Cast<'_>, reason: &str) -> OwnedStep {
    let form = ChatForm {
        enterprise_id: Some(cast.agent_id),
        agent_name: Some(cast.agent_name),
        member_name: Some(cast.customer),
        customer_id: Some(cast.phone),
        reason: Some(reason),
    };
    OwnedStep::new(&ev::CHAT_FORM, OwnedValue::Text(form.value().into()))
}

fn form_reason(scene: &Scene<'_>) -> String {
    scene.params.downcast_ref::<PcParams>().map_or_else(
        || PcParams::default().form_reason,
        |p| p.form_reason.clone(),
    )
}

impl Stage for PcStage {
    fn draw_props(&self, rng: &mut fastrand::Rng, props: &mut Props) {
        let representative = REPRESENTATIVES
            .get(rng.usize(..REPRESENTATIVES.len()))
            .copied()
            .unwrap_or("Dee");
        props.set("representative", Prop::Text(representative.to_owned()));
        let units = u64::from(rng.u32(39..260));
        let cents = [0, 50, 99].get(rng.usize(..3)).copied().unwrap_or(0);
        let calculator = Cents(units * 100 + cents);
        props.set("calculator_amount", Prop::Amount(calculator));
        props.set(
            "paid_amount",
            Prop::Amount(Cents(u64::from(rng.u32(49..200)) * 100)),
        );
    }

    fn draw(&self, sample: &ProcedureStep<'static>, scene: &mut Scene<'_>) -> OwnedStep {
        let props = scene.cast.props;
        if sample.is(&ev::REFUND_CALCULATOR) && sample.value.amount_or_none().flatten().is_some() {
            let amount = props.amount("calculator_amount").unwrap_or(Cents(0));
            return OwnedStep::new(
                &ev::REFUND_CALCULATOR,
                OwnedValue::AmountOrNone(Some(amount)),
            );
        }
        if sample.is(&ev::PAID_AMOUNT_OBTAINED) {
            let amount = props.amount("paid_amount").unwrap_or(Cents(0));
            return OwnedStep::new(&ev::PAID_AMOUNT_OBTAINED, OwnedValue::Amount(amount));
        }
        if sample.is(&ev::CHAT_FORM) {
            return form(&scene.cast, &form_reason(scene));
        }
        if sample.is(&ev::CHAT_CONNECTED) {
            let representative = props.text("representative").unwrap_or("Dee");
            return OwnedStep::new(&ev::CHAT_CONNECTED, OwnedValue::Text(representative.into()));
        }
        OwnedStep::of(sample)
    }

    fn fulfil(
        &self,
        requirement: &crate::engine::Requirement,
        scene: &Scene<'_>,
    ) -> Option<OwnedStep> {
        if requirement.step.is(&ev::CHAT_FORM) {
            return Some(form(&scene.cast, &form_reason(scene)));
        }
        if requirement.step.is(&ev::PAID_AMOUNT_OBTAINED) {
            let amount = scene.cast.props.amount("paid_amount").unwrap_or(Cents(0));
            return Some(OwnedStep::new(
                &ev::PAID_AMOUNT_OBTAINED,
                OwnedValue::Amount(amount),
            ));
        }
        let syntax = requirement.step.def().syntax;
        let value = syntax
            .parse(requirement.value.as_deref().unwrap_or(""))
            .ok()?;
        Some(OwnedStep {
            name: requirement.step,
            value: value.to_owned_value(),
        })
    }

    fn delay(&self, step: &OwnedStep) -> i64 {
        if step.is(&ev::CHAT_WAITING) {
            120
        } else {
            0
        }
    }

    fn before(&self, sample: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        // A record-verification chat follows the customer's report of a wrong address.
        let purpose = sample.value.as_value().choice();
        if sample.is(&ev::CHAT_OPENED) && purpose == Some(1) {
            return vec![Beat::Event {
                step: OwnedStep::new(&ev::RECORD_MISMATCH, OwnedValue::Choice(1)),
                text: scripts::CUSTOMER_RECORD_MISMATCH.fill(&names(scene)),
                spoken: true,
            }];
        }
        Vec::new()
    }

    fn narrate(&self, step: &OwnedStep, scene: &Scene<'_>) -> Narration {
        let value = step.value.as_value();
        let amount = || value.amount().or(value.amount_or_none().flatten());
        if step.is(&ev::QUOTE_AMOUNT) {
            Narration::said(format!(
                "The paid call deducted from your refund is {}.",
                amount().unwrap_or(Cents(0))
            ))
        } else if step.is(&ev::BUILD_VALUE) {
            Narration::said("That visit was a covered repair at a fraction of its usual cost, and it is why the amount is deducted.")
        } else if step.is(&ev::ADVISE_DISPUTE_LETTER) {
            Narration::said("If you still disagree, you can dispute it directly with Sears when you receive the payment due letter.")
        } else if step.is(&PROMISE_FOLLOWUP) {
            Narration::said("I'll confirm that amount with our partner and call you back with it.")
        } else if step.is(&ev::PHONE_CALL_PARTNER) {
            Narration::done("(phones Sears about the amount)")
        } else if step.is(&ev::CHAT_OPENED) {
            let purpose = value
                .choice()
                .and_then(|i| ChatPurpose::ALL.get(usize::from(i)))
                .map_or("paid call", |p| p.as_str());
            Narration::done(format!("(opens Sears Chat: {})", purpose.replace('_', " ")))
        } else if step.is(&ev::WARRANTY_PROMPT) {
            let answer = if value.choice() == Some(0) {
                "Yes"
            } else {
                "No"
            };
            Narration::done(format!(
                "(answers \"Does your product have a warranty?\": {answer})"
            ))
        } else if step.is(&ev::CHAT_FORM) {
            let form = value
                .text()
                .and_then(|t| ChatForm::parse(t).ok())
                .unwrap_or_default();
            Narration::done(format!(
                "(fills the chat form: {}, {}, {}, {}, {}; clicks Start Chat)",
                form.enterprise_id.unwrap_or("-"),
                form.agent_name.unwrap_or("-"),
                form.member_name.unwrap_or("-"),
                form.customer_id.unwrap_or("-"),
                form.reason.unwrap_or("-")
            ))
        } else if step.is(&ev::CHAT_MESSAGE) {
            Narration::done(
                "(types in Comments: asks for the total amount paid for the recent service call)",
            )
        } else if step.is(&ev::PAID_AMOUNT_OBTAINED) {
            Narration::done(format!(
                "(notes the total paid the representative confirms: {})",
                amount().unwrap_or(Cents(0))
            ))
        } else if step.is(&ev::CHAT_ENDED) {
            Narration::done("(clicks End Chat)")
        } else if step.is(&ev::CHAT_TRANSCRIPT) {
            Narration::done("(emails the chat transcript)")
        } else if step.is(&ev::SERVICE_CALL_REPORTED) {
            Narration::said(scripts::CUSTOMER_SERVICE_CALL.fill(&names(scene)))
        } else if step.is(&ev::AMOUNT_DISPUTED) {
            Narration::said(scripts::CUSTOMER_DISPUTE.fill(&names(scene)))
        } else if step.is(&ev::REFUND_CALCULATOR) {
            Narration::done(match amount() {
                Some(amount) => format!("[refund calculator] paid call deducted: {amount}"),
                None => "[refund calculator] no paid call displayed".to_owned(),
            })
        } else if step.is(&ev::CHAT_WAITING) {
            Narration::done(format!(
                "[chat] Please wait for a Sears Customer Service representative to respond. Your average wait time is about {} minutes.",
                value.minutes().unwrap_or(2)
            ))
        } else if step.is(&ev::CHAT_CONNECTED) {
            Narration::done(format!(
                "[chat] Welcome to Sears Customer Service chat support. You are now connected to {}.",
                value.text().unwrap_or_default()
            ))
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
        if step.is(&PROMISE_FOLLOWUP) {
            return vec![Beat::Say {
                speaker: Speaker::Customer,
                text: frame::CUSTOMER_THANKS.fill(&names(scene)),
            }];
        }
        if !step.is(&ev::CHAT_CONNECTED) {
            return Vec::new();
        }
        // The exchange in the chat window once a representative connects.
        let representative = scene.cast.props.text("representative").unwrap_or("Dee");
        let asks_amount = scene.state == "chat_connected"
            && scene
                .next
                .iter()
                .any(|n| n.step.is(&ev::PAID_AMOUNT_OBTAINED));
        let (message, reply) = if asks_amount {
            (
                "(types in Comments: asks for the total amount paid for the recent service call)"
                    .to_owned(),
                format!(
                    "[chat] {representative}: The total amount paid for that visit was {}.",
                    scene.cast.props.amount("paid_amount").unwrap_or(Cents(0))
                ),
            )
        } else {
            (
                "(types in Comments: the member's cancellation and record details)".to_owned(),
                format!("[chat] {representative}: Thank you, I have updated the member's record."),
            )
        };
        vec![
            Beat::Event {
                step: OwnedStep::plain(&ev::CHAT_MESSAGE),
                text: message,
                spoken: false,
            },
            Beat::Event {
                step: OwnedStep::plain(&ev::CHAT_REPLY),
                text: reply,
                spoken: false,
            },
        ]
    }

    fn faults(&self) -> &'static [FaultDef] {
        FAULTS
    }
}

/// Whether the calculator shows an amount.
fn amount_shown(facts: &Facts) -> bool {
    facts
        .amount_or_none(&ev::REFUND_CALCULATOR)
        .flatten()
        .is_some()
}

/// The states a cancellation rests in outside a chat.
const RESTING: &[&str] = &[
    "amount_shown",
    "amount_disputed",
    "no_amount",
    "verify_in_chat",
    "follow_up_later",
];

/// The faults of paid-call verification.
pub static FAULTS: &[FaultDef] = &[
    FaultDef {
        id: "phone_partner",
        describe: "phoned the partner",
        codes: |facts| {
            if amount_shown(facts) {
                vec![Code::PC01, Code::PC02]
            } else {
                vec![Code::PC02]
            }
        },
        injection: Injection::Add {
            states: RESTING,
            step: |_| (OwnedStep::plain(&ev::PHONE_CALL_PARTNER), None),
        },
    },
    FaultDef {
        id: "prompt_yes",
        describe: "selected Yes on the warranty prompt",
        codes: |_| vec![Code::PC05],
        injection: Injection::Alter {
            event: &ev::WARRANTY_PROMPT,
            alter: |_, _| OwnedValue::Choice(0),
        },
    },
    FaultDef {
        id: "dashed_customer_id",
        describe: "entered the customer id with dashes",
        codes: |_| vec![Code::PC06],
        injection: Injection::Alter {
            event: &ev::CHAT_FORM,
            alter: |value, cast| {
                let text = match value {
                    OwnedValue::Text(text) => text.to_string(),
                    _ => String::new(),
                };
                let dashed = text.replace(
                    &format!("customer_id={}", cast.phone),
                    &format!("customer_id={}", format_phone(cast.phone)),
                );
                OwnedValue::Text(dashed.into())
            },
        },
    },
    FaultDef {
        id: "wrong_quote",
        describe: "quoted ten dollars more than the amount to quote",
        codes: |_| vec![Code::PC07],
        injection: Injection::Alter {
            event: &ev::QUOTE_AMOUNT,
            alter: |value, _| match value {
                OwnedValue::Amount(amount) => OwnedValue::Amount(Cents(amount.0 + 1000)),
                other => other.clone(),
            },
        },
    },
    FaultDef {
        id: "chat_left_open",
        describe: "never ended the partner chat",
        codes: |_| vec![Code::PC10],
        injection: Injection::Skip {
            event: &ev::CHAT_ENDED,
        },
    },
];
