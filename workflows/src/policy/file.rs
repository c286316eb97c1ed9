//! Reading a policy file: TOML whose tables are the rules (`[business]`, `[scoring]`,
//! `adherence_threshold`, a table per procedure with its parameters and `scripts`, the frame's
//! `[call_frame.scripts]`) and `[[version]]` blocks that change them from a date on. Every
//! mistake is reported with its line, column and key; nothing half-read is ever used.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::Policy;
use crate::config::{Config, ParamDef, ParamValue, CALL_FRAME};
use crate::error::Error;
use crate::finding::Severity;
use crate::procedure::Procedure;
use crate::recognition::classifier::EXAMPLES;
use crate::registry::Engine;

/// A policy file that cannot be used: where, which key, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{line}:{column}: {key}: {why}", .file.as_deref().map(|f| format!("{f}:")).unwrap_or_default())]
pub struct PolicyError {
    /// The file, when the policy was read from one.
    pub file: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The key, dotted (`version[2].shopping_dollars.email_grace_days`), or the table.
    pub key: String,
    /// What is wrong.
    pub why: String,
}

impl PolicyError {
    /// The same error, naming the file it was read from.
    pub fn in_file(mut self, file: impl Into<String>) -> PolicyError {
        self.file = Some(file.into());
        self
    }
}

impl Policy {
    /// Reads a policy from its TOML text, for the procedures `engine` registers. Every value is
    /// checked as the engine will use it (types, ranges, times, dates, codes, time zone, script
    /// placeholders, version order): the first mistake is the error, with its line and column.
    ///
    /// ```
    /// use callflow_workflows::{policy::Policy, Engine};
    /// let engine = Engine::builtin();
    /// let error = Policy::from_toml("[shopping_dollars]\nemail_grace_days = 0\n", &engine)
    ///     .unwrap_err();
    /// assert_eq!((error.line, error.column), (2, 20));
    /// assert_eq!(error.key, "shopping_dollars.email_grace_days");
    /// assert!(error.why.contains("at least 1"), "{}", error.why);
    /// ```
    pub fn from_toml(text: &str, engine: &Engine) -> Result<Policy, PolicyError> {
        Reader {
            text,
            engine,
            spans: BTreeMap::new(),
        }
        .read()
    }
}

/// A dotted key path and where it was written.
type Spans = BTreeMap<String, Range<usize>>;

struct Reader<'t> {
    text: &'t str,
    engine: &'t Engine,
    /// Where each key was written, by its path under its version (`shopping_dollars.x` in the
    /// base is `base.shopping_dollars.x`).
    spans: Spans,
}

/// Which block a table belongs to.
#[derive(Clone, Copy)]
enum Block {
    Base,
    Version(usize),
}

impl Block {
    fn prefix(self) -> String {
        match self {
            Block::Base => String::new(),
            Block::Version(n) => format!("version[{n}]."),
        }
    }
}

impl<'t> Reader<'t> {
    fn error(&self, span: Range<usize>, key: &str, why: impl Into<String>) -> PolicyError {
        let (line, column) = line_column(self.text, span.start);
        PolicyError {
            file: None,
            line,
            column,
            key: key.to_owned(),
            why: why.into(),
        }
    }

    fn read(mut self) -> Result<Policy, PolicyError> {
        let document = DeTable::parse(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            self.error(
                span,
                "(file)",
                format!("not valid TOML: {}", e.message().trim()),
            )
        })?;
        let root = document.get_ref();
        let mut base = Config::default();
        let mut versions: Vec<Spanned<DeValue<'_>>> = Vec::new();
        // The time zone first: it is the base's alone.
        if let Some((_, value)) = root.iter().find(|(k, _)| k.get_ref() == "business") {
            self.business(value, &mut base)?;
        }
        for (key, value) in root {
            let name: &str = key.get_ref();
            match name {
                "business" => {}
                "version" => match value.get_ref() {
                    DeValue::Array(blocks) => versions.extend(blocks.iter().cloned()),
                    _ => {
                        return Err(self.error(
                            value.span(),
                            "version",
                            "expected [[version]] blocks (an array of tables)",
                        ))
                    }
                },
                _ => self.setting(Block::Base, key, value, &mut base)?,
            }
        }
        self.check(&base, Block::Base, None)?;
        let mut policy = Policy {
            base: base.clone(),
            versions: Vec::new(),
        };
        let mut config = base;
        let mut previous: Option<(NaiveDate, Range<usize>)> = None;
        for (index, block) in versions.iter().enumerate() {
            let number = index + 1;
            let here = format!("version[{number}]");
            let DeValue::Table(table) = block.get_ref() else {
                return Err(self.error(block.span(), &here, "expected a table"));
            };
            let effective = self.effective(table, block.span(), &here)?;
            if let Some((before, _)) = &previous {
                if *before >= effective.0 {
                    let why = if *before == effective.0 {
                        format!("a second version on {before}: one version a date")
                    } else {
                        format!(
                            "effective {} comes before the previous version's {before}: versions in date order",
                            effective.0
                        )
                    };
                    return Err(self.error(effective.1.clone(), &format!("{here}.effective"), why));
                }
            }
            for (key, value) in table {
                match key.get_ref().as_ref() {
                    "effective" => {}
                    "business" => {
                        return Err(self.error(
                            key.span(),
                            &format!("{here}.business"),
                            "the business time zone decides the call date, which decides the version: only the base rules set it",
                        ))
                    }
                    _ => self.setting(Block::Version(number), key, value, &mut config)?,
                }
            }
            self.check(&config, Block::Version(number), Some(effective.0))?;
            policy.versions.push((effective.0, config.clone()));
            previous = Some(effective);
        }
        Ok(policy)
    }

    /// `[business]`: the time zone.
    fn business(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), PolicyError> {
        let table = self.table(value, "business")?;
        for (k, v) in table {
            match k.get_ref().as_ref() {
                "time_zone" => {
                    let name = self.string(v, "business.time_zone")?;
                    config.business_tz = name.parse().map_err(|_| {
                        self.error(
                            v.span(),
                            "business.time_zone",
                            format!("no time zone '{name}' in the IANA database (like \"America/New_York\")"),
                        )
                    })?;
                }
                other => {
                    return Err(self.error(
                        k.span(),
                        &format!("business.{other}"),
                        "unknown key (the business table has: time_zone)",
                    ))
                }
            }
        }
        Ok(())
    }

    /// A top-level setting of a block: scoring, the adherence threshold, a procedure's table,
    /// the frame's scripts.
    fn setting(
        &mut self,
        block: Block,
        key: &Spanned<toml::de::DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), PolicyError> {
        let prefix = block.prefix();
        let name: &str = key.get_ref();
        match name {
            "scoring" => self.scoring(&prefix, value, config),
            "adherence_threshold" => {
                let path = format!("{prefix}adherence_threshold");
                let threshold = match value.get_ref() {
                    DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
                    DeValue::Integer(i) => i.as_str().parse::<f64>().ok(),
                    _ => None,
                }
                .ok_or_else(|| self.error(value.span(), &path, "expected a number from 0 to 1"))?;
                if !(0.0..=1.0).contains(&threshold) {
                    return Err(self.error(
                        value.span(),
                        &path,
                        format!("expected a number from 0 to 1, got {threshold}"),
                    ));
                }
                config.adherence_threshold = threshold;
                Ok(())
            }
            CALL_FRAME => {
                let table = self.table(value, &format!("{prefix}{CALL_FRAME}"))?;
                for (k, v) in table {
                    match k.get_ref().as_ref() {
                        "scripts" => self.scripts(&prefix, CALL_FRAME, v, config)?,
                        "recognition" => self.recognition(
                            &prefix,
                            CALL_FRAME,
                            crate::recognition::frame::RECOGNITION,
                            v,
                            config,
                        )?,
                        other => {
                            return Err(self.error(
                                k.span(),
                                &format!("{prefix}{CALL_FRAME}.{other}"),
                                "unknown key (the call frame's table has: scripts, recognition)",
                            ))
                        }
                    }
                }
                Ok(())
            }
            _ => match self.procedure(name) {
                Some(procedure) => self.procedure_table(&prefix, procedure, value, config),
                None => {
                    let mut known: Vec<&str> = vec!["business", "scoring", "adherence_threshold"];
                    known.extend(self.engine.procedures().iter().map(|p| p.name()));
                    known.extend([CALL_FRAME, "version"]);
                    Err(self.error(
                        key.span(),
                        &format!("{prefix}{name}"),
                        format!("unknown key (the policy has: {})", known.join(", ")),
                    ))
                }
            },
        }
    }

    fn procedure(&self, name: &str) -> Option<Arc<dyn Procedure>> {
        self.engine
            .procedures()
            .iter()
            .find(|p| p.name() == name)
            .cloned()
    }

    /// `[scoring]`: weights, threshold, severity overrides, codes switched off.
    fn scoring(
        &mut self,
        prefix: &str,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), PolicyError> {
        let table = self.table(value, &format!("{prefix}scoring"))?;
        for (k, v) in table {
            let key = k.get_ref().as_ref();
            let path = format!("{prefix}scoring.{key}");
            match key {
                "major" | "minor" | "pass_threshold" => {
                    let n = self.integer(v, &path)?;
                    let max = if key == "pass_threshold" { 100 } else { 1000 };
                    let n = u32::try_from(n)
                        .ok()
                        .filter(|n| *n <= max)
                        .ok_or_else(|| {
                            self.error(v.span(), &path, format!("expected a whole number from 0 to {max}, got {n}"))
                        })?;
                    match key {
                        "major" => config.scoring.major_penalty = n,
                        "minor" => config.scoring.minor_penalty = n,
                        _ => config.scoring.pass_threshold = n,
                    }
                }
                "severity" => {
                    let overrides = self.table(v, &path)?;
                    for (code, severity) in overrides {
                        let code_path = format!("{path}.{}", code.get_ref());
                        let found = self.code(code.get_ref(), code.span(), &code_path)?;
                        let text = self.string(severity, &code_path)?;
                        let severity = Severity::ALL
                            .into_iter()
                            .find(|s| s.as_str() == text)
                            .ok_or_else(|| {
                                self.error(
                                    severity.span(),
                                    &code_path,
                                    format!("no severity '{text}' (critical, major, minor, info)"),
                                )
                            })?;
                        config.scoring.severity_overrides.insert(found, severity);
                    }
                }
                "switched_off" => {
                    let DeValue::Array(codes) = v.get_ref() else {
                        return Err(self.error(v.span(), &path, "expected a list of codes, like [\"CF02\"]"));
                    };
                    let mut off = Vec::new();
                    for code in codes.iter() {
                        let name = self.string(code, &path)?;
                        off.push(self.code(&name, code.span(), &path)?);
                    }
                    config.scoring.switched_off = off;
                }
                other => {
                    return Err(self.error(
                        k.span(),
                        &format!("{prefix}scoring.{other}"),
                        "unknown key (scoring has: major, minor, pass_threshold, severity, switched_off)",
                    ))
                }
            }
        }
        Ok(())
    }

    fn code(
        &self,
        name: &str,
        span: Range<usize>,
        path: &str,
    ) -> Result<crate::finding::Code, PolicyError> {
        self.engine.code(name).ok_or_else(|| {
            self.error(
                span,
                path,
                format!("no finding code '{name}' (the frame's and the registered procedures' codes: CF01, SD01, PC01, ...)"),
            )
        })
    }

    /// A procedure's table: its parameters, typed by their defaults, and its `scripts`.
    fn procedure_table(
        &mut self,
        prefix: &str,
        procedure: Arc<dyn Procedure>,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), PolicyError> {
        let name = procedure.name();
        let table = self.table(value, &format!("{prefix}{name}"))?;
        for (k, v) in table {
            let key = k.get_ref().as_ref();
            let path = format!("{prefix}{name}.{key}");
            if key == "scripts" {
                self.scripts(prefix, name, v, config)?;
                continue;
            }
            if key == "recognition" {
                self.recognition(prefix, name, procedure.recognition(), v, config)?;
                continue;
            }
            let Some(def) = procedure.parameters().iter().find(|d| d.key == key) else {
                let mut known: Vec<&str> = procedure.parameters().iter().map(|d| d.key).collect();
                known.extend(["scripts", "recognition"]);
                return Err(self.error(
                    k.span(),
                    &path,
                    format!("unknown key ({name} has: {})", known.join(", ")),
                ));
            };
            let parsed = self.param(def, v, &path)?;
            self.spans.insert(path, v.span());
            config
                .procedures
                .entry(name.to_owned())
                .or_default()
                .insert(key.to_owned(), parsed);
        }
        Ok(())
    }

    /// A parameter's value, of the type its default has.
    fn param(
        &self,
        def: &ParamDef,
        value: &Spanned<DeValue<'_>>,
        path: &str,
    ) -> Result<ParamValue, PolicyError> {
        match (def.default)() {
            ParamValue::Int(_) => Ok(ParamValue::Int(self.integer(value, path)?)),
            ParamValue::Text(_) => Ok(ParamValue::Text(self.text_value(value, path)?)),
            ParamValue::List(_) => {
                let DeValue::Array(items) = value.get_ref() else {
                    return Err(self.error(
                        value.span(),
                        path,
                        "expected a list, like [\"a\", \"b\"]",
                    ));
                };
                items
                    .iter()
                    .map(|item| self.text_value(item, path))
                    .collect::<Result<Vec<_>, _>>()
                    .map(ParamValue::List)
            }
        }
    }

    /// `[<owner>.scripts]`: reworded lines by id.
    fn scripts(
        &mut self,
        prefix: &str,
        owner: &str,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), PolicyError> {
        let table = self.table(value, &format!("{prefix}{owner}.scripts"))?;
        for (k, v) in table {
            let path = format!("{prefix}{owner}.scripts.{}", k.get_ref());
            let text = self.string(v, &path)?;
            self.spans.insert(path, v.span());
            config
                .scripts
                .entry(owner.to_owned())
                .or_default()
                .insert(k.get_ref().to_string(), text);
        }
        Ok(())
    }

    /// `[<owner>.recognition]`: phrase lists replacing an owner's declared ones, keyed by
    /// cue id or reason code, and the classifier's `examples`; base rules only (a transcript is read once, before any call
    /// date decides a version).
    fn recognition(
        &mut self,
        prefix: &str,
        owner: &str,
        declared: crate::recognition::Recognition,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), PolicyError> {
        let here = format!("{prefix}{owner}.recognition");
        if !prefix.is_empty() {
            return Err(self.error(
                value.span(),
                &here,
                "transcripts are read once, before a call date picks a version: only the base rules set phrase lists",
            ));
        }
        let table = self.table(value, &here)?;
        let mut known: Vec<&str> = declared.cues.iter().map(|c| c.id).collect();
        known.extend(declared.reasons.iter().map(|r| r.reason));
        known.push(EXAMPLES);
        for (k, v) in table {
            let key: &str = k.get_ref();
            let path = format!("{here}.{key}");
            if key == EXAMPLES {
                let lines = self.examples(owner, v, &path)?;
                config
                    .recognition
                    .entry(owner.to_owned())
                    .or_default()
                    .insert(key.to_owned(), lines);
                continue;
            }
            if !known.contains(&key) {
                return Err(self.error(
                    k.span(),
                    &path,
                    format!(
                        "unknown key ({owner}'s recognition has: {})",
                        known.join(", ")
                    ),
                ));
            }
            let DeValue::Array(items) = v.get_ref() else {
                return Err(self.error(
                    v.span(),
                    &path,
                    "expected a list of phrases, like [\"anything else\"]",
                ));
            };
            let mut phrases = Vec::new();
            for item in items.iter() {
                let text = self.string(item, &path)?;
                crate::recognition::check_phrase(&text)
                    .map_err(|why| self.error(item.span(), &path, why))?;
                phrases.push(text);
            }
            if phrases.iter().all(|p| p.starts_with('!')) {
                return Err(self.error(
                    v.span(),
                    &path,
                    "no phrase that recognises (only vetoes starting with '!')",
                ));
            }
            config
                .recognition
                .entry(owner.to_owned())
                .or_default()
                .insert(key.to_owned(), phrases);
        }
        Ok(())
    }

    /// `[<owner>.recognition] examples`: labelled utterances replacing the owner's declared
    /// ones, one per string (`"speaker\tsteps\ttext"`, as in a procedure's `examples.tsv`).
    fn examples(
        &self,
        owner: &str,
        value: &Spanned<DeValue<'_>>,
        path: &str,
    ) -> Result<Vec<String>, PolicyError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.error(
                value.span(),
                path,
                "expected a list of labelled utterances, like [\"customer\\tservice_call_reported\\tthe tech came out tuesday\"]",
            ));
        };
        let mut lines = Vec::new();
        for item in items.iter() {
            let text = self.string(item, path)?;
            if text.contains('\n') {
                return Err(self.error(
                    item.span(),
                    path,
                    "one utterance per string (no line break)",
                ));
            }
            crate::recognition::parse_examples(owner, &text).map_err(|e| {
                let why = match e {
                    Error::Examples { why, .. } => why,
                    other => other.to_string(),
                };
                self.error(item.span(), path, why)
            })?;
            lines.push(text);
        }
        Ok(lines)
    }

    /// A version's `effective` date.
    fn effective(
        &self,
        table: &DeTable<'_>,
        block: Range<usize>,
        here: &str,
    ) -> Result<(NaiveDate, Range<usize>), PolicyError> {
        let path = format!("{here}.effective");
        let Some((_, value)) = table.iter().find(|(k, _)| k.get_ref() == "effective") else {
            return Err(self.error(block, &path, "missing: each version says from which date it applies (effective = \"YYYY-MM-DD\")"));
        };
        let text = self.text_value(value, &path)?;
        let date = crate::vocab::parse_date(&text).map_err(|_| {
            self.error(
                value.span(),
                &path,
                format!("expected a date YYYY-MM-DD, got '{text}'"),
            )
        })?;
        Ok((date, value.span()))
    }

    /// Resolves a block's configuration as the engine will, so that a value the procedure
    /// refuses (a day count under 1, an hour that does not parse, a script placeholder) is
    /// reported where it was written.
    fn check(
        &self,
        config: &Config,
        block: Block,
        effective: Option<NaiveDate>,
    ) -> Result<(), PolicyError> {
        let Err(error) = crate::rules::resolve(self.engine.procedures(), config.clone(), effective)
        else {
            return Ok(());
        };
        let (owner, key, why) = match error {
            Error::Param {
                procedure,
                key,
                why,
            } => (procedure.to_owned(), key, why),
            other => (String::new(), String::new(), other.to_string()),
        };
        // The key as this block wrote it, else as an earlier block did (versions inherit).
        let path = format!("{owner}.{key}");
        let blocks: Vec<String> = match block {
            Block::Base => vec![String::new()],
            Block::Version(n) => (0..=n)
                .rev()
                .map(|m| {
                    if m == 0 {
                        String::new()
                    } else {
                        format!("version[{m}].")
                    }
                })
                .collect(),
        };
        for prefix in blocks {
            let full = format!("{prefix}{path}");
            if let Some(span) = self.spans.get(&full) {
                return Err(self.error(span.clone(), &full, why));
            }
        }
        Err(self.error(0..0, &format!("{}{path}", block.prefix()), why))
    }

    fn table<'v, 'i>(
        &self,
        value: &'v Spanned<DeValue<'i>>,
        path: &str,
    ) -> Result<&'v DeTable<'i>, PolicyError> {
        match value.get_ref() {
            DeValue::Table(table) => Ok(table),
            other => Err(self.error(
                value.span(),
                path,
                format!("expected a table, got {}", other.type_str()),
            )),
        }
    }

    fn integer(&self, value: &Spanned<DeValue<'_>>, path: &str) -> Result<i64, PolicyError> {
        match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map_err(|_| self.error(value.span(), path, "a whole number too large")),
            other => Err(self.error(
                value.span(),
                path,
                format!("expected a whole number, got {}", other.type_str()),
            )),
        }
    }

    fn string(&self, value: &Spanned<DeValue<'_>>, path: &str) -> Result<String, PolicyError> {
        match value.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            other => Err(self.error(
                value.span(),
                path,
                format!("expected a string, got {}", other.type_str()),
            )),
        }
    }

    /// Text, or a TOML date or time written bare (`2026-12-25`, `09:00:00`) as its text.
    fn text_value(&self, value: &Spanned<DeValue<'_>>, path: &str) -> Result<String, PolicyError> {
        match value.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            DeValue::Datetime(d) if d.offset.is_none() => {
                let text = d.to_string();
                // A bare time `09:00:00` reads as "09:00".
                Ok(match (d.date, d.time) {
                    (None, Some(t))
                        if t.second.unwrap_or(0) == 0 && t.nanosecond.unwrap_or(0) == 0 =>
                    {
                        format!("{:02}:{:02}", t.hour, t.minute)
                    }
                    _ => text,
                })
            }
            other => Err(self.error(
                value.span(),
                path,
                format!("expected a string, got {}", other.type_str()),
            )),
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    (line, column)
}
