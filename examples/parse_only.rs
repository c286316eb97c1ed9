//! The floor of any replay: read a log with the csv crate and nothing else, and report the
//! wall time. `docs/PERFORMANCE.md` compares `callflow audit` against it.
//!
//! Run it with `cargo run --release --example parse_only -- LOG.csv`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only LOG.csv");
        std::process::exit(2);
    };
    let started = Instant::now();
    let mut reader = csv::ReaderBuilder::new().from_path(&path)?;
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    while reader.read_byte_record(&mut record)? {
        rows += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(&path)?.len();
    println!(
        "{rows} rows, {:.1} MB in {seconds:.3} s: {:.0} rows/s, {:.0} MB/s",
        bytes as f64 / 1e6,
        rows as f64 / seconds,
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
