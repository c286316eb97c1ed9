//! Benchmarks: `cargo bench`. One file per topic under `benchmarks/`.

use criterion::criterion_main;

mod benchmarks;

criterion_main! {
    benchmarks::replay::benches,
    benchmarks::stage::benches,
    benchmarks::machine::benches,
    benchmarks::transcripts::benches,
}
