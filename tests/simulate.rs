//! The simulator against the auditor: a simulated log with injected faults is audited, and the
//! audit agrees with the answer key on every call.

use std::collections::BTreeSet;
use std::sync::Arc;

use callflow::audit::AuditReport;
use callflow::audit::{audit, LogReader};
use callflow::gen::simulate::{simulate, SimulateOptions};
use callflow::workflows::policy::Policy;
use callflow::workflows::Engine;

fn simulated(calls: u64, seed: u64, fault_rate: f64) -> (Vec<u8>, serde_json::Value) {
    simulated_under(&Arc::new(Engine::builtin()), calls, seed, fault_rate)
}

fn simulated_under(
    engine: &Arc<Engine>,
    calls: u64,
    seed: u64,
    fault_rate: f64,
) -> (Vec<u8>, serde_json::Value) {
    let mut log = Vec::new();
    let mut key = Vec::new();
    let options = SimulateOptions {
        calls,
        seed,
        fault_rate,
    };
    let stats = simulate(options, engine, &mut log, Some(&mut key)).expect("a simulation");
    assert_eq!(stats.calls, calls);
    let key: serde_json::Value = serde_json::from_slice(&key).expect("the key is JSON");
    (log, key)
}

/// Audits a simulated log under `engine` and checks it against its answer key call by call
/// (codes, verdict, score, agent, order); returns the report and the key's calls.
fn audited_against_key(
    engine: &Arc<Engine>,
    calls: u64,
    seed: u64,
    fault_rate: f64,
) -> (AuditReport, Vec<serde_json::Value>) {
    let (log, key) = simulated_under(engine, calls, seed, fault_rate);
    let report = audit(
        LogReader::new(log.as_slice(), "simulated.csv").expect("a header"),
        Arc::clone(engine),
    )
    .expect("an audit");
    assert_eq!(report.rows.rejected, 0, "{:?}", report.rejected.first());
    let expected = key["calls"].as_array().expect("calls").clone();
    assert_eq!(report.calls.len(), expected.len());
    assert_eq!(expected.len() as u64, calls);
    for (call, want) in report.calls.iter().zip(&expected) {
        assert_eq!(call.call_id, want["call_id"], "calls in the same order");
        let mut codes: Vec<String> = call.findings.iter().map(|f| f.code.to_string()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(
            codes,
            codes_of(want),
            "call {} ({}) at {}",
            call.call_id,
            want["path"],
            call.started
        );
        assert_eq!(
            call.verdict.as_str(),
            want["verdict"],
            "call {}",
            call.call_id
        );
        assert_eq!(
            u64::from(call.score),
            want["score"],
            "call {}",
            call.call_id
        );
        assert_eq!(call.agent_id, want["agent_id"]);
    }
    (report, expected)
}

/// The codes an answer key's call expects, sorted.
fn codes_of(want: &serde_json::Value) -> Vec<String> {
    let mut codes: Vec<String> = want["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("a code").to_owned())
        .collect();
    codes.sort();
    codes
}

fn is_flawed(want: &serde_json::Value) -> bool {
    !want["faults"].as_array().expect("faults").is_empty()
}

/// An engine under a policy written as TOML.
fn engine_under(toml: &str) -> Arc<Engine> {
    let builtin = Engine::builtin();
    let policy = Policy::from_toml(toml, &builtin).expect("a policy");
    Arc::new(builtin.with_policy(policy).expect("an engine"))
}

#[test]
fn the_audit_of_a_simulated_log_agrees_with_its_answer_key_on_every_call() {
    let (_, expected) = audited_against_key(&Arc::new(Engine::builtin()), 5_000, 42, 0.3);
    let flawed: Vec<&serde_json::Value> = expected.iter().filter(|w| is_flawed(w)).collect();
    let injected_codes: BTreeSet<String> = flawed.iter().flat_map(|w| codes_of(w)).collect();
    // About 30% of calls carry faults, across at least 20 distinct codes.
    assert!(
        (1_200..=1_800).contains(&flawed.len()),
        "{} flawed calls",
        flawed.len()
    );
    assert!(
        injected_codes.len() >= 20,
        "{} codes: {injected_codes:?}",
        injected_codes.len()
    );
}

/// Under a 45-day review period the simulator picks warranty ages that make each intended
/// branch true under that rule (a "within review" call on day 40, an "overdue" one after day
/// 52), and its answer key agrees with the audit under the same policy.
#[test]
fn under_a_45_day_review_period_the_branches_and_the_answer_key_still_hold() {
    let engine = engine_under("[shopping_dollars]\nreview_period_days = 45\n");
    let (report, expected) = audited_against_key(&engine, 2_000, 45, 0.3);
    let mut branches = BTreeSet::new();
    for (call, want) in report.calls.iter().zip(&expected) {
        // The intended branch is the one the audit found (unfaulted calls: a fault may move
        // the facts on purpose).
        let path = want["path"].as_str().expect("a path");
        if let Some(branch) = path
            .strip_prefix("shopping_dollars/reward_email_missing/")
            .filter(|_| !is_flawed(want))
        {
            let found = call.inquiries.iter().find_map(|i| i.branch);
            assert_eq!(found, Some(branch), "call {}", call.call_id);
            branches.insert(branch.to_owned());
        }
    }
    assert_eq!(
        branches.into_iter().collect::<Vec<_>>(),
        [
            "awaiting_first_payment",
            "overdue",
            "recently_eligible",
            "within_review"
        ]
    );
}

/// Under other chat hours (11:00 to 15:00) and a holiday, the simulator starts chat calls
/// inside the policy's hours and follow-up calls outside them, and its answer key agrees with
/// the audit under the same policy, every call.
#[test]
fn under_other_chat_hours_and_a_holiday_the_answer_key_still_holds() {
    let engine = engine_under(
        "[paid_call]\nchat_opens = \"11:00\"\nchat_closes = \"15:00\"\nholidays = [\"2026-03-04\"]\n",
    );
    let (report, _) = audited_against_key(&engine, 2_000, 3, 0.3);
    let states: BTreeSet<&str> = report
        .calls
        .iter()
        .flat_map(|c| c.inquiries.iter().map(|i| i.state))
        .collect();
    assert!(
        states.contains("verify_in_chat") && states.contains("follow_up_later"),
        "{states:?}"
    );
}

#[test]
fn the_same_seed_gives_the_same_log_and_calls_interleave() {
    let (a, key_a) = simulated(300, 9, 0.2);
    let (b, key_b) = simulated(300, 9, 0.2);
    assert_eq!(a, b);
    assert_eq!(key_a, key_b);
    let (c, _) = simulated(300, 10, 0.2);
    assert_ne!(a, c);
    // Rows are in time order, and calls overlap (a row of another call between two of one).
    let text = String::from_utf8(a).expect("UTF-8");
    let rows: Vec<(&str, &str)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let mut fields = l.splitn(3, ',');
            (fields.next().unwrap_or(""), fields.next().unwrap_or(""))
        })
        .collect();
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = rows
        .iter()
        .map(|(_, t)| chrono::DateTime::parse_from_rfc3339(t).expect("a timestamp"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "rows in time order");
    let interleaved = rows
        .windows(3)
        .any(|w| w[0].0 == w[2].0 && w[1].0 != w[0].0);
    assert!(interleaved, "some calls overlap in time");
}
