//! The finding codes of seed 002 (procedures.md section 4), each with its explainer (the
//! finding in plain words: [`super::explain`]).

use super::explain;
use crate::finding::{Code, CodeDef, Severity};

macro_rules! codes {
    ($($rank:literal $name:ident $sev:ident $omission:literal $what:literal => $explain:ident $(+ $extra:ident)?;)*) => {
        /// The shopping-dollars codes (procedures.md section 4).
        impl Code {
            $(
                #[doc = $what]
                pub const $name: Code = Code::of({
                    static DEF: CodeDef =
                        CodeDef::ranked($rank, stringify!($name), Severity::$sev, $omission, $what)
                            .explained_by(explain::$explain)$(.$extra())?;
                    &DEF
                });
            )*
        }

        /// Every code, in the spec's order.
        pub static ALL: &[Code] = &[$(Code::$name),*];
    };
}

codes! {
    101 SD01 Critical false "the agent told the customer something the branch makes false" => sd01;
    102 SD02 Major true "no review-period answer at all" => sd02;
    103 SD03 Major false "the answer came before the facts it depends on, or the facts never came" => sd03;
    104 SD04 Major true "overdue: name, email or phone not asked" => sd04;
    105 SD05 Major true "escalation email missing" => sd05;
    106 SD06 Major true "no-response: the ticket number neither asked for nor given" => sd06;
    107 SD07 Minor true "no-response: how long ago the customer reached out neither asked nor told" => sd07;
    108 SD08 Major true "no-response: the 24-hour follow-up was not promised" => sd08;
    109 SD09 Major true "no-response: the partner was not contacted" => sd09;
    110 SD10 Major true "site issue: partner support and steps not explained" => sd10;
    111 SD11 Minor true "no apology where the script has one" => sd11;
    112 SD12 Info false "awaiting first payment: a branch the document does not cover" => sd12 + about_the_documents;
    113 SD13 Minor false "escalation steps in a branch that does not call for them" => sd13;
}
