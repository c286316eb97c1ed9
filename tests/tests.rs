//! Integration tests of `callflow audit`, as one test binary: the JSON contract
//! (`audit_json`), the hand-written logs under `tests/logs/` with their exact outcomes
//! (`audit_logs`), the command line and its exit codes (`audit_cli`), and the snapshots of
//! the sample's reports (`snapshots`, files in the top-level `snapshots/` folder).

#[macro_use]
mod util;

mod audit_cli;
mod audit_json;
mod audit_logs;
mod diagrams;
mod faults;
mod html;
mod integrity;
mod pipeline;
mod properties;
mod simulate;
mod snapshots;
mod transcripts;
