//! A live contact center, embedded (issue #23): 100,000 calls open at once, events arriving
//! for any of them at random; each event handled and answered with the call's next steps as
//! typed values (`Change::next`: the requirements and their script lines, unfilled). For
//! comparison, the same with the lines filled into `String`s (`Change::next_steps`).
//! Criterion gives the means (with the opening of a new call in place of each that ends, one
//! event in twelve); the spread (p50, p99, p99.9, and p50 and p99 of each script step for the
//! typed answer), the memory of an open call (counted by the benches' allocator, `counted.rs`)
//! and the size of its compact snapshot are printed once before, since criterion reports no
//! percentiles:
//!
//! ```sh
//! cargo bench --bench bench_main -- live
//! ```

use std::sync::Arc;
use std::time::{Duration as Elapsed, Instant};

use callflow::workflows::{Call, Engine, Event, Stamp, Step};
use chrono::{DateTime, Duration, FixedOffset};
use criterion::{criterion_group, Criterion, Throughput};

/// Calls open at once.
const OPEN: usize = 100_000;

/// The overdue call of the `machine` bench: 12 events, the last one ending it.
const SCRIPT: [(&str, &str); 12] = super::fixtures::OVERDUE_CALL;

/// How the next steps are asked.
#[derive(Debug, Clone, Copy)]
enum Answer {
    /// `Change::next`: typed, nothing filled or allocated.
    Typed,
    /// `Change::next_steps`: each script line filled into a `String`.
    Filled,
}

/// Where an open call is in its script: the bench's own bookkeeping, kept apart from the
/// calls so that building an event's step does not touch its call (the first touch of the
/// call is the handling's, as when a real event arrives with its own timestamp).
#[derive(Clone, Copy)]
struct Progress {
    next: usize,
    line: u64,
}

/// The floor: 100,000 calls, each at a random point of its script, and a random order of
/// calls to feed.
struct Center {
    engine: Arc<Engine>,
    events: Vec<Event<'static>>,
    calls: Vec<Call>,
    progress: Vec<Progress>,
    /// The instant of each line of a call (its start plus ten seconds a line), computed once:
    /// the date arithmetic is the event source's, not the handling's.
    at: Vec<DateTime<FixedOffset>>,
    start: DateTime<FixedOffset>,
    rng: fastrand::Rng,
    opened: usize,
}

impl Center {
    fn new() -> Center {
        let engine = Arc::new(Engine::builtin());
        let events = SCRIPT
            .iter()
            .map(|(name, value)| engine.event(name, value).expect("an event"))
            .collect();
        let start = DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").expect("a time");
        let at = (0..=SCRIPT.len() as i64 + 1)
            .map(|line| start + Duration::seconds(line * 10))
            .collect();
        let mut center = Center {
            engine,
            events,
            calls: Vec::with_capacity(OPEN),
            progress: Vec::with_capacity(OPEN),
            at,
            start,
            rng: fastrand::Rng::with_seed(23),
            opened: 0,
        };
        for _ in 0..OPEN {
            let call = center.open();
            center.calls.push(call);
            center.progress.push(Progress { next: 0, line: 1 });
        }
        // Each call somewhere along its script, as on a real floor.
        for i in 0..OPEN {
            let steps = center.rng.usize(0..SCRIPT.len() - 1);
            for _ in 0..steps {
                let step = center.step(i);
                center.feed(i, &step, Answer::Typed);
            }
            center.replace_if_over(i);
        }
        center
    }

    fn open(&mut self) -> Call {
        self.opened += 1;
        super::fixtures::started_call(&self.engine, self.opened, self.start)
    }

    /// Call `i`'s next event as it arrives: its line, its instant and what happened (the
    /// bench's bookkeeping only; the call is not touched).
    fn step(&mut self, i: usize) -> Step<'static> {
        let progress = &mut self.progress[i];
        progress.line += 1;
        let step = Step::new(
            Stamp {
                line: progress.line,
                at: self.at[progress.line as usize],
            },
            self.events[progress.next],
        );
        progress.next += 1;
        step
    }

    /// Feeds call `i` its step and asks its next steps: what is timed. Returns a number made
    /// from them (so nothing is optimised away).
    fn feed(&mut self, i: usize, step: &Step<'_>, answer: Answer) -> usize {
        let change = self.calls[i].handle(step).expect("in order");
        match answer {
            // What an agent assist shows: each step's event and the script line to say.
            Answer::Typed => change
                .next()
                .iter()
                .map(|next| {
                    next.requirement.step.as_str().len()
                        + next.line.map_or(0, |line| line.script().id().len())
                })
                .sum(),
            Answer::Filled => change
                .next_steps()
                .iter()
                .map(|next| next.line.as_ref().map_or(1, String::len))
                .sum(),
        }
    }

    /// A call that ended gives its place to a new one.
    fn replace_if_over(&mut self, i: usize) {
        if self.progress[i].next == SCRIPT.len() {
            self.calls[i] = self.open();
            self.progress[i] = Progress { next: 0, line: 1 };
        }
    }

    fn pick(&mut self) -> usize {
        self.rng.usize(0..OPEN)
    }
}

/// Prints the spread of one event's latency over a million events (the timer brackets the
/// handling and the answer only: the step, with its line and instant, is built before, from
/// the bench's own bookkeeping), the memory per open call (the bytes the allocator holds, as
/// mimalloc's blocks, before and after opening the floor) and the size of the compact
/// snapshots.
fn spread() {
    let before = super::counted::held();
    let mut center = Center::new();
    let after = super::counted::held();
    let held = after.saturating_sub(before);
    // The call alone: inline, and its blocks on the heap (all the bytes held less the floor's
    // two arrays: the calls', whose one large block the allocator rounds up, and the bench's
    // own bookkeeping of 16 bytes a call).
    let arrays = super::counted::usable_of(center.calls.as_ptr())
        + super::counted::usable_of(center.progress.as_ptr());
    eprintln!(
        "live: {} calls open, {} bytes each (allocator's blocks, the bench's 16 bytes a call and its arrays' rounding included); a call alone {} ({} inline, {} on the heap)",
        OPEN,
        held / OPEN,
        std::mem::size_of::<Call>() + held.saturating_sub(arrays) / OPEN,
        std::mem::size_of::<Call>(),
        held.saturating_sub(arrays) / OPEN,
    );
    snapshots(&center);
    for answer in [Answer::Typed, Answer::Filled] {
        // Each event's latency, with the script step it was (to tell which steps make the tail).
        let mut took: Vec<(Elapsed, usize)> = Vec::with_capacity(1_000_000);
        for _ in 0..1_000_000 {
            let i = center.pick();
            let script_step = center.progress[i].next;
            let step = center.step(i);
            let at = Instant::now();
            std::hint::black_box(center.feed(i, &step, answer));
            took.push((at.elapsed(), script_step));
            center.replace_if_over(i);
        }
        let mut all: Vec<Elapsed> = took.iter().map(|&(elapsed, _)| elapsed).collect();
        let [p50, p99, p999, max] = quantiles(&mut all, [0.5, 0.99, 0.999, 1.0]);
        eprintln!(
            "live: handle + next steps ({answer:?}) over 1,000,000 events: p50 {p50:?}, p99 {p99:?}, p99.9 {p999:?}, max {max:?}"
        );
        if let Answer::Typed = answer {
            for (step, (name, _)) in SCRIPT.iter().enumerate() {
                let mut of_step: Vec<Elapsed> = took
                    .iter()
                    .filter(|&&(_, s)| s == step)
                    .map(|&(elapsed, _)| elapsed)
                    .collect();
                let [p50, p99] = quantiles(&mut of_step, [0.5, 0.99]);
                eprintln!(
                    "live:   step {:>2} {name:<20} p50 {p50:?}, p99 {p99:?}",
                    step + 1
                );
            }
        }
    }
}

/// The latencies at the given quantiles (0.5 is the median, 1.0 the slowest).
fn quantiles<const N: usize>(took: &mut [Elapsed], at: [f64; N]) -> [Elapsed; N] {
    took.sort_unstable();
    at.map(|q| {
        let index = ((took.len() as f64 * q) as usize).min(took.len().saturating_sub(1));
        took.get(index).copied().unwrap_or_default()
    })
}

/// Prints the size of the open calls' compact snapshots (`Call::save_compact`), mean and max,
/// beside their JSON's mean.
fn snapshots(center: &Center) {
    let (mut total, mut max, mut json) = (0usize, 0usize, 0usize);
    let mut buffer = Vec::new();
    for call in &center.calls {
        buffer.clear();
        call.save_compact(&mut buffer);
        total += buffer.len();
        max = max.max(buffer.len());
        json += serde_json::to_vec(call).map_or(0, |j| j.len());
    }
    let calls = center.calls.len().max(1);
    eprintln!(
        "live: compact snapshots of the {} open calls: mean {} bytes, max {} (JSON: mean {})",
        center.calls.len(),
        total / calls,
        max,
        json / calls
    );
}

fn bench(c: &mut Criterion) {
    spread();
    let mut center = Center::new();
    let mut group = c.benchmark_group("live");
    group.throughput(Throughput::Elements(1));
    for (name, answer) in [
        ("handle_and_next_steps_100k_open", Answer::Typed),
        ("handle_and_filled_next_steps_100k_open", Answer::Filled),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let i = center.pick();
                let step = center.step(i);
                let steps = center.feed(i, &step, answer);
                // Opening the next call (one event in twelve) is counted too.
                center.replace_if_over(i);
                steps
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
