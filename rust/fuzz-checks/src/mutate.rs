//! A small mutator for the stable replay test: not coverage-guided (it
//! knows nothing of which branches an input reached), only seeded
//! variations of the committed corpus inputs, the same on every run.

/// A xorshift generator: reproducible from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// Pieces worth putting into an input: our own masks and tokens, and what
/// stands around personal data in a log line.
pub const PIECES: [&[u8]; 16] = [
    b"[REDACTED:email]",
    b"[REDACTED:phone:..56]",
    b"[HASH:fz1:0123456789abcdef0123]",
    b"[REDACTED:personal_code_lv]",
    b"anna.ozola@inbox.lv",
    b"161175-19997",
    b"LV80BANK0000435195001",
    b"4111 1111 1111 1111",
    b"https://janis:slepens@x.example.lv/a?email=a%40b.lv",
    b"password=",
    b"\"vards\": ",
    b"\": \"",
    b"\\u00e9",
    b"\xc4\x81",
    b" ",
    b"\n",
];

/// `input` changed by one to four edits: bytes flipped, inserted,
/// deleted or repeated, a piece of [`PIECES`] or of `other` put in.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, rng.next_u64() as u8),
            2 if at < out.len() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at..end);
            }
            3 if at < out.len() => {
                let end = (at + 1 + rng.below(32)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            4 | 5 => {
                let piece = PIECES[rng.below(PIECES.len())];
                out.splice(at..at, piece.iter().copied());
            }
            _ if !other.is_empty() => {
                let start = rng.below(other.len());
                let end = (start + 1 + rng.below(64)).min(other.len());
                out.splice(at..at, other[start..end].iter().copied());
            }
            _ => out.push(rng.next_u64() as u8),
        }
    }
    out
}
