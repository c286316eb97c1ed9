//! Handouts for trainers: numbered exercises (flawed calls with nothing in their name or
//! header that gives the flaw away), an answer sheet for each (the lines at fault, the rule
//! each breaks in plain words, what the agent should have said or done, and the audit of the
//! call), and a role-play of each exercise's situation done right with the agent's lines
//! blanked. Markdown, one file each, and printable HTML, one self-contained page per set.
//!
//! Each document is built once as a [`Sheet`] and written in both formats from it.

use std::fmt::Write as _;
use std::sync::Arc;

use askama::Template;
use callflow_workflows::explore::Path;
use callflow_workflows::{Engine, Speaker};
use fastrand::Rng;

use crate::error::Error;
use crate::transcript::{Generated, Line};
use crate::transcripts::{
    call_header, exercise, note_lines, play, rule_card_under, shown, who, Difficulty,
    TranscriptFile, Used,
};

/// One exercise of a handout: the flawed call, and the same situation played right (the
/// role-play's call), with the rule card of the path.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The exercise's number in the handout (1-based; the order is shuffled by the seed, so
    /// that neighbouring numbers do not follow the paths' order).
    pub number: usize,
    /// The path it plays.
    pub path: String,
    /// The flawed call.
    pub flawed: Generated,
    /// The same path, person and day, played by a careful agent.
    pub model: Generated,
    /// The rule card of the path.
    pub card: Vec<String>,
}

/// The exercises of a handout: one per path where a flaw of the difficulty fits, in an order
/// shuffled by the seed. The same seed gives the same exercises.
pub fn exercises(
    paths: &[Path],
    seed: u64,
    difficulty: Difficulty,
    engine: &Arc<Engine>,
) -> Vec<Exercise> {
    let mut rng = Rng::with_seed(seed);
    let mut used = Used::new();
    let mut out = Vec::new();
    for path in paths {
        let call_id = format!("C-{:04}", rng.u32(1000..10_000));
        let persona_seed = rng.u64(..);
        let flawed = exercise(
            path,
            &mut rng,
            persona_seed,
            engine,
            &call_id,
            difficulty,
            &mut used,
        );
        let Some(flawed) = flawed else {
            continue;
        };
        // The same draws as the exercise's: the same people, and the same day unless the
        // exercise moved the call to another time of day.
        let model = play(
            path,
            &mut Rng::with_seed(persona_seed),
            engine,
            &call_id,
            &[],
        );
        let card = rule_card_under(path, engine, model.call.rules());
        out.push(Exercise {
            number: 0,
            path: path.name(),
            flawed,
            model,
            card,
        });
    }
    rng.shuffle(&mut out);
    for (i, exercise) in out.iter_mut().enumerate() {
        exercise.number = i + 1;
    }
    out
}

/// One printed document: a title, the call's header, an instruction, the lines, and (for an
/// answer sheet) the notes and the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// "Exercise 3"
    pub heading: String,
    /// The call's date, time and people.
    pub meta: Vec<String>,
    /// What the reader is to do.
    pub intro: String,
    /// The lines of the call (none on an answer sheet).
    pub rows: Vec<Row>,
    /// The faults, on an answer sheet.
    pub notes: Vec<NoteView>,
    /// Closing paragraphs (the audit, the rule card).
    pub footer: Vec<String>,
}

/// One line of a printed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its number, from 1.
    pub number: usize,
    /// `14:52:01`
    pub time: String,
    /// `Agent`
    pub who: &'static str,
    /// The words or the action (blank in a role-play's agent lines).
    pub text: String,
    /// `speech`, `action`, `system` or `blank`: how the line is set.
    pub kind: &'static str,
}

/// One fault on an answer sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteView {
    /// Where: "Line 9", "Missing after line 12".
    pub at: String,
    /// The lines at fault, quoted.
    pub quoted: Vec<String>,
    /// What happened.
    pub what: String,
    /// The rule it breaks.
    pub rule: String,
    /// What the agent should have said or done.
    pub fix: String,
}

/// The blank that stands for an agent's line in a role-play.
const BLANK: &str = "____________________";

fn rows(generated: &Generated, blank_agent: bool) -> Vec<Row> {
    let tz = generated.call.rules().config().business_tz;
    generated
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let blank = blank_agent && line.speaker == Speaker::Agent;
            let kind = if blank {
                "blank"
            } else if matches!(line.speaker, Speaker::System | Speaker::Partner) {
                "system"
            } else if line.spoken {
                "speech"
            } else {
                "action"
            };
            Row {
                number: i + 1,
                time: line.at.with_timezone(&tz).format("%H:%M:%S").to_string(),
                who: who(line.speaker),
                text: if blank {
                    if line.spoken {
                        BLANK.to_owned()
                    } else {
                        format!("({BLANK})")
                    }
                } else {
                    line.text.clone()
                },
                kind,
            }
        })
        .collect()
}

/// The header of a handout's call: when and who, no call id, no branch.
fn meta(generated: &Generated) -> Vec<String> {
    call_header(generated)
        .into_iter()
        .map(|line| match line.split_once(" on ") {
            Some((_, rest)) if line.starts_with("Call ") => format!("Call on {rest}"),
            _ => line,
        })
        .collect()
}

/// The exercise's sheet: the flawed call, numbered.
pub fn exercise_sheet(exercise: &Exercise) -> Sheet {
    Sheet {
        heading: format!("Exercise {}", exercise.number),
        meta: meta(&exercise.flawed),
        intro: "Read the call. Which lines break the procedure? For each, name the rule it breaks and say what the agent should have said or done instead.".to_owned(),
        rows: rows(&exercise.flawed, false),
        notes: Vec::new(),
        footer: Vec::new(),
    }
}

fn quote(line: &Line) -> String {
    format!("{}: {}", who(line.speaker), shown(line, false))
}

/// The exercise's answer sheet.
pub fn answer_sheet(exercise: &Exercise) -> Sheet {
    let generated = &exercise.flawed;
    let key = &generated.answer_key;
    let notes = key
        .notes
        .iter()
        .map(|note| {
            let quoted = note
                .lines
                .iter()
                .filter_map(|&i| {
                    generated
                        .lines
                        .get(i)
                        .map(|l| format!("{}. {}", i + 1, quote(l)))
                })
                .collect();
            let mut at = note_lines(note);
            if let Some(first) = at.get(..1) {
                at = first.to_uppercase() + at.get(1..).unwrap_or_default();
            }
            NoteView {
                at,
                quoted,
                what: note.what.clone(),
                rule: note.rule.clone(),
                fix: note.fix.clone(),
            }
        })
        .collect();
    let codes: Vec<String> = key
        .codes
        .iter()
        .map(|c| format!("{c} ({}): {}", c.severity(), c.description()))
        .collect();
    let mut footer = vec![format!(
        "The audit of this call: {}, score {}. Findings: {}.",
        key.verdict,
        key.score,
        codes.join("; ")
    )];
    if !exercise.card.is_empty() {
        footer.push(format!(
            "Rule card of this call: {}",
            exercise.card.join(" ")
        ));
    }
    Sheet {
        heading: format!("Exercise {}: answers", exercise.number),
        meta: meta(generated),
        intro: "Line numbers are those of the exercise.".to_owned(),
        rows: Vec::new(),
        notes,
        footer,
    }
}

/// The role-play of an exercise: its situation done right, the agent's lines blanked.
pub fn roleplay_sheet(exercise: &Exercise) -> Sheet {
    Sheet {
        heading: format!("Role-play {}", exercise.number),
        meta: meta(&exercise.model),
        intro: "Two people: one reads the customer's lines and what the systems show, the other plays the agent and says or does what the procedure asks where the line is blank. Scripted lines are said word for word.".to_owned(),
        rows: rows(&exercise.model, true),
        notes: Vec::new(),
        footer: Vec::new(),
    }
}

/// A sheet in Markdown.
pub fn markdown(sheet: &Sheet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", sheet.heading);
    for line in &sheet.meta {
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(out, "\n{}\n", sheet.intro);
    if !sheet.rows.is_empty() {
        let _ = writeln!(out, "| # | time | who | line |\n|---|---|---|---|");
        for row in &sheet.rows {
            let text = match row.kind {
                "speech" => format!("\u{201c}{}\u{201d}", row.text),
                "action" | "system" => format!("*{}*", row.text),
                _ => row.text.clone(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                row.number,
                row.time,
                row.who,
                text.replace('|', "\\|")
            );
        }
    }
    for (i, note) in sheet.notes.iter().enumerate() {
        let _ = writeln!(out, "{}. **{}**: {}", i + 1, note.at, note.what);
        for quoted in &note.quoted {
            let _ = writeln!(out, "   > {quoted}");
        }
        let _ = writeln!(out, "   - Rule: {}", note.rule);
        let _ = writeln!(out, "   - Should have: {}", note.fix);
    }
    if !sheet.notes.is_empty() {
        let _ = writeln!(out);
    }
    for paragraph in &sheet.footer {
        let _ = writeln!(out, "{paragraph}\n");
    }
    out.trim_end().to_owned() + "\n"
}

/// The printable page of a set of sheets.
#[derive(Template)]
#[template(path = "handout.html")]
struct SetPage<'a> {
    title: &'a str,
    sheets: &'a [Sheet],
}

/// A set of sheets as one self-contained printable HTML page (no external file; a print
/// stylesheet puts each sheet on its own pages).
pub fn html(title: &str, sheets: &[Sheet], page: &str) -> Result<String, Error> {
    SetPage { title, sheets }
        .render()
        .map_err(|source| Error::Render {
            page: page.to_owned(),
            source,
        })
}

/// The files of a handout: for each exercise `exercise-NN.md`, `answers-NN.md` and
/// `roleplay-NN.md`; and `exercises.html`, `answers.html`, `roleplay.html`, one printable
/// page per set. No file name or header names a path, a branch or a flaw.
pub fn handout_files(exercises: &[Exercise]) -> Result<Vec<TranscriptFile>, Error> {
    let width = exercises.len().to_string().len().max(2);
    let mut files = Vec::new();
    let mut sets: [(&str, &str, &str, Vec<Sheet>); 3] = [
        ("exercise", "exercises.html", "Exercises", Vec::new()),
        ("answers", "answers.html", "Answer sheets", Vec::new()),
        ("roleplay", "roleplay.html", "Role-plays", Vec::new()),
    ];
    for exercise in exercises {
        let sheets = [
            exercise_sheet(exercise),
            answer_sheet(exercise),
            roleplay_sheet(exercise),
        ];
        for ((stem, _, _, set), sheet) in sets.iter_mut().zip(sheets) {
            files.push(TranscriptFile {
                name: format!("{stem}-{:0width$}.md", exercise.number),
                path: exercise.path.clone(),
                contents: markdown(&sheet),
            });
            set.push(sheet);
        }
    }
    for (_, page, title, sheets) in &sets {
        files.push(TranscriptFile {
            name: (*page).to_owned(),
            path: String::new(),
            contents: html(title, sheets, page)?,
        });
    }
    Ok(files)
}
