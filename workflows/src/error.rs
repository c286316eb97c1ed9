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
    /// A phrase of a recognition list that cannot be used (a policy file's, or a procedure's
    /// own).
    #[error("recognition phrase of {owner}.{cue}: {why}")]
    Phrase {
        /// The owner (a procedure's name, or `call_frame`).
        owner: String,
        /// The cue's id.
        cue: String,
        /// What is wrong with it.
        why: String,
    },
    /// A line of a procedure's labelled examples (its `examples.tsv`) that cannot be read.
    #[error("recognition examples of {owner}, line {line}: {why}")]
    Examples {
        /// The owner (a procedure's name, or `call_frame`).
        owner: String,
        /// The line, from 1.
        line: usize,
        /// What is wrong with it.
        why: String,
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
    /// A stamp a call cannot keep: a line past [`crate::Stamp::MAX_LINE`], or a time outside
    /// the years 0000 to about 17,400 (every time RFC 3339 can write fits).
    #[error("cannot keep the stamp of line {line}: {why}")]
    StampOutOfRange {
        /// The stamp's line.
        line: u64,
        /// What is out of range, with its value.
        why: String,
    },
    /// An event whose line does not come after the call's previous event: within a call, lines
    /// strictly increase (they are the log's lines, or any sequence numbered from 1).
    #[error("line {line} does not come after the call's previous event (line {previous}); lines strictly increase within a call")]
    LineNotAfter {
        /// The event's line.
        line: u64,
        /// The previous event's line.
        previous: u64,
    },
    /// A saved call that cannot be read (not JSON of a saved call, a field missing, a value
    /// out of the vocabulary).
    #[error("cannot read the saved call: {why}")]
    Snapshot {
        /// What is wrong, as the reader found it.
        why: String,
    },
    /// A saved call written in another format version.
    #[error("the saved call is in format {found}; this version of callflow reads {expected} and does not convert older saves (finish or replay those calls under the version that saved them)")]
    SnapshotFormat {
        /// The version the snapshot declares (`callflow-call/1` for saves without one).
        found: String,
        /// The version this build reads.
        expected: &'static str,
    },
    /// A saved call of a procedure this engine does not register, or registers at another
    /// version.
    #[error(
        "the saved call needs procedure '{procedure}' version {saved}; this engine has {here}"
    )]
    SnapshotProcedure {
        /// The procedure's name.
        procedure: String,
        /// The version the call was saved under.
        saved: u32,
        /// What this engine has (`version 2`, `no such procedure`).
        here: String,
    },
    /// A compact saved call ([`crate::Call::restore_compact`]) of other procedures or
    /// procedure versions than this engine registers (its header carries their digest, not
    /// their names).
    #[error("the saved call was saved under other procedures or procedure versions (digest {saved}); this engine registers {here}")]
    SnapshotProcedures {
        /// The digest the save carries, in hex ([`crate::procedures_digest`]).
        saved: String,
        /// This engine's procedures and versions (`shopping_dollars v1, paid_call v1`).
        here: String,
    },
    /// A saved call restored under other rules than it was saved under.
    #[error("the saved call ran under rules {saved:.12}...; this engine's rules are {here:.12}... (restore it with an engine built from the rules it was saved under)")]
    SnapshotRules {
        /// The fingerprint of the rules the call was saved under.
        saved: String,
        /// The fingerprint of this engine's rules.
        here: String,
    },
    /// A saved call whose parts contradict each other (an edited or corrupted save).
    #[error("the saved call is inconsistent: {why}")]
    InvalidSnapshot {
        /// The contradiction found.
        why: String,
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
