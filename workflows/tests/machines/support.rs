//! A tiny builder that makes a call from `(time, Event)` rows, so that each test reads like a
//! call log, and the assertions every module shares.
//!
//! Times are RFC 3339 (`2026-03-02T14:05:11-05:00`, `...Z`); a bare `HH:MM:SS` means that time
//! on the call's start date, with the offset the call started with. Lines are numbered like a
//! log: the header is line 1, `call_started` line 2, each row the next line.

use std::sync::Arc;

use callflow_workflows::{
    Call, CallStart, Code, Config, EndStatus, Engine, Event, EventName, Evidence, Stamp, Step,
    Verdict,
};
use chrono::{DateTime, FixedOffset, NaiveDate};

/// One row of a call log: when, and what happened.
pub type Row = (&'static str, Event<'static>);

/// The department every test call is made to.
pub const DEPARTMENT: &str = "Home Warranty Rewards";
/// The agent's enterprise id.
pub const AGENT_ID: &str = "sjones";
/// The agent's name.
pub const AGENT_NAME: &str = "Sam";

/// Parses an RFC 3339 timestamp.
pub fn ts(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("bad timestamp {text:?}: {e}"))
}

/// A date `YYYY-MM-DD`.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The built-in engine with the default configuration, shared by every test.
pub fn engine() -> Arc<Engine> {
    static ENGINE: std::sync::OnceLock<Arc<Engine>> = std::sync::OnceLock::new();
    Arc::clone(ENGINE.get_or_init(|| Arc::new(Engine::builtin())))
}

/// The built-in engine under another configuration.
pub fn engine_with(config: Config) -> Arc<Engine> {
    Arc::new(engine().with_config(config).expect("a valid configuration"))
}

/// An event's name in the vocabulary.
pub fn name(name: &str) -> EventName {
    engine()
        .lookup(name)
        .unwrap_or_else(|| panic!("no event {name:?}"))
}

/// Starts a call at `start` (its `call_started`, line 2) with the default configuration.
pub fn start(start: &str) -> Call {
    start_with(engine(), start)
}

/// Starts a call at `start` under a given engine.
pub fn start_with(engine: Arc<Engine>, start: &str) -> Call {
    Call::start(
        &engine,
        CallStart {
            call_id: "C-1",
            agent_id: AGENT_ID,
            department: DEPARTMENT,
            agent_name: Some(AGENT_NAME),
            stamp: Stamp {
                line: 2,
                at: ts(start),
            },
        },
    )
    .unwrap()
}

/// The timestamp of a row of `call`: a full RFC 3339 text, or `HH:MM:SS` on the start's date.
pub fn at(call: &Call, time: &str) -> DateTime<FixedOffset> {
    if time.contains('T') {
        ts(time)
    } else {
        let started = call.frame().started().at;
        ts(&format!(
            "{}T{}{}",
            started.format("%Y-%m-%d"),
            time,
            started.format("%:z")
        ))
    }
}

/// The stamp of the next row of `call`.
pub fn next_stamp(call: &Call, time: &str) -> Stamp {
    Stamp {
        line: call.frame().last().line + 1,
        at: at(call, time),
    }
}

/// Feeds rows to a call; every row must be accepted.
pub fn feed(call: &mut Call, rows: &[Row]) {
    for (time, event) in rows {
        let step = Step::new(next_stamp(call, time), *event);
        call.feed(&step)
            .unwrap_or_else(|e| panic!("row {time} {} rejected: {e}", event.name()));
    }
}

/// Feeds one row with the words said (checked against the script: CF02).
pub fn say(call: &mut Call, time: &str, event: Event<'static>, text: &'static str) {
    let step = Step::new(next_stamp(call, time), event).with_text(text);
    call.feed(&step).unwrap();
}

/// A call that started at `start` and went through `rows`, still live (not finished).
pub fn live(start_at: &str, rows: &[Row]) -> Call {
    let mut call = start(start_at);
    feed(&mut call, rows);
    call
}

/// A call that started at `start`, went through `rows`, and whose log then ended
/// (`Call::finish`: without a `call_ended` row the call is incomplete).
pub fn run(start_at: &str, rows: &[Row]) -> Call {
    let mut call = live(start_at, rows);
    call.finish();
    call
}

/// An event from its log name and value, through the engine (the log's own syntax).
pub fn ev(name: &str, value: &'static str) -> Event<'static> {
    engine()
        .event(name, value)
        .unwrap_or_else(|e| panic!("{name} {value:?}: {e}"))
}

/// A procedure event with no value.
pub fn step(name: &str) -> Event<'static> {
    ev(name, "")
}

/// `inquiry` with a reason code.
pub fn inquiry(code: &'static str) -> Event<'static> {
    ev("inquiry", code)
}

/// `call_ended` with an empty value: the call ran to its end.
pub fn ended() -> Event<'static> {
    Event::CallEnded(EndStatus::Completed)
}

/// The codes raised in the call, sorted (a code raised in two inquiries appears twice).
pub fn codes(call: &Call) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = call.findings().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    codes
}

/// Asserts the call raised exactly these codes: each one present, every other one absent.
#[track_caller]
pub fn assert_codes(call: &Call, expected: &[&str]) {
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(
        codes(call),
        expected,
        "findings: {:#?}",
        call.findings().map(|f| f.message()).collect::<Vec<_>>()
    );
}

/// Asserts none of these codes was raised.
#[track_caller]
pub fn assert_absent(call: &Call, absent: &[&str]) {
    let raised = codes(call);
    for code in absent {
        assert!(
            !raised.contains(code),
            "{code} must not be raised; raised: {raised:?}"
        );
    }
}

/// The evidence of every finding with `code`, in order.
pub fn evidence(call: &Call, code: Code) -> Vec<&Evidence> {
    call.findings()
        .filter(|f| f.code == code)
        .flat_map(|f| f.evidence.iter())
        .collect()
}

/// The lines of the evidence of `code`.
pub fn evidence_lines(call: &Call, code: Code) -> Vec<u64> {
    evidence(call, code).iter().map(|e| e.line).collect()
}

/// The score and verdict.
pub fn outcome(call: &Call) -> (u32, Verdict) {
    let outcome = call.outcome();
    (outcome.score, outcome.verdict)
}

/// The branch name of inquiry `i`.
pub fn branch(call: &Call, i: usize) -> Option<&'static str> {
    call.inquiries()[i].branch()
}

/// The findings and the outcome as JSON: what a report shows, to compare two runs.
pub fn judged(call: &Call) -> String {
    let findings: Vec<_> = call.findings().collect();
    serde_json::to_string(&(findings, call.outcome())).unwrap()
}
