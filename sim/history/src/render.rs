//! A trend written out: text to read, CSV for a spreadsheet (the audit's formula-safe
//! writer), JSON for a program. The HTML page is [`crate::html`].

use std::io::{self, Write};

use callflow_audit::render::csv::Row;

use crate::trend::{By, Trend};

/// The trend's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrendFormat {
    /// A table to read.
    Text,
    /// One row per key and period, a column per code.
    Csv,
    /// The whole trend (`callflow-trend/1`).
    Json,
    /// A self-contained page with line charts and the notable moves.
    Html,
}

/// Writes a trend in a format.
pub fn write(trend: &Trend, format: TrendFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        TrendFormat::Text => text(trend, out),
        TrendFormat::Csv => csv(trend, out),
        TrendFormat::Json => json(trend, out),
        TrendFormat::Html => crate::html::write(trend, out),
    }
}

/// The codes a row shows in text: the three with the highest rates.
const TEXT_CODES: usize = 3;

/// The trend as a table, then the notable moves.
pub fn text(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    let keys = trend.keys();
    writeln!(
        out,
        "Trend by {}, per {}: {} {}, {} period{}; each call counted once, by its latest stored result.",
        trend.by.as_str(),
        trend.period.as_str(),
        keys.len(),
        if keys.len() == 1 { trend.by.as_str() } else { trend.by.plural() },
        trend.periods.len(),
        if trend.periods.len() == 1 { "" } else { "s" },
    )?;
    if trend.rows.is_empty() {
        writeln!(out, "\nNo stored calls in these dates.")?;
        return Ok(());
    }
    let width = keys
        .iter()
        .map(|k| k.len())
        .max()
        .unwrap_or(0)
        .max(trend.by.as_str().len());
    let rate = if trend.by == By::Code {
        "share"
    } else {
        "top codes"
    };
    writeln!(
        out,
        "\n{:width$}  {:10}  {:>6}  {:>9}  {:>10}  {rate}",
        trend.by.as_str(),
        "period",
        "calls",
        "pass rate",
        "mean score"
    )?;
    for row in &trend.rows {
        let last = match row.share {
            Some(share) => format!("{share:.1}% of all calls"),
            None => {
                let mut codes: Vec<(&String, &f64)> = row.codes.iter().collect();
                codes.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
                let shown: Vec<String> = codes
                    .iter()
                    .take(TEXT_CODES)
                    .map(|(code, rate)| format!("{code} {rate:.1}%"))
                    .collect();
                if shown.is_empty() {
                    "-".to_owned()
                } else {
                    shown.join(", ")
                }
            }
        };
        writeln!(
            out,
            "{:width$}  {:10}  {:>6}  {:>8.1}%  {:>10.1}  {last}",
            row.key, row.period, row.calls, row.pass_rate, row.mean_score
        )?;
    }
    writeln!(
        out,
        "\nNotable moves (pass rate down {} points or more, or a code's rate doubled, between \
         consecutive periods of {} calls or more):",
        crate::trend::PASS_RATE_DROP,
        crate::trend::MIN_CALLS
    )?;
    if trend.moves.is_empty() {
        writeln!(out, "  none")?;
    }
    for m in &trend.moves {
        writeln!(out, "  - {}", m.sentence())?;
    }
    Ok(())
}

/// One row per key and period; a column per code (its rate in percent); cells neutralised.
pub fn csv(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    let codes = trend.codes();
    let mut row = Row::new();
    row.text(trend.by.as_str())
        .text("period")
        .text("period_start")
        .text("calls")
        .text("passed")
        .text("pass_rate")
        .text("mean_score");
    if trend.by == By::Code {
        row.text("share");
    }
    for code in &codes {
        row.text(&format!("{code}_rate"));
    }
    row.write(out)?;
    for r in &trend.rows {
        row.text(&r.key)
            .text(&r.period)
            .text(&r.start.to_string())
            .number(r.calls)
            .number(r.passed)
            .text(&format!("{:.2}", r.pass_rate))
            .text(&format!("{:.2}", r.mean_score));
        if let Some(share) = r.share {
            row.text(&format!("{share:.2}"));
        }
        for code in &codes {
            row.text(&format!("{:.2}", r.codes.get(code).copied().unwrap_or(0.0)));
        }
        row.write(out)?;
    }
    Ok(())
}

/// The JSON form's format name.
pub const FORMAT: &str = "callflow-trend/1";

/// The trend as one JSON document.
pub fn json(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    let document = serde_json::json!({
        "format": FORMAT,
        "by": trend.by,
        "period": trend.period,
        "periods": trend.periods.iter().map(|(start, name)| serde_json::json!({
            "period": name, "start": start,
        })).collect::<Vec<_>>(),
        "rows": trend.rows,
        "moves": trend.moves,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
