//! The spec decisions of 2026-12-03 (procedures.md 1 and 4), each at its edges: PC11 (a reported
//! service call left unverified) with every way of avoiding it, PC12 (the calculator never
//! consulted) on complete and incomplete calls, courtesy apologies, and after-call work that
//! comes after a later inquiry.

use callflow_workflows::{Code, EndStatus, Event, EventName, Verdict};

use crate::support::*;

/// Monday 2026-03-02, 14:05 New York: inside chat hours.
const MONDAY: &str = "2026-03-02T14:05:11-05:00";
/// Saturday 2026-03-07, 14:05 New York: outside chat hours.
const SATURDAY: &str = "2026-03-07T14:05:11-05:00";

const FORM: &str = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";

/// A cancellation call started at `start`: greeting, inquiry, the `steps`, goodbye, and the end
/// with `status` (`None`: the log simply stops).
fn cancellation_at(
    start_at: &str,
    steps: &[Row],
    status: Option<EndStatus>,
) -> callflow_workflows::Call {
    let mut rows = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("warranty_cancellation")),
    ];
    rows.extend_from_slice(steps);
    rows.push(("14:09:45", Event::Goodbye));
    if let Some(status) = status {
        rows.push(("14:09:47", Event::CallEnded(status)));
    }
    run(start_at, &rows)
}

fn cancellation(start_at: &str, steps: &[Row]) -> callflow_workflows::Call {
    cancellation_at(start_at, steps, Some(EndStatus::Completed))
}

/// Nothing displayed, and the customer reports a recent service call.
fn unlisted() -> Vec<Row> {
    vec![
        ("14:05:40", ev("refund_calculator", "none")),
        ("14:05:50", step("service_call_reported")),
    ]
}

/// A partner chat of `purpose`, whole, that obtains nothing.
fn chat(purpose: &'static str) -> Vec<Row> {
    vec![
        ("14:06:00", ev("chat_opened", purpose)),
        ("14:06:05", ev("warranty_prompt", "no")),
        ("14:06:10", ev("chat_form", FORM)),
        ("14:07:00", ev("chat_connected", "Alex")),
        ("14:07:40", step("chat_ended")),
    ]
}

#[test]
fn pc11_an_unlisted_service_call_neither_verified_nor_followed_up() {
    let call = cancellation(MONDAY, &unlisted());
    assert_codes(&call, &["PC11"]);
    assert_eq!(evidence_lines(&call, Code::PC11), vec![8]);
    assert_eq!(outcome(&call), (85, Verdict::Pass));
    // Outside chat hours the documented way is the promised follow-up: without it, PC11 too.
    let weekend = cancellation(SATURDAY, &unlisted());
    assert_codes(&weekend, &["PC11"]);
    assert!(evidence(&weekend, Code::PC11)[0]
        .expected
        .contains("promise to confirm"));
}

#[test]
fn pc11_is_avoided_by_a_paid_call_chat_or_a_promised_follow_up() {
    let mut verified = unlisted();
    verified.extend(chat("paid_call"));
    assert_codes(&cancellation(MONDAY, &verified), &[]);

    let mut promised = unlisted();
    promised.push(("14:06:00", step("promise_followup")));
    assert_codes(&cancellation(MONDAY, &promised), &[]);
    assert_codes(&cancellation(SATURDAY, &promised), &[]);

    // An empty chat purpose is a paid_call chat (the default).
    let mut default_purpose = unlisted();
    default_purpose.extend(chat(""));
    assert_codes(&cancellation(MONDAY, &default_purpose), &[]);
}

#[test]
fn pc11_a_chat_of_another_purpose_does_not_count() {
    for purpose in ["relay_cancellation", "record_verification"] {
        let mut steps = unlisted();
        if purpose == "record_verification" {
            steps.push(("14:05:55", ev("record_mismatch", "address")));
        }
        steps.extend(chat(purpose));
        assert_codes(&cancellation(MONDAY, &steps), &["PC11"]);
    }
}

#[test]
fn pc11_needs_nothing_displayed_and_a_reported_service_call() {
    // Nothing displayed, nothing reported: nothing to verify.
    assert_codes(
        &cancellation(MONDAY, &[("14:05:40", ev("refund_calculator", "none"))]),
        &[],
    );
    // An amount displayed: it is what is communicated (quoted here), whatever was reported.
    let shown = cancellation(
        MONDAY,
        &[
            ("14:05:40", ev("refund_calculator", "79.00")),
            ("14:05:50", step("service_call_reported")),
            ("14:06:00", ev("quote_amount", "79.00")),
        ],
    );
    assert_codes(&shown, &[]);
}

#[test]
fn pc11_is_not_raised_on_incomplete_calls() {
    for status in [
        None,
        Some(EndStatus::CustomerHungUp),
        Some(EndStatus::Transferred),
    ] {
        let call = cancellation_at(MONDAY, &unlisted(), status);
        assert_codes(&call, &["CF05"]);
        assert_eq!(call.outcome().verdict, Verdict::Incomplete);
    }
}

#[test]
fn pc12_a_cancellation_closed_without_the_calculator() {
    let call = cancellation(MONDAY, &[]);
    assert_codes(&call, &["PC12"]);
    assert_eq!(evidence_lines(&call, Code::PC12), vec![6]);
    assert_eq!(outcome(&call), (85, Verdict::Pass));
    // A quote with no calculator read: PC12, and the quote has nothing to rest on (PC07).
    let quoted = cancellation(MONDAY, &[("14:06:00", ev("quote_amount", "79.00"))]);
    assert_codes(&quoted, &["PC07", "PC12"]);
}

#[test]
fn pc12_is_judged_when_the_inquiry_closes_not_when_the_call_ends() {
    // A later inquiry closes the cancellation before the calculator was read: PC12 on that
    // line, and a calculator read afterwards does not undo it.
    let call = run(
        MONDAY,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("warranty_cancellation")),
            ("14:06:00", inquiry("reward_site_issue")),
            ("14:06:10", step("apologize")),
            ("14:06:20", step("explain_partner_support")),
            ("14:06:30", Event::AnythingElse),
            ("14:06:40", ev("refund_calculator", "none")),
            ("14:06:45", Event::Goodbye),
            ("14:06:47", ended()),
        ],
    );
    assert_codes(&call, &["PC12"]);
    assert_eq!(evidence_lines(&call, Code::PC12), vec![5]);
}

#[test]
fn pc12_is_met_by_a_calculator_read_before_the_inquiry_and_not_raised_on_incomplete_calls() {
    let early = run(
        MONDAY,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", ev("refund_calculator", "none")),
            ("14:05:31", inquiry("warranty_cancellation")),
            ("14:09:45", Event::Goodbye),
            ("14:09:47", ended()),
        ],
    );
    assert_codes(&early, &[]);
    for status in [None, Some(EndStatus::Dropped)] {
        let call = cancellation_at(MONDAY, &[], status);
        assert_codes(&call, &["CF05"]);
    }
}

#[test]
fn an_apology_outside_an_inquiry_of_its_procedure_is_courtesy() {
    let call = run(
        MONDAY,
        &[
            ("14:05:13", Event::Greeting),
            // "Sorry about the wait" before any inquiry.
            ("14:05:20", step("apologize")),
            ("14:05:31", inquiry("warranty_cancellation")),
            ("14:05:40", ev("refund_calculator", "79.00")),
            // An apology inside a paid-call inquiry (a shopping-dollars step).
            ("14:05:50", step("apologize")),
            ("14:06:00", ev("quote_amount", "79.00")),
            ("14:09:45", Event::Goodbye),
            ("14:09:47", ended()),
        ],
    );
    assert_codes(&call, &[]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
    // Any other procedure step before the first inquiry is still CF06.
    let step = run(
        MONDAY,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", step("ask_ticket")),
            ("14:05:31", inquiry("reward_partner_no_response")),
            ("14:09:47", Event::CallEnded(EndStatus::CustomerHungUp)),
        ],
    );
    assert_codes(&step, &["CF05", "CF06"]);
}

/// An overdue reward-email inquiry with everything but its email (rows 5 to 11).
fn overdue() -> Vec<Row> {
    vec![
        ("14:05:31", inquiry("reward_email_missing")),
        ("14:05:35", ev("warranty_started", "2026-01-02")),
        ("14:05:36", ev("first_payment", "2026-01-10")),
        ("14:05:40", step("apologize")),
        ("14:05:42", ev("collect", "name")),
        ("14:05:44", ev("collect", "email")),
        ("14:05:46", ev("collect", "phone")),
    ]
}

/// A site-issue inquiry done right, "anything else" asked.
fn site_issue() -> Vec<Row> {
    vec![
        ("14:06:00", inquiry("reward_site_issue")),
        ("14:06:05", step("apologize")),
        ("14:06:10", step("explain_partner_support")),
        ("14:06:20", Event::AnythingElse),
    ]
}

#[test]
fn after_call_work_of_the_first_inquiry_after_a_later_one_is_a_perfect_call() {
    // The issue's call: an overdue inquiry, then a site issue, then the goodbye and the
    // rewards-team email.
    let mut rows = vec![("14:05:13", Event::Greeting)];
    rows.extend(overdue());
    rows.extend(site_issue());
    rows.push(("14:06:45", Event::Goodbye));
    rows.push(("14:06:50", ev("email_sent", "rewards_team")));
    rows.push(("14:06:55", ended()));
    let call = run(MONDAY, &rows);
    assert_codes(&call, &[]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
    assert_eq!(branch(&call, 0), Some("overdue"));
}

#[test]
fn after_call_work_missing_is_judged_when_the_call_ends() {
    let mut rows = vec![("14:05:13", Event::Greeting)];
    rows.extend(overdue());
    rows.extend(site_issue());
    rows.push(("14:06:45", Event::Goodbye));
    rows.push(("14:06:55", ended()));
    let call = run(MONDAY, &rows);
    assert_codes(&call, &["SD05"]);
    // Judged at the end of the call (line 16), in the first inquiry.
    assert_eq!(evidence_lines(&call, Code::SD05), vec![16]);
    let first: Vec<Code> = call.inquiries()[0]
        .findings()
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(first, vec![Code::SD05]);
    // The agent assist lists the first inquiry's email after the goodbye.
    let mut live_call = live(MONDAY, &rows[..rows.len() - 1]);
    let next: Vec<(EventName, Option<String>)> = live_call
        .next_steps()
        .into_iter()
        .map(|n| (n.requirement.step, n.requirement.value.map(String::from)))
        .collect();
    assert_eq!(
        next,
        vec![(name("email_sent"), Some("rewards_team".to_owned()))]
    );
    live_call.finish();
}

#[test]
fn after_call_work_goes_to_the_second_and_third_inquiry_in_turn() {
    // Three inquiries: a site issue, then two no-response inquiries. The product-team email
    // and the partner contact come after the goodbye, once each: they count for the earliest
    // inquiry still requiring them (the second); the third misses both.
    let no_response = |t: [&'static str; 6]| -> Vec<Row> {
        vec![
            (t[0], inquiry("reward_partner_no_response")),
            (t[1], step("apologize")),
            (t[2], ev("contact_time", "outside_business_hours")),
            (t[3], ev("ticket", "HSP-1")),
            (t[4], step("promise_followup")),
            (t[5], Event::AnythingElse),
        ]
    };
    let mut rows = vec![("14:05:13", Event::Greeting)];
    rows.extend(site_issue());
    rows.extend(no_response([
        "14:06:30", "14:06:31", "14:06:32", "14:06:33", "14:06:34", "14:06:35",
    ]));
    rows.extend(no_response([
        "14:07:30", "14:07:31", "14:07:32", "14:07:33", "14:07:34", "14:07:35",
    ]));
    rows.push(("14:08:45", Event::Goodbye));
    rows.push(("14:08:50", ev("partner_contacted", "home_service_perks")));
    rows.push(("14:08:55", ev("email_sent", "product_team")));
    rows.push(("14:09:00", ended()));
    let call = run(MONDAY, &rows);
    let by_inquiry: Vec<Vec<Code>> = call
        .inquiries()
        .iter()
        .map(|i| i.findings().iter().map(|f| f.code).collect())
        .collect();
    assert_eq!(
        by_inquiry,
        vec![vec![], vec![], vec![Code::SD09, Code::SD05]]
    );
    assert_codes(&call, &["SD05", "SD09"]);
    // A second round of after-call work then counts for the third.
    rows.insert(rows.len() - 1, ("14:08:56", ev("partner_contacted", "")));
    rows.insert(
        rows.len() - 1,
        ("14:08:57", ev("email_sent", "product_team")),
    );
    assert_codes(&run(MONDAY, &rows), &[]);
}

#[test]
fn after_call_work_no_inquiry_requires_is_judged_in_the_open_inquiry() {
    // A rewards-team email nobody asked for: in the open site-issue inquiry it is SD13; with
    // no inquiry of its procedure open (a cancellation), CF06.
    let mut rows = vec![("14:05:13", Event::Greeting)];
    rows.extend(site_issue());
    rows.push(("14:06:45", Event::Goodbye));
    rows.push(("14:06:50", ev("email_sent", "rewards_team")));
    rows.push(("14:06:55", ended()));
    assert_codes(&run(MONDAY, &rows), &["SD13"]);

    let cancelled = cancellation(
        MONDAY,
        &[
            ("14:05:40", ev("refund_calculator", "79.00")),
            ("14:06:00", ev("quote_amount", "79.00")),
            ("14:06:10", ev("email_sent", "product_team")),
        ],
    );
    assert_codes(&cancelled, &["CF06"]);
}

#[test]
fn after_call_work_of_an_earlier_inquiry_is_not_raised_on_an_incomplete_call() {
    let mut rows = vec![("14:05:13", Event::Greeting)];
    rows.extend(overdue());
    rows.extend(site_issue());
    rows.push(("14:06:55", Event::CallEnded(EndStatus::CustomerHungUp)));
    assert_codes(&run(MONDAY, &rows), &["CF05"]);
}
