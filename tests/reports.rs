//! The QA lead's reports (#16): severity first, info findings apart and never an agent's top
//! finding; each finding in plain words from its procedure, in every format; the JSON grows
//! only additively; the spreadsheet exports (findings.csv with its new columns, the per-call
//! CSV) hold no cell a spreadsheet would evaluate; the report code names no procedure.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use sha2::Digest;

use crate::util::{self, callflow, code, stderr, stdout, ROOT};
use callflow::audit::render::csv::{is_formula_like, CALLS_HEADER, HEADER};
use callflow::audit::render::Format;
use callflow::audit::sample::SAMPLE_LOG;
use callflow::workflows::Engine;

/// The sample's rows of one call, as CSV lines.
fn sample_call(id: &str) -> Vec<&'static str> {
    let prefix = format!("{id},");
    SAMPLE_LOG
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .collect()
}

/// A log of copies of sample calls under new ids: `(template, new id)`.
fn copies(calls: &[(&str, &str)]) -> String {
    let mut log = vec![SAMPLE_LOG.lines().next().expect("a header").to_owned()];
    for (template, id) in calls {
        for line in sample_call(template) {
            log.push(line.replacen(template, id, 1));
        }
    }
    log.join("\n") + "\n"
}

#[test]
fn an_agents_top_finding_is_the_most_severe_never_an_info_one() {
    // The jbrown: many calls with SD12 (the document's gap), one with SD01.
    let log = copies(&[
        ("C-1002", "A-1"),
        ("C-1002", "A-2"),
        ("C-1002", "A-3"),
        ("C-1014", "A-4"),
    ]);
    let report = util::audit_text(&log, "agent.csv");
    assert_eq!(report.agents.len(), 1);
    assert_eq!(report.agents[0].critical, 1);
    let text = util::rendered(&report, Format::Text);
    let agent = text
        .lines()
        .find(|l| l.trim_start().starts_with("mlopez"))
        .expect("the agent's row");
    assert!(agent.ends_with("SD01 critical x1"), "{agent}");
    // The summary: SD01 first; SD12 apart, about the documents.
    let top = text.split("top findings").nth(1).expect("top findings");
    let first = top.lines().nth(1).expect("a line");
    assert!(first.trim_start().starts_with("SD01  critical"), "{text}");
    let documents = text.split("about the documents").nth(1).expect("apart");
    assert!(
        documents
            .lines()
            .nth(1)
            .expect("a line")
            .trim_start()
            .starts_with("SD12  info         3"),
        "{text}"
    );
    assert!(
        !top.split("about the documents")
            .next()
            .unwrap_or("")
            .contains("SD12"),
        "{text}"
    );
    // Markdown too.
    let md = util::rendered(&report, Format::Markdown);
    assert!(
        md.contains("| mlopez | 4 | 3 | 1 | 0 | 1 | 75.0 | SD01 critical ×1 |"),
        "{md}"
    );
}

#[test]
fn each_call_lists_its_findings_most_severe_first_in_every_human_format() {
    let report = util::sample_report_as_cli();
    // C-1024: SD06 (line 255), SD08, SD09 major, SD07 minor: severity, then line.
    let text = util::rendered(&report, Format::Text);
    let c1024 = text.split("C-1024 (").nth(1).expect("C-1024 in the text");
    let codes: Vec<&str> = c1024
        .lines()
        .skip(1)
        .take(4)
        .map(|l| l.trim_start().split(' ').next().expect("a code"))
        .collect();
    assert_eq!(codes, ["SD06", "SD08", "SD09", "SD07"]);
    let md = util::rendered(&report, Format::Markdown);
    let c1024 = md
        .split("### C-1024")
        .nth(1)
        .expect("C-1024 in the Markdown");
    let c1024 = c1024.split("### ").next().unwrap_or("");
    let rows: Vec<&str> = c1024
        .lines()
        .filter(|l| l.starts_with("| SD"))
        .map(|l| &l[2..6])
        .collect();
    assert_eq!(rows, ["SD06", "SD08", "SD09", "SD07"]);
    // The failed calls: critical ones first.
    let failed: Vec<&str> = text
        .split("failed calls (most severe first)\n")
        .nth(1)
        .expect("the list")
        .lines()
        .filter(|l| l.starts_with("  C-"))
        .map(|l| &l[2..8])
        .collect();
    assert_eq!(
        failed,
        ["C-1014", "C-1028", "C-1029", "C-1033", "C-1016", "C-1024"]
    );
}

#[test]
fn the_json_gains_explanations_and_call_times_and_keeps_everything_else() {
    let output = callflow(["audit", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let json: Value = serde_json::from_str(&text).expect("JSON");
    // The keys in their order, as written: the additions last.
    let mut calls = 0;
    for line in text.lines().filter(|l| l.starts_with("    {\"call_id\":")) {
        calls += 1;
        let at = |key: &str| line.find(&format!("\"{key}\":")).unwrap_or(usize::MAX);
        let order = [
            "call_id",
            "agent_id",
            "verdict",
            "score",
            "inquiries",
            "findings",
            "first_line",
            "last_line",
            "started_at",
            "call_date",
            "policy",
        ];
        assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{line}");
        assert!(
            line.trim_end_matches(',').ends_with(",\"policy\":null}"),
            "{line}"
        );
        // Each finding ends with its explanation, after its evidence.
        assert_eq!(
            line.matches("],\"explanation\":\"").count(),
            line.matches("\"evidence\":").count()
        );
    }
    assert_eq!(calls, 37);
    // The header names the policy (no dated versions: every call under the base, `null`)
    // and, last, the log with the hash of its bytes.
    assert_eq!(
        json["policy"]["fingerprint"],
        Engine::builtin().policy_fingerprint()
    );
    assert_eq!(json["policy"]["versions"], serde_json::json!([]));
    assert!(json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["policy"].is_null()));
    assert_eq!(json["log"]["name"], "sim/data/sample.csv");
    let digest = sha2::Sha256::digest(SAMPLE_LOG.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        json["log"]["sha256"],
        hex.as_str(),
        "sha256sum sim/data/sample.csv"
    );
    assert!(text.trim_end().ends_with(&format!(
        "\"log\": {}\n}}",
        serde_json::to_string(&json["log"]).unwrap()
    )));
    for call in json["calls"].as_array().expect("calls") {
        // started_at: the call_started row's timestamp, as written; call_date: New York's.
        let first = call["first_line"].as_u64().expect("a line") as usize;
        let row = SAMPLE_LOG.lines().nth(first - 1).expect("the row");
        assert_eq!(row.split(',').nth(1), call["started_at"].as_str(), "{row}");
        assert_eq!(
            &call["started_at"].as_str().unwrap()[..10],
            call["call_date"].as_str().unwrap()
        );
        for finding in call["findings"].as_array().expect("findings") {
            let explanation = finding["explanation"].as_str().expect("text");
            assert!(
                explanation.ends_with('.') && explanation.len() > 20,
                "{explanation}"
            );
            assert_ne!(finding["message"], finding["explanation"]);
            assert!(
                !explanation.contains(">="),
                "no machine terms: {explanation}"
            );
        }
    }
    // The one the issue quotes, for the call that told the customer to expect the email.
    let c1014 = &json["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["call_id"] == "C-1014")
        .expect("C-1014")["findings"][0];
    assert_eq!(
        c1014["explanation"],
        "Told the customer to expect the email soon, but the warranty began 15 days before the \
         call, inside the 30-day review period."
    );
}

/// Every cell of a CSV text, by row.
fn cells(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn findings_csv_has_its_seven_columns_then_the_new_ones_and_a_row_per_finding() {
    let report = util::sample_report();
    let rows = cells(&util::rendered(&report, Format::Csv));
    assert_eq!(rows[0], HEADER);
    assert_eq!(
        &rows[0][..7],
        [
            "call_id",
            "agent_id",
            "code",
            "severity",
            "line",
            "timestamp",
            "message"
        ]
    );
    let findings: usize = report.calls.iter().map(|c| c.findings.len()).sum();
    assert_eq!(rows.len() - 1, findings);
    let rank = |s: &str| {
        ["critical", "major", "minor", "info"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    let severities: Vec<usize> = rows[1..].iter().map(|r| rank(&r[3])).collect();
    assert!(
        severities.windows(2).all(|w| w[0] <= w[1]),
        "severity first: {severities:?}"
    );
    let c1014 = rows.iter().find(|r| r[0] == "C-1014").expect("C-1014");
    assert_eq!(
        &c1014[7..16],
        [
            "shopping_dollars",
            "reward_email_missing",
            "within_review",
            "fail",
            "0",
            "the review-period explanation (within_review)",
            "expect_email_soon, false in this branch",
            "2026-03-03",
            "11:06:54"
        ]
    );
    assert!(c1014[16].starts_with("Told the customer to expect the email soon"));
}

#[test]
fn the_per_call_csv_has_every_call_so_a_pass_rate_pivots() {
    let report = util::sample_report();
    let rows = cells(&util::rendered(&report, Format::CallsCsv));
    assert_eq!(rows[0], CALLS_HEADER);
    assert_eq!(rows.len() - 1, report.calls.len());
    let passed = rows[1..].iter().filter(|r| r[2] == "pass").count() as u64;
    assert_eq!(passed, report.summary().passed);
    let c1028 = rows.iter().find(|r| r[0] == "C-1028").expect("C-1028");
    assert_eq!(&c1028[10..16], ["2", "1", "1", "0", "0", "PC01 PC08"]);
    let output = callflow(["audit", "--format", "calls-csv"]);
    assert_eq!(stdout(&output), util::rendered(&report, Format::CallsCsv));
}

/// A log whose ids and texts start with each character a spreadsheet evaluates.
fn hostile_log() -> String {
    let mut log = vec![SAMPLE_LOG.lines().next().expect("a header").to_owned()];
    let hostile = [
        (
            "=HYPERLINK(\"\"http://x.test\"\",\"\"click\"\")",
            "=cmd|' /C calc'!A0",
        ),
        ("+1+1", "+SUM(1,2)"),
        ("-2+3", "-1"),
        ("@SUM(A1)", "@evil"),
        ("\tTAB", "\ttabbed"),
    ];
    for (k, (id, agent)) in hostile.iter().enumerate() {
        for line in sample_call(["C-1014", "C-1030", "C-1033", "C-1021", "C-1001"][k]) {
            let (template, rest) = line.split_once(',').expect("a row");
            let _ = template;
            let rest = rest
                .replacen(",mlopez,", &format!(",\"{agent}\","), 1)
                .replacen(",sjones,", &format!(",\"{agent}\","), 1)
                .replacen(",tkim,", &format!(",\"{agent}\","), 1)
                .replacen(",rpatel,", &format!(",\"{agent}\","), 1)
                .replace(",reward_email_missing,", ",=1+2 uncovered,")
                .replace(",warranty_cancellation,", ",@reason,");
            log.push(format!("\"{id}\",{rest}"));
        }
    }
    log.join("\n") + "\n"
}

#[test]
fn hostile_ids_and_texts_never_reach_a_spreadsheet_as_formulas() {
    let dir = temp_dir!();
    let log = dir.path().join("hostile.csv");
    std::fs::write(&log, hostile_log()).expect("the log");
    let report = util::audit_file(&log);
    assert_eq!(report.calls.len(), 5, "{:?}", report.rejected);
    for (format, name) in [("csv", "findings.csv"), ("calls-csv", "calls.csv")] {
        let out = dir.path().join(name);
        let output = callflow([
            "audit".as_ref(),
            log.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert!(code(&output) <= 1, "{}", stderr(&output));
        let text = std::fs::read_to_string(&out).expect("written");
        let rows = cells(&text);
        assert!(rows.len() > 5, "{name}: {text}");
        let mut neutralised = BTreeSet::new();
        for row in &rows {
            for cell in row {
                assert!(
                    !is_formula_like(cell),
                    "{name}: a cell a spreadsheet evaluates: {cell:?}"
                );
                if let Some(original) = cell.strip_prefix('\'') {
                    assert!(is_formula_like(original), "{name}: {cell:?}");
                    neutralised.insert(original.to_owned());
                }
            }
        }
        // Every hostile id and agent came through, as text.
        for expected in [
            "=HYPERLINK(\"http://x.test\",\"click\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tTAB",
            "=cmd|' /C calc'!A0",
            "@evil",
            "-1",
        ] {
            assert!(
                neutralised.contains(expected),
                "{name}: {expected:?} not found in {neutralised:?}"
            );
        }
        // And each neutralised cell is quoted in the file.
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://x.test\"\",\"\"click\"\")\""),
            "{text}"
        );
    }
}

/// The report code knows no procedure: no procedure, reason or code name appears in the
/// audit crate's sources or its template (tests aside). Explanations come from the codes.
#[test]
fn the_report_code_names_no_procedure() {
    let engine = util::engine();
    let mut names: Vec<String> = Vec::new();
    for procedure in engine.procedures() {
        names.push(procedure.name().to_owned());
        names.extend(procedure.reasons().iter().map(|r| r.code.to_owned()));
        names.extend(procedure.codes().iter().map(|c| c.as_str().to_owned()));
    }
    let mut files = vec![Path::new(ROOT).join("sim/audit/templates/report.html")];
    let mut folders = vec![Path::new(ROOT).join("sim/audit/src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source");
        // The unit tests at the end of a file may use real codes.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for name in &names {
            assert!(
                !code.contains(name.as_str()),
                "{} names '{name}': reports must ask the engine",
                file.display()
            );
        }
    }
}
