//! Shopping dollars 2b: "Customer experiencing issues with the reward site".

use callflow_workflows::{Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// A site-issue call: greeting (3), name (4), inquiry (5), the agent's `steps` (from 6),
/// then goodbye and end.
fn site_call(steps: &[Row]) -> callflow_workflows::Call {
    let mut rows = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:20", ev("customer_identified", "Pat Lee")),
        ("14:05:31", inquiry("reward_site_issue")),
    ];
    rows.extend_from_slice(steps);
    rows.push(("14:07:45", Event::Goodbye));
    rows.push(("14:07:47", ended()));
    run(START, &rows)
}

#[test]
fn a_site_issue_handled_by_the_script_is_clean() {
    let mut call = start(START);
    feed(
        &mut call,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", ev("customer_identified", "Pat Lee")),
            ("14:05:31", inquiry("reward_site_issue")),
        ],
    );
    assert_eq!(call.inquiries()[0].state_name(), "site_issue");
    say(
        &mut call,
        "14:05:40",
        step("apologize"),
        "Sorry, Pat Lee. I apologize for the inconvenience.",
    );
    say(
        &mut call,
        "14:05:50",
        step("explain_partner_support"),
        "To help get this resolved quickly, we have partnered with Home Service Perks to handle \
         all customer service that is needed for your shopping dollars. Since this is an online \
         reward program, you'll just need to follow a few simple steps to make sure everything \
         is working as it should.",
    );
    say(
        &mut call,
        "14:06:40",
        Event::AnythingElse,
        "Is there anything else I can assist you with today Pat Lee?",
    );
    feed(
        &mut call,
        &[("14:07:45", Event::Goodbye), ("14:07:47", ended())],
    );
    assert_codes(&call, &[]);
    assert_absent(&call, &["SD10", "SD11", "SD13", "CF02", "CF03"]);
    assert_eq!(branch(&call, 0), None);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn sd10_sd11_cf03_a_site_issue_with_nothing_done() {
    let call = site_call(&[]);
    assert_codes(&call, &["CF03", "SD10", "SD11"]);
    assert_eq!(evidence_lines(&call, Code::SD10), vec![7]);
    assert_eq!(outcome(&call), (75, Verdict::Fail));
}

#[test]
fn sd10_alone_when_partner_support_is_not_explained() {
    let call = site_call(&[
        ("14:05:40", step("apologize")),
        ("14:06:40", Event::AnythingElse),
    ]);
    assert_codes(&call, &["SD10"]);
    assert_eq!(outcome(&call), (85, Verdict::Pass));
}

#[test]
fn sd13_escalation_steps_in_a_site_issue_and_cf02_for_an_off_script_apology() {
    let mut call = start(START);
    feed(
        &mut call,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_site_issue")),
        ],
    );
    say(&mut call, "14:05:40", step("apologize"), "My bad.");
    feed(
        &mut call,
        &[
            ("14:05:50", step("explain_partner_support")),
            ("14:06:00", ev("collect", "email")),
            ("14:06:10", ev("email_sent", "rewards_team")),
            ("14:06:40", Event::AnythingElse),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_codes(&call, &["CF02", "SD13"]);
    assert_eq!(evidence_lines(&call, Code::CF02), vec![5]);
    assert_eq!(evidence_lines(&call, Code::SD13), vec![7, 8]);
    assert_eq!(outcome(&call), (90, Verdict::Pass));
}
