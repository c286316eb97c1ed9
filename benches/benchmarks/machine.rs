//! One machine step: events per second through a call's machines.

use std::sync::Arc;

use callflow::workflows::{Call, CallStart, Config, Detail, Event, Reason, Stamp, Step, Team};
use chrono::{DateTime, Duration};
use criterion::{criterion_group, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let config = Arc::new(Config::default());
    let start = DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").expect("a time");
    let events = [
        Event::Greeting,
        Event::CustomerIdentified { name: "Pat Lee" },
        Event::Inquiry {
            reason: Reason::RewardEmailMissing,
            code: "reward_email_missing",
        },
        Event::WarrantyStarted("2026-01-10".parse().expect("a date")),
        Event::FirstPayment(Some("2026-01-20".parse().expect("a date"))),
        Event::Apologize,
        Event::Collect {
            detail: Detail::Name,
            declined: false,
        },
        Event::Collect {
            detail: Detail::Email,
            declined: false,
        },
        Event::Collect {
            detail: Detail::Phone,
            declined: false,
        },
        Event::Goodbye,
        Event::EmailSent(Team::RewardsTeam),
        Event::CallEnded(Default::default()),
    ];
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
                Arc::clone(&config),
                CallStart {
                    call_id: "B-1",
                    agent_id: "sjones",
                    department: "Rewards",
                    agent_name: None,
                    stamp: Stamp { line: 2, at: start },
                },
            );
            for step in &steps {
                call.handle(step).expect("in order");
            }
            assert_eq!(call.outcome().score, 100);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
