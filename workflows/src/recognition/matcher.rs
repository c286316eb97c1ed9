//! The recogniser: every registered procedure's cues (and the frame's) compiled once, read
//! against one utterance at a time with what the call has said so far.

use std::cell::OnceCell;
use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use super::classifier::{learned, Classifier, Features, Label, CLASSIFIER_FLOOR, EXAMPLES};
use super::phrase::{compile, find, match_at, Hit, Phrase, Tok};
use super::words::{
    amount_in_words, answered_name, business_hours_words, first_and_last_name, format_cents,
    name_at, split, standalone_name, ticket_in_words, Word, REDACTED,
};
use super::{Cue, Extract, Gate, Recognition};
use crate::config::CALL_FRAME;
use crate::error::Error;
use crate::registry::Engine;
use crate::rules::Rules;
use crate::vocab::Speaker;

/// The adherence to a cue's script line at which the line alone recognises the step.
pub const SCRIPT_FLOOR: f64 = 0.6;

/// The adherence to the greeting at which the agent's turn opening a call is read as an
/// attempt at it (well under CF02's 0.7: a poor greeting is still a greeting, and CF02 then
/// says it was poor).
pub const OPENING_FLOOR: f64 = 0.25;

/// Under this confidence a recognised step is listed for review (`callflow tag --report`).
pub const LOW_CONFIDENCE: f64 = 0.6;

/// A step read by the classifier alone has its probability times this as its confidence:
/// always under [`LOW_CONFIDENCE`], so that `callflow tag --report` lists it for review.
pub const LEARNED_CEILING: f64 = 0.55;

/// The confidence of a step read from the call's opening turn by position alone.
const BY_POSITION: f64 = 0.5;

/// The confidence of a reason read from the agent's answer rather than from the customer's
/// words ([`Recognizer::recognize_call`]): always listed for review.
pub const FROM_THE_ANSWER: f64 = 0.4;

/// One step recognised in an utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognized {
    /// The event (`quote_amount`).
    pub event: &'static str,
    /// Its value as the v1 log writes it (`161.00`, `Dana Ruiz`, `[PII]`), or empty.
    pub value: String,
    /// How sure the match is, 0 to 1: a script line's adherence, a phrase's completeness.
    pub confidence: f64,
    /// The word where the step's words begin (several steps of one utterance go in this
    /// order).
    pub position: usize,
    /// Whether the value was redacted in the transcript (`[PII]`).
    pub redacted: bool,
    /// What read it: a reviewer weighs a phrase differently from the classifier's guess.
    pub by: ReadBy,
}

/// What read a step: the evidence a reviewer is shown beside it (`callflow tag --report`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBy {
    /// One of the cue's phrases (or the reason's), or a name said as a clause of its own.
    Phrase,
    /// The adherence to the cue's script line.
    Script,
    /// The call's opening turn, resembling the greeting somewhat (by position).
    Opening,
    /// The classifier learned from the procedures' examples.
    Classifier,
    /// The customer's answer to the agent's question (a name asked for).
    Asked,
    /// The agent's answer: a reason no words of the customer gave, read from a step the
    /// machines ask for under that reason only ([`Recognizer::recognize_call`]).
    Answer,
}

impl ReadBy {
    /// How the review names it.
    pub fn describe(self) -> &'static str {
        match self {
            ReadBy::Phrase => "phrase",
            ReadBy::Script => "script line",
            ReadBy::Opening => "opening turn",
            ReadBy::Classifier => "classifier",
            ReadBy::Asked => "answer to the agent's question",
            ReadBy::Answer => "read from the agent's answer",
        }
    }
}

/// What a call has said so far, as recognition needs it.
#[derive(Debug, Clone)]
pub struct CallContext {
    call_date: NaiveDate,
    turns: usize,
    /// Each event recognised, with the number of the utterance of its latest occurrence.
    last: FxHashMap<&'static str, usize>,
    reason: Option<String>,
    agent_asked_name: bool,
}

impl CallContext {
    /// A call on `call_date` (in the business time zone) with nothing said yet.
    pub fn new(call_date: NaiveDate) -> CallContext {
        CallContext {
            call_date,
            turns: 0,
            last: FxHashMap::default(),
            reason: None,
            agent_asked_name: false,
        }
    }

    fn seen_since(&self, after: &[&str], own: &str) -> bool {
        let own_at = self.last.get(own).copied();
        after.iter().any(|e| {
            self.last
                .get(e)
                .is_some_and(|at| own_at.is_none_or(|own| *at >= own))
        })
    }
}

struct Compiled {
    cue: Cue,
    /// The words of its script line (placeholders aside): an utterance of fewer than
    /// [`SCRIPT_FLOOR`] of them cannot reach the floor, and is not measured.
    script_words: usize,
    phrases: Vec<Phrase>,
    vetoes: Vec<Phrase>,
    with: Vec<Phrase>,
    opening: Vec<Phrase>,
    /// The classifier's label for the cue, when the classifier may read it ([`Cue::learned`],
    /// and not a name, nor a step read from the call's opening by position).
    label: Option<usize>,
    /// Whether a procedure declares it (not the call frame).
    procedure: bool,
}

struct CompiledReason {
    reason: &'static str,
    phrases: Vec<Phrase>,
    covered: bool,
    /// The classifier's label for the reason.
    label: usize,
}

/// Every registered procedure's recognition (and the frame's), compiled, with the policy's
/// phrase lists in place of the declared ones where it sets them.
pub struct Recognizer {
    agent: Vec<Compiled>,
    customer: Vec<Compiled>,
    reasons: Vec<CompiledReason>,
    agent_index: Index,
    customer_index: Index,
    reason_index: Index,
    /// Every phrase word, numbered from 1.
    vocab: FxHashMap<String, u32>,
    /// What the procedures' examples taught.
    classifier: Arc<Classifier>,
    /// The procedures' agent steps that tell which covered reason the agent understood the
    /// call to be about, each with it (from the machines: `implied`).
    answers: FxHashMap<&'static str, &'static str>,
}

/// The phrases of a speaker's cues by their first word (and those that start with a
/// number), so that an utterance tries only the phrases that can start at each word.
#[derive(Default)]
struct Index {
    /// By the first word's vocabulary number.
    by_id: Vec<Vec<(u16, u16)>>,
    numeric: Vec<(u16, u16)>,
}

impl Index {
    fn by_word(&self, word: &Word<'_>) -> &[(u16, u16)] {
        let by_id = match word.id {
            0 => &[][..],
            id => self.by_id.get(id as usize).map_or(&[][..], Vec::as_slice),
        };
        by_id
    }
}

/// Gives every word of the phrases a number (from 1), in `vocab`.
fn number_words(phrases: &mut [Phrase], vocab: &mut FxHashMap<String, u32>) {
    for phrase in phrases {
        for tok in &mut phrase.toks {
            if let Tok::Word(w, id) = tok {
                let next = u32::try_from(vocab.len() + 1).unwrap_or(u32::MAX);
                *id = *vocab.entry(w.clone()).or_insert(next);
                phrase.ids.push(*id);
            }
        }
    }
}

/// An utterance's words, the vocabulary numbers it holds, and its classifier features (taken
/// when a cue first asks).
struct Seen<'s, 'w> {
    words: &'s [Word<'w>],
    present: &'s Present,
    features: &'s OnceCell<Features>,
}

impl Seen<'_, '_> {
    /// How likely the classifier finds the label in the utterance.
    fn learned(&self, classifier: &Classifier, label: usize) -> f64 {
        let features = self
            .features
            .get_or_init(|| classifier.features(self.words));
        classifier.probability(label, features)
    }

    /// Whether the phrase matches anywhere (tried only when every word of it was said).
    fn finds(&self, phrase: &Phrase) -> bool {
        self.present.holds(phrase) && find(phrase, self.words).is_some()
    }
}

/// The vocabulary numbers an utterance holds, as bits.
struct Present(Vec<u64>);

impl Present {
    fn of(words: &[Word<'_>], vocab: usize) -> Present {
        let mut bits = vec![0u64; vocab / 64 + 1];
        for w in words {
            if let Some(b) = bits.get_mut(w.id as usize / 64) {
                *b |= 1 << (w.id % 64);
            }
        }
        Present(bits)
    }

    /// Whether every word of the phrase is in the utterance.
    fn holds(&self, phrase: &Phrase) -> bool {
        phrase.ids.iter().all(|id| {
            self.0
                .get(*id as usize / 64)
                .is_some_and(|b| b & (1 << (id % 64)) != 0)
        })
    }
}

impl Index {
    fn of(cues: &[Compiled]) -> Index {
        Index::of_lists(cues.iter().map(|c| c.phrases.as_slice()))
    }

    fn of_lists<'a>(lists: impl Iterator<Item = &'a [Phrase]>) -> Index {
        let mut index = Index::default();
        for (c, phrases) in lists.enumerate() {
            for (p, phrase) in phrases.iter().enumerate() {
                let at = (
                    u16::try_from(c).unwrap_or(u16::MAX),
                    u16::try_from(p).unwrap_or(u16::MAX),
                );
                match phrase.toks.first() {
                    Some(Tok::Word(_, id)) => {
                        let id = *id as usize;
                        if index.by_id.len() <= id {
                            index.by_id.resize(id + 1, Vec::new());
                        }
                        if let Some(list) = index.by_id.get_mut(id) {
                            list.push(at);
                        }
                    }
                    _ => index.numeric.push(at),
                }
            }
        }
        index
    }
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("agent_cues", &self.agent.len())
            .field("customer_cues", &self.customer.len())
            .field("reasons", &self.reasons.len())
            .finish()
    }
}

fn compile_all(owner: &str, cue: &str, list: &[&str]) -> Result<(Vec<Phrase>, Vec<Phrase>), Error> {
    let mut phrases = Vec::new();
    let mut vetoes = Vec::new();
    for text in list {
        let phrase = compile(text).map_err(|why| Error::Phrase {
            owner: owner.to_owned(),
            cue: cue.to_owned(),
            why,
        })?;
        if text.starts_with('!') {
            vetoes.push(phrase);
        } else {
            phrases.push(phrase);
        }
    }
    Ok((phrases, vetoes))
}

impl Recognizer {
    /// The recogniser of `engine`'s procedures under its base rules' phrase lists
    /// ([`crate::Config::recognition`]).
    pub fn new(engine: &Engine) -> Result<Recognizer, Error> {
        let overrides = &engine.config().recognition;
        let mut owners: Vec<(&str, Recognition)> = vec![(CALL_FRAME, super::frame::RECOGNITION)];
        owners.extend(
            engine
                .procedures()
                .iter()
                .map(|p| (p.name(), p.recognition())),
        );
        let mut agent = Vec::new();
        let mut customer = Vec::new();
        let mut reasons = Vec::new();
        let mut labels: Vec<Label> = Vec::new();
        // Every step an example may name.
        let mut known: Vec<String> = Vec::new();
        // A policy's examples replace the owner's (`[<owner>.recognition] examples`).
        let examples: Vec<(&str, String)> = owners
            .iter()
            .map(
                |(owner, recognition)| match overrides.get(*owner).and_then(|o| o.get(EXAMPLES)) {
                    Some(lines) => (*owner, lines.join("\n")),
                    None => (*owner, recognition.examples.to_owned()),
                },
            )
            .collect();
        for (owner, recognition) in owners {
            let own = overrides.get(owner);
            for cue in recognition.cues {
                let list: Vec<&str> = match own.and_then(|o| o.get(cue.id)) {
                    Some(list) => list.iter().map(String::as_str).collect(),
                    None => cue.phrases.to_vec(),
                };
                let (phrases, vetoes) = compile_all(owner, cue.id, &list)?;
                let with = match cue.gate {
                    Gate::AfterOr(_, with) | Gate::With(with) => {
                        compile_all(owner, cue.id, with)?.0
                    }
                    _ => Vec::new(),
                };
                let opening = compile_all(owner, cue.id, cue.opening)?.0;
                let script_words = cue.script.map_or(0, |line| {
                    let mut text = line.template().to_owned();
                    for placeholder in crate::script::PLACEHOLDERS {
                        text = text.replace(placeholder, " ");
                    }
                    split(&text).len()
                });
                let name = match cue.value {
                    Extract::Fixed(value) => format!("{}={value}", cue.event),
                    _ => cue.event.to_owned(),
                };
                known.push(name.clone());
                let learnable =
                    cue.learned && !matches!(cue.value, Extract::Name { .. }) && !cue.opens_call;
                let label = learnable.then(|| label_of(&mut labels, name, cue.speaker));
                let compiled = Compiled {
                    cue: *cue,
                    script_words,
                    phrases,
                    vetoes,
                    with,
                    opening,
                    label,
                    procedure: owner != CALL_FRAME,
                };
                match cue.speaker {
                    Speaker::Agent => agent.push(compiled),
                    _ => customer.push(compiled),
                }
            }
            for reason in recognition.reasons {
                let list: Vec<&str> = match own.and_then(|o| o.get(reason.reason)) {
                    Some(list) => list.iter().map(String::as_str).collect(),
                    None => reason.phrases.to_vec(),
                };
                let covered = owner != CALL_FRAME;
                let name = format!("inquiry={}", reason.reason);
                known.push(name.clone());
                let label = label_of(&mut labels, name, Speaker::Customer);
                reasons.push(CompiledReason {
                    reason: reason.reason,
                    phrases: compile_all(owner, reason.reason, &list)?.0,
                    covered,
                    label,
                });
            }
        }
        let explored = super::implied::implied(engine)?;
        let answers = agent
            .iter()
            .filter(|c| c.procedure)
            .filter_map(|c| explored.get(c.cue.event).map(|r| (c.cue.event, *r)))
            .collect();
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        for cue in agent.iter_mut().chain(customer.iter_mut()) {
            number_words(&mut cue.phrases, &mut vocab);
            number_words(&mut cue.vetoes, &mut vocab);
            number_words(&mut cue.with, &mut vocab);
            number_words(&mut cue.opening, &mut vocab);
        }
        for reason in &mut reasons {
            number_words(&mut reason.phrases, &mut vocab);
        }
        Ok(Recognizer {
            classifier: learned(&examples, labels, &known)?,
            vocab,
            reason_index: Index::of_lists(reasons.iter().map(|r| r.phrases.as_slice())),
            agent_index: Index::of(&agent),
            customer_index: Index::of(&customer),
            agent,
            customer,
            reasons,
            answers,
        })
    }

    /// Every event a transcript is read as (`inquiry` and each cue's event), once each.
    pub fn events(&self) -> Vec<&'static str> {
        let mut events: Vec<&'static str> = self
            .agent
            .iter()
            .chain(&self.customer)
            .map(|c| c.cue.event)
            .collect();
        events.push("inquiry");
        events.sort_unstable();
        events.dedup();
        events
    }

    /// The steps of each utterance of one call, in order, read with what the call said before
    /// ([`Recognizer::recognize`] on each). One more reading needs the whole call: when the
    /// agent answers a covered reason (a step the machines ask for under that reason only,
    /// such as explaining the review period) before any reason was read, the customer's
    /// utterance before it that speaks most for that reason (the classifier's probability)
    /// gets the inquiry, at confidence [`FROM_THE_ANSWER`], so that review lists it. A reason
    /// the customer's words gave is never changed by the answer: an agent who answered the
    /// wrong question is still found out.
    ///
    /// ```
    /// use callflow_workflows::recognition::Recognizer;
    /// use callflow_workflows::vocab::Speaker;
    /// use callflow_workflows::Engine;
    /// let engine = Engine::builtin();
    /// let recognizer = Recognizer::new(&engine).unwrap();
    /// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let call = [
    ///     (Speaker::Agent, "Rewards line, this is Sam, how can I help?"),
    ///     (Speaker::Customer, "yeah so the gift thing that came with my plan, what happened to it"),
    ///     (Speaker::Agent, "Your shopping dollars are made available once you have had your warranty for at least 30 days and made your first payment."),
    /// ];
    /// let steps = recognizer.recognize_call(engine.rules(), date, &call);
    /// let inquiry = steps[1].iter().find(|s| s.event == "inquiry").unwrap();
    /// assert_eq!(inquiry.value, "reward_email_missing");
    /// ```
    pub fn recognize_call(
        &self,
        rules: &Rules,
        call_date: NaiveDate,
        turns: &[(Speaker, &str)],
    ) -> Vec<Vec<Recognized>> {
        let mut call = CallContext::new(call_date);
        let mut out: Vec<Vec<Recognized>> = Vec::with_capacity(turns.len());
        for &(speaker, said) in turns {
            let steps = self.recognize(rules, &mut call, speaker, said);
            if speaker == Speaker::Agent && call.reason.is_none() {
                let answered = steps.iter().find_map(|s| self.answers.get(s.event));
                if let Some(&reason) = answered {
                    if self.reason_from_the_answer(reason, turns, &mut out) {
                        call.reason = Some(reason.to_owned());
                    }
                }
            }
            out.push(steps);
        }
        out
    }

    /// Gives `reason` to the customer's utterance of `turns` (those read so far, `read`) that
    /// speaks most for it; whether there was one.
    fn reason_from_the_answer(
        &self,
        reason: &'static str,
        turns: &[(Speaker, &str)],
        read: &mut [Vec<Recognized>],
    ) -> bool {
        let label = self.reason_label(reason);
        let mut best: Option<(usize, f64, usize)> = None;
        for (at, &(speaker, said)) in turns.iter().enumerate().take(read.len()) {
            if speaker != Speaker::Customer {
                continue;
            }
            let words = self.words_of(said);
            let (p, position) = match label {
                Some(label) => {
                    let features = self.classifier.features(&words);
                    (
                        self.classifier.probability(label, &features),
                        self.classifier.strongest_word(label, &words),
                    )
                }
                None => (words.len() as f64 / 1000.0, 0),
            };
            if best.is_none_or(|(_, q, _)| p >= q) {
                best = Some((at, p, position));
            }
        }
        let Some((at, _, position)) = best else {
            return false;
        };
        let Some(steps) = read.get_mut(at) else {
            return false;
        };
        steps.push(Recognized {
            event: "inquiry",
            value: reason.to_owned(),
            confidence: FROM_THE_ANSWER,
            position,
            redacted: false,
            by: ReadBy::Answer,
        });
        // Before the utterance's other steps but its name, as a reason read from its words.
        in_order(steps);
        true
    }

    /// An utterance's words, each with its number in the phrases' vocabulary.
    fn words_of<'w>(&self, said: &'w str) -> Vec<Word<'w>> {
        let mut words = split(said);
        for word in &mut words {
            word.id = self.vocab.get(&*word.norm).copied().unwrap_or(0);
        }
        words
    }

    /// The steps `said` by `speaker` holds, in the order their words begin, given what the
    /// call has said so far (`call`, updated). `rules` gives the script lines' wording for
    /// the adherence measure. A turn of no step gives nothing.
    pub fn recognize(
        &self,
        rules: &Rules,
        call: &mut CallContext,
        speaker: Speaker,
        said: &str,
    ) -> Vec<Recognized> {
        let words = self.words_of(said);
        let cased = said.chars().any(char::is_uppercase);
        let opening = call.turns == 0 && speaker == Speaker::Agent;
        let (cues, index) = match speaker {
            Speaker::Agent => (&self.agent, &self.agent_index),
            _ => (&self.customer, &self.customer_index),
        };
        // Every phrase hit, by cue, earliest first.
        let mut hits: Vec<(usize, Hit, f64)> = Vec::new();
        let present = Present::of(&words, self.vocab.len());
        let features = OnceCell::new();
        for (start, word) in words.iter().enumerate() {
            let by_word = index.by_word(word);
            let numeric = if word.number.is_some() {
                index.numeric.as_slice()
            } else {
                &[]
            };
            for &(c, p) in by_word.iter().chain(numeric) {
                let (c, p) = (usize::from(c), usize::from(p));
                let Some(phrase) = cues.get(c).and_then(|cue| cue.phrases.get(p)) else {
                    continue;
                };
                if !present.holds(phrase) {
                    continue;
                }
                if let Some(hit) = match_at(phrase, &words, start) {
                    let confidence = (0.95 - 0.03 * hit.skipped as f64)
                        .max(0.7)
                        .min(0.7 + 0.1 * phrase.weight as f64);
                    hits.push((c, hit, confidence));
                }
            }
        }
        // By cue, each cue's hits earliest first (the sort is stable).
        hits.sort_by_key(|h| h.0);
        let mut out: Vec<Recognized> = Vec::new();
        let mut rest = hits.as_slice();
        for (c, compiled) in cues.iter().enumerate() {
            let n = rest.iter().take_while(|h| h.0 == c).count();
            let (own, after) = rest.split_at(n);
            rest = after;
            let seen = Seen {
                words: &words,
                present: &present,
                features: &features,
            };
            if let Some(step) = self.cue(compiled, own, rules, call, &seen, cased, said, opening) {
                out.push(step);
            }
        }
        if speaker == Speaker::Customer {
            let seen = Seen {
                words: &words,
                present: &present,
                features: &features,
            };
            if let Some((reason, at, confidence, by)) = self.reason(&seen) {
                if call.reason.as_deref() != Some(reason) {
                    call.reason = Some(reason.to_owned());
                    out.push(Recognized {
                        event: "inquiry",
                        value: reason.to_owned(),
                        confidence,
                        position: at,
                        redacted: false,
                        by,
                    });
                }
            }
        }
        // A redacted answer to "the ticket number?" is the ticket, not a name ("it's [PII]").
        // When the utterance has one [PII] only: "my name is [PII] ... the number is [PII]"
        // holds both.
        let redactions = words.iter().filter(|w| w.norm == "pii").count();
        if redactions < 2 && out.iter().any(|s| s.event == "ticket" && s.redacted) {
            out.retain(|s| !(s.event == "customer_identified" && s.redacted));
        }
        // One row per event an utterance: the surer reading when two cues give the same step.
        out.sort_by(|a, b| {
            a.event
                .cmp(b.event)
                .then(b.confidence.total_cmp(&a.confidence))
        });
        out.dedup_by(|later, first| later.event == first.event);
        in_order(&mut out);
        call.turns += 1;
        for step in &out {
            call.last.insert(step.event, call.turns);
        }
        if speaker == Speaker::Agent {
            let prompts = self.customer.iter().filter_map(|c| match c.cue.value {
                Extract::Name { prompts } => Some(prompts),
                _ => None,
            });
            let mut asked = false;
            for list in prompts {
                asked |= words.iter().any(|w| list.contains(&&*w.norm));
            }
            call.agent_asked_name = asked
                && !words
                    .windows(2)
                    .any(|p| matches!(p, [my, name] if my.norm == "my" && name.norm == "name"));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn cue(
        &self,
        compiled: &Compiled,
        hits: &[(usize, Hit, f64)],
        rules: &Rules,
        call: &CallContext,
        seen: &Seen<'_, '_>,
        cased: bool,
        said: &str,
        opening: bool,
    ) -> Option<Recognized> {
        let cue = &compiled.cue;
        let words = seen.words;
        let naming = matches!(cue.value, Extract::Name { .. });
        let answered = naming && call.agent_asked_name;
        let identified = call.last.contains_key(cue.event);
        // Once the customer has given their name, "it's loading now" gives none: a name after
        // "it's" / "it is" counts only when asked for or before the customer was identified.
        // Unless the name is being spelled or corrected ("It's Adaeze, A-D-A-E-Z-E").
        let weak_possible = naming
            && identified
            && !answered
            && !words
                .iter()
                .any(|w| matches!(&*w.norm, "spelled" | "spell" | "spelling" | "name"));
        let weak = |hit: &Hit| {
            weak_possible
                && words
                    .get(hit.start)
                    .is_some_and(|w| matches!(&*w.norm, "its" | "it" | "youve"))
        };
        let kept: Vec<(usize, Hit, f64)>;
        let hits = if hits.iter().any(|h| weak(&h.1)) {
            kept = hits.iter().filter(|h| !weak(&h.1)).cloned().collect();
            kept.as_slice()
        } else {
            hits
        };
        let standalone = (naming && !identified && !answered)
            .then(|| standalone_name(words, cased))
            .flatten();
        let may_script = cue.script.is_some()
            && (words.len() as f64 >= SCRIPT_FLOOR * compiled.script_words as f64
                || (cue.opens_call && opening));
        let learned = match compiled.label {
            Some(label) if hits.is_empty() => seen.learned(&self.classifier, label),
            _ => 0.0,
        };
        if hits.is_empty()
            && !may_script
            && !answered
            && standalone.is_none()
            && learned < CLASSIFIER_FLOOR
        {
            return None;
        }
        if compiled.vetoes.iter().any(|v| seen.finds(v)) {
            return None;
        }
        let mut confidence = hits.iter().map(|h| h.2).fold(0.0, f64::max);
        let mut by = ReadBy::Phrase;
        let mut position = hits.first().map_or(0, |h| h.1.start);
        if let Some(line) = cue.script.filter(|_| may_script) {
            let adherence = rules.adherence(line, said);
            if adherence >= SCRIPT_FLOOR && adherence > confidence {
                confidence = adherence;
                by = ReadBy::Script;
            }
            if hits.is_empty() && cue.opens_call && opening {
                let resembles =
                    adherence >= OPENING_FLOOR || compiled.opening.iter().any(|p| seen.finds(p));
                if resembles && confidence < adherence.max(BY_POSITION) {
                    confidence = adherence.max(BY_POSITION);
                    by = ReadBy::Opening;
                }
            }
        }
        if confidence == 0.0 && learned >= CLASSIFIER_FLOOR {
            confidence = learned * LEARNED_CEILING;
            by = ReadBy::Classifier;
            if let Some(label) = compiled.label {
                position = self.classifier.strongest_word(label, words);
            }
        }
        if confidence == 0.0 && standalone.is_some() {
            confidence = 0.75;
        }
        if confidence == 0.0 && !answered {
            return None;
        }
        match cue.gate {
            Gate::Always => {}
            Gate::After(after) => {
                if !call.seen_since(after, cue.event) {
                    return None;
                }
            }
            Gate::AfterOr(after, _) => {
                if !call.seen_since(after, cue.event)
                    && !compiled.with.iter().any(|p| seen.finds(p))
                {
                    return None;
                }
            }
            Gate::With(_) => {
                if !compiled.with.iter().any(|p| seen.finds(p)) {
                    return None;
                }
            }
        }
        let (value, at) = match cue.value {
            Extract::None => (String::new(), None),
            Extract::Fixed(v) => (v.to_owned(), None),
            Extract::Name { .. } => {
                let parts = first_and_last_name(words, cased);
                let after = parts.or_else(|| {
                    hits.iter().find_map(|(_, hit, _)| {
                        name_at(words, hit.end, cased).map(|n| (n, hit.start))
                    })
                });
                match after {
                    Some((name, at)) => (name, Some(at)),
                    None if answered => {
                        let (name, at) = answered_name(words, cased)?;
                        confidence = confidence.max(0.75);
                        by = ReadBy::Asked;
                        (name, Some(at))
                    }
                    None => {
                        let (name, at) = standalone?;
                        confidence = confidence.max(0.75);
                        (name, Some(at))
                    }
                }
            }
            Extract::Amount => match amount_in_words(words, true) {
                Some((cents, _)) => (format_cents(cents), None),
                None if words.iter().any(|w| w.norm == "pii") => (REDACTED.to_owned(), None),
                None => return None,
            },
            Extract::Ticket { prefix, digits } => {
                let asked = match cue.gate {
                    Gate::After(after) | Gate::AfterOr(after, _) => {
                        call.seen_since(after, cue.event)
                    }
                    Gate::Always | Gate::With(_) => false,
                };
                let (ticket, at) = ticket_in_words(words, prefix, digits, asked)?;
                (ticket, Some(at))
            }
            Extract::BusinessHours {
                inside,
                outside,
                opens,
                closes,
            } => {
                let (within, at) = business_hours_words(words, call.call_date, opens, closes)?;
                (if within { inside } else { outside }.to_owned(), Some(at))
            }
        };
        if let Some(at) = at {
            if hits.is_empty() || matches!(cue.value, Extract::Name { .. }) {
                position = at;
            }
        }
        let redacted = value == REDACTED;
        Some(Recognized {
            event: cue.event,
            value,
            confidence: confidence.clamp(0.0, 1.0),
            position,
            redacted,
            by,
        })
    }

    /// The reason the words give: the covered reason whose phrases match best (more words
    /// named, then earlier), else an uncovered one.
    ///
    /// A reason named by one word only ("a bonus to use on a website" names the site) gives
    /// way to the classifier when it finds another reason likely and that one unlikely.
    fn reason(&self, seen: &Seen<'_, '_>) -> Option<(&'static str, usize, f64, ReadBy)> {
        let by_phrase = self.reason_by_phrase(seen.words, seen.present);
        let learned = || {
            self.reason_learned(seen)
                .map(|(reason, at, confidence)| (reason, at, confidence, ReadBy::Classifier))
        };
        match by_phrase {
            Some((reason, at, confidence, evidence)) => {
                if evidence <= 1 {
                    let unlikely = self.reason_label(reason).is_some_and(|label| {
                        seen.learned(&self.classifier, label) < CLASSIFIER_FLOOR
                    });
                    if let Some(other) = learned().filter(|o| o.0 != reason && unlikely) {
                        return Some(other);
                    }
                }
                Some((reason, at, confidence, ReadBy::Phrase))
            }
            None => learned(),
        }
    }

    /// The classifier's label for a reason code of this recogniser.
    fn reason_label(&self, reason: &str) -> Option<usize> {
        self.reasons
            .iter()
            .find(|r| r.reason == reason)
            .map(|r| r.label)
    }

    /// The reason the classifier finds likeliest, at [`CLASSIFIER_FLOOR`] or over.
    fn reason_learned(&self, seen: &Seen<'_, '_>) -> Option<(&'static str, usize, f64)> {
        let mut best: Option<(&CompiledReason, usize, f64)> = None;
        for reason in &self.reasons {
            let label = reason.label;
            let p = seen.learned(&self.classifier, label);
            if p >= CLASSIFIER_FLOOR && best.is_none_or(|(_, _, q)| p > q) {
                best = Some((reason, label, p));
            }
        }
        best.map(|(reason, label, p)| {
            let at = self.classifier.strongest_word(label, seen.words);
            (reason.reason, at, p * LEARNED_CEILING)
        })
    }

    /// The reason the phrases give: the one whose phrases found name the most words between
    /// them (each phrase counted once), then a covered one, then the one named earlier; with
    /// that count of words. "She did get her shopping dollars email, but the reward site keeps
    /// giving her an error when she tries to redeem" is the site, not the missing email.
    fn reason_by_phrase(
        &self,
        words: &[Word<'_>],
        present: &Present,
    ) -> Option<(&'static str, usize, f64, usize)> {
        // Per reason: the words its phrases named, where it was first named, and its best
        // phrase's weight (for the confidence).
        let mut score: Vec<(usize, usize, usize)> = vec![(0, usize::MAX, 0); self.reasons.len()];
        let mut counted: Vec<(u16, u16)> = Vec::new();
        for (start, word) in words.iter().enumerate() {
            let by_word = self.reason_index.by_word(word);
            let numeric = if word.number.is_some() {
                self.reason_index.numeric.as_slice()
            } else {
                &[]
            };
            for &(r, p) in by_word.iter().chain(numeric) {
                let Some(reason) = self.reasons.get(usize::from(r)) else {
                    continue;
                };
                let Some(phrase) = reason.phrases.get(usize::from(p)) else {
                    continue;
                };
                if counted.contains(&(r, p)) || !present.holds(phrase) {
                    continue;
                }
                if match_at(phrase, words, start).is_some() {
                    counted.push((r, p));
                    let Some(s) = score.get_mut(usize::from(r)) else {
                        continue;
                    };
                    s.0 += phrase.weight;
                    s.1 = s.1.min(start);
                    s.2 = s.2.max(phrase.weight);
                }
            }
        }
        let (best, (evidence, at, weight)) = score
            .iter()
            .enumerate()
            .filter(|(_, s)| s.0 > 0)
            .max_by_key(|(r, s)| {
                let covered = self.reasons.get(*r).is_some_and(|c| c.covered);
                (s.0, covered, std::cmp::Reverse(s.1))
            })?;
        let reason = self.reasons.get(best)?.reason;
        Some((
            reason,
            *at,
            (0.6 + 0.1 * *weight as f64).min(0.95),
            *evidence,
        ))
    }
}

/// An utterance's steps in the order their words begin. A step said in the same breath as the
/// reason belongs to the inquiry it opens: the inquiry comes before it, whatever the order of
/// the words (only the name may come first).
fn in_order(steps: &mut [Recognized]) {
    let first_step = steps
        .iter()
        .filter(|s| s.event != "inquiry" && s.event != "customer_identified")
        .map(|s| s.position)
        .min();
    if let (Some(first), Some(inquiry)) =
        (first_step, steps.iter_mut().find(|s| s.event == "inquiry"))
    {
        inquiry.position = inquiry.position.min(first);
    }
    steps.sort_by_key(|s| (s.position, s.event != "inquiry"));
}

/// The index of the classifier's label `name` said by `speaker`, added when new.
fn label_of(labels: &mut Vec<Label>, name: String, speaker: Speaker) -> usize {
    let label = Label { name, speaker };
    match labels.iter().position(|l| *l == label) {
        Some(at) => at,
        None => {
            labels.push(label);
            labels.len() - 1
        }
    }
}
