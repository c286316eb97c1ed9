//! Transcripts for trainers: one per clean path of each machine, reproducible from a seed,
//! each under the rule card of its branch; flawed variants at a chosen difficulty, with their
//! answer keys; rendered as Markdown or text. The handouts made of them are in
//! [`crate::handout`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use callflow_workflows::explore::{paths, Clock, Path, Workflow};
use callflow_workflows::{Engine, Rules, Severity, Speaker};
use chrono::{DateTime, FixedOffset};
use fastrand::Rng;

use crate::persona::{call_start, Persona, AGENTS};
use crate::transcript::{generate, Fault, Generated, Line, Note, Setup};

/// A path a transcript can be made of: every path of a procedure that a careful agent can walk
/// without a finding (info findings such as SD12 aside), and the bounded case of two inquiries
/// in one call.
pub fn clean_paths(workflows: &[Workflow], engine: &Arc<Engine>) -> Vec<Path> {
    let mut out = Vec::new();
    let mut by_reason: Vec<Path> = Vec::new();
    for workflow in Workflow::all(engine) {
        if workflow == Workflow::CallFrame {
            continue;
        }
        for mut path in paths(engine, workflow) {
            // A path is kept at the times of day where a careful agent walks it cleanly (a
            // chat is clean inside chat hours only).
            let clocks: Vec<Clock> = path
                .clocks
                .iter()
                .copied()
                .filter(|&clock| {
                    is_clean(
                        &Path {
                            clock,
                            ..path.clone()
                        },
                        engine,
                    )
                })
                .collect();
            if let Some(&first) = clocks.first() {
                path.clock = first;
                path.clocks = clocks;
                if workflows.contains(&workflow) {
                    out.push(path.clone());
                }
                by_reason.push(path);
            }
        }
    }
    if workflows.contains(&Workflow::CallFrame) {
        out.extend(two_inquiry_paths(&by_reason, engine));
    }
    out
}

/// The bounded case of several inquiries: for each reason, its first clean path followed by
/// the first clean path of the next reason, kept when the pair is clean as one call.
fn two_inquiry_paths(clean: &[Path], engine: &Arc<Engine>) -> Vec<Path> {
    let mut firsts: Vec<&Path> = Vec::new();
    for path in clean {
        if !firsts.iter().any(|p| same_reasons(p, path)) {
            firsts.push(path);
        }
    }
    let mut out = Vec::new();
    for (i, first) in firsts.iter().enumerate() {
        let Some(second) = firsts.get((i + 1) % firsts.len()) else {
            continue;
        };
        if same_reasons(first, second) {
            continue;
        }
        let mut samples = first.samples.clone();
        samples.extend(second.samples.iter().cloned());
        let mut tokens = first.tokens.clone();
        tokens.extend(second.tokens.iter().cloned());
        let mut reasons = first.reasons.clone();
        reasons.extend(second.reasons.iter().copied());
        let path = Path {
            workflow: Workflow::CallFrame,
            workflow_name: Workflow::CallFrame.name(engine),
            reasons,
            clock: first.clock,
            clocks: first
                .clocks
                .iter()
                .copied()
                .filter(|c| second.clocks.contains(c))
                .collect(),
            tokens,
            samples,
        };
        if is_clean(&path, engine) {
            out.push(path);
        }
    }
    out
}

/// Whether two paths are about the same reasons.
fn same_reasons(a: &Path, b: &Path) -> bool {
    a.reasons == b.reasons
}

/// Whether a careful agent walks the path (at its clock) with no finding but info ones.
fn is_clean(path: &Path, engine: &Arc<Engine>) -> bool {
    let mut rng = Rng::with_seed(7);
    let generated = play(path, &mut rng, engine, "check", &[]);
    let clean = generated
        .call
        .findings()
        .all(|f| f.severity() == Severity::Info);
    clean
}

/// The rule card of a path: what each state it names teaches, as the procedures declare it
/// (a state no procedure gives a rule for adds none), under the policy's base rules.
pub fn rule_card(path: &Path, engine: &Engine) -> Vec<String> {
    rule_card_under(path, engine, engine.rules())
}

/// The rule card of a path under `rules` (a policy version): the days, hours and texts it
/// quotes are those of `rules`.
pub fn rule_card_under(path: &Path, engine: &Engine, rules: &Rules) -> Vec<String> {
    let mut card = Vec::new();
    for token in &path.tokens {
        let rule = engine
            .procedures()
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.stage().rule(token, rules.params(i)));
        if let Some(rule) = rule {
            if !card.contains(&rule) {
                card.push(rule);
            }
        }
    }
    card
}

/// The clock a call must start at: a fault's about the time of day, else the path's own.
fn clock_of(path: &Path, faults: &[Fault]) -> &'static str {
    faults
        .iter()
        .find_map(Fault::clock)
        .unwrap_or(path.clock.label)
}

/// Plays a path with a persona drawn from `rng`, at a time of day its clock (or a fault about
/// the time of day) calls for.
pub fn play(
    path: &Path,
    rng: &mut Rng,
    engine: &Arc<Engine>,
    call_id: &str,
    faults: &[Fault],
) -> Generated {
    let agent = AGENTS[rng.usize(..AGENTS.len())];
    let persona = Persona::draw(rng, agent, engine);
    let within = clock_of(path, faults) == "within chat hours";
    let start = call_start(rng, engine, within);
    play_at(path, engine, call_id, persona, start, faults)
}

/// Plays a path with a given persona, starting at a given time.
pub fn play_at(
    path: &Path,
    engine: &Arc<Engine>,
    call_id: &str,
    persona: Persona,
    start: DateTime<FixedOffset>,
    faults: &[Fault],
) -> Generated {
    generate(
        path,
        Setup {
            engine,
            call_id: call_id.to_owned(),
            persona,
            start,
            faults,
        },
    )
}

/// How hard an exercise is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    /// One obvious flaw: findings of minor severity only (an off-script line, a missing
    /// "anything else").
    Easy,
    /// One subtle flaw: it raises at least one major or critical finding (a wrong branch
    /// answer at the edge of a period, a chat at the wrong hour).
    Medium,
    /// Two flaws in the same inquiry, each raising a major or critical finding; pairs the
    /// procedures declare to interact come first (a chat while an amount is shown, and
    /// quoting what it gave).
    Hard,
}

impl Difficulty {
    /// Every level, easiest first.
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// The level of one fault as it showed on a call: `Medium` when one of its codes is major or
/// critical, `Easy` when all are minor, `None` when it raised information only.
fn level(note: &Note, engine: &Engine) -> Option<Difficulty> {
    let scoring = &engine.config().scoring;
    let severities: Vec<Severity> = note.codes.iter().map(|c| scoring.severity(*c)).collect();
    if severities
        .iter()
        .any(|s| matches!(s, Severity::Major | Severity::Critical))
    {
        Some(Difficulty::Medium)
    } else if severities.contains(&Severity::Minor) {
        Some(Difficulty::Easy)
    } else {
        None
    }
}

/// How often each fault was used in a set of exercises (by [`Fault::id`]): a set prefers
/// faults it has not used yet.
pub type Used = BTreeMap<String, usize>;

/// Whether a generated call carries exactly `faults`, as the machines confirm.
fn confirmed(generated: &Generated, faults: &[Fault]) -> bool {
    generated.answer_key.faults.len() == faults.len() && generated.agrees()
}

/// A flawed variant of a path at a difficulty: faults that the path gives occasion for and
/// that the machines confirm raise exactly their declared codes, chosen to teach the
/// procedures' decisions (a procedure's own faults before the generic omissions, faults the
/// set has not used before those it has). The call's people and time are drawn from
/// `persona_seed` (as [`play`] draws them), the choices from `rng`. `None` when no fault of
/// that level fits the path.
pub fn exercise(
    path: &Path,
    rng: &mut Rng,
    persona_seed: u64,
    engine: &Arc<Engine>,
    call_id: &str,
    difficulty: Difficulty,
    used: &mut Used,
) -> Option<Generated> {
    let mut candidates: Vec<Fault> = Fault::all(engine)
        .into_iter()
        .filter(|f| f.is_deviation() && f.fits(&path.tokens))
        .collect();
    rng.shuffle(&mut candidates);
    candidates.sort_by_key(|f| (used.get(&f.id()).copied().unwrap_or(0), !f.is_declared()));
    let attempt = |faults: &[Fault]| {
        let generated = play(
            path,
            &mut Rng::with_seed(persona_seed),
            engine,
            call_id,
            faults,
        );
        confirmed(&generated, faults).then_some(generated)
    };
    let at_level = |generated: &Generated, want: Difficulty| {
        generated
            .answer_key
            .notes
            .iter()
            .all(|n| level(n, engine) == Some(want))
    };
    let chosen = match difficulty {
        Difficulty::Easy | Difficulty::Medium => candidates
            .iter()
            .find_map(|fault| attempt(&[*fault]).filter(|g| at_level(g, difficulty))),
        Difficulty::Hard => {
            let mut found = None;
            let firsts = candidates
                .iter()
                .filter(|f| attempt(&[**f]).is_some_and(|g| at_level(&g, Difficulty::Medium)))
                .take(6)
                .copied()
                .collect::<Vec<_>>();
            'firsts: for first in &firsts {
                let mut seconds: Vec<&Fault> = firsts
                    .iter()
                    .chain(candidates.iter())
                    .filter(|f| *f != first)
                    .collect();
                seconds.sort_by_key(|f| !first.pairs_with(f));
                seconds.dedup();
                for second in seconds.into_iter().take(10) {
                    let Some(generated) = attempt(&[*first, *second]) else {
                        continue;
                    };
                    let notes = &generated.answer_key.notes;
                    let same_inquiry = notes
                        .windows(2)
                        .all(|w| matches!(w, [a, b] if a.inquiry == b.inquiry));
                    let both_add = notes.iter().all(|n| {
                        n.codes
                            .iter()
                            .any(|c| notes.iter().filter(|m| m.codes.contains(c)).count() == 1)
                    });
                    if same_inquiry && both_add && at_level(&generated, Difficulty::Medium) {
                        found = Some(generated);
                        break 'firsts;
                    }
                }
            }
            found
        }
    }?;
    for fault in &chosen.answer_key.faults {
        *used.entry(fault.id()).or_default() += 1;
    }
    Some(chosen)
}

/// One transcript file: its name and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptFile {
    /// The file name (`shopping_dollars__reward_email_missing__overdue.md`).
    pub name: String,
    /// The path it plays.
    pub path: String,
    /// The contents.
    pub contents: String,
}

/// The transcript output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    /// Markdown with a table of lines.
    Markdown,
    /// Plain text, one line each.
    Text,
}

impl TranscriptFormat {
    fn extension(self) -> &'static str {
        match self {
            TranscriptFormat::Markdown => "md",
            TranscriptFormat::Text => "txt",
        }
    }
}

/// Generates the transcripts of `paths` from a seed: one per path under its rule card, and
/// with `flawed` one flawed variant per path at that difficulty with its answer key. The
/// same seed gives the same files, byte for byte.
pub fn transcripts(
    paths: &[Path],
    seed: u64,
    flawed: Option<Difficulty>,
    format: TranscriptFormat,
    engine: &Arc<Engine>,
) -> Vec<TranscriptFile> {
    let mut rng = Rng::with_seed(seed);
    let mut files = Vec::new();
    let mut used = Used::new();
    for (i, path) in paths.iter().enumerate() {
        let call_id = format!("T-{:04}", i + 1);
        let generated = play(path, &mut rng, engine, &call_id, &[]);
        let stem = path.name().replace('/', "__");
        let card = rule_card_under(path, engine, generated.call.rules());
        files.push(TranscriptFile {
            name: format!("{stem}.{}", format.extension()),
            path: path.name(),
            contents: render(&generated, format, &card, false),
        });
        if let Some(difficulty) = flawed {
            let call_id = format!("T-{:04}-F", i + 1);
            let persona_seed = rng.u64(..);
            if let Some(generated) = exercise(
                path,
                &mut rng,
                persona_seed,
                engine,
                &call_id,
                difficulty,
                &mut used,
            ) {
                files.push(TranscriptFile {
                    name: format!("{stem}__flawed.{}", format.extension()),
                    path: path.name(),
                    contents: render(&generated, format, &card, true),
                });
            }
        }
    }
    files
}

/// The word for who speaks or acts.
pub fn who(speaker: Speaker) -> &'static str {
    match speaker {
        Speaker::Agent => "Agent",
        Speaker::Customer => "Customer",
        Speaker::System => "System",
        Speaker::Partner => "Partner",
    }
}

/// A line's text as transcripts show it: speech in quotes, actions as they are.
pub fn shown(line: &Line, markdown: bool) -> String {
    match (line.spoken, markdown) {
        (true, true) => format!("\u{201c}{}\u{201d}", line.text),
        (true, false) => format!("\"{}\"", line.text),
        (false, true) => format!("*{}*", line.text),
        (false, false) => line.text.clone(),
    }
}

/// The call's date, time and people, as a header says them (no branch).
pub fn call_header(generated: &Generated) -> [String; 2] {
    let tz = generated.call.rules().config().business_tz;
    let start = generated.call.frame().started().at.with_timezone(&tz);
    let persona = &generated.persona;
    [
        format!(
            "Call {} on {} at {} ({})",
            generated.call_id,
            start.format("%A %-d %B %Y"),
            start.format("%H:%M"),
            tz.name()
        ),
        format!(
            "{}: agent {} ({}), customer {} (phone {})",
            generated.department,
            persona.agent.name,
            persona.agent.id,
            persona.customer,
            callflow_workflows::stage::format_phone(&persona.phone)
        ),
    ]
}

/// Where a note points, in words: "line 9", "lines 9, 10", "after line 12".
pub fn note_lines(note: &Note) -> String {
    let mut parts = Vec::new();
    match note.lines.as_slice() {
        [] => {}
        [one] => parts.push(format!("line {}", one + 1)),
        [first, .., last] if note.lines.len() > 3 => {
            parts.push(format!("lines {} to {}", first + 1, last + 1));
        }
        several => {
            let numbers: Vec<String> = several.iter().map(|i| (i + 1).to_string()).collect();
            parts.push(format!("lines {}", numbers.join(", ")));
        }
    }
    if let Some(after) = note.missing_after {
        parts.push(format!("missing after line {}", after + 1));
    }
    if parts.is_empty() {
        "the whole call".to_owned()
    } else {
        parts.join("; ")
    }
}

/// Renders a generated call under its rule card; with `with_key`, its answer key after it.
pub fn render(
    generated: &Generated,
    format: TranscriptFormat,
    card: &[String],
    with_key: bool,
) -> String {
    let tz = generated.call.rules().config().business_tz;
    let mut out = String::new();
    let title = if with_key {
        format!("{} (flawed)", generated.path)
    } else {
        generated.path.clone()
    };
    let mut header = call_header(generated).to_vec();
    header.push(format!(
        "Branch: {}",
        generated
            .call
            .inquiries()
            .iter()
            .map(|i| format!("{} -> {}", i.code(), i.state_name()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let markdown = format == TranscriptFormat::Markdown;
    if markdown {
        let _ = writeln!(out, "# {title}\n");
        for rule in card {
            let _ = writeln!(out, "> **Rule:** {rule}");
        }
        if !card.is_empty() {
            let _ = writeln!(out);
        }
        for h in &header {
            let _ = writeln!(out, "- {h}");
        }
        let _ = writeln!(out, "\n| # | time | who | line |\n|---|---|---|---|");
    } else {
        let _ = writeln!(out, "{title}\n");
        for rule in card {
            let _ = writeln!(out, "RULE: {rule}");
        }
        if !card.is_empty() {
            let _ = writeln!(out);
        }
        for h in &header {
            let _ = writeln!(out, "{h}");
        }
        let _ = writeln!(out);
    }
    for (i, line) in generated.lines.iter().enumerate() {
        let at = line.at.with_timezone(&tz).format("%H:%M:%S");
        let text = shown(line, markdown);
        if markdown {
            let _ = writeln!(
                out,
                "| {} | {at} | {} | {} |",
                i + 1,
                who(line.speaker),
                text.replace('|', "\\|")
            );
        } else {
            let _ = writeln!(out, "{:>3}  {at}  {:<8}  {text}", i + 1, who(line.speaker));
        }
    }
    if with_key {
        let key = &generated.answer_key;
        let (heading, bullet, sub) = if markdown {
            ("\n## Answer key\n", "- ", "  - ")
        } else {
            ("\nANSWER KEY\n", "  ", "      ")
        };
        let _ = writeln!(out, "{heading}");
        for note in &key.notes {
            let _ = writeln!(
                out,
                "{bullet}Deviation ({}): {}",
                note_lines(note),
                note.what
            );
            let _ = writeln!(out, "{sub}Rule: {}", note.rule);
            let _ = writeln!(out, "{sub}Should have: {}", note.fix);
        }
        let _ = writeln!(
            out,
            "{bullet}Expected verdict: {} (score {})",
            key.verdict, key.score
        );
        let codes: Vec<String> = key
            .codes
            .iter()
            .map(|c| format!("{c} ({}: {})", c.severity(), c.description()))
            .collect();
        let _ = writeln!(out, "{bullet}Expected findings: {}", codes.join("; "));
    }
    out
}
