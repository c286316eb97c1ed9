//! The adherence of lines said recently, on this thread: agents say their script lines the
//! same way call after call (a department's greeting, "anything else", the goodbye), so a said
//! line is usually one seen before. A table per thread, keyed by a hash of the script's text
//! (its interned [`ScriptText::id`]: two policy versions that word a line differently never
//! share a figure) and the said text, in sets of four slots (the one used longest ago gives way to a fifth line: a
//! table of single slots lost many lines to collisions); a hit also compares the whole text, so
//! an answer is always the one the full measure would give.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use super::ScriptText;

/// Slots in each thread's table (a power of two), in sets of [`WAYS`].
const SLOTS: usize = 16_384;
/// Slots a line may take in the table: its set.
const WAYS: usize = 4;
/// Longer lines are measured every time (they are rare, and would crowd the table).
const LONGEST: usize = 1024;

#[derive(Default)]
struct Slot {
    hash: u64,
    /// The script text's id, plus one (0: an empty slot).
    script: u32,
    said: Vec<u8>,
    adherence: f64,
}

struct RecentLines {
    slots: Vec<Slot>,
}

thread_local! {
    static RECENT: RefCell<RecentLines> = RefCell::new(RecentLines {
        slots: (0..SLOTS).map(|_| Slot::default()).collect(),
    });
}

/// `measure(line, said)`, taken from this thread's recent lines when `said` was measured
/// against `line` before.
pub(crate) fn remembered(
    script: &ScriptText,
    said: &str,
    measure: fn(&ScriptText, &str) -> f64,
) -> f64 {
    if said.len() > LONGEST {
        return measure(script, said);
    }
    let key = script.id().saturating_add(1);
    let mut hasher = rustc_hash::FxHasher::default();
    key.hash(&mut hasher);
    hasher.write(said.as_bytes());
    let hash = hasher.finish();
    let looked_up = RECENT.try_with(|recent| {
        let mut recent = recent.try_borrow_mut().ok()?;
        // The hash's top bits: FxHash's low bits follow the text's last bytes too closely.
        let set = (hash >> (u64::BITS - (SLOTS / WAYS).trailing_zeros())) as usize * WAYS;
        let ways = recent.slots.get_mut(set..set + WAYS)?;
        let holds =
            |slot: &Slot| slot.hash == hash && slot.script == key && slot.said == said.as_bytes();
        // The set's first slot is the one used last.
        if let Some(found) = ways.iter().position(holds) {
            ways.swap(0, found);
            return ways.first().map(|slot| slot.adherence);
        }
        let adherence = measure(script, said);
        // The slot used less recently gives way (its buffer is reused).
        ways.rotate_right(1);
        let slot = ways.first_mut()?;
        slot.hash = hash;
        slot.script = key;
        slot.said.clear();
        slot.said.extend_from_slice(said.as_bytes());
        slot.adherence = adherence;
        Some(adherence)
    });
    match looked_up {
        Ok(Some(adherence)) => adherence,
        // The thread is ending, or the table is in use further up the stack.
        _ => measure(script, said),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::frame;
    use std::cell::Cell;

    fn apology() -> ScriptText {
        ScriptText::of("Sorry, <Customer Name>. I apologize for the inconvenience.")
    }

    fn greeting() -> ScriptText {
        ScriptText::of(frame::GREETING.template())
    }

    thread_local! {
        static MEASURED: Cell<u32> = const { Cell::new(0) };
    }

    fn counting(line: &ScriptText, said: &str) -> f64 {
        MEASURED.with(|m| m.set(m.get() + 1));
        crate::script::adherence::measure_adherence(line, said)
    }

    /// How many times `run` measured a line (tests may share a thread, and its table).
    fn measured_by(run: impl FnOnce()) -> u32 {
        let before = MEASURED.with(Cell::get);
        run();
        MEASURED.with(Cell::get) - before
    }

    #[test]
    fn a_line_seen_before_is_not_measured_again_and_gives_the_same_answer() {
        let said = "Thank you for calling Home Warranty Rewards. My name is Ida, how may I assist you today?";
        let (mut first, mut again) = (0.0, 0.0);
        let measured = measured_by(|| {
            first = remembered(&greeting(), said, counting);
            again = remembered(&greeting(), said, counting);
        });
        assert_eq!(measured, 1);
        assert_eq!(first, again);
        assert_eq!(
            first,
            crate::script::adherence::measure_adherence(&greeting(), said)
        );
    }

    #[test]
    fn another_text_or_another_script_line_is_measured() {
        let said = "Sorry, Una Vance. I apologize for the inconvenience.";
        let (mut to_apology, mut as_greeting, mut other) = (0.0, 0.0, 0.0);
        let measured = measured_by(|| {
            to_apology = remembered(&apology(), said, counting);
            as_greeting = remembered(&greeting(), said, counting);
            other = remembered(&apology(), "Sorry, Una.", counting);
        });
        assert_eq!(measured, 3);
        assert_eq!(to_apology, 1.0);
        assert!(as_greeting < 0.5);
        assert!(other < to_apology);
    }

    #[test]
    fn a_set_of_lines_a_quarter_of_the_table_stays_in_it() {
        let lines: Vec<String> = (0..SLOTS / 4)
            .map(|n| format!("Thank you for calling, caller number {n}"))
            .collect();
        for said in &lines {
            remembered(&greeting(), said, counting);
        }
        let again = measured_by(|| {
            for said in &lines {
                remembered(&greeting(), said, counting);
            }
        });
        // Sets of four lose lines only where five share a set (about 2% of the lines); sets
        // of two would lose about a tenth, single slots a fifth.
        assert!(
            again < lines.len() as u32 / 20,
            "{again} of {}",
            lines.len()
        );
    }

    #[test]
    fn two_wordings_of_a_line_never_share_a_figure() {
        let said = "Thank you for calling Home Warranty Rewards.";
        let reworded = ScriptText::of("Welcome to <Department Name>, this is <Agent Name>.");
        let (mut first, mut second) = (0.0, 0.0);
        let measured = measured_by(|| {
            first = remembered(&greeting(), said, counting);
            second = remembered(&reworded, said, counting);
        });
        assert_eq!(measured, 2);
        assert_ne!(first, second);
    }

    #[test]
    fn long_lines_are_measured_every_time() {
        let said = "word ".repeat(300);
        let measured = measured_by(|| {
            remembered(&greeting(), &said, counting);
            remembered(&greeting(), &said, counting);
        });
        assert_eq!(measured, 2);
    }

    #[test]
    fn answers_stay_exact_when_lines_push_each_other_out_of_the_table() {
        let words = [
            "thank", "you", "for", "calling", "my", "name", "is", "how", "may", "I",
        ];
        let lines: Vec<String> = (0..3 * SLOTS)
            .map(|n| {
                let pick = |k: usize| words[(n / 10usize.pow(k as u32)) % 10];
                format!("{} {} {} {} today", pick(0), pick(1), pick(2), pick(3))
            })
            .collect();
        for round in 0..2 {
            for said in &lines {
                let line = greeting();
                assert_eq!(
                    remembered(&line, said, crate::script::adherence::measure_adherence),
                    crate::script::adherence::measure_adherence(&line, said),
                    "round {round}: {said}"
                );
            }
        }
    }
}
