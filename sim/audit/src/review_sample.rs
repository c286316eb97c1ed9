//! Review samples: calls for evaluators to judge (`callflow sample AUDIT.json --per-agent N`).
//!
//! For each agent, up to N calls, **stratified by branch** and **weighted to the calls worth a
//! look**:
//! - each of the agent's calls falls in one stratum, the branches of its inquiries joined by
//!   `+` (an inquiry without a branch gives its reason; a call without inquiries is `none`);
//!   the strata take turns, in name order, each giving
//!   its next call, until N are drawn or the agent has no more: every branch an agent met is
//!   in their sample once N reaches the number of their branches;
//! - within a stratum, calls are drawn without replacement with weights by the machine's
//!   verdict, [`WEIGHT_FAIL`] for a failed call, [`WEIGHT_INCOMPLETE`] for an incomplete one,
//!   [`WEIGHT_PASS`] for a pass (Efraimidis and Spirakis: each call's key is `u^(1/w)`, `u`
//!   uniform in (0, 1), and the largest keys are drawn first), so failed calls are three times
//!   as likely as passing ones to be drawn first, and passing ones are still drawn;
//! - the draws come from one generator seeded with `--seed`, over agents by id and calls in
//!   the report's order: the same audit and seed give the same sample.
//!
//! Each row names the call's transcript as `audit --transcripts DIR --all` names it
//! ([`TranscriptNames`], over every call in the report's order).
//!
//! ```
//! use callflow_audit::review_sample::{sample, SampleOptions};
//! let json = r#"{"format": "callflow-audit/1", "calls": [
//!   {"call_id": "C1", "agent_id": "A7", "verdict": "fail", "score": 70},
//!   {"call_id": "C2", "agent_id": "A7", "verdict": "pass", "score": 100}]}"#;
//! let audit = callflow_audit::report_file::read(json.as_bytes()).unwrap();
//! let rows = sample(&audit, &SampleOptions { per_agent: 1, seed: 7 });
//! assert_eq!(rows.len(), 1);
//! assert_eq!(rows[0].agent_id, "A7");
//! ```

use std::collections::BTreeMap;
use std::io::{self, Write};

use callflow_workflows::Verdict;

use crate::history::TranscriptNames;
use crate::render::csv::{header, Row};
use crate::report_file::{ReportCall, ReportFile};

/// The weight of a failed call.
pub const WEIGHT_FAIL: f64 = 3.0;
/// The weight of an incomplete call.
pub const WEIGHT_INCOMPLETE: f64 = 2.0;
/// The weight of a passing call.
pub const WEIGHT_PASS: f64 = 1.0;

/// The columns of the sample CSV.
pub const COLUMNS: [&str; 8] = [
    "call_id",
    "agent_id",
    "date",
    "branches",
    "verdict",
    "score",
    "transcript",
    "stratum_calls",
];

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// Calls per agent, at most.
    pub per_agent: usize,
    /// The generator's seed.
    pub seed: u64,
}

/// One call drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampledCall {
    /// The call.
    pub call_id: String,
    /// Its agent.
    pub agent_id: String,
    /// The call date (business time zone).
    pub date: String,
    /// Its stratum: the branches of its inquiries, `+`-joined.
    pub branches: String,
    /// The machine's verdict.
    pub verdict: Verdict,
    /// The machine's score.
    pub score: u32,
    /// The file name of its transcript under `audit --transcripts DIR --all`.
    pub transcript: String,
    /// How many of the agent's calls its stratum holds.
    pub stratum_calls: usize,
}

/// The weight of a call by its verdict.
pub fn weight(verdict: Verdict) -> f64 {
    match verdict {
        Verdict::Fail => WEIGHT_FAIL,
        Verdict::Incomplete => WEIGHT_INCOMPLETE,
        Verdict::Pass => WEIGHT_PASS,
    }
}

fn stratum(call: &ReportCall) -> String {
    let branches = call.branches();
    if branches.is_empty() {
        "none".to_owned()
    } else {
        branches.join("+")
    }
}

/// Draws the sample: by agent id, then in the report's order.
pub fn sample(audit: &ReportFile, options: &SampleOptions) -> Vec<SampledCall> {
    let mut names = TranscriptNames::default();
    let transcripts: Vec<String> = audit.calls.iter().map(|c| names.take(&c.call_id)).collect();
    // agent -> stratum -> calls (their places in the report).
    let mut agents: BTreeMap<&str, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for (i, call) in audit.calls.iter().enumerate() {
        agents
            .entry(&call.agent_id)
            .or_default()
            .entry(stratum(call))
            .or_default()
            .push(i);
    }
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut out = Vec::new();
    for strata in agents.values() {
        // Each stratum's calls in the order they are drawn.
        let mut queues: Vec<(&String, Vec<usize>, usize)> = strata
            .iter()
            .map(|(name, calls)| {
                let mut keyed: Vec<(f64, usize)> = calls
                    .iter()
                    .map(|&i| {
                        let w = audit
                            .calls
                            .get(i)
                            .map_or(WEIGHT_PASS, |c| weight(c.verdict));
                        // u in (0, 1]: ln u / w, the log of u^(1/w); larger first.
                        let u = 1.0 - rng.f64();
                        (u.ln() / w, i)
                    })
                    .collect();
                keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                (
                    name,
                    keyed.into_iter().map(|(_, i)| i).collect(),
                    calls.len(),
                )
            })
            .collect();
        let mut drawn: Vec<(usize, &String, usize)> = Vec::new();
        let mut round = 0;
        while drawn.len() < options.per_agent {
            let mut any = false;
            for (name, queue, size) in &mut queues {
                if drawn.len() >= options.per_agent {
                    break;
                }
                if let Some(&i) = queue.get(round) {
                    drawn.push((i, name, *size));
                    any = true;
                }
            }
            if !any {
                break;
            }
            round += 1;
        }
        drawn.sort_by_key(|(i, _, _)| *i);
        for (i, name, size) in drawn {
            let Some(call) = audit.calls.get(i) else {
                continue;
            };
            out.push(SampledCall {
                call_id: call.call_id.clone(),
                agent_id: call.agent_id.clone(),
                date: call.call_date.clone(),
                branches: name.clone(),
                verdict: call.verdict,
                score: call.score,
                transcript: transcripts.get(i).cloned().unwrap_or_default(),
                stratum_calls: size,
            });
        }
    }
    out
}

/// Writes the sample as CSV through the formula-safe writer of `findings.csv`.
pub fn write_csv(rows: &[SampledCall], out: &mut dyn Write) -> io::Result<()> {
    header(out, &COLUMNS)?;
    let mut row = Row::new();
    for call in rows {
        row.text(&call.call_id)
            .text(&call.agent_id)
            .text(&call.date)
            .text(&call.branches)
            .text(call.verdict.as_str())
            .number(u64::from(call.score))
            .text(&call.transcript)
            .number(call.stratum_calls as u64);
        row.write(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit(calls: &[(&str, &str, Verdict, &str)]) -> ReportFile {
        let calls: Vec<String> = calls
            .iter()
            .map(|(id, agent, verdict, branch)| {
                format!(
                    r#"{{"call_id":"{id}","agent_id":"{agent}","verdict":"{verdict}","score":50,
                    "call_date":"2026-03-02","inquiries":[{{"reason":"r","branch":"{branch}"}}]}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"format":"callflow-audit/1","calls":[{}]}}"#,
            calls.join(",")
        );
        crate::report_file::read(json.as_bytes()).expect("a report")
    }

    #[test]
    fn every_branch_of_an_agent_is_drawn_before_a_second_of_any() {
        let mut calls = Vec::new();
        let ids: Vec<String> = (0..30).map(|i| format!("C{i:02}")).collect();
        for (i, id) in ids.iter().enumerate() {
            let branch = ["overdue", "within_review", "amount_shown"][i % 3];
            calls.push((id.as_str(), "A1", Verdict::Pass, branch));
        }
        let audit = audit(&calls);
        let rows = sample(
            &audit,
            &SampleOptions {
                per_agent: 3,
                seed: 1,
            },
        );
        let mut branches: Vec<&str> = rows.iter().map(|r| r.branches.as_str()).collect();
        branches.sort_unstable();
        assert_eq!(branches, ["amount_shown", "overdue", "within_review"]);
        assert!(rows.iter().all(|r| r.stratum_calls == 10));
    }

    #[test]
    fn the_same_seed_gives_the_same_sample_and_failed_calls_are_drawn_more() {
        let ids: Vec<String> = (0..200).map(|i| format!("C{i:03}")).collect();
        let calls: Vec<(&str, &str, Verdict, &str)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let verdict = if i % 4 == 0 {
                    Verdict::Fail
                } else {
                    Verdict::Pass
                };
                (id.as_str(), "A1", verdict, "overdue")
            })
            .collect();
        let audit = audit(&calls);
        let options = SampleOptions {
            per_agent: 20,
            seed: 42,
        };
        assert_eq!(sample(&audit, &options), sample(&audit, &options));
        assert_ne!(
            sample(&audit, &options),
            sample(
                &audit,
                &SampleOptions {
                    seed: 43,
                    ..options
                }
            )
        );
        // A quarter of the calls failed; weighted 3 to 1, they are far more than a quarter of
        // the draws, over many seeds.
        let mut failed = 0;
        let mut drawn = 0;
        for seed in 0..50 {
            for row in sample(
                &audit,
                &SampleOptions {
                    per_agent: 20,
                    seed,
                },
            ) {
                drawn += 1;
                failed += usize::from(row.verdict == Verdict::Fail);
            }
        }
        let share = failed as f64 / drawn as f64;
        assert!(share > 0.4 && share < 0.7, "{share}");
    }
}
