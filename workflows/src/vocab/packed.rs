//! [`PackedStamp`]: a [`Stamp`] in 16 bytes instead of 24, for the stamps an open call keeps
//! (memory per open call, issue #23: about a dozen of them in a call of the `live` bench).
//!
//! A stamp packs when its line is at most [`Stamp::MAX_LINE`] and its instant (UTC) falls
//! between the years 0000 and about 17,400 (local times of 0000-01-01 to 9999-12-31 at any
//! offset, the range RFC 3339 can write). [`crate::Call`] refuses other stamps at the door
//! ([`crate::Error::StampOutOfRange`]); a restored call refuses them as it reads.

use std::fmt;
use std::num::NonZeroU32;

use chrono::{DateTime, FixedOffset, Offset, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Stamp;

/// Bits of each part; they add up to 128.
const SECS_BITS: u32 = 39;
const LINE_BITS: u32 = 40;
const NANOS_BITS: u32 = 31;
const OFFSET_BITS: u32 = 18;
const _: () = assert!(SECS_BITS + LINE_BITS + NANOS_BITS + OFFSET_BITS == 128);

/// Where each part starts in the 128 bits, from the lowest.
const NANOS_AT: u32 = OFFSET_BITS;
const LINE_AT: u32 = NANOS_AT + NANOS_BITS;
const SECS_AT: u32 = LINE_AT + LINE_BITS;

/// The earliest instant kept: 0000-01-01T00:00:00 at the largest offset ahead of UTC, less a
/// second.
const SECS_BEFORE_FIRST: i64 = -62_167_219_200 - 86_400 - 1;

/// The latest instant kept, in seconds since 1970.
const LAST_SECS: i64 = SECS_BEFORE_FIRST + (1 << SECS_BITS) - 1;

/// Offsets are kept as seconds plus this (a [`FixedOffset`] is strictly within a day), so that
/// the kept offset is never 0: the lowest word is never 0, and an `Option<PackedStamp>` is 16
/// bytes too.
const OFFSET_BIAS: i32 = 86_401;

/// A [`Stamp`] in 128 bits, from the highest: the seconds since 1970, the line, the
/// nanoseconds and the offset; kept as four 32-bit words, lowest first (aligned to 4 bytes, a
/// stamp beside a small value takes 20 bytes, not 24). Equal packed stamps are equal stamps,
/// offsets included.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PackedStamp {
    lowest: NonZeroU32,
    rest: [u32; 3],
}

impl PackedStamp {
    /// `stamp` packed, or `None` when its line or its instant is out of range.
    pub(crate) fn new(stamp: Stamp) -> Option<PackedStamp> {
        let secs = stamp.at.timestamp();
        let nanos = stamp.at.timestamp_subsec_nanos();
        if stamp.line > Stamp::MAX_LINE || !(SECS_BEFORE_FIRST + 1..=LAST_SECS).contains(&secs) {
            return None;
        }
        // A leap second's nanoseconds (1e9 and more) come back only on a minute's last
        // second in UTC; chrono can hold one elsewhere under an odd offset.
        if nanos >= 1_000_000_000 && DateTime::from_timestamp(secs, nanos).is_none() {
            return None;
        }
        let kept = (secs - SECS_BEFORE_FIRST) as u128;
        let offset = (stamp.at.offset().local_minus_utc() + OFFSET_BIAS) as u128;
        let bits = kept << SECS_AT
            | u128::from(stamp.line) << LINE_AT
            | u128::from(nanos) << NANOS_AT
            | offset;
        Some(PackedStamp {
            lowest: NonZeroU32::new(bits as u32)?,
            rest: [
                (bits >> 32) as u32,
                (bits >> 64) as u32,
                (bits >> 96) as u32,
            ],
        })
    }

    /// The 128 bits.
    #[inline]
    fn bits(self) -> u128 {
        u128::from(self.lowest.get())
            | u128::from(self.rest[0]) << 32
            | u128::from(self.rest[1]) << 64
            | u128::from(self.rest[2]) << 96
    }

    /// Part `bits` long at `at` of the 128 bits.
    #[inline]
    fn part(self, at: u32, bits: u32) -> u64 {
        (self.bits() >> at) as u64 & ((1 << bits) - 1)
    }

    /// The stamp's line.
    #[inline]
    pub(crate) fn line(self) -> u64 {
        self.part(LINE_AT, LINE_BITS)
    }

    /// The stamp's instant: seconds since 1970 and nanoseconds, in the order of time.
    #[inline]
    fn instant(self) -> (i64, u32) {
        let secs = self.part(SECS_AT, SECS_BITS) as i64 + SECS_BEFORE_FIRST;
        (secs, self.part(NANOS_AT, NANOS_BITS) as u32)
    }

    /// Whether the stamp's instant comes after `at`'s.
    #[inline]
    pub(crate) fn is_after(self, at: &DateTime<FixedOffset>) -> bool {
        self.instant() > (at.timestamp(), at.timestamp_subsec_nanos())
    }

    /// The stamp.
    pub(crate) fn get(self) -> Stamp {
        let (secs, nanos) = self.instant();
        let offset = self.part(0, OFFSET_BITS) as i32 - OFFSET_BIAS;
        // Both are in range: they were checked when packed.
        let utc = DateTime::from_timestamp(secs, nanos).unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        let offset = FixedOffset::east_opt(offset).unwrap_or(Utc.fix());
        Stamp {
            line: self.line(),
            at: utc.with_timezone(&offset),
        }
    }
}

impl From<Stamp> for PackedStamp {
    /// Packs a stamp [`crate::Call`] admitted. A stamp out of range (a machine driven without
    /// a call, past the checks) is kept as the nearest one in range.
    fn from(stamp: Stamp) -> PackedStamp {
        PackedStamp::new(stamp).unwrap_or_else(|| {
            let secs = stamp.at.timestamp().clamp(SECS_BEFORE_FIRST + 1, LAST_SECS);
            let at = DateTime::from_timestamp(secs, 0)
                .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
                .with_timezone(stamp.at.offset());
            let line = stamp.line.min(Stamp::MAX_LINE);
            PackedStamp::new(Stamp { line, at }).unwrap_or(PackedStamp {
                lowest: NonZeroU32::MIN,
                rest: [0; 3],
            })
        })
    }
}

impl fmt::Debug for PackedStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

/// Written as the stamp is.
impl Serialize for PackedStamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

/// Read as a stamp is; a stamp out of range is an error.
impl<'de> Deserialize<'de> for PackedStamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PackedStamp, D::Error> {
        let stamp = Stamp::deserialize(deserializer)?;
        PackedStamp::new(stamp).ok_or_else(|| serde::de::Error::custom(out_of_range(&stamp)))
    }
}

/// What is wrong with a stamp that does not pack.
pub(crate) fn out_of_range(stamp: &Stamp) -> String {
    if stamp.line > Stamp::MAX_LINE {
        format!(
            "line {} is past the last line a call can number ({})",
            stamp.line,
            Stamp::MAX_LINE
        )
    } else {
        format!(
            "time {} is outside the years a call can keep (0000 to about 17,400 in UTC)",
            stamp.at.to_rfc3339()
        )
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
    use proptest::prelude::*;

    use super::{PackedStamp, Stamp};

    fn stamp(line: u64, at: &str) -> Stamp {
        Stamp {
            line,
            at: DateTime::parse_from_rfc3339(at).expect("a time"),
        }
    }

    #[test]
    fn a_packed_stamp_is_16_bytes_and_so_is_an_optional_one() {
        assert_eq!(std::mem::size_of::<PackedStamp>(), 16);
        assert_eq!(std::mem::size_of::<Option<PackedStamp>>(), 16);
        assert_eq!(std::mem::size_of::<(u8, PackedStamp)>(), 20);
    }

    #[test]
    fn the_ends_of_the_range_come_back_and_past_them_is_refused() {
        for kept in [
            stamp(1, "2026-03-02T14:05:11-05:00"),
            stamp(0, "0000-01-01T00:00:00+23:59"),
            stamp(Stamp::MAX_LINE, "9999-12-31T23:59:59.999999999-23:59"),
            stamp(7, "2016-12-31T23:59:60.5Z"),
            stamp(7, "1970-01-01T00:00:00+00:00"),
            stamp(7, "1969-12-31T23:59:59.000000001+05:30"),
        ] {
            let packed = PackedStamp::new(kept).expect("in range");
            assert_eq!(packed.get(), kept);
            assert_eq!(packed.get().at.to_rfc3339(), kept.at.to_rfc3339());
            assert_eq!(packed.line(), kept.line);
        }
        let far = FixedOffset::east_opt(0)
            .and_then(|utc| {
                utc.from_local_datetime(
                    &NaiveDate::from_ymd_opt(30_000, 1, 1)?.and_hms_opt(0, 0, 0)?,
                )
                .single()
            })
            .expect("a time chrono holds");
        assert!(PackedStamp::new(Stamp { line: 2, at: far }).is_none());
        let past = stamp(Stamp::MAX_LINE + 1, "2026-03-02T14:05:11-05:00");
        assert!(PackedStamp::new(past).is_none());
        // Clamped, never a panic.
        assert_eq!(PackedStamp::from(past).line(), Stamp::MAX_LINE);
    }

    proptest! {
        #[test]
        fn any_stamp_in_range_comes_back_unchanged(
            line in 0..=Stamp::MAX_LINE,
            secs in -62_135_596_800i64..253_402_300_799,
            nanos in 0u32..1_000_000_000,
            offset in -86_399i32..=86_399,
        ) {
            let at = DateTime::from_timestamp(secs, nanos)
                .expect("in chrono's range")
                .with_timezone(&FixedOffset::east_opt(offset).expect("within a day"));
            let kept = Stamp { line, at };
            let packed = PackedStamp::new(kept).expect("in range");
            prop_assert_eq!(packed.get(), kept);
            prop_assert_eq!(*packed.get().at.offset(), *kept.at.offset());
            prop_assert_eq!(packed.line(), line);
        }

        #[test]
        fn packed_stamps_order_by_instant(
            a in -62_135_596_800i64..253_402_300_799,
            b in -62_135_596_800i64..253_402_300_799,
            nanos in 0u32..1_000_000_000,
        ) {
            let at = |secs| DateTime::from_timestamp(secs, nanos)
                .expect("in range")
                .fixed_offset();
            let packed = PackedStamp::new(Stamp { line: 1, at: at(a) }).expect("in range");
            prop_assert_eq!(packed.is_after(&at(b)), a > b);
        }
    }
}
