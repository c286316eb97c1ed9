//! The one error type of the sim crate: problems that make a whole input unusable.
//! (A bad *row* is not an error: it is rejected with its line and reason, and the run goes on.)
//!
//! An I/O cause is the error's `source`, not part of its message: print the chain (`{:#}` with
//! anyhow) to get `path: cannot read: No such file or directory (os error 2)` once.

use std::path::PathBuf;

/// A problem with a whole input or output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input of `callflow tag` that cannot be used at all (a turns or facts file without
    /// its columns, a Contact Lens folder that cannot be listed).
    #[error("{source_name}: {why}")]
    TagInput {
        /// The input's name.
        source_name: String,
        /// What is wrong.
        why: String,
    },
    /// The file could not be opened or read.
    #[error("{path}: cannot read")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The path names a folder, not a log file.
    #[error("{path}: is a folder, not a call log")]
    IsADirectory {
        /// The path.
        path: PathBuf,
    },
    /// The input holds no header row.
    #[error("{source_name}: empty file: no header row (expected columns call_id, timestamp, event, ...)")]
    Empty {
        /// The input's name.
        source_name: String,
    },
    /// The input is not a text file: binary, or UTF-16.
    #[error("{source_name}: line 1: not a call log: {problem}")]
    NotALog {
        /// The input's name.
        source_name: String,
        /// What the header looks like instead.
        problem: &'static str,
    },
    /// The header row cannot be read as CSV: its quoting is broken.
    #[error("{source_name}: line 1: the header row is malformed: {problem}")]
    Header {
        /// The input's name.
        source_name: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A required column is missing from the header.
    #[error(
        "{source_name}: line 1: missing required column '{column}' (the header has: {found}{hint})"
    )]
    MissingColumn {
        /// The input's name.
        source_name: String,
        /// The missing column.
        column: &'static str,
        /// The header as found (abridged).
        found: String,
        /// A hint when the header looks split by another separator (else empty).
        hint: &'static str,
    },
    /// Two columns of the header both read as one required or known column once case, `_`,
    /// `-` and spaces are ignored.
    #[error("{source_name}: line 1: columns '{first}' and '{second}' could both be {column}; name one of them {column}")]
    AmbiguousColumn {
        /// The input's name.
        source_name: String,
        /// The column they could both be.
        column: &'static str,
        /// The first.
        first: String,
        /// The second.
        second: String,
    },
    /// No row of a log that has rows could be replayed: nothing to report. Names the
    /// commonest reason and the expected form (see [`crate::rejection::nothing_replayed`]).
    #[error("{source_name}: {why}")]
    NothingReplayed {
        /// The input's name.
        source_name: String,
        /// Why, in one sentence.
        why: String,
    },
    /// A column appears twice in the header.
    #[error("{source_name}: line 1: column '{column}' appears twice in the header")]
    DuplicateColumn {
        /// The input's name.
        source_name: String,
        /// The repeated column.
        column: String,
    },
    /// Reading failed part-way.
    #[error("{source_name}: line {line}: read error: {message}")]
    Csv {
        /// The input's name.
        source_name: String,
        /// The line reached.
        line: u64,
        /// What the CSV reader said.
        message: String,
    },
    /// The output refused a call's report: the sink's write failed. The run knows the log,
    /// not where the output goes; the caller that opened the output names it.
    #[error("{source_name}: a call's report could not be written out")]
    Write {
        /// The input being audited.
        source_name: String,
        /// The output's error.
        source: std::io::Error,
    },
    /// A thread of the run stopped before its work was done (it panicked, or its channel
    /// closed early): the calls it held are missing, so the run gives no report, and what a
    /// sink received before must not be used as one.
    #[error("{source_name}: {thread} stopped unexpectedly ({cause}); the audit is incomplete")]
    ThreadStopped {
        /// The input being audited.
        source_name: String,
        /// Which thread: `the reading thread`, or `replay thread replay-N`.
        thread: String,
        /// What is known of why: `panicked: ` and the panic's message, or the channel closed.
        cause: String,
    },
    /// The run's own books do not balance: rows read against rows replayed and rejected, or
    /// calls started against calls reported. An internal error: a report would be wrong.
    #[error("{source_name}: internal error: {problem}; the audit is incomplete")]
    Unbalanced {
        /// The input being audited.
        source_name: String,
        /// The figures that disagree.
        problem: String,
    },
    /// A table callflow reads besides logs (an overrides file, evaluators' judgements) has a
    /// mistake that makes it unusable: a missing column, or an override that does not fit
    /// the audit.
    #[error("{source_name}: line {line}: {problem}")]
    Table {
        /// The file's name.
        source_name: String,
        /// The 1-based line (the header is line 1).
        line: u64,
        /// What is wrong, naming the value.
        problem: String,
    },
    /// Open calls could not be kept on disk under the memory limit, or read back from it (the
    /// spill file in `TMPDIR`): a call would be missing, so the run gives no report.
    #[error("could not keep open calls on disk under the memory limit ({cause}); the audit is incomplete: point TMPDIR at a disk with room, or raise --memory-limit")]
    Spill {
        /// What failed.
        cause: String,
    },
    /// A replay worker could not be started.
    #[error("{source_name}: cannot start a replay thread")]
    Thread {
        /// The input being audited.
        source_name: String,
        /// The cause.
        source: std::io::Error,
    },
}
