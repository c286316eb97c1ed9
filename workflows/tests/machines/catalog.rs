//! Every finding code of section 4, in one table: a minimal call of its kind that raises it,
//! and the clean call of the same kind, which raises nothing. The topic modules test each
//! code's edges; this one keeps the whole list honest.

use callflow_workflows::{Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

const FORM: &str = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";

/// The clean call of each kind: the rows between the inquiry and the goodbye.
fn clean(kind: &str) -> Vec<Row> {
    match kind {
        "within_review" => vec![
            ("14:05:50", ev("warranty_started", "2026-02-10")),
            ("14:05:51", ev("first_payment", "none")),
            ("14:06:00", step("explain_review_period")),
        ],
        "awaiting_first_payment" => vec![
            ("14:05:50", ev("warranty_started", "2026-01-20")),
            ("14:05:51", ev("first_payment", "none")),
            ("14:06:00", step("explain_review_period")),
        ],
        "recently_eligible" => vec![
            ("14:05:50", ev("warranty_started", "2026-01-31")),
            ("14:05:51", ev("first_payment", "2026-02-01")),
            ("14:06:00", step("expect_email_soon")),
        ],
        "overdue" => vec![
            ("14:05:50", ev("warranty_started", "2026-01-20")),
            ("14:05:51", ev("first_payment", "2026-01-20")),
            ("14:06:00", step("apologize")),
            ("14:06:01", ev("collect", "name")),
            ("14:06:02", ev("collect", "email")),
            ("14:06:03", ev("collect", "phone")),
            ("14:06:04", ev("email_sent", "rewards_team")),
        ],
        "site_issue" => vec![
            ("14:06:00", step("apologize")),
            ("14:06:01", step("explain_partner_support")),
            ("14:06:02", Event::AnythingElse),
        ],
        "no_response" => vec![
            ("14:06:00", step("apologize")),
            ("14:06:01", step("ask_contact_time")),
            ("14:06:02", ev("contact_time", "outside_business_hours")),
            ("14:06:03", step("ask_ticket")),
            ("14:06:04", ev("ticket", "HSP-1")),
            ("14:06:05", step("promise_followup")),
            ("14:06:06", ev("partner_contacted", "home_service_perks")),
            ("14:06:07", ev("email_sent", "product_team")),
            ("14:06:08", Event::AnythingElse),
        ],
        "amount_shown" => vec![
            ("14:05:50", ev("refund_calculator", "79.00")),
            ("14:05:51", step("amount_disputed")),
            ("14:05:52", step("build_value")),
            ("14:05:53", step("advise_dispute_letter")),
            ("14:06:00", ev("quote_amount", "79.00")),
        ],
        "verified_in_chat" => vec![
            ("14:05:50", ev("refund_calculator", "none")),
            ("14:05:51", step("service_call_reported")),
            ("14:06:00", ev("chat_opened", "paid_call")),
            ("14:06:01", ev("warranty_prompt", "no")),
            ("14:06:02", ev("chat_form", FORM)),
            ("14:06:03", ev("chat_connected", "Alex")),
            ("14:06:04", ev("paid_amount_obtained", "120")),
            ("14:06:05", step("chat_ended")),
            ("14:06:06", ev("quote_amount", "120")),
        ],
        other => panic!("no kind {other}"),
    }
}

fn reason(kind: &str) -> &'static str {
    match kind {
        "within_review" | "awaiting_first_payment" | "recently_eligible" | "overdue" => {
            "reward_email_missing"
        }
        "site_issue" => "reward_site_issue",
        "no_response" => "reward_partner_no_response",
        _ => "warranty_cancellation",
    }
}

/// greeting, inquiry, `steps`, goodbye, end: each of them optional through `frame`.
fn call(kind: &str, steps: Vec<Row>, greet: bool, goodbye: bool) -> callflow_workflows::Call {
    let mut rows = Vec::new();
    if greet {
        rows.push(("14:05:13", Event::Greeting));
    }
    rows.push(("14:05:31", inquiry(reason(kind))));
    rows.extend(steps);
    if goodbye {
        rows.push(("14:07:45", Event::Goodbye));
    }
    rows.push(("14:07:47", ended()));
    run(START, &rows)
}

/// The clean rows of `kind` with the `drop` rows (by index) left out and `add` appended.
fn variant(kind: &str, drop: &[usize], add: Vec<Row>) -> Vec<Row> {
    let mut rows: Vec<Row> = clean(kind)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, r)| r)
        .collect();
    rows.extend(add);
    rows
}

#[test]
fn the_clean_call_of_every_kind_raises_nothing() {
    for kind in [
        "within_review",
        "awaiting_first_payment",
        "recently_eligible",
        "overdue",
        "site_issue",
        "no_response",
        "amount_shown",
        "verified_in_chat",
    ] {
        let c = call(kind, clean(kind), true, true);
        let expected: &[&str] = if kind == "awaiting_first_payment" {
            &["SD12"] // the only finding of that branch: information, no penalty
        } else {
            &[]
        };
        assert_codes(&c, expected);
        assert_eq!(outcome(&c), (100, Verdict::Pass), "{kind}");
    }
}

#[test]
fn every_code_is_raised_by_a_call_of_its_kind() {
    let late = ("14:06:30", ev("quote_amount", "80"));
    let cases: Vec<(Code, &str, Vec<Row>, bool, bool)> = vec![
        (
            Code::CF01,
            "within_review",
            clean("within_review"),
            false,
            true,
        ),
        (
            Code::CF03,
            "site_issue",
            variant("site_issue", &[2], vec![]),
            true,
            true,
        ),
        (
            Code::CF04,
            "within_review",
            clean("within_review"),
            true,
            false,
        ),
        (
            Code::CF06,
            "within_review",
            variant("within_review", &[], vec![late]),
            true,
            true,
        ),
        (
            Code::SD01,
            "within_review",
            variant(
                "within_review",
                &[2],
                vec![("14:06:00", step("expect_email_soon"))],
            ),
            true,
            true,
        ),
        (
            Code::SD02,
            "recently_eligible",
            variant("recently_eligible", &[2], vec![]),
            true,
            true,
        ),
        (
            Code::SD03,
            "within_review",
            vec![
                ("14:05:40", step("explain_review_period")),
                ("14:05:50", ev("warranty_started", "2026-02-10")),
            ],
            true,
            true,
        ),
        (
            Code::SD04,
            "overdue",
            variant("overdue", &[4], vec![]),
            true,
            true,
        ),
        (
            Code::SD05,
            "overdue",
            variant("overdue", &[6], vec![]),
            true,
            true,
        ),
        (
            Code::SD06,
            "no_response",
            variant("no_response", &[3, 4], vec![]),
            true,
            true,
        ),
        (
            Code::SD07,
            "no_response",
            variant("no_response", &[1, 2], vec![]),
            true,
            true,
        ),
        (
            Code::SD08,
            "no_response",
            variant("no_response", &[5], vec![]),
            true,
            true,
        ),
        (
            Code::SD09,
            "no_response",
            variant("no_response", &[6], vec![]),
            true,
            true,
        ),
        (
            Code::SD10,
            "site_issue",
            variant("site_issue", &[1], vec![]),
            true,
            true,
        ),
        (
            Code::SD11,
            "site_issue",
            variant("site_issue", &[0], vec![]),
            true,
            true,
        ),
        (
            Code::SD12,
            "awaiting_first_payment",
            clean("awaiting_first_payment"),
            true,
            true,
        ),
        (
            Code::SD13,
            "recently_eligible",
            variant(
                "recently_eligible",
                &[],
                vec![("14:06:10", ev("collect", "name"))],
            ),
            true,
            true,
        ),
        (
            Code::PC01,
            "amount_shown",
            variant(
                "amount_shown",
                &[],
                vec![("14:06:10", ev("paid_amount_obtained", "60"))],
            ),
            true,
            true,
        ),
        (
            Code::PC02,
            "amount_shown",
            variant(
                "amount_shown",
                &[],
                vec![("14:06:10", step("phone_call_partner"))],
            ),
            true,
            true,
        ),
        (
            Code::PC03,
            "verified_in_chat",
            variant("verified_in_chat", &[1], vec![]),
            true,
            true,
        ),
        (
            Code::PC05,
            "verified_in_chat",
            {
                let mut rows = clean("verified_in_chat");
                rows[3] = ("14:06:01", ev("warranty_prompt", "yes"));
                rows
            },
            true,
            true,
        ),
        (
            Code::PC06,
            "verified_in_chat",
            {
                let mut rows = clean("verified_in_chat");
                rows[4] = ("14:06:02", ev("chat_form", "customer_id=555-123-4567"));
                rows
            },
            true,
            true,
        ),
        (
            Code::PC07,
            "amount_shown",
            variant("amount_shown", &[4], vec![late]),
            true,
            true,
        ),
        (
            Code::PC08,
            "amount_shown",
            variant("amount_shown", &[2], vec![]),
            true,
            true,
        ),
        (
            Code::PC09,
            "amount_shown",
            variant("amount_shown", &[4], vec![]),
            true,
            true,
        ),
        (
            Code::PC10,
            "verified_in_chat",
            variant("verified_in_chat", &[7], vec![]),
            true,
            true,
        ),
        (
            Code::PC11,
            "verified_in_chat",
            variant("verified_in_chat", &[2, 3, 4, 5, 6, 7, 8], vec![]),
            true,
            true,
        ),
        (
            Code::PC12,
            "amount_shown",
            variant("amount_shown", &[0, 1, 2, 3, 4], vec![]),
            true,
            true,
        ),
    ];
    let mut raised: Vec<Code> = Vec::new();
    for (code, kind, steps, greet, goodbye) in cases {
        let c = call(kind, steps, greet, goodbye);
        let mut expected = vec![code.as_str()];
        if kind == "awaiting_first_payment" && code != Code::SD12 {
            expected.push("SD12");
        }
        if code == Code::PC02 {
            // A phone call while the calculator shows an amount is PC01 too.
            expected.push("PC01");
        }
        assert_codes(&c, &expected);
        raised.push(code);
    }
    // CF02, CF05, CF07 and PC04 need a said line, a cut-off call, an uncovered reason and a
    // clock: they are raised in `frame` and `chat_hours`. Here, one call raising all four.
    let mut c = start("2026-03-07T10:00:00-05:00"); // a Saturday
    say(
        &mut c,
        "10:00:05",
        Event::Greeting,
        "Yeah hi. What do you want?",
    );
    feed(
        &mut c,
        &[
            ("10:00:10", inquiry("loyalty_points")),
            ("10:00:20", inquiry("warranty_cancellation")),
            ("10:00:30", ev("refund_calculator", "79.00")),
            ("10:00:40", ev("chat_opened", "relay_cancellation")),
            ("10:00:50", ev("call_ended", "dropped")),
        ],
    );
    assert_codes(&c, &["CF02", "CF05", "CF07", "PC04"]);
    raised.extend([Code::CF02, Code::CF05, Code::CF07, Code::PC04]);
    raised.sort_unstable();
    assert_eq!(raised, engine().codes().to_vec());
}
