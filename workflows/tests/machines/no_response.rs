//! Shopping dollars 2c: "Customer has not received a response from Optimus", the escalation.

use callflow_workflows::{Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// A no-response call: greeting (3), name (4), inquiry (5), the agent's `steps` (from 6), then
/// goodbye and end.
fn no_response_call(steps: &[Row]) -> callflow_workflows::Call {
    let mut rows = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:20", ev("customer_identified", "Pat Lee")),
        ("14:05:31", inquiry("reward_partner_no_response")),
    ];
    rows.extend_from_slice(steps);
    rows.push(("14:07:45", Event::Goodbye));
    rows.push(("14:07:47", ended()));
    run(START, &rows)
}

#[test]
fn the_seed_dialogue_is_clean_with_the_product_team_email_after_the_goodbye() {
    let mut call = live(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", ev("customer_identified", "Pat Lee")),
            ("14:05:31", inquiry("reward_partner_no_response")),
            ("14:05:40", step("apologize")),
            ("14:05:45", step("ask_contact_time")),
            ("14:05:50", ev("contact_time", "outside_business_hours")),
            ("14:05:55", step("ask_ticket")),
            ("14:06:00", ev("ticket", "HSP-48213")),
        ],
    );
    assert_eq!(call.inquiries()[0].state_name(), "reached_out_after_hours");
    say(
        &mut call,
        "14:06:10",
        step("promise_followup"),
        "Thank you for the additional detail. What I'm going to do is contact Home Service Perks \
         to make sure that your online support ticket is answered within 24 hours. If you don't \
         get a response via email by this time tomorrow, please don't hesitate to call me back \
         so I can escalate this further.",
    );
    feed(
        &mut call,
        &[
            ("14:06:20", ev("partner_contacted", "home_service_perks")),
            ("14:06:40", Event::AnythingElse),
            ("14:07:45", Event::Goodbye),
            ("14:07:50", ev("email_sent", "product_team")),
            ("14:07:55", ended()),
        ],
    );
    assert_codes(&call, &[]);
    assert_absent(
        &call,
        &[
            "SD05", "SD06", "SD07", "SD08", "SD09", "SD11", "SD13", "CF02", "CF03", "CF06",
        ],
    );
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn information_the_customer_volunteers_counts_as_learned() {
    let call = no_response_call(&[
        ("14:05:40", step("apologize")),
        // No ask_contact_time, no ask_ticket: the customer told both.
        ("14:05:50", ev("contact_time", "business_hours")),
        ("14:06:00", ev("ticket", "HSP-1")),
        ("14:06:10", step("promise_followup")),
        ("14:06:20", ev("partner_contacted", "")),
        ("14:06:30", ev("email_sent", "product_team")),
        ("14:06:40", Event::AnythingElse),
    ]);
    assert_codes(&call, &[]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn sd05_to_sd09_sd11_cf03_a_no_response_with_nothing_done() {
    let call = no_response_call(&[]);
    assert_codes(
        &call,
        &["CF03", "SD05", "SD06", "SD07", "SD08", "SD09", "SD11"],
    );
    for code in [Code::SD05, Code::SD06, Code::SD07, Code::SD08, Code::SD09] {
        assert_eq!(evidence_lines(&call, code), vec![7], "{code}");
    }
    assert!(evidence(&call, Code::SD05)[0]
        .expected
        .ends_with("(email_sent product_team)"));
    // 4 majors and 3 minors.
    assert_eq!(outcome(&call), (25, Verdict::Fail));
}

#[test]
fn each_no_response_omission_on_its_own() {
    let all: Vec<Row> = vec![
        ("14:05:40", step("apologize")),
        ("14:05:45", step("ask_contact_time")),
        ("14:05:55", step("ask_ticket")),
        ("14:06:10", step("promise_followup")),
        ("14:06:20", ev("partner_contacted", "home_service_perks")),
        ("14:06:30", ev("email_sent", "product_team")),
        ("14:06:40", Event::AnythingElse),
    ];
    for (skip, code, score) in [
        (0, "SD11", 95),
        (1, "SD07", 95),
        (2, "SD06", 85),
        (3, "SD08", 85),
        (4, "SD09", 85),
        (5, "SD05", 85),
        (6, "CF03", 95),
    ] {
        let mut steps = all.clone();
        steps.remove(skip);
        let call = no_response_call(&steps);
        assert_codes(&call, &[code]);
        assert_eq!(outcome(&call), (score, Verdict::Pass), "{code}");
    }
}

#[test]
fn sd13_rewards_team_steps_in_a_no_response_inquiry() {
    let call = no_response_call(&[
        ("14:05:40", step("apologize")),
        ("14:05:45", step("ask_contact_time")),
        ("14:05:55", step("ask_ticket")),
        ("14:06:00", ev("collect", "phone")),
        ("14:06:10", step("promise_followup")),
        ("14:06:20", ev("partner_contacted", "home_service_perks")),
        ("14:06:25", ev("email_sent", "rewards_team")),
        ("14:06:30", ev("email_sent", "product_team")),
        ("14:06:40", Event::AnythingElse),
    ]);
    assert_codes(&call, &["SD13"]);
    assert_eq!(evidence_lines(&call, Code::SD13), vec![9, 12]);
}

#[test]
fn cf02_an_off_script_follow_up_promise() {
    let mut call = live(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_partner_no_response")),
            ("14:05:40", step("apologize")),
            ("14:05:45", step("ask_contact_time")),
            ("14:05:55", step("ask_ticket")),
        ],
    );
    say(
        &mut call,
        "14:06:10",
        step("promise_followup"),
        "I'll look into it.",
    );
    feed(
        &mut call,
        &[
            ("14:06:20", ev("partner_contacted", "home_service_perks")),
            ("14:06:30", ev("email_sent", "product_team")),
            ("14:06:40", Event::AnythingElse),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    // Said, so promised (no SD08), but off script.
    assert_codes(&call, &["CF02"]);
    assert_eq!(evidence_lines(&call, Code::CF02), vec![8]);
}
