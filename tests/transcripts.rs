//! Transcripts for trainers: one per path, reproducible, with every placeholder filled and the
//! dates making the path's branch true; flawed variants carry an answer key.

use std::sync::Arc;

use callflow::sim::simulate::records;
use callflow::sim::transcripts::{clean_paths, play, transcripts, TranscriptFormat};
use callflow::sim::{audit, LogReader};
use callflow::workflows::explore::Workflow;
use callflow::workflows::script::PLACEHOLDERS;
use callflow::workflows::Config;

use crate::util::{insta_settings, pinned_transcripts, Snapshot};

fn config() -> Arc<Config> {
    Arc::new(Config::default())
}

#[test]
fn every_path_has_a_transcript_and_each_is_pinned() {
    let config = config();
    let paths = clean_paths(&Workflow::ALL, &config);
    let files = pinned_transcripts();
    assert_eq!(files.len(), paths.len());
    for branch in [
        "within_review",
        "awaiting_first_payment",
        "recently_eligible",
        "overdue",
    ] {
        let name = format!("shopping_dollars/reward_email_missing/{branch}");
        assert!(
            files.iter().any(|f| f.path == name),
            "{name} has no transcript"
        );
    }
    for file in &files {
        let name = Snapshot::Transcript(file).name();
        insta_settings().bind(|| insta::assert_snapshot!(name, file.contents));
    }
}

#[test]
fn the_same_seed_gives_byte_identical_files() {
    let config = config();
    let paths = clean_paths(&Workflow::ALL, &config);
    let a = transcripts(&paths, 5, true, TranscriptFormat::Text, &config);
    let b = transcripts(&paths, 5, true, TranscriptFormat::Text, &config);
    assert_eq!(a, b);
    let c = transcripts(&paths, 6, true, TranscriptFormat::Text, &config);
    assert_ne!(a, c);
}

#[test]
fn no_transcript_leaves_a_placeholder_unfilled() {
    let config = config();
    let paths = clean_paths(&Workflow::ALL, &config);
    for format in [TranscriptFormat::Markdown, TranscriptFormat::Text] {
        for file in transcripts(&paths, 3, true, format, &config) {
            for placeholder in PLACEHOLDERS {
                assert!(
                    !file.contents.contains(placeholder),
                    "{} leaves {placeholder}",
                    file.name
                );
            }
        }
    }
}

/// Each transcript's own log, audited as a log, lands in the path's branch and passes: the
/// dates written in it make the branch true.
#[test]
fn the_dates_in_a_transcript_make_its_branch_true() {
    let config = config();
    let mut rng = fastrand::Rng::with_seed(21);
    for path in clean_paths(&Workflow::ALL, &config) {
        for round in 0..5 {
            let generated = play(&path, &mut rng, &config, &format!("T-{round}"), &[]);
            let mut log = String::from("call_id,timestamp,agent_id,event,value,text\n");
            let mut writer = csv::Writer::from_writer(Vec::new());
            for (_, record) in records(&generated) {
                writer.write_record(&record).expect("a row");
            }
            log.push_str(&String::from_utf8(writer.into_inner().expect("rows")).expect("UTF-8"));
            let report = audit(
                LogReader::new(log.as_bytes(), "t.csv").expect("header"),
                config.clone(),
            )
            .expect("an audit");
            let call = &report.calls[0];
            assert_ne!(
                call.verdict.as_str(),
                "fail",
                "{}: {:?}",
                path.name(),
                call.findings
            );
            for (inquiry, token) in call.inquiries.iter().zip(&path.tokens) {
                if let Some(branch) = inquiry.branch {
                    assert!(
                        path.tokens.iter().any(|t| t == branch),
                        "{}: audited branch {branch}, path tokens {:?} (first token {token})",
                        path.name(),
                        path.tokens
                    );
                }
            }
            let named = [
                "within_review",
                "awaiting_first_payment",
                "recently_eligible",
                "overdue",
            ];
            let path_branch = path.tokens.iter().find(|t| named.contains(&t.as_str()));
            let audited: Vec<&str> = call.inquiries.iter().filter_map(|i| i.branch).collect();
            if let Some(branch) = path_branch {
                assert!(
                    audited.contains(&branch.as_str()),
                    "{}: {audited:?}",
                    path.name()
                );
            }
        }
    }
}

#[test]
fn flawed_variants_end_with_an_answer_key_the_audit_agrees_with() {
    let config = config();
    let paths = clean_paths(&Workflow::ALL, &config);
    let files = transcripts(&paths, 2, true, TranscriptFormat::Markdown, &config);
    let flawed: Vec<_> = files
        .iter()
        .filter(|f| f.name.contains("__flawed"))
        .collect();
    assert!(
        flawed.len() * 2 >= paths.len(),
        "most paths have a flawed variant"
    );
    for file in flawed {
        let key = file
            .contents
            .split("## Answer key")
            .nth(1)
            .unwrap_or_else(|| panic!("{} has no answer key", file.name));
        assert!(key.contains("Expected verdict: "), "{}", file.name);
        assert!(key.contains("Deviation: "), "{}", file.name);
    }
}
