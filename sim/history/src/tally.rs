//! The tallies trends read, kept in step with the calls' latest results: per grain (day,
//! week, month), dimension (`agent`, `code`, `procedure`, `branch`), key and period, the
//! calls, passes and score sums (`tally`), and per code the calls raising it (`tally_codes`). A store adds its run's calls
//! and takes away those they supersede; a delete does the reverse. A trend then reads a few
//! thousand tally rows of its grain, not millions of calls (dates that cut a period read the
//! days' rows).

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

/// The grains tallied: the stored column a period starts on, and the `week` and `month`
/// columns' values (a day's row keeps its week and month, for trends over dates that do not
/// fall on whole periods).
const GRAINS: [(&str, &str, &str, &str); 3] = [
    ("day", "c.day", "c.week", "c.month"),
    ("week", "c.week", "c.week", "0"),
    ("month", "c.month", "0", "c.month"),
];

/// The statements that add (`sign` 1) or take away (`sign` -1) the calls matching `filter`
/// (a condition on `c`, its parameters numbered from `$1`) to or from the tallies.
pub fn statements(filter: &str, sign: i64) -> Vec<String> {
    let mut out = Vec::new();
    for by in DIMENSIONS {
        let (join, key) = source(by);
        let dim = by.as_str();
        for (grain, start, week, month) in GRAINS {
            let group = if grain == "day" {
                format!("{key}, c.day, c.week, c.month")
            } else {
                format!("{key}, {start}")
            };
            out.push(format!(
                "INSERT INTO tally (grain, dim, key, start, week, month, calls, passed, score) \
                 SELECT '{grain}', '{dim}', {key}, {start}, {week}, {month}, {sign} * COUNT(*), \
                 {sign} * SUM(c.passed), {sign} * SUM(c.score) FROM calls c{join} \
                 WHERE {filter} GROUP BY {group} \
                 ON CONFLICT (grain, dim, key, start) DO UPDATE SET \
                 calls = tally.calls + excluded.calls, passed = tally.passed + excluded.passed, \
                 score = tally.score + excluded.score"
            ));
            if by == By::Code {
                continue;
            }
            out.push(format!(
                "INSERT INTO tally_codes (grain, dim, key, start, week, month, code, calls) \
                 SELECT '{grain}', '{dim}', {key}, {start}, {week}, {month}, f.key, \
                 {sign} * COUNT(*) FROM calls c{join} JOIN call_keys f \
                 ON f.run_id = c.run_id AND f.seq = c.seq AND f.dim = 'code' \
                 WHERE {filter} GROUP BY {group}, f.key \
                 ON CONFLICT (grain, dim, key, start, code) DO UPDATE SET \
                 calls = tally_codes.calls + excluded.calls"
            ));
        }
    }
    out
}
