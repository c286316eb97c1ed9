//! The customer's request of generated paid-call verification calls (seed 000 has no
//! dialogue: a plain request; the other phrasings are in [`super::speech`]).

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
}
