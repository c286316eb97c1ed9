//! `callflow graph`: each machine's states and transitions, found by exploring it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::ValueEnum;

use super::output::write_output;
use super::workflows_named;
use crate::workflows::explore;
use crate::workflows::Engine;

/// `callflow graph`
#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// One workflow (call_frame, shopping_dollars, paid_call); all when omitted.
    #[arg(long)]
    pub workflow: Option<String>,
    /// Diagram language.
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The rules (`--policy FILE`).
    #[command(flatten)]
    pub policy: super::PolicyOption,
}

/// `callflow graph --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Mermaid `stateDiagram-v2`.
    Mermaid,
    /// Graphviz dot.
    Dot,
}

/// Runs `callflow graph`.
pub fn run(args: GraphArgs, engine: &Arc<Engine>) -> Result<ExitCode> {
    let workflows = workflows_named(engine, args.workflow.as_deref())?;
    let mut text = String::new();
    for (i, workflow) in workflows.into_iter().enumerate() {
        let graph = explore::graph(engine, workflow);
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&match args.format {
            GraphFormat::Mermaid => graph.to_mermaid(),
            GraphFormat::Dot => graph.to_dot(),
        });
    }
    write_output(args.out.as_deref(), |out| out.write_all(text.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
