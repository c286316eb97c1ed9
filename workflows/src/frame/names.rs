//! [`Names`]: the call's identity strings (call id, agent id, agent name, department) in one
//! allocation, and the customer's name beside it (memory per open call, issue #23: five boxed
//! strings were 80 bytes inline and five blocks on the heap; this is 32 bytes and two blocks).
//! An event does not read them: the machines' context ([`crate::Ctx`]) reads the agent id and
//! the customer's name only when a machine asks, and then a part is found by a walk of a few
//! bytes, no search and no number to parse.
//!
//! The customer's name has a block of its own because it is the one name written while the
//! call is live: kept in the shared block, writing it meant reading that block first (a cache
//! miss) to make it again, the slowest step of the live bench (`customer_identified`, p99
//! 1.57 µs against under 1 µs for the others).

/// The call's identity strings known at its start, one after the other in one boxed `str`,
/// each after a header giving its length plus one (0 when it is not known), little-endian in
/// groups of 6 bits, one byte each: bit 6 set while more groups follow. Every header byte is
/// below 0x80, an ASCII character, so the text stays UTF-8 and each part is a slice of it; a
/// length under 63 takes one byte. The customer's name, written later, is kept beside.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Names {
    text: Box<str>,
    /// The customer's name, once identified.
    customer: Option<Box<str>>,
}

/// The parts, in their order in the text.
const CALL_ID: usize = 0;
const AGENT_ID: usize = 1;
const AGENT_NAME: usize = 2;
const DEPARTMENT: usize = 3;

/// The bits of a header byte that carry the value, and the one that says more follow.
const VALUE: u8 = 0x3F;
const MORE: u8 = 0x40;

/// Writes a part's header: `tag` is its length plus one, or 0 when it is not known.
fn push_header(text: &mut String, mut tag: usize) {
    loop {
        // Six bits, below 0x40: the cast keeps them all.
        let bits = (tag & usize::from(VALUE)) as u8;
        tag >>= 6;
        if tag == 0 {
            text.push(char::from(bits));
            return;
        }
        text.push(char::from(bits | MORE));
    }
}

/// How many bytes [`push_header`] writes for `tag`.
fn header_len(mut tag: usize) -> usize {
    let mut len = 1;
    while tag > usize::from(VALUE) {
        tag >>= 6;
        len += 1;
    }
    len
}

/// Reads a header at the start of `bytes`: its tag and how many bytes it took.
fn read_header(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut tag = 0usize;
    for (at, &byte) in bytes.iter().enumerate() {
        let shift = u32::try_from(at.checked_mul(6)?).ok()?;
        tag |= usize::from(byte & VALUE).checked_shl(shift)?;
        if byte & MORE == 0 {
            return Some((tag, at + 1));
        }
    }
    None
}

impl Names {
    /// The names of a call as it starts or is restored.
    pub(crate) fn new(
        call_id: &str,
        agent_id: &str,
        agent_name: Option<&str>,
        department: &str,
        customer_name: Option<&str>,
    ) -> Names {
        let parts = [Some(call_id), Some(agent_id), agent_name, Some(department)];
        let tag = |part: Option<&str>| part.map_or(0, |part| part.len().saturating_add(1));
        // The exact length, so that the boxed text is the block first allocated.
        let bytes: usize = parts
            .iter()
            .map(|&part| header_len(tag(part)) + part.map_or(0, str::len))
            .sum();
        let mut text = String::with_capacity(bytes);
        for part in parts {
            push_header(&mut text, tag(part));
            text.push_str(part.unwrap_or_default());
        }
        Names {
            text: text.into_boxed_str(),
            customer: customer_name.map(Box::from),
        }
    }

    /// Part `index` of the text, when known.
    fn part(&self, index: usize) -> Option<&str> {
        let bytes = self.text.as_bytes();
        let mut at = 0;
        for part in 0..=index {
            let (tag, used) = read_header(bytes.get(at..)?)?;
            at += used;
            let Some(len) = tag.checked_sub(1) else {
                if part == index {
                    return None;
                }
                continue;
            };
            let end = at.checked_add(len)?;
            if part == index {
                return self.text.get(at..end);
            }
            at = end;
        }
        None
    }

    /// The call's identifier.
    pub(crate) fn call_id(&self) -> &str {
        self.part(CALL_ID).unwrap_or_default()
    }

    /// The agent who started the call.
    pub(crate) fn agent_id(&self) -> &str {
        self.part(AGENT_ID).unwrap_or_default()
    }

    /// The agent's name, when known.
    pub(crate) fn agent_name(&self) -> Option<&str> {
        self.part(AGENT_NAME)
    }

    /// The department.
    pub(crate) fn department(&self) -> &str {
        self.part(DEPARTMENT).unwrap_or_default()
    }

    /// The customer's name, once identified.
    pub(crate) fn customer_name(&self) -> Option<&str> {
        self.customer.as_deref()
    }

    /// Records the customer's name (the other names' block is not read).
    pub(crate) fn set_customer_name(&mut self, name: &str) {
        self.customer = Some(name.into());
    }
}

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Names")
            .field("call_id", &self.call_id())
            .field("agent_id", &self.agent_id())
            .field("agent_name", &self.agent_name())
            .field("department", &self.department())
            .field("customer_name", &self.customer_name())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Names;

    #[test]
    fn each_name_reads_back_as_given() {
        let mut names = Names::new("C-1", "sjones", None, "Rewards", None);
        assert_eq!(names.call_id(), "C-1");
        assert_eq!(names.agent_id(), "sjones");
        assert_eq!(names.agent_name(), None);
        assert_eq!(names.department(), "Rewards");
        assert_eq!(names.customer_name(), None);
        names.set_customer_name("Pat Lee");
        assert_eq!(names.customer_name(), Some("Pat Lee"));
        assert_eq!(names.department(), "Rewards");
        names.set_customer_name("");
        assert_eq!(names.customer_name(), Some(""), "an empty name is a name");

        let names = Names::new("", "", Some("Sam"), "Ünïcode ☎", Some("Zoë"));
        assert_eq!(names.call_id(), "");
        assert_eq!(names.agent_id(), "");
        assert_eq!(names.agent_name(), Some("Sam"));
        assert_eq!(names.department(), "Ünïcode ☎");
        assert_eq!(names.customer_name(), Some("Zoë"));
        assert_eq!(std::mem::size_of::<Names>(), 32);
        for len in [0, 62, 63, 64, 4_095, 4_096, 70_000] {
            let part = "x".repeat(len);
            let names = Names::new(&part, "", None, "", None);
            assert_eq!(names.text.len(), super::header_len(len + 1) + len + 3);
            assert_eq!(names.call_id(), part);
        }

        // Lengths of several header bytes, and parts that look like headers.
        let long = "x:-9\u{0}\u{7f}".repeat(40);
        let longer = "é".repeat(70_000);
        let names = Names::new("\u{0}", &longer, None, "\u{40}", Some(&long));
        assert_eq!(names.call_id(), "\u{0}");
        assert_eq!(names.agent_id(), longer);
        assert_eq!(names.agent_name(), None);
        assert_eq!(names.department(), "\u{40}");
        assert_eq!(names.customer_name(), Some(long.as_str()));
        let names = Names::new(&long, "-", Some(":"), "12:ab", None);
        assert_eq!(names.call_id(), long);
        assert_eq!(names.agent_id(), "-");
        assert_eq!(names.agent_name(), Some(":"));
        assert_eq!(names.department(), "12:ab");
        assert_eq!(names.customer_name(), None);
    }

    proptest::proptest! {
        #[test]
        fn any_names_read_back(
            call_id in ".*",
            agent_id in ".*",
            agent_name in proptest::option::of(".*"),
            department in ".{0,200}",
            customer_name in proptest::option::of(".*"),
        ) {
            let names = Names::new(
                &call_id,
                &agent_id,
                agent_name.as_deref(),
                &department,
                customer_name.as_deref(),
            );
            proptest::prop_assert_eq!(names.call_id(), call_id.as_str());
            proptest::prop_assert_eq!(names.agent_id(), agent_id.as_str());
            proptest::prop_assert_eq!(names.agent_name(), agent_name.as_deref());
            proptest::prop_assert_eq!(names.department(), department.as_str());
            proptest::prop_assert_eq!(names.customer_name(), customer_name.as_deref());
        }
    }
}
