//! Exploration: what graph tools do to a machine that cannot list itself. Clone a call, try
//! each sample event, watch which state the machine lands in. The states, transitions and paths
//! of every diagram and transcript come from here, never from a hand-kept list.
//!
//! The alphabet is a set of representative events, each with the condition it stands for
//! (`warranty_started [d ≤ 29]`). Account facts and decision events are tried at most once per
//! path (a fact is logged once), which keeps every path finite; the call is explored at two
//! times of day (inside and outside chat hours) so that time-dependent transitions show.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Days, FixedOffset, NaiveDate};

use crate::call::Call;
use crate::config::Config;
use crate::event::{
    ChatPurpose, ContactTime, Detail, EndStatus, Event, EventKind, Procedure, Reason, RecordField,
    Stamp, Step, Team, TranscriptCopy,
};
use crate::frame::{CallStart, InquiryMachine};
use crate::values::{Cents, ChatForm};

/// A machine that can be explored and drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Workflow {
    /// The call frame around the procedures.
    CallFrame,
    /// Seed 002.
    ShoppingDollars,
    /// Seed 000.
    PaidCall,
}

impl Workflow {
    /// Every workflow.
    pub const ALL: [Workflow; 3] = [
        Workflow::CallFrame,
        Workflow::ShoppingDollars,
        Workflow::PaidCall,
    ];

    /// The name used on the command line and in path names.
    pub fn name(self) -> &'static str {
        match self {
            Workflow::CallFrame => "call_frame",
            Workflow::ShoppingDollars => "shopping_dollars",
            Workflow::PaidCall => "paid_call",
        }
    }

    /// The workflow for a name.
    pub fn from_name(name: &str) -> Option<Workflow> {
        Workflow::ALL.into_iter().find(|w| w.name() == name)
    }

    /// The procedure this workflow runs, if it is one.
    pub fn procedure(self) -> Option<Procedure> {
        match self {
            Workflow::CallFrame => None,
            Workflow::ShoppingDollars => Some(Procedure::ShoppingDollars),
            Workflow::PaidCall => Some(Procedure::PaidCall),
        }
    }
}

/// A representative event and the condition it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// `warranty_started [d < 30]`
    pub label: String,
    /// The event, with values relative to the exploration's call date.
    pub event: Event<'static>,
}

fn sample(label: impl Into<String>, event: Event<'static>) -> Sample {
    Sample {
        label: label.into(),
        event,
    }
}

/// The form a careful agent fills in (the exploration's agent is `sjones`).
pub const GOOD_FORM: ChatForm<'static> = ChatForm {
    enterprise_id: Some("sjones"),
    agent_name: Some("Sam Jones"),
    member_name: Some("Pat Lee"),
    customer_id: Some("3125550142"),
    reason: Some(crate::values::CHAT_FORM_REASON),
};

/// The alphabet of a workflow: every event of its vocabulary, with representative values
/// (dates relative to `call_date`). Values a careful agent would use come first.
pub fn alphabet(workflow: Workflow, call_date: NaiveDate) -> Vec<Sample> {
    let before = |days: u64| {
        call_date
            .checked_sub_days(Days::new(days))
            .unwrap_or(call_date)
    };
    let after = |days: u64| {
        call_date
            .checked_add_days(Days::new(days))
            .unwrap_or(call_date)
    };
    let inquiry = |reason: Reason| {
        sample(
            format!("inquiry [{}]", reason.as_str()),
            Event::Inquiry {
                reason,
                code: reason.as_str(),
            },
        )
    };
    let plain = |event: Event<'static>| sample(event.kind().as_str(), event);
    match workflow {
        Workflow::CallFrame => vec![
            plain(Event::Greeting),
            plain(Event::CustomerIdentified { name: "Pat Lee" }),
            inquiry(Reason::RewardEmailMissing),
            inquiry(Reason::RewardSiteIssue),
            plain(Event::AnythingElse),
            plain(Event::Goodbye),
            sample(
                "call_ended [completed]",
                Event::CallEnded(EndStatus::Completed),
            ),
            sample(
                "call_ended [customer_hung_up]",
                Event::CallEnded(EndStatus::CustomerHungUp),
            ),
        ],
        Workflow::ShoppingDollars => vec![
            inquiry(Reason::RewardEmailMissing),
            inquiry(Reason::RewardSiteIssue),
            inquiry(Reason::RewardPartnerNoResponse),
            sample(
                "warranty_started [d ≤ 29]",
                Event::WarrantyStarted(before(12)),
            ),
            sample(
                "warranty_started [30 ≤ d ≤ 36]",
                Event::WarrantyStarted(before(33)),
            ),
            sample(
                "warranty_started [d ≥ 37]",
                Event::WarrantyStarted(before(45)),
            ),
            sample(
                "first_payment [on or before the call date]",
                Event::FirstPayment(Some(before(20))),
            ),
            sample("first_payment [none]", Event::FirstPayment(None)),
            sample(
                "first_payment [after the call date]",
                Event::FirstPayment(Some(after(3))),
            ),
            plain(Event::ExplainReviewPeriod),
            plain(Event::ExpectEmailSoon),
            plain(Event::Apologize),
            sample(
                "collect [name]",
                Event::Collect {
                    detail: Detail::Name,
                    declined: false,
                },
            ),
            sample(
                "collect [email]",
                Event::Collect {
                    detail: Detail::Email,
                    declined: false,
                },
            ),
            sample(
                "collect [phone]",
                Event::Collect {
                    detail: Detail::Phone,
                    declined: false,
                },
            ),
            sample(
                "email_sent [rewards_team]",
                Event::EmailSent(Team::RewardsTeam),
            ),
            sample(
                "email_sent [product_team]",
                Event::EmailSent(Team::ProductTeam),
            ),
            plain(Event::ExplainPartnerSupport),
            plain(Event::AskContactTime),
            sample(
                "contact_time [outside_business_hours]",
                Event::ContactTime(ContactTime::OutsideBusinessHours),
            ),
            sample(
                "contact_time [business_hours]",
                Event::ContactTime(ContactTime::BusinessHours),
            ),
            plain(Event::AskTicket),
            plain(Event::Ticket("HSP-48213")),
            plain(Event::PromiseFollowup),
            plain(Event::PartnerContacted),
        ],
        Workflow::PaidCall => vec![
            inquiry(Reason::WarrantyCancellation),
            sample(
                "refund_calculator [amount shown]",
                Event::RefundCalculator(Some(Cents(7900))),
            ),
            sample("refund_calculator [none]", Event::RefundCalculator(None)),
            plain(Event::ServiceCallReported),
            sample(
                "record_mismatch [address]",
                Event::RecordMismatch(RecordField::Address),
            ),
            plain(Event::AmountDisputed),
            plain(Event::BuildValue),
            plain(Event::AdviseDisputeLetter),
            sample(
                "chat_opened [paid_call]",
                Event::ChatOpened(ChatPurpose::PaidCall),
            ),
            sample(
                "chat_opened [record_verification]",
                Event::ChatOpened(ChatPurpose::RecordVerification),
            ),
            sample(
                "chat_opened [relay_cancellation]",
                Event::ChatOpened(ChatPurpose::RelayCancellation),
            ),
            sample("warranty_prompt [no]", Event::WarrantyPrompt { yes: false }),
            sample("warranty_prompt [yes]", Event::WarrantyPrompt { yes: true }),
            plain(Event::ChatForm(GOOD_FORM)),
            plain(Event::ChatWaiting(Some(3))),
            plain(Event::ChatConnected {
                representative: "Dee",
            }),
            plain(Event::ChatMessage),
            plain(Event::ChatReply),
            plain(Event::PaidAmountObtained(Cents(8900))),
            plain(Event::ChatEnded),
            sample(
                "chat_transcript [email]",
                Event::ChatTranscript(TranscriptCopy::Email),
            ),
            plain(Event::QuoteAmount(Cents(7900))),
            plain(Event::PromiseFollowup),
            plain(Event::PhoneCallPartner),
        ],
    }
}

/// A time of day the exploration runs a call at, and what it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// `within chat hours`
    pub label: &'static str,
    /// The call's start.
    pub start: &'static str,
}

/// The times of day explored: Monday 10:00 and 19:00 in New York.
pub const CLOCKS: [Clock; 2] = [
    Clock {
        label: "within chat hours",
        start: "2026-03-02T10:00:00-05:00",
    },
    Clock {
        label: "outside chat hours",
        start: "2026-03-02T19:00:00-05:00",
    },
];

fn parse_start(clock: Clock) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(clock.start).unwrap_or_default()
}

/// A probe: a call being driven by the explorer.
#[derive(Clone)]
struct Probe {
    call: Call,
    line: u64,
    at: DateTime<FixedOffset>,
}

impl Probe {
    fn new(workflow: Workflow, clock: Clock, config: &Arc<Config>) -> Probe {
        let at = parse_start(clock);
        let mut probe = Probe {
            call: Call::start(
                Arc::clone(config),
                CallStart {
                    call_id: "explore",
                    agent_id: "sjones",
                    department: "Home Warranty Rewards",
                    agent_name: Some("Sam"),
                    stamp: Stamp { line: 1, at },
                },
            ),
            line: 1,
            at,
        };
        if workflow != Workflow::CallFrame {
            probe.feed(&Event::Greeting);
        }
        probe
    }

    fn feed(&mut self, event: &Event<'_>) {
        self.line += 1;
        self.at += chrono::Duration::seconds(10);
        let _ = self.call.handle(&Step::new(
            Stamp {
                line: self.line,
                at: self.at,
            },
            *event,
        ));
    }

    /// The observed state of the workflow's machine.
    fn state(&self, workflow: Workflow) -> &'static str {
        match workflow {
            Workflow::CallFrame => self.call.state().name(),
            _ => match self.call.inquiries().last().map(|i| i.machine()) {
                None | Some(InquiryMachine::Uncovered) => "idle",
                Some(InquiryMachine::ShoppingDollars(m)) => m.state().name(),
                Some(InquiryMachine::PaidCall(m)) => m.state().name(),
            },
        }
    }

    fn facts(&self) -> String {
        format!("{:?}", self.call.frame().facts())
    }

    fn close(&mut self) {
        self.feed(&Event::CallEnded(EndStatus::Completed));
    }
}

/// A transition found by exploration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Source state.
    pub from: &'static str,
    /// Target state.
    pub to: &'static str,
    /// The sample events (with their conditions) that made it, sorted.
    pub labels: Vec<String>,
}

/// A machine's states and transitions, as exploration found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// Which machine.
    pub workflow: Workflow,
    /// The initial state.
    pub initial: &'static str,
    /// The final state (`closed` for procedures, `ended` for the frame).
    pub last: &'static str,
    /// Every state reached, sorted.
    pub states: Vec<&'static str>,
    /// Every transition, sorted by source and target.
    pub edges: Vec<Edge>,
}

/// The label of the close of an inquiry in procedure graphs.
pub const CLOSE_LABEL: &str = "inquiry closes";

/// Explores a workflow's machine: breadth first over (state, facts, events used), trying every
/// sample not yet used on the path, at each clock.
pub fn graph(workflow: Workflow) -> Graph {
    let config = Arc::new(Config::default());
    let mut edges: BTreeMap<(&'static str, &'static str), BTreeMap<String, BTreeSet<usize>>> =
        BTreeMap::new();
    let mut states = BTreeSet::new();
    let mut initial = "idle";
    for (clock_index, clock) in CLOCKS.into_iter().enumerate() {
        let root = Probe::new(workflow, clock, &config);
        initial = root.state(workflow);
        let samples = alphabet(workflow, root.call.frame().call_date());
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([(root, 0u64)]);
        while let Some((probe, used)) = queue.pop_front() {
            let from = probe.state(workflow);
            states.insert(from);
            if !seen.insert((from, probe.facts(), used)) {
                continue;
            }
            let mut tries: Vec<(String, Probe, u64)> = Vec::new();
            for (i, s) in samples.iter().enumerate() {
                if used & (1 << i) != 0 || used_kind(workflow, &samples, used, s.event.kind()) {
                    continue;
                }
                let mut next = probe.clone();
                next.feed(&s.event);
                tries.push((s.label.clone(), next, used | (1 << i)));
            }
            if workflow != Workflow::CallFrame && !matches!(from, "idle" | "closed") {
                let mut next = probe.clone();
                next.close();
                tries.push((CLOSE_LABEL.to_owned(), next, used));
            }
            for (label, next, next_used) in tries {
                let to = next.state(workflow);
                if to != from {
                    edges
                        .entry((from, to))
                        .or_default()
                        .entry(label)
                        .or_default()
                        .insert(clock_index);
                }
                if to != from || next.facts() != probe.facts() {
                    queue.push_back((next, next_used));
                }
            }
        }
    }
    let edges = edges
        .into_iter()
        .map(|((from, to), labels)| Edge {
            from,
            to,
            labels: labels
                .into_iter()
                .map(|(label, clocks)| {
                    if clocks.len() == CLOCKS.len() {
                        label
                    } else {
                        let when: Vec<&str> = clocks
                            .iter()
                            .filter_map(|&c| CLOCKS.get(c))
                            .map(|c| c.label)
                            .collect();
                        format!("{label} ({})", when.join(", "))
                    }
                })
                .collect(),
        })
        .collect();
    Graph {
        workflow,
        initial,
        last: if workflow == Workflow::CallFrame {
            "ended"
        } else {
            "closed"
        },
        states: states.into_iter().collect(),
        edges,
    }
}

/// Whether an event of the same kind as `kind` (a fact, a reason, a chat) was already used:
/// each kind is tried once per path: one inquiry per procedure path. The frame's inquiries are
/// the exception (each inquiry sample once: its alphabet holds two, the bounded case of several
/// inquiries in one call).
fn used_kind(workflow: Workflow, samples: &[Sample], used: u64, kind: EventKind) -> bool {
    !(workflow == Workflow::CallFrame && kind == EventKind::Inquiry)
        && samples
            .iter()
            .enumerate()
            .any(|(i, s)| used & (1 << i) != 0 && s.event.kind() == kind)
}

impl Graph {
    /// The graph as a Mermaid state diagram.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        out.push_str(&format!("    [*] --> {}\n", self.initial));
        for edge in &self.edges {
            out.push_str(&format!(
                "    {} --> {}: {}\n",
                edge.from,
                edge.to,
                edge.labels.join(" / ").replace(':', "")
            ));
        }
        out.push_str(&format!("    {} --> [*]\n", self.last));
        out
    }

    /// The graph in Graphviz dot.
    pub fn to_dot(&self) -> String {
        let mut out = format!(
            "digraph {} {{\n    rankdir=LR;\n    node [shape=box, style=rounded];\n    start [shape=point];\n    start -> {};\n",
            self.workflow.name(),
            self.initial
        );
        for edge in &self.edges {
            out.push_str(&format!(
                "    {} -> {} [label=\"{}\"];\n",
                edge.from,
                edge.to,
                edge.labels.join("\\n").replace('"', "'")
            ));
        }
        out.push_str("}\n");
        out
    }
}

/// A distinct path through a workflow: the decision events that drive it, in order, and the
/// branch they lead to. Steps that do not move the machine are not part of a path: a
/// transcript fills them in from the machine's own next steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Which machine.
    pub workflow: Workflow,
    /// The inquiry reasons, in order.
    pub reasons: Vec<Reason>,
    /// The time of day the path was found at first.
    pub clock: Clock,
    /// Every time of day the path was found at (a path found at both is not time-dependent).
    pub clocks: Vec<Clock>,
    /// The states that name the path (pre-branch and chat-internal states left out).
    pub tokens: Vec<String>,
    /// The decision events, in order.
    pub samples: Vec<Sample>,
}

impl Path {
    /// `workflow/reason/branch`, e.g. `shopping_dollars/reward_email_missing/overdue`.
    pub fn name(&self) -> String {
        let reasons: Vec<&str> = self.reasons.iter().map(|r| r.as_str()).collect();
        let reasons = if reasons.is_empty() {
            "no_inquiry".to_owned()
        } else {
            reasons.join("+")
        };
        format!(
            "{}/{}/{}",
            self.workflow.name(),
            reasons,
            self.tokens.join("+")
        )
    }
}

/// The token a state contributes to a path's name, if any.
fn token(state: &'static str, entered_by: &Sample) -> Option<String> {
    match state {
        "idle" | "closed" | "awaiting_facts" | "awaiting_calculator" | "opening" | "greeted" => {
            None
        }
        "chat_open" => match entered_by.event {
            Event::ChatOpened(purpose) => Some(format!("chat_{}", purpose.as_str())),
            _ => None,
        },
        "prompt_answered" | "form_sent" | "chat_waiting" | "chat_connected" => None,
        other => Some(other.to_owned()),
    }
}

/// How rich a path is: how many transitions it makes (a chat that is ended makes one more
/// than one left open; a fact that moves nothing adds none).
fn richness(states: &[&'static str]) -> usize {
    states
        .windows(2)
        .filter(|w| matches!(w, [a, b] if a != b))
        .count()
}

/// Every distinct path through a workflow, found breadth first with each sample used at most
/// once per path and paths bounded to `MAX_LEN` decision events. Paths with the same states keep
/// the representative that makes the most transitions (a chat that connects and ends, not one
/// abandoned), then the fewest events; among equals, the first found, and the alphabet lists a
/// careful agent's values first. Sorted by name.
pub fn paths(workflow: Workflow) -> Vec<Path> {
    const MAX_LEN: usize = 10;
    let config = Arc::new(Config::default());
    let mut found: BTreeMap<String, (usize, Path)> = BTreeMap::new();
    for clock in CLOCKS {
        let root = Probe::new(workflow, clock, &config);
        let samples = alphabet(workflow, root.call.frame().call_date());
        let start = root.state(workflow);
        let mut queue = VecDeque::from([(root, 0u64, Vec::<usize>::new(), vec![start])]);
        while let Some((probe, used, taken, states)) = queue.pop_front() {
            let from = probe.state(workflow);
            let ended = matches!(from, "closed" | "ended");
            if ended || (workflow != Workflow::CallFrame && from != "idle") {
                let mut closed = probe.clone();
                let mut visited = states.clone();
                if !ended {
                    closed.close();
                    visited.push(closed.state(workflow));
                }
                if ended || closed.state(workflow) == "closed" {
                    record_path(
                        &mut found, workflow, clock, &samples, &taken, &visited, &closed,
                    );
                }
                if ended {
                    continue;
                }
            }
            if taken.len() >= MAX_LEN {
                continue;
            }
            for (i, s) in samples.iter().enumerate() {
                if used & (1 << i) != 0 || used_kind(workflow, &samples, used, s.event.kind()) {
                    continue;
                }
                let mut next = probe.clone();
                next.feed(&s.event);
                let to = next.state(workflow);
                if to == from && next.facts() == probe.facts() {
                    continue;
                }
                let mut taken = taken.clone();
                taken.push(i);
                let mut states = states.clone();
                if to != from {
                    states.push(to);
                }
                queue.push_back((next, used | (1 << i), taken, states));
            }
        }
    }
    let mut paths: Vec<Path> = found.into_values().map(|(_, path)| path).collect();
    paths.sort_by_key(Path::name);
    paths
}

fn record_path(
    found: &mut BTreeMap<String, (usize, Path)>,
    workflow: Workflow,
    clock: Clock,
    samples: &[Sample],
    taken: &[usize],
    visited: &[&'static str],
    probe: &Probe,
) {
    let chosen: Vec<Sample> = taken
        .iter()
        .filter_map(|&i| samples.get(i).cloned())
        .collect();
    // Name the path by the states it went through, each entered by its sample.
    let mut tokens: Vec<String> = Vec::new();
    let mut replay = Probe::new(workflow, clock, &Arc::new(Config::default()));
    for s in &chosen {
        let before = replay.state(workflow);
        replay.feed(&s.event);
        let after = replay.state(workflow);
        if after != before {
            if let Some(t) = token(after, s) {
                if !tokens.contains(&t) {
                    tokens.push(t);
                }
            }
        }
    }
    if workflow == Workflow::CallFrame {
        tokens.retain(|t| t != "inquiring");
        if let Some((_, Some(status))) = probe.call.frame().end() {
            tokens.push(status.as_str().to_owned());
        }
    }
    if tokens.is_empty() {
        // No branch was reached: the path is named by where it stopped.
        let stopped = visited
            .iter()
            .rev()
            .find(|s| !matches!(**s, "closed" | "idle" | "ended"))
            .copied()
            .unwrap_or("idle");
        tokens.push(stopped.to_owned());
    }
    let reasons = probe.call.inquiries().iter().map(|i| i.reason()).collect();
    let path = Path {
        workflow,
        reasons,
        clock,
        clocks: vec![clock],
        tokens,
        samples: chosen,
    };
    // The same states in another order (a chat before or after the calculator is read) are
    // one path: keyed by the reasons and the set of tokens.
    let mut key_tokens = path.tokens.clone();
    key_tokens.sort();
    let key = format!("{:?} {key_tokens:?}", path.reasons);
    let rich = richness(visited);
    let (better, mut clocks) = match found.get(&key) {
        None => (true, Vec::new()),
        Some((r, p)) => (
            rich > *r || (rich == *r && path.samples.len() < p.samples.len()),
            p.clocks.clone(),
        ),
    };
    if !clocks.contains(&clock) {
        clocks.push(clock);
    }
    if better {
        found.insert(key, (rich, Path { clocks, ..path }));
    } else if let Some((_, kept)) = found.get_mut(&key) {
        kept.clocks = clocks;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cover_every_review_branch() {
        let names: Vec<String> = paths(Workflow::ShoppingDollars)
            .iter()
            .map(Path::name)
            .collect();
        for branch in [
            "within_review",
            "awaiting_first_payment",
            "recently_eligible",
            "overdue",
        ] {
            let name = format!("shopping_dollars/reward_email_missing/{branch}");
            assert!(names.contains(&name), "{name} missing from {names:#?}");
        }
    }

    #[test]
    fn paid_call_paths_include_the_after_hours_follow_up() {
        let names: Vec<String> = paths(Workflow::PaidCall).iter().map(Path::name).collect();
        for name in [
            "paid_call/warranty_cancellation/no_amount+follow_up_later",
            "paid_call/warranty_cancellation/no_amount+verify_in_chat+chat_paid_call",
            "paid_call/warranty_cancellation/amount_shown+amount_disputed",
        ] {
            assert!(
                names.contains(&name.to_owned()),
                "{name} missing from {names:#?}"
            );
        }
    }

    #[test]
    fn graph_edges_carry_the_branch_conditions() {
        let graph = graph(Workflow::ShoppingDollars);
        let edge = graph
            .edges
            .iter()
            .find(|e| e.from == "awaiting_facts" && e.to == "within_review")
            .expect("awaiting_facts -> within_review");
        assert_eq!(edge.labels, vec!["warranty_started [d ≤ 29]".to_owned()]);
        assert!(graph.states.contains(&"overdue"));
    }
}
