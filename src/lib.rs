//! # callflow
//!
//! The `callflow` command line and a facade over the two library crates:
//! [`workflows`] (the procedures as statig machines, for embedding) and [`sim`] (log reading,
//! replay, audit reports). The binary only parses arguments, calls the libraries and prints.
#![warn(missing_docs)]

pub use callflow_sim as sim;
pub use callflow_workflows as workflows;

pub mod cli;
