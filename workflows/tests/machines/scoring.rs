//! Score and verdict (procedures.md 4): 100 minus 15 a major and 5 a minor, never below 0; any
//! critical sets 0 and fails; under 80 fails; an incomplete call without a critical is
//! `incomplete`.

use callflow_workflows::{score, Config, Event, Scoring, Severity, Verdict};

use crate::support::*;

const START: &str = "2026-03-02T14:05:11-05:00";

/// A review-period call inside the period whose answer came before the facts (SD03, major),
/// with no greeting (CF01, minor), and the `extra` rows before the end row `end`.
fn call_with(extra: &[Row], end: Option<Event<'static>>) -> callflow_workflows::Call {
    let mut rows = vec![
        ("14:05:31", inquiry("reward_email_missing")),
        ("14:05:40", step("explain_review_period")),
        ("14:05:50", ev("warranty_started", "2026-02-10")),
    ];
    rows.extend_from_slice(extra);
    if let Some(end) = end {
        rows.push(("14:07:47", end));
    }
    run(START, &rows)
}

#[test]
fn a_score_of_exactly_80_passes() {
    // SD03 (15) + CF01 (5) = 20 points.
    let call = call_with(&[("14:07:45", Event::Goodbye)], Some(ended()));
    assert_codes(&call, &["CF01", "SD03"]);
    assert_eq!(outcome(&call), (80, Verdict::Pass));
    // Four minors: CF01, CF02, CF04, CF06.
    let mut call = start(START);
    feed(
        &mut call,
        &[
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:32", ev("warranty_started", "2026-02-10")),
        ],
    );
    say(
        &mut call,
        "14:05:35",
        step("explain_review_period"),
        "Wait a month.",
    );
    feed(
        &mut call,
        &[
            ("14:06:00", ev("quote_amount", "10")),
            ("14:07:47", ended()),
        ],
    );
    assert_codes(&call, &["CF01", "CF02", "CF04", "CF06"]);
    assert_eq!(outcome(&call), (80, Verdict::Pass));
}

#[test]
fn a_score_of_75_fails() {
    // SD03 (15) + CF01 (5) + CF04 (5).
    let call = call_with(&[], Some(ended()));
    assert_codes(&call, &["CF01", "CF04", "SD03"]);
    assert_eq!(outcome(&call), (75, Verdict::Fail));
}

#[test]
fn a_critical_sets_the_score_to_0_and_fails() {
    // The explanation is true (SD03 only) but then the agent says the email comes soon: SD01.
    let call = call_with(
        &[
            ("14:06:00", step("expect_email_soon")),
            ("14:07:45", Event::Goodbye),
        ],
        Some(ended()),
    );
    assert_codes(&call, &["CF01", "SD01", "SD03"]);
    assert_eq!(outcome(&call), (0, Verdict::Fail));
}

#[test]
fn an_incomplete_call_with_a_critical_fails_one_without_is_incomplete() {
    for end in [None, Some(ev("call_ended", "customer_hung_up"))] {
        let critical = call_with(&[("14:06:00", step("expect_email_soon"))], end);
        assert_codes(&critical, &["CF01", "CF05", "SD01", "SD03"]);
        assert_eq!(outcome(&critical), (0, Verdict::Fail));
        assert!(!critical.outcome().complete);

        let plain = call_with(&[], end);
        // No CF04 (nothing counts as missing), SD03 and CF01 still count: 80.
        assert_codes(&plain, &["CF01", "CF05", "SD03"]);
        assert_eq!(outcome(&plain), (80, Verdict::Incomplete));
    }
    // Incomplete wins over a failing score when there is no critical.
    let low = run(
        START,
        &[
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:40", step("explain_review_period")),
            ("14:05:50", step("phone_call_partner")),
            ("14:05:55", ev("warranty_started", "2026-01-01")),
            ("14:06:00", ev("collect", "name")),
            ("14:06:10", ev("call_ended", "dropped")),
        ],
    );
    // SD03 for the early answer and for the facts that never sufficed: one finding.
    assert_codes(&low, &["CF01", "CF05", "CF06", "SD03"]);
    assert_eq!(outcome(&low), (75, Verdict::Incomplete));
}

#[test]
fn the_score_never_goes_below_zero() {
    let call = run(
        START,
        &[
            ("14:05:31", inquiry("reward_partner_no_response")),
            ("14:05:40", inquiry("reward_partner_no_response")),
            ("14:05:50", inquiry("reward_email_missing")),
            ("14:05:51", ev("warranty_started", "2026-01-01")),
            ("14:05:52", ev("first_payment", "2026-01-01")),
            ("14:07:47", ended()),
        ],
    );
    // Two empty no-response inquiries (4 majors, 2 minors each, CF03 once for the call) and an
    // empty overdue inquiry (2 majors, 1 minor), no greeting, no goodbye: 190 points.
    assert_codes(
        &call,
        &[
            "CF01", "CF03", "CF04", "SD04", "SD05", "SD05", "SD05", "SD06", "SD06", "SD07", "SD07",
            "SD08", "SD08", "SD09", "SD09", "SD11", "SD11", "SD11",
        ],
    );
    assert_eq!(outcome(&call), (0, Verdict::Fail));
}

#[test]
fn info_findings_cost_nothing() {
    let call = run(
        START,
        &[
            ("14:05:13", Event::Greeting),
            ("14:05:31", inquiry("gift_card_balance")),
            ("14:05:40", inquiry("reward_email_missing")),
            ("14:05:50", ev("warranty_started", "2026-01-01")),
            ("14:05:51", ev("first_payment", "none")),
            ("14:06:00", step("explain_review_period")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_codes(&call, &["CF07", "SD12"]);
    assert_eq!(outcome(&call), (100, Verdict::Pass));
}

#[test]
fn weights_and_threshold_are_configuration() {
    let strict = engine_with(Config {
        scoring: Scoring {
            major_penalty: 10,
            minor_penalty: 1,
            pass_threshold: 90,
            ..Scoring::default()
        },
        ..Config::default()
    });
    let mut call = start_with(strict, START);
    feed(
        &mut call,
        &[
            ("14:05:31", inquiry("reward_email_missing")),
            ("14:05:40", step("explain_review_period")),
            ("14:05:50", ev("warranty_started", "2026-02-10")),
            ("14:07:45", Event::Goodbye),
            ("14:07:47", ended()),
        ],
    );
    assert_codes(&call, &["CF01", "SD03"]);
    assert_eq!(outcome(&call), (89, Verdict::Fail));
    // The same findings under the defaults: 80, a pass.
    assert_eq!(
        score(
            call.findings().map(|f| f.severity()),
            true,
            &Scoring::default()
        ),
        callflow_workflows::CallOutcome {
            score: 80,
            verdict: Verdict::Pass,
            complete: true
        }
    );
}

#[test]
fn the_score_function_at_its_edges() {
    let scoring = Scoring::default();
    let at = |sev: &[Severity], complete| {
        let o = score(sev.iter().copied(), complete, &scoring);
        (o.score, o.verdict)
    };
    assert_eq!(at(&[], true), (100, Verdict::Pass));
    assert_eq!(at(&[Severity::Info; 9], true), (100, Verdict::Pass));
    assert_eq!(at(&[Severity::Minor; 4], true), (80, Verdict::Pass));
    assert_eq!(
        at(&[Severity::Major, Severity::Minor], true),
        (80, Verdict::Pass)
    );
    assert_eq!(at(&[Severity::Minor; 5], true), (75, Verdict::Fail));
    assert_eq!(at(&[Severity::Major; 7], true), (0, Verdict::Fail));
    assert_eq!(at(&[Severity::Major; 7], false), (0, Verdict::Incomplete));
    assert_eq!(at(&[Severity::Critical], true), (0, Verdict::Fail));
    assert_eq!(at(&[Severity::Critical], false), (0, Verdict::Fail));
    assert_eq!(at(&[Severity::Info], false), (100, Verdict::Incomplete));
}
