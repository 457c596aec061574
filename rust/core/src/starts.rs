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
}
