//! What people say in generated shopping-dollars calls besides the scripts: several phrasings
//! per step, in the spirit of seed 002's dialogues, and the rule each branch teaches. The
//! agent's scripted lines are in [`super::scripts`], said word for word; these are the
//! customer's lines and the agent's unscripted ones.
//!
//! Phrasings may hold `{age}` (how long ago the warranty was bought, true to the account),
//! `{when}` (when the customer reached out), `{ticket}`, `{name}`, `{email}`, `{phone}`.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::params::SdParams;

/// The customer: the reward email has not arrived, with a warranty bought recently (the
/// seed's own words first). For warranties up to 45 days old.
pub const EMAIL_MISSING_RECENT: &[&str] = &[
    "I'm calling regarding the shopping dollars that I was supposed to receive as part of the warranty I recently purchased. Could you please tell me when they will be available?",
    "I recently purchased a home warranty and I was told it comes with shopping dollars, but I haven't seen the email yet. Could you tell me when they will be available?",
];

/// The customer: the reward email has not arrived, saying when the warranty was bought.
pub const EMAIL_MISSING_AGED: &[&str] = &[
    "I bought a home warranty {age} and I was told I'd get shopping dollars with it, but the email never came. Could you tell me when they will be available?",
    "I'm calling about the shopping dollars that came with my warranty. I signed up {age} and there's still no email. When will I get them?",
    "I got my warranty {age} and I'm still waiting on the shopping dollars email. Do you know when it's coming?",
];

/// The customer: the reward site does not work (the seed's words first).
pub const SITE_ISSUE: &[&str] = &[
    "I received an email from Home Service Perks regarding my $250 shopping dollars; however, the site does not appear to be working.",
    "I got the email about my $250 in shopping dollars, but every time I try to log in to the Home Service Perks site it just keeps loading.",
    "I'm trying to use my shopping dollars on the Home Service Perks site and it won't let me check out.",
];

/// The customer: the partner has not answered (the seed's words first).
pub const NO_RESPONSE: &[&str] = &[
    "I'm calling regarding an inquiry I have placed with Home Service Perks, and I have been unable to reach anyone.",
    "I opened a ticket with Home Service Perks about my shopping dollars and I still haven't heard a thing from them.",
    "I sent Home Service Perks a support request about my reward and nobody has gotten back to me.",
];

/// The customer: when they reached out, inside business hours (`{when}`: a weekday and a
/// time of the working day).
pub const CONTACT_IN_HOURS: &[&str] = &[
    "I submitted it {when}.",
    "It was {when}, I filled in their support form from work.",
    "I reached out to them {when}.",
];

/// The customer: when they reached out, outside business hours (the seed's words first).
pub const CONTACT_AFTER_HOURS: &[&str] = &[
    "I reached out to them over the weekend.",
    "It was {when}.",
    "I sent it {when}, when I finally had a minute.",
];

/// The customer, who does not remember when they reached out (a path where the agent never
/// learns it).
pub const CONTACT_VAGUE: &[&str] = &[
    "Honestly, I don't remember exactly. A few days ago, I think.",
    "I'm not sure, sometime recently. I'd have to check my email.",
];

/// The customer gives the ticket number (the seed's words first).
pub const TICKET: &[&str] = &[
    "Sure. It's {ticket}.",
    "Yes, it's {ticket}.",
    "Let me find it. Okay, it's {ticket}.",
];

/// The agent, before the account facts come up.
pub const LOOK_UP: &[&str] = &[
    "Let me take a look at your account.",
    "One moment while I pull up your warranty.",
    "Let me check your account.",
];

/// The agent asks for each detail of the escalation, after the script's request (name,
/// email, phone, in [`super::Detail`] order).
pub const ASK_DETAIL: [&[&str]; 3] = [
    &[
        "Can I start with your first and last name?",
        "Could I have your first and last name, please?",
    ],
    &[
        "And your email address?",
        "What's the best email address for you?",
    ],
    &[
        "And a phone number where we can reach you?",
        "And your phone number?",
    ],
];

/// The agent asks for a detail the branch does not call for (a fault).
pub const ASK_DETAIL_PLAIN: [&str; 3] = [
    "Can I get your first and last name?",
    "Can I get your email address?",
    "Can I get your phone number?",
];

/// The customer gives each detail (name, email, phone).
pub const GIVE_DETAIL: [&[&str]; 3] = [
    &["It's {name}.", "Sure, {name}."],
    &["It's {email}.", "Sure, it's {email}."],
    &["It's {phone}.", "{phone}."],
];

/// The agent, once the details are in.
pub const DETAILS_TAKEN: &[&str] = &[
    "Thank you. I'll send these to our rewards team right after our call so they can get your shopping dollars out to you.",
    "Thank you, I have everything. Our rewards team will get these right after our call.",
];

/// The customer thanks the agent for an answer (the seed's words first).
pub const THANKS: &[&str] = &[
    "Great, thank you!",
    "Okay, that makes sense. Thanks.",
    "Got it, thank you.",
];

/// The customer, once the email is promised within the week.
pub const THANKS_SOON: &[&str] = &[
    "Great, thank you!",
    "Okay, I'll keep an eye out for it.",
    "Good to know, thanks.",
];

/// The customer, once the 24-hour follow-up is promised (the seed's words first).
pub const THANKS_FOLLOWUP: &[&str] = &[
    "Ok, great, thank you.",
    "Okay, I'll watch my inbox.",
    "That would be great, thanks.",
];

/// The customer, once the partner's support is explained (the seed's words first).
pub const THANKS_SUPPORT: &[&str] = &["Okay, thank you.", "Okay, I'll try that. Thanks."];

/// The agent's apology outside the script's places (a courtesy).
pub const SORRY: &[&str] = &["I'm sorry about the wait.", "Sorry about that."];

/// How long ago a warranty started `days` before the call, as a customer says it: only
/// phrasings the age makes true (an age the test of transcripts reads back).
pub fn age_phrase(days: i64, start: NaiveDate, pick: usize) -> String {
    let mut options: Vec<String> = Vec::new();
    if days <= 6 {
        options.push("a few days ago".to_owned());
    }
    if (5..=12).contains(&days) {
        options.push("last week".to_owned());
    }
    if (10..=45).contains(&days) {
        let weeks = (days + 3) / 7;
        let word = ["two", "three", "four", "five", "six", "seven"]
            .get(usize::try_from(weeks - 2).unwrap_or(usize::MAX))
            .copied();
        if let Some(word) = word {
            options.push(format!("about {word} weeks ago"));
        }
    }
    if (26..=38).contains(&days) {
        options.push("about a month ago".to_owned());
    }
    if (52..=68).contains(&days) {
        options.push("about two months ago".to_owned());
    }
    if days >= 20 {
        options.push(format!("back in {}", start.format("%B")));
    }
    if options.is_empty() {
        options.push(format!("back in {}", start.format("%B")));
    }
    options.swap_remove(pick % options.len())
}

/// When a customer reached out, `days_back` days before the call (1 to 6), inside business
/// hours or outside them, as they say it: "on Tuesday morning", "on Saturday afternoon",
/// "late on Thursday night". A day inside business hours is a weekday.
pub fn contact_when(call_date: NaiveDate, in_hours: bool, pick: usize) -> String {
    // The days before the call that suit: weekdays for business hours; for outside them,
    // the weekend or a weekday's evening.
    let days: Vec<NaiveDate> = (1..=6)
        .map(|back| call_date - Duration::days(back))
        .filter(|d| !in_hours || !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let day = days
        .get(pick % days.len().max(1))
        .copied()
        .unwrap_or(call_date);
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    // A weekend day is named, so that its hours need no saying.
    let reference = if call_date - day == Duration::days(1) && !weekend {
        "yesterday".to_owned()
    } else {
        format!("on {}", day.format("%A"))
    };
    let parts: &[&str] = if in_hours {
        &["morning", "afternoon", "around lunchtime"]
    } else if weekend {
        &["morning", "afternoon", "evening"]
    } else {
        &["night", "evening, around nine"]
    };
    let part = parts
        .get(pick / 7 % parts.len())
        .copied()
        .unwrap_or("morning");
    match (reference.as_str(), part) {
        ("yesterday", "night") => "last night".to_owned(),
        ("yesterday", "around lunchtime") => "yesterday around lunchtime".to_owned(),
        ("yesterday", part) => format!("yesterday {part}"),
        (reference, part) => format!("{reference} {part}"),
    }
}

/// The rule a path through a state teaches (its rule card), with the days of `params`.
pub fn rule(state: &str, params: &SdParams) -> Option<String> {
    let review = params.review_period_days;
    let overdue = params.overdue_from();
    Some(match state {
        "within_review" => format!("Day 0 to {}, inside the {review}-day review period: explain the review period ({review} days and the first payment; the email comes the week after).", review - 1),
        "awaiting_first_payment" => format!("Day {review} or more but no first payment on or before the call date: explain the review period all the same (it names both conditions); the document has no branch of its own for this."),
        "recently_eligible" => format!("Day {review} to {} and paid: tell the customer the email comes within the week.", overdue - 1),
        "overdue" => format!("Day {overdue} or more and paid: apologise for the delay, confirm first and last name, email and phone, and email them to the {} after the call.", if params.rewards_team_address == SdParams::fallback().rewards_team_address { "rewards team".to_owned() } else { format!("rewards team ({})", params.rewards_team_address) }),
        "site_issue" => "Reward site not working: apologise, explain that Home Service Perks handles the reward's support and walk through its steps, then ask \"anything else\".".to_owned(),
        "partner_unanswered" => "No answer from Home Service Perks: apologise, ask how long ago they reached out and the ticket number, promise an answer within 24 hours, ask \"anything else\"; after the call, contact Home Service Perks and email the product team.".to_owned(),
        "reached_out_after_hours" => "They reached out outside business hours (the case the document scripts): the same escalation.".to_owned(),
        "reached_out_in_hours" => "They reached out during business hours (not scripted): the same escalation all the same.".to_owned(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn ages_are_said_as_they_are() {
        let start = date(2026, 3, 2);
        for pick in 0..12 {
            assert!(!age_phrase(12, start, pick).contains("month"));
            let months = age_phrase(60, start, pick);
            assert!(
                months == "about two months ago" || months == "back in March",
                "{months}"
            );
            assert_ne!(age_phrase(40, start, pick), "about a month ago");
        }
        assert!((0..5).any(|p| age_phrase(21, start, p) == "about three weeks ago"));
    }

    #[test]
    fn business_hours_fall_on_weekdays_in_the_day() {
        // Monday 2 March 2026: the six days before hold a weekend.
        let monday = date(2026, 3, 2);
        for pick in 0..40 {
            let inside = contact_when(monday, true, pick);
            assert!(!inside.contains("Saturday") && !inside.contains("Sunday"));
            assert!(!inside.contains("night") && !inside.contains("evening"));
            let outside = contact_when(monday, false, pick);
            assert!(
                ["Saturday", "Sunday", "night", "evening"]
                    .iter()
                    .any(|w| outside.contains(w)),
                "{outside}"
            );
        }
    }
}
