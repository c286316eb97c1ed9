//! `callflow policy`: the rules as a file. `init` writes the default policy (every parameter
//! with the sentence it comes from); `check` validates one and lists its versions; `--policy`
//! on the other commands loads one ([`engine_for`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::output::write_output;
use crate::workflows::policy::{default_toml, Policy};
use crate::workflows::Engine;

/// `callflow policy`
#[derive(Debug, clap::Args)]
pub struct PolicyArgs {
    /// What to do with a policy.
    #[command(subcommand)]
    pub command: PolicyCommand,
}

/// `callflow policy` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PolicyCommand {
    /// Write the default policy (TOML, every rule with a comment saying where it comes from).
    Init {
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check a policy file and list its versions; exit 2 with the line, column and key of
    /// the first mistake.
    Check {
        /// The policy file.
        file: PathBuf,
    },
}

/// The `--policy` option the audit, transcripts, simulate and graph commands share.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PolicyOption {
    /// The rules to judge calls under (a TOML file: `callflow policy init` writes the
    /// default). Without it, the built-in default.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// Runs `callflow policy`.
pub fn run(args: PolicyArgs, builtin: &Arc<Engine>) -> Result<ExitCode> {
    match args.command {
        PolicyCommand::Init { out } => {
            let text = default_toml(builtin);
            write_output(out.as_deref(), |o| o.write_all(text.as_bytes()))?;
        }
        PolicyCommand::Check { file } => {
            let engine = engine_for(Some(&file), builtin)?;
            print!("{}", describe(&file, &engine));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The engine of `--policy FILE`, or the built-in one without it.
pub fn engine_for(policy: Option<&Path>, builtin: &Arc<Engine>) -> Result<Arc<Engine>> {
    let Some(path) = policy else {
        return Ok(Arc::clone(builtin));
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("{shown}: cannot read"))?;
    let policy = Policy::from_toml(&text, builtin).map_err(|e| e.in_file(shown.clone()))?;
    let engine = builtin
        .with_policy(policy)
        .with_context(|| format!("{shown}: not a usable policy"))?;
    Ok(Arc::new(engine))
}

/// What `policy check` prints: the fingerprint, then each version and what it changes.
fn describe(file: &Path, engine: &Engine) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let versions = engine.versions();
    let _ = writeln!(
        out,
        "{}: a valid policy, fingerprint {}",
        file.display(),
        engine.policy_fingerprint()
    );
    let base = engine.rules();
    let default = Engine::builtin();
    let from_default = changes(default.rules().canonical(), base.canonical());
    let _ = writeln!(
        out,
        "base rules: {} changed from the default",
        from_default.len()
    );
    for change in from_default {
        let _ = writeln!(out, "  {change}");
    }
    for note in stale_scripts(default.rules().canonical(), base.canonical()) {
        let _ = writeln!(out, "  note: {note}");
    }
    for pair in versions.windows(2) {
        let [before, version] = pair else { continue };
        let from = version
            .effective()
            .map_or_else(|| "?".to_owned(), |d| d.to_string());
        let _ = writeln!(out, "version effective {from}:");
        for change in changes(before.canonical(), version.canonical()) {
            let _ = writeln!(out, "  {change}");
        }
        for note in stale_scripts(before.canonical(), version.canonical()) {
            let _ = writeln!(out, "  note: {note}");
        }
    }
    if versions.len() == 1 {
        let _ = writeln!(out, "no versions: every call runs under the base rules");
    }
    out
}

/// The script lines that still quote a number a change moved: a procedure's whole-number
/// parameter changed from `old` to `new` while one of its script lines (in `after`) says `old`
/// and not `new` ("at least 30 days" under a 45-day review period). Script texts are the
/// team's words, not rewritten from parameters (docs/POLICY.md); this points at them.
fn stale_scripts(before: &str, after: &str) -> Vec<String> {
    let (old, new) = (keyed(before), keyed(after));
    let says = |text: &str, number: &str| {
        text.split(|c: char| !c.is_ascii_digit())
            .any(|word| word == number)
    };
    let mut out = Vec::new();
    for (key, value) in &new {
        let Some(was) = old.get(key) else { continue };
        let (Ok(_), Ok(_)) = (was.parse::<i64>(), value.parse::<i64>()) else {
            continue;
        };
        if was == value || key.contains(".scripts.") {
            continue;
        }
        let Some((owner, param)) = key.split_once('.') else {
            continue;
        };
        let prefix = format!("{owner}.scripts.");
        for (line, text) in new.range(prefix.clone()..) {
            if !line.starts_with(&prefix) {
                break;
            }
            if says(text, was) && !says(text, value) {
                out.push(format!(
                    "{line} still says {was} ({param} is now {value}): change its text too if \
                     the agents are to say {value}"
                ));
            }
        }
    }
    out
}

/// A canonical text's `key = value` lines, by key.
fn keyed(canonical: &str) -> std::collections::BTreeMap<String, String> {
    canonical
        .lines()
        .map(|line| {
            let (key, value) = line.split_once(" = ").unwrap_or((line, ""));
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

/// The lines of `after`'s canonical text that differ from `before`'s, as `key: old -> new`.
fn changes(before: &str, after: &str) -> Vec<String> {
    let (old, new) = (keyed(before), keyed(after));
    let mut out = Vec::new();
    for (key, value) in &new {
        match old.get(key) {
            Some(was) if was == value => {}
            Some(was) => out.push(format!("{key}: {was} -> {value}")),
            None => out.push(format!("{key}: {value} (new)")),
        }
    }
    for (key, was) in &old {
        if !new.contains_key(key) {
            out.push(format!("{key}: {was} -> (removed)"));
        }
    }
    out
}
