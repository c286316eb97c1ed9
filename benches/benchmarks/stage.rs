//! The replay stage alone, 1 against 2 threads: the rows are read and copied into one
//! `RecordBatch` per shard before timing (as the pipeline's workers copy each worker's rows),
//! then each thread replays its shard of calls with its own `Replayer`. The calls are split as
//! the pipeline routes them (`Routes`, even shares): nothing is read while this is timed, so
//! it measures how the stage itself scales.

use std::sync::Arc;

use callflow::audit::pipeline::Routes;
use callflow::audit::reader::RecordBatch;
use callflow::audit::{LogReader, Replayer};
use callflow::workflows::Engine;
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

use super::fixtures::{log, Order};

fn replay_shard(
    engine: &Arc<Engine>,
    columns: &callflow::audit::reader::Columns,
    rows: &RecordBatch,
) -> u64 {
    let mut replayer = Replayer::new(Arc::clone(engine));
    let mut calls = 0;
    for row in rows.rows(columns) {
        if replayer.feed(row).is_some() {
            calls += 1;
        }
    }
    let (rest, _, _) = replayer.finish().expect("no spill: no limit");
    calls + rest.len() as u64
}

fn bench(c: &mut Criterion) {
    let engine = Arc::new(Engine::builtin());
    let (bytes, rows) = log(100_000, Order::Interleaved);
    let mut group = c.benchmark_group("replay_stage/100000-calls");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows));
    for threads in [1usize, 2] {
        let mut reader = LogReader::new(bytes.as_slice(), "bench").expect("a header");
        let columns = *reader.columns();
        let mut shards: Vec<RecordBatch> = (0..threads).map(|_| RecordBatch::default()).collect();
        // One thread replays every call itself (no worker: shard 0).
        let routes = Routes::new(threads);
        while let Some((raw, record)) = reader.next_record().expect("a record") {
            let shard = routes.thread_of(record, &columns).unwrap_or(0);
            shards[shard].push(record, raw);
        }
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                let calls: u64 = std::thread::scope(|scope| {
                    let handles: Vec<_> = shards
                        .iter()
                        .map(|shard| scope.spawn(|| replay_shard(&engine, &columns, shard)))
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().expect("a shard"))
                        .sum()
                });
                assert_eq!(calls, 100_000);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
