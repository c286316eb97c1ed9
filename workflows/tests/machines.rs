//! Integration tests of the call machines: each test is a call log fed through the public API
//! (`Call::start`, `handle`, `finish`) and checked against procedures.md: the exact finding
//! codes (present and absent), branches, score and verdict.

#[path = "machines/support.rs"]
mod support;

#[path = "machines/catalog.rs"]
mod catalog;
#[path = "machines/chat_form.rs"]
mod chat_form;
#[path = "machines/chat_hours.rs"]
mod chat_hours;
#[path = "machines/frame.rs"]
mod frame;
#[path = "machines/incomplete.rs"]
mod incomplete;
#[path = "machines/next_steps.rs"]
mod next_steps;
#[path = "machines/no_response.rs"]
mod no_response;
#[path = "machines/paid_call.rs"]
mod paid_call;
#[path = "machines/resume.rs"]
mod resume;
#[path = "machines/review_period.rs"]
mod review_period;
#[path = "machines/scoring.rs"]
mod scoring;
#[path = "machines/site_issue.rs"]
mod site_issue;
