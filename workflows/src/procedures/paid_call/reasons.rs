//! The one inquiry of seed 000.

use super::scripts;
use crate::vocab::ReasonDef;

/// A warranty cancellation, where the paid call is verified.
pub static WARRANTY_CANCELLATION: ReasonDef = ReasonDef {
    code: "warranty_cancellation",
    doc: "the customer cancels a warranty; the refund deducts paid service calls",
    anything_else: false,
    scripts: &[],
    customer_line: Some(scripts::CUSTOMER_CANCELLATION),
    weight: 2,
};

/// The one reason.
pub static ALL: &[&ReasonDef] = &[&WARRANTY_CANCELLATION];
