//! Generated calls: one per path of a machine, played out by an agent who does what the
//! machine says is next, with every line from the scripts and every placeholder filled from a
//! seeded persona. Optionally with injected faults and their answer key.
//!
//! A generated call is driven through a real [`Call`] as it is written, so its dates make its
//! branch true by construction, and the same call can be written as a v1 log (the simulator)
//! or as a transcript (for trainers). Everything a procedure knows (its words, its values,
//! its faults) comes from its stage: this module names no procedure.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use fastrand::Rng;

use callflow_workflows::explore::{Path, Sample};
use callflow_workflows::script::frame as frame_scripts;
use callflow_workflows::stage::{
    Beat, FaultDef, Injection, Narration, OwnedStep, Props, Scene as StageScene, Stage,
};
use callflow_workflows::vocab::{frame_events, ProcedureStep};
use callflow_workflows::{
    score, Call, CallStart, Code, EndStatus, Engine, Event, EventName, Placeholders, Procedure,
    ScriptLine, Severity, Speaker, Stamp, Step, Verdict,
};

use crate::persona::Persona;

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
            Fault::Omit(code) => format!("left out the step whose absence is {code}"),
            Fault::OffScriptGreeting => "greeting read off-script".to_owned(),
            Fault::StepBeforeInquiry => {
                "took a procedure step before the customer said why they called".to_owned()
            }
            Fault::UncoveredInquiry => "an inquiry no procedure covers".to_owned(),
            Fault::HangUp => "the customer hung up before the goodbye".to_owned(),
            Fault::Procedure(def) => def.describe.to_owned(),
        }
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

/// The answer key of a generated call: what an audit must find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerKey {
    /// The faults injected.
    pub faults: Vec<Fault>,
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
    applied: Vec<(Fault, Vec<Code>)>,
    exploration_date: NaiveDate,
    /// What the stages keep between their answers for this call.
    memo: Props,
    /// The path's states (what some faults read).
    tokens: &'a [String],
    /// The path's decision events still to play.
    rest: VecDeque<Sample>,
}

impl<'a> Scene<'a> {
    fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }

    fn marked(&self, fault: Fault) -> bool {
        self.applied.iter().any(|(f, _)| *f == fault)
    }

    /// Records a fault as applied, with the codes it must raise where the call stands.
    fn mark(&mut self, fault: Fault) {
        if self.marked(fault) {
            return;
        }
        let codes = match fault {
            Fault::Omit(code) => vec![code],
            Fault::OffScriptGreeting => vec![Code::CF02],
            Fault::StepBeforeInquiry => vec![Code::CF06],
            Fault::UncoveredInquiry => vec![Code::CF07],
            Fault::HangUp => vec![Code::CF05],
            Fault::Procedure(def) => (def.codes)(self.call.frame().facts()),
        };
        self.applied.push((fault, codes));
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

    fn names(&self) -> Placeholders<'_> {
        Placeholders {
            department: Some(self.department),
            agent_name: Some(self.persona.agent_first()),
            customer_name: Some(&self.persona.customer),
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
        };
        Some(f(stage, &mut view))
    }

    fn tick(&mut self, name: EventName, extra: i64) {
        let seconds = match name.speaker() {
            Speaker::System => 4 + self.rng.i64(0..4),
            _ => 8 + self.rng.i64(0..20),
        };
        self.at += Duration::seconds(seconds + extra);
    }

    /// Feeds an event to the call and records its line.
    fn event(&mut self, event: &Event<'_>, text: String, spoken: bool) {
        let name = event.name();
        let extra = match event.step() {
            Some(step) => {
                let owned = OwnedStep::of(step);
                self.procedure_for(name)
                    .map_or(0, |(_, procedure)| procedure.stage().delay(&owned))
            }
            None => 0,
        };
        self.tick(name, extra);
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
        self.lines.push(Line {
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
        self.at += Duration::seconds(3 + self.rng.i64(0..6));
        self.lines.push(Line {
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

    /// An agent step, with its script line when it has one, else its narration; then what
    /// the customer says back.
    fn agent(&mut self, step: &OwnedStep, script: Option<ScriptLine>) {
        let procedure = self.procedure_for(step.name).map(|(p, _)| p);
        let script = match procedure {
            Some(p) => self
                .ask(p, false, |stage, scene| stage.says(step, script, scene))
                .flatten(),
            None => script,
        };
        let (text, spoken) = match script {
            Some(line) => (self.scripted(line), true),
            None => {
                let narration = self.narrate(step);
                (narration.text, narration.spoken)
            }
        };
        self.step(step, text, spoken);
        self.respond(step);
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

    /// Applies the value changes of the faults the call carries to a step the agent writes.
    fn alter(&mut self, step: &mut OwnedStep) {
        for def in self.procedure_faults() {
            if let Injection::Alter { event, alter } = def.injection {
                if step.is(event) {
                    let cast = self.persona.cast(self.department);
                    step.value = alter(&step.value, &cast);
                    self.mark(Fault::Procedure(def));
                }
            }
        }
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
                {
                    continue;
                }
                if let Some(code) = requirement.code {
                    if self.has(Fault::Omit(code)) {
                        self.mark(Fault::Omit(code));
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
                let Some(mut step) = made else {
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
                self.alter(&mut step);
                self.agent(&step, requirement.script);
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

    /// Faults that add a wrong step where the machine now stands.
    fn faults_in_state(&mut self) {
        let state = self.inquiry_state();
        for def in self.procedure_faults() {
            if let Injection::Add { states, step } = def.injection {
                let fault = Fault::Procedure(def);
                if states.contains(&state) && !self.marked(fault) {
                    self.mark(fault);
                    let (step, script) = step(state);
                    self.agent(&step, script);
                }
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
        let mut step = self
            .ask(procedure, false, |stage, scene| stage.draw(sample, scene))
            .unwrap_or_else(|| OwnedStep::of(sample));
        if step.name.speaker() == Speaker::Agent {
            self.alter(&mut step);
        }
        let lead = self
            .ask(procedure, false, |stage, scene| stage.before(&step, scene))
            .unwrap_or_default();
        self.beats(lead);
        if step.name.def().fact {
            self.answer_before_facts();
        }
        for def in self.procedure_faults() {
            if let Injection::Skip { event } = def.injection {
                if step.is(event) {
                    self.mark(Fault::Procedure(def));
                    return false;
                }
            }
        }
        if step.name.speaker() == Speaker::Agent {
            self.agent(&step, step.name.def().script);
        } else {
            let narration = self.narrate(&step);
            self.step(&step, narration.text, narration.spoken);
            self.respond(&step);
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
                    if let Some((step, script)) = step(self.tokens) {
                        self.mark(fault);
                        self.agent(&step, script);
                    }
                }
            }
        }
    }

    /// An inquiry of the path: the customer's name and request for the first, "anything
    /// else" and the request for a later one.
    fn inquiry(&mut self, code: &'static str) {
        let line = self.engine.reason(code).def().and_then(|r| r.customer_line);
        let text = if self.call.inquiries().is_empty() {
            let name = self.persona.customer.clone();
            self.event(
                &Event::CustomerIdentified { name: &name },
                format!("(gives their name: {name})"),
                false,
            );
            line.map_or_else(String::new, |l| self.script(l))
        } else {
            // A further inquiry answers "anything else", without the introduction.
            self.frame_agent(Event::AnythingElse, frame_scripts::ANYTHING_ELSE);
            let template = line.map_or("", |l| l.template());
            let rest = template
                .split_once("<Customer Name>")
                .map_or(template, |(_, rest)| rest)
                .trim_start_matches([',', '.', ' ']);
            format!("Yes, {}", self.names().fill(rest))
        };
        self.event(&Event::inquiry(code), text, true);
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
        applied: Vec::new(),
        exploration_date,
        memo: Props::default(),
        tokens: &path.tokens,
        rest: path.samples.iter().cloned().collect(),
    };
    // Opening.
    if scene.has(Fault::Omit(Code::CF01)) {
        scene.mark(Fault::Omit(Code::CF01));
    } else if scene.has(Fault::OffScriptGreeting) {
        scene.mark(Fault::OffScriptGreeting);
        scene.event(
            &Event::Greeting,
            "Yeah hi. What do you want?".to_owned(),
            true,
        );
    } else {
        scene.frame_agent(Event::Greeting, frame_scripts::GREETING);
    }
    if scene.has(Fault::StepBeforeInquiry) {
        let premature = engine
            .procedures()
            .iter()
            .find_map(|p| p.stage().premature());
        if let Some((step, script)) = premature {
            scene.mark(Fault::StepBeforeInquiry);
            scene.agent(&step, script);
        }
    }
    if scene.has(Fault::UncoveredInquiry) {
        scene.mark(Fault::UncoveredInquiry);
        let text = "Before that, I also have a question about my bill.".to_owned();
        scene.event(&Event::inquiry("billing_question"), text, true);
        scene.say(
            Speaker::Agent,
            "Billing is handled by another team; I can transfer you after we are done.".to_owned(),
        );
    }
    // The path.
    while let Some(sample) = scene.rest.pop_front() {
        scene.play(&sample);
    }
    scene.fulfil(false);
    // Closing.
    if scene.has(Fault::HangUp) {
        scene.mark(Fault::HangUp);
        scene.event(
            &Event::CallEnded(EndStatus::CustomerHungUp),
            "[system] the customer hung up".to_owned(),
            false,
        );
    } else {
        let wants_anything_else = scene
            .call
            .next_steps()
            .iter()
            .any(|n| n.requirement.step.is(&frame_events::ANYTHING_ELSE));
        if wants_anything_else && scene.has(Fault::Omit(Code::CF03)) {
            scene.mark(Fault::Omit(Code::CF03));
        } else if wants_anything_else {
            scene.frame_agent(Event::AnythingElse, frame_scripts::ANYTHING_ELSE);
            let no = scene.script(frame_scripts::CUSTOMER_NO);
            scene.say(Speaker::Customer, no);
        }
        if scene.has(Fault::Omit(Code::CF04)) {
            scene.mark(Fault::Omit(Code::CF04));
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
        applied,
        ..
    } = scene;
    let answer_key = predict(&call, &applied);
    Generated {
        path: path.name(),
        call_id: setup.call_id,
        persona,
        department,
        lines,
        answer_key,
        call,
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
fn predict(call: &Call, applied: &[(Fault, Vec<Code>)]) -> AnswerKey {
    let scoring = &call.rules().config().scoring;
    let mut codes: Vec<Code> = call
        .findings()
        .map(|f| f.code)
        .filter(|c| scoring.severity(*c) == Severity::Info && *c != Code::CF05)
        .collect();
    for (_, fault_codes) in applied {
        codes.extend(fault_codes.iter().copied().filter(|c| !scoring.is_off(*c)));
    }
    codes.sort();
    codes.dedup();
    let complete = !applied.iter().any(|(f, _)| *f == Fault::HangUp);
    let outcome = score(
        codes.iter().map(|c| scoring.severity(*c)),
        complete,
        scoring,
    );
    AnswerKey {
        faults: applied.iter().map(|(f, _)| *f).collect(),
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
