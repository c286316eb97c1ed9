//! `callflow simulate`: a simulated v1 call log with injected faults and its answer key.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;

use super::output::write_output;
use crate::gen::simulate::{simulate, SimulateOptions};
use crate::workflows::Engine;

/// `callflow simulate`
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// How many calls.
    #[arg(long)]
    pub calls: u64,
    /// The seed: the same seed gives the same log.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The share of calls (0 to 1) carrying injected deviations.
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// The log to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Where to write the answer key (JSON, shaped like the audit report's `calls`).
    #[arg(long)]
    pub answer_key: Option<PathBuf>,
    /// The rules (`--policy FILE`).
    #[command(flatten)]
    pub policy: super::PolicyOption,
}

/// Runs `callflow simulate`.
pub fn run(args: SimulateArgs, engine: &Arc<Engine>) -> Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        anyhow::bail!("--fault-rate {} is not between 0 and 1", args.fault_rate);
    }
    let options = SimulateOptions {
        calls: args.calls,
        seed: args.seed,
        fault_rate: args.fault_rate,
    };
    let mut stats = None;
    write_output(Some(&args.out), |log| {
        match &args.answer_key {
            None => stats = Some(simulate(options, engine, log, None)?),
            Some(key_path) => write_output(Some(key_path), |key| {
                stats = Some(simulate(options, engine, log, Some(key))?);
                Ok(())
            })
            .map_err(io::Error::other)?,
        }
        Ok(())
    })?;
    if let Some(stats) = stats {
        eprintln!(
            "callflow: wrote {} calls ({} rows, {} with injected faults covering {} codes) to {}",
            stats.calls,
            stats.rows,
            stats.flawed,
            stats.codes.len(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
