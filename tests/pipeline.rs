//! The audit pipeline: the same report whatever the number of replay workers, streaming JSON
//! equal to the full report, and transcripts of historical calls.

use std::sync::Arc;

use callflow::audit::pipeline::{audit_report, AuditOptions};
use callflow::audit::render::{self, Format};
use callflow::audit::LogReader;
use callflow::gen::simulate::{simulate, SimulateOptions};
use callflow::workflows::Engine;

use crate::util::callflow as run;

fn simulated(calls: u64) -> Vec<u8> {
    let mut log = Vec::new();
    let options = SimulateOptions {
        calls,
        seed: 77,
        fault_rate: 0.3,
    };
    simulate(options, &Arc::new(Engine::builtin()), &mut log, None).expect("a log");
    log
}

fn report_with(log: &[u8], threads: usize, history: bool) -> String {
    let options = AuditOptions {
        threads,
        history,
        ..AuditOptions::default()
    };
    let report = audit_report(
        LogReader::new(log, "log.csv").expect("a header"),
        Arc::new(Engine::builtin()),
        options,
    )
    .expect("an audit");
    let mut out = Vec::new();
    render::render(&report, Format::Json, &mut out).expect("JSON");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn one_and_several_workers_give_the_same_report() {
    // More than one epoch of rows, so that calls are released while others are open.
    let log = simulated(3_000);
    let single = report_with(&log, 1, false);
    assert_eq!(single, report_with(&log, 2, false));
    assert_eq!(single, report_with(&log, 3, true));
    assert!(single.matches("\"call_id\"").count() >= 3_000);
}

#[test]
fn the_streamed_json_equals_the_full_report() {
    let dir = temp_dir!();
    let log_path = dir.path().join("log.csv");
    std::fs::write(&log_path, simulated(400)).expect("a log");
    let out = dir.path().join("report.json");
    let result = run([
        "audit",
        log_path.to_str().expect("a path"),
        "--out",
        out.to_str().expect("a path"),
        "--threads",
        "2",
    ]);
    assert_ne!(result.status.code(), Some(2), "{result:?}");
    let streamed = std::fs::read_to_string(&out).expect("the report");
    let log = std::fs::read(&log_path).expect("the log");
    assert_eq!(streamed, report_with(&log, 1, false));
}

#[test]
fn transcripts_of_historical_calls_put_findings_beside_their_lines() {
    let dir = temp_dir!();
    let transcripts = dir.path().join("calls");
    let result = run([
        "audit",
        "--format",
        "json",
        "--out",
        dir.path().join("r.json").to_str().expect("a path"),
        "--transcripts",
        transcripts.to_str().expect("a path"),
    ]);
    assert_eq!(result.status.code(), Some(0), "{result:?}");
    let files = std::fs::read_dir(&transcripts).expect("the folder").count();
    assert_eq!(files, 37, "one file per call of the sample");
    let c1016 = std::fs::read_to_string(transcripts.join("C-1016.md")).expect("C-1016");
    let ended = c1016
        .lines()
        .find(|l| l.starts_with("| 178 |"))
        .expect("the call_ended row, line 178");
    assert!(ended.contains("call_ended"), "{ended}");
    assert!(
        ended.contains("**SD04**") && ended.contains("collect email"),
        "{ended}"
    );
    assert!(ended.contains("**SD05**"), "{ended}");
    let greeting = c1016
        .lines()
        .find(|l| l.starts_with("| 169 |"))
        .expect("the greeting row");
    assert!(greeting.contains("My name is Riya"), "{greeting}");
}
