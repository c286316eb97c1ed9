//! The `callflow` command line: argument parsing (clap), dispatch, output and exit codes.
//!
//! Exit status: 0 when every call passed (incomplete calls do not fail a run), 1 when any call
//! failed, 2 for unusable input, a failed write, or a run that could not account for every
//! call, with one sentence on standard error.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::sim::history;
use crate::sim::pipeline::{self, AuditOptions, CallSink};
use crate::sim::render::html::{self, HtmlOptions, TranscriptLine};
use crate::sim::render::json::{render_call, JsonStream};
use crate::sim::render::{self, Format};
use crate::sim::report::{AuditReport, CallReport};
use crate::sim::sample::{SAMPLE_LOG, SAMPLE_NAME};
use crate::sim::simulate::{simulate, SimulateOptions};
use crate::sim::transcripts;
use crate::sim::LogReader;
use crate::workflows::explore::{self, Workflow};
use crate::workflows::{Config, Verdict};

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
    /// Write a simulated v1 call log, with injected faults and their answer key.
    Simulate(SimulateArgs),
}

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
}

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
}

/// `callflow transcripts --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TranscriptFormatArg {
    /// Markdown.
    Markdown,
    /// Plain text.
    Text,
}

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
}

/// `callflow graph --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Mermaid `stateDiagram-v2`.
    Mermaid,
    /// Graphviz dot.
    Dot,
}

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
    match cli.command {
        Command::Audit(args) => run_audit(args),
        Command::Graph(args) => run_graph(args),
        Command::Transcripts(args) => run_transcripts(args),
        Command::Simulate(args) => run_simulate(args),
    }
}

fn run_simulate(args: SimulateArgs) -> Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        anyhow::bail!("--fault-rate {} is not between 0 and 1", args.fault_rate);
    }
    let config = Arc::new(Config::default());
    let options = SimulateOptions {
        calls: args.calls,
        seed: args.seed,
        fault_rate: args.fault_rate,
    };
    let mut stats = None;
    write_output(Some(&args.out), |log| {
        match &args.answer_key {
            None => stats = Some(simulate(options, &config, log, None)?),
            Some(key_path) => write_output(Some(key_path), |key| {
                stats = Some(simulate(options, &config, log, Some(key))?);
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

fn run_transcripts(args: TranscriptsArgs) -> Result<ExitCode> {
    let config = Arc::new(Config::default());
    let workflows = workflows_named(args.workflow.as_deref())?;
    let paths = transcripts::clean_paths(&workflows, &config);
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
    let files = transcripts::transcripts(&paths, args.seed, args.flawed, format, &config);
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

/// The workflows a `--workflow` option names (all when `None`).
fn workflows_named(name: Option<&str>) -> Result<Vec<Workflow>> {
    match name {
        None => Ok(Workflow::ALL.to_vec()),
        Some(name) => Workflow::from_name(name).map(|w| vec![w]).ok_or_else(|| {
            let known: Vec<&str> = Workflow::ALL.iter().map(|w| w.name()).collect();
            anyhow::anyhow!("unknown workflow '{name}' (known: {})", known.join(", "))
        }),
    }
}

fn run_graph(args: GraphArgs) -> Result<ExitCode> {
    let workflows = workflows_named(args.workflow.as_deref())?;
    let mut text = String::new();
    for (i, workflow) in workflows.into_iter().enumerate() {
        let graph = explore::graph(workflow);
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

fn run_audit(args: AuditArgs) -> Result<ExitCode> {
    let config = Arc::new(Config::default());
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
                let totals = match reader.audit_into(config, options, &mut transcribe) {
                    Ok(totals) => totals,
                    // Writing the stream failed: the output's error, with its path.
                    Err(e @ crate::sim::Error::Write { .. }) => return Err(io::Error::other(e)),
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
            let totals = reader.audit_into(config, options, &mut transcribe)?;
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
        config: Arc<Config>,
        options: AuditOptions<'_>,
        sink: &mut dyn CallSink,
    ) -> Result<pipeline::Totals, crate::sim::Error> {
        match self {
            Input::File(r) => pipeline::audit_into(r, config, options, sink),
            Input::Sample(r) => pipeline::audit_into(r, config, options, sink),
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

/// A progress bar on standard error for long runs on a terminal; hidden otherwise.
fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    const WORTH_SHOWING: u64 = 8 << 20;
    if quiet || total < WORTH_SHOWING || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} auditing [{wide_bar}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Bytes written to `--out` (or standard output) at a time: a large report goes out in a few
/// hundred system calls rather than tens of thousands.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// Writes through a buffer of [`OUTPUT_BUFFER`] bytes, then flushes it.
fn write_buffered(
    to: impl Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(OUTPUT_BUFFER, to);
    write(&mut buffered)?;
    buffered.flush()
}

/// Writes to `--out` atomically (a temporary file beside it, renamed on success), or to
/// standard output.
///
/// Only a regular file is replaced that way. A device, a FIFO or a socket (`--out /dev/null`,
/// `--out /dev/stdout`, a named pipe) is written to in place: renaming a file over it would
/// replace the device itself (as root, `/dev/null` would become a plain file). A symbolic link
/// keeps pointing where it did: the file it points to is the one replaced.
fn write_output(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match out {
        None => {
            write_buffered(io::stdout().lock(), write)?;
        }
        Some(path) => {
            let cannot = || format!("{}: cannot write", path.display());
            if let Ok(existing) = fs::metadata(path) {
                if existing.is_dir() {
                    anyhow::bail!("{}: is a folder, not a file to write", path.display());
                }
                if !existing.is_file() {
                    let file = fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .with_context(cannot)?;
                    write_buffered(file, write).with_context(cannot)?;
                    return Ok(());
                }
            }
            let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            let resolved = if is_link {
                fs::canonicalize(path).with_context(cannot)?
            } else {
                path.to_path_buf()
            };
            let path = resolved.as_path();
            let cannot = || format!("{}: cannot write", path.display());
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let mut file = tempfile::NamedTempFile::new_in(dir).with_context(cannot)?;
            write_buffered(file.as_file_mut(), write).with_context(cannot)?;
            keep_permissions(file.path(), path);
            file.persist(path).with_context(cannot)?;
        }
    }
    Ok(())
}

/// A temporary file is created readable by its owner only; the output gets the permissions of
/// the file it replaces, or those of a newly created file.
fn keep_permissions(temporary: &Path, target: &Path) {
    let permissions = match fs::metadata(target) {
        Ok(existing) => existing.permissions(),
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::Permissions::from_mode(0o644)
            }
            #[cfg(not(unix))]
            {
                return;
            }
        }
    };
    let _ = fs::set_permissions(temporary, permissions);
}
