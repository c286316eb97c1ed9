//! Trends over a large history: 10 million stored calls on SQLite (50 weekly runs of 200,000
//! synthetic calls, 200 agents, 14 codes), each dimension per week and per month. The
//! database is filled once (through `History::record`, as `audit --history` stores runs; the
//! time is printed) and kept at `$CALLFLOW_BENCH_HISTORY` (default: the system temp folder's
//! `callflow-history-<calls>.db`) for later runs. `CALLFLOW_BENCH_CALLS` sets another size.
//! It is filled only when one of these benchmarks runs (not for `cargo bench -- tag/`).
//!
//! `cargo bench --bench bench_main -- history` (figures in docs/PERFORMANCE.md).

use std::path::PathBuf;
use std::time::Instant;

use callflow::audit::report::RowCounts;
use callflow::history::record::{CallRecord, Identity};
use callflow::history::{By, History, Period, RunRecord, TrendQuery};
use chrono::NaiveDate;
use criterion::{criterion_group, Criterion};

/// Calls per synthetic run (one week's audit).
const RUN: u64 = 200_000;
const AGENTS: u64 = 200;
const CODES: [&str; 14] = [
    "CF01", "CF02", "CF03", "CF04", "CF05", "CF06", "CF07", "SD01", "SD02", "SD04", "SD12", "PC01",
    "PC03", "PC05",
];

/// One synthetic week: calls spread over its seven days, a third with a finding or two.
fn week(run: u64, calls: u64, rng: &mut fastrand::Rng) -> RunRecord {
    let monday = NaiveDate::from_ymd_opt(2025, 1, 6).expect("a date") + chrono::Days::new(7 * run);
    let records = (0..calls)
        .map(|i| {
            let day = monday + chrono::Days::new(i % 7);
            let failed = rng.u32(0..100) < 18;
            let mut findings = Vec::new();
            if rng.u32(0..3) == 0 {
                findings.push((CODES[rng.usize(0..CODES.len())].to_owned(), "minor", 5));
                if failed {
                    findings.push((CODES[rng.usize(0..CODES.len())].to_owned(), "critical", 9));
                }
            }
            let procedure = if i % 2 == 0 {
                "shopping_dollars"
            } else {
                "paid_call"
            };
            CallRecord {
                call_id: format!("W{run}-{i}"),
                started: format!("{day}T10:00:00Z"),
                agent: format!("agent{:03}", rng.u64(0..AGENTS)),
                call_date: day,
                verdict: if failed { "fail" } else { "pass" },
                score: if failed { 40 } else { 95 },
                findings,
                overrides: Vec::new(),
                inquiries: vec![(
                    procedure.to_owned(),
                    "reason".to_owned(),
                    (i % 4 == 0).then(|| ["overdue", "within_review"][rng.usize(0..2)].to_owned()),
                )],
            }
        })
        .collect();
    RunRecord::new(
        Identity {
            log_name: format!("week-{run}.csv"),
            ..Identity::default()
        },
        RowCounts::default(),
        records,
    )
}

/// How many calls the database holds (`CALLFLOW_BENCH_CALLS`, 10 million by default).
fn wanted_calls() -> u64 {
    std::env::var("CALLFLOW_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000_000)
}

/// The database of `calls` calls, filled first when it is not yet.
fn filled(calls: u64) -> History {
    let path = std::env::var_os("CALLFLOW_BENCH_HISTORY")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("callflow-history-{calls}.db")));
    let target = path.display().to_string();
    let mut history = History::open(&target).expect("the history opens");
    let stored: i64 = history
        .runs()
        .expect("the runs")
        .iter()
        .map(|r| r.calls[0])
        .sum();
    if stored as u64 != calls {
        assert_eq!(stored, 0, "{target} holds another size: remove it");
        let mut rng = fastrand::Rng::with_seed(20);
        let start = Instant::now();
        let mut run = 0;
        while run * RUN < calls {
            let n = RUN.min(calls - run * RUN);
            let one = Instant::now();
            history.record(&week(run, n, &mut rng)).expect("stored");
            eprintln!(
                "history: run {run} ({n} calls) stored in {:.2} s",
                one.elapsed().as_secs_f64()
            );
            run += 1;
        }
        eprintln!(
            "history: {calls} calls stored in {:.1} s ({target})",
            start.elapsed().as_secs_f64()
        );
    }
    history
}

fn bench(c: &mut Criterion) {
    let calls = wanted_calls();
    // Opened (and filled) by the first benchmark that runs: a filter that selects none of
    // them costs nothing.
    let mut opened: Option<History> = None;
    let mut group = c.benchmark_group("history_trend");
    group.sample_size(10);
    for by in [By::Agent, By::Code, By::Procedure, By::Branch] {
        for period in [Period::Week, Period::Month] {
            let name = format!("{}_per_{}_{}_calls", by.as_str(), period.as_str(), calls);
            group.bench_function(name, |b| {
                let history = opened.get_or_insert_with(|| filled(calls));
                b.iter(|| {
                    let trend = history
                        .trend(&TrendQuery::new(by, period))
                        .expect("a trend");
                    if by == By::Agent {
                        let total: u64 = trend.rows.iter().map(|r| r.calls).sum();
                        assert_eq!(total, calls);
                    }
                    assert!(!trend.rows.is_empty());
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
