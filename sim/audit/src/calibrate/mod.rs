//! Calibration: the machine's judgements against human evaluators' (`callflow calibrate
//! AUDIT.json HUMAN.csv`).
//!
//! Per code, over every (call, evaluator) judgement: the calls where both found it, only the
//! machine, only the evaluator; percent agreement and Cohen's kappa ([`kappa`]), with the
//! count each rests on ("too few" under [`kappa::TOO_FEW`]). Per evaluator the same against
//! the machine, and against each other evaluator over the calls both judged. The verdict
//! confusion matrix, the score differences, and every disagreement with the machine's
//! evidence (the finding's line and message from the audit). Codes the policy switches off
//! are not calibrated.
//!
//! The machine's side of a call is what the machine raised: a finding a reviewer removed
//! (`--overrides`) still counts as the machine's, one a reviewer added does not.
//!
//! ```
//! use callflow_audit::calibrate::{calibrate, human};
//! use callflow_workflows::Engine;
//! let audit = r#"{"format": "callflow-audit/1", "calls": [
//!   {"call_id": "C1", "agent_id": "A7", "verdict": "fail", "score": 70,
//!    "findings": [{"code": "CF03", "line": 4, "message": "Greeting missing"}]}]}"#;
//! let audit = callflow_audit::report_file::read(audit.as_bytes()).unwrap();
//! let engine = Engine::builtin();
//! let human = "call_id,evaluator,verdict,score,codes\nC1,ana,pass,90,\n";
//! let judgements = human::read(human.as_bytes(), "human.csv", &audit, &engine).unwrap();
//! let report = calibrate(&audit, judgements, &engine);
//! assert_eq!(report.codes[0].code, "CF03");
//! assert_eq!(report.codes[0].agreement.first_only, 1);
//! assert_eq!(report.disagreements[0].evidence[0].line, 4);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use callflow_workflows::{Engine, Verdict};
use serde::Serialize;

use crate::report_file::{ReportCall, ReportFile};

pub mod human;
pub mod kappa;
mod render;

pub use human::{Judgement, Judgements, RejectedJudgement};
pub use kappa::Agreement;
pub use render::{render, CalibrationFormat};

/// The format name of the calibration's JSON.
pub const FORMAT: &str = "callflow-calibration/1";

/// The calibration report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Always `callflow-calibration/1`.
    pub format: &'static str,
    /// Calls in the audit.
    pub audit_calls: u64,
    /// Calls at least one evaluator judged.
    pub calls_judged: u64,
    /// Judgements used (a call judged by two evaluators counts twice).
    pub judgements: u64,
    /// The evaluators, by name.
    pub evaluators: Vec<String>,
    /// Per code, the machine against every judgement (codes either side raised, in the
    /// engine's order).
    pub codes: Vec<CodeAgreement>,
    /// Per evaluator.
    pub per_evaluator: Vec<EvaluatorAgreement>,
    /// Verdicts: the machine's (rows) against the evaluators' (columns).
    pub verdicts: VerdictMatrix,
    /// Scores: the machine's against the evaluators'.
    pub scores: ScoreDifferences,
    /// Every disagreement, by call (in the audit's order), evaluator and code.
    pub disagreements: Vec<Disagreement>,
    /// Rows of the evaluators' file not used, with their lines and reasons.
    pub rejected: Vec<RejectedJudgement>,
    /// Codes an evaluator wrote that the policy switches off: not calibrated.
    pub not_calibrated: Vec<String>,
}

/// One code's agreement between two sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAgreement {
    /// The code (`all`: every code's items together).
    pub code: String,
    /// The counts: `first_only` is the machine (or the evaluator compared), `second_only`
    /// the evaluator (or the other evaluator).
    pub agreement: Agreement,
    /// Items the figures rest on.
    pub n: u64,
    /// Percent agreement, to two decimals.
    pub percent: Option<f64>,
    /// Cohen's kappa, to four decimals (`None`: undefined).
    pub kappa: Option<f64>,
    /// Fewer than ten items: the kappa means little.
    pub too_few: bool,
}

impl CodeAgreement {
    fn of(code: &str, agreement: Agreement) -> CodeAgreement {
        CodeAgreement {
            code: code.to_owned(),
            n: agreement.n(),
            percent: agreement.percent().map(|p| round(p, 2)),
            kappa: agreement.kappa().map(|k| round(k, 4)),
            too_few: agreement.too_few(),
            agreement,
        }
    }
}

/// One evaluator against the machine and the other evaluators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluatorAgreement {
    /// The evaluator.
    pub evaluator: String,
    /// Calls they judged.
    pub calls: u64,
    /// Every code together, against the machine.
    pub overall: CodeAgreement,
    /// Per code, against the machine (the codes either side raised on their calls).
    pub codes: Vec<CodeAgreement>,
    /// Their verdicts agreeing with the machine's, in percent.
    pub verdict_percent: Option<f64>,
    /// Against each other evaluator, over the calls both judged.
    pub against: Vec<PairAgreement>,
}

/// Two evaluators over the calls both judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairAgreement {
    /// The other evaluator.
    pub other: String,
    /// Calls both judged.
    pub calls: u64,
    /// Every code together.
    pub overall: CodeAgreement,
    /// Per code (first: this evaluator, second: the other; the codes either raised).
    pub codes: Vec<CodeAgreement>,
}

/// The verdict confusion matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictMatrix {
    /// The order of rows and columns: pass, fail, incomplete.
    pub labels: [Verdict; 3],
    /// `counts[machine][evaluator]`.
    pub counts: [[u64; 3]; 3],
    /// Judgements counted.
    pub n: u64,
    /// Percent on the diagonal, to two decimals.
    pub percent: Option<f64>,
    /// Cohen's kappa over the three verdicts, to four decimals.
    pub kappa: Option<f64>,
    /// Fewer than ten judgements.
    pub too_few: bool,
}

/// The machine's scores against the evaluators'.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreDifferences {
    /// Judgements with a score.
    pub n: u64,
    /// Mean of |machine - evaluator|, to two decimals.
    pub mean_absolute: Option<f64>,
    /// Percent of them within 10 points, to two decimals.
    pub within_10: Option<f64>,
    /// Mean of machine - evaluator (positive: the machine is kinder), to two decimals.
    pub mean_signed: Option<f64>,
}

/// Where an evaluator and the machine disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The call.
    pub call_id: String,
    /// Its agent.
    pub agent_id: String,
    /// The evaluator.
    pub evaluator: String,
    /// The line of the evaluator's row.
    pub human_line: u64,
    /// The code; `None` for a verdict disagreement.
    pub code: Option<String>,
    /// `machine` (only the machine found the code), `evaluator` (only the evaluator), or
    /// for a verdict, the two verdicts: `fail vs pass` (machine first).
    pub found_by: String,
    /// The machine's verdict and score: `fail 70`.
    pub machine: String,
    /// The machine's evidence: for a code it found, its findings of that code; for a code
    /// it did not, none; for a verdict, every finding that counts.
    pub evidence: Vec<Evidence>,
}

/// A finding of the machine, as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The code.
    pub code: String,
    /// The line of its first instance.
    pub line: u64,
    /// Its message in the audit.
    pub message: String,
}

fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// The codes the machine raised on a call (removed by a reviewer or not; not those a
/// reviewer added), switched-off ones left out.
fn machine_codes(call: &ReportCall, engine: &Engine) -> BTreeSet<String> {
    call.findings
        .iter()
        .filter(|f| f.by_machine())
        .filter(|f| {
            engine
                .code(&f.code)
                .is_none_or(|c| !engine.config().scoring.is_off(c))
        })
        .map(|f| f.code.clone())
        .collect()
}

/// Whether either side raised the code at least once (an evaluator's tables leave out the
/// codes neither side raised on their calls; their `all` row still counts them).
fn raised_by_either(row: &CodeAgreement) -> bool {
    row.n > row.agreement.neither
}

fn verdict_slot(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
        Verdict::Incomplete => 2,
    }
}

/// Compares the audit with the evaluators' judgements (read by [`human::read`] against it).
pub fn calibrate(audit: &ReportFile, judgements: Judgements, engine: &Engine) -> Calibration {
    let calls: HashMap<&str, (usize, &ReportCall)> = audit
        .calls
        .iter()
        .enumerate()
        .map(|(i, c)| (c.call_id.as_str(), (i, c)))
        .collect();
    let mut machine: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (id, (_, call)) in &calls {
        machine.insert(id, machine_codes(call, engine));
    }
    let empty = BTreeSet::new();
    let codes_of = |id: &str| machine.get(id).unwrap_or(&empty);
    // The codes calibrated: any either side raised on a judged call, in the engine's order.
    let mut raised: BTreeSet<&str> = BTreeSet::new();
    for j in &judgements.judgements {
        raised.extend(j.codes.iter().map(String::as_str));
        raised.extend(codes_of(&j.call_id).iter().map(String::as_str));
    }
    let codes: Vec<&str> = engine
        .codes()
        .iter()
        .map(|c| c.as_str())
        .filter(|c| raised.contains(c))
        .collect();

    let per_code = |items: &mut dyn Iterator<Item = (&BTreeSet<String>, &BTreeSet<String>)>| {
        let mut tables: Vec<Agreement> = vec![Agreement::default(); codes.len()];
        for (first, second) in items {
            for (code, table) in codes.iter().zip(tables.iter_mut()) {
                table.add(first.contains(*code), second.contains(*code));
            }
        }
        let mut overall = Agreement::default();
        for table in &tables {
            overall.merge(table);
        }
        let rows: Vec<CodeAgreement> = codes
            .iter()
            .zip(tables)
            .map(|(code, table)| CodeAgreement::of(code, table))
            .collect();
        (CodeAgreement::of("all", overall), rows)
    };

    let (_, by_code) = per_code(
        &mut judgements
            .judgements
            .iter()
            .map(|j| (codes_of(&j.call_id), &j.codes)),
    );

    // Per evaluator.
    let mut by_evaluator: BTreeMap<&str, Vec<&Judgement>> = BTreeMap::new();
    for j in &judgements.judgements {
        by_evaluator.entry(&j.evaluator).or_default().push(j);
    }
    let mut per_evaluator = Vec::new();
    for (evaluator, theirs) in &by_evaluator {
        let (overall, mut rows) =
            per_code(&mut theirs.iter().map(|j| (codes_of(&j.call_id), &j.codes)));
        rows.retain(raised_by_either);
        let verdicts_agreeing = theirs
            .iter()
            .filter(|j| {
                calls
                    .get(j.call_id.as_str())
                    .is_some_and(|(_, c)| c.verdict == j.verdict)
            })
            .count();
        let mut against = Vec::new();
        for (other, others) in &by_evaluator {
            if other == evaluator {
                continue;
            }
            let other_by_call: HashMap<&str, &Judgement> =
                others.iter().map(|j| (j.call_id.as_str(), *j)).collect();
            let pairs: Vec<(&BTreeSet<String>, &BTreeSet<String>)> = theirs
                .iter()
                .filter_map(|j| {
                    other_by_call
                        .get(j.call_id.as_str())
                        .map(|o| (&j.codes, &o.codes))
                })
                .collect();
            let shared = pairs.len() as u64;
            let (pair_overall, mut pair_rows) = per_code(&mut pairs.into_iter());
            pair_rows.retain(raised_by_either);
            against.push(PairAgreement {
                other: (*other).to_owned(),
                calls: shared,
                overall: pair_overall,
                codes: pair_rows,
            });
        }
        per_evaluator.push(EvaluatorAgreement {
            evaluator: (*evaluator).to_owned(),
            calls: theirs.len() as u64,
            overall,
            codes: rows,
            verdict_percent: (!theirs.is_empty())
                .then(|| round(verdicts_agreeing as f64 * 100.0 / theirs.len() as f64, 2)),
            against,
        });
    }

    // Verdicts and scores.
    let mut counts = [[0u64; 3]; 3];
    let mut differences: Vec<i64> = Vec::new();
    for j in &judgements.judgements {
        let Some((_, call)) = calls.get(j.call_id.as_str()) else {
            continue;
        };
        if let Some(cell) = counts
            .get_mut(verdict_slot(call.verdict))
            .and_then(|row| row.get_mut(verdict_slot(j.verdict)))
        {
            *cell += 1;
        }
        if let Some(score) = j.score {
            differences.push(i64::from(call.score) - i64::from(score));
        }
    }
    let n: u64 = counts.iter().flatten().sum();
    let diagonal: u64 = (0..3).map(|i| counts[i][i]).sum();
    let verdicts = VerdictMatrix {
        labels: [Verdict::Pass, Verdict::Fail, Verdict::Incomplete],
        counts,
        n,
        percent: (n > 0).then(|| round(diagonal as f64 * 100.0 / n as f64, 2)),
        kappa: kappa::kappa(&counts).map(|k| round(k, 4)),
        too_few: n < kappa::TOO_FEW,
    };
    let scored = differences.len() as f64;
    let scores = ScoreDifferences {
        n: differences.len() as u64,
        mean_absolute: (!differences.is_empty()).then(|| {
            round(
                differences.iter().map(|d| d.abs() as f64).sum::<f64>() / scored,
                2,
            )
        }),
        within_10: (!differences.is_empty()).then(|| {
            round(
                differences.iter().filter(|d| d.abs() <= 10).count() as f64 * 100.0 / scored,
                2,
            )
        }),
        mean_signed: (!differences.is_empty())
            .then(|| round(differences.iter().sum::<i64>() as f64 / scored, 2)),
    };

    // Disagreements, in the audit's order.
    let mut disagreements = Vec::new();
    let mut ordered: Vec<&Judgement> = judgements.judgements.iter().collect();
    ordered.sort_by_key(|j| {
        (
            calls
                .get(j.call_id.as_str())
                .map_or(usize::MAX, |(i, _)| *i),
            j.evaluator.clone(),
        )
    });
    for j in ordered {
        let Some((_, call)) = calls.get(j.call_id.as_str()) else {
            continue;
        };
        let machine_has = codes_of(&j.call_id);
        let machine = format!("{} {}", call.verdict, call.score);
        let evidence_of = |code: Option<&str>| -> Vec<Evidence> {
            call.findings
                .iter()
                .filter(|f| match code {
                    Some(code) => f.code == code && f.by_machine(),
                    None => f.counts(),
                })
                .map(|f| Evidence {
                    code: f.code.clone(),
                    line: f.line,
                    message: f.message.clone(),
                })
                .collect()
        };
        if call.verdict != j.verdict {
            disagreements.push(Disagreement {
                call_id: j.call_id.clone(),
                agent_id: call.agent_id.clone(),
                evaluator: j.evaluator.clone(),
                human_line: j.line,
                code: None,
                found_by: format!("{} vs {}", call.verdict, j.verdict),
                machine: machine.clone(),
                evidence: evidence_of(None),
            });
        }
        for code in &codes {
            let (m, h) = (machine_has.contains(*code), j.codes.contains(*code));
            if m == h {
                continue;
            }
            disagreements.push(Disagreement {
                call_id: j.call_id.clone(),
                agent_id: call.agent_id.clone(),
                evaluator: j.evaluator.clone(),
                human_line: j.line,
                code: Some((*code).to_owned()),
                found_by: if m { "machine" } else { "evaluator" }.to_owned(),
                machine: machine.clone(),
                evidence: if m {
                    evidence_of(Some(code))
                } else {
                    Vec::new()
                },
            });
        }
    }

    let judged: BTreeSet<&str> = judgements
        .judgements
        .iter()
        .map(|j| j.call_id.as_str())
        .collect();
    Calibration {
        format: FORMAT,
        audit_calls: audit.calls.len() as u64,
        calls_judged: judged.len() as u64,
        judgements: judgements.judgements.len() as u64,
        evaluators: by_evaluator.keys().map(|e| (*e).to_owned()).collect(),
        codes: by_code,
        per_evaluator,
        verdicts,
        scores,
        disagreements,
        rejected: judgements.rejected,
        not_calibrated: judgements.switched_off.into_iter().collect(),
    }
}
