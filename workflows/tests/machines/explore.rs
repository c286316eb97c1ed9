//! Exploration over the built-in procedures: their paths and graph edges come from the
//! machines, each edge labelled with the condition of its sample.

use callflow_workflows::explore::{graph, paths, Workflow};

use crate::support::engine;

fn workflow(name: &str) -> Workflow {
    Workflow::from_name(&engine(), name).expect("a registered workflow")
}

fn path_names(name: &str) -> Vec<String> {
    paths(&engine(), workflow(name))
        .iter()
        .map(|p| p.name())
        .collect()
}

#[test]
fn paths_cover_every_review_branch() {
    let names = path_names("shopping_dollars");
    for branch in [
        "within_review",
        "awaiting_first_payment",
        "recently_eligible",
        "overdue",
    ] {
        let name = format!("shopping_dollars/reward_email_missing/{branch}");
        assert!(names.contains(&name), "{name} missing from {names:#?}");
    }
}

#[test]
fn paid_call_paths_include_the_after_hours_follow_up() {
    let names = path_names("paid_call");
    for name in [
        "paid_call/warranty_cancellation/no_amount+follow_up_later",
        "paid_call/warranty_cancellation/no_amount+verify_in_chat+chat_paid_call",
        "paid_call/warranty_cancellation/amount_shown+amount_disputed",
    ] {
        assert!(
            names.contains(&name.to_owned()),
            "{name} missing from {names:#?}"
        );
    }
}

#[test]
fn graph_edges_carry_the_branch_conditions() {
    let graph = graph(&engine(), workflow("shopping_dollars"));
    let edge = graph
        .edges
        .iter()
        .find(|e| e.from == "awaiting_facts" && e.to == "within_review")
        .expect("awaiting_facts -> within_review");
    assert_eq!(edge.labels, vec!["warranty_started [d ≤ 29]".to_owned()]);
    assert!(graph.states.contains(&"overdue"));
    assert_eq!((graph.initial, graph.last), ("idle", "closed"));
}

#[test]
fn every_workflow_has_a_name_the_command_line_finds() {
    let engine = engine();
    let names: Vec<&str> = Workflow::all(&engine)
        .iter()
        .map(|w| w.name(&engine))
        .collect();
    assert_eq!(names, ["call_frame", "shopping_dollars", "paid_call"]);
    assert_eq!(Workflow::from_name(&engine, "nope"), None);
}
