//! Checks a value rule's candidate must pass before it counts.
//!
//! The port of `pii_tagger.validators`. A value rule names one of these by
//! its key in [`NAMES`]; [`by_name`] looks it up. Each takes the matched text
//! and returns the length in bytes of its leading part that forms a valid
//! value: `text.len()` for a full match, less where the value was found at the
//! start of a longer candidate (a printed IBAN running on into a word in
//! capitals), `0` to reject.
//!
//! The checksums follow python-stdnum (the Python side's oracle), written out
//! here. Digits are ASCII digits: Python's `pii_tagger.text.digits` keeps
//! any character for which `str.isdigit()` holds once a text is not ASCII
//! (`٣`, `²`), but the shipped patterns are compiled with `regex.ASCII`, so a
//! candidate never holds other digits.

/// A validator: the candidate text in, the byte length of its valid prefix
/// out (`0` rejects).
pub type Validator = fn(&str) -> usize;

/// The validators' names, as in Python's `VALIDATORS`.
pub const NAMES: &[&str] = &[
    "lv_personal_code",
    "lv_personal_code_format",
    "iban",
    "payment_card",
    "lv_phone",
    "e164_length",
    "public_ipv4",
    "public_ipv6",
    "host_ipv4",
    "internal_ip",
    "basic_auth",
    "email_domain",
    "first_word",
];

/// The validator called `name` (one of [`NAMES`]).
pub fn by_name(name: &str) -> Option<Validator> {
    Some(match name {
        "lv_personal_code" => lv_personal_code,
        "lv_personal_code_format" => lv_personal_code_format,
        "iban" => iban,
        "payment_card" => payment_card,
        "lv_phone" => lv_phone,
        "e164_length" => e164_length,
        "public_ipv4" => public_ipv4,
        "public_ipv6" => public_ipv6,
        "host_ipv4" => host_ipv4,
        "internal_ip" => internal_ip,
        "basic_auth" => basic_auth,
        "email_domain" => email_domain,
        "first_word" => first_word,
        _ => return None,
    })
}

/// `text.len()` if `ok`, else `0`.
fn whole(text: &str, ok: bool) -> usize {
    if ok {
        text.len()
    } else {
        0
    }
}

/// The ASCII digits of `text`, in order (as bytes `b'0'..=b'9'`).
fn ascii_digits(text: &str) -> impl Iterator<Item = u8> + '_ {
    // A UTF-8 continuation byte is never an ASCII byte.
    text.bytes().filter(u8::is_ascii_digit)
}

/// The ASCII digits of `text`, if there are at most `N` of them.
fn digits_upto<const N: usize>(text: &str) -> Option<([u8; N], usize)> {
    let mut buf = [0; N];
    let mut len = 0;
    for digit in ascii_digits(text) {
        *buf.get_mut(len)? = digit;
        len += 1;
    }
    Some((buf, len))
}

/// The ASCII digits of `text`, if there are exactly `N` of them.
fn digits_exact<const N: usize>(text: &str) -> Option<[u8; N]> {
    digits_upto::<N>(text).and_then(|(buf, len)| (len == N).then_some(buf))
}

/// The number written by `digits` (ASCII digits, at most 19 of them).
fn value(digits: &[u8]) -> u64 {
    digits
        .iter()
        .fold(0, |acc, d| acc * 10 + u64::from(d - b'0'))
}

/// The Luhn check over ASCII digits (the last one is the check digit).
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let twice = 2 * d;
                twice / 10 + twice % 10
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum % 10 == 0
}

/// Python's `str.isspace()` (what `str.strip()` removes): Unicode White_Space
/// plus the information separators U+001C..U+001F.
fn py_is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

// --- Latvian personal code -------------------------------------------------

/// Latvian personas kods: the old `DDMMYY-CNNNQ` (a real birth date and the
/// check digit) or the new format, `3` then `2`..`9` (the check digit only).
/// Codes starting with 4..9 are company registration numbers, not persons.
///
/// As python-stdnum's `lv.pvn`: the century digit `C` is 0 for the 1800s, 1
/// for the 1900s, 2 for the 2000s (and so on: stdnum puts no bound on it).
pub fn lv_personal_code(text: &str) -> usize {
    let Some(code) = digits_exact::<11>(text) else {
        return 0;
    };
    if code[0] > b'3' {
        return 0;
    }
    let new_format = code[0] == b'3' && code[1] >= b'2';
    whole(
        text,
        (new_format || lv_birth_date_is_real(&code)) && lv_check_digit(&code) == code[10],
    )
}

/// Shape only (11 digits, the first 0..3), for codes named by a context word
/// (`personas kods: ...`).
pub fn lv_personal_code_format(text: &str) -> usize {
    whole(
        text,
        digits_exact::<11>(text).is_some_and(|code| code[0] <= b'3'),
    )
}

/// python-stdnum's `calc_check_digit_pers`: `(1 + Σ wᵢ·dᵢ) mod 11 mod 10`
/// over the first ten digits, as an ASCII digit.
fn lv_check_digit(code: &[u8; 11]) -> u8 {
    const WEIGHTS: [u32; 10] = [10, 5, 8, 4, 2, 1, 6, 3, 7, 9];
    let sum: u32 = WEIGHTS
        .iter()
        .zip(code)
        .map(|(w, d)| w * u32::from(d - b'0'))
        .sum();
    b'0' + ((1 + sum) % 11 % 10) as u8
}

/// Whether `DDMMYY` with the century digit (the 7th) is a date of the
/// proleptic Gregorian calendar.
fn lv_birth_date_is_real(code: &[u8; 11]) -> bool {
    let day = value(&code[0..2]);
    let month = value(&code[2..4]);
    let year = 1800 + 100 * value(&code[6..7]) + value(&code[4..6]);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

// --- IBAN --------------------------------------------------------------------

/// Per country: the IBAN's length and the structure of its BBAN (the part
/// after the check digits) as runs of `<count><kind>`: `n` digits, `a`
/// letters, `c` letters or digits. Facts from the SWIFT IBAN registry as
/// python-stdnum's `iban.dat` has them. Sorted by country code.
#[rustfmt::skip]
const IBAN_COUNTRIES: &[(&str, usize, &str)] = &[
    ("AD", 24, "8n12c"), ("AE", 23, "19n"), ("AL", 28, "8n16c"), ("AT", 20, "16n"),
    ("AZ", 28, "4a20c"), ("BA", 20, "16n"), ("BE", 16, "12n"), ("BG", 22, "4a6n8c"),
    ("BH", 22, "4a14c"), ("BI", 27, "23n"), ("BR", 29, "23n1a1c"), ("BY", 28, "4c4n16c"),
    ("CH", 21, "5n12c"), ("CR", 22, "18n"), ("CY", 28, "8n16c"), ("CZ", 24, "20n"),
    ("DE", 22, "18n"), ("DJ", 27, "23n"), ("DK", 18, "14n"), ("DO", 28, "4c20n"),
    ("EE", 20, "16n"), ("EG", 29, "25n"), ("ES", 24, "20n"), ("FI", 18, "14n"),
    ("FK", 18, "2a12n"), ("FO", 18, "14n"), ("FR", 27, "10n11c2n"), ("GB", 22, "4a14n"),
    ("GE", 22, "2a16n"), ("GI", 23, "4a15c"), ("GL", 18, "14n"), ("GR", 27, "7n16c"),
    ("GT", 28, "24c"), ("HN", 28, "4a20n"), ("HR", 21, "17n"), ("HU", 28, "24n"),
    ("IE", 22, "4a14n"), ("IL", 23, "19n"), ("IQ", 23, "4a15n"), ("IS", 26, "22n"),
    ("IT", 27, "1a10n12c"), ("JO", 30, "4a4n18c"), ("KW", 30, "4a22c"), ("KZ", 20, "3n13c"),
    ("LB", 28, "4n20c"), ("LC", 32, "4a24c"), ("LI", 21, "5n12c"), ("LT", 20, "16n"),
    ("LU", 20, "3n13c"), ("LV", 21, "4a13c"), ("LY", 25, "21n"), ("MC", 27, "10n11c2n"),
    ("MD", 24, "20c"), ("ME", 22, "18n"), ("MK", 19, "3n10c2n"), ("MN", 20, "16n"),
    ("MR", 27, "23n"), ("MT", 31, "4a5n18c"), ("MU", 30, "4a19n3a"), ("NI", 28, "4a20n"),
    ("NL", 18, "4a10n"), ("NO", 15, "11n"), ("OM", 23, "3n16c"), ("PK", 24, "4a16c"),
    ("PL", 28, "24n"), ("PS", 29, "4a21c"), ("PT", 25, "21n"), ("QA", 29, "4a21c"),
    ("RO", 24, "4a16c"), ("RS", 22, "18n"), ("RU", 33, "14n15c"), ("SA", 24, "2n18c"),
    ("SC", 31, "4a20n3a"), ("SD", 18, "14n"), ("SE", 24, "20n"), ("SI", 19, "15n"),
    ("SK", 24, "20n"), ("SM", 27, "1a10n12c"), ("SO", 23, "19n"), ("ST", 25, "21n"),
    ("SV", 28, "4a20n"), ("TL", 23, "19n"), ("TN", 24, "20n"), ("TR", 26, "6n16c"),
    ("UA", 29, "6n19c"), ("VA", 22, "18n"), ("VG", 24, "4a16n"), ("XK", 20, "16n"),
    ("YE", 30, "4a4n18c"),
];

/// The longest IBAN of [`IBAN_COUNTRIES`].
const IBAN_MAX: usize = 34;

/// The Belgian bank codes (the BBAN's first three digits) that are assigned,
/// as ranges: facts from the National Bank of Belgium's list of 2026-01-01,
/// as python-stdnum 2.2's `be/banks.dat` has them. stdnum rejects a Belgian
/// IBAN of any other code.
#[rustfmt::skip]
const BE_BANK_CODES: &[(u16, u16)] = &[
    (0, 111), (113, 116), (119, 127), (129, 134), (137, 137), (140, 150), (171, 171),
    (175, 176), (185, 185), (189, 214), (220, 499), (501, 501), (504, 504), (507, 510),
    (512, 515), (521, 525), (538, 538), (541, 541), (546, 546), (548, 560), (562, 579),
    (581, 581), (583, 583), (585, 588), (590, 601), (603, 605), (607, 607), (610, 613),
    (624, 625), (630, 631), (634, 636), (638, 638), (640, 640), (642, 654), (657, 658),
    (663, 664), (666, 680), (682, 689), (693, 696), (699, 709), (719, 719), (722, 722),
    (725, 765), (772, 806), (817, 817), (823, 826), (828, 828), (830, 840), (845, 845),
    (850, 853), (859, 860), (862, 863), (865, 866), (868, 868), (871, 871), (873, 873),
    (876, 881), (883, 884), (887, 888), (890, 899), (903, 908), (910, 911), (913, 917),
    (920, 920), (922, 924), (926, 926), (929, 931), (934, 934), (936, 936), (939, 943),
    (945, 945), (948, 961), (963, 964), (967, 969), (971, 971), (973, 984), (989, 999),
];

/// An IBAN of any country, compact or printed in groups.
///
/// As python-stdnum's `iban.is_valid`: the country's length and BBAN
/// structure, the ISO 7064 mod 97-10 check, and the national checks stdnum
/// makes (Belgium, Spain, Montenegro, Norway). Spaces, `-` and `.` are
/// dropped and letters upper-cased first, so `lv80-bank-...` passes, and the
/// two check characters may be letters, as in stdnum.
///
/// One difference: stdnum reads the two check characters with Python's
/// `int(c, 36)`, which takes any Unicode decimal digit (`LV٨٠BANK...`); here
/// they are ASCII (or the full-width digits stdnum maps to ASCII first).
///
/// A candidate with a space is read as printed: it may run on into a
/// following word in capitals, and the longest valid prefix of at least 15
/// characters that ends at a group boundary wins. A compact one must be valid
/// whole.
pub fn iban(text: &str) -> usize {
    if !text.contains(' ') {
        return whole(text, iban_is_valid(text));
    }
    // Group ends, last first; `chars` counts the characters up to one.
    let mut chars = text.chars().count();
    let mut next_is_space = true; // the end of the text counts as a space
    for (at, c) in text.char_indices().rev() {
        let end = at + c.len_utf8();
        if c != ' ' && next_is_space && chars >= 15 && iban_is_valid(&text[..end]) {
            return end;
        }
        next_is_space = c == ' ';
        chars -= 1;
    }
    0
}

/// python-stdnum's `iban.is_valid(text)`.
fn iban_is_valid(text: &str) -> bool {
    let Some((buf, len)) = iban_compact(text) else {
        return false;
    };
    let number = &buf[..len];
    let Some(&(_, length, structure)) = number.get(..2).and_then(|code| {
        IBAN_COUNTRIES
            .binary_search_by(|(cc, ..)| cc.as_bytes().cmp(code))
            .ok()
            .map(|i| &IBAN_COUNTRIES[i])
    }) else {
        return false;
    };
    if len != length {
        return false;
    }
    let (head, bban) = number.split_at(4);
    bban_has_structure(bban, structure)
        && mod97(bban.iter().chain(head)) == 1
        && iban_national_check(&head[..2], bban)
}

/// python-stdnum's `iban.compact(text)` (`-`, `.` and spaces dropped after
/// its mapping of look-alike characters, then stripped and upper-cased), as
/// ASCII bytes; `None` when that holds anything but letters and digits or is
/// longer than any IBAN, neither of which can be valid.
fn iban_compact(text: &str) -> Option<([u8; IBAN_MAX], usize)> {
    if text.is_ascii() {
        return iban_compact_ascii(text.as_bytes());
    }
    let mut buf = [0; IBAN_MAX];
    let mut len = 0;
    let mut after_space = false;
    for c in text.chars().filter_map(stdnum_clean) {
        if py_is_space(c) {
            // Stripped at either end; kept inside, where it is invalid.
            after_space = len > 0;
            continue;
        }
        if after_space {
            return None;
        }
        let mut push = |u: char| {
            let slot = buf.get_mut(len).filter(|_| u.is_ascii_alphanumeric())?;
            *slot = u as u8;
            len += 1;
            Some(())
        };
        if c.is_ascii() {
            push(c.to_ascii_uppercase())?;
        } else {
            for u in c.to_uppercase() {
                push(u)?;
            }
        }
    }
    Some((buf, len))
}

/// [`iban_compact`] of ASCII text, a byte at a time: the same mapping, where
/// only `-`, `.` and spaces are dropped and other whitespace is stripped at
/// either end.
fn iban_compact_ascii(text: &[u8]) -> Option<([u8; IBAN_MAX], usize)> {
    let mut buf = [0; IBAN_MAX];
    // Most candidates are letters and digits only: copied whole.
    if text.len() <= IBAN_MAX && text.iter().all(u8::is_ascii_alphanumeric) {
        buf[..text.len()].copy_from_slice(text);
        buf[..text.len()].make_ascii_uppercase();
        return Some((buf, text.len()));
    }
    let mut len = 0;
    let mut after_space = false;
    for &b in text {
        match b {
            b' ' | b'-' | b'.' => {}
            b'\t'..=b'\r' | 0x1c..=0x1f => after_space = len > 0,
            _ if after_space || !b.is_ascii_alphanumeric() => return None,
            _ => {
                *buf.get_mut(len)? = b.to_ascii_uppercase();
                len += 1;
            }
        }
    }
    Some((buf, len))
}

/// python-stdnum's `clean(text, " -.")` for one character: the separators it
/// drops (with the Unicode dashes, dots and spaces it maps to them) give
/// `None`, the full-width and mathematical digits it maps to ASCII give the
/// digit; others, where stdnum maps them to punctuation that is no part of an
/// IBAN anyway, stay as they are.
fn stdnum_clean(c: char) -> Option<char> {
    match c {
        ' ' | '-' | '.' => None,
        '\0'..='\u{7f}' => Some(c),
        // Dashes and overlines (stdnum: "-").
        '\u{58a}' | '\u{5be}' | '\u{2010}'..='\u{2015}' | '\u{fe63}' | '\u{ff0d}' | '\u{180a}'
        | '\u{203e}' | '\u{2043}' | '\u{af}' | '\u{2d7}' | '\u{ffe3}' | '\u{1680}' | '\u{207b}'
        | '\u{208b}' | '\u{2212}' | '\u{23af}' | '\u{23ba}'..='\u{23bd}' | '\u{23e4}'
        // Dots (stdnum: ".").
        | '\u{b7}' | '\u{387}' | '\u{6d4}' | '\u{3002}' | '\u{701}' | '\u{702}' | '\u{830}'
        | '\u{f0b}' | '\u{f0c}' | '\u{16eb}' | '\u{2022}' | '\u{2024}' | '\u{2027}'
        | '\u{2e31}' | '\u{2e33}' | '\u{30fb}' | '\u{fe52}' | '\u{ff0e}' | '\u{ff65}'
        | '\u{10101}' | '\u{1091f}' | '\u{10a50}' | '\u{2d9}' | '\u{fbb2}' | '\u{fbb3}'
        | '\u{2219}' | '\u{22c5}'
        // Spaces (stdnum: " ").
        | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => None,
        '\u{ff10}'..='\u{ff19}' => char::from_digit(c as u32 - 0xff10, 10),
        '\u{1d7ce}'..='\u{1d7ff}' => char::from_digit((c as u32 - 0x1d7ce) % 10, 10),
        _ => Some(c),
    }
}

/// Whether `bban` (upper-case ASCII letters and digits) has the `structure`
/// of [`IBAN_COUNTRIES`] (whose length the caller has checked).
fn bban_has_structure(bban: &[u8], structure: &str) -> bool {
    let mut rest = bban;
    let mut count = 0;
    for kind in structure.bytes() {
        if kind.is_ascii_digit() {
            count = count * 10 + usize::from(kind - b'0');
            continue;
        }
        let Some((run, tail)) = rest.split_at_checked(count) else {
            return false;
        };
        let fits = match kind {
            b'n' => run.iter().all(u8::is_ascii_digit),
            b'a' => run.iter().all(u8::is_ascii_uppercase),
            _ => true, // `c`: any letter or digit, which all bytes here are
        };
        if !fits {
            return false;
        }
        rest = tail;
        count = 0;
    }
    rest.is_empty()
}

/// ISO 7064 mod 97-10 over upper-case ASCII letters (10..35) and digits,
/// computed as it goes.
fn mod97<'a>(chars: impl Iterator<Item = &'a u8>) -> u32 {
    // Reduced only when the next step could overflow: 2^56 * 100 < 2^64.
    let rest = chars.fold(0u64, |acc, &b| {
        let acc = if acc >= 1 << 56 { acc % 97 } else { acc };
        if b.is_ascii_digit() {
            acc * 10 + u64::from(b - b'0')
        } else {
            acc * 100 + u64::from(b - b'A') + 10
        }
    });
    (rest % 97) as u32
}

/// The national checks python-stdnum makes on a BBAN whose country structure
/// (all digits, for these four) has been checked.
fn iban_national_check(country: &[u8], bban: &[u8]) -> bool {
    match country {
        // The account's own mod 97 (0 written 97), from an assigned bank code.
        b"BE" => {
            let check = match value(&bban[..10]) % 97 {
                0 => 97,
                rest => rest,
            };
            let bank = value(&bban[..3]) as u16;
            value(&bban[10..]) == check
                && BE_BANK_CODES
                    .iter()
                    .any(|&(low, high)| (low..=high).contains(&bank))
        }
        // The CCC's two check digits: bank and branch, then the account.
        b"ES" => {
            let bank_branch = [b'0', b'0'].iter().chain(&bban[..8]);
            bban[8] == es_ccc_digit(bank_branch) && bban[9] == es_ccc_digit(bban[10..].iter())
        }
        // The whole BBAN mod 97.
        b"ME" => mod97(bban.iter()) == 1,
        // The kontonummer: a postgiro one ("0000" and 7 digits, Luhn) or
        // 11 digits with a weighted mod 11 check digit (a remainder of 10 is
        // no digit: invalid).
        b"NO" => match bban.strip_prefix(b"0000") {
            Some(postgiro) => luhn(postgiro),
            None => {
                const WEIGHTS: [u32; 10] = [6, 7, 8, 9, 4, 5, 6, 7, 8, 9];
                let sum: u32 = WEIGHTS
                    .iter()
                    .zip(bban)
                    .map(|(w, d)| w * u32::from(d - b'0'))
                    .sum();
                u32::from(bban[10] - b'0') == sum % 11
            }
        },
        _ => true,
    }
}

/// One check digit of the Spanish CCC over ten digits: `Σ dᵢ·2ⁱ mod 11`,
/// written as itself if below 2, else as `11 −` it.
fn es_ccc_digit<'a>(digits: impl Iterator<Item = &'a u8>) -> u8 {
    let mut weight = 1;
    let mut sum = 0;
    for d in digits {
        sum += u32::from(d - b'0') * weight;
        weight = weight * 2 % 11;
    }
    let check = sum % 11;
    b'0' + if check < 2 { check } else { 11 - check } as u8
}

// --- payment cards -------------------------------------------------------------

/// A payment card number: 13..19 digits, a known issuer prefix and the Luhn
/// check digit.
pub fn payment_card(text: &str) -> usize {
    let Some((buf, len)) = digits_upto::<19>(text) else {
        return 0;
    };
    let number = &buf[..len];
    whole(text, len >= 13 && card_issuer_known(number) && luhn(number))
}

/// Whether `number` (13 or more ASCII digits) starts with an issuer prefix.
fn card_issuer_known(number: &[u8]) -> bool {
    let first2 = value(&number[..2]);
    let first3 = value(&number[..3]);
    let first4 = value(&number[..4]);
    number[0] == b'4' // Visa
        || (51..=55).contains(&first2) // Mastercard
        || (2221..=2720).contains(&first4) // Mastercard 2-series
        || matches!(first2, 34 | 37) // American Express
        || matches!(first2, 36 | 38 | 39) || (300..=305).contains(&first3) // Diners
        || number.starts_with(b"6011") || matches!(first2, 65 | 62) // Discover, UnionPay
        || (644..=649).contains(&first3)
        || (3528..=3589).contains(&first4) // JCB
        || matches!(first2, 50 | 56 | 57 | 58 | 67) // Maestro
}

// --- phone numbers -----------------------------------------------------------

/// How a Latvian national number starts (see [`lv_phone`]).
const LV_PHONE_PREFIXES: &[&[u8]] = &[b"2", b"6", b"80", b"81", b"90"];

/// A Latvian phone number: eight national digits after an optional `+371` or
/// `00371`: 2x mobile, 6x fixed, 80 toll-free, 81 shared cost, 90 premium
/// (libphonenumber's LV metadata).
pub fn lv_phone(text: &str) -> usize {
    let Some((buf, len)) = digits_upto::<13>(text) else {
        return 0;
    };
    let mut number = &buf[..len];
    if let Some(national) = number.strip_prefix(b"00371") {
        number = national;
    } else if len == 11 {
        number = number.strip_prefix(b"371").unwrap_or(number);
    }
    let known = LV_PHONE_PREFIXES
        .iter()
        .any(|prefix| number.starts_with(prefix));
    whole(text, number.len() == 8 && known)
}

/// An international number in `+` form: country code and number, 8 to 15
/// digits in all.
pub fn e164_length(text: &str) -> usize {
    whole(text, (8..=15).contains(&ascii_digits(text).count()))
}

// --- IP addresses -------------------------------------------------------------

/// An IPv4 address other than loopback (127/8), unspecified (0.0.0.0) or
/// broadcast (255.255.255.255).
///
/// As Python's `ipaddress.IPv4Address`: strict dotted decimal, four parts of
/// one to three ASCII digits, no leading zeros (`01.2.3.4` is rejected).
pub fn public_ipv4(text: &str) -> usize {
    whole(
        text,
        parse_ipv4(text).is_some_and(|a| a[0] != 127 && a != [0; 4] && a != [255; 4]),
    )
}

/// An IPv6 address other than loopback (`::1`) or unspecified (`::`).
///
/// As Python's `ipaddress.IPv6Address`: eight hextets of one to four hex
/// digits, one `::` for a run of zeros, an IPv4 address in place of the last
/// two, and a scope id after `%` (`fe80::1%eth0`; any text without `%` or
/// `/`). As in Python 3.11 (the project's interpreter), a scope id does not
/// keep `::1` from being loopback, and an IPv4-mapped `::ffff:127.0.0.1` is
/// not loopback (Python 3.13 says it is).
pub fn public_ipv6(text: &str) -> usize {
    whole(text, parse_ipv6(text).is_some_and(|a| a > 1))
}

/// A public IPv4 host address that is not a four-part version: as
/// [`public_ipv4`], but not internal (see [`internal_ip`]), not in 0/8 or
/// 224/3 (multicast, reserved), not a network (a last part 0: `131.0.0.0`),
/// and not four one-digit parts (`1.2.3.4`, `2.4.1.7`: build numbers).
pub fn host_ipv4(text: &str) -> usize {
    whole(
        text,
        parse_ipv4(text).is_some_and(|a| {
            a[0] != 0 && a[0] < 224 && a[3] != 0 && !ipv4_is_internal(a) && !a.iter().all(|&p| p < 10)
        }),
    )
}

/// An address that is not a person's: IPv4 private (10/8, 172.16/12,
/// 192.168/16), shared (100.64/10, carrier-grade NAT), loopback (127/8) or
/// link-local (169.254/16); IPv6 loopback (`::1`), link-local (`fe80::/10`),
/// unique local (`fc00::/7`) or an IPv4-mapped internal IPv4 address
/// (`::ffff:10.0.0.1`). Parsed as [`public_ipv4`] and [`public_ipv6`] do.
pub fn internal_ip(text: &str) -> usize {
    let internal = if text.contains(':') {
        parse_ipv6(text).is_some_and(|a| {
            let mapped = (a >> 32 == 0xffff).then(|| (a as u32).to_be_bytes());
            a == 1 || a >> 118 == 0x3fa || a >> 121 == 0x7e || mapped.is_some_and(ipv4_is_internal)
        })
    } else {
        parse_ipv4(text).is_some_and(ipv4_is_internal)
    };
    whole(text, internal)
}

/// 10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16.
fn ipv4_is_internal(a: [u8; 4]) -> bool {
    matches!(a, [10 | 127, ..] | [192, 168, ..] | [169, 254, ..])
        || (a[0] == 172 && (16..32).contains(&a[1]))
        || (a[0] == 100 && (64..128).contains(&a[1]))
}

/// Python's `IPv4Address(text)`, as its four octets.
fn parse_ipv4(text: &str) -> Option<[u8; 4]> {
    let mut octets = [0; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        let well_formed = (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'));
        if !well_formed {
            return None;
        }
        *octet = part.parse().ok()?; // fails above 255
    }
    parts.next().is_none().then_some(octets)
}

/// Python's `IPv6Address(text)` (scope id dropped), as a number.
fn parse_ipv6(text: &str) -> Option<u128> {
    const HEXTETS: usize = 8;
    if text.contains('/') {
        return None;
    }
    let address = match text.split_once('%') {
        None => text,
        Some((address, scope)) if !scope.is_empty() && !scope.contains('%') => address,
        Some(_) => return None,
    };
    // The parts between colons; `None` for an empty one. An address has at
    // most nine parts (a `::` at either end makes the ninth), the IPv4 tail
    // counting as two.
    let mut parts = [None; HEXTETS + 1];
    let mut count = 0;
    let mut push = |part: Option<u16>| {
        *parts.get_mut(count)? = part;
        count += 1;
        Some(())
    };
    let mut pieces = address.split(':').peekable();
    let mut pieces_seen = 0;
    while let Some(piece) = pieces.next() {
        pieces_seen += 1;
        if pieces.peek().is_none() && pieces_seen >= 3 && piece.contains('.') {
            let [a, b, c, d] = parse_ipv4(piece)?;
            push(Some(u16::from_be_bytes([a, b])))?;
            push(Some(u16::from_be_bytes([c, d])))?;
        } else if piece.is_empty() {
            push(None)?;
        } else {
            push(Some(parse_hextet(piece)?))?;
        }
    }
    if pieces_seen < 3 {
        return None;
    }
    let parts = &parts[..count];
    let last = count - 1;
    // An empty part inside marks the `::`; there may be one.
    let mut inner_empty = (1..last).filter(|&i| parts[i].is_none());
    let skip = inner_empty.next();
    if inner_empty.next().is_some() {
        return None;
    }
    let (head, tail) = match skip {
        Some(skip) => {
            // An empty part at an end must belong to the `::`.
            let head = if parts[0].is_none() { 0 } else { skip };
            let tail = if parts[last].is_none() {
                0
            } else {
                last - skip
            };
            if (parts[0].is_none() && skip != 1)
                || (parts[last].is_none() && skip != last - 1)
                || head + tail >= HEXTETS
            {
                return None;
            }
            (head, tail)
        }
        None if count == HEXTETS => (HEXTETS, 0),
        None => return None,
    };
    let mut hextets = [0; HEXTETS];
    for (slot, part) in hextets.iter_mut().zip(&parts[..head]) {
        *slot = (*part)?;
    }
    for (slot, part) in hextets[HEXTETS - tail..]
        .iter_mut()
        .zip(&parts[count - tail..])
    {
        *slot = (*part)?;
    }
    Some(hextets.iter().fold(0, |acc, &h| acc << 16 | u128::from(h)))
}

/// One to four ASCII hex digits.
fn parse_hextet(part: &str) -> Option<u16> {
    let well_formed = part.len() <= 4 && part.bytes().all(|b| b.is_ascii_hexdigit());
    well_formed
        .then(|| u16::from_str_radix(part, 16).ok())
        .flatten()
}

// --- others --------------------------------------------------------------------

/// `Basic <base64 of user:password>`: the text after the first space,
/// stripped, must be strict base64 whose bytes hold a `:`.
///
/// Strict as Python 3.11's `b64decode(validate=True)` (the project's
/// interpreter): only the alphabet, then the padding a partial last quad
/// needs (`==` after two characters of it, `=` after three). After a full
/// quad, Python 3.11 and 3.12 take any number of `=` (not at the very start),
/// and so does this; Python 3.13 takes none.
pub fn basic_auth(text: &str) -> usize {
    let encoded = text.split_once(' ').map_or("", |(_, rest)| rest);
    whole(
        text,
        base64_has_colon(encoded.trim_matches(py_is_space).as_bytes()),
    )
}

/// Whether `data` is strict base64 whose decoded bytes include `:`.
fn base64_has_colon(data: &[u8]) -> bool {
    let body_len = data.iter().position(|&b| b == b'=').unwrap_or(data.len());
    let (body, padding) = data.split_at(body_len);
    let padded = match body.len() % 4 {
        0 => padding.is_empty() || !body.is_empty(),
        2 => padding.len() == 2,
        3 => padding.len() == 1,
        _ => false,
    };
    if !padded || padding.iter().any(|&b| b != b'=') {
        return false;
    }
    let (mut bits, mut pending, mut colon) = (0_u32, 0_u32, false);
    for &b in body {
        let sextet = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return false,
        };
        bits = (bits << 6 | u32::from(sextet)) & 0xffff;
        pending += 6;
        if pending >= 8 {
            pending -= 8;
            colon |= (bits >> pending) & 0xff == u32::from(b':');
        }
    }
    colon
}

/// An e-mail domain (the text from `@`) whose last label, the top-level
/// domain, has two or more letters and nothing else.
///
/// Letters are `char::is_alphabetic` but not numeric, a little wider than
/// Python's `str.isalpha()` (the Unicode letters): it also takes the marks
/// and symbols Unicode counts as alphabetic (the vowel signs of Devanagari,
/// `Ⓐ`) and letters newer than Python's Unicode version. The shipped pattern
/// only passes ASCII.
///
/// A number glued after the top-level domain (`anna@inbox.lv161175-19997`,
/// text run together) ends the address at the domain's letters, so that
/// the address is found on the first pass, not only once the number beside
/// it is masked.
pub fn email_domain(text: &str) -> usize {
    let tld_start = text.rfind('.').map_or(0, |dot| dot + 1);
    let tld = &text[tld_start..];
    let letter = |c: char| c.is_alphabetic() && !c.is_numeric();
    let letters = tld.find(|c: char| !letter(c)).unwrap_or(tld.len());
    let glued_number = letters == tld.len() || tld[letters..].starts_with(|c: char| c.is_ascii_digit());
    if tld_start > 0 && tld[..letters].chars().nth(1).is_some() && glued_number {
        tld_start + letters
    } else {
        0
    }
}

/// The candidate's first word: the text up to its first space or tab, for a
/// value found by what follows it (a user name before the `[date]` of a
/// common-log-format line). A candidate without one is rejected.
pub fn first_word(text: &str) -> usize {
    text.find([' ', '\t']).filter(|&end| end > 0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks each `(payload, expected)` with the validator called `name`:
    /// `true` for the whole text, `false` for `0`.
    fn check(name: &str, cases: &[(&str, bool)]) {
        let validator = by_name(name).unwrap();
        for &(text, ok) in cases {
            let expected = if ok { text.len() } else { 0 };
            assert_eq!(validator(text), expected, "{name}({text:?})");
        }
    }

    #[test]
    fn names_and_lookup_agree() {
        for name in NAMES {
            assert!(by_name(name).is_some(), "{name}");
        }
        assert_eq!(
            by_name("iban").map(|v| v("LV80BANK0000435195001")),
            Some(21)
        );
        assert!(by_name("luhn").is_none());
    }

    #[test]
    fn personal_code() {
        const CASES: &[(&str, bool)] = &[
            ("161175-19997", true),
            ("16117519997", true),
            ("32073120115", true),  // new format
            ("01011000010", true),  // check digit 0 (remainder 10)
            ("328673-00679", true), // new format
            ("140387-12343", true),
            ("290204-25170", true), // 29 February 2004
            ("010101-20052", true),
            ("311299-19088", true),
            ("070715-20612", true),
            ("23115413772", true),
            ("327184-05629", true),
            ("32000000083", true),
            ("161375-19997", false), // month 13
            ("290213-29381", false), // 29 February 2013
            ("328673-00677", false), // new format, bad check digit
            ("140387-12344", false),
            ("310487-12343", false), // 31 April
            ("141387-12343", false),
            ("290205-25170", false),
            ("327184-05628", false),
            ("000000-00000", false), // day 0
            ("40003521600", false),  // a company number
            ("161175-1999", false),  // 10 digits
            ("161175-199970", false),
        ];
        check("lv_personal_code", CASES);
        // The century digit: 1900 was no leap year, 2000 was.
        let with_check = |first10: &str| {
            let mut code = [b'0'; 11];
            code[..10].copy_from_slice(first10.as_bytes());
            code[10] = lv_check_digit(&code);
            String::from_utf8(code.to_vec()).unwrap()
        };
        assert_eq!(lv_personal_code(&with_check("2902001234")), 0);
        assert_eq!(lv_personal_code(&with_check("2902002234")), 11);
        assert_eq!(lv_personal_code(&with_check("2902000234")), 0); // 1800
        assert_eq!(lv_personal_code(&with_check("3112995234")), 11); // 2399: no bound
        assert_eq!(lv_personal_code(&with_check("3002991234")), 0); // 30 February
        assert_eq!(lv_personal_code(&with_check("3102991234")), 0); // "31", old format
        assert_eq!(lv_personal_code(&with_check("3101991234")), 11);
        assert_eq!(lv_personal_code(&with_check("3900000000")), 11); // new format, any digits
    }

    #[test]
    fn personal_code_format() {
        const CASES: &[(&str, bool)] = &[
            ("161375-19997", true),
            ("32073120110", true),
            ("39999999999", true),
            ("40003521600", false),
            ("1613751999", false),
            ("161375-199971", false),
        ];
        check("lv_personal_code_format", CASES);
    }

    #[test]
    fn iban_compact_and_printed() {
        const CASES: &[(&str, bool)] = &[
            ("LV80BANK0000435195001", true),
            ("LV80 BANK 0000 4351 9500 1", true),
            ("LV81BANK0000435195001", false),
            ("lv80bank0000435195001", true), // stdnum upper-cases
            ("LV80-BANK-0000-4351-9500-1", true), // and drops - and .
            ("LV80.BANK.0000.4351.9500.1", true),
            ("LV80\u{2013}BANK0000435195001", true), // an en dash is a -
            ("LV80BANK000043519500\u{ff11}", true),  // a full-width 1
            ("LV80BANK000043519500", false),
            ("LV80BANK00004351950011", false),
            ("LV80BANK0000435195001X", false),
            ("LV75HABA0551020345678", true),
            ("LV29 UNLA 0050 0145 6129 0", true),
            ("LV47RIKO0002013079835", true),
            ("DE89370400440532013000", true),
            ("EE382200221020145685", true),
            ("LT717300010123456789", true),
            ("GB29NWBK60161331926819", true),
            ("GR16 0110 1050 0000 1054 7023 795", true),
            ("BE31435411161155", true),
            ("LV76HABA0551020345678", false),
            ("LV75HABA055102034567", false),
            ("LV75HABA05510203456789", false),
            ("DE89370400440532013001", false),
            ("XX80BANK0000435195001", false), // no such country
            ("LV71BANKABCDEFGHIJKLM", true),  // letters in a `c` run
            ("GB82WEST12345698765432", true),
            ("GB82WEST1234569876543A", false), // `n` run
            ("GB821EST12345698765432", false), // `a` run
            ("", false),
            ("LV", false),
            ("LV80 BANK 0000 4351 9500 1\t", true), // stripped by stdnum
            ("LV80 BANK 0000 4351\t9500 1", false), // a tab inside is kept: invalid
        ];
        check("iban", CASES);
        // Unlike stdnum, no Arabic-Indic check digits.
        assert_eq!(iban("LV\u{668}\u{660}BANK0000435195001"), 0);
        // Printed and running on into a word in capitals.
        let text = "LV80 BANK 0000 4351 9500 1 EUR";
        assert_eq!(iban(text), 26);
        assert_eq!(iban("LV80 BANK 0000 4351 9500 1 AB CD"), 26);
        assert_eq!(iban("LV80 BANK 0000 4351 9500 1 "), 26);
        assert_eq!(iban(" LV80 BANK 0000 4351 9500 1"), 27); // stripped by stdnum
        assert_eq!(iban("LV80BANK0000435195001 EUR"), 21);
        assert_eq!(iban("LV80BANK0000435195001 X1 Y2"), 21);
        assert_eq!(iban("LV81 BANK 0000 4351 9500 1 EUR"), 0);
        // Groups of other sizes still count; a prefix under 15 characters does not.
        assert_eq!(iban("NO93 8601 1117 947 X"), 18);
        assert_eq!(iban("NO938601111 7947"), 16);
    }

    #[test]
    fn iban_national_checks() {
        const CASES: &[(&str, bool)] = &[
            ("BE68539007547034", false), // valid mod 97, but bank code 539 is not assigned
            ("BE71096123456769", true),
            ("ES9121000418450200051332", true),
            ("ES7921000813610123456789", true),
            ("ME25505000012345678951", true),
            ("NO9386011117947", true),
            ("NO0200001234567", false),
        ];
        check("iban", CASES);
    }

    #[test]
    fn iban_table_is_consistent() {
        let mut last = "";
        for &(cc, length, structure) in IBAN_COUNTRIES {
            assert!(cc > last, "{cc} out of order");
            last = cc;
            let (mut sum, mut count) = (0, 0);
            for b in structure.bytes() {
                if b.is_ascii_digit() {
                    count = count * 10 + usize::from(b - b'0');
                } else {
                    assert!(matches!(b, b'n' | b'a' | b'c'), "{cc}");
                    sum += count;
                    count = 0;
                }
            }
            assert_eq!(4 + sum, length, "{cc}");
            assert!(length <= IBAN_MAX);
        }
        assert!(BE_BANK_CODES.windows(2).all(|w| w[0].1 < w[1].0));
    }

    #[test]
    fn card() {
        const CASES: &[(&str, bool)] = &[
            ("4111111111111111", true),
            ("4111 1111 1111 1111", true),
            ("4111-1111-1111-1111", true),
            ("4111111111111112", false),
            ("4716 8437 5931 06", true),
            ("5318 0496 2270 1913", true),
            ("3782 822463 10005", true),
            ("6011751204988127", true),
            ("4716 8437 5931 07", false),
            ("5318 0496 2270 1914", false),
            ("1234 5678 9012 3452", false),  // Luhn-valid, no issuer
            ("4222222222222", true),         // 13 digits
            ("422222222222", false),         // 12 digits
            ("4000000000000000006", true),   // 19 digits
            ("40000000000000000006", false), // 20 digits
            ("2221000000000009", true),
            ("2720990000000007", true),
            ("2721000000000005", false),
            ("3056930009020004", true),  // Diners 305
            ("3066930009020002", false), // 306
            ("6440000000000005", true),
            ("3528000000000007", true),
            ("6700000000000000", true),
        ];
        check("payment_card", CASES);
    }

    #[test]
    fn phone() {
        const CASES: &[(&str, bool)] = &[
            ("+371 26 123 456", true),
            ("+37129876543", true),
            ("00371 6712 3456", true),
            ("+371 67 001 122", true),
            ("29876543", true),
            ("67001122", true),
            ("80001234", true),
            ("81001234", true),
            ("90001234", true),
            ("+371 1234 5678", false),
            ("+371 2612345", false),
            ("+371 261234567", false),
            ("71234567", false),
            ("82001234", false),
            ("37129876543", true), // 371 and 8 digits
            ("3712987654", false), // 371 and 7
            ("0037129876543", true),
            ("00371298765431", false),
            ("003712987654", false),
        ];
        check("lv_phone", CASES);
    }

    #[test]
    fn e164() {
        const CASES: &[(&str, bool)] = &[
            ("+49 30 123", false), // 7 digits
            ("+49 30 1234", true), // 8
            ("+1 (555) 123-4567", true),
            ("+123 456 789 012 345", true), // 15
            ("+123 456 789 012 3456", false),
        ];
        check("e164_length", CASES);
    }

    #[test]
    fn ipv4() {
        const CASES: &[(&str, bool)] = &[
            ("93.177.10.1", true),
            ("8.8.8.8", true),
            ("0.0.0.1", true),
            ("255.255.255.254", true),
            ("126.255.255.255", true),
            ("128.0.0.1", true),
            ("127.0.0.1", false),
            ("127.255.1.2", false),
            ("0.0.0.0", false),
            ("255.255.255.255", false),
            ("01.2.3.4", false),
            ("1.2.3.04", false),
            ("1.2.3.00", false),
            ("1.2.3.256", false),
            ("1.2.3", false),
            ("1.2.3.4.5", false),
            ("1.2.3.", false),
            ("1..3.4", false),
            ("1.2.3.4/32", false),
            ("1.2.3.+4", false),
            (" 1.2.3.4", false),
            ("1.2.3.0004", false),
            ("1.2.3.\u{661}", false), // an Arabic-Indic digit
            ("", false),
        ];
        check("public_ipv4", CASES);
    }

    #[test]
    fn ipv6() {
        const CASES: &[(&str, bool)] = &[
            ("2001:db8::1", true),
            ("2001:0db8:0000:0000:0000:ff00:0042:8329", true),
            ("2001:DB8::FF00:42:8329", true),
            ("fe80::1%eth0", true),
            ("fe80::1%1", true),
            ("fe80::1% x y", true), // any scope id but "%" and "/"
            ("fe80::1%", false),
            ("fe80::1%a%b", false),
            ("::ffff:192.0.2.1", true),
            ("::192.0.2.1", true),
            ("1:2:3:4:5:6:1.2.3.4", true),
            ("1:2:3:4:5:6:7:1.2.3.4", false),
            ("::1.2.3.04", false),
            ("::ffff:127.0.0.1", true), // no IPv4-mapped loopback in 3.11
            ("::2", true),
            ("1::", true),
            ("1:2:3:4:5:6:7::", true),
            ("::2:3:4:5:6:7:8", true),
            ("1:2:3:4:5:6:7:8", true),
            ("1:2:3:4:5:6:7:8:9", false),
            ("1:2:3:4:5:6:7", false),
            ("1:2:3:4::5:6:7:8", false), // :: for no zeros
            ("1::2::3", false),
            (":1::2", false),
            ("1::2:", false),
            (":1:2:3:4:5:6:7", false),
            ("1:2:3:4:5:6:7:", false),
            (":::", false),
            ("1:::2", false),
            ("12345::1", false),
            ("g::1", false),
            ("1:2", false),
            ("::", false),
            ("::1", false),
            ("0:0:0:0:0:0:0:1", false),
            ("::1%eth0", false),  // still loopback
            ("::0.0.0.1", false), // loopback, as an IPv4 tail
            ("::0.0.0.0", false),
            ("2001:db8::1/64", false),
            ("1.2.3.4", false),
            (":1.2.3.4", false),
            ("", false),
        ];
        check("public_ipv6", CASES);
    }

    #[test]
    fn host_ipv4_is_public_and_no_version() {
        const CASES: &[(&str, bool)] = &[
            ("93.177.10.1", true),
            ("8.8.8.10", true),
            ("203.0.113.7", true),
            ("223.255.255.254", true),
            ("172.15.0.1", true),
            ("172.32.0.1", true),
            ("100.63.0.1", true),
            ("100.128.0.1", true),
            ("192.169.0.1", true),
            ("1.2.3.4", false), // four one-digit parts: a version
            ("2.4.1.7", false),
            ("131.0.0.0", false), // a network (Chrome/131.0.0.0)
            ("93.177.12.0", false),
            ("10.0.12.4", false), // internal
            ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("192.168.1.10", false),
            ("100.64.0.1", false),
            ("169.254.1.1", false),
            ("127.0.0.1", false),
            ("0.1.2.30", false),
            ("224.0.0.251", false), // multicast
            ("255.255.255.255", false),
            ("01.2.3.40", false),
            ("", false),
        ];
        check("host_ipv4", CASES);
    }

    #[test]
    fn internal_addresses() {
        const CASES: &[(&str, bool)] = &[
            ("10.0.12.4", true),
            ("10.255.255.255", true),
            ("172.16.0.1", true),
            ("172.31.0.1", true),
            ("192.168.0.1", true),
            ("100.64.0.1", true),
            ("100.127.255.255", true),
            ("127.0.0.1", true),
            ("169.254.10.20", true),
            ("::1", true),
            ("fe80::1ff:fe23:4567:890a", true),
            ("fe80::1%eth0", true),
            ("febf::1", true),
            ("fd00::12", true),
            ("fc00::1", true),
            ("::ffff:10.0.0.1", true),
            ("93.177.12.4", false),
            ("172.15.0.1", false),
            ("172.32.0.1", false),
            ("100.128.0.1", false),
            ("192.169.0.1", false),
            ("11.0.0.1", false),
            ("2001:db8::1", false),
            ("fec0::1", false),
            ("fe00::1", false),
            ("::ffff:93.177.12.4", false),
            ("::", false),
            ("10.0.0", false),
            ("10:00:00", false),
            ("010.0.0.1", false),
            ("", false),
        ];
        check("internal_ip", CASES);
    }

    #[test]
    fn basic() {
        const CASES: &[(&str, bool)] = &[
            ("Basic dXNlcjpwYXNz", true),         // user:pass
            ("Basic dXNlcjpwYXNzd29yZA==", true), // user:password
            ("Basic dXNlcjpwYXNzMQ==", true),     // user:pass1
            ("Basic dXNlcjpwYXNzMTI=", true),     // user:pass12
            ("Basic dXNlcjpwYXNzMTI", false),     // padding missing
            ("Basic dXNlcjpwYXNzMTI==", false),   // one = too many
            ("Basic dXNlcjpwYXNz=", true),        // Python 3.11: any = after a full quad
            ("Basic dXNlcjpwYXNz===", true),
            ("Basic dXNlcjpwYXNzd29yZA=", false),
            ("Basic dXNlcnBhc3N3b3Jk", false), // userpassword: no colon
            ("Basic dXNlcjpwYXNzd29yZA", false),
            ("Basic dXNlc jpwYXNz", false),       // a space inside
            ("Basic  dXNlcjpwYXNz ", true),       // stripped
            ("Basic\tdXNlcjpwYXNz", false),       // split at a space only
            ("Basic dXNlcjpwYXNz\u{2003}", true), // Python strips any space
            ("Basic dXNlcjpwYXNz\u{1f}", true),
            ("Basic dXNl-jpwYXNz", false),
            ("Basic ", false),
            ("Basic", false),
            ("Basic Og==", true), // ":"
            ("Basic =", false),
            ("Basic Ogé=", false),
        ];
        check("basic_auth", CASES);
    }

    #[test]
    fn email() {
        const CASES: &[(&str, bool)] = &[
            ("@example.com", true),
            ("@mail.example.lv", true),
            ("@example.c", false),
            ("@example.c0m", false),
            ("@example.", false),
            ("@localhost", false), // no dot: the whole text, "@" and all
            ("@example.xn--p1ai", false),
            ("@пример.рф", true),
            ("@example.\u{2160}\u{2161}", false), // Roman numerals: letter numbers
            ("@a.", false),
        ];
        check("email_domain", CASES);
        // A number run into the address: the address ends at the domain's letters.
        assert_eq!(email_domain("anna@inbox.lv161175-19997"), "anna@inbox.lv".len());
        assert_eq!(email_domain("@example.com2024"), "@example.com".len());
        assert_eq!(email_domain("@example.c0m"), 0);
        assert_eq!(email_domain("@example.lv-2"), 0);
    }

    #[test]
    fn first_word() {
        let first = by_name("first_word").unwrap();
        assert_eq!(first("janis [25/Nov/2026:10:00:00"), 5);
        assert_eq!(first("anna.ozola\t[25/Nov/2026"), 10);
        assert_eq!(first("janis"), 0);
        assert_eq!(first(" janis"), 0);
        assert_eq!(first(""), 0);
    }

    #[test]
    fn python_whitespace() {
        for c in [
            '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1f}', ' ', '\u{85}', '\u{a0}',
            '\u{3000}',
        ] {
            assert!(py_is_space(c), "{c:?}");
        }
        for c in ['\u{180e}', '\u{200b}', 'a', '\0'] {
            assert!(!py_is_space(c), "{c:?}");
        }
    }
}
