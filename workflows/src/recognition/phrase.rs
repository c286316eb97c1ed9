//! Phrases compiled: words, numbers, gaps; and their matching against an utterance's words.

use super::words::{split, Word};

/// The most words a `*` skips.
pub(crate) const GAP: usize = 6;

/// One element of a phrase.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A word, normalized as utterances are, and its number in the recogniser's vocabulary
    /// (0 until the recogniser numbers it: then the strings are compared).
    Word(String, u32),
    /// A number (written in digits or words in the phrase).
    Number(u64),
    /// Any number.
    AnyNumber,
    /// Up to [`GAP`] words.
    Gap,
}

/// A compiled phrase.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub toks: Vec<Tok>,
    /// Words the phrase names (not gaps): a longer phrase is a surer match.
    pub weight: usize,
    /// The vocabulary numbers of its words, once the recogniser has numbered them: a phrase
    /// one of whose words the utterance lacks is not tried.
    pub ids: Vec<u32>,
}

/// Why a phrase cannot be used, or `Ok` (for the policy file's checks).
pub fn check_phrase(text: &str) -> Result<(), String> {
    compile(text).map(|_| ())
}

pub(crate) fn compile(text: &str) -> Result<Phrase, String> {
    let body = text.strip_prefix('!').unwrap_or(text);
    let mut toks = Vec::new();
    for part in body.split_whitespace() {
        match part {
            "*" => {
                if toks.is_empty() {
                    return Err(format!("phrase {text:?} starts with a gap (*)"));
                }
                if toks.last() == Some(&Tok::Gap) {
                    continue;
                }
                toks.push(Tok::Gap);
            }
            "#" => toks.push(Tok::AnyNumber),
            _ => {
                for word in split(part) {
                    match word.number {
                        Some(n) => toks.push(Tok::Number(n)),
                        None => toks.push(Tok::Word(word.norm.into_owned(), 0)),
                    }
                }
            }
        }
    }
    if toks.last() == Some(&Tok::Gap) {
        toks.pop();
    }
    if toks.is_empty() {
        return Err(format!("phrase {text:?} has no words"));
    }
    let weight = toks.iter().filter(|t| **t != Tok::Gap).count();
    Ok(Phrase {
        toks,
        weight,
        ids: Vec::new(),
    })
}

/// How many words a number token takes at `at` when it is `want` (`twenty four` is 24).
fn number_at(words: &[Word<'_>], at: usize, want: Option<u64>) -> Option<usize> {
    let word = words.get(at)?;
    let n = word.number?;
    // Compose simple two-word numbers: "twenty four".
    if let Some(next) = words.get(at + 1) {
        if (20..=90).contains(&n) && n % 10 == 0 && !word.stop_after {
            if let Some(u) = next.number.filter(|u| (1..10).contains(u)) {
                if next.raw.chars().all(char::is_alphabetic) && want.is_none_or(|w| w == n + u) {
                    return Some(2);
                }
            }
        }
    }
    want.is_none_or(|w| w == n).then_some(1)
}

/// A match: where it starts and ends (exclusive) and how many words the gaps skipped.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub skipped: usize,
}

/// Matches `phrase` at word `start` (its first token there).
pub(crate) fn match_at(phrase: &Phrase, words: &[Word<'_>], start: usize) -> Option<Hit> {
    fn go(toks: &[Tok], words: &[Word<'_>], at: usize, skipped: usize) -> Option<(usize, usize)> {
        let Some((tok, rest)) = toks.split_first() else {
            return Some((at, skipped));
        };
        match tok {
            Tok::Gap => {
                for skip in 0..=GAP {
                    if at + skip > words.len() {
                        break;
                    }
                    if let Some(found) = go(rest, words, at + skip, skipped + skip) {
                        return Some(found);
                    }
                }
                None
            }
            Tok::Word(w, id) => {
                let word = words.get(at)?;
                let same = if *id != 0 {
                    word.id == *id
                } else {
                    word.norm == *w
                };
                same.then_some(())?;
                go(rest, words, at + 1, skipped)
            }
            Tok::Number(n) => {
                let taken = number_at(words, at, Some(*n))?;
                go(rest, words, at + taken, skipped)
            }
            Tok::AnyNumber => {
                let taken = number_at(words, at, None)?;
                go(rest, words, at + taken, skipped)
            }
        }
    }
    go(&phrase.toks, words, start, 0).map(|(end, skipped)| Hit {
        start,
        end,
        skipped,
    })
}

/// The first match of `phrase` anywhere in `words`.
pub(crate) fn find(phrase: &Phrase, words: &[Word<'_>]) -> Option<Hit> {
    (0..words.len()).find_map(|start| match_at(phrase, words, start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_words_numbers_and_gaps() {
        let p = compile("30 days * first payment").unwrap();
        let words = split("once you've had the warranty thirty days and made your first payment");
        assert!(find(&p, &words).is_some());
        let p = compile("within 24 hours").unwrap();
        assert!(find(&p, &split("answered within twenty four hours if")).is_some());
        assert!(find(&p, &split("answered within 24 hours")).is_some());
        assert!(compile("* x").is_err());
        assert!(compile("  ").is_err());
    }
}
