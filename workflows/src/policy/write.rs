//! The default policy as a TOML file (`callflow policy init`): every rule a QA team may
//! change, at its default, each with a comment quoting where it comes from.

use std::fmt::Write as _;

use crate::config::{Config, ParamValue, CALL_FRAME};
use crate::registry::Engine;
use crate::script::ScriptLine;

/// The default policy of an engine's procedures, as a commented TOML file. Read back with
/// [`super::Policy::from_toml`], it gives the built-in rules (the same fingerprint).
///
/// ```
/// use callflow_workflows::{policy::{default_toml, Policy}, Engine};
/// let engine = Engine::builtin();
/// let text = default_toml(&engine);
/// assert!(text.contains("review_period_days = 30"));
/// let policy = Policy::from_toml(&text, &engine).unwrap();
/// let from_file = engine.with_policy(policy).unwrap();
/// assert_eq!(from_file.policy_fingerprint(), engine.policy_fingerprint());
/// ```
pub fn default_toml(engine: &Engine) -> String {
    let config = Config::default();
    let scoring = &config.scoring;
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line("# callflow policy: the rules calls are judged under (docs/POLICY.md).");
    line("#");
    line("# The top level holds the base rules. [[version]] blocks at the end change any of them");
    line("# (except the time zone) from their `effective` date on; each call is judged under the");
    line("# version in force on its call date, in the business time zone.");
    line("");
    line("# A said line whose adherence to its script (the share of the script's words said, in");
    line("# order) is under this raises CF02. procedures.md 4 (CF02): \"The measure and its");
    line("# threshold are the project's to choose and document\" (docs/DECISIONS.md). 0 to 1.");
    line(&format!(
        "adherence_threshold = {:?}",
        config.adherence_threshold
    ));
    line("");
    line("[business]");
    line("# The business time zone: the call date (which decides the review-period day count");
    line("# and the version in force) and the chat hours are read in it. \"9:00 PM to 6:00 PM");
    line("# EST\" (seed 000): the documents' hours are New York time. Base rules only.");
    line(&format!(
        "time_zone = {}",
        quoted(config.business_tz.name())
    ));
    line("");
    line("[scoring]");
    line("# procedures.md 4: \"`major` (-15 points), `minor` (-5 points) ... any critical finding");
    line(
        "# sets the score to 0 ... `fail` with a critical finding or a score under 80 ... Weights",
    );
    line("# and the threshold are configuration with these defaults.\"");
    line(&format!("major = {}", scoring.major_penalty));
    line(&format!("minor = {}", scoring.minor_penalty));
    line(&format!("pass_threshold = {}", scoring.pass_threshold));
    line("# Codes switched off are not raised at all: neither scored nor reported.");
    line("switched_off = []");
    line("");
    line("[scoring.severity]");
    line("# A severity (critical, major, minor, info) per code, overriding procedures.md 5.");
    line("# SD12 = \"minor\"");
    for procedure in engine.procedures() {
        let name = procedure.name();
        line("");
        line(&format!("[{name}]"));
        line(&format!("# {}", procedure.title()));
        for def in procedure.parameters() {
            for part in wrap(def.doc, 88) {
                line(&format!("# {part}"));
            }
            line(&format!("{} = {}", def.key, value((def.default)())));
        }
        scripts(&mut line, name, procedure.scripts());
    }
    scripts(&mut line, CALL_FRAME, crate::script::frame::ALL);
    line("");
    line("# A version changes rules from a date on; later versions keep earlier versions'");
    line("# changes. For example, a 45-day review period from April 2026:");
    line("#");
    line("# [[version]]");
    line("# effective = \"2026-04-01\"");
    line("# [version.shopping_dollars]");
    line("# review_period_days = 45");
    out
}

fn scripts(line: &mut impl FnMut(&str), owner: &str, lines: &[ScriptLine]) {
    if lines.is_empty() {
        return;
    }
    line("");
    line(&format!("[{owner}.scripts]"));
    line("# The lines agents say, word for word as the document has them; placeholders:");
    line("# <Department Name>, <Agent Name>, <Customer Name>, <Ticket Number>.");
    for script in lines {
        line(&format!(
            "{} = {}  # {}",
            script.id(),
            quoted(script.template()),
            script.def().speaker.as_str()
        ));
    }
}

/// A TOML value as the file writes it.
fn value(value: ParamValue) -> String {
    match value {
        ParamValue::Int(n) => n.to_string(),
        ParamValue::Text(text) => quoted(&text),
        ParamValue::List(items) => {
            let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A comment's text in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}
