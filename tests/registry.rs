//! Over the registry: every registered procedure has its diagram, the test logs raise every
//! one of its codes, and its clean paths (the trainers' transcripts) cover every state that
//! names a path. A procedure added in one folder and one registry line is held to all three.

use std::collections::BTreeSet;

use callflow::gen::transcripts::clean_paths;
use callflow::workflows::explore::{alphabet, graph, paths, Workflow};

use crate::audit_logs::auditable_logs;
use crate::util::{audit_log, engine, ROOT};

#[test]
fn every_procedure_has_its_diagram_in_architecture_md_and_in_the_snapshots() {
    let engine = engine();
    let doc = std::fs::read_to_string(format!("{ROOT}/ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    for procedure in engine.procedures() {
        let name = procedure.name();
        assert!(
            doc.contains(&format!("<!-- diagram:{name} -->")),
            "ARCHITECTURE.md has no diagram of {name}"
        );
        for language in ["mermaid", "dot"] {
            let snapshot = format!("{ROOT}/snapshots/diagram_{name}_{language}.snap");
            assert!(std::path::Path::new(&snapshot).exists(), "no {snapshot}");
        }
    }
}

#[test]
fn the_test_logs_raise_every_code_of_every_procedure() {
    let mut raised = BTreeSet::new();
    for log in auditable_logs() {
        for call in audit_log(log).calls {
            raised.extend(call.findings.iter().map(|f| f.code));
        }
    }
    let engine = engine();
    let missing: Vec<String> = engine
        .codes()
        .iter()
        .filter(|code| !raised.contains(code))
        .map(|code| code.to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "codes no log under tests/logs raises: {missing:?}"
    );
}

#[test]
fn the_clean_paths_of_every_procedure_cover_its_branches() {
    let engine = engine();
    for workflow in Workflow::all(&engine) {
        if workflow == Workflow::CallFrame {
            continue;
        }
        let Workflow::Procedure(index) = workflow else {
            continue;
        };
        let procedure = engine.procedure(index).expect("a registered procedure");
        // A path that stops before any branch is named by the state it stopped in (waiting
        // for the facts): that state names no branch to teach.
        let samples = alphabet(&engine, workflow, chrono::NaiveDate::default());
        let names_no_branch: BTreeSet<&str> = graph(&engine, workflow)
            .states
            .into_iter()
            .filter(|state| {
                samples
                    .iter()
                    .all(|sample| procedure.path_token(state, sample).is_none())
            })
            .collect();
        let every: BTreeSet<String> = paths(&engine, workflow)
            .into_iter()
            .flat_map(|p| p.tokens)
            .filter(|token| !names_no_branch.contains(token.as_str()))
            .collect();
        assert!(every.len() > 3, "{every:?}");
        let clean: BTreeSet<String> = clean_paths(&[workflow], &engine)
            .into_iter()
            .flat_map(|p| p.tokens)
            .collect();
        let uncovered: Vec<&String> = every.difference(&clean).collect();
        assert!(
            uncovered.is_empty(),
            "{}: states no clean path (no transcript) goes through: {uncovered:?}",
            workflow.name(&engine)
        );
    }
}
