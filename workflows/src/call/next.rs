//! The next steps as typed values ([`Call::next`]): the requirements outstanding, kept inline,
//! each with its script line as a handle whose text is filled only when asked. An agent
//! assist that answers every event pays for no allocation in the usual case.

use std::fmt;

use super::{Call, NextStep};
use crate::engine::{Requirement, Requirements};
use crate::frame::{FrameCtx, Names};
use crate::rules::Rules;
use crate::script::{Placeholders, ScriptLine};

/// What the agent should do next, in order ([`Call::next`], [`crate::Change::next`]).
///
/// ```
/// # use std::sync::Arc;
/// # use callflow_workflows::{Call, CallStart, Engine, Stamp};
/// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
/// let engine = Arc::new(Engine::builtin());
/// let call = Call::start(&engine, CallStart {
///     call_id: "C-1", agent_id: "sjones", department: "Rewards", agent_name: Some("Sam"),
///     stamp: Stamp { line: 2, at },
/// }).unwrap();
/// let next = call.next();
/// let first = next.iter().next().unwrap();
/// assert_eq!(first.requirement.step.as_str(), "greeting");
/// let line = first.line.unwrap();
/// assert_eq!(line.script().id(), "greeting");
/// // The text is filled only here.
/// assert!(line.to_string().starts_with("Thank you for calling Rewards. My name is Sam"));
/// ```
pub struct NextSteps<'c> {
    requirements: Requirements,
    rules: &'c Rules,
    names: &'c Names,
}

impl<'c> NextSteps<'c> {
    pub(super) fn of(call: &'c Call) -> NextSteps<'c> {
        let frame = call.machine.inner();
        let rules = call.rules();
        let mut requirements = Requirements::new();
        frame.outstanding_into(
            *call.machine.state(),
            &FrameCtx {
                engine: &call.engine,
                rules,
            },
            &mut requirements,
        );
        NextSteps {
            requirements,
            rules,
            // Read when a line is filled, not before: an agent assist that shows the
            // handles never touches them (live latency, issue #23).
            names: frame.names(),
        }
    }

    /// How many steps.
    pub fn len(&self) -> usize {
        self.requirements.len()
    }

    /// No step outstanding.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// The requirements, in order.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// The steps, in order, each with its script line (unfilled until asked).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Next<'_>> + '_ {
        self.requirements.iter().map(|requirement| Next {
            requirement,
            line: requirement.script.map(|script| Line {
                script,
                rules: self.rules,
                names: self.names,
            }),
        })
    }

    /// The steps with their lines filled: what [`Call::next_steps`] returns.
    pub fn to_vec(&self) -> Vec<NextStep> {
        // The names read once for all the lines, and only if a line has a placeholder.
        let mut names = None;
        self.requirements
            .iter()
            .map(|requirement| NextStep {
                requirement: requirement.clone(),
                line: requirement
                    .script
                    .map(|script| fill(self.rules, script, self.names, &mut names)),
            })
            .collect()
    }
}

impl fmt::Debug for NextSteps<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.requirements.iter()).finish()
    }
}

/// One step of [`NextSteps`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Next<'a> {
    /// What is required, and the finding its absence raises.
    pub requirement: &'a Requirement,
    /// The line to say, when the document scripts one.
    pub line: Option<Line<'a>>,
}

/// A script line of a next step: the handle, and its text under the call's rules with the
/// call's names, filled when written (`Display`) or asked ([`Line::fill`]).
#[derive(Clone, Copy)]
pub struct Line<'a> {
    script: ScriptLine,
    rules: &'a Rules,
    names: &'a Names,
}

impl Line<'_> {
    /// The script line.
    pub fn script(&self) -> ScriptLine {
        self.script
    }

    /// Its text under the call's rules, placeholders unfilled (no allocation).
    pub fn template(&self) -> &str {
        self.rules.text(self.script)
    }

    /// Its text with the placeholders the call knows filled in.
    pub fn fill(&self) -> String {
        fill(self.rules, self.script, self.names, &mut None)
    }
}

impl fmt::Display for Line<'_> {
    /// The filled text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fill())
    }
}

impl fmt::Debug for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Line").field(&self.script.id()).finish()
    }
}

/// A line's text with its placeholders filled from the call's names. The names are read (a
/// miss of their own block when the call is not in cache) only for a line with a placeholder,
/// and once into `read` for all the lines of an answer.
fn fill<'n>(
    rules: &Rules,
    script: ScriptLine,
    names: &'n Names,
    read: &mut Option<Placeholders<'n>>,
) -> String {
    let template = rules.text(script);
    if !template.contains('<') {
        return template.to_owned();
    }
    let values = read.get_or_insert_with(|| Placeholders {
        department: Some(names.department()),
        agent_name: names.agent_name(),
        customer_name: names.customer_name(),
        ticket: None,
    });
    values.fill(template)
}
