//! The finding codes of seed 000 (procedures.md section 4), each with its explainer (the
//! finding in plain words: [`super::explain`]).

use super::explain;
use crate::finding::{Code, CodeDef, Severity};

macro_rules! codes {
    ($($rank:literal $name:ident $sev:ident $omission:literal $what:literal => $explain:ident;)*) => {
        /// The paid-call verification codes (procedures.md section 4).
        impl Code {
            $(
                #[doc = $what]
                pub const $name: Code = Code::of({
                    static DEF: CodeDef =
                        CodeDef::ranked($rank, stringify!($name), Severity::$sev, $omission, $what)
                            .explained_by(explain::$explain);
                    &DEF
                });
            )*
        }

        /// Every code, in the spec's order.
        pub static ALL: &[Code] = &[$(Code::$name),*];
    };
}

codes! {
    201 PC01 Critical false "the partner contacted about the amount while the calculator showed one" => pc01;
    202 PC02 Critical false "a phone call to the partner" => pc02;
    203 PC03 Major false "a chat opened for a purpose the rules do not allow" => pc03;
    204 PC04 Major false "a chat opened outside chat hours" => pc04;
    205 PC05 Minor false "\"Yes\" selected on the warranty prompt" => pc05;
    206 PC06 Major false "chat form invalid" => pc06;
    207 PC07 Critical false "the amount quoted differs from the amount to quote" => pc07;
    208 PC08 Major true "a calculator amount disputed without both the value rebuttal and the payment-due-letter advice" => pc08;
    209 PC09 Major true "the inquiry closed with an amount to quote but none quoted, and no follow-up promised" => pc09;
    210 PC10 Minor true "a chat opened but never ended" => pc10;
    211 PC11 Major true "a reported service call left unverified: no paid-call chat and no follow-up promised" => pc11;
    212 PC12 Major true "the cancellation closed without the refund calculator consulted" => pc12;
}
