//! Parse only (the csv crate over the same bytes: the floor) against the full audit as
//! `callflow audit --format json` runs it (replay, each call rendered to JSON on its worker,
//! the stream written to a sink), in one group, for 10k and 100k calls, interleaved and
//! sorted by call.

use std::sync::Arc;

use callflow::audit::pipeline::{audit_into, AuditOptions};
use callflow::audit::render::json::{render_call, JsonStream};
use callflow::audit::LogReader;
use callflow::workflows::Engine;
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

use super::fixtures::{log, Order};

fn parse_only(bytes: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0;
    while reader.read_byte_record(&mut record).expect("a record") {
        rows += 1;
    }
    rows
}

/// A sink that counts the bytes of the report.
#[derive(Default)]
struct Counted(u64);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn bench(c: &mut Criterion) {
    let engine = Arc::new(Engine::builtin());
    for calls in [10_000u64, 100_000] {
        for order in [Order::Interleaved, Order::SortedByCall] {
            let (bytes, rows) = log(calls, order);
            let mut group = c.benchmark_group(format!("replay/{calls}-calls/{}", order.name()));
            group.sample_size(10);
            group.throughput(Throughput::Elements(rows));
            let id = |name: &str| BenchmarkId::new(name, "rows");
            group.bench_function(id("parse_only"), |b| {
                b.iter(|| assert_eq!(parse_only(&bytes), rows))
            });
            for threads in [1usize, 2] {
                group.bench_function(id(&format!("audit_{threads}_threads")), |b| {
                    b.iter(|| {
                        let reader = LogReader::new(bytes.as_slice(), "bench").expect("a header");
                        let options = AuditOptions {
                            threads,
                            render: Some(render_call),
                            ..AuditOptions::default()
                        };
                        let mut out = Counted::default();
                        let mut stream = JsonStream::start(&mut out).expect("a sink");
                        let totals = audit_into(reader, Arc::clone(&engine), options, &mut stream)
                            .expect("an audit");
                        stream.finish(&totals).expect("a sink");
                        assert_eq!(totals.rows.read, rows);
                        assert!(out.0 > bytes.len() as u64 / 8, "a report was written");
                    })
                });
            }
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_function(BenchmarkId::new("parse_only", "bytes"), |b| {
                b.iter(|| assert_eq!(parse_only(&bytes), rows))
            });
            group.finish();
        }
    }
}

criterion_group!(benches, bench);
