//! [`Call`]: the embedding API. Start a call, feed it typed events, ask where it stands, what
//! the agent should do next, what was found; save it mid-call and resume it.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use statig::blocking::{IntoStateMachineExt, StateMachine};

use crate::config::Config;
use crate::engine::Requirement;
use crate::error::Error;
use crate::event::{EndStatus, Event, Step};
use crate::finding::{Finding, Severity};
use crate::frame::{CallStart, CallState, Frame, FrameCtx, FrameInput, Inquiry};
use crate::script::Placeholders;

/// One call running through the procedure machines.
///
/// ```
/// use std::sync::Arc;
/// use callflow_workflows::{Call, CallStart, Config, Event, Reason, Stamp, Step, Verdict};
///
/// let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
/// let mut line = 1;
/// let mut stamp = |t: &str| { line += 1; Stamp { line, at: at(t) } };
/// let mut call = Call::start(Arc::new(Config::default()), CallStart {
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
/// for (t, event) in [
///     ("2026-03-02T14:05:13-05:00", Event::Greeting),
///     ("2026-03-02T14:05:31-05:00", Event::Inquiry { reason: Reason::RewardEmailMissing, code: "reward_email_missing" }),
///     ("2026-03-02T14:05:50-05:00", Event::WarrantyStarted("2026-02-10".parse().unwrap())),
///     ("2026-03-02T14:06:20-05:00", Event::ExplainReviewPeriod),
///     ("2026-03-02T14:06:45-05:00", Event::Goodbye),
/// ] {
///     call.handle(&Step::new(stamp(t), event)).unwrap();
/// }
/// assert_eq!(call.inquiries()[0].branch().map(|b| b.as_str()), Some("within_review"));
/// call.handle(&Step::new(stamp("2026-03-02T14:06:47-05:00"), Event::CallEnded(Default::default()))).unwrap();
/// let outcome = call.outcome();
/// assert_eq!(outcome.verdict, Verdict::Pass);
/// assert_eq!(outcome.score, 100);
/// ```
#[derive(Clone, Serialize, Deserialize)]
pub struct Call {
    machine: StateMachine<Frame>,
    #[serde(skip)]
    config: Arc<Config>,
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
    /// Two calls are equal when their machines are (the configuration is not compared).
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
    scoring: &crate::config::Scoring,
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
    /// Starts a call (its `call_started` event).
    pub fn start(config: Arc<Config>, start: CallStart<'_>) -> Call {
        let frame = Frame::new(&start, &config);
        Call {
            machine: frame.state_machine(),
            config,
        }
    }

    /// Feeds one event. Errors, leaving the call unchanged, for an event after the call's end,
    /// a second `call_started`, or a timestamp earlier than the previous event's.
    pub fn handle(&mut self, step: &Step<'_>) -> Result<(), Error> {
        let frame = self.machine.inner();
        if let Some((end, _)) = frame.end() {
            return Err(Error::AfterEnd {
                ended_at: end.line,
                event: step.event.kind(),
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
                config: &self.config,
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
                    config: &self.config,
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
    /// later one closed included (procedures.md section 4).
    pub fn findings(&self) -> impl Iterator<Item = &Finding> + '_ {
        let frame = self.machine.inner();
        let incomplete =
            matches!(frame.end(), Some((_, status)) if status != Some(EndStatus::Completed));
        frame
            .findings()
            .iter()
            .chain(frame.inquiries().iter().flat_map(|i| i.findings().iter()))
            .filter(move |f| !(incomplete && f.code.is_omission()))
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
            .outstanding(*self.machine.state(), &self.config)
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
        score(
            self.findings().map(Finding::severity),
            complete,
            &self.config.scoring,
        )
    }

    /// The configuration the call runs with.
    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    /// Gives a restored call its configuration (serde cannot carry it): use the same one the
    /// call was saved with, or its behaviour may differ.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use callflow_workflows::{Call, CallStart, Config, Event, Stamp, Step};
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
    /// let config = Arc::new(Config::default());
    /// let mut call = Call::start(config.clone(), CallStart {
    ///     call_id: "C-1", agent_id: "sjones", department: "Rewards", agent_name: None,
    ///     stamp: Stamp { line: 2, at },
    /// });
    /// call.handle(&Step::new(Stamp { line: 3, at }, Event::Greeting)).unwrap();
    /// let saved = serde_json::to_string(&call).unwrap();
    /// let resumed: Call = serde_json::from_str::<Call>(&saved).unwrap().with_config(config);
    /// assert_eq!(resumed, call);
    /// ```
    pub fn with_config(mut self, config: Arc<Config>) -> Call {
        self.config = config;
        self
    }
}
