//! The calibration written out: text, Markdown, JSON (`callflow-calibration/1`) or one
//! self-contained HTML page. The human formats share one list of sections (a title, a
//! sentence, a table), written as aligned columns, Markdown tables or HTML tables.

use std::fmt::Write as _;

use super::{Calibration, CodeAgreement};
use crate::render::escape_html_text;

/// An output format of `callflow calibrate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalibrationFormat {
    /// Aligned tables for a terminal.
    Text,
    /// Markdown tables.
    Markdown,
    /// `callflow-calibration/1` JSON.
    Json,
    /// One self-contained HTML page.
    Html,
}

/// Writes the calibration in a format.
pub fn render(calibration: &Calibration, format: CalibrationFormat) -> String {
    match format {
        CalibrationFormat::Json => {
            let mut out = serde_json::to_string_pretty(calibration).unwrap_or_default();
            out.push('\n');
            out
        }
        CalibrationFormat::Text => text(&sections(calibration)),
        CalibrationFormat::Markdown => markdown(&sections(calibration)),
        CalibrationFormat::Html => html(&sections(calibration)),
    }
}

struct Section {
    title: String,
    note: String,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

fn percent(p: Option<f64>) -> String {
    p.map_or("-".into(), |p| format!("{p:.1}%"))
}

fn kappa(row: &CodeAgreement) -> String {
    match (row.kappa, row.too_few) {
        (_, true) => format!("too few ({})", row.n),
        (None, false) => "undefined".into(),
        (Some(k), false) => format!("{k:.2}"),
    }
}

fn code_rows(rows: &[CodeAgreement], overall: Option<&CodeAgreement>) -> Vec<Vec<String>> {
    rows.iter()
        .chain(overall)
        .map(|r| {
            vec![
                r.code.clone(),
                r.agreement.both.to_string(),
                r.agreement.first_only.to_string(),
                r.agreement.second_only.to_string(),
                r.n.to_string(),
                percent(r.percent),
                kappa(r),
            ]
        })
        .collect()
}

const CODE_HEADER: [&str; 7] = [
    "code",
    "both",
    "machine only",
    "evaluator only",
    "n",
    "agreement",
    "kappa",
];

fn sections(c: &Calibration) -> Vec<Section> {
    let mut out = Vec::new();
    out.push(Section {
        title: "Calibration".into(),
        note: format!(
            "{} judgements of {} calls (of {} audited) by {} evaluator{}: {}. Kappa under 10 \
             items is shown as too few.",
            c.judgements,
            c.calls_judged,
            c.audit_calls,
            c.evaluators.len(),
            if c.evaluators.len() == 1 { "" } else { "s" },
            c.evaluators.join(", ")
        ),
        header: Vec::new(),
        rows: Vec::new(),
    });
    out.push(Section {
        title: "Per code: the machine against the evaluators".into(),
        note: "Each judgement (a call, an evaluator) is one item.".into(),
        header: CODE_HEADER.to_vec(),
        rows: code_rows(&c.codes, None),
    });
    let v = &c.verdicts;
    let mut rows = Vec::new();
    for (i, label) in v.labels.iter().enumerate() {
        let mut row = vec![format!("machine {label}")];
        row.extend(v.counts[i].iter().map(u64::to_string));
        rows.push(row);
    }
    out.push(Section {
        title: "Verdicts".into(),
        note: format!(
            "Rows: the machine; columns: the evaluator. Agreement {} over {} judgements; kappa {}.",
            percent(v.percent),
            v.n,
            match (v.kappa, v.too_few) {
                (_, true) => format!("too few ({})", v.n),
                (None, _) => "undefined".into(),
                (Some(k), _) => format!("{k:.2}"),
            }
        ),
        header: vec![
            "",
            "evaluator pass",
            "evaluator fail",
            "evaluator incomplete",
        ],
        rows,
    });
    let s = &c.scores;
    out.push(Section {
        title: "Scores".into(),
        note: match (s.mean_absolute, s.within_10, s.mean_signed) {
            (Some(mean), Some(within), Some(signed)) => format!(
                "Over {} scored judgements: mean absolute difference {mean:.2} points; {within:.1}% \
                 within 10 points; the machine {:.2} points {} on average.",
                s.n,
                signed.abs(),
                if signed >= 0.0 { "higher" } else { "lower" }
            ),
            _ => "No evaluator gave a score.".into(),
        },
        header: Vec::new(),
        rows: Vec::new(),
    });
    for e in &c.per_evaluator {
        out.push(Section {
            title: format!("Evaluator {}: against the machine", e.evaluator),
            note: format!(
                "{} calls; verdicts agreeing {}.",
                e.calls,
                percent(e.verdict_percent)
            ),
            header: CODE_HEADER.to_vec(),
            rows: code_rows(&e.codes, Some(&e.overall)),
        });
        if !e.against.is_empty() {
            out.push(Section {
                title: format!("Evaluator {}: against the other evaluators", e.evaluator),
                note: "Every code together, over the calls both judged (first: this evaluator)."
                    .into(),
                header: vec![
                    "other",
                    "calls",
                    "both",
                    "this only",
                    "other only",
                    "n",
                    "agreement",
                    "kappa",
                ],
                rows: e
                    .against
                    .iter()
                    .map(|p| {
                        vec![
                            p.other.clone(),
                            p.calls.to_string(),
                            p.overall.agreement.both.to_string(),
                            p.overall.agreement.first_only.to_string(),
                            p.overall.agreement.second_only.to_string(),
                            p.overall.n.to_string(),
                            percent(p.overall.percent),
                            kappa(&p.overall),
                        ]
                    })
                    .collect(),
            });
        }
    }
    out.push(Section {
        title: "Disagreements".into(),
        note: format!(
            "{} disagreement{}, with the machine's evidence from the audit.",
            c.disagreements.len(),
            if c.disagreements.len() == 1 { "" } else { "s" }
        ),
        header: vec![
            "call",
            "agent",
            "evaluator",
            "code",
            "found by",
            "machine",
            "machine's evidence",
        ],
        rows: c
            .disagreements
            .iter()
            .map(|d| {
                let evidence: Vec<String> = d
                    .evidence
                    .iter()
                    .map(|e| format!("{} line {}: {}", e.code, e.line, e.message))
                    .collect();
                vec![
                    d.call_id.clone(),
                    d.agent_id.clone(),
                    d.evaluator.clone(),
                    d.code.clone().unwrap_or_else(|| "verdict".into()),
                    d.found_by.clone(),
                    d.machine.clone(),
                    if evidence.is_empty() {
                        "none raised".into()
                    } else {
                        evidence.join("; ")
                    },
                ]
            })
            .collect(),
    });
    if !c.rejected.is_empty() {
        out.push(Section {
            title: "Rows rejected".into(),
            note: "Rows of the evaluators' file not used.".into(),
            header: vec!["line", "call", "reason"],
            rows: c
                .rejected
                .iter()
                .map(|r| vec![r.line.to_string(), r.call_id.clone(), r.reason.clone()])
                .collect(),
        });
    }
    if !c.not_calibrated.is_empty() {
        out.push(Section {
            title: "Not calibrated".into(),
            note: format!(
                "Switched off by the policy: {}.",
                c.not_calibrated.join(", ")
            ),
            header: Vec::new(),
            rows: Vec::new(),
        });
    }
    out
}

fn text(sections: &[Section]) -> String {
    let mut out = String::new();
    for s in sections {
        let _ = writeln!(out, "{}\n{}", s.title, "=".repeat(s.title.chars().count()));
        let _ = writeln!(out, "{}", s.note);
        if !s.header.is_empty() {
            let mut widths: Vec<usize> = s.header.iter().map(|h| h.chars().count()).collect();
            for row in &s.rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cells: &mut dyn Iterator<Item = &str>| {
                let mut text = String::new();
                for (i, (cell, w)) in cells.zip(&widths).enumerate() {
                    if i > 0 {
                        text.push_str("  ");
                    }
                    let _ = write!(text, "{cell:<w$}");
                }
                text.trim_end().to_owned()
            };
            let _ = writeln!(out, "{}", line(&mut s.header.iter().copied()));
            for row in &s.rows {
                let _ = writeln!(out, "{}", line(&mut row.iter().map(String::as_str)));
            }
        }
        out.push('\n');
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn markdown(sections: &[Section]) -> String {
    let mut out = String::new();
    for (i, s) in sections.iter().enumerate() {
        let _ = writeln!(
            out,
            "{} {}\n\n{}\n",
            if i == 0 { "#" } else { "##" },
            s.title,
            s.note
        );
        if !s.header.is_empty() {
            let _ = writeln!(out, "| {} |", s.header.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(s.header.len()));
            for row in &s.rows {
                let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
            out.push('\n');
        }
    }
    out
}

fn html(sections: &[Section]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>callflow calibration</title>\n<style>\
         body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}\
         table{border-collapse:collapse;margin:.5em 0 1.5em}\
         th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
         th{background:#f3f3f3}</style>\n</head>\n<body>\n",
    );
    for (i, s) in sections.iter().enumerate() {
        let tag = if i == 0 { "h1" } else { "h2" };
        let _ = writeln!(
            out,
            "<{tag}>{}</{tag}>\n<p>{}</p>",
            escape_html_text(&s.title),
            escape_html_text(&s.note)
        );
        if !s.header.is_empty() {
            out.push_str("<table>\n<tr>");
            for h in &s.header {
                let _ = write!(out, "<th>{}</th>", escape_html_text(h));
            }
            out.push_str("</tr>\n");
            for row in &s.rows {
                out.push_str("<tr>");
                for c in row {
                    let _ = write!(out, "<td>{}</td>", escape_html_text(c));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
