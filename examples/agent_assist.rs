//! A live "agent assist" loop: as each event of a call arrives, show the agent where the call
//! stands, the next step with its script line, and any finding the moment it is raised.
//!
//! Run it with `cargo run --example agent_assist`. The events below stand in for a telephony
//! or CRM feed: each is an event name and a value as a v1 log writes them, read by the engine.
//! Halfway through, the call is saved to JSON and restored under the same engine, as an assist
//! service would across a restart (`examples/service_restart.rs` does that for many calls).

use std::sync::Arc;

use callflow_workflows::{Call, CallStart, Change, Engine, Stamp, Step};
use chrono::{DateTime, Duration, FixedOffset};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = Arc::new(Engine::builtin());
    let start: DateTime<FixedOffset> = DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00")?;
    let mut call = Call::start(
        &engine,
        CallStart {
            call_id: "C-2001",
            agent_id: "sjones",
            department: "Home Warranty Rewards",
            agent_name: Some("Sam"),
            stamp: Stamp { line: 1, at: start },
        },
    )?;
    let feed = [
        ("greeting", ""),
        ("customer_identified", "Pat Lee"),
        ("inquiry", "reward_email_missing"),
        ("warranty_started", "2026-01-20"),
        ("first_payment", "2026-02-01"),
        ("apologize", ""),
        ("collect", "name"),
        ("collect", "email"),
        ("expect_email_soon", ""), // a slip: false in the overdue branch
        ("goodbye", ""),
        ("email_sent", "rewards_team"),
        ("call_ended", ""),
    ];
    println!("  state: {}", call.state().name());
    if let Some(next) = call.next_steps().first() {
        println!("  next: {}", next.requirement.what);
    }
    for (i, (name, value)) in feed.into_iter().enumerate() {
        let line = i as u64 + 2;
        let at = start + Duration::seconds(15 * line as i64);
        println!("\n> {name} {value} (line {line})");
        let event = engine.event(name, value)?;
        let change = call.handle(&Step::new(Stamp { line, at }, event))?;
        show(&change);
        if line == 6 {
            let saved = serde_json::to_string(&call)?;
            let mut json = serde_json::Deserializer::from_str(&saved);
            call = Call::restore(&engine, &mut json)?;
            println!("  (saved as {} bytes of JSON and restored)", saved.len());
        }
    }
    let outcome = call.outcome();
    println!(
        "\ncall over: verdict {}, score {}",
        outcome.verdict, outcome.score
    );
    Ok(())
}

/// Prints what the event changed: the transitions, the findings it raised, the next step.
fn show(change: &Change<'_>) {
    if change.transitioned() {
        println!("  call: {} -> {}", change.from().name(), change.to().name());
    }
    for inquiry in change.inquiries() {
        println!(
            "  inquiry {}: {} -> {}",
            inquiry.index + 1,
            inquiry.from.unwrap_or("(opened)"),
            inquiry.to
        );
    }
    let call = change.call();
    for finding in change.raised() {
        println!(
            "  !! {} ({}): {}",
            finding.code,
            call.severity(finding),
            finding.message()
        );
    }
    // The next steps as typed values: nothing is filled or allocated until it is printed.
    let steps = change.next();
    let first = steps.iter().next();
    if let Some(next) = first {
        let requirement = next.requirement;
        let value = requirement.value.as_deref().unwrap_or("");
        println!("  next: {} {value}: {}", requirement.step, requirement.what);
        if let Some(line) = next.line {
            // The script line's handle; its text is filled (names, department) as it is written.
            println!("    say ({}): \"{line}\"", line.script().id());
        }
    }
}
