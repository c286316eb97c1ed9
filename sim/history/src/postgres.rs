//! PostgreSQL, for a team sharing one history (`postgres://...`). A run's rows go in with
//! `COPY ... FROM STDIN` (text format), inside the run's transaction.

use std::io::Write;
use std::time::Duration;

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls};

use crate::backend::{Backend, Val};
use crate::error::BoxError;
use crate::record::CallRecord;
use crate::schema::Dialect;

/// A connection to a PostgreSQL server.
pub struct Postgres(Client);

impl Postgres {
    /// Connects (a URL: `postgres://user@host/db`, `postgresql:///db?host=/run/postgresql`).
    pub fn connect(url: &str, timeout: Duration) -> Result<Postgres, BoxError> {
        let mut config: postgres::Config = url.parse()?;
        config.connect_timeout(timeout);
        let mut client = config.connect(NoTls)?;
        // Notices (`relation already exists, skipping`) are not the user's business.
        client.batch_execute("SET client_min_messages = warning")?;
        Ok(Postgres(client))
    }
}

/// A PostgreSQL address as it may be shown: without its password.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(u, _)| u);
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_owned(),
    }
    .split("password=")
    .next()
    .map(|s| s.trim_end_matches(['&', '?']).to_owned())
    .unwrap_or_default()
}

fn bind(params: &[Val]) -> Vec<Box<dyn ToSql + Sync>> {
    params
        .iter()
        .map(|p| -> Box<dyn ToSql + Sync> {
            match p {
                Val::Int(n) => Box::new(*n),
                Val::Text(t) => Box::new(t.clone()),
                Val::Null => Box::new(Option::<String>::None),
            }
        })
        .collect()
}

/// A field of COPY's text format.
fn copy_field(out: &mut Vec<u8>, text: &str) {
    for b in text.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// One COPY row from its fields (`None`: NULL).
fn copy_row(out: &mut Vec<u8>, fields: &[Option<&str>]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match field {
            Some(text) => copy_field(out, text),
            None => out.extend_from_slice(b"\\N"),
        }
    }
    out.push(b'\n');
}

impl Postgres {
    fn copy(&mut self, statement: &str, data: &[u8]) -> Result<(), BoxError> {
        let mut writer = self.0.copy_in(statement)?;
        writer.write_all(data)?;
        writer.finish()?;
        Ok(())
    }
}

impl Backend for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn batch(&mut self, sql: &str) -> Result<(), BoxError> {
        Ok(self.0.batch_execute(sql)?)
    }

    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64, BoxError> {
        let params = bind(params);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        Ok(self.0.execute(sql, &refs)?)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>, BoxError> {
        let params = bind(params);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        let rows = self.0.query(sql, &refs)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let value = match *column.type_() {
                    Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Val::Int),
                    Type::INT4 => row
                        .try_get::<_, Option<i32>>(i)?
                        .map(|n| Val::Int(n.into())),
                    Type::INT2 => row
                        .try_get::<_, Option<i16>>(i)?
                        .map(|n| Val::Int(n.into())),
                    _ => row.try_get::<_, Option<String>>(i)?.map(Val::Text),
                };
                values.push(value.unwrap_or(Val::Null));
            }
            out.push(values);
        }
        Ok(out)
    }

    fn insert_calls(&mut self, run_id: i64, calls: &[CallRecord]) -> Result<(), BoxError> {
        let run = run_id.to_string();
        let mut rows = Vec::with_capacity(calls.len() * 128);
        let mut findings = Vec::new();
        let mut inquiries = Vec::new();
        let mut keys = Vec::new();
        let mut decisions = Vec::new();
        for (seq, c) in calls.iter().enumerate() {
            let seq = seq.to_string();
            for o in &c.overrides {
                let line = o.line.to_string();
                copy_row(
                    &mut decisions,
                    &[
                        Some(&run),
                        Some(&seq),
                        Some(&o.code),
                        Some(&line),
                        Some(o.action),
                        Some(&o.reviewer),
                        Some(&o.date),
                        Some(&o.reason),
                    ],
                );
            }
            for (dim, key) in c.keys() {
                copy_row(&mut keys, &[Some(&run), Some(&seq), Some(dim), Some(&key)]);
            }
            let (day, week, month) = c.days();
            let (date, day, week, month) = (
                c.call_date.to_string(),
                day.to_string(),
                week.to_string(),
                month.to_string(),
            );
            let passed = i64::from(c.passed()).to_string();
            let score = c.score.to_string();
            copy_row(
                &mut rows,
                &[
                    Some(&run),
                    Some(&seq),
                    Some(&c.call_id),
                    Some(&c.started),
                    Some(&c.agent),
                    Some(&date),
                    Some(&day),
                    Some(&week),
                    Some(&month),
                    Some(c.verdict),
                    Some(&passed),
                    Some(&score),
                    Some("1"),
                ],
            );
            for (code, severity, line) in &c.findings {
                let line = line.to_string();
                copy_row(
                    &mut findings,
                    &[
                        Some(&run),
                        Some(&seq),
                        Some(code),
                        Some(severity),
                        Some(&line),
                    ],
                );
            }
            for (procedure, reason, branch) in &c.inquiries {
                copy_row(
                    &mut inquiries,
                    &[
                        Some(&run),
                        Some(&seq),
                        Some(procedure),
                        Some(reason),
                        branch.as_deref(),
                    ],
                );
            }
        }
        self.copy(
            "COPY calls (run_id, seq, call_id, started, agent, call_date, day, week, month, \
             verdict, passed, score, latest) FROM STDIN",
            &rows,
        )?;
        self.copy(
            "COPY findings (run_id, seq, code, severity, line) FROM STDIN",
            &findings,
        )?;
        self.copy(
            "COPY inquiries (run_id, seq, procedure, reason, branch) FROM STDIN",
            &inquiries,
        )?;
        self.copy("COPY call_keys (run_id, seq, dim, key) FROM STDIN", &keys)?;
        if !decisions.is_empty() {
            self.copy(
                "COPY overrides (run_id, seq, code, line, action, reviewer, date, reason) \
                 FROM STDIN",
                &decisions,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_shown_without_their_password() {
        assert_eq!(
            redact("postgres://qa:secret@db.example/history"),
            "postgres://qa@db.example/history"
        );
        assert_eq!(
            redact("postgresql:///history?host=/tmp&password=secret"),
            "postgresql:///history?host=/tmp"
        );
        assert_eq!(redact("postgres://db/history"), "postgres://db/history");
    }

    #[test]
    fn copy_fields_are_escaped() {
        let mut out = Vec::new();
        copy_row(&mut out, &[Some("a\tb\\c\nd"), None]);
        assert_eq!(out, b"a\\tb\\\\c\\nd\t\\N\n");
    }
}
