//! The engine: the registered procedures, the vocabulary they make together, and the rules
//! (configuration and each procedure's parameters) calls run under.

use std::any::Any;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::error::Error;
use crate::finding::{register_codes, Code, FRAME_CODES};
use crate::procedure::Procedure;
use crate::vocab::{frame_events as frame, Event, EventDef, EventName, Quoted, Reason, ReasonDef};

/// The most procedures one engine holds (each event records its procedures in 64 bits).
pub const MAX_PROCEDURES: usize = 64;

/// The rules calls run under: the configuration and each procedure's parameters, resolved.
pub struct Rules {
    config: Config,
    params: Vec<Arc<dyn Any + Send + Sync>>,
    fingerprint: String,
}

impl Rules {
    /// The fingerprint of these rules: the SHA-256 (hex) of a canonical text of every
    /// registered procedure's name and version, each parameter's value (a default written out
    /// counts as the default), the time zone, the scoring and the adherence threshold. Saved
    /// calls carry it, and restore only under rules with the same fingerprint.
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

/// Registers procedures and builds an [`Engine`].
///
/// ```
/// use callflow_workflows::{procedures, Config, Engine};
/// let engine = Engine::builder()
///     .procedure(procedures::ShoppingDollars)
///     .procedure(procedures::PaidCall)
///     .config(Config::default())
///     .build()
///     .unwrap();
/// assert!(engine.lookup("explain_review_period").is_some());
/// ```
#[derive(Default)]
pub struct EngineBuilder {
    procedures: Vec<Arc<dyn Procedure>>,
    config: Config,
}

impl EngineBuilder {
    /// Registers a procedure (after those registered before it: its codes sort after theirs
    /// where they tie, its values are drawn after theirs in generated calls).
    pub fn procedure(mut self, procedure: impl Procedure) -> EngineBuilder {
        self.procedures.push(Arc::new(procedure));
        self
    }

    /// Registers a procedure already shared.
    pub fn shared_procedure(mut self, procedure: Arc<dyn Procedure>) -> EngineBuilder {
        self.procedures.push(procedure);
        self
    }

    /// The rules calls run under (the default configuration otherwise).
    pub fn config(mut self, config: Config) -> EngineBuilder {
        self.config = config;
        self
    }

    /// Builds the engine: checks that names are unique (procedures, events, reasons, codes) and
    /// resolves each procedure's parameters.
    pub fn build(self) -> Result<Engine, Error> {
        let EngineBuilder { procedures, config } = self;
        if procedures.len() > MAX_PROCEDURES {
            return Err(Error::Registry(format!(
                "{} procedures registered; an engine holds at most {MAX_PROCEDURES}",
                procedures.len()
            )));
        }
        let mut owners: FxHashMap<usize, u64> = FxHashMap::default();
        let mut by_name: FxHashMap<&'static str, &'static EventDef> = FxHashMap::default();
        for def in frame::ALL {
            by_name.insert(def.name, def);
        }
        let mut reasons: FxHashMap<&'static str, (usize, &'static ReasonDef)> =
            FxHashMap::default();
        let mut codes: Vec<Code> = FRAME_CODES.to_vec();
        for (index, procedure) in procedures.iter().enumerate() {
            let name = procedure.name();
            if procedures.iter().take(index).any(|p| p.name() == name) {
                return Err(Error::Registry(format!(
                    "procedure '{name}' is registered twice"
                )));
            }
            for def in procedure.events() {
                match by_name.get(def.name) {
                    Some(known) if !std::ptr::eq(*known, *def) => {
                        return Err(Error::Registry(format!(
                            "event '{}' of procedure '{name}' is already declared differently (by the call frame or another procedure)",
                            def.name
                        )))
                    }
                    _ => {
                        by_name.insert(def.name, def);
                    }
                }
                *owners.entry(*def as *const EventDef as usize).or_default() |= 1 << index;
            }
            for reason in procedure.reasons() {
                if let Some((other, _)) = reasons.insert(reason.code, (index, reason)) {
                    return Err(Error::Registry(format!(
                        "reason '{}' is handled by both '{}' and '{name}'",
                        reason.code,
                        procedures.get(other).map_or("?", |p| p.name())
                    )));
                }
            }
            for code in procedure.codes() {
                if codes.iter().any(|c| c.as_str() == code.as_str()) {
                    return Err(Error::Registry(format!(
                        "finding code '{code}' of procedure '{name}' is already declared"
                    )));
                }
                codes.push(*code);
            }
        }
        let defs: Vec<&'static EventDef> = by_name.values().copied().collect();
        crate::vocab::register_events(&defs).map_err(|taken| {
            Error::Registry(format!(
                "event '{taken}' is already declared differently by another engine's procedure"
            ))
        })?;
        register_codes(&codes).map_err(|taken| {
            Error::Registry(format!(
                "finding code '{taken}' is already declared differently by another engine's procedure"
            ))
        })?;
        let rules = Arc::new(resolve(&procedures, config)?);
        let names = NameTable::new(by_name.into_values());
        let mut reasons: Vec<(usize, &'static ReasonDef)> = reasons.into_values().collect();
        reasons.sort_by_key(|(procedure, def)| {
            let position = procedures
                .get(*procedure)
                .and_then(|p| p.reasons().iter().position(|r| std::ptr::eq(*r, *def)));
            (*procedure, position)
        });
        Ok(Engine {
            procedures,
            names,
            owners,
            reasons,
            codes,
            rules,
        })
    }
}

/// Resolves each procedure's parameters from a configuration.
fn resolve(procedures: &[Arc<dyn Procedure>], config: Config) -> Result<Rules, Error> {
    let empty = Default::default();
    let params = procedures
        .iter()
        .map(|p| p.params(config.procedures.get(p.name()).unwrap_or(&empty)))
        .collect::<Result<Vec<_>, Error>>()?;
    let fingerprint = fingerprint(procedures, &config);
    Ok(Rules {
        config,
        params,
        fingerprint,
    })
}

/// The canonical text of the rules, hashed: see [`Rules::fingerprint`].
fn fingerprint(procedures: &[Arc<dyn Procedure>], config: &Config) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write as _;
    let mut text = String::from("callflow rules 1\n");
    for procedure in procedures {
        let name = procedure.name();
        let _ = writeln!(text, "procedure {name} {}", procedure.version());
        for def in procedure.parameters() {
            let value = config
                .param(name, def.key)
                .cloned()
                .unwrap_or_else(def.default);
            let _ = writeln!(text, "  {} = {value:?}", def.key);
        }
    }
    let scoring = &config.scoring;
    let _ = writeln!(text, "business_tz {}", config.business_tz.name());
    let _ = writeln!(
        text,
        "scoring major {} minor {} pass {}",
        scoring.major_penalty, scoring.minor_penalty, scoring.pass_threshold
    );
    let mut overrides: Vec<(&str, &str)> = scoring
        .severity_overrides
        .iter()
        .map(|(code, severity)| (code.as_str(), severity.as_str()))
        .collect();
    overrides.sort_unstable();
    for (code, severity) in overrides {
        let _ = writeln!(text, "severity {code} {severity}");
    }
    let mut off: Vec<&str> = scoring.switched_off.iter().map(|c| c.as_str()).collect();
    off.sort_unstable();
    off.dedup();
    for code in off {
        let _ = writeln!(text, "off {code}");
    }
    let _ = writeln!(text, "adherence {:?}", config.adherence_threshold);
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Registered procedures, their vocabulary, and the rules calls run under.
///
/// ```
/// use std::sync::Arc;
/// use callflow_workflows::{Engine, Event};
/// let engine = Arc::new(Engine::builtin());
/// let event = engine.event("first_payment", "none").unwrap();
/// assert_eq!(event.name().as_str(), "first_payment");
/// assert!(engine.event("first_payment", "2026-02-30").is_err());
/// assert!(matches!(engine.event("greeting", "").unwrap(), Event::Greeting));
/// ```
pub struct Engine {
    procedures: Vec<Arc<dyn Procedure>>,
    names: NameTable,
    owners: FxHashMap<usize, u64>,
    /// The reasons by code, with their procedure (a few: a scan beats a hash of the code).
    reasons: Vec<(usize, &'static ReasonDef)>,
    codes: Vec<Code>,
    rules: Arc<Rules>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("procedures", &self.procedures)
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// A builder to register procedures with.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The built-in procedures (shopping dollars, paid-call verification), default rules.
    pub fn builtin() -> Engine {
        crate::procedures::builtin(Engine::builder())
            .build()
            .unwrap_or_else(|e| unreachable!("the built-in procedures register: {e}"))
    }

    /// The same procedures under other rules.
    pub fn with_config(&self, config: Config) -> Result<Engine, Error> {
        Ok(Engine {
            procedures: self.procedures.clone(),
            names: self.names.clone(),
            owners: self.owners.clone(),
            reasons: self.reasons.clone(),
            codes: self.codes.clone(),
            rules: Arc::new(resolve(&self.procedures, config)?),
        })
    }

    /// The registered procedures, in registration order.
    pub fn procedures(&self) -> &[Arc<dyn Procedure>] {
        &self.procedures
    }

    /// The procedure at `index`.
    pub fn procedure(&self, index: usize) -> Option<&dyn Procedure> {
        self.procedures.get(index).map(|p| p.as_ref())
    }

    /// The procedure of that name, with its index.
    pub fn procedure_named(&self, name: &str) -> Option<(usize, &dyn Procedure)> {
        self.procedures
            .iter()
            .enumerate()
            .find(|(_, p)| p.name() == name)
            .map(|(i, p)| (i, p.as_ref()))
    }

    /// Every finding code: the frame's, then each procedure's, in registration order.
    pub fn codes(&self) -> &[Code] {
        &self.codes
    }

    /// The code of that name, if the frame or a registered procedure declares it.
    pub fn code(&self, code: &str) -> Option<Code> {
        self.codes.iter().copied().find(|c| c.as_str() == code)
    }

    /// Every event of the vocabulary: the frame's, then each procedure's (a shared event
    /// once), in declaration order.
    pub fn events(&self) -> Vec<EventName> {
        let mut out: Vec<EventName> = frame::ALL.iter().map(|d| EventName::of(d)).collect();
        for procedure in &self.procedures {
            for def in procedure.events() {
                let name = EventName::of(def);
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// The rules calls run under.
    pub fn rules(&self) -> &Arc<Rules> {
        &self.rules
    }

    /// The configuration calls run under.
    pub fn config(&self) -> &Config {
        &self.rules.config
    }

    /// The event of that name in the vocabulary.
    #[inline]
    pub fn lookup(&self, name: &str) -> Option<EventName> {
        self.names.get(name)
    }

    /// The procedures (bits by index) whose vocabulary holds an event; 0 for the frame's.
    #[inline]
    pub fn owners(&self, name: EventName) -> u64 {
        self.owners
            .get(&(name.def() as *const EventDef as usize))
            .copied()
            .unwrap_or(0)
    }

    /// The reason an `inquiry` value names.
    pub fn reason(&self, code: &str) -> Reason {
        match self.reasons.iter().find(|(_, def)| def.code == code) {
            Some(&(procedure, def)) => Reason::Covered { def, procedure },
            None => Reason::Uncovered,
        }
    }

    /// The event `name` with its `value` parsed by the event's syntax (call-log-v1.md).
    #[inline]
    pub fn parse<'a>(&self, name: EventName, value: &'a str) -> Result<Event<'a>, Error> {
        Event::parse(name, value)
    }

    /// The event named `name` with its `value`: what a log row says.
    pub fn event<'a>(&self, name: &str, value: &'a str) -> Result<Event<'a>, Error> {
        let event = self.lookup(name).ok_or_else(|| Error::UnknownEvent {
            name: Quoted(name).to_string(),
        })?;
        self.parse(event, value)
    }

    /// A procedure step from its definition and a value in the log's syntax.
    pub fn step<'a>(&self, def: &'static EventDef, value: &'a str) -> Result<Event<'a>, Error> {
        self.parse(EventName::of(def), value)
    }
}

/// The event names, found from a hash of the name's length and three of its bytes (cheaper
/// than hashing the whole name): every row asks.
#[derive(Clone)]
struct NameTable {
    slots: Vec<Option<EventName>>,
}

impl NameTable {
    fn new(defs: impl Iterator<Item = &'static EventDef>) -> NameTable {
        let defs: Vec<&'static EventDef> = defs.collect();
        // At most a third full: a free slot ends every probe.
        let size = (defs.len() * 3).next_power_of_two().max(128);
        let mut slots = vec![None; size];
        for def in defs {
            let mut slot = name_slot(def.name.as_bytes(), size);
            while slots.get(slot).is_some_and(Option::is_some) {
                slot = (slot + 1) % size;
            }
            if let Some(free) = slots.get_mut(slot) {
                *free = Some(EventName::of(def));
            }
        }
        NameTable { slots }
    }

    #[inline]
    fn get(&self, name: &str) -> Option<EventName> {
        let size = self.slots.len();
        let mut slot = name_slot(name.as_bytes(), size);
        while let Some(found) = self.slots.get(slot).copied().flatten() {
            if found.as_str() == name {
                return Some(found);
            }
            slot = (slot + 1) % size;
        }
        None
    }
}

/// A name's first slot in a table of `size` slots (a power of two).
#[inline]
fn name_slot(name: &[u8], size: usize) -> usize {
    let byte = |index: usize| u64::from(name.get(index).copied().unwrap_or(0));
    let len = name.len();
    let key = (len as u64) | byte(0) << 8 | byte(len / 2) << 16 | byte(len.wrapping_sub(1)) << 24;
    let bits = size.trailing_zeros();
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_found_by_its_name_and_nothing_else_is() {
        let engine = Engine::builtin();
        for name in engine.events() {
            assert_eq!(engine.lookup(name.as_str()), Some(name));
        }
        for name in ["", "Greeting", "greeting ", "gretting", "call_started\0"] {
            assert_eq!(engine.lookup(name), None, "{name:?}");
        }
    }

    #[test]
    fn a_procedure_registered_twice_is_refused() {
        let twice = Engine::builder()
            .procedure(crate::procedures::PaidCall)
            .procedure(crate::procedures::PaidCall)
            .build();
        assert!(matches!(twice, Err(Error::Registry(m)) if m.contains("twice")));
    }
}
