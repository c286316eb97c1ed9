//! Snapshots of the bundled sample's reports in every format (files in the top-level
//! `snapshots/` folder). Their figures are checked by hand against the sample log and, for
//! the calls, by `audit_json::sample_calls_come_out_as_documented`.

use crate::util::{insta_settings, rendered, sample_report};
use callflow::sim::render::Format;

#[test]
fn sample_text_report() {
    let report = rendered(&sample_report(), Format::Text);
    insta_settings().bind(|| insta::assert_snapshot!("sample_text", report));
}

#[test]
fn sample_markdown_report() {
    let report = rendered(&sample_report(), Format::Markdown);
    insta_settings().bind(|| insta::assert_snapshot!("sample_markdown", report));
}

#[test]
fn sample_csv_report() {
    let report = rendered(&sample_report(), Format::Csv);
    insta_settings().bind(|| insta::assert_snapshot!("sample_csv", report));
}

/// The JSON exactly as written (key order and layout included), not re-serialized.
#[test]
fn sample_json_report() {
    let report = rendered(&sample_report(), Format::Json);
    serde_json::from_str::<serde_json::Value>(&report).expect("one JSON document");
    insta_settings().bind(|| insta::assert_snapshot!("sample_json", report));
}
