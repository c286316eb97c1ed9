//! A QA team's rules over time: the base rules and the versions that change them from a date
//! on ([`Policy`]), read from and written to a TOML file ([`Policy::from_toml`],
//! [`default_toml`]). Each call is judged under the version in force on its call date (in the
//! business time zone, which no version may change).

use chrono::NaiveDate;

use crate::config::Config;

mod file;
mod write;

pub use file::PolicyError;
pub use write::default_toml;

/// A QA team's rules: the base configuration and the versions that change it.
///
/// ```
/// use callflow_workflows::{policy::Policy, Engine};
/// let text = r#"
/// [shopping_dollars]
/// review_period_days = 30
///
/// [[version]]
/// effective = "2026-04-01"
/// [version.shopping_dollars]
/// review_period_days = 45
/// "#;
/// let engine = Engine::builtin();
/// let policy = Policy::from_toml(text, &engine).unwrap();
/// assert_eq!(policy.versions.len(), 1);
/// let engine = engine.with_policy(policy).unwrap();
/// let april = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
/// let (index, rules) = engine.rules_on(april);
/// assert_eq!((index, rules.effective()), (1, Some(april)));
/// assert_eq!(engine.rules_on(april.pred_opt().unwrap()).0, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    /// The rules of calls before the first version (all calls, without versions).
    pub base: Config,
    /// The versions by effective date, strictly increasing; each holds the whole configuration
    /// in force from its date: the base, every earlier version's changes, and its own.
    pub versions: Vec<(NaiveDate, Config)>,
}

impl Policy {
    /// A policy of one configuration, without versions.
    pub fn of(config: Config) -> Policy {
        Policy {
            base: config,
            versions: Vec::new(),
        }
    }
}

impl From<Config> for Policy {
    fn from(config: Config) -> Policy {
        Policy::of(config)
    }
}
