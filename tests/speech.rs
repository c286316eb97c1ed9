//! Issue #19: calls tagged from what was said. The corpus is `tests/speech/` (its README):
//! the frozen half, written and committed before any phrase list, measures; the tuning half
//! is what the lists were fitted to. Recall and precision per event on each half (the table
//! is printed; `docs/RECOGNITION.md` holds a copy), the audit of the tagged calls against the
//! audit of the intended logs, Contact Lens against turns, and bad input.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use callflow::audit::tag::{tag, Source, TagOutcome};
use callflow::audit::{audit, AuditReport, LogReader};
use chrono::{DateTime, FixedOffset};

use crate::util::{engine, ROOT};

fn half(name: &str) -> PathBuf {
    Path::new(ROOT).join("tests/speech").join(name)
}

/// Tags a half from its turns (or its Contact Lens folder).
fn tagged(name: &str, contact_lens: bool) -> (String, TagOutcome) {
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
    let outcome = tag(&engine(), facts.as_slice(), "facts.csv", source, &mut out).unwrap();
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
            ((r[id].to_owned(), at, r[ev].to_owned(), value), r[text].to_owned())
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
        "| all | {} | {} | {:.2} | {:.2} |\n",
        tp + fnn,
        tp + fp,
        ratio(tp, tp + fnn),
        ratio(tp, tp + fp)
    );
    out
}

fn measure(name: &str, detail: bool) -> Counts {
    let (log, outcome) = tagged(name, false);
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
    let (tp, fp, fnn) = counts
        .values()
        .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    assert!(ratio(tp, tp + fnn) >= 0.95 && ratio(tp, tp + fp) >= 0.95, "{}", table("tuning", &counts));
}

/// The frozen half: each event's recall and precision at least 0.95 (issue #19). Its
/// mismatches are not printed: it measures, it is not tuned to.
#[test]
fn recognition_on_the_frozen_half() {
    let counts = measure("frozen", false);
    let below: Vec<&String> = counts
        .iter()
        .filter(|(_, (t, f, n))| ratio(*t, t + n) < 0.95 || ratio(*t, t + f) < 0.95)
        .map(|(e, _)| e)
        .collect();
    assert!(below.is_empty(), "under 0.95: {below:?}\n{}", table("frozen", &counts));
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
            (c.call_id.clone(), (c.verdict.as_str().to_owned(), c.score, codes))
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
    let same = want.iter().filter(|(id, v)| got.get(*id) == Some(v)).count();
    for (id, v) in &want {
        if got.get(id) != Some(v) && name == "tuning" {
            eprintln!("  {id}: intended {v:?}, tagged {:?}", got.get(id));
        }
    }
    println!("{name}: the audit of the tagged calls equals the intended audit on {same} of {} calls", want.len());
    (same, want.len())
}

/// The audit of the tagged calls equals the audit of the intended logs on at least 95% of
/// the calls of each half.
#[test]
fn tagged_calls_audit_as_the_intended_logs() {
    for name in ["tuning", "frozen"] {
        let (same, all) = same_audit(name);
        assert!(same as f64 >= 0.95 * all as f64, "{name}: {same} of {all}");
    }
}

/// Contact Lens files and speaker turns give the same log (timestamps compared by instant).
#[test]
fn contact_lens_and_turns_give_the_same_log() {
    for name in ["tuning", "frozen"] {
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
                    v[1] = DateTime::parse_from_rfc3339(&v[1]).unwrap().timestamp_millis().to_string();
                    v
                })
                .collect();
            rows.sort();
            rows
        };
        assert_eq!(rows(&turns), rows(&lens), "{name}");
    }
}
