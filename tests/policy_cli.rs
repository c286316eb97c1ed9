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

/// A 45-day review period from 3 March: the sample's calls of 2 March stay under the base.
const FROM_MARCH_3: &str = "[[version]]\neffective = \"2026-03-03\"\n\n\
                            [version.shopping_dollars]\nreview_period_days = 45\n";

/// `audit --policy NEW --compare OLD` in one pass: `--out` gets the same bytes as the audit
/// under NEW alone, `--diff-out` the same comparison as `callflow diff` of the two audits,
/// and the exit status is the NEW audit's.
#[test]
fn compare_gives_the_new_audit_and_the_diff_of_two_audits() {
    let dir = temp_dir!();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let log = path("sample.csv");
    fs::write(&log, callflow::audit::sample::SAMPLE_LOG).unwrap();
    let init = callflow(["policy", "init", "--out", &path("old.toml")]);
    assert_eq!(code(&init), 0, "{}", stderr(&init));
    fs::write(path("new.toml"), FROM_MARCH_3).unwrap();

    let alone = callflow([
        "audit",
        &log,
        "--policy",
        &path("new.toml"),
        "--out",
        &path("new.json"),
    ]);
    let old = callflow([
        "audit",
        &log,
        "--policy",
        &path("old.toml"),
        "--out",
        &path("old.json"),
    ]);
    assert_eq!(code(&old), 1, "{}", stderr(&old));
    let diff = callflow([
        "diff",
        &path("old.json"),
        &path("new.json"),
        "--out",
        &path("diff.json"),
    ]);
    assert_eq!(code(&diff), 0, "{}", stderr(&diff));
    let both = callflow([
        "audit",
        &log,
        "--policy",
        &path("new.toml"),
        "--compare",
        &path("old.toml"),
        "--out",
        &path("new2.json"),
        "--diff-out",
        &path("diff2.json"),
        "--threads",
        "3",
    ]);
    assert_eq!(code(&both), code(&alone), "{}", stderr(&both));
    assert_eq!(
        fs::read(path("new.json")).unwrap(),
        fs::read(path("new2.json")).unwrap()
    );
    assert_eq!(
        fs::read_to_string(path("diff.json")).unwrap(),
        fs::read_to_string(path("diff2.json")).unwrap()
    );
    // And the comparison says what a 45-day review period does to the sample: two calls
    // told "the email comes soon" on day 33 now fail with SD01.
    let d: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path("diff2.json")).unwrap()).unwrap();
    let sd01 = d["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "SD01")
        .unwrap();
    assert_eq!(
        (sd01["before"].as_u64(), sd01["after"].as_u64()),
        (Some(1), Some(3))
    );
    assert!(d["changed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["call_id"] == "C-1015" && c["verdict_after"] == "fail"));

    // Without --diff-out the comparison is text on standard output.
    let text = callflow([
        "audit",
        &log,
        "--policy",
        &path("new.toml"),
        "--compare",
        &path("old.toml"),
        "--out",
        &path("new3.json"),
    ]);
    assert!(
        stdout(&text).contains("C-1015 (tkim): pass 85 -> fail 0; added SD01"),
        "{}",
        stdout(&text)
    );
}

/// The reports name the versions where they differ, and each call's explanations quote the
/// parameters of its own version.
#[test]
fn reports_show_the_versions_and_quote_each_calls_rules() {
    let dir = temp_dir!();
    let policy = dir.path().join("new.toml");
    fs::write(&policy, FROM_MARCH_3).unwrap();
    let policy = policy.to_str().unwrap();
    let text = callflow(["audit", "--policy", policy]);
    assert!(
        stdout(&text)
            .contains("policy versions: base (before 2026-03-03): 10 calls; 2026-03-03: 27 calls"),
        "{}",
        stdout(&text)
    );
    let markdown = callflow(["audit", "--policy", policy, "--format", "markdown"]);
    assert!(stdout(&markdown).contains("Judged under the policy version of 2026-03-03."));
    let json = callflow(["audit", "--policy", policy, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        report["policy"]["versions"],
        serde_json::json!(["2026-03-03"])
    );
    let call = |id: &str| {
        report["calls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["call_id"] == id)
            .unwrap()
            .clone()
    };
    // C-1001 is of 2 March (base, 30 days); C-1015 of 3 March (45 days).
    assert!(call("C-1001")["policy"].is_null());
    let c1015 = call("C-1015");
    assert_eq!(c1015["policy"], "2026-03-03");
    assert!(c1015["findings"][0]["explanation"]
        .as_str()
        .unwrap()
        .contains("inside the 45-day review period"));
    // The HTML page names the versions, and each call's (drawn by the page's script as
    // "judged under ..."; tests/html.rs runs that script in Chromium for the plain report).
    let html = callflow(["audit", "--policy", policy, "--format", "html"]);
    let page = stdout(&html);
    assert!(
        page.contains("Policy versions: base (before 2026-03-03): 10 calls; 2026-03-03: 27 calls.")
    );
    assert!(page.contains(r#""versions":["the base rules","the version of 2026-03-03"]"#));
    // Without dated versions, no versions line.
    let plain = callflow(["audit"]);
    assert!(!stdout(&plain).contains("policy versions"));
    let plain_page = stdout(&callflow(["audit", "--format", "html"]));
    assert!(!plain_page.contains(r#""versions":"#) && !plain_page.contains("Policy versions"));
}

/// `policy check` points at the script lines that still quote a number the policy moved (the
/// texts are the team's words: callflow does not rewrite them), and is quiet once they are
/// changed too.
#[test]
fn check_points_at_script_lines_that_still_quote_a_moved_number() {
    let dir = temp_dir!();
    let policy = dir.path().join("new.toml");
    fs::write(&policy, FROM_MARCH_3).unwrap();
    let check = callflow(["policy", "check", policy.to_str().unwrap()]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    let out = stdout(&check);
    for line in ["explain_review_period", "expect_email_soon"] {
        assert!(
            out.contains(&format!(
                "note: shopping_dollars.scripts.{line} still says 30 (review_period_days is now 45)"
            )),
            "{out}"
        );
    }
    let reworded = format!(
        "{FROM_MARCH_3}\n[version.shopping_dollars.scripts]\n\
         explain_review_period = \"Your shopping dollars are made available once you have had your warranty for at least 45 days and made your first payment.\"\n\
         expect_email_soon = \"Typically, you will receive your shopping dollars email within a week following your 45-day review period.\"\n"
    );
    fs::write(&policy, reworded).unwrap();
    let check = callflow(["policy", "check", policy.to_str().unwrap()]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    assert!(!stdout(&check).contains("note:"), "{}", stdout(&check));
}
