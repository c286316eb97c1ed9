//! A table by a well-mixed 64-bit hash, kept as 64 smaller tables chosen by the hash's top
//! bits, for the slots of the calls spilled under the memory limit ([`crate::open_calls`]).
//!
//! A single hash table doubles its array when it fills, and for that moment holds the old
//! array beside the new one: with 1.6 million slots, 35 MB beside 69 MB, the run's peak 30%
//! over its memory limit. Sixty-four tables fill at about the same pace but grow one at a
//! time, so the moment's extra is about a sixty-fourth of that.

use rustc_hash::FxHashMap as HashMap;

/// How many top bits of a hash choose its table.
const SHARD_BITS: u32 = 6;

/// The table: values by hash, in `2^SHARD_BITS` tables.
#[derive(Debug)]
pub(crate) struct Slots<V> {
    shards: Vec<HashMap<u64, V>>,
    len: usize,
}

impl<V> Default for Slots<V> {
    fn default() -> Self {
        Slots {
            shards: (0..1 << SHARD_BITS).map(|_| HashMap::default()).collect(),
            len: 0,
        }
    }
}

impl<V> Slots<V> {
    fn shard(&self, hash: u64) -> Option<&HashMap<u64, V>> {
        self.shards.get((hash >> (64 - SHARD_BITS)) as usize)
    }

    fn shard_mut(&mut self, hash: u64) -> Option<&mut HashMap<u64, V>> {
        self.shards.get_mut((hash >> (64 - SHARD_BITS)) as usize)
    }

    /// How many values.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of `hash`.
    pub(crate) fn get(&self, hash: u64) -> Option<&V> {
        self.shard(hash)?.get(&hash)
    }

    /// Whether `hash` has a value.
    pub(crate) fn contains_key(&self, hash: u64) -> bool {
        self.get(hash).is_some()
    }

    /// Sets the value of `hash`, giving back the one it replaces.
    pub(crate) fn insert(&mut self, hash: u64, value: V) -> Option<V> {
        let replaced = self.shard_mut(hash)?.insert(hash, value);
        if replaced.is_none() {
            self.len += 1;
        }
        replaced
    }

    /// Takes the value of `hash` out.
    pub(crate) fn remove(&mut self, hash: u64) -> Option<V> {
        let removed = self.shard_mut(hash)?.remove(&hash);
        if removed.is_some() {
            self.len -= 1;
        }
        removed
    }

    /// Every value, in an order [`Slots::values_mut`] repeats while nothing is added or
    /// taken out.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.shards.iter().flat_map(|shard| shard.values())
    }

    /// Every value, to change in place, in the order of [`Slots::values`].
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.shards.iter_mut().flat_map(|shard| shard.values_mut())
    }

    /// Every value, each table let go of once its values are out.
    pub(crate) fn into_values(self) -> impl Iterator<Item = V> {
        self.shards
            .into_iter()
            .flat_map(|shard| shard.into_values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_go_in_and_out_by_hash_across_the_tables() {
        let mut slots = Slots::default();
        let hashes: Vec<u64> = (0..10_000u64)
            .map(|n| n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for (n, &hash) in hashes.iter().enumerate() {
            assert_eq!(slots.insert(hash, n), None);
        }
        assert_eq!(slots.len(), 10_000);
        assert_eq!(slots.insert(hashes[7], 70), Some(7));
        assert_eq!(slots.len(), 10_000);
        assert_eq!(slots.get(hashes[7]), Some(&70));
        assert_eq!(slots.remove(hashes[7]), Some(70));
        assert_eq!(slots.remove(hashes[7]), None);
        assert!(!slots.contains_key(hashes[7]));
        assert_eq!(slots.len(), 9_999);
        // The values are spread over every table.
        assert!(slots.shards.iter().all(|shard| !shard.is_empty()));
        // values and values_mut walk the same order.
        let order: Vec<usize> = slots.values().copied().collect();
        for value in slots.values_mut() {
            *value += 1;
        }
        let after: Vec<usize> = slots.values().map(|v| v - 1).collect();
        assert_eq!(order, after);
        let mut all: Vec<usize> = slots.into_values().collect();
        all.sort_unstable();
        assert_eq!(all.len(), 9_999);
        assert_eq!(all[0], 1);
    }
}
