//! Transcript generation and rendering, for every clean path.

use std::sync::Arc;

use callflow::sim::transcripts::{clean_paths, transcripts, TranscriptFormat};
use callflow::workflows::explore::Workflow;
use callflow::workflows::Config;
use criterion::{criterion_group, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let config = Arc::new(Config::default());
    let paths = clean_paths(&Workflow::ALL, &config);
    let mut group = c.benchmark_group("transcripts");
    group.throughput(Throughput::Elements(paths.len() as u64));
    group.bench_function("render_all_paths", |b| {
        b.iter(|| {
            let files = transcripts(&paths, 1, false, TranscriptFormat::Markdown, &config);
            assert_eq!(files.len(), paths.len());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
