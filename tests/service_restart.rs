//! `examples/service_restart.rs`: a service that saves its open calls, stops, and resumes
//! them prints the same verdicts as one that never stopped.

#[path = "../examples/service_restart.rs"]
#[allow(dead_code)]
mod example;

#[test]
fn the_restart_changes_no_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("open-calls.jsonl");
    let restarted = example::run(true, &state).expect("the run with a restart");
    let straight = example::run(false, &state).expect("the run without one");
    assert!(
        restarted.open_at_restart >= 40,
        "only {} calls open at the restart: the restart would test little",
        restarted.open_at_restart
    );
    assert_eq!(straight.open_at_restart, 0);
    assert_eq!(restarted.outcomes.len(), 400);
    assert_eq!(restarted.outcomes, straight.outcomes);
    // Some calls failed and some passed: the comparison is over verdicts that differ.
    assert!(restarted.outcomes.iter().any(|o| o.contains(" fail ")));
    assert!(restarted.outcomes.iter().any(|o| o.contains(" pass ")));
    assert!(!state.exists(), "the saved state is consumed on resume");
}
