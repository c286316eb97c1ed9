//! Transcript generation and rendering, for every clean path.

use std::sync::Arc;

use callflow::gen::transcripts::{clean_paths, transcripts, TranscriptFormat};
use callflow::workflows::explore::Workflow;
use callflow::workflows::Engine;
use criterion::{criterion_group, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let engine = Arc::new(Engine::builtin());
    let paths = clean_paths(&Workflow::all(&engine), &engine);
    let mut group = c.benchmark_group("transcripts");
    group.throughput(Throughput::Elements(paths.len() as u64));
    group.bench_function("render_all_paths", |b| {
        b.iter(|| {
            let files = transcripts(&paths, 1, None, TranscriptFormat::Markdown, &engine);
            assert_eq!(files.len(), paths.len());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
