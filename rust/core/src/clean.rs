//! The clean test's first look at a text: one pass over its bytes that says
//! which kinds of byte it holds (ASCII digits, capitals, non-ASCII) and
//! whether any of the value rules' `needs` literals may stand in it (by their
//! first two bytes). Most values of a clean event are decided by it without
//! the literals' search: the look only ever says "maybe" where the search
//! could say yes (a test checks it against the search itself).

/// A byte `0`-`9`.
pub(crate) const DIGIT: u8 = 1;
/// A byte `A`-`Z`.
pub(crate) const UPPER: u8 = 2;
/// A byte of a non-ASCII character.
pub(crate) const NON_ASCII: u8 = 4;
/// A UTF-8 lead byte of a character from U+0640 up, below which no decimal
/// digit but ASCII's stands (see `text::has_digit`).
pub(crate) const HIGH: u8 = 8;
/// A byte that is a whole literal.
const LITERAL: u8 = 16;

/// The look, compiled once from the literals.
pub(crate) struct NeedsLook {
    /// Per byte value: its kinds (the constants above).
    kinds: [u8; 256],
    /// Bit `a << 8 | b`: some literal begins with the bytes `a`, `b`.
    pairs: Box<[u64; 1024]>,
    /// Some literal is empty: every text holds it.
    always: bool,
}

/// What a look found: the kinds of byte met, and whether a literal may stand
/// in the text (not asked when the look stopped short).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    pub kinds: u8,
    literal: bool,
}

impl Look {
    pub(crate) fn has(&self, kind: u8) -> bool {
        self.kinds & kind != 0
    }

    /// Whether one of the literals may stand in the text (false: none does).
    pub(crate) fn may_hold_literal(&self) -> bool {
        self.literal
    }
}

impl NeedsLook {
    pub(crate) fn new(literals: &[&str]) -> NeedsLook {
        let mut kinds = [0u8; 256];
        for (b, k) in kinds.iter_mut().enumerate() {
            let b = b as u8;
            *k = match b {
                b'0'..=b'9' => DIGIT,
                b'A'..=b'Z' => UPPER,
                0xD9.. => NON_ASCII | HIGH,
                0x80.. => NON_ASCII,
                _ => 0,
            };
        }
        let mut pairs = Box::new([0u64; 1024]);
        let mut always = false;
        for literal in literals {
            match literal.as_bytes() {
                [] => always = true,
                [b] => kinds[usize::from(*b)] |= LITERAL,
                [a, b, ..] => {
                    let i = usize::from(*a) << 8 | usize::from(*b);
                    pairs[i >> 6] |= 1 << (i & 63);
                }
            }
        }
        NeedsLook { kinds, pairs, always }
    }

    /// A look at `text`, stopped at the first byte of a kind in `stop`
    /// (the kinds after it are not read, nor any pair). The pairs are read
    /// in a second pass, only when the first was not stopped.
    pub(crate) fn look(&self, text: &str, stop: u8) -> Look {
        let bytes = text.as_bytes();
        let mut kinds = 0u8;
        for &b in bytes {
            kinds |= self.kinds[usize::from(b)];
            if kinds & stop != 0 {
                // Not read: a literal may stand in the rest.
                return Look { literal: true, kinds: kinds & !LITERAL };
            }
        }
        let literal = self.always || kinds & LITERAL != 0 || bytes.windows(2).any(|w| self.begins(w[0], w[1]));
        Look { literal, kinds: kinds & !LITERAL }
    }

    /// Whether some literal begins with the bytes `a`, `b`.
    fn begins(&self, a: u8, b: u8) -> bool {
        let i = usize::from(a) << 8 | usize::from(b);
        self.pairs[i >> 6] >> (i & 63) & 1 != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_literals() {
        let look = NeedsLook::new(&["@", "://", "iela", "gh"]);
        let l = look.look("request finished", 0);
        assert_eq!(l.kinds, 0);
        assert!(!l.may_hold_literal());
        assert!(look.look("a@b", 0).may_hold_literal());
        assert!(look.look("x gh", 0).may_hold_literal());
        assert!(look.look("Brīvības iela", 0).may_hold_literal());
        assert!(!look.look("Brīvības", 0).may_hold_literal());
        let l = look.look("Brīvības 2", 0);
        assert!(l.has(UPPER) && l.has(NON_ASCII) && l.has(DIGIT) && !l.has(HIGH));
        assert!(look.look("٣", 0).has(HIGH));
        // Stopped at the first digit: what follows it is not read (a
        // literal may stand there), not even its capitals.
        let l = look.look("a1 Bx", DIGIT);
        assert!(l.has(DIGIT) && !l.has(UPPER) && l.may_hold_literal());
        assert!(NeedsLook::new(&[""]).look("", 0).may_hold_literal());
    }
}
