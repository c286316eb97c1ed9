//! The compact snapshot of a call ([`Call::save_compact`], [`Call::restore_compact`]): a few
//! hundred bytes where the JSON save ([`Call::restore`]) takes about a kilobyte, for a process
//! that keeps many calls aside (the audit's spill of idle calls, a service's store).
//!
//! The layout (docs/DECISIONS.md says why postcard):
//!
//! | bytes | what |
//! | --- | --- |
//! | 2 | the format tag, [`COMPACT_TAG`] (`CF` then the format version, 1) |
//! | 4 | a digest of the engine's procedures and their versions, in order ([`procedures_digest`]) |
//! | 8 | the first 8 bytes of the fingerprint of the rules the call runs under |
//! | rest | the call frame's statig machine in postcard (varints, no field names); stamps, times and dates as integers, each inquiry's procedure given by its reason code |
//!
//! A snapshot is read back only under an engine with the same procedures and rules: the
//! digests say so before anything else is trusted, and the call is then checked as a JSON
//! save is (`Frame::check`).

use std::sync::Arc;

use statig::blocking::StateMachine;

use super::Call;
use crate::error::Error;
use crate::frame::{with_engine, Frame};
use crate::registry::Engine;

/// The first two bytes of a compact snapshot: `0xCF` (never the first byte of a JSON save,
/// which starts with `{` or a space) then the format version.
pub const COMPACT_TAG: [u8; 2] = [0xCF, 1];

/// The compact format's name, as [`Error::SnapshotFormat`] reports it.
pub const COMPACT_FORMAT: &str = "callflow-call/compact-1";

/// The header's length: the tag, the procedures' digest, the rules' digest.
const HEADER: usize = 2 + 4 + 8;

/// A digest of the engine's procedures, names and versions in registration order: FNV-1a
/// (64 bits, stable across builds and platforms) over `name \0 version(le) \0`, its low 4
/// bytes. It guards against resuming under other procedures; it is not a security measure.
pub fn procedures_digest(engine: &Engine) -> [u8; 4] {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for procedure in engine.procedures() {
        eat(procedure.name().as_bytes());
        eat(&[0]);
        eat(&procedure.version().to_le_bytes());
        eat(&[0]);
    }
    let [a, b, c, d, ..] = hash.to_le_bytes();
    [a, b, c, d]
}

/// The first 8 bytes of a rules fingerprint (64 hex digits; a digit that is not hex, which a
/// fingerprint never has, counts as 0).
fn rules_digest(fingerprint: &str) -> [u8; 8] {
    let mut out = [0u8; 8];
    let hex = fingerprint.as_bytes();
    for (i, slot) in out.iter_mut().enumerate() {
        let digit = |at: usize| {
            hex.get(at)
                .and_then(|&c| char::from(c).to_digit(16))
                .unwrap_or(0) as u8
        };
        *slot = digit(2 * i) << 4 | digit(2 * i + 1);
    }
    out
}

/// A postcard flavor appending to the caller's buffer.
struct Append<'a>(&'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Append<'_> {
    type Output = ();

    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.0.push(byte);
        Ok(())
    }

    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

impl Call {
    /// Appends the compact binary snapshot of this call to `out`: a 14-byte header (format
    /// tag, digests of the procedures and of the rules) and the call in postcard. An open call
    /// of the `live` bench takes about 170 bytes (docs/PERFORMANCE.md). Read it back with
    /// [`Call::restore_compact`] under the same engine.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use callflow_workflows::{Call, CallStart, Engine, Stamp, Step};
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
    /// let engine = Arc::new(Engine::builtin());
    /// let mut call = Call::start(&engine, CallStart {
    ///     call_id: "C-1", agent_id: "sjones", department: "Rewards", agent_name: None,
    ///     stamp: Stamp { line: 2, at },
    /// }).unwrap();
    /// let greeting = engine.event("greeting", "").unwrap();
    /// call.handle(&Step::new(Stamp { line: 3, at }, greeting)).unwrap();
    /// let mut saved = Vec::new();
    /// call.save_compact(&mut saved);
    /// assert!(saved.len() < 100);
    /// assert_eq!(Call::restore_compact(&engine, &saved).unwrap(), call);
    /// ```
    pub fn save_compact(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&COMPACT_TAG);
        out.extend_from_slice(&procedures_digest(&self.engine));
        out.extend_from_slice(&rules_digest(self.rules().fingerprint()));
        let body = out.len();
        // Writing into a Vec fails only for a type serde cannot write, which a call is not
        // (the JSON save writes the same types); the header alone would then be left, which
        // restores as a save cut short.
        if postcard::serialize_with_flavor(&self.machine, Append(out)).is_err() {
            out.truncate(body);
        }
    }

    /// Reads a compact snapshot ([`Call::save_compact`]) back under `engine`, which must
    /// register the same procedures at the same versions and run under the same rules as the
    /// engine that saved it. The call is then checked as [`Call::restore`] checks a JSON save.
    ///
    /// Errors (never a panic, whatever the bytes): [`Error::SnapshotFormat`] for bytes that do
    /// not start with the compact tag of this version, [`Error::SnapshotProcedures`] for a
    /// save under other procedures or versions, [`Error::Snapshot`] for bytes that do not
    /// read as a call (cut short, corrupt, extra bytes after it), [`Error::SnapshotRules`] for
    /// other rules, [`Error::InvalidSnapshot`] for a call that contradicts itself.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use callflow_workflows::{Call, CallStart, Config, Engine, Error, Stamp};
    /// # let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
    /// let engine = Arc::new(Engine::builtin());
    /// let call = Call::start(&engine, CallStart {
    ///     call_id: "C-1", agent_id: "sjones", department: "Rewards", agent_name: None,
    ///     stamp: Stamp { line: 2, at },
    /// }).unwrap();
    /// let mut saved = Vec::new();
    /// call.save_compact(&mut saved);
    /// let mut stricter = Config::default();
    /// stricter.scoring.pass_threshold = 90;
    /// let other = Arc::new(engine.with_config(stricter).unwrap());
    /// assert!(matches!(Call::restore_compact(&other, &saved), Err(Error::SnapshotRules { .. })));
    /// assert!(matches!(Call::restore_compact(&engine, &saved[..20]), Err(Error::Snapshot { .. })));
    /// assert!(matches!(Call::restore_compact(&engine, b"{}"), Err(Error::SnapshotFormat { .. })));
    /// ```
    pub fn restore_compact(engine: &Arc<Engine>, bytes: &[u8]) -> Result<Call, Error> {
        let Some((tag, rest)) = bytes.split_first_chunk::<2>() else {
            return Err(Error::SnapshotFormat {
                found: format!("{} bytes, no compact tag", bytes.len()),
                expected: COMPACT_FORMAT,
            });
        };
        if *tag != COMPACT_TAG {
            let found = if tag[0] == COMPACT_TAG[0] {
                format!("callflow-call/compact-{}", tag[1])
            } else {
                format!("bytes {}, not a compact saved call", hex(tag))
            };
            return Err(Error::SnapshotFormat {
                found,
                expected: COMPACT_FORMAT,
            });
        }
        let too_short = || Error::Snapshot {
            why: format!(
                "a compact saved call has a {HEADER}-byte header; this one ends after {} bytes",
                bytes.len()
            ),
        };
        let (procedures, rest) = rest.split_first_chunk::<4>().ok_or_else(too_short)?;
        let (rules, body) = rest.split_first_chunk::<8>().ok_or_else(too_short)?;
        let here = procedures_digest(engine);
        if *procedures != here {
            return Err(Error::SnapshotProcedures {
                saved: hex(procedures),
                here: engine
                    .procedures()
                    .iter()
                    .map(|p| format!("{} v{}", p.name(), p.version()))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let read = with_engine(engine, || {
            postcard::take_from_bytes::<StateMachine<Frame>>(body)
        });
        let machine = match read {
            Ok((machine, [])) => machine,
            Ok((_, extra)) => {
                return Err(Error::Snapshot {
                    why: format!("{} bytes after the call", extra.len()),
                })
            }
            Err(error) => {
                return Err(Error::Snapshot {
                    why: format!("compact save, byte {HEADER} on: {error}"),
                })
            }
        };
        let (_, here_rules) = engine.rules_on(machine.inner().call_date());
        if *rules != rules_digest(here_rules.fingerprint()) {
            return Err(Error::SnapshotRules {
                saved: hex(rules),
                here: here_rules.fingerprint().to_owned(),
            });
        }
        Call::checked(engine, machine)
    }
}
