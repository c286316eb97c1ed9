//! Trends: per period and per agent, code, procedure or branch, the calls, the pass rate, the
//! mean score and each code's rate, over each stored call's latest result; and the notable
//! moves between two consecutive periods.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::backend::Val;
use crate::error::{Error, Result};
use crate::record::{date_of, day_number, periods};
use crate::store::History;

/// What a trend's rows are per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum By {
    /// The agent who started the call.
    Agent,
    /// A code the call raised (its rows are the calls that raised it).
    Code,
    /// A procedure one of the call's inquiries went through.
    Procedure,
    /// A procedure's branch one of the call's inquiries took (`procedure/branch`).
    Branch,
}

impl By {
    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            By::Agent => "agent",
            By::Code => "code",
            By::Procedure => "procedure",
            By::Branch => "branch",
        }
    }

    /// Its plural, for sentences.
    pub fn plural(self) -> &'static str {
        match self {
            By::Agent => "agents",
            By::Code => "codes",
            By::Procedure => "procedures",
            By::Branch => "branches",
        }
    }
}

/// The length of a trend's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Period {
    /// A calendar day.
    Day,
    /// A week, Monday to Sunday (ISO weeks: `2026-W10`).
    Week,
    /// A calendar month.
    Month,
}

impl Period {
    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The stored column holding a call's period (the day number its period starts on).
    fn column(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// A period's name from its first day: `2026-03-05`, `2026-W10`, `2026-03`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Day => start.to_string(),
            Period::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => format!("{}-{:02}", start.year(), start.month()),
        }
    }

    /// The first day of the period after the one starting on `start`.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => start.succ_opt(),
            Period::Week => start.checked_add_days(chrono::Days::new(7)),
            Period::Month => start.checked_add_months(Months::new(1)),
        }
    }
}

/// A trend to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendQuery {
    /// Rows per what.
    pub by: By,
    /// Periods of what length.
    pub period: Period,
    /// Calls on or after this date (business time zone).
    pub from: Option<NaiveDate>,
    /// Calls on or before this date.
    pub to: Option<NaiveDate>,
}

impl TrendQuery {
    /// All dates.
    pub fn new(by: By, period: Period) -> TrendQuery {
        TrendQuery {
            by,
            period,
            from: None,
            to: None,
        }
    }
}

/// One key's figures in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    /// The agent, code, procedure or `procedure/branch`.
    pub key: String,
    /// The period's name.
    pub period: String,
    /// Its first day.
    pub start: NaiveDate,
    /// Calls (their latest stored results).
    pub calls: u64,
    /// Of which passed.
    pub passed: u64,
    /// Passed, in percent of the calls.
    pub pass_rate: f64,
    /// Mean score.
    pub mean_score: f64,
    /// By code: the share of all the period's calls that raised the code, in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// By code: all the period's calls (what the share is of).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_calls: Option<u64>,
    /// Each code's rate: the share of these calls that raised it, in percent (not by code).
    pub codes: BTreeMap<String, f64>,
}

/// What a notable move is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MoveKind {
    /// The pass rate fell by [`PASS_RATE_DROP`] points or more.
    PassRateDown,
    /// A code's rate at least doubled.
    CodeDoubled {
        /// The code.
        code: String,
    },
}

/// A notable move between two consecutive periods, each with [`MIN_CALLS`] calls or more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    /// Whose.
    pub key: String,
    /// What moved.
    #[serde(flatten)]
    pub kind: MoveKind,
    /// The earlier period.
    pub from_period: String,
    /// The later one.
    pub to_period: String,
    /// The rate before, in percent.
    pub before: f64,
    /// The rate after.
    pub after: f64,
    /// Calls in the earlier period.
    pub calls_before: u64,
    /// Calls in the later one.
    pub calls_after: u64,
}

impl Move {
    /// The move in words, with its numbers.
    pub fn sentence(&self) -> String {
        let what = match &self.kind {
            MoveKind::PassRateDown => format!("{}: pass rate down", self.key),
            MoveKind::CodeDoubled { code } if *code == self.key => {
                format!("{code}: rate more than doubled")
            }
            MoveKind::CodeDoubled { code } => {
                format!("{}: {code} rate more than doubled", self.key)
            }
        };
        format!(
            "{what} from {:.1}% in {} ({} calls) to {:.1}% in {} ({} calls)",
            self.before,
            self.from_period,
            self.calls_before,
            self.after,
            self.to_period,
            self.calls_after
        )
    }
}

/// A pass rate falling by this many points or more between two consecutive periods is flagged.
pub const PASS_RATE_DROP: f64 = 10.0;
/// Both periods need this many calls or more for a move to be flagged.
pub const MIN_CALLS: u64 = 20;

/// A trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Per what.
    pub by: By,
    /// Period length.
    pub period: Period,
    /// The periods that hold calls, in order: their first days and names.
    pub periods: Vec<(NaiveDate, String)>,
    /// The rows, by key then period.
    pub rows: Vec<TrendRow>,
    /// The notable moves, by key then period.
    pub moves: Vec<Move>,
}

impl Trend {
    /// The codes any row has a rate of, in order.
    pub fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .rows
            .iter()
            .flat_map(|r| r.codes.keys().cloned())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// The keys, in order.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.rows.iter().map(|r| r.key.as_str()).collect();
        keys.dedup();
        keys
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

impl History {
    /// A trend over each stored call's latest result.
    pub fn trend(&mut self, query: &TrendQuery) -> Result<Trend> {
        // Dates on whole periods (or none) read the period's own tallies; dates that cut a
        // period read the days'.
        let start_of = |date: NaiveDate| {
            let (day, week, month) = periods(date);
            match query.period {
                Period::Day => day,
                Period::Week => week,
                Period::Month => month,
            }
        };
        let whole = query.from.is_none_or(|d| start_of(d) == day_number(d))
            && query.to.is_none_or(|d| {
                d.succ_opt()
                    .is_none_or(|next| start_of(next) == day_number(next))
            });
        let (grain, column, from, to) = if whole {
            (
                query.period.column(),
                "start",
                query.from.map(start_of),
                query.to.map(start_of),
            )
        } else {
            (
                "day",
                query.period.column(),
                query.from.map(day_number),
                query.to.map(day_number),
            )
        };
        let params = [
            Val::Int(from.unwrap_or(i64::from(i32::MIN))),
            Val::Int(to.unwrap_or(i64::from(i32::MAX))),
            Val::Text(query.by.as_str().to_owned()),
            Val::Text(grain.to_owned()),
        ];
        let range = "grain = $4 AND start >= $1 AND start <= $2";
        let counts = self.select(
            &format!(
                "SELECT key, {column}, CAST(SUM(calls) AS BIGINT), CAST(SUM(passed) AS BIGINT), \
                 CAST(SUM(score) AS BIGINT) FROM tally WHERE dim = $3 AND {range} \
                 GROUP BY key, {column} HAVING SUM(calls) > 0"
            ),
            &params,
        )?;
        let codes = if query.by == By::Code {
            Vec::new()
        } else {
            self.select(
                &format!(
                    "SELECT key, {column}, code, CAST(SUM(calls) AS BIGINT) FROM tally_codes \
                     WHERE dim = $3 AND {range} GROUP BY key, {column}, code \
                     HAVING SUM(calls) > 0"
                ),
                &params,
            )?
        };
        let totals = if query.by == By::Code {
            // Every call has one agent: the agents' tally counts each call once.
            let mut agents = params.clone();
            agents[2] = Val::Text(By::Agent.as_str().to_owned());
            self.select(
                &format!(
                    "SELECT {column}, CAST(SUM(calls) AS BIGINT) FROM tally \
                     WHERE dim = $3 AND {range} GROUP BY {column}"
                ),
                &agents,
            )?
        } else {
            Vec::new()
        };
        self.assemble(query, &counts, &codes, &totals)
    }

    fn assemble(
        &self,
        query: &TrendQuery,
        counts: &[Vec<Val>],
        codes: &[Vec<Val>],
        totals: &[Vec<Val>],
    ) -> Result<Trend> {
        let bad = |column: &'static str, value: &Val| Error::BadValue {
            target: self.target().to_owned(),
            column,
            value: format!("{value:?}"),
        };
        let text = |row: &[Val], i: usize| -> Result<String> {
            match row.get(i) {
                Some(Val::Text(t)) => Ok(t.clone()),
                Some(other) => Err(bad("a trend's key", other)),
                None => Err(bad("a trend's key", &Val::Null)),
            }
        };
        let int = |row: &[Val], i: usize| -> Result<i64> {
            match row.get(i) {
                Some(Val::Int(n)) => Ok(*n),
                Some(other) => Err(bad("a trend's count", other)),
                None => Err(bad("a trend's count", &Val::Null)),
            }
        };
        let start = |day: i64| date_of(day).ok_or_else(|| bad("calls.day", &Val::Int(day)));
        let mut rows: BTreeMap<(String, i64), TrendRow> = BTreeMap::new();
        for row in counts {
            let (key, day) = (text(row, 0)?, int(row, 1)?);
            let (calls, passed, score) = (int(row, 2)?, int(row, 3)?, int(row, 4)?);
            let (calls, passed) = (calls.max(0) as u64, passed.max(0) as u64);
            let first = start(day)?;
            rows.insert(
                (key.clone(), day),
                TrendRow {
                    key,
                    period: query.period.label(first),
                    start: first,
                    calls,
                    passed,
                    pass_rate: percent(passed, calls),
                    mean_score: if calls == 0 {
                        0.0
                    } else {
                        score as f64 / calls as f64
                    },
                    share: None,
                    period_calls: None,
                    codes: BTreeMap::new(),
                },
            );
        }
        for row in codes {
            let (key, day, code, n) = (text(row, 0)?, int(row, 1)?, text(row, 2)?, int(row, 3)?);
            if let Some(r) = rows.get_mut(&(key, day)) {
                r.codes.insert(code, percent(n.max(0) as u64, r.calls));
            }
        }
        if query.by == By::Code {
            let mut all: BTreeMap<i64, u64> = BTreeMap::new();
            for row in totals {
                all.insert(int(row, 0)?, int(row, 1)?.max(0) as u64);
            }
            for ((_, day), r) in rows.iter_mut() {
                let total = all.get(day).copied().unwrap_or(0);
                r.share = Some(percent(r.calls, total));
                r.period_calls = Some(total);
            }
        }
        let mut periods: Vec<(NaiveDate, String)> =
            rows.values().map(|r| (r.start, r.period.clone())).collect();
        periods.sort();
        periods.dedup();
        let rows: Vec<TrendRow> = rows.into_values().collect();
        let moves = moves(query.period, &rows);
        Ok(Trend {
            by: query.by,
            period: query.period,
            periods,
            rows,
            moves,
        })
    }
}

/// The notable moves of rows sorted by key then period.
pub fn moves(period: Period, rows: &[TrendRow]) -> Vec<Move> {
    let mut out = Vec::new();
    for pair in rows.windows(2) {
        let [a, b] = pair else { continue };
        if a.key != b.key || period.next(a.start) != Some(b.start) {
            continue;
        }
        let make = |kind: MoveKind, before: f64, after: f64, calls: (u64, u64)| Move {
            key: a.key.clone(),
            kind,
            from_period: a.period.clone(),
            to_period: b.period.clone(),
            before,
            after,
            calls_before: calls.0,
            calls_after: calls.1,
        };
        // By code, the share is of all the period's calls: those must be enough.
        if let (Some(before), Some(after), Some(calls_a), Some(calls_b)) =
            (a.share, b.share, a.period_calls, b.period_calls)
        {
            if calls_a >= MIN_CALLS && calls_b >= MIN_CALLS && before > 0.0 && after >= 2.0 * before
            {
                let code = a.key.clone();
                out.push(make(
                    MoveKind::CodeDoubled { code },
                    before,
                    after,
                    (calls_a, calls_b),
                ));
            }
        }
        if a.calls < MIN_CALLS || b.calls < MIN_CALLS {
            continue;
        }
        let calls = (a.calls, b.calls);
        if a.pass_rate - b.pass_rate >= PASS_RATE_DROP {
            out.push(make(
                MoveKind::PassRateDown,
                a.pass_rate,
                b.pass_rate,
                calls,
            ));
        }
        for (code, &before) in &a.codes {
            let after = b.codes.get(code).copied().unwrap_or(0.0);
            if before > 0.0 && after >= 2.0 * before {
                let code = code.clone();
                out.push(make(MoveKind::CodeDoubled { code }, before, after, calls));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, start: NaiveDate, calls: u64, passed: u64, cf02: f64) -> TrendRow {
        TrendRow {
            key: key.into(),
            period: Period::Week.label(start),
            start,
            calls,
            passed,
            pass_rate: percent(passed, calls),
            mean_score: 80.0,
            share: None,
            period_calls: None,
            codes: [("CF02".to_owned(), cf02)].into(),
        }
    }

    #[test]
    fn moves_need_consecutive_periods_with_enough_calls() {
        let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let next = Period::Week.next(monday).unwrap();
        let later = Period::Week.next(next).unwrap();
        // 80% to 65%: down 15 points; CF02 5% to 10%: doubled.
        let rows = [
            row("a1", monday, 20, 16, 5.0),
            row("a1", next, 20, 13, 10.0),
        ];
        let found = moves(Period::Week, &rows);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].kind, MoveKind::PassRateDown);
        assert_eq!(
            found[0].sentence(),
            "a1: pass rate down from 80.0% in 2026-W10 (20 calls) to 65.0% in 2026-W11 (20 calls)"
        );
        // 19 calls in one period: nothing.
        let few = [
            row("a1", monday, 19, 16, 5.0),
            row("a1", next, 20, 10, 10.0),
        ];
        assert!(moves(Period::Week, &few).is_empty());
        // A gap of a week: not consecutive.
        let gap = [
            row("a1", monday, 20, 16, 5.0),
            row("a1", later, 20, 10, 10.0),
        ];
        assert!(moves(Period::Week, &gap).is_empty());
        // Down 9 points, CF02 up by less than double: nothing.
        let small = [
            row("a1", monday, 100, 80, 5.0),
            row("a1", next, 100, 71, 9.9),
        ];
        assert!(moves(Period::Week, &small).is_empty());
    }

    #[test]
    fn labels() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(Period::Day.label(date), "2026-01-01");
        assert_eq!(Period::Week.label(date), "2026-W01");
        assert_eq!(Period::Month.label(date), "2026-01");
    }
}
