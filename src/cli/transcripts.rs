//! `callflow transcripts`: sample transcripts for trainers, one per path of each procedure
//! under the rule card it teaches; flawed variants with answer keys; handouts of numbered
//! exercises, answer sheets and role-plays.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::output::write_output;
use super::workflows_named;
use crate::gen::transcripts::{self, Difficulty, TranscriptFile};
use crate::gen::{handout, Error};
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
    /// File format (transcripts and --flawed; a handout is Markdown and HTML).
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: TranscriptFormatArg,
    /// The folder to write into (created if missing).
    #[arg(long, default_value = "transcripts")]
    pub out: PathBuf,
    /// Print the paths, one a line, each with the rule it teaches, and write nothing.
    #[arg(long)]
    pub list: bool,
    /// Add a flawed variant of each path, with injected deviations and an answer key at its
    /// end (the trainer's copy: file names and headers say the path).
    #[arg(long)]
    pub flawed: bool,
    /// The rules (`--policy FILE`).
    #[command(flatten)]
    pub policy: super::PolicyOption,
    /// Write a handout instead: exercise-NN.md (a flawed call, nothing in its name or header
    /// giving the flaw away), answers-NN.md (the lines at fault, the rule each breaks, what
    /// the agent should have said or done), roleplay-NN.md (the situation done right, the
    /// agent's lines blank), and exercises.html, answers.html, roleplay.html to print.
    #[arg(long, conflicts_with = "flawed")]
    pub handout: bool,
    /// How hard the flaws of --flawed and --handout are: easy (one obvious flaw, minor
    /// findings), medium (one subtle flaw: a major or critical finding), hard (two interacting
    /// flaws in one inquiry).
    #[arg(long, value_enum, default_value = "medium")]
    pub difficulty: DifficultyArg,
}

/// `callflow transcripts --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TranscriptFormatArg {
    /// Markdown.
    Markdown,
    /// Plain text.
    Text,
}

/// `callflow transcripts --difficulty` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DifficultyArg {
    /// One obvious flaw.
    Easy,
    /// One subtle flaw.
    Medium,
    /// Two interacting flaws.
    Hard,
}

impl From<DifficultyArg> for Difficulty {
    fn from(arg: DifficultyArg) -> Difficulty {
        match arg {
            DifficultyArg::Easy => Difficulty::Easy,
            DifficultyArg::Medium => Difficulty::Medium,
            DifficultyArg::Hard => Difficulty::Hard,
        }
    }
}

/// Runs `callflow transcripts`.
pub fn run(args: TranscriptsArgs, engine: &Arc<Engine>) -> Result<ExitCode> {
    let workflows = workflows_named(engine, args.workflow.as_deref())?;
    let paths = transcripts::clean_paths(&workflows, engine);
    if args.list {
        let mut out = io::BufWriter::new(io::stdout().lock());
        for path in &paths {
            writeln!(out, "{}", path.name())?;
            for rule in transcripts::rule_card(path, engine) {
                writeln!(out, "    {rule}")?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let difficulty = Difficulty::from(args.difficulty);
    let (files, what) = if args.handout {
        let exercises = handout::exercises(&paths, args.seed, difficulty, engine);
        let count = exercises.len();
        let files = handout::handout_files(&exercises).map_err(|e: Error| anyhow::anyhow!(e))?;
        (files, format!("a handout of {count} exercises"))
    } else {
        let format = match args.format {
            TranscriptFormatArg::Markdown => transcripts::TranscriptFormat::Markdown,
            TranscriptFormatArg::Text => transcripts::TranscriptFormat::Text,
        };
        let flawed = args.flawed.then_some(difficulty);
        let files = transcripts::transcripts(&paths, args.seed, flawed, format, engine);
        let count = files.len();
        (files, format!("{count} transcripts"))
    };
    write_files(&args.out, &files)?;
    eprintln!("callflow: wrote {what} to {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn write_files(folder: &std::path::Path, files: &[TranscriptFile]) -> Result<()> {
    fs::create_dir_all(folder)
        .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
    for file in files {
        let path = folder.join(&file.name);
        write_output(Some(&path), |out| out.write_all(file.contents.as_bytes()))?;
    }
    Ok(())
}
