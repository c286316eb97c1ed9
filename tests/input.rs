//! Input a busy user gets wrong (#16, docs/INPUT-FAULTS.md): a log none of whose rows replay
//! exits 2 with the commonest reason and the expected form; most rows rejected warns with the
//! top reasons; a `;` or tab export is read with its separator (`--delimiter` forces one);
//! column names match ignoring case, `_`, `-` and spaces; US dates and missing offsets are
//! named; `--out` with an unknown extension is an error.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{callflow, code, entries, stderr, stdout};
use callflow::audit::sample::SAMPLE_LOG;

/// The sample with each row's timestamp rewritten by `rewrite`.
fn sample_with_timestamps(
    rewrite: impl Fn(chrono::DateTime<chrono::FixedOffset>) -> String,
) -> String {
    let mut lines = SAMPLE_LOG.lines();
    let mut out = vec![lines.next().expect("a header").to_owned()];
    for line in lines {
        let mut parts = line.splitn(3, ',');
        let (id, at, rest) = (
            parts.next().expect("an id"),
            parts.next().expect("a timestamp"),
            parts.next().unwrap_or(""),
        );
        let rewritten =
            chrono::DateTime::parse_from_rfc3339(at).map_or_else(|_| at.to_owned(), &rewrite);
        out.push(format!("{id},{rewritten},{rest}"));
    }
    out.join("\n") + "\n"
}

/// The sample written with another separator (fields quoted as the csv crate quotes them).
fn sample_separated_by(delimiter: u8) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(SAMPLE_LOG.as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    for record in reader.byte_records() {
        writer
            .write_byte_record(&record.expect("a record"))
            .expect("written");
    }
    writer.into_inner().expect("the bytes")
}

/// Writes a log into `dir`.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("the log written");
    path
}

/// The JSON report of a log, as the command line writes it.
fn json(args: &[&std::ffi::OsStr]) -> Value {
    let mut all = vec![std::ffi::OsStr::new("audit")];
    all.extend_from_slice(args);
    all.extend([
        std::ffi::OsStr::new("--format"),
        std::ffi::OsStr::new("json"),
    ]);
    let output = callflow(all);
    assert!(code(&output) <= 1, "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("JSON")
}

#[test]
fn a_log_whose_rows_all_fail_exits_2_naming_the_commonest_reason_and_writes_nothing() {
    let dir = temp_dir!();
    // The export: US dates, no offsets.
    let us = write(
        dir.path(),
        "us.csv",
        sample_with_timestamps(|at| at.format("%m/%d/%Y %-I:%M %p").to_string()),
    );
    let out = dir.path().join("report.html");
    let output = callflow([
        "audit".as_ref(),
        us.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&output), 2);
    assert_eq!(stdout(&output), "");
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(
        message.starts_with(&format!(
            "callflow: {}: no row could be replayed: 392 of 392 rejected; the commonest reason \
             (392 rows): the timestamp is a US date (month/day/year), not RFC 3339; expected \
             timestamps in RFC 3339 with an offset, like 2026-03-02T14:05:11-05:00",
            us.display()
        )),
        "{message}"
    );
    assert!(
        message.contains("(line 2: timestamp '03/02/2026 9:05 AM' is a US date"),
        "{message}"
    );
    assert_eq!(entries(dir.path()), ["us.csv"], "no report written");

    // No offsets: named as such. JSON to standard output: nothing written there either.
    let local = write(
        dir.path(),
        "local.csv",
        sample_with_timestamps(|at| at.format("%Y-%m-%dT%H:%M:%S").to_string()),
    );
    let output = callflow([
        "audit".as_ref(),
        local.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&output), 2);
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output)
            .contains("the commonest reason (392 rows): the timestamp has no UTC offset; expected"),
        "{}",
        stderr(&output)
    );

    // Rows of calls whose start was rejected are a consequence: the cause is named.
    let no_agent = write(
        dir.path(),
        "no-agent.csv",
        SAMPLE_LOG
            .replace(",sjones,call_started", ",,call_started")
            .replace(",mlopez,call_started", ",,call_started")
            .replace(",rpatel,call_started", ",,call_started")
            .replace(",tkim,call_started", ",,call_started"),
    );
    let output = callflow(["audit".as_ref(), no_agent.as_os_str()]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("the commonest reason (37 rows): call_started has no agent_id"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_header_only_log_is_still_an_empty_audit() {
    let dir = temp_dir!();
    let header = SAMPLE_LOG.lines().next().expect("a header");
    let log = write(dir.path(), "empty.csv", format!("{header}\n"));
    let output = callflow(["audit".as_ref(), log.as_os_str()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn most_rows_rejected_warns_with_the_top_reasons_and_their_counts() {
    let dir = temp_dir!();
    // Every other call's timestamps in US dates: most rows rejected, some calls audited.
    let mut lines: Vec<String> = SAMPLE_LOG.lines().map(str::to_owned).collect();
    for line in lines.iter_mut().skip(1) {
        let keep = ["C-1001,", "C-1002,", "C-1003,"]
            .iter()
            .any(|id| line.starts_with(id));
        if !keep {
            *line = line.replace("2026-03-0", "03/0").replacen("-05:00", "", 1);
        }
    }
    let log = write(dir.path(), "mostly.csv", lines.join("\n") + "\n");
    let output = callflow([
        "audit".as_ref(),
        log.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let warning = stderr(&output);
    let head = warning.lines().next().expect("a warning");
    assert!(
        head.starts_with("callflow: warning: ")
            && head.contains("rows (")
            && head.ends_with("Top reasons:"),
        "{warning}"
    );
    let first = warning.lines().nth(1).expect("the top reason");
    assert!(
        first.contains("the timestamp is not RFC 3339 with an offset") || first.contains("US date"),
        "{warning}"
    );
    assert!(
        first.trim_start().starts_with(|c: char| c.is_ascii_digit()),
        "a count first: {first}"
    );
    let report: Value = serde_json::from_str(&stdout(&output)).expect("the report is written");
    assert_eq!(report["calls"].as_array().expect("calls").len(), 3);
}

#[test]
fn a_semicolon_or_tab_export_is_read_with_its_separator_and_the_summary_says_so() {
    let dir = temp_dir!();
    let comma = json(&[Path::new("sim/data/sample.csv").as_os_str()]);
    for (delimiter, name, said) in [(b';', "semicolon.csv", "';'"), (b'\t', "tab.tsv", "a tab")] {
        let log = write(dir.path(), name, sample_separated_by(delimiter));
        let report = json(&[log.as_os_str()]);
        assert_eq!(report["calls"], comma["calls"], "{name}: the same calls");
        assert_eq!(report["rejected"], comma["rejected"], "{name}");
        let output = callflow(["audit".as_ref(), log.as_os_str()]);
        assert!(
            stdout(&output).contains(&format!(
                "note: read with {said} as the separator: the header has no comma (--delimiter \
                 chooses another)"
            )),
            "{}",
            stdout(&output)
        );
        // The JSON does not carry notes: they go to standard error.
        let output = callflow([
            "audit".as_ref(),
            log.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert!(
            stderr(&output).contains("callflow: note: read with"),
            "{}",
            stderr(&output)
        );
    }
    // --delimiter forces one: a tab log read with a tab says nothing; a comma log forced to ';'
    // is one column, and the error says what to do.
    let tab = dir.path().join("tab.tsv");
    let output = callflow([
        "audit".as_ref(),
        tab.as_os_str(),
        "--delimiter".as_ref(),
        "tab".as_ref(),
    ]);
    assert!(code(&output) <= 1, "{}", stderr(&output));
    assert!(!stdout(&output).contains("note:"), "{}", stdout(&output));
    let output = callflow(["audit", "sim/data/sample.csv", "--delimiter", ";"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains(
            "missing required column 'call_id' (the header has: call_id,timestamp,agent_id,event,value,text; \
             is the file separated by another character? --delimiter chooses it)"
        ),
        "{}",
        stderr(&output)
    );
    let output = callflow(["audit", "sim/data/sample.csv", "--delimiter", "ab"]);
    assert_eq!(code(&output), 2, "a usage error");
}

#[test]
fn column_names_match_ignoring_case_underscores_dashes_and_spaces_with_a_note() {
    let dir = temp_dir!();
    let comma = json(&[Path::new("sim/data/sample.csv").as_os_str()]);
    let renamed = SAMPLE_LOG.replacen(
        "call_id,timestamp,agent_id,event,value,text",
        "CallID,Time Stamp,agent-id,EVENT,value,Text",
        1,
    );
    let log = write(dir.path(), "renamed.csv", &renamed);
    let report = json(&[log.as_os_str()]);
    assert_eq!(report["calls"], comma["calls"]);
    let output = callflow(["audit".as_ref(), log.as_os_str()]);
    let text = stdout(&output);
    for note in [
        "note: column 'CallID' read as call_id",
        "note: column 'Time Stamp' read as timestamp",
        "note: column 'agent-id' read as agent_id",
        "note: column 'EVENT' read as event",
        "note: column 'Text' read as text",
    ] {
        assert!(text.contains(note), "{note}: {text}");
    }
    assert!(
        !text.contains("'value' read"),
        "an exact name needs no note"
    );
    // Two columns that could both be call_id: an error naming both.
    let ambiguous = write(
        dir.path(),
        "ambiguous.csv",
        "Call ID,call-id,timestamp,event\nA,A,2026-03-02T09:00:00-05:00,greeting\n",
    );
    let output = callflow(["audit".as_ref(), ambiguous.as_os_str()]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        format!(
            "callflow: {}: line 1: columns 'Call ID' and 'call-id' could both be call_id; name \
             one of them call_id\n",
            ambiguous.display()
        )
    );
}

#[test]
fn out_with_an_unknown_extension_is_an_error_unless_the_format_is_given() {
    let dir = temp_dir!();
    let xlsx = dir.path().join("r.xlsx");
    let output = callflow(["audit".as_ref(), "--out".as_ref(), xlsx.as_os_str()]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        format!(
            "callflow: {}: callflow does not write .xlsx files: give --out a .txt, .json, .csv, \
             .md or .html name, or choose the format with --format (text, json, csv, calls-csv, \
             markdown, html)\n",
            xlsx.display()
        )
    );
    assert!(entries(dir.path()).is_empty());
    let output = callflow([
        "audit".as_ref(),
        "--out".as_ref(),
        xlsx.as_os_str(),
        "--format".as_ref(),
        "calls-csv".as_ref(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(fs::read_to_string(&xlsx)
        .expect("written")
        .starts_with("call_id,agent_id,verdict,"));
}
