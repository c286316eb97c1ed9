//! `examples/custom_procedure.rs`: an address change written outside the crates, registered
//! beside the built-in procedures, audited, drawn, explored and played as a transcript.

#[path = "../examples/custom_procedure.rs"]
#[allow(dead_code)]
mod example;

use callflow::workflows::Verdict;

#[test]
fn the_custom_procedure_is_audited_beside_the_built_in_ones() {
    let demo = example::demo().expect("the example runs");
    let calls: Vec<(&str, Verdict, u32, Vec<String>)> = demo
        .report
        .calls
        .iter()
        .map(|c| {
            let codes = c.findings.iter().map(|f| f.code.to_string()).collect();
            (c.call_id.as_str(), c.verdict, c.score, codes)
        })
        .collect();
    let expected = vec![
        ("A-1", Verdict::Pass, 100, vec![]),
        ("A-2", Verdict::Fail, 0, vec!["AC01".to_owned()]),
        ("A-3", Verdict::Pass, 85, vec!["AC02".to_owned()]),
        ("S-1", Verdict::Pass, 100, vec![]),
        ("P-1", Verdict::Pass, 100, vec![]),
    ];
    assert_eq!(calls, expected);
    // The address change's inquiry after a reward-email inquiry in the same call: both
    // procedures ran, each in its own machine.
    let s1 = &demo.report.calls[3];
    let states: Vec<&str> = s1.inquiries.iter().map(|i| i.state).collect();
    assert_eq!(states, ["within_review", "confirmed"]);
    assert_eq!(demo.report.rows.rejected, 0);
}

#[test]
fn its_graph_paths_and_transcript_come_from_its_machine() {
    let demo = example::demo().expect("the example runs");
    for edge in [
        "idle --> unverified: inquiry [address_change]",
        "unverified --> verified: verify_identity",
        "unverified --> updated: update_record",
        "updated --> confirmed: confirm_change",
    ] {
        assert!(demo.mermaid.contains(edge), "{edge}:\n{}", demo.mermaid);
    }
    assert!(demo
        .paths
        .contains(&"address_change/address_change/verified+updated+confirmed".to_owned()));
    let (name, transcript) = &demo.transcript;
    assert_eq!(
        name,
        "address_change__address_change__verified+updated+confirmed.md"
    );
    assert!(transcript.contains("I've moved and need to change the address"));
    assert!(transcript.contains("A confirmation letter will reach the new address"));
    assert!(
        !transcript.contains('<'),
        "every placeholder filled:\n{transcript}"
    );
    // The codes are registered: they read back by name.
    assert_eq!(
        demo.engine.code("AC01").map(|c| c.description()),
        Some("the record was changed before the caller's identity was verified")
    );
}
