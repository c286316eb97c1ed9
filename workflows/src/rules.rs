//! The rules calls run under: a configuration resolved against the registered procedures
//! (each procedure's parameters in its own type, every script line's text), and its
//! fingerprint.

use std::any::Any;
use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::config::{Config, ParamValue, CALL_FRAME};
use crate::error::Error;
use crate::procedure::Procedure;
use crate::recognition::Recognition;
use crate::script::{Placeholders, ScriptDef, ScriptLine, ScriptText};

/// The rules calls run under: the configuration and each procedure's parameters, resolved.
pub struct Rules {
    config: Config,
    params: Vec<Arc<dyn Any + Send + Sync>>,
    /// Every script line's text under these rules, by its definition's address.
    scripts: FxHashMap<usize, ScriptText>,
    /// The canonical text of the rules ([`Rules::canonical`]).
    canonical: String,
    fingerprint: String,
    /// The date the rules take effect (`None`: the policy's base rules).
    effective: Option<NaiveDate>,
}

impl Rules {
    /// The date these rules take effect: `None` for a policy's base rules, the version's
    /// `effective` date otherwise.
    pub fn effective(&self) -> Option<NaiveDate> {
        self.effective
    }

    /// A script line's text under these rules: the policy's rewording, else the text its
    /// owner declares (also for a line no registered procedure declares).
    ///
    /// ```
    /// use callflow_workflows::{script::frame, Config, Engine, Placeholders};
    /// let mut config = Config::default();
    /// config.scripts.entry("call_frame".into()).or_default().insert(
    ///     "goodbye".into(),
    ///     "Thank you for calling <Department Name>. Goodbye.".into(),
    /// );
    /// let engine = Engine::builtin().with_config(config).unwrap();
    /// let rules = engine.rules();
    /// assert_eq!(rules.text(frame::GOODBYE), "Thank you for calling <Department Name>. Goodbye.");
    /// let names = Placeholders { department: Some("Rewards"), ..Placeholders::default() };
    /// assert_eq!(rules.fill(frame::GOODBYE, &names), "Thank you for calling Rewards. Goodbye.");
    /// assert_eq!(rules.adherence(frame::GOODBYE, "Thank you for calling Rewards. Goodbye."), 1.0);
    /// ```
    pub fn text(&self, line: ScriptLine) -> &str {
        self.script(line)
            .map_or(line.template(), ScriptText::as_str)
    }

    /// The line's text with the placeholders `values` know filled in.
    pub fn fill(&self, line: ScriptLine, values: &Placeholders<'_>) -> String {
        values.fill(self.text(line))
    }

    /// The adherence of a said line to the line's text under these rules (CF02).
    #[inline]
    pub fn adherence(&self, line: ScriptLine, said: &str) -> f64 {
        match self.script(line) {
            Some(text) => crate::script::adherence_to(text, said),
            None => crate::script::adherence(line, said),
        }
    }

    /// The interned text of a line these rules know.
    #[inline]
    pub fn script(&self, line: ScriptLine) -> Option<&ScriptText> {
        self.scripts.get(&(line.def() as *const ScriptDef as usize))
    }

    /// The fingerprint of these rules: the SHA-256 (hex) of their [canonical text](Rules::canonical):
    /// every registered procedure's name and version, each parameter's value (a default written
    /// out counts as the default), every script line's text, the time zone, the scoring, the
    /// adherence threshold, and each phrase list a policy replaced with one that differs from
    /// the declared one (`[<owner>.recognition]`: they change how a tagged call is judged).
    /// Saved calls carry it, and restore only under rules with the same fingerprint.
    ///
    /// ```
    /// use callflow_workflows::{Config, Engine};
    /// let engine = Engine::builtin();
    /// assert_eq!(engine.rules().fingerprint().len(), 64);
    /// let mut config = Config::default();
    /// config.scoring.pass_threshold = 85;
    /// let stricter = engine.with_config(config).unwrap();
    /// assert_ne!(stricter.rules().fingerprint(), engine.rules().fingerprint());
    /// ```
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The canonical text the fingerprint is taken over: one `key = value` line per rule
    /// (`shopping_dollars.review_period_days = 30`), every rule at its resolved value, in a
    /// fixed order. Two rules differ exactly where these lines do.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The parameters of the procedure at `index`, in its own type.
    pub fn params(&self, index: usize) -> &(dyn Any + Send + Sync) {
        match self.params.get(index) {
            Some(params) => params.as_ref(),
            None => &(),
        }
    }
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Resolves each procedure's parameters and the script lines' texts from a configuration.
pub(crate) fn resolve(
    procedures: &[Arc<dyn Procedure>],
    config: Config,
    effective: Option<NaiveDate>,
) -> Result<Rules, Error> {
    let empty = Default::default();
    let params = procedures
        .iter()
        .map(|p| p.params(config.procedures.get(p.name()).unwrap_or(&empty)))
        .collect::<Result<Vec<_>, Error>>()?;
    let scripts = resolve_scripts(procedures, &config)?;
    let canonical = canonical(procedures, &config, &scripts);
    let fingerprint = {
        use sha2::{Digest, Sha256};
        hex(&Sha256::digest(canonical.as_bytes()))
    };
    Ok(Rules {
        config,
        params,
        scripts,
        canonical,
        fingerprint,
        effective,
    })
}

/// Every line's owner and lines: the frame's, then each procedure's.
fn script_owners(
    procedures: &[Arc<dyn Procedure>],
) -> impl Iterator<Item = (&'static str, &'static [ScriptLine])> + '_ {
    std::iter::once((CALL_FRAME, crate::script::frame::ALL))
        .chain(procedures.iter().map(|p| (p.name(), p.scripts())))
}

/// Each line's text: the configured rewording (its placeholders checked), else its own.
fn resolve_scripts(
    procedures: &[Arc<dyn Procedure>],
    config: &Config,
) -> Result<FxHashMap<usize, ScriptText>, Error> {
    for (owner, reworded) in &config.scripts {
        let Some((_, lines)) = script_owners(procedures).find(|(name, _)| name == owner) else {
            return Err(Error::Registry(format!(
                "script lines of '{owner}': no such procedure (the frame's lines are under '{CALL_FRAME}')"
            )));
        };
        for (id, text) in reworded {
            if !lines.iter().any(|line| line.id() == id) {
                let known: Vec<&str> = lines.iter().map(|l| l.id()).collect();
                return Err(Error::Param {
                    procedure: static_owner(procedures, owner),
                    key: format!("scripts.{id}"),
                    why: format!("no such script line (the lines are {})", known.join(", ")),
                });
            }
            if let Some(unknown) = unknown_placeholder(text) {
                return Err(Error::Param {
                    procedure: static_owner(procedures, owner),
                    key: format!("scripts.{id}"),
                    why: format!(
                        "unknown placeholder {unknown} (the placeholders are {})",
                        crate::script::PLACEHOLDERS.join(", ")
                    ),
                });
            }
        }
    }
    let mut scripts = FxHashMap::default();
    for (owner, lines) in script_owners(procedures) {
        for line in lines {
            let text = config
                .scripts
                .get(owner)
                .and_then(|reworded| reworded.get(line.id()))
                .map_or(line.template(), String::as_str);
            scripts.insert(
                line.def() as *const ScriptDef as usize,
                ScriptText::of(text),
            );
        }
    }
    Ok(scripts)
}

/// The owner's name as the procedure declares it (for errors).
fn static_owner(procedures: &[Arc<dyn Procedure>], owner: &str) -> &'static str {
    script_owners(procedures)
        .map(|(name, _)| name)
        .find(|name| *name == owner)
        .unwrap_or(CALL_FRAME)
}

/// The first `<...>` in a text that is not a known placeholder.
fn unknown_placeholder(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let after = rest.get(open..)?;
        let close = after.find('>')?;
        let token = after.get(..=close)?;
        if !crate::script::PLACEHOLDERS.contains(&token) {
            return Some(token);
        }
        rest = after.get(close + 1..)?;
    }
    None
}

/// The canonical text of the rules: one `key = value` line per rule, every parameter at its
/// resolved value (a default written out reads the same as one left out), in a fixed order.
/// Its SHA-256 is [`Rules::fingerprint`].
fn canonical(
    procedures: &[Arc<dyn Procedure>],
    config: &Config,
    scripts: &FxHashMap<usize, ScriptText>,
) -> String {
    use std::fmt::Write as _;
    let mut text = String::from("format = callflow-rules/1\n");
    let mut line = |key: &str, value: &dyn std::fmt::Display| {
        let _ = writeln!(text, "{key} = {value}");
    };
    line("business.time_zone", &config.business_tz.name());
    let scoring = &config.scoring;
    line("scoring.major", &scoring.major_penalty);
    line("scoring.minor", &scoring.minor_penalty);
    line("scoring.pass_threshold", &scoring.pass_threshold);
    let mut overrides: Vec<(&str, &str)> = scoring
        .severity_overrides
        .iter()
        .map(|(code, severity)| (code.as_str(), severity.as_str()))
        .collect();
    overrides.sort_unstable();
    for (code, severity) in overrides {
        line(&format!("scoring.severity.{code}"), &severity);
    }
    let mut off: Vec<&str> = scoring.switched_off.iter().map(|c| c.as_str()).collect();
    off.sort_unstable();
    off.dedup();
    line("scoring.switched_off", &format!("[{}]", off.join(", ")));
    line(
        "adherence_threshold",
        &format!("{:?}", config.adherence_threshold),
    );
    for procedure in procedures {
        let name = procedure.name();
        line(&format!("{name}.version"), &procedure.version());
        for def in procedure.parameters() {
            let value = config
                .param(name, def.key)
                .cloned()
                .unwrap_or_else(def.default);
            let shown = match value {
                ParamValue::Int(n) => n.to_string(),
                ParamValue::Text(t) => format!("{t:?}"),
                ParamValue::List(items) => format!("{items:?}"),
            };
            line(&format!("{name}.{}", def.key), &shown);
        }
    }
    for (owner, lines) in script_owners(procedures) {
        for script in lines {
            let said = scripts
                .get(&(script.def() as *const ScriptDef as usize))
                .map_or(script.template(), ScriptText::as_str);
            line(
                &format!("{owner}.scripts.{}", script.id()),
                &format!("{said:?}"),
            );
        }
    }
    // The phrase lists a policy replaced (`[<owner>.recognition]`) change what a transcript
    // is read as, and so how a tagged call is judged: each list that differs from its
    // owner's declared one is a rule. Only those: a policy that sets none (the default one)
    // keeps the canonical text, and the fingerprint, it had before they counted (#19).
    for (owner, lists) in &config.recognition {
        let declared = recognition_owners(procedures).find(|(name, _)| name == owner);
        for (key, phrases) in lists {
            let same = declared
                .and_then(|(_, r)| declared_phrases(r, key))
                .is_some_and(|list| list.iter().copied().eq(phrases.iter().map(String::as_str)));
            if !same {
                line(
                    &format!("{owner}.recognition.{key}"),
                    &format!("{phrases:?}"),
                );
            }
        }
    }
    text
}

/// Every owner of recognition (the frame, then each procedure) with what it declares.
fn recognition_owners(
    procedures: &[Arc<dyn Procedure>],
) -> impl Iterator<Item = (&'static str, Recognition)> + '_ {
    std::iter::once((CALL_FRAME, crate::recognition::frame::RECOGNITION))
        .chain(procedures.iter().map(|p| (p.name(), p.recognition())))
}

/// The phrases an owner declares for a cue id or a reason code.
fn declared_phrases(recognition: Recognition, key: &str) -> Option<&'static [&'static str]> {
    recognition
        .cues
        .iter()
        .find(|c| c.id == key)
        .map(|c| c.phrases)
        .or_else(|| {
            recognition
                .reasons
                .iter()
                .find(|r| r.reason == key)
                .map(|r| r.phrases)
        })
}

/// The fingerprint of a policy: each version's effective date and rules' fingerprint.
pub(crate) fn policy_fingerprint(versions: &[Arc<Rules>]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write as _;
    let mut text = String::from("callflow policy 1\n");
    for rules in versions {
        let from = rules
            .effective
            .map_or_else(|| "base".to_owned(), |d| d.to_string());
        let _ = writeln!(text, "version {from} {}", rules.fingerprint);
    }
    hex(&Sha256::digest(text.as_bytes()))
}

/// Bytes as lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}
