//! `callflow sample AUDIT.json --per-agent N`: a review sample for evaluators.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::calibrate::read_audit;
use super::output::write_output;
use crate::audit::review_sample::{sample, write_csv, SampleOptions};

/// `callflow sample`
#[derive(Debug, clap::Args)]
#[command(
    after_help = "How calls are drawn: for each agent, up to N calls; the agent's calls \
    are grouped by branch (the branches of their inquiries; an inquiry without a branch counts \
    by its reason, a call without inquiries as `none`), and the groups take turns giving \
    a call, so every branch an agent met is reviewed once N reaches their number of branches. \
    Within a group, calls are drawn without replacement with weights by the machine's verdict: \
    fail 3, incomplete 2, pass 1. The same audit and seed give the same sample."
)]
pub struct SampleArgs {
    /// The audit (a JSON report: `callflow audit LOG --out audit.json`).
    pub audit: PathBuf,
    /// Calls to draw for each agent (fewer when the agent has fewer).
    #[arg(long, value_name = "N")]
    pub per_agent: usize,
    /// The seed of the draw: the same seed, the same sample.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the CSV to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs `callflow sample`.
pub fn run(args: SampleArgs) -> Result<ExitCode> {
    if args.per_agent == 0 {
        anyhow::bail!("--per-agent must be at least 1");
    }
    let audit = read_audit(&args.audit)?;
    let rows = sample(
        &audit,
        &SampleOptions {
            per_agent: args.per_agent,
            seed: args.seed,
        },
    );
    write_output(args.out.as_deref(), |o| write_csv(&rows, o))?;
    Ok(ExitCode::SUCCESS)
}
