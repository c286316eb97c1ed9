//! Faults injected on purpose, for the tests of what a run does when its own machinery fails
//! (the `fault-injection` feature: the root package's tests turn it on; a release build has
//! none of this). Each fault is set off by a row whose call id starts with its prefix, so a
//! test picks the thread it strikes by picking the call id (see `pipeline::Routes`), and tests
//! running side by side do not set off each other's faults.

/// A row of a call whose id starts with this panics the thread that replays it, as a bug in
/// the replay would.
pub const PANIC: &str = "FAULT-PANIC";
/// A row of a call whose id starts with this is dropped before it is replayed, as a row lost
/// on its way to its thread would be: counted as read, neither replayed nor rejected.
pub const LOSE_ROW: &str = "FAULT-LOSE-ROW";
/// The report of a call whose id starts with this is dropped when the call ends, as a report
/// lost on its way to the sink would be.
pub const LOSE_CALL: &str = "FAULT-LOSE-CALL";

/// What the pipeline does with a row.
pub(crate) enum Fault {
    /// Drop the row unreplayed.
    LoseRow,
    /// Replay the row, drop the report of the call it ends.
    LoseCall,
}

/// Panics for a row of a [`PANIC`] call; says what else to do with the row, if anything.
pub(crate) fn at(call_id: &str) -> Option<Fault> {
    if call_id.starts_with(PANIC) {
        panic!("fault injected while replaying a row of call {call_id}");
    }
    if call_id.starts_with(LOSE_ROW) {
        return Some(Fault::LoseRow);
    }
    call_id.starts_with(LOSE_CALL).then_some(Fault::LoseCall)
}
