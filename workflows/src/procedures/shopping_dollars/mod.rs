//! Shopping dollars (seed 002, procedures.md 2): the reward email that has not arrived (the
//! review-period check and its four branches), the reward site that does not work, and the
//! partner that has not answered (the 24-hour escalation).
//!
//! Everything the procedure is lives in this folder: its machine ([`machine`]), vocabulary
//! ([`events`], [`reasons`], [`codes`] and their words in [`explain`], [`scripts`]),
//! parameters ([`params`]), exploration alphabet ([`explore`]) and what generated calls need
//! ([`stage`], with the words people say and the rule each branch teaches in [`speech`]).

use std::any::Any;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::{ParamDef, ParamTable};
use crate::error::Error;
use crate::explore::Sample;
use crate::finding::Code;
use crate::procedure::{MachineBox, Procedure};
use crate::script::ScriptLine;
use crate::stage::Stage;
use crate::vocab::{EventDef, ReasonDef};

pub mod codes;
pub mod events;
pub mod explain;
pub mod explore;
pub mod machine;
pub mod params;
pub mod reasons;
pub mod recognition;
pub mod scripts;
pub mod speech;
pub mod stage;

pub use events::{ContactTime, Detail, SdEvent, Team};
pub use machine::{Branch, SdInquiry, SdMachine};
pub use params::SdParams;

/// The procedure's name.
pub const NAME: &str = "shopping_dollars";

/// Seed 002: the shopping-dollars reward and its partner.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShoppingDollars;

impl Procedure for ShoppingDollars {
    fn name(&self) -> &'static str {
        NAME
    }

    fn title(&self) -> &'static str {
        "Shopping dollars (seed 002): the reward email, the reward site, the partner that does not answer"
    }

    fn department(&self) -> &'static str {
        "Home Warranty Rewards"
    }

    fn reasons(&self) -> &'static [&'static ReasonDef] {
        reasons::ALL
    }

    fn events(&self) -> &'static [&'static EventDef] {
        events::EVENTS
    }

    fn codes(&self) -> &'static [Code] {
        codes::ALL
    }

    fn scripts(&self) -> &'static [ScriptLine] {
        scripts::ALL
    }

    fn recognition(&self) -> crate::recognition::Recognition {
        recognition::RECOGNITION
    }

    fn parameters(&self) -> &'static [ParamDef] {
        params::PARAMETERS
    }

    fn params(&self, table: &ParamTable) -> Result<Arc<dyn Any + Send + Sync>, Error> {
        Ok(Arc::new(params::resolve(table)?))
    }

    fn start(&self) -> MachineBox {
        SdMachine::start()
    }

    fn restore(
        &self,
        from: &mut dyn erased_serde::Deserializer<'_>,
    ) -> Result<MachineBox, erased_serde::Error> {
        SdMachine::restore(from)
    }

    fn alphabet(&self, call_date: NaiveDate, params: &(dyn Any + Send + Sync)) -> Vec<Sample> {
        let params = params
            .downcast_ref::<params::SdParams>()
            .unwrap_or_else(|| params::SdParams::fallback());
        explore::alphabet(call_date, params)
    }

    fn path_token(&self, state: &'static str, entered_by: &Sample) -> Option<String> {
        let _ = entered_by;
        explore::path_token(state)
    }

    fn stage(&self) -> &dyn Stage {
        &stage::SdStage
    }
}
