//! Transcripts for trainers: one per clean path of each machine, reproducible from a seed,
//! with flawed variants and their answer keys; rendered as Markdown or text.

use std::fmt::Write as _;
use std::sync::Arc;

use callflow_workflows::explore::{paths, Clock, Path, Workflow};
use callflow_workflows::{Engine, Severity, Speaker};
use chrono::{DateTime, FixedOffset};
use fastrand::Rng;

use crate::persona::{call_start, Persona, AGENTS};
use crate::transcript::{generate, Fault, Generated, Setup};

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
        let second = firsts[(i + 1) % firsts.len()];
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

/// Whether a path's call happens inside chat hours.
fn within_chat_hours(path: &Path) -> bool {
    path.clock.label == "within chat hours"
}

/// Plays a path with a persona drawn from `rng`.
pub fn play(
    path: &Path,
    rng: &mut Rng,
    engine: &Arc<Engine>,
    call_id: &str,
    faults: &[Fault],
) -> Generated {
    let agent = AGENTS[rng.usize(..AGENTS.len())];
    let persona = Persona::draw(rng, agent, engine);
    let start = call_start(rng, engine.config().business_tz, within_chat_hours(path));
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

/// Draws up to `count` faults that the path gives occasion for and that the machines confirm
/// raise exactly their declared codes; `None` when no fault fits the path.
pub fn flawed(
    path: &Path,
    rng: &mut Rng,
    engine: &Arc<Engine>,
    call_id: &str,
    count: usize,
) -> Option<Generated> {
    let mut candidates = Fault::all(engine);
    rng.shuffle(&mut candidates);
    let mut chosen: Vec<Fault> = Vec::new();
    let mut best: Option<Generated> = None;
    let persona_seed = rng.u64(..);
    for fault in candidates {
        if chosen.len() >= count {
            break;
        }
        if fault == Fault::HangUp && !chosen.is_empty() {
            continue;
        }
        if chosen.contains(&Fault::HangUp) {
            break;
        }
        let mut trial = chosen.clone();
        trial.push(fault);
        let generated = play(
            path,
            &mut Rng::with_seed(persona_seed),
            engine,
            call_id,
            &trial,
        );
        if generated.answer_key.faults.len() == trial.len() && generated.agrees() {
            chosen = trial;
            best = Some(generated);
        }
    }
    best
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

/// Generates the transcripts of `paths` from a seed: one per path, and with `flawed` one
/// flawed variant per path (one or two faults) with its answer key. The same seed gives the
/// same files, byte for byte.
pub fn transcripts(
    paths: &[Path],
    seed: u64,
    flawed_variants: bool,
    format: TranscriptFormat,
    engine: &Arc<Engine>,
) -> Vec<TranscriptFile> {
    let mut rng = Rng::with_seed(seed);
    let mut files = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let call_id = format!("T-{:04}", i + 1);
        let generated = play(path, &mut rng, engine, &call_id, &[]);
        let stem = path.name().replace('/', "__");
        files.push(TranscriptFile {
            name: format!("{stem}.{}", format.extension()),
            path: path.name(),
            contents: render(&generated, format, false),
        });
        if flawed_variants {
            let call_id = format!("T-{:04}-F", i + 1);
            let count = 1 + rng.usize(..2);
            if let Some(generated) = flawed(path, &mut rng, engine, &call_id, count) {
                files.push(TranscriptFile {
                    name: format!("{stem}__flawed.{}", format.extension()),
                    path: path.name(),
                    contents: render(&generated, format, true),
                });
            }
        }
    }
    files
}

fn who(speaker: Speaker) -> &'static str {
    match speaker {
        Speaker::Agent => "Agent",
        Speaker::Customer => "Customer",
        Speaker::System => "System",
        Speaker::Partner => "Partner",
    }
}

/// Renders a generated call.
pub fn render(generated: &Generated, format: TranscriptFormat, with_key: bool) -> String {
    let frame = generated.call.frame();
    let tz = generated.call.rules().config().business_tz;
    let start = frame.started().at.with_timezone(&tz);
    let persona = &generated.persona;
    let mut out = String::new();
    let title = if with_key {
        format!("{} (flawed)", generated.path)
    } else {
        generated.path.clone()
    };
    let header = [
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
            persona.phone
        ),
        format!(
            "Branch: {}",
            generated
                .call
                .inquiries()
                .iter()
                .map(|i| format!("{} -> {}", i.code(), i.state_name()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    match format {
        TranscriptFormat::Markdown => {
            let _ = writeln!(out, "# {title}\n");
            for h in &header {
                let _ = writeln!(out, "- {h}");
            }
            let _ = writeln!(out, "\n| time | who | line |\n|---|---|---|");
            for line in &generated.lines {
                let text = if line.spoken {
                    format!("\u{201c}{}\u{201d}", line.text)
                } else {
                    format!("*{}*", line.text)
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    line.at.with_timezone(&tz).format("%H:%M:%S"),
                    who(line.speaker),
                    text.replace('|', "\\|")
                );
            }
        }
        TranscriptFormat::Text => {
            let _ = writeln!(out, "{title}\n");
            for h in &header {
                let _ = writeln!(out, "{h}");
            }
            let _ = writeln!(out);
            for line in &generated.lines {
                let text = if line.spoken {
                    format!("\"{}\"", line.text)
                } else {
                    line.text.clone()
                };
                let _ = writeln!(
                    out,
                    "{}  {:<8}  {}",
                    line.at.with_timezone(&tz).format("%H:%M:%S"),
                    who(line.speaker),
                    text
                );
            }
        }
    }
    if with_key {
        let key = &generated.answer_key;
        let (heading, bullet) = match format {
            TranscriptFormat::Markdown => ("\n## Answer key\n", "- "),
            TranscriptFormat::Text => ("\nANSWER KEY\n", "  "),
        };
        let _ = writeln!(out, "{heading}");
        for fault in &key.faults {
            let _ = writeln!(out, "{bullet}Deviation: {}", fault.describe());
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
