//! The parameters of seed 002 a QA team may change, with the sentence each comes from.

use crate::config::{ParamDef, ParamTable, ParamValue};
use crate::error::Error;

/// The parameters, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdParams {
    /// The review period in days: day `review_period_days` is the first outside it.
    pub review_period_days: i64,
    /// The week after the review period, in days: overdue from
    /// `review_period_days + email_grace_days`.
    pub email_grace_days: i64,
    /// Where the `overdue` escalation email goes.
    pub rewards_team_address: String,
    /// Where the no-response escalation email goes.
    pub product_team_address: String,
    /// The steps that walk a customer through the reward site (2b).
    pub site_issue_steps: Vec<String>,
}

impl Default for SdParams {
    fn default() -> Self {
        SdParams {
            review_period_days: 30,
            email_grace_days: 7,
            rewards_team_address: "rewards-team@example.com".to_owned(),
            product_team_address: "product-team@example.com".to_owned(),
            site_issue_steps: Vec::new(),
        }
    }
}

impl SdParams {
    /// The defaults, shared: for a context that carries no parameters of this procedure.
    pub fn fallback() -> &'static SdParams {
        static DEFAULT: std::sync::OnceLock<SdParams> = std::sync::OnceLock::new();
        DEFAULT.get_or_init(SdParams::default)
    }

    /// The first day of `overdue`.
    pub fn overdue_from(&self) -> i64 {
        self.review_period_days + self.email_grace_days
    }
}

/// The parameters' declarations.
pub static PARAMETERS: &[ParamDef] = &[
    ParamDef {
        key: "review_period_days",
        doc: "\"Your shopping dollars are made available once you have had your warranty for at least 30 days\" (seed 002): day 30 is the first day outside the review period (procedures.md 2a)",
        default: || ParamValue::Int(30),
    },
    ParamDef {
        key: "email_grace_days",
        doc: "\"you will receive your shopping dollars email the week following your 30-day review period\" (seed 002): overdue from review_period_days + email_grace_days (day 37), counted from the warranty start",
        default: || ParamValue::Int(7),
    },
    ParamDef {
        key: "rewards_team_address",
        doc: "\"Agent will email information to:\" names no address (seed 002 gap, procedures.md 2a): the rewards team's",
        default: || ParamValue::Text("rewards-team@example.com".to_owned()),
    },
    ParamDef {
        key: "product_team_address",
        doc: "\"email the customer's information and issue to the product team\" (procedures.md 2c)",
        default: || ParamValue::Text("product-team@example.com".to_owned()),
    },
    ParamDef {
        key: "site_issue_steps",
        doc: "\"you'll just need to follow a few simple steps\" (seed 002): the seed lists none (procedures.md 2b)",
        default: || ParamValue::List(Vec::new()),
    },
];

/// Resolves the parameters from a policy's table; missing keys take their defaults.
pub fn resolve(table: &ParamTable) -> Result<SdParams, Error> {
    let bad = |key: &str, why: String| Error::Param {
        procedure: super::NAME,
        key: key.to_owned(),
        why,
    };
    let mut params = SdParams::default();
    for (key, value) in table {
        match key.as_str() {
            "review_period_days" | "email_grace_days" => {
                let days = value
                    .int()
                    .ok_or_else(|| bad(key, "expected a whole number of days".to_owned()))?;
                if days < 1 {
                    return Err(bad(key, format!("must be at least 1 day, got {days}")));
                }
                if key == "review_period_days" {
                    params.review_period_days = days;
                } else {
                    params.email_grace_days = days;
                }
            }
            "rewards_team_address" | "product_team_address" => {
                let address = value
                    .text()
                    .ok_or_else(|| bad(key, "expected an address".to_owned()))?
                    .to_owned();
                if key == "rewards_team_address" {
                    params.rewards_team_address = address;
                } else {
                    params.product_team_address = address;
                }
            }
            "site_issue_steps" => {
                params.site_issue_steps = value
                    .list()
                    .ok_or_else(|| bad(key, "expected a list of steps".to_owned()))?
                    .to_vec();
            }
            other => return Err(bad(other, "no such parameter".to_owned())),
        }
    }
    Ok(params)
}
