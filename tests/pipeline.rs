//! The audit pipeline: the same report whatever the number of replay workers, streaming JSON
//! equal to the full report, and transcripts of historical calls.

use callflow::audit::pipeline::AuditOptions;

use crate::util::callflow as run;

fn simulated(calls: u64) -> Vec<u8> {
    crate::util::simulated_log(calls, 77)
}

fn report_with(log: &[u8], threads: usize, history: bool) -> String {
    report_named(log, "log.csv", threads, history)
}

fn report_named(log: &[u8], name: &str, threads: usize, history: bool) -> String {
    let options = AuditOptions {
        threads,
        history,
        ..AuditOptions::default()
    };
    crate::util::json_report(log, name, options)
}

#[test]
fn one_and_several_workers_give_the_same_report() {
    // More than one epoch of rows, so that calls are released while others are open.
    let log = simulated(3_000);
    let single = report_with(&log, 1, false);
    assert_eq!(single, report_with(&log, 2, false));
    assert_eq!(single, report_with(&log, 3, true));
    assert!(single.matches("\"call_id\"").count() >= 3_000);
}

/// A log whose calls' rows interleave, whose texts hold quoted commas, doubled quotes and
/// line breaks, with CRLF line ends: every cut of a small block falls somewhere awkward.
fn awkward(calls: u64) -> Vec<u8> {
    let log = String::from_utf8(simulated(calls)).expect("UTF-8");
    let mut out = String::with_capacity(log.len() * 2);
    for (n, line) in log.lines().enumerate() {
        out.push_str(line);
        if n % 3 == 1 && line.ends_with(',') {
            out.push_str("\"a \"\"quoted\"\" note,\r\nover two lines\"");
        }
        out.push_str("\r\n");
        if n % 50 == 7 {
            out.push_str("\r\n");
        }
    }
    out.into_bytes()
}

#[test]
fn the_report_is_the_same_for_any_threads_and_any_block_size() {
    let log = awkward(300);
    let single = report_with(&log, 1, false);
    let text = String::from_utf8_lossy(&log);
    assert!(text.contains("\"\"quoted\"\" note,\r\nover two lines\"\r\n"));
    assert!(
        single.matches("\"call_id\"").count() >= 300,
        "every call reported"
    );
    for threads in [2, 3, 4] {
        for block_size in [1, 3, 17, 100, 1000, 4096, 1 << 20] {
            let options = AuditOptions {
                threads,
                block_size,
                ..AuditOptions::default()
            };
            let report = crate::util::json_report(&log, "log.csv", options);
            assert!(
                report == single,
                "{threads} threads, blocks of {block_size} bytes: the report differs"
            );
        }
    }
}

#[test]
fn the_streamed_json_equals_the_full_report() {
    let dir = temp_dir!();
    let log_path = dir.path().join("log.csv");
    std::fs::write(&log_path, simulated(400)).expect("a log");
    let out = dir.path().join("report.json");
    let result = run([
        "audit",
        log_path.to_str().expect("a path"),
        "--out",
        out.to_str().expect("a path"),
        "--threads",
        "2",
    ]);
    assert_ne!(result.status.code(), Some(2), "{result:?}");
    let streamed = std::fs::read_to_string(&out).expect("the report");
    let log = std::fs::read(&log_path).expect("the log");
    let name = log_path.to_str().expect("a path");
    assert_eq!(streamed, report_named(&log, name, 1, false));
}

#[test]
fn transcripts_of_historical_calls_put_findings_beside_their_lines() {
    let dir = temp_dir!();
    let transcripts = dir.path().join("calls");
    let result = run([
        "audit",
        "--format",
        "json",
        "--out",
        dir.path().join("r.json").to_str().expect("a path"),
        "--transcripts",
        transcripts.to_str().expect("a path"),
    ]);
    assert_eq!(result.status.code(), Some(0), "{result:?}");
    // By default the failed and incomplete calls (6 and 2 in the sample), and the index.
    let mut files: Vec<String> = std::fs::read_dir(&transcripts)
        .expect("the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "C-1014.md",
            "C-1016.md",
            "C-1021.md",
            "C-1022.md",
            "C-1024.md",
            "C-1028.md",
            "C-1029.md",
            "C-1033.md",
            "index.md"
        ]
    );
    let c1016 = std::fs::read_to_string(transcripts.join("C-1016.md")).expect("C-1016");
    assert!(
        c1016.starts_with("# Call C-1016: fail, score 70\n"),
        "{c1016}"
    );
    assert!(
        c1016
            .contains("1. **SD04 major** (line 178): Did not ask for the customer's email address"),
        "{c1016}"
    );
    // The offending line, in bold, marked with its codes; times in business time.
    let ended = c1016
        .lines()
        .find(|l| l.starts_with("| **178** |"))
        .expect("the call_ended row, line 178, in bold");
    assert!(ended.contains("**call ended**"), "{ended}");
    assert!(
        ended.contains("⚠ **SD04** major") && ended.contains("⚠ **SD05** major"),
        "{ended}"
    );
    let greeting = c1016
        .lines()
        .find(|l| l.starts_with("| 169 |"))
        .expect("the greeting row, not in bold");
    assert!(
        greeting.contains("| agent |") && greeting.contains("My name is Riya"),
        "{greeting}"
    );
    assert!(
        c1016.contains("business time (America/New_York, UTC-05:00)"),
        "{c1016}"
    );

    // The index: failed calls first, the most severe first, each linked with verdict, agent
    // and codes.
    let index = std::fs::read_to_string(transcripts.join("index.md")).expect("index.md");
    let rows: Vec<&str> = index.lines().filter(|l| l.starts_with("| [")).collect();
    assert_eq!(rows.len(), 8);
    assert!(
        rows[0].starts_with("| [C-1014](C-1014.md) | fail | 0 | mlopez | SD01 |"),
        "{index}"
    );
    assert!(rows[6].contains("| incomplete |"), "{index}");
    assert!(index.contains("8 of 37 calls transcribed"), "{index}");

    // --all: every call.
    let all = dir.path().join("all");
    let result = run([
        "audit",
        "--out",
        dir.path().join("r.txt").to_str().expect("a path"),
        "--transcripts",
        all.to_str().expect("a path"),
        "--all",
    ]);
    assert_eq!(result.status.code(), Some(0), "{result:?}");
    assert_eq!(std::fs::read_dir(&all).expect("the folder").count(), 38);
    let index = std::fs::read_to_string(all.join("index.md")).expect("index.md");
    assert!(
        index.contains("37 of 37 calls transcribed: every call (--all)"),
        "{index}"
    );
    let passing = std::fs::read_to_string(all.join("C-1001.md")).expect("a passing call");
    assert!(passing.contains("No findings."), "{passing}");
}

#[test]
fn calls_whose_ids_make_the_same_file_name_get_two_files() {
    let dir = temp_dir!();
    let log = dir.path().join("log.csv");
    let sample = callflow::audit::sample::SAMPLE_LOG;
    let header = sample.lines().next().expect("a header");
    let mut rows = vec![header.to_owned()];
    for id in ["C/1", "C:1"] {
        rows.extend(
            sample
                .lines()
                .filter(|l| l.starts_with("C-1014,"))
                .map(|l| l.replacen("C-1014", id, 1)),
        );
    }
    std::fs::write(&log, rows.join("\n") + "\n").expect("a log");
    let out = dir.path().join("calls");
    let result = run([
        "audit",
        log.to_str().expect("a path"),
        "--out",
        dir.path().join("r.txt").to_str().expect("a path"),
        "--transcripts",
        out.to_str().expect("a path"),
    ]);
    assert_eq!(result.status.code(), Some(1), "{result:?}");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(files, ["C_1-2.md", "C_1.md", "index.md"]);
}
