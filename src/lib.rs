//! # callflow
//!
//! The `callflow` command line and a facade over the library crates: [`workflows`] (the
//! engine and the procedures as statig machines, for embedding), [`audit`] (log reading,
//! replay, audit reports) and [`gen`] (transcripts and simulated logs generated from the
//! machines). The binary only parses arguments, calls the libraries and prints.
#![warn(missing_docs)]

pub use callflow_audit as audit;
pub use callflow_gen as gen;
pub use callflow_history as history;
pub use callflow_workflows as workflows;

pub mod cli;
