//! The built-in procedures, one folder each: seed 002 ([`shopping_dollars`]) and seed 000
//! ([`paid_call`]). Each registers through [`crate::EngineBuilder::procedure`], as a procedure
//! of one's own does.

pub mod common;
pub mod paid_call;
pub mod shopping_dollars;

pub use paid_call::PaidCall;
pub use shopping_dollars::ShoppingDollars;

use crate::registry::EngineBuilder;

/// Registers the built-in procedures, in the spec's order.
///
/// ```
/// use callflow_workflows::{procedures, Engine};
/// let engine = procedures::builtin(Engine::builder()).build().unwrap();
/// assert_eq!(engine.procedures().len(), 2);
/// ```
pub fn builtin(builder: EngineBuilder) -> EngineBuilder {
    builder.procedure(ShoppingDollars).procedure(PaidCall)
}
