//! Benchmark topics and their shared fixtures.

pub mod counted;
pub mod fixtures;
pub mod history;
pub mod live;
pub mod machine;
pub mod replay;
pub mod stage;
pub mod tag;
pub mod transcripts;
