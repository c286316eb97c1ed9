//! The calls that have ended, remembered to reject rows that come after a call's end and a
//! second call with the same id: a 64-bit hash of each id, with its end line while it is
//! recent. Memory: 8 bytes per ended call once it is no longer among the last 65,536.

use std::hash::{DefaultHasher, Hash, Hasher};

use rustc_hash::FxHashMap;

/// How many ended calls keep their end line (for the message naming it).
const RECENT: usize = 1 << 16;

/// Where an ended call ended, as far as it is remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// At this line.
    AtLine(u64),
    /// Earlier in the log (more than 65,536 calls ago).
    Earlier,
}

/// The set of ended calls.
#[derive(Debug, Default)]
pub struct EndedCalls {
    recent: FxHashMap<u64, u64>,
    /// Hashes of older ended calls, sorted.
    older: Vec<u64>,
}

fn id_hash(call_id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    call_id.hash(&mut hasher);
    hasher.finish()
}

impl EndedCalls {
    /// Remembers that a call ended at a line.
    pub fn insert(&mut self, call_id: &str, line: u64) {
        if self.recent.len() >= RECENT {
            // Exactly as much room as needed: this list is most of the memory of a long run.
            self.older.reserve_exact(self.recent.len());
            self.older.extend(self.recent.drain().map(|(hash, _)| hash));
            self.older.sort_unstable();
            self.older.dedup();
        }
        self.recent.insert(id_hash(call_id), line);
    }

    /// Whether (and where) a call with this id ended.
    pub fn get(&self, call_id: &str) -> Option<Ended> {
        let hash = id_hash(call_id);
        if let Some(&line) = self.recent.get(&hash) {
            return Some(Ended::AtLine(line));
        }
        self.older
            .binary_search(&hash)
            .is_ok()
            .then_some(Ended::Earlier)
    }
}

impl std::fmt::Display for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ended::AtLine(line) => write!(f, "at line {line}"),
            Ended::Earlier => f.write_str("earlier in the log"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_ends_are_remembered_without_their_line() {
        let mut ended = EndedCalls::default();
        for i in 0..(RECENT as u64 + 10) {
            ended.insert(&format!("C-{i}"), i + 2);
        }
        assert_eq!(ended.get("C-0"), Some(Ended::Earlier));
        let last = RECENT as u64 + 9;
        assert_eq!(
            ended.get(&format!("C-{last}")),
            Some(Ended::AtLine(last + 2))
        );
        assert_eq!(ended.get("C-never"), None);
    }
}
