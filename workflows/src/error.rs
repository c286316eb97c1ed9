//! The one error type of the workflows crate.

use crate::vocab::EventName;

/// What can go wrong when building an engine, building events, or feeding a call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A payload value does not follow the log format.
    #[error("invalid {what} {}: {why}", crate::vocab::Quoted(.value))]
    InvalidValue {
        /// What the value should have been (`amount`, `date`, ...).
        what: &'static str,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// An event name no registered procedure declares.
    #[error("unknown event {name}")]
    UnknownEvent {
        /// The name, quoted.
        name: String,
    },
    /// An event for a call that has already ended.
    #[error("the call ended at line {ended_at}; '{event}' comes after its end")]
    AfterEnd {
        /// The line of the `call_ended` event.
        ended_at: u64,
        /// The late event.
        event: EventName,
    },
    /// A second `call_started` for a call.
    #[error("the call was already started at line {started_at}")]
    AlreadyStarted {
        /// The line of the first `call_started`.
        started_at: u64,
    },
    /// An event that goes back in time within a call.
    #[error("timestamp {at} is earlier than the call's previous event ({previous})")]
    BackInTime {
        /// The event's timestamp.
        at: String,
        /// The previous event's timestamp.
        previous: String,
    },
    /// Procedures that cannot be registered together.
    #[error("cannot build the engine: {0}")]
    Registry(String),
    /// A procedure's parameter with a value it cannot take.
    #[error("procedure '{procedure}': parameter '{key}': {why}")]
    Param {
        /// The procedure.
        procedure: &'static str,
        /// The parameter's key.
        key: String,
        /// What is wrong with its value.
        why: String,
    },
}
