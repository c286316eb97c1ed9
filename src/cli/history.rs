//! `callflow history list|delete RUN`: the runs stored by `callflow audit --history DB`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::history::History;

/// `callflow history`
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// What to do with the stored runs.
    #[command(subcommand)]
    pub action: HistoryAction,
}

/// The history's database (`--history DB`).
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryDb {
    /// The history database: a SQLite file or a `postgres://` address.
    #[arg(long = "history", value_name = "DB")]
    pub db: String,
}

/// `callflow history` subcommands.
#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// List the stored runs, oldest first.
    List {
        /// The database.
        #[command(flatten)]
        db: HistoryDb,
    },
    /// Delete a stored run and its calls' results, in one transaction (the calls it had
    /// re-audited count their previous results again).
    Delete {
        /// The run's number, as `callflow history list` shows it.
        run: i64,
        /// The database.
        #[command(flatten)]
        db: HistoryDb,
    },
}

/// Runs `callflow history`.
pub fn run(args: HistoryArgs) -> Result<ExitCode> {
    match args.action {
        HistoryAction::List { db } => {
            let mut history = History::open(&db.db)?;
            let runs = history.runs()?;
            let mut out = std::io::stdout().lock();
            if runs.is_empty() {
                writeln!(out, "{}: no stored runs", history.target())?;
                return Ok(ExitCode::SUCCESS);
            }
            writeln!(
                out,
                "{:>4}  {:20}  {:>7}  {:>6}  {:>6}  {:>10}  {:>8}  {:12}  {:12}  log",
                "run",
                "recorded (UTC)",
                "calls",
                "passed",
                "failed",
                "incomplete",
                "rejected",
                "log sha256",
                "policy"
            )?;
            for run in runs {
                let short = |s: &str| -> String {
                    if s.is_empty() {
                        "-".to_owned()
                    } else {
                        s.chars().take(12).collect()
                    }
                };
                writeln!(
                    out,
                    "{:>4}  {:20}  {:>7}  {:>6}  {:>6}  {:>10}  {:>8}  {:12}  {:12}  {}",
                    run.id,
                    run.recorded_at,
                    run.calls[0],
                    run.calls[1],
                    run.calls[2],
                    run.calls[3],
                    run.rows[2],
                    short(&run.log_sha256),
                    short(&run.policy),
                    run.log_name
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        HistoryAction::Delete { run, db } => {
            let mut history = History::open(&db.db)?;
            history.delete(run)?;
            eprintln!("callflow: deleted run {run} from {}", history.target());
            Ok(ExitCode::SUCCESS)
        }
    }
}
