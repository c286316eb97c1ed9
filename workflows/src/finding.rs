//! Findings: the codes of procedures.md section 4, their severity, and their evidence.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::event::Stamp;

/// How much a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Sets the score to 0 and fails the call.
    Critical,
    /// Costs `Scoring::major_penalty` points (15).
    Major,
    /// Costs `Scoring::minor_penalty` points (5).
    Minor,
    /// Reported, no penalty.
    Info,
}

impl Severity {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Major => "major",
            Severity::Minor => "minor",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($($code:ident, $sev:ident, $omission:literal, $what:literal;)*) => {
        /// A finding code of procedures.md section 4.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Code {
            $(#[doc = $what] $code,)*
        }

        impl Code {
            /// Every code, in the spec's order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as written in reports (`SD01`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// The code's severity.
            pub fn severity(self) -> Severity {
                match self { $(Code::$code => Severity::$sev,)* }
            }

            /// Whether the code says something was *not done*: such codes are not raised for
            /// incomplete calls, where nothing counts as missing.
            pub fn is_omission(self) -> bool {
                match self { $(Code::$code => $omission,)* }
            }

            /// What the code means, in one line.
            pub fn description(self) -> &'static str {
                match self { $(Code::$code => $what,)* }
            }
        }
    };
}

codes! {
    CF01, Minor, false, "no greeting before the first inquiry";
    CF02, Minor, false, "a said line strays from its script";
    CF03, Minor, true, "\"anything else\" not asked after an inquiry that requires it";
    CF04, Minor, true, "no goodbye before the call ended";
    CF05, Info, false, "the call is incomplete";
    CF06, Minor, false, "a procedure step while no inquiry of its procedure is open";
    CF07, Info, false, "an inquiry reason no procedure covers";
    SD01, Critical, false, "the agent told the customer something the branch makes false";
    SD02, Major, true, "no review-period answer at all";
    SD03, Major, false, "the answer came before the facts it depends on, or the facts never came";
    SD04, Major, true, "overdue: name, email or phone not asked";
    SD05, Major, true, "escalation email missing";
    SD06, Major, true, "no-response: the ticket number neither asked for nor given";
    SD07, Minor, true, "no-response: how long ago the customer reached out neither asked nor told";
    SD08, Major, true, "no-response: the 24-hour follow-up was not promised";
    SD09, Major, true, "no-response: the partner was not contacted";
    SD10, Major, true, "site issue: partner support and steps not explained";
    SD11, Minor, true, "no apology where the script has one";
    SD12, Info, false, "awaiting first payment: a branch the document does not cover";
    SD13, Minor, false, "escalation steps in a branch that does not call for them";
    PC01, Critical, false, "the partner contacted about the amount while the calculator showed one";
    PC02, Critical, false, "a phone call to the partner";
    PC03, Major, false, "a chat opened for a purpose the rules do not allow";
    PC04, Major, false, "a chat opened outside chat hours";
    PC05, Minor, false, "\"Yes\" selected on the warranty prompt";
    PC06, Major, false, "chat form invalid";
    PC07, Critical, false, "the amount quoted differs from the amount to quote";
    PC08, Major, true, "a calculator amount disputed without both the value rebuttal and the payment-due-letter advice";
    PC09, Major, true, "the inquiry closed with an amount to quote but none quoted, and no follow-up promised";
    PC10, Minor, true, "a chat opened but never ended";
    PC11, Major, true, "a reported service call left unverified: no paid-call chat and no follow-up promised";
    PC12, Major, true, "the cancellation closed without the refund calculator consulted";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = ();

    fn from_str(s: &str) -> Result<Code, ()> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// One instance behind a finding: where, when, what was expected and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The log line the instance concerns (for an omission, the line where it was judged).
    pub line: u64,
    /// Its timestamp.
    pub at: DateTime<FixedOffset>,
    /// What the procedure expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
}

/// A finding: one code, raised at most once per inquiry (CF codes once per call), with every
/// instance as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The code.
    pub code: Code,
    /// Every instance, in the order they were seen. Never empty.
    pub evidence: Vec<Evidence>,
}

impl Finding {
    /// The code's severity.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The line of the first instance.
    pub fn line(&self) -> u64 {
        self.evidence.first().map_or(0, |e| e.line)
    }

    /// The timestamp of the first instance.
    pub fn at(&self) -> Option<DateTime<FixedOffset>> {
        self.evidence.first().map(|e| e.at)
    }

    /// A sentence for reports: what the code means, then each instance.
    ///
    /// `SD04 overdue: name, email or phone not asked — line 12: expected email collected, got not asked`
    pub fn message(&self) -> String {
        use std::fmt::Write;
        let mut message = self.code.description().to_owned();
        for (i, e) in self.evidence.iter().enumerate() {
            message.push_str(if i == 0 { ": " } else { "; " });
            // Writing into a String cannot fail.
            let _ = write!(
                message,
                "line {}: expected {}, got {}",
                e.line, e.expected, e.actual
            );
        }
        message
    }
}

/// The findings of one scope (an inquiry, or the call frame), one entry per code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings(Vec<Finding>);

impl Findings {
    /// No findings.
    pub const EMPTY: Findings = Findings(Vec::new());

    /// Raises `code` with one instance. Raising the same code again adds the instance to its
    /// evidence; raising an identical instance again changes nothing (so replaying an entry
    /// action after a restore is harmless).
    pub fn raise(
        &mut self,
        code: Code,
        stamp: Stamp,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) {
        let evidence = Evidence {
            line: stamp.line,
            at: stamp.at,
            expected: expected.into(),
            actual: actual.into(),
        };
        match self.0.iter_mut().find(|f| f.code == code) {
            Some(finding) => {
                if !finding.evidence.contains(&evidence) {
                    finding.evidence.push(evidence);
                }
            }
            None => self.0.push(Finding {
                code,
                evidence: vec![evidence],
            }),
        }
    }

    /// Whether `code` was raised.
    pub fn contains(&self, code: Code) -> bool {
        self.0.iter().any(|f| f.code == code)
    }

    /// The findings, in the order their codes were first raised.
    pub fn iter(&self) -> std::slice::Iter<'_, Finding> {
        self.0.iter()
    }

    /// How many codes were raised.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No finding.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Findings {
    type Item = &'a Finding;
    type IntoIter = std::slice::Iter<'a, Finding>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
