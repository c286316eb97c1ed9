//! The built `callflow` binary: exit codes (0 all pass, 1 any fail, 2 unusable input),
//! `--out` and the format it infers, atomic output, BOM and CRLF logs.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{
    callflow, code, entries, log_path, rendered, sample_report, sample_report_as_cli, stderr,
    stdout,
};
use callflow::audit::render::Format;

#[test]
fn exit_0_when_every_call_passes_or_is_incomplete() {
    let output = callflow(["audit", "tests/logs/all_pass.csv"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let text = stdout(&output);
    let head: Vec<&str> = text.lines().take(4).collect();
    assert_eq!(
        head,
        [
            "callflow audit of tests/logs/all_pass.csv",
            "period: Mon 2 Mar 2026; times in business time (America/New_York, UTC-05:00)",
            "rows: 20 read, 20 replayed, 0 rejected",
            "calls: 3 audited: 2 pass, 0 fail, 1 incomplete (pass rate 66.7%)",
        ]
    );
    assert!(!text.contains("failed calls"), "{text}");
}

#[test]
fn exit_1_for_the_sample_which_has_failures() {
    let output = callflow(["audit", "sim/data/sample.csv"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert_eq!(stdout(&output), rendered(&sample_report(), Format::Text));
}

/// With no log, `callflow audit` is the demonstration the README opens with: the bundled
/// sample, and exit 0 (its failures are there on purpose).
#[test]
fn the_bundled_sample_demonstration_exits_0() {
    let output = callflow(["audit"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), rendered(&sample_report(), Format::Text));
    assert!(stdout(&output).starts_with("callflow audit of sim/data/sample.csv\n"));
}

#[test]
fn exit_2_for_a_missing_file_and_nothing_written() {
    let dir = temp_dir!();
    let missing = dir.path().join("nope.csv");
    let out = dir.path().join("report.json");
    let output = callflow([
        "audit".as_ref(),
        missing.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&output), 2);
    assert_eq!(stdout(&output), "");
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!("callflow: {}: cannot read: ", missing.display())),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "one sentence: {message}");
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn exit_2_for_a_folder() {
    let dir = temp_dir!();
    let output = callflow(["audit".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code(&output), 2);
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        format!(
            "callflow: {}: is a folder, not a call log\n",
            dir.path().display()
        )
    );
}

#[test]
fn exit_2_for_a_log_without_the_event_column_and_nothing_written() {
    let dir = temp_dir!();
    let out = dir.path().join("report.md");
    let output = callflow([
        "audit".as_ref(),
        "tests/logs/missing_event.csv".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&output), 2);
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "callflow: tests/logs/missing_event.csv: line 1: missing required column 'event' \
         (the header has: call_id,timestamp,agent_id,evnt,value,text)\n"
    );
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn exit_2_for_an_empty_file() {
    let dir = temp_dir!();
    let empty = dir.path().join("empty.csv");
    fs::write(&empty, "").unwrap();
    let output = callflow(["audit".as_ref(), empty.as_os_str()]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("empty file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn out_infers_the_format_from_the_extension() {
    let dir = temp_dir!();
    let sample = sample_report();
    // Markdown shows the transcripts of failed and incomplete calls: the command line keeps
    // their rows.
    let with_rows = sample_report_as_cli();
    for (name, format) in [
        ("report.json", Format::Json),
        ("report.csv", Format::Csv),
        ("report.md", Format::Markdown),
        ("report.txt", Format::Text),
        ("report", Format::Text),
    ] {
        let out = dir.path().join(name);
        let output = callflow([
            "audit".as_ref(),
            "sim/data/sample.csv".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(
            code(&output),
            1,
            "{name}: the sample fails; the report is still written"
        );
        assert_eq!(stdout(&output), "", "{name}: nothing on stdout");
        assert_eq!(stderr(&output), "", "{name}");
        let written = fs::read_to_string(&out).unwrap();
        let expected = if format == Format::Markdown {
            rendered(&with_rows, format)
        } else {
            rendered(&sample, format)
        };
        assert_eq!(written, expected, "{name}");
    }
    let csv = fs::read_to_string(dir.path().join("report.csv")).unwrap();
    assert_eq!(
        csv.lines().next(),
        Some(
            "call_id,agent_id,code,severity,line,timestamp,message,procedure,reason,branch,\
             verdict,score,expected,actual,local_date,local_time,explanation"
        )
    );
    let json: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(json["format"], "callflow-audit/1");
    let md = fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.starts_with("# Audit of `sim/data/sample.csv`\n"), "{md}");
    // Only the reports: no temporary file left beside them.
    assert_eq!(
        entries(dir.path()),
        [
            "report",
            "report.csv",
            "report.json",
            "report.md",
            "report.txt"
        ]
    );
}

#[test]
fn an_explicit_format_wins_over_the_extension() {
    let dir = temp_dir!();
    let out = dir.path().join("report.txt");
    let output = callflow([
        "audit".as_ref(),
        "tests/logs/all_pass.csv".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&output), 0);
    let json: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["rows"]["read"], 20);
    let output = callflow(["audit", "tests/logs/all_pass.csv", "--format", "markdown"]);
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).starts_with("# Audit of `tests/logs/all_pass.csv`\n"));
    let output = callflow(["audit", "tests/logs/all_pass.csv", "--format", "yaml"]);
    assert_eq!(code(&output), 2, "an unknown format is a usage error");
}

#[test]
fn a_failed_run_leaves_no_file_and_keeps_an_old_one() {
    let dir = temp_dir!();
    let out = dir.path().join("report.json");
    fs::write(&out, "the previous report\n").unwrap();
    let output = callflow([
        "audit".as_ref(),
        "tests/logs/missing_event.csv".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&output), 2);
    assert_eq!(fs::read_to_string(&out).unwrap(), "the previous report\n");
    assert_eq!(entries(dir.path()), ["report.json"]);
    // An output folder that does not exist: a write failure, exit 2, nothing created, and no
    // temporary file's name in the message (#16).
    let nested = dir.path().join("no/such/folder/report.json");
    let output = callflow(["audit".as_ref(), "--out".as_ref(), nested.as_os_str()]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        format!(
            "callflow: {}: cannot write: the folder {} does not exist\n",
            nested.display(),
            dir.path().join("no/such/folder").display()
        )
    );
    assert!(!stderr(&output).contains(".tmp"), "{}", stderr(&output));
    assert!(!nested.exists());
    assert_eq!(entries(dir.path()), ["report.json"]);
}

/// An output that fills up while the calls stream out (`/dev/full`: every write fails): exit
/// 2, and the message names the output and its error. It named the log being read as what
/// could not be written ("/dev/full: cannot write: log.csv: cannot write: ...").
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_fills_up_mid_stream_is_named_with_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    // Enough calls that the stream writes before the end of the log.
    let simulated = callflow([
        "simulate".as_ref(),
        "--calls".as_ref(),
        "3000".as_ref(),
        "--seed".as_ref(),
        "3".as_ref(),
        "--out".as_ref(),
        log.as_os_str(),
    ]);
    assert_eq!(code(&simulated), 0, "{}", stderr(&simulated));
    for threads in ["1", "3"] {
        let output = callflow([
            "audit".as_ref(),
            log.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "--out".as_ref(),
            "/dev/full".as_ref(),
            "--quiet".as_ref(),
            "--threads".as_ref(),
            threads.as_ref(),
        ]);
        assert_eq!(code(&output), 2);
        assert_eq!(
            stderr(&output),
            "callflow: /dev/full: cannot write: No space left on device (os error 28)\n",
            "--threads {threads}"
        );
    }
}

/// `--out` names a FIFO: the report goes through it, and it stays a FIFO (a temporary file
/// renamed over it would have replaced it; over `/dev/null`, run as root, that replaced the
/// machine's `/dev/null` with a plain file).
#[cfg(target_os = "linux")]
#[test]
fn out_writes_through_a_fifo_and_leaves_it_one() {
    use std::io::{BufRead, Write};
    use std::os::unix::fs::FileTypeExt;
    let dir = temp_dir!();
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Opened for reading and writing, a FIFO does not wait for the other end (Linux): the
    // report (a kilobyte or so) waits in the pipe, and an end mark written after it means a
    // run that never wrote to the FIFO fails here instead of hanging.
    let mut pipe = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .unwrap();
    let output = callflow([
        "audit".as_ref(),
        log_path("all_pass.csv").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--out".as_ref(),
        fifo.as_os_str(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    pipe.write_all(b"\0").unwrap();
    let mut received = Vec::new();
    std::io::BufReader::new(&mut pipe)
        .read_until(b'\0', &mut received)
        .unwrap();
    received.pop();
    let text = String::from_utf8(received).unwrap();
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    assert_eq!(report["format"], "callflow-audit/1");
    let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "{kind:?}");
    assert_eq!(entries(dir.path()), ["report.pipe"]);
}

/// `--out` names a symbolic link: the file it points to gets the report, the link stays.
#[cfg(unix)]
#[test]
fn out_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let dir = temp_dir!();
    let target = dir.path().join("real.json");
    let link = dir.path().join("latest.json");
    fs::write(&target, "the previous report\n").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = callflow([
        "audit".as_ref(),
        log_path("all_pass.csv").as_os_str(),
        "--out".as_ref(),
        link.as_os_str(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = fs::read_to_string(&target).unwrap();
    assert!(
        written.contains("\"format\": \"callflow-audit/1\""),
        "{written}"
    );
    assert_eq!(entries(dir.path()), ["latest.json", "real.json"]);
}

#[test]
fn a_bom_and_crlf_log_is_accepted_as_the_same_log() {
    let dir = temp_dir!();
    let lf = log_path("all_pass.csv");
    let text = fs::read_to_string(&lf).unwrap();
    let crlf = dir.path().join("all_pass_bom_crlf.csv");
    fs::write(&crlf, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    let run = |path: &Path| {
        let output = callflow([
            "audit".as_ref(),
            path.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(code(&output), 0, "{}: {}", path.display(), stderr(&output));
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()
    };
    let (mut a, mut b) = (run(&lf), run(&crlf));
    // Different bytes, so different log identities; everything else the same.
    let (log_a, log_b) = (a["log"].take(), b["log"].take());
    assert_ne!(log_a["sha256"], log_b["sha256"]);
    assert_eq!(log_b["name"], crlf.to_str().unwrap());
    assert_eq!(a, b, "same calls, same lines");
    assert_eq!(b["rows"]["read"], 20);
    assert_eq!(b["calls"][2]["call_id"], "A-3");
    assert_eq!(b["calls"][2]["findings"][0]["line"], 21);
}
