//! Words: an utterance split into normalized words, and the values read from them (numbers
//! and amounts in digits or words, names, ticket numbers, moments against business hours).

use std::borrow::Cow;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// What a redacted value is written as (Contact Lens writes `[PII]` for each redacted span).
pub const REDACTED: &str = "[PII]";

/// One word of an utterance.
#[derive(Debug, Clone)]
pub(crate) struct Word<'a> {
    /// Lower-cased, apostrophes dropped; a number in words or digits is its digits
    /// (`thirty` → `30`); `[PII]` is `pii`.
    pub norm: Cow<'a, str>,
    /// The word as written (for names).
    pub raw: &'a str,
    /// Whether punctuation (`,` `.` `?` `!` `;` `:`) follows it.
    pub stop_after: bool,
    /// A number the word is (a single number word or digits), if any.
    pub number: Option<u64>,
    /// Digits after a decimal point written with it (`161.00` → `00`).
    pub decimals: Option<u32>,
    /// Whether `$` was written before it.
    pub dollar: bool,
    /// The word's number in the recogniser's vocabulary (0: a word no phrase has, or not
    /// looked up), so that phrases compare numbers, not strings.
    pub id: u32,
}

/// Splits an utterance into words. Digits keep their `.`/`,` (`$1,079.00` is one word).
pub(crate) fn split(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::with_capacity(24);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if c == b'[' && text[i..].starts_with(REDACTED) {
            let stop = next_is_stop(bytes, i + REDACTED.len());
            out.push(Word {
                norm: Cow::Borrowed("pii"),
                raw: &text[i..i + REDACTED.len()],
                stop_after: stop,
                number: None,
                decimals: None,
                dollar: false,
                id: 0,
            });
            i += REDACTED.len();
            continue;
        }
        if c == b'$' || c.is_ascii_digit() {
            let dollar = c == b'$';
            let start = if dollar { i + 1 } else { i };
            let mut j = start;
            while bytes.get(j).is_some_and(|b| {
                b.is_ascii_digit()
                    || ((*b == b',' || *b == b'.')
                        && bytes.get(j + 1).is_some_and(u8::is_ascii_digit))
            }) {
                j += 1;
            }
            if j > start {
                let raw = &text[start..j];
                let (whole, decimals) = match raw.split_once('.') {
                    Some((w, d)) => (w, d.parse::<u32>().ok().filter(|_| d.len() <= 2)),
                    None => (raw, None),
                };
                let digits: Cow<'_, str> = if whole.bytes().all(|b| b.is_ascii_digit()) {
                    Cow::Borrowed(whole)
                } else {
                    Cow::Owned(whole.chars().filter(char::is_ascii_digit).collect())
                };
                out.push(Word {
                    number: digits.parse().ok(),
                    norm: digits,
                    raw,
                    stop_after: next_is_stop(bytes, j),
                    decimals,
                    dollar,
                    id: 0,
                });
                i = j;
                continue;
            }
            i += 1;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        if ch.is_alphabetic() {
            let mut j = i;
            for (k, ch) in text[i..].char_indices() {
                if ch.is_alphabetic() || ch == '\'' || ch == '\u{2019}' {
                    j = i + k + ch.len_utf8();
                } else {
                    break;
                }
            }
            let raw = &text[i..j];
            let norm: Cow<'_, str> = if raw.bytes().all(|b| b.is_ascii_lowercase()) {
                Cow::Borrowed(raw)
            } else {
                let mut norm = String::with_capacity(raw.len());
                for ch in raw.chars().filter(|c| *c != '\'' && *c != '\u{2019}') {
                    norm.extend(ch.to_lowercase());
                }
                Cow::Owned(norm)
            };
            let number = word_number(&norm);
            out.push(Word {
                norm,
                raw,
                stop_after: next_is_stop(bytes, j),
                number,
                decimals: None,
                dollar: false,
                id: 0,
            });
            i = j;
            continue;
        }
        i += ch.len_utf8();
    }
    out
}

fn next_is_stop(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at), Some(b',' | b'.' | b'?' | b'!' | b';' | b':'))
}

/// The value of one number word.
pub(crate) fn word_number(word: &str) -> Option<u64> {
    Some(match word {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "thousand" => 1000,
        _ => return None,
    })
}

/// The numbers of a run of words starting at `at`: its groups (`one sixty one` → 1, 61), how
/// many words it took, and whether it was digits.
fn number_run(words: &[Word<'_>], at: usize) -> Option<(Vec<u64>, usize)> {
    let mut groups: Vec<u64> = Vec::new();
    // The group being built, and what its last word was: 0 none, 1 unit, 2 teen, 3 tens,
    // 4 hundred, 5 digits.
    let mut current: Option<(u64, u8)> = None;
    let mut i = at;
    while let Some(word) = words.get(i) {
        let w = &*word.norm;
        if word.raw.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            if let Some((v, _)) = current.take() {
                groups.push(v);
            }
            current = Some((word.number?, 5));
            i += 1;
            if word.stop_after {
                break;
            }
            continue;
        }
        if (w == "a" || w == "one")
            && words
                .get(i + 1)
                .is_some_and(|n| n.norm == "hundred" || n.norm == "thousand")
            && current.is_none_or(|(_, k)| k != 1)
        {
            if let Some((v, _)) = current.take() {
                groups.push(v);
            }
            current = Some((1, 1));
            i += 1;
            continue;
        }
        if w == "and" {
            if current.is_some_and(|(_, k)| k == 4)
                && words
                    .get(i + 1)
                    .is_some_and(|n| n.number.is_some_and(|v| v < 100))
            {
                i += 1;
                continue;
            }
            break;
        }
        let Some(v) = word.number else { break };
        if word.raw.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            break;
        }
        let kind = match v {
            0..=9 => 1,
            10..=19 => 2,
            20..=90 if v % 10 == 0 => 3,
            100 => 4,
            _ => 6,
        };
        current = match (current, kind) {
            (None, 4) => Some((100, 4)),
            (None, 6) => Some((v, 5)),
            (None, k) => Some((v, k)),
            (Some((c, 1)), 4) => Some((c * 100, 4)),
            (Some((c, 3)), 1) => Some((c + v, 1)),
            (Some((c, 4)), 1..=3) => Some((c + v, kind)),
            (Some((c, k)), 6) if v == 1000 && k != 6 => Some((c * 1000, 4)),
            (Some((c, _)), k) => {
                groups.push(c);
                Some((v, k))
            }
        };
        // "one sixty one" is 1, 61: after tens, a unit joins; after a unit-completed tens,
        // nothing more joins.
        i += 1;
        if word.stop_after {
            break;
        }
    }
    if let Some((v, _)) = current {
        groups.push(v);
    }
    (!groups.is_empty()).then_some((groups, i - at))
}

/// An amount said in the words, in cents, and where it begins: digits (`$161.00`, `45
/// dollars`) or words (`a hundred forty five`, `one sixty-one`, `eighty nine dollars and
/// fifty cents`, `eighty nine fifty`). With `bare`, a number with neither `$` nor `dollars`
/// counts (the agent quoting "they have it as a hundred forty five"). Numbers of days,
/// hours, minutes and percentages are no amounts.
pub fn amount_in(text: &str, bare: bool) -> Option<(u64, usize)> {
    amount_in_words(&split(text), bare)
}

pub(crate) fn amount_in_words(words: &[Word<'_>], bare: bool) -> Option<(u64, usize)> {
    // An amount marked as money ("$212.40", "ninety dollars") before a bare number: "41
    // Birch Lane ... a fee of $212.40" quotes 212.40.
    let marked = amount_marked(words, false);
    if marked.is_some() || !bare {
        return marked;
    }
    amount_marked(words, true)
}

/// The first amount of [`amount_in_words`], bare numbers counting or not.
fn amount_marked(words: &[Word<'_>], bare: bool) -> Option<(u64, usize)> {
    let mut i = 0;
    while let Some(first) = words.get(i) {
        let Some((groups, taken)) = number_run(words, i) else {
            i += 1;
            continue;
        };
        let next = words.get(i + taken).map(|w| &*w.norm).unwrap_or("");
        let dollar = first.dollar;
        let currency = matches!(next, "dollars" | "dollar" | "bucks");
        let unit = matches!(
            next,
            "days"
                | "day"
                | "hours"
                | "hour"
                | "minutes"
                | "minute"
                | "weeks"
                | "week"
                | "percent"
                | "months"
                | "years"
                | "am"
                | "pm"
                | "oclock"
                | "shopping"
        );
        // "they're only there till six": a time, not an amount
        let time = i
            .checked_sub(1)
            .and_then(|b| words.get(b))
            .is_some_and(|b| matches!(&*b.norm, "till" | "til" | "until" | "at" | "by" | "around"));
        if unit || (!dollar && !currency && (!bare || time)) || first.norm == "pii" {
            i += taken.max(1);
            continue;
        }
        let mut cents = match groups.as_slice() {
            [v] => v * 100 + u64::from(first.decimals.unwrap_or(0)),
            [a, b] if *a < 10 && (10..100).contains(b) => (a * 100 + b) * 100,
            [a, b] if (10..1000).contains(a) && (10..100).contains(b) => a * 100 + b,
            _ => {
                i += taken.max(1);
                continue;
            }
        };
        // "... dollars and fifty cents"
        if currency {
            let rest = words.get(i + taken + 1..).unwrap_or(&[]);
            if rest.first().is_some_and(|w| w.norm == "and") {
                if let Some((g, t)) = number_run(rest, 1) {
                    if let [g] = g.as_slice() {
                        if *g < 100 && rest.get(1 + t).is_some_and(|w| w.norm.starts_with("cent")) {
                            cents += g;
                        }
                    }
                }
            }
        }
        return Some((cents, i));
    }
    None
}

/// An amount in cents written as the v1 log writes amounts (`161.00`).
pub(crate) fn format_cents(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A ticket number in the words: `prefix` (as one word or spelled out) and `digits` digits
/// after it (digits, digit words, `oh` for zero; "dash" and "number" skipped). With
/// `prefix_optional`, a run of `digits` digits alone is one too (the answer to "what's the
/// ticket number?"). `[PII]` where the number would be gives [`REDACTED`].
pub fn ticket_in(text: &str, prefix: &str, digits: usize, prefix_optional: bool) -> Option<String> {
    ticket_in_words(&split(text), prefix, digits, prefix_optional).map(|(v, _)| v)
}

pub(crate) fn ticket_in_words(
    words: &[Word<'_>],
    prefix: &str,
    want: usize,
    prefix_optional: bool,
) -> Option<(String, usize)> {
    let lower = prefix.to_ascii_lowercase();
    let letters: Vec<String> = lower.chars().map(String::from).collect();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        let spelled = words
            .get(i..i + letters.len())
            .is_some_and(|run| run.iter().zip(&letters).all(|(w, l)| w.norm == *l));
        let glued = word
            .norm
            .strip_prefix(lower.as_str())
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        let (after, found) = if word.norm == lower {
            (i + 1, true)
        } else if spelled {
            (i + letters.len(), true)
        } else if let Some(d) = glued {
            // "HSP48213" as one word
            if d.len() == want {
                return Some((format!("{prefix}-{d}"), i));
            }
            (i + 1, true)
        } else {
            (i, false)
        };
        if !found && word.norm == "ticket" {
            if let Some(at) = redacted_after_ticket(words, i) {
                return Some((REDACTED.to_owned(), at));
            }
        }
        if found || prefix_optional {
            let mut got = String::new();
            let mut j = after;
            while let Some(w) = words.get(j) {
                match &*w.norm {
                    "dash" | "number" | "is" | "its" | "hyphen" if got.is_empty() && found => {}
                    "pii" if got.is_empty() => return Some((REDACTED.to_owned(), i)),
                    "oh" | "o" => got.push('0'),
                    "double" | "triple" => {
                        let times = if w.norm == "double" { 2 } else { 3 };
                        let next = words.get(j + 1).map(|n| &*n.norm).unwrap_or("");
                        let digit = match next {
                            "oh" | "o" => Some(0),
                            n => word_number(n)
                                .filter(|v| *v < 10)
                                .or_else(|| n.parse().ok().filter(|v: &u64| *v < 10)),
                        };
                        let Some(d) = digit else { break };
                        for _ in 0..times {
                            got.push(char::from(b'0' + d as u8));
                        }
                        j += 1;
                    }
                    n if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => got.push_str(n),
                    n => match word_number(n) {
                        Some(v) if v < 20 => got.push_str(&v.to_string()),
                        // "fifty two" is 52, "fifty" before no unit 50
                        Some(v) if v < 100 && v % 10 == 0 => {
                            let unit = words
                                .get(j + 1)
                                .and_then(|u| word_number(&u.norm))
                                .filter(|u| (1..10).contains(u));
                            match unit {
                                Some(u) => {
                                    got.push_str(&(v + u).to_string());
                                    j += 1;
                                }
                                None => got.push_str(&v.to_string()),
                            }
                        }
                        _ => break,
                    },
                }
                j += 1;
                if got.len() >= want {
                    break;
                }
            }
            if got.len() == want {
                return Some((format!("{prefix}-{got}"), i));
            }
            if found && got.is_empty() && words.get(after).is_some_and(|w| w.norm == "pii") {
                return Some((REDACTED.to_owned(), i));
            }
        }
        i += 1;
    }
    None
}

/// A `[PII]` said as the number of the ticket named at word `at` ("my ticket number is
/// [PII]", "a support ticket with them, the number is [PII]"): where the ticket was named.
fn redacted_after_ticket(words: &[Word<'_>], at: usize) -> Option<usize> {
    let end = (at + 10).min(words.len());
    let after = words.get(at..end)?;
    after
        .windows(2)
        .any(|pair| {
            matches!(pair, [before, pii] if pii.norm == "pii"
                && matches!(&*before.norm, "is" | "was" | "number" | "ticket" | "its"))
        })
        .then_some(at)
}

/// Small words inside a name ("de la Cruz", "van der Berg").
const PARTICLES: &[&str] = &[
    "de", "la", "del", "della", "van", "von", "der", "da", "di", "du", "le",
];

/// Words that end a street's name: a "name" followed by one is an address.
const STREET_WORDS: &[&str] = &[
    "street",
    "road",
    "lane",
    "court",
    "circle",
    "avenue",
    "drive",
    "boulevard",
    "way",
    "place",
    "terrace",
    "parkway",
];

/// Words that are never part of a name.
const NOT_NAMES: &[&str] = &[
    "a",
    "about",
    "actually",
    "again",
    "ago",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "back",
    "be",
    "because",
    "been",
    "but",
    "by",
    "calling",
    "call",
    "can",
    "cancel",
    "could",
    "did",
    "do",
    "does",
    "dont",
    "email",
    "first",
    "for",
    "from",
    "get",
    "go",
    "going",
    "good",
    "got",
    "had",
    "has",
    "have",
    "hello",
    "here",
    "hey",
    "hi",
    "home",
    "hsp",
    "i",
    "id",
    "if",
    "im",
    "in",
    "is",
    "it",
    "its",
    "just",
    "last",
    "like",
    "looking",
    "ma",
    "maam",
    "me",
    "morning",
    "my",
    "name",
    "names",
    "need",
    "no",
    "not",
    "now",
    "number",
    "of",
    "oh",
    "ok",
    "okay",
    "on",
    "one",
    "or",
    "phone",
    "please",
    "right",
    "said",
    "shopping",
    "so",
    "sorry",
    "still",
    "sure",
    "thank",
    "thanks",
    "that",
    "thats",
    "the",
    "then",
    "there",
    "this",
    "to",
    "trying",
    "uh",
    "um",
    "under",
    "up",
    "was",
    "we",
    "well",
    "what",
    "when",
    "with",
    "wondering",
    "yeah",
    "yep",
    "yes",
    "you",
    "your",
    "calling",
    "account",
    "warranty",
    "afternoon",
    "evening",
    "sir",
    "spelled",
    "wrong",
    "correct",
    "hmm",
    "mm",
    "just",
    "here",
    "speaking",
    "way",
    "moving",
    "really",
    "very",
    "frustrated",
    "confused",
    "annoyed",
    "upset",
    "happy",
    "glad",
    "ridiculous",
    "crazy",
    "weird",
    "strange",
    "fine",
    "great",
    "hoping",
    "getting",
    "having",
    "waiting",
    "regarding",
    "over",
    "supposed",
    "pretty",
    "kind",
    "sort",
    "ready",
    "retired",
    "done",
    "tired",
    "positive",
    "certain",
    "afraid",
    "selling",
    "cancelling",
    "canceling",
    "checking",
    "following",
    "concerning",
    "too",
    "late",
    "early",
    "important",
    "urgent",
    "taking",
    "going",
    "doing",
    "worried",
    "disappointed",
    "second",
    "time",
    "why",
    "how",
    "who",
    "where",
    "these",
    "those",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "hsp",
    "ticket",
    "perks",
    "service",
    "support",
    "dollars",
    "about",
    "nothing",
    "all",
    "been",
    "fixed",
    "gone",
    "not",
    "definitely",
    "probably",
    "calling",
    "today",
    "yesterday",
    "tomorrow",
    "new",
    "old",
    "actually",
    "quick",
    "still",
    "also",
    "almost",
    "already",
    "interested",
    "nice",
    "cool",
    "gonna",
    "wanna",
    "gotta",
    "alright",
    "awesome",
    "perfect",
    "phones",
    "emails",
    "address",
    "street",
    "avenue",
    "road",
    "court",
    "circle",
    "boulevard",
    "apartment",
];

fn name_like(word: &Word<'_>, cased: bool) -> bool {
    if word.norm == "pii" {
        return true;
    }
    word.raw.chars().count() >= 2
        && word
            .raw
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        && !NOT_NAMES.contains(&&*word.norm)
        && word_number(&word.norm).is_none()
        && (!cased || word.raw.chars().next().is_some_and(char::is_uppercase))
        // lower-case ASR: "okay im scrolling" names nobody
        && (cased || !(word.norm.len() >= 6 && word.norm.ends_with("ing")))
}

/// A name said from word `at` on: up to three name-like words (capitalised ones, unless the
/// text is all lower case), each capitalised in the value; a redacted name is [`REDACTED`].
pub fn name_in(text: &str, at: usize) -> Option<String> {
    let words = split(text);
    let cased = text.chars().any(char::is_uppercase);
    name_at(&words, at, cased)
}

pub(crate) fn name_at(words: &[Word<'_>], at: usize, cased: bool) -> Option<String> {
    let particle = |w: &Word<'_>| PARTICLES.contains(&&*w.norm);
    let mut parts: Vec<&Word<'_>> = Vec::new();
    for (k, word) in words.iter().enumerate().skip(at) {
        if parts.iter().filter(|w| !particle(w)).count() == 3 {
            break;
        }
        // "Lucia de la Cruz"
        let joins = !parts.is_empty()
            && particle(word)
            && !word.stop_after
            && words
                .get(k + 1)
                .is_some_and(|n| particle(n) || name_like(n, cased));
        if !(joins || name_like(word, cased)) {
            break;
        }
        parts.push(word);
        if word.stop_after {
            break;
        }
    }
    while parts.last().is_some_and(|w| particle(w)) {
        parts.pop();
    }
    let last = parts.last()?;
    // "it's Laurel Ridge Road": a street, not a name
    if !last.stop_after
        && words
            .get(at + parts.len())
            .is_some_and(|w| STREET_WORDS.contains(&&*w.norm))
    {
        return None;
    }
    if parts.iter().any(|w| w.norm == "pii") {
        return Some(REDACTED.to_owned());
    }
    Some(
        parts
            .iter()
            .map(|w| capitalise(w.raw))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The longest name in an answer to "your name?": the comma-separated part with the most
/// name words, fillers ("sure", "yes", "it's") skipped.
pub(crate) fn answered_name(words: &[Word<'_>], cased: bool) -> Option<(String, usize)> {
    let mut best: Option<(String, usize, usize)> = None;
    let mut i = 0;
    while i < words.len() {
        let Some(word) = words.get(i) else { break };
        if name_like(word, cased) {
            if let Some(name) = name_at(words, i, cased) {
                let n = name.split(' ').count() + usize::from(name != REDACTED);
                let len = if name == REDACTED { 2 } else { n };
                if best.as_ref().is_none_or(|b| len > b.2) {
                    best = Some((name, i, len));
                }
                while words
                    .get(i)
                    .is_some_and(|w| name_like(w, cased) && !w.stop_after)
                {
                    i += 1;
                }
            }
        } else if !(matches!(
            &*word.norm,
            "sure"
                | "yes"
                | "yeah"
                | "its"
                | "ok"
                | "okay"
                | "uh"
                | "um"
                | "the"
                | "name"
                | "is"
                | "my"
                | "names"
                | "this"
                | "oh"
                | "first"
                | "last"
        ) || word.stop_after)
        {
            // Anything else before a name: not an answer made of a name.
            best.as_ref()?;
            break;
        }
        i += 1;
    }
    best.map(|(name, at, _)| (name, at))
}

/// A name said on its own before the customer was identified: a clause of two or three
/// capitalised name words ("Yeah, hi Wes, Angela Moreno. I want to cancel", "Marcus Oyelaran.
/// I signed up last month"), or followed by "here" / "speaking" ("Simone Achterberg here.");
/// where it begins. Only in cased text (lower-case ASR cannot tell names from other words).
pub(crate) fn standalone_name(words: &[Word<'_>], cased: bool) -> Option<(String, usize)> {
    if !cased {
        return None;
    }
    let starts = std::iter::once(0).chain(
        words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.stop_after)
            .map(|(k, _)| k + 1),
    );
    for at in starts {
        let Some(name) = name_at(words, at, cased) else {
            continue;
        };
        let taken = name.split(' ').count();
        let Some(last) = words.get(at + taken - 1) else {
            continue;
        };
        let tag = words
            .get(at + taken)
            .is_some_and(|w| matches!(&*w.norm, "here" | "speaking") && w.stop_after);
        if name != REDACTED && (2..=4).contains(&taken) && (last.stop_after || tag) {
            return Some((name, at));
        }
    }
    None
}

/// A name given as its parts: "First name Consuelo, last name Ibarra", "Lan is first name.
/// Last name Nguyen" give `Consuelo Ibarra`, `Lan Nguyen`; where it begins.
pub(crate) fn first_and_last_name(words: &[Word<'_>], cased: bool) -> Option<(String, usize)> {
    let named = |k: usize, which: &str| {
        words.get(k).is_some_and(|w| w.norm == which)
            && words.get(k + 1).is_some_and(|w| w.norm == "name")
    };
    let after = |k: usize| {
        let k = if words.get(k).is_some_and(|w| w.norm == "is") {
            k + 1
        } else {
            k
        };
        words.get(k).filter(|w| name_like(w, cased)).map(|w| (w, k))
    };
    let last_at = (0..words.len()).find(|&k| named(k, "last"))?;
    let (last, _) = after(last_at + 2)?;
    let first_at = (0..last_at).find(|&k| named(k, "first"))?;
    // "First name Consuelo", or "Lan is first name"
    let (first, at) = after(first_at + 2)
        .filter(|(_, k)| *k < last_at)
        .or_else(|| {
            let before = first_at.checked_sub(2)?;
            let is = words.get(first_at.checked_sub(1)?)?;
            let w = words.get(before)?;
            (is.norm == "is" && name_like(w, cased)).then_some((w, before))
        })?;
    if first.norm == "pii" || last.norm == "pii" {
        return Some((REDACTED.to_owned(), at));
    }
    Some((
        format!("{} {}", capitalise(first.raw), capitalise(last.raw)),
        at,
    ))
}

fn capitalise(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut first = true;
    for c in word.chars() {
        if first {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        // "Mary-Kate"; "O'Neal" stays "O'neal", as the corpus writes it
        first = c == '-';
    }
    out
}

/// Whether a moment the customer tells of falls within business hours (weekdays, `opens`
/// to `closes` o'clock): `Some(true)` inside, `Some(false)` outside, `None` when the words do
/// not say (a weekday with no time, "a while ago"). Weekend days, night, evening and "late"
/// are outside; relative days ("yesterday", "this morning", "three days ago") are read
/// against `call_date`; a bare hour 1 to 6 is p.m., 7 to 11 a.m.; "lunch" is noon.
pub fn business_hours_in(
    text: &str,
    call_date: NaiveDate,
    opens: u32,
    closes: u32,
) -> Option<bool> {
    business_hours_words(&split(text), call_date, opens, closes).map(|(v, _)| v)
}

pub(crate) fn business_hours_words(
    words: &[Word<'_>],
    call_date: NaiveDate,
    opens: u32,
    closes: u32,
) -> Option<(bool, usize)> {
    let mut day: Option<Weekday> = None;
    let mut outside_part = false;
    let mut part: Option<&str> = None;
    let mut hour: Option<u32> = None;
    let mut meridiem: Option<bool> = None; // true = pm
    let mut first: Option<usize> = None;
    let mark = |i: usize, first: &mut Option<usize>| {
        if first.is_none() {
            *first = Some(i);
        }
    };
    for (i, w) in words.iter().enumerate() {
        let n = &*w.norm;
        let prev = i
            .checked_sub(1)
            .and_then(|p| words.get(p))
            .map_or("", |w| &*w.norm);
        match n {
            "monday" | "mondays" => day = Some(Weekday::Mon),
            "tuesday" | "tuesdays" => day = Some(Weekday::Tue),
            "wednesday" | "wednesdays" => day = Some(Weekday::Wed),
            "thursday" | "thursdays" => day = Some(Weekday::Thu),
            "friday" | "fridays" => day = Some(Weekday::Fri),
            "saturday" | "saturdays" => day = Some(Weekday::Sat),
            "sunday" | "sundays" => day = Some(Weekday::Sun),
            "weekend" => day = Some(Weekday::Sat),
            "yesterday" => day = Some(call_date.pred_opt().unwrap_or(call_date).weekday()),
            "today" | "tonight" => day = Some(call_date.weekday()),
            "morning" | "afternoon" | "evening" | "night" | "lunch" | "lunchtime" | "noon"
            | "midnight" => {
                if prev == "this" {
                    day = Some(call_date.weekday());
                }
                if prev == "last" && n == "night" {
                    day = Some(call_date.pred_opt().unwrap_or(call_date).weekday());
                }
                if matches!(n, "evening" | "night" | "midnight") {
                    outside_part = true;
                }
                part = Some(n);
            }
            "late" if !matches!(words.get(i + 1).map(|w| &*w.norm), Some("payment" | "fee")) => {
                outside_part = true;
            }
            "am" => meridiem = Some(false),
            "pm" => meridiem = Some(true),
            "ago" => {
                if let Some(back) = words.get(i.wrapping_sub(2)).and_then(|w| w.number) {
                    if words.get(i - 1).is_some_and(|w| w.norm.starts_with("day")) {
                        let back = i64::try_from(back).unwrap_or(0);
                        day = call_date
                            .checked_sub_signed(Duration::days(back))
                            .map(|d| d.weekday());
                    }
                }
                continue;
            }
            _ => {
                if let Some(v) = w.number {
                    let unit_after = words.get(i + 1).map(|w| &*w.norm).is_some_and(|u| {
                        u.starts_with("day")
                            || u.starts_with("week")
                            || u.starts_with("month")
                            || u.starts_with("minute")
                            || u.starts_with("hour")
                    });
                    let timeish = matches!(
                        prev,
                        "around"
                            | "at"
                            | "about"
                            | "like"
                            | "maybe"
                            | "by"
                            | "til"
                            | "until"
                            | "before"
                            | "after"
                    ) || words.get(i + 1).is_some_and(|w| {
                        matches!(
                            &*w.norm,
                            "am" | "pm" | "oclock" | "thirty" | "fifteen" | "in" | "at"
                        )
                    }) || (words
                        .get(i + 1)
                        .is_some_and(|w| w.norm == "a" || w.norm == "p")
                        && words.get(i + 2).is_some_and(|w| w.norm == "m"));
                    if (1..=12).contains(&v) && timeish && !unit_after && hour.is_none() {
                        hour = Some(u32::try_from(v).unwrap_or(0));
                        if let (Some(a), Some(m)) = (words.get(i + 1), words.get(i + 2)) {
                            if m.norm == "m" && (a.norm == "a" || a.norm == "p") {
                                meridiem = Some(a.norm == "p");
                            }
                        }
                        mark(i, &mut first);
                    }
                }
                continue;
            }
        }
        mark(i, &mut first);
    }
    let first = first?;
    if let Some(d) = day {
        if matches!(d, Weekday::Sat | Weekday::Sun) {
            return Some((false, first));
        }
    }
    if outside_part {
        return Some((false, first));
    }
    let hour24 = hour.map(|h| {
        let pm = meridiem.unwrap_or(match part {
            Some("morning") => false,
            Some("afternoon" | "evening" | "night") => true,
            _ => (1..=6).contains(&h),
        });
        match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        }
    });
    match (hour24, part) {
        (Some(h), _) => Some((h >= opens && h < closes, first)),
        (None, Some("afternoon" | "lunch" | "lunchtime" | "noon")) => Some((true, first)),
        (None, Some("morning")) if day.is_some() => Some((true, first)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_digits_and_words() {
        let cases = [
            (
                "a paid call fee of $161.00 that will be deducted",
                Some(16100),
            ),
            ("a hundred forty five dollars that comes off", Some(14500)),
            ("they have it as a hundred forty five.", None),
            ("ninety nine bucks so that'll come off", Some(9900)),
            ("a fee of 45 dollars", Some(4500)),
            ("two hundred and nine dollars on the account", Some(20900)),
            ("one sixty-one dollars", Some(16100)),
            ("eighty nine dollars and fifty cents", Some(8950)),
            ("zero dollars comes off your refund", Some(0)),
            ("within 24 hours", None),
        ];
        for (text, want) in cases {
            assert_eq!(amount_in(text, false).map(|a| a.0), want, "{text}");
        }
        assert_eq!(
            amount_in("they have it as a hundred forty five.", true).map(|a| a.0),
            Some(14500)
        );
        assert_eq!(
            amount_in("it was eighty nine fifty", true).map(|a| a.0),
            Some(8950)
        );
        assert_eq!(
            amount_in("so one sixty one comes off", true).map(|a| a.0),
            Some(16100)
        );
        // An amount marked as money wins over a bare number said first.
        assert_eq!(
            amount_in("the address is 41 Birch Lane, and the fee is $212.40", true).map(|a| a.0),
            Some(21240)
        );
    }

    #[test]
    fn tickets_names_and_hours() {
        assert_eq!(
            ticket_in("Yes, it's HSP 3 0 5 5 8.", "HSP", 5, false).as_deref(),
            Some("HSP-30558")
        );
        assert_eq!(
            ticket_in("h s p seven seven zero one two", "HSP", 5, false).as_deref(),
            Some("HSP-77012")
        );
        assert_eq!(
            ticket_in("H S P, dash, six two nine four oh", "HSP", 5, false).as_deref(),
            Some("HSP-62940")
        );
        assert_eq!(
            ticket_in("[PII].", "HSP", 5, true).as_deref(),
            Some(REDACTED)
        );
        assert_eq!(ticket_in("it was twenty minutes", "HSP", 5, true), None);
        // Tens and teens said as such.
        assert_eq!(
            ticket_in("Yeah, it's HSP fifty two, six oh four.", "HSP", 5, false).as_deref(),
            Some("HSP-52604")
        );
        assert_eq!(
            ticket_in("hsp four fifteen thirty", "HSP", 5, false).as_deref(),
            Some("HSP-41530")
        );
        // A redacted number volunteered as the ticket's, not any redacted number.
        for said in [
            "My ticket number is [PII].",
            "I opened a support ticket with them, the number is [PII].",
        ] {
            assert_eq!(
                ticket_in(said, "HSP", 5, false).as_deref(),
                Some(REDACTED),
                "{said}"
            );
        }
        assert_eq!(ticket_in("my phone number is [PII]", "HSP", 5, false), None);
        assert_eq!(name_in("it's Court.", 1), None);
        // A name said alone after greeting the agent by name; not in lower case, not a
        // sentence.
        let greeted = |text: &str| {
            let cased = text.chars().any(char::is_uppercase);
            standalone_name(&split(text), cased).map(|(name, _)| name)
        };
        assert_eq!(
            greeted("Yeah, hi Wes, Angela Moreno. I want to cancel.").as_deref(),
            Some("Angela Moreno")
        );
        assert_eq!(greeted("yeah hi wes angela moreno i want to cancel"), None);
        assert_eq!(greeted("Hi Wes, Angela Moreno told me to call."), None);
        assert_eq!(
            greeted("Morning, Hannah. Fitzgerald Monroe speaking.").as_deref(),
            Some("Fitzgerald Monroe")
        );
        assert_eq!(
            name_in("this is Lucia de la Cruz. I got the email", 2).as_deref(),
            Some("Lucia De La Cruz")
        );
        assert_eq!(name_in("it's Laurel Ridge Road, not Drive", 1), None);
        let parts = |text: &str| first_and_last_name(&split(text), true).map(|(n, _)| n);
        assert_eq!(
            parts("First name Consuelo, last name Ibarra.").as_deref(),
            Some("Consuelo Ibarra")
        );
        assert_eq!(
            parts("Lan is first name. Last name Nguyen. N, G, U, Y, E, N.").as_deref(),
            Some("Lan Nguyen")
        );
        assert_eq!(
            name_in("this is marcus bell by the way", 2).as_deref(),
            Some("Marcus Bell")
        );
        assert_eq!(name_in("it's [PII] [PII].", 1).as_deref(), Some(REDACTED));
        let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(
            business_hours_in("Sunday night.", monday, 9, 18),
            Some(false)
        );
        assert_eq!(
            business_hours_in(
                "it was wednesday afternoon maybe around three thirty",
                monday,
                9,
                18
            ),
            Some(true)
        );
        assert_eq!(
            business_hours_in("this morning around seven", monday, 9, 18),
            Some(false)
        );
        assert_eq!(
            business_hours_in("yesterday at lunch", monday, 9, 18),
            Some(false)
        );
        assert_eq!(
            business_hours_in("tuesday around two", monday, 9, 18),
            Some(true)
        );
        assert_eq!(business_hours_in("on tuesday", monday, 9, 18), None);
    }
}
