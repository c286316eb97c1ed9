//! # callflow-sim
//!
//! Reads v1 call logs ([`reader`]), replays them through the callflow machines ([`replay`]),
//! and reports the audit ([`report`], rendered by [`render`]). The only crate that reads input.
//!
//! Invariant: every row read ends replayed or rejected; `read = replayed + rejected`.
#![warn(missing_docs)]

pub mod error;
pub mod history;
pub mod persona;
pub mod pipeline;
pub mod reader;
pub mod render;
pub mod replay;
pub mod report;
pub mod sample;
pub mod simulate;
pub mod transcript;
pub mod transcripts;

pub use error::Error;
pub use reader::{LogReader, Row};
pub use replay::{audit, Replayer};
pub use report::{AuditReport, CallReport};
