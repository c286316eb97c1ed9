//! What the store asks of a database: statements with numbered parameters (`$1`, written once
//! for both), rows of integers and text, and a bulk insert of a run's calls, each database its
//! fastest way ([`crate::sqlite`], [`crate::postgres`]).

use crate::error::BoxError;
use crate::record::CallRecord;
use crate::schema::Dialect;

/// A parameter or a column's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
    /// SQL `NULL`.
    Null,
}

impl Val {
    /// The integer, if it is one.
    pub fn int(&self) -> Option<i64> {
        match self {
            Val::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The text, if it is some.
    pub fn text(&self) -> Option<&str> {
        match self {
            Val::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A connection to one database.
pub trait Backend: Send {
    /// Which SQL it speaks.
    fn dialect(&self) -> Dialect;
    /// Runs statements without parameters or results.
    fn batch(&mut self, sql: &str) -> Result<(), BoxError>;
    /// Runs a statement; the rows it changed.
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, BoxError>;
    /// Runs a query; its rows.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>, BoxError>;
    /// Inserts a run's calls, their findings and their inquiries (inside the open
    /// transaction), each call as the latest result of its identity.
    fn insert_calls(&mut self, run_id: i64, calls: &[CallRecord]) -> Result<(), BoxError>;
    /// Starts the transaction that writes (SQLite takes its write lock at once).
    fn begin_write(&mut self) -> Result<(), BoxError> {
        self.batch("BEGIN")
    }
    /// Whether an error means the database is locked by someone else.
    fn is_locked(&self, _error: &BoxError) -> bool {
        false
    }
}
