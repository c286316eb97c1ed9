//! [`Call`]: the embedding API. Start a call, feed it typed events, ask where it stands, what
//! the agent should do next, what was found; save it mid-call and resume it.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use statig::blocking::{IntoStateMachineExt, StateMachine};

mod compact;
mod next;

pub use compact::{procedures_digest, COMPACT_FORMAT, COMPACT_TAG};
pub use next::{Line, Next, NextSteps};

use crate::config::Scoring;
use crate::engine::Requirement;
use crate::error::Error;
use crate::finding::{Finding, NotChecked, Severity};
use crate::frame::{with_engine, CallStart, CallState, Frame, FrameCtx, FrameInput, Inquiry};
use crate::registry::Engine;
use crate::rules::Rules;
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
/// }).unwrap();
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

/// The format of the saved calls this build writes and reads ([`Call::restore`]).
///
/// `callflow-call/1` (saves of callflow 0.1 before this version: the machine alone, no format,
/// procedures or rules) is refused with [`Error::SnapshotFormat`]: such a save does not say
/// which rules it ran under, so it cannot be resumed safely. Finish those calls under the
/// version that saved them, or replay their events.
pub const SAVED_CALL_FORMAT: &str = "callflow-call/2";

impl Serialize for Call {
    /// `{"format": "callflow-call/2", "procedures": [{"name", "version"}...], "fingerprint":
    /// <the rules' fingerprint>, "machine": <the call frame's statig machine>}`, in that order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let procedures: Vec<SavedProcedure<'_>> = self
            .engine
            .procedures()
            .iter()
            .map(|p| SavedProcedure {
                name: std::borrow::Cow::Borrowed(p.name()),
                version: p.version(),
            })
            .collect();
        let mut call = serializer.serialize_struct("Call", 4)?;
        call.serialize_field("format", SAVED_CALL_FORMAT)?;
        call.serialize_field("procedures", &procedures)?;
        call.serialize_field("fingerprint", self.rules().fingerprint())?;
        call.serialize_field("machine", &self.machine)?;
        call.end()
    }
}

/// A procedure a saved call was saved under.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedProcedure<'a> {
    #[serde(borrow)]
    name: std::borrow::Cow<'a, str>,
    version: u32,
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

/// Whether a call can keep `stamp` ([`Stamp::MAX_LINE`](crate::Stamp::MAX_LINE), years 0000
/// to about 17,400).
#[inline]
fn keepable(stamp: &crate::Stamp) -> Result<(), Error> {
    match crate::vocab::PackedStamp::new(*stamp) {
        Some(_) => Ok(()),
        None => Err(Error::StampOutOfRange {
            line: stamp.line,
            why: crate::vocab::out_of_range(stamp),
        }),
    }
}

impl Call {
    /// Starts a call (its `call_started` event) under the engine's rules. Errors for a start
    /// at line 0 (lines are 1-based: a log's header is line 1, its first row line 2) and for a
    /// stamp out of range ([`Stamp`](crate::Stamp)).
    pub fn start(engine: &Arc<Engine>, start: CallStart<'_>) -> Result<Call, Error> {
        if start.stamp.line == 0 {
            return Err(Error::LineNotAfter {
                line: 0,
                previous: 0,
            });
        }
        keepable(&start.stamp)?;
        let frame = Frame::new(&start, engine.config().business_tz);
        Ok(Call {
            machine: frame.state_machine(),
            engine: Arc::clone(engine),
        })
    }

    /// Feeds one event and says what it changed: the call frame's transition, the inquiries'
    /// transitions, the findings it raised, and (computed only when asked) the next steps.
    ///
    /// Errors, leaving the call unchanged, for an event after the call's end, a second
    /// `call_started`, a line that does not come after the previous event's, a timestamp
    /// earlier than the previous event's (equal timestamps keep their order), or a stamp out
    /// of range ([`Stamp`](crate::Stamp)).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use callflow_workflows::{Call, CallStart, Engine, Stamp, Step};
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
    /// let engine = Arc::new(Engine::builtin());
    /// let mut call = Call::start(&engine, CallStart {
    ///     call_id: "C-7", agent_id: "sjones", department: "Rewards", agent_name: None,
    ///     stamp: Stamp { line: 2, at },
    /// }).unwrap();
    /// // An inquiry before any greeting: the frame moves on, and CF01 is raised.
    /// let inquiry = engine.event("inquiry", "reward_email_missing").unwrap();
    /// let change = call.handle(&Step::new(Stamp { line: 3, at }, inquiry)).unwrap();
    /// assert_eq!((change.from().name(), change.to().name()), ("opening", "inquiring"));
    /// let codes: Vec<&str> = change.raised().map(|f| f.code.as_str()).collect();
    /// assert_eq!(codes, ["CF01"]);
    /// let opened = &change.inquiries()[0];
    /// assert_eq!((opened.from, opened.to), (None, "awaiting_facts"));
    /// assert_eq!(change.next_steps()[0].requirement.step.as_str(), "warranty_started");
    /// // The same line again is refused, and the call is unchanged.
    /// let again = engine.event("greeting", "").unwrap();
    /// assert!(call.handle(&Step::new(Stamp { line: 3, at }, again)).is_err());
    /// ```
    pub fn handle(&mut self, step: &Step<'_>) -> Result<Change<'_>, Error> {
        self.admit(step)?;
        let from = self.state();
        let before = Before::of(self.machine.inner());
        self.dispatch(step);
        Ok(Change {
            call: self,
            from,
            before,
        })
    }

    /// Feeds one event, as [`Call::handle`] does, without saying what changed: what a replay
    /// of many calls uses (it pays for no record of the change).
    pub fn feed(&mut self, step: &Step<'_>) -> Result<(), Error> {
        self.admit(step)?;
        self.dispatch(step);
        Ok(())
    }

    /// Whether the call takes `step` now (inlined: every row of a replay asks).
    #[inline(always)]
    fn admit(&self, step: &Step<'_>) -> Result<(), Error> {
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
        let last = frame.last_packed();
        if step.stamp.line <= last.line() {
            return Err(Error::LineNotAfter {
                line: step.stamp.line,
                previous: last.line(),
            });
        }
        if last.is_after(&step.stamp.at) {
            return Err(Error::BackInTime {
                at: step.stamp.at.to_rfc3339(),
                previous: last.get().at.to_rfc3339(),
            });
        }
        keepable(&step.stamp)
    }

    #[inline]
    fn dispatch(&mut self, step: &Step<'_>) {
        let (_, rules) = self.engine.rules_on(self.machine.inner().call_date());
        self.machine.handle_with_context(
            &FrameInput::Step(step),
            &mut FrameCtx {
                engine: &self.engine,
                rules,
            },
        );
    }

    /// Declares that no more events will come. A call that never logged `call_ended` is judged
    /// incomplete (CF05). Does nothing to a call that has ended.
    pub fn finish(&mut self) {
        if self.machine.inner().end().is_none() {
            let (_, rules) = self.engine.rules_on(self.machine.inner().call_date());
            self.machine.handle_with_context(
                &FrameInput::Finish,
                &mut FrameCtx {
                    engine: &self.engine,
                    rules,
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
        frame
            .findings()
            .iter()
            .chain(frame.inquiries().iter().flat_map(|i| i.findings().iter()))
            .filter(move |f| self.reports(f))
    }

    /// The checks that could not be made so far (a value they rest on was redacted: #19), the
    /// call's first, then each inquiry's, in order; those of codes the rules switch off are
    /// left out, as their findings would be.
    pub fn not_checked(&self) -> impl Iterator<Item = &NotChecked> + '_ {
        let frame = self.machine.inner();
        let scoring = &self.rules().config().scoring;
        frame
            .findings()
            .unchecked()
            .iter()
            .chain(
                frame
                    .inquiries()
                    .iter()
                    .flat_map(|i| i.findings().unchecked().iter()),
            )
            .filter(move |n| scoring.switched_off.is_empty() || !scoring.is_off(n.code))
    }

    /// Whether a finding is reported: not switched off, and not an omission of a call that
    /// ended incomplete.
    fn reports(&self, finding: &Finding) -> bool {
        let incomplete = matches!(
            self.machine.inner().end(),
            Some((_, status)) if status != Some(EndStatus::Completed)
        );
        let scoring = &self.rules().config().scoring;
        !(incomplete && finding.code.is_omission()
            || !scoring.switched_off.is_empty() && scoring.is_off(finding.code))
    }

    /// A finding's severity under the call's rules (a policy may override a code's).
    pub fn severity(&self, finding: &Finding) -> Severity {
        self.rules().config().scoring.severity(finding.code)
    }

    /// What the agent should do next, in order, with the script lines filled in (built on
    /// [`Call::next`], which allocates nothing for the usual few steps and fills a line only
    /// when asked).
    pub fn next_steps(&self) -> Vec<NextStep> {
        self.next().to_vec()
    }

    /// What the agent should do next, in order, as typed values: each requirement with its
    /// script line as a handle, filled only when asked.
    pub fn next(&self) -> NextSteps<'_> {
        NextSteps::of(self)
    }

    /// The score and verdict of the findings so far. A call that has not ended counts as
    /// incomplete.
    pub fn outcome(&self) -> CallOutcome {
        let complete = matches!(
            self.machine.inner().end(),
            Some((_, Some(EndStatus::Completed)))
        );
        let scoring = &self.rules().config().scoring;
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

    /// The rules the call runs under: the policy version in force on its call date (found
    /// again when asked, among the engine's few versions, rather than kept: 8 bytes a call).
    #[inline]
    pub fn rules(&self) -> &Arc<Rules> {
        self.engine.rules_on(self.machine.inner().call_date()).1
    }

    /// Reads a saved call back under `engine`, which must register the same procedures at
    /// the same versions and run under the same rules ([`Rules::fingerprint`]) as the engine
    /// the call was saved under. The restored call is checked: its frame state, its record and
    /// its inquiries' machines must agree with each other and with the call's facts.
    ///
    /// Errors: [`Error::SnapshotFormat`] for a save of another format ([`SAVED_CALL_FORMAT`]),
    /// [`Error::SnapshotProcedure`] for a procedure missing or at another version,
    /// [`Error::SnapshotRules`] for other rules (a policy changed since), [`Error::Snapshot`]
    /// for what cannot be read, [`Error::InvalidSnapshot`] for a save that contradicts itself.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use callflow_workflows::{Call, CallStart, Config, Engine, Error, Stamp, Step};
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
    /// let engine = Arc::new(Engine::builtin());
    /// let mut call = Call::start(&engine, CallStart {
    ///     call_id: "C-1", agent_id: "sjones", department: "Rewards", agent_name: None,
    ///     stamp: Stamp { line: 2, at },
    /// }).unwrap();
    /// let greeting = engine.event("greeting", "").unwrap();
    /// call.handle(&Step::new(Stamp { line: 3, at }, greeting)).unwrap();
    /// let saved = serde_json::to_string(&call).unwrap();
    /// let mut json = serde_json::Deserializer::from_str(&saved);
    /// let resumed = Call::restore(&engine, &mut json).unwrap();
    /// assert_eq!(resumed, call);
    ///
    /// // Under other rules, the save is refused. (A call cannot be read back without an
    /// // engine: `Call` has no `Deserialize`, so `serde_json::from_str::<Call>` does not
    /// // compile.)
    /// let mut stricter = Config::default();
    /// stricter.scoring.pass_threshold = 90;
    /// let other = Arc::new(engine.with_config(stricter).unwrap());
    /// let mut json = serde_json::Deserializer::from_str(&saved);
    /// assert!(matches!(Call::restore(&other, &mut json), Err(Error::SnapshotRules { .. })));
    /// ```
    ///
    /// ```compile_fail
    /// // No engine, no restore:
    /// let call: callflow_workflows::Call = serde_json::from_str("{}").unwrap();
    /// ```
    pub fn restore<'de, D: Deserializer<'de>>(
        engine: &Arc<Engine>,
        deserializer: D,
    ) -> Result<Call, Error> {
        let refused = std::cell::RefCell::new(None);
        let read = with_engine(engine, || {
            deserializer.deserialize_struct(
                "Call",
                &SAVED_FIELDS,
                SavedVisitor {
                    engine,
                    refused: &refused,
                },
            )
        });
        let machine = match read {
            Ok(read) => read,
            Err(error) => {
                return Err(refused.into_inner().unwrap_or_else(|| Error::Snapshot {
                    why: error.to_string(),
                }))
            }
        };
        Call::checked(engine, machine)
    }
}

impl Call {
    /// A call read back from a save (JSON or compact), under `engine`'s policy version in
    /// force on its call date, once its frame state, its record and its inquiries' machines
    /// are found to agree ([`Error::InvalidSnapshot`] otherwise).
    fn checked(engine: &Arc<Engine>, machine: StateMachine<Frame>) -> Result<Call, Error> {
        let call = Call {
            machine,
            engine: Arc::clone(engine),
        };
        call.machine
            .inner()
            .check(
                *call.machine.state(),
                &FrameCtx {
                    engine,
                    rules: call.rules(),
                },
            )
            .map_err(|why| Error::InvalidSnapshot { why })?;
        Ok(call)
    }
}

/// The fields of a saved call, in the order they are written.
const SAVED_FIELDS: [&str; 4] = ["format", "procedures", "fingerprint", "machine"];

/// Reads a saved call: its machine under the engine, then checks its format, procedures and
/// rules.
struct SavedVisitor<'v> {
    engine: &'v Engine,
    /// Why the save was refused, when it was (the deserializer's error carries only text).
    refused: &'v std::cell::RefCell<Option<Error>>,
}

impl SavedVisitor<'_> {
    fn refuse<E: de::Error>(&self, error: Error) -> E {
        let message = error.to_string();
        *self.refused.borrow_mut() = Some(error);
        E::custom(message)
    }
}

impl<'de> Visitor<'de> for SavedVisitor<'_> {
    type Value = StateMachine<Frame>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a saved call")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Fields may come in any order (a JSON store may sort keys); the machine is read
        // under the engine whatever the order, and the header is judged once all is read.
        let mut format: Option<std::borrow::Cow<'de, str>> = None;
        let mut procedures: Option<Vec<SavedProcedure<'de>>> = None;
        let mut fingerprint: Option<std::borrow::Cow<'de, str>> = None;
        let mut machine: Option<StateMachine<Frame>> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "format" if format.is_none() => format = Some(map.next_value()?),
                "procedures" if procedures.is_none() => procedures = Some(map.next_value()?),
                "fingerprint" if fingerprint.is_none() => fingerprint = Some(map.next_value()?),
                "machine" if machine.is_none() => machine = Some(map.next_value()?),
                "format" | "procedures" | "fingerprint" | "machine" => {
                    return Err(de::Error::custom(format!("duplicate field '{key}'")))
                }
                _ => return Err(de::Error::unknown_field(&key, &SAVED_FIELDS)),
            }
        }
        let Some(format) = format else {
            return Err(self.refuse(Error::SnapshotFormat {
                found: "callflow-call/1 (no format field)".to_owned(),
                expected: SAVED_CALL_FORMAT,
            }));
        };
        if format != SAVED_CALL_FORMAT {
            return Err(self.refuse(Error::SnapshotFormat {
                found: format.into_owned(),
                expected: SAVED_CALL_FORMAT,
            }));
        }
        let procedures = procedures.ok_or_else(|| de::Error::missing_field("procedures"))?;
        self.check_procedures(&procedures)
            .map_err(|error| self.refuse(error))?;
        let saved = fingerprint.ok_or_else(|| de::Error::missing_field("fingerprint"))?;
        let machine = machine.ok_or_else(|| de::Error::missing_field("machine"))?;
        // The rules in force on the call's date under this engine's policy.
        let (_, rules) = self.engine.rules_on(machine.inner().call_date());
        if saved != rules.fingerprint() {
            return Err(self.refuse(Error::SnapshotRules {
                saved: saved.into_owned(),
                here: rules.fingerprint().to_owned(),
            }));
        }
        Ok(machine)
    }
}

impl SavedVisitor<'_> {
    /// The saved procedures are this engine's, at the same versions, in the same order.
    fn check_procedures(&self, saved: &[SavedProcedure<'_>]) -> Result<(), Error> {
        let here = self.engine.procedures();
        for procedure in saved {
            let found = here.iter().find(|p| p.name() == procedure.name);
            match found {
                Some(p) if p.version() == procedure.version => {}
                _ => {
                    return Err(Error::SnapshotProcedure {
                        procedure: procedure.name.clone().into_owned(),
                        saved: procedure.version,
                        here: found.map_or_else(
                            || "no such procedure".to_owned(),
                            |p| format!("version {}", p.version()),
                        ),
                    })
                }
            }
        }
        let names = |list: Vec<&str>| list.join(", ");
        let saved_names: Vec<&str> = saved.iter().map(|p| p.name.as_ref()).collect();
        let here_names: Vec<&str> = here.iter().map(|p| p.name()).collect();
        if saved_names != here_names {
            return Err(Error::Snapshot {
                why: format!(
                    "saved under the procedures [{}]; this engine registers [{}]",
                    names(saved_names),
                    names(here_names)
                ),
            });
        }
        Ok(())
    }
}

/// What a call looked like before an event: enough to say what the event changed (inline
/// for up to four inquiries: `handle` allocates nothing of its own).
#[derive(Debug, Clone)]
struct Before {
    frame_findings: usize,
    /// Each inquiry's live state and finding count.
    inquiries: smallvec::SmallVec<[(&'static str, usize); 4]>,
}

impl Before {
    fn of(frame: &Frame) -> Before {
        Before {
            frame_findings: frame.findings().len(),
            inquiries: frame
                .inquiries()
                .iter()
                .map(|i| (i.live_state(), i.findings().len()))
                .collect(),
        }
    }
}

/// What one event changed in a call ([`Call::handle`]).
#[derive(Debug, Clone)]
pub struct Change<'c> {
    call: &'c Call,
    from: CallState,
    before: Before,
}

/// An inquiry's transition in a [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct InquiryChange {
    /// The inquiry's index in [`Call::inquiries`].
    pub index: usize,
    /// Its procedure machine's state before the event; `None` for an inquiry the event opened.
    pub from: Option<&'static str>,
    /// Its state after the event (`closed` once closed, `uncovered` for a reason no
    /// procedure covers).
    pub to: &'static str,
}

impl<'c> Change<'c> {
    /// The call frame's state before the event.
    pub fn from(&self) -> CallState {
        self.from
    }

    /// The call frame's state after the event.
    pub fn to(&self) -> CallState {
        self.call.state()
    }

    /// Whether the call frame changed state.
    pub fn transitioned(&self) -> bool {
        self.from != self.to()
    }

    /// The inquiries the event opened or moved, in order (an `inquiry` event closes the open
    /// one and opens another; `call_ended` closes the last).
    pub fn inquiries(&self) -> Vec<InquiryChange> {
        self.call
            .inquiries()
            .iter()
            .enumerate()
            .filter_map(|(index, inquiry)| {
                let to = match inquiry.machine() {
                    Some(_) => inquiry.live_state(),
                    None => "uncovered",
                };
                match self.before.inquiries.get(index) {
                    Some(&(from, _)) if inquiry.machine().is_none() || from == to => None,
                    Some(&(from, _)) => Some(InquiryChange {
                        index,
                        from: Some(from),
                        to,
                    }),
                    None => Some(InquiryChange {
                        index,
                        from: None,
                        to,
                    }),
                }
            })
            .collect()
    }

    /// The findings the event raised, as [`Call::findings`] reports them: the call's first,
    /// then each inquiry's.
    pub fn raised(&self) -> impl Iterator<Item = &'c Finding> + '_ {
        let frame = self.call.machine.inner();
        let call_level = frame.findings().iter().skip(self.before.frame_findings);
        let inquiries = frame
            .inquiries()
            .iter()
            .enumerate()
            .flat_map(move |(index, inquiry)| {
                let seen = self.before.inquiries.get(index).map_or(0, |&(_, n)| n);
                inquiry.findings().iter().skip(seen)
            });
        let call = self.call;
        call_level.chain(inquiries).filter(move |f| call.reports(f))
    }

    /// What the agent should do next now, with the script lines filled in (computed on
    /// each call: see [`Call::next_steps`]).
    pub fn next_steps(&self) -> Vec<NextStep> {
        self.call.next_steps()
    }

    /// What the agent should do next now, as typed values (see [`Call::next`]).
    pub fn next(&self) -> NextSteps<'c> {
        self.call.next()
    }

    /// The call after the event.
    pub fn call(&self) -> &'c Call {
        self.call
    }
}
