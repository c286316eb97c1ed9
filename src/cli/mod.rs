//! The `callflow` command line: argument parsing (clap), dispatch, output and exit codes.
//! One module per command ([`audit`], [`graph`], [`transcripts`], [`simulate`], [`diff`],
//! [`calibrate`], [`sample`], [`policy`], [`history`], [`trend`]); [`output`]
//! writes files atomically.
//!
//! Exit status: 0 when every call passed (incomplete calls do not fail a run), 1 when any call
//! failed, 2 for unusable input, a failed write, or a run that could not account for every
//! call, with one sentence on standard error.

use std::io;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::workflows::explore::Workflow;
use crate::workflows::Engine;

pub mod audit;
pub mod calibrate;
pub mod diff;
pub mod graph;
pub mod history;
pub mod output;
pub mod policy;
pub mod sample;
pub mod simulate;
pub mod tag;
pub mod transcripts;
pub mod trend;

pub use audit::{AuditArgs, FormatArg};
pub use graph::{GraphArgs, GraphFormat};
pub use policy::{PolicyArgs, PolicyOption};
pub use simulate::SimulateArgs;
pub use transcripts::{TranscriptFormatArg, TranscriptsArgs};

/// Documented call procedures as state machines: audit call logs against them.
#[derive(Debug, Parser)]
#[command(name = "callflow", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replay a v1 call log through the procedure machines and report what each call did
    /// against what the documents require.
    Audit(AuditArgs),
    /// Draw each machine's states and transitions, found by exploring the machine.
    Graph(GraphArgs),
    /// Write sample transcripts for trainers: one per path through each procedure.
    Transcripts(TranscriptsArgs),
    /// Read the spoken steps in transcripts (speaker turns or Contact Lens files) and write
    /// them, merged with the facts the systems recorded, as a v1 log.
    Tag(tag::TagArgs),
    /// Write a simulated v1 call log, with injected faults and their answer key.
    Simulate(SimulateArgs),
    /// Write the default policy file, or check one.
    Policy(PolicyArgs),
    /// Compare two audits of the same log (JSON reports): which calls, agents and codes a
    /// change of rules moved.
    Diff(diff::DiffArgs),
    /// Check the audit against human evaluators: per code agreement and Cohen's kappa, per
    /// evaluator, verdicts, scores, and every disagreement with the machine's evidence.
    Calibrate(calibrate::CalibrateArgs),
    /// Draw a review sample from an audit for evaluators: per agent, stratified by branch,
    /// failed and incomplete calls weighted up, the same for a seed.
    Sample(sample::SampleArgs),
    /// The runs stored by `audit --history`: list them, delete one.
    History(history::HistoryArgs),
    /// Trends over the stored runs: per period and per agent, code, procedure or branch, the
    /// calls, pass rate, mean score and each code's rate, and the notable moves.
    Trend(trend::TrendArgs),
}

/// Runs the command line; returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("callflow: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let builtin = Arc::new(Engine::builtin());
    let under = |option: &PolicyOption| policy::engine_for(option.policy.as_deref(), &builtin);
    match cli.command {
        Command::Audit(args) => {
            let engine = under(&args.policy)?;
            let compared = match &args.compare {
                Some(old) => Some(policy::engine_for(Some(old), &builtin)?),
                None => None,
            };
            audit::run(args, &engine, compared.as_ref())
        }
        Command::Graph(args) => {
            let engine = under(&args.policy)?;
            graph::run(args, &engine)
        }
        Command::Transcripts(args) => {
            let engine = under(&args.policy)?;
            transcripts::run(args, &engine)
        }
        Command::Simulate(args) => {
            let engine = under(&args.policy)?;
            simulate::run(args, &engine)
        }
        Command::Tag(args) => {
            let engine = under(&args.policy)?;
            tag::run(args, &engine)
        }
        Command::Policy(args) => policy::run(args, &builtin),
        Command::Diff(args) => diff::run(args),
        Command::Calibrate(args) => {
            let engine = under(&args.policy)?;
            calibrate::run(args, &engine)
        }
        Command::Sample(args) => sample::run(args),
        Command::History(args) => history::run(args),
        Command::Trend(args) => trend::run(args),
    }
}

/// The workflows a `--workflow` option names (all when `None`).
fn workflows_named(engine: &Engine, name: Option<&str>) -> Result<Vec<Workflow>> {
    match name {
        None => Ok(Workflow::all(engine)),
        Some(name) => Workflow::from_name(engine, name)
            .map(|w| vec![w])
            .ok_or_else(|| {
                let known: Vec<&str> = Workflow::all(engine)
                    .iter()
                    .map(|w| w.name(engine))
                    .collect();
                anyhow::anyhow!("unknown workflow '{name}' (known: {})", known.join(", "))
            }),
    }
}
