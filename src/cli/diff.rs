//! `callflow diff BEFORE.json AFTER.json`: what-if, from two audits of the same log.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::output::write_output;
use crate::audit::diff::{compare, read_report, render, DiffFormat, ReportDiff};

/// `callflow diff`
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The audit before (a JSON report: `callflow audit LOG --out before.json`).
    pub before: PathBuf,
    /// The audit after, of the same log (under another policy, say).
    pub after: PathBuf,
    /// Output format. Default: from the --out file's extension (.json, .md, .html), else text.
    #[arg(long, value_enum)]
    pub format: Option<DiffFormatArg>,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `callflow diff --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatArg {
    /// A summary to read on a terminal.
    Text,
    /// Markdown tables.
    Markdown,
    /// `callflow-diff/1` JSON.
    Json,
    /// One self-contained HTML page.
    Html,
}

/// The format a diff is written in: `--format`, else the file's extension, else text. An
/// extension that names no format is an error.
pub fn diff_format(explicit: Option<DiffFormatArg>, out: Option<&Path>) -> Result<DiffFormat> {
    if let Some(format) = explicit {
        return Ok(match format {
            DiffFormatArg::Text => DiffFormat::Text,
            DiffFormatArg::Markdown => DiffFormat::Markdown,
            DiffFormatArg::Json => DiffFormat::Json,
            DiffFormatArg::Html => DiffFormat::Html,
        });
    }
    let Some(path) = out else {
        return Ok(DiffFormat::Text);
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Ok(DiffFormat::Json),
        Some("md" | "markdown") => Ok(DiffFormat::Markdown),
        Some("html" | "htm") => Ok(DiffFormat::Html),
        Some("txt") | None => Ok(DiffFormat::Text),
        Some(other) => anyhow::bail!(
            "{}: a diff is written as .txt, .md, .json or .html, not .{other} (or say --format)",
            path.display()
        ),
    }
}

/// Runs `callflow diff`.
pub fn run(args: DiffArgs) -> Result<ExitCode> {
    let format = diff_format(args.format, args.out.as_deref())?;
    let read = |path: &Path| {
        let file = File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
        read_report(file).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))
    };
    let before = read(&args.before)?;
    let after = read(&args.after)?;
    let diff = compare(before, after).map_err(|why| {
        anyhow::anyhow!(
            "cannot compare {} with {}: {why}",
            args.before.display(),
            args.after.display()
        )
    })?;
    write(&diff, format, args.out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a diff to `--out` (atomically) or standard output.
pub fn write(diff: &ReportDiff, format: DiffFormat, out: Option<&Path>) -> Result<()> {
    let text = render(diff, format);
    write_output(out, |o| o.write_all(text.as_bytes()))
}
