//! What-if: two audits of the same log compared (`callflow diff`, `callflow audit --compare`).
//! The calls whose verdict, score or codes changed (codes added and removed), the agents whose
//! pass rate or mean score moved, and each code's count before and after.
//!
//! The comparison works on digests of calls ([`CallDigest`]), built from an audit's JSON
//! report ([`read_report`]) or from the calls of a run as they end ([`DiffBuilder::add`]), so it
//! holds only the calls that changed, whatever the size of the log.

use std::collections::BTreeMap;

use serde::Serialize;

use callflow_workflows::Verdict;

use crate::report::CallReport;

mod read;
mod render;

pub use read::{read_report, ReportDigest};
pub use render::{render, DiffFormat};

pub use crate::identity::LogIdentity;

/// What a comparison needs of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallDigest {
    /// The call id.
    pub call_id: String,
    /// The agent.
    pub agent_id: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The score.
    pub score: u32,
    /// The codes raised, sorted (a code raised in two inquiries twice).
    pub codes: Vec<String>,
}

impl CallDigest {
    /// What a comparison needs of a call's report.
    pub fn of(report: &CallReport) -> CallDigest {
        let mut codes: Vec<String> = report
            .findings
            .iter()
            .map(|f| f.code.as_str().to_owned())
            .collect();
        codes.sort_unstable();
        CallDigest {
            call_id: report.call_id.clone(),
            agent_id: report.agent_id.clone(),
            verdict: report.verdict,
            score: report.score,
            codes,
        }
    }
}

/// One call judged under two policies in one replay (`audit --compare`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    /// Under the policy compared against (the old one).
    pub before: CallDigest,
    /// Under the policy of the audit (the new one).
    pub after: CallDigest,
}

/// A call whose verdict, score or codes changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallChange {
    /// The call id.
    pub call_id: String,
    /// The agent.
    pub agent_id: String,
    /// Verdict before.
    pub verdict_before: Verdict,
    /// Verdict after.
    pub verdict_after: Verdict,
    /// Score before.
    pub score_before: u32,
    /// Score after.
    pub score_after: u32,
    /// Codes raised after and not before.
    pub added: Vec<String>,
    /// Codes raised before and not after.
    pub removed: Vec<String>,
}

/// An agent's figures before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentChange {
    /// The agent.
    pub agent_id: String,
    /// Calls compared.
    pub calls: u64,
    /// Share of calls passed before (0 to 1).
    pub pass_rate_before: f64,
    /// Share of calls passed after.
    pub pass_rate_after: f64,
    /// Mean score before.
    pub mean_score_before: f64,
    /// Mean score after.
    pub mean_score_after: f64,
}

/// A code's count (calls raising it) before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    /// The code.
    pub code: String,
    /// Calls raising it before.
    pub before: u64,
    /// Calls raising it after.
    pub after: u64,
}

/// Two audits of one log, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDiff {
    /// Always `callflow-diff/1`.
    pub format: &'static str,
    /// The log both audits are of, when known.
    pub log: Option<LogIdentity>,
    /// The policy fingerprint of the audit before, when the report gives it.
    pub policy_before: Option<String>,
    /// The policy fingerprint of the audit after.
    pub policy_after: Option<String>,
    /// Calls compared (present in both).
    pub calls: u64,
    /// Calls passed, failed, incomplete before.
    pub verdicts_before: [u64; 3],
    /// The same after.
    pub verdicts_after: [u64; 3],
    /// The calls that changed, in the order of the audit after.
    pub changed: Vec<CallChange>,
    /// Calls only the audit before has (none, for two audits of one log).
    pub only_before: Vec<String>,
    /// Calls only the audit after has.
    pub only_after: Vec<String>,
    /// Agents whose pass rate or mean score moved, by id.
    pub agents: Vec<AgentChange>,
    /// Every code raised in either audit, with its counts, by code.
    pub codes: Vec<CodeCount>,
}

impl ReportDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
            && self.only_before.is_empty()
            && self.only_after.is_empty()
            && self.agents.is_empty()
            && self.codes.iter().all(|c| c.before == c.after)
    }
}

/// The format name of a diff.
pub const DIFF_FORMAT: &str = "callflow-diff/1";

#[derive(Debug, Clone, Default)]
struct Tally {
    calls: u64,
    passed: u64,
    score: u64,
}

impl Tally {
    fn add(&mut self, call: &CallDigest) {
        self.calls += 1;
        self.passed += u64::from(call.verdict == Verdict::Pass);
        self.score += u64::from(call.score);
    }

    fn pass_rate(&self) -> f64 {
        ratio(self.passed, self.calls)
    }

    fn mean(&self) -> f64 {
        ratio(self.score, self.calls)
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn verdict_slot(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
        Verdict::Incomplete => 2,
    }
}

/// Builds a [`ReportDiff`] call by call: memory follows the calls that changed and the
/// agents and codes, not the log.
#[derive(Debug, Default)]
pub struct DiffBuilder {
    calls: u64,
    verdicts_before: [u64; 3],
    verdicts_after: [u64; 3],
    changed: Vec<CallChange>,
    only_before: Vec<String>,
    only_after: Vec<String>,
    agents: BTreeMap<String, (Tally, Tally)>,
    codes: BTreeMap<String, (u64, u64)>,
}

impl DiffBuilder {
    /// A builder with nothing compared yet.
    pub fn new() -> DiffBuilder {
        DiffBuilder::default()
    }

    /// Compares one call as the two audits judged it.
    pub fn add(&mut self, before: &CallDigest, after: &CallDigest) {
        self.calls += 1;
        if let Some(slot) = self.verdicts_before.get_mut(verdict_slot(before.verdict)) {
            *slot += 1;
        }
        if let Some(slot) = self.verdicts_after.get_mut(verdict_slot(after.verdict)) {
            *slot += 1;
        }
        let tallies = self.agents.entry(after.agent_id.clone()).or_default();
        tallies.0.add(before);
        tallies.1.add(after);
        for code in distinct(&before.codes) {
            self.codes.entry(code.to_owned()).or_default().0 += 1;
        }
        for code in distinct(&after.codes) {
            self.codes.entry(code.to_owned()).or_default().1 += 1;
        }
        if before.verdict != after.verdict
            || before.score != after.score
            || before.codes != after.codes
        {
            self.changed.push(CallChange {
                call_id: after.call_id.clone(),
                agent_id: after.agent_id.clone(),
                verdict_before: before.verdict,
                verdict_after: after.verdict,
                score_before: before.score,
                score_after: after.score,
                added: minus(&after.codes, &before.codes),
                removed: minus(&before.codes, &after.codes),
            });
        }
    }

    /// A call only the audit before has.
    pub fn only_before(&mut self, call_id: &str) {
        self.only_before.push(call_id.to_owned());
    }

    /// A call only the audit after has.
    pub fn only_after(&mut self, call_id: &str) {
        self.only_after.push(call_id.to_owned());
    }

    /// The comparison.
    pub fn finish(
        self,
        log: Option<LogIdentity>,
        policy_before: Option<String>,
        policy_after: Option<String>,
    ) -> ReportDiff {
        let agents = self
            .agents
            .into_iter()
            .filter(|(_, (before, after))| {
                before.passed != after.passed || before.score != after.score
            })
            .map(|(agent_id, (before, after))| AgentChange {
                agent_id,
                calls: after.calls,
                pass_rate_before: before.pass_rate(),
                pass_rate_after: after.pass_rate(),
                mean_score_before: before.mean(),
                mean_score_after: after.mean(),
            })
            .collect();
        let codes = self
            .codes
            .into_iter()
            .map(|(code, (before, after))| CodeCount {
                code,
                before,
                after,
            })
            .collect();
        ReportDiff {
            format: DIFF_FORMAT,
            log,
            policy_before,
            policy_after,
            calls: self.calls,
            verdicts_before: self.verdicts_before,
            verdicts_after: self.verdicts_after,
            changed: self.changed,
            only_before: self.only_before,
            only_after: self.only_after,
            agents,
            codes,
        }
    }
}

/// Each code once, in order.
fn distinct(codes: &[String]) -> impl Iterator<Item = &str> {
    let mut seen: Vec<&str> = Vec::new();
    codes.iter().filter_map(move |code| {
        if seen.contains(&code.as_str()) {
            None
        } else {
            seen.push(code);
            Some(code.as_str())
        }
    })
}

/// The codes of `a` not in `b`, counted as multisets (a code raised twice, then once: once).
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut rest: Vec<&String> = b.iter().collect();
    let mut out = Vec::new();
    for code in a {
        match rest.iter().position(|c| *c == code) {
            Some(found) => {
                rest.swap_remove(found);
            }
            None => out.push(code.clone()),
        }
    }
    out
}

/// Compares two reports of the same log. Errors when their log identities differ, or when
/// either report does not say which log it is of.
pub fn compare(before: ReportDigest, after: ReportDigest) -> Result<ReportDiff, String> {
    let log = match (&before.log, &after.log) {
        (Some(a), Some(b)) if a.sha256 == b.sha256 => Some(b.clone()),
        (Some(a), Some(b)) => {
            return Err(format!(
                "the reports are of different logs: {} (sha256 {:.12}...) and {} (sha256 {:.12}...)",
                a.name, a.sha256, b.name, b.sha256
            ))
        }
        _ => {
            return Err(
                "a report does not say which log it is of (no `log` field: made by a callflow before 0.2); audit the log again"
                    .to_owned(),
            )
        }
    };
    let mut builder = DiffBuilder::new();
    let mut earlier: BTreeMap<String, CallDigest> = before
        .calls
        .into_iter()
        .map(|c| (c.call_id.clone(), c))
        .collect();
    for call in &after.calls {
        match earlier.remove(&call.call_id) {
            Some(was) => builder.add(&was, call),
            None => builder.only_after(&call.call_id),
        }
    }
    for id in earlier.keys() {
        builder.only_before(id);
    }
    Ok(builder.finish(log, before.policy, after.policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(id: &str, agent: &str, verdict: Verdict, score: u32, codes: &[&str]) -> CallDigest {
        CallDigest {
            call_id: id.to_owned(),
            agent_id: agent.to_owned(),
            verdict,
            score,
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn only_changed_calls_are_listed_with_codes_added_and_removed() {
        let mut builder = DiffBuilder::new();
        let same = call("C-1", "ann", Verdict::Pass, 100, &[]);
        builder.add(&same, &same);
        builder.add(
            &call("C-2", "bob", Verdict::Pass, 95, &["CF03"]),
            &call("C-2", "bob", Verdict::Fail, 75, &["CF03", "SD02", "SD02"]),
        );
        let diff = builder.finish(None, None, None);
        assert_eq!(diff.calls, 2);
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(diff.changed[0].added, ["SD02", "SD02"]);
        assert!(diff.changed[0].removed.is_empty());
        assert_eq!(diff.agents.len(), 1);
        assert_eq!(diff.agents[0].agent_id, "bob");
        assert_eq!(
            (
                diff.agents[0].pass_rate_before,
                diff.agents[0].pass_rate_after
            ),
            (1.0, 0.0)
        );
        let sd02 = diff.codes.iter().find(|c| c.code == "SD02").unwrap();
        assert_eq!((sd02.before, sd02.after), (0, 1));
        assert_eq!(diff.verdicts_before, [2, 0, 0]);
        assert_eq!(diff.verdicts_after, [1, 1, 0]);
        assert!(!diff.is_empty());
    }

    #[test]
    fn a_report_against_itself_has_no_change() {
        let mut builder = DiffBuilder::new();
        for c in [
            call("C-1", "ann", Verdict::Fail, 0, &["SD01"]),
            call("C-2", "ann", Verdict::Incomplete, 100, &["CF05"]),
        ] {
            builder.add(&c, &c);
        }
        assert!(builder.finish(None, None, None).is_empty());
    }
}
