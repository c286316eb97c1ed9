//! `callflow trend`: per period and per agent, code, procedure or branch, over the stored
//! runs; and the agents' recent pass rates the audit's HTML shows with `--history`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::ValueEnum;

use super::history::HistoryDb;
use super::output::write_output;
use crate::audit::render::html::AgentHistory;
use crate::history::{render, By, History, Period, TrendFormat, TrendQuery};

/// `callflow trend`
#[derive(Debug, clap::Args)]
pub struct TrendArgs {
    /// The database.
    #[command(flatten)]
    pub db: HistoryDb,
    /// Rows per agent, per code raised, per procedure, or per procedure branch.
    #[arg(long, value_enum, default_value = "agent")]
    pub by: ByArg,
    /// The periods.
    #[arg(long, value_enum, default_value = "week")]
    pub period: PeriodArg,
    /// Calls on or after this date (YYYY-MM-DD, the call date in business time).
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Calls on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Output format. Default: from the --out file's extension (.txt, .csv, .json, .html),
    /// else text.
    #[arg(long, value_enum)]
    pub format: Option<TrendFormatArg>,
    /// Write to this file (atomically) rather than standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `--by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// The agent who started the call.
    Agent,
    /// Each code raised (its calls: those that raised it).
    Code,
    /// Each procedure an inquiry went through.
    Procedure,
    /// Each procedure branch an inquiry took.
    Branch,
}

/// `--period` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    /// Calendar days.
    Day,
    /// Weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendFormatArg {
    /// A table to read.
    Text,
    /// One row per key and period (formula-safe cells).
    Csv,
    /// The whole trend.
    Json,
    /// A self-contained page with line charts and the notable moves.
    Html,
}

fn format_for(explicit: Option<TrendFormatArg>, out: Option<&Path>) -> Result<TrendFormat> {
    Ok(match explicit {
        Some(TrendFormatArg::Text) => TrendFormat::Text,
        Some(TrendFormatArg::Csv) => TrendFormat::Csv,
        Some(TrendFormatArg::Json) => TrendFormat::Json,
        Some(TrendFormatArg::Html) => TrendFormat::Html,
        None => match out
            .and_then(Path::extension)
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("txt" | "text") => TrendFormat::Text,
            Some("csv") => TrendFormat::Csv,
            Some("json") => TrendFormat::Json,
            Some("html" | "htm") => TrendFormat::Html,
            Some(other) => anyhow::bail!(
                "{}: callflow trend does not write .{other} files: give --out a .txt, .csv, \
                 .json or .html name, or choose the format with --format",
                out.map(Path::display)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            ),
        },
    })
}

/// Runs `callflow trend`.
pub fn run(args: TrendArgs) -> Result<ExitCode> {
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            anyhow::bail!("--from {from} is after --to {to}: no dates between them");
        }
    }
    let format = format_for(args.format, args.out.as_deref())?;
    let mut history = History::open(&args.db.db)?;
    let query = TrendQuery {
        by: match args.by {
            ByArg::Agent => By::Agent,
            ByArg::Code => By::Code,
            ByArg::Procedure => By::Procedure,
            ByArg::Branch => By::Branch,
        },
        period: match args.period {
            PeriodArg::Day => Period::Day,
            PeriodArg::Week => Period::Week,
            PeriodArg::Month => Period::Month,
        },
        from: args.from,
        to: args.to,
    };
    let trend = history.trend(&query)?;
    write_output(args.out.as_deref(), |out| {
        render::write(&trend, format, out)
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Weeks the audit's HTML shows each agent's pass rate over.
pub const AGENT_WEEKS: usize = 6;

/// Each agent's weekly pass rate over the last [`AGENT_WEEKS`] weeks that hold calls, from
/// the history (the run being stored included).
pub fn agent_history(history: &mut History) -> Result<AgentHistory> {
    let trend = history.trend(&TrendQuery::new(By::Agent, Period::Week))?;
    let skip = trend.periods.len().saturating_sub(AGENT_WEEKS);
    let periods: Vec<(NaiveDate, String)> = trend.periods.into_iter().skip(skip).collect();
    let mut out = AgentHistory {
        periods: periods.iter().map(|(_, name)| name.clone()).collect(),
        ..AgentHistory::default()
    };
    for row in &trend.rows {
        let Some(i) = periods.iter().position(|(start, _)| *start == row.start) else {
            continue;
        };
        let slots = out
            .agents
            .entry(row.key.clone())
            .or_insert_with(|| vec![None; periods.len()]);
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some((row.calls, row.pass_rate));
        }
    }
    Ok(out)
}
