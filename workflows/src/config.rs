//! The rules a QA team may change: time zone, scoring, the adherence threshold, and each
//! procedure's parameters (declared by the procedure, [`ParamDef`]).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::finding::{Code, Severity};

/// Scoring weights and the pass threshold (procedures.md section 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoring {
    /// Points a `major` finding costs (default 15).
    pub major_penalty: u32,
    /// Points a `minor` finding costs (default 5).
    pub minor_penalty: u32,
    /// A score under this fails (default 80: a score of exactly 80 passes).
    pub pass_threshold: u32,
    /// Codes whose severity the QA team changed.
    pub severity_overrides: BTreeMap<Code, Severity>,
    /// Codes switched off: not raised at all, so neither scored nor reported.
    pub switched_off: Vec<Code>,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            major_penalty: 15,
            minor_penalty: 5,
            pass_threshold: 80,
            severity_overrides: BTreeMap::new(),
            switched_off: Vec::new(),
        }
    }
}

impl Scoring {
    /// A code's severity under this scoring: its override, else as declared.
    pub fn severity(&self, code: Code) -> Severity {
        self.severity_overrides
            .get(&code)
            .copied()
            .unwrap_or(code.severity())
    }

    /// Whether the code is switched off.
    pub fn is_off(&self, code: Code) -> bool {
        self.switched_off.contains(&code)
    }
}

/// A parameter's value, as a policy file writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A whole number (days).
    Int(i64),
    /// Text (an address, a script line, a time `HH:MM`).
    Text(String),
    /// A list of texts (steps, weekdays, dates).
    List(Vec<String>),
}

impl ParamValue {
    /// The number, for a number.
    pub fn int(&self) -> Option<i64> {
        match self {
            ParamValue::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The text, for a text.
    pub fn text(&self) -> Option<&str> {
        match self {
            ParamValue::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The list, for a list.
    pub fn list(&self) -> Option<&[String]> {
        match self {
            ParamValue::List(list) => Some(list),
            _ => None,
        }
    }

    /// A time of day `HH:MM`.
    pub fn time(&self) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(self.text()?, "%H:%M").ok()
    }

    /// A list of weekdays (`mon`, `Tuesday`...).
    pub fn weekdays(&self) -> Option<Vec<Weekday>> {
        self.list()?
            .iter()
            .map(|d| d.parse::<Weekday>().ok())
            .collect()
    }

    /// A list of dates `YYYY-MM-DD`.
    pub fn dates(&self) -> Option<Vec<NaiveDate>> {
        self.list()?
            .iter()
            .map(|d| crate::vocab::parse_date(d).ok())
            .collect()
    }
}

/// A procedure's parameter: its key, what it decides (quoting the document it comes from),
/// and its default.
#[derive(Debug)]
pub struct ParamDef {
    /// The key in the procedure's table of a policy (`review_period_days`).
    pub key: &'static str,
    /// What it decides, quoting the seed sentence or spec line it comes from.
    pub doc: &'static str,
    /// The default value.
    pub default: fn() -> ParamValue,
}

/// The values of one procedure's parameters, by key (missing keys take their defaults).
pub type ParamTable = BTreeMap<String, ParamValue>;

/// Everything the machines read but do not decide: one version of a QA team's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The business time zone: the call date and chat hours are read in it.
    pub business_tz: Tz,
    /// Score weights and threshold.
    pub scoring: Scoring,
    /// A said line whose adherence (share of the script's words said in order) is under this
    /// raises CF02. Default 0.7.
    pub adherence_threshold: f64,
    /// Each procedure's parameters, by procedure name; a procedure missing here, or a key
    /// missing from its table, takes the defaults it declares.
    pub procedures: BTreeMap<String, ParamTable>,
    /// Script lines the QA team reworded: by owner (a procedure's name, or
    /// [`CALL_FRAME`] for the frame's lines), then by the line's id, the text with its
    /// placeholders. A line missing here keeps the text its owner declares.
    pub scripts: BTreeMap<String, BTreeMap<String, String>>,
    /// Phrase lists the QA team replaced (`[<owner>.recognition]`): by owner (a procedure's
    /// name, or [`CALL_FRAME`]), then by cue id or reason code, the phrases. Read by
    /// [`crate::recognition::Recognizer`]; they change what a transcript is read as, and so
    /// how a tagged call is judged: a list that differs from the declared one is part of the
    /// rules' fingerprint ([`crate::Rules::fingerprint`]).
    pub recognition: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// The owner name of the call frame's script lines in [`Config::scripts`] (and its table in a
/// policy file).
pub const CALL_FRAME: &str = "call_frame";

impl Default for Config {
    fn default() -> Self {
        Config {
            business_tz: chrono_tz::America::New_York,
            scoring: Scoring::default(),
            adherence_threshold: 0.7,
            procedures: BTreeMap::new(),
            scripts: BTreeMap::new(),
            recognition: BTreeMap::new(),
        }
    }
}

impl Config {
    /// A procedure's value for a key: the configured one, else `None` (the procedure's default
    /// applies).
    pub fn param(&self, procedure: &str, key: &str) -> Option<&ParamValue> {
        self.procedures.get(procedure)?.get(key)
    }
}
