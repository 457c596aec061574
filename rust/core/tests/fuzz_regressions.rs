//! Inputs the fuzz targets (`rust/fuzz`) found, each kept as a test of what
//! went wrong; the reproducing inputs are also in the targets' seed corpora.

use std::borrow::Cow;

use pii_core::act::Hasher;
use pii_core::engine::{default_targets, Engine, Run, LONG_KEY, MAX_KEY_BYTES, UNCHECKED_RULE};
use pii_core::json::{self, Json, Members};
use pii_core::rules::RuleSet;

fn engine() -> Engine {
    let rules = RuleSet::shipped().expect("shipped rules");
    let hasher = Hasher::new([("fz1", b"a-fuzzing-key-of-enough-length".as_slice())]).expect("key");
    Engine::new(&rules, default_targets(&rules), hasher, 32).expect("engine")
}

/// An event walked: the members written, and the paths of its unchecked findings.
fn walk<'j>(engine: &Engine, members: Members<'j>) -> (Members<'j>, Vec<String>) {
    let ((written, _), run) = engine.walk(Run::new(false, true), |walk| walk.json_event(members));
    let unchecked = run.found.unwrap_or_default().into_iter().filter(|f| engine.targets().get(f.target).rule == UNCHECKED_RULE);
    (written, unchecked.map(|f| f.path).collect())
}

fn redact(engine: &Engine, text: &str) -> String {
    let (written, _) = walk(engine, vec![("message".into(), Json::String(text.into()))]);
    match &written[..] {
        [(_, Json::String(s))] => s.to_string(),
        other => panic!("message written as {other:?}"),
    }
}

/// scan_text: a URL whose credentials were our own token matched up to the
/// last `]` of the mask in its query, so each pass wrote one `]` more.
#[test]
fn a_url_ending_in_our_own_mask_is_left_as_it_is() {
    let e = engine();
    let found = "GET https://janis:sleve@senpikals.example.lv/klienti/161175-19997?email=anna.ozola%40inb2";
    let once = redact(&e, found);
    assert!(!once.contains("janis:sleve") && !once.contains("161175-19997") && once.ends_with("?email=[REDACTED:email]"), "{once}");
    assert_eq!(redact(&e, &once), once);
    for written in [
        "https://[HASH:fz1:c55eec975c7474f07115]@x.example.lv/?email=[REDACTED:email]",
        "https://x.example.lv/[HASH:fz1:f0e58b57e33c24540f32]?email=[REDACTED:email]",
        "see https://x.example.lv/a?email=[REDACTED:email] and /b?q=[REDACTED:email]",
    ] {
        assert_eq!(redact(&e, written), written);
    }
    // Look-alike: a mask that is not ours ends nothing, and what it holds is read.
    let other = redact(&e, "https://x.example.lv/a?email=[NOTE:anna.ozola@inbox.lv]");
    assert!(!other.contains("anna.ozola@inbox.lv"), "{other}");
}

/// walk_tree: a key over the bound whose value was null (or empty) was
/// written as the marker but not counted as unchecked.
#[test]
fn a_long_key_counts_as_unchecked_once_whatever_its_value() {
    let e = engine();
    let long = "vārds ".repeat(200);
    assert!(long.len() > MAX_KEY_BYTES);
    for value in ["null", "\"\"", "true", "[]", "{}", "\"Jānis\"", "16117519997", "1.5"] {
        let value = json::parse(value, 8).expect("JSON");
        let (written, unchecked) = walk(&e, vec![(Cow::Borrowed(long.as_str()), value.clone())]);
        assert_eq!(written[0].0, LONG_KEY, "{value:?}");
        assert_eq!(unchecked, [LONG_KEY], "{value:?}");
    }
    // Met twice, counted twice; nested values under it are counted too.
    let nested = json::parse(r#"{"e": "x"}"#, 8).expect("JSON");
    let twice = vec![(Cow::Borrowed(long.as_str()), Json::Null), (Cow::Borrowed(long.as_str()), nested)];
    assert_eq!(walk(&e, twice).1, [LONG_KEY, LONG_KEY, &format!("{LONG_KEY}.e")]);
    // Look-alike: a key just at the bound is read.
    let at_bound = "k".repeat(MAX_KEY_BYTES);
    let (written, unchecked) = walk(&e, vec![(Cow::Borrowed(at_bound.as_str()), Json::Null)]);
    assert_eq!((written[0].0.as_ref(), unchecked.len()), (at_bound.as_str(), 0));
}

/// scan_text: a URL piece written again had its non-ASCII characters
/// percent-encoded, so a second pass found an address where the first read
/// none: `s@v.GEΣ_` became `s%40v.GE%CE%A3_` (the domain ended at the
/// escape), `\u{fffd}@v.GE` became `%EF%BF%BD%40v.GE` (the escape read as
/// a local part). Such characters are now written as they are.
#[test]
fn a_url_piece_written_again_keeps_its_non_ascii_characters() {
    let e = engine();
    for text in [
        "/#s@v.GEΣ_?oz://%40",
        "/#\u{fffd}@v.GE?ai://%@",
        "GET /pasūtījumi#rēķins@veikals.lvΣ_?atpakaļ=https://%40 200",
        "GET /pasūtījumi#rēķins\u{fffd}@veikals.lv?atpakaļ=https://%40 200",
    ] {
        let once = redact(&e, text);
        assert!(!once.contains("%CE%A3") && !once.contains("%C4%") && !once.contains("%EF%BF%BD"), "{once}");
        assert_eq!(redact(&e, &once), once, "{text}");
    }
    // What would end a URL or read as a separator is still encoded.
    let once = redact(&e, "https://x.lv/a?q=anna%40inbox.lv%C2%A0b%E2%80%A8c");
    assert_eq!(once, "https://x.lv/a?q=[REDACTED:email]%C2%A0b%E2%80%A8c");
}
