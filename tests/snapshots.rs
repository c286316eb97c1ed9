//! Snapshots of the bundled sample's reports in every format (files in the top-level
//! `snapshots/` folder). Their figures are checked by hand against the sample log and, for
//! the calls, by `audit_json::sample_calls_come_out_as_documented`. And the folder itself:
//! it holds the snapshots the tests take, no more, no fewer.

use std::collections::BTreeSet;

use crate::util::{
    insta_settings, rendered, sample_report, sample_report_as_cli, snapshot_names, Snapshot, ROOT,
    SAMPLE_FORMATS,
};
use callflow::audit::render::html::{self, HtmlOptions};
use callflow::audit::render::Format;

/// The HTML page as the command line writes it, made at a fixed time.
fn html_made_at_a_fixed_time(report: &callflow::audit::AuditReport) -> String {
    let made = chrono::DateTime::parse_from_rfc3339("2026-03-05T08:30:00-05:00")
        .expect("a time")
        .with_timezone(&chrono::Utc);
    let options = HtmlOptions {
        created: Some(made),
        ..HtmlOptions::default()
    };
    let mut out = Vec::new();
    html::write_with(report, &options, &mut out).expect("rendering to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_samples_report_is_pinned_in_each_format() {
    // Markdown and HTML show the transcripts of failed and incomplete calls: their rows are
    // kept, as the command line keeps them.
    let plain = sample_report();
    let with_rows = sample_report_as_cli();
    for (name, format) in SAMPLE_FORMATS {
        let report = match format {
            Format::Html => html_made_at_a_fixed_time(&with_rows),
            Format::Markdown => rendered(&with_rows, format),
            _ => rendered(&plain, format),
        };
        if format == Format::Json {
            // The JSON exactly as written (key order and layout included), not re-serialized.
            serde_json::from_str::<serde_json::Value>(&report).expect("one JSON document");
        }
        let snapshot = Snapshot::Sample(name).name();
        insta_settings().bind(|| insta::assert_snapshot!(snapshot, report));
    }
}

/// A snapshot no test takes any more (a path gone from the machines, a renamed test) would
/// stay in `snapshots/` unchecked; one a test takes without its file fails that test only
/// after writing a `.snap.new`. The names come from `Snapshot::name`, as the tests' do.
#[test]
fn the_snapshot_folder_holds_the_snapshots_the_tests_take() {
    let folder = format!("{ROOT}/snapshots");
    let files: BTreeSet<String> = std::fs::read_dir(&folder)
        .expect("the snapshots folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|name| name.strip_suffix(".snap").map(str::to_owned))
        .collect();
    let taken = snapshot_names();
    let stale: Vec<&String> = files.difference(&taken).collect();
    let missing: Vec<&String> = taken.difference(&files).collect();
    assert!(
        stale.is_empty() && missing.is_empty(),
        "snapshots/ is out of step with the tests:\n  stale (no test takes them; delete them): \
         {stale:?}\n  missing (run the tests and review the .snap.new files): {missing:?}"
    );
    assert!(!taken.is_empty(), "the tests take snapshots");
}
