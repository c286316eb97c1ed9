//! How much memory an audit may give its open calls (`audit --memory-limit`): past it, the
//! calls idle longest move to a spill file on disk and come back when a row of theirs arrives
//! ([`crate::replay`]).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// A memory limit in bytes, read from `256M`, `2G`, `512K`, `1.5G` or a plain number of
/// bytes (powers of 1024; a trailing `B` or `iB` is allowed, any case).
///
/// ```
/// use callflow_audit::memory::MemoryLimit;
/// assert_eq!("256M".parse::<MemoryLimit>().unwrap().bytes(), 256 << 20);
/// assert_eq!("2GiB".parse::<MemoryLimit>().unwrap().bytes(), 2 << 30);
/// assert_eq!("1.5g".parse::<MemoryLimit>().unwrap().bytes(), 3 << 29);
/// assert_eq!("4096".parse::<MemoryLimit>().unwrap().bytes(), 4096);
/// assert!("lots".parse::<MemoryLimit>().is_err());
/// assert_eq!(MemoryLimit::from_bytes(16 << 20).to_string(), "16M");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemoryLimit(u64);

impl MemoryLimit {
    /// The default when none is given: an eighth of the machine's memory, between 256 MiB and
    /// 2 GiB (2 GiB on a 24 GiB machine). 2 GiB when the machine's memory cannot be read (on
    /// systems without `/proc/meminfo`).
    pub fn for_this_machine() -> MemoryLimit {
        static DEFAULT: OnceLock<MemoryLimit> = OnceLock::new();
        *DEFAULT.get_or_init(|| {
            let total = machine_memory().unwrap_or(16 << 30);
            MemoryLimit((total / 8).clamp(256 << 20, 2 << 30))
        })
    }

    /// A limit of `bytes`.
    pub const fn from_bytes(bytes: u64) -> MemoryLimit {
        MemoryLimit(bytes)
    }

    /// The limit in bytes.
    pub const fn bytes(self) -> u64 {
        self.0
    }
}

impl Default for MemoryLimit {
    fn default() -> Self {
        MemoryLimit::for_this_machine()
    }
}

/// The machine's memory (`MemTotal` of `/proc/meminfo`), when it can be read.
fn machine_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// Why a memory limit could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("memory limit {text:?} is not a size like 256M, 2G, 512K or a number of bytes")]
pub struct BadMemoryLimit {
    /// The text given.
    pub text: String,
}

impl FromStr for MemoryLimit {
    type Err = BadMemoryLimit;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadMemoryLimit {
            text: text.to_owned(),
        };
        let lower = text.trim().to_ascii_lowercase();
        let number = lower
            .strip_suffix("ib")
            .or_else(|| lower.strip_suffix('b'))
            .unwrap_or(&lower);
        let (digits, unit) = [
            ('k', 1u64 << 10),
            ('m', 1 << 20),
            ('g', 1 << 30),
            ('t', 1 << 40),
        ]
        .into_iter()
        .find_map(|(suffix, unit)| number.strip_suffix(suffix).map(|digits| (digits, unit)))
        .unwrap_or((number, 1));
        let digits = digits.trim();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(bad());
        }
        let value: f64 = digits.parse().map_err(|_| bad())?;
        let bytes = value * unit as f64;
        if !bytes.is_finite() || bytes >= u64::MAX as f64 {
            return Err(bad());
        }
        Ok(MemoryLimit(bytes as u64))
    }
}

impl fmt::Display for MemoryLimit {
    /// The largest unit that divides the limit exactly (`2G`, `256M`, `4096`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (unit, name) in [
            (1u64 << 40, "T"),
            (1 << 30, "G"),
            (1 << 20, "M"),
            (1 << 10, "K"),
        ] {
            if self.0 >= unit && self.0.is_multiple_of(unit) {
                return write!(f, "{}{name}", self.0 / unit);
            }
        }
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_users_write_them() {
        for (text, bytes) in [
            ("0", 0),
            ("16M", 16 << 20),
            ("16m", 16 << 20),
            ("16MB", 16 << 20),
            ("16MiB", 16 << 20),
            (" 2G ", 2 << 30),
            ("512k", 512 << 10),
            ("1T", 1 << 40),
            ("0.5G", 512 << 20),
        ] {
            assert_eq!(
                text.parse::<MemoryLimit>().map(MemoryLimit::bytes),
                Ok(bytes),
                "{text}"
            );
        }
        for text in [
            "",
            "M",
            "-1G",
            "1.2.3M",
            "12X",
            "1e3",
            "G2",
            "99999999999999999999T",
        ] {
            assert!(text.parse::<MemoryLimit>().is_err(), "{text}");
        }
    }

    #[test]
    fn the_default_fits_the_machine_within_its_bounds() {
        let limit = MemoryLimit::for_this_machine().bytes();
        assert!((256 << 20..=2 << 30).contains(&limit), "{limit}");
    }
}
