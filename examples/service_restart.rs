//! An agent-assist service that restarts mid-shift: it holds every live call of a busy call
//! center (interleaved events of many calls), saves the open ones when it stops, and resumes
//! them when it starts again. The calls' verdicts are the same as if it had never stopped.
//!
//! Run it with `cargo run --example service_restart` (or `-- --no-restart` for the run without
//! the restart); `tests/service_restart.rs` checks that both print the same.
//!
//! The events stand in for a telephony feed: a simulated log of 400 calls, fed 50 calls at a
//! time with their events interleaved (one event of each call in turn), as 50 agents on the
//! phone at once would produce them.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use callflow_gen::simulate::{simulate, SimulateOptions};
use callflow_workflows::{Call, CallStart, Engine, Event, Stamp, Step};
use chrono::DateTime;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let restart = !std::env::args().any(|a| a == "--no-restart");
    let state =
        std::env::temp_dir().join(format!("callflow-open-calls-{}.jsonl", std::process::id()));
    let run = run(restart, &state)?;
    println!(
        "{} calls; {} open at the restart",
        run.outcomes.len(),
        run.open_at_restart
    );
    for line in &run.outcomes {
        println!("{line}");
    }
    Ok(())
}

/// What a run printed: one line per call (id, verdict, score, codes), and how many calls were
/// open when the service restarted.
pub struct Run {
    /// `C-000001 fail 0 SD01 SD04`, sorted by call id.
    pub outcomes: Vec<String>,
    /// How many calls were saved and resumed.
    pub open_at_restart: usize,
}

/// Replays the simulated feed through a service that restarts mid-shift (when `restart`),
/// keeping its open calls in `state` while it is down.
pub fn run(restart: bool, state: &Path) -> Result<Run> {
    let mut log = Vec::new();
    let options = SimulateOptions {
        calls: 400,
        seed: 11,
        fault_rate: 0.25,
    };
    simulate(options, &Arc::new(Engine::builtin()), &mut log, None)?;
    let (feed, restart_at) = interleaved(&log, 50)?;

    let mut service = Service::new(Arc::new(Engine::builtin()));
    let mut open_at_restart = 0;
    for (index, (line, row)) in feed.iter().enumerate() {
        if restart && index == restart_at {
            open_at_restart = service.open.len();
            service.stop(state)?;
            // A new process: a new engine built from the same rules, the saved calls read back.
            service = Service::resume(Arc::new(Engine::builtin()), state)?;
        }
        service.event(*line, row)?;
    }
    let mut outcomes = service.finished;
    outcomes.sort();
    Ok(Run {
        outcomes,
        open_at_restart,
    })
}

/// The log's rows with their lines (the header is line 1), `wave` calls at a time, one row of
/// each call in turn: every call's rows stay in their order. Also the index of the row in the
/// middle of the middle wave: mid-shift, when calls are furthest from their start and end.
type Feed = (Vec<(u64, csv::StringRecord)>, usize);

fn interleaved(log: &[u8], wave: usize) -> Result<Feed> {
    let mut calls: Vec<Vec<(u64, csv::StringRecord)>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, row) in csv::Reader::from_reader(log).records().enumerate() {
        let row = row?;
        let id = row.get(0).unwrap_or("").to_owned();
        let slot = *index.entry(id).or_insert_with(|| {
            calls.push(Vec::new());
            calls.len() - 1
        });
        calls[slot].push((i as u64 + 2, row));
    }
    let mut feed = Vec::new();
    let mut middle = 0;
    let waves = calls.len().div_ceil(wave);
    for (w, group) in calls.chunks(wave).enumerate() {
        let start = feed.len();
        let longest = group.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..longest {
            feed.extend(group.iter().filter_map(|rows| rows.get(k).cloned()));
        }
        if w == waves / 2 {
            middle = start + (feed.len() - start) / 2;
        }
    }
    Ok((feed, middle))
}

/// The service: the engine, the calls in progress by id, and the verdicts of finished ones.
struct Service {
    engine: Arc<Engine>,
    open: HashMap<String, Call>,
    finished: Vec<String>,
}

impl Service {
    fn new(engine: Arc<Engine>) -> Service {
        Service {
            engine,
            open: HashMap::new(),
            finished: Vec::new(),
        }
    }

    /// One row of the feed: `call_id,timestamp,agent_id,event,value,text`.
    fn event(&mut self, line: u64, row: &csv::StringRecord) -> Result<()> {
        let field = |i: usize| row.get(i).unwrap_or("");
        let (call_id, name, value, text) = (field(0), field(3), field(4), field(5));
        let stamp = Stamp {
            line,
            at: DateTime::parse_from_rfc3339(field(1))?,
        };
        let event = self.engine.event(name, value)?;
        if let Event::CallStarted { department } = event {
            let start = CallStart {
                call_id,
                agent_id: field(2),
                department,
                agent_name: None,
                stamp,
            };
            self.open
                .insert(call_id.to_owned(), Call::start(&self.engine, start)?);
            return Ok(());
        }
        let call = self
            .open
            .get_mut(call_id)
            .ok_or_else(|| format!("line {line}: call {call_id} was never started"))?;
        let mut step = Step::new(stamp, event);
        if !text.is_empty() {
            step = step.with_text(text);
        }
        call.feed(&step)?;
        if call.is_over() {
            if let Some(call) = self.open.remove(call_id) {
                self.finished.push(outcome(call_id, &call));
            }
        }
        Ok(())
    }

    /// Saves every open call, one JSON object a line, and stops.
    fn stop(self, state: &Path) -> Result<()> {
        let mut out = BufWriter::new(File::create(state)?);
        for (id, call) in &self.open {
            let record = serde_json::json!({ "call_id": id, "call": call });
            writeln!(out, "{record}")?;
        }
        out.flush()?;
        // The finished calls' verdicts went out already (here: they travel with the state).
        let done = state.with_extension("done");
        std::fs::write(&done, self.finished.join("\n"))?;
        Ok(())
    }

    /// Starts again from what `stop` saved: each call restored under the engine, which
    /// checks its format, procedures, rules and consistency.
    fn resume(engine: Arc<Engine>, state: &Path) -> Result<Service> {
        let mut service = Service::new(engine);
        for line in BufReader::new(File::open(state)?).lines() {
            let mut record: serde_json::Value = serde_json::from_str(&line?)?;
            let id = record["call_id"].as_str().unwrap_or_default().to_owned();
            let call = Call::restore(&service.engine, record["call"].take())?;
            service.open.insert(id, call);
        }
        let done = state.with_extension("done");
        service.finished = std::fs::read_to_string(&done)?
            .lines()
            .map(str::to_owned)
            .collect();
        std::fs::remove_file(state)?;
        std::fs::remove_file(done)?;
        Ok(service)
    }
}

/// `C-000001 fail 0 SD01 SD04`
fn outcome(id: &str, call: &Call) -> String {
    let outcome = call.outcome();
    let mut codes: Vec<&str> = call.findings().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    format!(
        "{id} {} {} {}",
        outcome.verdict,
        outcome.score,
        codes.join(" ")
    )
    .trim_end()
    .to_owned()
}
