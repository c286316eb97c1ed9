//! Findings in plain words: what a supervisor reads out to an agent.
//!
//! A finding's evidence says what the machine expected against what happened, in the machine's
//! terms (`expect_email_soon, false in this branch`). Its *explanation* says the same in the
//! words of the procedure, with the call's facts: "Told the customer to expect the email soon,
//! but the warranty began 12 days before the call, inside the 30-day review period."
//!
//! The words belong to whoever owns the code: each [`CodeDef`](crate::CodeDef) may declare an
//! [`Explainer`] beside it ([`CodeDef::explained_by`](crate::CodeDef::explained_by)): the
//! call frame's codes in `finding.rs`, each procedure's in its own folder. Reports know no
//! procedure: they build an [`Explain`] from a finding and what the call knew (its facts, the
//! inquiry's branch, the call date, the rules) and ask the code. A code without an explainer
//! gets [`generic`]: its description, then what was expected against what happened.
//!
//! Explanations are made when a report is written, never while rows are replayed: a finding
//! costs nothing more until someone reads it.
//!
//! ```
//! use std::sync::Arc;
//! use callflow_workflows::{explain, Call, CallStart, Engine, Stamp, Step};
//!
//! let engine = Arc::new(Engine::builtin());
//! let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
//! let mut call = Call::start(&engine, CallStart {
//!     call_id: "C-1", agent_id: "sjones", department: "Home Warranty Rewards",
//!     agent_name: None, stamp: Stamp { line: 2, at: at("2026-03-02T14:05:11-05:00") },
//! }).unwrap();
//! for (line, name, value) in [
//!     (3, "greeting", ""),
//!     (4, "inquiry", "reward_email_missing"),
//!     (5, "warranty_started", "2026-02-18"),
//!     (6, "expect_email_soon", ""),
//! ] {
//!     let step = Step::new(Stamp { line, at: at("2026-03-02T14:06:00-05:00") },
//!                          engine.event(name, value).unwrap());
//!     call.handle(&step).unwrap();
//! }
//! let sd01 = call.findings().find(|f| f.code.as_str() == "SD01").unwrap();
//! assert_eq!(
//!     explain::finding(&call, sd01),
//!     "Told the customer to expect the email soon, but the warranty began 12 days before \
//!      the call, inside the 30-day review period."
//! );
//! ```

use std::any::Any;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

use crate::call::Call;
use crate::config::Config;
use crate::engine::Facts;
use crate::finding::{Code, Finding};

/// Writes a finding's explanation into `out` (appending; one or more sentences, no line
/// break).
pub type Explainer = fn(&Explain<'_>, &mut String);

/// One instance behind a finding, as an explainer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance<'a> {
    /// The log line.
    pub line: u64,
    /// When, as RFC 3339 with the offset the log wrote (read it with [`Instance::at`]: most
    /// explanations need no time, so reports do not parse it for them).
    pub timestamp: &'a str,
    /// What the procedure expected (the evidence's words).
    pub expected: &'a str,
    /// What happened (the evidence's words).
    pub actual: &'a str,
}

impl Instance<'_> {
    /// When, with the offset the log wrote (`None` when the timestamp does not read).
    pub fn at(&self) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(self.timestamp).ok()
    }
}

/// The inquiry a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InquiryView<'a> {
    /// The reason code the customer gave (`reward_email_missing`).
    pub reason: &'a str,
    /// The branch it closed in, for procedures whose document decides between branches.
    pub branch: Option<&'a str>,
    /// The procedure machine's final state.
    pub state: &'a str,
}

/// Everything an [`Explainer`] is given: the finding, and what the call knew.
#[derive(Clone, Copy)]
pub struct Explain<'a> {
    /// The finding's code.
    pub code: Code,
    /// Its instances, in the order they were seen (never empty for a raised finding).
    pub instances: &'a [Instance<'a>],
    /// The call's account facts, as they stood at the end of the call.
    pub facts: &'a Facts,
    /// The inquiry the finding was raised in; `None` for the call frame's findings.
    pub inquiry: Option<InquiryView<'a>>,
    /// The call date in the business time zone.
    pub call_date: NaiveDate,
    /// The configuration the call ran under (the business time zone, the adherence threshold).
    pub config: &'a Config,
    /// The parameters of the procedure that owns the inquiry, in its own type (read them with
    /// [`Explain::params`]); `&()` for the call frame's findings or when they are not known.
    pub params: &'a (dyn Any + Send + Sync),
}

impl std::fmt::Debug for Explain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Explain")
            .field("code", &self.code)
            .field("instances", &self.instances)
            .field("facts", &self.facts)
            .field("inquiry", &self.inquiry)
            .field("call_date", &self.call_date)
            .finish_non_exhaustive()
    }
}

impl<'a> Explain<'a> {
    /// The procedure's parameters, as it declared their type (`None` when not given: use the
    /// defaults).
    pub fn params<P: Any>(&self) -> Option<&'a P> {
        self.params.downcast_ref::<P>()
    }

    /// The first instance (explainers of codes raised once use it).
    pub fn first(&self) -> Option<&'a Instance<'a>> {
        self.instances.first()
    }

    /// The inquiry's branch, when the finding has one.
    pub fn branch(&self) -> Option<&'a str> {
        self.inquiry.and_then(|i| i.branch)
    }

    /// The business time zone.
    pub fn tz(&self) -> Tz {
        self.config.business_tz
    }

    /// Writes the explanation: the code's explainer, else [`generic`].
    pub fn write(&self, out: &mut String) {
        match self.code.def().explainer {
            Some(explainer) => explainer(self, out),
            None => generic(self, out),
        }
    }

    /// The explanation, as a new string.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// The explanation of a code that declares no explainer: its description, then each
/// instance's expected against actual.
pub fn generic(e: &Explain<'_>, out: &mut String) {
    out.push_str(&capitalised(e.code.description()));
    for (i, instance) in e.instances.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        let _ = write!(
            out,
            "line {} expected {}, but {}",
            instance.line, instance.expected, instance.actual
        );
    }
    out.push('.');
}

/// The explanation of a finding of a live or finished call.
pub fn finding(call: &Call, finding: &Finding) -> String {
    let stamps: Vec<String> = finding.evidence.iter().map(|e| e.at.to_rfc3339()).collect();
    let instances: Vec<Instance<'_>> = finding
        .evidence
        .iter()
        .zip(&stamps)
        .map(|(e, stamp)| Instance {
            line: e.line,
            timestamp: stamp,
            expected: &e.expected,
            actual: &e.actual,
        })
        .collect();
    let frame = call.frame();
    let inquiry = frame
        .inquiries()
        .iter()
        .find(|i| i.findings().iter().any(|f| std::ptr::eq(f, finding)));
    let rules = call.rules();
    let params = match inquiry.and_then(|i| i.procedure()) {
        Some(index) => rules.params(index),
        None => &(),
    };
    Explain {
        code: finding.code,
        instances: &instances,
        facts: frame.facts(),
        inquiry: inquiry.map(|i| InquiryView {
            reason: i.code(),
            branch: i.branch(),
            state: i.state_name(),
        }),
        call_date: frame.call_date(),
        config: rules.config(),
        params,
    }
    .text()
}

// Words shared by explainers.

/// The text with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes a whole number into `out` (without `format!`'s machinery: explanations are
/// written for every finding of a large audit).
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            *slot = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    for &d in digits.get(at..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// `1 day`, `12 days`.
pub fn days(n: i64) -> String {
    if n == 1 || n == -1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// ` (lines 12 and 15)` when the finding has more than one instance; empty otherwise.
pub fn lines_note(e: &Explain<'_>) -> String {
    if e.instances.len() < 2 {
        return String::new();
    }
    let lines: Vec<String> = e.instances.iter().map(|i| i.line.to_string()).collect();
    format!(" (lines {})", and_list(&lines))
}

/// An event or value name in words: `expect_email_soon` as `expect email soon`.
pub fn words(name: &str) -> String {
    name.replace(['_', '-'], " ")
}

/// A date as a supervisor reads it: `2026-03-02`... as `Mon 2 Mar 2026`.
pub fn date(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// An instance's time in the business time zone: `14:05`, or `Fri 6 Mar 18:40` when
/// `with_day`.
pub fn local_time(e: &Explain<'_>, instance: &Instance<'_>, with_day: bool) -> Option<String> {
    let at = instance.at()?.with_timezone(&e.tz());
    Some(if with_day {
        at.format("%a %-d %b %H:%M").to_string()
    } else {
        at.format("%H:%M").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_written_as_format_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, -1, -30, i64::MAX, i64::MIN] {
            let mut out = String::new();
            push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn lists_and_counts_read_as_words() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b"]), "a and b");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(12), "12 days");
        assert_eq!(capitalised("told"), "Told");
        assert_eq!(capitalised(""), "");
    }
}
