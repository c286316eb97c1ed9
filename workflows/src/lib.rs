//! # callflow-workflows
//!
//! The two documented call procedures as typed [statig](https://docs.rs/statig) state machines,
//! inside a call frame, with the findings, scoring and script lines of the product spec.
//!
//! - [`frame`]: the call frame (greeting, inquiries, "anything else", goodbye, end): the
//!   superstate around the procedures, routing each procedure step to its open inquiry.
//! - [`shopping_dollars`]: seed 002, the reward email (the review-period check), the reward
//!   site, the partner that does not answer.
//! - [`paid_call`]: seed 000, paid-call verification through the partner chat.
//! - [`script`]: every script line, its placeholders, and the adherence measure (CF02).
//! - [`finding`]: the finding codes, severities and evidence; [`call::score`] the verdict.
//! - [`explore`]: drives clones of the machines with sample events to list their states,
//!   transitions and paths (diagrams and transcripts come from there).
//!
//! The machines do no I/O and read no clock: the same events always give the same findings.
//!
//! ## Embedding: an agent-assist loop
//! ```
//! use std::sync::Arc;
//! use callflow_workflows::{Call, CallStart, Config, Event, Reason, Stamp, Step, Code};
//!
//! let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
//! let stamp = |line| Stamp { line, at };
//! let mut call = Call::start(Arc::new(Config::default()), CallStart {
//!     call_id: "C-7", agent_id: "sjones", department: "Home Warranty Rewards",
//!     agent_name: Some("Sam"), stamp: stamp(1),
//! });
//! call.handle(&Step::new(stamp(2), Event::Greeting)).unwrap();
//! call.handle(&Step::new(stamp(3), Event::Inquiry {
//!     reason: Reason::RewardPartnerNoResponse, code: "reward_partner_no_response",
//! })).unwrap();
//! // The assist shows the next step and its line:
//! let next = &call.next_steps()[0];
//! assert_eq!(next.requirement.code, Some(Code::SD11));
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
pub mod event;
pub mod explore;
pub mod finding;
pub mod frame;
pub mod paid_call;
mod recent_lines;
pub mod script;
pub mod shopping_dollars;
pub mod values;

pub use call::{score, Call, CallOutcome, NextStep, Verdict};
pub use config::{Config, Scoring};
pub use engine::{AccountFacts, Requirement};
pub use error::Error;
pub use event::{
    ChatPurpose, ContactTime, Detail, EndStatus, Event, EventKind, Procedure, Reason, RecordField,
    Speaker, Stamp, Step, Team, TranscriptCopy,
};
pub use finding::{Code, Evidence, Finding, Findings, Severity};
pub use frame::{CallStart, CallState, Inquiry};
pub use script::{Placeholders, ScriptLine};
pub use shopping_dollars::Branch;
pub use values::{Cents, ChatForm};
