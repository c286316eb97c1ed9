//! Integration tests of the call machines: each test is a call log fed through the public API
//! (`Call::start`, `handle`, `finish`) and checked against procedures.md: the exact finding
//! codes (present and absent), branches, score and verdict.

#[path = "../fixtures/live_floor.rs"]
mod live_floor;
mod support;

mod catalog;
mod chat_form;
mod chat_hours;
mod compact;
mod decisions_2026_12_03;
mod embedding;
mod explain;
mod explore;
mod frame;
mod incomplete;
mod next_steps;
mod no_response;
mod paid_call;
mod policy;
mod resume;
mod review_period;
mod scoring;
mod site_issue;
