//! The bundled sample log: a few dozen calls covering every branch and the common mistakes.
//! `callflow audit` reads it when no file is given.

/// The sample log's text (v1 CSV).
pub const SAMPLE_LOG: &str = include_str!("../../data/sample.csv");

/// The name the sample goes by in reports.
pub const SAMPLE_NAME: &str = "sim/data/sample.csv";
