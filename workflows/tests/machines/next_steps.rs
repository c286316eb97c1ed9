//! `Call::next_steps`: what the agent should do next, with the script line to say and the
//! finding its absence would raise.

use callflow_workflows::{Call, CallStart, Code, Event, Stamp};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// One next step: the event, its value, the finding its absence raises, the line to say.
type Summary = (
    callflow_workflows::EventName,
    Option<String>,
    Option<Code>,
    Option<String>,
);

/// Each next step as (event, value, code, line).
fn summary(call: &Call) -> Vec<Summary> {
    call.next_steps()
        .into_iter()
        .map(|s| {
            (
                s.requirement.step,
                s.requirement.value.as_deref().map(str::to_owned),
                s.requirement.code,
                s.line,
            )
        })
        .collect()
}

fn line(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[test]
fn the_greeting_comes_first_with_its_placeholders_filled() {
    let mut call = start(START);
    assert_eq!(
        summary(&call),
        vec![(
            name("greeting"),
            None,
            Some(Code::CF01),
            line("Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?")
        )]
    );
    feed(&mut call, &[("14:05:13", Event::Greeting)]);
    assert_eq!(summary(&call), vec![]);

    // An unknown agent name stays a placeholder.
    let anonymous = Call::start(
        &engine(),
        CallStart {
            call_id: "C-2",
            agent_id: AGENT_ID,
            department: "Membership Services",
            agent_name: None,
            stamp: Stamp {
                line: 2,
                at: ts(START),
            },
        },
    )
    .unwrap();
    assert_eq!(
        anonymous.next_steps()[0].line.as_deref(),
        Some("Thank you for calling Membership Services. My name is <Agent Name>, how may I assist you today?")
    );
}

#[test]
fn overdue_lists_the_apology_the_three_collects_and_the_rewards_team_email_until_done() {
    let confirm = line(
        "Please confirm the following details so we can quickly get your shopping dollars out \
         to you: Customer First/Last Name, email address, phone number.",
    );
    let collect = |detail: &str| {
        (
            name("collect"),
            Some(detail.to_owned()),
            Some(Code::SD04),
            confirm.clone(),
        )
    };
    let email = (
        name("email_sent"),
        Some("rewards_team".to_owned()),
        Some(Code::SD05),
        None,
    );
    let goodbye = (
        name("goodbye"),
        None,
        Some(Code::CF04),
        line("OK, thank you and have a great day. Goodbye."),
    );
    let mut call = live(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", ev("customer_identified", "Pat Lee")),
            ("14:05:31", inquiry("reward_email_missing")),
        ],
    );
    // Before the facts: look them up (no finding of its own).
    assert_eq!(
        summary(&call),
        vec![(name("warranty_started"), None, None, None)]
    );
    feed(
        &mut call,
        &[
            ("14:05:50", ev("warranty_started", "2026-01-20")),
            ("14:05:51", ev("first_payment", "2026-01-20")),
        ],
    );
    assert_eq!(call.inquiries()[0].state_name(), "overdue");
    // During the conversation: the apology and the three details. The rewards-team email is
    // after-call work: it is listed once the goodbye is said.
    assert_eq!(
        summary(&call),
        vec![
            (
                name("apologize"),
                None,
                Some(Code::SD11),
                line("We do apologize for the delay.")
            ),
            collect("name"),
            collect("email"),
            collect("phone"),
        ]
    );
    feed(
        &mut call,
        &[
            ("14:06:10", step("apologize")),
            ("14:06:12", ev("collect", "name")),
            ("14:06:14", ev("collect", "phone")),
        ],
    );
    assert_eq!(summary(&call), vec![collect("email")]);
    feed(&mut call, &[("14:06:16", ev("collect", "email_declined"))]);
    assert_eq!(summary(&call), vec![goodbye.clone()]);
    feed(&mut call, &[("14:06:40", Event::AnythingElse)]);
    assert_eq!(summary(&call), vec![goodbye]);
    feed(&mut call, &[("14:07:45", Event::Goodbye)]);
    assert_eq!(summary(&call), vec![email]);
    feed(&mut call, &[("14:07:50", ev("email_sent", "rewards_team"))]);
    assert_eq!(summary(&call), vec![]);
    feed(&mut call, &[("14:07:55", ended())]);
    assert_eq!(summary(&call), vec![]);
    assert_codes(&call, &[]);
}

#[test]
fn an_email_sent_during_the_conversation_counts_too() {
    let mut call = live(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-01-20")),
            ("14:05:51", ev("first_payment", "2026-01-20")),
            ("14:06:10", step("apologize")),
            ("14:06:12", ev("collect", "name")),
            ("14:06:14", ev("collect", "email")),
            ("14:06:16", ev("collect", "phone")),
            ("14:06:30", ev("email_sent", "rewards_team")),
            ("14:07:45", Event::Goodbye),
        ],
    );
    assert_eq!(summary(&call), vec![]);
    feed(&mut call, &[("14:07:55", ended())]);
    assert_codes(&call, &[]);
}

#[test]
fn no_response_steps_carry_the_customer_name() {
    let mut call = live(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", ev("customer_identified", "Pat Lee")),
            ("14:05:31", inquiry("reward_partner_no_response")),
        ],
    );
    let steps = summary(&call);
    assert_eq!(
        steps
            .iter()
            .map(|(step, _, code, _)| (*step, *code))
            .collect::<Vec<_>>(),
        vec![
            (name("apologize"), Some(Code::SD11)),
            (name("ask_contact_time"), Some(Code::SD07)),
            (name("ask_ticket"), Some(Code::SD06)),
            (name("promise_followup"), Some(Code::SD08)),
        ]
    );
    assert_eq!(
        steps[0].3,
        line("Sorry, Pat Lee. I apologize for the inconvenience.")
    );
    feed(
        &mut call,
        &[
            ("14:05:40", step("apologize")),
            ("14:05:50", ev("contact_time", "outside_business_hours")),
            ("14:06:00", ev("ticket", "HSP-1")),
            ("14:06:10", step("promise_followup")),
        ],
    );
    // "Anything else" is required after this inquiry, with the customer's name.
    assert_eq!(
        summary(&call),
        vec![(
            name("anything_else"),
            None,
            Some(Code::CF03),
            line("Is there anything else I can assist you with today Pat Lee?")
        )]
    );
    feed(&mut call, &[("14:06:40", Event::AnythingElse)]);
    assert_eq!(
        summary(&call)
            .iter()
            .map(|(step, _, _, _)| *step)
            .collect::<Vec<_>>(),
        vec![name("goodbye")]
    );
    feed(&mut call, &[("14:07:45", Event::Goodbye)]);
    // After the goodbye: the after-call work, contacting the partner and the email.
    assert_eq!(
        summary(&call)
            .iter()
            .map(|(step, value, code, _)| (*step, value.clone(), *code))
            .collect::<Vec<_>>(),
        vec![
            (name("partner_contacted"), None, Some(Code::SD09)),
            (
                name("email_sent"),
                Some("product_team".to_owned()),
                Some(Code::SD05)
            ),
        ]
    );
    feed(
        &mut call,
        &[
            ("14:07:48", ev("partner_contacted", "home_service_perks")),
            ("14:07:50", ev("email_sent", "product_team")),
        ],
    );
    assert_eq!(summary(&call), vec![]);
    feed(&mut call, &[("14:07:55", ended())]);
    assert_codes(&call, &[]);
}

#[test]
fn review_period_answers_and_the_paid_call_path_by_the_clock() {
    let within = live(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-02-10")),
        ],
    );
    let steps = summary(&within);
    assert_eq!(steps.len(), 1);
    assert_eq!(
        (steps[0].0, steps[0].2),
        (name("explain_review_period"), Some(Code::SD02))
    );
    assert!(steps[0]
        .3
        .as_deref()
        .unwrap()
        .starts_with("Your shopping dollars are made available once"));

    let paid_call = |start_at: &str| {
        let mut call = start(start_at);
        feed(
            &mut call,
            &[
                ("14:05:13", Event::Greeting),
                ("14:05:31", inquiry("warranty_cancellation")),
                ("14:05:40", ev("refund_calculator", "none")),
                ("14:05:50", step("service_call_reported")),
            ],
        );
        summary(&call)
            .into_iter()
            .map(|(step, value, code, _)| (step, value, code))
            .collect::<Vec<_>>()
    };
    // Monday 14:05 New York: chat; Saturday: promise a follow-up instead.
    assert_eq!(
        paid_call(START),
        vec![(
            name("chat_opened"),
            Some("paid_call".to_owned()),
            Some(Code::PC11)
        )]
    );
    assert_eq!(
        paid_call("2026-03-07T14:05:11-05:00"),
        vec![(name("promise_followup"), None, Some(Code::PC11))]
    );
}
