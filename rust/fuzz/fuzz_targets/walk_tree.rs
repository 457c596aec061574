//! Arbitrary JSON-like events through the walk: the output nests no deeper
//! than the bound, each marker a bound writes counts as unchecked, no key
//! over the bound is written or shown in a path, the output is JSON, and
//! walking it again only replaces more of it by masks.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use pii_core::json::{self, Json};
use pii_core_fuzz::{event, is_subsequence, long_keys, outside_own_tokens, markers, nesting, shipped, unchecked, walk_event, Tree, FUZZ_DEPTH, MAX_TREE_DEPTH};

// The input: a JSON object (an event as a log line holds it), or else the
// bytes an arbitrary [`Tree`] is built of.
fuzz_target!(|data: &[u8]| {
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
    let (written, run) = walk_event(engine, members);
    let output = Json::Object(written);
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
    let Json::Object(again) = output else { unreachable!("an event is an object") };
    // Walked again, only more is replaced by masks (a mask can change the
    // words of a key that holds it: see scan_text); quotes aside, as a
    // number may become a string.
    let (again, _) = walk_event(engine, again);
    let again = Json::Object(again).to_text();
    let plain = |written: &str| outside_own_tokens(written).replace('"', "");
    assert!(is_subsequence(&plain(&again), &plain(&text)), "walking the output again wrote what was not there: {text} -> {again}");
});
