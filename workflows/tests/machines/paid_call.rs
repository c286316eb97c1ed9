//! Paid-call verification (seed 000, procedures.md 3): the calculator, the dispute, the chat
//! purposes, phone calls, the amount to quote. Chat hours and the chat form have their own
//! modules. Every call here is on Monday 2026-03-02 at 14:05 New York time: inside chat hours.

use callflow_workflows::{Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// A valid chat form for agent `sjones`.
const FORM: &str = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";

/// A cancellation call: greeting (3), inquiry (4), the `steps` (from 5), goodbye, end.
fn cancellation(steps: &[Row]) -> callflow_workflows::Call {
    let mut rows = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("warranty_cancellation")),
    ];
    rows.extend_from_slice(steps);
    rows.push(("14:09:45", Event::Goodbye));
    rows.push(("14:09:47", ended()));
    run(START, &rows)
}

/// A whole partner chat, opened for `purpose`, that obtains `obtained` (if not empty).
fn chat(purpose: &'static str, obtained: &'static str) -> Vec<Row> {
    let mut rows = vec![
        ("14:06:00", ev("chat_opened", purpose)),
        ("14:06:05", ev("warranty_prompt", "no")),
        ("14:06:10", ev("chat_form", FORM)),
        ("14:06:15", ev("chat_waiting", "4")),
        ("14:07:00", ev("chat_connected", "Alex")),
        ("14:07:05", step("chat_message")),
        ("14:07:30", step("chat_reply")),
    ];
    if !obtained.is_empty() {
        rows.push(("14:07:35", ev("paid_amount_obtained", obtained)));
    }
    rows.push(("14:07:40", step("chat_ended")));
    rows.push(("14:07:45", ev("chat_transcript", "email")));
    rows
}

#[test]
fn an_amount_shown_and_quoted_is_clean_amounts_compare_in_cents() {
    for (shown, quoted) in [
        ("79.00", "79"),
        ("$79.5", "79.50"),
        ("$1,079.00", "1079"),
        ("0.00", "0"),
    ] {
        let call = cancellation(&[
            ("14:05:40", ev("refund_calculator", shown)),
            ("14:06:00", ev("quote_amount", quoted)),
        ]);
        assert_codes(&call, &[]);
        assert_absent(
            &call,
            &[
                "PC01", "PC02", "PC03", "PC04", "PC05", "PC06", "PC07", "PC08", "PC09", "PC10",
            ],
        );
        assert_eq!(outcome(&call), (100, Verdict::Pass), "{shown} / {quoted}");
        assert_eq!(branch(&call, 0), None);
    }
}

#[test]
fn no_amount_shown_a_reported_service_call_verified_through_the_chat_is_clean() {
    let mut call = live(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("warranty_cancellation")),
            ("14:05:40", ev("refund_calculator", "none")),
            ("14:05:50", step("service_call_reported")),
        ],
    );
    let mut states = vec![call.inquiries()[0].state_name()];
    for row in chat("paid_call", "120.00") {
        feed(&mut call, &[row]);
        states.push(call.inquiries()[0].state_name());
    }
    assert_eq!(
        states,
        [
            "verify_in_chat",
            "chat_open",
            "prompt_answered",
            "form_sent",
            "chat_waiting",
            "chat_connected",
            "chat_connected",
            "chat_connected",
            "chat_connected",
            "verify_in_chat",
            "verify_in_chat",
        ]
    );
    feed(
        &mut call,
        &[
            ("14:08:00", ev("quote_amount", "$120")),
            ("14:09:45", Event::Goodbye),
            ("14:09:47", ended()),
        ],
    );
    assert_codes(&call, &[]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn no_amount_outside_chat_hours_a_promised_follow_up_is_the_documented_path() {
    let call = run(
        "2026-03-02T19:05:11-05:00",
        &[
            ("19:05:13", Event::Greeting),
            ("19:05:31", inquiry("warranty_cancellation")),
            ("19:05:40", ev("refund_calculator", "none")),
            ("19:05:50", step("service_call_reported")),
            ("19:06:00", step("promise_followup")),
            ("19:09:45", Event::Goodbye),
            ("19:09:47", ended()),
        ],
    );
    assert_codes(&call, &[]);
}

#[test]
fn pc07_a_quote_that_differs_from_the_calculator() {
    for (shown, quoted) in [("79.00", "97.00"), ("79.05", "79.5")] {
        let call = cancellation(&[
            ("14:05:40", ev("refund_calculator", shown)),
            ("14:06:00", ev("quote_amount", quoted)),
        ]);
        assert_codes(&call, &["PC07"]);
        assert_eq!(evidence_lines(&call, Code::PC07), vec![6]);
        assert_eq!(outcome(&call), (0, Verdict::Fail));
    }
    let call = cancellation(&[
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:06:00", ev("quote_amount", "97.00")),
    ]);
    let e = &evidence(&call, Code::PC07)[0];
    assert_eq!(
        (e.expected.as_str(), e.actual.as_str()),
        ("$79.00", "quoted $97.00")
    );
}

#[test]
fn pc07_a_quote_before_the_calculator_is_judged_against_it() {
    let wrong = cancellation(&[
        ("14:05:40", ev("quote_amount", "50")),
        ("14:05:50", ev("refund_calculator", "79.00")),
    ]);
    assert_codes(&wrong, &["PC07"]);
    assert_eq!(evidence_lines(&wrong, Code::PC07), vec![5]);
    let right = cancellation(&[
        ("14:05:40", ev("quote_amount", "79")),
        ("14:05:50", ev("refund_calculator", "79.00")),
    ]);
    assert_codes(&right, &[]);
}

#[test]
fn pc07_a_quote_when_there_is_nothing_to_quote_and_a_chat_amount_misquoted() {
    let nothing = cancellation(&[
        ("14:05:40", ev("refund_calculator", "none")),
        ("14:06:00", ev("quote_amount", "50")),
    ]);
    assert_codes(&nothing, &["PC07"]);
    assert_eq!(
        evidence(&nothing, Code::PC07)[0].expected,
        "no amount to quote (no calculator amount, none obtained in chat)"
    );
    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "none")),
        ("14:05:50", step("service_call_reported")),
    ];
    steps.extend(chat("paid_call", "120.00"));
    steps.push(("14:08:00", ev("quote_amount", "100.00")));
    let misquoted = cancellation(&steps);
    assert_codes(&misquoted, &["PC07"]);
    assert_eq!(evidence(&misquoted, Code::PC07)[0].expected, "$120.00");
}

#[test]
fn pc01_a_paid_call_chat_and_an_amount_obtained_while_the_calculator_shows_one() {
    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:05:50", step("service_call_reported")),
    ];
    steps.extend(chat("", "120.00")); // an empty purpose is paid_call
    steps.push(("14:08:00", ev("quote_amount", "79.00")));
    let call = cancellation(&steps);
    // One PC01 for the inquiry; the chat (line 7) and the amount obtained (line 14) are its
    // evidence. The chat purpose is not PC03 on top: an amount shown is PC01.
    assert_codes(&call, &["PC01"]);
    assert_eq!(evidence_lines(&call, Code::PC01), vec![7, 14]);
    assert_eq!(outcome(&call), (0, Verdict::Fail));
}

#[test]
fn pc01_the_partner_asked_about_a_disputed_calculator_amount() {
    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:05:45", ev("quote_amount", "79.00")),
        ("14:05:50", step("amount_disputed")),
        ("14:05:55", step("build_value")),
        ("14:05:58", step("advise_dispute_letter")),
    ];
    steps.extend(chat("paid_call", "60.00"));
    let call = cancellation(&steps);
    assert_codes(&call, &["PC01"]);
    assert_absent(&call, &["PC03", "PC07", "PC08"]);
}

#[test]
fn pc02_a_phone_call_to_the_partner_and_pc01_when_an_amount_was_shown() {
    let no_amount = cancellation(&[
        ("14:05:40", ev("refund_calculator", "none")),
        ("14:05:50", step("service_call_reported")),
        ("14:06:00", step("phone_call_partner")),
        ("14:06:30", step("promise_followup")),
    ]);
    assert_codes(&no_amount, &["PC02"]);
    assert_eq!(evidence_lines(&no_amount, Code::PC02), vec![7]);
    assert_eq!(outcome(&no_amount), (0, Verdict::Fail));

    let shown = cancellation(&[
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:06:00", step("phone_call_partner")),
        ("14:06:30", ev("quote_amount", "79.00")),
    ]);
    assert_codes(&shown, &["PC01", "PC02"]);
}

#[test]
fn pc03_chats_opened_for_a_purpose_rule_2_does_not_allow() {
    // paid_call with no amount shown but no service call reported.
    let mut steps = vec![("14:05:40", ev("refund_calculator", "none"))];
    steps.extend(chat("paid_call", ""));
    let call = cancellation(&steps);
    assert_codes(&call, &["PC03"]);
    assert_eq!(evidence_lines(&call, Code::PC03), vec![6]);
    assert_eq!(outcome(&call), (85, Verdict::Pass));

    // record_verification with no record mismatch reported.
    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:05:45", ev("quote_amount", "79.00")),
    ];
    steps.extend(chat("record_verification", ""));
    let call = cancellation(&steps);
    assert_codes(&call, &["PC03"]);
}

#[test]
fn record_verification_after_a_mismatch_and_relay_cancellation_are_allowed_with_an_amount_shown() {
    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:05:45", ev("quote_amount", "79.00")),
        ("14:05:50", ev("record_mismatch", "address")),
    ];
    steps.extend(chat("record_verification", ""));
    let call = cancellation(&steps);
    assert_codes(&call, &[]);

    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:05:45", ev("quote_amount", "79.00")),
    ];
    steps.extend(chat("relay_cancellation", ""));
    let call = cancellation(&steps);
    assert_codes(&call, &[]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn pc08_a_disputed_calculator_amount_needs_the_rebuttal_and_the_letter_advice() {
    let base = [
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:05:45", ev("quote_amount", "79.00")),
        ("14:05:50", step("amount_disputed")),
    ];
    for (extra, missing) in [
        (vec![], 2),
        (vec![("14:06:00", step("build_value"))], 1),
        (vec![("14:06:00", step("advise_dispute_letter"))], 1),
    ] {
        let mut steps = base.to_vec();
        steps.extend(extra);
        let call = cancellation(&steps);
        assert_codes(&call, &["PC08"]);
        // One finding; each missing half is an instance.
        assert_eq!(evidence(&call, Code::PC08).len(), missing);
        assert_eq!(outcome(&call), (85, Verdict::Pass));
    }
    let mut steps = base.to_vec();
    steps.push(("14:06:00", step("build_value")));
    steps.push(("14:06:10", step("advise_dispute_letter")));
    let call = cancellation(&steps);
    assert_codes(&call, &[]);
}

#[test]
fn pc09_an_amount_to_quote_never_quoted_nor_followed_up() {
    let shown = cancellation(&[("14:05:40", ev("refund_calculator", "79.00"))]);
    assert_codes(&shown, &["PC09"]);
    assert!(evidence(&shown, Code::PC09)[0]
        .expected
        .ends_with("(quote_amount $79.00)"));
    assert_eq!(outcome(&shown), (85, Verdict::Pass));

    let promised = cancellation(&[
        ("14:05:40", ev("refund_calculator", "79.00")),
        ("14:06:00", step("promise_followup")),
    ]);
    assert_codes(&promised, &[]);

    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "none")),
        ("14:05:50", step("service_call_reported")),
    ];
    steps.extend(chat("paid_call", "120.00"));
    let obtained = cancellation(&steps);
    assert_codes(&obtained, &["PC09"]);

    // Nothing shown, nothing obtained: nothing to quote, so nothing missing.
    let nothing = cancellation(&[("14:05:40", ev("refund_calculator", "none"))]);
    assert_codes(&nothing, &[]);
}

#[test]
fn pc10_a_chat_opened_but_never_ended() {
    let mut steps = vec![
        ("14:05:40", ev("refund_calculator", "none")),
        ("14:05:50", step("service_call_reported")),
    ];
    let mut session = chat("paid_call", "120.00");
    session.retain(|(_, e)| *e != step("chat_ended"));
    steps.extend(session);
    steps.push(("14:08:00", ev("quote_amount", "120")));
    let call = cancellation(&steps);
    assert_codes(&call, &["PC10"]);
    assert_eq!(evidence_lines(&call, Code::PC10), vec![18]);
    assert!(evidence(&call, Code::PC10)[0]
        .expected
        .contains("the chat opened at line 7"));
    assert_eq!(outcome(&call), (95, Verdict::Pass));
}
