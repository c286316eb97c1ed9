//! The call-log simulator: a v1 log of N calls with a realistic mix of inquiries, branches,
//! agents and times of day, calls interleaved in time, a share of them carrying injected
//! faults, and an answer key in the shape of the audit report's `calls`.
//!
//! Output streams: rows are written as soon as no later call can come before them, so memory
//! holds only the calls that overlap in time, whatever N is.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::{self, Write};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Timelike, Weekday};
use fastrand::Rng;
use serde::Serialize;

use callflow_workflows::explore::{hours_throughout, open_at, Clock, Path, Workflow, CLOCKS};
use callflow_workflows::vocab::frame_events;
use callflow_workflows::{Code, Config, Engine, Speaker, Verdict};

use crate::persona::{Agent, Persona, AGENTS};
use crate::transcript::{generate, Fault, Generated, Setup};
use crate::transcripts::{clean_paths, play_at};

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulateOptions {
    /// How many calls.
    pub calls: u64,
    /// The seed: the same seed gives the same log.
    pub seed: u64,
    /// The share of calls (0 to 1) that carry one or two injected faults.
    pub fault_rate: f64,
}

/// One call of the answer key: the audit report's `calls` entry, as it must come out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyCall {
    /// The call id.
    pub call_id: String,
    /// The agent.
    pub agent_id: String,
    /// The path the call plays.
    pub path: String,
    /// The expected verdict.
    pub verdict: Verdict,
    /// The expected score.
    pub score: u32,
    /// The expected findings (codes only).
    pub findings: Vec<KeyFinding>,
    /// What was injected.
    pub faults: Vec<String>,
}

/// One expected finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyFinding {
    /// The code.
    pub code: Code,
}

/// What a simulation produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimulateStats {
    /// Calls written.
    pub calls: u64,
    /// Rows written (the header not counted).
    pub rows: u64,
    /// Calls with injected faults.
    pub flawed: u64,
    /// How many calls each injected code was expected in.
    pub codes: BTreeMap<Code, u64>,
}

struct PendingRow {
    at: DateTime<FixedOffset>,
    seq: u64,
    record: [String; 6],
}

impl PartialEq for PendingRow {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for PendingRow {}
impl PartialOrd for PendingRow {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for PendingRow {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// The paths a simulated call can take, with how often each reason comes up.
struct Mix {
    paths: Vec<Path>,
    /// Faults each path gives occasion for (found once, on first use).
    faults: Vec<Option<Vec<Fault>>>,
}

/// How often a path's reason is a call's reason, relative: as its procedure declares it;
/// one for the bounded case of two inquiries.
fn reason_weight(path: &Path) -> u32 {
    if path.workflow == Workflow::CallFrame {
        return 1;
    }
    path.reasons
        .first()
        .and_then(|r| r.def())
        .map_or(1, |r| r.weight)
}

impl Mix {
    fn pick(&self, rng: &mut Rng, clocks: &[Clock]) -> Option<usize> {
        let eligible: Vec<(usize, u32)> = self
            .paths
            .iter()
            .enumerate()
            .filter(|(_, p)| clocks.iter().all(|c| p.clocks.contains(c)))
            .map(|(i, p)| (i, reason_weight(p)))
            .collect();
        let total: u32 = eligible.iter().map(|(_, w)| w).sum();
        if total == 0 {
            return None;
        }
        let mut ticket = rng.u32(..total);
        for (i, w) in eligible {
            if ticket < w {
                return Some(i);
            }
            ticket -= w;
        }
        None
    }

    /// The single faults that a path's call confirms, computed once per path.
    fn faults_for(&mut self, index: usize, engine: &Arc<Engine>) -> &[Fault] {
        if self.faults[index].is_none() {
            let path = &self.paths[index];
            let persona = Persona::draw(&mut Rng::with_seed(11), AGENTS[0], engine);
            let start = path.clock.at(engine);
            let fits = Fault::all(engine)
                .into_iter()
                .filter(|fault| {
                    // A fault of the time of day needs a start the arrivals do not give.
                    if fault.clock().is_some() || !fault.fits(&path.tokens) {
                        return false;
                    }
                    let call = generate(
                        path,
                        Setup {
                            engine,
                            call_id: "probe".to_owned(),
                            persona: persona.clone(),
                            start,
                            faults: &[*fault],
                        },
                    );
                    call.answer_key.faults.len() == 1 && call.agrees()
                })
                .collect();
            self.faults[index] = Some(fits);
        }
        self.faults[index].as_deref().unwrap_or_default()
    }
}

/// The clocks a call starting at `at` must be valid at, under the policy version of its call
/// date, as the procedures tell their hours ([`Stage::open_at`]): within them for the whole
/// call, the explored "within" clock; outside them for the whole call, the "outside" clock;
/// crossing a boundary, both (only paths that do not depend on the time of day).
///
/// [`Stage::open_at`]: callflow_workflows::stage::Stage::open_at
fn clocks_at(at: DateTime<FixedOffset>, engine: &Engine) -> &'static [Clock] {
    match hours_throughout(engine, at) {
        Some(true) => &CLOCKS[..1],
        Some(false) => &CLOCKS[1..],
        None if open_at(engine, at).is_none() => &CLOCKS[..1],
        None => &CLOCKS,
    }
}

/// The arrival clock: business days from 09:00 to 20:30, a call every 20 to 100 seconds.
struct Arrivals {
    at: DateTime<FixedOffset>,
}

impl Arrivals {
    fn new(config: &Config) -> Arrivals {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        Arrivals {
            at: open_of(day, config),
        }
    }

    fn next(&mut self, rng: &mut Rng, config: &Config) -> DateTime<FixedOffset> {
        let now = self.at;
        let mut next = now + Duration::seconds(rng.i64(20..=100));
        let local = next.with_timezone(&config.business_tz);
        if local.hour() * 60 + local.minute() >= 20 * 60 + 30 {
            let mut day = local.date_naive() + Duration::days(1);
            while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                day += Duration::days(1);
            }
            next = open_of(day, config);
        }
        self.at = next;
        now
    }
}

fn open_of(day: NaiveDate, config: &Config) -> DateTime<FixedOffset> {
    day.and_hms_opt(9, 0, 0)
        .and_then(|t| config.business_tz.from_local_datetime(&t).single())
        .map(|t| t.fixed_offset())
        .unwrap_or_default()
}

fn weighted_agent(rng: &mut Rng, flawed: bool) -> Agent {
    let weight = |a: &Agent| if flawed { a.slips } else { 1 };
    let total: u32 = AGENTS.iter().map(weight).sum();
    let mut ticket = rng.u32(..total.max(1));
    for agent in AGENTS {
        if ticket < weight(&agent) {
            return agent;
        }
        ticket -= weight(&agent);
    }
    AGENTS[0]
}

/// Writes a simulated log (and, when given, its answer key as JSON) and returns its figures.
///
/// ```
/// use std::sync::Arc;
/// use callflow_gen::simulate::{simulate, SimulateOptions};
/// let mut log = Vec::new();
/// let options = SimulateOptions { calls: 3, seed: 7, fault_rate: 0.0 };
/// let engine = Arc::new(callflow_workflows::Engine::builtin());
/// let stats = simulate(options, &engine, &mut log, None).unwrap();
/// assert_eq!(stats.calls, 3);
/// assert!(String::from_utf8(log).unwrap().starts_with("call_id,timestamp,agent_id,event,value,text\n"));
/// ```
pub fn simulate(
    options: SimulateOptions,
    engine: &Arc<Engine>,
    log: &mut dyn Write,
    mut key: Option<&mut dyn Write>,
) -> io::Result<SimulateStats> {
    let config = engine.config();
    let mut rng = Rng::with_seed(options.seed);
    let mut mix = Mix {
        paths: clean_paths(&Workflow::all(engine), engine),
        faults: Vec::new(),
    };
    mix.faults = vec![None; mix.paths.len()];
    let mut writer = csv::Writer::from_writer(log);
    writer.write_record(["call_id", "timestamp", "agent_id", "event", "value", "text"])?;
    if let Some(key) = key.as_deref_mut() {
        writeln!(key, "{{\"format\": \"callflow-answer-key/1\", \"calls\": [")?;
    }
    let mut pending: BinaryHeap<Reverse<PendingRow>> = BinaryHeap::new();
    let mut arrivals = Arrivals::new(config);
    let mut stats = SimulateStats::default();
    let mut seq = 0u64;
    let width = options.calls.max(1).to_string().len().max(6);
    for n in 0..options.calls {
        let start = arrivals.next(&mut rng, config);
        // Rows before this call's start can no longer be overtaken.
        while pending.peek().is_some_and(|Reverse(row)| row.at < start) {
            if let Some(Reverse(row)) = pending.pop() {
                writer.write_record(&row.record)?;
                stats.rows += 1;
            }
        }
        let Some(index) = mix.pick(&mut rng, clocks_at(start, engine)) else {
            continue;
        };
        let flawed = rng.f64() < options.fault_rate;
        let agent = weighted_agent(&mut rng, flawed);
        let persona = Persona::draw(&mut rng, agent, engine);
        let call_id = format!("C-{:0width$}", n + 1);
        let mut faults: Vec<Fault> = Vec::new();
        if flawed {
            let fits = mix.faults_for(index, engine).to_vec();
            if !fits.is_empty() {
                faults.push(fits[rng.usize(..fits.len())]);
                if rng.bool() && faults[0] != Fault::HangUp {
                    let second = fits[rng.usize(..fits.len())];
                    if second != Fault::HangUp && !faults.contains(&second) {
                        faults.push(second);
                    }
                }
            }
        }
        let path = &mix.paths[index];
        let mut generated = play_at(path, engine, &call_id, persona.clone(), start, &faults);
        if !generated.agrees() && faults.len() > 1 {
            // The two faults interfere on this call: keep the first alone.
            faults.truncate(1);
            generated = play_at(path, engine, &call_id, persona.clone(), start, &faults);
        }
        if !generated.agrees() {
            // The fault does not show on this call as declared: the call stays clean.
            generated = play_at(path, engine, &call_id, persona, start, &[]);
        }
        if !generated.answer_key.faults.is_empty() {
            stats.flawed += 1;
        }
        for code in &generated.answer_key.codes {
            *stats.codes.entry(*code).or_default() += 1;
        }
        for record in records(&generated) {
            seq += 1;
            pending.push(Reverse(PendingRow {
                at: record.0,
                seq,
                record: record.1,
            }));
        }
        if let Some(key) = key.as_deref_mut() {
            let entry = KeyCall {
                call_id: generated.call_id.clone(),
                agent_id: generated.persona.agent.id.to_owned(),
                path: generated.path.clone(),
                verdict: generated.answer_key.verdict,
                score: generated.answer_key.score,
                findings: generated
                    .answer_key
                    .codes
                    .iter()
                    .map(|&code| KeyFinding { code })
                    .collect(),
                faults: generated
                    .answer_key
                    .faults
                    .iter()
                    .map(Fault::describe)
                    .collect(),
            };
            if stats.calls > 0 {
                writeln!(key, ",")?;
            }
            serde_json::to_writer(&mut *key, &entry)?;
        }
        stats.calls += 1;
    }
    while let Some(Reverse(row)) = pending.pop() {
        writer.write_record(&row.record)?;
        stats.rows += 1;
    }
    writer.flush()?;
    if let Some(key) = key {
        writeln!(key, "\n]}}")?;
    }
    Ok(stats)
}

/// The log rows of a generated call: its events, with the agent's spoken lines as `text`.
pub fn records(generated: &Generated) -> Vec<(DateTime<FixedOffset>, [String; 6])> {
    generated
        .lines
        .iter()
        .filter_map(|line| {
            let name = line.event?;
            let agent = if name.is(&frame_events::CALL_STARTED) {
                generated.persona.agent.id.to_owned()
            } else {
                String::new()
            };
            let text = if line.spoken && line.speaker != Speaker::System {
                line.text.clone()
            } else {
                String::new()
            };
            Some((
                line.at,
                [
                    generated.call_id.clone(),
                    line.at.to_rfc3339(),
                    agent,
                    name.as_str().to_owned(),
                    line.value.clone(),
                    text,
                ],
            ))
        })
        .collect()
}
