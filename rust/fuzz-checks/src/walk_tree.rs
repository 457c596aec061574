//! Arbitrary JSON-like events through the walk: the output nests no deeper
//! than the bound, each marker a bound writes counts as unchecked, no key
//! over the bound is written or shown in a path, the output is JSON, and
//! redacting it again (with its categories and notes) changes nothing.

use arbitrary::{Arbitrary, Unstructured};
use pii_core::json::{self, Json};
use crate::{assert_twice, event, Twice, long_keys, markers, nesting, redact_event, shipped, unchecked, Tree, FUZZ_DEPTH, MAX_TREE_DEPTH};

// The input: a JSON object (an event as a log line holds it), or else the
// bytes an arbitrary [`Tree`] is built of.
/// Panics unless `data` has the properties above.
pub fn check(data: &[u8]) {
    check_with(data, Twice::Equal);
}

/// [`check`], with "twice equals once" asserted as `twice` says.
pub fn check_with(data: &[u8], twice: Twice) {
    let engine = shipped();
    let parsed = std::str::from_utf8(data).ok().and_then(|text| json::parse(text, MAX_TREE_DEPTH).ok());
    let members = match parsed {
        Some(Json::Object(members)) => members,
        _ => match Tree::arbitrary_take_rest(Unstructured::new(data)) {
            Ok(tree) => event(&tree),
            Err(_) => return,
        },
    };
    let input = Json::Object(members.clone());
    let (redacted, run) = redact_event(engine, members, None);
    let output = Json::Object(redacted.members.clone());
    assert!(nesting(&output) <= FUZZ_DEPTH, "output nests {} deep", nesting(&output));
    let new_markers = markers(&output).saturating_sub(markers(&input));
    assert!(new_markers == 0 || unchecked(engine, &run) > 0, "{new_markers} markers written, none counted as unchecked");
    let (mut long_in, mut long_out) = (Vec::new(), Vec::new());
    long_keys(&input, &mut long_in);
    long_keys(&output, &mut long_out);
    let paths = run.found.as_deref().unwrap_or_default();
    for key in &long_in {
        assert!(!long_out.contains(key), "a key of {} bytes was written", key.len());
        assert!(!paths.iter().any(|f| f.path.contains(key)), "a key of {} bytes is in a path", key.len());
    }
    let text = output.to_text();
    assert!(json::is_valid(&text), "the output is not JSON");
    let twice = match twice {
        // Known open: a key holding URLs inside URLs (percent-encoded) is
        // read one level further on each pass, so the notes' paths differ.
        Twice::Known { .. } => Twice::Known { notes_may_differ: key_holds_url(&output) },
        equal => equal,
    };
    assert_twice(engine, &redacted, &input.to_text(), twice);
}

/// Whether a key anywhere in `value` holds a URL (`//`: with a scheme or without).
fn key_holds_url(value: &Json<'_>) -> bool {
    match value {
        Json::Array(items) => items.iter().any(key_holds_url),
        Json::Object(members) => members.iter().any(|(k, v)| k.contains("//") || key_holds_url(v)),
        _ => false,
    }
}
