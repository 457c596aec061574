//! Text helpers: folding case and diacritics, splitting field names into
//! words, digits.
//!
//! Each function does what its namesake in `pii_tagger.text` (or
//! `pii_tagger.scanner`, for [`count_digits`]) does. The Unicode data comes
//! from the crates and the tables below rather than from Python's
//! `unicodedata`, so characters assigned after the Unicode version of the
//! Python in use may be treated differently; nothing else is.

use std::borrow::Cow;

use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
use unicode_normalization::UnicodeNormalization;

/// Lower case without diacritics: `Tālrunis` -> `talrunis`, `ŠOSEJA` -> `soseja`.
///
/// ASCII text is only lower-cased. Other text is decomposed (NFKD, so `ﬁ`
/// becomes `fi` and `①` becomes `1`), stripped of every character with a
/// non-zero canonical combining class (the accents), then lower-cased with
/// the full Unicode mapping (`ẞ` -> `ß`, a final `Σ` -> `ς`), as Python's
/// `fold` does. Borrows when the text is already folded.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        let mut out = String::with_capacity(text.len() + 4);
        if fold_latin_into(text, &mut out) {
            Cow::Owned(out)
        } else if text.chars().all(is_folded) {
            Cow::Borrowed(text)
        } else {
            fold_any(text)
        }
    }
}

/// [`fold`] of `text` appended to `out`: words folded one after another
/// into one buffer, without a `String` for each.
pub fn fold_into(text: &str, out: &mut String) {
    if !fold_latin_into(text, out) {
        out.push_str(&fold_any(text));
    }
}

/// [`fold`] by the general rule: NFKD, marks dropped, full lower case.
fn fold_any(text: &str) -> Cow<'_, str> {
    let stripped: String = strip_marks(text).collect();
    Cow::Owned(stripped.to_lowercase())
}

/// Characters below this are read from tables made from the general rules
/// (ASCII, Latin-1 and Latin Extended-A and -B: Latvian, Lithuanian,
/// Estonian, Polish, German, ...): folded here, normalised for hashing in
/// `act`, told letter or not in `person_names`.
pub(crate) const LATIN_END: u32 = 0x250;

/// The code point of a character from U+0080 to [`LATIN_END`], from its
/// two bytes (`lead` not ASCII); `None` for a character beyond it.
#[inline]
pub(crate) fn latin_index(lead: u8, next: Option<&u8>) -> Option<usize> {
    // Every such character is two bytes long, led by 0xC2 to 0xC9; any other
    // lead byte starts a character beyond it.
    if !(0xC2..=0xC9).contains(&lead) {
        return None;
    }
    let n = (usize::from(lead & 0x1F) << 6) | usize::from(next? & 0x3F);
    (n < LATIN_END as usize).then_some(n)
}

/// [`fold`] of a text wholly below [`LATIN_END`] appended to `out`, one
/// table entry per character; `false` (and `out` as it was) for any other
/// text. Per character equals the whole: none of these characters' lower
/// case depends on its neighbours.
fn fold_latin_into(text: &str, out: &mut String) -> bool {
    let table = latin_fold_table();
    let bytes = text.as_bytes();
    let before = out.len();
    // Folded into a buffer on the stack, then appended a block at a time
    // (a push per character costs more than the fold itself). Blocks end
    // between characters, so each is UTF-8.
    let mut buf = [0u8; 64];
    let mut len = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if len + LatinFold::BYTES > buf.len() {
            if !append(out, &buf[..len], before) {
                return false;
            }
            len = 0;
        }
        if b.is_ascii() {
            buf[len] = b.to_ascii_lowercase();
            len += 1;
            i += 1;
            continue;
        }
        let Some(entry) = latin_index(b, bytes.get(i + 1)).and_then(|n| table.get(n)) else {
            out.truncate(before);
            return false;
        };
        let n = usize::from(entry.len);
        buf[len..len + n].copy_from_slice(&entry.utf8[..n]);
        len += n;
        i += 2;
    }
    append(out, &buf[..len], before)
}

/// `block` appended to `out`; `false` (and `out` cut back to `before`) if
/// it were not UTF-8, which the table's folds always are.
fn append(out: &mut String, block: &[u8], before: usize) -> bool {
    match std::str::from_utf8(block) {
        Ok(folded) => {
            out.push_str(folded);
            true
        }
        Err(_) => {
            out.truncate(before);
            false
        }
    }
}

/// One character's fold as UTF-8: at most [`LatinFold::BYTES`] bytes (`½` folds to three characters).
struct LatinFold {
    utf8: [u8; LatinFold::BYTES],
    len: u8,
}

impl LatinFold {
    const BYTES: usize = 16;
}

/// The fold of every character below [`LATIN_END`] by the general rule
/// (empty for a character that is dropped), read by [`fold_latin_into`].
fn latin_fold_table() -> &'static [LatinFold] {
    static TABLE: std::sync::OnceLock<Vec<LatinFold>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::with_capacity(LATIN_END as usize);
        for n in 0..LATIN_END {
            let folded = char::from_u32(n).map_or_else(String::new, |c| fold_any(c.encode_utf8(&mut [0; 4])).into_owned());
            let mut utf8 = [0; LatinFold::BYTES];
            // Never longer for the characters below LATIN_END (a test checks):
            // the table stops here, and fold_latin_into gives way to the general rule.
            let Some(slot) = utf8.get_mut(..folded.len()) else { return table };
            slot.copy_from_slice(folded.as_bytes());
            table.push(LatinFold { utf8, len: folded.len() as u8 });
        }
        table
    })
}

/// Whether `fold` leaves the character as it is, whatever surrounds it.
fn is_folded(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    if canonical_combining_class(c) != 0 {
        return false;
    }
    let mut decomposes_to_itself = true;
    decompose_compatible(c, |d| decomposes_to_itself &= d == c);
    let mut lower = c.to_lowercase();
    decomposes_to_itself && lower.next() == Some(c) && lower.next().is_none()
}

/// The NFKD decomposition of `text` without the combining characters.
///
/// Canonical reordering only moves combining characters, so dropping them
/// leaves the others in the order they were written.
fn strip_marks(text: &str) -> impl Iterator<Item = char> + '_ {
    text.nfkd().filter(|&c| canonical_combining_class(c) == 0)
}

/// Splits a field name in any spelling style into folded words.
///
/// `customerPhoneNumber`, `customer_phone_number`, `CUSTOMER-PHONE-NUMBER`
/// and `customer.phone.number` all give `["customer", "phone", "number"]`;
/// `klientaTālrunis` gives `["klienta", "talrunis"]`. A trailing number
/// (`phone2`, `address_line_1`) is dropped while another word remains.
///
/// As in Python's `name_tokens`: the name is decomposed and stripped of
/// diacritics (when it is not ASCII); a word ends where a lower-case ASCII
/// letter meets an upper-case one or a digit (`userID`, `ipV4`), where a
/// digit meets a letter (`2fa`), and before the last capital of a run that
/// goes on in lower case (`HTTPServer`); then every character that is not
/// an ASCII letter or digit separates words. So do letters that survive
/// folding without becoming ASCII: `øre` gives `["re"]`, `имя` nothing.
pub fn name_tokens(name: &str) -> Vec<String> {
    let mut words = if name.is_ascii() {
        split_words(name.chars())
    } else {
        split_words(strip_marks(name))
    };
    while words.len() > 1 && words.last().is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit())) {
        words.pop();
    }
    words
}

/// The words of an undecomposed name: runs of ASCII letters and digits, cut
/// at the case and digit boundaries of [`name_tokens`], lower-cased.
///
/// No character outside ASCII lower-cases to an ASCII letter or digit once
/// decomposed (the test `no_letter_lowercases_into_ascii` checks every one),
/// so testing before lower-casing is the same as testing after.
fn split_words(chars: impl Iterator<Item = char>) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev = None;
            continue;
        }
        let boundary = prev.is_some_and(|p| {
            (p.is_ascii_lowercase() && (c.is_ascii_uppercase() || c.is_ascii_digit()))
                || (p.is_ascii_digit() && c.is_ascii_alphabetic())
                || (p.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && chars.peek().is_some_and(char::is_ascii_lowercase))
        });
        if boundary {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
        prev = Some(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// How many decimal digits `text` holds: the characters that the rules' `\d`
/// matches (General_Category Nd, so `٣` counts and `²` does not).
pub fn count_digits(text: &str) -> usize {
    let (ascii, high) = ascii_digits_and_others(text.as_bytes());
    if high {
        ascii + text.chars().filter(|&c| !c.is_ascii() && is_decimal(c)).count()
    } else {
        ascii
    }
}

/// The ASCII digits of `bytes`, and whether a digit of another script may
/// be among them: one pass the compiler can do many bytes at a time.
fn ascii_digits_and_others(bytes: &[u8]) -> (usize, bool) {
    bytes.iter().fold((0, false), |(n, high), &b| (n + usize::from(b.is_ascii_digit()), high | starts_other_digit_range(b)))
}

/// [`count_digits`] of `text` up to `enough`: `min(count_digits(text),
/// enough)`, read a block at a time and stopped once there are enough (a
/// rule's `min_digits` asks whether a text has a few, not how many a
/// megabyte holds).
pub fn count_digits_upto(text: &str, enough: usize) -> usize {
    let mut ascii = 0;
    for block in text.as_bytes().chunks(64) {
        let (n, high) = ascii_digits_and_others(block);
        if high {
            // Digits of other scripts: counted whole (rare).
            return count_digits(text).min(enough);
        }
        ascii += n;
        if ascii >= enough {
            return enough;
        }
    }
    ascii
}

/// Whether `text` holds a decimal digit (what the rules' `\d` matches).
pub fn has_digit(text: &str) -> bool {
    any_byte(text.as_bytes(), |b| b.is_ascii_digit()) || (may_hold_other_digits(text) && text.chars().any(is_decimal))
}

/// Whether any byte of `bytes` is one that `is` holds for: read in blocks
/// without a branch per byte (which the compiler can do many bytes at a
/// time), so a long text without one costs a fraction of a byte-by-byte loop.
#[inline]
pub fn any_byte(bytes: &[u8], is: impl Fn(u8) -> bool) -> bool {
    bytes.chunks(32).any(|block| block.iter().fold(false, |found, &b| found | is(b)))
}

/// False when `text` has no character at or above the first non-ASCII
/// digit (U+0660): no UTF-8 lead byte from 0xD9 up. Latin, Greek and
/// Cyrillic text is all below it.
fn may_hold_other_digits(text: &str) -> bool {
    any_byte(text.as_bytes(), starts_other_digit_range)
}

/// `b` is a UTF-8 lead byte of a character at or above U+0640, below which
/// no decimal digit but ASCII's stands.
fn starts_other_digit_range(b: u8) -> bool {
    b >= 0xD9
}

/// A decimal digit of any script (General_Category Nd), what `\d` matches.
pub fn is_decimal(c: char) -> bool {
    c.is_ascii_digit() || (u32::from(c) >= FIRST_OTHER_DIGIT && in_table(DECIMAL_NUMBER, c))
}

/// The first decimal digit after ASCII's (ARABIC-INDIC DIGIT ZERO).
const FIRST_OTHER_DIGIT: u32 = 0x0660;

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    table
        .binary_search_by(|&(low, high)| {
            if high < c {
                std::cmp::Ordering::Less
            } else if low > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

// The two tables hold Unicode 17.0, the data of the `regex` module that
// `pii_tagger` matches with; they were printed by Python from
// `regex.compile(r"[\p{Numeric_Type=Decimal}\p{Numeric_Type=Digit}]")` and
// `regex.compile(r"\d")`, one range of code points per run of characters
// that match. The first is a superset of `str.isdigit()` in Python 3.11
// (Unicode 14.0) that adds only characters assigned since.

/// General_Category Nd: `\d`.
#[rustfmt::skip]
const DECIMAL_NUMBER: &[(u32, u32)] = &[
    (0x0030, 0x0039), (0x0660, 0x0669), (0x06F0, 0x06F9), (0x07C0, 0x07C9), (0x0966, 0x096F),
    (0x09E6, 0x09EF), (0x0A66, 0x0A6F), (0x0AE6, 0x0AEF), (0x0B66, 0x0B6F), (0x0BE6, 0x0BEF),
    (0x0C66, 0x0C6F), (0x0CE6, 0x0CEF), (0x0D66, 0x0D6F), (0x0DE6, 0x0DEF), (0x0E50, 0x0E59),
    (0x0ED0, 0x0ED9), (0x0F20, 0x0F29), (0x1040, 0x1049), (0x1090, 0x1099), (0x17E0, 0x17E9),
    (0x1810, 0x1819), (0x1946, 0x194F), (0x19D0, 0x19D9), (0x1A80, 0x1A89), (0x1A90, 0x1A99),
    (0x1B50, 0x1B59), (0x1BB0, 0x1BB9), (0x1C40, 0x1C49), (0x1C50, 0x1C59), (0xA620, 0xA629),
    (0xA8D0, 0xA8D9), (0xA900, 0xA909), (0xA9D0, 0xA9D9), (0xA9F0, 0xA9F9), (0xAA50, 0xAA59),
    (0xABF0, 0xABF9), (0xFF10, 0xFF19), (0x104A0, 0x104A9), (0x10D30, 0x10D39), (0x10D40, 0x10D49),
    (0x11066, 0x1106F), (0x110F0, 0x110F9), (0x11136, 0x1113F), (0x111D0, 0x111D9), (0x112F0, 0x112F9),
    (0x11450, 0x11459), (0x114D0, 0x114D9), (0x11650, 0x11659), (0x116C0, 0x116C9), (0x116D0, 0x116E3),
    (0x11730, 0x11739), (0x118E0, 0x118E9), (0x11950, 0x11959), (0x11BF0, 0x11BF9), (0x11C50, 0x11C59),
    (0x11D50, 0x11D59), (0x11DA0, 0x11DA9), (0x11DE0, 0x11DE9), (0x11F50, 0x11F59), (0x16130, 0x16139),
    (0x16A60, 0x16A69), (0x16AC0, 0x16AC9), (0x16B50, 0x16B59), (0x16D70, 0x16D79), (0x1CCF0, 0x1CCF9),
    (0x1D7CE, 0x1D7FF), (0x1E140, 0x1E149), (0x1E2F0, 0x1E2F9), (0x1E4F0, 0x1E4F9), (0x1E5F1, 0x1E5FA),
    (0x1E950, 0x1E959), (0x1FBF0, 0x1FBF9),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latin_table_folds_as_the_general_rule() {
        // Every character's fold fits its entry: the table is whole.
        assert_eq!(latin_fold_table().len(), LATIN_END as usize);
        let latin = |text: &str| {
            let mut out = String::from("kept ");
            fold_latin_into(text, &mut out).then(|| out.strip_prefix("kept ").expect("appended").to_string())
        };
        for c in (0..LATIN_END).filter_map(char::from_u32) {
            let one = c.to_string();
            assert_eq!(latin(&one).as_deref(), Some(fold_any(&one).as_ref()), "U+{:04X}", u32::from(c));
        }
        for text in ["Jānis Bērziņš, tālr.", "ŠOSEJA İstanbul ŀ ŉ ß Æ", "Dzirnavu ielā 5, Rīgā"] {
            assert_eq!(fold(text), fold_any(text), "{text}");
        }
        // Longer than the fold's buffer, with wide folds (½) on its edges.
        let all: String = (0x80..LATIN_END).filter_map(char::from_u32).collect();
        for text in [all.clone(), format!("{}½{}", "A".repeat(61), "Ā".repeat(40)), "½".repeat(40)] {
            assert_eq!(latin(&text).as_deref(), Some(fold_any(&text).as_ref()), "{text}");
        }
        assert_eq!(fold("Jānis Bērziņš"), "janis berzins");
        assert_eq!(latin("Ελένη"), None);
        let mut out = String::from("kept");
        assert!(!fold_latin_into("Jānis Ελένη", &mut out));
        assert_eq!(out, "kept", "a text the table cannot fold leaves the buffer as it was");
        fold_into("Ελένη ĀBOLS", &mut out);
        assert_eq!(out, format!("kept{}", fold_any("Ελένη ĀBOLS")));
    }

    #[test]
    fn name_tokens_in_every_spelling() {
        // Expected values printed by pii_tagger.text.name_tokens.
        let cases: &[(&str, &[&str])] = &[
            ("customerPhoneNumber", &["customer", "phone", "number"]),
            ("customer_phone_number", &["customer", "phone", "number"]),
            ("CUSTOMER-PHONE-NUMBER", &["customer", "phone", "number"]),
            ("customer.phone.number", &["customer", "phone", "number"]),
            ("klientaTālrunis", &["klienta", "talrunis"]),
            ("KLIENTA_TALRUNIS", &["klienta", "talrunis"]),
            ("klienta.tālrunis", &["klienta", "talrunis"]),
            ("phone2", &["phone"]),
            ("address_line_1", &["address", "line"]),
            ("phone_2_3", &["phone"]),
            ("HTTPServerError", &["http", "server", "error"]),
            ("userID", &["user", "id"]),
            ("ID2", &["id2"]),
            ("ipV4Address", &["ip", "v4", "address"]),
            ("v2Alpha", &["v", "2", "alpha"]),
            ("2fa_code", &["2", "fa", "code"]),
            ("a1b2", &["a", "1", "b"]),
            ("abc123def", &["abc", "123", "def"]),
            ("12_34", &["12"]),
            ("1_2", &["1"]),
            ("9", &["9"]),
            ("A", &["a"]),
            ("aBC", &["a", "bc"]),
            ("ABCdef", &["ab", "cdef"]),
            ("", &[]),
            ("___", &[]),
            ("Ärzte_Name", &["arzte", "name"]),
            ("ÅngströmÜber", &["angstrom", "uber"]),
            ("mañana", &["manana"]),
            ("øre", &["re"]),
            ("имя", &[]),
            ("ΣΟΦΙΑ_name", &["name"]),
            ("straße", &["stra", "e"]),
            ("e_pasts", &["e", "pasts"]),
            ("ŠOSEJA", &["soseja"]),
            ("İstanbulCode", &["istanbul", "code"]),
            ("ﬁrstName", &["first", "name"]),
            ("ﬀoo", &["ffoo"]),
            ("ǅemal", &["dzemal"]),
            ("ǄEMAL", &["dzemal"]),
            ("ǈ", &["lj"]),
            ("ＡＢＣdef", &["ab", "cdef"]),
            ("x²y", &["x", "2", "y"]),
            ("use\u{301}rName", &["user", "name"]),
            ("e\u{301}A", &["e", "a"]),
            ("\u{212A}Kelvin", &["k", "kelvin"]),
        ];
        for &(name, expected) in cases {
            assert_eq!(name_tokens(name), expected, "name_tokens({name:?})");
        }
    }

    #[test]
    fn fold_like_python() {
        // Expected values printed by pii_tagger.text.fold.
        let cases = [
            ("Tālrunis", "talrunis"),
            ("ŠOSEJA", "soseja"),
            ("Ģirts", "girts"),
            ("ļ ņ ķ ē ū", "l n k e u"),
            ("Crème Brûlée", "creme brulee"),
            ("Ångström", "angstrom"),
            ("İstanbul", "istanbul"),
            ("Straße", "straße"),
            ("STRASSE", "strasse"),
            ("ẞ", "ß"),
            ("ﬁle", "file"),
            ("ΟΔΟΣ", "οδος"),
            ("ΟΔΟΣ ΟΔΟΣ.", "οδος οδος."),
            ("Σ", "σ"),
            ("ΑΣ", "ας"),
            ("ΑΣΑ", "ασα"),
            ("ὈΔΥΣΣΕΎΣ", "οδυσσευς"),
            ("ǅ", "dz"),
            ("①", "1"),
            ("ＡＢＣ", "abc"),
            ("x²", "x2"),
            ("Ⅻ", "xii"),
            ("㎏", "kg"),
            ("ｶ", "カ"),
            ("가", "\u{1100}\u{1161}"),
            ("ŉ", "ʼn"),
            ("ΐ", "ι"),
            ("\u{345}", ""),
            ("\u{212A}", "k"),
            ("Hello", "hello"),
            ("hello", "hello"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(fold(text), expected, "fold({text:?})");
        }
    }

    #[test]
    fn fold_borrows_what_is_folded() {
        for text in ["hello world 42", "", "имя", "οδος", "カ"] {
            assert!(matches!(fold(text), Cow::Borrowed(_)), "fold({text:?})");
        }
        for text in ["Hello", "Tālrunis", "Имя", "ｶ", "ﬁ"] {
            assert!(matches!(fold(text), Cow::Owned(_)), "fold({text:?})");
        }
    }

    #[test]
    fn digits_counted_as_the_rules_d_counts_them() {
        let cases = [("", 0), ("12-34", 4), ("+371 2000 0000", 11), ("a1²३٣x", 3), ("①②", 0), ("１２", 2), ("Ⅻ", 0)];
        for (text, decimals) in cases {
            assert_eq!(count_digits(text), decimals, "count_digits({text:?})");
            assert_eq!(has_digit(text), decimals > 0, "has_digit({text:?})");
            for enough in 0..5 {
                assert_eq!(count_digits_upto(text, enough), decimals.min(enough), "count_digits_upto({text:?}, {enough})");
            }
        }
        // Across blocks, and stopped in one.
        let long = format!("{}1{}22{}", "x".repeat(70), "y".repeat(100), "ā".repeat(40));
        for enough in 0..5 {
            assert_eq!(count_digits_upto(&long, enough), 3.min(enough));
        }
    }

    #[test]
    fn decimal_table_is_sorted_and_apart() {
        assert!(DECIMAL_NUMBER.windows(2).all(|w| w[0].1 < w[1].0));
        assert_eq!(DECIMAL_NUMBER[1].0, FIRST_OTHER_DIGIT);
        assert_eq!("\u{0660}".as_bytes()[0], 0xD9);
    }

    #[test]
    fn no_letter_lowercases_into_ascii() {
        // What `split_words` relies on: after decomposition, only ASCII
        // characters lower-case to ASCII letters or digits.
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            decompose_compatible(c, |d| {
                if !d.is_ascii() {
                    assert!(!d.to_lowercase().any(|l| l.is_ascii_alphanumeric()), "{c:?}");
                }
            });
        }
    }
}
