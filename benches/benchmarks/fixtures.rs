//! Simulated logs, generated once with a fixed seed and kept under `target/bench-logs/`.

use std::path::PathBuf;
use std::sync::Arc;

use callflow::gen::simulate::{simulate, SimulateOptions};
use callflow::workflows::Engine;

/// How a log's rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By time, calls interleaved (as the simulator writes them).
    Interleaved,
    /// Grouped by call, each call's rows in order.
    SortedByCall,
}

impl Order {
    /// The name used in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Order::Interleaved => "interleaved",
            Order::SortedByCall => "sorted",
        }
    }
}

/// A simulated log of `calls` calls (seed 1, fault rate 0.1), its bytes and row count.
pub fn log(calls: u64, order: Order) -> (Vec<u8>, u64) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-logs");
    let path = dir.join(format!("{calls}-{}.csv", order.name()));
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(_) => {
            let mut bytes = Vec::new();
            let options = SimulateOptions {
                calls,
                seed: 1,
                fault_rate: 0.1,
            };
            simulate(options, &Arc::new(Engine::builtin()), &mut bytes, None)
                .expect("a simulated log");
            if order == Order::SortedByCall {
                bytes = sort_by_call(&bytes);
            }
            std::fs::create_dir_all(&dir).expect("target/bench-logs");
            std::fs::write(&path, &bytes).expect("a cached log");
            bytes
        }
    };
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    (bytes, rows)
}

/// The same rows grouped by call (stable: each call keeps its order).
fn sort_by_call(log: &[u8]) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new().from_reader(log);
    let header = reader.byte_headers().expect("a header").clone();
    let mut records: Vec<csv::ByteRecord> = reader
        .byte_records()
        .map(|r| r.expect("a record"))
        .collect();
    records.sort_by(|a, b| a.get(0).cmp(&b.get(0)));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_byte_record(&header).expect("header");
    for record in &records {
        writer.write_byte_record(record).expect("row");
    }
    writer.into_inner().expect("bytes")
}

#[path = "../../workflows/tests/fixtures/live_floor.rs"]
mod live_floor;
pub use live_floor::{started_call, OVERDUE_CALL};
