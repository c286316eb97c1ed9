//! The adherence measure behind CF02: a said line against its script line, by the longest
//! common subsequence of their words, bit-parallel; each script compiled once.

use super::{ScriptLine, PLACEHOLDERS};

/// Whether a character is part of a word (apostrophes join "don't" into one word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// The words of a text as slices, everything that is not a word character a separator.
fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// Writes a word lower-cased with its apostrophes dropped into `out` (cleared first).
fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(
            word.bytes()
                .filter(|b| *b != b'\'')
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        for c in word.chars().filter(|c| *c != '\'' && *c != '\u{2019}') {
            out.extend(c.to_lowercase());
        }
    }
}

/// A script compiled for the measure: its own words as numbers, and the tables that find a
/// said word's number.
pub(crate) struct Compiled {
    /// Every distinct normalized word of the script, with its number.
    ids: rustc_hash::FxHashMap<Box<[u8]>, u16>,
    /// The same numbers by the word packed into an integer ([`pack`]), for words of at most
    /// 16 bytes.
    packed: PackedWords,
    /// The length in bytes of the longest word.
    longest: usize,
    /// The script's words as numbers, in order (placeholders left out).
    words: Vec<u16>,
    /// For each word number, the bits of the positions where the script has that word
    /// (scripts of at most 128 words; longer ones take the plain table).
    masks: Vec<u128>,
}

impl Compiled {
    pub(crate) fn new(template: &str) -> Compiled {
        let mut ids: rustc_hash::FxHashMap<Box<[u8]>, u16> = rustc_hash::FxHashMap::default();
        let mut word = String::new();
        let mut text = template.to_owned();
        for placeholder in PLACEHOLDERS {
            text = text.replace(placeholder, " ");
        }
        let words: Vec<u16> = raw_words(&text)
            .filter_map(|w| {
                normalize_into(w, &mut word);
                if word.is_empty() {
                    return None;
                }
                let next = u16::try_from(ids.len()).unwrap_or(u16::MAX);
                Some(*ids.entry(word.as_bytes().into()).or_insert(next))
            })
            .collect();
        let mut masks = vec![0u128; ids.len()];
        for (position, &id) in words.iter().enumerate().take(128) {
            if let Some(mask) = masks.get_mut(usize::from(id)) {
                *mask |= 1u128 << position;
            }
        }
        let longest = ids.keys().map(|word| word.len()).max().unwrap_or(0);
        let packed = PackedWords::new(
            ids.iter()
                .filter(|(word, _)| word.len() <= PACKED_MAX)
                .map(|(word, &id)| (pack(word), id)),
        );
        Compiled {
            ids,
            packed,
            longest,
            words,
            masks,
        }
    }
}

/// The compiled form of a script text, made once per text for the life of the program (the
/// texts are few: a procedure's lines, a policy's versions of them).
#[cfg(test)]
fn compiled(template: &str) -> std::sync::Arc<Compiled> {
    super::ScriptText::of(template).compiled()
}

/// Adherence of a said line to a script line: the share of the script's own words (its
/// placeholders left out) that were said, in the script's order. Extra words (names, a lead-in,
/// "um") cost nothing; missing or reordered script words do. 1.0 is word for word, 0.0 is
/// nothing in common.
///
/// It is the longest common subsequence of the two word lists over the script's word count:
/// a QA lead can check it by striking the script's words through in the order they were said.
/// Words compare lower-cased, apostrophes dropped ("don't" = "dont").
///
/// This is the line's text as the procedure declares it; under a policy that rewrites the
/// line, ask the rules ([`crate::Rules::adherence`]).
///
/// ```
/// use callflow_workflows::script::{adherence, frame};
/// let said = "Thank you for calling Home Warranty Rewards. My name is Sam, how may I assist you today?";
/// assert_eq!(adherence(frame::GREETING, said), 1.0);
/// assert!(adherence(frame::GREETING, "Yeah hi. What do you want?") < 0.2);
/// ```
///
/// Agents say the same lines call after call, so each thread remembers the lines it measured
/// lately, by the script's text (the whole said text compared, so the answer is the same).
pub fn adherence(line: ScriptLine, said: &str) -> f64 {
    adherence_to(&super::ScriptText::of(line.template()), said)
}

/// [`adherence`] to a script text.
pub(crate) fn adherence_to(script: &super::ScriptText, said: &str) -> f64 {
    super::recent::remembered(script, said, measure_adherence)
}

/// [`adherence`], measured every time.
pub(crate) fn measure_adherence(text: &super::ScriptText, said: &str) -> f64 {
    let script = text.compiled_ref();
    if script.words.is_empty() {
        return 1.0;
    }
    let common = if script.words.len() <= 128 {
        let mut lcs = BitParallelLcs::new(script.words.len(), &script.masks);
        said_word_ids(script, said, |id| lcs.push(id));
        lcs.length()
    } else {
        let mut ids = Vec::new();
        said_word_ids(script, said, |id| ids.push(id));
        lcs_table(&script.words, ids.into_iter())
    };
    f64::from(common) / script.words.len() as f64
}

/// Hands over the numbers of the said words that the script has, in order. A word the script
/// does not have cannot match: leaving it out does not change the common subsequence.
fn said_word_ids(vocabulary: &Compiled, said: &str, mut found: impl FnMut(u16)) {
    if said.is_ascii() && vocabulary.longest <= PACKED_MAX {
        let text = said.as_bytes();
        for_each_ascii_word(text, |start, end| {
            let Some(word) = text.get(start..end) else {
                return;
            };
            let key = Some(word)
                .filter(|w| w.len() <= vocabulary.longest)
                .map(|w| ascii_key_at(text, start, w))
                .filter(|&key| !has_apostrophe(key));
            let key = match key {
                Some(key) => key,
                // "don't" is looked up as "dont".
                None if word.contains(&b'\'') => {
                    let mut letters = word.iter().copied().filter(|&b| b != b'\'');
                    let count = letters.clone().count();
                    if count == 0 || count > vocabulary.longest {
                        return;
                    }
                    let mut packed = [0u8; PACKED_MAX];
                    for (slot, letter) in packed.iter_mut().zip(&mut letters) {
                        *slot = letter;
                    }
                    ascii_key(packed.get(..count).unwrap_or_default())
                }
                // Longer than any script word.
                None => return,
            };
            if let Some(id) = vocabulary.packed.get(key) {
                found(id);
            }
        });
        return;
    }
    let mut word = String::new();
    for raw in raw_words(said) {
        normalize_into(raw, &mut word);
        if let Some(&id) = vocabulary.ids.get(word.as_bytes()) {
            found(id);
        }
    }
}

/// The script words by their packed form ([`pack`]): an open-addressing table, at most a
/// quarter full, probed from a multiplicative hash of the key's first eight bytes. A said
/// word costs one multiplication and, most of the time, one comparison.
struct PackedWords {
    /// `(key, word number)`; key 0 (no word packs to it) marks an empty slot.
    slots: Vec<(u128, u16)>,
    /// 64 minus the table's size in bits.
    shift: u32,
}

impl PackedWords {
    fn new(words: impl Iterator<Item = (u128, u16)>) -> PackedWords {
        let words: Vec<(u128, u16)> = words.collect();
        let bits = (words.len() * 4)
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        let mut table = PackedWords {
            slots: vec![(0, 0); 1 << bits],
            shift: 64 - bits,
        };
        for (key, id) in words {
            let mask = table.slots.len() - 1;
            let mut slot = table.slot_of(key);
            while table
                .slots
                .get(slot)
                .is_some_and(|&(k, _)| k != 0 && k != key)
            {
                slot = (slot + 1) & mask;
            }
            if let Some(entry) = table.slots.get_mut(slot) {
                *entry = (key, id);
            }
        }
        table
    }

    fn slot_of(&self, key: u128) -> usize {
        ((key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn get(&self, key: u128) -> Option<u16> {
        let mask = self.slots.len() - 1;
        let mut slot = self.slot_of(key);
        loop {
            let &(k, id) = self.slots.get(slot)?;
            if k == key {
                return Some(id);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// `0x01` in every byte of a `u64`.
const LANES: u64 = u64::from_le_bytes([1; 8]);

/// The bytes of eight ASCII bytes that lie in `lo..=hi`: `0x80` in each such byte.
fn lanes_in(x: u64, lo: u8, hi: u8) -> u64 {
    // Each byte is below 0x80, so no sum carries into the next byte.
    let at_least_lo = x + LANES * u64::from(0x80 - lo);
    let above_hi = x + LANES * u64::from(0x7f - hi);
    at_least_lo & !above_hi & (LANES * 0x80)
}

/// One bit per byte (bit `i` for byte `i`) of up to 64 ASCII bytes: whether it belongs to a
/// word (a letter, a digit or an apostrophe).
fn word_bits(block: &[u8]) -> u64 {
    block.chunks(8).enumerate().fold(0, |bits, (i, chunk)| {
        let eight = <[u8; 8]>::try_from(chunk).unwrap_or_else(|_| {
            // The text's last few bytes, padded with zeros (not word bytes).
            let mut eight = [0u8; 8];
            for (to, &from) in eight.iter_mut().zip(chunk) {
                *to = from;
            }
            eight
        });
        let x = u64::from_le_bytes(eight);
        let words = lanes_in(x | (LANES * 0x20), b'a', b'z')
            | lanes_in(x, b'0', b'9')
            | lanes_in(x, b'\'', b'\'');
        // The top bit of each byte, gathered into one byte (byte i to bit i).
        let byte = ((words >> 7) & LANES).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        bits | byte << (8 * i)
    })
}

/// Calls `word(start, end)` for each word of ASCII text, in order: the runs of letters, digits
/// and apostrophes, found 64 bytes at a time from the bits of [`word_bits`].
fn for_each_ascii_word(text: &[u8], mut word: impl FnMut(usize, usize)) {
    let mut open: Option<usize> = None;
    for (block_index, block) in text.chunks(64).enumerate() {
        let base = block_index * 64;
        let bits = word_bits(block);
        let mut at = 0u32;
        while (at as usize) < block.len() {
            let rest = bits.checked_shr(at).unwrap_or(0);
            match open {
                Some(start) => {
                    let end = at + rest.trailing_ones();
                    if end as usize >= block.len() {
                        break; // The word runs on into the next block, or to the end.
                    }
                    word(start, base + end as usize);
                    open = None;
                    at = end;
                }
                None => {
                    if rest == 0 {
                        break;
                    }
                    at += rest.trailing_zeros();
                    open = Some(base + at as usize);
                }
            }
        }
    }
    if let Some(start) = open {
        word(start, text.len());
    }
}

/// [`ascii_key`] of the word at `start` in `text`, read with two 8-byte loads from the text
/// where it has 16 bytes from there.
fn ascii_key_at(text: &[u8], start: usize, word: &[u8]) -> u128 {
    let Some(sixteen) = text
        .get(start..start + 16)
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
    else {
        return ascii_key(word);
    };
    lower_case_packed(u128::from_le_bytes(sixteen), word.len())
}

/// The first `len` bytes of a packed key (at most 16), lower-cased, the rest zeros. Letters
/// and digits all have 0x20 set once lower-cased (digits already do); an apostrophe (0x27)
/// keeps its value.
fn lower_case_packed(key: u128, len: usize) -> u128 {
    let used = match len {
        0..PACKED_MAX => (1u128 << (8 * len)) - 1,
        _ => u128::MAX,
    };
    (key & used) | ((ONES * 0x20) & used)
}

/// The longest word that packs into a `u128`.
const PACKED_MAX: usize = 16;

/// A word of at most 16 bytes as one integer, its first byte lowest. Words hold no zero
/// bytes, so the padding cannot be confused with a letter.
fn pack(word: &[u8]) -> u128 {
    word.iter()
        .take(PACKED_MAX)
        .enumerate()
        .fold(0, |key, (i, &byte)| key | u128::from(byte) << (8 * i))
}

/// `0x01` in every byte of a `u128`.
const ONES: u128 = u128::from_le_bytes([1; 16]);

/// An ASCII word of letters, digits and apostrophes (at most 16 bytes) packed as [`pack`]
/// does and lower-cased: read eight bytes at a time instead of one by one.
fn ascii_key(word: &[u8]) -> u128 {
    let len = word.len().min(PACKED_MAX);
    let load = |bytes: Option<&[u8]>| -> u64 {
        bytes
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let key = if len >= 8 {
        // Two loads of eight bytes, the second one ending at the word's end.
        let low = load(word.get(..8));
        let high = load(word.get(len - 8..len))
            .checked_shr(8 * (16 - len) as u32)
            .unwrap_or(0);
        u128::from(low) | u128::from(high) << 64
    } else {
        u128::from(
            word.iter()
                .take(len)
                .enumerate()
                .fold(0u64, |key, (i, &byte)| key | u64::from(byte) << (8 * i)),
        )
    };
    lower_case_packed(key, len)
}

/// Whether a key from [`ascii_key`] holds an apostrophe (the usual test for a zero byte,
/// after turning apostrophes into zeros).
fn has_apostrophe(key: u128) -> bool {
    let x = key ^ (ONES * u128::from(b'\''));
    (x.wrapping_sub(ONES) & !x & (ONES * 0x80)) != 0
}

/// The length of the longest common subsequence of a script (of at most 128 words) and the
/// said words handed to it one by one, bit-parallel (Hyyrö 2004): one bit per script word, a
/// few word operations per said word.
struct BitParallelLcs<'m> {
    len: usize,
    all: u128,
    v: u128,
    masks: &'m [u128],
}

impl<'m> BitParallelLcs<'m> {
    fn new(len: usize, masks: &'m [u128]) -> Self {
        let all = if len >= 128 {
            u128::MAX
        } else {
            (1u128 << len) - 1
        };
        BitParallelLcs {
            len,
            all,
            v: all,
            masks,
        }
    }

    fn push(&mut self, id: u16) {
        let m = self.masks.get(usize::from(id)).copied().unwrap_or(0);
        let u = self.v & m;
        self.v = (self.v.wrapping_add(u) | self.v.wrapping_sub(u)) & self.all;
    }

    fn length(&self) -> u32 {
        self.len.min(128) as u32 - self.v.count_ones()
    }
}

/// The LCS length by [`BitParallelLcs`] for a whole list of said words.
#[cfg(test)]
fn lcs_bit_parallel(len: usize, masks: &[u128], said: impl Iterator<Item = u16>) -> u32 {
    let mut lcs = BitParallelLcs::new(len, masks);
    said.for_each(|id| lcs.push(id));
    lcs.length()
}

/// The same length by the plain dynamic-programming table, one row at a time.
fn lcs_table(script: &[u16], said: impl Iterator<Item = u16>) -> u32 {
    // row[j]: the LCS of the said words so far and the script's first j words (row[0] = 0).
    let mut row = vec![0u32; script.len() + 1];
    for id in said {
        let (mut diagonal, mut left) = (0, 0);
        for (cell, expected) in row.iter_mut().skip(1).zip(script) {
            let above = *cell;
            *cell = if id == *expected {
                diagonal + 1
            } else {
                above.max(left)
            };
            left = *cell;
            diagonal = above;
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{frame, Placeholders, ScriptDef};
    use crate::vocab::Speaker;

    static REVIEW: ScriptDef = ScriptDef::new(
        "test_review",
        Speaker::Agent,
        "Your shopping dollars are made available once you have had your warranty for at least 30 days and made your first payment. Typically, you will receive your shopping dollars email the week following your 30-day review period.",
    )
    .with_lead_in("OK, thank you <Customer Name>.");
    static SOON: ScriptDef = ScriptDef::new(
        "test_soon",
        Speaker::Agent,
        "Typically, you will receive your shopping dollars email within a week following your 30-day review period. If you have not received your email within the next few days please don't hesitate to give us a call and we'll make sure it gets to you.",
    );

    #[test]
    fn word_for_word_with_names_and_lead_in_scores_one() {
        let said = "OK, thank you Pat Lee. Your shopping dollars are made available once you have had your warranty for at least 30 days and made your first payment. Typically, you will receive your shopping dollars email the week following your 30-day review period.";
        assert_eq!(adherence(ScriptLine::of(&REVIEW), said), 1.0);
    }

    #[test]
    fn curly_apostrophes_match_straight_ones() {
        let said = "Typically, you will receive your shopping dollars email within a week following your 30-day review period. If you have not received your email within the next few days please don\u{2019}t hesitate to give us a call and we\u{2019}ll make sure it gets to you.";
        assert_eq!(adherence(ScriptLine::of(&SOON), said), 1.0);
    }

    #[test]
    fn a_paraphrase_falls_between() {
        let said = "Thanks for calling. I'm Sam, how can I help?";
        let a = adherence(frame::GREETING, said);
        assert!(a > 0.2 && a < 0.7, "{a}");
    }

    #[test]
    fn every_frame_script_line_has_its_words() {
        for line in [frame::GREETING, frame::ANYTHING_ELSE, frame::GOODBYE] {
            assert!(!compiled(line.template()).words.is_empty(), "{line:?}");
        }
    }

    /// A script holding every word of the tests' texts' scripts.
    fn all_words() -> std::sync::Arc<Compiled> {
        static ALL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let text = ALL.get_or_init(|| {
            [
                REVIEW.template,
                SOON.template,
                frame::GREETING.template(),
                frame::ANYTHING_ELSE.template(),
                "Sorry, I apologize for the inconvenience. Shopping warranty inconvenience available",
            ]
            .join(" ")
        });
        let text: &'static str = text.as_str();
        compiled(text)
    }

    #[test]
    fn the_bit_parallel_subsequence_agrees_with_the_table() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |bound: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % bound
        };
        for _ in 0..2_000 {
            let len = 1 + next(128) as usize;
            let script: Vec<u16> = (0..len).map(|_| next(12) as u16).collect();
            let said: Vec<u16> = (0..next(150)).map(|_| next(14) as u16).collect();
            let mut masks = vec![0u128; 14];
            for (i, &id) in script.iter().enumerate() {
                masks[usize::from(id)] |= 1 << i;
            }
            assert_eq!(
                lcs_bit_parallel(len, &masks, said.iter().copied()),
                lcs_table(&script, said.iter().copied()),
                "{script:?} / {said:?}"
            );
        }
    }

    /// The general word path, for comparison with the ASCII scan.
    fn general_word_ids(said: &str) -> Vec<u16> {
        let vocabulary = all_words();
        let mut word = String::new();
        raw_words(said)
            .filter_map(|raw| {
                normalize_into(raw, &mut word);
                vocabulary.ids.get(word.as_bytes()).copied()
            })
            .collect()
    }

    const APOS: &str = "'";

    /// Whether an ASCII byte belongs to a word (letters, digits, apostrophes), byte by byte.
    fn is_ascii_word_byte(byte: u8) -> bool {
        byte.is_ascii_alphanumeric() || byte == b'\''
    }

    #[test]
    fn word_runs_are_found_as_a_split_finds_them() {
        let mut texts: Vec<String> = vec![
            String::new(),
            "a".to_owned(),
            " ".to_owned(),
            "Thank you, Pat -- it's 30-day!".to_owned(),
            "x".repeat(64),
            "y".repeat(65),
            format!("{} {}", "z".repeat(63), "w".repeat(70)),
            format!("{}ab", " ".repeat(62)),
        ];
        // Every short mix of word and non-word bytes at every offset around a block's end.
        for pad in 56..72 {
            for tail in [
                "a", "ab c", " a", "a b", "'", "a'b", "[`]", "@AZaz09{", "\x7f~",
            ] {
                texts.push(format!("{}{tail}", ".".repeat(pad)));
                texts.push(format!("{}{tail}", "q".repeat(pad)));
            }
        }
        for text in &texts {
            let bytes = text.as_bytes();
            let mut found = Vec::new();
            for_each_ascii_word(bytes, |start, end| found.push(&bytes[start..end]));
            let expected: Vec<&[u8]> = bytes
                .split(|&b| !is_ascii_word_byte(b))
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
        for byte in 0u8..0x80 {
            let bits = word_bits(&[byte]);
            assert_eq!(bits == 1, is_ascii_word_byte(byte), "{byte:#x}");
        }
    }

    #[test]
    fn the_packed_table_finds_every_script_word_and_nothing_else() {
        let vocabulary = all_words();
        let packable = || vocabulary.ids.iter().filter(|(w, _)| w.len() <= PACKED_MAX);
        for (word, &id) in packable() {
            assert_eq!(vocabulary.packed.get(pack(word)), Some(id), "{word:?}");
        }
        for word in ["zzz", "shoppingg", "thankyou", "0"] {
            assert_eq!(vocabulary.packed.get(pack(word.as_bytes())), None, "{word}");
        }
        let full = vocabulary
            .packed
            .slots
            .iter()
            .filter(|(k, _)| *k != 0)
            .count();
        assert_eq!(full, packable().count());
        assert!(full * 4 <= vocabulary.packed.slots.len());
    }

    #[test]
    fn ascii_keys_are_the_packed_lower_case_words() {
        let words = ["a", "you", "Thank", "SHOPPING", "warranty", "Inconvenience"];
        for word in words.into_iter().chain(["0123456789abcdef", "abcdefghi"]) {
            let lower = word.to_ascii_lowercase();
            assert_eq!(ascii_key(word.as_bytes()), pack(lower.as_bytes()), "{word}");
            assert!(!has_apostrophe(ascii_key(word.as_bytes())), "{word}");
        }
        assert!(has_apostrophe(ascii_key(b"don't")));
        assert!(has_apostrophe(ascii_key(b"'")));
        assert!(has_apostrophe(ascii_key(b"abcdefghijklmno'")));
        let text = b"Warranty SHOPPING a you thank inconvenience 0123456789abcdef and more text";
        for word in text.split(|&b| b == b' ') {
            let start = word.as_ptr() as usize - text.as_ptr() as usize;
            assert_eq!(ascii_key_at(text, start, word), ascii_key(word));
        }
    }

    #[test]
    fn the_ascii_scan_finds_the_same_words_as_the_general_path() {
        let long = "x".repeat(PACKED_MAX + 5);
        let samples = [
            String::new(),
            "Thank you for calling".to_owned(),
            "THANK you,for--calling!!".to_owned(),
            "don't DON'T do'nt '' ' 'you' 30-day 30day".to_owned(),
            format!("thank {long} you {long}"),
            format!("{long}thank you"),
            "  trailing space and a final word".to_owned(),
            "SHOPPING Warranty INCONVENIENCE availABLE".to_owned(),
            format!(
                "{}you y'o'u'r's'h'o'p'p'i'n'g' {} sh'opping",
                APOS.repeat(22),
                APOS.repeat(4)
            ),
            [REVIEW.template, SOON.template, frame::GREETING.template()].join(" "),
        ];
        let vocabulary = all_words();
        for said in &samples {
            let mut ids = Vec::new();
            said_word_ids(&vocabulary, said, |id| ids.push(id));
            assert_eq!(ids, general_word_ids(said), "{said:?}");
        }
        let mut all = Vec::new();
        said_word_ids(&vocabulary, &samples[9], |id| all.push(id));
        assert!(all.len() > 90, "the scripts' own words are found");
    }

    #[test]
    fn unknown_placeholders_stay() {
        let filled = frame::ANYTHING_ELSE.fill(&Placeholders::default());
        assert!(filled.contains("<Customer Name>"));
    }
}
