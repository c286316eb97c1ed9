//! # callflow-history
//!
//! The audit history in a real database: `callflow audit LOG --history DB` stores the run and
//! each call's result ([`RunRecord`]) in one transaction; [`History::runs`] and
//! [`History::delete`] manage stored runs; [`History::trend`] gives per period and per agent,
//! code, procedure or branch the calls, the pass rate, the mean score and each code's rate,
//! with the notable moves ([`trend`]), written by [`render`] and [`html`].
//!
//! Two databases, one schema ([`schema`], versioned migrations applied on first use): SQLite,
//! a file (bundled, nothing to install), and PostgreSQL (`postgres://...`) for a team sharing
//! one history. A stored call is identified by its call id and when it started; re-auditing
//! it keeps both results, and trends count the latest run's.
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod backend;
pub mod error;
pub mod html;
pub mod postgres;
pub mod record;
pub mod render;
pub mod schema;
pub mod sqlite;
pub mod store;
pub mod tally;
pub mod trend;

pub use error::Error;
pub use record::{CallRecord, Identity, RunRecord, StoredOverride};
pub use render::TrendFormat;
pub use store::{is_postgres, History, OpenOptions, StoredRun};
pub use trend::{By, Move, MoveKind, Period, Trend, TrendQuery, TrendRow};
