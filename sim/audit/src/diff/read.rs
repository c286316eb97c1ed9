//! Reading an audit's JSON report as digests: the log it is of, its policy, and per call the
//! verdict, score and codes (read by [`crate::report_file`], which the other tools share).

use std::io::Read;

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

/// Reads an audit report (`callflow-audit/1` JSON). A finding a reviewer removed is not
/// among a call's codes; one a reviewer added is.
pub fn read_report(from: impl Read) -> Result<ReportDigest, String> {
    let file = crate::report_file::read(from)?;
    Ok(ReportDigest {
        log: file.log,
        policy: file.policy,
        calls: file
            .calls
            .into_iter()
            .map(|c| {
                let mut codes: Vec<String> = c
                    .findings
                    .into_iter()
                    .filter(|f| f.counts())
                    .map(|f| f.code)
                    .collect();
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
