//! Paid-call verification through the partner chat (seed 000, procedures.md 3), while a
//! retention agent handles a warranty cancellation: the refund calculator, the dispute, chat
//! hours, the chat session with its form, and the amount to quote.
//!
//! The seed's closing notes win over its opening list where they clash: with an amount shown,
//! the partner is not contacted about the amount, even on a dispute.
//!
//! Everything the procedure is lives in this folder: its machine ([`machine`]), vocabulary
//! ([`events`], [`reasons`], [`codes`] and their words in [`explain`], [`scripts`],
//! [`chat_form`]), parameters ([`params`]), exploration alphabet ([`explore`]) and what
//! generated calls need ([`stage`], with the words people say and the rule each branch
//! teaches in [`speech`]).

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

pub mod chat_form;
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

pub use chat_form::{ChatForm, CHAT_FORM_REASON};
pub use events::{ChatPurpose, PcEvent, RecordField, TranscriptCopy};
pub use machine::{PcInquiry, PcMachine};
pub use params::PcParams;

/// The procedure's name.
pub const NAME: &str = "paid_call";

/// Seed 000: paid-call verification through the partner chat.
#[derive(Debug, Clone, Copy, Default)]
pub struct PaidCall;

impl Procedure for PaidCall {
    fn name(&self) -> &'static str {
        NAME
    }

    fn title(&self) -> &'static str {
        "Paid-call verification (seed 000): the refund calculator and the partner chat"
    }

    fn department(&self) -> &'static str {
        "Membership Services Retention"
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
        PcMachine::start()
    }

    fn restore(
        &self,
        from: &mut dyn erased_serde::Deserializer<'_>,
    ) -> Result<MachineBox, erased_serde::Error> {
        PcMachine::restore(from)
    }

    fn alphabet(&self, call_date: NaiveDate, params: &(dyn Any + Send + Sync)) -> Vec<Sample> {
        let _ = (call_date, params);
        explore::alphabet()
    }

    fn path_token(&self, state: &'static str, entered_by: &Sample) -> Option<String> {
        explore::path_token(state, entered_by)
    }

    fn stage(&self) -> &dyn Stage {
        &stage::PcStage
    }
}
