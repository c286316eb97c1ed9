//! The audit report: per call, per agent, the rejected rows, and the row counts. Its JSON form
//! is the `callflow-audit/1` contract of call-log-v1.md (more fields may be added, none renamed).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use callflow_workflows::explain::{Explain, InquiryView, Instance};
use callflow_workflows::{Call, Code, Config, Engine, Facts, Rules, Severity, Verdict};
use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::identity::{LogIdentity, PolicyIdentity};
use serde::{Deserialize, Serialize, Serializer};

/// Rows read, replayed, rejected: read = replayed + rejected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    /// Rows read (the header not counted).
    pub read: u64,
    /// Rows fed to a call.
    pub replayed: u64,
    /// Rows rejected with a reason.
    pub rejected: u64,
}

/// A rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// 1-based line (the header is line 1).
    pub line: u64,
    /// The row's call id as read (may be empty).
    pub call_id: String,
    /// Why, naming the value.
    pub reason: String,
    /// The kind of fault, for counting rejected rows by cause (not in the JSON contract).
    #[serde(skip)]
    pub kind: crate::rejection::RejectKind,
}

/// One inquiry of a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InquiryReport {
    /// The reason code as written.
    pub reason: String,
    /// The review-check branch; `null` for other inquiries or when the facts never came.
    pub branch: Option<&'static str>,
    /// The procedure machine's final state.
    pub state: &'static str,
    /// The line of the `inquiry` event.
    pub line: u64,
    /// The procedure that handled it (its registered name), `None` for a reason none covers
    /// (not in the JSON contract).
    #[serde(skip)]
    pub procedure: Option<&'static str>,
    /// That procedure's place in the engine, for its parameters (not in the JSON contract).
    #[serde(skip)]
    pub procedure_index: Option<usize>,
}

/// One instance behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceReport {
    /// Line.
    pub line: u64,
    /// Timestamp (RFC 3339).
    pub timestamp: String,
    /// What the procedure expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
}

/// One finding of a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingReport {
    /// The code (`CF02`).
    pub code: Code,
    /// `critical` ...
    pub severity: Severity,
    /// The line of its first instance.
    pub line: u64,
    /// One sentence: what the code means and each instance.
    pub message: String,
    /// The first instance's timestamp.
    pub timestamp: String,
    /// Every instance.
    pub evidence: Vec<EvidenceReport>,
    /// The inquiry (its place in [`CallReport::inquiries`]) the finding was raised in; `None`
    /// for the call frame's findings (not in the JSON contract).
    #[serde(skip)]
    pub inquiry: Option<usize>,
    /// A reviewer's override of this finding (`callflow audit --overrides`): `override` in the
    /// JSON, present only on overridden findings (an addition to the contract). Boxed: a
    /// finding without one costs a pointer.
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub overridden: Option<Box<OverrideMark>>,
}

/// What a reviewer did to a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideAction {
    /// The finding was overturned: it stays in the report, marked, but no longer counts.
    Remove,
    /// The reviewer found what the machine did not: the finding was added, and counts.
    Add,
}

impl OverrideMark {
    /// Appends the mark as the human reports show it after the finding's explanation:
    /// ` [Removed on review by R. Diaz, 2026-03-09: the customer asked to skip it.]`
    pub fn describe_into(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(
            out,
            " [{} on review by {}, {}: {}]",
            match self.action {
                OverrideAction::Remove => "Removed",
                OverrideAction::Add => "Added",
            },
            self.reviewer,
            self.date,
            self.reason
        );
    }
}

impl OverrideAction {
    /// `remove` or `add`, as the overrides file and the JSON write it.
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideAction::Remove => "remove",
            OverrideAction::Add => "add",
        }
    }
}

/// A reviewer's override of a finding: who, when, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideMark {
    /// Removed or added.
    pub action: OverrideAction,
    /// Who decided.
    pub reviewer: String,
    /// When (as the overrides file gives it: `2026-03-09`).
    pub date: String,
    /// Why, in the reviewer's words.
    pub reason: String,
}

impl FindingReport {
    /// Whether the finding counts towards the score, the verdict and the tallies: every
    /// finding but one a reviewer removed.
    pub fn counts(&self) -> bool {
        !matches!(&self.overridden, Some(m) if m.action == OverrideAction::Remove)
    }

    /// The lines of its instances, each once, in order: `284, 287`.
    pub fn lines(&self) -> String {
        let mut lines: Vec<u64> = self.evidence.iter().map(|e| e.line).collect();
        lines.dedup();
        let text: Vec<String> = lines.iter().map(u64::to_string).collect();
        text.join(", ")
    }

    /// The order human readers want: critical, major, minor, info, then by line and code.
    pub fn severity_order(&self) -> (Severity, u64, Code) {
        (self.severity, self.line, self.code)
    }
}

/// A check that could not be made in a call: the value it rests on was redacted in the
/// transcript (`[PII]`), so its code was not raised on a guess (#19). `unchecked` in the JSON,
/// present only on calls that have one (an addition to the contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UncheckedReport {
    /// The code whose check was not made.
    pub code: Code,
    /// The line of the step it would have judged.
    pub line: u64,
    /// Its timestamp (RFC 3339).
    pub timestamp: String,
    /// Why: `the quoted amount was redacted ([PII])`.
    pub why: String,
}

impl UncheckedReport {
    /// One sentence for the human reports: `<code> not checked (line 14): the quoted amount
    /// was redacted ([PII])`.
    pub fn sentence(&self) -> String {
        format!(
            "{} not checked (line {}): {}",
            self.code, self.line, self.why
        )
    }
}

/// The audit of one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallReport {
    /// The call id.
    pub call_id: String,
    /// The agent who started the call.
    pub agent_id: String,
    /// Pass, fail or incomplete.
    pub verdict: Verdict,
    /// 0 to 100.
    pub score: u32,
    /// The inquiries, in order.
    pub inquiries: Vec<InquiryReport>,
    /// The findings, by line.
    pub findings: Vec<FindingReport>,
    /// The line of the call's first row.
    pub first_line: u64,
    /// The line of its last row.
    pub last_line: u64,
    /// When the call started, with the offset it was written with (`started_at` in the JSON).
    #[serde(rename = "started_at", serialize_with = "rfc3339")]
    pub started: DateTime<FixedOffset>,
    /// The call date in the business time zone.
    pub call_date: NaiveDate,
    /// The effective date of the policy version the call was judged under (`null`: the
    /// policy's base, in force before its first dated version, or always in a policy without
    /// versions).
    pub policy: Option<NaiveDate>,
    /// The checks that could not be made because a value they rest on was redacted, in the
    /// order the machines recorded them (`unchecked`; left out of the JSON when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<UncheckedReport>,
    /// The call's account facts at its end, kept for the explanations of its findings (empty
    /// when it has none; not in the JSON contract).
    #[serde(skip)]
    pub facts: Facts,
    /// The customer's name, once identified (HTML report; not in the JSON contract).
    #[serde(skip)]
    pub customer: Option<String>,
    /// Whether the call ran to its end (what the verdict was judged on; needed to judge it
    /// again after overrides; not in the JSON contract).
    #[serde(skip)]
    pub complete: bool,
    /// The call's rows as they happened, when the audit was asked to keep them.
    #[serde(skip)]
    pub history: Option<Vec<crate::history::HistoryRow>>,
    /// The call already rendered by its worker (the JSON stream's line), when asked.
    #[serde(skip)]
    pub rendered: Option<Vec<u8>>,
    /// The call as judged under the policy compared against, beside its judgement here
    /// (`audit --compare`; not in the JSON contract).
    #[serde(skip)]
    pub compared: Option<Box<crate::diff::Compared>>,
}

/// `started_at`: RFC 3339 with the offset the log wrote, as the evidence's timestamps.
fn rfc3339<S: Serializer>(at: &DateTime<FixedOffset>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339())
}

impl CallReport {
    /// Builds the report of a call that is over.
    pub fn of(call: &Call, first_line: u64) -> CallReport {
        let frame = call.frame();
        let outcome = call.outcome();
        let inquiries = frame.inquiries();
        // The inquiry each finding was raised in (the frame's findings come first).
        let inquiry_of = |finding: &callflow_workflows::Finding| {
            inquiries
                .iter()
                .position(|i| i.findings().iter().any(|f| std::ptr::eq(f, finding)))
        };
        let mut findings: Vec<FindingReport> = call
            .findings()
            .map(|f| FindingReport {
                inquiry: inquiry_of(f),
                code: f.code,
                severity: call.severity(f),
                line: f.line(),
                message: f.message(),
                timestamp: f.at().map(|t| t.to_rfc3339()).unwrap_or_default(),
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| EvidenceReport {
                        line: e.line,
                        timestamp: e.at.to_rfc3339(),
                        expected: e.expected.clone(),
                        actual: e.actual.clone(),
                    })
                    .collect(),
                overridden: None,
            })
            .collect();
        findings.sort_by_key(|f| (f.line, f.code));
        CallReport {
            call_id: frame.call_id().to_owned(),
            agent_id: frame.agent_id().to_owned(),
            verdict: outcome.verdict,
            score: outcome.score,
            complete: outcome.complete,
            inquiries: frame
                .inquiries()
                .iter()
                .map(|i| InquiryReport {
                    reason: i.code().to_owned(),
                    branch: i.branch(),
                    state: i.state_name(),
                    line: i.opened().line,
                    procedure: i.procedure_name(),
                    procedure_index: i.procedure(),
                })
                .collect(),
            facts: if findings.is_empty() {
                Facts::default()
            } else {
                frame.facts().clone()
            },
            findings,
            first_line,
            started: frame.started().at,
            call_date: frame.call_date(),
            policy: call.rules().effective(),
            customer: frame.customer_name().map(str::to_owned),
            unchecked: call
                .not_checked()
                .map(|n| UncheckedReport {
                    code: n.code,
                    line: n.line,
                    timestamp: n.at.to_rfc3339(),
                    why: n.why.clone(),
                })
                .collect(),
            history: None,
            rendered: None,
            compared: None,
            last_line: frame
                .end()
                .map_or(frame.last().line, |(s, _)| s.line.max(frame.last().line)),
        }
    }
}

impl CallReport {
    /// The codes the call raised, each once (a code may be raised once per inquiry, so a call
    /// can hold it more than once); a finding a reviewer removed does not count.
    pub fn codes(&self) -> std::collections::BTreeSet<Code> {
        self.findings
            .iter()
            .filter(|f| f.counts())
            .map(|f| f.code)
            .collect()
    }

    /// The findings in the order human readers want them: critical, major, minor, info, then
    /// by line (the JSON keeps the contract's order, by line).
    pub fn findings_by_severity(&self) -> Vec<&FindingReport> {
        let mut findings: Vec<&FindingReport> = self.findings.iter().collect();
        findings.sort_by_key(|f| f.severity_order());
        findings
    }

    /// The most severe of the call's findings that count, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| f.counts())
            .map(|f| f.severity)
            .min()
    }

    /// The procedures of the call's inquiries, each once, in order (`-` for none).
    pub fn procedures(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for inquiry in &self.inquiries {
            if let Some(name) = inquiry.procedure {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// Writes one of this call's findings in plain words (see
    /// [`callflow_workflows::explain`]), under `rules` (`None`: the default rules), appending
    /// to `out`. Made when asked, from what the report kept of the call: its facts, the
    /// finding's inquiry and its branch, the call date.
    pub fn explain_into(&self, finding: &FindingReport, rules: Option<&Rules>, out: &mut String) {
        match &finding.overridden {
            // A finding a reviewer added has no machine evidence for its explainer to read:
            // its description, line and reviewer say it.
            Some(mark) if mark.action == OverrideAction::Add => {
                use std::fmt::Write;
                let description = finding.code.description();
                let mut chars = description.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
                let _ = write!(
                    out,
                    " (line {}), found by {} on review.",
                    finding.line, mark.reviewer
                );
            }
            _ => self.explain_machine_finding(finding, rules, out),
        }
        if let Some(mark) = &finding.overridden {
            mark.describe_into(out);
        }
    }

    /// The explanation of a finding the machine raised, by its code's explainer.
    fn explain_machine_finding(
        &self,
        finding: &FindingReport,
        rules: Option<&Rules>,
        out: &mut String,
    ) {
        const NONE: Instance<'static> = Instance {
            line: 0,
            timestamp: "",
            expected: "",
            actual: "",
        };
        fn instance(e: &EvidenceReport) -> Instance<'_> {
            Instance {
                line: e.line,
                timestamp: &e.timestamp,
                expected: &e.expected,
                actual: &e.actual,
            }
        }
        // Most findings have one instance or a few: no list to allocate for them.
        let mut few = [NONE; 4];
        let many: Vec<Instance<'_>>;
        let instances: &[Instance<'_>] = if finding.evidence.len() <= few.len() {
            for (slot, e) in few.iter_mut().zip(&finding.evidence) {
                *slot = instance(e);
            }
            few.get(..finding.evidence.len()).unwrap_or_default()
        } else {
            many = finding.evidence.iter().map(instance).collect();
            &many
        };
        let inquiry = finding.inquiry.and_then(|i| self.inquiries.get(i));
        let params: &(dyn std::any::Any + Send + Sync) =
            match (rules, inquiry.and_then(|i| i.procedure_index)) {
                (Some(rules), Some(index)) => rules.params(index),
                _ => &(),
            };
        Explain {
            code: finding.code,
            instances,
            facts: &self.facts,
            inquiry: inquiry.map(|i| InquiryView {
                reason: &i.reason,
                branch: i.branch,
                state: i.state,
            }),
            call_date: self.call_date,
            config: match rules {
                Some(rules) => rules.config(),
                None => default_config(),
            },
            params,
        }
        .write(out);
    }

    /// One of this call's findings in plain words (see [`CallReport::explain_into`]).
    pub fn explanation(&self, finding: &FindingReport, rules: Option<&Rules>) -> String {
        let mut out = String::new();
        self.explain_into(finding, rules, &mut out);
        out
    }
}

/// The default configuration, for reports made without an engine's rules.
fn default_config() -> &'static Config {
    static DEFAULT: OnceLock<Config> = OnceLock::new();
    DEFAULT.get_or_init(Config::default)
}

/// The engine an audit ran under, kept by its report so that renderers can explain findings
/// under the same rules. Reports compare equal whatever their engines (as calls do).
#[derive(Clone)]
pub struct EngineRef(pub Arc<Engine>);

impl PartialEq for EngineRef {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for EngineRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EngineRef(..)")
    }
}

/// One agent's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgentReport {
    /// The agent id.
    pub agent_id: String,
    /// Calls the agent started.
    pub calls: u64,
    /// Passed.
    pub passed: u64,
    /// Failed.
    pub failed: u64,
    /// Incomplete.
    pub incomplete: u64,
    /// Mean score over all the agent's calls, to two decimals.
    pub mean_score: f64,
    /// How many of the agent's calls raised each code.
    #[serde(skip)]
    pub codes: BTreeMap<Code, u64>,
    /// How many critical findings the agent's calls raised (not in the JSON contract).
    #[serde(skip)]
    pub critical: u64,
    #[serde(skip)]
    score_sum: u64,
}

/// The agents' figures, summed call by call (a streaming report needs them without the calls).
/// Hashed by agent id while counting (every call asks), sorted by it at the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentTally(rustc_hash::FxHashMap<String, AgentReport>);

impl AgentTally {
    /// Counts one call for its agent.
    pub fn add(&mut self, call: &CallReport) {
        let agent = match self.0.get_mut(&call.agent_id) {
            Some(agent) => agent,
            None => self.0.entry(call.agent_id.clone()).or_default(),
        };
        agent.calls += 1;
        match call.verdict {
            Verdict::Pass => agent.passed += 1,
            Verdict::Fail => agent.failed += 1,
            Verdict::Incomplete => agent.incomplete += 1,
        }
        agent.score_sum += u64::from(call.score);
        for code in call.codes() {
            *agent.codes.entry(code).or_default() += 1;
        }
        agent.critical += call
            .findings
            .iter()
            .filter(|f| f.counts() && f.severity == Severity::Critical)
            .count() as u64;
    }

    /// The agents, by id, with their mean scores.
    pub fn finish(self) -> Vec<AgentReport> {
        let mut agents: Vec<AgentReport> = self
            .0
            .into_iter()
            .map(|(id, mut agent)| {
                agent.agent_id = id;
                agent.mean_score =
                    (agent.score_sum as f64 / agent.calls.max(1) as f64 * 100.0).round() / 100.0;
                agent
            })
            .collect();
        agents.sort_by(|a, b| a.agent_id.cmp(&b.agent_id));
        agents
    }
}

/// The whole audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    /// Always `callflow-audit/1`.
    pub format: &'static str,
    /// The input's name.
    #[serde(skip)]
    pub source: String,
    /// What the reader did that the user should know (a separator sniffed, columns matched
    /// by a normalised name), one sentence each (not in the JSON contract).
    #[serde(skip)]
    pub notes: Vec<String>,
    /// The engine the audit ran under (for explanations under its rules), when known.
    #[serde(skip)]
    pub engine: Option<EngineRef>,
    /// Row counts.
    pub rows: RowCounts,
    /// Rejected rows, by line.
    pub rejected: Vec<Rejected>,
    /// The policy the calls were judged under (set by [`AuditReport::with_engine`]).
    pub policy: PolicyIdentity,
    /// Calls, ordered by their first line in the log.
    pub calls: Vec<CallReport>,
    /// Agents, by id.
    pub agents: Vec<AgentReport>,
    /// The log the report was made from (set by [`AuditReport::with_log`]).
    pub log: LogIdentity,
}

/// The contract's format name.
pub const FORMAT: &str = "callflow-audit/1";

/// Figures over all calls, built as calls finish.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Calls audited.
    pub calls: u64,
    /// Passed.
    pub passed: u64,
    /// Failed.
    pub failed: u64,
    /// Incomplete.
    pub incomplete: u64,
    /// For each code: how many calls raised it.
    pub codes: BTreeMap<Code, u64>,
}

impl Summary {
    /// The share of calls that passed, in percent (0 when there are none).
    pub fn pass_rate(&self) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            self.passed as f64 * 100.0 / self.calls as f64
        }
    }
}

impl AuditReport {
    /// Puts a report together: sorts calls by first line and rejected rows by line, and
    /// computes the agents' figures.
    pub fn new(
        source: String,
        rows: RowCounts,
        mut rejected: Vec<Rejected>,
        mut calls: Vec<CallReport>,
    ) -> AuditReport {
        calls.sort_by_key(|c| c.first_line);
        rejected.sort_by_key(|r| r.line);
        let mut agents = AgentTally::default();
        for call in &calls {
            agents.add(call);
        }
        let agents = agents.finish();
        AuditReport {
            format: FORMAT,
            source,
            notes: Vec::new(),
            engine: None,
            rows,
            rejected,
            policy: PolicyIdentity::default(),
            calls,
            agents,
            log: LogIdentity::default(),
        }
    }

    /// Figures over all calls.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for call in &self.calls {
            summary.calls += 1;
            match call.verdict {
                Verdict::Pass => summary.passed += 1,
                Verdict::Fail => summary.failed += 1,
                Verdict::Incomplete => summary.incomplete += 1,
            }
            for code in call.codes() {
                *summary.codes.entry(code).or_default() += 1;
            }
        }
        summary
    }

    /// Whether any call failed (the CLI exits 1 then).
    pub fn any_failed(&self) -> bool {
        self.calls.iter().any(|c| c.verdict == Verdict::Fail)
    }

    /// The same report, made under `engine` (its rules explain the findings).
    pub fn with_engine(mut self, engine: Arc<Engine>) -> AuditReport {
        self.policy = PolicyIdentity::of(&engine);
        self.engine = Some(EngineRef(engine));
        self
    }

    /// The same report, made from `log`.
    pub fn with_log(mut self, log: LogIdentity) -> AuditReport {
        self.log = log;
        self
    }

    /// The same report, with the reader's notes.
    pub fn with_notes(mut self, notes: Vec<String>) -> AuditReport {
        self.notes = notes;
        self
    }

    /// The rules the audit ran under, when known (the policy's base: see
    /// [`AuditReport::rules_for`] for a call's own).
    pub fn rules(&self) -> Option<&Rules> {
        self.engine.as_ref().map(|e| e.0.rules().as_ref())
    }

    /// The rules a call was judged under, when known: the policy version in force on its
    /// call date.
    pub fn rules_for(&self, call: &CallReport) -> Option<&Rules> {
        self.engine
            .as_ref()
            .map(|e| e.0.rules_on(call.call_date).1.as_ref())
    }

    /// The first and the last call date (business time zone), when there are calls.
    pub fn date_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.calls.iter().map(|c| c.call_date).min()?;
        let last = self.calls.iter().map(|c| c.call_date).max()?;
        Some((first, last))
    }
}
