//! What generated calls of paid-call verification need: the amounts, address and
//! representative they draw, the form the agent fills in, the chat's exchange and its wait,
//! the rule each branch teaches, and the procedure's faults.

use super::chat_form::{ChatForm, CHAT_FORM_REASON};
use super::events::{self as ev, ChatPurpose};
use super::params::PcParams;
use super::speech;
use crate::engine::Facts;
use crate::finding::Code;
use crate::procedures::common::PROMISE_FOLLOWUP;
use crate::stage::{
    any_path, format_phone, Beat, Cast, FaultDef, Fix, Injection, Narration, OwnedStep, Prop,
    Props, Rule, Scene, Scripted, Stage,
};
use crate::vocab::{Cents, OwnedValue, ProcedureStep, ReasonDef, Speaker};

/// The stage of paid-call verification.
#[derive(Debug, Clone, Copy, Default)]
pub struct PcStage;

/// The partner's chat representatives of generated calls.
const REPRESENTATIVES: [&str; 6] = ["Dee", "Max", "Lu", "Bea", "Cy", "Al"];

/// The memo key of the open chat's purpose (its index in [`ChatPurpose::ALL`]).
const CHAT_PURPOSE: &str = "chat_purpose";
/// The memo key of the wait the open chat announced, in minutes ("0": none).
const CHAT_WAIT: &str = "chat_wait";

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

fn say(speaker: Speaker, text: impl Into<String>) -> Beat {
    Beat::Say {
        speaker,
        text: text.into(),
    }
}

/// One of `options`, drawn.
fn drawn<T: Copy>(rng: &mut fastrand::Rng, options: &[T]) -> Option<T> {
    options.get(rng.usize(..options.len().max(1))).copied()
}

/// The calculator's amount, if it shows one.
fn shown(facts: &Facts) -> Option<Cents> {
    facts.amount_or_none(&ev::REFUND_CALCULATOR).flatten()
}

/// The purpose of the chat the call opened last.
fn purpose(scene: &Scene<'_>) -> ChatPurpose {
    scene
        .memo
        .text(CHAT_PURPOSE)
        .and_then(|p| p.parse::<usize>().ok())
        .and_then(|i| ChatPurpose::ALL.get(i).copied())
        .unwrap_or(ChatPurpose::PaidCall)
}

/// A phrasing with the call's values put in.
fn fill(template: &str, scene: &Scene<'_>) -> String {
    let props = scene.cast.props;
    template
        .replace("{address}", props.text("address").unwrap_or_default())
        .replace("{minutes}", props.text("chat_wait").unwrap_or("a few"))
        .replace("{name}", scene.cast.customer)
        .replace("{phone}", scene.cast.phone)
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
        let street = drawn(rng, &speech::STREETS).unwrap_or("Maple");
        let kind = drawn(rng, &speech::STREET_KINDS).unwrap_or("Street");
        let (town, state, zip) = drawn(rng, &speech::TOWNS).unwrap_or(("Springfield", "IL", 627));
        let address = format!(
            "{} {street} {kind}, {town}, {state} {zip}{:02}",
            rng.u32(12..980),
            rng.u32(1..99)
        );
        props.set("address", Prop::Text(address));
        props.set("chat_wait", Prop::Text(rng.u32(2..=4).to_string()));
    }

    fn request(&self, reason: &'static ReasonDef, scene: &mut Scene<'_>) -> Option<String> {
        let _ = reason;
        Some(scene.pick(speech::CANCEL, 1).to_owned())
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
        if sample.is(&ev::CHAT_WAITING) {
            let minutes = props.text("chat_wait").and_then(|m| m.parse().ok());
            return OwnedStep::new(&ev::CHAT_WAITING, OwnedValue::Minutes(minutes.or(Some(3))));
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

    fn played(&self, step: &OwnedStep, scene: &mut Scene<'_>) {
        let value = step.value.as_value();
        if step.is(&ev::CHAT_OPENED) {
            let index = value.choice().unwrap_or(0);
            scene.memo.set(CHAT_PURPOSE, Prop::Text(index.to_string()));
            scene.memo.set(CHAT_WAIT, Prop::Text("0".to_owned()));
        } else if step.is(&ev::CHAT_WAITING) {
            let minutes = value.minutes().unwrap_or(0);
            scene.memo.set(CHAT_WAIT, Prop::Text(minutes.to_string()));
        }
    }

    fn delay(&self, step: &OwnedStep, scene: &mut Scene<'_>) -> i64 {
        if step.is(&ev::PHONE_CALL_PARTNER) {
            // A call to Sears takes the customer's hold.
            return scene.rng.i64(60..=150);
        }
        if !step.is(&ev::CHAT_CONNECTED) {
            return 0;
        }
        // A representative connects about when the wait message said, else within moments.
        let minutes: i64 = scene
            .memo
            .text(CHAT_WAIT)
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        if minutes > 0 {
            let seconds = minutes * 60;
            scene.rng.i64(seconds * 7 / 10..=seconds * 11 / 10)
        } else {
            scene.rng.i64(5..=20)
        }
    }

    fn before(&self, step: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        if step.is(&ev::REFUND_CALCULATOR)
            && scene.facts.amount_or_none(&ev::REFUND_CALCULATOR).is_none()
        {
            return vec![say(Speaker::Agent, scene.pick(speech::LOOK_UP, 2))];
        }
        if step.is(&ev::PHONE_CALL_PARTNER) {
            return vec![
                say(Speaker::Agent, scene.pick(speech::HOLD_FOR_PHONE, 3)),
                say(Speaker::Customer, scene.pick(speech::HOLDING, 4)),
            ];
        }
        if !step.is(&ev::CHAT_OPENED) {
            return Vec::new();
        }
        match step.value.as_value().choice() {
            // A record-verification chat follows the customer's report of a wrong address,
            // and the right one.
            Some(1) => vec![
                Beat::Event {
                    step: OwnedStep::new(&ev::RECORD_MISMATCH, OwnedValue::Choice(1)),
                    text: scene.pick(speech::WRONG_ADDRESS, 5).to_owned(),
                    spoken: true,
                },
                say(Speaker::Agent, scene.pick(speech::ASK_ADDRESS, 6)),
                say(
                    Speaker::Customer,
                    fill(scene.pick(speech::GIVE_ADDRESS, 7), scene),
                ),
                say(Speaker::Agent, scene.pick(speech::UPDATE_ADDRESS, 8)),
            ],
            Some(2) => vec![say(Speaker::Agent, scene.pick(speech::RELAY, 9))],
            _ if shown(scene.facts).is_some() => {
                vec![say(Speaker::Agent, scene.pick(speech::DOUBLE_CHECK, 10))]
            }
            _ => vec![say(Speaker::Agent, scene.pick(speech::VERIFY_IN_CHAT, 11))],
        }
    }

    fn narrate(&self, step: &OwnedStep, scene: &Scene<'_>) -> Narration {
        let value = step.value.as_value();
        let amount = || value.amount().or(value.amount_or_none().flatten());
        if step.is(&ev::QUOTE_AMOUNT) {
            let quoted = amount().unwrap_or(Cents(0)).to_string();
            let phrasings = if shown(scene.facts).is_some() {
                speech::QUOTE_SHOWN
            } else {
                speech::QUOTE_CONFIRMED
            };
            Narration::said(scene.pick(phrasings, 12).replace("{amount}", &quoted))
        } else if step.is(&ev::BUILD_VALUE) {
            Narration::said(scene.pick(speech::BUILD_VALUE, 13))
        } else if step.is(&ev::ADVISE_DISPUTE_LETTER) {
            Narration::said(scene.pick(speech::DISPUTE_LETTER, 14))
        } else if step.is(&PROMISE_FOLLOWUP) {
            Narration::said(scene.pick(speech::FOLLOW_UP, 15))
        } else if step.is(&ev::PHONE_CALL_PARTNER) {
            Narration::done("(phones Sears about the paid call fee)")
        } else if step.is(&ev::CHAT_OPENED) {
            Narration::done("(opens Sears Chat)")
        } else if step.is(&ev::WARRANTY_PROMPT) {
            let answer = if value.choice() == Some(0) {
                "Yes"
            } else {
                "No"
            };
            Narration::done(format!(
                "(selects \"{answer}\" at \"Does your product have a warranty?\")"
            ))
        } else if step.is(&ev::CHAT_FORM) {
            let form = value
                .text()
                .and_then(|t| ChatForm::parse(t).ok())
                .unwrap_or_default();
            Narration::done(format!(
                "(fills in the chat form: Enterprise ID {}; Your Name {}; Member Name {}; Customer ID {}; Reason {}; clicks Start Chat)",
                form.enterprise_id.unwrap_or("-"),
                form.agent_name.unwrap_or("-"),
                form.member_name.unwrap_or("-"),
                form.customer_id.unwrap_or("-"),
                form.reason.unwrap_or("-")
            ))
        } else if step.is(&ev::CHAT_MESSAGE) {
            Narration::done("(types in Comments)")
        } else if step.is(&ev::PAID_AMOUNT_OBTAINED) {
            Narration::done("(enters the amount Sears confirmed in the cancellation)")
        } else if step.is(&ev::CHAT_ENDED) {
            Narration::done("(clicks End Chat)")
        } else if step.is(&ev::CHAT_TRANSCRIPT) {
            Narration::done("(emails the chat transcript)")
        } else if step.is(&ev::SERVICE_CALL_REPORTED) {
            Narration::said(scene.pick(speech::SERVICE_CALL, 16))
        } else if step.is(&ev::AMOUNT_DISPUTED) {
            let shown = shown(scene.facts).unwrap_or(Cents(0)).to_string();
            Narration::said(scene.pick(speech::DISPUTE, 17).replace("{amount}", &shown))
        } else if step.is(&ev::RECORD_MISMATCH) {
            Narration::said(scene.pick(speech::WRONG_ADDRESS, 5))
        } else if step.is(&ev::REFUND_CALCULATOR) {
            Narration::done(match amount() {
                Some(amount) => format!("[refund calculator] paid service call deducted: {amount}"),
                None => "[refund calculator] no paid service call listed".to_owned(),
            })
        } else if step.is(&ev::CHAT_WAITING) {
            Narration::done(format!(
                "[chat] Please wait for a Sears Customer Service representative to respond. This chat may be monitored or recorded for quality assurance purposes. Your average wait time is about {} minutes.",
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
                Speaker::Customer | Speaker::Agent => Narration::done(format!("({name})")),
            }
        }
    }

    fn respond(&self, step: &OwnedStep, scene: &Scene<'_>) -> Vec<Beat> {
        let upcoming = |def| scene.upcoming.is_some_and(|e| e.is(def));
        if step.is(&PROMISE_FOLLOWUP) {
            return vec![say(Speaker::Customer, scene.pick(speech::FOLLOW_UP_OK, 20))];
        }
        if step.is(&ev::PHONE_CALL_PARTNER) {
            return vec![say(Speaker::Agent, speech::BACK_FROM_HOLD)];
        }
        if step.is(&ev::REFUND_CALCULATOR) && shown(scene.facts).is_none() {
            let mut beats = vec![say(Speaker::Agent, scene.pick(speech::NOTHING_LISTED, 21))];
            if !upcoming(&ev::SERVICE_CALL_REPORTED) {
                beats.push(say(Speaker::Customer, scene.pick(speech::OKAY, 22)));
            }
            return beats;
        }
        if step.is(&ev::QUOTE_AMOUNT) {
            return if upcoming(&ev::AMOUNT_DISPUTED) {
                Vec::new()
            } else {
                vec![say(
                    Speaker::Customer,
                    scene.pick(speech::QUOTE_ACCEPTED, 23),
                )]
            };
        }
        if step.is(&ev::ADVISE_DISPUTE_LETTER) {
            return vec![say(Speaker::Customer, scene.pick(speech::LETTER_NOTED, 24))];
        }
        if step.is(&ev::CHAT_WAITING) {
            return vec![
                say(Speaker::Agent, fill(scene.pick(speech::WAITING, 25), scene)),
                say(Speaker::Customer, scene.pick(speech::HOLDING, 26)),
            ];
        }
        if step.is(&ev::CHAT_ENDED) {
            let done = match purpose(scene) {
                ChatPurpose::RecordVerification => speech::ADDRESS_UPDATED,
                ChatPurpose::RelayCancellation => speech::RELAYED,
                ChatPurpose::PaidCall => return Vec::new(),
            };
            return vec![
                say(Speaker::Agent, scene.pick(done, 27)),
                say(Speaker::Customer, scene.pick(speech::THANKS, 28)),
            ];
        }
        if !step.is(&ev::CHAT_CONNECTED) {
            return Vec::new();
        }
        // The exchange in the chat window once a representative connects.
        let props = scene.cast.props;
        let representative = props.text("representative").unwrap_or("Dee");
        let member = format!(
            "Member {}, customer ID {}",
            scene.cast.customer, scene.cast.phone
        );
        let (message, reply) = match purpose(scene) {
            ChatPurpose::PaidCall => (
                match shown(scene.facts) {
                    Some(fee) => format!("(types in Comments: \"{member}, is cancelling and questions the paid call fee of {fee}. What was the total amount paid?\")"),
                    None => format!("(types in Comments: \"{member}, is cancelling and reports a recent paid service call that is not listed. What was the total amount paid for it?\")"),
                },
                format!(
                    "[chat] {representative}: The total amount paid for that visit was {}.",
                    props.amount("paid_amount").unwrap_or(Cents(0))
                ),
            ),
            ChatPurpose::RecordVerification => {
                let address = props.text("address").unwrap_or_default();
                (
                    format!("(types in Comments: \"{member}: the address on record is wrong. The correct address is {address}. Please verify and update it.\")"),
                    format!("[chat] {representative}: Thank you, I have verified and updated the member's address to {address}."),
                )
            }
            ChatPurpose::RelayCancellation => (
                format!("(types in Comments: \"{member}, is cancelling their Sears Home Warranty today.\")"),
                format!("[chat] {representative}: Thank you, I have noted the cancellation on the member's account."),
            ),
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

    fn rule(&self, state: &str, params: &(dyn std::any::Any + Send + Sync)) -> Option<String> {
        let params = params
            .downcast_ref::<PcParams>()
            .unwrap_or_else(|| PcParams::fallback());
        speech::rule(state, params)
    }

    fn open_at(
        &self,
        at: chrono::DateTime<chrono::FixedOffset>,
        config: &crate::Config,
        params: &(dyn std::any::Any + Send + Sync),
    ) -> Option<bool> {
        let params = params
            .downcast_ref::<PcParams>()
            .unwrap_or_else(|| PcParams::fallback());
        Some(params.open_at(at, config.business_tz))
    }

    fn faults(&self) -> &'static [FaultDef] {
        FAULTS
    }
}

/// Whether the calculator shows an amount.
fn amount_shown(facts: &Facts) -> bool {
    shown(facts).is_some()
}

/// The states a cancellation rests in outside a chat.
const RESTING: &[&str] = &[
    "amount_shown",
    "amount_disputed",
    "no_amount",
    "verify_in_chat",
    "follow_up_later",
];

/// Whether a path opens a chat that may be opened without a service call to verify (a
/// record verification, a relayed cancellation).
fn has_errand_chat(tokens: &[String]) -> bool {
    tokens
        .iter()
        .any(|t| t == "chat_record_verification" || t == "chat_relay_cancellation")
}

/// The rule of contacting Sears while the calculator shows an amount.
const NO_CONTACT: &str = "With an amount in the refund calculator, communicate that amount and do not contact Sears about it, even when the customer disputes it; chat is the only way to contact Sears at all, never the phone.";

/// The faults of paid-call verification.
pub static FAULTS: &[FaultDef] = &[
    FaultDef {
        id: "phone_partner",
        describe: "phoned Sears about the paid call",
        rule: Rule::Words(NO_CONTACT),
        fix: Fix::Words("Quote the amount the refund calculator shows (with nothing shown and a recent service call reported, verify it through Sears Chat within chat hours); never phone Sears."),
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
        pairs: &["quotes_partner_amount"],
        fits: any_path,
    },
    FaultDef {
        id: "prompt_yes",
        describe: "selected Yes on the warranty prompt",
        rule: Rule::Words("At \"Does your product have a warranty?\" select No."),
        fix: Fix::Unaltered,
        codes: |_| vec![Code::PC05],
        injection: Injection::Alter {
            event: &ev::WARRANTY_PROMPT,
            alter: |_, _| OwnedValue::Choice(0),
        },
        pairs: &[],
        fits: any_path,
    },
    FaultDef {
        id: "dashed_customer_id",
        describe: "entered the customer id with dashes",
        rule: Rule::Words("The chat form's Customer ID is the customer's phone number as numbers only: 10 digits, no dashes or special characters."),
        fix: Fix::Unaltered,
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
        pairs: &["chat_after_hours"],
        fits: any_path,
    },
    FaultDef {
        id: "wrong_form_reason",
        describe: "chose the wrong reason on the chat form",
        rule: Rule::Words("The chat form's reason for the contact is \"Cancellations/Paid Call Fee\"."),
        fix: Fix::Unaltered,
        codes: |_| vec![Code::PC06],
        injection: Injection::Alter {
            event: &ev::CHAT_FORM,
            alter: |value, _| {
                let text = match value {
                    OwnedValue::Text(text) => text.to_string(),
                    _ => String::new(),
                };
                let wrong = text.replace(
                    &format!("reason={CHAT_FORM_REASON}"),
                    "reason=General Inquiry",
                );
                OwnedValue::Text(wrong.into())
            },
        },
        pairs: &["chat_after_hours"],
        fits: any_path,
    },
    FaultDef {
        id: "wrong_quote",
        describe: "quoted ten dollars more than the amount to quote",
        rule: Rule::Words("Quote exactly the amount to quote: the refund calculator's when it shows one, else the total paid that Sears confirmed in chat."),
        fix: Fix::Unaltered,
        codes: |_| vec![Code::PC07],
        injection: Injection::Alter {
            event: &ev::QUOTE_AMOUNT,
            alter: |value, _| match value {
                OwnedValue::Amount(amount) => OwnedValue::Amount(Cents(amount.0 + 1000)),
                other => other.clone(),
            },
        },
        pairs: &[],
        fits: any_path,
    },
    FaultDef {
        id: "quotes_partner_amount",
        describe: "quoted what Sears says was paid instead of the calculator's amount",
        rule: Rule::Words("An amount shown in the refund calculator is what the customer is told, whatever Sears' records say."),
        fix: Fix::Unaltered,
        codes: |_| vec![Code::PC07],
        injection: Injection::Alter {
            event: &ev::QUOTE_AMOUNT,
            alter: |value, cast| match cast.props.amount("paid_amount") {
                Some(paid) => OwnedValue::Amount(paid),
                None => value.clone(),
            },
        },
        pairs: &["chat_while_amount_shown", "phone_partner"],
        fits: |tokens| tokens.iter().any(|t| t == "amount_shown"),
    },
    FaultDef {
        id: "chat_while_amount_shown",
        describe: "asked Sears in chat about an amount the calculator shows",
        rule: Rule::Words(NO_CONTACT),
        fix: Fix::Words("Quote the calculator's amount as it is, without contacting Sears; on a dispute, build value and point to the payment-due letter."),
        codes: |_| vec![Code::PC01],
        injection: Injection::Steps {
            states: &["amount_shown", "amount_disputed"],
            steps: |_, cast| {
                let props = cast.props;
                let representative = props.text("representative").unwrap_or("Dee");
                let paid = props.amount("paid_amount").unwrap_or(Cents(0));
                let steps: Vec<Scripted> = vec![
                    (OwnedStep::new(&ev::CHAT_OPENED, OwnedValue::Choice(0)), None),
                    (OwnedStep::new(&ev::WARRANTY_PROMPT, OwnedValue::Choice(1)), None),
                    (form(cast, CHAT_FORM_REASON), None),
                    (
                        OwnedStep::new(&ev::CHAT_CONNECTED, OwnedValue::Text(representative.into())),
                        None,
                    ),
                    (OwnedStep::new(&ev::PAID_AMOUNT_OBTAINED, OwnedValue::Amount(paid)), None),
                    (OwnedStep::plain(&ev::CHAT_ENDED), None),
                ];
                steps
            },
            skip: &[],
        },
        pairs: &["quotes_partner_amount"],
        fits: any_path,
    },
    FaultDef {
        id: "chat_after_hours",
        describe: "opened Sears Chat outside chat hours",
        rule: Rule::Words("Sears Chat is for Monday to Friday, 09:00 to 18:00 New York time: outside those hours, do not open it."),
        fix: Fix::Words("Do not open the chat now: tell the customer it will be taken care of when Sears Chat is open (Monday to Friday, 09:00 to 18:00) and follow up then."),
        codes: |_| vec![Code::PC04],
        injection: Injection::Clock {
            label: "outside chat hours",
        },
        pairs: &["dashed_customer_id", "wrong_form_reason"],
        fits: has_errand_chat,
    },
    FaultDef {
        id: "no_calculator",
        describe: "closed the cancellation without consulting the refund calculator",
        rule: Rule::Words("Consult the refund calculator before closing a cancellation: the amount it shows is what the customer is told."),
        fix: Fix::Next,
        codes: |_| vec![Code::PC12],
        injection: Injection::Skip {
            event: &ev::REFUND_CALCULATOR,
        },
        pairs: &[],
        fits: |tokens| matches!(tokens, [only] if only == "amount_shown" || only == "no_amount"),
    },
    FaultDef {
        id: "chat_left_open",
        describe: "never ended the partner chat",
        rule: Rule::Words("When the chat session is complete, click End Chat."),
        fix: Fix::Words("(clicks End Chat)"),
        codes: |_| vec![Code::PC10],
        injection: Injection::Skip {
            event: &ev::CHAT_ENDED,
        },
        pairs: &[],
        fits: any_path,
    },
];
