//! The parameters of seed 000 a QA team may change, with the sentence each comes from.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

use super::chat_form::CHAT_FORM_REASON;
use crate::config::{ParamDef, ParamTable, ParamValue};
use crate::engine::Ctx;
use crate::error::Error;

/// The parameters, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcParams {
    /// The days the partner chat is open.
    pub chat_days: Vec<Weekday>,
    /// When it opens (inside).
    pub chat_opens: NaiveTime,
    /// When it closes (outside).
    pub chat_closes: NaiveTime,
    /// Dates on which the chat is closed.
    pub holidays: Vec<NaiveDate>,
    /// The reason the chat form must give.
    pub form_reason: String,
}

impl Default for PcParams {
    fn default() -> Self {
        PcParams {
            chat_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            chat_opens: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            chat_closes: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
            holidays: Vec::new(),
            form_reason: CHAT_FORM_REASON.to_owned(),
        }
    }
}

impl PcParams {
    /// Whether the partner chat is open at an input's time: on a chat day that is no holiday,
    /// from `chat_opens` (inside) to `chat_closes` (outside), in the business time zone.
    pub fn within_chat_hours(&self, ctx: &Ctx<'_>) -> bool {
        self.open_at(ctx.stamp.at, ctx.config.business_tz)
    }

    /// Whether the partner chat is open at an instant, in the business time zone `tz`.
    pub fn open_at(&self, at: chrono::DateTime<chrono::FixedOffset>, tz: chrono_tz::Tz) -> bool {
        let local = at.with_timezone(&tz);
        let time = NaiveTime::from_hms_opt(local.hour(), local.minute(), local.second())
            .unwrap_or_default();
        self.chat_days.contains(&local.weekday())
            && !self.holidays.contains(&local.date_naive())
            && self.chat_opens <= time
            && time < self.chat_closes
    }

    /// The defaults, shared: for a context that carries no parameters of this procedure.
    pub fn fallback() -> &'static PcParams {
        static DEFAULT: std::sync::OnceLock<PcParams> = std::sync::OnceLock::new();
        DEFAULT.get_or_init(PcParams::default)
    }

    /// The chat hours in words: "Monday to Friday, 09:00 to 18:00 business time", with the
    /// days, times and holidays in force.
    ///
    /// ```
    /// use callflow_workflows::procedures::paid_call::params::PcParams;
    /// assert_eq!(PcParams::default().hours(), "Monday to Friday, 09:00 to 18:00 business time");
    /// ```
    pub fn hours(&self) -> String {
        use Weekday::*;
        let name = |day: &Weekday| match day {
            Mon => "Monday",
            Tue => "Tuesday",
            Wed => "Wednesday",
            Thu => "Thursday",
            Fri => "Friday",
            Sat => "Saturday",
            Sun => "Sunday",
        };
        let mut days: Vec<Weekday> = self.chat_days.clone();
        days.sort_by_key(Weekday::num_days_from_monday);
        days.dedup();
        let consecutive = days
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.succ() == *b));
        let days = match (days.first(), days.last()) {
            (Some(first), Some(last)) if days.len() > 2 && consecutive => {
                format!("{} to {}", name(first), name(last))
            }
            _ => days.iter().map(name).collect::<Vec<_>>().join(", "),
        };
        let holidays = if self.holidays.is_empty() {
            String::new()
        } else {
            let dates: Vec<String> = self.holidays.iter().map(|d| d.to_string()).collect();
            format!(" (closed on {})", dates.join(", "))
        };
        format!(
            "{days}, {} to {} business time{holidays}",
            self.chat_opens.format("%H:%M"),
            self.chat_closes.format("%H:%M")
        )
    }

    /// The parameters a machine reads (the defaults when the context holds none).
    pub fn of<'c>(ctx: &Ctx<'c>) -> std::borrow::Cow<'c, PcParams> {
        match ctx.params::<PcParams>() {
            Some(params) => std::borrow::Cow::Borrowed(params),
            None => std::borrow::Cow::Owned(PcParams::default()),
        }
    }
}

/// The parameters' declarations.
pub static PARAMETERS: &[ParamDef] = &[
    ParamDef {
        key: "chat_days",
        doc: "\"Chat is available Monday through Friday\" (seed 000; procedures.md 3, rule 4)",
        default: || ParamValue::List(["mon", "tue", "wed", "thu", "fri"].map(str::to_owned).to_vec()),
    },
    ParamDef {
        key: "chat_opens",
        doc: "\"9:00 PM to 6:00 PM EST\" is a typo for 09:00 (procedures.md 3, rule 4): 09:00 is inside",
        default: || ParamValue::Text("09:00".to_owned()),
    },
    ParamDef {
        key: "chat_closes",
        doc: "the chat closes at 18:00 business time (procedures.md 3, rule 4): 18:00 is outside",
        default: || ParamValue::Text("18:00".to_owned()),
    },
    ParamDef {
        key: "holidays",
        doc: "dates on which the chat is closed (none by default)",
        default: || ParamValue::List(Vec::new()),
    },
    ParamDef {
        key: "form_reason",
        doc: "the chat form's reason: \"Cancellations/Paid Call Fee\" (seed 000; procedures.md 3, rule 5)",
        default: || ParamValue::Text(CHAT_FORM_REASON.to_owned()),
    },
];

/// Resolves the parameters from a policy's table; missing keys take their defaults.
pub fn resolve(table: &ParamTable) -> Result<PcParams, Error> {
    let bad = |key: &str, why: &str| Error::Param {
        procedure: super::NAME,
        key: key.to_owned(),
        why: why.to_owned(),
    };
    let mut params = PcParams::default();
    for (key, value) in table {
        match key.as_str() {
            "chat_days" => {
                params.chat_days = value.weekdays().ok_or_else(|| {
                    bad(key, "expected a list of weekdays, like [\"mon\", \"tue\"]")
                })?;
            }
            "chat_opens" => {
                params.chat_opens = value
                    .time()
                    .ok_or_else(|| bad(key, "expected a time HH:MM, like \"09:00\""))?;
            }
            "chat_closes" => {
                params.chat_closes = value
                    .time()
                    .ok_or_else(|| bad(key, "expected a time HH:MM, like \"18:00\""))?;
            }
            "holidays" => {
                params.holidays = value
                    .dates()
                    .ok_or_else(|| bad(key, "expected a list of dates YYYY-MM-DD"))?;
            }
            "form_reason" => {
                params.form_reason = value
                    .text()
                    .ok_or_else(|| bad(key, "expected the reason's text"))?
                    .to_owned();
            }
            other => return Err(bad(other, "no such parameter")),
        }
    }
    if params.chat_opens >= params.chat_closes {
        return Err(bad("chat_closes", "must be later than chat_opens"));
    }
    Ok(params)
}
