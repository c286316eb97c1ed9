//! The script lines of both procedures, in one place, with their placeholders; the filling of
//! placeholders; and the adherence measure behind CF02.
//!
//! Everything that prints a script line (next steps, transcripts, reports) takes it from
//! [`ScriptLine::template`]. The seed's typo ("OK, thank you <Agent Name>" in the `overdue`
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
    /// ("OK, thank you <Customer Name>."); it never lowers adherence.
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

/// The words of a text, lower-cased, apostrophes dropped, everything else a separator.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .filter(|c| *c != '\'' && *c != '\u{2019}')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
}

/// The script's own words: the template without its placeholders.
fn script_words(template: &str) -> Vec<String> {
    let mut text = template.to_owned();
    for placeholder in PLACEHOLDERS {
        text = text.replace(placeholder, " ");
    }
    words(&text).collect()
}

/// Adherence of a said line to a script line: the share of the script's own words (its
/// placeholders left out) that were said, in the script's order. Extra words (names, a lead-in,
/// "um") cost nothing; missing or reordered script words do. 1.0 is word for word, 0.0 is
/// nothing in common.
///
/// It is the longest common subsequence of the two word lists over the script's word count:
/// a QA lead can check it by striking the script's words through in the order they were said.
///
/// ```
/// use callflow_workflows::script::{adherence, ScriptLine};
/// let greeting = ScriptLine::Greeting;
/// let said = "Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?";
/// assert_eq!(adherence(greeting, said), 1.0);
/// assert!(adherence(greeting, "Yeah hi. What do you want?") < 0.2);
/// ```
pub fn adherence(line: ScriptLine, said: &str) -> f64 {
    let script = script_words(line.template());
    if script.is_empty() {
        return 1.0;
    }
    let said: Vec<String> = words(said).collect();
    // One row of the LCS table at a time.
    let mut row = vec![0u32; script.len() + 1];
    for word in &said {
        let mut diagonal = 0;
        for (j, expected) in script.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if word == expected {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    f64::from(row[script.len()]) / script.len() as f64
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
    fn unknown_placeholders_stay() {
        let filled = ScriptLine::AnythingElse.fill(&Placeholders::default());
        assert!(filled.contains("<Customer Name>"));
    }
}
