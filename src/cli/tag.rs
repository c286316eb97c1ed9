//! `callflow tag`: a v1 log from transcripts (speaker turns or Contact Lens files) and the
//! facts the systems recorded; also what `callflow audit --turns/--contact-lens` reads.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::output::write_output;
use crate::audit::tag::{self, Source, TagOutcome};
use crate::workflows::Engine;

/// The transcripts: one of `--turns FILE` and `--contact-lens DIR`.
#[derive(Debug, Clone, clap::Args)]
#[group(multiple = false)]
pub struct TranscriptOption {
    /// Speaker turns: a CSV `call_id,timestamp,speaker,text` (speaker `agent` or `customer`).
    #[arg(long, value_name = "FILE")]
    pub turns: Option<PathBuf>,
    /// A folder of Amazon Connect Contact Lens analysis files, one JSON per contact
    /// (offsets count from the call's `call_started` in --facts).
    #[arg(long, value_name = "DIR")]
    pub contact_lens: Option<PathBuf>,
}

impl TranscriptOption {
    /// Whether a transcript was given.
    pub fn given(&self) -> bool {
        self.turns.is_some() || self.contact_lens.is_some()
    }

    /// The input's name in reports.
    pub fn name(&self) -> String {
        match (&self.turns, &self.contact_lens) {
            (Some(t), _) => t.display().to_string(),
            (_, Some(d)) => d.display().to_string(),
            _ => String::new(),
        }
    }
}

/// `callflow tag`
#[derive(Debug, clap::Args)]
pub struct TagArgs {
    /// The transcripts.
    #[command(flatten)]
    pub transcript: TranscriptOption,
    /// The facts: a v1 log of what no transcript carries (call_started, call_ended, dates,
    /// desktop actions).
    #[arg(long, value_name = "FILE")]
    pub facts: PathBuf,
    /// The tagged v1 log to write (with `source` and `confidence` columns).
    #[arg(long, value_name = "LOG.csv")]
    pub out: PathBuf,
    /// Also write a review (Markdown): per call, the utterances read as no step and the
    /// steps read with low confidence, redacted values, rows left out.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// The rules (`--policy FILE`; its `[<procedure>.recognition]` tables set phrase lists).
    #[command(flatten)]
    pub policy: super::PolicyOption,
}

/// Tags the transcripts against the facts into `out`; rows and files left out are told on
/// standard error.
pub fn tag_into(
    engine: &Engine,
    transcript: &TranscriptOption,
    facts: &std::path::Path,
    out: &mut dyn Write,
) -> Result<TagOutcome> {
    let facts_name = facts.display().to_string();
    let facts_file = fs::File::open(facts).with_context(|| format!("{facts_name}: cannot read"))?;
    let outcome = match (&transcript.turns, &transcript.contact_lens) {
        (Some(turns), _) => {
            let name = turns.display().to_string();
            let file = fs::File::open(turns).with_context(|| format!("{name}: cannot read"))?;
            tag::tag(
                engine,
                std::io::BufReader::new(facts_file),
                &facts_name,
                Source::Turns(std::io::BufReader::new(file), &name),
                out,
            )?
        }
        (_, Some(dir)) => tag::tag(
            engine,
            std::io::BufReader::new(facts_file),
            &facts_name,
            Source::<fs::File>::ContactLens(dir),
            out,
        )?,
        _ => anyhow::bail!("give the transcripts: --turns FILE or --contact-lens DIR"),
    };
    for r in &outcome.rejected {
        eprintln!("callflow: tag: {}: {}", r.place, r.reason);
    }
    Ok(outcome)
}

/// Runs `callflow tag`.
pub fn run(args: TagArgs, engine: &Engine) -> Result<ExitCode> {
    if !args.transcript.given() {
        anyhow::bail!("give the transcripts: --turns FILE or --contact-lens DIR");
    }
    let mut outcome = None;
    write_output(Some(&args.out), |out| {
        let done = tag_into(engine, &args.transcript, &args.facts, out)
            .map_err(|e| std::io::Error::other(format!("{e:#}")))?;
        outcome = Some(done);
        Ok(())
    })?;
    let outcome = outcome.context("the tagging did not finish")?;
    if let Some(path) = &args.report {
        write_output(Some(path), |out| tag::report::write(&outcome, out))?;
    }
    eprintln!(
        "callflow: tagged {} utterances of {} calls: {} steps recognised, {} rows or files left out",
        outcome.utterances,
        outcome.calls,
        outcome.steps,
        outcome.rejected.len()
    );
    Ok(ExitCode::SUCCESS)
}
