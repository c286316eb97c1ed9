//! The tallies trends read, kept in step with the calls' latest results: per dimension
//! (`agent`, `code`, `procedure`, `branch`), key and day, the calls, passes and score sums
//! (`tally`), and per code the calls raising it (`tally_codes`). A store adds its run's calls
//! and takes away those they supersede; a delete does the reverse. A trend then reads a few
//! thousand tally rows, not millions of calls.

use crate::trend::By;

/// The dimensions tallied.
const DIMENSIONS: [By; 4] = [By::Agent, By::Code, By::Procedure, By::Branch];

/// The join giving each call (`c`) its keys in a dimension, and the key's expression.
fn source(by: By) -> (String, &'static str) {
    match by {
        By::Agent => (String::new(), "c.agent"),
        other => (
            format!(
                " JOIN call_keys k ON k.run_id = c.run_id AND k.seq = c.seq AND k.dim = '{}'",
                other.as_str()
            ),
            "k.key",
        ),
    }
}

/// The statements that add (`sign` 1) or take away (`sign` -1) the calls matching `filter`
/// (a condition on `c`, its parameters numbered from `$1`) to or from the tallies.
pub fn statements(filter: &str, sign: i64) -> Vec<String> {
    let mut out = Vec::new();
    for by in DIMENSIONS {
        let (join, key) = source(by);
        let dim = by.as_str();
        out.push(format!(
            "INSERT INTO tally (dim, key, day, week, month, calls, passed, score) \
             SELECT '{dim}', {key}, c.day, c.week, c.month, {sign} * COUNT(*), \
             {sign} * SUM(c.passed), {sign} * SUM(c.score) FROM calls c{join} WHERE {filter} \
             GROUP BY {key}, c.day, c.week, c.month \
             ON CONFLICT (dim, key, day) DO UPDATE SET calls = tally.calls + excluded.calls, \
             passed = tally.passed + excluded.passed, score = tally.score + excluded.score"
        ));
        if by == By::Code {
            continue;
        }
        out.push(format!(
            "INSERT INTO tally_codes (dim, key, day, week, month, code, calls) \
             SELECT '{dim}', {key}, c.day, c.week, c.month, f.key, {sign} * COUNT(*) \
             FROM calls c{join} JOIN call_keys f ON f.run_id = c.run_id AND f.seq = c.seq \
             AND f.dim = 'code' WHERE {filter} GROUP BY {key}, c.day, c.week, c.month, f.key \
             ON CONFLICT (dim, key, day, code) DO UPDATE SET \
             calls = tally_codes.calls + excluded.calls"
        ));
    }
    out
}
