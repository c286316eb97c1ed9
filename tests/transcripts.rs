//! Transcripts for trainers: one per path, reproducible, with every placeholder filled and the
//! dates making the path's branch true; flawed variants carry an answer key.

use std::sync::Arc;

use callflow::audit::{audit, LogReader};
use callflow::gen::simulate::records;
use callflow::gen::transcripts::{clean_paths, play, transcripts, TranscriptFormat};
use callflow::workflows::explore::Workflow;
use callflow::workflows::script::PLACEHOLDERS;
use callflow::workflows::Engine;

use crate::util::{insta_settings, pinned_transcripts, Snapshot};

fn engine() -> Arc<Engine> {
    Arc::new(Engine::builtin())
}

#[test]
fn every_path_has_a_transcript_and_each_is_pinned() {
    let engine = engine();
    let paths = clean_paths(&Workflow::all(&engine), &engine);
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
    let engine = engine();
    let paths = clean_paths(&Workflow::all(&engine), &engine);
    let a = transcripts(&paths, 5, true, TranscriptFormat::Text, &engine);
    let b = transcripts(&paths, 5, true, TranscriptFormat::Text, &engine);
    assert_eq!(a, b);
    let c = transcripts(&paths, 6, true, TranscriptFormat::Text, &engine);
    assert_ne!(a, c);
}

#[test]
fn no_transcript_leaves_a_placeholder_unfilled() {
    let engine = engine();
    let paths = clean_paths(&Workflow::all(&engine), &engine);
    for format in [TranscriptFormat::Markdown, TranscriptFormat::Text] {
        for file in transcripts(&paths, 3, true, format, &engine) {
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
    let engine = engine();
    let mut rng = fastrand::Rng::with_seed(21);
    for path in clean_paths(&Workflow::all(&engine), &engine) {
        for round in 0..5 {
            let generated = play(&path, &mut rng, &engine, &format!("T-{round}"), &[]);
            let mut log = String::from("call_id,timestamp,agent_id,event,value,text\n");
            let mut writer = csv::Writer::from_writer(Vec::new());
            for (_, record) in records(&generated) {
                writer.write_record(&record).expect("a row");
            }
            log.push_str(&String::from_utf8(writer.into_inner().expect("rows")).expect("UTF-8"));
            let report = audit(
                LogReader::new(log.as_bytes(), "t.csv").expect("header"),
                engine.clone(),
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
    let engine = engine();
    let paths = clean_paths(&Workflow::all(&engine), &engine);
    let files = transcripts(&paths, 2, true, TranscriptFormat::Markdown, &engine);
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
