//! The call frame (procedures.md 1 and the CF codes): greeting, inquiries, "anything else",
//! goodbye, end, and the input errors of `Call::handle`.

use callflow_workflows::{Code, EndStatus, Error, Event, Stamp, Step, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// The spec's example call: greeted, answered right, closed politely.
fn clean_rows() -> Vec<Row> {
    vec![
        ("14:05:13", Event::Greeting),
        ("14:05:30", ev("customer_identified", "Pat Lee")),
        ("14:05:31", inquiry("reward_email_missing")),
        ("14:05:50", ev("warranty_started", "2026-02-10")),
        ("14:05:50", ev("first_payment", "none")),
        ("14:06:20", step("explain_review_period")),
        ("14:06:40", Event::AnythingElse),
        ("14:06:45", Event::Goodbye),
        ("14:06:47", ended()),
    ]
}

#[test]
fn the_spec_example_call_is_clean() {
    let call = run(START, &clean_rows());
    assert_codes(&call, &[]);
    assert_absent(
        &call,
        &["CF01", "CF02", "CF03", "CF04", "CF05", "CF06", "CF07"],
    );
    assert_eq!(outcome(&call), (100, Verdict::Pass));
    assert_eq!(branch(&call, 0), Some("within_review"));
    assert_eq!(call.state().name(), "ended");
    assert!(call.outcome().complete);
}

#[test]
fn cf01_an_inquiry_before_any_greeting() {
    let call = run(
        START,
        &[
            ("14:05:31", inquiry("reward_email_missing")),
            // A greeting after the inquiry does not repair it.
            ("14:05:40", Event::Greeting),
            ("14:05:50", ev("warranty_started", "2026-02-10")),
            ("14:06:20", step("explain_review_period")),
            ("14:06:45", Event::Goodbye),
            ("14:06:47", ended()),
        ],
    );
    assert_codes(&call, &["CF01"]);
    assert_eq!(evidence_lines(&call, Code::CF01), vec![3]);
    assert_eq!(outcome(&call), (95, Verdict::Pass));
}

#[test]
fn cf02_a_greeting_under_the_adherence_threshold_and_one_read_word_for_word() {
    let mut rude = start(START);
    say(
        &mut rude,
        "14:05:13",
        Event::Greeting,
        "Yeah hi. What do you want?",
    );
    feed(&mut rude, &clean_rows()[1..]);
    assert_codes(&rude, &["CF02"]);
    assert_eq!(evidence_lines(&rude, Code::CF02), vec![3]);
    assert_eq!(outcome(&rude), (95, Verdict::Pass));

    let mut polite = start(START);
    say(
        &mut polite,
        "14:05:13",
        Event::Greeting,
        "Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?",
    );
    feed(&mut polite, &clean_rows()[1..5]);
    // The seed's lead-in before a scripted line costs nothing either.
    say(
        &mut polite,
        "14:06:20",
        step("explain_review_period"),
        "OK, thank you Pat Lee. Your shopping dollars are made available once you have had your \
         warranty for at least 30 days and made your first payment. Typically, you will receive \
         your shopping dollars email the week following your 30-day review period.",
    );
    say(
        &mut polite,
        "14:06:45",
        Event::Goodbye,
        "OK, thank you and have a great day. Goodbye.",
    );
    feed(&mut polite, &[("14:06:47", ended())]);
    assert_codes(&polite, &[]);
}

#[test]
fn cf02_each_off_script_line_is_one_instance_of_one_finding() {
    let mut call = start(START);
    say(
        &mut call,
        "14:05:13",
        Event::Greeting,
        "Yeah hi. What do you want?",
    );
    feed(
        &mut call,
        &[
            ("14:05:31", inquiry("reward_site_issue")),
            ("14:05:40", step("apologize")),
            ("14:05:50", step("explain_partner_support")),
        ],
    );
    say(&mut call, "14:06:40", Event::AnythingElse, "Anything else?");
    say(&mut call, "14:06:45", Event::Goodbye, "Bye.");
    feed(&mut call, &[("14:06:47", ended())]);
    assert_codes(&call, &["CF02"]);
    assert_eq!(evidence_lines(&call, Code::CF02), vec![3, 7, 8]);
    assert_eq!(outcome(&call), (95, Verdict::Pass));
}

#[test]
fn cf03_anything_else_is_required_after_a_site_issue_and_counts_when_asked() {
    let asked = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_site_issue")),
            ("14:05:40", step("apologize")),
            ("14:05:50", step("explain_partner_support")),
            ("14:06:40", Event::AnythingElse),
            ("14:06:45", Event::Goodbye),
            ("14:06:47", ended()),
        ],
    );
    assert_codes(&asked, &[]);
    assert_eq!(outcome(&asked), (100, Verdict::Pass));

    let not_asked = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_site_issue")),
            ("14:05:40", step("apologize")),
            ("14:05:50", step("explain_partner_support")),
            ("14:06:45", Event::Goodbye),
            ("14:06:47", ended()),
        ],
    );
    assert_codes(&not_asked, &["CF03"]);
    assert_eq!(evidence_lines(&not_asked, Code::CF03), vec![8]);
}

#[test]
fn cf03_is_not_required_after_a_review_period_inquiry() {
    let mut rows = clean_rows();
    rows.retain(|(_, e)| *e != Event::AnythingElse);
    let call = run(START, &rows);
    assert_codes(&call, &[]);
}

#[test]
fn cf04_no_goodbye_before_the_end() {
    let mut rows = clean_rows();
    rows.retain(|(_, e)| *e != Event::Goodbye);
    let call = run(START, &rows);
    assert_codes(&call, &["CF04"]);
    assert_eq!(evidence_lines(&call, Code::CF04), vec![10]);
    assert_eq!(outcome(&call), (95, Verdict::Pass));
}

#[test]
fn cf05_says_why_the_call_is_incomplete() {
    for (end, why) in [
        (None, "no call_ended event"),
        (Some("customer_hung_up"), "call_ended customer_hung_up"),
        (Some("dropped"), "call_ended dropped"),
        (Some("transferred"), "call_ended transferred"),
    ] {
        let mut rows = clean_rows();
        rows.pop();
        if let Some(status) = end {
            rows.push(("14:06:47", ev("call_ended", status)));
        }
        let call = run(START, &rows);
        assert_codes(&call, &["CF05"]);
        assert_eq!(evidence(&call, Code::CF05)[0].actual, why);
        assert_eq!(outcome(&call), (100, Verdict::Incomplete), "{why}");
        assert!(!call.outcome().complete);
    }
    // `completed` and an empty value are the same thing.
    let mut rows = clean_rows();
    *rows.last_mut().unwrap() = ("14:06:47", ev("call_ended", "completed"));
    assert_codes(&run(START, &rows), &[]);
    assert_eq!(Event::CallEnded(EndStatus::Completed), ev("call_ended", ""));
}

#[test]
fn cf06_procedure_steps_outside_an_inquiry_of_their_procedure() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            // Before any inquiry: a step is CF06, an account fact is not (it waits).
            ("14:05:20", step("explain_review_period")),
            ("14:05:25", ev("warranty_started", "2026-02-10")),
            ("14:05:26", ev("refund_calculator", "79.00")),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("first_payment", "none")),
            ("14:06:20", step("explain_review_period")),
            // A paid-call step inside a shopping-dollars inquiry.
            ("14:06:30", ev("quote_amount", "79.00")),
            ("14:06:45", Event::Goodbye),
            ("14:06:47", ended()),
        ],
    );
    assert_codes(&call, &["CF06"]);
    assert_eq!(evidence_lines(&call, Code::CF06), vec![4, 10]);
    // CF codes are raised at most once per call: one finding, two instances.
    assert_eq!(call.findings().filter(|f| f.code == Code::CF06).count(), 1);
    assert_eq!(branch(&call, 0), Some("within_review"));
    assert_eq!(outcome(&call), (95, Verdict::Pass));
}

#[test]
fn cf06_steps_inside_an_uncovered_inquiry_and_cf07_for_its_reason() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("billing_address_change")),
            // "Sorry about that" is courtesy in any inquiry; a procedure step is CF06.
            ("14:05:35", step("apologize")),
            ("14:05:40", step("explain_review_period")),
            ("14:06:45", Event::Goodbye),
            ("14:06:47", ended()),
        ],
    );
    assert_codes(&call, &["CF06", "CF07"]);
    assert_eq!(evidence_lines(&call, Code::CF06), vec![6]);
    assert_eq!(
        evidence(&call, Code::CF07)[0].actual,
        "inquiry 'billing_address_change'"
    );
    assert_eq!(call.inquiries()[0].code(), "billing_address_change");
    assert_eq!(branch(&call, 0), None);
    assert_eq!(outcome(&call), (95, Verdict::Pass));
}

#[test]
fn cf07_alone_costs_nothing() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("change_of_address")),
            ("14:06:45", Event::Goodbye),
            ("14:06:47", ended()),
        ],
    );
    assert_codes(&call, &["CF07"]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn a_new_inquiry_closes_the_previous_one_which_is_judged_then() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:20", ev("customer_identified", "Pat Lee")),
            // Inquiry 1 (line 5): a site issue with no apology and no "anything else".
            ("14:05:31", inquiry("reward_site_issue")),
            ("14:05:50", step("explain_partner_support")),
            // Inquiry 2 (line 7) closes inquiry 1: SD11 and CF03 are judged on line 7.
            ("14:06:00", inquiry("reward_email_missing")),
            ("14:06:05", ev("warranty_started", "2026-01-24")),
            ("14:06:06", ev("first_payment", "2026-01-24")),
            ("14:06:10", step("apologize")),
            ("14:06:12", ev("collect", "name")),
            ("14:06:14", ev("collect", "email_declined")),
            ("14:06:16", ev("collect", "phone")),
            // Inquiry 3 (line 14) closes inquiry 2 before its email was sent: after-call work,
            // it still waits for the end of the call.
            ("14:06:30", inquiry("reward_email_missing")),
            ("14:06:32", step("apologize")),
            ("14:06:34", ev("collect", "name")),
            ("14:06:36", ev("collect", "email")),
            ("14:06:38", ev("collect", "phone")),
            ("14:06:45", Event::Goodbye),
            // After-call work counts for the earliest inquiry that still requires it: the
            // second; the third's email is never sent (SD05 when the call ends, line 21).
            ("14:06:46", ev("email_sent", "rewards_team")),
            ("14:06:47", ended()),
        ],
    );
    let inquiries = call.inquiries();
    assert_eq!(inquiries.len(), 3);
    assert_eq!(inquiries[0].closed().map(|s| s.line), Some(7));
    assert_eq!(inquiries[1].closed().map(|s| s.line), Some(14));
    assert_eq!(inquiries[2].closed().map(|s| s.line), Some(21));
    let inquiry_codes = |i: usize| {
        inquiries[i]
            .findings()
            .iter()
            .map(|f| f.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(inquiry_codes(0), vec![Code::SD11]);
    assert_eq!(inquiry_codes(1), vec![]);
    assert_eq!(inquiry_codes(2), vec![Code::SD05]);
    assert_eq!(evidence_lines(&call, Code::SD11), vec![7]);
    assert_eq!(evidence_lines(&call, Code::CF03), vec![7]);
    assert_eq!(evidence_lines(&call, Code::SD05), vec![21]);
    assert_eq!(branch(&call, 0), None);
    assert_eq!(branch(&call, 1), Some("overdue"));
    // Facts belong to the call: the third inquiry reuses them.
    assert_eq!(branch(&call, 2), Some("overdue"));
    assert_codes(&call, &["CF03", "SD05", "SD11"]);
    assert_eq!(outcome(&call), (75, Verdict::Fail));
}

#[test]
fn the_call_refuses_rows_after_its_end_a_second_start_and_time_going_back() {
    let mut call = live(START, &clean_rows());
    let before = serde_json::to_string(&call).unwrap();
    let late = Step::new(next_stamp(&call, "14:07:00"), Event::Goodbye);
    assert_eq!(
        call.handle(&late).err(),
        Some(Error::AfterEnd {
            ended_at: 11,
            event: name("goodbye")
        })
    );
    assert_eq!(serde_json::to_string(&call).unwrap(), before);

    let mut call = live(START, &clean_rows()[..3]);
    let again = Step::new(
        next_stamp(&call, "14:05:40"),
        Event::CallStarted {
            department: DEPARTMENT,
        },
    );
    assert_eq!(
        call.handle(&again).err(),
        Some(Error::AlreadyStarted { started_at: 2 })
    );
    let back = Step::new(
        Stamp {
            line: 6,
            at: ts("2026-03-02T14:05:00-05:00"),
        },
        step("explain_review_period"),
    );
    assert!(matches!(call.handle(&back), Err(Error::BackInTime { .. })));
    // Equal timestamps keep file order: accepted.
    feed(
        &mut call,
        &[("14:05:31", ev("warranty_started", "2026-02-10"))],
    );
    assert_eq!(call.inquiries()[0].state_name(), "within_review");
}

#[test]
fn a_call_that_is_not_over_yet_counts_as_incomplete_until_it_ends() {
    let mut call = live(START, &clean_rows()[..6]);
    assert!(!call.is_over());
    assert_eq!(call.outcome().verdict, Verdict::Incomplete);
    assert_eq!(call.state().name(), "inquiring");
    feed(&mut call, &clean_rows()[6..]);
    assert!(call.is_over());
    // finish() does nothing to a call that has ended.
    call.finish();
    assert_codes(&call, &[]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}
