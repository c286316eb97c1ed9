//! `callflow tag`: a v1 log from what was said (speaker turns, or Contact Lens analysis
//! files) and what the systems recorded (a facts log).
//!
//! The facts log holds what no transcript carries (`call_started`, `call_ended`, dates,
//! desktop actions). Each utterance is read by the engine's
//! `Recognizer` (the procedures' own phrase
//! lists and script lines) into the steps it holds; each call's facts and recognised steps are
//! merged by instant (facts first at equal instants, then turns in order, several steps of one
//! turn in the order their words come) and written as a v1 log with two more columns:
//! `source` (`facts` or `transcript`) and `confidence` (0 to 1; empty on facts).
//!
//! Inputs stream: turns are read row by row and a call is written as soon as the turns read
//! are past its `call_ended`, so turns may come in time order with calls interleaved (as a
//! real export is) or grouped by call; the calls held at once are those open at the instant
//! being read. A turn of a call already written (the file neither in time order nor grouped)
//! is rejected. Bad rows and files are rejected with their place and reason and the run goes
//! on; only an input that cannot be used at all is an [`Error`].
//!
//! ```
//! use callflow_audit::tag::{tag, Source};
//! use callflow_workflows::Engine;
//! let facts = "call_id,timestamp,agent_id,event,value,text\n\
//!     C1,2026-03-02T10:00:00-05:00,sam,call_started,Home Warranty Rewards,\n\
//!     C1,2026-03-02T10:02:00-05:00,,call_ended,completed,\n";
//! let turns = "call_id,timestamp,speaker,text\n\
//!     C1,2026-03-02T15:00:02Z,agent,\"Thank you for calling Home Warranty Rewards, my name is Sam, how may I assist you today?\"\n\
//!     C1,2026-03-02T10:00:09-05:00,customer,\"Hi, this is Dana Ruiz, I never got my shopping dollars email\"\n";
//! let engine = Engine::builtin();
//! let mut out = Vec::new();
//! let outcome = tag(
//!     &engine,
//!     facts.as_bytes(),
//!     "facts.csv",
//!     Source::Turns(turns.as_bytes(), "turns.csv"),
//!     &mut out,
//! )
//! .unwrap();
//! let log = String::from_utf8(out).unwrap();
//! let events: Vec<&str> = log.lines().skip(1).map(|l| l.split(',').nth(3).unwrap()).collect();
//! assert_eq!(events, ["call_started", "greeting", "customer_identified", "inquiry", "call_ended"]);
//! assert_eq!((outcome.utterances, outcome.steps), (2, 3));
//! ```

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::io::{Read, Write};
use std::path::Path;

use callflow_workflows::recognition::{ReadBy, Recognized, Recognizer, LOW_CONFIDENCE};
use callflow_workflows::vocab::Speaker;
use callflow_workflows::Engine;
use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::history::{merge_no_step, HistoryRow};
use crate::report::CallReport;

pub mod contact_lens;
pub mod facts;
pub mod report;
pub mod turns;

pub use facts::{FactRow, Facts};

/// The columns of a tagged log.
pub const HEADER: [&str; 8] = [
    "call_id",
    "timestamp",
    "agent_id",
    "event",
    "value",
    "text",
    "source",
    "confidence",
];

/// One utterance of a transcript.
#[derive(Debug, Clone)]
pub struct Utterance {
    /// The call.
    pub call_id: String,
    /// The timestamp as written (turns) or computed (Contact Lens: `call_started` plus the
    /// offset, in `call_started`'s offset).
    pub timestamp: String,
    /// The instant.
    pub instant: DateTime<FixedOffset>,
    /// Agent or customer.
    pub speaker: Speaker,
    /// The words.
    pub text: String,
    /// Where it was read (`turns.csv:12`, `C1.json: Transcript[3]`).
    pub place: String,
}

/// A row or file left out, with its place and reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TagRejected {
    /// Where (`turns.csv:12`, `facts.csv:4`, `contact-lens/x.json`).
    pub place: String,
    /// The call, when known.
    pub call_id: String,
    /// Why.
    pub reason: String,
}

/// What a reviewer should look at in one call.
#[derive(Debug, Clone, Default)]
pub struct CallReview {
    /// The call.
    pub call_id: String,
    /// How many utterances it had.
    pub utterances: usize,
    /// Utterances read as no step: (timestamp, speaker, text).
    pub no_step: Vec<(String, &'static str, String)>,
    /// Steps read with a confidence under [`LOW_CONFIDENCE`].
    pub doubtful: Vec<Doubtful>,
    /// What could not be checked because a value was redacted: (timestamp, event).
    pub redacted: Vec<(String, &'static str)>,
}

/// A step read with a confidence under [`LOW_CONFIDENCE`], for review.
#[derive(Debug, Clone, PartialEq)]
pub struct Doubtful {
    /// The utterance's timestamp, as written.
    pub timestamp: String,
    /// The step.
    pub event: &'static str,
    /// Its value, or empty.
    pub value: String,
    /// How sure the reading is, 0 to 1.
    pub confidence: f64,
    /// What read it.
    pub by: ReadBy,
    /// The utterance.
    pub text: String,
}

/// What a tagging run did.
#[derive(Debug, Default)]
pub struct TagOutcome {
    /// Utterances read (rejected ones included).
    pub utterances: u64,
    /// Steps recognised.
    pub steps: u64,
    /// Calls written.
    pub calls: u64,
    /// Rows and files left out.
    pub rejected: Vec<TagRejected>,
    /// Per call, what a reviewer should check first.
    pub reviews: Vec<CallReview>,
    /// The most calls held open at once while the transcripts were read (what the run's
    /// memory is bounded by).
    pub most_open: usize,
}

/// The transcripts to tag.
pub enum Source<'a, R: Read> {
    /// A speaker-turn CSV (`call_id,timestamp,speaker,text`) and its name.
    Turns(R, &'a str),
    /// A folder of Contact Lens analysis files (one JSON per contact).
    ContactLens(&'a Path),
}

/// Reads a transcript source and a facts log and writes the tagged v1 log to `out`.
pub fn tag<F: Read, R: Read>(
    engine: &Engine,
    facts: F,
    facts_name: &str,
    source: Source<'_, R>,
    out: &mut dyn Write,
) -> Result<TagOutcome, Error> {
    let tagger = Tagger::new(engine)?;
    let (facts, rejected) = facts::read(facts, facts_name, &tagger.spoken)?;
    let mut writer = csv::WriterBuilder::new().from_writer(out);
    writer.write_record(HEADER).map_err(write_error)?;
    let mut run = Run {
        tagger: &tagger,
        facts: &facts,
        done: HashSet::new(),
        open: FxHashMap::default(),
        ends: BinaryHeap::new(),
        opened: 0,
        outcome: TagOutcome {
            rejected,
            ..TagOutcome::default()
        },
        writer,
    };
    match source {
        Source::Turns(reader, name) => {
            for utterance in turns::TurnsReader::new(reader, name)? {
                run.take(utterance)?;
            }
        }
        Source::ContactLens(dir) => {
            for file in contact_lens::files(dir)? {
                match contact_lens::read(&file, &facts) {
                    Ok(items) => {
                        for utterance in items {
                            run.take(utterance)?;
                        }
                    }
                    Err(rejected) => run.outcome.rejected.push(rejected),
                }
                // One file is one contact: its call is complete.
                run.close_all()?;
            }
        }
    }
    run.close_all()?;
    // Calls with facts and no transcript: written as they are (the audit says what is missing).
    for (call_id, rows) in facts.calls() {
        if !run.done.contains(call_id) {
            tagger.write_call(rows, &[], &mut run.outcome, &mut run.writer)?;
        }
    }
    run.writer.flush().map_err(|e| write_error(e.into()))?;
    Ok(run.outcome)
}

fn write_error(e: csv::Error) -> Error {
    Error::TagInput {
        source_name: "output".to_owned(),
        why: format!("cannot write: {e}"),
    }
}

/// A call whose utterances are being read: when it opened (for the order of the calls
/// written at the end) and its utterances so far.
struct OpenCall {
    opened: u64,
    utterances: Vec<Utterance>,
}

/// A tagging run: the calls open (utterances read, not yet written), when each ends, the calls
/// written.
///
/// A call is written once an utterance comes that is later than the call's `call_ended`: in
/// a transcript export in time order (calls interleaved, as a real one is) no utterance of it
/// can follow, and one that did would be after its end and rejected for that. So the calls
/// held are those open at the instant being read. In an export grouped by call, a call is
/// written once a turn of a later call comes. Calls with no `call_ended` are written at the
/// end of the input.
struct Run<'t, 'e, W: Write> {
    tagger: &'t Tagger<'e>,
    facts: &'t Facts,
    done: HashSet<String>,
    open: FxHashMap<String, OpenCall>,
    /// The open calls by their `call_ended` instant, the earliest first.
    ends: BinaryHeap<Reverse<(DateTime<FixedOffset>, String)>>,
    /// How many calls were opened.
    opened: u64,
    outcome: TagOutcome,
    writer: csv::Writer<W>,
}

impl<W: Write> Run<'_, '_, W> {
    fn reject(&mut self, utterance: Utterance, reason: String) {
        self.outcome.rejected.push(TagRejected {
            place: utterance.place,
            call_id: utterance.call_id,
            reason,
        });
    }

    /// Writes an open call and marks it done.
    fn close(&mut self, call_id: &str) -> Result<(), Error> {
        if let Some(call) = self.open.remove(call_id) {
            if let Some(rows) = self.facts.call(call_id) {
                self.tagger.write_call(
                    rows,
                    &call.utterances,
                    &mut self.outcome,
                    &mut self.writer,
                )?;
            }
            self.done.insert(call_id.to_owned());
        }
        Ok(())
    }

    /// Writes the calls that ended before `instant`.
    fn close_ended_before(&mut self, instant: DateTime<FixedOffset>) -> Result<(), Error> {
        while let Some(Reverse((end, _))) = self.ends.peek() {
            if *end >= instant {
                break;
            }
            if let Some(Reverse((_, call_id))) = self.ends.pop() {
                self.close(&call_id)?;
            }
        }
        Ok(())
    }

    /// Writes every open call, in the order they opened.
    fn close_all(&mut self) -> Result<(), Error> {
        let mut left: Vec<(u64, String)> = self
            .open
            .iter()
            .map(|(id, call)| (call.opened, id.clone()))
            .collect();
        left.sort_unstable();
        for (_, call_id) in left {
            self.close(&call_id)?;
        }
        self.ends.clear();
        Ok(())
    }

    fn take(&mut self, utterance: Result<Utterance, TagRejected>) -> Result<(), Error> {
        self.outcome.utterances += 1;
        let utterance = match utterance {
            Ok(u) => u,
            Err(r) => {
                self.outcome.rejected.push(r);
                return Ok(());
            }
        };
        let Some(rows) = self.facts.call(&utterance.call_id) else {
            let why = format!(
                "no facts for call '{}': its call_started (agent, department) must be in the facts file",
                utterance.call_id
            );
            self.reject(utterance, why);
            return Ok(());
        };
        if let Some(why) = facts::outside(rows, utterance.instant) {
            self.reject(utterance, why);
            return Ok(());
        }
        self.close_ended_before(utterance.instant)?;
        if !self.open.contains_key(&utterance.call_id) {
            if self.done.contains(&utterance.call_id) {
                let why = format!(
                    "call '{}' was already tagged: turns must come in time order, or grouped by call",
                    utterance.call_id
                );
                self.reject(utterance, why);
                return Ok(());
            }
            if let Some(end) = facts::end(rows) {
                self.ends
                    .push(Reverse((end.instant, utterance.call_id.clone())));
            }
            self.opened += 1;
            self.open.insert(
                utterance.call_id.clone(),
                OpenCall {
                    opened: self.opened,
                    utterances: Vec::new(),
                },
            );
        }
        let previous = self
            .open
            .get(&utterance.call_id)
            .and_then(|call| call.utterances.last())
            .filter(|last| utterance.instant < last.instant)
            .map(|last| last.timestamp.clone());
        if let Some(previous) = previous {
            let why = format!(
                "goes back in time: {} is before the call's previous utterance ({previous})",
                utterance.timestamp
            );
            self.reject(utterance, why);
            return Ok(());
        }
        if let Some(call) = self.open.get_mut(&utterance.call_id) {
            call.utterances.push(utterance);
        }
        self.outcome.most_open = self.outcome.most_open.max(self.open.len());
        Ok(())
    }
}

/// The recogniser and the names of the spoken events.
pub struct Tagger<'e> {
    engine: &'e Engine,
    recognizer: Recognizer,
    /// Events recognised from the words: never facts.
    pub spoken: HashSet<&'static str>,
}

/// One row of the tagged log, before it is written.
struct OutRow<'a> {
    key: (DateTime<FixedOffset>, u8, usize, usize),
    timestamp: &'a str,
    agent_id: &'a str,
    event: &'a str,
    value: String,
    text: &'a str,
    confidence: Option<f64>,
}

impl<'e> Tagger<'e> {
    /// The tagger of an engine's procedures (under its base rules' phrase lists).
    pub fn new(engine: &'e Engine) -> Result<Tagger<'e>, Error> {
        let recognizer = Recognizer::new(engine).map_err(|e| Error::TagInput {
            source_name: "policy".to_owned(),
            why: e.to_string(),
        })?;
        let spoken = recognizer.events().into_iter().collect();
        Ok(Tagger {
            engine,
            recognizer,
            spoken,
        })
    }

    /// The steps of each utterance of one call, in order, read with what the call said
    /// before.
    pub fn recognize_call(
        &self,
        facts: &[FactRow],
        utterances: &[Utterance],
    ) -> Vec<Vec<Recognized>> {
        let started = facts.first().map(|f| f.instant);
        let tz = self.engine.config().business_tz;
        let date = started.map_or_else(
            || chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
            |at| at.with_timezone(&tz).date_naive(),
        );
        let rules = self.engine.rules_on(date).1;
        let turns: Vec<(Speaker, &str)> = utterances
            .iter()
            .map(|u| (u.speaker, u.text.as_str()))
            .collect();
        self.recognizer.recognize_call(rules, date, &turns)
    }

    fn write_call<W: Write>(
        &self,
        facts: &[FactRow],
        utterances: &[Utterance],
        outcome: &mut TagOutcome,
        writer: &mut csv::Writer<W>,
    ) -> Result<(), Error> {
        let steps = self.recognize_call(facts, utterances);
        let mut rows: Vec<OutRow<'_>> = Vec::with_capacity(facts.len() + utterances.len());
        for (i, f) in facts.iter().enumerate() {
            rows.push(OutRow {
                key: (f.instant, 0, i, 0),
                timestamp: &f.timestamp,
                agent_id: &f.agent_id,
                event: &f.event,
                value: f.value.clone(),
                text: &f.text,
                confidence: None,
            });
        }
        let mut review = CallReview {
            call_id: facts.first().map(|f| f.call_id.clone()).unwrap_or_default(),
            utterances: utterances.len(),
            ..CallReview::default()
        };
        for (i, (u, found)) in utterances.iter().zip(&steps).enumerate() {
            if found.is_empty() {
                review
                    .no_step
                    .push((u.timestamp.clone(), speaker_name(u.speaker), u.text.clone()));
            }
            for (k, step) in found.iter().enumerate() {
                outcome.steps += 1;
                if step.confidence < LOW_CONFIDENCE {
                    review.doubtful.push(Doubtful {
                        timestamp: u.timestamp.clone(),
                        event: step.event,
                        value: step.value.clone(),
                        confidence: step.confidence,
                        by: step.by,
                        text: u.text.clone(),
                    });
                }
                if step.redacted {
                    review.redacted.push((u.timestamp.clone(), step.event));
                }
                rows.push(OutRow {
                    key: (u.instant, 1, i, k),
                    timestamp: &u.timestamp,
                    agent_id: "",
                    event: step.event,
                    value: step.value.clone(),
                    text: &u.text,
                    confidence: Some(step.confidence),
                });
            }
        }
        rows.sort_by_key(|r| r.key);
        let call_id = review.call_id.clone();
        let mut confidence = String::new();
        for row in &rows {
            confidence.clear();
            if let Some(c) = row.confidence {
                confidence = format!("{c:.2}");
            }
            let source = if row.confidence.is_some() {
                "transcript"
            } else {
                "facts"
            };
            writer
                .write_record([
                    call_id.as_str(),
                    row.timestamp,
                    row.agent_id,
                    row.event,
                    &row.value,
                    row.text,
                    source,
                    &confidence,
                ])
                .map_err(write_error)?;
        }
        outcome.calls += 1;
        outcome.reviews.push(review);
        Ok(())
    }
}

/// The utterances of a tagging run's calls read as no step, by call, to be put among each
/// call's kept rows in time order as the call is reported (`audit --turns`: the per-call
/// transcript shows every utterance, a no-step one marked as such).
#[derive(Debug, Default)]
pub struct NoStepRows(FxHashMap<String, Vec<HistoryRow>>);

impl NoStepRows {
    /// The no-step utterances of a tagging run's calls.
    pub fn of(outcome: &TagOutcome) -> NoStepRows {
        NoStepRows(
            outcome
                .reviews
                .iter()
                .filter(|r| !r.no_step.is_empty())
                .map(|r| {
                    let rows = r
                        .no_step
                        .iter()
                        .map(|(at, who, text)| HistoryRow::no_step(at, who, text))
                        .collect();
                    (r.call_id.clone(), rows)
                })
                .collect(),
        )
    }

    /// Puts the call's no-step utterances among its kept rows (a call whose rows were not kept
    /// is left as it is); each call's are given out once.
    pub fn attach(&mut self, report: &mut CallReport) {
        if let Some(heard) = self.0.remove(&report.call_id) {
            if let Some(rows) = report.history.as_mut() {
                merge_no_step(rows, heard);
            }
        }
    }
}

/// A speaker's name in reports.
pub fn speaker_name(speaker: Speaker) -> &'static str {
    match speaker {
        Speaker::Agent => "agent",
        Speaker::Customer => "customer",
        Speaker::System => "system",
        Speaker::Partner => "partner",
    }
}

/// The utterances of calls grouped by call id (for tests and tools reading a whole file).
pub fn by_call(utterances: Vec<Utterance>) -> FxHashMap<String, Vec<Utterance>> {
    let mut map: FxHashMap<String, Vec<Utterance>> = FxHashMap::default();
    for u in utterances {
        map.entry(u.call_id.clone()).or_default().push(u);
    }
    map
}
