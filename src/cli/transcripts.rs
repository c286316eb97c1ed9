//! `callflow transcripts`: sample transcripts for trainers, one per path of each procedure.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::output::write_output;
use super::workflows_named;
use crate::gen::transcripts;
use crate::workflows::Engine;

/// `callflow transcripts`
#[derive(Debug, clap::Args)]
pub struct TranscriptsArgs {
    /// One workflow (call_frame for calls with two inquiries, shopping_dollars, paid_call);
    /// all when omitted.
    #[arg(long)]
    pub workflow: Option<String>,
    /// The seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// File format.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: TranscriptFormatArg,
    /// The folder to write into (created if missing).
    #[arg(long, default_value = "transcripts")]
    pub out: PathBuf,
    /// Print the paths, one a line, and write nothing.
    #[arg(long)]
    pub list: bool,
    /// Add a flawed variant of each path, with injected deviations and an answer key.
    #[arg(long)]
    pub flawed: bool,
    /// The rules (`--policy FILE`).
    #[command(flatten)]
    pub policy: super::PolicyOption,
}

/// `callflow transcripts --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TranscriptFormatArg {
    /// Markdown.
    Markdown,
    /// Plain text.
    Text,
}

/// Runs `callflow transcripts`.
pub fn run(args: TranscriptsArgs, engine: &Arc<Engine>) -> Result<ExitCode> {
    let workflows = workflows_named(engine, args.workflow.as_deref())?;
    let paths = transcripts::clean_paths(&workflows, engine);
    if args.list {
        let mut out = io::BufWriter::new(io::stdout().lock());
        for path in &paths {
            writeln!(out, "{}", path.name())?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let format = match args.format {
        TranscriptFormatArg::Markdown => transcripts::TranscriptFormat::Markdown,
        TranscriptFormatArg::Text => transcripts::TranscriptFormat::Text,
    };
    let files = transcripts::transcripts(&paths, args.seed, args.flawed, format, engine);
    fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the folder", args.out.display()))?;
    for file in &files {
        let path = args.out.join(&file.name);
        write_output(Some(&path), |out| out.write_all(file.contents.as_bytes()))?;
    }
    eprintln!(
        "callflow: wrote {} transcripts to {}",
        files.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
