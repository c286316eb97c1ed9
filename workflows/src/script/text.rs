//! Script texts: the words of a script line as a set of rules has them (the procedure's own,
//! or a policy's rewording), interned once per distinct text for the life of the program and
//! compiled for the adherence measure. The texts are few (a procedure's lines, a policy's
//! versions of them), so they are never freed.

use std::sync::{Arc, OnceLock, RwLock};

use rustc_hash::FxHashMap;

use super::adherence::Compiled;

/// A script text, interned: two equal texts are the same `ScriptText` (same [`ScriptText::id`]),
/// whichever line or policy version they come from.
#[derive(Clone)]
pub struct ScriptText(Arc<Interned>);

struct Interned {
    id: u32,
    text: Arc<str>,
    compiled: Arc<Compiled>,
}

type Table = RwLock<FxHashMap<Arc<str>, ScriptText>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Table::default)
}

impl ScriptText {
    /// The interned text (compiled on its first use).
    pub fn of(text: &str) -> ScriptText {
        let table = table();
        if let Some(found) = table
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(text)
        {
            return found.clone();
        }
        let mut table = table
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let id = u32::try_from(table.len()).unwrap_or(u32::MAX);
        let text: Arc<str> = Arc::from(text);
        table
            .entry(Arc::clone(&text))
            .or_insert_with(|| {
                ScriptText(Arc::new(Interned {
                    id,
                    compiled: Arc::new(Compiled::new(&text)),
                    text,
                }))
            })
            .clone()
    }

    /// The text, with its placeholders.
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// A number unique to the text in this program (the adherence memo's key).
    pub fn id(&self) -> u32 {
        self.0.id
    }

    #[cfg(test)]
    pub(crate) fn compiled(&self) -> Arc<Compiled> {
        Arc::clone(&self.0.compiled)
    }

    pub(crate) fn compiled_ref(&self) -> &Compiled {
        &self.0.compiled
    }
}

impl PartialEq for ScriptText {
    fn eq(&self, other: &Self) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for ScriptText {}

impl std::fmt::Debug for ScriptText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_one_and_other_texts_another() {
        let a = ScriptText::of("Thank you for calling <Department Name>.");
        let b = ScriptText::of(&String::from("Thank you for calling <Department Name>."));
        let c = ScriptText::of("Thanks for calling <Department Name>.");
        assert_eq!(a, b);
        assert_eq!(a.id(), b.id());
        assert_ne!(a.id(), c.id());
        assert_eq!(c.as_str(), "Thanks for calling <Department Name>.");
    }
}
