//! Benchmarks: `cargo bench`. One file per topic under `benchmarks/`.

use criterion::criterion_main;

mod benchmarks;

// The allocator the `callflow` binary uses (src/main.rs), so that the figures are the CLI's,
// counting the bytes it holds for the `live` bench's memory per open call.
#[global_allocator]
static ALLOCATOR: benchmarks::counted::Counted = benchmarks::counted::Counted;

criterion_main! {
    benchmarks::replay::benches,
    benchmarks::stage::benches,
    benchmarks::machine::benches,
    benchmarks::live::benches,
    benchmarks::transcripts::benches,
    benchmarks::tag::benches,
    benchmarks::history::benches,
}
