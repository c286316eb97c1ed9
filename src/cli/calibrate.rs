//! `callflow calibrate AUDIT.json HUMAN.csv`: the machine's judgements against human
//! evaluators'.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::output::write_output;
use crate::audit::calibrate::{calibrate, human, render, CalibrationFormat};
use crate::audit::report_file::{self, ReportFile};
use crate::workflows::Engine;

/// `callflow calibrate`
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// The audit (a JSON report: `callflow audit LOG --out audit.json`).
    pub audit: PathBuf,
    /// The evaluators' judgements: a CSV `call_id,evaluator,verdict,score,codes`, the codes
    /// they found separated by `;` (a call may have several evaluators). A row of a call the
    /// audit lacks, an unknown code or a bad verdict is rejected with its line and reason.
    pub human: PathBuf,
    /// Output format. Default: from the --out file's extension (.json, .md, .html), else text.
    #[arg(long, value_enum)]
    pub format: Option<CalibrationFormatArg>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The rules (`--policy FILE`): codes it switches off are not calibrated.
    #[command(flatten)]
    pub policy: super::PolicyOption,
}

/// `callflow calibrate --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CalibrationFormatArg {
    /// Tables to read on a terminal.
    Text,
    /// Markdown tables.
    Markdown,
    /// `callflow-calibration/1` JSON.
    Json,
    /// One self-contained HTML page.
    Html,
}

fn format_for(
    explicit: Option<CalibrationFormatArg>,
    out: Option<&Path>,
) -> Result<CalibrationFormat> {
    if let Some(format) = explicit {
        return Ok(match format {
            CalibrationFormatArg::Text => CalibrationFormat::Text,
            CalibrationFormatArg::Markdown => CalibrationFormat::Markdown,
            CalibrationFormatArg::Json => CalibrationFormat::Json,
            CalibrationFormatArg::Html => CalibrationFormat::Html,
        });
    }
    let Some(path) = out else {
        return Ok(CalibrationFormat::Text);
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Ok(CalibrationFormat::Json),
        Some("md" | "markdown") => Ok(CalibrationFormat::Markdown),
        Some("html" | "htm") => Ok(CalibrationFormat::Html),
        Some("txt") | None => Ok(CalibrationFormat::Text),
        Some(other) => anyhow::bail!(
            "{}: a calibration is written as .txt, .md, .json or .html, not .{other} (or say --format)",
            path.display()
        ),
    }
}

/// Reads an audit's JSON report.
pub(crate) fn read_audit(path: &Path) -> Result<ReportFile> {
    let file = File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    report_file::read(file).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))
}

/// Runs `callflow calibrate`.
pub fn run(args: CalibrateArgs, engine: &Engine) -> Result<ExitCode> {
    let format = format_for(args.format, args.out.as_deref())?;
    let audit = read_audit(&args.audit)?;
    let file = File::open(&args.human)
        .with_context(|| format!("{}: cannot read", args.human.display()))?;
    let judgements = human::read(file, &args.human.display().to_string(), &audit, engine)?;
    for rejected in &judgements.rejected {
        eprintln!(
            "callflow: {}: line {}: row rejected: {}",
            args.human.display(),
            rejected.line,
            rejected.reason
        );
    }
    let calibration = calibrate(&audit, judgements, engine);
    let text = render(&calibration, format);
    write_output(args.out.as_deref(), |o| o.write_all(text.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
