//! The embedding API's guard rails (issue #15): what `handle` says it changed, saved calls
//! that cannot be restored wrong (another configuration, an edited save, an old format),
//! lines and times that must move forward, and the wire form of events.

use std::sync::Arc;

use callflow_workflows::explore::{paths, Workflow};
use callflow_workflows::{
    Call, CallStart, Config, Engine, Error, Event, EventRecord, Stamp, Step, Verdict,
    SAVED_CALL_FORMAT,
};
use serde_json::{json, Value};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

fn save(call: &Call) -> String {
    serde_json::to_string(call).unwrap()
}

fn try_restore(engine: &Arc<Engine>, saved: &str) -> Result<Call, Error> {
    let mut json = serde_json::Deserializer::from_str(saved);
    Call::restore(engine, &mut json)
}

fn edited(saved: &str, pointer: &str, value: Value) -> String {
    let mut json: Value = serde_json::from_str(saved).unwrap();
    *json
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in {saved}")) = value;
    json.to_string()
}

/// A within-review call that passes under the default rules: its one finding is a minor
/// (CF01, no greeting): 95.
fn passing_rows() -> Vec<Row> {
    vec![
        ("14:05:31", inquiry("reward_email_missing")),
        ("14:05:50", ev("warranty_started", "2026-02-10")),
        ("14:06:20", step("explain_review_period")),
        ("14:06:45", Event::Goodbye),
    ]
}

#[test]
fn a_call_saved_under_one_configuration_is_refused_under_another() {
    let saved = save(&live(START, &passing_rows()));
    // A QA team that fails anything under 100: the same call would flip from pass to fail.
    let strict = engine_with(Config {
        scoring: callflow_workflows::Scoring {
            pass_threshold: 100,
            ..Default::default()
        },
        ..Config::default()
    });
    let error = try_restore(&strict, &saved).unwrap_err();
    assert!(
        matches!(&error, Error::SnapshotRules { saved, here }
            if saved == engine().rules().fingerprint() && here == strict.rules().fingerprint()),
        "{error:?}"
    );
    assert!(error.to_string().contains("rules"), "{error}");

    // A second engine built with the same rules restores it, and the verdict is unchanged.
    let same = engine_with(Config::default());
    let mut call = try_restore(&same, &saved).unwrap();
    call.feed(&Step::new(next_stamp(&call, "14:06:47"), ended()))
        .unwrap();
    assert_eq!(outcome(&call), (95, Verdict::Pass));
}

#[test]
fn a_default_written_out_keeps_the_fingerprint_and_a_changed_parameter_changes_it() {
    let mut config = Config::default();
    config.procedures.insert(
        "shopping_dollars".to_owned(),
        [(
            "review_period_days".to_owned(),
            callflow_workflows::ParamValue::Int(30),
        )]
        .into_iter()
        .collect(),
    );
    let written_out = engine_with(config.clone());
    assert_eq!(
        written_out.rules().fingerprint(),
        engine().rules().fingerprint()
    );
    config
        .procedures
        .get_mut("shopping_dollars")
        .unwrap()
        .insert(
            "review_period_days".to_owned(),
            callflow_workflows::ParamValue::Int(45),
        );
    let changed = engine_with(config);
    assert_ne!(
        changed.rules().fingerprint(),
        engine().rules().fingerprint()
    );
    let saved = save(&live(START, &passing_rows()));
    assert!(matches!(
        try_restore(&changed, &saved),
        Err(Error::SnapshotRules { .. })
    ));
}

// A restored call cannot be made without the engine: `Call` has no `Deserialize` (a
// `compile_fail` example on `Call::restore` checks it).
#[test]
fn a_saved_call_names_its_format_procedures_and_rules() {
    let saved: Value = serde_json::from_str(&save(&live(START, &passing_rows()))).unwrap();
    assert_eq!(saved["format"], json!(SAVED_CALL_FORMAT));
    assert_eq!(
        saved["procedures"],
        json!([
            {"name": "shopping_dollars", "version": 1},
            {"name": "paid_call", "version": 1}
        ])
    );
    assert_eq!(saved["fingerprint"], json!(engine().rules().fingerprint()));
}

#[test]
fn an_old_format_is_refused_naming_both_versions() {
    let saved = save(&live(START, &passing_rows()));
    let mut json: Value = serde_json::from_str(&saved).unwrap();
    // The first format: the machine alone.
    let old = json!({ "machine": json["machine"].take() }).to_string();
    let error = try_restore(&engine(), &old).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("callflow-call/1") && message.contains(SAVED_CALL_FORMAT),
        "{message}"
    );
    // A newer one.
    let newer = edited(&saved, "/format", json!("callflow-call/3"));
    let message = try_restore(&engine(), &newer).unwrap_err().to_string();
    assert!(
        message.contains("callflow-call/3") && message.contains(SAVED_CALL_FORMAT),
        "{message}"
    );
}

#[test]
fn a_procedure_at_another_version_or_missing_is_refused() {
    let saved = save(&live(START, &passing_rows()));
    let bumped = edited(&saved, "/procedures/1/version", json!(2));
    assert_eq!(
        try_restore(&engine(), &bumped).unwrap_err(),
        Error::SnapshotProcedure {
            procedure: "paid_call".to_owned(),
            saved: 2,
            here: "version 1".to_owned(),
        }
    );
    let only_sd = Arc::new(
        Engine::builder()
            .procedure(callflow_workflows::procedures::ShoppingDollars)
            .build()
            .unwrap(),
    );
    let error = try_restore(&only_sd, &saved).unwrap_err();
    assert!(
        matches!(&error, Error::SnapshotProcedure { procedure, here, .. }
            if procedure == "paid_call" && here == "no such procedure"),
        "{error:?}"
    );
}

#[test]
fn an_edited_save_that_contradicts_itself_is_refused() {
    let saved = save(&live(START, &passing_rows()[..3]));
    let restored = try_restore(&engine(), &saved).unwrap();
    assert_eq!(restored.inquiries()[0].state_name(), "within_review");

    let cases = [
        // The issue's two: an inquiry moved to `overdue` while its facts say within review,
        (
            "/machine/shared_storage/inquiries/0/machine/state",
            json!({"Overdue": {}}),
            "overdue",
        ),
        // and the frame `ended` while the call has no end.
        ("/machine/state", json!({"Ended": {}}), "no end"),
        // The frame back in `opening` with an inquiry recorded.
        ("/machine/state", json!({"Opening": {}}), "opening"),
        // The open inquiry marked closed while the call is live.
        (
            "/machine/shared_storage/inquiries/0/closed",
            json!({"line": 4, "at": "2026-03-02T14:05:50-05:00"}),
            "no inquiry is open",
        ),
        // The call started after its latest event.
        (
            "/machine/shared_storage/started/line",
            json!(40),
            "after its latest event",
        ),
    ];
    for (pointer, value, why) in cases {
        let tampered = edited(&saved, pointer, value.clone());
        let error = try_restore(&engine(), &tampered).unwrap_err();
        assert!(
            matches!(&error, Error::InvalidSnapshot { why: message } if message.contains(why)),
            "{pointer} = {value}: {error}"
        );
    }

    // With no facts at all, `awaiting_facts` is the only state the review check can be in.
    let no_facts = save(&live(START, &passing_rows()[..1]));
    let overdue = edited(
        &no_facts,
        "/machine/shared_storage/inquiries/0/machine/state",
        json!({"Overdue": {}}),
    );
    let message = try_restore(&engine(), &overdue).unwrap_err().to_string();
    assert!(
        message.contains("'overdue'") && message.contains("'awaiting_facts'"),
        "{message}"
    );
}

#[test]
fn every_explored_path_restores_equal_at_every_event() {
    let engine = engine();
    let mut restored = 0;
    for workflow in Workflow::all(&engine) {
        for path in paths(&engine, workflow) {
            let start_at = ts(path.clock.start);
            let mut call = Call::start(
                &engine,
                CallStart {
                    call_id: "P-1",
                    agent_id: AGENT_ID,
                    department: DEPARTMENT,
                    agent_name: Some(AGENT_NAME),
                    stamp: Stamp {
                        line: 2,
                        at: start_at,
                    },
                },
            )
            .unwrap();
            let mut events: Vec<Event<'static>> = vec![Event::Greeting];
            events.extend(path.samples.iter().map(|s| s.event));
            events.push(ended());
            for (i, event) in events.iter().enumerate() {
                let stamp = Stamp {
                    line: i as u64 + 3,
                    at: start_at + chrono::Duration::seconds(10 * (i as i64 + 1)),
                };
                let _ = call.feed(&Step::new(stamp, *event));
                let back = try_restore(&engine, &save(&call))
                    .unwrap_or_else(|e| panic!("{} after event {i}: {e}", path.name()));
                assert_eq!(back, call, "{} after event {i}", path.name());
                restored += 1;
            }
        }
    }
    assert!(restored > 100, "only {restored} restores");
}

#[test]
fn lines_must_increase_and_times_never_go_back_leaving_the_call_unchanged() {
    let mut call = live(START, &passing_rows()[..2]);
    let before = save(&call);
    let last = call.frame().last();
    let at = last.at;
    for line in [last.line, last.line - 1, 0] {
        let step = Step::new(Stamp { line, at }, step("explain_review_period"));
        assert_eq!(
            call.handle(&step).err(),
            Some(Error::LineNotAfter {
                line,
                previous: last.line
            })
        );
        assert_eq!(save(&call), before);
    }
    let earlier = Step::new(
        Stamp {
            line: last.line + 1,
            at: at - chrono::Duration::seconds(1),
        },
        step("explain_review_period"),
    );
    assert!(matches!(call.feed(&earlier), Err(Error::BackInTime { .. })));
    assert_eq!(save(&call), before);
    // The same time on the next line keeps file order: accepted.
    let same_time = Step::new(
        Stamp {
            line: last.line + 1,
            at,
        },
        step("explain_review_period"),
    );
    assert!(call.feed(&same_time).is_ok());

    // A call cannot start at line 0 either (lines are 1-based).
    let zero = Call::start(
        &engine(),
        CallStart {
            call_id: "C-0",
            agent_id: AGENT_ID,
            department: DEPARTMENT,
            agent_name: None,
            stamp: Stamp { line: 0, at },
        },
    );
    assert!(matches!(zero, Err(Error::LineNotAfter { line: 0, .. })));
}

#[test]
fn a_stamp_out_of_range_is_refused_leaving_the_call_unchanged() {
    let mut call = live(START, &passing_rows()[..2]);
    let before = save(&call);
    let last = call.frame().last();
    // A line past the last one a call can number, and a time before the year 0000 in UTC
    // (chrono holds it; a call cannot keep it).
    let too_old = chrono::NaiveDate::from_ymd_opt(-1, 6, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc().fixed_offset())
        .unwrap();
    for stamp in [
        Stamp {
            line: Stamp::MAX_LINE + 1,
            at: last.at,
        },
        Stamp {
            line: last.line + 1,
            at: last.at + chrono::Duration::days(365 * 16_000),
        },
    ] {
        let step = Step::new(stamp, step("explain_review_period"));
        let refused = call.handle(&step).err();
        assert!(
            matches!(refused, Some(Error::StampOutOfRange { line, .. }) if line == stamp.line),
            "{refused:?}"
        );
        assert_eq!(save(&call), before);
    }
    // The last line a call can number is kept, and read back as it was.
    let at_the_end = Stamp {
        line: Stamp::MAX_LINE,
        at: last.at,
    };
    call.feed(&Step::new(at_the_end, step("explain_review_period")))
        .unwrap();
    assert_eq!(call.frame().last(), at_the_end);

    for stamp in [
        Stamp {
            line: Stamp::MAX_LINE + 1,
            at: last.at,
        },
        Stamp {
            line: 2,
            at: too_old,
        },
    ] {
        let refused = Call::start(
            &engine(),
            CallStart {
                call_id: "C-far",
                agent_id: AGENT_ID,
                department: DEPARTMENT,
                agent_name: None,
                stamp,
            },
        );
        let message = refused.as_ref().err().map(ToString::to_string);
        assert!(
            matches!(refused, Err(Error::StampOutOfRange { .. })),
            "{message:?}"
        );
        assert!(message.is_some_and(
            |m| m.starts_with(&format!("cannot keep the stamp of line {}", stamp.line))
        ),);
    }
}

#[test]
fn events_after_the_end_are_refused_and_change_nothing() {
    let mut call = live(START, &passing_rows());
    call.feed(&Step::new(next_stamp(&call, "14:06:47"), ended()))
        .unwrap();
    let before = save(&call);
    for event in [Event::Goodbye, step("explain_review_period"), ended()] {
        let late = Step::new(next_stamp(&call, "14:07:00"), event);
        assert!(matches!(
            call.handle(&late),
            Err(Error::AfterEnd { ended_at: 7, .. })
        ));
    }
    call.finish();
    assert_eq!(save(&call), before);
}

#[test]
fn handle_says_what_the_event_changed() {
    let mut call = start(START);
    // No greeting: the inquiry raises CF01 and opens the review check.
    let change = call
        .handle(&Step::new(
            next_stamp(&call, "14:05:31"),
            inquiry("reward_email_missing"),
        ))
        .unwrap();
    assert_eq!(
        (change.from().name(), change.to().name()),
        ("opening", "inquiring")
    );
    assert!(change.transitioned());
    assert_eq!(
        change.raised().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["CF01"]
    );
    let inquiries = change.inquiries();
    assert_eq!(inquiries.len(), 1);
    assert_eq!(
        (inquiries[0].index, inquiries[0].from, inquiries[0].to),
        (0, None, "awaiting_facts")
    );

    // A fact that decides the branch moves the inquiry, not the frame, and raises nothing.
    let change = call
        .handle(&Step::new(
            next_stamp(&call, "14:05:50"),
            ev("warranty_started", "2026-02-10"),
        ))
        .unwrap();
    assert!(!change.transitioned());
    assert_eq!(change.raised().count(), 0);
    let moved = change.inquiries();
    assert_eq!(
        (moved[0].from, moved[0].to),
        (Some("awaiting_facts"), "within_review")
    );
    assert_eq!(
        change.next_steps()[0].requirement.step.as_str(),
        "explain_review_period"
    );

    // A second inquiry closes the first, unanswered (SD02), and opens another.
    let change = call
        .handle(&Step::new(
            next_stamp(&call, "14:06:10"),
            inquiry("reward_site_issue"),
        ))
        .unwrap();
    assert_eq!(
        change.raised().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["SD02"]
    );
    let moved: Vec<_> = change
        .inquiries()
        .iter()
        .map(|c| (c.index, c.from, c.to))
        .collect();
    assert_eq!(
        moved,
        [
            (0, Some("within_review"), "closed"),
            (1, None, "site_issue")
        ]
    );
}

#[test]
fn the_awaiting_facts_next_step_asks_for_the_fact_still_missing_in_either_order() {
    let next = |call: &Call| call.next_steps()[0].requirement.step.as_str().to_owned();
    let opened = [
        ("14:05:13", Event::Greeting),
        ("14:05:31", inquiry("reward_email_missing")),
    ];
    // Nothing known: the warranty start first.
    let call = live(START, &opened);
    assert_eq!(next(&call), "warranty_started");
    // The warranty start known, 41 days before the call: the first payment is missing.
    let mut call = live(START, &opened);
    feed(
        &mut call,
        &[("14:05:50", ev("warranty_started", "2026-01-20"))],
    );
    assert_eq!(call.inquiries()[0].state_name(), "awaiting_facts");
    assert_eq!(next(&call), "first_payment");
    // The first payment known first: the warranty start is still missing.
    let mut call = live(START, &opened);
    feed(
        &mut call,
        &[("14:05:50", ev("first_payment", "2026-02-01"))],
    );
    assert_eq!(call.inquiries()[0].state_name(), "awaiting_facts");
    assert_eq!(next(&call), "warranty_started");
    // Both known, in either order: the branch decides the answer.
    for facts in [
        [
            ("14:05:50", ev("warranty_started", "2026-01-20")),
            ("14:05:51", ev("first_payment", "2026-02-01")),
        ],
        [
            ("14:05:50", ev("first_payment", "2026-02-01")),
            ("14:05:51", ev("warranty_started", "2026-01-20")),
        ],
    ] {
        let mut call = live(START, &opened);
        feed(&mut call, &facts);
        assert_eq!(call.inquiries()[0].state_name(), "overdue");
        assert_eq!(next(&call), "apologize");
    }
}

#[test]
fn every_event_of_the_vocabulary_round_trips_on_the_wire() {
    let engine = engine();
    let mut seen = 0;
    for workflow in Workflow::all(&engine) {
        for path in paths(&engine, workflow) {
            for sample in &path.samples {
                let event = sample.event;
                let wire = serde_json::to_string(&event).unwrap();
                let back: Event = serde_json::from_str(&wire).unwrap();
                assert_eq!(back, event, "{wire}");
                let record: EventRecord = serde_json::from_str(&wire).unwrap();
                assert_eq!(record.event().unwrap(), event, "{wire}");
                assert_eq!(EventRecord::of(&event), record);
                seen += 1;
            }
        }
    }
    assert!(seen > 50, "{seen}");
    let text = r#"{"event": "call_ended", "value": "dropped"}"#;
    let event: Event = serde_json::from_str(text).unwrap();
    assert_eq!(event, ev("call_ended", "dropped"));
    let bad = serde_json::from_str::<Event>(r#"{"event": "teleport", "value": ""}"#);
    assert!(bad.unwrap_err().to_string().contains("teleport"));
    let bad =
        serde_json::from_str::<Event>(r#"{"event": "warranty_started", "value": "2026-02-30"}"#);
    assert!(bad.unwrap_err().to_string().contains("2026-02-30"));
    let bad = serde_json::from_str::<Event>(r#"{"event": "greeting", "value": "", "x": 1}"#);
    assert!(bad.is_err());
}

#[test]
fn calls_and_engines_cross_threads() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Call>();
    send_and_sync::<Engine>();
    let call = live(START, &passing_rows());
    let joined = std::thread::spawn(move || call.outcome()).join().unwrap();
    assert_eq!(joined.verdict, Verdict::Incomplete);
}
