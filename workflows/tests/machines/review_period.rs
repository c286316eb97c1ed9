//! Shopping dollars 2a: "Customer has not received the email", the review-period check.
//! Every call here starts on 2026-03-02 (New York) unless it says otherwise, so:
//! warranty 2026-02-01 is d = 29, 2026-01-31 is d = 30, 2026-01-25 is d = 36, 2026-01-24 is d = 37.

use callflow_workflows::{Call, Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// What the agent must do in each branch, done right.
fn right_steps(branch: &str) -> Vec<Row> {
    match branch {
        "within_review" | "awaiting_first_payment" => {
            vec![("14:06:20", step("explain_review_period"))]
        }
        "recently_eligible" => vec![("14:06:20", step("expect_email_soon"))],
        "overdue" => vec![
            ("14:06:10", step("apologize")),
            ("14:06:12", ev("collect", "name")),
            ("14:06:14", ev("collect", "email")),
            ("14:06:16", ev("collect", "phone")),
            ("14:06:30", ev("email_sent", "rewards_team")),
        ],
        other => panic!("no branch {other}"),
    }
}

/// A review-period call: greeting (line 3), inquiry (4), the facts (5, 6), the agent's `steps`
/// (from line 7), goodbye, end.
fn review_call(warranty: &'static str, first_payment: &'static str, steps: &[Row]) -> Call {
    let mut rows = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("reward_email_missing")),
        ("14:05:50", ev("warranty_started", warranty)),
        ("14:05:51", ev("first_payment", first_payment)),
    ];
    rows.extend_from_slice(steps);
    rows.push(("14:07:45", Event::Goodbye));
    rows.push(("14:07:47", ended()));
    run(START, &rows)
}

#[test]
fn days_29_30_36_37_from_the_warranty_start() {
    for (warranty, d, expected) in [
        ("2026-02-01", 29, "within_review"),
        ("2026-01-31", 30, "recently_eligible"),
        ("2026-01-25", 36, "recently_eligible"),
        ("2026-01-24", 37, "overdue"),
    ] {
        assert_eq!((date("2026-03-02") - date(warranty)).num_days(), d);
        // Paid the day the warranty started: only the day count decides.
        let call = review_call(warranty, warranty, &right_steps(expected));
        assert_eq!(branch(&call, 0), Some(expected), "d = {d}");
        assert_codes(&call, &[]);
        assert_eq!(outcome(&call), (100, Verdict::Pass), "d = {d}");
    }
}

#[test]
fn the_first_payment_on_or_before_the_call_date_counts_after_it_does_not() {
    for (paid, expected) in [
        ("2026-03-02", "recently_eligible"),      // on the call date
        ("2026-02-15", "recently_eligible"),      // before it
        ("2026-03-03", "awaiting_first_payment"), // after it: not paid yet
        ("none", "awaiting_first_payment"),
    ] {
        let call = review_call("2026-01-31", paid, &right_steps(expected));
        assert_eq!(branch(&call, 0), Some(expected), "first payment {paid}");
        if expected == "awaiting_first_payment" {
            // The gap in the seed is reported, and costs nothing.
            assert_codes(&call, &["SD12"]);
            assert_eq!(evidence_lines(&call, Code::SD12), vec![6]);
        } else {
            assert_codes(&call, &[]);
        }
        assert_eq!(outcome(&call), (100, Verdict::Pass), "first payment {paid}");
    }
}

#[test]
fn an_unpaid_customer_past_day_37_is_awaiting_payment_not_overdue() {
    let call = review_call(
        "2026-01-01",
        "2026-03-05",
        &right_steps("awaiting_first_payment"),
    );
    assert_eq!(branch(&call, 0), Some("awaiting_first_payment"));
    assert_codes(&call, &["SD12"]);
    assert_absent(&call, &["SD04", "SD05", "SD11"]);
}

#[test]
fn a_warranty_start_after_the_call_date_is_inside_the_period() {
    let call = review_call("2026-03-10", "none", &right_steps("within_review"));
    assert_eq!(branch(&call, 0), Some("within_review"));
    assert_codes(&call, &[]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn inside_the_period_the_first_payment_is_not_needed() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-02-01")),
            ("14:06:20", step("explain_review_period")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_eq!(branch(&call, 0), Some("within_review"));
    assert_codes(&call, &[]);
}

#[test]
fn the_call_date_is_the_new_york_date_of_call_started() {
    // 23:30 in New York on 2026-03-02 is 04:30 UTC on 2026-03-03. Warranty 2026-02-01:
    // d = 29 by the New York date (within review); the UTC date would make it 30.
    for start_at in ["2026-03-02T23:30:00-05:00", "2026-03-03T04:30:00Z"] {
        let call = run(
            start_at,
            &[
                ("2026-03-03T04:30:05Z", Event::Greeting),
                ("2026-03-03T04:30:20Z", inquiry("reward_email_missing")),
                ("2026-03-03T04:30:30Z", ev("warranty_started", "2026-02-01")),
                ("2026-03-03T04:30:31Z", ev("first_payment", "2026-02-01")),
                ("2026-03-03T04:31:00Z", step("explain_review_period")),
                ("2026-03-03T04:31:30Z", Event::Goodbye),
                ("2026-03-03T04:31:35Z", ended()),
            ],
        );
        assert_eq!(call.frame().call_date(), date("2026-03-02"), "{start_at}");
        assert_eq!(branch(&call, 0), Some("within_review"), "{start_at}");
        assert_codes(&call, &[]);
    }
    // An hour later it is 2026-03-03 in New York too: d = 30.
    let call = run(
        "2026-03-03T00:30:00-05:00",
        &[
            ("00:30:05", Event::Greeting),
            ("00:30:20", inquiry("reward_email_missing")),
            ("00:30:30", ev("warranty_started", "2026-02-01")),
            ("00:30:31", ev("first_payment", "2026-02-01")),
            ("00:31:00", step("expect_email_soon")),
            ("00:31:30", Event::Goodbye),
            ("00:31:35", ended()),
        ],
    );
    assert_eq!(call.frame().call_date(), date("2026-03-03"));
    assert_eq!(branch(&call, 0), Some("recently_eligible"));
    assert_codes(&call, &[]);
    // In summer (EDT, -04:00): 23:30 on 2026-07-01 is 03:30 UTC on 07-02; 2026-06-02 is d = 29.
    let call = run(
        "2026-07-02T03:30:00Z",
        &[
            ("03:30:05", Event::Greeting),
            ("03:30:20", inquiry("reward_email_missing")),
            ("03:30:30", ev("warranty_started", "2026-06-02")),
            ("03:30:31", ev("first_payment", "2026-06-02")),
            ("03:31:00", step("explain_review_period")),
            ("03:31:30", Event::Goodbye),
            ("03:31:35", ended()),
        ],
    );
    assert_eq!(call.frame().call_date(), date("2026-07-01"));
    assert_eq!(branch(&call, 0), Some("within_review"));
    assert_codes(&call, &[]);
}

#[test]
fn facts_logged_before_the_inquiry_serve_it() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", ev("warranty_started", "2026-01-25")),
            ("14:05:21", ev("first_payment", "2026-01-25")),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:06:20", step("expect_email_soon")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_eq!(branch(&call, 0), Some("recently_eligible"));
    assert_codes(&call, &[]);
}

#[test]
fn sd03_an_answer_before_the_facts_that_the_facts_then_confirm() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:40", step("explain_review_period")),
            ("14:05:50", ev("warranty_started", "2026-02-10")),
            ("14:05:51", ev("first_payment", "none")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_eq!(branch(&call, 0), Some("within_review"));
    assert_codes(&call, &["SD03"]);
    assert_eq!(evidence_lines(&call, Code::SD03), vec![5]);
    assert_eq!(
        evidence(&call, Code::SD03)[0].expected,
        "the warranty start date before the answer"
    );
    assert_eq!(outcome(&call), (85, Verdict::Pass));
}

#[test]
fn sd03_past_day_30_the_answer_also_waits_for_the_first_payment() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-01-31")),
            ("14:06:00", step("expect_email_soon")),
            ("14:06:10", ev("first_payment", "2026-02-01")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_eq!(branch(&call, 0), Some("recently_eligible"));
    assert_codes(&call, &["SD03"]);
    assert_eq!(evidence_lines(&call, Code::SD03), vec![6]);
    assert_eq!(
        evidence(&call, Code::SD03)[0].expected,
        "the first payment before the answer (d >= 30)"
    );
}

#[test]
fn sd01_and_sd03_when_late_facts_make_the_answer_false() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:40", step("explain_review_period")), // line 5
            ("14:05:50", ev("warranty_started", "2026-01-20")),
            ("14:05:51", ev("first_payment", "2026-01-20")),
            ("14:06:10", step("apologize")),
            ("14:06:12", ev("collect", "name")),
            ("14:06:14", ev("collect", "email")),
            ("14:06:16", ev("collect", "phone")),
            ("14:06:30", ev("email_sent", "rewards_team")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_eq!(branch(&call, 0), Some("overdue"));
    assert_codes(&call, &["SD01", "SD03"]);
    assert_eq!(evidence_lines(&call, Code::SD01), vec![5]);
    assert_eq!(evidence_lines(&call, Code::SD03), vec![5]);
    assert_eq!(outcome(&call), (0, Verdict::Fail));
}

#[test]
fn sd03_when_the_facts_never_arrive_and_the_branch_stays_unknown() {
    // An answer, and no facts at all: SD03 for the answer and for the missing facts.
    let answered = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:06:20", step("explain_review_period")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_eq!(branch(&answered, 0), None);
    assert_eq!(answered.inquiries()[0].branch(), None);
    // One finding for the inquiry, both instances as evidence; the answer is not judged.
    assert_codes(&answered, &["SD03"]);
    assert_eq!(evidence_lines(&answered, Code::SD03), vec![5, 7]);
    assert_absent(&answered, &["SD01", "SD02"]);
    assert_eq!(outcome(&answered), (85, Verdict::Pass));

    // Past day 30 with the first payment never logged: unknown too.
    let unpaid = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-01-01")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_eq!(branch(&unpaid, 0), None);
    assert_codes(&unpaid, &["SD03"]);
    assert_eq!(evidence_lines(&unpaid, Code::SD03), vec![7]);
    assert_eq!(
        evidence(&unpaid, Code::SD03)[0].actual,
        "the facts never came; the branch is unknown"
    );
}

#[test]
fn sd01_every_answer_the_branch_makes_false() {
    for (warranty, paid, branch_name, said, also) in [
        (
            "2026-02-10",
            "none",
            "within_review",
            step("expect_email_soon"),
            &[][..],
        ),
        (
            "2026-01-20",
            "none",
            "awaiting_first_payment",
            step("expect_email_soon"),
            &["SD12"][..],
        ),
        (
            "2026-01-31",
            "2026-02-01",
            "recently_eligible",
            step("explain_review_period"),
            &[][..],
        ),
        (
            "2026-01-20",
            "2026-01-20",
            "overdue",
            step("explain_review_period"),
            &[][..],
        ),
        (
            "2026-01-20",
            "2026-01-20",
            "overdue",
            step("expect_email_soon"),
            &[][..],
        ),
    ] {
        let mut steps = vec![("14:06:00", said)];
        if branch_name == "overdue" {
            steps.extend(right_steps("overdue"));
        }
        let call = review_call(warranty, paid, &steps);
        assert_eq!(branch(&call, 0), Some(branch_name));
        let mut expected = vec!["SD01"];
        expected.extend_from_slice(also);
        assert_codes(&call, &expected);
        assert_eq!(evidence_lines(&call, Code::SD01), vec![7], "{branch_name}");
        // A wrong answer is SD01, never SD02.
        assert_absent(&call, &["SD02", "SD03"]);
        assert_eq!(outcome(&call), (0, Verdict::Fail), "{branch_name} {said:?}");
    }
}

#[test]
fn sd02_no_review_period_answer_at_all() {
    for (warranty, paid, branch_name, also) in [
        ("2026-02-10", "none", "within_review", &[][..]),
        (
            "2026-01-20",
            "none",
            "awaiting_first_payment",
            &["SD12"][..],
        ),
        ("2026-01-31", "2026-02-01", "recently_eligible", &[][..]),
    ] {
        let call = review_call(warranty, paid, &[]);
        assert_eq!(branch(&call, 0), Some(branch_name));
        let mut expected = vec!["SD02"];
        expected.extend_from_slice(also);
        assert_codes(&call, &expected);
        // Judged when the inquiry closed: at call_ended, line 8.
        assert_eq!(evidence_lines(&call, Code::SD02), vec![8]);
        assert_eq!(outcome(&call), (85, Verdict::Pass), "{branch_name}");
    }
    // Overdue calls for no review-period answer: no SD02 there.
    let overdue = review_call("2026-01-20", "2026-01-20", &right_steps("overdue"));
    assert_codes(&overdue, &[]);
}

#[test]
fn sd04_sd05_sd11_an_overdue_escalation_done_by_halves() {
    let nothing = review_call("2026-01-20", "2026-01-20", &[]);
    assert_eq!(branch(&nothing, 0), Some("overdue"));
    assert_codes(&nothing, &["SD04", "SD05", "SD11"]);
    // One SD04, every missing detail as evidence.
    let sd04: Vec<_> = evidence(&nothing, Code::SD04)
        .iter()
        .map(|e| e.expected.clone())
        .collect();
    assert_eq!(sd04.len(), 3);
    for (got, detail) in sd04.iter().zip(["name", "email", "phone"]) {
        assert!(got.ends_with(&format!("(collect {detail})")), "{got}");
    }
    assert_eq!(outcome(&nothing), (65, Verdict::Fail));

    // A declined detail counts as asked; an email to the product team is not the rewards team's.
    let halves = review_call(
        "2026-01-20",
        "2026-01-20",
        &[
            ("14:06:10", step("apologize")),
            ("14:06:12", ev("collect", "name")),
            ("14:06:14", ev("collect", "email_declined")),
            ("14:06:30", ev("email_sent", "product_team")),
        ],
    );
    assert_codes(&halves, &["SD04", "SD05", "SD13"]);
    assert_eq!(evidence(&halves, Code::SD04).len(), 1);
    assert!(evidence(&halves, Code::SD04)[0]
        .expected
        .ends_with("(collect phone)"));
    assert_eq!(
        evidence(&halves, Code::SD13)[0].actual,
        "email_sent product_team"
    );
    assert_eq!(outcome(&halves), (65, Verdict::Fail));
}

#[test]
fn sd13_escalation_steps_in_a_branch_that_does_not_call_for_them() {
    let within = review_call(
        "2026-02-10",
        "none",
        &[
            ("14:06:00", step("apologize")), // an apology is never a finding
            ("14:06:10", step("explain_review_period")),
            ("14:06:12", ev("collect", "name")),
            ("14:06:14", ev("collect", "email")),
        ],
    );
    assert_codes(&within, &["SD13"]);
    assert_eq!(evidence_lines(&within, Code::SD13), vec![9, 10]);
    assert_eq!(outcome(&within), (95, Verdict::Pass));

    let eligible = review_call(
        "2026-01-31",
        "2026-02-01",
        &[
            ("14:06:10", step("expect_email_soon")),
            ("14:06:30", ev("email_sent", "rewards_team")),
        ],
    );
    assert_codes(&eligible, &["SD13"]);
    assert_eq!(
        evidence(&eligible, Code::SD13)[0].actual,
        "email_sent rewards_team"
    );
}

#[test]
fn sd13_steps_taken_before_the_facts_are_judged_once_the_branch_is_known() {
    let rows = |warranty: &'static str, paid: &'static str| {
        vec![
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:40", step("apologize")),
            ("14:05:42", ev("collect", "name")), // line 6, before any fact
            ("14:05:43", ev("collect", "email")),
            ("14:05:44", ev("collect", "phone")),
            ("14:05:50", ev("warranty_started", warranty)),
            ("14:05:51", ev("first_payment", paid)),
            ("14:06:20", step("explain_review_period")),
            ("14:06:30", ev("email_sent", "rewards_team")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ]
    };
    // Within review: the collects were not called for.
    let within = run(START, &rows("2026-02-10", "none"));
    assert_eq!(branch(&within, 0), Some("within_review"));
    assert_codes(&within, &["SD13"]);
    assert_eq!(evidence_lines(&within, Code::SD13), vec![6, 7, 8, 12]);
    // Overdue: the same collects were right, but the review-period answer is false.
    let overdue = run(START, &rows("2026-01-20", "2026-01-20"));
    assert_eq!(branch(&overdue, 0), Some("overdue"));
    assert_codes(&overdue, &["SD01"]);
    assert_eq!(evidence_lines(&overdue, Code::SD01), vec![11]);
}
