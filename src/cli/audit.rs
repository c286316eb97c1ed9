//! `callflow audit`: replays a log through the machines and reports what each call did.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::output::{progress_bar, write_output};
use crate::audit::history;
use crate::audit::pipeline::{self, AuditOptions, CallSink};
use crate::audit::render::html::{self, HtmlOptions, TranscriptLine};
use crate::audit::render::json::{render_call, JsonStream};
use crate::audit::render::{self, Format};
use crate::audit::report::{AuditReport, CallReport};
use crate::audit::sample::{SAMPLE_LOG, SAMPLE_NAME};
use crate::audit::LogReader;
use crate::workflows::{Engine, Verdict};

/// `callflow audit`
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The call log (CSV, v1). Without one, the bundled sample log is audited as a
    /// demonstration (exit status 0 whatever its calls' verdicts).
    pub log: Option<PathBuf>,
    /// Output format. Default: from the --out file's extension (.json, .csv, .md, .html),
    /// else text.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write the report to this file (atomically: a failed run leaves no partial file).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Threads in all: the reading thread, which also replays a share of the calls, and
    /// replay workers for the rest, 64 at most (1: everything on one thread). Default: the
    /// machine's cores.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar (it shows only on a terminal, for files of 8 MiB or more).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write each call's transcript as it happened, with the findings beside the lines
    /// they concern, one Markdown file per call in this folder.
    #[arg(long)]
    pub transcripts: Option<PathBuf>,
    /// The rules (`--policy FILE`).
    #[command(flatten)]
    pub policy: super::PolicyOption,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A summary to read in 30 seconds.
    Text,
    /// The callflow-audit/1 JSON contract.
    Json,
    /// One row per finding.
    Csv,
    /// Summary and per-call detail.
    Markdown,
    /// One self-contained HTML page with charts (open it in a browser).
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
        }
    }
}

fn format_for(explicit: Option<FormatArg>, out: Option<&Path>) -> Format {
    if let Some(f) = explicit {
        return f.into();
    }
    match out.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some("md" | "markdown") => Format::Markdown,
        Some("html" | "htm") => Format::Html,
        _ => Format::Text,
    }
}

/// Runs `callflow audit`.
pub fn run(args: AuditArgs, engine: &Arc<Engine>) -> Result<ExitCode> {
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    if threads == 0 {
        anyhow::bail!("--threads must be at least 1");
    }
    let format = format_for(args.format, args.out.as_deref());
    let reader = match &args.log {
        Some(path) => Input::File(LogReader::open(path)?),
        None => Input::Sample(LogReader::new(SAMPLE_LOG.as_bytes(), SAMPLE_NAME)?),
    };
    let size = args
        .log
        .as_deref()
        .and_then(|p| fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    let bar = progress_bar(size, args.quiet);
    let tick = |bytes: u64| bar.set_position(bytes);
    let options = AuditOptions {
        threads,
        progress: Some(&tick),
        history: args.transcripts.is_some() || format == Format::Html,
        render: None,
    };
    if let Some(dir) = &args.transcripts {
        fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    }
    let mut any_failed = false;
    match format {
        Format::Json => {
            // A failed audit, told as itself (not as a write of the report that failed).
            let mut failed = None;
            // The JSON report streams: calls go out as they finish.
            let written = write_output(args.out.as_deref(), |out| {
                let mut stream = JsonStream::start(out)?;
                let mut transcribe = Transcribe::new(args.transcripts.as_deref(), &mut stream);
                // Each call's JSON is rendered on its replay worker.
                let options = AuditOptions {
                    render: Some(render_call),
                    ..options
                };
                let totals = match reader.audit_into(Arc::clone(engine), options, &mut transcribe) {
                    Ok(totals) => totals,
                    // Writing the stream failed: the output's error, with its path.
                    Err(e @ crate::audit::Error::Write { .. }) => return Err(io::Error::other(e)),
                    Err(e) => {
                        failed = Some(e);
                        return Err(io::Error::other("the audit failed"));
                    }
                };
                transcribe.result.map_err(io::Error::other)?;
                any_failed = stream.finish(&totals)?;
                Ok(())
            });
            if let Some(e) = failed {
                return Err(e.into());
            }
            written?;
        }
        _ => {
            let source = reader.name().to_owned();
            let mut calls = KeepHistoryOfFlagged(Vec::new());
            let mut transcribe = Transcribe::new(args.transcripts.as_deref(), &mut calls);
            let totals = reader.audit_into(Arc::clone(engine), options, &mut transcribe)?;
            transcribe.result?;
            let report = AuditReport::new(source, totals.rows, totals.rejected, calls.0);
            any_failed = report.any_failed();
            write_output(args.out.as_deref(), |out| match format {
                Format::Html => {
                    let source = |call: &CallReport| html_transcript(call);
                    let html_options = HtmlOptions {
                        transcript: Some(&source),
                        ..HtmlOptions::default()
                    };
                    html::write_with(&report, &html_options, out)
                }
                _ => render::render(&report, format, out),
            })?;
        }
    }
    bar.finish_and_clear();
    // The bundled sample is a demonstration: its failures are there on purpose.
    let demonstration = args.log.is_none();
    Ok(if any_failed && !demonstration {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The log to audit: a file, or the bundled sample.
enum Input {
    File(LogReader<fs::File>),
    Sample(LogReader<&'static [u8]>),
}

impl Input {
    fn name(&self) -> &str {
        match self {
            Input::File(r) => r.source_name(),
            Input::Sample(r) => r.source_name(),
        }
    }

    fn audit_into(
        self,
        engine: Arc<Engine>,
        options: AuditOptions<'_>,
        sink: &mut dyn CallSink,
    ) -> Result<pipeline::Totals, crate::audit::Error> {
        match self {
            Input::File(r) => pipeline::audit_into(r, engine, options, sink),
            Input::Sample(r) => pipeline::audit_into(r, engine, options, sink),
        }
    }
}

/// Writes each call's transcript into a folder (when one is given) before passing the call on.
struct Transcribe<'a> {
    dir: Option<&'a Path>,
    inner: &'a mut dyn CallSink,
    result: Result<()>,
}

impl<'a> Transcribe<'a> {
    fn new(dir: Option<&'a Path>, inner: &'a mut dyn CallSink) -> Transcribe<'a> {
        Transcribe {
            dir,
            inner,
            result: Ok(()),
        }
    }
}

impl CallSink for Transcribe<'_> {
    fn call(&mut self, report: CallReport) -> io::Result<()> {
        if let (Some(dir), Ok(())) = (self.dir, &self.result) {
            let path = dir.join(history::file_name(&report.call_id));
            let text = history::render(&report);
            if let Err(e) = fs::write(&path, text) {
                self.result =
                    Err(anyhow::Error::new(e).context(format!("{}: cannot write", path.display())));
            }
        }
        self.inner.call(report)
    }
}

/// Collects calls, keeping the rows only of those the HTML report lists (failed, incomplete).
struct KeepHistoryOfFlagged(Vec<CallReport>);

impl CallSink for KeepHistoryOfFlagged {
    fn call(&mut self, mut report: CallReport) -> io::Result<()> {
        if report.verdict == Verdict::Pass {
            report.history = None;
        }
        self.0.push(report);
        Ok(())
    }
}

/// A call's rows as the HTML report's transcript lines.
fn html_transcript(call: &CallReport) -> Option<Vec<TranscriptLine>> {
    let rows = call.history.as_ref()?;
    Some(
        rows.iter()
            .map(|row| TranscriptLine {
                line: row.line,
                time: row.timestamp.clone(),
                speaker: row.event.clone(),
                text: match (row.value.is_empty(), row.text.is_empty()) {
                    (true, true) => String::new(),
                    (false, true) => row.value.clone(),
                    (true, false) => format!("\u{201c}{}\u{201d}", row.text),
                    (false, false) => format!("{}: \u{201c}{}\u{201d}", row.value, row.text),
                },
            })
            .collect(),
    )
}
