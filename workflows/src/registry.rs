//! The engine: the registered procedures, the vocabulary they make together, and the rules
//! (configuration and each procedure's parameters) calls run under.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::Error;
use crate::finding::{register_codes, Code, FRAME_CODES};
use crate::policy::Policy;
use crate::procedure::Procedure;
use crate::rules::{resolve, Rules};
use crate::vocab::{frame_events as frame, Event, EventDef, EventName, Quoted, Reason, ReasonDef};

/// The most procedures one engine holds (each event records its procedures in 64 bits).
pub const MAX_PROCEDURES: usize = 64;

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
    policy: Policy,
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
        self.policy = Policy::of(config);
        self
    }

    /// A policy with versions for calls to run under.
    pub fn policy(mut self, policy: Policy) -> EngineBuilder {
        self.policy = policy;
        self
    }

    /// Builds the engine: checks that names are unique (procedures, events, reasons, codes) and
    /// resolves each procedure's parameters.
    pub fn build(self) -> Result<Engine, Error> {
        let EngineBuilder { procedures, policy } = self;
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
        let (base, versions, policy_fingerprint) = resolve_policy(&procedures, policy)?;
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
            base,
            versions,
            policy_fingerprint,
        })
    }
}

/// A policy resolved: its base rules, every version's (the base first), its fingerprint.
type Resolved = (Arc<Rules>, Vec<Arc<Rules>>, String);

/// Resolves each version of a policy into its rules, base first, and the policy's fingerprint.
fn resolve_policy(procedures: &[Arc<dyn Procedure>], policy: Policy) -> Result<Resolved, Error> {
    let Policy { base, versions } = policy;
    let tz = base.business_tz;
    let base = Arc::new(resolve(procedures, base, None)?);
    let mut resolved = vec![Arc::clone(&base)];
    let mut previous: Option<NaiveDate> = None;
    for (effective, config) in versions {
        if previous.is_some_and(|p| p >= effective) {
            return Err(Error::Registry(format!(
                "policy version {effective} comes after a version of the same or a later date: versions must be in date order, one a date"
            )));
        }
        if config.business_tz != tz {
            return Err(Error::Registry(format!(
                "policy version {effective} changes the business time zone ({} to {}): it decides the call date, so only the base rules set it",
                tz.name(),
                config.business_tz.name()
            )));
        }
        previous = Some(effective);
        resolved.push(Arc::new(resolve(procedures, config, Some(effective))?));
    }
    let fingerprint = crate::rules::policy_fingerprint(&resolved);
    Ok((base, resolved, fingerprint))
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
    /// The policy's base rules.
    base: Arc<Rules>,
    /// The policy's rules: the base first, then each version in date order.
    versions: Vec<Arc<Rules>>,
    policy_fingerprint: String,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("procedures", &self.procedures)
            .field("versions", &self.versions)
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

    /// The same procedures under other rules (one configuration, no versions).
    pub fn with_config(&self, config: Config) -> Result<Engine, Error> {
        self.with_policy(Policy::of(config))
    }

    /// The same procedures under a policy with versions.
    pub fn with_policy(&self, policy: Policy) -> Result<Engine, Error> {
        let (base, versions, policy_fingerprint) = resolve_policy(&self.procedures, policy)?;
        Ok(Engine {
            procedures: self.procedures.clone(),
            names: self.names.clone(),
            owners: self.owners.clone(),
            reasons: self.reasons.clone(),
            codes: self.codes.clone(),
            base,
            versions,
            policy_fingerprint,
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

    /// The policy's base rules: those of calls before its first version (of every call, for
    /// a policy without versions).
    pub fn rules(&self) -> &Arc<Rules> {
        &self.base
    }

    /// The base configuration.
    pub fn config(&self) -> &Config {
        self.rules().config()
    }

    /// Every version's rules: the base first, then each version in date order.
    pub fn versions(&self) -> &[Arc<Rules>] {
        &self.versions
    }

    /// The rules in force on a call date, with their index in [`Engine::versions`]: the
    /// latest version whose effective date is on or before it, else the base.
    #[inline]
    pub fn rules_on(&self, call_date: NaiveDate) -> (usize, &Arc<Rules>) {
        let index = self
            .versions
            .iter()
            .rposition(|r| r.effective().is_none_or(|from| from <= call_date))
            .unwrap_or(0);
        (index, self.version(index))
    }

    /// The rules at an index of [`Engine::versions`] (the base for an index out of range).
    #[inline]
    pub fn version(&self, index: usize) -> &Arc<Rules> {
        self.versions.get(index).unwrap_or(&self.base)
    }

    /// The fingerprint of the whole policy: every version's rules and effective date. The
    /// built-in default and `callflow policy init`'s file have the same one.
    pub fn policy_fingerprint(&self) -> &str {
        &self.policy_fingerprint
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
