//! Policies (issue #18): each parameter's effect at its edges, versions chosen by the call
//! date in the business time zone, reworded script lines, messages that quote the rules in
//! force, and every mistake in a policy file reported with its line and column.

use std::sync::Arc;

use callflow_workflows::policy::{default_toml, Policy};
use callflow_workflows::{Call, Code, Engine, Event, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

fn engine_of(toml: &str) -> Arc<Engine> {
    let policy = Policy::from_toml(toml, &engine()).unwrap_or_else(|e| panic!("{e}\n{toml}"));
    Arc::new(engine().with_policy(policy).expect("a valid policy"))
}

fn run_under(engine: &Arc<Engine>, start_at: &str, rows: &[Row]) -> Call {
    let mut call = start_with(Arc::clone(engine), start_at);
    feed(&mut call, rows);
    call.finish();
    call
}

/// A review-period call on 2026-03-02, paid the day the warranty started, with the agent's
/// `steps`.
fn review_call(engine: &Arc<Engine>, warranty: &'static str, steps: &[Row]) -> Call {
    let mut rows = vec![
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("reward_email_missing")),
        ("14:05:50", ev("warranty_started", warranty)),
        ("14:05:51", ev("first_payment", warranty)),
    ];
    rows.extend_from_slice(steps);
    rows.push(("14:07:45", Event::Goodbye));
    rows.push(("14:07:47", ended()));
    run_under(engine, START, &rows)
}

const FORTY_FIVE: &str = "[shopping_dollars]\nreview_period_days = 45\n";

#[test]
fn a_45_day_review_period_moves_every_edge() {
    let engine = engine_of(FORTY_FIVE);
    // 2026-03-02 minus 44, 45, 51, 52 days.
    for (warranty, d, expected) in [
        ("2026-01-17", 44, "within_review"),
        ("2026-01-16", 45, "recently_eligible"),
        ("2026-01-10", 51, "recently_eligible"),
        ("2026-01-09", 52, "overdue"),
    ] {
        assert_eq!((date("2026-03-02") - date(warranty)).num_days(), d);
        let call = review_call(&engine, warranty, &[]);
        assert_eq!(branch(&call, 0), Some(expected), "d = {d}");
    }
    // Under the default, day 44 is already overdue.
    let call = review_call(&crate::support::engine(), "2026-01-17", &[]);
    assert_eq!(branch(&call, 0), Some("overdue"));
}

#[test]
fn messages_quote_the_review_period_in_force() {
    let engine = engine_of(FORTY_FIVE);
    // Day 44, no answer at all: SD02, its expected text naming the 45 days.
    let call = review_call(&engine, "2026-01-17", &[]);
    let expected = &evidence(&call, Code::SD02)[0].expected;
    assert!(expected.contains("45-day review period"), "{expected}");
    // The agent answers before the first payment is known, on day 50: SD03 names d >= 45.
    let call = run_under(
        &engine,
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-01-11")),
            ("14:06:00", step("expect_email_soon")),
        ],
    );
    let expected = &evidence(&call, Code::SD03)[0].expected;
    assert_eq!(expected, "the first payment before the answer (d >= 45)");
}

#[test]
fn the_grace_week_is_its_own_parameter() {
    let engine = engine_of("[shopping_dollars]\nemail_grace_days = 1\n");
    // Day 30: recently eligible; day 31: overdue (30 + 1).
    assert_eq!(
        branch(&review_call(&engine, "2026-01-31", &[]), 0),
        Some("recently_eligible")
    );
    assert_eq!(
        branch(&review_call(&engine, "2026-01-30", &[]), 0),
        Some("overdue")
    );
}

const FORM: &str = "enterprise_id=sjones;agent_name=Sam;member_name=Pat Lee;customer_id=5551234567;reason=Cancellations/Paid Call Fee";

fn chat_on(engine: &Arc<Engine>, at: &'static str) -> Call {
    run_under(
        engine,
        at,
        &[
            (at, Event::Greeting),
            (at, inquiry("warranty_cancellation")),
            (at, ev("refund_calculator", "79.00")),
            (at, ev("quote_amount", "79.00")),
            (at, ev("chat_opened", "relay_cancellation")),
            (at, ev("warranty_prompt", "no")),
            (at, ev("chat_form", FORM)),
            (at, ev("chat_connected", "Alex")),
            (at, ev("chat_ended", "")),
            (at, Event::Goodbye),
            (at, ended()),
        ],
    )
}

#[test]
fn a_holiday_closes_the_chat_and_the_message_says_so() {
    let engine = engine_of("[paid_call]\nholidays = [\"2026-12-25\"]\n");
    let christmas = chat_on(&engine, "2026-12-25T10:00:00-05:00");
    assert_codes(&christmas, &["PC04"]);
    let expected = &evidence(&christmas, Code::PC04)[0].expected;
    assert_eq!(
        expected,
        "a chat Monday to Friday, 09:00 to 18:00 business time (closed on 2026-12-25), or a promised follow-up"
    );
    // The day before is an ordinary Thursday.
    assert_codes(&chat_on(&engine, "2026-12-24T10:00:00-05:00"), &[]);
    // Under the default there are no holidays.
    assert_codes(
        &chat_on(&crate::support::engine(), "2026-12-25T10:00:00-05:00"),
        &[],
    );
}

#[test]
fn earlier_chat_hours_move_the_edges() {
    let engine = engine_of("[paid_call]\nchat_opens = \"08:00\"\nchat_closes = \"17:00\"\n");
    assert_codes(&chat_on(&engine, "2026-03-02T08:00:00-05:00"), &[]);
    assert_codes(&chat_on(&engine, "2026-03-02T07:59:59-05:00"), &["PC04"]);
    assert_codes(&chat_on(&engine, "2026-03-02T16:59:59-05:00"), &[]);
    let late = chat_on(&engine, "2026-03-02T17:00:00-05:00");
    assert_codes(&late, &["PC04"]);
    assert!(evidence(&late, Code::PC04)[0]
        .expected
        .contains("08:00 to 17:00"));
}

/// A call that misses "anything else" and the goodbye: CF03 and CF04, two minors.
fn two_minors(engine: &Arc<Engine>) -> Call {
    run_under(
        engine,
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("reward_site_issue")),
            ("14:05:35", step("apologize")),
            ("14:05:40", step("explain_partner_support")),
            ("14:06:47", ended()),
        ],
    )
}

#[test]
fn weights_threshold_and_switched_off_codes() {
    assert_codes(&two_minors(&engine()), &["CF03", "CF04"]);
    assert_eq!(outcome(&two_minors(&engine())), (90, Verdict::Pass));
    let heavier = engine_of("[scoring]\nminor = 15\n");
    assert_eq!(outcome(&two_minors(&heavier)), (70, Verdict::Fail));
    let stricter = engine_of("[scoring]\npass_threshold = 95\n");
    assert_eq!(outcome(&two_minors(&stricter)), (90, Verdict::Fail));
    // Switched off: not raised at all, neither scored nor reported.
    let off = engine_of("[scoring]\nswitched_off = [\"CF03\"]\n");
    let call = two_minors(&off);
    assert_codes(&call, &["CF04"]);
    assert_eq!(outcome(&call), (95, Verdict::Pass));
    // A severity override: CF04 as a major.
    let major = engine_of("[scoring.severity]\nCF04 = \"major\"\n");
    assert_eq!(outcome(&two_minors(&major)), (80, Verdict::Pass));
}

const VERSIONED: &str = r#"
[shopping_dollars]
review_period_days = 30

[[version]]
effective = "2026-04-01"
[version.shopping_dollars]
review_period_days = 45

[[version]]
effective = 2026-06-01
[version.scoring]
minor = 10
"#;

#[test]
fn each_call_runs_under_the_version_of_its_call_date_in_the_business_time_zone() {
    let engine = engine_of(VERSIONED);
    assert_eq!(engine.versions().len(), 3);
    let rules_of = |start: &str| {
        let call = start_with(Arc::clone(&engine), start);
        call.rules().effective().map(|d| d.to_string())
    };
    // Midnight in New York (EDT, -04:00) is the boundary.
    assert_eq!(rules_of("2026-03-31T23:59:59-04:00"), None);
    assert_eq!(
        rules_of("2026-04-01T00:00:00-04:00"),
        Some("2026-04-01".into())
    );
    // 03:30 UTC on April 1st is still March 31st in New York.
    assert_eq!(rules_of("2026-04-01T03:30:00Z"), None);
    assert_eq!(rules_of("2026-04-01T04:00:00Z"), Some("2026-04-01".into()));
    // A later version keeps the earlier one's change and adds its own.
    let june = start_with(Arc::clone(&engine), "2026-06-01T09:00:00-04:00");
    assert_eq!(
        june.rules().effective().map(|d| d.to_string()),
        Some("2026-06-01".into())
    );
    assert_eq!(june.rules().config().scoring.minor_penalty, 10);
    assert_eq!(
        june.rules().config().procedures["shopping_dollars"]["review_period_days"],
        callflow_workflows::ParamValue::Int(45)
    );
}

#[test]
fn a_reworded_script_line_is_the_one_checked_and_shown() {
    let engine = engine_of(
        "[call_frame.scripts]\ngreeting = \"Welcome to <Department Name>, this is <Agent Name>. How can I help?\"\n",
    );
    let call = start_with(Arc::clone(&engine), START);
    assert_eq!(
        call.next_steps()[0].line.as_deref(),
        Some("Welcome to Home Warranty Rewards, this is Sam. How can I help?")
    );
    // The old greeting said word for word is now off-script (CF02); the new one is not.
    let said = |text: &'static str| {
        let mut call = start_with(Arc::clone(&engine), START);
        say(&mut call, "14:05:13", Event::Greeting, text);
        codes(&call)
    };
    assert_eq!(
        said("Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?"),
        ["CF02"]
    );
    assert!(said("Welcome to Home Warranty Rewards, this is Sam. How can I help?").is_empty());
    // The default engine on the same thread still judges by the document's words.
    let mut call = start(START);
    say(
        &mut call,
        "14:05:13",
        Event::Greeting,
        "Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?",
    );
    assert!(codes(&call).is_empty());
}

#[test]
fn the_default_file_reads_back_as_the_built_in_rules() {
    let text = default_toml(&engine());
    let read = engine_of(&text);
    assert_eq!(read.policy_fingerprint(), engine().policy_fingerprint());
    assert_eq!(read.rules().fingerprint(), engine().rules().fingerprint());
    // Every parameter is in the file, each under a comment quoting where it comes from.
    for procedure in engine().procedures() {
        for def in procedure.parameters() {
            assert!(
                text.contains(&format!("\n{} = ", def.key)),
                "{} missing",
                def.key
            );
        }
    }
    assert!(text.contains("\"Chat is available Monday through Friday\" (seed 000"));
    // A changed value changes the fingerprint.
    let changed = engine_of(&text.replace("review_period_days = 30", "review_period_days = 31"));
    assert_ne!(changed.policy_fingerprint(), engine().policy_fingerprint());
}

#[test]
fn every_mistake_names_its_line_column_and_key() {
    let cases: &[(&str, (usize, usize), &str, &str)] = &[
        (
            "[shopping_dollars]\nreview_period = 30\n",
            (2, 1),
            "shopping_dollars.review_period",
            "unknown key",
        ),
        (
            "[shopping_dollars]\nreview_period_days = \"thirty\"\n",
            (2, 22),
            "shopping_dollars.review_period_days",
            "expected a whole number",
        ),
        (
            "[shopping_dollars]\nemail_grace_days = 0\n",
            (2, 20),
            "shopping_dollars.email_grace_days",
            "at least 1",
        ),
        (
            "[paid_call]\nchat_opens = \"9 o'clock\"\n",
            (2, 14),
            "paid_call.chat_opens",
            "HH:MM",
        ),
        (
            "[[version]]\neffective = \"2026-05-01\"\n[[version]]\neffective = \"2026-04-01\"\n",
            (4, 13),
            "version[2].effective",
            "date order",
        ),
        (
            "[[version]]\neffective = \"2026-05-01\"\n[[version]]\neffective = \"2026-05-01\"\n",
            (4, 13),
            "version[2].effective",
            "one version a date",
        ),
        (
            "[scoring]\nswitched_off = [\"CF99\"]\n",
            (2, 17),
            "scoring.switched_off",
            "no finding code 'CF99'",
        ),
        (
            "[scoring.severity]\nSD99 = \"minor\"\n",
            (2, 1),
            "scoring.severity.SD99",
            "no finding code",
        ),
        (
            "[business]\ntime_zone = \"America/Springfield\"\n",
            (2, 13),
            "business.time_zone",
            "no time zone",
        ),
        (
            "[[version]]\neffective = \"2026-05-01\"\n[version.business]\ntime_zone = \"UTC\"\n",
            (3, 10),
            "version[1].business",
            "only the base rules",
        ),
        (
            "[[version]]\neffective = \"2026-05-01\"\n[version.shopping_dollars]\nemail_grace_days = 0\n",
            (4, 20),
            "version[1].shopping_dollars.email_grace_days",
            "at least 1",
        ),
        (
            "[[version]]\n[version.scoring]\nminor = 1\n",
            (1, 1),
            "version[1].effective",
            "missing",
        ),
        (
            "[call_frame.scripts]\ngoodbye = \"Bye <Caller Name>\"\n",
            (2, 11),
            "call_frame.scripts.goodbye",
            "unknown placeholder <Caller Name>",
        ),
        (
            "[shopping_dollars.scripts]\nhello = \"Hi\"\n",
            (2, 9),
            "shopping_dollars.scripts.hello",
            "no such script line",
        ),
        ("adherence_threshold = 1.5\n", (1, 23), "adherence_threshold", "0 to 1"),
        ("[billing]\nfee = 3\n", (1, 2), "billing", "unknown key"),
        ("[scoring\nmajor = 15\n", (1, 9), "(file)", "not valid TOML"),
    ];
    for (text, (line, column), key, why) in cases {
        let error = Policy::from_toml(text, &engine()).unwrap_err();
        assert_eq!(
            (error.line, error.column, error.key.as_str()),
            (*line, *column, *key),
            "{text}: {error}"
        );
        assert!(error.why.contains(why), "{text}: {error}");
        let shown = error.clone().in_file("team.toml").to_string();
        assert!(
            shown.starts_with(&format!("team.toml:{line}:{column}: {key}: ")),
            "{shown}"
        );
    }
}
