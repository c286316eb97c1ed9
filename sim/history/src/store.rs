//! [`History`]: one history database, SQLite or PostgreSQL, opened (and migrated) on first
//! use; runs stored in one transaction, listed, deleted; trends asked of it.

use std::path::Path;
use std::time::Duration;

use crate::backend::{Backend, Val};
use crate::error::{BoxError, Error, Result};
use crate::record::{RunRecord, StoredOverride};
use crate::schema::{self, LATEST, MIGRATIONS};
use crate::sqlite::Sqlite;
use crate::tally;

/// How to open a history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenOptions {
    /// How long SQLite waits for another process's lock before the run fails.
    pub busy_timeout: Duration,
    /// How long connecting to PostgreSQL may take.
    pub connect_timeout: Duration,
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions {
            busy_timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A stored run, as `callflow history list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredRun {
    /// The run's number (`callflow history delete RUN`).
    pub id: i64,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The log's name.
    pub log_name: String,
    /// The SHA-256 of the log.
    pub log_sha256: String,
    /// The policy's fingerprint.
    pub policy: String,
    /// Rows read, replayed, rejected.
    pub rows: [i64; 3],
    /// Calls, passed, failed, incomplete.
    pub calls: [i64; 4],
}

/// A history database.
///
/// ```
/// use callflow_audit::sample::{SAMPLE_LOG, SAMPLE_NAME};
/// use callflow_audit::{audit, LogReader};
/// use callflow_history::{By, History, Period, RunRecord, TrendQuery};
///
/// let dir = std::env::temp_dir().join(format!("callflow-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let db = dir.join("history.db");
/// let engine = std::sync::Arc::new(callflow_workflows::Engine::builtin());
/// let report = audit(LogReader::new(SAMPLE_LOG.as_bytes(), SAMPLE_NAME)?, engine)?;
///
/// let mut history = History::open(db.to_str().unwrap())?;
/// let run = history.record(&RunRecord::of(&report))?;
/// assert_eq!(history.runs()?.len(), 1);
/// let trend = history.trend(&TrendQuery::new(By::Agent, Period::Week))?;
/// let calls: u64 = trend.rows.iter().map(|r| r.calls).sum();
/// assert_eq!(calls, report.calls.len() as u64);
/// history.delete(run)?;
/// assert!(history.runs()?.is_empty());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct History {
    target: String,
    backend: Box<dyn Backend>,
    busy_ms: u64,
    /// A run written but not committed ([`History::stage`]).
    staged: Option<i64>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// Whether a `--history` value names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

impl History {
    /// Opens a history: a `postgres://` or `postgresql://` URL, else a SQLite file (created
    /// if missing). Applies the migrations it lacks; refuses a database from a newer schema.
    pub fn open(target: &str) -> Result<History> {
        History::open_with(target, OpenOptions::default())
    }

    /// [`History::open`] with options.
    pub fn open_with(target: &str, options: OpenOptions) -> Result<History> {
        let shown = if is_postgres(target) {
            crate::postgres::redact(target)
        } else {
            target.to_owned()
        };
        let opened: Result<Box<dyn Backend>, BoxError> = if is_postgres(target) {
            crate::postgres::Postgres::connect(target, options.connect_timeout)
                .map(|b| Box::new(b) as Box<dyn Backend>)
        } else {
            Sqlite::open(Path::new(target), options.busy_timeout)
                .map(|b| Box::new(b) as Box<dyn Backend>)
        };
        let backend = opened.map_err(|source| {
            if crate::sqlite::is_locked(&source) {
                Error::Locked {
                    target: shown.clone(),
                    waited_ms: options.busy_timeout.as_millis() as u64,
                    source,
                }
            } else {
                Error::Open {
                    target: shown.clone(),
                    source,
                }
            }
        })?;
        let mut history = History {
            target: shown,
            backend,
            busy_ms: options.busy_timeout.as_millis() as u64,
            staged: None,
        };
        history.migrate()?;
        Ok(history)
    }

    /// The database, as messages name it (a PostgreSQL address without its password).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The error of a failed statement: the lock, or what was being done.
    fn fail(&self, doing: &'static str) -> impl Fn(BoxError) -> Error + '_ {
        move |source| {
            if self.backend.is_locked(&source) {
                Error::Locked {
                    target: self.target.clone(),
                    waited_ms: self.busy_ms,
                    source,
                }
            } else {
                Error::Database {
                    target: self.target.clone(),
                    doing,
                    source,
                }
            }
        }
    }

    /// The applied schema version (0 for a new database).
    fn version(&mut self) -> Result<i64, BoxError> {
        self.backend.batch(schema::VERSION_TABLE)?;
        let rows = self
            .backend
            .query("SELECT MAX(version) FROM schema_version", &[])?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Val::int)
            .unwrap_or(0))
    }

    fn migrate(&mut self) -> Result<()> {
        let opening = |history: &History, source: BoxError| {
            if history.backend.is_locked(&source) {
                Error::Locked {
                    target: history.target.clone(),
                    waited_ms: history.busy_ms,
                    source,
                }
            } else {
                Error::Open {
                    target: history.target.clone(),
                    source,
                }
            }
        };
        let found = self.version().map_err(|e| opening(self, e))?;
        if found > LATEST {
            return Err(Error::NewerSchema {
                target: self.target.clone(),
                found,
                known: LATEST,
            });
        }
        if found == LATEST {
            return Ok(());
        }
        let result = self.apply_migrations();
        result.map_err(|e| {
            let _ = self.backend.batch("ROLLBACK");
            opening(self, e)
        })
    }

    /// Applies the migrations the database lacks, in one transaction.
    fn apply_migrations(&mut self) -> Result<(), BoxError> {
        self.backend.begin_write()?;
        let dialect = self.backend.dialect();
        if dialect == schema::Dialect::Postgres {
            // SQLite's BEGIN IMMEDIATE already keeps other writers out.
            self.backend
                .batch("LOCK TABLE schema_version IN EXCLUSIVE MODE")?;
        }
        // Another process may have migrated in the meantime.
        let now = self.version()?;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(now.max(0) as usize) {
            self.backend.batch(&dialect.migration(migration))?;
            self.backend.execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[Val::Int(i as i64 + 1)],
            )?;
        }
        self.backend.batch("COMMIT")
    }

    /// Writes a run in a transaction left open: [`History::commit`] keeps it,
    /// [`History::rollback`] (or dropping the history) leaves nothing. Queries made meanwhile
    /// on this history see it. Returns the run's number.
    pub fn stage(&mut self, run: &RunRecord) -> Result<i64> {
        let result = self.write_run(run);
        match result {
            Ok(id) => {
                self.staged = Some(id);
                Ok(id)
            }
            Err(e) => {
                let _ = self.backend.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn write_run(&mut self, run: &RunRecord) -> Result<i64> {
        let doing = "store the run";
        self.backend.begin_write().map_err(self.fail(doing))?;
        let (passed, failed, incomplete) = run.verdicts();
        let int = |n: u64| Val::Int(n as i64);
        let rows = self
            .backend
            .query(
                "INSERT INTO runs (recorded_at, log_name, log_sha256, policy, rows_read, \
                 rows_replayed, rows_rejected, calls, passed, failed, incomplete) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                &[
                    Val::Text(
                        run.recorded_at
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    ),
                    Val::Text(run.identity.log_name.clone()),
                    Val::Text(run.identity.log_sha256.clone()),
                    Val::Text(run.identity.policy.clone()),
                    int(run.rows.read),
                    int(run.rows.replayed),
                    int(run.rows.rejected),
                    int(run.calls.len() as u64),
                    int(passed),
                    int(failed),
                    int(incomplete),
                ],
            )
            .map_err(self.fail(doing))?;
        let id = rows
            .first()
            .and_then(|r| r.first())
            .and_then(Val::int)
            .ok_or_else(|| Error::Database {
                target: self.target.clone(),
                doing,
                source: "the database gave no run id".into(),
            })?;
        self.backend
            .insert_calls(id, &run.calls)
            .map_err(self.fail(doing))?;
        // The calls stored before under the same identity are no longer the latest: marked
        // (2), taken out of the tallies, then cleared; this run's calls go in.
        let run = [Val::Int(id)];
        self.backend
            .execute(
                "UPDATE calls SET latest = 2 FROM \
                 (SELECT call_id AS cid, started AS st FROM calls WHERE run_id = $1) AS n \
                 WHERE calls.call_id = n.cid AND calls.started = n.st \
                 AND calls.run_id <> $1 AND calls.latest = 1",
                &run,
            )
            .map_err(self.fail(doing))?;
        for statement in tally::statements("c.latest = 2", -1) {
            self.backend
                .execute(&statement, &[])
                .map_err(self.fail(doing))?;
        }
        self.backend
            .execute("UPDATE calls SET latest = 0 WHERE latest = 2", &[])
            .map_err(self.fail(doing))?;
        for statement in tally::statements("c.run_id = $1", 1) {
            self.backend
                .execute(&statement, &run)
                .map_err(self.fail(doing))?;
        }
        Ok(id)
    }

    /// Commits the staged run.
    pub fn commit(&mut self) -> Result<()> {
        if self.staged.take().is_some() {
            let committed = self.backend.batch("COMMIT");
            if let Err(e) = committed {
                let _ = self.backend.batch("ROLLBACK");
                return Err(self.fail("commit the run")(e));
            }
        }
        Ok(())
    }

    /// Drops the staged run, if any.
    pub fn rollback(&mut self) {
        if self.staged.take().is_some() {
            let _ = self.backend.batch("ROLLBACK");
        }
    }

    /// Stores a run in one transaction; its number.
    pub fn record(&mut self, run: &RunRecord) -> Result<i64> {
        let id = self.stage(run)?;
        self.commit()?;
        Ok(id)
    }

    /// The stored runs, oldest first.
    pub fn runs(&mut self) -> Result<Vec<StoredRun>> {
        let rows = self
            .backend
            .query(
                "SELECT id, recorded_at, log_name, log_sha256, policy, rows_read, \
                 rows_replayed, rows_rejected, calls, passed, failed, incomplete \
                 FROM runs ORDER BY id",
                &[],
            )
            .map_err(self.fail("list the runs"))?;
        rows.iter()
            .map(|r| {
                let int = |i: usize| r.get(i).and_then(Val::int).unwrap_or(0);
                let text = |i: usize| r.get(i).and_then(Val::text).unwrap_or("").to_owned();
                Ok(StoredRun {
                    id: int(0),
                    recorded_at: text(1),
                    log_name: text(2),
                    log_sha256: text(3),
                    policy: text(4),
                    rows: [int(5), int(6), int(7)],
                    calls: [int(8), int(9), int(10), int(11)],
                })
            })
            .collect()
    }

    /// The reviewers' decisions stored with a run (`audit --overrides`): each with its call
    /// id, in the order of the calls.
    pub fn overrides(&mut self, run: i64) -> Result<Vec<(String, StoredOverride)>> {
        let rows = self
            .backend
            .query(
                "SELECT c.call_id, o.code, o.line, o.action, o.reviewer, o.date, o.reason \
                 FROM overrides o JOIN calls c ON c.run_id = o.run_id AND c.seq = o.seq \
                 WHERE o.run_id = $1 ORDER BY o.seq, o.line, o.code",
                &[Val::Int(run)],
            )
            .map_err(self.fail("read the overrides"))?;
        Ok(rows
            .iter()
            .map(|r| {
                let text = |i: usize| r.get(i).and_then(Val::text).unwrap_or("").to_owned();
                (
                    text(0),
                    StoredOverride {
                        code: text(1),
                        line: r.get(2).and_then(Val::int).unwrap_or(0).max(0) as u64,
                        action: if text(3) == "add" { "add" } else { "remove" },
                        reviewer: text(4),
                        date: text(5),
                        reason: text(6),
                    },
                )
            })
            .collect())
    }

    /// Deletes a stored run in one transaction; the calls it had made no longer the latest
    /// become the latest again.
    pub fn delete(&mut self, run: i64) -> Result<()> {
        let doing = "delete the run";
        let result = self.delete_rows(run);
        match result {
            Ok(true) => Ok(()),
            Ok(false) => Err(Error::NoSuchRun {
                target: self.target.clone(),
                run,
            }),
            Err(e) => {
                let _ = self.backend.batch("ROLLBACK");
                Err(self.fail(doing)(e))
            }
        }
    }

    /// Deletes a run's rows and puts the tallies in step; `false` when there is no such run.
    fn delete_rows(&mut self, run: i64) -> Result<bool, BoxError> {
        self.backend.begin_write()?;
        let found = self
            .backend
            .query("SELECT id FROM runs WHERE id = $1", &[Val::Int(run)])?;
        if found.is_empty() {
            self.backend.batch("ROLLBACK")?;
            return Ok(false);
        }
        let id = [Val::Int(run)];
        // The results this run had superseded become the latest again: marked (3), put
        // in the tallies; this run's latest results are taken out.
        self.backend.execute(
            "UPDATE calls SET latest = 3 FROM \
             (SELECT c.call_id AS cid, c.started AS st, MAX(c.run_id) AS top \
              FROM calls c JOIN calls x ON x.call_id = c.call_id AND x.started = c.started \
              WHERE x.run_id = $1 AND x.latest = 1 AND c.run_id <> $1 \
              GROUP BY c.call_id, c.started) AS n \
             WHERE calls.call_id = n.cid AND calls.started = n.st AND calls.run_id = n.top",
            &id,
        )?;
        for statement in tally::statements("c.run_id = $1 AND c.latest = 1", -1) {
            self.backend.execute(&statement, &id)?;
        }
        for statement in tally::statements("c.latest = 3", 1) {
            self.backend.execute(&statement, &[])?;
        }
        self.backend
            .execute("UPDATE calls SET latest = 1 WHERE latest = 3", &[])?;
        for table in ["findings", "inquiries", "overrides", "call_keys", "calls"] {
            self.backend.execute(
                &format!("DELETE FROM {table} WHERE run_id = $1"),
                &[Val::Int(run)],
            )?;
        }
        self.backend
            .execute("DELETE FROM runs WHERE id = $1", &[Val::Int(run)])?;
        self.backend.batch("COMMIT")?;
        Ok(true)
    }

    /// Runs a read-only query for the trends.
    pub(crate) fn select(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>> {
        self.backend
            .query(sql, params)
            .map_err(self.fail("read the trend"))
    }

    /// Runs statements (the benchmarks' synthetic rows, a test's setup).
    #[doc(hidden)]
    pub fn batch(&mut self, sql: &str) -> Result<()> {
        self.backend
            .batch(sql)
            .map_err(self.fail("run the statements"))
    }
}
