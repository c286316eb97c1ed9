//! The customer's lines of generated paid-call verification calls (seed 000 has no dialogue:
//! plain requests).

use crate::script::{ScriptDef, ScriptLine};
use crate::vocab::Speaker;

macro_rules! lines {
    ($($(#[$doc:meta])* $name:ident = $def:expr;)*) => {
        $(
            $(#[$doc])*
            pub const $name: ScriptLine = ScriptLine::of({
                static DEF: ScriptDef = $def;
                &DEF
            });
        )*
        /// Every line, in the order declared.
        pub static ALL: &[ScriptLine] = &[$($name),*];
    };
}

lines! {
    /// Customer: wants to cancel the warranty.
    CUSTOMER_CANCELLATION = ScriptDef::new(
        "customer_cancellation",
        Speaker::Customer,
        "Hi <Agent Name>, this is <Customer Name>. I'd like to cancel my home warranty and get my refund.",
    );
    /// Customer: a recent service call is not listed.
    CUSTOMER_SERVICE_CALL = ScriptDef::new(
        "customer_service_call",
        Speaker::Customer,
        "I had a technician out a couple of weeks ago and paid for that visit, but I don't see it listed.",
    );
    /// Customer: the name or address on record is wrong.
    CUSTOMER_RECORD_MISMATCH = ScriptDef::new(
        "customer_record_mismatch",
        Speaker::Customer,
        "Also, the address you have for me is wrong.",
    );
    /// Customer: disputes the amount.
    CUSTOMER_DISPUTE = ScriptDef::new(
        "customer_dispute",
        Speaker::Customer,
        "That amount doesn't look right to me.",
    );
}
