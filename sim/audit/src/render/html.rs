//! One self-contained HTML page: the headline, SVG charts, the per-agent scorecard, every
//! failed or incomplete call with its findings and evidence, and the rejected rows.
//!
//! The page loads nothing: its style, its charts (SVG drawn by plotters' SVG backend)
//! and its one small script are inline, so it opens from disk and as an e-mail attachment. The
//! markup comes from the askama template `sim/audit/templates/report.html`, which escapes every
//! value; names, ids and reasons from the log render as text.
//!
//! Size: passing calls are only counted; failed and incomplete calls are listed in detail up to
//! [`HtmlOptions::max_calls`] (first by line) and rejected rows up to
//! [`HtmlOptions::max_rejected`], with a note of how many more the JSON and CSV formats hold.
//! A 100,000-call log stays a few megabytes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use askama::Template;
use callflow_workflows::{Code, Severity, Verdict};
use chrono::{DateTime, NaiveDate, Timelike};

use super::charts::{self, Alt, Bar, Bucket};
use crate::report::{AuditReport, CallReport, Rejected};

/// How many failed or incomplete calls are listed in detail by default.
pub const MAX_CALLS: usize = 500;
/// How many rejected rows are listed by default.
pub const MAX_REJECTED: usize = 1000;
/// How many agents the pass-rate chart shows (the lowest pass rates); the table has all.
const CHART_AGENTS: usize = 30;
/// How many inquiry reason and branch pairs the branch-mix chart shows (the commonest).
const CHART_BRANCHES: usize = 30;
/// How many of an agent's codes the scorecard names.
const AGENT_TOP_CODES: usize = 3;

/// One line of a call's transcript, shown beside the call's findings.
///
/// This is a hook: the HTML report renders a transcript when [`HtmlOptions::transcript`]
/// gives one for a call, and builds none itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptLine {
    /// The log line.
    pub line: u64,
    /// When (as the page should show it).
    pub time: String,
    /// Who spoke or acted (`agent`, `customer`, an event name...).
    pub speaker: String,
    /// What was said or done.
    pub text: String,
}

/// Gives a call's transcript, when one is known (see [`TranscriptLine`]).
pub type TranscriptSource<'a> = &'a dyn Fn(&CallReport) -> Option<Vec<TranscriptLine>>;

/// What the HTML report lists in detail, and where transcripts come from.
#[derive(Clone, Copy)]
pub struct HtmlOptions<'a> {
    /// At most this many failed or incomplete calls in detail, first by line.
    pub max_calls: usize,
    /// At most this many rejected rows, first by line.
    pub max_rejected: usize,
    /// The transcript hook: when set, each listed call whose transcript it gives shows it.
    pub transcript: Option<TranscriptSource<'a>>,
}

impl Default for HtmlOptions<'_> {
    fn default() -> Self {
        HtmlOptions {
            max_calls: MAX_CALLS,
            max_rejected: MAX_REJECTED,
            transcript: None,
        }
    }
}

impl std::fmt::Debug for HtmlOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HtmlOptions")
            .field("max_calls", &self.max_calls)
            .field("max_rejected", &self.max_rejected)
            .field("transcript", &self.transcript.is_some())
            .finish()
    }
}

/// Writes the HTML report with the default options.
pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    write_with(report, &HtmlOptions::default(), out)
}

/// Writes the HTML report.
pub fn write_with(
    report: &AuditReport,
    options: &HtmlOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let page = Page::build(report, options)?;
    page.write_into(out)
}

/// A verdict as the page shows it: a word, an icon and a class (colour is never the only sign).
#[derive(Debug, Clone, Copy)]
struct VerdictView {
    word: &'static str,
    icon: &'static str,
    class: &'static str,
}

impl VerdictView {
    fn of(verdict: Verdict) -> VerdictView {
        match verdict {
            Verdict::Pass => VerdictView {
                word: "pass",
                icon: "✓",
                class: "pass",
            },
            Verdict::Fail => VerdictView {
                word: "fail",
                icon: "✗",
                class: "fail",
            },
            Verdict::Incomplete => VerdictView {
                word: "incomplete",
                icon: "◐",
                class: "incomplete",
            },
        }
    }
}

/// The headline figures, written with thousands separators.
struct Headline {
    calls: String,
    passed: String,
    failed: String,
    incomplete: String,
    pass_rate: String,
    rows_read: String,
    rows_rejected: String,
    /// One sentence with every figure.
    lead: String,
    /// "8 of 37 calls failed or are incomplete. ..."
    calls_note: String,
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
    svg: String,
    caption: String,
    table: DataTable,
}

struct CodeCount {
    code: &'static str,
    severity: &'static str,
    description: &'static str,
    count: String,
}

struct AgentRow {
    id: String,
    /// (shown, sort key) pairs.
    calls: (String, u64),
    passed: (String, u64),
    failed: (String, u64),
    incomplete: (String, u64),
    pass_rate: String,
    pass_rate_sort: String,
    mean_score: String,
    top: Vec<CodeCount>,
}

struct EvidenceView {
    line: u64,
    time: String,
    expected: String,
    actual: String,
}

struct FindingView {
    code: &'static str,
    severity: &'static str,
    message: String,
    evidence: Vec<EvidenceView>,
}

struct CallView {
    call_id: String,
    agent_id: String,
    customer: Option<String>,
    verdict: VerdictView,
    score: u32,
    first_line: u64,
    last_line: u64,
    started: String,
    inquiries: Vec<String>,
    codes: String,
    findings: Vec<FindingView>,
    transcript: Option<Vec<TranscriptLine>>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    source: &'a str,
    headline: Headline,
    charts: Vec<ChartView>,
    severities: Vec<(&'static str, String)>,
    agents: Vec<AgentRow>,
    /// "4 agents"
    agents_count: String,
    calls: Vec<CallView>,
    /// Failed plus incomplete.
    problem_total: String,
    /// Failed or incomplete calls not listed (0 when all are).
    problem_hidden: usize,
    /// The same, shown.
    problem_hidden_text: String,
    rejected: Vec<&'a Rejected>,
    /// Rejected rows not listed (0 when all are).
    rejected_hidden: usize,
    /// The same, shown.
    rejected_hidden_text: String,
}

/// `1 call`, `100,000 calls`.
fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// `100000` as `100,000`.
fn count(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
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

/// `2026-03-02 09:05:27 -05:00` from an RFC 3339 stamp; the stamp as given when it is not one.
fn show_time(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S %:z").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
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

impl<'a> Page<'a> {
    fn build(report: &'a AuditReport, options: &HtmlOptions<'_>) -> io::Result<Page<'a>> {
        let summary = report.summary();
        let headline = Headline {
            calls: count(summary.calls),
            passed: count(summary.passed),
            failed: count(summary.failed),
            incomplete: count(summary.incomplete),
            pass_rate: format!("{:.1}%", summary.pass_rate()),
            rows_read: count(report.rows.read),
            rows_rejected: count(report.rows.rejected),
            lead: format!(
                "{} audited: {} passed, {} failed, {} incomplete (pass rate {:.1}%). {} read, {} \
                 replayed, {} rejected.",
                counted(summary.calls, "call", "calls"),
                count(summary.passed),
                count(summary.failed),
                count(summary.incomplete),
                summary.pass_rate(),
                counted(report.rows.read, "row", "rows"),
                count(report.rows.replayed),
                count(report.rows.rejected),
            ),
            calls_note: format!(
                "{} of {} failed or {} incomplete. {} counted above and not listed.",
                count(summary.failed + summary.incomplete),
                counted(summary.calls, "call", "calls"),
                if summary.failed + summary.incomplete == 1 {
                    "is"
                } else {
                    "are"
                },
                match summary.passed {
                    0 => "No call passed; passing calls are".to_owned(),
                    1 => "The 1 passing call is".to_owned(),
                    n => format!("The {} passing calls are", count(n)),
                }
            ),
        };

        let charts = vec![
            agents_chart(report)?,
            codes_chart(&summary.codes)?,
            branches_chart(report)?,
            timeline_chart(report)?,
        ];

        let agents = report
            .agents
            .iter()
            .map(|a| {
                let mut codes: Vec<(Code, u64)> = a.codes.iter().map(|(c, n)| (*c, *n)).collect();
                codes.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                let rate = percent(a.passed, a.calls);
                AgentRow {
                    id: a.agent_id.clone(),
                    calls: (count(a.calls), a.calls),
                    passed: (count(a.passed), a.passed),
                    failed: (count(a.failed), a.failed),
                    incomplete: (count(a.incomplete), a.incomplete),
                    pass_rate: format!("{rate:.1}%"),
                    pass_rate_sort: format!("{rate:.4}"),
                    mean_score: format!("{:.1}", a.mean_score),
                    top: codes
                        .into_iter()
                        .take(AGENT_TOP_CODES)
                        .map(|(code, n)| CodeCount {
                            code: code.as_str(),
                            severity: code.severity().as_str(),
                            description: code.description(),
                            count: count(n),
                        })
                        .collect(),
                }
            })
            .collect();

        let problems = report.calls.iter().filter(|c| c.verdict != Verdict::Pass);
        let problem_total = problems.clone().count();
        let calls: Vec<CallView> = problems
            .take(options.max_calls)
            .map(|c| call_view(c, options))
            .collect();
        let problem_hidden = problem_total - calls.len();

        let rejected: Vec<&Rejected> = report.rejected.iter().take(options.max_rejected).collect();
        let rejected_hidden = report.rejected.len() - rejected.len();

        let severities = [
            Severity::Critical,
            Severity::Major,
            Severity::Minor,
            Severity::Info,
        ]
        .into_iter()
        .map(|s| (s.as_str(), css_color(severity_color(s))))
        .collect();

        Ok(Page {
            source: &report.source,
            headline,
            charts,
            severities,
            agents_count: counted(report.agents.len() as u64, "agent", "agents"),
            agents,
            calls,
            problem_total: count(problem_total as u64),
            problem_hidden,
            problem_hidden_text: count(problem_hidden as u64),
            rejected,
            rejected_hidden,
            rejected_hidden_text: count(rejected_hidden as u64),
        })
    }
}

fn call_view(call: &CallReport, options: &HtmlOptions<'_>) -> CallView {
    let mut codes: Vec<&str> = call.findings.iter().map(|f| f.code.as_str()).collect();
    codes.dedup();
    CallView {
        call_id: call.call_id.clone(),
        agent_id: call.agent_id.clone(),
        customer: call.customer.clone(),
        verdict: VerdictView::of(call.verdict),
        score: call.score,
        first_line: call.first_line,
        last_line: call.last_line,
        started: call.started.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        inquiries: call
            .inquiries
            .iter()
            .map(|i| match i.branch {
                Some(branch) => format!("{} → {} (line {})", i.reason, branch, i.line),
                None => format!("{} → {} (line {})", i.reason, i.state, i.line),
            })
            .collect(),
        codes: codes.join(" "),
        findings: call
            .findings
            .iter()
            .map(|f| FindingView {
                code: f.code.as_str(),
                severity: f.severity.as_str(),
                message: f.message.clone(),
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| EvidenceView {
                        line: e.line,
                        time: show_time(&e.timestamp),
                        expected: e.expected.clone(),
                        actual: e.actual.clone(),
                    })
                    .collect(),
            })
            .collect(),
        transcript: options.transcript.and_then(|source| source(call)),
    }
}

/// Pass rate by agent: the lowest first.
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
                text: format!("{rate:.0}% ({}/{})", count(a.passed), count(a.calls)),
                color: charts::PASS,
            }
        })
        .collect();
    let mut caption = "Share of each agent's calls that passed, lowest first.".to_owned();
    if agents.len() > CHART_AGENTS {
        caption.push_str(&format!(
            " The {CHART_AGENTS} lowest of {} agents are drawn; the scorecard lists all.",
            agents.len()
        ));
    }
    let desc = match agents.first() {
        Some(a) => format!(
            "Horizontal bars, one per agent, of the pass rate in percent. Lowest: {} at {:.0}%.",
            a.agent_id,
            percent(a.passed, a.calls)
        ),
        None => "No calls were audited.".to_owned(),
    };
    let svg = charts::bars(
        &shown,
        100.0,
        "calls passed (%)",
        Alt {
            id: "chart-agents",
            title: "Pass rate by agent",
            desc: &desc,
        },
    )?;
    Ok(ChartView {
        id: "chart-agents",
        heading: "Pass rate by agent",
        svg,
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

/// Findings by code and severity: calls raising each code, most severe first.
fn codes_chart(codes: &BTreeMap<Code, u64>) -> io::Result<ChartView> {
    let mut codes: Vec<(Code, u64)> = codes.iter().map(|(c, n)| (*c, *n)).collect();
    codes.sort_by(|a, b| {
        a.0.severity()
            .cmp(&b.0.severity())
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
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
        "No findings were raised.".to_owned()
    } else {
        format!(
            "Horizontal bars, one per finding code, labelled with the code and its severity, \
             of the number of calls that raised it. {} codes were raised.",
            codes.len()
        )
    };
    let svg = charts::bars(
        &bars,
        (max as f64 * 1.1).ceil().max(1.0),
        "calls raising the code",
        Alt {
            id: "chart-codes",
            title: "Findings by code and severity",
            desc: &desc,
        },
    )?;
    Ok(ChartView {
        id: "chart-codes",
        heading: "Findings by code and severity",
        svg,
        caption: "Calls raising each finding code, critical first; the colour and the label \
                  both give the severity."
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
    let svg = charts::bars(
        &bars,
        (max as f64 * 1.1).ceil().max(1.0),
        "inquiries",
        Alt {
            id: "chart-branches",
            title: "Branch mix per procedure",
            desc: &desc,
        },
    )?;
    Ok(ChartView {
        id: "chart-branches",
        heading: "Branch mix per procedure",
        svg,
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

/// Calls and failures by day, or by hour when every call is on one day.
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
            let hour = &mut hours[call.started.hour() as usize % 24];
            hour.0 += 1;
            hour.1 += u64::from(call.verdict == Verdict::Fail);
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
                calls: hours[h].0,
                failed: hours[h].1,
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
            "Calls started each hour on {date} (hour as written in the log), with the failed ones."
        )
    } else {
        "Calls started each day (in the business time zone), with the failed ones.".to_owned()
    };
    let busiest = buckets.iter().max_by_key(|b| b.calls);
    let desc = match busiest {
        Some(b) if b.calls > 0 => format!(
            "Bars of the calls started each {unit}, and a line of the failed calls. {} {unit}s; \
             busiest: {} with {} calls, {} failed.",
            buckets.len(),
            b.label,
            b.calls,
            b.failed
        ),
        _ => "No calls were audited.".to_owned(),
    };
    let svg = charts::timeline(
        &buckets,
        unit,
        Alt {
            id: "chart-timeline",
            title: heading,
            desc: &desc,
        },
    )?;
    Ok(ChartView {
        id: "chart-timeline",
        heading,
        svg,
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
