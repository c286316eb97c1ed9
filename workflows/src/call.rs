//! [`Call`]: the embedding API. Start a call, feed it typed events, ask where it stands, what
//! the agent should do next, what was found; save it mid-call and resume it.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};
use statig::blocking::{IntoStateMachineExt, StateMachine};

use crate::config::Scoring;
use crate::engine::Requirement;
use crate::error::Error;
use crate::finding::{Finding, Severity};
use crate::frame::{with_engine, CallStart, CallState, Frame, FrameCtx, FrameInput, Inquiry};
use crate::registry::{Engine, Rules};
use crate::script::Placeholders;
use crate::vocab::{EndStatus, Event, Step};

/// One call running through the procedure machines.
///
/// ```
/// use std::sync::Arc;
/// use callflow_workflows::{Call, CallStart, Engine, Stamp, Step, Verdict};
///
/// let engine = Arc::new(Engine::builtin());
/// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// let mut line = 1;
/// let mut stamp = |t: &str| { line += 1; Stamp { line, at: at(t) } };
/// let mut call = Call::start(&engine, CallStart {
///     call_id: "C-1001",
///     agent_id: "sjones",
///     department: "Home Warranty Rewards",
///     agent_name: Some("Sam"),
///     stamp: stamp("2026-03-02T14:05:11-05:00"),
/// });
/// // The agent assist: what should be said first?
/// let first = &call.next_steps()[0];
/// assert_eq!(
///     first.line.as_deref(),
///     Some("Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?")
/// );
/// for (t, name, value) in [
///     ("2026-03-02T14:05:13-05:00", "greeting", ""),
///     ("2026-03-02T14:05:31-05:00", "inquiry", "reward_email_missing"),
///     ("2026-03-02T14:05:50-05:00", "warranty_started", "2026-02-10"),
///     ("2026-03-02T14:06:20-05:00", "explain_review_period", ""),
///     ("2026-03-02T14:06:45-05:00", "goodbye", ""),
/// ] {
///     let event = engine.event(name, value).unwrap();
///     call.handle(&Step::new(stamp(t), event)).unwrap();
/// }
/// assert_eq!(call.inquiries()[0].branch(), Some("within_review"));
/// let end = engine.event("call_ended", "").unwrap();
/// call.handle(&Step::new(stamp("2026-03-02T14:06:47-05:00"), end)).unwrap();
/// let outcome = call.outcome();
/// assert_eq!(outcome.verdict, Verdict::Pass);
/// assert_eq!(outcome.score, 100);
/// ```
#[derive(Clone)]
pub struct Call {
    machine: StateMachine<Frame>,
    /// The engine, with the rules the call runs under (one shared counter a call: calls start
    /// and end on several threads at once).
    engine: Arc<Engine>,
}

impl Serialize for Call {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut call = serializer.serialize_struct("Call", 1)?;
        call.serialize_field("machine", &self.machine)?;
        call.end()
    }
}

/// A saved call as read back.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    machine: StateMachine<Frame>,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("state", self.machine.state())
            .field("frame", self.machine.inner())
            .finish()
    }
}

impl PartialEq for Call {
    /// Two calls are equal when their machines are (the rules are not compared).
    fn eq(&self, other: &Self) -> bool {
        self.machine.state() == other.machine.state()
            && self.machine.inner() == other.machine.inner()
    }
}

/// The verdict of procedures.md section 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No critical finding and a score at or above the threshold.
    Pass,
    /// A critical finding, or a score under the threshold.
    Fail,
    /// The call did not run to its end and has no critical finding.
    Incomplete,
}

impl Verdict {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Incomplete => "incomplete",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A call's score and verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallOutcome {
    /// 0 to 100.
    pub score: u32,
    /// Pass, fail or incomplete.
    pub verdict: Verdict,
    /// Whether the call ran to its end (`call_ended` with `completed` or empty).
    pub complete: bool,
}

/// Scores a set of findings: 100 minus the penalties, never below 0; any critical sets 0.
/// The verdict follows section 4: incomplete (no critical) wins over fail.
///
/// ```
/// use callflow_workflows::{score, Config, Severity, Verdict};
/// let scoring = Config::default().scoring;
/// // Four minors: 80, exactly the threshold: a pass.
/// let o = score([Severity::Minor; 4], true, &scoring);
/// assert_eq!((o.score, o.verdict), (80, Verdict::Pass));
/// let o = score([Severity::Minor; 5], true, &scoring);
/// assert_eq!((o.score, o.verdict), (75, Verdict::Fail));
/// let o = score([Severity::Critical], false, &scoring);
/// assert_eq!((o.score, o.verdict), (0, Verdict::Fail));
/// ```
pub fn score(
    severities: impl IntoIterator<Item = Severity>,
    complete: bool,
    scoring: &Scoring,
) -> CallOutcome {
    let mut penalty: u32 = 0;
    let mut critical = false;
    for severity in severities {
        match severity {
            Severity::Critical => critical = true,
            Severity::Major => penalty = penalty.saturating_add(scoring.major_penalty),
            Severity::Minor => penalty = penalty.saturating_add(scoring.minor_penalty),
            Severity::Info => {}
        }
    }
    let score = if critical {
        0
    } else {
        100u32.saturating_sub(penalty)
    };
    let verdict = if !complete && !critical {
        Verdict::Incomplete
    } else if critical || score < scoring.pass_threshold {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    CallOutcome {
        score,
        verdict,
        complete,
    }
}

/// A step the agent should take next, with the line to say (placeholders filled where known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    /// What is required, and the finding its absence raises.
    pub requirement: Requirement,
    /// The script line to say, when the document scripts one.
    pub line: Option<String>,
}

impl Call {
    /// Starts a call (its `call_started` event) under the engine's rules.
    pub fn start(engine: &Arc<Engine>, start: CallStart<'_>) -> Call {
        let frame = Frame::new(&start, engine.rules().config().business_tz);
        Call {
            machine: frame.state_machine(),
            engine: Arc::clone(engine),
        }
    }

    /// Feeds one event. Errors, leaving the call unchanged, for an event after the call's end,
    /// a second `call_started`, or a timestamp earlier than the previous event's.
    pub fn handle(&mut self, step: &Step<'_>) -> Result<(), Error> {
        let frame = self.machine.inner();
        if let Some((end, _)) = frame.end() {
            return Err(Error::AfterEnd {
                ended_at: end.line,
                event: step.event.name(),
            });
        }
        if let Event::CallStarted { .. } = step.event {
            return Err(Error::AlreadyStarted {
                started_at: frame.started().line,
            });
        }
        if step.stamp.at < frame.last().at {
            return Err(Error::BackInTime {
                at: step.stamp.at.to_rfc3339(),
                previous: frame.last().at.to_rfc3339(),
            });
        }
        self.machine.handle_with_context(
            &FrameInput::Step(step),
            &mut FrameCtx {
                engine: &self.engine,
                rules: self.engine.rules(),
            },
        );
        Ok(())
    }

    /// Declares that no more events will come. A call that never logged `call_ended` is judged
    /// incomplete (CF05). Does nothing to a call that has ended.
    pub fn finish(&mut self) {
        if self.machine.inner().end().is_none() {
            self.machine.handle_with_context(
                &FrameInput::Finish,
                &mut FrameCtx {
                    engine: &self.engine,
                    rules: self.engine.rules(),
                },
            );
        }
    }

    /// Whether the call has ended (by `call_ended` or [`Call::finish`]).
    pub fn is_over(&self) -> bool {
        self.machine.inner().end().is_some()
    }

    /// Where the call frame stands.
    pub fn state(&self) -> CallState {
        *self.machine.state()
    }

    /// The call frame's record: identity, facts, inquiries, call-level findings.
    pub fn frame(&self) -> &Frame {
        self.machine.inner()
    }

    /// The inquiries so far, in order.
    pub fn inquiries(&self) -> &[Inquiry] {
        self.machine.inner().inquiries()
    }

    /// Every finding so far: the call's (CF) first, then each inquiry's, in order.
    ///
    /// Once a call has ended incomplete (hung up, dropped, transferred, or no end), nothing
    /// counts as missing: the omission codes are left out, those of an earlier inquiry that a
    /// later one closed included (procedures.md section 4). Codes the rules switch off are
    /// never reported.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> + '_ {
        let frame = self.machine.inner();
        let incomplete =
            matches!(frame.end(), Some((_, status)) if status != Some(EndStatus::Completed));
        let scoring = &self.engine.rules().config().scoring;
        let any_off = !scoring.switched_off.is_empty();
        frame
            .findings()
            .iter()
            .chain(frame.inquiries().iter().flat_map(|i| i.findings().iter()))
            .filter(move |f| {
                !(incomplete && f.code.is_omission() || any_off && scoring.is_off(f.code))
            })
    }

    /// A finding's severity under the call's rules (a policy may override a code's).
    pub fn severity(&self, finding: &Finding) -> Severity {
        self.engine.rules().config().scoring.severity(finding.code)
    }

    /// What the agent should do next, in order, with the script lines filled in.
    pub fn next_steps(&self) -> Vec<NextStep> {
        let frame = self.machine.inner();
        let names = Placeholders {
            department: Some(frame.department()),
            agent_name: frame.agent_name(),
            customer_name: frame.customer_name(),
            ticket: None,
        };
        frame
            .outstanding(
                *self.machine.state(),
                &FrameCtx {
                    engine: &self.engine,
                    rules: self.engine.rules(),
                },
            )
            .into_iter()
            .map(|requirement| NextStep {
                line: requirement.script.map(|s| s.fill(&names)),
                requirement,
            })
            .collect()
    }

    /// The score and verdict of the findings so far. A call that has not ended counts as
    /// incomplete.
    pub fn outcome(&self) -> CallOutcome {
        let complete = matches!(
            self.machine.inner().end(),
            Some((_, Some(EndStatus::Completed)))
        );
        let scoring = &self.engine.rules().config().scoring;
        score(
            self.findings().map(|f| scoring.severity(f.code)),
            complete,
            scoring,
        )
    }

    /// The engine the call runs under.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The rules the call runs under.
    pub fn rules(&self) -> &Arc<Rules> {
        self.engine.rules()
    }

    /// Reads a saved call back, under `engine`'s rules: its inquiries' machines are restored
    /// through their procedures.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use callflow_workflows::{Call, CallStart, Engine, Stamp, Step};
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
    /// let engine = Arc::new(Engine::builtin());
    /// let mut call = Call::start(&engine, CallStart {
    ///     call_id: "C-1", agent_id: "sjones", department: "Rewards", agent_name: None,
    ///     stamp: Stamp { line: 2, at },
    /// });
    /// let greeting = engine.event("greeting", "").unwrap();
    /// call.handle(&Step::new(Stamp { line: 3, at }, greeting)).unwrap();
    /// let saved = serde_json::to_string(&call).unwrap();
    /// let mut json = serde_json::Deserializer::from_str(&saved);
    /// let resumed = Call::restore(&engine, &mut json).unwrap();
    /// assert_eq!(resumed, call);
    /// ```
    pub fn restore<'de, D: serde::Deserializer<'de>>(
        engine: &Arc<Engine>,
        deserializer: D,
    ) -> Result<Call, D::Error> {
        let saved = with_engine(engine, || Saved::deserialize(deserializer))?;
        Ok(Call {
            machine: saved.machine,
            engine: Arc::clone(engine),
        })
    }
}
