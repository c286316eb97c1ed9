//! Issue #19: calls tagged from what was said. The corpus is `tests/speech/` (its README):
//! the frozen half, written and committed before any phrase list, measures; so do the second
//! frozen half (`frozen2/`, committed before the lists changed again) and the third
//! (`frozen3/`, written blind); the tuning half is what the lists were fitted to. Recall and
//! precision per event on each half (the table is printed; `docs/RECOGNITION.md` holds a copy),
//! the audit of the tagged calls against the audit of the intended logs, Contact Lens against
//! turns, and bad input.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use callflow::audit::tag::{tag, Source, TagOutcome};
use callflow::audit::{audit, AuditReport, LogReader};
use callflow::workflows::Engine;
use chrono::{DateTime, FixedOffset};

use crate::util::{engine, ROOT};

fn half(name: &str) -> PathBuf {
    Path::new(ROOT).join("tests/speech").join(name)
}

/// Tags a half from its turns (or its Contact Lens folder).
fn tagged(name: &str, contact_lens: bool) -> (String, TagOutcome) {
    tagged_by(&engine(), name, contact_lens)
}

/// Tags a half with `engine`'s recognition.
fn tagged_by(engine: &Engine, name: &str, contact_lens: bool) -> (String, TagOutcome) {
    let dir = half(name);
    let facts = fs::read(dir.join("facts.csv")).unwrap();
    let turns = fs::read(dir.join("turns.csv")).unwrap();
    let lens = dir.join("contact-lens");
    let source = if contact_lens {
        Source::ContactLens(&lens)
    } else {
        Source::Turns(turns.as_slice(), "turns.csv")
    };
    let mut out = Vec::new();
    let outcome = tag(engine, facts.as_slice(), "facts.csv", source, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), outcome)
}

/// A transcript row, as compared: call, instant, event, value (reasons no procedure covers
/// all read as one, as the corpus's README allows).
type Key = (String, DateTime<FixedOffset>, String, String);

const COVERED: &[&str] = &[
    "reward_email_missing",
    "reward_site_issue",
    "reward_partner_no_response",
    "warranty_cancellation",
];

fn transcript_rows(log: &str) -> Vec<(Key, String)> {
    let mut reader = csv::Reader::from_reader(log.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (id, ts, ev, val, text, src) = (
        col("call_id"),
        col("timestamp"),
        col("event"),
        col("value"),
        col("text"),
        col("source"),
    );
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[src] == "transcript")
        .map(|r| {
            let mut value = r[val].to_owned();
            if &r[ev] == "inquiry" && !COVERED.contains(&value.as_str()) {
                value = "(uncovered)".to_owned();
            }
            let at = DateTime::parse_from_rfc3339(&r[ts]).unwrap();
            (
                (r[id].to_owned(), at, r[ev].to_owned(), value),
                r[text].to_owned(),
            )
        })
        .collect()
}

/// Per event: (true positives, false positives, false negatives).
type Counts = BTreeMap<String, (usize, usize, usize)>;

fn compare(expected: &str, got: &str, detail: bool) -> Counts {
    let mut want: BTreeMap<Key, usize> = BTreeMap::new();
    let mut texts: BTreeMap<Key, String> = BTreeMap::new();
    for (k, t) in transcript_rows(expected) {
        *want.entry(k.clone()).or_default() += 1;
        texts.insert(k, t);
    }
    let mut counts = Counts::new();
    for (k, t) in transcript_rows(got) {
        let entry = counts.entry(k.2.clone()).or_default();
        match want.get_mut(&k) {
            Some(n) if *n > 0 => {
                *n -= 1;
                entry.0 += 1;
            }
            _ => {
                entry.1 += 1;
                if detail {
                    eprintln!("  extra   {} {} {:?} <- {t:?}", k.0, k.2, k.3);
                }
            }
        }
    }
    for (k, n) in want {
        if n > 0 {
            counts.entry(k.2.clone()).or_default().2 += n;
            if detail {
                eprintln!("  missing {} {} {:?} <- {:?}", k.0, k.2, k.3, texts[&k]);
            }
        }
    }
    counts
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// All events together: (found as intended, found but not intended, intended not found).
fn totals(counts: &Counts) -> (usize, usize, usize) {
    counts
        .values()
        .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2))
}

/// The table: event, expected count, recall, precision.
fn table(name: &str, counts: &Counts) -> String {
    let mut out = format!(
        "{name} half\n| event | expected | found | recall | precision |\n|---|---:|---:|---:|---:|\n"
    );
    let (mut tp, mut fp, mut fnn) = (0, 0, 0);
    for (event, (t, f, n)) in counts {
        tp += t;
        fp += f;
        fnn += n;
        out += &format!(
            "| `{event}` | {} | {} | {:.2} | {:.2} |\n",
            t + n,
            t + f,
            ratio(*t, t + n),
            ratio(*t, t + f)
        );
    }
    out += &format!(
        "| all | {} | {} | {:.3} | {:.3} |\n\n{tp} found as intended, {fp} found but not intended, {fnn} intended but not found\n",
        tp + fnn,
        tp + fp,
        ratio(tp, tp + fnn),
        ratio(tp, tp + fp)
    );
    out
}

fn measure(name: &str, detail: bool) -> Counts {
    measure_by(&engine(), name, detail)
}

fn measure_by(engine: &Engine, name: &str, detail: bool) -> Counts {
    let (log, outcome) = tagged_by(engine, name, false);
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
    let expected = fs::read_to_string(half(name).join("expected.csv")).unwrap();
    let counts = compare(&expected, &log, detail);
    println!("{}", table(name, &counts));
    counts
}

/// The tuning half: what the lists were fitted to (mismatches printed, to tune by).
#[test]
fn recognition_on_the_tuning_half() {
    let counts = measure("tuning", true);
    let (tp, fp, fnn) = totals(&counts);
    assert!(
        ratio(tp, tp + fnn) >= 0.95 && ratio(tp, tp + fp) >= 0.95,
        "{}",
        table("tuning", &counts)
    );
}

/// The frozen half, as measured (docs/RECOGNITION.md): all events together hold what they
/// reach now (all 155 intended steps found, none not intended; 145 before the round of general
/// variants of 3 December, 147 before the classifier, 151 before the round of 5 December that
/// read `frozen4/`'s misses; the lists and the classifier have learned from this half, so it
/// no longer measures). Its mismatches are not printed.
#[test]
fn recognition_on_the_frozen_half() {
    holds_as_measured("frozen", 155, 155, 0);
}

/// The second frozen half (`frozen2/`, committed before any change to the lists that
/// followed it): all events together hold what they reach now (168 of 169 intended steps
/// found, none not intended). Measured blind first: 164 found, 4 not intended. The later
/// figure is not blind: its author wrote the round of variants (docs/RECOGNITION.md). Its
/// mismatches are not printed either.
#[test]
fn recognition_on_the_second_frozen_half() {
    holds_as_measured("frozen2", 169, 169, 0);
}

/// The third frozen half (`frozen3/`, written blind on 4 December 2026 by an author who read
/// neither the lists nor the other halves' utterances, and committed before any change to the
/// lists): measured once, blind, at 429e373 (the lists of 4bbfa88): 156 of 168 intended steps
/// found, 5 steps found that were not intended. The classifier now learns from it and the
/// lists were mended on its misses, so it holds 168 and 0, not blind. Its mismatches are not
/// printed.
#[test]
fn recognition_on_the_third_frozen_half() {
    holds_as_measured("frozen3", 168, 168, 0);
}

/// The fourth frozen half (`frozen4/`, written blind on 5 December 2026 by an author who read
/// neither the lists, nor the classifier's examples, nor the other halves' utterances, and
/// committed by itself before it was measured): measured once, blind, with the classifier:
/// 179 of 187 intended steps found, 7 found that were not intended (the lists alone, blind:
/// 173 and 8 by docs/RECOGNITION.md's count). Its misses were then read and mended, and the
/// classifier learns from it, so it holds all 187 and none extra, not blind.
#[test]
fn recognition_on_the_fourth_frozen_half() {
    holds_as_measured("frozen4", 187, 187, 0);
}

/// The fifth frozen half (`frozen5/`, written blind on 5 December 2026 by an author who read
/// neither the lists, nor the classifier's examples, nor the other halves' utterances, and
/// committed by itself, 56f41dd, before it was measured): measured once, blind, with the
/// recogniser of c6cb975: 174 of 185 intended steps found, 4 found that were not intended (the
/// lists alone: 168 and 4), 14 of 22 calls audited alike. Its misses were then read and
/// mended, and the classifier learns from it, so it holds all 185 and none extra, not blind.
#[test]
fn recognition_on_the_fifth_frozen_half() {
    holds_as_measured("frozen5", 185, 185, 0);
}

/// The sixth frozen half (`frozen6/`, written blind on 5 December 2026 under the fifth's rules
/// while the recogniser was mended on the fifth's misses, and committed by itself, 9e3e3ac,
/// before it was measured): measured once, blind, with the recogniser of 4404930: 167 of 178
/// intended steps found, 2 found that were not intended (the lists alone: 162 and 2), 15 of
/// 22 calls audited alike. Its misses were then read and mended (the reason read from the
/// agent's answer among them), and the classifier learns from it, so it holds all 178 and
/// none extra, not blind.
#[test]
fn recognition_on_the_sixth_frozen_half() {
    holds_as_measured("frozen6", 178, 178, 0);
}

/// The seventh frozen half (`frozen7/`, written blind on 5 December 2026 while the recogniser
/// was mended on the sixth's misses, and committed by itself, 7638354, before it was
/// measured): measured once, blind, with the recogniser of de5342b (the reason read from the
/// agent's answer included): 170 of 180 intended steps found, 7 found that were not intended
/// (the lists alone: 164 and 8). Measured a second time after the classifier learned from the
/// two training halves and the name readers were mended on them (not on this half): 173
/// found, 8 not intended; and a fourth time after two more training halves: 172 found, 9 not
/// intended (16 of 22 calls alike, one fewer). Nobody has read its mismatches; they are not
/// printed.
#[test]
fn recognition_on_the_seventh_frozen_half() {
    holds_as_measured("frozen7", 180, 172, 9);
}

/// The training halves (`train1/`, `train2/`, written on 5 December 2026 for the classifier to
/// learn from, by authors who read neither the lists nor the other halves' utterances):
/// measured once before anything learned from them (162 of 193 found, 9 not intended; 166 of
/// 192, 9), then learned from and mended on (not blind): they hold these. Likewise `train3/`
/// and `train4/` (ordinary wording; blind, 188 of 196 found, 3 not intended; 193 of 204, 4).
#[test]
fn recognition_on_the_training_halves() {
    holds_as_measured("train1", 193, 189, 1);
    holds_as_measured("train2", 192, 185, 6);
    holds_as_measured("train3", 196, 195, 1);
    holds_as_measured("train4", 204, 203, 3);
}

/// The eighth frozen half (`frozen8/`, written blind on 5 December 2026 as ordinary calls in
/// everyday proportions, committed by itself, 6423124, before it was measured): measured
/// once, blind, with the recogniser of 7aaf6df: 166 of 172 intended steps found, 4 found that
/// were not intended (the lists alone: 159 and 5), 19 of 22 calls audited alike. Nobody has
/// read its mismatches; they are not printed.
#[test]
fn recognition_on_the_eighth_frozen_half() {
    holds_as_measured("frozen8", 172, 166, 4);
}

/// A frozen half's recognition, all events together, holds its measured figures: `intended`
/// steps in its answer key, at least `found` of them found, at most `extra` steps found that
/// were not intended. Its mismatches are not printed (it measures; it is not tuned to).
fn holds_as_measured(half: &str, intended: usize, found: usize, extra: usize) {
    let counts = measure(half, false);
    let (tp, fp, fnn) = totals(&counts);
    let table = table(half, &counts);
    assert_eq!(tp + fnn, intended, "{table}");
    assert!(tp >= found && fp <= extra, "{table}");
}

/// A half left out of the classifier's examples (the CLI's measure: `tests/speech/examples.py
/// --leave-out HALF --policy`): the half, intended steps found, at least, and steps found that
/// were not intended, at most. The phrase lists alone read 185 / 0, 180 / 0 and 170 / 3.
const LEFT_OUT: [(&str, usize, usize); 3] = [
    ("frozen4", 187, 0),
    ("frozen5", 185, 0),
    ("frozen6", 177, 1),
];

/// The halves the classifier learns from (`tests/speech/examples.py`): every half but
/// `frozen7/`, which measures it.
const LEARNED_FROM: [&str; 11] = [
    "tuning", "frozen", "frozen2", "frozen3", "frozen4", "frozen5", "frozen6", "train1", "train2",
    "train3", "train4",
];

/// The procedure each department's calls follow (procedures.md).
fn procedure_of(department: &str) -> &'static str {
    match department {
        "Home Warranty Rewards" => "shopping_dollars",
        "Membership Services Retention" => "paid_call",
        other => panic!("no procedure for {other}"),
    }
}

/// The labelled examples of these halves, by procedure, as `tests/speech/examples.py`
/// writes them: `speaker<TAB>steps<TAB>text`.
fn examples_of(halves: &[&str]) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for name in halves {
        let records = |file: &str| -> Vec<csv::StringRecord> {
            let text = fs::read_to_string(half(name).join(file)).unwrap();
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            reader.records().map(Result::unwrap).collect()
        };
        let procedure: BTreeMap<String, &'static str> = records("facts.csv")
            .iter()
            .filter(|r| &r[3] == "call_started")
            .map(|r| (r[0].to_owned(), procedure_of(&r[4])))
            .collect();
        let mut steps: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
        for r in records("expected.csv")
            .iter()
            .filter(|r| &r[6] == "transcript")
        {
            let (event, value) = (&r[3], &r[4]);
            let value = match (event, value) {
                ("inquiry", "change_payment_date") => "billing_question",
                ("inquiry", "change_payment_card") => "update_payment_method",
                ("inquiry", "update_phone_number") => "update_contact_details",
                ("inquiry", "schedule_repair_visit") => "service_appointment",
                _ => value,
            };
            let label = match event {
                "inquiry" | "record_mismatch" => format!("{event}={value}"),
                _ => event.to_owned(),
            };
            let key = (r[0].to_owned(), r[1].to_owned(), r[5].to_owned());
            steps.entry(key).or_default().push(label);
        }
        for r in records("turns.csv") {
            let key = (r[0].to_owned(), r[1].to_owned(), r[3].to_owned());
            let said = steps.get(&key).map(|s| s.join(" ")).unwrap_or_default();
            let text = r[3].split_whitespace().collect::<Vec<_>>().join(" ");
            out.entry(procedure[&r[0]])
                .or_default()
                .push(format!("{}\t{said}\t{text}", r[2].to_lowercase()));
        }
    }
    out
}

/// The built-in engine with its procedures' examples replaced by these (a policy's
/// `[<procedure>.recognition] examples`).
fn engine_learning_from(examples: &BTreeMap<&'static str, Vec<String>>) -> Engine {
    let mut config = engine().config().clone();
    for procedure in ["shopping_dollars", "paid_call"] {
        let lines = examples.get(procedure).cloned().unwrap_or_default();
        config
            .recognition
            .entry(procedure.to_owned())
            .or_default()
            .insert("examples".to_owned(), lines);
    }
    engine().with_config(config).unwrap()
}

/// The procedures' `examples.tsv` are the eleven learned-from halves of the corpus as
/// `tests/speech/examples.py` writes them: the classifier learns from what their answer keys
/// say, and from nothing of `frozen7/`.
#[test]
fn the_procedures_examples_are_the_corpus_halves() {
    let examples = examples_of(&LEARNED_FROM);
    for (procedure, lines) in &examples {
        let path =
            Path::new(ROOT).join(format!("workflows/src/procedures/{procedure}/examples.tsv"));
        let file = fs::read_to_string(&path).unwrap();
        let declared: Vec<&str> = file.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            declared,
            *lines,
            "{} is out of date: run tests/speech/examples.py",
            path.display()
        );
    }
}

/// The classifier reads what it did not learn from: with a frozen half left out of its
/// examples, that half is read better than by the phrase lists alone (no examples), and no
/// worse than measured (docs/RECOGNITION.md, "Learned from examples").
#[test]
fn the_classifier_reads_a_half_it_did_not_learn_from() {
    let lists_alone = engine_learning_from(&BTreeMap::new());
    for (left_out, found, extra) in LEFT_OUT {
        let others: Vec<&str> = LEARNED_FROM
            .into_iter()
            .filter(|h| *h != left_out)
            .collect();
        let learned = totals(&measure_by(
            &engine_learning_from(&examples_of(&others)),
            left_out,
            false,
        ));
        let lists = totals(&measure_by(&lists_alone, left_out, false));
        println!(
            "{left_out} left out: {learned:?} against the lists alone {lists:?} (found, extra, missed)"
        );
        assert!(
            learned.0 > lists.0 && learned.1 <= lists.1,
            "{left_out}: {learned:?} against {lists:?}"
        );
        assert!(
            learned.0 >= found && learned.1 <= extra,
            "{left_out}: {learned:?}"
        );
    }
}

/// The halves that measure the recogniser, written blind and never read: the lists were not
/// mended on them and the classifier does not learn from them (`tests/speech/examples.py`).
const BLIND: [&str; 2] = ["frozen7", "frozen8"];

/// Issue #19's bar: each event's recall and precision at least 0.95 on the blind frozen halves.
/// Not met yet (docs/RECOGNITION.md lists the events under it): run with `--ignored`.
#[test]
#[ignore = "issue #19's 0.95 per event on the frozen half is not reached (docs/RECOGNITION.md)"]
fn recognition_on_the_frozen_half_reaches_the_issue_bar() {
    for half in BLIND {
        let counts = measure(half, false);
        let below: Vec<&String> = counts
            .iter()
            .filter(|(_, (t, f, n))| ratio(*t, t + n) < 0.95 || ratio(*t, t + f) < 0.95)
            .map(|(e, _)| e)
            .collect();
        assert!(
            below.is_empty(),
            "{half}: under 0.95: {below:?}\n{}",
            table(half, &counts)
        );
    }
}

fn audit_of(log: &str) -> AuditReport {
    let reader = LogReader::new(log.as_bytes(), "log.csv").unwrap();
    audit(reader, Arc::clone(&engine())).unwrap()
}

fn verdicts(report: &AuditReport) -> BTreeMap<String, (String, u32, Vec<String>)> {
    report
        .calls
        .iter()
        .map(|c| {
            let mut codes: Vec<String> = c.findings.iter().map(|f| f.code.to_string()).collect();
            codes.sort();
            (
                c.call_id.clone(),
                (c.verdict.as_str().to_owned(), c.score, codes),
            )
        })
        .collect()
}

fn same_audit(name: &str) -> (usize, usize) {
    let (log, _) = tagged(name, false);
    let expected = fs::read_to_string(half(name).join("expected.csv")).unwrap();
    let got = audit_of(&log);
    assert_eq!(got.rows.rejected, 0, "{:?}", got.rejected);
    let want = verdicts(&audit_of(&expected));
    let got = verdicts(&got);
    let same = want
        .iter()
        .filter(|(id, v)| got.get(*id) == Some(v))
        .count();
    for (id, v) in &want {
        if got.get(id) != Some(v) && name == "tuning" {
            eprintln!("  {id}: intended {v:?}, tagged {:?}", got.get(id));
        }
    }
    println!(
        "{name}: the audit of the tagged calls equals the intended audit on {same} of {} calls",
        want.len()
    );
    (same, want.len())
}

/// The audit of the tagged calls equals the audit of the intended logs on at least 95% of
/// the tuning half's calls, and on every call of the first six frozen halves (none of them
/// blind any more: the lists were mended on their misses and the classifier learns from
/// them; blind, they gave 17, 14 and 15 of 22 on the fourth, fifth and sixth), and on the
/// seventh and the eighth, blind, on no fewer than measured last (16 of 22 on the seventh,
/// 17 the first three times; 19 of 22 on the eighth; the issue's 95% is the ignored test
/// below), and on the training halves on no fewer than now (22, 22, 22 and 21 of 22; blind,
/// before learning from them, 12, 12, 18 and 19).
#[test]
fn tagged_calls_audit_as_the_intended_logs() {
    let (same, all) = same_audit("tuning");
    assert!(same as f64 >= 0.95 * all as f64, "tuning: {same} of {all}");
    for name in [
        "frozen", "frozen2", "frozen3", "frozen4", "frozen5", "frozen6",
    ] {
        let (same, all) = same_audit(name);
        assert_eq!(same, all, "{name}: {same} of {all}");
    }
    for (half, at_least) in BLIND.into_iter().zip([16, 19]) {
        let (same, all) = same_audit(half);
        assert!(same >= at_least, "{half}: {same} of {all}");
    }
    for (name, at_least) in [
        ("train1", 22),
        ("train2", 22),
        ("train3", 22),
        ("train4", 21),
    ] {
        let (same, all) = same_audit(name);
        assert!(same >= at_least, "{name}: {same} of {all}");
    }
}

/// Issue #19's bar for the blind frozen half: the same audit on at least 95% of its calls.
#[test]
#[ignore = "issue #19's 95% of frozen calls audited alike is not reached (docs/RECOGNITION.md)"]
fn tagged_frozen_calls_audit_as_the_intended_logs_at_the_issue_bar() {
    for half in BLIND {
        let (same, all) = same_audit(half);
        assert!(same as f64 >= 0.95 * all as f64, "{half}: {same} of {all}");
    }
}

/// Contact Lens files and speaker turns give the same log (timestamps compared by instant).
#[test]
fn contact_lens_and_turns_give_the_same_log() {
    for name in [
        "tuning", "frozen", "frozen2", "frozen3", "frozen4", "frozen5", "frozen6", "frozen7",
        "frozen8", "train1", "train2", "train3", "train4",
    ] {
        let (turns, a) = tagged(name, false);
        let (lens, b) = tagged(name, true);
        assert!(b.rejected.is_empty(), "{:?}", b.rejected);
        assert_eq!(a.utterances, b.utterances);
        let rows = |log: &str| {
            let mut r = csv::Reader::from_reader(log.as_bytes());
            let mut rows: Vec<Vec<String>> = r
                .records()
                .map(|r| {
                    let r = r.unwrap();
                    let mut v: Vec<String> = r.iter().map(str::to_owned).collect();
                    v[1] = DateTime::parse_from_rfc3339(&v[1])
                        .unwrap()
                        .timestamp_millis()
                        .to_string();
                    v
                })
                .collect();
            rows.sort();
            rows
        };
        assert_eq!(rows(&turns), rows(&lens), "{name}");
    }
}

const FACTS: &str = "call_id,timestamp,agent_id,event,value,text
C1,2026-03-02T10:00:00-05:00,sam,call_started,Home Warranty Rewards,
C1,2026-03-02T10:00:30-05:00,,greeting,,
C1,2026-03-02T10:05:00-05:00,,call_ended,completed,
";

fn tag_str(engine: &callflow::workflows::Engine, facts: &str, turns: &str) -> (String, TagOutcome) {
    let mut out = Vec::new();
    let outcome = tag(
        engine,
        facts.as_bytes(),
        "facts.csv",
        Source::Turns(turns.as_bytes(), "turns.csv"),
        &mut out,
    )
    .unwrap();
    (String::from_utf8(out).unwrap(), outcome)
}

/// Bad rows are left out with their place and reason, and the run goes on: a spoken event
/// in the facts, an utterance of a call without facts, an unknown speaker, a turn going
/// back in time, one outside its call.
#[test]
fn bad_rows_are_left_out_with_their_place_and_reason() {
    let turns = "call_id,timestamp,speaker,text,extra
C1,2026-03-02T10:00:05-05:00,AGENT,Thank you for calling Home Warranty Rewards. My name is Sam,x
C1,2026-03-02T10:00:20-05:00,robot,beep,x
C1,2026-03-02T10:00:10-05:00,Customer,this is pat lee,x
C1,2026-03-02T10:00:04-05:00,customer,hello?,x
C1,2026-03-02T10:09:00-05:00,customer,still there?,x
C9,2026-03-02T10:00:04-05:00,customer,hello?,x
";
    let (log, outcome) = tag_str(&engine(), FACTS, turns);
    let reasons: Vec<(String, String)> = outcome
        .rejected
        .iter()
        .map(|r| (r.place.clone(), r.reason.clone()))
        .collect();
    let find = |place: &str, words: &str| {
        assert!(
            reasons.iter().any(|(p, r)| p == place && r.contains(words)),
            "{place}: {words}\n{reasons:#?}"
        );
    };
    find("facts.csv:3", "belongs to the transcript");
    find("turns.csv:3", "unknown speaker 'robot'");
    find("turns.csv:5", "goes back in time");
    find("turns.csv:6", "after the call ended");
    find("turns.csv:7", "no facts for call 'C9'");
    assert_eq!(reasons.len(), 5, "{reasons:#?}");
    let events: Vec<&str> = log
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "call_started",
            "greeting",
            "customer_identified",
            "call_ended"
        ]
    );
    assert!(log.contains("C1,2026-03-02T10:00:10-05:00,,customer_identified,Pat Lee,this is pat lee,transcript,0.90"), "{log}");
}

/// A turns file without its columns is unusable (an error, exit 2 from the command).
#[test]
fn a_turns_file_without_its_columns_is_an_error() {
    let mut out = Vec::new();
    let error = tag(
        &engine(),
        FACTS.as_bytes(),
        "facts.csv",
        Source::Turns("call_id,when,who\n".as_bytes(), "turns.csv"),
        &mut out,
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("turns.csv: line 1: no column 'timestamp'"),
        "{error}"
    );
    let dir = temp_dir!();
    fs::write(dir.path().join("facts.csv"), FACTS).unwrap();
    fs::write(dir.path().join("turns.csv"), "call_id,when\n").unwrap();
    let output = crate::util::callflow([
        "tag".as_ref(),
        "--turns".as_ref(),
        dir.path().join("turns.csv").as_os_str(),
        "--facts".as_ref(),
        dir.path().join("facts.csv").as_os_str(),
        "--out".as_ref(),
        dir.path().join("out.csv").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!dir.path().join("out.csv").exists());
}

/// A Contact Lens file that is not one, or whose offsets go backwards, is left out with its
/// place; the other files are read.
#[test]
fn contact_lens_files_that_are_not_one_are_left_out() {
    let dir = temp_dir!();
    let lens = dir.path().join("lens");
    fs::create_dir(&lens).unwrap();
    fs::write(lens.join("a.json"), "{\"Version\": \"1.1.0\"}").unwrap();
    fs::write(lens.join("b.json"), "not json").unwrap();
    let good = r#"{"Version":"1.1.0","Channel":"VOICE","JobStatus":"COMPLETED",
        "CustomerMetadata":{"ContactId":"C1","InstanceId":"i"},
        "Participants":[{"ParticipantId":"A1","ParticipantRole":"AGENT"},{"ParticipantId":"U1","ParticipantRole":"CUSTOMER"}],
        "Transcript":[
          {"Id":"1","ParticipantId":"A1","BeginOffsetMillis":5000,"EndOffsetMillis":9000,"Content":"Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?","Sentiment":"NEUTRAL"},
          {"Id":"2","ParticipantId":"U1","BeginOffsetMillis":12000,"EndOffsetMillis":15000,"Content":"Hi, this is [PII].","Sentiment":"NEUTRAL","Redaction":{"RedactedTimestamps":[{"BeginOffsetMillis":13000,"EndOffsetMillis":14000}]}},
          {"Id":"3","ParticipantId":"U1","BeginOffsetMillis":11000,"EndOffsetMillis":12000,"Content":"hello","Sentiment":"NEUTRAL"},
          {"Id":"4","ParticipantId":"X9","BeginOffsetMillis":16000,"EndOffsetMillis":17000,"Content":"hello","Sentiment":"NEUTRAL"}
        ]}"#;
    fs::write(lens.join("C1.json"), good).unwrap();
    let facts = "call_id,timestamp,agent_id,event,value,text
C1,2026-03-02T10:00:00-05:00,sam,call_started,Home Warranty Rewards,
C1,2026-03-02T10:05:00-05:00,,call_ended,completed,
";
    let mut out = Vec::new();
    let outcome = tag(
        &engine(),
        facts.as_bytes(),
        "facts.csv",
        Source::<&[u8]>::ContactLens(&lens),
        &mut out,
    )
    .unwrap();
    let reasons: Vec<String> = outcome
        .rejected
        .iter()
        .map(|r| format!("{}: {}", r.place, r.reason))
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:#?}");
    // Files by name: C1.json, a.json, b.json.
    assert!(
        reasons[0].contains("C1.json: Transcript[2]: BeginOffsetMillis 11000 goes backwards"),
        "{reasons:#?}"
    );
    assert!(
        reasons[1].contains("C1.json: Transcript[3]: unknown speaker"),
        "{reasons:#?}"
    );
    assert!(
        reasons[2].contains("a.json: not a Contact Lens analysis file"),
        "{reasons:#?}"
    );
    assert!(
        reasons[3].contains("b.json: not a Contact Lens analysis file"),
        "{reasons:#?}"
    );
    let log = String::from_utf8(out).unwrap();
    assert!(
        log.contains("C1,2026-03-02T10:00:05-05:00,,greeting,,"),
        "{log}"
    );
    assert!(
        log.contains("C1,2026-03-02T10:00:12-05:00,,customer_identified,[PII],"),
        "{log}"
    );
}

/// A team's policy replaces a phrase list (`[call_frame.recognition]`); an unknown cue is an
/// error with its line and column.
#[test]
fn the_policy_sets_phrase_lists() {
    use callflow::workflows::policy::Policy;
    let builtin = callflow::workflows::Engine::builtin();
    let policy = Policy::from_toml(
        "[call_frame.recognition]\ngoodbye = [\"so long\"]\n",
        &builtin,
    )
    .unwrap();
    let engine = builtin.with_policy(policy).unwrap();
    let turns = "call_id,timestamp,speaker,text
C1,2026-03-02T10:00:40-05:00,agent,okay so long then
C1,2026-03-02T10:00:50-05:00,agent,goodbye
";
    let (log, _) = tag_str(
        &engine,
        FACTS
            .replace("C1,2026-03-02T10:00:30-05:00,,greeting,,\n", "")
            .as_str(),
        turns,
    );
    let goodbyes: Vec<&str> = log.lines().filter(|l| l.contains(",goodbye,")).collect();
    assert_eq!(goodbyes.len(), 1, "{log}");
    assert!(goodbyes[0].contains("okay so long then"), "{log}");
    let error =
        Policy::from_toml("[paid_call.recognition]\nfarewell = [\"bye\"]\n", &builtin).unwrap_err();
    assert_eq!(
        (error.line, error.column, error.key.as_str()),
        (2, 1, "paid_call.recognition.farewell")
    );
    assert!(error.why.contains("quote_amount"), "{}", error.why);
    let error = Policy::from_toml(
        "[shopping_dollars.recognition]\napologize = [\"* sorry\"]\n",
        &builtin,
    )
    .unwrap_err();
    assert_eq!((error.line, error.column), (2, 14));
}

/// `callflow audit --turns --facts` tags and audits in one go; the JSON report is the usual
/// one, and `callflow tag --report` lists what to review.
#[test]
fn audit_turns_and_tag_report_from_the_command_line() {
    let dir = half("tuning");
    let output = crate::util::callflow([
        "audit".as_ref(),
        "--turns".as_ref(),
        dir.join("turns.csv").as_os_str(),
        "--facts".as_ref(),
        dir.join("facts.csv").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["calls"].as_array().unwrap().len(), 22);
    assert_eq!(report["rows"]["rejected"], 0);
    let tmp = temp_dir!();
    let output = crate::util::callflow([
        "tag".as_ref(),
        "--contact-lens".as_ref(),
        dir.join("contact-lens").as_os_str(),
        "--facts".as_ref(),
        dir.join("facts.csv").as_os_str(),
        "--out".as_ref(),
        tmp.path().join("tagged.csv").as_os_str(),
        "--report".as_ref(),
        tmp.path().join("review.md").as_os_str(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let review = fs::read_to_string(tmp.path().join("review.md")).unwrap();
    assert!(review.contains("No step:"), "{review}");
    assert!(
        review.contains("Redacted (recognised, value not checked):"),
        "{review}"
    );
    let tagged = fs::read_to_string(tmp.path().join("tagged.csv")).unwrap();
    assert!(tagged.starts_with("call_id,timestamp,agent_id,event,value,text,source,confidence\n"));
}

/// A redacted amount is recognised and written `[PII]`; the audit replays it and does not
/// raise PC07 on a guess, where a wrong amount in words does raise it.
#[test]
fn a_redacted_quote_raises_no_pc07() {
    let facts = "call_id,timestamp,agent_id,event,value,text
P1,2026-03-04T10:00:00-05:00,sam,call_started,Membership Services Retention,
P1,2026-03-04T10:01:00-05:00,,refund_calculator,145.00,
P1,2026-03-04T10:05:00-05:00,,call_ended,completed,
";
    let turns = |quote: &str| {
        format!(
            "call_id,timestamp,speaker,text
P1,2026-03-04T10:00:05-05:00,agent,\"Thank you for calling Membership Services Retention. My name is Sam, how may I assist you today?\"
P1,2026-03-04T10:00:20-05:00,customer,\"Hi Sam, this is Pat Lee, I'd like to cancel my home warranty.\"
P1,2026-03-04T10:01:10-05:00,agent,\"{quote}\"
P1,2026-03-04T10:02:00-05:00,agent,Is there anything else I can assist you with today?
P1,2026-03-04T10:02:10-05:00,customer,No.
P1,2026-03-04T10:02:20-05:00,agent,\"OK, thank you and have a great day. Goodbye.\"
"
        )
    };
    let codes = |quote: &str| {
        let (log, outcome) = tag_str(&engine(), facts, &turns(quote));
        let report = audit_of(&log);
        assert_eq!(report.rows.rejected, 0, "{:?}", report.rejected);
        let codes: Vec<String> = report.calls[0]
            .findings
            .iter()
            .map(|f| f.code.to_string())
            .collect();
        (log, outcome, codes)
    };
    let (log, outcome, redacted) =
        codes("There's a paid call fee of [PII] that comes off your refund.");
    assert!(log.contains(",quote_amount,[PII],"), "{log}");
    assert_eq!(outcome.reviews[0].redacted.len(), 1);
    assert!(!redacted.contains(&"PC07".to_owned()), "{redacted:?}");
    // The call's report says which check was not made, and why, from the machine.
    let report = audit_of(&log);
    let unchecked: Vec<(String, u64, &str)> = report.calls[0]
        .unchecked
        .iter()
        .map(|n| (n.code.to_string(), n.line, n.why.as_str()))
        .collect();
    assert_eq!(
        unchecked,
        [(
            "PC07".to_owned(),
            7,
            "the quoted amount was redacted ([PII])"
        )],
        "{log}"
    );
    // A redacted amount to quote (the calculator's) leaves the check unmade too.
    let (log, _) = tag_str(
        &engine(),
        &facts.replace(",refund_calculator,145.00,", ",refund_calculator,[PII],"),
        &turns("There's a paid call fee of ninety nine dollars that comes off your refund."),
    );
    let report = audit_of(&log);
    let raised: Vec<String> = report.calls[0]
        .findings
        .iter()
        .map(|f| f.code.to_string())
        .collect();
    assert!(!raised.contains(&"PC07".to_owned()), "{raised:?}");
    assert_eq!(report.calls[0].unchecked.len(), 1, "{log}");
    assert!(
        report.calls[0].unchecked[0]
            .why
            .starts_with("the amount to quote"),
        "{:?}",
        report.calls[0].unchecked
    );
    let (_, _, wrong) =
        codes("There's a paid call fee of ninety nine dollars that comes off your refund.");
    assert!(wrong.contains(&"PC07".to_owned()), "{wrong:?}");
    let (_, _, right) = codes(
        "There's a paid call fee of a hundred forty five dollars that comes off your refund.",
    );
    assert!(!right.contains(&"PC07".to_owned()), "{right:?}");
}

/// The facts and turns of one cancellation whose quote was redacted (`[PII]`), and of one
/// whose quote was heard, with small talk read as no step.
const REDACTED_FACTS: &str = "call_id,timestamp,agent_id,event,value,text
P1,2026-03-04T10:00:00-05:00,sam,call_started,Membership Services Retention,
P1,2026-03-04T10:01:00-05:00,,refund_calculator,145.00,
P1,2026-03-04T10:05:00-05:00,,call_ended,completed,
P2,2026-03-04T11:00:00-05:00,sam,call_started,Membership Services Retention,
P2,2026-03-04T11:01:00-05:00,,refund_calculator,145.00,
P2,2026-03-04T11:05:00-05:00,,call_ended,completed,
";

fn redacted_turns() -> String {
    let mut turns = String::from("call_id,timestamp,speaker,text\n");
    for (id, hour, quote) in [
        (
            "P1",
            "10",
            "There's a paid call fee of [PII] that comes off your refund.",
        ),
        (
            "P2",
            "11",
            "There's a paid call fee of a hundred forty five dollars that comes off your refund.",
        ),
    ] {
        turns += &format!(
            "{id},2026-03-04T{hour}:00:05-05:00,agent,\"Thank you for calling Membership Services Retention. My name is Sam, how may I assist you today?\"
{id},2026-03-04T{hour}:00:20-05:00,customer,\"Hi Sam, this is Pat Lee, I'd like to cancel my home warranty.\"
{id},2026-03-04T{hour}:00:40-05:00,customer,the weather is lovely out here today
{id},2026-03-04T{hour}:01:10-05:00,agent,\"{quote}\"
{id},2026-03-04T{hour}:02:00-05:00,agent,Is there anything else I can assist you with today?
{id},2026-03-04T{hour}:02:10-05:00,customer,No.
{id},2026-03-04T{hour}:02:20-05:00,agent,\"OK, thank you and have a great day. Goodbye.\"
"
        );
    }
    turns
}

/// `callflow audit --turns` with `args` more, on the redacted and the heard call; the
/// report's text.
fn audit_redacted(dir: &Path, args: &[&str]) -> String {
    fs::write(dir.join("facts.csv"), REDACTED_FACTS).unwrap();
    fs::write(dir.join("turns.csv"), redacted_turns()).unwrap();
    let mut all: Vec<std::ffi::OsString> = vec![
        "audit".into(),
        "--turns".into(),
        dir.join("turns.csv").into(),
        "--facts".into(),
        dir.join("facts.csv").into(),
    ];
    all.extend(args.iter().map(|a| a.into()));
    let output = crate::util::callflow(all);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Issue #19, redaction: every report format says, per call, which checks could not be made
/// because a value was redacted; the JSON adds `unchecked` to that call only.
#[test]
fn every_report_says_what_redaction_left_unchecked() {
    let dir = temp_dir!();
    let sentence = "PC07 not checked (line 7): the quoted amount was redacted ([PII])";
    let json: serde_json::Value =
        serde_json::from_str(&audit_redacted(dir.path(), &["--format", "json"])).unwrap();
    let calls = json["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["call_id"], "P1");
    assert_eq!(
        calls[0]["unchecked"],
        serde_json::json!([{
            "code": "PC07",
            "line": 7,
            "timestamp": "2026-03-04T10:01:10-05:00",
            "why": "the quoted amount was redacted ([PII])"
        }])
    );
    // A call with nothing redacted has no such key: its JSON is as before.
    assert_eq!(calls[1]["call_id"], "P2");
    assert!(calls[1].get("unchecked").is_none(), "{}", calls[1]);

    let text = audit_redacted(dir.path(), &["--format", "text"]);
    let section = text
        .split("not checked (a value the check rests on was redacted in the transcript)\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        section.starts_with(&format!("  P1 (line 2):\n    {sentence}\n")),
        "{text}"
    );
    assert!(!section.contains("P2"), "{text}");

    let markdown = audit_redacted(dir.path(), &["--format", "markdown"]);
    let p1 = markdown
        .split("### P1")
        .nth(1)
        .unwrap_or_else(|| panic!("{markdown}"));
    let p1 = p1.split("### ").next().unwrap_or_default();
    assert!(
        p1.contains("Not checked, a value being redacted in the transcript:\n\n- PC07 not checked (line 7): the quoted amount was redacted (\\[PII\\])"),
        "{markdown}"
    );
    let p2 = markdown
        .split("### P2")
        .nth(1)
        .unwrap_or_else(|| panic!("{markdown}"));
    assert!(!p2.contains("Not checked"), "{markdown}");

    let html = audit_redacted(dir.path(), &["--format", "html"]);
    assert!(
        html.contains(sentence),
        "the sentence is in the page's data"
    );
    assert!(html.contains("Not checked, a value being redacted in the transcript"));
}

/// Issue #19: the per-call transcript shows every utterance, those read as no step marked as
/// such, in time order among the rows (`--transcripts`; the Markdown and HTML reports'
/// transcripts of failed calls are made by the same `history::transcript`).
#[test]
fn the_transcript_shows_utterances_read_as_no_step() {
    let dir = temp_dir!();
    let transcripts = dir.path().join("transcripts");
    audit_redacted(
        dir.path(),
        &[
            "--format",
            "json",
            "--transcripts",
            transcripts.to_str().unwrap(),
            "--all",
        ],
    );
    let p2 = fs::read_to_string(transcripts.join("P2.md")).unwrap();
    let rows: Vec<&str> = p2
        .lines()
        .skip_while(|l| !l.starts_with("| line |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    let what: Vec<&str> = rows
        .iter()
        .map(|r| r.split(" | ").nth(3).unwrap_or_default())
        .collect();
    assert_eq!(
        what.iter()
            .map(|w| w.split(':').next().unwrap_or_default())
            .collect::<Vec<_>>(),
        [
            "call started",
            "greeting",
            "customer identified Pat Lee",
            "inquiry warranty_cancellation",
            "no step",
            "refund calculator",
            "quote amount 145.00",
            "anything else",
            "no step",
            "goodbye",
            "call ended"
        ],
        "{p2}"
    );
    let small_talk = rows
        .iter()
        .find(|r| r.contains("the weather is lovely"))
        .unwrap_or_else(|| panic!("{p2}"));
    assert!(
        small_talk.starts_with("| \u{2013} | 11:00:40 | customer | no step: \u{201c}the weather is lovely out here today\u{201d} |"),
        "{small_talk}"
    );
}

/// Facts for `n` calls starting three minutes apart and lasting five: at most two are under
/// way at any instant.
fn overlapping_calls(n: usize) -> (String, Vec<(DateTime<FixedOffset>, String)>) {
    let start = DateTime::parse_from_rfc3339("2026-03-02T10:00:00-05:00").unwrap();
    let at = |m: i64, s: i64| (start + chrono::Duration::seconds(m * 60 + s)).to_rfc3339();
    let mut facts = String::from("call_id,timestamp,agent_id,event,value,text\n");
    let mut turns = Vec::new();
    for i in 0..n as i64 {
        let id = format!("C{i:02}");
        facts += &format!(
            "{id},{},sam,call_started,Home Warranty Rewards,\n{id},{},,call_ended,completed,\n",
            at(3 * i, 0),
            at(3 * i + 5, 0)
        );
        for (s, who, text) in [
            (5, "agent", "Thank you for calling Home Warranty Rewards, my name is Sam, how may I assist you today?"),
            (20, "customer", "hi this is dana ruiz i never got my shopping dollars email"),
            (100, "customer", "one moment please"),
            (200, "agent", "Is there anything else I can assist you with today?"),
            (290, "agent", "Thank you for calling Home Warranty Rewards. Goodbye."),
        ] {
            let when = start + chrono::Duration::seconds(i * 180 + s);
            turns.push((when, format!("{id},{},{who},\"{text}\"", when.to_rfc3339())));
        }
    }
    (facts, turns)
}

/// Issue #19: turns in time order with calls interleaved (as a real export is) give the same
/// log as turns grouped by call, holding only the calls under way at once.
#[test]
fn turns_in_time_order_with_calls_interleaved() {
    let (facts, mut turns) = overlapping_calls(30);
    let csv = |turns: &[(DateTime<FixedOffset>, String)]| {
        let mut text = String::from("call_id,timestamp,speaker,text\n");
        for (_, row) in turns {
            text += row;
            text.push('\n');
        }
        text
    };
    let (grouped, by_call) = tag_str(&engine(), &facts, &csv(&turns));
    turns.sort_by_key(|(at, _)| *at);
    let (interleaved, by_time) = tag_str(&engine(), &facts, &csv(&turns));
    assert!(by_time.rejected.is_empty(), "{:?}", by_time.rejected);
    assert_eq!(by_call.rejected, by_time.rejected);
    assert_eq!(
        (by_time.calls, by_time.steps),
        (by_call.calls, by_call.steps)
    );
    assert_eq!(by_time.steps, 30 * 5, "{interleaved}");
    // Calls are written as they end: here in the same order, each call's rows together.
    assert_eq!(grouped, interleaved);
    // Memory is bounded by the calls open at once (two here), not by the file.
    assert_eq!((by_time.most_open, by_call.most_open), (2, 2));
    // The tuning half's turns in time order give its log too (rows compared as sets).
    let dir = half("tuning");
    let facts = fs::read_to_string(dir.join("facts.csv")).unwrap();
    let text = fs::read_to_string(dir.join("turns.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().skip(1).collect();
    let instant = |line: &&str| {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = r.records().next().unwrap().unwrap();
        DateTime::parse_from_rfc3339(&record[1]).unwrap()
    };
    lines.sort_by_key(instant);
    let sorted = format!("call_id,timestamp,speaker,text\n{}\n", lines.join("\n"));
    let (by_time, outcome) = tag_str(&engine(), &facts, &sorted);
    assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
    let (by_call, _) = tagged("tuning", false);
    let rows = |log: &str| {
        let mut rows: Vec<&str> = log.lines().collect();
        rows.sort_unstable();
        rows.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(rows(&by_time), rows(&by_call));
}

/// A turn of a call already written, in a file neither in time order nor grouped by call, is
/// rejected with its place and reason.
#[test]
fn a_turn_of_a_call_already_written_is_rejected() {
    let (facts, turns) = overlapping_calls(3);
    let mut rows: Vec<&str> = turns.iter().map(|(_, r)| r.as_str()).collect();
    // C00's first turn moved after C02's (C00 ended before C02's last turns).
    let first = rows.remove(0);
    rows.push(first);
    let text = format!("call_id,timestamp,speaker,text\n{}\n", rows.join("\n"));
    let (_, outcome) = tag_str(&engine(), &facts, &text);
    let reasons: Vec<String> = outcome
        .rejected
        .iter()
        .map(|r| format!("{}: {}", r.place, r.reason))
        .collect();
    assert_eq!(
        reasons,
        ["turns.csv:16: call 'C00' was already tagged: turns must come in time order, or grouped by call"]
    );
}

/// Issue #19: a policy's phrase lists change how tagged calls are judged, so the policy's
/// fingerprint covers them: a list that differs from the declared one changes it, one written
/// as declared does not, and a policy without lists keeps the fingerprint it had.
#[test]
fn phrase_lists_are_part_of_the_policy_fingerprint() {
    use callflow::workflows::policy::Policy;
    use callflow::workflows::recognition::frame::RECOGNITION;
    let builtin = callflow::workflows::Engine::builtin();
    let fingerprint = |toml: &str| {
        let policy = Policy::from_toml(toml, &builtin).unwrap();
        builtin
            .with_policy(policy)
            .unwrap()
            .policy_fingerprint()
            .to_owned()
    };
    let default = builtin.policy_fingerprint().to_owned();
    assert_eq!(fingerprint(""), default);
    let so_long = fingerprint("[call_frame.recognition]\ngoodbye = [\"so long\"]\n");
    assert_ne!(so_long, default);
    assert_ne!(
        fingerprint("[call_frame.recognition]\ngoodbye = [\"so long\", \"bye now\"]\n"),
        so_long
    );
    let declared = RECOGNITION
        .cues
        .iter()
        .find(|c| c.id == "goodbye")
        .unwrap()
        .phrases;
    let written: Vec<String> = declared.iter().map(|p| format!("{p:?}")).collect();
    assert_eq!(
        fingerprint(&format!(
            "[call_frame.recognition]\ngoodbye = [{}]\n",
            written.join(", ")
        )),
        default
    );
    // The canonical text names the list, so `policy check` shows what changed.
    let policy = Policy::from_toml(
        "[call_frame.recognition]\ngoodbye = [\"so long\"]\n",
        &builtin,
    )
    .unwrap();
    let engine = builtin.with_policy(policy).unwrap();
    assert!(
        engine
            .rules()
            .canonical()
            .ends_with("call_frame.recognition.goodbye = [\"so long\"]\n"),
        "{}",
        engine.rules().canonical()
    );
}

/// A reason the customer's words did not give is read from the agent's answer (a step the
/// machines ask for under that reason only), on the customer's utterance that speaks most for
/// it and listed for review; a reason the words gave is never changed by the answer, so an
/// agent who answers the wrong question is still found out (here the site issue answered
/// with the review period).
#[test]
fn a_reason_is_read_from_the_answer_only_when_the_words_gave_none() {
    use callflow::workflows::recognition::{Recognizer, FROM_THE_ANSWER};
    use callflow::workflows::vocab::Speaker;
    let engine = engine();
    let recognizer = Recognizer::new(&engine).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let review = "Your shopping dollars are made available once you have had your warranty for \
                  at least 30 days and made your first payment.";
    let reasons = |customer: &str| -> Vec<(usize, String, f64)> {
        let call = [
            (Speaker::Agent, "Rewards line, this is Sam, how can I help?"),
            (Speaker::Customer, "Hi, it's Pat Lee."),
            (Speaker::Customer, customer),
            (Speaker::Agent, review),
        ];
        recognizer
            .recognize_call(engine.rules(), date, &call)
            .iter()
            .enumerate()
            .flat_map(|(i, steps)| {
                steps
                    .iter()
                    .filter(|s| s.event == "inquiry")
                    .map(move |s| (i, s.value.clone(), s.confidence))
            })
            .collect()
    };
    assert_eq!(
        reasons("so what happened to the little bonus thing they promised me"),
        [(2, "reward_email_missing".to_owned(), FROM_THE_ANSWER)]
    );
    // The review says where the reason came from.
    let facts = "call_id,timestamp,agent_id,event,value,text\n\
                 C9,2026-03-02T10:00:00-05:00,sam,call_started,Home Warranty Rewards,\n";
    let turns = format!(
        "call_id,timestamp,speaker,text\n\
         C9,2026-03-02T10:00:05-05:00,agent,\"Rewards line, this is Sam, how can I help?\"\n\
         C9,2026-03-02T10:00:10-05:00,customer,so what happened to the little bonus thing they promised me\n\
         C9,2026-03-02T10:00:20-05:00,agent,{review}\n"
    );
    let (_, outcome) = tag_str(&engine, facts, &turns);
    let mut review = Vec::new();
    callflow::audit::tag::report::write(&outcome, &mut review).unwrap();
    let review = String::from_utf8(review).unwrap();
    assert!(
        review.contains(
            "`inquiry` = reward_email_missing (0.40, read from the agent's answer): \"so what happened"
        ),
        "{review}"
    );
    let said = "the reward site gives me an error every time I try to redeem";
    let read = reasons(said);
    assert_eq!(read.len(), 1, "{read:?}");
    assert_eq!((read[0].0, read[0].1.as_str()), (2, "reward_site_issue"));
    assert!(read[0].2 > FROM_THE_ANSWER);
}
