//! Which reason an agent's step tells the agent understood the call to be about: the steps
//! the machines ask for under one inquiry reason only ([`crate::explore::steps_by_reason`]).
//! "So the shopping dollars come once you've had the warranty thirty days" answers the
//! missing email, whatever words the customer used for it.

use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;

use super::kept::Kept;
use crate::error::Error;
use crate::explore::steps_by_reason;
use crate::registry::Engine;

/// Per step, the one reason under which the machines ask for it.
pub(crate) type Implied = FxHashMap<&'static str, &'static str>;

/// Maps already explored in this process, by the engine's procedures and policy fingerprint
/// (exploring the machines takes tens of milliseconds).
static EXPLORED: Mutex<Kept<String, Implied>> = Mutex::new(Kept::new());

/// The steps of `engine`'s machines that are asked for under one covered reason only, each
/// with that reason; explored once per process for the same procedures and policy.
pub(crate) fn implied(engine: &Engine) -> Result<Arc<Implied>, Error> {
    let names: Vec<&str> = engine.procedures().iter().map(|p| p.name()).collect();
    let key = format!("{}|{}", names.join(","), engine.policy_fingerprint());
    let mut cache = EXPLORED.lock().unwrap_or_else(PoisonError::into_inner);
    cache.get_or_make(
        |explored| *explored == key,
        || {
            // Exploring drives calls, which hold their engine: the same procedures under the
            // base rules (the machines' steps do not change with a policy's dated versions).
            let shared = Arc::new(engine.with_config(engine.config().clone())?);
            let mut reasons_of: FxHashMap<&'static str, Vec<&'static str>> = FxHashMap::default();
            for (reason, steps) in steps_by_reason(&shared) {
                for step in steps {
                    reasons_of.entry(step).or_default().push(reason);
                }
            }
            let map: Implied = reasons_of
                .into_iter()
                .filter_map(|(step, reasons)| match reasons.as_slice() {
                    [reason] => Some((step, *reason)),
                    _ => None,
                })
                .collect();
            Ok((key.clone(), map))
        },
    )
}
