//! Arbitrary text through value scanning and masking: every finding lies on
//! character boundaries inside the text; the quick "cannot match" test never
//! hides a finding of a value rule; no mask, token or normaliser panics;
//! redacting the output again (as a `message`, with its categories and
//! notes) changes nothing: the text, the categories and the notes are equal.

use std::borrow::Cow;
use std::sync::OnceLock;

use pii_core::act::{self, Action, Mask, Normalizer, Target};
use pii_core::rules::RuleSet;
use pii_core::scan::{NoKeys, Source};
use pii_core::json::Json;
use crate::{assert_spans, assert_twice, redact_event, shipped, Twice};

/// How many of the scanner's rules are value rules (the name lexicons follow them).
fn value_rules() -> usize {
    static COUNT: OnceLock<usize> = OnceLock::new();
    *COUNT.get_or_init(|| RuleSet::shipped().expect("shipped rules parse").values.len())
}

/// Every mask, normaliser and action applied to `piece`.
fn act_on(piece: &str) {
    let engine = shipped();
    for kind in Mask::ALL {
        let masked = act::mask("fz", kind, piece);
        assert!(masked.starts_with("[REDACTED:fz") && masked.ends_with(']'), "{masked:?}");
    }
    for style in Normalizer::ALL {
        act::normalize(style, piece);
    }
    for action in Action::ALL {
        for mask in Mask::ALL {
            let target = Target { mask, ..Target::new("fz", 1, "fz", action) };
            act::redaction(&target, piece, engine.hasher());
        }
    }
}

/// Panics unless `data` has the properties above.
pub fn check(data: &[u8]) {
    check_with(data, Twice::Equal);
}

/// [`check`], with "twice equals once" asserted as `twice` says.
pub fn check_with(data: &[u8], twice: Twice) {
    let text = String::from_utf8_lossy(data);
    let engine = shipped();
    let found = engine.findings(&text);
    assert_spans(&text, found.iter().map(|f| (f.0, f.1)));
    let searched = engine.scanner.search(&text, &mut NoKeys);
    assert_spans(&text, searched.iter().map(|f| (f.start, f.end)));
    if engine.scanner.lacks_needs(&text) {
        let rules = value_rules();
        let missed: Vec<_> = searched.iter().filter(|f| matches!(f.source, Source::Rule(i) if i < rules)).collect();
        assert!(missed.is_empty(), "a text without the rules' needs has findings: {missed:?}");
    }
    for (start, end, _, _) in &found {
        act_on(&text[*start..*end]);
    }
    if text.len() <= 512 {
        act_on(&text);
    }
    // Twice equals once: the text as a message, redacted, then again.
    let message = vec![(Cow::Borrowed("message"), Json::String(Cow::Borrowed(text.as_ref())))];
    let (once, _) = redact_event(engine, message, None);
    let twice = match twice {
        // Known open: a text that our masks made JSON is read as JSON on a
        // second pass, which notes its values by their JSON paths; a URL
        // inside a URL (percent-encoded) has its query's notes by other paths.
        Twice::Known { .. } => {
            let written = once.members.iter().find_map(|(_, v)| if let Json::String(s) = v { Some(s.as_ref()) } else { None });
            let json_doc = |t: &str| matches!(pii_core::json::parse(t, 64), Ok(Json::Object(_) | Json::Array(_)));
            let nested_url = |t: &str| t.to_ascii_lowercase().contains(":%2f%2f");
            Twice::Known { notes_may_differ: written.is_some_and(|w| (!json_doc(&text) && json_doc(w)) || nested_url(w)) }
        }
        equal => equal,
    };
    assert_twice(engine, &once, &text, twice);
}
