//! # callflow-workflows
//!
//! Documented call procedures as typed [statig](https://docs.rs/statig) state machines, inside
//! a call frame, with the findings, scoring and script lines of the product spec; and the
//! engine that holds them: a procedure is a plug-in ([`Procedure`]), registered with
//! [`Engine::builder`]. The two built-in procedures ([`procedures`]) register through the same
//! call as a procedure of one's own.
//!
//! - [`frame`]: the call frame (greeting, inquiries, "anything else", goodbye, end): the
//!   superstate around the procedures, routing each procedure step to its open inquiry.
//! - [`procedure`]: what a procedure declares, and the [`InquiryMachine`] each inquiry runs.
//! - [`procedures`]: the built-in ones, one folder each (seed 002 shopping dollars, seed 000
//!   paid-call verification).
//! - [`vocab`]: events, values and their syntax; [`script`]: script lines and the adherence
//!   measure (CF02); [`finding`]: codes, severities, evidence; [`call::score`] the verdict;
//!   [`explain`]: each finding in plain words, from the code's owner.
//! - [`explore`]: drives clones of calls with each procedure's sample events to list the
//!   machines' states, transitions and paths (diagrams and transcripts come from there);
//!   [`stage`]: what generated calls need from a procedure.
//!
//! The machines do no I/O and read no clock: the same events always give the same findings.
//!
//! ## Embedding: an agent-assist loop
//! ```
//! use std::sync::Arc;
//! use callflow_workflows::{Call, CallStart, Code, Engine, Stamp, Step};
//!
//! let engine = Arc::new(Engine::builtin());
//! let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
//! let stamp = |line| Stamp { line, at };
//! let mut call = Call::start(&engine, CallStart {
//!     call_id: "C-7", agent_id: "sjones", department: "Home Warranty Rewards",
//!     agent_name: Some("Sam"), stamp: stamp(1),
//! }).unwrap();
//! for (line, name, value) in [(2, "greeting", ""), (3, "inquiry", "reward_partner_no_response")] {
//!     call.handle(&Step::new(stamp(line), engine.event(name, value).unwrap())).unwrap();
//! }
//! // The assist shows the next step and its line:
//! let next = &call.next_steps()[0];
//! assert_eq!(next.requirement.code.map(|c| c.as_str()), Some("SD11"));
//! assert_eq!(next.line.as_deref(), Some("Sorry, <Customer Name>. I apologize for the inconvenience."));
//! ```
#![warn(missing_docs)]
// Nothing from a log may panic the machines: no unwrap, expect or indexing outside tests.
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod call;
pub mod config;
pub mod engine;
pub mod error;
pub mod explain;
pub mod explore;
pub mod finding;
pub mod frame;
pub mod policy;
pub mod procedure;
pub mod procedures;
pub mod recognition;
mod registry;
mod rules;
pub mod script;
pub mod stage;
mod tight;
pub mod vocab;

pub use call::{
    procedures_digest, score, Call, CallOutcome, Change, InquiryChange, Line, Next, NextStep,
    NextSteps, Verdict, COMPACT_FORMAT, COMPACT_TAG, SAVED_CALL_FORMAT,
};
pub use config::{Config, ParamDef, ParamTable, ParamValue, Scoring};
pub use engine::{Ctx, Facts, Input, Requirement, Requirements};
pub use error::Error;
pub use finding::{Code, CodeDef, Evidence, Finding, Findings, NotChecked, Severity};
pub use frame::{CallStart, CallState, Inquiry};
pub use procedure::{machine_box, InquiryMachine, MachineBox, Procedure, ProcedureStorage};
pub use registry::{Engine, EngineBuilder, MAX_PROCEDURES};
pub use rules::Rules;
pub use script::{Placeholders, ScriptDef, ScriptLine};
pub use vocab::{
    Cents, EndStatus, Event, EventDef, EventName, EventRecord, ProcedureStep, Reason, ReasonDef,
    Speaker, Stamp, Step, Syntax, Value,
};

/// The crates [`inquiry_machine!`] expands to, for procedures written outside this crate.
#[doc(hidden)]
pub use {erased_serde, statig};
