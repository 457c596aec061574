//! Where a match of a multi-pattern forward search starts.
//!
//! A forward search finds where the leftmost match ends and which pattern
//! it is; its start takes a search backwards. The meta engine runs that
//! search for every pattern at once, so it goes on over the text before the
//! match for as long as any pattern (an address, a `key=value`) could still
//! match there. Searching backwards for the one pattern that matched stops
//! at that pattern's own start: on log text with a finding every few dozen
//! bytes, a tenth of the scan.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::util::start;
use regex_automata::{Anchored, HalfMatch, Input, MatchKind};

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The reverse lazy DFA of a list of patterns, one start state per pattern.
pub struct MatchStarts {
    dfa: DFA,
    caches: Pool<Cache, CacheFn>,
}

impl MatchStarts {
    /// `patterns` as the forward search was built from them, in the same order.
    pub fn new(patterns: &[String], cache_capacity: usize, nfa_size_limit: usize) -> Result<MatchStarts, String> {
        let config = DFA::config()
            // Backwards, every match counts: the last one seen is the leftmost start.
            .match_kind(MatchKind::All)
            .starts_for_each_pattern(true)
            .unicode_word_boundary(true)
            .cache_capacity(cache_capacity)
            .minimum_cache_clear_count(Some(3))
            .minimum_bytes_per_state(Some(10));
        let dfa = DFA::builder()
            .configure(config)
            .thompson(thompson::Config::new().reverse(true).nfa_size_limit(Some(nfa_size_limit)))
            .build_many(patterns)
            .map_err(|e| e.to_string())?;
        let for_pool = dfa.clone();
        let create: CacheFn = Box::new(move || for_pool.create_cache());
        Ok(MatchStarts { dfa, caches: Pool::new(create) })
    }

    /// Where the match of `end`'s pattern that ends at `end` starts, at
    /// `from` or after. `None` when the lazy DFA gives up (too many states,
    /// or a Unicode word boundary beside a non-ASCII byte): the caller then
    /// asks the full engine.
    pub fn start(&self, text: &str, from: usize, end: HalfMatch) -> Option<usize> {
        let input = Input::new(text).range(from..end.offset()).anchored(Anchored::Pattern(end.pattern()));
        let mut cache = self.caches.get();
        self.dfa.try_search_rev(&mut cache, &input).ok().flatten().map(|m| m.offset())
    }
}

/// The bytes a match of any of a list of patterns may begin with, found
/// once from their DFA: an anchored search at a place whose byte is not
/// one of them cannot match, so it need not be run.
pub struct FirstBytes([u64; 4]);

impl FirstBytes {
    /// For `patterns`; every byte when that cannot be told (a pattern that
    /// matches the empty text, a look-around the lazy DFA gives up on, too
    /// many states).
    pub fn new(patterns: &[&str], nfa_size_limit: usize) -> FirstBytes {
        Self::of(patterns, nfa_size_limit).unwrap_or(FirstBytes([u64::MAX; 4]))
    }

    fn of(patterns: &[&str], nfa_size_limit: usize) -> Option<FirstBytes> {
        let dfa = DFA::builder()
            .configure(DFA::config().unicode_word_boundary(true))
            .thompson(thompson::Config::new().nfa_size_limit(Some(nfa_size_limit)))
            .build_many(patterns)
            .ok()?;
        let mut cache = dfa.create_cache();
        let mut set = [0u64; 4];
        // The start state depends on the byte before (a line end, a word
        // byte, another, none): every kind of it is asked.
        for before in [None, Some(b'\n'), Some(b'\r'), Some(b'a'), Some(b' '), Some(0xC4)] {
            let config = start::Config::new().anchored(Anchored::Yes).look_behind(before);
            let start = dfa.start_state(&mut cache, &config).ok()?;
            if start.is_match() || dfa.next_eoi_state(&mut cache, start).ok()?.is_match() {
                return None;
            }
            for b in 0..=255u8 {
                let next = dfa.next_state(&mut cache, start, b).ok()?;
                if next.is_match() || next.is_quit() || next.is_unknown() {
                    return None;
                }
                if !next.is_dead() {
                    set[usize::from(b >> 6)] |= 1 << (b & 63);
                }
            }
        }
        Some(FirstBytes(set))
    }

    /// Whether a match may begin with `byte`.
    #[inline]
    pub fn may_begin(&self, byte: u8) -> bool {
        self.0[usize::from(byte >> 6)] >> (byte & 63) & 1 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

    #[test]
    fn starts_equal_the_meta_engines() {
        let patterns: Vec<String> =
            [r"(?s:.)\d{8}", r"(?s:.)[A-Z]{2}\d{2}[A-Z0-9]{11,30}", r"(?s:.)[\p{L} ,.]+\d+"].map(String::from).into();
        let meta = Regex::new_many(&patterns).unwrap();
        let starts = MatchStarts::new(&patterns, 1 << 20, 1 << 24).unwrap();
        let text = "klients Jānis samaksāja, tālr. 29000001, konts LV66BANK0000000000000; Dzirnavu iela 5";
        let mut from = 0;
        while let Some(m) = meta.search(&Input::new(text).range(from..)) {
            let half = HalfMatch::new(m.pattern(), m.end());
            assert_eq!(starts.start(text, from, half), Some(m.start()), "match {:?}", &text[m.range()]);
            from = m.end();
        }
        assert!(from > 0, "the test text has matches");
    }

    #[test]
    fn first_bytes_are_those_an_anchored_search_can_match_at() {
        let patterns = [r"\d{8}", r"[A-Z]{2}\d{2}", r"@[\w\-]+(?:\.[\w\-]+)+", r"ā\w+"];
        let first = FirstBytes::new(&patterns, 1 << 24);
        for set in [&patterns[..], &[r"\bAS\b", r"x?\d"]] {
            let (first, meta) = (FirstBytes::new(set, 1 << 24), Regex::new_many(set).unwrap());
            for b in 0..=255u8 {
                // Each byte followed by what every pattern could go on with.
                for rest in [&b"S12345678.lv x"[..], b"1", b"S ", b"\x81a"] {
                    let text = [b].iter().chain(rest).copied().collect::<Vec<u8>>();
                    let anchored = meta.search(&Input::new(&text).anchored(Anchored::Yes)).is_some();
                    assert!(!anchored || first.may_begin(b), "byte {b:#x} begins a match of {set:?}");
                }
            }
        }
        for (b, may) in [(b'7', true), (b'Q', true), (b'@', true), (b' ', false), (b',', false), (0xC4, true), (0xC5, false)] {
            assert_eq!(first.may_begin(b), may, "byte {b:#x}");
        }
        // A pattern that matches the empty text: every byte.
        assert!((0..=255u8).all(|b| FirstBytes::new(&[r"x*"], 1 << 24).may_begin(b)));
    }
}
