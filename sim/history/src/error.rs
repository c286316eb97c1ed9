//! The one error type of the history crate. Every message names the database (a PostgreSQL
//! address without its password) and what was being done; the database's own words are the
//! error's `source` (print the chain, `{:#}` with anyhow, to get them once).

/// What went wrong with a history database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database could not be opened or connected to, or is not a database.
    #[error("{target}: cannot open the history database")]
    Open {
        /// The database (a file path or a PostgreSQL address without its password).
        target: String,
        /// The cause.
        source: BoxError,
    },
    /// The database was written by a newer callflow (its schema version is higher than the
    /// newest this one knows).
    #[error(
        "{target}: the history database has schema version {found}, newer than version \
         {known} that this callflow knows: use the callflow that wrote it, or a newer one"
    )]
    NewerSchema {
        /// The database.
        target: String,
        /// The version found in its `schema_version` table.
        found: i64,
        /// The newest version this callflow knows.
        known: i64,
    },
    /// Another process holds the SQLite file locked for longer than the busy timeout.
    #[error(
        "{target}: the history database is locked by another process (waited {waited_ms} ms); \
         try again when it is done"
    )]
    Locked {
        /// The database file.
        target: String,
        /// How long the busy timeout waited.
        waited_ms: u64,
        /// The cause.
        source: BoxError,
    },
    /// A statement failed (the server went away, the disk is full ...).
    #[error("{target}: cannot {doing}")]
    Database {
        /// The database.
        target: String,
        /// What was being done, as a verb phrase (`store the run`).
        doing: &'static str,
        /// The cause.
        source: BoxError,
    },
    /// `history delete RUN` names no stored run.
    #[error("{target}: no stored run {run} (see `callflow history list`)")]
    NoSuchRun {
        /// The database.
        target: String,
        /// The run asked for.
        run: i64,
    },
    /// A stored value is not what this callflow writes (the database was edited by hand).
    #[error("{target}: stored value {value:?} in {column} is not valid")]
    BadValue {
        /// The database.
        target: String,
        /// The table and column.
        column: &'static str,
        /// The value found.
        value: String,
    },
}

/// A database driver's error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The crate's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
