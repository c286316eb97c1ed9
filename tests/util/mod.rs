//! Shared helpers: the logs under `tests/logs/`, the audit through the library, the built
//! binary, a fresh temporary folder per test, insta settings and the snapshots' names, and the
//! exact-expectation and invariant checks every log goes through.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

pub mod postgres;

use callflow::audit::render::{self, Format};
use callflow::audit::report::CallReport;
use callflow::audit::sample::{SAMPLE_LOG, SAMPLE_NAME};
use callflow::audit::{audit, AuditReport, LogReader};
use callflow::gen::handout;
use callflow::gen::transcripts::{
    clean_paths, transcripts, Difficulty, TranscriptFile, TranscriptFormat,
};
use callflow::workflows::explore::{Graph, Workflow};
use callflow::workflows::{Engine, Verdict};

/// The built-in engine, shared by the tests.
pub fn engine() -> Arc<Engine> {
    static ENGINE: std::sync::OnceLock<Arc<Engine>> = std::sync::OnceLock::new();
    Arc::clone(ENGINE.get_or_init(|| Arc::new(Engine::builtin())))
}

/// A simulated log of `calls` calls (30% with faults), as `callflow simulate` writes it.
pub fn simulated_log(calls: u64, seed: u64) -> Vec<u8> {
    let mut log = Vec::new();
    let options = callflow::gen::simulate::SimulateOptions {
        calls,
        seed,
        fault_rate: 0.3,
    };
    callflow::gen::simulate::simulate(options, &engine(), &mut log, None).expect("a log");
    log
}

/// The JSON report of `log` (named `name`) audited through the pipeline with `options`.
pub fn json_report(
    log: &[u8],
    name: &str,
    options: callflow::audit::pipeline::AuditOptions<'_>,
) -> String {
    let report = callflow::audit::pipeline::audit_report(
        LogReader::new(log, name).expect("a header"),
        Arc::new(Engine::builtin()),
        options,
    )
    .expect("an audit");
    let mut out = Vec::new();
    render::render(&report, Format::Json, &mut out).expect("JSON");
    String::from_utf8(out).expect("UTF-8")
}

/// Block sizes that cut a small log everywhere: inside fields, quotes and `\r\n`, and
/// between calls.
pub const TINY_BLOCKS: [usize; 5] = [1, 2, 7, 64, 4096];

/// Asserts that the log read in blocks of every [`TINY_BLOCKS`] size by 2 and 3 threads
/// gives `report` exactly (its JSON, rejected rows and books included).
pub fn same_in_blocks(report: &AuditReport, log: &[u8], name: &str) {
    let mut expected = Vec::new();
    render::render(report, Format::Json, &mut expected).expect("JSON");
    let expected = String::from_utf8(expected).expect("UTF-8");
    for threads in [2, 3] {
        for block_size in TINY_BLOCKS {
            let options = callflow::audit::pipeline::AuditOptions {
                threads,
                block_size,
                ..Default::default()
            };
            let report = json_report(log, name, options);
            assert!(
                report == expected,
                "{threads} threads, blocks of {block_size} bytes: the report differs"
            );
        }
    }
}

/// The package root (where `tests/`, `snapshots/` and `sim/` are).
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A fresh temporary folder named after the test that asks for it; removed when dropped.
macro_rules! temp_dir {
    () => {
        $crate::util::temp_dir(concat!(module_path!(), "-", line!()))
    };
}

/// A fresh temporary folder whose name starts with `label` (made file-name safe).
pub fn temp_dir(label: &str) -> tempfile::TempDir {
    let prefix: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    tempfile::Builder::new()
        .prefix(&format!("callflow-{prefix}-"))
        .tempdir()
        .expect("a temporary folder")
}

/// The names of the entries of a folder, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// insta settings shared by every snapshot: the top-level `snapshots/` folder, snapshot names
/// without the module path.
pub fn insta_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// The snapshots the tests take, named by [`Snapshot::name`] only: the tests that take them
/// and the check that `snapshots/` holds exactly their files
/// (`snapshots::the_snapshot_folder_holds_the_snapshots_the_tests_take`) both name them here.
pub enum Snapshot<'a> {
    /// The bundled sample's report, in a format of [`SAMPLE_FORMATS`].
    Sample(&'static str),
    /// A machine's diagram (by the machine's name), in a language of [`DIAGRAM_LANGUAGES`].
    Diagram(&'static str, &'static str),
    /// A transcript of [`pinned_transcripts`].
    Transcript(&'a TranscriptFile),
    /// A file of a procedure's handout of [`pinned_handouts`], by the procedure's name.
    Handout(&'static str, &'a TranscriptFile),
}

impl Snapshot<'_> {
    /// The snapshot's name: its file is `snapshots/NAME.snap`.
    pub fn name(&self) -> String {
        match self {
            Snapshot::Sample(format) => format!("sample_{format}"),
            Snapshot::Diagram(workflow, language) => format!("diagram_{workflow}_{language}"),
            Snapshot::Transcript(file) => {
                format!("transcript__{}", file.name.trim_end_matches(".md"))
            }
            Snapshot::Handout(procedure, file) => {
                format!(
                    "handout__{procedure}__{}",
                    file.name.trim_end_matches(".md")
                )
            }
        }
    }
}

/// The formats the sample's report is pinned in, by the name its snapshot carries.
pub const SAMPLE_FORMATS: [(&str, Format); 6] = [
    ("text", Format::Text),
    ("markdown", Format::Markdown),
    ("csv", Format::Csv),
    ("calls_csv", Format::CallsCsv),
    ("json", Format::Json),
    ("html", Format::Html),
];

/// Draws a machine's diagram in one language.
pub type Draw = fn(&Graph) -> String;

/// The languages each machine's diagram is pinned in, by the name its snapshot carries.
pub const DIAGRAM_LANGUAGES: [(&str, Draw); 2] =
    [("mermaid", Graph::to_mermaid), ("dot", Graph::to_dot)];

/// The transcripts pinned: one per clean path of every workflow (seed 1, Markdown, no flawed
/// variants).
pub fn pinned_transcripts() -> Vec<TranscriptFile> {
    let engine = engine();
    let paths = clean_paths(&Workflow::all(&engine), &engine);
    transcripts(&paths, 1, None, TranscriptFormat::Markdown, &engine)
}

/// Every clean path of every workflow, explored once for all the tests.
pub fn all_clean_paths() -> &'static [callflow::workflows::explore::Path] {
    static PATHS: std::sync::OnceLock<Vec<callflow::workflows::explore::Path>> =
        std::sync::OnceLock::new();
    PATHS.get_or_init(|| {
        let engine = engine();
        clean_paths(&Workflow::all(&engine), &engine)
    })
}

/// The exercises of a handout of every clean path (seed, difficulty), made once for all the
/// tests that read them.
pub fn exercise_set(seed: u64, difficulty: Difficulty) -> Arc<Vec<handout::Exercise>> {
    type Sets = std::sync::Mutex<BTreeMap<(u64, Difficulty), Arc<Vec<handout::Exercise>>>>;
    static SETS: std::sync::OnceLock<Sets> = std::sync::OnceLock::new();
    let sets = SETS.get_or_init(Sets::default);
    let known = sets
        .lock()
        .expect("the sets")
        .get(&(seed, difficulty))
        .cloned();
    if let Some(set) = known {
        return set;
    }
    let set = Arc::new(handout::exercises(
        all_clean_paths(),
        seed,
        difficulty,
        &engine(),
    ));
    sets.lock()
        .expect("the sets")
        .entry((seed, difficulty))
        .or_insert(set)
        .clone()
}

/// The handout files pinned: for each procedure, the first exercise of its handout (seed 8,
/// the default difficulty), its answer sheet and its role-play.
pub fn pinned_handouts() -> Vec<(&'static str, TranscriptFile)> {
    let engine = engine();
    let mut pinned = Vec::new();
    for (index, procedure) in engine.procedures().iter().enumerate() {
        let paths = clean_paths(&[Workflow::Procedure(index)], &engine);
        let exercises = handout::exercises(&paths, 8, Difficulty::Medium, &engine);
        let files = handout::handout_files(&exercises).expect("a handout");
        for name in ["exercise-01.md", "answers-01.md", "roleplay-01.md"] {
            let file = files
                .iter()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("{} has no {name}", procedure.name()));
            pinned.push((procedure.name(), file.clone()));
        }
    }
    pinned
}

/// The name of every snapshot the tests take.
pub fn snapshot_names() -> BTreeSet<String> {
    let samples = SAMPLE_FORMATS.map(|(name, _)| Snapshot::Sample(name).name());
    let engine = engine();
    let diagrams = Workflow::all(&engine).into_iter().flat_map(|workflow| {
        DIAGRAM_LANGUAGES
            .map(|(language, _)| Snapshot::Diagram(workflow.name(&engine), language).name())
    });
    let transcripts = pinned_transcripts();
    let transcripts = transcripts
        .iter()
        .map(|file| Snapshot::Transcript(file).name());
    let handouts = pinned_handouts();
    let handouts = handouts
        .iter()
        .map(|(procedure, file)| Snapshot::Handout(procedure, file).name());
    samples
        .into_iter()
        .chain(diagrams)
        .chain(transcripts)
        .chain(handouts)
        .collect()
}

/// The path of a hand-written log.
pub fn log_path(name: &str) -> PathBuf {
    Path::new(ROOT).join("tests/logs").join(name)
}

/// The text of a hand-written log.
pub fn log_text(name: &str) -> String {
    std::fs::read_to_string(log_path(name)).expect("a log under tests/logs")
}

/// Audits a log file with the default configuration, as `callflow audit FILE` does.
pub fn audit_file(path: &Path) -> AuditReport {
    let reader = LogReader::open(path).expect("a readable log");
    let report = audit(reader, Arc::new(Engine::builtin())).expect("an audit");
    check_invariants(&report, &std::fs::read(path).expect("the log's bytes"));
    report
}

/// Audits a hand-written log under `tests/logs/`.
pub fn audit_log(name: &str) -> AuditReport {
    audit_file(&log_path(name))
}

/// Audits log text (and checks that several threads reading it in blocks of any size, down
/// to one byte, give the same report: whichever block a fault falls in, it reads the same).
pub fn audit_text(text: &str, name: &str) -> AuditReport {
    let reader = LogReader::new(text.as_bytes(), name).expect("a log with a header");
    let report = audit(reader, Arc::new(Engine::builtin())).expect("an audit");
    check_invariants(&report, text.as_bytes());
    same_in_blocks(&report, text.as_bytes(), name);
    report
}

/// The audit of the bundled sample log, as `callflow audit` without a file does it.
pub fn sample_report() -> AuditReport {
    audit_text(SAMPLE_LOG, SAMPLE_NAME)
}

/// Audits log text keeping the rows of the failed and incomplete calls, as the command line
/// does for the reports that show transcripts (Markdown, HTML).
pub fn audit_text_with_history(text: &str, name: &str) -> AuditReport {
    let reader = LogReader::new(text.as_bytes(), name).expect("a log with a header");
    let options = callflow::audit::pipeline::AuditOptions {
        history: true,
        ..Default::default()
    };
    let mut report =
        callflow::audit::pipeline::audit_report(reader, engine(), options).expect("an audit");
    for call in &mut report.calls {
        if call.verdict == Verdict::Pass {
            call.history = None;
        }
    }
    check_invariants(&report, text.as_bytes());
    report
}

/// The sample's audit as the command line makes it for Markdown and HTML: the rows of the
/// failed and incomplete calls kept, for their transcripts.
pub fn sample_report_as_cli() -> AuditReport {
    audit_text_with_history(SAMPLE_LOG, SAMPLE_NAME)
}

/// A report rendered in a format.
pub fn rendered(report: &AuditReport, format: Format) -> String {
    let mut out = Vec::new();
    render::render(report, format, &mut out).expect("rendering to memory");
    String::from_utf8(out).expect("UTF-8 output")
}

/// Runs the built `callflow` binary from the package root.
pub fn callflow<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_callflow"))
        .current_dir(ROOT)
        .args(args)
        .output()
        .expect("the callflow binary runs")
}

/// The exit code of a finished run.
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code, not a signal")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// What one call of a log must come out as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// `call_id`
    pub id: &'static str,
    /// The agent who started it.
    pub agent: &'static str,
    /// `pass`, `fail` or `incomplete`.
    pub verdict: &'static str,
    /// 0 to 100.
    pub score: u32,
    /// `(reason, branch)` of each inquiry, in order.
    pub inquiries: Vec<(&'static str, Option<&'static str>)>,
    /// `(code, line)` of each finding, in report order (by line, then code).
    pub findings: Vec<(&'static str, u64)>,
}

/// Shorthand for an [`Expect`].
pub fn call(
    id: &'static str,
    agent: &'static str,
    verdict: &'static str,
    score: u32,
    inquiries: &[(&'static str, Option<&'static str>)],
    findings: &[(&'static str, u64)],
) -> Expect {
    Expect {
        id,
        agent,
        verdict,
        score,
        inquiries: inquiries.to_vec(),
        findings: findings.to_vec(),
    }
}

/// What a call came out as, in the shape of an [`Expect`] (for one readable diff).
pub fn actual(call: &CallReport) -> Expect {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    Expect {
        id: leak(&call.call_id),
        agent: leak(&call.agent_id),
        verdict: call.verdict.as_str(),
        score: call.score,
        inquiries: call
            .inquiries
            .iter()
            .map(|i| (leak(&i.reason), i.branch))
            .collect(),
        findings: call
            .findings
            .iter()
            .map(|f| (f.code.as_str(), f.line))
            .collect(),
    }
}

/// Asserts that the report's calls are exactly these, in this order.
pub fn assert_calls(report: &AuditReport, expected: &[Expect]) {
    let got: Vec<Expect> = report.calls.iter().map(actual).collect();
    for (got, want) in got.iter().zip(expected) {
        assert_eq!(got, want, "call {}", want.id);
    }
    assert_eq!(got.len(), expected.len(), "number of calls");
}

/// The call with this id.
pub fn find<'r>(report: &'r AuditReport, id: &str) -> &'r CallReport {
    report
        .calls
        .iter()
        .find(|c| c.call_id == id)
        .unwrap_or_else(|| panic!("no call {id}"))
}

/// The severity procedures.md section 4 gives each code.
pub const SEVERITIES: [(&str, &str); 32] = [
    ("CF01", "minor"),
    ("CF02", "minor"),
    ("CF03", "minor"),
    ("CF04", "minor"),
    ("CF05", "info"),
    ("CF06", "minor"),
    ("CF07", "info"),
    ("SD01", "critical"),
    ("SD02", "major"),
    ("SD03", "major"),
    ("SD04", "major"),
    ("SD05", "major"),
    ("SD06", "major"),
    ("SD07", "minor"),
    ("SD08", "major"),
    ("SD09", "major"),
    ("SD10", "major"),
    ("SD11", "minor"),
    ("SD12", "info"),
    ("SD13", "minor"),
    ("PC01", "critical"),
    ("PC02", "critical"),
    ("PC03", "major"),
    ("PC04", "major"),
    ("PC05", "minor"),
    ("PC06", "major"),
    ("PC07", "critical"),
    ("PC08", "major"),
    ("PC09", "major"),
    ("PC10", "minor"),
    ("PC11", "major"),
    ("PC12", "major"),
];

/// The score and verdict section 4 gives a call's findings, computed independently of the
/// crate: 100 - 15 per major - 5 per minor, never below 0; any critical sets 0; incomplete
/// without a critical is `incomplete`; else under 80 fails.
pub fn spec_outcome(severities: &[&str], complete: bool) -> (u32, &'static str) {
    let critical = severities.contains(&"critical");
    let penalty: u32 = severities
        .iter()
        .map(|s| match *s {
            "major" => 15,
            "minor" => 5,
            _ => 0,
        })
        .sum();
    let score = if critical {
        0
    } else {
        100u32.saturating_sub(penalty)
    };
    let verdict = if !complete && !critical {
        "incomplete"
    } else if critical || score < 80 {
        "fail"
    } else {
        "pass"
    };
    (score, verdict)
}

/// The 1-based line where each row of a log starts, with its `call_id` and `event` (parsed
/// independently of the crate under test: the csv crate, lines counted from the bytes).
pub fn row_lines(log: &[u8]) -> Vec<(u64, String, String)> {
    let text = String::from_utf8_lossy(log);
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (id, event) = (column("call_id"), column("event"));
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).expect("a csv record") {
        let start = record.position().expect("a position").byte() as usize;
        // The position may point at the line break before the record: skip to its first byte.
        let first = start
            + text.as_bytes()[start..]
                .iter()
                .take_while(|b| **b == b'\n')
                .count();
        let line = 1 + text.as_bytes()[..first]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").to_owned();
        rows.push((line, get(id), get(event)));
    }
    rows
}

/// What every audit must satisfy, whatever the log (call-log-v1.md and procedures.md 4).
pub fn check_invariants(report: &AuditReport, log: &[u8]) {
    let rows = report.rows;
    assert_eq!(
        rows.read,
        rows.replayed + rows.rejected,
        "read = replayed + rejected"
    );
    assert_eq!(
        rows.rejected,
        report.rejected.len() as u64,
        "one entry per rejected row"
    );
    let lines = row_lines(log);
    assert_eq!(rows.read, lines.len() as u64, "every row read is counted");
    let line_set: BTreeMap<u64, (String, String)> = lines
        .iter()
        .map(|(l, id, ev)| (*l, (id.clone(), ev.clone())))
        .collect();
    let rejected_lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert!(
        rejected_lines.windows(2).all(|w| w[0] < w[1]),
        "rejected rows by line"
    );
    for r in &report.rejected {
        let (id, _) = line_set
            .get(&r.line)
            .unwrap_or_else(|| panic!("rejected line {} starts no row", r.line));
        // A call id that is not UTF-8 is reported empty; the independent parse reads it lossily.
        let unreadable = r.call_id.is_empty() && id.contains('\u{fffd}');
        assert!(
            &r.call_id == id || unreadable,
            "rejected line {}: {:?} is not {id:?}",
            r.line,
            r.call_id
        );
        assert!(!r.reason.is_empty());
    }
    let severity: BTreeMap<&str, &str> = SEVERITIES.into_iter().collect();
    let mut first_lines = Vec::new();
    let mut per_agent: BTreeMap<&str, (u64, u64, u64, u64, u64)> = BTreeMap::new();
    for call in &report.calls {
        let started = lines
            .iter()
            .find(|(l, id, ev)| {
                id == &call.call_id && ev == "call_started" && !rejected_lines.contains(l)
            })
            .unwrap_or_else(|| panic!("{}: no replayed call_started", call.call_id));
        assert_eq!(call.first_line, started.0, "{}: first line", call.call_id);
        first_lines.push(call.first_line);
        let keys: Vec<(u64, &str)> = call
            .findings
            .iter()
            .map(|f| (f.line, f.code.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(
            keys, sorted,
            "{}: findings by line, then code",
            call.call_id
        );
        let mut severities = Vec::new();
        for f in &call.findings {
            let code = f.code.as_str();
            assert_eq!(
                f.severity.as_str(),
                severity[code],
                "{}: {code}",
                call.call_id
            );
            severities.push(f.severity.as_str());
            assert!(!f.evidence.is_empty());
            assert_eq!(f.evidence[0].line, f.line);
            assert!(f.message.starts_with(f.code.description()));
            for e in &f.evidence {
                assert_eq!(
                    line_set.get(&e.line).map(|(id, _)| id.as_str()),
                    Some(call.call_id.as_str()),
                    "{}: {code} evidence line {} is a row of the call",
                    call.call_id,
                    e.line
                );
                assert!(
                    f.message.contains(&format!("line {}", e.line)),
                    "{}: {code} message names line {}",
                    call.call_id,
                    e.line
                );
            }
        }
        let cf: Vec<&str> = call
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .filter(|c| c.starts_with("CF"))
            .collect();
        let cf_set: BTreeSet<&str> = cf.iter().copied().collect();
        assert_eq!(
            cf.len(),
            cf_set.len(),
            "{}: CF codes at most once",
            call.call_id
        );
        let complete = !cf_set.contains("CF05");
        let (score, verdict) = spec_outcome(&severities, complete);
        assert_eq!(
            (call.score, call.verdict.as_str()),
            (score, verdict),
            "{}: score and verdict from {severities:?}",
            call.call_id
        );
        if !complete {
            // Nothing counts as missing in what was cut off: only an inquiry closed by a new
            // one (before the last inquiry opened) is judged whole.
            let last_inquiry = call.inquiries.last().map_or(0, |i| i.line);
            for f in &call.findings {
                assert!(
                    !(f.code.is_omission() && f.line > last_inquiry) && f.code.as_str() != "CF04",
                    "{}: omission {} in an incomplete call",
                    call.call_id,
                    f.code
                );
            }
        }
        for i in &call.inquiries {
            let allowed = [
                None,
                Some("within_review"),
                Some("awaiting_first_payment"),
                Some("recently_eligible"),
                Some("overdue"),
            ];
            assert!(
                allowed.contains(&i.branch),
                "{}: branch {:?}",
                call.call_id,
                i.branch
            );
            if i.reason != "reward_email_missing" {
                assert_eq!(
                    i.branch, None,
                    "{}: only the review check has a branch",
                    call.call_id
                );
            }
        }
        let entry = per_agent.entry(&call.agent_id).or_default();
        entry.0 += 1;
        match call.verdict {
            Verdict::Pass => entry.1 += 1,
            Verdict::Fail => entry.2 += 1,
            Verdict::Incomplete => entry.3 += 1,
        }
        entry.4 += u64::from(call.score);
    }
    assert!(
        first_lines.windows(2).all(|w| w[0] < w[1]),
        "calls by first line"
    );
    let agents: Vec<(&str, u64, u64, u64, u64, f64)> = report
        .agents
        .iter()
        .map(|a| {
            (
                a.agent_id.as_str(),
                a.calls,
                a.passed,
                a.failed,
                a.incomplete,
                a.mean_score,
            )
        })
        .collect();
    let expected: Vec<(&str, u64, u64, u64, u64, f64)> = per_agent
        .into_iter()
        .map(|(id, (calls, pass, fail, inc, sum))| {
            let mean = (sum as f64 / calls as f64 * 100.0).round() / 100.0;
            (id, calls, pass, fail, inc, mean)
        })
        .collect();
    assert_eq!(agents, expected, "agents from their calls");
}
