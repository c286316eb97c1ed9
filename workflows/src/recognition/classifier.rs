//! A small supervised lexical classifier: for the steps whose meaning is in what is said
//! rather than in a stock phrase ("the tech came out last week and I paid for it"), a
//! logistic regression per step over the utterance's words and word pairs, learned from the
//! labelled utterances each procedure declares ([`super::Recognition::examples`]).
//!
//! It only adds to the phrase lists: a cue that a phrase or its script line already reads
//! never asks it, and what it reads still passes the cue's veto phrases, its gate and its
//! value reading. Learning is deterministic (examples in their order, fixed rates and
//! epochs), happens when a recogniser is built (once per process for the same examples), and
//! downloads nothing.

use std::sync::{Arc, Mutex, PoisonError};

use super::kept::Kept;

use rustc_hash::FxHashMap;

use super::words::Word;
use crate::error::Error;
use crate::vocab::Speaker;

/// The probability at which the classifier alone reads a step: more likely than not.
pub const CLASSIFIER_FLOOR: f64 = 0.5;

/// The key of a policy's examples in `[<owner>.recognition]`: they replace the owner's
/// declared ones.
pub const EXAMPLES: &str = "examples";

/// Passes over the examples when learning.
const EPOCHS: usize = 60;
/// The step size of each update.
const RATE: f32 = 0.5;
/// How strongly weights are pulled back to zero (L2), so that a word seen once does not
/// decide alone.
const DECAY: f32 = 1e-3;
/// The bias learns more slowly than the words, so that a rare step's prior does not swamp
/// them.
const BIAS_RATE: f32 = 0.05;

/// One labelled utterance of a procedure's examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example<'a> {
    /// Who said it.
    pub speaker: Speaker,
    /// The steps the utterance holds: `event`, `event=value` for a step of fixed values,
    /// `inquiry=<reason>`; none for an utterance of no step.
    pub labels: Vec<&'a str>,
    /// What was said.
    pub text: &'a str,
    /// Its line in the examples' text, from 1.
    pub line: usize,
}

/// Reads a procedure's examples: one utterance per line, `speaker<TAB>steps<TAB>text`
/// (steps space-separated, possibly none); blank lines and lines starting with `#` are
/// skipped. `owner` names the procedure in errors.
///
/// ```
/// use callflow_workflows::recognition::parse_examples;
/// let text = "# a comment\nagent\tapologize ask_contact_time\tSorry, when did you call them?\ncustomer\t\tone moment";
/// let examples = parse_examples("shopping_dollars", text).unwrap();
/// assert_eq!(examples.len(), 2);
/// assert_eq!(examples[0].labels, ["apologize", "ask_contact_time"]);
/// assert!(examples[1].labels.is_empty());
/// ```
pub fn parse_examples<'a>(owner: &str, text: &'a str) -> Result<Vec<Example<'a>>, Error> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: String| Error::Examples {
            owner: owner.to_owned(),
            line: n + 1,
            why,
        };
        let mut fields = line.splitn(3, '\t');
        let (Some(speaker), Some(labels), Some(text)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(bad(
                "expected three tab-separated fields: speaker, steps, text".to_owned(),
            ));
        };
        let speaker = match speaker.to_ascii_lowercase().as_str() {
            "agent" => Speaker::Agent,
            "customer" => Speaker::Customer,
            other => return Err(bad(format!("unknown speaker '{other}'"))),
        };
        out.push(Example {
            speaker,
            labels: labels.split_whitespace().collect(),
            text,
            line: n + 1,
        });
    }
    Ok(out)
}

/// What the classifier is asked to tell: one label per cue or reason, and who says it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Label {
    pub name: String,
    pub speaker: Speaker,
}

/// The learned weights: one logistic regression per label, over word and word-pair features.
#[derive(Debug, Default)]
pub(crate) struct Classifier {
    /// Feature ids of single words (as [`token`] writes them).
    words: FxHashMap<String, u32>,
    /// Feature ids of adjacent word pairs, by their words' ids.
    pairs: FxHashMap<(u32, u32), u32>,
    features: usize,
    /// Per label: its weights (`features` of them) and bias. A label with no example is
    /// absent (`None`): it never reads anything.
    models: Vec<Option<Model>>,
}

#[derive(Debug)]
struct Model {
    weights: Vec<f32>,
    bias: f32,
}

/// The token a word is for the classifier: any number is one token (`#`), a redacted value
/// another (`pii`), any other word its [stem].
fn token<'w>(word: &'w Word<'_>) -> &'w str {
    if word.number.is_some() {
        "#"
    } else {
        stem(&word.norm)
    }
}

/// A word's crude stem: a plural's, a past tense's or a gerund's ending cut.
fn stem(word: &str) -> &str {
    for ending in ["ing", "ed", "es", "s"] {
        if let Some(stem) = word.strip_suffix(ending) {
            if stem.len() >= 3 && !word.ends_with("ss") {
                return stem;
            }
        }
    }
    word
}

/// The classifier's tokens of an utterance's words, a run of numbers read as one.
fn tokens<'w>(words: &'w [Word<'_>]) -> impl Iterator<Item = &'w str> {
    let mut last_number = false;
    words.iter().filter_map(move |word| {
        let tok = token(word);
        let repeat = tok == "#" && last_number;
        last_number = tok == "#";
        (!repeat).then_some(tok)
    })
}

/// An utterance's features, by id (known words and pairs only).
pub(crate) struct Features(Vec<u32>);

impl Classifier {
    /// Learns one model per label from `examples` (those of the label's speaker).
    pub fn learn(labels: &[Label], examples: &[(Example<'_>, Vec<Word<'_>>)]) -> Classifier {
        let mut classifier = Classifier::default();
        let mut encoded: Vec<(Speaker, &[&str], Vec<u32>)> = Vec::with_capacity(examples.len());
        for (example, words) in examples {
            let features = classifier.encode(words);
            encoded.push((example.speaker, &example.labels, features));
        }
        let features = classifier.features;
        classifier.models = labels
            .iter()
            .map(|label| {
                let mine: Vec<(bool, &[u32])> = encoded
                    .iter()
                    .filter(|(speaker, _, _)| *speaker == label.speaker)
                    .map(|(_, said, f)| (said.contains(&label.name.as_str()), f.as_slice()))
                    .collect();
                mine.iter()
                    .any(|(yes, _)| *yes)
                    .then(|| Model::learn(&mine, features))
            })
            .collect();
        classifier
    }

    /// The ids of the utterance's words and pairs, unknown ones given new ids (learning).
    fn encode(&mut self, words: &[Word<'_>]) -> Vec<u32> {
        let mut out = Vec::with_capacity(words.len() * 2);
        let mut previous: Option<u32> = None;
        for tok in tokens(words) {
            let id = match self.words.get(tok) {
                Some(id) => *id,
                None => {
                    let id = self.next_id();
                    self.words.insert(tok.to_owned(), id);
                    id
                }
            };
            if let Some(a) = previous {
                let pair = match self.pairs.get(&(a, id)) {
                    Some(pair) => *pair,
                    None => {
                        let pair = self.next_id();
                        self.pairs.insert((a, id), pair);
                        pair
                    }
                };
                out.push(pair);
            }
            out.push(id);
            previous = Some(id);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn next_id(&mut self) -> u32 {
        let id = u32::try_from(self.features).unwrap_or(u32::MAX);
        self.features += 1;
        id
    }

    /// The utterance's features (the words and pairs seen in the examples), for
    /// [`Classifier::probability`].
    pub fn features(&self, words: &[Word<'_>]) -> Features {
        let mut out = Vec::with_capacity(words.len() * 2);
        let mut previous: Option<u32> = None;
        for tok in tokens(words) {
            let id = self.words.get(tok).copied();
            if let (Some(a), Some(b)) = (previous, id) {
                out.extend(self.pairs.get(&(a, b)).copied());
            }
            out.extend(id);
            previous = id;
        }
        out.sort_unstable();
        out.dedup();
        Features(out)
    }

    /// How likely the label is, 0 to 1, for an utterance of these features (0 for a label
    /// with no example).
    pub fn probability(&self, label: usize, features: &Features) -> f64 {
        match self.models.get(label) {
            Some(Some(model)) => f64::from(sigmoid(model.score(&features.0))),
            _ => 0.0,
        }
    }

    /// The word that speaks most for the label: where a step read by the classifier begins.
    pub fn strongest_word(&self, label: usize, words: &[Word<'_>]) -> usize {
        let Some(Some(model)) = self.models.get(label) else {
            return 0;
        };
        let mut best = (0, f32::MIN);
        for (at, word) in words.iter().enumerate() {
            if let Some(id) = self.words.get(token(word)) {
                let weight = model.weights.get(*id as usize).copied().unwrap_or(0.0);
                if weight > best.1 {
                    best = (at, weight);
                }
            }
        }
        best.0
    }
}

impl Model {
    fn learn(examples: &[(bool, &[u32])], features: usize) -> Model {
        let mut model = Model {
            weights: vec![0.0; features],
            bias: 0.0,
        };
        for _ in 0..EPOCHS {
            for (yes, said) in examples {
                let target = if *yes { 1.0 } else { 0.0 };
                let gradient = sigmoid(model.score(said)) - target;
                model.bias -= BIAS_RATE * gradient;
                for id in *said {
                    if let Some(w) = model.weights.get_mut(*id as usize) {
                        *w -= RATE * (gradient + DECAY * *w);
                    }
                }
            }
        }
        model
    }

    fn score(&self, features: &[u32]) -> f32 {
        self.bias
            + features
                .iter()
                .map(|id| self.weights.get(*id as usize).copied().unwrap_or(0.0))
                .sum::<f32>()
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp())
}

/// Classifiers already learned in this process, by the examples and labels they learned
/// from (every recogniser of the same procedures and policy learns the same one).
static LEARNED: Mutex<Kept<LearnedFrom, Classifier>> = Mutex::new(Kept::new());

/// What a classifier learned from: each owner's examples text, and the labels.
type LearnedFrom = (Vec<String>, Vec<Label>);

/// The classifier for these labels learned from these owners' examples (owner, text), learned
/// once per process.
/// Every step an example names must be in `known` (each cue's event, `event=value` for a
/// step of fixed values, `inquiry=<reason>`).
pub(crate) fn learned(
    owners: &[(&str, String)],
    labels: Vec<Label>,
    known: &[String],
) -> Result<Arc<Classifier>, Error> {
    let mut cache = LEARNED.lock().unwrap_or_else(PoisonError::into_inner);
    let same = |(texts, learned_labels): &LearnedFrom| {
        *learned_labels == labels && texts.iter().eq(owners.iter().map(|(_, text)| text))
    };
    cache.get_or_make(same, || {
        let mut examples = Vec::new();
        for (owner, text) in owners {
            for example in parse_examples(owner, text)? {
                if let Some(unknown) = example
                    .labels
                    .iter()
                    .find(|l| !known.iter().any(|k| k == *l))
                {
                    return Err(Error::Examples {
                        owner: (*owner).to_owned(),
                        line: example.line,
                        why: format!("unknown step '{unknown}'"),
                    });
                }
                let words = super::words::split(example.text);
                examples.push((example, words));
            }
        }
        let classifier = Classifier::learn(&labels, &examples);
        let texts = owners.iter().map(|(_, text)| text.clone()).collect();
        Ok(((texts, labels.clone()), classifier))
    })
}

#[cfg(test)]
mod tests {
    use super::super::kept::KEPT;
    use super::*;

    fn label(name: &str, speaker: Speaker) -> Label {
        Label {
            name: name.to_owned(),
            speaker,
        }
    }

    const TEXT: &str = "\
customer\tservice_call_reported\tthe technician came out last week and I paid him
customer\tservice_call_reported\ta repair guy came by on tuesday, I paid the fee
customer\tservice_call_reported\tthey sent a tech to fix the fridge and I had to pay
customer\t\tmy email is on the account
customer\t\tyes that's right
customer\t\tcan you check the refund for me
customer\t\tI paid my bill last month
agent\t\tone moment please
";

    fn learn(labels: &[Label]) -> Classifier {
        let examples: Vec<(Example<'_>, Vec<Word<'_>>)> = parse_examples("paid_call", TEXT)
            .unwrap()
            .into_iter()
            .map(|e| {
                let words = super::super::words::split(e.text);
                (e, words)
            })
            .collect();
        Classifier::learn(labels, &examples)
    }

    fn probability(classifier: &Classifier, label: usize, said: &str) -> f64 {
        let words = super::super::words::split(said);
        classifier.probability(label, &classifier.features(&words))
    }

    #[test]
    fn a_step_said_in_new_words_is_read_and_other_words_are_not() {
        let labels = [label("service_call_reported", Speaker::Customer)];
        let classifier = learn(&labels);
        let new = probability(
            &classifier,
            0,
            "a tech came out on monday and I paid for it",
        );
        let other = probability(&classifier, 0, "can you check my email");
        assert!(new >= CLASSIFIER_FLOOR, "{new}");
        assert!(other < CLASSIFIER_FLOOR, "{other}");
        // Learning is deterministic: the same examples give the same weights.
        let again = learn(&labels);
        let said = "a tech came out on monday and I paid for it";
        assert_eq!(probability(&again, 0, said), new);
    }

    #[test]
    fn a_label_without_examples_reads_nothing() {
        let labels = [
            label("amount_disputed", Speaker::Customer),
            label("service_call_reported", Speaker::Agent),
        ];
        let classifier = learn(&labels);
        let said = "the technician came out last week and I paid him";
        assert_eq!(probability(&classifier, 0, said), 0.0);
        // The customer's examples teach nothing about what the agent says.
        assert_eq!(probability(&classifier, 1, said), 0.0);
    }

    #[test]
    fn bad_example_lines_name_their_owner_and_line() {
        let err = parse_examples("paid_call", "# x\nagent\tquote_amount").unwrap_err();
        assert_eq!(
            err.to_string(),
            "recognition examples of paid_call, line 2: expected three tab-separated fields: speaker, steps, text"
        );
        let err = parse_examples("paid_call", "partner\t\thello").unwrap_err();
        assert!(
            err.to_string()
                .contains("line 1: unknown speaker 'partner'"),
            "{err}"
        );
        let owners = [(
            "paid_call",
            "\ncustomer\tserviced\tthe tech came".to_owned(),
        )];
        let Err(err) = learned(&owners, Vec::new(), &["quote_amount".to_owned()]) else {
            panic!("an unknown step was learned");
        };
        assert_eq!(
            err.to_string(),
            "recognition examples of paid_call, line 2: unknown step 'serviced'"
        );
    }

    #[test]
    fn learned_classifiers_are_shared_and_the_cache_is_bounded() {
        let known = ["service_call_reported".to_owned()];
        let labels = || vec![label("service_call_reported", Speaker::Customer)];
        let set = |n: usize| {
            [(
                "paid_call",
                format!("customer\tservice_call_reported\tthe tech came out {n} times"),
            )]
        };
        let first = learned(&set(1000), labels(), &known).unwrap();
        let again = learned(&set(1000), labels(), &known).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the same examples learn once");
        for n in 0..KEPT {
            learned(&set(n), labels(), &known).unwrap();
        }
        assert!(LEARNED.lock().unwrap().len() <= KEPT);
        let evicted = learned(&set(1000), labels(), &known).unwrap();
        assert!(
            !Arc::ptr_eq(&first, &evicted),
            "the least recently used is dropped"
        );
    }

    #[test]
    fn stems_cut_common_endings_only() {
        assert_eq!(stem("paying"), "pay");
        assert_eq!(stem("covered"), "cover");
        assert_eq!(stem("charges"), "charg");
        assert_eq!(stem("dollars"), "dollar");
        assert_eq!(stem("was"), "was");
        assert_eq!(stem("address"), "address");
    }
}
