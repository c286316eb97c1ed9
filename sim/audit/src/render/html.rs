//! One self-contained HTML page, a working tool for a QA lead: the headline, what to coach on
//! (critical first, info findings apart), SVG charts, the per-agent scorecard (each agent
//! linking to their calls), every call worth a look with filters and a search box, and the
//! rejected rows.
//!
//! The page loads nothing: its style, its charts (SVG drawn by plotters' SVG backend, a wide
//! and a narrow version of each) and its one script are inline, so it opens from disk and as
//! an e-mail attachment. The markup comes from the askama template
//! `sim/audit/templates/report.html`, which escapes every value; names, ids and reasons from
//! the log render as text.
//!
//! **The calls** are embedded as compact data (a JSON block with string tables) and drawn by
//! the script: the list when the filters change, a call's findings, evidence and transcript
//! when it is opened. Every failed call is embedded, first (the most severe first), then the
//! incomplete ones up to [`HtmlOptions::max_incomplete`], then passing ones up to
//! [`HtmlOptions::max_passing`] (those with a finding to coach on first); the page says what
//! a cap left out. The filters (agent, procedure, code, severity, verdict, date, and a search
//! box) live in the address's fragment (`#calls?agent=sjones&verdict=fail`), so that a
//! filtered list is a link: the scorecard's rows use it.
//!
//! Size: about 0.6 kB per failed call with its transcript, less for the others; a
//! 100,000-call log gives a page within the 3 MB budget of docs/PERFORMANCE.md.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use askama::Template;
use callflow_workflows::{Code, Severity, Verdict};
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use rustc_hash::FxHashMap;

use super::charts::{self, Alt, Bar, Bucket, Size};
use super::order::{self, counted, thousands as count};
use crate::history;
use crate::report::{AuditReport, CallReport, Rejected};

/// How many incomplete calls are embedded by default (every failed call always is).
pub const MAX_INCOMPLETE: usize = 5_000;
/// How many passing calls are embedded by default.
pub const MAX_PASSING: usize = 2_000;
/// How many incomplete calls get their transcript embedded by default (every failed call
/// does).
pub const MAX_INCOMPLETE_TRANSCRIPTS: usize = 200;
/// How many rejected rows are listed by default.
pub const MAX_REJECTED: usize = 1000;
/// How many agents the pass-rate chart shows (the lowest pass rates); the table has all.
const CHART_AGENTS: usize = 30;
/// How many inquiry reason and branch pairs the branch-mix chart shows (the commonest).
const CHART_BRANCHES: usize = 30;
/// How many of an agent's codes the scorecard names.
const AGENT_TOP_CODES: usize = 3;

/// What the HTML report embeds, and when it was made.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// At most this many incomplete calls embedded (every failed call always is).
    pub max_incomplete: usize,
    /// At most this many passing calls embedded.
    pub max_passing: usize,
    /// Transcripts are embedded for every failed call and at most this many incomplete ones
    /// (the first by line).
    pub max_incomplete_transcripts: usize,
    /// At most this many rejected rows, first by line.
    pub max_rejected: usize,
    /// When the report was made (shown in the header); `None` leaves it out (the same
    /// report then always gives the same page).
    pub created: Option<DateTime<Utc>>,
    /// Each agent's pass rate over the last periods, from the audit history (`--history`):
    /// shown beside the scorecard when given.
    pub agent_history: Option<AgentHistory>,
}

/// Each agent's pass rate over the last periods (from the audit history).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentHistory {
    /// The periods' names, oldest first (`2026-W10`).
    pub periods: Vec<String>,
    /// Per agent id, per period: the calls and the pass rate in percent, `None` for a period
    /// without calls of the agent.
    pub agents: BTreeMap<String, Vec<Option<(u64, f64)>>>,
}

impl AgentHistory {
    /// One agent's cell: a small line of the rates (SVG, drawn here from numbers only) and
    /// the rates in words.
    fn cell(&self, agent: &str) -> (String, String) {
        let Some(slots) = self.agents.get(agent) else {
            return (String::new(), "no earlier periods".to_owned());
        };
        let (width, height) = (90.0, 22.0);
        let step = width / (slots.len().max(2) - 1) as f64;
        let mut points = String::new();
        let mut words = Vec::new();
        for (i, (slot, period)) in slots.iter().zip(&self.periods).enumerate() {
            if let Some((calls, rate)) = slot {
                let y = height - 2.0 - rate / 100.0 * (height - 4.0);
                let _ = write!(points, "{:.1},{y:.1} ", i as f64 * step);
                words.push(format!("{period} {rate:.0}% ({calls})"));
            }
        }
        let svg = format!(
            "<svg class=\"spark\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
             height=\"{height}\" aria-hidden=\"true\"><polyline fill=\"none\" \
             stroke=\"currentColor\" stroke-width=\"1.5\" points=\"{}\"/></svg>",
            points.trim_end()
        );
        (svg, words.join(" · "))
    }
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            max_incomplete: MAX_INCOMPLETE,
            max_passing: MAX_PASSING,
            max_incomplete_transcripts: MAX_INCOMPLETE_TRANSCRIPTS,
            max_rejected: MAX_REJECTED,
            created: None,
            agent_history: None,
        }
    }
}

/// Writes the HTML report with the default options.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    write_with(report, &HtmlOptions::default(), out)
}

/// Writes the HTML report.
pub fn write_with(
    report: &AuditReport,
    options: &HtmlOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let page = Page::build(report, options)?;
    page.write_into(out)
}

/// The headline figures, written with thousands separators.
struct Headline {
    calls: String,
    passed: String,
    failed: String,
    incomplete: String,
    pass_rate: String,
    critical_calls: String,
    rows_read: String,
    rows_rejected: String,
    /// One sentence with every figure.
    lead: String,
}

struct DataTable {
    caption: String,
    headers: Vec<&'static str>,
    /// The first cell of each row is its header.
    rows: Vec<Vec<String>>,
}

struct ChartView {
    id: &'static str,
    heading: &'static str,
    wide: String,
    narrow: String,
    caption: String,
    table: DataTable,
}

struct CodeCount {
    code: &'static str,
    severity: &'static str,
    description: &'static str,
    count: String,
    /// The fragment that filters the calls by it.
    link: String,
}

struct AgentRow {
    id: String,
    link: String,
    /// (shown, sort key) pairs.
    calls: (String, u64),
    passed: (String, u64),
    failed: (String, u64),
    incomplete: (String, u64),
    critical: (String, u64),
    pass_rate: String,
    pass_rate_sort: String,
    mean_score: String,
    top: Vec<CodeCount>,
    /// With the history: the recent pass rates drawn (SVG made here from numbers) and said.
    trend_svg: String,
    trend_words: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    source: &'a str,
    /// "Mon 2 Mar 2026 to Wed 4 Mar 2026", empty without calls.
    period: String,
    /// The policy versions and their calls, when the policy has dated versions.
    policy_versions: String,
    tz_label: String,
    /// "Thu 3 Dec 2026 10:15 (America/New_York)", empty when not recorded.
    created: String,
    notes: &'a [String],
    headline: Headline,
    coaching: Vec<CodeCount>,
    documents: Vec<CodeCount>,
    call_info: Vec<CodeCount>,
    charts: Vec<ChartView>,
    severities: Vec<(&'static str, String)>,
    agents: Vec<AgentRow>,
    /// With the history: "Pass rate, last 6 weeks".
    trend_heading: String,
    /// "4 agents"
    agents_count: String,
    /// Failed plus incomplete.
    problem_total: String,
    /// What the embedded list leaves out (empty when nothing).
    left_out: String,
    /// The calls' data, JSON for the script (`<` escaped).
    data: String,
    rejected: Vec<&'a Rejected>,
    /// Rejected rows not listed (0 when all are).
    rejected_hidden: usize,
    /// The same, shown.
    rejected_hidden_text: String,
}

/// Percent-encodes a value for the fragment (`#calls?agent=...`).
fn encoded(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn severity_color(severity: Severity) -> plotters::style::RGBColor {
    use plotters::style::RGBColor;
    match severity {
        Severity::Critical => RGBColor(0x8e, 0x0b, 0x1e),
        Severity::Major => RGBColor(0xd9, 0x5f, 0x0e),
        Severity::Minor => RGBColor(0xb8, 0x8a, 0x00),
        Severity::Info => RGBColor(0x4a, 0x7e, 0xbb),
    }
}

fn css_color(color: plotters::style::RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2)
}

/// The colours of inquiry reasons in the branch-mix chart, in turn.
const REASON_COLORS: [plotters::style::RGBColor; 6] = [
    plotters::style::RGBColor(0x3b, 0x6e, 0xa8),
    plotters::style::RGBColor(0x7a, 0x4e, 0x9c),
    plotters::style::RGBColor(0x1f, 0x8a, 0x8a),
    plotters::style::RGBColor(0xa8, 0x5a, 0x1f),
    plotters::style::RGBColor(0x5b, 0x7f, 0x1f),
    plotters::style::RGBColor(0x8a, 0x3b, 0x5e),
];

fn code_count(code: Code, n: u64) -> CodeCount {
    CodeCount {
        code: code.as_str(),
        severity: code.severity().as_str(),
        description: code.description(),
        count: count(n),
        link: format!("#calls?code={}", encoded(code.as_str())),
    }
}

impl<'a> Page<'a> {
    fn build(report: &'a AuditReport, options: &HtmlOptions) -> io::Result<Page<'a>> {
        let summary = report.summary();
        let critical_calls = report
            .calls
            .iter()
            .filter(|c| c.worst() == Some(Severity::Critical))
            .count() as u64;
        let headline = Headline {
            calls: count(summary.calls),
            passed: count(summary.passed),
            failed: count(summary.failed),
            incomplete: count(summary.incomplete),
            pass_rate: format!("{:.1}%", summary.pass_rate()),
            critical_calls: count(critical_calls),
            rows_read: count(report.rows.read),
            rows_rejected: count(report.rows.rejected),
            lead: format!(
                "{} audited: {} passed, {} failed ({} with a critical finding), {} incomplete \
                 (pass rate {:.1}%). {} read, {} replayed, {} rejected.",
                counted(summary.calls, "call", "calls"),
                count(summary.passed),
                count(summary.failed),
                count(critical_calls),
                count(summary.incomplete),
                summary.pass_rate(),
                counted(report.rows.read, "row", "rows"),
                count(report.rows.replayed),
                count(report.rows.rejected),
            ),
        };
        let ranked = order::rank(&summary.codes);

        let mut charts = Vec::new();
        for chart in [agents_chart, codes_chart, branches_chart, timeline_chart] {
            charts.push(chart(report)?);
        }

        let agents = report
            .agents
            .iter()
            .map(|a| {
                let rate = percent(a.passed, a.calls);
                AgentRow {
                    id: a.agent_id.clone(),
                    link: format!("#calls?agent={}", encoded(&a.agent_id)),
                    calls: (count(a.calls), a.calls),
                    passed: (count(a.passed), a.passed),
                    failed: (count(a.failed), a.failed),
                    incomplete: (count(a.incomplete), a.incomplete),
                    critical: (count(a.critical), a.critical),
                    pass_rate: format!("{rate:.1}%"),
                    pass_rate_sort: format!("{rate:.4}"),
                    mean_score: format!("{:.1}", a.mean_score),
                    trend_svg: options
                        .agent_history
                        .as_ref()
                        .map(|h| h.cell(&a.agent_id).0)
                        .unwrap_or_default(),
                    trend_words: options
                        .agent_history
                        .as_ref()
                        .map(|h| h.cell(&a.agent_id).1)
                        .unwrap_or_default(),
                    top: order::agent_codes(a)
                        .coaching
                        .into_iter()
                        .take(AGENT_TOP_CODES)
                        .map(|(code, n)| {
                            let mut shown = code_count(code, n);
                            shown.link = format!(
                                "#calls?agent={}&code={}",
                                encoded(&a.agent_id),
                                encoded(code.as_str())
                            );
                            shown
                        })
                        .collect(),
                }
            })
            .collect();

        let (data, left_out) = calls_data(report, options);

        let rejected: Vec<&Rejected> = report.rejected.iter().take(options.max_rejected).collect();
        let rejected_hidden = report.rejected.len() - rejected.len();

        // The codes chart draws no info code.
        let severities = Severity::ALL
            .into_iter()
            .filter(|s| *s != Severity::Info)
            .map(|s| (s.as_str(), css_color(severity_color(s))))
            .collect();

        let tz = order::tz(report);
        Ok(Page {
            source: &report.source,
            period: order::period(report).unwrap_or_default(),
            policy_versions: order::policy_versions(report).unwrap_or_default(),
            tz_label: order::tz_label(report),
            created: options
                .created
                .map(|at| {
                    let local = at.with_timezone(&tz);
                    format!("{} ({})", local.format("%a %-d %b %Y %H:%M"), tz.name())
                })
                .unwrap_or_default(),
            notes: &report.notes,
            headline,
            coaching: ranked
                .coaching
                .iter()
                .map(|(c, n)| code_count(*c, *n))
                .collect(),
            documents: ranked
                .documents
                .iter()
                .map(|(c, n)| code_count(*c, *n))
                .collect(),
            call_info: ranked
                .calls
                .iter()
                .map(|(c, n)| code_count(*c, *n))
                .collect(),
            charts,
            severities,
            agents_count: counted(report.agents.len() as u64, "agent", "agents"),
            trend_heading: options
                .agent_history
                .as_ref()
                .map(|h| match (h.periods.first(), h.periods.last()) {
                    (Some(first), Some(last)) => format!("Pass rate by week, {first} to {last}"),
                    _ => "Pass rate by week".to_owned(),
                })
                .unwrap_or_default(),
            agents,
            problem_total: count(summary.failed + summary.incomplete),
            left_out,
            data,
            rejected,
            rejected_hidden,
            rejected_hidden_text: count(rejected_hidden as u64),
        })
    }
}

/// Strings written once in the page's data and referred to by their place.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: FxHashMap<String, usize>,
}

impl Strings {
    fn id(&mut self, text: &str) -> usize {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = self.list.len();
        self.list.push(text.to_owned());
        self.index.insert(text.to_owned(), i);
        i
    }
}

/// Appends a JSON string.
fn json_string(out: &mut String, text: &str) {
    // Writing a string as JSON cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned()));
}

/// The calls embedded in the page, and what a cap left out (a sentence, or empty).
///
/// Layout (short: the page carries thousands of calls; texts are written once, in `strings`,
/// and referred to by their place, -1 for none): `agents`, `codes` (code, severity, meaning),
/// `procedures`, `dates` and `days` (the call dates, and as the page shows them), `strings`,
/// `calls`: `[id, agent, verdict (0 fail, 1 incomplete, 2 pass), score, date, start (seconds
/// since midnight, business time), first line, last line, [[reason, procedure, branch or
/// state], ...], [code, ...] (most severe first), customer]`, and `details`, one per call:
/// `[findings, transcript]`, then `[sentence, ...]` on a call with checks not made (a redacted
/// value): findings `[code, explanation, [[line, seconds after the start,
/// expected, actual], ...]]` most severe first; transcript rows `[lines after the previous
/// row (-1: an utterance read as no step, no row of the log), seconds after the start, who
/// (0 agent, 1 customer, 2 system, 3 partner, 4 unknown),
/// event, value, said, code...]`; in values and said lines the customer's name is written as
/// U+0001.
///
/// Transcripts are embedded for every failed call and for the first
/// [`HtmlOptions::max_incomplete_transcripts`] incomplete ones (the others' rows are in
/// `--transcripts`).
fn calls_data(report: &AuditReport, options: &HtmlOptions) -> (String, String) {
    let tz = order::tz(report);
    let mut chosen: Vec<&CallReport> = order::problem_calls(report);
    let incomplete_total = chosen
        .iter()
        .filter(|c| c.verdict == Verdict::Incomplete)
        .count();
    let mut incomplete_kept = 0usize;
    chosen.retain(|c| {
        if c.verdict != Verdict::Incomplete {
            return true;
        }
        incomplete_kept += 1;
        incomplete_kept <= options.max_incomplete
    });
    let incomplete_left = incomplete_total - incomplete_kept.min(options.max_incomplete);
    let mut passing: Vec<&CallReport> = report
        .calls
        .iter()
        .filter(|c| c.verdict == Verdict::Pass)
        .collect();
    let passing_total = passing.len();
    // Passing calls with something to coach on first, or a check not made (a redacted value).
    passing.sort_by_key(|c| {
        (
            c.worst().is_none_or(|s| s == Severity::Info) && c.unchecked.is_empty(),
            c.first_line,
        )
    });
    passing.truncate(options.max_passing);
    let passing_left = passing_total - passing.len();
    chosen.extend(passing);

    let mut strings = Strings::default();
    let mut agents: Vec<&str> = Vec::new();
    let mut agent_index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut procedures: Vec<&str> = Vec::new();
    let mut dates: Vec<NaiveDate> = report.calls.iter().map(|c| c.call_date).collect();
    dates.sort();
    dates.dedup();
    for agent in &report.agents {
        agent_index.insert(&agent.agent_id, agents.len());
        agents.push(&agent.agent_id);
    }
    let mut codes: Vec<Code> = report.summary().codes.keys().copied().collect();
    codes.sort_by_key(|c| (c.severity(), *c));
    for call in &report.calls {
        for name in call.procedures() {
            if !procedures.contains(&name) {
                procedures.push(name);
            }
        }
    }
    let code_index = |code: Code| codes.iter().position(|c| *c == code).unwrap_or(0);
    let speaker = |who: &str| match who {
        "agent" => 0,
        "customer" => 1,
        "system" => 2,
        "partner" => 3,
        _ => 4,
    };

    let mut calls = String::new();
    let mut details = String::new();
    let mut explanation = String::new();
    let mut incomplete_transcripts = 0usize;
    for (n, call) in chosen.iter().enumerate() {
        if n > 0 {
            calls.push(',');
            details.push(',');
        }
        let start = order::local(report, &call.started);
        calls.push('[');
        json_string(&mut calls, &call.call_id);
        let _ = write!(
            calls,
            ",{},{},{},{},{},{},{},[",
            agent_index
                .get(call.agent_id.as_str())
                .copied()
                .unwrap_or(0),
            match call.verdict {
                Verdict::Fail => 0,
                Verdict::Incomplete => 1,
                Verdict::Pass => 2,
            },
            call.score,
            dates.binary_search(&call.call_date).unwrap_or(0),
            start.num_seconds_from_midnight(),
            call.first_line,
            call.last_line,
        );
        for (i, inquiry) in call.inquiries.iter().enumerate() {
            if i > 0 {
                calls.push(',');
            }
            let _ = write!(
                calls,
                "[{},{},{}]",
                strings.id(&inquiry.reason),
                inquiry
                    .procedure
                    .and_then(|p| procedures.iter().position(|q| *q == p))
                    .map_or(-1, |i| i as i64),
                strings.id(inquiry.branch.unwrap_or(inquiry.state)),
            );
        }
        calls.push_str("],[");
        for (i, code) in order::codes_by_severity(call).into_iter().enumerate() {
            if i > 0 {
                calls.push(',');
            }
            let _ = write!(calls, "{}", code_index(code));
        }
        let customer = call
            .customer
            .as_deref()
            .map_or(-1, |c| strings.id(c) as i64);
        let _ = write!(calls, "],{customer}");
        // The policy version that judged the call, when the policy has dated ones: an index
        // of `data.versions` (0: the base rules).
        if !report.policy.versions.is_empty() {
            let version = call
                .policy
                .and_then(|d| report.policy.versions.iter().position(|v| *v == d))
                .map_or(0, |i| i + 1);
            let _ = write!(calls, ",{version}");
        }
        calls.push(']');

        // Seconds from the call's start, for the times of its lines.
        let after = |at: Option<chrono::DateTime<chrono::FixedOffset>>| {
            at.map_or(0, |at| (at - call.started).num_seconds())
        };
        // The detail: findings in plain words, and the transcript.
        details.push_str("[[");
        for (i, finding) in call.findings_by_severity().into_iter().enumerate() {
            if i > 0 {
                details.push(',');
            }
            explanation.clear();
            call.explain_into(finding, report.rules_for(call), &mut explanation);
            let _ = write!(
                details,
                "[{},{},[",
                code_index(finding.code),
                strings.id(&explanation)
            );
            for (j, e) in finding.evidence.iter().enumerate() {
                if j > 0 {
                    details.push(',');
                }
                let at = chrono::DateTime::parse_from_rfc3339(&e.timestamp).ok();
                let _ = write!(
                    details,
                    "[{},{},{},{}]",
                    e.line,
                    after(at),
                    strings.id(&e.expected),
                    strings.id(&e.actual)
                );
            }
            details.push_str("]]");
        }
        details.push_str("],[");
        let transcribed = match call.verdict {
            Verdict::Fail => true,
            Verdict::Incomplete => {
                incomplete_transcripts += 1;
                incomplete_transcripts <= options.max_incomplete_transcripts
            }
            Verdict::Pass => false,
        };
        if transcribed {
            let mut previous = call.first_line;
            for (i, line) in history::transcript(call, tz).into_iter().enumerate() {
                if i > 0 {
                    details.push(',');
                }
                // The customer's name, where a line says it, is written as \u0001 (the page
                // puts it back): lines then repeat from call to call, and are written once.
                let name = call.customer.as_deref().filter(|n| !n.is_empty());
                let optional = |strings: &mut Strings, text: &str| {
                    if text.is_empty() {
                        -1
                    } else if let Some(name) = name.filter(|n| text.contains(*n)) {
                        strings.id(&text.replace(name, "\u{1}")) as i64
                    } else {
                        strings.id(text) as i64
                    }
                };
                // An utterance read as no step is no row of the log: -1 where the line's
                // step from the previous line would be, and "no step" as its event.
                let (step, event) = if line.no_step {
                    (-1, "no step")
                } else {
                    (line.line.saturating_sub(previous) as i64, line.event)
                };
                let _ = write!(
                    details,
                    "[{},{},{},{},{},{}",
                    step,
                    after(line.at),
                    speaker(line.who),
                    strings.id(event),
                    optional(&mut strings, line.value),
                    optional(&mut strings, line.said),
                );
                if !line.no_step {
                    previous = line.line;
                }
                for (code, _) in &line.findings {
                    let _ = write!(details, ",{}", code_index(*code));
                }
                details.push(']');
            }
        }
        details.push(']');
        // The checks not made (a redacted value), only on calls that have one.
        if !call.unchecked.is_empty() {
            details.push_str(",[");
            for (i, note) in call.unchecked.iter().enumerate() {
                if i > 0 {
                    details.push(',');
                }
                let _ = write!(details, "{}", strings.id(&note.sentence()));
            }
            details.push(']');
        }
        details.push(']');
    }

    let mut data = String::with_capacity(calls.len() + details.len() + 4096);
    let list = |data: &mut String, key: &str, items: &mut dyn Iterator<Item = String>| {
        let _ = write!(data, "\"{key}\":[");
        for (i, item) in items.enumerate() {
            if i > 0 {
                data.push(',');
            }
            json_string(data, &item);
        }
        data.push_str("],");
    };
    data.push('{');
    list(
        &mut data,
        "agents",
        &mut agents.iter().map(|a| (*a).to_owned()),
    );
    data.push_str("\"codes\":[");
    for (i, code) in codes.iter().enumerate() {
        if i > 0 {
            data.push(',');
        }
        data.push('[');
        json_string(&mut data, code.as_str());
        data.push(',');
        json_string(&mut data, code.severity().as_str());
        data.push(',');
        json_string(&mut data, code.description());
        data.push(']');
    }
    data.push_str("],");
    list(
        &mut data,
        "procedures",
        &mut procedures.iter().map(|p| (*p).to_owned()),
    );
    list(&mut data, "dates", &mut dates.iter().map(|d| d.to_string()));
    if !report.policy.versions.is_empty() {
        let versions = std::iter::once("the base rules".to_owned()).chain(
            report
                .policy
                .versions
                .iter()
                .map(|d| format!("the version of {d}")),
        );
        list(&mut data, "versions", &mut versions.into_iter());
    }
    list(
        &mut data,
        "days",
        &mut dates.iter().map(|d| d.format("%a %-d %b %Y").to_string()),
    );
    list(&mut data, "strings", &mut strings.list.iter().cloned());
    let _ = write!(
        data,
        "\"total\":{},\"calls\":[{calls}],\"details\":[{details}]}}",
        report.calls.len()
    );
    // Inside a <script> element, "</script>" or "<!--" in a string would end it: every `<`
    // is written as its JSON escape.
    let data = data.replace('<', "\\u003c");

    let mut left = Vec::new();
    if incomplete_left > 0 {
        left.push(format!(
            "{} incomplete {}",
            count(incomplete_left as u64),
            if incomplete_left == 1 {
                "call"
            } else {
                "calls"
            }
        ));
    }
    if passing_left > 0 {
        left.push(format!(
            "{} passing {}",
            count(passing_left as u64),
            if passing_left == 1 { "call" } else { "calls" }
        ));
    }
    let mut left_out = String::new();
    if !left.is_empty() {
        left_out = format!(
            "Not embedded in this page, to keep it light: {}. Every failed call is here. The \
             JSON (--format json) and per-call CSV (--format calls-csv) reports hold every call.",
            left.join(" and ")
        );
    }
    if incomplete_transcripts > options.max_incomplete_transcripts {
        if !left_out.is_empty() {
            left_out.push(' ');
        }
        let _ = write!(
            left_out,
            "Transcripts are embedded for every failed call and the first {} incomplete ones; \
             --transcripts DIR writes them all.",
            count(options.max_incomplete_transcripts as u64)
        );
    }
    (data, left_out)
}

/// Draws a chart in both sizes.
fn both(
    draw: impl Fn(Size, Alt<'_>) -> io::Result<String>,
    id: &'static str,
    title: &str,
    desc: &str,
) -> io::Result<(String, String)> {
    let narrow_id = format!("{id}-narrow");
    Ok((
        draw(charts::WIDE, Alt { id, title, desc })?,
        draw(
            charts::NARROW,
            Alt {
                id: &narrow_id,
                title,
                desc,
            },
        )?,
    ))
}

/// Pass rate by agent: the lowest first, on an axis that starts where the rates do.
fn agents_chart(report: &AuditReport) -> io::Result<ChartView> {
    let mut agents: Vec<_> = report.agents.iter().collect();
    agents.sort_by(|a, b| {
        percent(a.passed, a.calls)
            .total_cmp(&percent(b.passed, b.calls))
            .then(b.calls.cmp(&a.calls))
            .then(a.agent_id.cmp(&b.agent_id))
    });
    let shown: Vec<Bar> = agents
        .iter()
        .take(CHART_AGENTS)
        .map(|a| {
            let rate = percent(a.passed, a.calls);
            Bar {
                label: a.agent_id.clone(),
                value: rate,
                text: format!("{rate:.1}%"),
                color: charts::PASS,
            }
        })
        .collect();
    // The axis starts at the ten below the lowest rate shown (at most 90): 91% and 97% then
    // look apart.
    let lowest = shown.iter().map(|b| b.value).fold(100.0f64, f64::min);
    let x_min = ((lowest - 1.0) / 10.0).floor().clamp(0.0, 9.0) * 10.0;
    let mut caption = "Share of each agent's calls that passed, lowest first.".to_owned();
    if x_min > 0.0 {
        caption.push_str(&format!(
            " The axis starts at {x_min:.0}%, not 0, so that the differences show."
        ));
    }
    if agents.len() > CHART_AGENTS {
        caption.push_str(&format!(
            " The {CHART_AGENTS} lowest of {} agents are drawn; the scorecard lists all.",
            agents.len()
        ));
    }
    let desc = match agents.first() {
        Some(a) => format!(
            "Horizontal bars, one per agent, of the pass rate in percent, on an axis from \
             {x_min:.0}% to 100%. Lowest: {} at {:.1}%.",
            a.agent_id,
            percent(a.passed, a.calls)
        ),
        None => "No calls were audited.".to_owned(),
    };
    let (wide, narrow) = both(
        |size, alt| charts::bars(&shown, (x_min, 100.0), "calls passed (%)", alt, size),
        "chart-agents",
        "Pass rate by agent",
        &desc,
    )?;
    Ok(ChartView {
        id: "chart-agents",
        heading: "Pass rate by agent",
        wide,
        narrow,
        caption,
        table: DataTable {
            caption: "Pass rate by agent".to_owned(),
            headers: vec!["agent", "calls", "passed", "pass rate"],
            rows: agents
                .iter()
                .map(|a| {
                    vec![
                        a.agent_id.clone(),
                        a.calls.to_string(),
                        a.passed.to_string(),
                        format!("{:.1}%", percent(a.passed, a.calls)),
                    ]
                })
                .collect(),
        },
    })
}

/// Findings by code and severity: calls raising each code, critical first; info codes are
/// listed apart (above the charts), not drawn.
fn codes_chart(report: &AuditReport) -> io::Result<ChartView> {
    let codes = order::ranked_codes(report).coaching;
    let max = codes.iter().map(|c| c.1).max().unwrap_or(0);
    let bars: Vec<Bar> = codes
        .iter()
        .map(|(code, n)| Bar {
            label: format!("{code} {}", code.severity()),
            value: *n as f64,
            text: count(*n),
            color: severity_color(code.severity()),
        })
        .collect();
    let desc = if codes.is_empty() {
        "No findings to coach on were raised.".to_owned()
    } else {
        format!(
            "Horizontal bars, one per finding code, critical first, labelled with the code \
             and its severity, of the number of calls that raised it. {} codes.",
            codes.len()
        )
    };
    let (wide, narrow) = both(
        |size, alt| {
            charts::bars(
                &bars,
                (0.0, (max as f64 * 1.1).ceil().max(1.0)),
                "calls raising the code",
                alt,
                size,
            )
        },
        "chart-codes",
        "Findings by code and severity",
        &desc,
    )?;
    Ok(ChartView {
        id: "chart-codes",
        heading: "Findings by code and severity",
        wide,
        narrow,
        caption: "Calls raising each finding code, critical first; the colour and the label \
                  both give the severity. Info findings (no penalty) are listed apart above."
            .to_owned(),
        table: DataTable {
            caption: "Findings by code and severity".to_owned(),
            headers: vec!["code", "severity", "calls", "meaning"],
            rows: codes
                .iter()
                .map(|(code, n)| {
                    vec![
                        code.as_str().to_owned(),
                        code.severity().as_str().to_owned(),
                        n.to_string(),
                        code.description().to_owned(),
                    ]
                })
                .collect(),
        },
    })
}

/// Branch mix per procedure: inquiries by reason and branch (or final state).
fn branches_chart(report: &AuditReport) -> io::Result<ChartView> {
    let mut mix: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, u64> = BTreeMap::new();
    for call in &report.calls {
        for inquiry in &call.inquiries {
            let outcome = inquiry.branch.unwrap_or(inquiry.state);
            *mix.entry((inquiry.reason.as_str(), outcome)).or_default() += 1;
            *reasons.entry(inquiry.reason.as_str()).or_default() += 1;
        }
    }
    // Reasons by inquiries (most first), branches by count within a reason.
    let mut reason_order: Vec<(&str, u64)> = reasons.into_iter().collect();
    reason_order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut rows: Vec<(&str, &str, u64, usize)> = Vec::new();
    for (index, (reason, _)) in reason_order.iter().enumerate() {
        let mut branches: Vec<(&str, u64)> = mix
            .iter()
            .filter(|((r, _), _)| r == reason)
            .map(|((_, b), n)| (*b, *n))
            .collect();
        branches.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rows.extend(branches.into_iter().map(|(b, n)| (*reason, b, n, index)));
    }
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0);
    let bars: Vec<Bar> = rows
        .iter()
        .take(CHART_BRANCHES)
        .map(|(reason, branch, n, index)| Bar {
            label: format!("{reason} › {branch}"),
            value: *n as f64,
            text: count(*n),
            color: REASON_COLORS[index % REASON_COLORS.len()],
        })
        .collect();
    let mut caption = "Inquiries by reason and the branch taken (the review-check branch for \
                       missing reward e-mails, else the procedure's final state)."
        .to_owned();
    if rows.len() > CHART_BRANCHES {
        caption.push_str(&format!(
            " {CHART_BRANCHES} of {} pairs are drawn; the data table lists all.",
            rows.len()
        ));
    }
    let desc = if rows.is_empty() {
        "No inquiries were made.".to_owned()
    } else {
        format!(
            "Horizontal bars, one per inquiry reason and branch, labelled 'reason › branch', of \
             the number of inquiries; {} reasons, {} pairs.",
            reason_order.len(),
            rows.len()
        )
    };
    let (wide, narrow) = both(
        |size, alt| {
            charts::bars(
                &bars,
                (0.0, (max as f64 * 1.1).ceil().max(1.0)),
                "inquiries",
                alt,
                size,
            )
        },
        "chart-branches",
        "Branch mix per procedure",
        &desc,
    )?;
    Ok(ChartView {
        id: "chart-branches",
        heading: "Branch mix per procedure",
        wide,
        narrow,
        caption,
        table: DataTable {
            caption: "Branch mix per procedure".to_owned(),
            headers: vec!["inquiry reason", "branch or state", "inquiries"],
            rows: rows
                .iter()
                .map(|(reason, branch, n, _)| {
                    vec![(*reason).to_owned(), (*branch).to_owned(), n.to_string()]
                })
                .collect(),
        },
    })
}

/// Days between the first and the last call day that are drawn one by one; a longer span
/// draws only the days with calls.
const MAX_DAY_SPAN: i64 = 400;

/// Calls and failures by day, or by hour when every call is on one day (business time).
fn timeline_chart(report: &AuditReport) -> io::Result<ChartView> {
    let mut days: BTreeMap<NaiveDate, (u64, u64)> = BTreeMap::new();
    for call in &report.calls {
        let day = days.entry(call.call_date).or_default();
        day.0 += 1;
        day.1 += u64::from(call.verdict == Verdict::Fail);
    }
    let one_day = days.len() <= 1;
    let (buckets, unit): (Vec<Bucket>, &str) = if one_day {
        let mut hours = [(0u64, 0u64); 24];
        for call in &report.calls {
            let hour = order::local(report, &call.started).hour() as usize % 24;
            if let Some(h) = hours.get_mut(hour) {
                h.0 += 1;
                h.1 += u64::from(call.verdict == Verdict::Fail);
            }
        }
        let first = hours.iter().position(|h| h.0 > 0).unwrap_or(0);
        let last = hours.iter().rposition(|h| h.0 > 0).unwrap_or(0);
        // At least two hours, so that a lone hour is drawn as a bar among others.
        let (first, last) = match (first, last) {
            (f, l) if f < l => (f, l),
            (23, _) => (22, 23),
            (f, _) => (f, f + 1),
        };
        let buckets = (first..=last)
            .map(|h| Bucket {
                label: format!("{h:02}:00"),
                calls: hours.get(h).map_or(0, |x| x.0),
                failed: hours.get(h).map_or(0, |x| x.1),
            })
            .collect();
        (buckets, "hour")
    } else {
        let first = days.keys().next().copied();
        let last = days.keys().next_back().copied();
        let span = match (first, last) {
            (Some(f), Some(l)) => (l - f).num_days(),
            _ => 0,
        };
        let mut buckets = Vec::new();
        match first {
            Some(first) if span <= MAX_DAY_SPAN => {
                for day in first.iter_days().take(span as usize + 1) {
                    let (calls, failed) = days.get(&day).copied().unwrap_or_default();
                    buckets.push(Bucket {
                        label: day.format("%b %-d").to_string(),
                        calls,
                        failed,
                    });
                }
            }
            _ => buckets.extend(days.iter().map(|(day, (calls, failed))| Bucket {
                label: day.format("%Y-%m-%d").to_string(),
                calls: *calls,
                failed: *failed,
            })),
        }
        (buckets, "day")
    };
    let heading = if one_day {
        "Calls and failures by hour"
    } else {
        "Calls and failures by day"
    };
    let date = days
        .keys()
        .next()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let caption = if one_day && !date.is_empty() {
        format!(
            "Calls started each hour on {date} (business time), with the failed ones on their \
             own axis (right)."
        )
    } else {
        "Calls started each day (business time), with the failed ones on their own axis \
         (right)."
            .to_owned()
    };
    let busiest = buckets.iter().max_by_key(|b| b.calls);
    let desc = match busiest {
        Some(b) if b.calls > 0 => format!(
            "Bars of the calls started each {unit} (left axis), and a line of the failed calls \
             (right axis). {} {unit}s; busiest: {} with {} calls, {} failed.",
            buckets.len(),
            b.label,
            b.calls,
            b.failed
        ),
        _ => "No calls were audited.".to_owned(),
    };
    let (wide, narrow) = both(
        |size, alt| charts::timeline(&buckets, unit, alt, size),
        "chart-timeline",
        heading,
        &desc,
    )?;
    Ok(ChartView {
        id: "chart-timeline",
        heading,
        wide,
        narrow,
        caption,
        table: DataTable {
            caption: heading.to_owned(),
            headers: vec![unit, "calls", "failed"],
            rows: buckets
                .iter()
                .filter(|b| b.calls > 0)
                .map(|b| vec![b.label.clone(), b.calls.to_string(), b.failed.to_string()])
                .collect(),
        },
    })
}
