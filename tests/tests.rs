//! Integration tests of callflow, as one test binary, a module per topic:
//! - `audit_json`: the JSON contract, field by field, for the sample and every log;
//! - `audit_logs`: the hand-written logs under `tests/logs/`, each with its exact outcome;
//! - `audit_cli`: the command line, its exit codes and `--out`;
//! - `custom_procedure`: `examples/custom_procedure.rs`, a procedure of one's own, run and checked;
//! - `diagrams`: the machines' diagrams, pinned, and their copies in ARCHITECTURE.md;
//! - `faults`: the catalogue of input faults (docs/INPUT-FAULTS.md), one test per item;
//! - `handouts`: trainers' exercises, answer sheets and role-plays, keys held to the audit;
//! - `history`: the audit history on SQLite and PostgreSQL: stored runs, re-audited calls,
//!   trends, notable moves, and the failures that must leave nothing behind;
//! - `html`: the HTML report, also rendered by a headless browser;
//! - `input`: input a busy user gets wrong: nothing replayable, most rows rejected, `;` and
//!   tab exports, column names, `--out` extensions;
//! - `integrity`: a run that loses a call fails (faults injected into the pipeline);
//! - `spill`: issue #23, open calls spilled to disk under `--memory-limit`, the same reports;
//! - `pipeline`: the same report on any number of threads, the streamed JSON, histories;
//! - `policy_cli`: `callflow policy init|check`, `--policy`, a bad policy's line and column;
//! - `properties`: properties over generated and corrupted logs (proptest);
//! - `registry`: every registered procedure has its diagram, its codes raised, its branches taught;
//! - `service_restart`: `examples/service_restart.rs`, open calls saved and resumed, same verdicts;
//! - `reports`: the QA lead's reports: severity first, findings in plain words, the JSON's
//!   additions, the spreadsheet exports and their neutralised cells;
//! - `simulate`: simulated logs audited against their answer keys;
//! - `speech`: issue #19, calls tagged from transcripts: recall and precision per event on
//!   the frozen and tuning corpus, the tagged calls' audit, Contact Lens against turns;
//! - `snapshots`: the sample's reports pinned, and the `snapshots/` folder kept in step;
//! - `transcripts`: the trainers' transcripts, one per path, pinned, read for consistency;
//! - `trust`: the QA lead's loop: audit, review sample, calibration against evaluators,
//!   disputes settled by overrides, the audit again.
//!
//! `util` holds what they share; snapshots are files in the top-level `snapshots/` folder.

#[macro_use]
mod util;

mod audit_cli;
mod audit_json;
mod audit_logs;
mod custom_procedure;
mod diagrams;
mod faults;
mod handouts;
mod history;
mod html;
mod input;
mod integrity;
mod pipeline;
mod policy_cli;
mod properties;
mod registry;
mod reports;
mod service_restart;
mod simulate;
mod snapshots;
mod speech;
mod spill;
mod transcripts;
mod trust;

/// The header above names every topic module, so that it cannot fall behind the list again.
#[test]
fn the_header_names_every_module() {
    let source = include_str!("tests.rs");
    let header: String = source
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .collect();
    let modules: Vec<&str> = source
        .lines()
        .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';'))
        .filter(|name| *name != "util")
        .collect();
    assert!(!modules.is_empty());
    for module in modules {
        assert!(
            header.contains(&format!("`{module}`: ")),
            "the header of tests/tests.rs does not name `{module}`"
        );
    }
}
