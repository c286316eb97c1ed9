//! The evaluators' judgements (`HUMAN.csv`: `call_id,evaluator,verdict,score,codes`, the codes
//! separated by `;`), each row checked against the audit: a call the audit lacks, an unknown
//! code, a verdict that is not pass, fail or incomplete, a score that is not 0 to 100, or a
//! second row of one evaluator for one call is rejected with its line and reason.

use std::collections::{BTreeSet, HashSet};
use std::io::Read;

use callflow_workflows::{Engine, Verdict};
use serde::Serialize;

use crate::report_file::ReportFile;
use crate::table::Table;
use crate::Error;

/// The columns of the evaluators' file.
pub const COLUMNS: [&str; 5] = ["call_id", "evaluator", "verdict", "score", "codes"];

/// One evaluator's judgement of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// Its line in the file.
    pub line: u64,
    /// The call.
    pub call_id: String,
    /// Who judged.
    pub evaluator: String,
    /// Their verdict.
    pub verdict: Verdict,
    /// Their score, when they gave one.
    pub score: Option<u32>,
    /// The codes they found (switched-off codes left out).
    pub codes: BTreeSet<String>,
}

/// A row of the evaluators' file that was not used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedJudgement {
    /// Its line.
    pub line: u64,
    /// The call id as written.
    pub call_id: String,
    /// Why, naming the value.
    pub reason: String,
}

/// The evaluators' file, read and checked.
#[derive(Debug, Clone, Default)]
pub struct Judgements {
    /// The rows used.
    pub judgements: Vec<Judgement>,
    /// The rows rejected.
    pub rejected: Vec<RejectedJudgement>,
    /// Codes an evaluator wrote that the policy switches off (not calibrated), each once.
    pub switched_off: BTreeSet<String>,
}

/// Reads the evaluators' file, checking each row against the audit and the engine's codes.
pub fn read(
    from: impl Read,
    source: &str,
    audit: &ReportFile,
    engine: &Engine,
) -> Result<Judgements, Error> {
    let table = Table::read(from, source, &COLUMNS)?;
    let [call_id, evaluator, verdict, score, codes] = COLUMNS.map(|c| table.column(c));
    let calls: HashSet<&str> = audit.calls.iter().map(|c| c.call_id.as_str()).collect();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut out = Judgements::default();
    'rows: for row in &table.rows {
        let id = row.get(call_id);
        let mut reject = |reason: String| {
            out.rejected.push(RejectedJudgement {
                line: row.line,
                call_id: id.to_owned(),
                reason,
            })
        };
        if !calls.contains(id) {
            reject(format!("call '{id}' is not in the audit"));
            continue;
        }
        let who = row.get(evaluator);
        if who.is_empty() {
            reject("no evaluator".into());
            continue;
        }
        let verdict = match row.get(verdict).to_ascii_lowercase().as_str() {
            "pass" => Verdict::Pass,
            "fail" => Verdict::Fail,
            "incomplete" => Verdict::Incomplete,
            other => {
                reject(format!("verdict '{other}' is not pass, fail or incomplete"));
                continue;
            }
        };
        let score = match row.get(score) {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) if n <= 100 => Some(n),
                _ => {
                    reject(format!(
                        "score '{text}' is not a whole number from 0 to 100"
                    ));
                    continue;
                }
            },
        };
        let mut found = BTreeSet::new();
        for name in row
            .get(codes)
            .split(';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match engine.code(name) {
                None => {
                    reject(format!("unknown code '{name}'"));
                    continue 'rows;
                }
                Some(code) if engine.config().scoring.is_off(code) => {
                    out.switched_off.insert(name.to_owned());
                }
                Some(code) => {
                    found.insert(code.as_str().to_owned());
                }
            }
        }
        if !seen.insert((id.to_owned(), who.to_owned())) {
            reject(format!(
                "evaluator '{who}' already judged call '{id}' above"
            ));
            continue;
        }
        out.judgements.push(Judgement {
            line: row.line,
            call_id: id.to_owned(),
            evaluator: who.to_owned(),
            verdict,
            score,
            codes: found,
        });
    }
    Ok(out)
}
