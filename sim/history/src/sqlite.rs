//! SQLite (bundled): a file, nothing to install. A run's rows go in through prepared
//! statements, one transaction for the whole run.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection, ErrorCode, OpenFlags};

use crate::backend::{Backend, Val};
use crate::error::BoxError;
use crate::record::CallRecord;
use crate::schema::Dialect;

/// A connection to a SQLite file.
pub struct Sqlite(Connection);

impl Sqlite {
    /// Opens (creating it if need be) the file, waiting up to `busy` for another process's
    /// lock.
    pub fn open(path: &Path, busy: Duration) -> Result<Sqlite, BoxError> {
        if path.is_dir() {
            return Err("is a folder, not a database file".into());
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags)?;
        connection.busy_timeout(busy)?;
        // 64 MiB of page cache (the default is 2 MiB): a large history's indexes stay in
        // memory while a run is stored.
        connection.execute_batch("PRAGMA cache_size = -65536")?;
        Ok(Sqlite(connection))
    }
}

/// Whether an error means another connection holds the file locked.
pub fn is_locked(error: &BoxError) -> bool {
    matches!(
        error.downcast_ref::<rusqlite::Error>(),
        Some(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// `$1` as SQLite's `?1`.
fn numbered(sql: &str) -> String {
    sql.replace('$', "?")
}

fn bind(params: &[Val]) -> Vec<Value> {
    params
        .iter()
        .map(|p| match p {
            Val::Int(n) => Value::Integer(*n),
            Val::Text(t) => Value::Text(t.clone()),
            Val::Null => Value::Null,
        })
        .collect()
}

impl Backend for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn batch(&mut self, sql: &str) -> Result<(), BoxError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn begin_write(&mut self) -> Result<(), BoxError> {
        Ok(self.0.execute_batch("BEGIN IMMEDIATE")?)
    }

    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, BoxError> {
        let mut statement = self.0.prepare_cached(&numbered(sql))?;
        let changed = statement.execute(rusqlite::params_from_iter(bind(params)))?;
        Ok(changed as u64)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>, BoxError> {
        let mut statement = self.0.prepare_cached(&numbered(sql))?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(bind(params)))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(n) => Val::Int(n),
                    ValueRef::Real(x) => Val::Int(x as i64),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Val::Text(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(values);
        }
        Ok(out)
    }

    fn insert_calls(&mut self, run_id: i64, calls: &[CallRecord]) -> Result<(), BoxError> {
        let mut call = self.0.prepare_cached(
            "INSERT INTO calls (run_id, seq, call_id, started, agent, call_date, day, week, \
             month, verdict, passed, score, latest) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)",
        )?;
        let mut finding = self.0.prepare_cached(
            "INSERT INTO findings (run_id, seq, code, severity, line) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut inquiry = self.0.prepare_cached(
            "INSERT INTO inquiries (run_id, seq, procedure, reason, branch) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut key = self.0.prepare_cached(
            "INSERT INTO call_keys (run_id, seq, dim, key) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut decision = self.0.prepare_cached(
            "INSERT INTO overrides (run_id, seq, code, line, action, reviewer, date, reason) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (seq, c) in calls.iter().enumerate() {
            let seq = seq as i64;
            for o in &c.overrides {
                decision.execute(params![
                    run_id,
                    seq,
                    o.code,
                    o.line as i64,
                    o.action,
                    o.reviewer,
                    o.date,
                    o.reason
                ])?;
            }
            for (dim, k) in c.keys() {
                key.execute(params![run_id, seq, dim, k])?;
            }
            let (day, week, month) = c.days();
            call.execute(params![
                run_id,
                seq,
                c.call_id,
                c.started,
                c.agent,
                c.call_date.to_string(),
                day,
                week,
                month,
                c.verdict,
                i64::from(c.passed()),
                i64::from(c.score),
            ])?;
            for (code, severity, line) in &c.findings {
                finding.execute(params![run_id, seq, code, severity, *line as i64])?;
            }
            for (procedure, reason, branch) in &c.inquiries {
                inquiry.execute(params![run_id, seq, procedure, reason, branch])?;
            }
        }
        Ok(())
    }

    fn is_locked(&self, error: &BoxError) -> bool {
        is_locked(error)
    }
}
