//! Exploration: what graph tools do to a machine that cannot list itself. Clone a call, try
//! each sample event, watch which state the machine lands in. The states, transitions and paths
//! of every diagram and transcript come from here, never from a hand-kept list.
//!
//! Each procedure gives its alphabet: a set of representative events, each with the
//! condition it stands for (`warranty_started [d ≤ 29]`). Account facts and decision events
//! are tried at most once per path (a fact is logged once), which keeps every path finite;
//! the call is explored at two times of day (inside and outside chat hours) so that
//! time-dependent transitions show. The explorer names no procedure and no state: it asks the
//! engine and the procedures.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::call::Call;
use crate::frame::CallStart;
use crate::registry::Engine;
use crate::vocab::{
    frame_events, EndStatus, Event, EventDef, EventName, ProcedureStep, Reason, ReasonDef, Stamp,
    Step, Value,
};

/// A machine that can be explored and drawn: the call frame, or a registered procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Workflow {
    /// The call frame around the procedures.
    CallFrame,
    /// The procedure at this index of the engine.
    Procedure(usize),
}

impl Workflow {
    /// Every workflow of an engine: the frame, then each procedure.
    pub fn all(engine: &Engine) -> Vec<Workflow> {
        std::iter::once(Workflow::CallFrame)
            .chain((0..engine.procedures().len()).map(Workflow::Procedure))
            .collect()
    }

    /// The name used on the command line and in path names.
    pub fn name(self, engine: &Engine) -> &'static str {
        match self {
            Workflow::CallFrame => "call_frame",
            Workflow::Procedure(index) => engine.procedure(index).map_or("?", |p| p.name()),
        }
    }

    /// The workflow for a name.
    pub fn from_name(engine: &Engine, name: &str) -> Option<Workflow> {
        Workflow::all(engine)
            .into_iter()
            .find(|w| w.name(engine) == name)
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

impl Sample {
    /// A procedure step with a value, labelled with the condition it stands for.
    pub fn step(label: impl Into<String>, def: &'static EventDef, value: Value<'static>) -> Sample {
        Sample {
            label: label.into(),
            event: Event::Step(ProcedureStep {
                name: EventName::of(def),
                value,
            }),
        }
    }

    /// A procedure step with no value, labelled with its name.
    pub fn plain(def: &'static EventDef) -> Sample {
        Sample::step(def.name, def, Value::Empty)
    }

    /// A frame event labelled with its name.
    fn frame(event: Event<'static>) -> Sample {
        Sample {
            label: event.name().as_str().to_owned(),
            event,
        }
    }

    /// The `inquiry` sample of a reason.
    fn inquiry(def: &'static ReasonDef) -> Sample {
        Sample {
            label: format!("inquiry [{}]", def.code),
            event: Event::inquiry_for(def),
        }
    }
}

/// The alphabet of a workflow: the frame's own events (with the first two reasons of the
/// engine, the bounded case of several inquiries), or a procedure's inquiries and sample
/// events.
pub fn alphabet(engine: &Engine, workflow: Workflow, call_date: chrono::NaiveDate) -> Vec<Sample> {
    match workflow {
        Workflow::CallFrame => {
            let mut samples = vec![
                Sample::frame(Event::Greeting),
                Sample::frame(Event::CustomerIdentified { name: "Pat Lee" }),
            ];
            let reasons = engine.procedures().iter().flat_map(|p| p.reasons().iter());
            samples.extend(reasons.take(2).map(|def| Sample::inquiry(def)));
            samples.extend([
                Sample::frame(Event::AnythingElse),
                Sample::frame(Event::Goodbye),
                Sample {
                    label: "call_ended [completed]".to_owned(),
                    event: Event::CallEnded(EndStatus::Completed),
                },
                Sample {
                    label: "call_ended [customer_hung_up]".to_owned(),
                    event: Event::CallEnded(EndStatus::CustomerHungUp),
                },
            ]);
            samples
        }
        Workflow::Procedure(index) => {
            let Some(procedure) = engine.procedure(index) else {
                return Vec::new();
            };
            let mut samples: Vec<Sample> = procedure
                .reasons()
                .iter()
                .map(|def| Sample::inquiry(def))
                .collect();
            let (_, rules) = engine.rules_on(call_date);
            samples.extend(procedure.alphabet(call_date, rules.params(index)));
            samples
        }
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

/// How long a call may run, in minutes, for the hours it is judged under: a call that starts
/// an hour's "within" or "outside" must stay so that long.
pub const CALL_SPAN_MINUTES: i64 = 30;

/// Whether what the procedures do by the time of day (the partner chat) is open at `at`,
/// under the policy version of its date ([`crate::stage::Stage::open_at`]): `None` when no
/// procedure has hours.
pub fn open_at(engine: &Engine, at: DateTime<FixedOffset>) -> Option<bool> {
    let date = at.with_timezone(&engine.config().business_tz).date_naive();
    let (_, rules) = engine.rules_on(date);
    let mut open = None;
    for (i, procedure) in engine.procedures().iter().enumerate() {
        if let Some(now) = procedure
            .stage()
            .open_at(at, rules.config(), rules.params(i))
        {
            open = Some(open.unwrap_or(true) && now);
        }
    }
    open
}

/// Whether the hours stay as they are at `at` for a whole call: `Some(true)` open throughout,
/// `Some(false)` closed throughout, `None` when they change within it or there are none.
pub fn hours_throughout(engine: &Engine, at: DateTime<FixedOffset>) -> Option<bool> {
    let end = at + chrono::Duration::minutes(CALL_SPAN_MINUTES);
    match (open_at(engine, at), open_at(engine, end)) {
        (Some(a), Some(b)) if a == b => Some(a),
        _ => None,
    }
}

/// Whether a call starting at `at` is "within" the procedures' hours for its whole length
/// (`within`), or "outside" them (`!within`); with no procedure keeping hours, any start fits.
pub fn starts_within(engine: &Engine, at: DateTime<FixedOffset>, within: bool) -> bool {
    match hours_throughout(engine, at) {
        Some(open) => open == within,
        None => open_at(engine, at).is_none(),
    }
}

impl Clock {
    /// The instant this clock stands for under `engine`'s policy: its representative start
    /// when the policy's hours make it what the clock says ("within" or "outside" chat
    /// hours for a whole call), else the first quarter hour of the same day that does (chat
    /// hours of 11:00 to 15:00 move the "within" clock from 10:00 to 11:00).
    pub fn at(&self, engine: &Engine) -> DateTime<FixedOffset> {
        let representative = parse_start(*self);
        let within = self.start == CLOCKS[0].start;
        let fits = |at: DateTime<FixedOffset>| starts_within(engine, at, within);
        if fits(representative) {
            return representative;
        }
        let local = representative.with_timezone(&engine.config().business_tz);
        let midnight = local
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .and_then(|t| {
                chrono::TimeZone::from_local_datetime(&engine.config().business_tz, &t).earliest()
            })
            .map(|t| t.fixed_offset());
        let Some(midnight) = midnight else {
            return representative;
        };
        (0..96)
            .map(|q| midnight + chrono::Duration::minutes(15 * q))
            .find(|&at| fits(at))
            .unwrap_or(representative)
    }
}

/// A probe: a call being driven by the explorer.
#[derive(Clone)]
struct Probe {
    call: Call,
    line: u64,
    at: DateTime<FixedOffset>,
}

impl Probe {
    fn new(engine: &Arc<Engine>, workflow: Workflow, clock: Clock) -> Probe {
        let at = clock.at(engine);
        let mut probe = Probe {
            call: Call::start(
                engine,
                CallStart {
                    call_id: "explore",
                    agent_id: "sjones",
                    department: "Home Warranty Rewards",
                    agent_name: Some("Sam"),
                    stamp: Stamp { line: 1, at },
                },
            )
            .unwrap_or_else(|e| unreachable!("a call starts at line 1: {e}")),
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
        let _ = self.call.feed(&Step::new(
            Stamp {
                line: self.line,
                at: self.at,
            },
            *event,
        ));
    }

    /// The observed state of the workflow's machine (`initial` before its first inquiry).
    fn state(&self, workflow: Workflow, initial: &'static str) -> &'static str {
        match workflow {
            Workflow::CallFrame => self.call.state().name(),
            Workflow::Procedure(_) => self
                .call
                .inquiries()
                .last()
                .and_then(|i| i.machine())
                .map_or(initial, |m| m.state()),
        }
    }

    fn facts(&self) -> String {
        format!("{:?}", self.call.frame().facts())
    }

    fn close(&mut self) {
        self.feed(&Event::CallEnded(EndStatus::Completed));
    }
}

/// The first and last states of a workflow's machine: `opening` and `ended` for the frame; a
/// procedure's state before its inquiry opens and once it has closed.
fn ends(engine: &Engine, workflow: Workflow) -> (&'static str, &'static str) {
    match workflow {
        Workflow::CallFrame => ("opening", "ended"),
        Workflow::Procedure(index) => {
            let Some(procedure) = engine.procedure(index) else {
                return ("idle", "closed");
            };
            let mut machine = procedure.start();
            let initial = machine.state();
            let rules = engine.rules();
            let facts = crate::engine::Facts::default();
            let names = crate::frame::Names::new("explore", "sjones", None, "", None);
            let mut ctx = crate::engine::Ctx {
                stamp: Stamp {
                    line: 1,
                    at: CLOCKS[0].at(engine),
                },
                config: rules.config(),
                params: rules.params(index),
                facts: &facts,
                call_date: CLOCKS[0].at(engine).date_naive(),
                names: &names,
            };
            machine.handle(
                &crate::engine::Input::Close {
                    complete: false,
                    call_over: true,
                },
                &mut ctx,
            );
            (initial, machine.state())
        }
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
    /// Its name.
    pub name: &'static str,
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
pub fn graph(engine: &Arc<Engine>, workflow: Workflow) -> Graph {
    let (initial, last) = ends(engine, workflow);
    let mut edges: BTreeMap<(&'static str, &'static str), BTreeMap<String, BTreeSet<usize>>> =
        BTreeMap::new();
    let mut states = BTreeSet::new();
    let mut first = initial;
    for (clock_index, clock) in CLOCKS.into_iter().enumerate() {
        let root = Probe::new(engine, workflow, clock);
        first = root.state(workflow, initial);
        let samples = alphabet(engine, workflow, root.call.frame().call_date());
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([(root, 0u64)]);
        while let Some((probe, used)) = queue.pop_front() {
            let from = probe.state(workflow, initial);
            states.insert(from);
            if !seen.insert((from, probe.facts(), used)) {
                continue;
            }
            let mut tries: Vec<(String, Probe, u64)> = Vec::new();
            for (i, s) in samples.iter().enumerate() {
                if used & (1 << i) != 0 || used_kind(workflow, &samples, used, s.event.name()) {
                    continue;
                }
                let mut next = probe.clone();
                next.feed(&s.event);
                tries.push((s.label.clone(), next, used | (1 << i)));
            }
            if workflow != Workflow::CallFrame && from != initial && from != last {
                let mut next = probe.clone();
                next.close();
                tries.push((CLOSE_LABEL.to_owned(), next, used));
            }
            for (label, next, next_used) in tries {
                let to = next.state(workflow, initial);
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
        name: workflow.name(engine),
        initial: first,
        last,
        states: states.into_iter().collect(),
        edges,
    }
}

/// Whether an event of the same name as `name` (a fact, a reason, a chat) was already used:
/// each name is tried once per path: one inquiry per procedure path. The frame's inquiries are
/// the exception (each inquiry sample once: its alphabet holds two, the bounded case of several
/// inquiries in one call).
fn used_kind(workflow: Workflow, samples: &[Sample], used: u64, name: EventName) -> bool {
    let inquiry = name.is(&frame_events::INQUIRY);
    !(workflow == Workflow::CallFrame && inquiry)
        && samples
            .iter()
            .enumerate()
            .any(|(i, s)| used & (1 << i) != 0 && s.event.name() == name)
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
            self.name, self.initial
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
    /// The machine's name (`paid_call`).
    pub workflow_name: &'static str,
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
        let reasons: Vec<&str> = self
            .reasons
            .iter()
            .map(|r| r.def().map_or("uncovered", |d| d.code))
            .collect();
        let reasons = if reasons.is_empty() {
            "no_inquiry".to_owned()
        } else {
            reasons.join("+")
        };
        format!(
            "{}/{}/{}",
            self.workflow_name,
            reasons,
            self.tokens.join("+")
        )
    }

    /// The procedure of the path's first inquiry, if any.
    pub fn first_procedure(&self) -> Option<usize> {
        self.reasons.first().and_then(|r| r.procedure())
    }
}

/// The token a state contributes to a path's name, if any: the frame names every state but
/// its first two; a procedure is asked, its first and last states aside.
fn token(
    engine: &Engine,
    workflow: Workflow,
    ends: (&'static str, &'static str),
    state: &'static str,
    entered_by: &Sample,
) -> Option<String> {
    match workflow {
        Workflow::CallFrame => match state {
            "opening" | "greeted" => None,
            other => Some(other.to_owned()),
        },
        Workflow::Procedure(_) if state == ends.0 || state == ends.1 => None,
        Workflow::Procedure(index) => engine.procedure(index)?.path_token(state, entered_by),
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
pub fn paths(engine: &Arc<Engine>, workflow: Workflow) -> Vec<Path> {
    const MAX_LEN: usize = 10;
    let ends = ends(engine, workflow);
    let (initial, last) = ends;
    let mut found: BTreeMap<String, (usize, Path)> = BTreeMap::new();
    for clock in CLOCKS {
        let root = Probe::new(engine, workflow, clock);
        let samples = alphabet(engine, workflow, root.call.frame().call_date());
        let start = root.state(workflow, initial);
        let mut queue = VecDeque::from([(root, 0u64, Vec::<usize>::new(), vec![start])]);
        while let Some((probe, used, taken, states)) = queue.pop_front() {
            let from = probe.state(workflow, initial);
            let ended = from == last;
            if ended || (workflow != Workflow::CallFrame && from != initial) {
                let mut closed = probe.clone();
                let mut visited = states.clone();
                if !ended {
                    closed.close();
                    visited.push(closed.state(workflow, initial));
                }
                if ended || closed.state(workflow, initial) == last {
                    record_path(
                        engine, &mut found, workflow, ends, clock, &samples, &taken, &visited,
                        &closed,
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
                if used & (1 << i) != 0 || used_kind(workflow, &samples, used, s.event.name()) {
                    continue;
                }
                let mut next = probe.clone();
                next.feed(&s.event);
                let to = next.state(workflow, initial);
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

/// The agent steps the machines ask for under each inquiry reason: every path of every
/// procedure replayed (one reason each), the steps its next steps name once its inquiry is
/// open and the steps it takes, by reason code. A step asked for under one reason only tells
/// which reason an agent understood the call to be about (the tagger reads a reason the
/// customer's words did not give from it: `Recognizer::recognize_call`).
///
/// ```
/// use std::sync::Arc;
/// use callflow_workflows::explore::steps_by_reason;
/// use callflow_workflows::Engine;
/// let by_reason = steps_by_reason(&Arc::new(Engine::builtin()));
/// assert!(by_reason["reward_email_missing"].contains("explain_review_period"));
/// assert!(!by_reason["reward_site_issue"].contains("explain_review_period"));
/// ```
pub fn steps_by_reason(engine: &Arc<Engine>) -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut out: BTreeMap<&'static str, BTreeSet<&'static str>> = BTreeMap::new();
    for workflow in Workflow::all(engine) {
        if workflow == Workflow::CallFrame {
            continue;
        }
        for path in paths(engine, workflow) {
            let [reason] = path.reasons.as_slice() else {
                continue;
            };
            let Some(code) = reason.def().map(|d| d.code) else {
                continue;
            };
            let steps = out.entry(code).or_default();
            let mut probe = Probe::new(engine, workflow, path.clock);
            for sample in &path.samples {
                probe.feed(&sample.event);
                if probe.call.inquiries().is_empty() {
                    continue;
                }
                if let Event::Step(step) = &sample.event {
                    steps.insert(step.name.as_str());
                }
                for next in probe.call.next_steps() {
                    steps.insert(next.requirement.step.as_str());
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn record_path(
    engine: &Arc<Engine>,
    found: &mut BTreeMap<String, (usize, Path)>,
    workflow: Workflow,
    ends: (&'static str, &'static str),
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
    let mut replay = Probe::new(engine, workflow, clock);
    for s in &chosen {
        let before = replay.state(workflow, ends.0);
        replay.feed(&s.event);
        let after = replay.state(workflow, ends.0);
        if after != before {
            if let Some(t) = token(engine, workflow, ends, after, s) {
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
            .find(|s| **s != ends.0 && **s != ends.1)
            .copied()
            .unwrap_or(ends.0);
        tokens.push(stopped.to_owned());
    }
    let reasons = probe.call.inquiries().iter().map(|i| i.reason()).collect();
    let path = Path {
        workflow,
        workflow_name: workflow.name(engine),
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
    let reason_codes: Vec<&str> = path
        .reasons
        .iter()
        .map(|r| r.def().map_or("uncovered", |d| d.code))
        .collect();
    let key = format!("{reason_codes:?} {key_tokens:?}");
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
