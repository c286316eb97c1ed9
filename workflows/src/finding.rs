//! Findings: the codes a procedure declares (procedures.md section 4 for the built-in ones),
//! their severity, and their evidence.
//!
//! A [`Code`] is a handle to a static [`CodeDef`]: the frame's codes (`CF01`...) are declared
//! here, each procedure declares its own in its folder.

use std::collections::HashMap;
use std::fmt;
use std::sync::{OnceLock, RwLock};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::explain::Explainer;
use crate::vocab::Stamp;

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
    /// The four, most severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::Major,
        Severity::Minor,
        Severity::Info,
    ];

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

/// A finding code: what it means, how much it weighs, and whether it says something was not
/// done (an omission: never raised on incomplete calls).
#[derive(Debug)]
pub struct CodeDef {
    /// The code as reports write it (`SD01`).
    pub code: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// Whether it says something was *not done*.
    pub omission: bool,
    /// What it means, in one line.
    pub description: &'static str,
    /// Says the finding in plain words, with the call's facts (see [`crate::explain`]);
    /// `None`: the description and the evidence ([`crate::explain::generic`]).
    pub explainer: Option<Explainer>,
    /// An info code about the *documents* (a gap in them, a reason none covers) rather than
    /// about the call: reports list such codes apart, never as something to coach an agent on.
    pub about_the_documents: bool,
    /// Where it sorts: the built-in codes in the spec's order, then every other code by name.
    rank: u16,
}

/// The rank of codes declared outside this crate: after the built-in ones.
const OTHER_RANK: u16 = u16::MAX;

impl CodeDef {
    /// A code declared by a procedure. Codes sort by name after the built-in ones.
    pub const fn new(
        code: &'static str,
        severity: Severity,
        omission: bool,
        description: &'static str,
    ) -> CodeDef {
        CodeDef {
            code,
            severity,
            omission,
            description,
            explainer: None,
            about_the_documents: false,
            rank: OTHER_RANK,
        }
    }

    /// The same code, explained in plain words by `explainer` (declared beside the code, by
    /// its owner: see [`crate::explain`]).
    pub const fn explained_by(mut self, explainer: Explainer) -> CodeDef {
        self.explainer = Some(explainer);
        self
    }

    /// The same code, about the documents rather than the call (an info code saying a
    /// document has a gap): reports show it apart.
    pub const fn about_the_documents(mut self) -> CodeDef {
        self.about_the_documents = true;
        self
    }

    /// A built-in code, sorting in the spec's order (`rank`).
    pub(crate) const fn ranked(
        rank: u16,
        code: &'static str,
        severity: Severity,
        omission: bool,
        description: &'static str,
    ) -> CodeDef {
        CodeDef {
            code,
            severity,
            omission,
            description,
            explainer: None,
            about_the_documents: false,
            rank,
        }
    }
}

/// A finding code: a handle to its [`CodeDef`].
#[derive(Clone, Copy)]
pub struct Code(&'static CodeDef);

impl Code {
    /// The handle of a definition.
    pub const fn of(def: &'static CodeDef) -> Code {
        Code(def)
    }

    /// The definition.
    pub fn def(self) -> &'static CodeDef {
        self.0
    }

    /// The code as written in reports (`SD01`).
    pub fn as_str(self) -> &'static str {
        self.0.code
    }

    /// The code's severity as declared (a policy may override it: `Config::severity`).
    pub fn severity(self) -> Severity {
        self.0.severity
    }

    /// Whether the code says something was *not done*: such codes are not raised for
    /// incomplete calls, where nothing counts as missing.
    pub fn is_omission(self) -> bool {
        self.0.omission
    }

    /// What the code means, in one line.
    pub fn description(self) -> &'static str {
        self.0.description
    }

    /// Whether the code is about the documents rather than the call (see
    /// [`CodeDef::about_the_documents`]).
    pub fn is_about_the_documents(self) -> bool {
        self.0.about_the_documents
    }
}

/// The call frame's codes (procedures.md section 4).
impl Code {
    /// No greeting before the first inquiry.
    pub const CF01: Code = Code(&CF01);
    /// A said line strays from its script.
    pub const CF02: Code = Code(&CF02);
    /// "Anything else" not asked after an inquiry that requires it.
    pub const CF03: Code = Code(&CF03);
    /// No goodbye before the call ended.
    pub const CF04: Code = Code(&CF04);
    /// The call is incomplete.
    pub const CF05: Code = Code(&CF05);
    /// A procedure step while no inquiry of its procedure is open.
    pub const CF06: Code = Code(&CF06);
    /// An inquiry reason no procedure covers.
    pub const CF07: Code = Code(&CF07);
}

static CF01: CodeDef = CodeDef::ranked(
    1,
    "CF01",
    Severity::Minor,
    false,
    "no greeting before the first inquiry",
)
.explained_by(frame_words::cf01);
static CF02: CodeDef = CodeDef::ranked(
    2,
    "CF02",
    Severity::Minor,
    false,
    "a said line strays from its script",
)
.explained_by(frame_words::cf02);
static CF03: CodeDef = CodeDef::ranked(
    3,
    "CF03",
    Severity::Minor,
    true,
    "\"anything else\" not asked after an inquiry that requires it",
)
.explained_by(frame_words::cf03);
static CF04: CodeDef = CodeDef::ranked(
    4,
    "CF04",
    Severity::Minor,
    true,
    "no goodbye before the call ended",
)
.explained_by(frame_words::cf04);
static CF05: CodeDef = CodeDef::ranked(5, "CF05", Severity::Info, false, "the call is incomplete")
    .explained_by(frame_words::cf05);
static CF06: CodeDef = CodeDef::ranked(
    6,
    "CF06",
    Severity::Minor,
    false,
    "a procedure step while no inquiry of its procedure is open",
)
.explained_by(frame_words::cf06);
static CF07: CodeDef = CodeDef::ranked(
    7,
    "CF07",
    Severity::Info,
    false,
    "an inquiry reason no procedure covers",
)
.explained_by(frame_words::cf07)
.about_the_documents();

/// The call frame's codes, in the spec's order.
pub static FRAME_CODES: &[Code] = &[
    Code::CF01,
    Code::CF02,
    Code::CF03,
    Code::CF04,
    Code::CF05,
    Code::CF06,
    Code::CF07,
];

impl PartialEq for Code {
    /// The same definition (the registry lets one definition hold a code's name).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Code {}

impl std::hash::Hash for Code {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state);
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    /// The built-in codes in the spec's order (CF, SD, PC), then any other code by name.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if std::ptr::eq(self.0, other.0) {
            return std::cmp::Ordering::Equal;
        }
        match self.0.rank.cmp(&other.0.rank) {
            std::cmp::Ordering::Equal => self.0.code.cmp(other.0.code),
            unequal => unequal,
        }
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.code)
    }
}

impl<'de> Deserialize<'de> for Code {
    /// By name, among the frame's codes and those of every procedure registered in this
    /// program.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        lookup_code(&code).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown finding code '{code}' (no registered procedure declares it)"
            ))
        })
    }
}

impl std::str::FromStr for Code {
    type Err = ();

    /// A code of the frame or of a procedure an engine of this program registered.
    fn from_str(s: &str) -> Result<Code, ()> {
        lookup_code(s).ok_or(())
    }
}

fn codes() -> &'static RwLock<HashMap<&'static str, &'static CodeDef>> {
    static CODES: OnceLock<RwLock<HashMap<&'static str, &'static CodeDef>>> = OnceLock::new();
    CODES.get_or_init(|| {
        let map = FRAME_CODES.iter().map(|c| (c.0.code, c.0)).collect();
        RwLock::new(map)
    })
}

/// Records the codes an engine registers. Errors with the code when another definition has
/// its name.
pub(crate) fn register_codes(defs: &[Code]) -> Result<(), &'static str> {
    let mut map = codes()
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for code in defs {
        match map.get(code.0.code) {
            Some(known) if !std::ptr::eq(*known, code.0) => return Err(code.0.code),
            Some(_) => {}
            None => {
                map.insert(code.0.code, code.0);
            }
        }
    }
    Ok(())
}

/// The code of that name, among the frame's and those of every procedure an engine of this
/// program registered.
pub fn lookup_code(code: &str) -> Option<Code> {
    let map = codes()
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    map.get(code).map(|def| Code(def))
}

/// One instance behind a finding: where, when, what was expected and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The log line the instance concerns (for an omission, the line where it was judged).
    pub line: u64,
    /// Its timestamp.
    #[serde(with = "crate::vocab::time_serde::time")]
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
    /// The code's severity, as declared.
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

/// A check a code makes that could not be made: the value it rests on was redacted in the
/// transcript (`[PII]`), so the code is not raised on a guess (#19). The machine that skips
/// the check says so here, beside its findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotChecked {
    /// The code whose check was not made (`PC07`).
    pub code: Code,
    /// The log line of the step the check would have judged.
    pub line: u64,
    /// Its timestamp.
    pub at: DateTime<FixedOffset>,
    /// Why, in words: `the quoted amount was redacted ([PII])`.
    pub why: String,
}

/// The findings of one scope (an inquiry, or the call frame), one entry per code, and the
/// checks that could not be made ([`NotChecked`]).
///
/// Saved as the list of findings alone while no check was left unmade (the form calls were
/// saved in before [`NotChecked`] existed), else as `{"found": [...], "unchecked": [...]}`;
/// in a format that is not human-readable (the compact snapshot), always as the pair, since
/// such formats cannot tell the two forms apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// `None` while nothing was found or left unchecked (most open inquiries): one pointer
    /// rather than two lists in every scope (memory per open call, issue #23).
    lists: Option<Box<Lists>>,
}

/// The findings and the checks left unmade of a scope with any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Lists {
    found: Vec<Finding>,
    unchecked: Vec<NotChecked>,
}

/// How [`Findings`] are read back from a human-readable save: the list alone, or both.
#[derive(Deserialize)]
#[serde(untagged)]
enum SavedFindings {
    List(Vec<Finding>),
    Full {
        found: Vec<Finding>,
        unchecked: Vec<NotChecked>,
    },
}

/// How [`Findings`] with checks left unmade are written to a human-readable save.
#[derive(Serialize)]
struct FullFindings<'a> {
    found: &'a [Finding],
    unchecked: &'a [NotChecked],
}

impl Serialize for Findings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (found, unchecked) = (self.found(), self.unchecked());
        if !serializer.is_human_readable() {
            return (found, unchecked).serialize(serializer);
        }
        if unchecked.is_empty() {
            found.serialize(serializer)
        } else {
            FullFindings { found, unchecked }.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Findings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            let (found, unchecked) = <(Vec<Finding>, Vec<NotChecked>)>::deserialize(deserializer)?;
            return Ok(Findings::of(found, unchecked));
        }
        Ok(match SavedFindings::deserialize(deserializer)? {
            SavedFindings::List(found) => Findings::of(found, Vec::new()),
            SavedFindings::Full { found, unchecked } => Findings::of(found, unchecked),
        })
    }
}

impl Findings {
    /// No findings.
    pub const EMPTY: Findings = Findings { lists: None };

    /// The lists read back (none kept while both are empty).
    fn of(found: Vec<Finding>, unchecked: Vec<NotChecked>) -> Findings {
        let any = !found.is_empty() || !unchecked.is_empty();
        Findings {
            lists: any.then(|| Box::new(Lists { found, unchecked })),
        }
    }

    /// The findings, in the order their codes were first raised.
    fn found(&self) -> &[Finding] {
        self.lists.as_ref().map_or(&[], |lists| &lists.found)
    }

    /// The lists, made when the first finding or unmade check is recorded.
    fn lists_mut(&mut self) -> &mut Lists {
        self.lists.get_or_insert_with(Box::default)
    }

    /// Records that `code`'s check of the step at `stamp` could not be made, and `why` (a
    /// value it rests on was redacted). Recording the same again changes nothing.
    ///
    /// ```
    /// use callflow_workflows::{Code, Findings};
    /// use callflow_workflows::vocab::Stamp;
    /// let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00-05:00").unwrap();
    /// let mut findings = Findings::default();
    /// findings.not_checked(Code::PC07, Stamp { line: 12, at }, "the quoted amount was redacted ([PII])");
    /// findings.not_checked(Code::PC07, Stamp { line: 12, at }, "the quoted amount was redacted ([PII])");
    /// assert_eq!(findings.unchecked().len(), 1);
    /// assert!(findings.is_empty());
    /// ```
    pub fn not_checked(&mut self, code: Code, stamp: Stamp, why: impl Into<String>) {
        let note = NotChecked {
            code,
            line: stamp.line,
            at: stamp.at,
            why: why.into(),
        };
        if !self.unchecked().contains(&note) {
            self.lists_mut().unchecked.push(note);
        }
    }

    /// The checks that could not be made, in the order they were recorded.
    pub fn unchecked(&self) -> &[NotChecked] {
        self.lists.as_ref().map_or(&[], |lists| &lists.unchecked)
    }

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
        let found = &mut self.lists_mut().found;
        match found.iter_mut().find(|f| f.code == code) {
            Some(finding) => {
                if !finding.evidence.contains(&evidence) {
                    crate::tight::push(&mut finding.evidence, evidence);
                }
            }
            None => crate::tight::push(
                found,
                Finding {
                    code,
                    evidence: vec![evidence],
                },
            ),
        }
    }

    /// Whether `code` was raised.
    pub fn contains(&self, code: Code) -> bool {
        self.found().iter().any(|f| f.code == code)
    }

    /// The findings, in the order their codes were first raised.
    pub fn iter(&self) -> std::slice::Iter<'_, Finding> {
        self.found().iter()
    }

    /// How many codes were raised.
    pub fn len(&self) -> usize {
        self.found().len()
    }

    /// No finding.
    pub fn is_empty(&self) -> bool {
        self.found().is_empty()
    }
}

impl<'a> IntoIterator for &'a Findings {
    type Item = &'a Finding;
    type IntoIter = std::slice::Iter<'a, Finding>;

    fn into_iter(self) -> Self::IntoIter {
        self.found().iter()
    }
}

/// The call frame's codes in plain words (see [`crate::explain`]).
mod frame_words {
    use std::fmt::Write as _;

    use crate::explain::{and_list, words, Explain};
    use crate::vocab::lookup_event;

    /// CF01: no greeting.
    pub(super) fn cf01(_: &Explain<'_>, out: &mut String) {
        out.push_str(
            "Went into the customer's first request without the greeting (\"Thank you for \
             calling ... My name is ..., how may I assist you today?\").",
        );
    }

    /// CF02: off-script lines. Evidence: `the greeting script (adherence >= 70%)` against
    /// `adherence 8%: "Yeah hi. What do you want?"`.
    pub(super) fn cf02(e: &Explain<'_>, out: &mut String) {
        let threshold = (e.config.adherence_threshold * 100.0).round();
        let mut parts = Vec::new();
        for instance in e.instances {
            let script = instance
                .expected
                .strip_prefix("the ")
                .and_then(|rest| rest.split_once(" script"))
                .map_or("scripted", |(name, _)| name);
            let (figure, said) = instance
                .actual
                .split_once(": ")
                .unwrap_or((instance.actual, ""));
            let figure = figure.strip_prefix("adherence ").unwrap_or(figure);
            parts.push(format!(
                "the {} line {}{} has {figure} of the script's words in order",
                words(script),
                if said.is_empty() { "" } else { "said as " },
                said,
            ));
        }
        let _ = write!(
            out,
            "Strayed from the script: {}; at least {threshold:.0}% is expected.",
            and_list(&parts),
        );
    }

    /// CF03: "anything else" not asked. Evidence: `"anything else" after the CODE inquiry`.
    pub(super) fn cf03(e: &Explain<'_>, out: &mut String) {
        let mut reasons: Vec<String> = e
            .instances
            .iter()
            .map(|i| {
                let code = i
                    .expected
                    .split_once("after the ")
                    .map_or("", |(_, rest)| rest.trim_end_matches(" inquiry"));
                words(code)
            })
            .collect();
        reasons.dedup();
        let _ = write!(
            out,
            "Did not ask \"Is there anything else I can assist you with today?\" after the {} \
             request, where the script asks it.",
            and_list(&reasons)
        );
    }

    /// CF04: no goodbye.
    pub(super) fn cf04(_: &Explain<'_>, out: &mut String) {
        out.push_str(
            "The call ended without the goodbye (\"OK, thank you and have a great day. \
             Goodbye.\").",
        );
    }

    /// CF05: the call is incomplete. Evidence: `no call_ended event` or `call_ended STATUS`.
    pub(super) fn cf05(e: &Explain<'_>, out: &mut String) {
        let actual = e.first().map_or("", |i| i.actual);
        out.push_str("The call did not run to its end: ");
        match actual.strip_prefix("call_ended ") {
            Some("customer_hung_up") => out.push_str("the customer hung up"),
            Some("dropped") => out.push_str("the call dropped"),
            Some("transferred") => out.push_str("the call was transferred"),
            Some(other) => {
                out.push_str("it ended as ");
                out.push_str(&words(other));
            }
            None => out.push_str("the log has no end for it"),
        }
        out.push_str("; nothing counts as missing.");
    }

    /// CF06: a procedure step outside an inquiry of its procedure. Evidence: `NAME before any
    /// inquiry was open` or `NAME while a CODE inquiry was open`.
    pub(super) fn cf06(e: &Explain<'_>, out: &mut String) {
        let mut parts: Vec<String> = e
            .instances
            .iter()
            .map(|i| {
                let (name, rest) = i.actual.split_once(' ').unwrap_or((i.actual, ""));
                let step = lookup_event(name)
                    .map_or_else(|| words(name), |event| event.def().doc.to_owned());
                let when = match rest.strip_prefix("while a ") {
                    Some(open) => format!(
                        "while handling a {} request, which does not call for it",
                        words(open.trim_end_matches(" inquiry was open"))
                    ),
                    None => "before the customer had said what the call was about".to_owned(),
                };
                format!("{step} {when}")
            })
            .collect();
        parts.dedup();
        let _ = write!(out, "A step out of place: {}.", parts.join("; "));
    }

    /// CF07: a reason no procedure covers. Evidence: `inquiry 'CODE'`.
    pub(super) fn cf07(e: &Explain<'_>, out: &mut String) {
        let reason = e
            .first()
            .and_then(|i| i.actual.strip_prefix("inquiry "))
            .unwrap_or("");
        out.push_str("The customer's request ");
        out.push_str(reason);
        out.push_str(
            " is not covered by any documented procedure, so nothing was checked for it. About \
             the documents, not the agent.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(line: u64) -> Stamp {
        Stamp {
            line,
            at: DateTime::parse_from_rfc3339("2026-03-02T10:00:00-05:00").expect("a time"),
        }
    }

    /// Findings with no check left unmade save as they always did (a list), so saved calls
    /// read back either way; with one, both lists are saved and read back.
    #[test]
    fn findings_save_as_before_unless_a_check_was_not_made() {
        let mut findings = Findings::default();
        findings.raise(Code::CF02, stamp(3), "the greeting", "adherence 10%");
        let saved = serde_json::to_value(&findings).expect("JSON");
        assert!(saved.is_array(), "{saved}");
        let back: Findings = serde_json::from_value(saved).expect("read back");
        assert_eq!(back, findings);
        findings.not_checked(Code::CF02, stamp(4), "a value was redacted ([PII])");
        let saved = serde_json::to_value(&findings).expect("JSON");
        assert_eq!(saved["unchecked"][0]["why"], "a value was redacted ([PII])");
        let back: Findings = serde_json::from_value(saved).expect("read back");
        assert_eq!(back, findings);
        assert_eq!(back.unchecked().len(), 1);
        assert_eq!(back.len(), 1);
    }

    #[test]
    fn findings_with_checks_not_made_survive_the_compact_form() {
        // postcard cannot read an untagged enum: the compact form is always the pair.
        let mut findings = Findings::default();
        let bytes = postcard::to_allocvec(&findings).expect("postcard");
        assert_eq!(
            postcard::from_bytes::<Findings>(&bytes).expect("back"),
            findings
        );
        findings.raise(Code::CF02, stamp(3), "the greeting", "adherence 10%");
        findings.not_checked(Code::CF02, stamp(4), "a value was redacted ([PII])");
        let bytes = postcard::to_allocvec(&findings).expect("postcard");
        let back: Findings = postcard::from_bytes(&bytes).expect("back");
        assert_eq!(back, findings);
        assert_eq!(back.unchecked().len(), 1);
    }
}
