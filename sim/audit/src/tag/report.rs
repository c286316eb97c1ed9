//! `callflow tag --report`: per call, the utterances read as no step and the steps read with
//! low confidence, so that a reviewer checks the doubtful ones first; what redaction kept
//! from being checked; and the rows and files left out.

use std::io::{self, Write};

use callflow_workflows::recognition::LOW_CONFIDENCE;

use super::TagOutcome;

/// Writes the review report as Markdown.
pub fn write(outcome: &TagOutcome, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Tagging review")?;
    writeln!(out)?;
    writeln!(
        out,
        "{} utterances, {} steps recognised, {} calls written, {} rows or files left out. \
         Low confidence is under {LOW_CONFIDENCE}.",
        outcome.utterances,
        outcome.steps,
        outcome.calls,
        outcome.rejected.len()
    )?;
    for call in &outcome.reviews {
        if call.no_step.is_empty() && call.doubtful.is_empty() && call.redacted.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "## {} ({} utterances)", call.call_id, call.utterances)?;
        if !call.doubtful.is_empty() {
            writeln!(out)?;
            writeln!(out, "Low confidence (check these first):")?;
            for step in &call.doubtful {
                let value = if step.value.is_empty() {
                    String::new()
                } else {
                    format!(" = {}", step.value)
                };
                writeln!(
                    out,
                    "- {} `{}`{value} ({:.2}, {}): \"{}\"",
                    step.timestamp,
                    step.event,
                    step.confidence,
                    step.by.describe(),
                    step.text
                )?;
            }
        }
        if !call.redacted.is_empty() {
            writeln!(out)?;
            writeln!(out, "Redacted (recognised, value not checked):")?;
            for (at, event) in &call.redacted {
                writeln!(out, "- {at} `{event}`: the value was redacted ([PII]): nothing resting on it was checked")?;
            }
        }
        if !call.no_step.is_empty() {
            writeln!(out)?;
            writeln!(out, "No step:")?;
            for (at, speaker, text) in &call.no_step {
                writeln!(out, "- {at} {speaker}: \"{text}\"")?;
            }
        }
    }
    if !outcome.rejected.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Left out")?;
        writeln!(out)?;
        for r in &outcome.rejected {
            writeln!(out, "- {}: {}", r.place, r.reason)?;
        }
    }
    Ok(())
}
