//! The script lines of both procedures, in one place, with their placeholders; the filling of
//! placeholders; and the adherence measure behind CF02.
//!
//! Everything that prints a script line (next steps, transcripts, reports) takes it from
//! [`ScriptLine::template`]. The seed's typo ("OK, thank you `<Agent Name>`" in the `overdue`
//! dialogue) is corrected here to `<Customer Name>`.

use serde::{Deserialize, Serialize};

/// One line of a documented dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptLine {
    /// Agent: the greeting that opens every call.
    Greeting,
    /// Agent: the review-period explanation (`within_review`, `awaiting_first_payment`).
    ExplainReviewPeriod,
    /// Agent: the email should arrive soon (`recently_eligible`).
    ExpectEmailSoon,
    /// Agent: the apology for a delayed reward (`overdue`).
    ApologizeDelay,
    /// Agent: the request for the customer's details (`overdue`).
    ConfirmDetails,
    /// Agent: the apology for the inconvenience (site issue, no-response).
    ApologizeInconvenience,
    /// Agent: the partner's support explained (site issue).
    ExplainPartnerSupport,
    /// Agent: how long ago the customer reached out (no-response).
    AskContactTime,
    /// Agent: the ticket number (no-response).
    AskTicket,
    /// Agent: the 24-hour follow-up promise (no-response).
    PromiseFollowup,
    /// Agent: "anything else".
    AnythingElse,
    /// Agent: the goodbye.
    Goodbye,
    /// Customer: the reward email has not arrived.
    CustomerEmailMissing,
    /// Customer: the reward site does not work.
    CustomerSiteIssue,
    /// Customer: the partner has not answered.
    CustomerNoResponse,
    /// Customer: when they reached out.
    CustomerContactTime,
    /// Customer: the ticket number.
    CustomerTicket,
    /// Customer: thanks.
    CustomerThanks,
    /// Customer: nothing else.
    CustomerNo,
    /// Customer: wants to cancel the warranty (seed 000 has no dialogue; a plain request).
    CustomerCancellation,
    /// Customer: a recent service call is not listed (no dialogue in the seed).
    CustomerServiceCall,
    /// Customer: the name or address on record is wrong (no dialogue in the seed).
    CustomerRecordMismatch,
    /// Customer: disputes the amount (no dialogue in the seed).
    CustomerDispute,
}

impl ScriptLine {
    /// The line with its placeholders (`<Department Name>`, `<Agent Name>`, `<Customer Name>`,
    /// `<Ticket Number>`).
    pub fn template(self) -> &'static str {
        match self {
            ScriptLine::Greeting => {
                "Thank you for calling <Department Name>. My name is <Agent Name>, how may I assist you today?"
            }
            ScriptLine::ExplainReviewPeriod => {
                "Your shopping dollars are made available once you have had your warranty for at least 30 days and made your first payment. Typically, you will receive your shopping dollars email the week following your 30-day review period."
            }
            ScriptLine::ExpectEmailSoon => {
                "Typically, you will receive your shopping dollars email within a week following your 30-day review period. If you have not received your email within the next few days please don't hesitate to give us a call and we'll make sure it gets to you."
            }
            ScriptLine::ApologizeDelay => "We do apologize for the delay.",
            ScriptLine::ConfirmDetails => {
                "Please confirm the following details so we can quickly get your shopping dollars out to you: Customer First/Last Name, email address, phone number."
            }
            ScriptLine::ApologizeInconvenience => {
                "Sorry, <Customer Name>. I apologize for the inconvenience."
            }
            ScriptLine::ExplainPartnerSupport => {
                "To help get this resolved quickly, we have partnered with Home Service Perks to handle all customer service that is needed for your shopping dollars. Since this is an online reward program, you'll just need to follow a few simple steps to make sure everything is working as it should."
            }
            ScriptLine::AskContactTime => {
                "May I ask how long ago you reached out to Home Service Perks?"
            }
            ScriptLine::AskTicket => {
                "Thank you. Can I also ask what the ticket number was for that online support submission?"
            }
            ScriptLine::PromiseFollowup => {
                "What I'm going to do is contact Home Service Perks to make sure that your online support ticket is answered within 24 hours. If you don't get a response via email by this time tomorrow, please don't hesitate to call me back so I can escalate this further."
            }
            ScriptLine::AnythingElse => {
                "Is there anything else I can assist you with today <Customer Name>?"
            }
            ScriptLine::Goodbye => "OK, thank you and have a great day. Goodbye.",
            ScriptLine::CustomerEmailMissing => {
                "Hi <Agent Name>, this is <Customer Name>, I'm calling regarding the shopping dollars that I was supposed to receive as part of the warranty I recently purchased. Could you please tell me when they will be available?"
            }
            ScriptLine::CustomerSiteIssue => {
                "Hi <Agent Name>, this is <Customer Name>. I received an email from Home Service Perks regarding my $250 shopping dollars; however, the site does not appear to be working."
            }
            ScriptLine::CustomerNoResponse => {
                "Hi <Agent Name>, this is <Customer Name>. I'm calling regarding an inquiry I have placed with Home Service Perks, and I have been unable to reach anyone."
            }
            ScriptLine::CustomerContactTime => "I reached out to them over the weekend.",
            ScriptLine::CustomerTicket => "Sure. It's <Ticket Number>.",
            ScriptLine::CustomerThanks => "Great, thank you!",
            ScriptLine::CustomerNo => "No.",
            ScriptLine::CustomerCancellation => {
                "Hi <Agent Name>, this is <Customer Name>. I'd like to cancel my home warranty and get my refund."
            }
            ScriptLine::CustomerServiceCall => {
                "I had a technician out a couple of weeks ago and paid for that visit, but I don't see it listed."
            }
            ScriptLine::CustomerRecordMismatch => "Also, the address you have for me is wrong.",
            ScriptLine::CustomerDispute => "That amount doesn't look right to me.",
        }
    }

    /// The short lead-in the seed's dialogues put before some agent lines
    /// ("OK, thank you `<Customer Name>`."); it never lowers adherence.
    pub fn lead_in(self) -> Option<&'static str> {
        match self {
            ScriptLine::ExplainReviewPeriod
            | ScriptLine::ExpectEmailSoon
            | ScriptLine::ApologizeDelay => Some("OK, thank you <Customer Name>."),
            ScriptLine::PromiseFollowup => Some("Thank you for the additional detail."),
            _ => None,
        }
    }

    /// The line with every placeholder the values know filled in; unknown ones stay as written.
    ///
    /// ```
    /// use callflow_workflows::{Placeholders, ScriptLine};
    /// let names = Placeholders {
    ///     department: Some("Home Warranty Rewards"),
    ///     agent_name: Some("Sam"),
    ///     ..Placeholders::default()
    /// };
    /// assert_eq!(
    ///     ScriptLine::Greeting.fill(&names),
    ///     "Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?"
    /// );
    /// ```
    pub fn fill(self, values: &Placeholders<'_>) -> String {
        values.fill(self.template())
    }
}

/// The values that fill a script's placeholders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placeholders<'a> {
    /// `<Department Name>`
    pub department: Option<&'a str>,
    /// `<Agent Name>`
    pub agent_name: Option<&'a str>,
    /// `<Customer Name>`
    pub customer_name: Option<&'a str>,
    /// `<Ticket Number>`
    pub ticket: Option<&'a str>,
}

/// Every placeholder the scripts use.
pub const PLACEHOLDERS: [&str; 4] = [
    "<Department Name>",
    "<Agent Name>",
    "<Customer Name>",
    "<Ticket Number>",
];

impl Placeholders<'_> {
    /// Fills the known placeholders of any template text.
    pub fn fill(&self, template: &str) -> String {
        let mut text = template.to_owned();
        let pairs = [
            ("<Department Name>", self.department),
            ("<Agent Name>", self.agent_name),
            ("<Customer Name>", self.customer_name),
            ("<Ticket Number>", self.ticket),
        ];
        for (placeholder, value) in pairs {
            if let Some(value) = value {
                text = text.replace(placeholder, value);
            }
        }
        text
    }
}

/// Whether a character is part of a word (apostrophes join "don't" into one word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// The words of a text as slices, everything that is not a word character a separator.
fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// Writes a word lower-cased with its apostrophes dropped into `out` (cleared first).
fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(
            word.bytes()
                .filter(|b| *b != b'\'')
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        for c in word.chars().filter(|c| *c != '\'' && *c != '\u{2019}') {
            out.extend(c.to_lowercase());
        }
    }
}

/// Every script line, in declaration order (a test checks it), for building the word lists once.
const ALL_LINES: [ScriptLine; 23] = [
    ScriptLine::Greeting,
    ScriptLine::ExplainReviewPeriod,
    ScriptLine::ExpectEmailSoon,
    ScriptLine::ApologizeDelay,
    ScriptLine::ConfirmDetails,
    ScriptLine::ApologizeInconvenience,
    ScriptLine::ExplainPartnerSupport,
    ScriptLine::AskContactTime,
    ScriptLine::AskTicket,
    ScriptLine::PromiseFollowup,
    ScriptLine::AnythingElse,
    ScriptLine::Goodbye,
    ScriptLine::CustomerEmailMissing,
    ScriptLine::CustomerSiteIssue,
    ScriptLine::CustomerNoResponse,
    ScriptLine::CustomerContactTime,
    ScriptLine::CustomerTicket,
    ScriptLine::CustomerThanks,
    ScriptLine::CustomerNo,
    ScriptLine::CustomerCancellation,
    ScriptLine::CustomerServiceCall,
    ScriptLine::CustomerRecordMismatch,
    ScriptLine::CustomerDispute,
];

/// The scripts' words, built once for the life of the program: every distinct normalized word
/// gets a number, and each line is its list of numbers (placeholders left out).
struct Vocabulary {
    ids: rustc_hash::FxHashMap<String, u16>,
    lines: Vec<Vec<u16>>,
    /// For each line, for each word number, the bits of the positions where the line has that
    /// word (lines of at most 128 words; longer ones take the plain table).
    masks: Vec<Vec<u128>>,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let mut ids = rustc_hash::FxHashMap::default();
        let mut word = String::new();
        let lines = ALL_LINES
            .iter()
            .map(|line| {
                let mut text = line.template().to_owned();
                for placeholder in PLACEHOLDERS {
                    text = text.replace(placeholder, " ");
                }
                raw_words(&text)
                    .filter_map(|w| {
                        normalize_into(w, &mut word);
                        if word.is_empty() {
                            return None;
                        }
                        let next = u16::try_from(ids.len()).unwrap_or(u16::MAX);
                        Some(*ids.entry(word.clone()).or_insert(next))
                    })
                    .collect()
            })
            .collect::<Vec<Vec<u16>>>();
        let masks = lines
            .iter()
            .map(|line| {
                let mut masks = vec![0u128; ids.len()];
                for (position, &id) in line.iter().enumerate().take(128) {
                    if let Some(mask) = masks.get_mut(usize::from(id)) {
                        *mask |= 1u128 << position;
                    }
                }
                masks
            })
            .collect();
        Vocabulary { ids, lines, masks }
    })
}

/// The script's own words as numbers (see [`Vocabulary`]).
fn script_words(line: ScriptLine) -> &'static [u16] {
    vocabulary()
        .lines
        .get(line as usize)
        .map_or(&[], Vec::as_slice)
}

/// Adherence of a said line to a script line: the share of the script's own words (its
/// placeholders left out) that were said, in the script's order. Extra words (names, a lead-in,
/// "um") cost nothing; missing or reordered script words do. 1.0 is word for word, 0.0 is
/// nothing in common.
///
/// It is the longest common subsequence of the two word lists over the script's word count:
/// a QA lead can check it by striking the script's words through in the order they were said.
/// Words compare lower-cased, apostrophes dropped ("don't" = "dont").
///
/// ```
/// use callflow_workflows::script::{adherence, ScriptLine};
/// let greeting = ScriptLine::Greeting;
/// let said = "Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?";
/// assert_eq!(adherence(greeting, said), 1.0);
/// assert!(adherence(greeting, "Yeah hi. What do you want?") < 0.2);
/// ```
pub fn adherence(line: ScriptLine, said: &str) -> f64 {
    let script = script_words(line);
    if script.is_empty() {
        return 1.0;
    }
    let vocabulary = vocabulary();
    let mut ids = Vec::with_capacity(said.len() / 4);
    said_word_ids(vocabulary, said, &mut ids);
    let common = match vocabulary.masks.get(line as usize) {
        Some(masks) if script.len() <= 128 => {
            lcs_bit_parallel(script.len(), masks, ids.iter().copied())
        }
        _ => lcs_table(script, ids.iter().copied()),
    };
    f64::from(common) / script.len() as f64
}

/// The numbers of the said words that some script has, in order. A word no script has cannot
/// match: leaving it out does not change the common subsequence.
fn said_word_ids(vocabulary: &Vocabulary, said: &str, ids: &mut Vec<u16>) {
    let mut word = String::new();
    if said.is_ascii() {
        // The common case, byte by byte: no character decoding.
        for raw in said
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
        {
            word.clear();
            word.extend(
                raw.bytes()
                    .filter(|b| *b != b'\'')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            if let Some(&id) = vocabulary.ids.get(word.as_str()) {
                ids.push(id);
            }
        }
        return;
    }
    for raw in raw_words(said) {
        normalize_into(raw, &mut word);
        if let Some(&id) = vocabulary.ids.get(word.as_str()) {
            ids.push(id);
        }
    }
}

/// The length of the longest common subsequence, bit-parallel (Hyyrö 2004): one bit per script
/// word, a few word operations per said word.
fn lcs_bit_parallel(len: usize, masks: &[u128], said: impl Iterator<Item = u16>) -> u32 {
    let all = if len >= 128 {
        u128::MAX
    } else {
        (1u128 << len) - 1
    };
    let mut v = all;
    for id in said {
        let m = masks.get(usize::from(id)).copied().unwrap_or(0);
        let u = v & m;
        v = (v.wrapping_add(u) | v.wrapping_sub(u)) & all;
    }
    len as u32 - v.count_ones()
}

/// The same length by the plain dynamic-programming table, one row at a time.
fn lcs_table(script: &[u16], said: impl Iterator<Item = u16>) -> u32 {
    // row[j]: the LCS of the said words so far and the script's first j words (row[0] = 0).
    let mut row = vec![0u32; script.len() + 1];
    for id in said {
        let (mut diagonal, mut left) = (0, 0);
        for (cell, expected) in row.iter_mut().skip(1).zip(script) {
            let above = *cell;
            *cell = if id == *expected {
                diagonal + 1
            } else {
                above.max(left)
            };
            left = *cell;
            diagonal = above;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_for_word_with_names_and_lead_in_scores_one() {
        let said = "OK, thank you Pat Lee. Your shopping dollars are made available once you have had your warranty for at least 30 days and made your first payment. Typically, you will receive your shopping dollars email the week following your 30-day review period.";
        assert_eq!(adherence(ScriptLine::ExplainReviewPeriod, said), 1.0);
    }

    #[test]
    fn curly_apostrophes_match_straight_ones() {
        let said = "Typically, you will receive your shopping dollars email within a week following your 30-day review period. If you have not received your email within the next few days please don\u{2019}t hesitate to give us a call and we\u{2019}ll make sure it gets to you.";
        assert_eq!(adherence(ScriptLine::ExpectEmailSoon, said), 1.0);
    }

    #[test]
    fn a_paraphrase_falls_between() {
        let said = "Thanks for calling. I'm Sam, how can I help?";
        let a = adherence(ScriptLine::Greeting, said);
        assert!(a > 0.2 && a < 0.7, "{a}");
    }

    #[test]
    fn every_script_line_has_its_words() {
        for (i, line) in ALL_LINES.iter().enumerate() {
            assert_eq!(*line as usize, i, "ALL_LINES is in declaration order");
            assert!(!script_words(*line).is_empty(), "{line:?}");
        }
        assert_eq!(ALL_LINES.len(), ScriptLine::CustomerDispute as usize + 1);
    }

    #[test]
    fn the_bit_parallel_subsequence_agrees_with_the_table() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |bound: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % bound
        };
        for _ in 0..2_000 {
            let len = 1 + next(128) as usize;
            let script: Vec<u16> = (0..len).map(|_| next(12) as u16).collect();
            let said: Vec<u16> = (0..next(150)).map(|_| next(14) as u16).collect();
            let mut masks = vec![0u128; 14];
            for (i, &id) in script.iter().enumerate() {
                masks[usize::from(id)] |= 1 << i;
            }
            assert_eq!(
                lcs_bit_parallel(len, &masks, said.iter().copied()),
                lcs_table(&script, said.iter().copied()),
                "{script:?} / {said:?}"
            );
        }
    }

    #[test]
    fn unknown_placeholders_stay() {
        let filled = ScriptLine::AnythingElse.fill(&Placeholders::default());
        assert!(filled.contains("<Customer Name>"));
    }
}
