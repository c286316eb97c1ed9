//! One machine step: events per second through a call's machines.

use std::sync::Arc;

use callflow::workflows::{Call, CallStart, Engine, Event, Stamp, Step};
use chrono::{DateTime, Duration};
use criterion::{criterion_group, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let engine = Arc::new(Engine::builtin());
    let start = DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").expect("a time");
    let events: Vec<Event<'static>> = super::fixtures::OVERDUE_CALL
        .into_iter()
        .map(|(name, value)| engine.event(name, value).expect("an event"))
        .collect();
    let steps: Vec<Step<'_>> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Step::new(
                Stamp {
                    line: i as u64 + 3,
                    at: start + Duration::seconds(i as i64 * 10),
                },
                *e,
            )
        })
        .collect();
    let mut group = c.benchmark_group("machine");
    group.throughput(Throughput::Elements(steps.len() as u64));
    group.bench_function("overdue_call", |b| {
        b.iter(|| {
            let mut call = Call::start(
                &engine,
                CallStart {
                    call_id: "B-1",
                    agent_id: "sjones",
                    department: "Rewards",
                    agent_name: None,
                    stamp: Stamp { line: 2, at: start },
                },
            )
            .expect("line 2");
            for step in &steps {
                call.feed(step).expect("in order");
            }
            assert_eq!(call.outcome().score, 100);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
