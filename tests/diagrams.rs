//! The diagrams: derived from the machines by exploration, pinned by snapshots, and the copies
//! in ARCHITECTURE.md must match what the machines give today.

use callflow::workflows::explore::{graph, Workflow};

use crate::util::{engine, insta_settings, Snapshot, DIAGRAM_LANGUAGES, ROOT};

#[test]
fn each_machine_diagram_is_pinned() {
    let engine = engine();
    for workflow in Workflow::all(&engine) {
        let g = graph(&engine, workflow);
        for (language, draw) in DIAGRAM_LANGUAGES {
            let name = Snapshot::Diagram(workflow.name(&engine), language).name();
            insta_settings().bind(|| insta::assert_snapshot!(name, draw(&g)));
        }
    }
}

/// The Mermaid blocks between `<!-- diagram:NAME -->` and `<!-- /diagram -->` in
/// ARCHITECTURE.md are regenerated here; when a machine changes, this fails until the file is
/// updated (`callflow graph --workflow NAME`).
#[test]
fn the_diagrams_in_architecture_md_match_the_machines() {
    let doc = std::fs::read_to_string(format!("{ROOT}/ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let engine = engine();
    for workflow in Workflow::all(&engine) {
        let name = workflow.name(&engine);
        let open = format!("<!-- diagram:{name} -->");
        let start = doc
            .find(&open)
            .unwrap_or_else(|| panic!("ARCHITECTURE.md has no {open}"));
        let body = &doc[start + open.len()..];
        let end = body
            .find("<!-- /diagram -->")
            .expect("a closing <!-- /diagram -->");
        let expected = format!(
            "\n```mermaid\n{}```\n",
            graph(&engine, workflow).to_mermaid()
        );
        assert_eq!(
            &body[..end],
            expected,
            "the {} diagram in ARCHITECTURE.md is stale: regenerate it with `callflow graph --workflow {}`",
            name,
            name
        );
    }
}
