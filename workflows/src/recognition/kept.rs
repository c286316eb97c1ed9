//! A small process-wide store of values built once per key (a learned classifier, the
//! machines' explored steps), the most recently used kept: a process that loads policy after
//! policy keeps [`KEPT`] of them, not every one.

use std::sync::Arc;

/// How many values a [`Kept`] store keeps.
pub(crate) const KEPT: usize = 8;

/// Values by key, the most recently used last.
pub(crate) struct Kept<K, V> {
    entries: Vec<(K, Arc<V>)>,
}

impl<K, V> Kept<K, V> {
    /// An empty store (usable in a `static`).
    pub(crate) const fn new() -> Kept<K, V> {
        Kept {
            entries: Vec::new(),
        }
    }

    /// How many values it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The value of the key that `is` accepts, made by `make` (and kept, the least recently
    /// used dropped past [`KEPT`]) when there is none.
    pub(crate) fn get_or_make<E>(
        &mut self,
        is: impl Fn(&K) -> bool,
        make: impl FnOnce() -> Result<(K, V), E>,
    ) -> Result<Arc<V>, E> {
        if let Some(at) = self.entries.iter().position(|(key, _)| is(key)) {
            let entry = self.entries.remove(at);
            let value = Arc::clone(&entry.1);
            self.entries.push(entry);
            return Ok(value);
        }
        let (key, value) = make()?;
        let value = Arc::new(value);
        if self.entries.len() >= KEPT {
            self.entries.remove(0);
        }
        self.entries.push((key, Arc::clone(&value)));
        Ok(value)
    }
}
