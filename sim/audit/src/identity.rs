//! What a report was made from: the log's identity (its name and the SHA-256 of its bytes,
//! taken as it is read, so the file is read once) and the policy's (its fingerprint and
//! the effective date of each version).
//!
//! Two reports of the same log have the same `sha256` whatever the file was called or where
//! it lay; `callflow diff` refuses to compare reports whose logs differ.

use std::io::{self, Read};

use callflow_workflows::Engine;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The log a report was made from: `{"name", "sha256"}` in the JSON header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogIdentity {
    /// The input's name as given (a path, or `-` for standard input).
    pub name: String,
    /// The SHA-256 of every byte of the input, in lower-case hex (what `sha256sum` prints).
    pub sha256: String,
}

/// The policy a report was made under: `{"fingerprint", "versions"}` in the JSON header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyIdentity {
    /// The fingerprint of the normalised policy (the built-in default and `callflow policy
    /// init`'s file have the same one).
    pub fingerprint: String,
    /// The effective date of each dated version, in order (empty for a policy of one
    /// version). A call's `policy` field names the one it was judged under.
    pub versions: Vec<NaiveDate>,
}

impl PolicyIdentity {
    /// The identity of the policy an engine runs.
    ///
    /// ```
    /// use callflow_audit::identity::PolicyIdentity;
    /// use callflow_workflows::Engine;
    ///
    /// let policy = PolicyIdentity::of(&Engine::builtin());
    /// assert_eq!(policy.fingerprint.len(), 64);
    /// assert!(policy.versions.is_empty());
    /// ```
    pub fn of(engine: &Engine) -> PolicyIdentity {
        PolicyIdentity {
            fingerprint: engine.policy_fingerprint().to_owned(),
            versions: engine
                .versions()
                .iter()
                .filter_map(|rules| rules.effective())
                .collect(),
        }
    }
}

/// A reader that hashes what passes through it, where it reads. (A hashing thread fed copies
/// of the bytes was tried and measured slower on two cores: the copies and the third busy
/// thread cost more than hashing in place; docs/PERFORMANCE.md.)
pub(crate) struct Hashed<R> {
    inner: R,
    hasher: Sha256,
}

impl<R> Hashed<R> {
    pub(crate) fn new(inner: R) -> Hashed<R> {
        Hashed {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The hash of every byte read so far, in lower-case hex: ask once the input is read to
    /// its end.
    pub(crate) fn finish(&self) -> String {
        hex(&self.hasher.clone().finalize())
    }
}

impl<R: Read> Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256_of_every_byte_read() {
        let mut hashed = Hashed::new(&b"abc"[..]);
        let mut out = Vec::new();
        hashed.read_to_end(&mut out).unwrap();
        // FIPS 180-2's first example.
        assert_eq!(
            hashed.finish(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn an_input_read_in_pieces_has_the_hash_of_its_bytes() {
        let bytes: Vec<u8> = (0..3u32 << 20).map(|i| (i % 251) as u8).collect();
        let mut hashed = Hashed::new(&bytes[..]);
        let mut buf = vec![0; 65_536 + 7];
        while hashed.read(&mut buf).unwrap() > 0 {}
        assert_eq!(hashed.finish(), hex(&Sha256::digest(&bytes)));
        // Asking again gives the same answer.
        assert_eq!(hashed.finish(), hex(&Sha256::digest(&bytes)));
    }
}
