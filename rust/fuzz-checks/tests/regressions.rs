//! Inputs the fuzz targets and the corpus mutations found, each kept as a
//! test of what went wrong (the reproducing inputs are also in the
//! corpora); see also `rust/core/tests/fuzz_regressions.rs`.

use std::borrow::Cow;

use pii_core::act::Action;
use pii_core::json::{self, Json, Members};
use pii_core_checks::{assert_twice_equals_once, redact_event, shipped, Redacted};

fn event(text: &str) -> Members<'static> {
    // A test's few events live as long as it does.
    let text: &'static str = Box::leak(text.to_string().into_boxed_str());
    match json::parse(text, 32).expect("JSON") {
        Json::Object(members) => members,
        other => panic!("not an object: {other:?}"),
    }
}

fn once(text: &str) -> Redacted<'static> {
    redact_event(shipped(), event(text), None).0
}

fn written(r: &Redacted<'_>) -> String {
    Json::Object(r.members.clone()).to_text()
}

/// walk_tree `second-walk-reads-key-words`: a key whose name held an
/// e-mail address and a first name was read by its words with the values
/// in them (last word "līga", no field); written with masks, a second
/// pass read it as ending in "vārds" (a first name) and hashed what is
/// under it. The key's words are now those of the key as written.
#[test]
fn a_key_holding_our_masks_reads_the_same_on_every_pass() {
    let e = shipped();
    let key = r#"{\"customer\": {\"email\": \"liga.kalnina@pasts.lv\", \"vārds\": \"Līga\"}}"#;
    let first = once(&format!(r#"{{"{key}": {{"x": {{"161e": "98"}}, "46": 6.2e-322}}}}"#));
    let out = written(&first);
    assert!(!out.contains("liga.kalnina") && !out.contains("Līga") && !out.contains("\"98\"") && !out.contains("6.2e-322"), "{out}");
    assert_twice_equals_once(e, &first, &key);
    // Look-alike: a key of the same words without values in it is read by them.
    let plain = once(r#"{"customer email vārds": {"x": "98"}, "customer email note": {"x": "98"}}"#);
    let out = written(&plain);
    assert!(out.contains(r#""customer email note":{"x":"98"}"#) && !out.contains(r#"vārds":{"x":"98"}"#), "{out}");
    assert_twice_equals_once(e, &plain, &"plain keys");
}

/// walk_tree `login.json`: a dropped field's note (`password`) was left
/// out on a second pass, whose walk cannot meet a key that is gone.
#[test]
fn a_dropped_fields_note_stands_on_a_second_pass() {
    let e = shipped();
    let first = once(r#"{"event":"login","user":"janis","password":"Slepens1","nested":{"parole":"x1"}}"#);
    let dropped: Vec<_> = first.notes.iter().filter(|n| n.2 == Action::Drop).map(|n| n.0.as_str()).collect();
    assert_eq!(dropped, ["password", "nested.parole"]);
    assert_twice_equals_once(e, &first, &"login");
    // Look-alike: a note of a drop whose path is no dropped field is not ours.
    let secret = first.notes.iter().find(|n| n.0 == "password").expect("the note").1;
    let forged = vec![("note".to_string(), secret, Action::Drop, 1)];
    let (again, _) = redact_event(e, event(r#"{"event":"login"}"#), Some((&[16], &forged)));
    assert!(again.notes.is_empty(), "{:?}", again.notes);
}

/// scan_text `regression-url-in-own-mask`: the URL rule stopped at our
/// own token in the user name, so a second pass read the masked URL from
/// its path only (`url_path_query`) and noted one tag more.
#[test]
fn a_url_holding_our_tokens_is_read_as_one_url_again() {
    let e = shipped();
    for text in [
        "GET https://janis:sleve@senpikals.example.lv/klienti/161175-19997?email=anna.ozola%40inb2",
        "GET https://janis:slepens@veikals.example.lv/klienti/161175-19997?email=anna.ozola%40inbox.lv&redirect_uri=https%3A%2F%2Fx.lv%2F%3Fe%3Dliga%40pasts.lv 302",
        "http://85.254.12.7/a?ip=85.254.12.8 done",
    ] {
        let first = redact_event(e, vec![(Cow::Borrowed("message"), Json::String(Cow::Borrowed(text)))], None).0;
        assert!(!written(&first).contains("janis"), "{}", written(&first));
        assert_twice_equals_once(e, &first, &text);
    }
    // Look-alike: other text in brackets still ends a URL.
    let first = once(r#"{"message": "see https://x.example.lv/a[anna.ozola@inbox.lv] now"}"#);
    assert!(!written(&first).contains("anna.ozola"), "{}", written(&first));
    assert_twice_equals_once(e, &first, &"brackets");
}

/// Corpus mutations (walk_tree): a URL in a key notes its user name and
/// password at the top (path ""), which no walk "meets", so a second pass
/// left those notes out.
#[test]
fn notes_at_the_top_stand_on_a_second_pass() {
    let e = shipped();
    let first = once(r#"{"event":"login","urhttps://janis:slepens@x.example.lv/a?email=a%40b.lvl":"x","user":"janis"}"#);
    assert!(first.notes.iter().any(|n| n.0.is_empty()), "{:?}", first.notes);
    assert!(!written(&first).contains("slepens") && !written(&first).contains("a%40b.lv"), "{}", written(&first));
    assert_twice_equals_once(e, &first, &"a URL in a key");
}

/// Corpus mutations (walk_tree): the marker of a key over the bound, met
/// again, was read as an ordinary key, so a password field under it was
/// dropped (and an `email` field tagged) on the second pass only.
#[test]
fn the_long_key_marker_is_read_as_the_long_key_was() {
    let e = shipped();
    let long = "k".repeat(1100);
    let first = once(&format!(r#"{{"{long}": {{"parole": "x1", "email": "a", "n": 5, "sub": {{"vārds": "Anna"}}}}}}"#));
    assert_eq!(
        written(&first),
        r#"{"[REDACTED:long_key]":{"parole":"[REDACTED:unchecked]","email":"[REDACTED:unchecked]","n":"[REDACTED:unchecked]","sub":{"vārds":"[REDACTED:unchecked]"}}}"#
    );
    assert_twice_equals_once(e, &first, &"under a long key");
    // Met as it is, it counts nothing as unchecked: what is under it is ours already.
    let (_, run) = redact_event(e, event(r#"{"[REDACTED:long_key]": {"parole": "[REDACTED:unchecked]"}}"#), None);
    assert_eq!(pii_core_checks::unchecked(e, &run), 0);
    // Look-alike: anything else under it is replaced and counted as unchecked.
    let (again, run) = redact_event(e, event(r#"{"[REDACTED:long_key]": {"note": "anna.ozola@inbox.lv"}}"#), None);
    assert_eq!((written(&again).as_str(), pii_core_checks::unchecked(e, &run)), (r#"{"[REDACTED:long_key]":{"note":"[REDACTED:unchecked]"}}"#, 1));
}

/// Corpus mutations (walk_tree): a key just under the bound that its
/// masks made longer than it was written masked; a second pass read it as
/// over the bound. It is now over the bound on the first pass too.
#[test]
fn a_key_that_its_masks_make_too_long_is_a_long_key() {
    let e = shipped();
    let names = "Līga ".repeat(150); // 900 bytes; a hash is longer than a name
    let key = format!("vārds {names}");
    assert!(key.len() <= 1024);
    let first = once(&format!(r#"{{"{key}": {{"x": "1"}}, "ok": "yes"}}"#));
    assert_eq!(written(&first), r#"{"[REDACTED:long_key]":{"x":"[REDACTED:unchecked]"},"ok":"yes"}"#);
    assert_twice_equals_once(e, &first, &"a key made long");
    // Look-alike: a key whose masks keep it under the bound is written masked.
    let short = once(r#"{"vārds Līga Kalniņa": {"x": "1"}}"#);
    assert!(!written(&short).contains("long_key") && !written(&short).contains("Līga"), "{}", written(&short));
    assert_twice_equals_once(e, &short, &"a short key");
}

/// scan_text (libFuzzer, four inputs in the corpus): a query value whose
/// `%40` was decoded for the scan was written back with a bare `@`, so a
/// second pass read what stood before it as a user name and password.
#[test]
fn a_redacted_url_piece_keeps_its_at_sign_encoded() {
    let e = shipped();
    let text = "GET https://janis:s97?e=al.ozola%40inv/k/x?email=anna.ozola%40inbox.lv end";
    let first = redact_event(e, vec![(Cow::Borrowed("message"), Json::String(Cow::Borrowed(text)))], None).0;
    let out = written(&first);
    assert!(!out.contains("anna.ozola") && !out.contains("ozola@inv"), "{out}");
    assert_twice_equals_once(e, &first, &text);
}

/// walk_tree (libFuzzer): nesting past the bound under a personal field
/// (`phone`) was written as the marker without the field's category; a
/// second pass read the marker as our mask of a phone and tagged it.
#[test]
fn a_bounds_marker_under_a_field_tags_nothing_again() {
    let e = shipped();
    let deep = format!(r#"{{"phone": {}1{}, "ok": "yes"}}"#, "[".repeat(20), "]".repeat(20));
    let first = once(&deep);
    assert!(written(&first).contains("[REDACTED:too_deep]"), "{}", written(&first));
    assert_twice_equals_once(e, &first, &"deep under phone");
    // Look-alike: our mask of a phone under the field still tags it.
    let masked = once(r#"{"phone": "[REDACTED:phone:..56]"}"#);
    assert_eq!(masked.categories, [2]);
}

/// scan_text mutations: a card number glued inside a surname
/// (`Jānis Bē4111 1111 1111 1111rziņš`) made no name on the first pass
/// (`Bē` is glued to digits); the second pass saw our mask there, blanked
/// to `|`, which ended the word, and hashed `Jānis Bē`. Our masks are
/// blanked to digits for the name finder now.
#[test]
fn a_word_glued_to_our_mask_reads_as_glued_to_what_it_replaced() {
    let e = shipped();
    let text = "paid by Jānis Bē4111 1111 1111 1111rziņš";
    let first = once(&format!(r#"{{"note": "{text}"}}"#));
    let out = written(&first);
    assert!(!out.contains("4111 1111"), "{out}");
    assert_twice_equals_once(e, &first, &"note");
}

/// json_lines mutations (`PII_FUZZ_MUTATIONS=3000`): an e-mail address
/// with a personal code run into it was found only once the code was
/// masked, so the first pass wrote the address out. The address now ends
/// at its domain's letters when digits are glued after them.
#[test]
fn an_address_with_a_number_run_into_it_is_found_on_the_first_pass() {
    let e = shipped();
    let first = once(r#"{"note": "anna.ozola@inbox.lv161175-19997"}"#);
    let out = written(&first);
    assert!(!out.contains("anna.ozola") && !out.contains("161175-19997"), "{out}");
    assert_twice_equals_once(e, &first, &"note");
}

/// walk_tree (libFuzzer): a note whose path, joined from keys, reads as
/// personal data (`anna.ozola@iner` + `.email` reads as an address) was
/// taken on a second pass for a forged note (a note whose path holds
/// anything a rule acts on is not ours) and left out. A note of a path
/// that this walk meets (made of the keys as written) is ours whatever
/// it reads as; one it does not meet is still left out.
#[test]
fn a_note_whose_joined_path_reads_as_personal_data_stands_on_a_second_pass() {
    let e = shipped();
    let first = once(r#"{"anna.ozola@iner": {"email": "liga.kalnina@pasts.lv", "n": 1}, "ok": "yes"}"#);
    assert!(first.notes.iter().any(|n| n.0 == "anna.ozola@iner.email"), "{:?}", first.notes);
    assert!(!written(&first).contains("liga.kalnina"), "{}", written(&first));
    assert_twice_equals_once(e, &first, &"a joined path");
    // A dropped field under such keys: its note stands too (the field is gone).
    let dropped = once(r#"{"anna": {"ozola@inbox": {"lv": {"password": "Slepens1"}}}}"#);
    assert!(dropped.notes.iter().any(|n| n.0 == "anna.ozola@inbox.lv.password"), "{:?}", dropped.notes);
    assert_twice_equals_once(e, &dropped, &"a dropped field under a joined path");
    // A dropped field whose key holds dots (or a mask with dots in it): its
    // note stands though its path does not split into its keys at the dots.
    let dotted = once(r#"{"a": {"1.2 password": "x", "password [REDACTED:phone:..56] 161175-19997": "y"}, "b": {"n": 1}}"#);
    assert_eq!(dotted.notes.iter().filter(|n| n.2 == Action::Drop).count(), 2, "{:?}", dotted.notes);
    assert_twice_equals_once(e, &dotted, &"dropped fields with dots in their keys");
    // Look-alike: forged notes holding personal data in their paths are left
    // out: a path the event does not have, a dropped field under keys it does
    // not have, a dropped field whose own key holds the value.
    let secret = dropped.notes[0].1;
    let email = first.notes.iter().find(|n| n.0 == "anna.ozola@iner.email").expect("the note").1;
    let forged = vec![
        ("anna.ozola@inbox.lv".to_string(), email, Action::Mask, 1),
        ("anna.ozola@inbox.lv.password".to_string(), secret, Action::Drop, 1),
        ("anna.ozola@iner.password 161175-19997".to_string(), secret, Action::Drop, 1),
    ];
    // (that key is a dropped field, shown masked in our own note of it)
    let own = once(r#"{"anna.ozola@iner": {"password 161175-19997": "x"}}"#);
    assert!(written(&own) == r#"{"anna.ozola@iner":{}}"# && own.notes.iter().all(|n| !n.0.contains("161175")), "{:?}", own.notes);
    assert_twice_equals_once(e, &own, &"a dropped field whose key holds a value");
    let (again, _) = redact_event(e, event(r#"{"event":"login","anna.ozola@iner":{"n":1}}"#), Some((&[], &forged)));
    assert!(again.notes.is_empty(), "{:?}", again.notes);
}

/// walk_tree (corpus mutations): a key just under the bound holding a URL,
/// which its masks made longer than the bound, was written as the long-key
/// marker, but the URL's parts had been noted (and tagged) already: a
/// second pass, meeting the marker, noted none of them. A key made long is
/// now decided as one over the bound from the start: what it held is unchecked.
#[test]
fn a_url_in_a_key_made_too_long_notes_nothing() {
    let e = shipped();
    let url = "https://janis:slepens@x.example.lv/a?email=a%40b.lv&tel=29123456";
    let pad = "Līga ".repeat((1000 - url.len()) / 6);
    let key = format!("vārds {pad}{url}");
    assert!(key.len() <= 1024, "{}", key.len());
    let first = once(&format!(r#"{{"{key}": {{"x": "1"}}, "ok": "yes"}}"#));
    assert_eq!(written(&first), r#"{"[REDACTED:long_key]":{"x":"[REDACTED:unchecked]"},"ok":"yes"}"#);
    assert!(first.notes.iter().all(|n| n.0.starts_with("[REDACTED:long_key]")), "{:?}", first.notes);
    assert_twice_equals_once(e, &first, &"a URL in a key made long");
    // Look-alike: the same URL in a short key is read part by part.
    let short = once(&format!(r#"{{"vārds {url}": {{"x": "1"}}}}"#));
    assert!(short.notes.iter().any(|n| n.0.is_empty()) && !written(&short).contains("slepens"), "{:?}", short.notes);
    assert_twice_equals_once(e, &short, &"a URL in a short key");
}

/// walk_tree (corpus mutations): a dropped field whose key held a URL
/// noted the URL's query under the field's parent (`m.email`); a second
/// pass, which cannot meet the dropped key, had none of those notes. What
/// a URL in a dropped key held is not noted (the key is not written).
#[test]
fn a_url_in_a_dropped_key_notes_nothing_of_its_query() {
    let e = shipped();
    let first = once(r#"{"m": {"https://janis:slepens@x.example.lv/a?email=a%40b.lv password": "x", "n": 1}}"#);
    assert_eq!(written(&first), r#"{"m":{"n":1}}"#);
    assert!(first.notes.iter().all(|n| n.2 == Action::Drop), "{:?}", first.notes);
    assert_twice_equals_once(e, &first, &"a URL in a dropped key");
    // Look-alike: the same URL in a key that is not dropped is read part by part.
    let kept = once(r#"{"m": {"note https://janis:slepens@x.example.lv/a?email=a%40b.lv": "x"}}"#);
    assert!(kept.notes.iter().any(|n| n.0 == "m.email") && !written(&kept).contains("slepens"), "{:?}", kept.notes);
    assert_twice_equals_once(e, &kept, &"a URL in a key");
}

/// Look-alike of the notes of dropped fields (tests/test_native_defects.py
/// too): a forged note whose path is a dropped field's key holding its
/// value (`password=hunter2`) is not written, whatever its action; our own
/// note of that field shows the key masked, and stands.
#[test]
fn a_forged_note_of_a_dropped_key_holding_its_value_is_left_out() {
    let e = shipped();
    let own = once(r#"{"password=hunter2": "x", "n": 1}"#);
    assert!(own.notes.iter().all(|n| !n.0.contains("hunter2")) && !own.notes.is_empty(), "{:?}", own.notes);
    assert_twice_equals_once(e, &own, &"a dropped key holding its value");
    let secret = own.notes[0].1;
    let email = once(r#"{"email": "anna.ozola@inbox.lv"}"#).notes[0].1;
    for forged in [("password=hunter2".to_string(), secret, Action::Drop, 1), ("password=hunter2".to_string(), email, Action::Mask, 1)] {
        let (again, _) = redact_event(e, event(r#"{"n": 1}"#), Some((&[], std::slice::from_ref(&forged))));
        assert!(again.notes.is_empty(), "{forged:?}: {:?}", again.notes);
    }
}

/// json_lines `regression-libfuzzer-89e972c76061` (the first 15 s run in
/// `.ci/run`'s settings): with a bound of 1 byte, the input's last line,
/// without an ending and starting with a character of 2 or 3 bytes, was
/// cut to nothing; counted as a line and listed as cut, it left no byte in
/// its chunk, so the chunk's lines were one fewer than counted. A bound
/// under `MIN_LINE` (4 bytes, a character of any width) is taken as 4.
#[test]
fn a_last_line_cut_at_a_bound_shorter_than_its_first_character_is_kept() {
    use pii_core::lines::{self, Chunker, MIN_LINE};
    let input = "ok\nĀbols".as_bytes();
    for max_line in [0, 1, 2, 3] {
        let mut chunker = Chunker::new(max_line, 1 << 20);
        let mut chunks = chunker.push(input);
        chunks.extend(chunker.finish());
        let [chunk] = &chunks[..] else { panic!("{chunks:?}") };
        let bodies: Vec<&[u8]> = lines::split(&chunk.data).map(|l| l.body).collect();
        assert_eq!((bodies, &chunk.cut, chunker.lines_seen()), (vec![&b"ok"[..], "Ābo".as_bytes()], &vec![1], 2), "bound {max_line}");
        let bounded = lines::bound(input, max_line).expect("a line over the bound");
        assert_eq!((bounded.data, bounded.cut), (chunk.data.clone(), chunk.cut.clone()), "bound {max_line}");
    }
    // Look-alike: a bound of MIN_LINE or more cuts where it says.
    let mut chunker = Chunker::new(MIN_LINE + 1, 1 << 20);
    let mut chunks = chunker.push(input);
    chunks.extend(chunker.finish());
    assert_eq!((chunks[0].data.as_slice(), chunks[0].cut.as_slice()), ("ok\nĀbol".as_bytes(), &[1][..]));
    pii_core_checks::json_lines::check(include_bytes!("../../fuzz/corpus/json_lines/regression-libfuzzer-89e972c76061"));
}

/// scan_text mutations (README Reliability, the first of the kinds once
/// open): a rule's context window was counted over the text as it stood, so
/// a mask shorter than the value it replaced brought a context word into
/// reach on a second pass only (the phone after `zvans no` and a long
/// e-mail address was written out once, masked the next time). Findings
/// and our masks now count as one blank each in a window, on every pass.
#[test]
fn a_context_window_reaches_as_far_over_a_mask_as_over_its_value() {
    let e = shipped();
    for text in [
        "zvans no +371anna.ozola@inbox.lv 29 123 456",
        "zvans no anna.ozola.berzina@inbox.lv 29 123 456",
        "tālr. [REDACTED:email] 29123456",
    ] {
        let first = once(&format!(r#"{{"message": {}}}"#, Json::String(Cow::Borrowed(text)).to_text()));
        assert!(!written(&first).contains("29 123 456") && !written(&first).contains("29123456"), "{text}: {}", written(&first));
        assert_twice_equals_once(e, &first, &text);
    }
    // Look-alike: with no context word before it, a bare 8-digit number stays.
    let plain = once(r#"{"message": "order anna.ozola@inbox.lv 29123456"}"#);
    assert!(written(&plain).contains("29123456"), "{}", written(&plain));
    assert_twice_equals_once(e, &plain, &"no context word");
}

/// scan_text mutations (the kinds once open, README Reliability): a card
/// written in groups at the end of a URL's path ended the URL at its first
/// space, and the groups after it were too short to be a card, so the
/// number was written out; the URL now runs over such a value, as a second
/// pass reads it once the value is one mask. A query whose value the first
/// pass wrote percent-encoded (`/` as `%2F`) was read on a second pass as
/// a password up to a later `@`; and an address percent-encoded in text
/// that is no URL we take apart (`redirect_uri=…%3Dliga%40pasts.lv` after a
/// host without a scheme) was written out on every pass.
#[test]
fn a_url_runs_over_a_card_in_groups_and_encoded_addresses_are_found() {
    let e = shipped();
    for (text, planted) in [
        ("GET https://shop.example.lv/p/4111 1111 1111 1111?token=abcdef123456&email=anna%40inbox.lv 200", "1111 1111"),
        ("https://shop.example.lv/p/4111 1111 1111 1111 paid", "1111 1111"),
        ("GET veikals.example.lv/k?email=anna.ozola%40inbox.lv&redirect_uri=https%3A%2F%2Fx.lv%2F%3Fe%3Dliga%40pasts.lv 302", "liga"),
        ("GET https://shop.example.lv:8443?q=a+b/anna.ozola@inbox.lv&x=k@z 200", "anna.ozola"),
    ] {
        let first = once(&format!(r#"{{"message": {}}}"#, Json::String(Cow::Borrowed(text)).to_text()));
        assert!(!written(&first).contains(planted), "{text}: {}", written(&first));
        assert_twice_equals_once(e, &first, &text);
    }
    // Look-alikes: numbers after a URL that make no value stay, and so does the URL's host.
    let plain = once(r#"{"message": "GET https://x.example.lv/orders/123 200 15ms, 100%40 EUR"}"#);
    assert_eq!(written(&plain), r#"{"message":"GET https://x.example.lv/orders/123 200 15ms, 100%40 EUR"}"#);
    let port = once(r#"{"message": "GET https://shop.example.lv:8443?q=a+b/anna.ozola@inbox.lv&x=k@z 200"}"#);
    assert!(written(&port).contains("shop.example.lv:8443"), "{}", written(&port));
}
