//! Findings in plain words (#16): every code of the frame and of the built-in procedures is
//! explained by its owner, from the call's facts and branch, in words a supervisor can read
//! out; a code without an explainer gets the generic sentence.

use callflow_workflows::explain::{self, Explain, Instance};
use callflow_workflows::{Call, Code, CodeDef, Config, Event, Facts, Severity};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// The explanation of the call's finding with `code`.
#[track_caller]
fn explained(call: &Call, code: Code) -> String {
    let finding = call
        .findings()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code}: {:?}", codes(call)));
    explain::finding(call, finding)
}

/// A review-period call with the facts and the agent's answer, to its end.
fn review(warranty: &'static str, first_payment: &'static str, answer: &str) -> Call {
    run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", warranty)),
            ("14:05:51", ev("first_payment", first_payment)),
            ("14:06:20", step(answer)),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    )
}

#[test]
fn a_false_answer_is_told_with_the_facts_that_make_it_false() {
    // The issue's own example: the email promised inside the review period.
    let call = review("2026-02-18", "none", "expect_email_soon");
    assert_eq!(
        explained(&call, Code::SD01),
        "Told the customer to expect the email soon, but the warranty began 12 days before the \
         call, inside the 30-day review period."
    );
    // The review period explained once the email is due.
    let call = review("2026-01-28", "2026-01-28", "explain_review_period");
    assert_eq!(
        explained(&call, Code::SD01),
        "Explained the 30-day review period, but the warranty began 33 days before the call and \
         the first payment was made: the 30-day review period is over and the email is due \
         within the week (by day 37)."
    );
    // Overdue: the document asks for the escalation.
    let call = review("2026-01-01", "2026-01-05", "expect_email_soon");
    let text = explained(&call, Code::SD01);
    assert!(text.contains("60 days before the call"), "{text}");
    assert!(text.contains("the email is overdue"), "{text}");
    assert!(text.contains("an escalation to the rewards team"), "{text}");
}

#[test]
fn the_documents_gap_is_told_as_such_with_no_machine_terms() {
    // The issue: "got d >= 30 with no first payment" becomes the facts in words.
    let call = review("2026-01-30", "none", "explain_review_period");
    let text = explained(&call, Code::SD12);
    assert!(
        text.starts_with(
            "The warranty started 31 days before the call and no payment has been made: the \
             document has no answer for this case."
        ),
        "{text}"
    );
    assert!(!text.contains(">="), "{text}");
    assert!(Code::SD12.is_about_the_documents());
    assert!(Code::CF07.is_about_the_documents());
    assert!(!Code::CF05.is_about_the_documents());
}

#[test]
fn omissions_name_what_was_missing() {
    // Overdue with only the name collected and no email to the rewards team.
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-01-01")),
            ("14:05:51", ev("first_payment", "2026-01-05")),
            ("14:06:10", step("apologize")),
            ("14:06:12", ev("collect", "name")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_codes(&call, &["SD04", "SD05"]);
    let sd04 = explained(&call, Code::SD04);
    assert!(
        sd04.starts_with("Did not ask for the customer's email address and phone number"),
        "{sd04}"
    );
    assert_eq!(
        explained(&call, Code::SD05),
        "Did not email the customer's details to the rewards team, the escalation the document \
         asks for."
    );
}

#[test]
fn the_paid_call_codes_are_told_with_the_amounts() {
    // A quote that differs from the calculator's amount (PC07).
    let call = run(
        "2026-03-04T09:45:00-05:00",
        &[
            ("09:45:02", Event::Greeting),
            ("09:45:10", inquiry("warranty_cancellation")),
            ("09:45:20", ev("refund_calculator", "1,079.00")),
            ("09:46:00", ev("quote_amount", "1079.50")),
            ("09:47:45", Event::Goodbye),
            ("09:47:47", ended()),
        ],
    );
    assert_eq!(
        explained(&call, Code::PC07),
        "Quoted $1,079.50, but the amount to give was $1,079.00 (the refund calculator's)."
    );
    // A chat opened on a Saturday (PC04): the time in business time, the hours from the
    // procedure's parameters.
    let call = run(
        "2026-03-07T10:00:00-05:00",
        &[
            ("10:00:02", Event::Greeting),
            ("10:00:10", inquiry("warranty_cancellation")),
            ("10:00:20", ev("refund_calculator", "none")),
            ("10:00:30", step("service_call_reported")),
            ("10:01:00", ev("chat_opened", "paid_call")),
        ],
    );
    let text = explained(&call, Code::PC04);
    assert!(
        text.starts_with(
            "Opened the partner chat on Sat 7 Mar 10:01, outside chat hours (Monday to Friday, \
             09:00 to 18:00 business time)"
        ),
        "{text}"
    );
}

#[test]
fn the_frame_codes_are_told_by_the_frame() {
    let mut call = start(START);
    say(
        &mut call,
        "14:05:13",
        Event::Greeting,
        "Yeah hi. What do you want?",
    );
    feed(
        &mut call,
        &[("14:05:31", inquiry("a_reason_nobody_covers"))],
    );
    call.finish();
    let cf02 = explained(&call, Code::CF02);
    assert!(
        cf02.starts_with(
            "Strayed from the script: the greeting line said as \"Yeah hi. What do you want?\""
        ),
        "{cf02}"
    );
    assert!(cf02.contains("at least 70% is expected"), "{cf02}");
    assert!(
        explained(&call, Code::CF07).starts_with(
            "The customer's request 'a_reason_nobody_covers' is not covered by any documented \
             procedure"
        ),
        "{}",
        explained(&call, Code::CF07)
    );
    assert!(
        explained(&call, Code::CF05)
            .starts_with("The call did not run to its end: the log has no end for it"),
        "{}",
        explained(&call, Code::CF05)
    );
}

#[test]
fn every_built_in_code_is_explained_by_its_owner() {
    let engine = engine();
    for code in engine.codes() {
        assert!(
            code.def().explainer.is_some(),
            "{code} has no explainer beside it"
        );
    }
}

/// A code declared without an explainer (a procedure of one's own that gives none).
static PLAIN: CodeDef = CodeDef::new("XX01", Severity::Minor, false, "something not done");

#[test]
fn a_code_without_an_explainer_gets_the_generic_sentence() {
    let instances = [Instance {
        line: 12,
        timestamp: "2026-03-02T14:05:11-05:00",
        expected: "the thing done",
        actual: "not done",
    }];
    let config = Config::default();
    let facts = Facts::default();
    let text = Explain {
        code: Code::of(&PLAIN),
        instances: &instances,
        facts: &facts,
        inquiry: None,
        call_date: date("2026-03-02"),
        config: &config,
        params: &(),
    }
    .text();
    assert_eq!(
        text,
        "Something not done: line 12 expected the thing done, but not done."
    );
}
