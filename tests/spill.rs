//! Bounded memory (issue #23): under `--memory-limit`, the open calls idle longest wait on disk
//! and come back when a row of theirs arrives; the reports are those of a run without a limit,
//! whatever the number of threads, and the calls still open at the end come out in first-line
//! order.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use callflow::audit::memory::MemoryLimit;
use callflow::audit::pipeline::{audit_report, AuditOptions};
use callflow::audit::{LogReader, Replayer};
use callflow::workflows::{Config, Engine};

use crate::util::callflow as run;

/// A log whose calls never end: each starts, is greeted `overlap` starts later and states its
/// inquiry `2 × overlap` starts later (so rows of many calls interleave); no `call_ended`.
fn never_ending(calls: u64, overlap: u64) -> String {
    let mut log = String::from("call_id,timestamp,agent_id,event,value,text\n");
    let mut second = 0u64;
    let mut stamp = || {
        second += 1;
        let s = second / 10;
        format!(
            "2026-03-{:02}T{:02}:{:02}:{:02}-05:00",
            2 + s / (8 * 3600),
            9 + (s % (8 * 3600)) / 3600,
            (s % 3600) / 60,
            s % 60
        )
    };
    for i in 0..calls + 2 * overlap {
        if i < calls {
            let _ = writeln!(
                log,
                "N-{i},{},agent{},call_started,Home Warranty Rewards,",
                stamp(),
                i % 97
            );
        }
        if let Some(g) = i.checked_sub(overlap).filter(|&g| g < calls) {
            let _ = writeln!(log, "N-{g},{},,greeting,,", stamp());
        }
        if let Some(q) = i.checked_sub(2 * overlap).filter(|&q| q < calls) {
            let _ = writeln!(log, "N-{q},{},,inquiry,reward_email_missing,", stamp());
        }
    }
    log
}

/// `callflow audit LOG --format json --out OUT --threads THREADS --memory-limit LIMIT`, and
/// `extra` arguments.
fn audit_to_json(
    log: &Path,
    out: &Path,
    threads: &str,
    limit: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "audit",
        log.to_str().expect("a path"),
        "--format",
        "json",
        "--out",
        out.to_str().expect("a path"),
        "--threads",
        threads,
        "--memory-limit",
        limit,
    ];
    args.extend_from_slice(extra);
    run(args)
}

fn simulated(calls: u64) -> Vec<u8> {
    crate::util::simulated_log(calls, 23)
}

/// The JSON report of `log` on `threads` threads under `limit` (`None`: no limit).
fn json(
    log: &[u8],
    threads: usize,
    limit: Option<u64>,
    history: bool,
    compare: Option<&Arc<Engine>>,
) -> String {
    let options = AuditOptions {
        threads,
        history,
        compare,
        memory_limit: limit.map(MemoryLimit::from_bytes),
        ..AuditOptions::default()
    };
    crate::util::json_report(log, "log.csv", options)
}

#[test]
fn every_call_spilled_whenever_another_is_touched_gives_the_same_report() {
    // A limit of 0: before any call comes into memory, every other one goes to disk, so each
    // call is saved and brought back between any two of its rows that another call's row
    // separates. Calls with faults, overlapping, over several epochs.
    let log = simulated(1_500);
    let free = json(&log, 1, None, false, None);
    assert!(free.matches("\"call_id\"").count() >= 1_500);
    for threads in [1, 2, 3] {
        assert_eq!(
            free,
            json(&log, threads, Some(0), false, None),
            "{threads} threads"
        );
    }
    // Rows kept for transcripts ride beside the spilled calls.
    assert_eq!(free, json(&log, 2, Some(0), true, None));
}

#[test]
fn the_hand_derived_logs_audit_the_same_with_every_call_spilled() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/logs");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("tests/logs") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let log = std::fs::read(&path).expect("a log");
        if LogReader::new(&log[..], "log.csv").is_err() {
            // A log whose header is wrong on purpose (missing_event.csv): nothing to replay.
            continue;
        }
        let free = json(&log, 1, None, false, None);
        for threads in [1, 3] {
            assert_eq!(
                free,
                json(&log, threads, Some(0), false, None),
                "{} on {threads} threads",
                path.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 9, "{seen} logs");
}

#[test]
fn a_what_if_spills_each_call_with_its_shadow() {
    let log = simulated(600);
    let mut stricter = Config::default();
    stricter.scoring.pass_threshold = 95;
    let other = Arc::new(
        Engine::builtin()
            .with_config(stricter)
            .expect("a stricter policy"),
    );
    let options = |limit: Option<u64>| AuditOptions {
        threads: 2,
        compare: Some(&other),
        memory_limit: limit.map(MemoryLimit::from_bytes),
        ..AuditOptions::default()
    };
    let audit = |limit| {
        audit_report(
            LogReader::new(&log[..], "log.csv").expect("a header"),
            Arc::new(Engine::builtin()),
            options(limit),
        )
        .expect("an audit")
    };
    let (free, spilled) = (audit(None), audit(Some(0)));
    let compared = |report: &callflow::audit::AuditReport| {
        report
            .calls
            .iter()
            .map(|call| format!("{:?}", call.compared))
            .collect::<Vec<_>>()
    };
    assert_eq!(compared(&free), compared(&spilled));
    // The stricter policy moves some calls: the shadows were judged, not lost.
    assert!(free
        .calls
        .iter()
        .filter_map(|call| call.compared.as_ref())
        .any(|c| c.before != c.after));
}

#[test]
fn a_call_spilled_mid_call_and_brought_back_ends_as_one_never_spilled() {
    let log = "call_id,timestamp,agent_id,event,value,text\n\
        A,2026-03-02T10:00:00-05:00,sjones,call_started,Home Warranty Rewards,\n\
        A,2026-03-02T10:00:05-05:00,,greeting,,\n\
        B,2026-03-02T10:00:06-05:00,adiaz,call_started,Home Warranty Rewards,\n\
        A,2026-03-02T10:00:20-05:00,,inquiry,reward_email_missing,\n\
        B,2026-03-02T10:00:21-05:00,,greeting,,\n\
        A,2026-03-02T10:00:30-05:00,,warranty_started,2026-01-02,\n\
        A,2026-03-02T10:00:50-05:00,,goodbye,,\n\
        B,2026-03-02T10:00:51-05:00,,call_ended,,\n\
        A,2026-03-02T10:00:55-05:00,,call_ended,,\n";
    let replay = |limit: Option<MemoryLimit>| {
        let engine = Arc::new(Engine::builtin());
        let mut replayer = Replayer::new(engine);
        if let Some(limit) = limit {
            replayer = replayer.with_memory_limit(limit);
        }
        let mut reader = LogReader::new(log.as_bytes(), "log.csv").expect("a header");
        let mut ended = Vec::new();
        while let Some(row) = reader.next_row().expect("rows") {
            ended.extend(replayer.feed(row));
        }
        let spilled = replayer.calls_spilled();
        let (rest, rows, _) = replayer.finish().expect("no spill failure");
        assert!(rest.is_empty());
        assert_eq!((rows.replayed, rows.rejected), (9, 0));
        (ended, spilled)
    };
    let (free, none) = replay(None);
    let (spilled, spills) = replay(Some(MemoryLimit::from_bytes(0)));
    assert_eq!(none, 0);
    // A went to disk when B started and when B was greeted, B when A's rows came.
    assert!(spills >= 4, "{spills} spills");
    assert_eq!(free.len(), 2);
    for (a, b) in free.iter().zip(&spilled) {
        assert_eq!(a.call_id, b.call_id);
        assert_eq!(a.verdict, b.verdict);
        assert_eq!(a.score, b.score);
        assert_eq!(a.findings, b.findings);
        assert_eq!(a.inquiries, b.inquiries);
        assert_eq!(a.last_line, b.last_line);
    }
}

#[test]
fn calls_that_never_end_under_16_megabytes_give_the_json_of_a_run_without_limit() {
    // 200,000 calls, none ending (600,000 rows): without a limit they take about 230 MB; under
    // 16 MB most wait on disk, and at the end all are judged one at a time in first-line
    // order. The streamed JSON (the CLI's) is compared byte for byte.
    let dir = temp_dir!();
    let path = dir.path().join("never_ending.csv");
    std::fs::write(&path, never_ending(200_000, 50)).expect("a log");
    let audit = |limit: &str, threads: &str| {
        let out = dir.path().join(format!("{limit}-{threads}.json"));
        let result = audit_to_json(&path, &out, threads, limit, &["--quiet"]);
        assert_eq!(result.status.code(), Some(0), "{result:?}");
        std::fs::read(&out).expect("the report")
    };
    let free = audit("1T", "2");
    let text = String::from_utf8_lossy(&free);
    assert_eq!(text.matches("\"verdict\":\"incomplete\"").count(), 200_000);
    // First-line order: N-0 first, N-199999 last.
    let first = text.find("\"N-0\"").expect("N-0");
    let last = text.find("\"N-199999\"").expect("N-199999");
    assert!(first < last);
    for threads in ["1", "2", "3"] {
        assert!(audit("16M", threads) == free, "{threads} threads");
    }
}

#[test]
fn finished_calls_waiting_for_an_early_open_call_wait_on_disk_and_the_json_is_the_same() {
    // One call started first and never ended holds every later call until the end of the
    // log (the report lists calls by first line). Under 1 MiB the waiting calls' budget is an
    // eighth of that: most of the 1,500 finished calls wait on disk.
    let dir = temp_dir!();
    let path = dir.path().join("one_open.csv");
    let rows = String::from_utf8(simulated(1_500)).expect("UTF-8");
    let (header, rest) = rows.split_once('\n').expect("a header");
    let log = format!(
        "{header}\nZ-OPEN,2026-03-02T08:59:00-05:00,mlopez,call_started,Home Warranty Rewards,\n{rest}"
    );
    std::fs::write(&path, log).expect("a log");
    let audit = |limit: &str, threads: &str| {
        let out = dir.path().join(format!("{limit}-{threads}.json"));
        let result = audit_to_json(&path, &out, threads, limit, &[]);
        assert_ne!(result.status.code(), Some(2), "{result:?}");
        let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
        (std::fs::read(&out).expect("the report"), stderr)
    };
    let (free, quiet) = audit("1T", "1");
    assert!(!quiet.contains("waited on disk"), "{quiet}");
    let text = String::from_utf8_lossy(&free);
    assert!(text.matches("\"call_id\"").count() > 1_500);
    let z = text.find("\"Z-OPEN\"").expect("Z-OPEN");
    let next = text.find("\"C-").expect("the other calls");
    assert!(z < next, "the open call goes first");
    for threads in ["1", "2", "3"] {
        let (bounded, note) = audit("1M", threads);
        assert!(bounded == free, "{threads} threads");
        assert!(
            note.contains("finished calls waited on disk for a call that started before them"),
            "{threads} threads: {note}"
        );
    }
}

#[test]
fn a_memory_limit_that_is_not_a_size_is_refused_with_its_text() {
    let result = run(["audit", "--memory-limit", "lots"]);
    assert_eq!(result.status.code(), Some(2), "{result:?}");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("\"lots\""), "{stderr}");
    assert!(stderr.contains("256M"), "{stderr}");
}

#[test]
fn a_memory_limit_below_the_runs_fixed_cost_is_pointed_out_and_the_report_is_the_same() {
    let audit = |limit: &str, threads: &str| {
        let result = run([
            "audit",
            "--format",
            "json",
            "--memory-limit",
            limit,
            "--threads",
            threads,
        ]);
        assert_eq!(result.status.code(), Some(0), "{result:?}");
        let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
        (result.stdout, stderr)
    };
    let (free, quiet) = audit("1G", "3");
    assert!(!quiet.contains("--memory-limit"), "{quiet}");
    // 3 threads: 66M fixed (20 + 16 for the calls waiting + 10 a worker) and 4M of room a
    // thread, with the allocator's sixteenth: 79M.
    let (low, note) = audit("64M", "3");
    assert_eq!(low, free);
    assert!(
        note.contains("--memory-limit 64M is below what this run needs whatever the log: 66M fixed with 3 threads, and 12M of room for open calls")
            && note.contains("79M or more avoids both"),
        "{note}"
    );
    // One thread needs 46M and 4M of room.
    let (_, one) = audit("64M", "1");
    assert!(!one.contains("is below"), "{one}");
}
