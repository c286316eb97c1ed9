//! # callflow-gen
//!
//! Calls generated from the callflow machines: one per path of a procedure, played out by an
//! agent who does what the machine says is next ([`transcript`]), rendered for trainers
//! ([`transcripts`]), made into handouts of exercises, answer sheets and role-plays
//! ([`handout`]), or written as simulated v1 logs with their answer keys ([`simulate`]), with
//! seeded, consistent people ([`persona`]) and the call frame's words ([`speech`]).
//! Everything procedure-specific (words, values, faults, rule cards) comes from the
//! procedures' stages (`callflow_workflows::stage`). Never imports the audit crate.
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod error;
pub mod handout;
pub mod persona;
pub mod simulate;
pub mod speech;
pub mod transcript;
pub mod transcripts;

pub use error::Error;
