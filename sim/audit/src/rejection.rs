//! Rejected rows by cause: what kind of fault each is, and what the user is told when many
//! (or all) of a log's rows are rejected.
//!
//! A rejected row's reason names its value (`timestamp '03/02/2026 2:05 PM' is a US date...`),
//! so no two reasons need be alike; its [`RejectKind`] is what they share, to count them by and
//! to say what the expected form is. A log whose rows are all rejected is not audited at all
//! ([`nothing_replayed`]: the command line exits 2); one whose rows are mostly rejected is
//! audited with a warning ([`mostly_rejected`]).

use std::collections::BTreeMap;

use crate::report::{Rejected, RowCounts};

/// What kind of fault rejected a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RejectKind {
    /// A timestamp that is a US date (`03/02/2026 2:05 PM`).
    UsDate,
    /// A timestamp without an offset (`2026-03-02T14:05:11`).
    NoOffset,
    /// Any other timestamp that is not RFC 3339 with an offset.
    Timestamp,
    /// A timestamp earlier than the call's previous row.
    BackInTime,
    /// A row whose field count is not the header's.
    FieldCount,
    /// A field that is not UTF-8.
    NotUtf8,
    /// A quoting mistake that swallowed rows.
    Quoting,
    /// An empty or blank call id.
    CallId,
    /// An event name not in the vocabulary.
    UnknownEvent,
    /// An event's value that does not parse.
    BadValue,
    /// A `call_started` without an agent id.
    NoAgent,
    /// A row of a call never started (often the consequence of a rejected `call_started`).
    NeverStarted,
    /// A row after its call's end.
    AfterEnd,
    /// A second `call_started` for a call id.
    Duplicate,
    /// Anything else.
    #[default]
    Other,
}

impl RejectKind {
    /// What is wrong, in a few words (`the timestamp is a US date`).
    pub fn label(self) -> &'static str {
        match self {
            RejectKind::UsDate => "the timestamp is a US date (month/day/year), not RFC 3339",
            RejectKind::NoOffset => "the timestamp has no UTC offset",
            RejectKind::Timestamp => "the timestamp is not RFC 3339 with an offset",
            RejectKind::BackInTime => "the timestamp goes back in time within its call",
            RejectKind::FieldCount => "the row has not as many fields as the header",
            RejectKind::NotUtf8 => "a field is not UTF-8 text",
            RejectKind::Quoting => "broken quoting swallowed rows",
            RejectKind::CallId => "the call id is empty",
            RejectKind::UnknownEvent => "the event is not in the vocabulary",
            RejectKind::BadValue => "the event's value is malformed",
            RejectKind::NoAgent => "call_started has no agent_id",
            RejectKind::NeverStarted => "the row's call was never started",
            RejectKind::AfterEnd => "the row comes after its call ended",
            RejectKind::Duplicate => "a call id is started twice",
            RejectKind::Other => "the row cannot be replayed",
        }
    }

    /// What the expected form is, with an example.
    pub fn expected(self) -> &'static str {
        match self {
            RejectKind::UsDate | RejectKind::NoOffset | RejectKind::Timestamp => {
                "timestamps in RFC 3339 with an offset, like 2026-03-02T14:05:11-05:00 \
                 (or ...Z for UTC)"
            }
            RejectKind::BackInTime => "each call's rows in time order",
            RejectKind::FieldCount => {
                "as many fields in each row as in the header, a field with a ',' quoted \
                 (\"Sam, the agent\")"
            }
            RejectKind::NotUtf8 => "a file saved as UTF-8 (\"CSV UTF-8\")",
            RejectKind::Quoting => {
                "a '\"' inside a field doubled, the field quoted (\"a \"\"b\"\"\")"
            }
            RejectKind::CallId => "a call id on every row, like C-1001",
            RejectKind::UnknownEvent => {
                "event names of the v1 vocabulary, like call_started, greeting, inquiry, \
                 call_ended"
            }
            RejectKind::BadValue => {
                "values as the event needs them: dates as 2026-03-02, amounts as 79.00"
            }
            RejectKind::NoAgent => "the agent's id on each call_started row, like sjones",
            RejectKind::NeverStarted => {
                "a call_started row (call_id,timestamp,agent_id,call_started,Department) \
                 before a call's other rows"
            }
            RejectKind::AfterEnd => "no rows after a call's call_ended",
            RejectKind::Duplicate => "call ids unique per log",
            RejectKind::Other => "rows as call-log-v1.md describes them",
        }
    }

    /// Whether rows of this kind are usually the consequence of another rejected row (a row
    /// of a call whose `call_started` was rejected): a cause is named before them.
    pub fn is_consequence(self) -> bool {
        matches!(self, RejectKind::NeverStarted)
    }
}

/// Rejected rows counted by kind, commonest first (a cause before its consequences when
/// they are as common), each with the first row of its kind.
pub fn by_kind(rejected: &[Rejected]) -> Vec<(RejectKind, u64, &Rejected)> {
    let mut counts: BTreeMap<RejectKind, (u64, &Rejected)> = BTreeMap::new();
    for row in rejected {
        counts.entry(row.kind).or_insert((0, row)).0 += 1;
    }
    let mut out: Vec<(RejectKind, u64, &Rejected)> = counts
        .into_iter()
        .map(|(kind, (n, first))| (kind, n, first))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The commonest cause: the commonest kind that is not a consequence of another, else the
/// commonest.
fn commonest_cause<'r>(
    kinds: &[(RejectKind, u64, &'r Rejected)],
) -> Option<(RejectKind, u64, &'r Rejected)> {
    kinds
        .iter()
        .find(|(kind, _, _)| !kind.is_consequence())
        .or_else(|| kinds.first())
        .copied()
}

/// When a log has rows and none could be replayed: one sentence naming the commonest cause,
/// the expected form with an example, and the first row of that cause. `None` when some row
/// was replayed, or there was none.
///
/// ```
/// use callflow_audit::rejection::{nothing_replayed, RejectKind};
/// use callflow_audit::report::{Rejected, RowCounts};
/// let rejected = vec![Rejected {
///     line: 2, call_id: "C-1".into(),
///     reason: "timestamp '03/02/2026 2:05 PM' is a US date".into(),
///     kind: RejectKind::UsDate,
/// }];
/// let rows = RowCounts { read: 1, replayed: 0, rejected: 1 };
/// let why = nothing_replayed(&rows, &rejected).unwrap();
/// assert!(why.starts_with("no row could be replayed: 1 of 1 rejected; the commonest reason (1 row): the timestamp is a US date"));
/// ```
pub fn nothing_replayed(rows: &RowCounts, rejected: &[Rejected]) -> Option<String> {
    if rows.read == 0 || rows.replayed > 0 {
        return None;
    }
    let kinds = by_kind(rejected);
    let (kind, n, first) = commonest_cause(&kinds)?;
    Some(format!(
        "no row could be replayed: {} of {} rejected; the commonest reason ({}): {}; expected {} \
         (line {}: {})",
        rejected.len(),
        rows.read,
        rows_word(n),
        kind.label(),
        kind.expected(),
        first.line,
        first.reason
    ))
}

/// When most rows (over half) were rejected: a warning naming the top causes with their
/// counts, one line each after the first. `None` otherwise.
pub fn mostly_rejected(rows: &RowCounts, rejected: &[Rejected]) -> Option<String> {
    if rows.read == 0 || rows.rejected * 2 <= rows.read {
        return None;
    }
    let kinds = by_kind(rejected);
    let mut out = format!(
        "{} of {} rows ({:.0}%) were rejected; the report covers the rest. Top reasons:",
        rows.rejected,
        rows.read,
        rows.rejected as f64 * 100.0 / rows.read as f64
    );
    for (kind, n, first) in kinds.iter().take(3) {
        out.push_str(&format!(
            "\n  {n:>7}  {} (expected {}; first at line {}: {})",
            kind.label(),
            kind.expected(),
            first.line,
            first.reason
        ));
    }
    Some(out)
}

fn rows_word(n: u64) -> String {
    if n == 1 {
        "1 row".to_owned()
    } else {
        format!("{n} rows")
    }
}
