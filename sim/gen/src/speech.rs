//! The call frame's words in generated calls (no procedure's: each procedure's stage holds its
//! own): the customer's introduction, their answer to "anything else", and the rules of the
//! frame as answer sheets state them. Phrasings may hold `{agent}` and `{customer}`.

use callflow_workflows::Code;

/// The customer introduces themselves to an agent who gave their name (the seed's words
/// first).
pub const INTRO_NAMED: &[&str] = &[
    "Hi {agent}, this is {customer}.",
    "Hi {agent}, my name is {customer}.",
    "Hello {agent}, it's {customer} calling.",
];

/// The customer introduces themselves to an agent who did not say their name.
pub const INTRO_UNNAMED: &[&str] = &["Hello, this is {customer}.", "Hi, my name is {customer}."];

/// The customer brings up a further request after "anything else".
pub const FURTHER: &[&str] = &["Yes, actually.", "Yes, one more thing."];

/// The customer has nothing else (the seed's words first).
pub const NOTHING_ELSE: &[&str] = &["No.", "No, that's all. Thanks!", "No, that's it."];

/// The customer, asked a procedure's question before they said why they call.
pub const PREMATURE_REPLY: &[&str] = &[
    "Sorry? I haven't told you why I'm calling yet.",
    "Um, I'm not sure what you mean. Can I tell you why I'm calling first?",
];

/// The agent's own reply to the customer's confusion, once they do hear the reason.
pub const PREMATURE_SORRY: &str = "Of course, go ahead.";

/// An off-script greeting (a fault).
pub const OFF_SCRIPT_GREETING: &str = "Yeah hi. What do you want?";

/// A request no procedure covers, and the agent's answer (a fault of the simulator: CF07 is
/// information, no exercise).
pub const UNCOVERED: (&str, &str) = (
    "Before that, I also have a question about my bill.",
    "Billing is handled by another team; I can transfer you after we are done.",
);

/// The rule of the call frame a finding's code stands for, as an answer sheet states it.
pub fn frame_rule(code: Code) -> Option<&'static str> {
    Some(match code.as_str() {
        "CF01" => {
            "Every call opens with the greeting: the department, your name, and the offer of help."
        }
        "CF02" => "Scripted lines are said as the document writes them.",
        "CF03" => "After this kind of inquiry, ask whether there is anything else.",
        "CF04" => "Every call closes with the goodbye.",
        "CF06" => "A procedure's steps come once the customer has said why they are calling.",
        _ => return None,
    })
}
