//! A rule file of arbitrary bytes: it compiles, or the error names the file
//! and says what is wrong; never a panic. What compiles is run over the
//! rules' own examples and the sample values.

use pii_core::rules::RuleSet;
use crate::{assert_spans, compile, redact_text, FUZZ_DEPTH, SAMPLES};

const NAME: &str = "fuzzed.toml";

/// Panics unless `data` has the properties above.
pub fn check(data: &[u8]) {
    // Rule files are read as UTF-8 before they reach the core.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let rules = match RuleSet::from_toml(NAME, text) {
        Ok(rules) => rules,
        Err(e) => {
            let detail = e.0.strip_prefix(NAME).and_then(|d| d.strip_prefix(": "));
            assert!(detail.is_some_and(|d| !d.trim().is_empty()), "unclear error: {e}");
            return;
        }
    };
    let engine = match compile(&rules, FUZZ_DEPTH) {
        Ok(engine) => engine,
        Err(e) => {
            assert!(!e.0.trim().is_empty(), "an empty error");
            return;
        }
    };
    let examples = rules.values.iter().flat_map(|v| v.examples.iter().chain(&v.counterexamples));
    let names = rules.names.iter().flat_map(|n| n.examples.iter().chain(&n.counterexamples));
    for text in examples.chain(names).take(16).map(String::as_str).chain(SAMPLES) {
        let found = engine.findings(text);
        assert_spans(text, found.iter().map(|f| (f.0, f.1)));
        redact_text(&engine, text);
    }
}
