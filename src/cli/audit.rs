//! `callflow audit`: replays a log through the machines and reports what each call did.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::ValueEnum;

use super::output::{progress_bar, write_output_then};
use crate::audit::diff::DiffBuilder;
use crate::audit::history::{self, IndexEntry};
use crate::audit::identity::PolicyIdentity;
use crate::audit::memory::MemoryLimit;
use crate::audit::overrides::Overrides;
use crate::audit::pipeline::{self, AuditOptions, CallSink};
use crate::audit::reader::ReadOptions;
use crate::audit::rejection;
use crate::audit::render::html::{self, HtmlOptions};
use crate::audit::render::json::{render_call, JsonStream};
use crate::audit::render::{self, Format};
use crate::audit::report::{AuditReport, CallReport, Rejected, RowCounts};
use crate::audit::sample::{SAMPLE_LOG, SAMPLE_NAME};
use crate::audit::tag::NoStepRows;
use crate::audit::LogReader;
use crate::history::{CallRecord, History, RunRecord};
use crate::workflows::{Engine, Verdict};

/// `callflow audit`
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The call log (CSV, v1). Without one (and without --turns or --contact-lens), the
    /// bundled sample log is audited as a demonstration (exit status 0 whatever its calls'
    /// verdicts).
    #[arg(conflicts_with_all = ["turns", "contact_lens"])]
    pub log: Option<PathBuf>,
    /// Audit transcripts instead of a log: tagged as `callflow tag` does, then audited.
    #[command(flatten)]
    pub transcript: super::tag::TranscriptOption,
    /// With --turns or --contact-lens: the facts log (call_started, call_ended, dates,
    /// desktop actions).
    #[arg(long, value_name = "FILE")]
    pub facts: Option<PathBuf>,
    /// Output format. Default: from the --out file's extension (.txt, .json, .csv, .md, .html;
    /// another extension is an error), else text.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write the report to this file (atomically: a failed run leaves no partial file).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads, 64 at most: each splits blocks of the log into records and replays
    /// its share of the calls, while the reading thread reads the log, hashes it and writes
    /// the report (1: everything on one thread). Default: the machine's cores plus one (one
    /// on a single core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// What the calls open at once may take in memory (`256M`, `2G`, `512K`, bytes); past
    /// it, the calls idle longest wait in a spill file in TMPDIR and come back when a row of
    /// theirs arrives. The report is the same. Default: an eighth of the machine's memory,
    /// between 256M and 2G.
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<MemoryLimit>,
    /// No progress bar (it shows only on a terminal, for files of 8 MiB or more).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write the transcript of each failed or incomplete call as it happened (its
    /// findings in plain words, the lines they concern marked), one Markdown file per call in
    /// this folder, with an index.md listing them.
    #[arg(long)]
    pub transcripts: Option<PathBuf>,
    /// The rules (`--policy FILE`).
    #[command(flatten)]
    pub policy: super::PolicyOption,
    /// With --transcripts: every call, passing ones included.
    #[arg(long, requires = "transcripts")]
    pub all: bool,
    /// The log's field separator: a character (`;`, `|`) or `tab`. Default: a comma, or `;`
    /// or a tab when the header has no comma but one of them.
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// What-if: also judge every call under this policy file (the old rules), in the same
    /// pass over the log, and report what changes from it to the audit's policy (`--policy`,
    /// else the built-in one). The report (`--out`) is the audit under the new policy, the
    /// same bytes as without --compare; the exit status is its.
    #[arg(long, value_name = "OLD_POLICY")]
    pub compare: Option<PathBuf>,
    /// With --compare: write the comparison to this file (format from its extension: .txt,
    /// .md, .json, .html). Without it, the comparison goes to standard output as text.
    #[arg(long, requires = "compare")]
    pub diff_out: Option<PathBuf>,
    /// Reviewers' decisions on disputed findings: a CSV `call_id,code,action,reason,reviewer,
    /// date` (and optionally `line`), `action` `remove` or `add`. Overridden findings stay in
    /// the report, marked; scores and verdicts are judged again from what counts. An override
    /// that does not fit the log exits 2 with its line, and nothing is written.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    /// Also store the run and each call's result in this history database: a SQLite file
    /// (created if missing) or a `postgres://` address. The report and the stored run happen
    /// together or not at all (a history failure is exit 2, no report file).
    #[arg(long, value_name = "DB")]
    pub history: Option<String>,
}

/// `--delimiter`: one ASCII character other than a quote or a line break, or `tab`.
fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        _ => match text.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Ok(*b),
            _ => Err(format!(
                "'{text}' is not a separator: give one character (',', ';', '|') or 'tab'"
            )),
        },
    }
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A summary to read in 30 seconds.
    Text,
    /// The callflow-audit/1 JSON contract.
    Json,
    /// One row per finding (findings.csv).
    Csv,
    /// One row per call, passing ones included.
    CallsCsv,
    /// Summary and per-call detail.
    Markdown,
    /// One self-contained HTML page with charts, filters and every failed call (open it in a
    /// browser).
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::CallsCsv => Format::CallsCsv,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
        }
    }
}

/// The format: `--format`, else the extension of `--out`, else text. An extension callflow
/// does not write is an error (`--out r.xlsx` would otherwise get text).
fn format_for(explicit: Option<FormatArg>, out: Option<&Path>) -> Result<Format> {
    if let Some(f) = explicit {
        return Ok(f.into());
    }
    let Some(out) = out else {
        return Ok(Format::Text);
    };
    let Some(extension) = out.extension() else {
        return Ok(Format::Text);
    };
    Ok(
        match extension.to_string_lossy().to_ascii_lowercase().as_str() {
            "json" => Format::Json,
            "csv" => Format::Csv,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "txt" | "text" => Format::Text,
            other => anyhow::bail!(
            "{}: callflow does not write .{other} files: give --out a .txt, .json, .csv, .md or \
             .html name, or choose the format with --format (text, json, csv, calls-csv, \
             markdown, html)",
            out.display()
        ),
        },
    )
}

/// The workers when `--threads` is not given: one per core and one more, so that the
/// workers keep both cores of a 2-core machine busy while the reading thread takes its
/// fifth of one (measured: docs/PERFORMANCE.md, "Both cores read"); one thread on one core.
fn default_workers() -> usize {
    match std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get) {
        1 => 1,
        cores => cores + 1,
    }
}

/// Runs `callflow audit`; `compared` is the engine of `--compare`'s policy.
pub fn run(
    args: AuditArgs,
    engine: &Arc<Engine>,
    compared: Option<&Arc<Engine>>,
) -> Result<ExitCode> {
    let threads = args.threads.unwrap_or_else(default_workers);
    if threads == 0 {
        anyhow::bail!("--threads must be at least 1");
    }
    let format = format_for(args.format, args.out.as_deref())?;
    let diff_format = match compared {
        Some(_) => Some(super::diff::diff_format(None, args.diff_out.as_deref())?),
        None => None,
    };
    if compared.is_some() && args.diff_out.is_none() && args.out.is_none() && format != Format::Text
    {
        anyhow::bail!(
            "--compare writes its comparison to standard output, where this {} report \
             would go too: give the report a file (--out) or the comparison one (--diff-out)",
            format!("{format:?}").to_lowercase()
        );
    }
    // Read before the log, so that a bad overrides file stops the run at once.
    let overrides = match &args.overrides {
        Some(path) => Some(read_overrides(path, engine)?),
        None => None,
    };
    // Opened (and migrated) before the log: a history that cannot be used fails the run at once.
    let mut history = args.history.as_deref().map(History::open).transpose()?;
    let read = ReadOptions {
        delimiter: args.delimiter,
    };
    if args.transcript.given() != args.facts.is_some() {
        anyhow::bail!("--turns or --contact-lens and --facts go together: the transcripts and what the systems recorded");
    }
    // With transcripts: each call's utterances read as no step, for its transcript.
    let mut no_step = NoStepRows::default();
    let reader = match &args.log {
        None if args.transcript.given() => {
            let facts = args.facts.as_deref().unwrap_or(Path::new(""));
            let mut log = Vec::new();
            let outcome = super::tag::tag_into(engine, &args.transcript, facts, &mut log)?;
            no_step = NoStepRows::of(&outcome);
            let name = format!("{} (tagged)", args.transcript.name());
            Input::Tagged(LogReader::with_options(io::Cursor::new(log), &name, read)?)
        }
        Some(path) => Input::File(LogReader::open_with(path, read)?),
        None => Input::Sample(LogReader::with_options(
            SAMPLE_LOG.as_bytes(),
            SAMPLE_NAME,
            read,
        )?),
    };
    let notes = reader.notes().to_vec();
    let source = reader.name().to_owned();
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
        history: args.transcripts.is_some() || matches!(format, Format::Html | Format::Markdown),
        render: None,
        compare: compared,
        memory_limit: Some(args.memory_limit.unwrap_or_default()),
        ..AuditOptions::default()
    };
    if let Some(note) = options.memory_limit_note() {
        eprintln!("callflow: note: {note}");
    }
    let transcripts = args.transcripts.clone().map(|dir| Transcripts {
        dir,
        all: args.all,
        engine: Arc::clone(engine),
        written: Vec::new(),
        names: history::TranscriptNames::default(),
        audited: 0,
    });
    let mut any_failed = false;
    let mut transcripts_done = None;
    let mut comparing = Comparing::default();
    let mut log = None;
    match format {
        // With overrides, every call is checked before anything is written: no stream.
        Format::Json if overrides.is_none() => {
            // A failed audit, told as itself (not as a write of the report that failed).
            let mut failed = None;
            // The run to store, once the audit is done; the run stored, once committed.
            let run = std::cell::RefCell::new(None);
            let recording = history.is_some();
            let committed = std::cell::Cell::new(None);
            // The JSON report streams: calls go out as they finish (nothing is written before
            // the first one, so that an unusable log leaves no report).
            let written = write_output_then(
                args.out.as_deref(),
                |out| {
                    let mut stream = JsonStream::start(out)?
                        .with_engine(Arc::clone(engine))
                        .with_policy(PolicyIdentity::of(engine));
                    let mut recorder = Recorder::new(recording, &mut stream);
                    let mut compare = comparing.around(&mut recorder);
                    let mut transcribe = Transcribe::new(transcripts, no_step, &mut compare);
                    // Each call's JSON is rendered on its replay worker, which then lets go of
                    // its findings and inquiries; a run stored in the history keeps them for
                    // the store, and the stream renders each call as it goes out.
                    let options = AuditOptions {
                        render: (!recording).then_some(render_call as pipeline::RenderCall),
                        ..options
                    };
                    let totals =
                        match reader.audit_into(Arc::clone(engine), options, &mut transcribe) {
                            Ok(totals) => totals,
                            // Writing the stream failed: the output's own error, which
                            // `write_output_then` gives with the output's path.
                            Err(crate::audit::Error::Write { source, .. }) => return Err(source),
                            Err(e) => {
                                failed = Some(e.into());
                                return Err(io::Error::other("the audit failed"));
                            }
                        };
                    if let Err(e) = usable(&source, &totals.rows, &totals.rejected) {
                        failed = Some(e);
                        return Err(io::Error::other("the log is unusable"));
                    }
                    let Transcribe { result, sink, .. } = transcribe;
                    transcripts_done = Some(sink.map(|t| (t, result)));
                    comparing = compare.done();
                    log = Some(totals.log.clone());
                    if let Some(calls) = recorder.calls {
                        let report =
                            AuditReport::new(source.clone(), totals.rows, Vec::new(), Vec::new())
                                .with_log(totals.log.clone())
                                .with_engine(Arc::clone(engine));
                        *run.borrow_mut() = Some(RunRecord::new(
                            crate::history::record::identity(&report),
                            totals.rows,
                            calls,
                        ));
                    }
                    any_failed = stream.finish(&totals)?;
                    warn(&totals.rows, &totals.rejected, &notes, true);
                    if let Some(note) = totals.spill_note() {
                        eprintln!("callflow: note: {note}");
                    }
                    Ok(())
                },
                || store(history.as_mut(), run.borrow().as_ref(), &committed),
            );
            if let Some(e) = failed {
                return Err(e);
            }
            undo_if_failed(&written, history.as_mut(), committed.get());
            written?;
        }
        _ => {
            let mut calls = KeepHistoryOfFlagged(Vec::new());
            let mut compare = comparing.around(&mut calls);
            let mut transcribe = Transcribe::new(transcripts, no_step, &mut compare);
            let totals = match overrides {
                None => reader.audit_into(Arc::clone(engine), options, &mut transcribe)?,
                Some(overrides) => {
                    // Applied as each call ends; checked when all have (DECISIONS.md, #21).
                    let mut applying = ApplyOverrides {
                        overrides,
                        engine: Arc::clone(engine),
                        calls: Vec::new(),
                    };
                    let totals = reader.audit_into(Arc::clone(engine), options, &mut applying)?;
                    usable(&source, &totals.rows, &totals.rejected)?;
                    applying.overrides.finish()?;
                    for call in applying.calls {
                        transcribe.call(call)?;
                    }
                    totals
                }
            };
            usable(&source, &totals.rows, &totals.rejected)?;
            // On standard error only: the report is the same whatever the memory limit.
            let spill_note = totals.spill_note();
            let Transcribe { result, sink, .. } = transcribe;
            transcripts_done = Some(sink.map(|t| (t, result)));
            comparing = compare.done();
            log = Some(totals.log.clone());
            let report = AuditReport::new(source.clone(), totals.rows, totals.rejected, calls.0)
                .with_log(totals.log)
                .with_engine(Arc::clone(engine))
                .with_notes(notes.clone());
            any_failed = report.any_failed();
            // Stored but not committed: the HTML's agent trends see this run too.
            let staged = match history.as_mut() {
                Some(history) => Some(history.stage(&RunRecord::of(&report))?),
                None => None,
            };
            let agent_history = match (format, history.as_mut()) {
                (Format::Html, Some(history)) => Some(super::trend::agent_history(history)?),
                _ => None,
            };
            let committed = std::cell::Cell::new(None);
            let written = write_output_then(
                args.out.as_deref(),
                |out| match format {
                    Format::Html => {
                        let html_options = HtmlOptions {
                            created: Some(chrono::DateTime::<chrono::Utc>::from(
                                std::time::SystemTime::now(),
                            )),
                            agent_history,
                            ..HtmlOptions::default()
                        };
                        html::write_with(&report, &html_options, out)
                    }
                    _ => render::render(&report, format, out),
                },
                || match history.as_mut() {
                    Some(history) => {
                        history.commit()?;
                        committed.set(staged);
                        Ok(())
                    }
                    None => Ok(()),
                },
            );
            undo_if_failed(&written, history.as_mut(), committed.get());
            written?;
            let shows_notes = matches!(format, Format::Text | Format::Markdown | Format::Html);
            warn(&report.rows, &report.rejected, &notes, !shows_notes);
            if let Some(note) = spill_note {
                eprintln!("callflow: note: {note}");
            }
        }
    }
    if let Some(Some((transcripts, result))) = transcripts_done {
        result?;
        transcripts.finish(&source)?;
    }
    if let (Some(old), Some(diff_format)) = (compared, diff_format) {
        let diff = comparing.builder.finish(
            log,
            Some(old.policy_fingerprint().to_owned()),
            Some(engine.policy_fingerprint().to_owned()),
        );
        super::diff::write(&diff, diff_format, args.diff_out.as_deref())?;
    }
    bar.finish_and_clear();
    // The bundled sample is a demonstration: its failures are there on purpose.
    let demonstration = args.log.is_none() && !args.transcript.given();
    Ok(if any_failed && !demonstration {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads `--overrides FILE`.
fn read_overrides(path: &Path, engine: &Engine) -> Result<Overrides> {
    let file = fs::File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(Overrides::read(file, &path.display().to_string(), engine)?)
}

/// Applies the overrides to each call as it ends, and keeps the calls (rows included) until
/// all are checked.
struct ApplyOverrides {
    overrides: Overrides,
    engine: Arc<Engine>,
    calls: Vec<CallReport>,
}

impl CallSink for ApplyOverrides {
    fn call(&mut self, mut report: CallReport) -> io::Result<()> {
        self.overrides.apply(&mut report, &self.engine);
        self.calls.push(report);
        Ok(())
    }
}

/// Stores the run of a streamed audit in one transaction.
fn store(
    history: Option<&mut History>,
    run: Option<&RunRecord>,
    committed: &std::cell::Cell<Option<i64>>,
) -> Result<()> {
    if let (Some(history), Some(run)) = (history, run) {
        committed.set(Some(history.record(run)?));
    }
    Ok(())
}

/// A report that could not be put in place after its run was committed (the rename failed):
/// the run is deleted again, so that neither is left (best effort; the error is the write's).
fn undo_if_failed(written: &Result<()>, history: Option<&mut History>, committed: Option<i64>) {
    if let (Err(_), Some(history), Some(run)) = (written, history, committed) {
        if let Err(e) = history.delete(run) {
            eprintln!(
                "callflow: warning: run {run} was stored but its report was not written, \
                 and deleting it failed: {e}"
            );
        }
    }
}

/// Records each call for the history (when there is one) before passing it on.
struct Recorder<'a> {
    calls: Option<Vec<CallRecord>>,
    inner: &'a mut dyn CallSink,
}

impl<'a> Recorder<'a> {
    fn new(record: bool, inner: &'a mut dyn CallSink) -> Recorder<'a> {
        Recorder {
            calls: record.then(Vec::new),
            inner,
        }
    }
}

impl CallSink for Recorder<'_> {
    fn call(&mut self, report: CallReport) -> io::Result<()> {
        if let Some(calls) = self.calls.as_mut() {
            calls.push(CallRecord::of(&report));
        }
        self.inner.call(report)
    }
}

/// A log with rows none of which could be replayed is unusable: exit 2, no report.
fn usable(source: &str, rows: &RowCounts, rejected: &[Rejected]) -> Result<()> {
    match rejection::nothing_replayed(rows, rejected) {
        Some(why) => Err(crate::audit::Error::NothingReplayed {
            source_name: source.to_owned(),
            why,
        }
        .into()),
        None => Ok(()),
    }
}

/// On standard error: a warning when most rows were rejected, and the reader's notes when
/// the report does not show them.
fn warn(rows: &RowCounts, rejected: &[Rejected], notes: &[String], with_notes: bool) {
    if with_notes {
        for note in notes {
            eprintln!("callflow: note: {note}");
        }
    }
    if let Some(warning) = rejection::mostly_rejected(rows, rejected) {
        eprintln!("callflow: warning: {warning}");
    }
}

/// The log to audit: a file, or the bundled sample.
enum Input {
    File(LogReader<fs::File>),
    Sample(LogReader<&'static [u8]>),
    Tagged(LogReader<io::Cursor<Vec<u8>>>),
}

impl Input {
    fn name(&self) -> &str {
        match self {
            Input::File(r) => r.source_name(),
            Input::Sample(r) => r.source_name(),
            Input::Tagged(r) => r.source_name(),
        }
    }

    fn notes(&self) -> &[String] {
        match self {
            Input::File(r) => r.notes(),
            Input::Sample(r) => r.notes(),
            Input::Tagged(r) => r.notes(),
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
            Input::Tagged(r) => pipeline::audit_into(r, engine, options, sink),
        }
    }
}

/// The transcripts folder (`--transcripts DIR`): the files written so far and their index.
struct Transcripts {
    dir: PathBuf,
    /// Every call, passing ones included (`--all`).
    all: bool,
    /// The engine the calls were judged by: each call's transcript explains its findings
    /// under the policy version of its call date.
    engine: Arc<Engine>,
    written: Vec<IndexEntry>,
    /// File names taken (two call ids may make the same name).
    names: history::TranscriptNames,
    /// Calls seen.
    audited: u64,
}

impl Transcripts {
    /// Writes a call's transcript when it is to be written.
    fn call(&mut self, report: &CallReport) -> Result<()> {
        self.audited += 1;
        if !self.all && report.verdict == Verdict::Pass {
            return Ok(());
        }
        if self.written.is_empty() {
            fs::create_dir_all(&self.dir)
                .with_context(|| format!("{}: cannot create the folder", self.dir.display()))?;
        }
        let name = self.names.take(&report.call_id);
        let path = self.dir.join(&name);
        let rules = self.engine.rules_on(report.call_date).1;
        let text = history::render(report, Some(rules));
        fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))?;
        self.written.push(IndexEntry::of(report, name, Some(rules)));
        Ok(())
    }

    /// Writes `index.md`.
    fn finish(self, source: &str) -> Result<()> {
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("{}: cannot create the folder", self.dir.display()))?;
        let path = self.dir.join("index.md");
        let text = history::index(source, self.written, self.audited, self.all);
        fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))
    }
}

/// Writes each call's transcript into a folder (when one is given) before passing the call on.
struct Transcribe<'a> {
    sink: Option<Transcripts>,
    /// Tagged calls' utterances read as no step, put among their rows first.
    no_step: NoStepRows,
    inner: &'a mut dyn CallSink,
    result: Result<()>,
}

impl<'a> Transcribe<'a> {
    fn new(
        sink: Option<Transcripts>,
        no_step: NoStepRows,
        inner: &'a mut dyn CallSink,
    ) -> Transcribe<'a> {
        Transcribe {
            sink,
            no_step,
            inner,
            result: Ok(()),
        }
    }
}

impl CallSink for Transcribe<'_> {
    fn call(&mut self, mut report: CallReport) -> io::Result<()> {
        self.no_step.attach(&mut report);
        if let (Some(sink), Ok(())) = (self.sink.as_mut(), &self.result) {
            self.result = sink.call(&report);
        }
        self.inner.call(report)
    }
}

/// Compares each call's two judgements (`--compare`) as it passes on to the report: the
/// comparison keeps the calls that changed, not the log.
#[derive(Default)]
struct Comparing {
    builder: DiffBuilder,
}

impl Comparing {
    /// Compares the calls on their way to `inner`.
    fn around<'a>(&mut self, inner: &'a mut dyn CallSink) -> CompareSink<'a> {
        CompareSink {
            builder: std::mem::take(&mut self.builder),
            inner,
        }
    }
}

/// [`Comparing`] while calls pass.
struct CompareSink<'a> {
    builder: DiffBuilder,
    inner: &'a mut dyn CallSink,
}

impl CompareSink<'_> {
    fn done(self) -> Comparing {
        Comparing {
            builder: self.builder,
        }
    }
}

impl CallSink for CompareSink<'_> {
    fn call(&mut self, mut report: CallReport) -> io::Result<()> {
        if let Some(compared) = report.compared.take() {
            self.builder.add(&compared.before, &compared.after);
        }
        self.inner.call(report)
    }
}

/// Collects calls, keeping the rows only of those the reports show transcripts of (failed,
/// incomplete).
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
