//! The compact snapshot (`Call::save_compact`, `Call::restore_compact`, issue #23): a saved
//! call restores equal and then behaves as one never saved; any bytes give an error, never a
//! panic; a save under other procedures or rules is refused by its header; the open calls of
//! the `live` bench take under 400 bytes each.

use std::sync::Arc;

use callflow_workflows::explore::{alphabet, Workflow};
use callflow_workflows::{Call, CallStart, Config, Engine, Error, Event, Stamp, Step, COMPACT_TAG};
use chrono::{DateTime, Duration, FixedOffset};
use proptest::prelude::*;

use super::live_floor::live_call;
use super::support::{engine, ts, AGENT_ID, AGENT_NAME, DEPARTMENT};

fn save(call: &Call) -> Vec<u8> {
    let mut out = Vec::new();
    call.save_compact(&mut out);
    out
}

const START: &str = "2026-03-02T14:05:11-05:00";

/// Every event the explorer tries (frame and procedures), an inquiry no procedure covers,
/// and the other ends of a call.
fn pool(engine: &Engine) -> Vec<Event<'static>> {
    let call_date = ts(START).date_naive();
    let mut events: Vec<Event<'static>> = Workflow::all(engine)
        .into_iter()
        .flat_map(|w| alphabet(engine, w, call_date))
        .map(|s| s.event)
        .collect();
    events.push(Event::inquiry("billing_question"));
    events.push(engine.event("call_ended", "dropped").unwrap());
    events.push(engine.event("call_ended", "transferred").unwrap());
    events
}

fn start(engine: &Arc<Engine>, at: DateTime<FixedOffset>) -> Call {
    Call::start(
        engine,
        CallStart {
            call_id: "P-1",
            agent_id: AGENT_ID,
            department: DEPARTMENT,
            agent_name: Some(AGENT_NAME),
            stamp: Stamp { line: 2, at },
        },
    )
    .unwrap()
}

/// One row of a random call: which event of the pool, how many seconds after the previous
/// row, and whether it carries words said (checked against a script: CF02) and another
/// agent's id.
type Row = (usize, u8, bool, bool);

fn step(events: &[Event<'static>], call: &Call, row: Row) -> Step<'static> {
    let (index, gap, said, other_agent) = row;
    let last = call.frame().last();
    let mut step = Step::new(
        Stamp {
            line: last.line + 1,
            at: last.at + Duration::seconds(i64::from(gap)),
        },
        events[index % events.len()],
    );
    if said {
        step = step.with_text("thanks for calling how can i help");
    }
    if other_agent {
        step.agent_id = Some("mlopez");
    }
    step
}

/// What a report of the call says: its state, each inquiry's state and branch, the findings
/// with their evidence, the outcome, and the next steps.
fn judged(call: &Call) -> String {
    let inquiries: Vec<_> = call
        .inquiries()
        .iter()
        .map(|i| (i.code().to_owned(), i.state_name(), i.branch(), i.closed()))
        .collect();
    let findings: Vec<_> = call.findings().collect();
    format!(
        "{:?} {inquiries:?} {findings:?} {:?} {:?} {:?}",
        call.state(),
        call.outcome(),
        call.next_steps(),
        call.frame().facts()
    )
}

#[test]
fn every_explored_path_restores_equal_at_every_event() {
    let engine = engine();
    let mut restored = 0;
    for workflow in Workflow::all(&engine) {
        for path in callflow_workflows::explore::paths(&engine, workflow) {
            let start_at = ts(path.clock.start);
            let mut call = start(&engine, start_at);
            let mut events: Vec<Event<'static>> = vec![Event::Greeting];
            events.extend(path.samples.iter().map(|s| s.event));
            events.push(Event::CallEnded(Default::default()));
            for (i, event) in events.iter().enumerate() {
                let stamp = Stamp {
                    line: i as u64 + 3,
                    at: start_at + Duration::seconds(10 * (i as i64 + 1)),
                };
                let _ = call.feed(&Step::new(stamp, *event));
                let back = Call::restore_compact(&engine, &save(&call))
                    .unwrap_or_else(|e| panic!("{} after event {i}: {e}", path.name()));
                assert_eq!(back, call, "{} after event {i}", path.name());
                restored += 1;
            }
        }
    }
    assert!(restored > 100, "only {restored} restores");
}

#[test]
fn a_save_under_other_procedures_rules_or_format_is_refused_by_its_header() {
    let engine = engine();
    let call = start(&engine, ts(START));
    let saved = save(&call);
    assert_eq!(saved[..2], COMPACT_TAG);

    let mut stricter = Config::default();
    stricter.scoring.pass_threshold = 90;
    let other = Arc::new(engine.with_config(stricter).unwrap());
    match Call::restore_compact(&other, &saved) {
        Err(Error::SnapshotRules { saved, here }) => {
            assert_eq!(saved.len(), 16);
            assert_eq!(here, other.rules().fingerprint());
            assert!(!here.starts_with(&saved));
        }
        other => panic!("{other:?}"),
    }

    let only_sd = Arc::new(
        Engine::builder()
            .procedure(callflow_workflows::procedures::ShoppingDollars)
            .build()
            .unwrap(),
    );
    match Call::restore_compact(&only_sd, &saved) {
        Err(Error::SnapshotProcedures { here, .. }) => assert_eq!(here, "shopping_dollars v1"),
        other => panic!("{other:?}"),
    }

    let mut newer = saved.clone();
    newer[1] = 2;
    let error = Call::restore_compact(&engine, &newer).unwrap_err();
    assert!(
        error.to_string().contains("callflow-call/compact-2"),
        "{error}"
    );
    let json = serde_json::to_vec(&call).unwrap();
    assert!(matches!(
        Call::restore_compact(&engine, &json),
        Err(Error::SnapshotFormat { .. })
    ));
    let mut extra = saved.clone();
    extra.push(0);
    assert!(matches!(
        Call::restore_compact(&engine, &extra),
        Err(Error::Snapshot { .. })
    ));
}

#[test]
fn an_edited_save_that_contradicts_itself_is_refused() {
    // A call in `greeted` whose record says no greeting: the state byte is the last one.
    let engine = engine();
    let mut call = start(&engine, ts(START));
    let greeting = Step::new(
        Stamp {
            line: 3,
            at: ts(START),
        },
        Event::Greeting,
    );
    call.feed(&greeting).unwrap();
    let saved = save(&call);
    let mut opening = save(&start(&engine, ts(START)));
    let state = *saved.last().unwrap();
    *opening.last_mut().unwrap() = state;
    match Call::restore_compact(&engine, &opening) {
        Err(Error::InvalidSnapshot { why }) => {
            assert!(why.contains("no greeting was recorded"), "{why}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_live_benchs_open_calls_save_in_under_400_bytes() {
    // The bench's floor (benches/benchmarks/live.rs), 10,000 calls of its 100,000: each at a
    // random point of its script, numbered and timed as the bench does.
    let engine = engine();
    let start_at = ts(START);
    let mut rng = fastrand::Rng::with_seed(23);
    let (mut total, mut max, mut json) = (0usize, 0usize, 0usize);
    const CALLS: usize = 10_000;
    for n in 1..=CALLS {
        let call = live_call(&engine, n, start_at, rng.usize(0..11));
        let saved = save(&call);
        assert_eq!(Call::restore_compact(&engine, &saved).unwrap(), call);
        total += saved.len();
        json += serde_json::to_vec(&call).unwrap().len();
        max = max.max(saved.len());
    }
    let mean = total / CALLS;
    eprintln!(
        "compact saves of {CALLS} open calls: mean {mean} bytes, max {max} (JSON: mean {})",
        json / CALLS
    );
    assert!(max < 400, "the largest save takes {max} bytes");
    assert!(mean < 300, "the saves take {mean} bytes on average");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A call saved at a random point and restored is equal to the original, and the two then
    /// take the same events to the same judgement.
    #[test]
    fn a_restored_call_behaves_as_one_never_saved(
        rows in proptest::collection::vec((0usize..1000, 0u8..120, proptest::bool::weighted(0.1), proptest::bool::weighted(0.05)), 0..24),
        at in 0usize..25,
        finish in any::<bool>(),
    ) {
        let engine = engine();
        let events = pool(&engine);
        let mut twin = start(&engine, ts(START));
        let mut saved_once: Option<Call> = None;
        for (i, row) in rows.iter().enumerate() {
            if i == at.min(rows.len()) {
                let back = Call::restore_compact(&engine, &save(&twin)).unwrap();
                prop_assert_eq!(&back, &twin);
                saved_once = Some(back);
            }
            let step = step(&events, &twin, *row);
            let a = twin.feed(&step);
            if let Some(call) = saved_once.as_mut() {
                let b = call.feed(&step);
                prop_assert_eq!(a, b);
            }
        }
        let mut resumed = match saved_once {
            Some(call) => call,
            None => Call::restore_compact(&engine, &save(&twin)).unwrap(),
        };
        if finish {
            twin.finish();
            resumed.finish();
        }
        prop_assert_eq!(&resumed, &twin);
        prop_assert_eq!(judged(&resumed), judged(&twin));
    }

    /// Random bytes, with or without a valid header in front, give an error or (very rarely)
    /// a call that passes every check; never a panic.
    #[test]
    fn random_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400), header in any::<bool>()) {
        let engine = engine();
        let mut bytes = Vec::new();
        if header {
            let saved = save(&start(&engine, ts(START)));
            bytes.extend_from_slice(&saved[..14]);
        }
        bytes.extend_from_slice(&body);
        let _ = Call::restore_compact(&engine, &bytes);
    }

    /// Every cut of a valid save is an error, and every one-byte change is an error or a call
    /// that passes every check; never a panic.
    #[test]
    fn cut_and_corrupted_saves_never_panic(
        rows in proptest::collection::vec((0usize..1000, 0u8..120, proptest::bool::weighted(0.1), proptest::bool::weighted(0.05)), 0..16),
        flip in any::<(usize, u8)>(),
    ) {
        let engine = engine();
        let events = pool(&engine);
        let mut call = start(&engine, ts(START));
        for row in rows {
            let step = step(&events, &call, row);
            let _ = call.feed(&step);
        }
        let saved = save(&call);
        for cut in 0..saved.len() {
            prop_assert!(Call::restore_compact(&engine, &saved[..cut]).is_err(), "cut at {}", cut);
        }
        let mut corrupt = saved.clone();
        let at = flip.0 % corrupt.len();
        corrupt[at] ^= flip.1.max(1);
        let _ = Call::restore_compact(&engine, &corrupt);
    }
}
