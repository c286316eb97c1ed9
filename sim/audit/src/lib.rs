//! # callflow-audit
//!
//! Reads v1 call logs ([`reader`]), replays them through the callflow machines ([`replay`]),
//! and reports the audit ([`report`], rendered by [`render`]). With `callflow-gen` beside it,
//! the only crate that reads input; the two never import each other.
//!
//! Invariant: every row read ends replayed or rejected; `read = replayed + rejected`; every
//! call started is reported once. Each audit run checks both before it reports
//! ([`Error::Unbalanced`] otherwise).
#![warn(missing_docs)]
// Nothing from a log may panic the audit: no unwrap or expect outside tests, and no indexing
// in the modules that take input apart (reader, replay, pipeline, reports, history). The
// renderers index their own tables.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod blocks;
pub mod calibrate;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod diff;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod ended;
pub mod error;
#[cfg(feature = "fault-injection")]
pub mod fault;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod history;
pub mod identity;
pub mod memory;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
mod open_calls;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod overrides;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod pipeline;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod reader;
pub mod rejection;
pub mod render;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod replay;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod report;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod report_file;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod review_sample;
pub mod sample;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod scanner;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
mod slots;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
mod spill;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
mod table;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod tag;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
pub mod timestamp;
#[cfg_attr(not(test), warn(clippy::indexing_slicing))]
mod waiting;

pub use error::Error;
pub use reader::{LogReader, Row};
pub use replay::{audit, Replayer};
pub use report::{AuditReport, CallReport};
