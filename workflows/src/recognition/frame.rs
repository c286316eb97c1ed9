//! How the call frame's steps sound (procedures.md 1): the greeting, the customer's name,
//! "anything else", the goodbye; and reasons no procedure covers (they are CF07 all alike).

use super::{Cue, Extract, ReasonCue, Recognition};
use crate::script::frame;
use crate::vocab::Speaker;

/// The frame's cues and the uncovered reasons.
pub const RECOGNITION: Recognition = Recognition {
    cues: CUES,
    reasons: UNCOVERED,
    // The frame's steps are learned from the procedures' examples: every call has them.
    examples: "",
};

const CUES: &[Cue] = &[
    Cue::new(
        "greeting",
        "greeting",
        Speaker::Agent,
        &[
            "thank you for calling",
            "thanks for calling",
            "how may i assist",
            "how can i assist",
            "how may i help",
            "how can i help you today",
            "!thank you for calling * goodbye",
            "!thanks for calling * goodbye",
            "!thank you for calling * bye",
            "!thanks for calling * bye",
            "!thank you for calling * have a",
            "!thanks for calling * have a",
            "!thank you for calling * take care",
            "!thanks for calling * take care",
        ],
    )
    .script(frame::GREETING)
    .opens_call(&[
        "hi",
        "hello",
        "hey",
        "good morning",
        "good afternoon",
        "good evening",
        "this is",
        "speaking",
        "how can i help",
        "what can i do for you",
        "what do you want",
        "line",
        "rewards",
        "membership",
    ]),
    Cue::new(
        "anything_else",
        "anything_else",
        Speaker::Agent,
        &[
            "anything else",
            "something else",
            "any other questions",
            "any other question",
            "anything more i can",
            "help you with anything",
            "!anything else on the account",
        ],
    )
    .script(frame::ANYTHING_ELSE),
    Cue::new(
        "goodbye",
        "goodbye",
        Speaker::Agent,
        &[
            "goodbye",
            "good bye",
            "bye",
            "have a great day",
            "have a good day",
            "have a nice day",
            "have a great evening",
            "have a good evening",
            "have a good night",
            "have a great night",
            "have a good one",
            "have a great one",
            "have a great weekend",
            "have a good afternoon",
            "have a great afternoon",
            "have a nice afternoon",
            "have a nice evening",
            "have a wonderful",
            "have a good weekend",
            "take care",
            "!take care of",
        ],
    )
    .script(frame::GOODBYE),
    Cue::new(
        "customer_identified",
        "customer_identified",
        Speaker::Customer,
        &[
            "this is",
            "its",
            "my name is",
            "my names",
            "the name is",
            "the names",
            "name is",
            "names",
            "im",
            "i am",
            "under",
            "under the name",
            "it is",
        ],
    )
    .value(Extract::Name {
        prompts: &["name", "spell", "speaking"],
    }),
];

const UNCOVERED: &[ReasonCue] = &[
    ReasonCue {
        reason: "update_payment_method",
        phrases: &[
            "change the card",
            "change my card",
            "update my card",
            "new card",
            "card on file",
            "update * payment method",
            "change * payment method",
            "update my payment",
            "bank account",
            "switch * card",
            "change * card",
            "update * card",
            "replace * card",
            "different card",
            "card that * payment",
            "card * on file",
            "card * expires",
            "card expired",
        ],
    },
    ReasonCue {
        reason: "billing_question",
        phrases: &[
            "my bill",
            "billing",
            "charged twice",
            "double charged",
            "a charge on",
            "my statement",
            "monthly payment",
            "late fee",
            "still owe",
            "do i owe",
            "paid up",
            "my invoice",
        ],
    },
    ReasonCue {
        reason: "service_appointment",
        phrases: &[
            "schedule a repair",
            "schedule a service",
            "book a technician",
            "reschedule",
            "my appointment",
            "cancel * appointment",
            "service appointment",
            "set up a repair",
            "file a claim",
            "open a claim",
            "the status of my claim",
        ],
    },
    ReasonCue {
        reason: "update_contact_details",
        phrases: &[
            "update my email",
            "change my email",
            "update my phone",
            "change my phone number",
        ],
    },
    ReasonCue {
        reason: "refund_timing",
        phrases: &[
            "refund * show up",
            "refund * shows up",
            "refund * post",
            "refund * posts",
            "refund * arrive",
            "refund * take",
            "when * get * refund",
            "how long * refund",
        ],
    },
    ReasonCue {
        reason: "coverage_question",
        phrases: &[
            "is * covered",
            "does my warranty cover",
            "does the warranty cover",
            "what does * cover",
            "whats covered",
        ],
    },
];
