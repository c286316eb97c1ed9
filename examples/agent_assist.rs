//! A live "agent assist" loop: as each event of a call arrives, show the agent where the call
//! stands, the next step with its script line, and any finding the moment it is raised.
//!
//! Run it with `cargo run --example agent_assist`. The events below stand in for a telephony
//! or CRM feed; the same loop works on live events. Halfway through, the call is saved to JSON
//! and resumed, as an assist service would across a restart.

use std::collections::HashSet;
use std::sync::Arc;

use callflow::workflows::{Call, CallStart, Config, Detail, Event, Reason, Stamp, Step, Team};
use chrono::{DateTime, Duration, FixedOffset};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Arc::new(Config::default());
    let start: DateTime<FixedOffset> = DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00")?;
    let mut call = Call::start(
        Arc::clone(&config),
        CallStart {
            call_id: "C-2001",
            agent_id: "sjones",
            department: "Home Warranty Rewards",
            agent_name: Some("Sam"),
            stamp: Stamp { line: 1, at: start },
        },
    );
    let feed = [
        Event::Greeting,
        Event::CustomerIdentified { name: "Pat Lee" },
        Event::Inquiry {
            reason: Reason::RewardEmailMissing,
            code: "reward_email_missing",
        },
        Event::WarrantyStarted("2026-01-20".parse()?),
        Event::FirstPayment(Some("2026-02-01".parse()?)),
        Event::Apologize,
        Event::Collect {
            detail: Detail::Name,
            declined: false,
        },
        Event::Collect {
            detail: Detail::Email,
            declined: false,
        },
        Event::ExpectEmailSoon, // a slip: false in the overdue branch
        Event::Goodbye,
        Event::EmailSent(Team::RewardsTeam),
        Event::CallEnded(Default::default()),
    ];
    let mut seen = HashSet::new();
    show(&call, &mut seen);
    for (i, event) in feed.into_iter().enumerate() {
        let line = i as u64 + 2;
        let at = start + Duration::seconds(15 * line as i64);
        println!("\n> {} (line {line})", event.kind());
        call.handle(&Step::new(Stamp { line, at }, event))?;
        if line == 6 {
            let saved = serde_json::to_string(&call)?;
            call = serde_json::from_str::<Call>(&saved)?.with_config(Arc::clone(&config));
            println!("  (saved as {} bytes of JSON and resumed)", saved.len());
        }
        show(&call, &mut seen);
    }
    let outcome = call.outcome();
    println!(
        "\ncall over: verdict {}, score {}",
        outcome.verdict, outcome.score
    );
    Ok(())
}

/// Prints the state, the branch, the next step and any new finding.
fn show(call: &Call, seen: &mut HashSet<(String, u64)>) {
    let branch = call
        .inquiries()
        .last()
        .and_then(|i| i.branch())
        .map_or("-", |b| b.as_str());
    println!("  state: {}, branch: {branch}", call.state().name());
    if let Some(next) = call.next_steps().first() {
        let requirement = &next.requirement;
        let value = requirement.value.as_deref().unwrap_or("");
        println!("  next: {} {value}: {}", requirement.step, requirement.what);
        if let Some(line) = &next.line {
            println!("    say: \"{line}\"");
        }
    }
    for finding in call.findings() {
        if seen.insert((finding.code.to_string(), finding.line())) {
            println!(
                "  !! {} ({}): {}",
                finding.code,
                finding.severity(),
                finding.message()
            );
        }
    }
}
