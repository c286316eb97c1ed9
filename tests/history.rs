//! The audit history (`audit --history`, `history list|delete`, `trend`), the same tests on
//! SQLite and on PostgreSQL (a throwaway cluster per test, `util::postgres`): two runs stored
//! and a re-audited call, trends by each dimension and period against the audit's own figures,
//! the notable moves, and the failures (an unopenable database, a newer schema, a store that
//! fails, a locked SQLite file, a PostgreSQL server stopped mid-run): exit 2, no report file,
//! nothing stored.

use std::collections::BTreeMap;
use std::path::PathBuf;

use callflow::audit::report::RowCounts;
use callflow::audit::sample::SAMPLE_LOG;
use callflow::history::record::{CallRecord, Identity};
use callflow::history::{History, RunRecord};
use chrono::NaiveDate;
use serde_json::Value;

use crate::util::{self, callflow, code, stderr, stdout};

/// A history database for one test, and where its files go.
struct Db {
    target: String,
    postgres: Option<util::postgres::Cluster>,
    dir: tempfile::TempDir,
}

impl Db {
    fn sqlite(test: &str) -> Db {
        let dir = util::temp_dir(test);
        Db {
            target: dir.path().join("history.db").display().to_string(),
            postgres: None,
            dir,
        }
    }

    fn postgres(test: &str) -> Option<Db> {
        let cluster = util::postgres::Cluster::start(test)?;
        Some(Db {
            target: cluster.url("postgres"),
            postgres: Some(cluster),
            dir: util::temp_dir(test),
        })
    }

    fn open(&self) -> History {
        History::open(&self.target).expect("the history opens")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs callflow with `--history` this database.
    fn run(&self, args: &[&str]) -> std::process::Output {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--history", &self.target]);
        callflow(all)
    }

    /// `callflow trend ... --format json`, parsed.
    fn trend(&self, by: &str, period: &str) -> Value {
        let out = self.run(&["trend", "--by", by, "--period", period, "--format", "json"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).expect("the trend is JSON")
    }

    /// A statement that makes every stored call fail (as a full disk would).
    fn failing_trigger(&self) -> &'static str {
        if self.postgres.is_some() {
            "CREATE FUNCTION refuse() RETURNS trigger AS $f$ BEGIN RAISE EXCEPTION 'injected \
             failure'; END $f$ LANGUAGE plpgsql; CREATE TRIGGER refuse BEFORE INSERT ON calls \
             FOR EACH ROW EXECUTE FUNCTION refuse();"
        } else {
            "CREATE TRIGGER refuse BEFORE INSERT ON calls BEGIN \
             SELECT RAISE(ABORT, 'injected failure'); END;"
        }
    }
}

/// Each test, on both databases.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(&super::Db::sqlite(concat!("sqlite-", stringify!($name))));
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(db) = super::Db::postgres(concat!("postgres-", stringify!($name))) {
                    super::$name(&db);
                }
            })*
        }
    };
}

on_both!(
    two_runs_and_a_reaudited_call,
    overrides_are_stored_with_the_run,
    trends_by_each_dimension_and_period,
    notable_moves_are_flagged,
    an_unopenable_database_fails_the_run,
    a_newer_schema_fails_the_run,
    a_failed_store_leaves_nothing,
    the_audit_html_shows_agents_recent_pass_rates,
);

/// The sample's rows of call C-1001 (passes), with its end removed (then incomplete), or moved
/// a week later (then another call: same id, another start).
fn variant_of_c1001(end_removed: bool, week_later: bool) -> String {
    let mut out = String::new();
    for (i, line) in SAMPLE_LOG.lines().enumerate() {
        if i == 0 {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if !line.starts_with("C-1001,") {
            continue;
        }
        if end_removed && (line.contains(",goodbye,") || line.contains(",call_ended,")) {
            continue;
        }
        let line = if week_later {
            line.replace("2026-03-02T", "2026-03-09T")
        } else {
            line.to_owned()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The (calls, passed) of each agent in a trend, summed over its periods.
fn per_key(trend: &Value) -> BTreeMap<String, (u64, u64)> {
    let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for row in trend["rows"].as_array().expect("rows") {
        let entry = out
            .entry(row["key"].as_str().expect("key").to_owned())
            .or_default();
        entry.0 += row["calls"].as_u64().expect("calls");
        entry.1 += row["passed"].as_u64().expect("passed");
    }
    out
}

fn two_runs_and_a_reaudited_call(db: &Db) {
    let report = util::sample_report_as_cli();
    let sjones = report
        .agents
        .iter()
        .find(|a| a.agent_id == "sjones")
        .expect("sjones in the sample");
    let c1001 = util::find(&report, "C-1001");
    assert_eq!(
        c1001.verdict.as_str(),
        "pass",
        "the test needs C-1001 passing"
    );

    let first = db.path("first.json");
    let out = db.run(&["audit", "--out", first.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(first.is_file());
    let before = per_key(&db.trend("agent", "week"));
    assert_eq!(before["sjones"], (sjones.calls, sjones.passed));

    // C-1001 again, without its end: the same call (id and start), now incomplete.
    let log = db.path("c1001-again.csv");
    std::fs::write(&log, variant_of_c1001(true, false)).unwrap();
    let out = db.run(&[
        "audit",
        log.to_str().unwrap(),
        "--out",
        db.path("second.txt").to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let list = db.run(&["history", "list"]);
    assert_eq!(code(&list), 0, "{}", stderr(&list));
    let text = stdout(&list);
    let runs: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(runs.len(), 2, "{text}");
    assert!(
        runs[0].contains("sample.csv") && runs[1].contains("c1001-again.csv"),
        "{text}"
    );
    // Both results are kept: 37 calls in run 1, 1 in run 2.
    let stored = db.open().runs().unwrap();
    assert_eq!(stored[0].calls[0], report.calls.len() as i64);
    // The run names the log by its hash and the policy by its fingerprint, as the report does.
    let header: Value = serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    assert_eq!(
        stored[0].log_sha256,
        header["log"]["sha256"].as_str().unwrap()
    );
    assert_eq!(
        stored[0].policy,
        header["policy"]["fingerprint"].as_str().unwrap()
    );
    assert_eq!(stored[0].log_sha256.len(), 64);
    assert_ne!(stored[0].log_sha256, stored[1].log_sha256);
    assert_eq!(stored[0].policy, stored[1].policy);
    assert_eq!(stored[1].calls, [1, 0, 0, 1]);

    // The trend counts the latest run's result: one pass fewer, the same calls.
    let after = per_key(&db.trend("agent", "week"));
    assert_eq!(after["sjones"], (sjones.calls, sjones.passed - 1));
    let total: u64 = after.values().map(|v| v.0).sum();
    assert_eq!(total, report.calls.len() as u64);

    // The same call id a week later is another call.
    let later = db.path("c1001-later.csv");
    std::fs::write(&later, variant_of_c1001(false, true)).unwrap();
    let out = db.run(&[
        "audit",
        later.to_str().unwrap(),
        "--out",
        db.path("third.txt").to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let weeks = db.trend("agent", "week");
    let total: u64 = per_key(&weeks).values().map(|v| v.0).sum();
    assert_eq!(total, report.calls.len() as u64 + 1);
    let labels: Vec<&str> = weeks["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2026-W10", "2026-W11"]);

    // Deleting the re-audit: the first result counts again.
    let out = db.run(&["history", "delete", &stored[1].id.to_string()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let restored = per_key(&db.trend("agent", "week"));
    assert_eq!(
        restored["sjones"].1,
        sjones.passed + 1,
        "the week-later call passes too"
    );
    let week10: u64 = db.trend("agent", "week")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["key"] == "sjones" && r["period"] == "2026-W10")
        .map(|r| r["passed"].as_u64().unwrap())
        .sum();
    assert_eq!(week10, sjones.passed);
    assert_eq!(db.open().runs().unwrap().len(), 2);

    // A run that is not there.
    let out = db.run(&["history", "delete", "999"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no stored run 999"),
        "{}",
        stderr(&out)
    );
}

fn overrides_are_stored_with_the_run(db: &Db) {
    let report = util::sample_report_as_cli();
    let (call, finding) = report
        .calls
        .iter()
        .find_map(|c| {
            let f = c.findings.first()?;
            (c.findings.iter().filter(|g| g.code == f.code).count() == 1).then_some((c, f))
        })
        .expect("a call with a finding raised once");
    let raised_code = finding.code.to_string();
    let overrides = db.path("overrides.csv");
    std::fs::write(
        &overrides,
        format!(
            "call_id,code,action,reason,reviewer,date\n{},{raised_code},remove,the customer asked to skip it,R. Diaz,2026-03-09\n",
            call.call_id
        ),
    )
    .unwrap();
    let out = db.run(&[
        "audit",
        "--overrides",
        overrides.to_str().unwrap(),
        "--out",
        db.path("r.txt").to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut history = db.open();
    let run = history.runs().unwrap()[0].id;
    let stored = history.overrides(run).unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].0, call.call_id);
    assert_eq!(stored[0].1.code, raised_code);
    assert_eq!(stored[0].1.action, "remove");
    assert_eq!(stored[0].1.reviewer, "R. Diaz");
    assert_eq!(stored[0].1.reason, "the customer asked to skip it");
    // The removed finding does not count in the trends.
    let raised = report
        .calls
        .iter()
        .filter(|c| c.codes().iter().any(|c| c.to_string() == raised_code))
        .count() as u64;
    let by_code = per_key(&db.trend("code", "month"));
    assert_eq!(by_code.get(&raised_code).map_or(0, |v| v.0), raised - 1);
}

fn trends_by_each_dimension_and_period(db: &Db) {
    let report = util::sample_report_as_cli();
    let out = db.run(&["audit", "--out", db.path("r.txt").to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // What each dimension must count, from the audit itself.
    let mut expected: BTreeMap<&str, BTreeMap<String, (u64, u64)>> = BTreeMap::new();
    for call in &report.calls {
        let passed = u64::from(call.verdict.as_str() == "pass");
        let mut add = |by: &'static str, key: String| {
            let e = expected.entry(by).or_default().entry(key).or_default();
            e.0 += 1;
            e.1 += passed;
        };
        add("agent", call.agent_id.clone());
        for code in call.codes() {
            add("code", code.to_string());
        }
        for procedure in call.procedures() {
            add("procedure", procedure.to_owned());
        }
        let mut branches: Vec<String> = call
            .inquiries
            .iter()
            .filter_map(|i| Some(format!("{}/{}", i.procedure?, i.branch?)))
            .collect();
        branches.sort();
        branches.dedup();
        for branch in branches {
            add("branch", branch);
        }
    }
    let periods = [
        ("day", vec!["2026-03-02", "2026-03-03", "2026-03-04"]),
        ("week", vec!["2026-W10"]),
        ("month", vec!["2026-03"]),
    ];
    for by in ["agent", "code", "procedure", "branch"] {
        for (period, labels) in &periods {
            let trend = db.trend(by, period);
            assert_eq!(per_key(&trend), expected[by], "by {by} per {period}");
            let shown: Vec<&str> = trend["periods"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["period"].as_str().unwrap())
                .collect();
            assert_eq!(&shown, labels, "by {by} per {period}");
        }
    }
    // By code, the share of all the period's calls.
    let codes = db.trend("code", "month");
    for row in codes["rows"].as_array().unwrap() {
        let calls = row["calls"].as_f64().unwrap();
        let share = row["share"].as_f64().unwrap();
        assert!((share - calls * 100.0 / report.calls.len() as f64).abs() < 1e-9);
    }
    // Per agent, each code's rate among the agent's calls.
    let agents = db.trend("agent", "month");
    let mlopez = agents["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "mlopez")
        .unwrap();
    let agent = report
        .agents
        .iter()
        .find(|a| a.agent_id == "mlopez")
        .unwrap();
    for (code, n) in &agent.codes {
        let rate = mlopez["codes"][code.to_string()].as_f64().unwrap();
        assert!(
            (rate - *n as f64 * 100.0 / agent.calls as f64).abs() < 1e-9,
            "{code}"
        );
    }
    // --from and --to narrow the dates.
    let out = db.run(&[
        "trend",
        "--period",
        "day",
        "--from",
        "2026-03-03",
        "--to",
        "2026-03-03",
        "--format",
        "json",
    ]);
    let narrowed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let total: u64 = per_key(&narrowed).values().map(|v| v.0).sum();
    let on_the_3rd = report
        .calls
        .iter()
        .filter(|c| c.call_date == NaiveDate::from_ymd_opt(2026, 3, 3).unwrap())
        .count() as u64;
    assert_eq!(total, on_the_3rd);
    // Dates that cut a week (read from the days' tallies) and a whole week (the week's own).
    let out = db.run(&[
        "trend",
        "--period",
        "week",
        "--from",
        "2026-03-03",
        "--to",
        "2026-03-04",
        "--format",
        "json",
    ]);
    let cut: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let total: u64 = per_key(&cut).values().map(|v| v.0).sum();
    let on_3_and_4 = report
        .calls
        .iter()
        .filter(|c| c.call_date >= NaiveDate::from_ymd_opt(2026, 3, 3).unwrap())
        .count() as u64;
    assert_eq!(total, on_3_and_4);
    assert_eq!(cut["periods"][0]["period"], "2026-W10");
    let out = db.run(&[
        "trend",
        "--period",
        "week",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-08",
        "--format",
        "json",
    ]);
    let whole: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(per_key(&whole), expected["agent"]);
    let out = db.run(&["trend", "--from", "2026-03-04", "--to", "2026-03-03"]);
    assert_eq!(code(&out), 2);
    // The other formats: text, the CSV's header and a neutralised cell's absence of harm.
    let text = db.run(&["trend", "--by", "procedure"]);
    assert!(
        stdout(&text).starts_with("Trend by procedure, per week:"),
        "{}",
        stdout(&text)
    );
    let csv_path = db.path("trend.csv");
    let out = db.run(&["trend", "--out", csv_path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        csv.starts_with("agent,period,period_start,calls,passed,pass_rate,mean_score,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + report.agents.len());
}

/// A synthetic run: for each (agent, week's Monday, calls, passed, calls raising CF02).
pub(crate) fn synthetic_run(name: &str, groups: &[(&str, NaiveDate, u32, u32, u32)]) -> RunRecord {
    let mut calls = Vec::new();
    for (agent, monday, n, passed, cf02) in groups {
        for i in 0..*n {
            calls.push(CallRecord {
                call_id: format!("{agent}-{monday}-{i}"),
                started: format!("{monday}T10:{:02}:{:02}Z", i / 60, i % 60),
                agent: (*agent).to_owned(),
                call_date: *monday,
                verdict: if i < *passed { "pass" } else { "fail" },
                score: if i < *passed { 100 } else { 40 },
                findings: if i < *cf02 {
                    vec![("CF02".to_owned(), "minor", 3)]
                } else {
                    Vec::new()
                },
                inquiries: Vec::new(),
                overrides: Vec::new(),
            });
        }
    }
    RunRecord::new(
        Identity {
            log_name: name.to_owned(),
            ..Identity::default()
        },
        RowCounts::default(),
        calls,
    )
}

fn notable_moves_are_flagged(db: &Db) {
    let w10 = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let w11 = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
    let mut history = db.open();
    history
        .record(&synthetic_run(
            "synthetic.csv",
            &[
                // 90% to 50%, CF02 5% to 20%: both flagged.
                ("a1", w10, 20, 18, 1),
                ("a1", w11, 20, 10, 4),
                // The same fall, with 19 calls the first week: not flagged.
                ("a2", w10, 19, 17, 1),
                ("a2", w11, 20, 10, 4),
                // Down 9.5 points: not flagged.
                ("a3", w10, 20, 20, 0),
                ("a3", w11, 21, 19, 0),
            ],
        ))
        .unwrap();
    let trend = db.trend("agent", "week");
    let moves: Vec<String> = trend["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {}",
                m["key"].as_str().unwrap(),
                m["kind"].as_str().unwrap(),
                m["code"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(moves, ["a1 pass_rate_down -", "a1 code_doubled CF02"]);
    let text = stdout(&db.run(&["trend"]));
    assert!(
        text.contains(
            "a1: pass rate down from 90.0% in 2026-W10 (20 calls) to 50.0% in 2026-W11 (20 calls)"
        ),
        "{text}"
    );
    assert!(text.contains("a1: CF02 rate more than doubled from 5.0% in 2026-W10 (20 calls) to 20.0% in 2026-W11 (20 calls)"), "{text}");
    // By code: CF02's share of all calls went from 2/59 to 8/61: more than doubled.
    let by_code = db.trend("code", "week");
    assert_eq!(by_code["moves"].as_array().unwrap().len(), 1, "{by_code}");
    // The page says them with their numbers.
    let html = db.path("trend.html");
    let out = db.run(&["trend", "--out", html.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(
        "a1: pass rate down from 90.0% in 2026-W10 (20 calls) to 50.0% in 2026-W11 (20 calls)"
    ));
    assert!(page.contains("<svg"), "the page draws its charts");
    assert!(
        !page.contains("<script src") && !page.contains("<link"),
        "self-contained"
    );
}

/// An audit with --history that must fail: exit 2, no report file, the message.
fn fails_with(db: &Db, target: &str, words: &str) {
    let out_file = db.path("report.txt");
    let out = callflow([
        "audit",
        "--history",
        target,
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains(words), "{}", stderr(&out));
    assert!(!out_file.exists(), "no report file after a history failure");
}

fn an_unopenable_database_fails_the_run(db: &Db) {
    match &db.postgres {
        None => {
            // A folder, a file in a folder that does not exist, a file that is not a database.
            fails_with(
                db,
                db.dir.path().to_str().unwrap(),
                "cannot open the history database",
            );
            let missing = db.path("no/such/folder/h.db");
            fails_with(
                db,
                missing.to_str().unwrap(),
                "cannot open the history database",
            );
            let not_db = db.path("notes.db");
            std::fs::write(&not_db, "these are notes, not a database\n".repeat(100)).unwrap();
            fails_with(
                db,
                not_db.to_str().unwrap(),
                "cannot open the history database",
            );
        }
        Some(cluster) => {
            // No server on that port; a database that does not exist.
            let nobody = format!(
                "postgresql://postgres@/postgres?host={}&port=5499",
                cluster.socket_dir().display()
            );
            fails_with(db, &nobody, "cannot open the history database");
            fails_with(
                db,
                &cluster.url("nosuchdb"),
                "cannot open the history database",
            );
            // The password is not repeated.
            let with_password = format!(
                "postgresql://postgres:hunter2@/postgres?host={}&port=5499",
                cluster.socket_dir().display()
            );
            let out = callflow(["trend", "--history", &with_password]);
            assert_eq!(code(&out), 2);
            assert!(!stderr(&out).contains("hunter2"), "{}", stderr(&out));
        }
    }
}

fn a_newer_schema_fails_the_run(db: &Db) {
    db.open()
        .batch("INSERT INTO schema_version (version) VALUES (99)")
        .unwrap();
    fails_with(db, &db.target, "schema version 99, newer than version 1");
    let out = db.run(&["trend"]);
    assert_eq!(code(&out), 2);
}

fn a_failed_store_leaves_nothing(db: &Db) {
    db.open().batch(db.failing_trigger()).unwrap();
    fails_with(db, &db.target, "cannot store the run");
    // The JSON report streams: the same.
    let out_file = db.path("report.json");
    let out = db.run(&["audit", "--out", out_file.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!out_file.exists());
    assert!(
        db.open().runs().unwrap().is_empty(),
        "no run row left behind"
    );
}

fn the_audit_html_shows_agents_recent_pass_rates(db: &Db) {
    let w09 = NaiveDate::from_ymd_opt(2026, 2, 23).unwrap();
    db.open()
        .record(&synthetic_run("earlier.csv", &[("sjones", w09, 4, 1, 0)]))
        .unwrap();
    let page_path = db.path("report.html");
    let out = db.run(&["audit", "--out", page_path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert!(page.contains("Pass rate by week, 2026-W09 to 2026-W10 (history)"));
    let report = util::sample_report_as_cli();
    let sjones = report
        .agents
        .iter()
        .find(|a| a.agent_id == "sjones")
        .unwrap();
    let rate = sjones.passed as f64 * 100.0 / sjones.calls as f64;
    let words = format!("2026-W09 25% (4) · 2026-W10 {rate:.0}% ({})", sjones.calls);
    assert!(page.contains(&words), "{words}");
    // Without --history, no such column.
    let plain = db.path("plain.html");
    let out = callflow(["audit", "--out", plain.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert!(!std::fs::read_to_string(&plain)
        .unwrap()
        .contains("(history)"));
}

/// The findings and inquiries stored are the same whatever the report's format: the JSON
/// stream (each call rendered where it is replayed) once stored them empty.
#[test]
fn a_json_audit_stores_the_same_findings_as_a_markdown_one() {
    let by_code = |format: &str| {
        let db = Db::sqlite(&format!("stored-findings-{format}"));
        let out = db.path(&format!("report.{format}"));
        let result = db.run(&["audit", "--format", format, "--out", out.to_str().unwrap()]);
        assert_eq!(code(&result), 0, "{}", stderr(&result));
        db.trend("code", "week")["rows"].clone()
    };
    let markdown = by_code("markdown");
    assert!(
        markdown.as_array().is_some_and(|rows| rows.len() >= 5),
        "the sample raises several codes: {markdown}"
    );
    assert_eq!(by_code("json"), markdown);
}

#[test]
fn a_locked_sqlite_file_fails_the_run() {
    let db = Db::sqlite("locked");
    let mut holder = db.open();
    holder.batch("BEGIN EXCLUSIVE").unwrap();
    fails_with(&db, &db.target, "locked by another process");
    holder.batch("ROLLBACK").unwrap();
    assert!(db.open().runs().unwrap().is_empty());
}

#[test]
fn a_postgres_server_stopped_mid_run_fails_it_and_stores_nothing() {
    let Some(db) = Db::postgres("postgres-stopped") else {
        return;
    };
    let cluster = db.postgres.as_ref().unwrap();
    let run = synthetic_run(
        "x.csv",
        &[(
            "a1",
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            30,
            20,
            2,
        )],
    );
    // Stopped between the run's rows and its commit.
    let mut history = db.open();
    history.stage(&run).unwrap();
    cluster.stop_server();
    let err = history.commit().expect_err("the commit fails");
    assert!(err.to_string().contains("cannot commit the run"), "{err}");
    // Stopped before the run is stored at all.
    cluster.start_server();
    let mut history = db.open();
    cluster.stop_server();
    let err = history.record(&run).expect_err("the store fails");
    assert!(err.to_string().contains("cannot store the run"), "{err}");
    cluster.start_server();
    assert!(db.open().runs().unwrap().is_empty(), "nothing stored");
}
