//! `callflow policy init|check` and `--policy` on the commands (issue #18): the default file,
//! a checked file's versions, and a bad policy's exit 2 with its line and column, nothing
//! written.

use std::fs;

use crate::util::{callflow, code, stderr, stdout, temp_dir};

#[test]
fn init_writes_the_default_and_check_accepts_it() {
    let dir = temp_dir("policy-init");
    let file = dir.path().join("team.toml");
    let output = callflow(["policy", "init", "--out", file.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("review_period_days = 30"), "{text}");
    assert!(text.contains("chat_opens = \"09:00\""), "{text}");
    let check = callflow(["policy", "check", file.to_str().unwrap()]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    let said = stdout(&check);
    assert!(said.contains("a valid policy"), "{said}");
    assert!(
        said.contains("base rules: 0 changed from the default"),
        "{said}"
    );
    // Without --out the file goes to standard output, the same text.
    assert_eq!(stdout(&callflow(["policy", "init"])), text);
}

#[test]
fn check_lists_each_version_and_what_it_changes() {
    let dir = temp_dir("policy-check");
    let file = dir.path().join("team.toml");
    fs::write(
        &file,
        "[scoring]\npass_threshold = 85\n\n[[version]]\neffective = \"2026-04-01\"\n[version.shopping_dollars]\nreview_period_days = 45\n",
    )
    .unwrap();
    let check = callflow(["policy", "check", file.to_str().unwrap()]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    let said = stdout(&check);
    assert!(
        said.contains(
            "base rules: 1 changed from the default\n  scoring.pass_threshold: 80 -> 85\n"
        ),
        "{said}"
    );
    assert!(
        said.contains(
            "version effective 2026-04-01:\n  shopping_dollars.review_period_days: 30 -> 45\n"
        ),
        "{said}"
    );
}

#[test]
fn a_bad_policy_exits_2_with_its_place_and_writes_nothing() {
    let dir = temp_dir("policy-bad");
    let file = dir.path().join("bad.toml");
    fs::write(&file, "[paid_call]\nchat_closes = \"6pm\"\n").unwrap();
    let out = dir.path().join("report.json");
    for args in [
        vec!["policy", "check", file.to_str().unwrap()],
        vec![
            "audit",
            "sim/data/sample.csv",
            "--policy",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        vec!["graph", "--policy", file.to_str().unwrap()],
    ] {
        let output = callflow(&args);
        assert_eq!(code(&output), 2, "{args:?}");
        let said = stderr(&output);
        assert!(
            said.contains("bad.toml:2:15: paid_call.chat_closes: expected a time HH:MM"),
            "{said}"
        );
    }
    assert!(!out.exists());
    let missing = callflow(["audit", "--policy", "no/such/policy.toml"]);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("no/such/policy.toml: cannot read"));
}

#[test]
fn the_default_file_as_policy_gives_the_same_report_bytes() {
    let dir = temp_dir("policy-same");
    let file = dir.path().join("default.toml");
    assert_eq!(
        code(&callflow([
            "policy",
            "init",
            "--out",
            file.to_str().unwrap()
        ])),
        0
    );
    let plain = dir.path().join("plain.json");
    let with = dir.path().join("with.json");
    let a = callflow([
        "audit",
        "sim/data/sample.csv",
        "--out",
        plain.to_str().unwrap(),
    ]);
    let b = callflow([
        "audit",
        "sim/data/sample.csv",
        "--policy",
        file.to_str().unwrap(),
        "--out",
        with.to_str().unwrap(),
    ]);
    assert_eq!((code(&a), code(&b)), (1, 1));
    assert_eq!(fs::read(&plain).unwrap(), fs::read(&with).unwrap());
}

#[test]
fn the_graph_follows_the_policy_in_force() {
    let dir = temp_dir("policy-graph");
    let file = dir.path().join("45.toml");
    fs::write(&file, "[shopping_dollars]\nreview_period_days = 45\n").unwrap();
    let default = stdout(&callflow(["graph", "--workflow", "shopping_dollars"]));
    assert!(default.contains("warranty_started [d ≤ 29]"), "{default}");
    let output = callflow([
        "graph",
        "--workflow",
        "shopping_dollars",
        "--policy",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let drawn = stdout(&output);
    assert!(drawn.contains("warranty_started [d ≤ 44]"), "{drawn}");
    assert!(drawn.contains("warranty_started [45 ≤ d ≤ 51]"), "{drawn}");
    assert!(drawn.contains("warranty_started [d ≥ 52]"), "{drawn}");
}

/// `callflow diff` of an audit against itself reports no change; two audits of different
/// logs (their `log` identities differ) exit 2.
#[test]
fn diff_compares_audits_of_one_log_and_refuses_two_logs() {
    let dir = temp_dir!();
    let a = dir.path().join("a.json");
    let output = callflow(["audit", "--out", a.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let same = callflow(["diff", a.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(code(&same), 0, "{}", stderr(&same));
    assert!(stdout(&same).contains("no change"), "{}", stdout(&same));

    let other_log = dir.path().join("other.csv");
    let mut text = callflow::audit::sample::SAMPLE_LOG.to_owned();
    text.push_str(&text.lines().nth(1).unwrap().replace("C-1001", "C-9999"));
    text.push('\n');
    std::fs::write(&other_log, text).unwrap();
    let b = dir.path().join("b.json");
    let output = callflow([
        "audit",
        other_log.to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_ne!(code(&output), 2, "{}", stderr(&output));
    let different = callflow(["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code(&different), 2, "{}", stdout(&different));
    assert!(
        stderr(&different).contains("different logs"),
        "{}",
        stderr(&different)
    );
}
