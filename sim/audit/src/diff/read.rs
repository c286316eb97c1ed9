//! Reading an audit's JSON report as digests: the log it is of, its policy, and per call the
//! verdict, score and codes (everything else in the report is skipped as it streams by).

use std::io::Read;

use serde::Deserialize;

use callflow_workflows::Verdict;

use super::{CallDigest, LogIdentity};

/// What a comparison needs of one audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDigest {
    /// The log the audit is of, when the report says.
    pub log: Option<LogIdentity>,
    /// The policy's fingerprint, when the report says.
    pub policy: Option<String>,
    /// Its calls, in the report's order.
    pub calls: Vec<CallDigest>,
}

#[derive(Deserialize)]
struct ReportFile {
    format: String,
    #[serde(default)]
    log: Option<LogIdentity>,
    #[serde(default)]
    policy: Option<PolicyHeader>,
    calls: Vec<CallFile>,
}

#[derive(Deserialize)]
struct PolicyHeader {
    fingerprint: String,
}

#[derive(Deserialize)]
struct CallFile {
    call_id: String,
    agent_id: String,
    verdict: Verdict,
    score: u32,
    #[serde(default)]
    findings: Vec<FindingFile>,
}

#[derive(Deserialize)]
struct FindingFile {
    code: String,
}

/// Reads an audit report (`callflow-audit/1` JSON).
pub fn read_report(from: impl Read) -> Result<ReportDigest, String> {
    let file: ReportFile = serde_json::from_reader(std::io::BufReader::new(from))
        .map_err(|e| format!("not a callflow audit report (JSON): {e}"))?;
    if file.format != crate::report::FORMAT {
        return Err(format!(
            "a report of format '{}', not {}",
            file.format,
            crate::report::FORMAT
        ));
    }
    Ok(ReportDigest {
        log: file.log,
        policy: file.policy.map(|p| p.fingerprint),
        calls: file
            .calls
            .into_iter()
            .map(|c| {
                let mut codes: Vec<String> = c.findings.into_iter().map(|f| f.code).collect();
                codes.sort_unstable();
                CallDigest {
                    call_id: c.call_id,
                    agent_id: c.agent_id,
                    verdict: c.verdict,
                    score: c.score,
                    codes,
                }
            })
            .collect(),
    })
}
