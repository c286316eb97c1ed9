//! Save a call mid-way with serde, resume it with `Call::restore` under the engine, feed the
//! rest: the findings and outcome must be those of the uninterrupted run.

use callflow_workflows::{Call, Code, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

fn save(call: &Call) -> String {
    serde_json::to_string(call).unwrap()
}

fn restore(saved: &str) -> Call {
    restore_under(&engine(), saved)
}

fn restore_under(engine: &std::sync::Arc<callflow_workflows::Engine>, saved: &str) -> Call {
    let mut json = serde_json::Deserializer::from_str(saved);
    Call::restore(engine, &mut json).unwrap()
}

/// The call fed `rows[..k]`, saved, restored, fed `rows[k..]`, finished.
fn resumed_at(rows: &[Row], k: usize) -> Call {
    let call = live(START, &rows[..k]);
    let mut call = restore(&save(&call));
    feed(&mut call, &rows[k..]);
    call.finish();
    call
}

/// An `awaiting_first_payment` inquiry: SD12 is raised by the branch's entry action (line 7).
fn awaiting_payment_log() -> Vec<Row> {
    vec![
        ("14:05:13", Event::Greeting),
        ("14:05:20", ev("customer_identified", "Pat Lee")),
        ("14:05:31", inquiry("reward_email_missing")),
        ("14:05:50", ev("warranty_started", "2026-01-20")),
        ("14:05:51", ev("first_payment", "none")), // line 7: the branch is entered
        ("14:06:20", step("explain_review_period")),
        ("14:06:25", ev("collect", "phone")),
        ("14:06:40", Event::AnythingElse),
        ("14:07:45", Event::Goodbye),
        ("14:07:47", ended()),
    ]
}

/// Three inquiries with findings of every kind; the first ones close long before the end.
fn busy_log() -> Vec<Row> {
    vec![
        ("14:05:31", inquiry("reward_site_issue")),
        ("14:05:40", step("apologize")),
        ("14:05:50", ev("collect", "name")),
        ("14:06:00", inquiry("reward_email_missing")),
        ("14:06:05", step("explain_review_period")),
        ("14:06:10", ev("warranty_started", "2026-01-20")),
        ("14:06:11", ev("first_payment", "2026-01-21")),
        ("14:06:20", ev("collect", "email")),
        ("14:06:30", inquiry("warranty_cancellation")),
        ("14:06:35", ev("refund_calculator", "none")),
        ("14:06:40", step("service_call_reported")),
        ("14:06:45", ev("chat_opened", "paid_call")),
        ("14:06:50", ev("warranty_prompt", "yes")),
        (
            "14:06:55",
            ev("chat_form", "enterprise_id=sjones;customer_id=555-123-4567"),
        ),
        ("14:07:00", ev("chat_waiting", "3")),
        ("14:07:10", ev("chat_connected", "Alex")),
        ("14:07:20", ev("paid_amount_obtained", "120")),
        ("14:07:30", step("chat_ended")),
        ("14:07:40", ev("quote_amount", "12.00")),
        ("14:07:45", Event::Goodbye),
        ("14:07:50", ev("call_ended", "customer_hung_up")),
    ]
}

/// A no-response escalation whose log simply stops (never `call_ended`).
fn cut_off_log() -> Vec<Row> {
    vec![
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("reward_partner_no_response")),
        ("14:05:40", step("apologize")),
        ("14:05:50", ev("contact_time", "outside_business_hours")),
        ("14:06:00", ev("email_sent", "rewards_team")),
        ("14:06:10", step("promise_followup")),
    ]
}

#[test]
fn a_save_at_any_row_resumes_to_the_uninterrupted_result() {
    for (name, rows) in [
        ("awaiting payment", awaiting_payment_log()),
        ("busy", busy_log()),
        ("cut off", cut_off_log()),
    ] {
        let whole = run(START, &rows);
        for k in 0..=rows.len() {
            let resumed = resumed_at(&rows, k);
            assert_eq!(
                judged(&resumed),
                judged(&whole),
                "{name}: saved after row {k}"
            );
            assert_eq!(save(&resumed), save(&whole), "{name}: saved after row {k}");
            assert_eq!(resumed, whole, "{name}: saved after row {k}");
            for i in 0..whole.inquiries().len() {
                assert_eq!(branch(&resumed, i), branch(&whole, i));
            }
        }
    }
}

#[test]
fn the_three_logs_are_judged_as_expected() {
    let afp = run(START, &awaiting_payment_log());
    assert_eq!(branch(&afp, 0), Some("awaiting_first_payment"));
    assert_codes(&afp, &["SD12", "SD13"]);
    assert_eq!(outcome(&afp), (95, Verdict::Pass));

    let busy = run(START, &busy_log());
    assert_eq!(branch(&busy, 1), Some("overdue"));
    // The call ends cut off (hung up): nothing counts as missing, in any inquiry.
    assert_codes(
        &busy,
        &[
            "CF01", "CF05", "PC05", "PC06", "PC07", "SD01", "SD03", "SD13",
        ],
    );
    // The form's four defects are four instances of one PC06.
    assert_eq!(evidence(&busy, Code::PC06).len(), 4);
    assert_eq!(outcome(&busy), (0, Verdict::Fail));

    let cut = run(START, &cut_off_log());
    assert_codes(&cut, &["CF05", "SD13"]);
    assert_eq!(outcome(&cut), (95, Verdict::Incomplete));
}

#[test]
fn restoring_in_awaiting_first_payment_reruns_its_entry_action_harmlessly() {
    let rows = awaiting_payment_log();
    let whole = run(START, &rows);
    assert_eq!(evidence(&whole, Code::SD12).len(), 1);

    // Saved right after the first payment: the inquiry sits in the branch whose entry action
    // raised SD12.
    let before = live(START, &rows[..5]);
    assert_eq!(before.inquiries()[0].state_name(), "awaiting_first_payment");
    assert_eq!(evidence_lines(&before, Code::SD12), vec![7]);
    let saved = save(&before);

    let mut resumed = restore(&saved);
    feed(&mut resumed, &rows[5..6]);
    // The entry action ran again on the first row after the restore (line 8): SD12 still has
    // its one instance, from line 7.
    assert_eq!(evidence_lines(&resumed, Code::SD12), vec![7]);
    feed(&mut resumed, &rows[6..]);
    assert_eq!(evidence(&resumed, Code::SD12).len(), 1);
    let findings =
        |call: &Call| serde_json::to_string(&call.findings().collect::<Vec<_>>()).unwrap();
    assert_eq!(findings(&resumed), findings(&whole));
    assert_eq!(resumed.outcome(), whole.outcome());

    // The entry action does run on restore: with SD12 struck from the saved inquiry, the first
    // row after the restore raises it again, with the evidence of when the branch was entered.
    let mut tampered: serde_json::Value = serde_json::from_str(&saved).unwrap();
    let findings_of_inquiry = tampered
        .pointer_mut("/machine/shared_storage/inquiries/0/machine/shared_storage/findings")
        .expect("the saved inquiry's findings");
    assert_eq!(findings_of_inquiry.as_array().map(Vec::len), Some(1));
    *findings_of_inquiry = serde_json::json!([]);
    let mut rerun = restore(&tampered.to_string());
    assert!(evidence(&rerun, Code::SD12).is_empty());
    feed(&mut rerun, &rows[5..]);
    assert_eq!(findings(&rerun), findings(&whole));
}

#[test]
fn the_restored_call_runs_with_the_configuration_it_was_saved_under() {
    let rows = cut_off_log();
    let config = callflow_workflows::Config {
        scoring: callflow_workflows::Scoring {
            major_penalty: 15,
            minor_penalty: 30,
            pass_threshold: 80,
            ..Default::default()
        },
        ..callflow_workflows::Config::default()
    };
    let strict = engine_with(config.clone());
    let mut first = start_with(std::sync::Arc::clone(&strict), START);
    feed(&mut first, &rows[..3]);
    // Restored by a service that rebuilt its engine from the same policy.
    let rebuilt = engine_with(config);
    let mut call = restore_under(&rebuilt, &save(&first));
    assert!(std::sync::Arc::ptr_eq(call.rules(), rebuilt.rules()));
    feed(&mut call, &rows[3..]);
    feed(&mut call, &[("14:06:20", ended())]);
    // Complete now: the no-response omissions count (SD06, SD09, SD05, CF03, CF04) and SD13.
    assert_codes(&call, &["CF03", "CF04", "SD05", "SD06", "SD09", "SD13"]);
    // 3 majors (45) and 3 minors at 30 each (90): floored at 0, a fail.
    assert_eq!(outcome(&call), (0, Verdict::Fail));
}

#[test]
fn a_restored_finished_call_stays_finished() {
    let whole = run(START, &awaiting_payment_log());
    let mut resumed = restore(&save(&whole));
    assert!(resumed.is_over());
    let late = callflow_workflows::Step::new(next_stamp(&resumed, "14:08:00"), Event::Goodbye);
    assert!(resumed.handle(&late).is_err());
    resumed.finish();
    assert_eq!(judged(&resumed), judged(&whole));
}

#[test]
fn facts_known_to_be_none_survive_a_save() {
    let call = live(
        START,
        &[
            ("14:05:50", ev("first_payment", "none")),
            ("14:05:51", ev("refund_calculator", "none")),
        ],
    );
    let facts = call.frame().facts().clone();
    let fact = |event: &str| {
        facts
            .iter()
            .find(|(n, _)| n.as_str() == event)
            .map(|(_, v)| v)
    };
    assert_eq!(
        fact("first_payment"),
        Some(callflow_workflows::Value::DateOrNone(None))
    );
    assert_eq!(
        fact("refund_calculator"),
        Some(callflow_workflows::Value::AmountOrNone(None))
    );
    assert_eq!(fact("warranty_started"), None);
    let restored = restore(&save(&call));
    // "No payment" and "nothing displayed" are facts; "not looked up yet" is not.
    assert_eq!(*restored.frame().facts(), facts);
    assert_eq!(restored, call);
}
