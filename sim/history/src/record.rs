//! What a stored run holds: the run (when, the log's name and hash, the policy fingerprint,
//! the row counts) and each call's result, taken from an audit's reports.

use callflow_audit::report::{AuditReport, CallReport, OverrideAction, RowCounts};
use callflow_workflows::Verdict;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// A reviewer's decision on a finding, stored with the run (`audit --overrides`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOverride {
    /// The finding's code.
    pub code: String,
    /// Its line.
    pub line: u64,
    /// `remove` or `add`.
    pub action: &'static str,
    /// Who decided.
    pub reviewer: String,
    /// When, as the overrides file says.
    pub date: String,
    /// Why.
    pub reason: String,
}

/// One call's result as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// The call id (unique only within a log).
    pub call_id: String,
    /// When the call started, RFC 3339 in UTC: with the call id, what identifies a stored call.
    pub started: String,
    /// The agent who started it.
    pub agent: String,
    /// The call date (business time zone).
    pub call_date: NaiveDate,
    /// `pass`, `fail` or `incomplete`.
    pub verdict: &'static str,
    /// 0 to 100.
    pub score: u32,
    /// Each finding that counts (a finding a reviewer removed does not): code, severity,
    /// line.
    pub findings: Vec<(String, &'static str, u64)>,
    /// Each reviewer's decision on a finding of the call (`audit --overrides`).
    pub overrides: Vec<StoredOverride>,
    /// Each inquiry: the procedure (`-` for none), the reason code, the branch.
    pub inquiries: Vec<(String, String, Option<String>)>,
}

impl CallRecord {
    /// A call's record, from its report.
    ///
    /// ```
    /// # use callflow_audit::sample::{SAMPLE_LOG, SAMPLE_NAME};
    /// # use callflow_audit::{audit, LogReader};
    /// # use callflow_history::CallRecord;
    /// # let engine = std::sync::Arc::new(callflow_workflows::Engine::builtin());
    /// let reader = LogReader::new(SAMPLE_LOG.as_bytes(), SAMPLE_NAME)?;
    /// let report = audit(reader, engine)?;
    /// let record = CallRecord::of(&report.calls[0]);
    /// assert_eq!(record.call_id, report.calls[0].call_id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(call: &CallReport) -> CallRecord {
        CallRecord {
            call_id: call.call_id.clone(),
            started: call
                .started
                .with_timezone(&Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            agent: call.agent_id.clone(),
            call_date: call.call_date,
            verdict: call.verdict.as_str(),
            score: call.score,
            findings: call
                .findings
                .iter()
                .filter(|f| f.counts())
                .map(|f| (f.code.to_string(), f.severity.as_str(), f.line))
                .collect(),
            overrides: call
                .findings
                .iter()
                .filter_map(|f| {
                    let mark = f.overridden.as_deref()?;
                    Some(StoredOverride {
                        code: f.code.to_string(),
                        line: f.line,
                        action: match mark.action {
                            OverrideAction::Remove => "remove",
                            OverrideAction::Add => "add",
                        },
                        reviewer: mark.reviewer.clone(),
                        date: mark.date.clone(),
                        reason: mark.reason.clone(),
                    })
                })
                .collect(),
            inquiries: call
                .inquiries
                .iter()
                .map(|i| {
                    (
                        i.procedure.unwrap_or("-").to_owned(),
                        i.reason.clone(),
                        i.branch.map(str::to_owned),
                    )
                })
                .collect(),
        }
    }

    /// The call's keys by dimension, each once: (`code`, a code raised), (`procedure`, a
    /// procedure), (`branch`, `procedure/branch`).
    pub fn keys(&self) -> Vec<(&'static str, String)> {
        let mut keys: Vec<(&'static str, String)> = Vec::new();
        for (code, _, _) in &self.findings {
            keys.push(("code", code.clone()));
        }
        for (procedure, _, branch) in &self.inquiries {
            if procedure == "-" {
                continue;
            }
            keys.push(("procedure", procedure.clone()));
            if let Some(branch) = branch {
                keys.push(("branch", format!("{procedure}/{branch}")));
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// Whether the call passed.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass.as_str()
    }

    /// The call date as days since 1970-01-01, and the first days of its week (Monday) and
    /// month, the same way: the periods trends group by.
    pub fn days(&self) -> (i64, i64, i64) {
        periods(self.call_date)
    }
}

/// A date's day number (days since 1970-01-01), its week's Monday's and its month's first
/// day's.
pub fn periods(date: NaiveDate) -> (i64, i64, i64) {
    let day = day_number(date);
    let week = day - i64::from(date.weekday().num_days_from_monday());
    let month = day - i64::from(date.day0());
    (day, week, month)
}

/// Days since 1970-01-01.
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - EPOCH_FROM_CE
}

/// The date of a day number.
pub fn date_of(day: i64) -> Option<NaiveDate> {
    i32::try_from(day + EPOCH_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// 1970-01-01 counted from 0001-01-01 (day 1).
const EPOCH_FROM_CE: i64 = 719_163;

/// Which log and which rules a run audited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The log's name.
    pub log_name: String,
    /// The SHA-256 of the log's bytes, in hex.
    pub log_sha256: String,
    /// The policy's fingerprint.
    pub policy: String,
}

/// The only place that reads the report's identity of its log and policy.
pub fn identity(report: &AuditReport) -> Identity {
    Identity {
        log_name: report.log.name.clone(),
        log_sha256: report.log.sha256.clone(),
        policy: report.policy.fingerprint.clone(),
    }
}

/// One run as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The log and the policy.
    pub identity: Identity,
    /// Rows read, replayed, rejected.
    pub rows: RowCounts,
    /// Each call's result, in the report's order.
    pub calls: Vec<CallRecord>,
}

impl RunRecord {
    /// The record of an audit, made now.
    pub fn of(report: &AuditReport) -> RunRecord {
        RunRecord::new(
            identity(report),
            report.rows,
            report.calls.iter().map(CallRecord::of).collect(),
        )
    }

    /// A record made now of calls recorded as they streamed (a streamed audit keeps no calls).
    pub fn new(identity: Identity, rows: RowCounts, calls: Vec<CallRecord>) -> RunRecord {
        RunRecord {
            recorded_at: DateTime::<Utc>::from(std::time::SystemTime::now()),
            identity,
            rows,
            calls,
        }
    }

    /// Calls passed, failed, incomplete.
    pub fn verdicts(&self) -> (u64, u64, u64) {
        let mut counts = (0, 0, 0);
        for call in &self.calls {
            match call.verdict {
                "pass" => counts.0 += 1,
                "fail" => counts.1 += 1,
                _ => counts.2 += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_on_monday_and_the_first() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(); // a Thursday
        let (day, week, month) = periods(date);
        assert_eq!(date_of(day), Some(date));
        assert_eq!(date_of(week), NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(date_of(month), NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
    }
}
