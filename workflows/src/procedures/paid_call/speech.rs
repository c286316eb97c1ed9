//! What people say in generated paid-call verification calls: several phrasings per step
//! (seed 000 has no dialogue: plain words a retention call would have), the chat's own
//! messages as the seed quotes them, and the rule each branch teaches.
//!
//! Phrasings may hold `{amount}`, `{address}`, `{minutes}`, `{name}`, `{phone}`.

use super::params::PcParams;

/// The customer asks to cancel.
pub const CANCEL: &[&str] = &[
    "I'd like to cancel my home warranty and get my refund.",
    "I'm calling to cancel my Sears home warranty. I'd like whatever refund I have coming.",
    "I want to cancel my warranty, please. I'm moving and won't need it anymore.",
];

/// The agent, before reading the refund calculator.
pub const LOOK_UP: &[&str] = &[
    "I can help with that. Let me pull up the refund calculator for your account.",
    "Sure, one moment while I check your refund.",
    "I can take care of that. Let me look at what the refund calculator shows.",
];

/// The agent, when the calculator lists no paid service call.
pub const NOTHING_LISTED: &[&str] = &[
    "I don't see any paid service calls listed on your account.",
    "The refund calculator doesn't show any paid service calls.",
];

/// The customer, once told nothing is deducted.
pub const OKAY: &[&str] = &["Okay, good.", "Alright, thanks."];

/// The agent quotes the calculator's amount.
pub const QUOTE_SHOWN: &[&str] = &[
    "I see a paid service call on your account: {amount} will be deducted from your refund.",
    "The refund calculator shows a paid service call of {amount}, which comes off your refund.",
    "There's a service call fee of {amount} that will be deducted from your refund.",
];

/// The agent quotes the amount Sears confirmed in chat.
pub const QUOTE_CONFIRMED: &[&str] = &[
    "Sears confirmed that visit: the total you paid was {amount}, and that's what will be deducted from your refund.",
    "Thank you for holding. Sears shows {amount} paid for that visit, so {amount} will be deducted from your refund.",
];

/// The customer accepts a quote.
pub const QUOTE_ACCEPTED: &[&str] = &["Okay, that makes sense.", "Alright, thanks for checking."];

/// The customer disputes the calculator's amount.
pub const DISPUTE: &[&str] = &[
    "That amount doesn't look right to me.",
    "Wait, {amount}? That seems high. I don't think I paid that much.",
    "I don't remember paying {amount} for that visit.",
];

/// The agent builds value and rebuts the objection.
pub const BUILD_VALUE: &[&str] = &[
    "I understand. That visit was a covered repair, and without the warranty it would have cost you a lot more; that's why the service call fee comes off the refund.",
    "I hear you. The fee is for the service call the warranty covered, which saved you the full cost of that repair.",
];

/// The agent advises disputing the amount with Sears when the letter arrives.
pub const DISPUTE_LETTER: &[&str] = &[
    "If you still disagree, you can dispute it directly with Sears when you receive the payment due letter.",
    "When the payment due letter arrives, you can dispute the amount directly with Sears.",
];

/// The customer, once told how to dispute.
pub const LETTER_NOTED: &[&str] = &[
    "Okay, I'll look out for that letter.",
    "Fine, I'll take it up with them then.",
];

/// The customer reports a recent service call the calculator does not list.
pub const SERVICE_CALL: &[&str] = &[
    "I had a technician out a couple of weeks ago and paid for that visit, but I don't see it listed.",
    "I paid for a repair visit last month, and it's not on there.",
];

/// The agent, before verifying the service call in chat.
pub const VERIFY_IN_CHAT: &[&str] = &[
    "Let me verify that visit with Sears through our chat. It may take a few minutes.",
    "I'll check that with Sears through our chat; please bear with me.",
];

/// The agent, before contacting Sears about an amount the calculator shows (a fault).
pub const DOUBLE_CHECK: &[&str] = &[
    "Let me double-check that amount with Sears through our chat.",
    "Let me confirm that fee with Sears.",
];

/// The customer reports a wrong address.
pub const WRONG_ADDRESS: &[&str] = &[
    "Also, the address you have for me is wrong.",
    "By the way, you have my old address on file. I moved in the spring.",
];

/// The agent asks for the correct address.
pub const ASK_ADDRESS: &[&str] = &[
    "Thanks for telling me. What is the correct address?",
    "I can have that corrected. What's your current address?",
];

/// The customer gives the correct address.
pub const GIVE_ADDRESS: &[&str] = &["It's {address}.", "{address}."];

/// The agent, before verifying the address in chat.
pub const UPDATE_ADDRESS: &[&str] = &[
    "Thank you. I'll have Sears verify and update it through our chat.",
    "Got it. I'll pass that to Sears through our chat so they can update it.",
];

/// The agent, before relaying the cancellation.
pub const RELAY: &[&str] = &[
    "I'll let Sears know about your cancellation through our chat now.",
    "I'm going to relay your cancellation to Sears through our chat; bear with me a moment.",
];

/// The agent, while the chat announces a wait.
pub const WAITING: &[&str] = &[
    "Sears shows a wait of about {minutes} minutes. Thank you for holding.",
    "It looks like there's a short wait for a Sears representative, about {minutes} minutes. Thanks for your patience.",
];

/// The customer, asked to hold.
pub const HOLDING: &[&str] = &["No problem.", "Sure, I'll hold."];

/// The agent, once Sears has updated the address.
pub const ADDRESS_UPDATED: &[&str] = &[
    "Sears has updated your address.",
    "All set: Sears has your new address now.",
];

/// The agent, once the cancellation is relayed.
pub const RELAYED: &[&str] = &[
    "Sears has your cancellation on file now.",
    "Your cancellation has been passed on to Sears.",
];

/// The customer, once a chat's errand is done.
pub const THANKS: &[&str] = &["Great, thank you!", "Thanks."];

/// The agent promises to confirm the amount later (outside chat hours).
pub const FOLLOW_UP: &[&str] = &[
    "Sears' chat is closed right now, so I can't verify that visit today. I'll confirm the amount with them as soon as it opens and call you back.",
    "I can't reach Sears right now. I'll confirm the amount paid for that visit with them when their chat opens and call you back with it.",
];

/// The customer, once a call back is promised.
pub const FOLLOW_UP_OK: &[&str] = &["Okay, I'll wait for your call.", "Great, thank you!"];

/// The agent puts the customer on hold to phone Sears (a fault).
pub const HOLD_FOR_PHONE: &[&str] = &["Let me put you on a brief hold."];

/// The agent, back from the hold.
pub const BACK_FROM_HOLD: &str = "Thank you for holding.";

/// Street names, kinds and towns of drawn addresses.
pub const STREETS: [&str; 8] = [
    "Maple",
    "Oak",
    "Cedar",
    "Elm",
    "Lakeview",
    "Hillcrest",
    "Birch",
    "Willow",
];
/// The kinds of streets.
pub const STREET_KINDS: [&str; 4] = ["Street", "Avenue", "Drive", "Lane"];
/// Towns, with their state and a ZIP code prefix.
pub const TOWNS: [(&str, &str, u32); 5] = [
    ("Springfield", "IL", 627),
    ("Columbus", "OH", 432),
    ("Albany", "NY", 122),
    ("Madison", "WI", 537),
    ("Tacoma", "WA", 984),
];

/// The rule a path through a state teaches (its rule card), with the chat hours and the
/// form's reason of `params`.
pub fn rule(state: &str, params: &PcParams) -> Option<String> {
    let hours = params.hours();
    let reason = &params.form_reason;
    Some(match state {
        "amount_shown" => "An amount in the refund calculator: quote exactly that amount, and do not contact Sears about it.".to_owned(),
        "amount_disputed" => "The customer disputes the calculator's amount: build value and rebut, and say they can dispute it with Sears when the payment-due letter arrives; still no contact with Sears about it.".to_owned(),
        "no_amount" => "Nothing in the refund calculator: nothing to quote, and nothing to verify unless the customer reports a recent paid service call.".to_owned(),
        "verify_in_chat" => format!("Nothing in the calculator, a recent paid service call reported, within chat hours ({hours}): verify it in a paid-call chat with Sears, obtain the total amount paid, and quote it."),
        "follow_up_later" => format!("Nothing in the calculator, a service call reported, outside chat hours (open {hours}{}): do not contact Sears; promise to confirm the amount later.", if params.holidays.is_empty() { "" } else { ", holidays closed" }),
        "chat_paid_call" => format!("In the chat: select No at the warranty prompt; fill the form (your user name, your name, the member's name, the phone number as 10 digits, \"{reason}\"); obtain the total amount paid; End Chat."),
        "chat_record_verification" => "A wrong name or address reported: ask for the right one and have Sears verify it in a chat (allowed even with an amount shown).".to_owned(),
        "chat_relay_cancellation" => "Relaying the cancellation to Sears in a chat is always allowed, within chat hours.".to_owned(),
        _ => return None,
    })
}
