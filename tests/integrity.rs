//! A run never loses a call silently. Faults injected on purpose (sim's `fault-injection`
//! feature, on for these tests only: a call id with a fault's prefix sets it off) make the run
//! fail with one sentence, through the library and the binary (exit 2, nothing written): a
//! replay worker that panics, on 2 and 3 threads; a panic in the reading thread's own replay,
//! on 1 thread (with more, it replays nothing); a row or a report lost on the way, caught by
//! the run's own books.

use std::sync::{Arc, OnceLock};

use callflow::audit::fault;
use callflow::audit::pipeline::{audit_report, AuditOptions, Routes};
use callflow::audit::{AuditReport, Error, LogReader};
use callflow::gen::simulate::{simulate, SimulateOptions};
use callflow::workflows::Engine;

use crate::util::{callflow, code, entries, stderr, stdout};

const HEADER: &str = "call_id,timestamp,agent_id,event,value,text\n";

/// A simulated log of 2,000 calls (more rows than a run handles between two releases of
/// finished calls, so that workers are busy when a fault strikes), header left out.
fn simulated_rows() -> &'static str {
    static ROWS: OnceLock<String> = OnceLock::new();
    ROWS.get_or_init(|| {
        let mut log = Vec::new();
        let options = SimulateOptions {
            calls: 2_000,
            seed: 13,
            fault_rate: 0.2,
        };
        simulate(options, &Arc::new(Engine::builtin()), &mut log, None).expect("a log");
        let log = String::from_utf8(log).expect("UTF-8");
        log.strip_prefix(HEADER).expect("the v1 header").to_owned()
    })
}

/// A call id with this prefix that `threads` threads route to `worker` (`None`: the reading
/// thread's own share), as the pipeline routes it.
fn routed(prefix: &str, threads: usize, worker: Option<usize>) -> String {
    let routes = Routes::new(threads);
    (0..10_000)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| routes.worker_of(id.as_bytes()) == worker)
        .unwrap_or_else(|| panic!("no {prefix} id goes to {worker:?} on {threads} threads"))
}

/// Where in the log the faulty call goes.
#[derive(Debug, Clone, Copy)]
enum At {
    /// Right after the header: the run has nearly every row still to read.
    Start,
    /// After every other row: the run has read everything.
    End,
}

/// The simulated log with one more call, `id`, a whole call of two rows.
fn log_with(id: &str, at: At) -> String {
    let call = format!(
        "{id},2026-03-02T14:05:11-05:00,sjones,call_started,Home Warranty Rewards,\n\
         {id},2026-03-02T14:05:40-05:00,,call_ended,completed,\n"
    );
    match at {
        At::Start => format!("{HEADER}{call}{}", simulated_rows()),
        At::End => format!("{HEADER}{}{call}", simulated_rows()),
    }
}

fn audited(log: &str, threads: usize) -> Result<AuditReport, Error> {
    let options = AuditOptions {
        threads,
        ..AuditOptions::default()
    };
    audit_report(
        LogReader::new(log.as_bytes(), "log.csv").expect("a header"),
        Arc::new(Engine::builtin()),
        options,
    )
}

/// The run's error, or a failure naming what the run returned instead.
fn failure(log: &str, threads: usize) -> Error {
    match audited(log, threads) {
        Err(e) => e,
        Ok(report) => panic!(
            "{threads} threads: the run succeeded with {} calls, {} rows read",
            report.calls.len(),
            report.rows.read
        ),
    }
}

#[test]
fn without_a_fault_the_same_log_audits_whole() {
    let calls = audited(&format!("{HEADER}{}", simulated_rows()), 1)
        .expect("an audit")
        .calls
        .len();
    for threads in [1, 2, 3] {
        let worker = (threads > 1).then(|| threads - 2);
        let id = routed("NO-FAULT", threads, worker);
        let report = audited(&log_with(&id, At::Start), threads).expect("an audit");
        assert!(report.calls.iter().any(|c| c.call_id == id));
        assert_eq!(report.calls.len(), calls + 1, "{threads} threads");
    }
}

#[test]
fn a_replay_worker_that_panics_fails_the_run() {
    for (threads, worker) in [(2, 0), (3, 0), (3, 1)] {
        for at in [At::Start, At::End] {
            let id = routed(fault::PANIC, threads, Some(worker));
            let error = failure(&log_with(&id, at), threads);
            assert_eq!(
                error.to_string(),
                format!(
                    "log.csv: replay thread replay-{worker} stopped unexpectedly (panicked: \
                     fault injected while replaying a row of call {id}); the audit is incomplete"
                ),
                "{threads} threads, {at:?}"
            );
        }
    }
}

#[test]
fn a_panic_in_the_reading_threads_own_replay_fails_the_run() {
    // Only one thread replays where it reads; with more, the reading thread replays nothing.
    for at in [At::Start, At::End] {
        let id = routed(fault::PANIC, 1, None);
        let error = failure(&log_with(&id, at), 1);
        assert_eq!(
            error.to_string(),
            format!(
                "log.csv: the reading thread stopped unexpectedly (panicked: \
                 fault injected while replaying a row of call {id}); the audit is incomplete"
            ),
            "{at:?}"
        );
    }
}

/// The audit of the simulated log alone: (rows read, replayed, rejected), calls.
fn unfaulted() -> ((u64, u64, u64), usize) {
    let report = audited(&format!("{HEADER}{}", simulated_rows()), 1).expect("an audit");
    let rows = report.rows;
    (
        (rows.read, rows.replayed, rows.rejected),
        report.calls.len(),
    )
}

/// The threads a test strikes: (threads, worker), `None` for the reading thread's share.
const STRUCK: [(usize, Option<usize>); 5] = [
    (1, None),
    (2, Some(1)),
    (2, Some(0)),
    (3, Some(0)),
    (3, Some(1)),
];

#[test]
fn a_row_lost_on_its_way_fails_the_run_on_its_books() {
    let ((read, replayed, rejected), _) = unfaulted();
    for (threads, worker) in STRUCK {
        for at in [At::Start, At::End] {
            let id = routed(fault::LOSE_ROW, threads, worker);
            let error = failure(&log_with(&id, at), threads);
            assert!(
                matches!(error, Error::Unbalanced { .. }),
                "{threads} threads: {error:?}"
            );
            // The lost call's two rows are read, neither replayed nor rejected.
            assert_eq!(
                error.to_string(),
                format!(
                    "log.csv: internal error: {} rows read, but {replayed} replayed and \
                     {rejected} rejected; the audit is incomplete",
                    read + 2
                ),
                "{threads} threads, worker {worker:?}, {at:?}"
            );
        }
    }
}

#[test]
fn a_report_lost_on_its_way_fails_the_run_on_its_books() {
    let (_, calls) = unfaulted();
    for (threads, worker) in STRUCK {
        for at in [At::Start, At::End] {
            let id = routed(fault::LOSE_CALL, threads, worker);
            let error = failure(&log_with(&id, at), threads);
            assert_eq!(
                error.to_string(),
                format!(
                    "log.csv: internal error: {} calls started, but {calls} reported; the \
                     audit is incomplete",
                    calls + 1
                ),
                "{threads} threads, worker {worker:?}, {at:?}"
            );
        }
    }
}

/// Through the binary: exit 2, the sentence last on standard error (after a panic's own
/// message), nothing on standard output, and no report or temporary file left in the folder,
/// for the streamed JSON and for a report made at the end.
#[test]
fn the_binary_exits_2_and_writes_nothing_when_a_run_fails() {
    let ((read, replayed, rejected), _) = unfaulted();
    let cases = [
        (
            fault::PANIC,
            2,
            Some(0),
            "replay thread replay-0 stopped unexpectedly",
        ),
        (
            fault::PANIC,
            3,
            Some(1),
            "replay thread replay-1 stopped unexpectedly",
        ),
        (
            fault::PANIC,
            1,
            None,
            "the reading thread stopped unexpectedly",
        ),
        (fault::LOSE_ROW, 2, Some(0), "internal error"),
    ];
    for (prefix, threads, worker, problem) in cases {
        for out in ["report.json", "report.md"] {
            let dir = temp_dir!();
            let log = dir.path().join("log.csv");
            let id = routed(prefix, threads, worker);
            std::fs::write(&log, log_with(&id, At::Start)).expect("the log");
            let output = callflow([
                "audit".as_ref(),
                log.as_os_str(),
                "--threads".as_ref(),
                threads.to_string().as_ref(),
                "--out".as_ref(),
                dir.path().join(out).as_os_str(),
            ]);
            let message = stderr(&output);
            assert_eq!(code(&output), 2, "{threads} threads, {out}: {message}");
            assert_eq!(stdout(&output), "");
            let details = if prefix == fault::PANIC {
                format!(" (panicked: fault injected while replaying a row of call {id})")
            } else {
                format!(
                    ": {} rows read, but {replayed} replayed and {rejected} rejected",
                    read + 2
                )
            };
            assert_eq!(
                message.lines().last(),
                Some(
                    format!(
                        "callflow: {}: {problem}{details}; the audit is incomplete",
                        log.display()
                    )
                    .as_str()
                ),
                "{threads} threads, {out}"
            );
            assert_eq!(entries(dir.path()), ["log.csv"], "{threads} threads, {out}");
        }
    }
}
