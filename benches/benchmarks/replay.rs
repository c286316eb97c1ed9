//! Parse only (the csv crate over the same bytes: the floor) against the full replay and audit,
//! in one group, for 10k and 100k calls, interleaved and sorted by call.

use std::sync::Arc;

use callflow::sim::pipeline::{audit_report, AuditOptions};
use callflow::sim::LogReader;
use callflow::workflows::Config;
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

fn bench(c: &mut Criterion) {
    let config = Arc::new(Config::default());
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
                group.bench_function(id(&format!("audit_{threads}_workers")), |b| {
                    b.iter(|| {
                        let reader = LogReader::new(bytes.as_slice(), "bench").expect("a header");
                        let options = AuditOptions {
                            threads,
                            ..AuditOptions::default()
                        };
                        let report =
                            audit_report(reader, Arc::clone(&config), options).expect("an audit");
                        assert_eq!(report.rows.read, rows);
                        assert_eq!(report.calls.len() as u64, calls);
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
