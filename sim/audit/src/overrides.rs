//! Disputes: a reviewer's decisions on findings (`callflow audit LOG --overrides FILE`).
//!
//! The file is a CSV `call_id,code,action,reason,reviewer,date` with an optional `line`;
//! `action` is `remove` (the finding is overturned) or `add` (the reviewer found what the
//! machine missed). Overridden findings stay in the report, marked with who, when and why
//! ([`OverrideMark`]); the call's score and verdict are judged again from the findings that
//! count, by [`callflow_workflows::score`], the function the audit itself scores with, under
//! the call's own rules.
//!
//! The audit streams, and an override can only be checked against its call, so the overrides
//! are read first and kept by call id ([`Overrides::read`]); each is applied when its call
//! ends ([`Overrides::apply`]); at the end, [`Overrides::finish`] fails with the file's line
//! of the first mistake (an override of a call the log does not have, a `remove` of a finding
//! that is not there, an `add` of one that is, two overrides of one finding), so that the
//! caller writes nothing.
//!
//! ```
//! use callflow_audit::overrides::Overrides;
//! use callflow_workflows::Engine;
//! let engine = Engine::builtin();
//! let file = "call_id,code,action,reason,reviewer,date\n\
//!             C-1,CF02,remove,customer asked to skip,R. Diaz,2026-03-09\n";
//! let overrides = Overrides::read(file.as_bytes(), "overrides.csv", &engine).unwrap();
//! assert_eq!(overrides.len(), 1);
//! // No call C-1 was audited: the override's line is named.
//! let err = overrides.finish().unwrap_err();
//! assert_eq!(err.to_string(), "overrides.csv: line 2: call 'C-1' is not in the log");
//! ```

use std::collections::HashMap;
use std::io::Read;

use callflow_workflows::{Code, Engine};

use crate::report::{CallReport, EvidenceReport, FindingReport, OverrideAction, OverrideMark};
use crate::table::Table;
use crate::Error;

/// The columns an overrides file must have (`line` is optional).
pub const COLUMNS: [&str; 6] = ["call_id", "code", "action", "reason", "reviewer", "date"];

/// One override, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Its line in the overrides file.
    pub file_line: u64,
    /// The call.
    pub call_id: String,
    /// The code.
    pub code: Code,
    /// The log line of the finding, when given.
    pub line: Option<u64>,
    /// Who, when, why, and what.
    pub mark: OverrideMark,
}

/// The overrides of an audit, by call id, and the mistakes found applying them.
#[derive(Debug, Clone)]
pub struct Overrides {
    source: String,
    by_call: HashMap<String, Vec<Override>>,
    count: usize,
    /// Mistakes found so far: (file line, what).
    mistakes: Vec<(u64, String)>,
    applied: usize,
}

impl Overrides {
    /// Reads an overrides file, checking each row on its own (its columns, action, code,
    /// line) and the rows against each other (the same finding twice). Codes are looked up
    /// in `engine`; a code its policy switches off is refused.
    pub fn read(from: impl Read, source: &str, engine: &Engine) -> Result<Overrides, Error> {
        let table = Table::read(from, source, &COLUMNS)?;
        let [call_id, code, action, reason, reviewer, date] = COLUMNS.map(|c| table.column(c));
        let line_column = table.column("line");
        let mistake = |line: u64, problem: String| Error::Table {
            source_name: source.to_owned(),
            line,
            problem,
        };
        let mut by_call: HashMap<String, Vec<Override>> = HashMap::new();
        let mut count = 0;
        for row in &table.rows {
            let at = row.line;
            let id = row.get(call_id);
            if id.is_empty() {
                return Err(mistake(at, "no call_id".into()));
            }
            let name = row.get(code);
            let Some(found) = engine.code(name) else {
                return Err(mistake(at, format!("unknown code '{name}'")));
            };
            if engine.config().scoring.is_off(found) {
                return Err(mistake(
                    at,
                    format!("code '{name}' is switched off by the policy"),
                ));
            }
            let action = match row.get(action) {
                "remove" => OverrideAction::Remove,
                "add" => OverrideAction::Add,
                other => {
                    return Err(mistake(
                        at,
                        format!("action '{other}' is neither remove nor add"),
                    ))
                }
            };
            let line = match row.get(line_column) {
                "" => None,
                text => match text.parse::<u64>() {
                    Ok(n) if n >= 2 => Some(n),
                    _ => {
                        return Err(mistake(
                            at,
                            format!("line '{text}' is not a line of a log's rows (2 or more)"),
                        ))
                    }
                },
            };
            for (column, value) in [("reviewer", reviewer), ("date", date), ("reason", reason)] {
                if row.get(value).is_empty() {
                    return Err(mistake(
                        at,
                        format!("no {column}: an override says who, when and why"),
                    ));
                }
            }
            let when = row.get(date);
            if chrono::NaiveDate::parse_from_str(when, "%Y-%m-%d").is_err() {
                return Err(mistake(
                    at,
                    format!("date '{when}' is not a date written 2026-03-09"),
                ));
            }
            let calls = by_call.entry(id.to_owned()).or_default();
            if let Some(other) = calls.iter().find(|o| o.code == found && o.line == line) {
                let what = if other.mark.action == action {
                    "repeats"
                } else {
                    "contradicts"
                };
                return Err(mistake(
                    at,
                    format!(
                        "{what} line {} ({} {name} on call '{id}'{})",
                        other.file_line,
                        other.mark.action.as_str(),
                        line.map_or(String::new(), |l| format!(", line {l}"))
                    ),
                ));
            }
            calls.push(Override {
                file_line: at,
                call_id: id.to_owned(),
                code: found,
                line,
                mark: OverrideMark {
                    action,
                    reviewer: row.get(reviewer).to_owned(),
                    date: row.get(date).to_owned(),
                    reason: row.get(reason).to_owned(),
                },
            });
            count += 1;
        }
        Ok(Overrides {
            source: source.to_owned(),
            by_call,
            count,
            mistakes: Vec::new(),
            applied: 0,
        })
    }

    /// How many overrides the file holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the file holds none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Applies the overrides of a call that ended (none: nothing changes), judging its score
    /// and verdict again under its own rules in `engine`. An override that does not fit the
    /// call is kept as a mistake for [`Overrides::finish`]; the call is then left as the
    /// machine judged it.
    pub fn apply(&mut self, call: &mut CallReport, engine: &Engine) {
        let Some(overrides) = self.by_call.remove(&call.call_id) else {
            return;
        };
        let (_, rules) = engine.rules_on(call.call_date);
        let scoring = &rules.config().scoring;
        let before = self.mistakes.len();
        // Which finding each remove takes, checked before anything changes.
        let mut removed: Vec<(usize, &Override)> = Vec::new();
        let mut added: Vec<FindingReport> = Vec::new();
        for one in &overrides {
            let at = |f: &FindingReport| {
                f.code == one.code
                    && one
                        .line
                        .is_none_or(|l| f.line == l || f.evidence.iter().any(|e| e.line == l))
            };
            let matching: Vec<usize> = call
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| at(f) && f.overridden.is_none())
                .map(|(i, _)| i)
                .collect();
            let where_ = match one.line {
                Some(l) => format!(" on line {l}"),
                None => String::new(),
            };
            match one.mark.action {
                OverrideAction::Remove => match matching.as_slice() {
                    [] => self.mistakes.push((
                        one.file_line,
                        format!(
                            "remove: call '{}' has no {} finding{where_}",
                            call.call_id, one.code
                        ),
                    )),
                    [index] => {
                        if let Some((_, other)) = removed.iter().find(|(i, _)| i == index) {
                            self.mistakes.push((
                                one.file_line,
                                format!(
                                    "contradicts line {}: both remove the {} finding of call '{}'",
                                    other.file_line, one.code, call.call_id
                                ),
                            ));
                        } else {
                            removed.push((*index, one));
                        }
                    }
                    several => {
                        let lines: Vec<String> = several
                            .iter()
                            .filter_map(|i| call.findings.get(*i))
                            .map(|f| f.line.to_string())
                            .collect();
                        self.mistakes.push((
                            one.file_line,
                            format!(
                                "remove: call '{}' has {} on lines {}: give the line",
                                call.call_id,
                                one.code,
                                lines.join(", ")
                            ),
                        ));
                    }
                },
                OverrideAction::Add => {
                    if let Some(first) = matching.first().and_then(|i| call.findings.get(*i)) {
                        self.mistakes.push((
                            one.file_line,
                            format!(
                                "add: call '{}' already has {} on line {}",
                                call.call_id, one.code, first.line
                            ),
                        ));
                        continue;
                    }
                    let line = one.line.unwrap_or(call.first_line);
                    let description = one.code.description();
                    let actual = format!("{} found it on review", one.mark.reviewer);
                    added.push(FindingReport {
                        code: one.code,
                        severity: scoring.severity(one.code),
                        line,
                        message: format!("{description}: line {line}: {actual}"),
                        timestamp: call.started.to_rfc3339(),
                        evidence: vec![EvidenceReport {
                            line,
                            timestamp: call.started.to_rfc3339(),
                            expected: description.to_owned(),
                            actual,
                        }],
                        inquiry: None,
                        overridden: Some(Box::new(one.mark.clone())),
                    });
                }
            }
        }
        if self.mistakes.len() > before {
            return;
        }
        for (index, one) in removed {
            if let Some(finding) = call.findings.get_mut(index) {
                finding.overridden = Some(Box::new(one.mark.clone()));
            }
        }
        call.findings.extend(added);
        call.findings.sort_by_key(|f| (f.line, f.code));
        let outcome = callflow_workflows::score(
            call.findings
                .iter()
                .filter(|f| f.counts())
                .map(|f| f.severity),
            call.complete,
            scoring,
        );
        call.score = outcome.score;
        call.verdict = outcome.verdict;
        // A rendering made before the overrides is stale.
        call.rendered = None;
        self.applied += overrides.len();
    }

    /// Ends the run: every override must have met its call and fitted it. Returns how many
    /// were applied, or the first mistake by the file's line (with how many more there are).
    pub fn finish(mut self) -> Result<usize, Error> {
        for overrides in self.by_call.values() {
            for one in overrides {
                self.mistakes.push((
                    one.file_line,
                    format!("call '{}' is not in the log", one.call_id),
                ));
            }
        }
        self.mistakes.sort();
        let mut mistakes = self.mistakes.into_iter();
        match mistakes.next() {
            None => Ok(self.applied),
            Some((line, problem)) => {
                let more = mistakes.len();
                Err(Error::Table {
                    source_name: self.source,
                    line,
                    problem: if more == 0 {
                        problem
                    } else {
                        format!(
                            "{problem} (and {more} more mistake{})",
                            if more == 1 { "" } else { "s" }
                        )
                    },
                })
            }
        }
    }
}
