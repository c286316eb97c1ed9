//! `callflow tag`: utterances read into steps and merged with the facts, a second. The
//! tuning half of the speech corpus (tests/speech/tuning: 22 calls, 206 turns) copied under
//! fresh call ids into 10,300 utterances.

use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

use callflow::audit::tag::{tag, Source};
use callflow::workflows::Engine;

/// The corpus's facts and turns copied `copies` times, each copy's call ids suffixed.
fn corpus(copies: usize) -> (String, String, u64) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/speech/tuning");
    let facts = std::fs::read_to_string(format!("{dir}/facts.csv")).expect("corpus facts");
    let turns = std::fs::read_to_string(format!("{dir}/turns.csv")).expect("corpus turns");
    let mut all_facts = String::from("call_id,timestamp,agent_id,event,value,text\n");
    let mut all_turns = String::from("call_id,timestamp,speaker,text\n");
    let mut utterances = 0;
    for copy in 0..copies {
        for line in facts.lines().skip(1) {
            let (id, rest) = line.split_once(',').expect("a row");
            all_facts.push_str(&format!("{id}-{copy},{rest}\n"));
        }
        for line in turns.lines().skip(1) {
            let (id, rest) = line.split_once(',').expect("a row");
            all_turns.push_str(&format!("{id}-{copy},{rest}\n"));
            utterances += 1;
        }
    }
    (all_facts, all_turns, utterances)
}

fn bench_tag(c: &mut Criterion) {
    let engine = Engine::builtin();
    let (facts, turns, utterances) = corpus(50);
    let mut group = c.benchmark_group("tag");
    group.throughput(Throughput::Elements(utterances));
    group.sample_size(20);
    group.bench_with_input(BenchmarkId::new("turns", utterances), &turns, |b, turns| {
        let mut out = Vec::with_capacity(4 << 20);
        b.iter(|| {
            out.clear();
            let outcome = tag(
                &engine,
                facts.as_bytes(),
                "facts.csv",
                Source::Turns(turns.as_bytes(), "turns.csv"),
                &mut out,
            )
            .expect("tagged");
            assert_eq!(outcome.utterances, utterances);
            assert!(outcome.rejected.is_empty());
            outcome.steps
        });
    });
    group.finish();
}

criterion_group!(benches, bench_tag);
