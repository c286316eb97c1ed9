//! The knobs a QA team may turn: time zone, scoring weights, adherence threshold, addresses.

use chrono_tz::Tz;

/// Scoring weights and the pass threshold (procedures.md section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scoring {
    /// Points a `major` finding costs (default 15).
    pub major_penalty: u32,
    /// Points a `minor` finding costs (default 5).
    pub minor_penalty: u32,
    /// A score under this fails (default 80: a score of exactly 80 passes).
    pub pass_threshold: u32,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            major_penalty: 15,
            minor_penalty: 5,
            pass_threshold: 80,
        }
    }
}

/// Everything the machines read but do not decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The business time zone: the call date and chat hours are read in it.
    pub business_tz: Tz,
    /// Score weights and threshold.
    pub scoring: Scoring,
    /// A said line whose adherence (share of the script's words said in order) is under this
    /// raises CF02. Default 0.7.
    pub adherence_threshold: f64,
    /// Where the `overdue` escalation email goes (the seed names no address).
    pub rewards_team_address: String,
    /// Where the no-response escalation email goes.
    pub product_team_address: String,
    /// The steps that walk a customer through the reward site (2b). The seed lists none.
    pub site_issue_steps: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            business_tz: chrono_tz::America::New_York,
            scoring: Scoring::default(),
            adherence_threshold: 0.7,
            rewards_team_address: "rewards-team@example.com".to_owned(),
            product_team_address: "product-team@example.com".to_owned(),
            site_issue_steps: Vec::new(),
        }
    }
}
