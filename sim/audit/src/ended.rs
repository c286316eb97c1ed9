//! The calls that have ended, remembered to reject rows that come after a call's end and a
//! second call with the same id: a 64-bit hash of each id, with its end line while it is
//! recent. Memory: 6 bytes per ended call once it is no longer recent; the recent calls'
//! map holds the window and one batch to move (at least 8,192 calls, or one for every 16
//! older ones): a fixed batch of 65,536 per thread made a short log's run lighter than a long
//! one's by 6 MB on three workers (issue #22: memory flat in log length).
//!
//! A row within [`RECENT_LINES`] lines of its call's end is told that line; a later one is told
//! the call ended earlier in the log. The window is counted in lines, not in calls, so that
//! the reason depends only on the log, never on how its calls were spread over threads (each
//! thread remembers the calls it replayed).
//!
//! The older hashes sit in 4,096 sorted buckets chosen by their top 12 bits, each keeping the
//! next 48 bits: 60 bits of the hash in all, so two different ids of a 5-million-call log
//! share them with a chance of about one in 100,000. A lookup reads one short bucket (a few
//! cache lines, not a binary search across megabytes), and moving the recent calls there
//! grows each bucket by a few entries, so no long list is ever copied whole (a single sorted
//! list doubled the memory of its hashes while it grew).

use std::hash::Hasher;

use rustc_hash::FxHashMap;

/// How many lines after its call's end a row is told the line the call ended at.
pub const RECENT_LINES: u64 = 1 << 16;
/// How many recent calls at least are moved to the older buckets at a time (moving rewrites
/// every bucket, so it is done in bulk).
const MOVED_AT_ONCE: usize = 1 << 13;
/// Past that, a move waits for one recent call per this many older ones: each move rewrites
/// the older buckets, so rewriting costs at most this many times 6 bytes per call ended,
/// whatever the log's length, while the recent calls' map stays a small share of the memory.
const OLDER_PER_MOVED: usize = 16;
/// How many top bits of a hash choose its bucket.
const BUCKET_BITS: u32 = 12;

/// Where an ended call ended, as far as it is remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// At this line.
    AtLine(u64),
    /// Earlier in the log (more than [`RECENT_LINES`] lines before the row asking).
    Earlier,
}

/// The set of ended calls.
#[derive(Debug)]
pub struct EndedCalls {
    /// Hashes of the calls ended since the last move, with their end lines.
    recent: FxHashMap<u64, u64>,
    /// The size of `recent` that sets off the next move.
    move_at: usize,
    /// Hashes of older ended calls, by their top bits, each bucket sorted ([`Kept`]).
    older: Vec<Vec<Kept>>,
}

impl Default for EndedCalls {
    fn default() -> Self {
        EndedCalls {
            recent: FxHashMap::default(),
            move_at: MOVED_AT_ONCE,
            older: vec![Vec::new(); 1 << BUCKET_BITS],
        }
    }
}

fn id_hash(call_id: &str) -> u64 {
    // FxHash (fast on short ids, the same on every run), then MurmurHash3's finalizer: every
    // bit of the result depends on every bit of FxHash's, as the buckets' top bits need.
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(call_id.as_bytes());
    let mut hash = hasher.finish();
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

fn bucket_of(hash: u64) -> usize {
    (hash >> (u64::BITS - BUCKET_BITS)) as usize
}

/// The 48 bits of a hash after its bucket's, big-endian (so that arrays sort as numbers).
type Kept = [u8; 6];

fn kept_of(hash: u64) -> Kept {
    let [_, _, rest @ ..] = (hash << BUCKET_BITS >> 16).to_be_bytes();
    rest
}

impl EndedCalls {
    /// Remembers that a call ended at a line (lines come in increasing order).
    pub fn insert(&mut self, call_id: &str, line: u64) {
        if self.recent.len() >= self.move_at {
            self.age(line);
        }
        self.recent.insert(id_hash(call_id), line);
    }

    /// Moves the calls that ended more than [`RECENT_LINES`] lines before `line` to the older
    /// buckets (they forget their end lines). The calls still within the window stay, and
    /// the next move waits until as many again have ended.
    fn age(&mut self, line: u64) {
        let mut moved = Vec::with_capacity(self.recent.len());
        self.recent.retain(|&hash, &mut end| {
            let within = line.saturating_sub(end) <= RECENT_LINES;
            if !within {
                moved.push(hash);
            }
            within
        });
        let older: usize = self.older.iter().map(Vec::len).sum();
        self.move_at = self.recent.len() + MOVED_AT_ONCE.max(older / OLDER_PER_MOVED);
        moved.sort_unstable();
        let mut rest = moved.as_slice();
        while let Some(&first) = rest.first() {
            let index = bucket_of(first);
            let count = rest.partition_point(|&hash| bucket_of(hash) == index);
            let (batch, later) = rest.split_at(count);
            rest = later;
            if let Some(bucket) = self.older.get_mut(index) {
                *bucket = merged(bucket, batch);
            }
        }
    }

    /// Whether (and where) a call with this id ended, as a row at `line` is told.
    pub fn get(&self, call_id: &str, line: u64) -> Option<Ended> {
        let hash = id_hash(call_id);
        if let Some(&end) = self.recent.get(&hash) {
            return Some(if line.saturating_sub(end) <= RECENT_LINES {
                Ended::AtLine(end)
            } else {
                Ended::Earlier
            });
        }
        self.older
            .get(bucket_of(hash))
            .is_some_and(|bucket| bucket.binary_search(&kept_of(hash)).is_ok())
            .then_some(Ended::Earlier)
    }
}

/// A sorted bucket and a sorted batch of hashes of its bucket merged, without repeats, in
/// exactly as much room as needed (these buckets are most of the memory of a long run).
fn merged(bucket: &[Kept], batch: &[u64]) -> Vec<Kept> {
    let mut out = Vec::with_capacity(bucket.len() + batch.len());
    let mut old = bucket.iter().copied().peekable();
    let mut new = batch.iter().map(|&hash| kept_of(hash)).peekable();
    loop {
        let next = match (old.peek(), new.peek()) {
            (Some(a), Some(b)) if a <= b => old.next(),
            (_, Some(_)) => new.next(),
            (Some(_), None) => old.next(),
            (None, None) => break,
        };
        if let Some(kept) = next.filter(|kept| out.last() != Some(kept)) {
            out.push(kept);
        }
    }
    out
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
        // One call ended a line: the window holds RECENT_LINES calls, and several moves pass.
        let total = 4 * RECENT_LINES + 10;
        for i in 0..total {
            ended.insert(&format!("C-{i}"), i + 2);
        }
        let now = total + 2;
        for i in (0..total - RECENT_LINES - 2).step_by(997) {
            assert_eq!(
                ended.get(&format!("C-{i}"), now),
                Some(Ended::Earlier),
                "C-{i}"
            );
        }
        let last = total - 1;
        assert_eq!(
            ended.get(&format!("C-{last}"), now),
            Some(Ended::AtLine(last + 2))
        );
        assert_eq!(ended.get("C-never", now), None);
        assert_eq!(ended.get(&format!("C-{total}"), now), None);
        let remembered: usize =
            ended.older.iter().map(Vec::len).sum::<usize>() + ended.recent.len();
        assert_eq!(remembered as u64, total);
        assert!(ended.older.iter().all(|b| b.is_sorted()));
        // The recent map holds the window and at most one batch more.
        let older: usize = ended.older.iter().map(Vec::len).sum();
        let batch = MOVED_AT_ONCE.max(older / OLDER_PER_MOVED);
        assert!(
            ended.recent.len() <= RECENT_LINES as usize + 1 + batch,
            "{} recent, {older} older",
            ended.recent.len()
        );
    }

    #[test]
    fn the_answer_depends_on_lines_only_not_on_how_calls_are_shared_out() {
        // One set of ended calls, as one thread keeps them, and the same calls shared out
        // between two sets, as two threads keep them: every row is told the same.
        let total = 3 * RECENT_LINES + 10;
        let mut one = EndedCalls::default();
        let mut two = [EndedCalls::default(), EndedCalls::default()];
        for i in 0..total {
            let id = format!("C-{i}");
            one.insert(&id, i + 2);
            if let Some(half) = two.get_mut((i % 2) as usize) {
                half.insert(&id, i + 2);
            }
        }
        let now = total + 2;
        let edge = total - RECENT_LINES;
        for i in (0..total)
            .step_by(97)
            .chain([edge - 1, edge, edge + 1, total - 1])
        {
            let id = format!("C-{i}");
            let end = i + 2;
            let told = if now - end <= RECENT_LINES {
                Ended::AtLine(end)
            } else {
                Ended::Earlier
            };
            assert_eq!(one.get(&id, now), Some(told), "{id}");
            let half = two
                .get((i % 2) as usize)
                .and_then(|half| half.get(&id, now));
            assert_eq!(half, Some(told), "{id}");
        }
    }

    #[test]
    fn merging_keeps_the_order_and_drops_repeats() {
        let kept = |n: u64| kept_of(n << 4);
        let bucket = [kept(1), kept(4), kept(9)];
        let batch = [2u64 << 4, 4 << 4, 10 << 4, 11 << 4];
        assert_eq!(
            merged(&bucket, &batch),
            [kept(1), kept(2), kept(4), kept(9), kept(10), kept(11)]
        );
        assert_eq!(merged(&[], &batch).len(), 4);
        assert_eq!(merged(&bucket, &[]), bucket);
    }

    #[test]
    fn kept_bits_sort_as_the_hashes_do() {
        let hashes = [
            0u64,
            1 << 4,
            1 << 51,
            (1 << 52) - 1,
            u64::MAX >> 12,
            0x0123_4567_89ab_cdef,
        ];
        for pair in hashes.windows(2) {
            let (a, b) = (pair[0] & (u64::MAX >> 12), pair[1] & (u64::MAX >> 12));
            assert_eq!(a.cmp(&b), kept_of(a).cmp(&kept_of(b)), "{a:x} {b:x}");
        }
        assert_ne!(kept_of(1 << 4), kept_of(0));
        assert_eq!(kept_of(0xf), kept_of(0), "the lowest 4 bits are not kept");
    }
}
