//! Reading an audit's JSON report back (`callflow-audit/1`): the log and policy it names, and
//! per call what the tools that work from a finished audit need (the verdict, score, agent,
//! date, branches and findings with their lines and messages). Everything else in the file
//! is skipped as it streams by. `callflow diff`, `calibrate` and `sample` all read reports
//! through here.

use std::io::Read;

use serde::Deserialize;

use callflow_workflows::Verdict;

use crate::diff::LogIdentity;
use crate::report::OverrideMark;

/// An audit report as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// The log the audit is of, when the report says.
    pub log: Option<LogIdentity>,
    /// The policy's fingerprint, when the report says.
    pub policy: Option<String>,
    /// Its calls, in the report's order (the log's order of first lines).
    pub calls: Vec<ReportCall>,
}

/// One call of a report read back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportCall {
    /// The call id.
    pub call_id: String,
    /// The agent.
    pub agent_id: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The score.
    pub score: u32,
    /// When the call started, as the report wrote it (RFC 3339).
    #[serde(default)]
    pub started_at: String,
    /// The call date in the business time zone (`2026-03-02`).
    #[serde(default)]
    pub call_date: String,
    /// The inquiries, in order.
    #[serde(default)]
    pub inquiries: Vec<ReportInquiry>,
    /// The findings, by line.
    #[serde(default)]
    pub findings: Vec<ReportFinding>,
}

/// One inquiry of a call read back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportInquiry {
    /// The reason code.
    pub reason: String,
    /// Its branch, when it has one.
    #[serde(default)]
    pub branch: Option<String>,
}

/// One finding of a call read back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportFinding {
    /// The code.
    pub code: String,
    /// The line of its first instance.
    #[serde(default)]
    pub line: u64,
    /// Its one-sentence message.
    #[serde(default)]
    pub message: String,
    /// A reviewer's override, when the audit applied one.
    #[serde(default, rename = "override")]
    pub overridden: Option<OverrideMark>,
}

impl ReportFinding {
    /// Whether the machine raised it (a finding a reviewer added is not the machine's; one
    /// a reviewer removed is).
    pub fn by_machine(&self) -> bool {
        !matches!(&self.overridden, Some(m) if m.action == crate::report::OverrideAction::Add)
    }

    /// Whether it counts in the report as it stands (not removed by a reviewer).
    pub fn counts(&self) -> bool {
        !matches!(&self.overridden, Some(m) if m.action == crate::report::OverrideAction::Remove)
    }
}

impl ReportCall {
    /// The branches of its inquiries, each once, in order; an inquiry without a branch (of a
    /// procedure that has none, or whose facts never came) gives its reason instead.
    pub fn branches(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for inquiry in &self.inquiries {
            let branch = inquiry.branch.as_deref().unwrap_or(&inquiry.reason);
            if !out.contains(&branch) {
                out.push(branch);
            }
        }
        out
    }
}

#[derive(Deserialize)]
struct File {
    format: String,
    #[serde(default)]
    log: Option<LogIdentity>,
    #[serde(default)]
    policy: Option<PolicyHeader>,
    calls: Vec<ReportCall>,
}

#[derive(Deserialize)]
struct PolicyHeader {
    fingerprint: String,
}

/// Reads an audit report (`callflow-audit/1` JSON); the error says why it is not one.
///
/// ```
/// let json = r#"{"format": "callflow-audit/1", "calls": [
///   {"call_id": "C1", "agent_id": "A7", "verdict": "fail", "score": 70,
///    "findings": [{"code": "CF02", "line": 4, "message": "Script not followed"}]}]}"#;
/// let report = callflow_audit::report_file::read(json.as_bytes()).unwrap();
/// assert_eq!(report.calls[0].findings[0].line, 4);
/// ```
pub fn read(from: impl Read) -> Result<ReportFile, String> {
    let file: File = serde_json::from_reader(std::io::BufReader::new(from))
        .map_err(|e| format!("not a callflow audit report (JSON): {e}"))?;
    if file.format != crate::report::FORMAT {
        return Err(format!(
            "a report of format '{}', not {}",
            file.format,
            crate::report::FORMAT
        ));
    }
    Ok(ReportFile {
        log: file.log,
        policy: file.policy.map(|p| p.fingerprint),
        calls: file.calls,
    })
}
