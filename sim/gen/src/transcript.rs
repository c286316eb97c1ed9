//! Generated calls: one per path of a machine, played out by an agent who does what the
//! machine says is next, with every scripted line word for word, the rest in seeded phrasings
//! and every value from a seeded persona. Optionally with injected faults and their answer
//! key: for each fault the lines at fault, the rule it breaks and what the agent should have
//! said or done.
//!
//! A generated call is driven through a real [`Call`] as it is written, so its dates make its
//! branch true by construction, and the same call can be written as a v1 log (the simulator)
//! or as a transcript (for trainers). Everything a procedure knows (its words, its values,
//! its faults, its rules) comes from its stage: this module names no procedure.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use fastrand::Rng;

use callflow_workflows::explore::{Path, Sample};
use callflow_workflows::script::frame as frame_scripts;
use callflow_workflows::stage::{
    Beat, FaultDef, Fix, Injection, Narration, OwnedStep, Props, Rule, Scene as StageScene,
    Scripted, Stage,
};
use callflow_workflows::vocab::{frame_events, ProcedureStep};
use callflow_workflows::{
    score, Call, CallStart, Code, EndStatus, Engine, Event, EventName, Placeholders, Procedure,
    Requirement, ScriptLine, Severity, Speaker, Stamp, Step, Verdict,
};

use crate::persona::Persona;
use crate::speech;

/// A deviation a generated call can carry, and the finding codes it must raise.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Leave out every step whose absence raises this code (an omission).
    Omit(Code),
    /// Read the greeting off-script (CF02).
    OffScriptGreeting,
    /// Take a procedure step before any inquiry is open (CF06).
    StepBeforeInquiry,
    /// Start with an inquiry no procedure covers (CF07).
    UncoveredInquiry,
    /// The customer hangs up before the goodbye (CF05; the call is incomplete).
    HangUp,
    /// A fault a procedure declares.
    Procedure(&'static FaultDef),
}

impl PartialEq for Fault {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Fault::Omit(a), Fault::Omit(b)) => a == b,
            (Fault::Procedure(a), Fault::Procedure(b)) => std::ptr::eq(*a, *b),
            (Fault::OffScriptGreeting, Fault::OffScriptGreeting)
            | (Fault::StepBeforeInquiry, Fault::StepBeforeInquiry)
            | (Fault::UncoveredInquiry, Fault::UncoveredInquiry)
            | (Fault::HangUp, Fault::HangUp) => true,
            _ => false,
        }
    }
}

impl Eq for Fault {}

impl Fault {
    /// Every fault the generator knows for an engine: the call frame's, each procedure's in
    /// registration order, then an omission for every omission code, and the missing greeting.
    pub fn all(engine: &Engine) -> Vec<Fault> {
        let mut all = vec![
            Fault::OffScriptGreeting,
            Fault::StepBeforeInquiry,
            Fault::UncoveredInquiry,
            Fault::HangUp,
        ];
        for procedure in engine.procedures() {
            all.extend(procedure.stage().faults().iter().map(Fault::Procedure));
        }
        for code in engine.codes() {
            if code.is_omission() {
                all.push(Fault::Omit(*code));
            }
        }
        all.push(Fault::Omit(Code::CF01));
        all
    }

    /// What the fault does, in words (for answer keys).
    pub fn describe(&self) -> String {
        match self {
            Fault::Omit(code) => format!("left out a step ({code}: {})", code.description()),
            Fault::OffScriptGreeting => "greeting read off-script".to_owned(),
            Fault::StepBeforeInquiry => {
                "took a procedure step before the customer said why they called".to_owned()
            }
            Fault::UncoveredInquiry => "an inquiry no procedure covers".to_owned(),
            Fault::HangUp => "the customer hung up before the goodbye".to_owned(),
            Fault::Procedure(def) => def.describe.to_owned(),
        }
    }

    /// A short name: the procedure fault's id, `omit_SD05` for an omission.
    pub fn id(&self) -> String {
        match self {
            Fault::Omit(code) => format!("omit_{code}"),
            Fault::OffScriptGreeting => "off_script_greeting".to_owned(),
            Fault::StepBeforeInquiry => "step_before_inquiry".to_owned(),
            Fault::UncoveredInquiry => "uncovered_inquiry".to_owned(),
            Fault::HangUp => "hang_up".to_owned(),
            Fault::Procedure(def) => def.id.to_owned(),
        }
    }

    /// The label of the explored clock the call must start at to carry the fault, if the
    /// fault is about the time of day.
    pub fn clock(&self) -> Option<&'static str> {
        match self {
            Fault::Procedure(FaultDef {
                injection: Injection::Clock { label },
                ..
            }) => Some(label),
            _ => None,
        }
    }

    /// Whether the fault is the agent's own deviation from a procedure, one an exercise can
    /// teach: not a customer who hangs up, not a request no procedure covers (both raise
    /// information only).
    pub fn is_deviation(&self) -> bool {
        !matches!(self, Fault::UncoveredInquiry | Fault::HangUp)
    }

    /// Whether the fault makes sense on a path (by its tokens).
    pub fn fits(&self, tokens: &[String]) -> bool {
        match self {
            Fault::Procedure(def) => (def.fits)(tokens),
            _ => true,
        }
    }

    /// Whether two faults are declared to interact (either names the other).
    pub fn pairs_with(&self, other: &Fault) -> bool {
        match (self, other) {
            (Fault::Procedure(a), Fault::Procedure(b)) => {
                a.pairs.contains(&b.id) || b.pairs.contains(&a.id)
            }
            _ => false,
        }
    }

    /// Whether a procedure declares the fault (against the generic omissions and the frame's).
    pub fn is_declared(&self) -> bool {
        matches!(self, Fault::Procedure(_))
    }
}

/// One line of a generated call: an event of its log, or dialogue around the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who speaks or acts.
    pub speaker: Speaker,
    /// The log event, when the line is one (a customer's "No." is only dialogue).
    pub event: Option<EventName>,
    /// The event's `value` column.
    pub value: String,
    /// What was said (quoted speech) or done (narration).
    pub text: String,
    /// Whether `text` is speech (goes in the log's `text` column for agent lines).
    pub spoken: bool,
    /// The 1-based line of this event in the call's own log (2 for the first event).
    pub log_line: Option<u64>,
}

/// One fault of a call's answer key, as an answer sheet tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The fault.
    pub fault: Fault,
    /// The codes it must raise.
    pub codes: Vec<Code>,
    /// What the agent did (or left out), in words.
    pub what: String,
    /// The rule it breaks, in plain words.
    pub rule: String,
    /// What the agent should have said (a script line, quoted) or done.
    pub fix: String,
    /// The lines at fault (indices into [`Generated::lines`]), in order.
    pub lines: Vec<usize>,
    /// For a step left out: the index of the line after which it was due.
    pub missing_after: Option<usize>,
    /// The inquiry it concerns (its index in the call), if any.
    pub inquiry: Option<usize>,
}

/// The answer key of a generated call: what an audit must find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerKey {
    /// The faults injected.
    pub faults: Vec<Fault>,
    /// Each fault with its lines, rule and fix, in the order they were injected.
    pub notes: Vec<Note>,
    /// The expected verdict.
    pub verdict: Verdict,
    /// The expected score.
    pub score: u32,
    /// The expected finding codes, sorted.
    pub codes: Vec<Code>,
}

/// A generated call.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The path's name (`shopping_dollars/reward_email_missing/overdue`).
    pub path: String,
    /// The path's tokens (the states it names).
    pub tokens: Vec<String>,
    /// The call id.
    pub call_id: String,
    /// The people and values.
    pub persona: Persona,
    /// The department.
    pub department: &'static str,
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// What an audit must find (for a clean call: no faults, and only the path's own info
    /// findings such as SD12).
    pub answer_key: AnswerKey,
    /// The call as the machines saw it.
    pub call: Call,
}

/// Everything a generation needs besides the path.
pub struct Setup<'a> {
    /// The engine the machines run under.
    pub engine: &'a Arc<Engine>,
    /// The call id.
    pub call_id: String,
    /// The persona.
    pub persona: Persona,
    /// The call's start.
    pub start: DateTime<FixedOffset>,
    /// Faults to inject (each applied where the path allows).
    pub faults: &'a [Fault],
}

/// A step the agent leaves out from some point on (a fault of [`Injection::Steps`]).
struct Skipped {
    event: EventName,
    value: Option<&'static str>,
    /// The inquiry it was left out of (the rest only while it is open).
    inquiry: usize,
}

struct Scene<'a> {
    engine: &'a Arc<Engine>,
    call: Call,
    persona: &'a Persona,
    department: &'static str,
    lines: Vec<Line>,
    at: DateTime<FixedOffset>,
    line: u64,
    rng: Rng,
    faults: &'a [Fault],
    /// The ids of the procedure faults the call carries (what the stages see).
    fault_ids: Vec<&'static str>,
    applied: Vec<Note>,
    /// The note of the fault being injected: the lines written meanwhile are its lines.
    injecting: Option<usize>,
    skipped: Vec<Skipped>,
    /// Whether the agent gave their name in a greeting.
    greeted: bool,
    /// The variant the stages are asked with while set (the same words for a step said
    /// right and as a fault changed it); drawn afresh for each question otherwise.
    variant: Option<u64>,
    exploration_date: NaiveDate,
    /// What the stages keep between their answers for this call.
    memo: Props,
    /// The path's states (what some faults read).
    tokens: &'a [String],
    /// The path's decision events, all of them.
    samples: &'a [Sample],
    /// The path's decision events still to play.
    rest: VecDeque<Sample>,
}

/// What is known where a fault shows, for its note.
#[derive(Default)]
struct Context<'r> {
    /// The requirement left out (an omission).
    requirement: Option<&'r Requirement>,
    /// The step as it should have been (a changed value).
    unaltered: Option<String>,
}

impl<'a> Scene<'a> {
    fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }

    fn marked(&self, fault: Fault) -> bool {
        self.applied.iter().any(|note| note.fault == fault)
    }

    fn note_index(&self, fault: Fault) -> Option<usize> {
        self.applied.iter().position(|note| note.fault == fault)
    }

    /// The index of the open inquiry, if one is open.
    fn open_inquiry(&self) -> Option<usize> {
        let inquiries = self.call.inquiries();
        inquiries
            .last()
            .filter(|i| i.closed().is_none())
            .map(|_| inquiries.len() - 1)
    }

    /// Records a fault as applied, with the codes it must raise where the call stands and
    /// what its note says; returns the note's index.
    fn mark(&mut self, fault: Fault, context: Context<'_>) -> usize {
        if let Some(index) = self.note_index(fault) {
            return index;
        }
        let codes = match fault {
            Fault::Omit(code) => vec![code],
            Fault::OffScriptGreeting => vec![Code::CF02],
            Fault::StepBeforeInquiry => vec![Code::CF06],
            Fault::UncoveredInquiry => vec![Code::CF07],
            Fault::HangUp => vec![Code::CF05],
            Fault::Procedure(def) => (def.codes)(self.call.frame().facts()),
        };
        let (what, rule, fix) = self.explain(fault, &codes, &context);
        let missing_after = match fault {
            Fault::Omit(_) => self.lines.len().checked_sub(1),
            Fault::Procedure(FaultDef {
                injection: Injection::Skip { .. } | Injection::Steps { .. },
                ..
            }) if codes.iter().any(|c| c.is_omission()) => self.lines.len().checked_sub(1),
            _ => None,
        };
        self.applied.push(Note {
            fault,
            codes,
            what,
            rule,
            fix,
            lines: Vec::new(),
            missing_after,
            inquiry: self.open_inquiry(),
        });
        self.applied.len() - 1
    }

    /// What a fault's note says: what the agent did, the rule, the fix.
    fn explain(
        &self,
        fault: Fault,
        codes: &[Code],
        context: &Context<'_>,
    ) -> (String, String, String) {
        let state = self.inquiry_state();
        let card = self.rule_card(state);
        let said = |scene: &Self, requirement: &Requirement| match requirement.script {
            Some(line) => format!("\u{201c}{}\u{201d}", scene.scripted(line)),
            None => capitalized(&requirement.what) + ".",
        };
        match fault {
            Fault::Omit(code) => {
                let what = context
                    .requirement
                    .map_or_else(|| code.description().to_owned(), |r| r.what.to_string());
                let rule = speech::frame_rule(code)
                    .map(str::to_owned)
                    .or(card)
                    .unwrap_or_else(|| capitalized(code.description()) + ".");
                let fix = context
                    .requirement
                    .map_or_else(|| capitalized(code.description()), |r| said(self, r));
                (format!("left out: {what}"), rule, fix)
            }
            Fault::OffScriptGreeting | Fault::StepBeforeInquiry => {
                let code = codes.first().copied().unwrap_or(Code::CF02);
                let rule = speech::frame_rule(code).unwrap_or_default().to_owned();
                let fix = match fault {
                    Fault::OffScriptGreeting => {
                        format!("\u{201c}{}\u{201d}", self.scripted(frame_scripts::GREETING))
                    }
                    _ => "Let the customer say why they are calling before taking any step of a procedure.".to_owned(),
                };
                (fault.describe(), rule, fix)
            }
            Fault::UncoveredInquiry | Fault::HangUp => {
                (fault.describe(), String::new(), String::new())
            }
            Fault::Procedure(def) => {
                let rule = match def.rule {
                    Rule::Words(words) => words.to_owned(),
                    Rule::Card => card.unwrap_or_else(|| def.describe.to_owned()),
                };
                let fix = match def.fix {
                    Fix::Words(words) => words.to_owned(),
                    Fix::Unaltered => context.unaltered.clone().unwrap_or_default(),
                    Fix::Next => {
                        let next: Vec<String> = self
                            .next_for_inquiry()
                            .iter()
                            .map(|r| said(self, r))
                            .collect();
                        if next.is_empty() {
                            def.describe.to_owned()
                        } else {
                            next.join(" Then: ")
                        }
                    }
                };
                (def.describe.to_owned(), rule, fix)
            }
        }
    }

    /// What the open inquiry's machine lists as next for the agent (after-call work
    /// included: the agent's to do), or the call's next steps when no inquiry is open.
    fn next_for_inquiry(&self) -> Vec<Requirement> {
        let frame_steps = [
            &frame_events::GREETING,
            &frame_events::ANYTHING_ELSE,
            &frame_events::GOODBYE,
        ];
        let mut next: Vec<Requirement> = self
            .call
            .next_steps()
            .into_iter()
            .map(|n| n.requirement)
            .filter(|r| !frame_steps.iter().any(|def| r.step.is(def)))
            .collect();
        // After-call work the machine lists only after the goodbye: named for completeness.
        next.dedup_by(|a, b| a.step == b.step && a.script == b.script && a.script.is_some());
        next
    }

    /// The rule card of a state, from the procedures of the call.
    fn rule_card(&self, state: &str) -> Option<String> {
        let rules = self.call.rules();
        self.engine
            .procedures()
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.stage().rule(state, rules.params(i)))
    }

    /// The procedure faults this call carries, in the order the procedures declare them.
    fn procedure_faults(&self) -> Vec<&'static FaultDef> {
        self.engine
            .procedures()
            .iter()
            .flat_map(|p| p.stage().faults())
            .filter(|def| self.has(Fault::Procedure(def)))
            .collect()
    }

    /// The names agent lines fill placeholders with (the customer by first name).
    fn names(&self) -> Placeholders<'_> {
        Placeholders {
            department: Some(self.department),
            agent_name: Some(self.persona.agent_first()),
            customer_name: Some(self.persona.customer_first()),
            ticket: self.persona.ticket(),
        }
    }

    fn script(&self, line: ScriptLine) -> String {
        line.fill(&self.names())
    }

    fn inquiry_state(&self) -> &'static str {
        self.call
            .inquiries()
            .last()
            .filter(|i| i.closed().is_none())
            .map_or("none", |i| i.state_name())
    }

    /// The procedure whose stage speaks for a step: the open inquiry's, when it owns the
    /// step, else the first that does.
    fn procedure_for(&self, name: EventName) -> Option<(usize, &'a dyn Procedure)> {
        let engine: &'a Engine = self.engine;
        let owners = engine.owners(name);
        let open = self
            .call
            .inquiries()
            .last()
            .filter(|i| i.closed().is_none())
            .and_then(|i| i.procedure())
            .filter(|p| owners & (1 << p) != 0);
        let index =
            open.or_else(|| (0..engine.procedures().len()).find(|p| owners & (1 << p) != 0))?;
        Some((index, engine.procedure(index)?))
    }

    /// Asks a procedure's stage something, with the scene as it stands (the machine's next
    /// steps worked out only when `with_next`).
    fn ask<R>(
        &mut self,
        procedure: usize,
        with_next: bool,
        f: impl FnOnce(&dyn Stage, &mut StageScene<'_>) -> R,
    ) -> Option<R> {
        let engine = Arc::clone(self.engine);
        let stage = engine.procedure(procedure)?.stage();
        let next: Vec<_> = if with_next {
            self.call
                .next_steps()
                .into_iter()
                .map(|n| n.requirement)
                .collect()
        } else {
            Vec::new()
        };
        let state = self.inquiry_state();
        let rules = Arc::clone(self.call.rules());
        let variant = self.variant.unwrap_or_else(|| self.rng.u64(..));
        let upcoming = self.rest.front().map(|s| s.event.name());
        let mut view = StageScene {
            cast: self.persona.cast(self.department),
            call_date: self.call.frame().call_date(),
            exploration_date: self.exploration_date,
            facts: self.call.frame().facts(),
            state,
            next: &next,
            tokens: self.tokens,
            params: rules.params(procedure),
            rng: &mut self.rng,
            memo: &mut self.memo,
            variant,
            samples: self.samples,
            upcoming,
            faults: &self.fault_ids,
        };
        Some(f(stage, &mut view))
    }

    /// Moves the clock on to the next line: the time the previous line took to say, and a
    /// pause that suits the new one (a system's answer comes at once, typing takes a while),
    /// plus `extra` seconds.
    fn tick(&mut self, speaker: Speaker, spoken: bool, extra: i64) {
        let said = self
            .lines
            .last()
            .filter(|l| l.spoken)
            .map_or(0, |l| speaking_seconds(&l.text));
        let pause = match (speaker, spoken) {
            (Speaker::System, _) => self.rng.i64(1..=3),
            (Speaker::Partner, _) => self.rng.i64(15..=40),
            (_, true) => self.rng.i64(1..=3),
            (_, false) => self.rng.i64(4..=14),
        };
        self.at += Duration::seconds(said + pause + extra);
    }

    /// Adds a line, to the fault being injected if any (the agent's lines: what the customer
    /// says back is not at fault).
    fn push(&mut self, line: Line) {
        let note = self.injecting.and_then(|i| self.applied.get_mut(i));
        if let (Some(note), Speaker::Agent) = (note, line.speaker) {
            note.lines.push(self.lines.len());
        }
        self.lines.push(line);
    }

    /// Feeds an event to the call and records its line.
    fn event(&mut self, event: &Event<'_>, text: String, spoken: bool) {
        let name = event.name();
        let extra = match event.step() {
            Some(step) => {
                let owned = OwnedStep::of(step);
                match self.procedure_for(name) {
                    Some((p, _)) => {
                        let _ = self.ask(p, false, |stage, scene| stage.played(&owned, scene));
                        self.ask(p, false, |stage, scene| stage.delay(&owned, scene))
                            .unwrap_or(0)
                    }
                    None => 0,
                }
            }
            None => 0,
        };
        self.tick(name.speaker(), spoken, extra);
        self.line += 1;
        let step = Step {
            stamp: Stamp {
                line: self.line,
                at: self.at,
            },
            event: *event,
            text: (spoken && name.speaker() == Speaker::Agent).then_some(text.as_str()),
            agent_id: None,
        };
        // A generated call never goes back in time or past its end.
        let _ = self.call.feed(&step);
        self.push(Line {
            at: self.at,
            speaker: name.speaker(),
            event: Some(name),
            value: event.value(),
            text,
            spoken,
            log_line: Some(self.line),
        });
    }

    /// Feeds a procedure step.
    fn step(&mut self, step: &OwnedStep, text: String, spoken: bool) {
        let event = Event::Step(ProcedureStep {
            name: step.name,
            value: step.value.as_value(),
        });
        self.event(&event, text, spoken);
    }

    /// A line of dialogue that is no event of the log.
    fn say(&mut self, speaker: Speaker, text: String) {
        self.tick(speaker, true, 0);
        self.push(Line {
            at: self.at,
            speaker,
            event: None,
            value: String::new(),
            text,
            spoken: true,
            log_line: None,
        });
    }

    /// Plays a stage's beats.
    fn beats(&mut self, beats: Vec<Beat>) {
        for beat in beats {
            match beat {
                Beat::Say { speaker, text } => self.say(speaker, text),
                Beat::Event { step, text, spoken } => self.step(&step, text, spoken),
            }
        }
    }

    /// How a stage narrates a step.
    fn narrate(&mut self, step: &OwnedStep) -> Narration {
        let fallback = || Narration::done(format!("({})", step.name.as_str().replace('_', " ")));
        match self.procedure_for(step.name) {
            Some((p, _)) => self
                .ask(p, false, |stage, scene| stage.narrate(step, scene))
                .unwrap_or_else(fallback),
            None => fallback(),
        }
    }

    /// The words or the action of a step: its script line for an agent step that has one,
    /// else its narration.
    fn words(&mut self, step: &OwnedStep, script: Option<ScriptLine>) -> (String, bool) {
        let procedure = self.procedure_for(step.name).map(|(p, _)| p);
        let script = match (procedure, step.name.speaker()) {
            (Some(p), Speaker::Agent) => self
                .ask(p, false, |stage, scene| stage.says(step, script, scene))
                .flatten(),
            (None, Speaker::Agent) => script,
            _ => None,
        };
        match script {
            Some(line) => (self.scripted(line), true),
            None => {
                let narration = self.narrate(step);
                (narration.text, narration.spoken)
            }
        }
    }

    /// A step of any speaker, with what leads up to it, its words, and what follows.
    fn perform(&mut self, step: &OwnedStep, script: Option<ScriptLine>, follow: bool) {
        if let Some((p, _)) = self.procedure_for(step.name) {
            let lead = self
                .ask(p, true, |stage, scene| stage.before(step, scene))
                .unwrap_or_default();
            self.beats(lead);
        }
        let (text, spoken) = self.words(step, script);
        self.step(step, text, spoken);
        if follow {
            self.respond(step);
        }
    }

    /// A script line with its lead-in, filled.
    fn scripted(&self, line: ScriptLine) -> String {
        let mut text = String::new();
        if let Some(lead) = line.lead_in() {
            text.push_str(&self.names().fill(lead));
            text.push(' ');
        }
        text.push_str(&self.script(line));
        text
    }

    /// A frame event said by the agent with its script line.
    fn frame_agent(&mut self, event: Event<'static>, line: ScriptLine) {
        let text = self.scripted(line);
        self.event(&event, text, true);
    }

    /// What follows a step, as its procedure's stage tells.
    fn respond(&mut self, step: &OwnedStep) {
        if let Some((p, _)) = self.procedure_for(step.name) {
            let beats = self
                .ask(p, true, |stage, scene| stage.respond(step, scene))
                .unwrap_or_default();
            self.beats(beats);
        }
    }

    /// Applies the value changes of the faults the call carries to a step the agent writes;
    /// returns the note of the change, if one applied.
    fn alter(&mut self, step: &mut OwnedStep) -> Option<usize> {
        let mut note = None;
        for def in self.procedure_faults() {
            if let Injection::Alter { event, alter } = def.injection {
                if step.is(event) {
                    let cast = self.persona.cast(self.department);
                    let altered = alter(&step.value, &cast);
                    if altered == step.value {
                        continue;
                    }
                    let (text, spoken) = self.words(step, step.name.def().script);
                    let unaltered = if spoken {
                        format!("\u{201c}{text}\u{201d}")
                    } else {
                        text
                    };
                    step.value = altered;
                    note = Some(self.mark(
                        Fault::Procedure(def),
                        Context {
                            unaltered: Some(unaltered),
                            ..Context::default()
                        },
                    ));
                }
            }
        }
        note
    }

    /// An agent step the machine or the path asks for, with the faults that change its value.
    fn agent(&mut self, mut step: OwnedStep, script: Option<ScriptLine>) {
        // The step's words are chosen once: the fix of a changed value reads as the line did.
        let variant = self.rng.u64(..);
        self.variant = Some(variant);
        let note = self.alter(&mut step);
        self.variant = None;
        self.injecting = note;
        // Only the changed step is at fault, not what leads up to it or follows.
        if let Some((p, _)) = self.procedure_for(step.name) {
            self.injecting = None;
            let lead = self
                .ask(p, true, |stage, scene| stage.before(&step, scene))
                .unwrap_or_default();
            self.beats(lead);
        }
        self.injecting = note;
        self.variant = Some(variant);
        let (text, spoken) = self.words(&step, script);
        self.variant = None;
        self.step(&step, text, spoken);
        self.injecting = None;
        self.respond(&step);
    }

    /// Whether a requirement is one a fault of the call has the agent leave out.
    fn left_out(&self, requirement: &Requirement) -> bool {
        let open = self.open_inquiry();
        self.skipped.iter().any(|s| {
            s.event == requirement.step
                && if requirement.after_call {
                    s.value
                        .is_none_or(|v| requirement.value.as_deref() == Some(v))
                } else {
                    open == Some(s.inquiry)
                }
        })
    }

    /// Does what the machine says is next, as long as it keeps the machine where it is (the
    /// path's own events move it), skipping what the faults leave out.
    fn fulfil(&mut self, after_goodbye: bool) {
        for _ in 0..24 {
            let steps = self.call.next_steps();
            let mut done = false;
            for next in steps {
                let requirement = &next.requirement;
                let name = requirement.step;
                let frame_step = [
                    &frame_events::GREETING,
                    &frame_events::ANYTHING_ELSE,
                    &frame_events::GOODBYE,
                ]
                .iter()
                .any(|def| name.is(def));
                if frame_step
                    || name.speaker() != Speaker::Agent
                    || (requirement.after_call && !after_goodbye)
                    || self.left_out(requirement)
                {
                    continue;
                }
                if let Some(code) = requirement.code {
                    if self.has(Fault::Omit(code)) {
                        self.mark(
                            Fault::Omit(code),
                            Context {
                                requirement: Some(requirement),
                                ..Context::default()
                            },
                        );
                        continue;
                    }
                }
                let Some((procedure, _)) = self.procedure_for(name) else {
                    continue;
                };
                let made = self
                    .ask(procedure, false, |stage, scene| {
                        stage.fulfil(requirement, scene)
                    })
                    .flatten();
                let Some(step) = made else {
                    continue;
                };
                let before = self.inquiry_state();
                let mut probe = self.call.clone();
                let stamp = Stamp {
                    line: self.line + 1,
                    at: self.at,
                };
                let event = Event::Step(ProcedureStep {
                    name: step.name,
                    value: step.value.as_value(),
                });
                let _ = probe.feed(&Step::new(stamp, event));
                let moved = probe
                    .inquiries()
                    .last()
                    .is_some_and(|i| i.state_name() != before);
                if moved {
                    continue;
                }
                self.agent(step.clone(), requirement.script);
                // The customer answers a question the path has them answer.
                let answer = self
                    .engine
                    .procedure(procedure)
                    .and_then(|p| p.stage().answered_by(&step));
                if let Some(answer) = answer {
                    let next_is_answer =
                        self.rest.front().is_some_and(|s| s.event.name().is(answer));
                    if next_is_answer {
                        if let Some(sample) = self.rest.pop_front() {
                            self.play(&sample);
                        }
                    }
                }
                done = true;
                break;
            }
            if !done {
                break;
            }
            self.faults_in_state();
        }
    }

    /// Whether the open inquiry already holds this step (a fault that would repeat it is
    /// applied without repeating it).
    fn already_taken(&self, step: &OwnedStep) -> bool {
        let Some(opened) = self.call.inquiries().last().map(|i| i.opened().line) else {
            return false;
        };
        let value = step.name.def().syntax.write(&step.value.as_value());
        self.lines.iter().any(|l| {
            l.event == Some(step.name) && l.value == value && l.log_line.is_some_and(|n| n > opened)
        })
    }

    /// Faults that add steps where the machine now stands.
    fn faults_in_state(&mut self) {
        let state = self.inquiry_state();
        for def in self.procedure_faults() {
            let fault = Fault::Procedure(def);
            if self.marked(fault) || !fault.fits(self.tokens) {
                continue;
            }
            let (steps, skip): (Vec<Scripted>, &[_]) = match def.injection {
                Injection::Add { states, step } if states.contains(&state) => {
                    (vec![step(state)], &[])
                }
                Injection::Steps {
                    states,
                    steps,
                    skip,
                } if states.contains(&state) => {
                    let cast = self.persona.cast(self.department);
                    (steps(state, &cast), skip)
                }
                _ => continue,
            };
            let note = self.mark(fault, Context::default());
            if let Some(inquiry) = self.open_inquiry() {
                for &(event, value) in skip {
                    self.skipped.push(Skipped {
                        event: EventName::of(event),
                        value,
                        inquiry,
                    });
                }
            }
            for (step, script) in steps {
                if self.already_taken(&step) {
                    continue;
                }
                self.injecting = Some(note);
                self.perform(&step, script, true);
                self.injecting = None;
            }
        }
    }

    /// Plays one decision event of the path, with what leads up to it and what follows.
    fn play(&mut self, sample: &Sample) {
        match sample.event {
            Event::Inquiry { code } => self.inquiry(code),
            Event::Step(step) => {
                if !self.play_step(&step) {
                    return;
                }
            }
            ref other => {
                let text = format!("({})", other.name().as_str().replace('_', " "));
                self.event(other, text, false);
            }
        }
        self.faults_in_state();
        self.fulfil(false);
    }

    /// A procedure step of the path, drawn with this call's values; `false` when a fault
    /// left it out.
    fn play_step(&mut self, sample: &ProcedureStep<'static>) -> bool {
        let Some((procedure, _)) = self.procedure_for(sample.name) else {
            return true;
        };
        let step = self
            .ask(procedure, false, |stage, scene| stage.draw(sample, scene))
            .unwrap_or_else(|| OwnedStep::of(sample));
        for def in self.procedure_faults() {
            if let Injection::Skip { event } = def.injection {
                let fault = Fault::Procedure(def);
                if step.is(event) && fault.fits(self.tokens) {
                    self.mark(fault, Context::default());
                    return false;
                }
            }
        }
        if step.name.def().fact {
            self.answer_before_facts();
        }
        if step.name.speaker() == Speaker::Agent {
            let script = step.name.def().script;
            self.agent(step, script);
        } else {
            self.perform(&step, None, true);
        }
        true
    }

    /// The answer-before-facts faults, where the machine waits for the facts.
    fn answer_before_facts(&mut self) {
        let state = self.inquiry_state();
        for def in self.procedure_faults() {
            if let Injection::BeforeFacts {
                state: waiting,
                step,
            } = def.injection
            {
                let fault = Fault::Procedure(def);
                if waiting == state && !self.marked(fault) {
                    if let Some((step, script)) = step(self.tokens, &self.fault_ids) {
                        let note = self.mark(fault, Context::default());
                        self.injecting = Some(note);
                        self.perform(&step, script, true);
                        self.injecting = None;
                    }
                }
            }
        }
    }

    /// The customer introduces themselves (by the agent's name, when the agent gave it).
    fn introduce(&mut self) {
        let options = if self.greeted {
            speech::INTRO_NAMED
        } else {
            speech::INTRO_UNNAMED
        };
        let intro = options[self.rng.usize(..options.len())]
            .replace("{agent}", self.persona.agent_first())
            .replace("{customer}", &self.persona.customer);
        let name = self.persona.customer.clone();
        self.event(&Event::CustomerIdentified { name: &name }, intro, true);
    }

    /// An inquiry of the path: the customer's request (after their introduction) for the
    /// first; for a later one, "anything else" and the request.
    fn inquiry(&mut self, code: &'static str) {
        let handle = self.engine.reason(code);
        let reason = handle.def();
        let first = self.call.inquiries().is_empty();
        if !first {
            // A further inquiry answers "anything else".
            self.frame_agent(Event::AnythingElse, frame_scripts::ANYTHING_ELSE);
        }
        let asked = match (reason, handle.procedure()) {
            (Some(reason), Some(p)) => self
                .ask(p, false, |stage, scene| stage.request(reason, scene))
                .flatten(),
            _ => None,
        };
        let request = asked.unwrap_or_else(|| {
            // The reason's own line, without its introduction.
            let template = reason
                .and_then(|r| r.customer_line)
                .map_or("", |l| l.template());
            let rest = template
                .split_once("<Customer Name>")
                .map_or(template, |(_, rest)| rest)
                .trim_start_matches([',', '.', ' ']);
            self.names().fill(rest)
        });
        let text = if first {
            request
        } else {
            let further = speech::FURTHER[self.rng.usize(..speech::FURTHER.len())];
            format!("{further} {request}")
        };
        self.event(&Event::inquiry(code), text, true);
    }
}

/// Seconds a line takes to say: about three words a second.
fn speaking_seconds(text: &str) -> i64 {
    let words = i64::try_from(text.split_whitespace().count()).unwrap_or(i64::MAX / 4);
    (words + 2) / 3
}

/// The text with its first letter upper-case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The department of a path's calls: its first procedure's, else the first registered one's.
fn department(engine: &Engine, path: &Path) -> &'static str {
    path.first_procedure()
        .and_then(|p| engine.procedure(p))
        .or_else(|| engine.procedure(0))
        .map_or("Customer Service", |p| p.department())
}

/// Plays a path out as a call. Faults that the path gives no occasion for are not applied;
/// the answer key lists the ones that were, and the codes they must raise on top of the
/// path's own (info) findings.
pub fn generate(path: &Path, setup: Setup<'_>) -> Generated {
    let engine = setup.engine;
    let department = department(engine, path);
    let persona = setup.persona;
    let start = setup.start;
    let call = Call::start(
        engine,
        CallStart {
            call_id: &setup.call_id,
            agent_id: persona.agent.id,
            department,
            agent_name: Some(persona.agent.name),
            stamp: Stamp { line: 2, at: start },
        },
    )
    .unwrap_or_else(|e| unreachable!("a call starts at line 2: {e}"));
    let exploration_date = path_call_date(path);
    let seed = start.timestamp().unsigned_abs() ^ u64::from(persona.phone.len() as u32);
    let fault_ids = setup
        .faults
        .iter()
        .filter_map(|f| match f {
            Fault::Procedure(def) => Some(def.id),
            _ => None,
        })
        .collect();
    let mut scene = Scene {
        engine,
        call,
        persona: &persona,
        department,
        lines: vec![Line {
            at: start,
            speaker: Speaker::System,
            event: Some(EventName::of(&frame_events::CALL_STARTED)),
            value: department.to_owned(),
            text: format!("[system] call started: {department}"),
            spoken: false,
            log_line: Some(2),
        }],
        at: start,
        line: 2,
        rng: Rng::with_seed(seed),
        faults: setup.faults,
        fault_ids,
        applied: Vec::new(),
        injecting: None,
        skipped: Vec::new(),
        greeted: false,
        variant: None,
        exploration_date,
        memo: Props::default(),
        tokens: &path.tokens,
        samples: &path.samples,
        rest: path.samples.iter().cloned().collect(),
    };
    // A fault of the time of day: the caller started the call then.
    for fault in setup.faults {
        if fault.clock().is_some() && fault.fits(&path.tokens) {
            scene.mark(*fault, Context::default());
        }
    }
    // Opening.
    if scene.has(Fault::Omit(Code::CF01)) {
        let greeting = scene
            .call
            .next_steps()
            .into_iter()
            .map(|n| n.requirement)
            .find(|r| r.step.is(&frame_events::GREETING));
        scene.mark(
            Fault::Omit(Code::CF01),
            Context {
                requirement: greeting.as_ref(),
                ..Context::default()
            },
        );
    } else if scene.has(Fault::OffScriptGreeting) {
        let note = scene.mark(Fault::OffScriptGreeting, Context::default());
        scene.injecting = Some(note);
        scene.event(
            &Event::Greeting,
            speech::OFF_SCRIPT_GREETING.to_owned(),
            true,
        );
        scene.injecting = None;
    } else {
        scene.frame_agent(Event::Greeting, frame_scripts::GREETING);
        scene.greeted = true;
    }
    scene.introduce();
    if scene.has(Fault::StepBeforeInquiry) {
        let premature = engine
            .procedures()
            .iter()
            .find_map(|p| p.stage().premature());
        if let Some((step, script)) = premature {
            let note = scene.mark(Fault::StepBeforeInquiry, Context::default());
            scene.injecting = Some(note);
            scene.perform(&step, script, false);
            scene.injecting = None;
            let confused =
                speech::PREMATURE_REPLY[scene.rng.usize(..speech::PREMATURE_REPLY.len())];
            scene.say(Speaker::Customer, confused.to_owned());
            scene.say(Speaker::Agent, speech::PREMATURE_SORRY.to_owned());
        }
    }
    if scene.has(Fault::UncoveredInquiry) {
        scene.mark(Fault::UncoveredInquiry, Context::default());
        let (asked, answer) = speech::UNCOVERED;
        scene.event(&Event::inquiry("billing_question"), asked.to_owned(), true);
        scene.say(Speaker::Agent, answer.to_owned());
    }
    // The path.
    while let Some(sample) = scene.rest.pop_front() {
        scene.play(&sample);
    }
    scene.fulfil(false);
    // Closing.
    if scene.has(Fault::HangUp) {
        scene.mark(Fault::HangUp, Context::default());
        scene.event(
            &Event::CallEnded(EndStatus::CustomerHungUp),
            "[system] the customer hung up".to_owned(),
            false,
        );
    } else {
        let anything_else = scene
            .call
            .next_steps()
            .into_iter()
            .map(|n| n.requirement)
            .find(|r| r.step.is(&frame_events::ANYTHING_ELSE));
        // The frame lists "anything else" once the inquiry's own steps are done; an inquiry
        // that left one out still asks it.
        let required = anything_else.is_some()
            || scene
                .call
                .inquiries()
                .last()
                .is_some_and(|i| i.requires_anything_else() && i.anything_else().is_none());
        if required && scene.has(Fault::Omit(Code::CF03)) {
            scene.mark(
                Fault::Omit(Code::CF03),
                Context {
                    requirement: anything_else.as_ref(),
                    ..Context::default()
                },
            );
        } else if required {
            scene.frame_agent(Event::AnythingElse, frame_scripts::ANYTHING_ELSE);
            let no = speech::NOTHING_ELSE[scene.rng.usize(..speech::NOTHING_ELSE.len())];
            scene.say(Speaker::Customer, no.to_owned());
        }
        if scene.has(Fault::Omit(Code::CF04)) {
            let goodbye = scene
                .call
                .next_steps()
                .into_iter()
                .map(|n| n.requirement)
                .find(|r| r.step.is(&frame_events::GOODBYE));
            scene.mark(
                Fault::Omit(Code::CF04),
                Context {
                    requirement: goodbye.as_ref(),
                    ..Context::default()
                },
            );
        } else {
            scene.frame_agent(Event::Goodbye, frame_scripts::GOODBYE);
        }
        scene.fulfil(true);
        scene.event(
            &Event::CallEnded(EndStatus::Completed),
            "[system] call ended".to_owned(),
            false,
        );
    }
    let Scene {
        call,
        lines,
        mut applied,
        ..
    } = scene;
    locate(&call, &lines, &mut applied);
    let answer_key = predict(&call, applied);
    Generated {
        path: path.name(),
        tokens: path.tokens.clone(),
        call_id: setup.call_id,
        persona,
        department,
        lines,
        answer_key,
        call,
    }
}

/// Notes with no line of their own (a call at the wrong time of day; a fault that repeated
/// a step already taken) take the lines of their findings that point at something done.
fn locate(call: &Call, lines: &[Line], notes: &mut [Note]) {
    for note in notes.iter_mut() {
        if !note.lines.is_empty() {
            continue;
        }
        let mut at: Vec<usize> = call
            .findings()
            .filter(|f| note.codes.contains(&f.code) && !f.code.is_omission())
            .flat_map(|f| f.evidence.iter().map(|e| e.line))
            .filter_map(|log_line| lines.iter().position(|l| l.log_line == Some(log_line)))
            .collect();
        at.sort_unstable();
        at.dedup();
        note.lines = at;
    }
}

/// The exploration's call date of a path (its samples' dates are relative to it).
fn path_call_date(path: &Path) -> NaiveDate {
    DateTime::parse_from_rfc3339(path.clock.start)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// The answer key: the info findings the path raises by itself, plus each applied fault's
/// codes; the verdict and score those codes give.
fn predict(call: &Call, notes: Vec<Note>) -> AnswerKey {
    let scoring = &call.rules().config().scoring;
    let mut codes: Vec<Code> = call
        .findings()
        .map(|f| f.code)
        .filter(|c| scoring.severity(*c) == Severity::Info && *c != Code::CF05)
        .collect();
    for note in &notes {
        codes.extend(note.codes.iter().copied().filter(|c| !scoring.is_off(*c)));
    }
    codes.sort();
    codes.dedup();
    let complete = !notes.iter().any(|n| n.fault == Fault::HangUp);
    let outcome = score(
        codes.iter().map(|c| scoring.severity(*c)),
        complete,
        scoring,
    );
    AnswerKey {
        faults: notes.iter().map(|n| n.fault).collect(),
        notes,
        verdict: outcome.verdict,
        score: outcome.score,
        codes,
    }
}

impl Generated {
    /// The codes the machines actually raised, sorted.
    pub fn actual_codes(&self) -> Vec<Code> {
        let mut codes: Vec<Code> = self.call.findings().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Whether the machines raised exactly what the answer key predicts.
    pub fn agrees(&self) -> bool {
        let outcome = self.call.outcome();
        self.actual_codes() == self.answer_key.codes
            && outcome.verdict == self.answer_key.verdict
            && outcome.score == self.answer_key.score
    }
}
