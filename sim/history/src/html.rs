//! The trend as one self-contained HTML page: the notable moves first, each with its numbers;
//! line charts (SVG drawn here from the numbers, no script) of the pass rate per key and of
//! the codes' rates; the table of every row. Every text from the database is escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::trend::{By, Trend, MIN_CALLS, PASS_RATE_DROP};

/// Lines drawn per chart at most (the keys with the most calls; the table has all).
pub const MAX_LINES: usize = 8;

/// Colours of the lines, told apart also by their markers' shapes in the legend order.
const COLOURS: [&str; MAX_LINES] = [
    "#3b6ea8", "#c0222b", "#1a7f37", "#8a5a00", "#6f42c1", "#00838f", "#d63384", "#555555",
];

/// Text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One line: its name and a value (percent) per period, `None` where it has no calls.
struct Series {
    name: String,
    values: Vec<Option<f64>>,
}

/// A line chart of percentages over the periods, with its legend and a description.
fn line_chart(id: &str, title: &str, periods: &[String], series: &[Series]) -> String {
    let (width, height) = (760.0f64, 300.0f64);
    let (left, right, top, bottom) = (48.0, 44.0, 16.0, 44.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let highest = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, &b| a.max(b));
    // 0 to 100, or to the next ten above the highest for small rates.
    let y_max = if highest > 50.0 {
        100.0
    } else {
        ((highest / 10.0).ceil() * 10.0).max(10.0)
    };
    let x = |i: usize| {
        if periods.len() <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (periods.len() - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - v / y_max);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-t\">\
         <title id=\"{id}-t\">{}</title>",
        escape(title)
    );
    for step in 0..=4 {
        let v = y_max * f64::from(step) / 4.0;
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"grid\"/>\
             <text x=\"{}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{}%</text>",
            width - right,
            left - 6.0,
            y(v) + 4.0,
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            },
            y = y(v)
        );
    }
    // At most 12 period labels.
    let every = periods.len().div_ceil(12).max(1);
    for (i, period) in periods.iter().enumerate() {
        if i % every == 0 || i + 1 == periods.len() {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{}</text>",
                x(i),
                height - bottom + 18.0,
                escape(period)
            );
        }
    }
    for (s, colour) in series.iter().zip(COLOURS) {
        let mut path = String::new();
        let mut pen_down = false;
        for (i, value) in s.values.iter().enumerate() {
            match value {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(
            svg,
            "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            path.trim_end()
        );
        for (i, value) in s.values.iter().enumerate() {
            if let Some(v) = value {
                let _ = write!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{} {}: {v:.1}%</title></circle>",
                    x(i),
                    y(*v),
                    escape(&s.name),
                    escape(periods.get(i).map_or("", String::as_str))
                );
            }
        }
    }
    svg.push_str("</svg>");
    let mut legend = String::from("<ul class=\"legend\">");
    for (s, colour) in series.iter().zip(COLOURS) {
        let _ = write!(
            legend,
            "<li><span class=\"swatch\" style=\"background:{colour}\"></span>{}</li>",
            escape(&s.name)
        );
    }
    legend.push_str("</ul>");
    format!("<figure>{svg}{legend}</figure>")
}

/// The keys with the most calls, at most [`MAX_LINES`], in the trend's order.
fn busiest(trend: &Trend) -> Vec<String> {
    let mut calls: BTreeMap<&str, u64> = BTreeMap::new();
    for row in &trend.rows {
        *calls.entry(&row.key).or_default() += row.calls;
    }
    let mut keys: Vec<(&str, u64)> = calls.into_iter().collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut kept: Vec<String> = keys
        .into_iter()
        .take(MAX_LINES)
        .map(|(k, _)| k.to_owned())
        .collect();
    kept.sort();
    kept
}

/// Writes the page.
pub fn write(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    let periods: Vec<String> = trend.periods.iter().map(|(_, name)| name.clone()).collect();
    let index: BTreeMap<&str, usize> = periods
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let keys = busiest(trend);
    let all_keys = trend.keys().len();
    let series_of = |value: &dyn Fn(&crate::trend::TrendRow) -> Option<f64>| -> Vec<Series> {
        keys.iter()
            .map(|key| {
                let mut values = vec![None; periods.len()];
                for row in trend.rows.iter().filter(|r| &r.key == key) {
                    if let Some(slot) = index
                        .get(row.period.as_str())
                        .and_then(|&i| values.get_mut(i))
                    {
                        *slot = value(row);
                    }
                }
                Series {
                    name: key.clone(),
                    values,
                }
            })
            .collect()
    };
    let by = trend.by.as_str();
    let per = trend.period.as_str();
    let mut charts = String::new();
    let pass = series_of(&|r| Some(r.pass_rate));
    let _ = write!(
        charts,
        "<section><h2>Pass rate by {by}, per {per}</h2>{}<p class=\"note\">{}</p></section>",
        line_chart(
            "chart-pass",
            &format!("Pass rate by {by}, per {per}"),
            &periods,
            &pass
        ),
        if all_keys > keys.len() {
            format!(
                "The {} {} with the most calls are drawn, of {all_keys}; the table lists all.",
                keys.len(),
                trend.by.plural()
            )
        } else {
            "Each line is one; a gap is a period without calls.".to_owned()
        }
    );
    if trend.by == By::Code {
        let share = series_of(&|r| r.share);
        let _ = write!(
            charts,
            "<section><h2>Share of all calls raising each code, per {per}</h2>{}</section>",
            line_chart(
                "chart-codes",
                "Share of all calls raising each code",
                &periods,
                &share
            )
        );
    } else {
        // Each code's rate over all the rows of a period (weighted by their calls); the codes
        // with the highest mean rate.
        let mut weighted: BTreeMap<String, Vec<(f64, u64)>> = BTreeMap::new();
        let mut period_calls = vec![0u64; periods.len()];
        for row in &trend.rows {
            let Some(&i) = index.get(row.period.as_str()) else {
                continue;
            };
            if let Some(c) = period_calls.get_mut(i) {
                *c += row.calls;
            }
            for (code, rate) in &row.codes {
                let slots = weighted
                    .entry(code.clone())
                    .or_insert_with(|| vec![(0.0, 0); periods.len()]);
                if let Some(slot) = slots.get_mut(i) {
                    slot.0 += rate / 100.0 * row.calls as f64;
                }
            }
        }
        let mut codes: Vec<Series> = weighted
            .into_iter()
            .map(|(code, slots)| Series {
                name: code,
                values: slots
                    .iter()
                    .zip(&period_calls)
                    .map(|((raised, _), &calls)| (calls > 0).then(|| raised * 100.0 / calls as f64))
                    .collect(),
            })
            .collect();
        let mean = |s: &Series| s.values.iter().flatten().sum::<f64>();
        codes.sort_by(|a, b| mean(b).total_cmp(&mean(a)).then(a.name.cmp(&b.name)));
        codes.truncate(MAX_LINES);
        let _ = write!(
            charts,
            "<section><h2>Code rates, per {per}</h2>{}<p class=\"note\">The share of the \
             period's calls that raised each code, over all {}; {}.</p></section>",
            line_chart("chart-codes", "Code rates", &periods, &codes),
            trend.by.plural(),
            match codes.len() {
                0 => "no code was raised".to_owned(),
                1 => "the one code raised".to_owned(),
                n => format!("the {n} most frequent codes"),
            }
        );
    }
    let mut moves = String::new();
    if trend.moves.is_empty() {
        moves.push_str("<p>None.</p>");
    } else {
        moves.push_str("<ul class=\"moves\">");
        for m in &trend.moves {
            let _ = write!(moves, "<li>{}</li>", escape(&m.sentence()));
        }
        moves.push_str("</ul>");
    }
    let mut table = String::new();
    let codes_heading = if trend.by == By::Code {
        "Share of all calls"
    } else {
        "Code rates"
    };
    let _ = write!(
        table,
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">Period</th>\
         <th scope=\"col\" class=\"num\">Calls</th><th scope=\"col\" class=\"num\">Pass rate</th>\
         <th scope=\"col\" class=\"num\">Mean score</th><th scope=\"col\">{codes_heading}</th>\
         </tr></thead><tbody>",
        escape(by)
    );
    for row in &trend.rows {
        let codes = match row.share {
            Some(share) => format!("{share:.1}%"),
            None => {
                let mut codes: Vec<(&String, &f64)> = row.codes.iter().collect();
                codes.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
                codes
                    .iter()
                    .map(|(c, r)| format!("{} {r:.1}%", escape(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let _ = write!(
            table,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{:.1}%</td><td class=\"num\">{:.1}</td><td>{codes}</td></tr>",
            escape(&row.key),
            escape(&row.period),
            row.calls,
            row.pass_rate,
            row.mean_score
        );
    }
    table.push_str("</tbody></table>");
    let span = match (periods.first(), periods.last()) {
        (Some(first), Some(last)) if first != last => format!("{first} to {last}"),
        (Some(only), _) => only.clone(),
        _ => "no stored calls".to_owned(),
    };
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>callflow trend by {by}, per {per}</title><style>{STYLE}</style></head><body>\
<header><h1>Trend by {by}, per {per}</h1><p>{} · {} {} · {} periods · each stored call counted \
once, by its latest result</p></header>\
<section class=\"moves\"><h2>Notable moves</h2><p class=\"note\">A pass rate down {PASS_RATE_DROP:.0} \
points or more, or a code's rate doubled, between two consecutive periods with {MIN_CALLS} calls \
or more in each.</p>{moves}</section>{charts}<section><h2>Every {by} and {per}</h2>{table}</section>\
</body></html>\n",
        escape(&span),
        all_keys,
        if all_keys == 1 { by } else { trend.by.plural() },
        periods.len()
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;\
padding:1rem;color:#222;line-height:1.4}h1{font-size:1.5rem;margin-bottom:.2rem}\
h2{font-size:1.15rem;margin-top:1.6rem}header p,.note{color:#555}\
svg{width:100%;height:auto;max-width:760px;display:block}\
.grid{stroke:#ddd;stroke-width:1}.axis{font-size:12px;fill:#555}\
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;margin:.3rem 0}\
.swatch{display:inline-block;width:.9rem;height:.3rem;margin-right:.35rem;vertical-align:middle}\
figure{margin:0}table{border-collapse:collapse;width:100%;font-size:.92rem}\
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .5rem;text-align:left;vertical-align:top}\
.num{text-align:right;font-variant-numeric:tabular-nums}\
section.moves ul{padding-left:1.2rem}section.moves li{margin:.2rem 0;color:#8a1c1c}\
@media (max-width:600px){table{font-size:.8rem}th,td{padding:.2rem}}";
