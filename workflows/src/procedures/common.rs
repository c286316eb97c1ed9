//! Events more than one built-in procedure declares: each procedure lists the same static in
//! its vocabulary, so the engine knows both own it.

use crate::vocab::{EventDef, Speaker, Syntax};

/// Tags from 100 up are those of events shared between procedures (a procedure's own tags
/// stay under 100).
///
/// `promise_followup` (agent): the agent promises a follow-up (the 24-hour answer in the
/// shopping-dollars escalation; the amount confirmed later in paid-call verification).
pub static PROMISE_FOLLOWUP: EventDef = EventDef::new(
    "promise_followup",
    Speaker::Agent,
    Syntax::Empty,
    "the agent promises a follow-up",
)
.tag(100);
