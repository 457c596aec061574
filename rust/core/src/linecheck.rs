//! What log lines hold: findings per line of a chunk (for `scan`), and one
//! rendered line checked and, when it leaks, redacted (for the guard).
//!
//! A JSON-object line is walked field by field as an event is (every value
//! of a key written twice is checked); any other line is one text under the
//! field `message`. A leak is a finding that the policy does not keep.
//! Findings name a target and a path, never a value (the guard's are given
//! values, for the fingerprints of its alerts, and never write them out).

use crate::act::Action;
use crate::engine::{Engine, Found, Run, Walk, CATEGORIES_KEY, SUMMARY_KEY};
use crate::json::{Json, Members};
use crate::lines::{self, Kind};
use crate::tree::ROOT;

/// The field a text line is read as.
pub const TEXT_FIELD: &str = "message";

/// A leak on a line of a chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineLeak {
    /// The line's index in the chunk.
    pub line: usize,
    pub target: u32,
    pub path: String,
}

/// How many lines of each kind a chunk held.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LineCounts {
    pub lines: usize,
    pub blank: usize,
    pub json: usize,
    pub text: usize,
    /// Lines with bytes that are not UTF-8 (read with U+FFFD).
    pub not_utf8: usize,
    /// Lines with NUL bytes (read like any other).
    pub binary: usize,
    /// Lines longer than the bound, read up to it.
    pub cut: usize,
}

impl LineCounts {
    /// Counts the line `body` (cut at the bound when `cut`), decoded.
    fn count(&mut self, body: &[u8], not_utf8: bool, cut: bool) {
        self.lines += 1;
        self.not_utf8 += usize::from(not_utf8);
        self.binary += usize::from(lines::is_binary(body));
        self.cut += usize::from(cut);
    }
}

/// The leaks of every line of `data` (a chunk; the lines listed in `cut`
/// were cut at the bound, and are read up to it as text).
pub fn check_chunk(engine: &Engine, data: &[u8], cut: &[usize]) -> (LineCounts, Vec<LineLeak>) {
    let mut counts = LineCounts::default();
    let mut leaks = Vec::new();
    let mut cuts = cut.iter().copied().peekable();
    for (index, line) in lines::split(data).enumerate() {
        let was_cut = cuts.next_if_eq(&index).is_some();
        let (text, not_utf8) = lines::decode(line.body);
        counts.count(line.body, not_utf8, was_cut);
        let kind = if was_cut { Kind::Text } else { lines::kind(&text) };
        match kind {
            Kind::Blank => {
                counts.blank += 1;
                continue;
            }
            Kind::Json(_) | Kind::DeepJson => counts.json += 1,
            Kind::Text => counts.text += 1,
        }
        let (_, run) = engine.walk(Run::new(false, true), |walk| walk_line(walk, &text, kind));
        for found in leaked(engine, run) {
            leaks.push(LineLeak { line: index, target: found.target, path: found.path });
        }
    }
    (counts, leaks)
}

/// One rendered line (or record: it may hold line breaks, and its ending
/// is kept): its leaks, with values (for alerts only), and with `redact`
/// the line as it may be written when it leaks: a JSON object compactly,
/// its members in order (our own after them: `pii_categories`, renewed,
/// only if it had them), a text with each finding replaced.
pub fn check_record(engine: &Engine, record: &str, redact: bool) -> (Vec<Found>, Option<String>) {
    check_record_as(engine, record, lines::kind(line_body(record)), redact)
}

/// A record without its line ending.
fn line_body(record: &str) -> &str {
    record.trim_end_matches(['\r', '\n'])
}

/// [`check_record`] of a record already read as `kind`.
fn check_record_as<'r>(engine: &Engine, record: &'r str, kind: Kind<'r>, redact: bool) -> (Vec<Found>, Option<String>) {
    let body = line_body(record);
    if kind == Kind::Blank {
        return (Vec::new(), None);
    }
    // Tags are written only into a leaking JSON line that had them.
    let tags = redact && matches!(&kind, Kind::Json(m) if m.iter().any(|(k, _)| k == CATEGORIES_KEY));
    let read_as_text = matches!(kind, Kind::Text);
    let (written, run) = engine.walk(Run::new(false, true), |walk| {
        let written = walk_line(walk, body, kind);
        if let (true, Written::Json(members, _)) = (tags && leaks_in(engine, &walk.run), &written) {
            walk.event_name_tags(members);
        }
        written
    });
    let categories = run.category_list();
    let found = leaked(engine, run);
    if found.is_empty() || !redact {
        return (found, None);
    }
    let mut out = match written {
        Written::Text(text) => text,
        Written::Json(mut members, own) => {
            if own.iter().any(|(k, _)| k == CATEGORIES_KEY) {
                let tags = categories.into_iter().map(|c| Json::Number(c.to_string().into())).collect();
                members.push((CATEGORIES_KEY.into(), Json::Array(tags)));
            }
            // Our own notes, as they were (the last of a key written twice, as a dict keeps it).
            for key in [SUMMARY_KEY, crate::engine::ERROR_KEY] {
                if let Some((k, v)) = own.iter().rev().find(|(k, _)| k == key) {
                    members.push((k.clone(), v.clone()));
                }
            }
            let mut out = String::with_capacity(record.len() + 32);
            Json::Object(members).write_to(&mut out);
            out
        }
    };
    out.push_str(&record[body.len()..]);
    // A text our masks made a JSON object (a raw control character or a
    // broken escape inside a value they replaced) is read as one when the
    // redacted line is read again: it is checked, and redacted, that way too.
    if read_as_text {
        let again_as = lines::kind(line_body(&out));
        if matches!(again_as, Kind::Json(_) | Kind::DeepJson) {
            let (more, again) = check_record_as(engine, &out, again_as, true);
            let mut found = found;
            found.extend(more);
            return (found, again.or(Some(out)));
        }
    }
    (found, Some(out))
}

/// What a line's walk wrote.
enum Written<'t> {
    Text(String),
    /// The members walked, and our own as they were.
    Json(Members<'t>, Members<'t>),
}

/// Walks one line of `text`, read as `kind` (for its leaks: an event's name, which gives only tags, is not read).
fn walk_line<'t>(walk: &mut Walk<'_>, text: &str, kind: Kind<'t>) -> Written<'t> {
    match kind {
        Kind::Json(members) => {
            let (out, own) = walk.json_event(members);
            Written::Json(out, own)
        }
        // Too deep to build: what its text holds is still found (at the
        // top, path ""), and the line counts as not wholly checked, as a
        // bound anywhere does.
        Kind::DeepJson => {
            walk.unsure(ROOT);
            Written::Text(walk.plain_text(ROOT, text).unwrap_or_else(|| text.to_string()))
        }
        Kind::Text | Kind::Blank => Written::Text(text_event(walk, text)),
    }
}

/// A text line, walked as the event `{"message": text}` (its tags are not
/// wanted: none is written); what it may be written as.
fn text_event(walk: &mut Walk<'_>, text: &str) -> String {
    let (out, _) = walk.json_event(vec![(TEXT_FIELD.into(), Json::String(text.into()))]);
    match out.into_iter().next() {
        Some((_, Json::String(s))) => s.into_owned(),
        // A rule that drops or rewrites the field: nothing of the text is written.
        _ => String::new(),
    }
}

/// Whether a run found a leak so far.
fn leaks_in(engine: &Engine, run: &Run) -> bool {
    run.found.as_ref().is_some_and(|found| found.iter().any(|f| engine.targets().get(f.target).action != Action::Keep))
}

/// The findings of a run that are leaks (what the policy does not keep).
fn leaked(engine: &Engine, run: Run) -> Vec<Found> {
    let mut found = run.found.unwrap_or_default();
    found.retain(|f| engine.targets().get(f.target).action != Action::Keep);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::act::Hasher;
    use crate::engine::default_targets;
    use crate::lines::Chunker;
    use crate::rules::RuleSet;

    fn engine() -> Engine {
        let rules = RuleSet::shipped().unwrap();
        let hasher = Hasher::new([("t1", b"a-test-key-that-is-long-enough".as_slice())]).unwrap();
        Engine::new(&rules, default_targets(&rules), hasher, 32).unwrap()
    }

    fn rules_of(engine: &Engine, leaks: &[LineLeak]) -> Vec<(usize, String, String)> {
        leaks.iter().map(|l| (l.line, engine.targets().get(l.target).rule.clone(), l.path.clone())).collect()
    }

    const EMAIL: &str = "anna.ozola@inbox.lv";

    #[test]
    fn every_value_of_a_key_written_twice_is_checked() {
        let e = engine();
        let line = format!(r#"{{"event": "paid", "email": "{EMAIL}", "email": "[REDACTED:email]"}}"#);
        let (_, leaks) = check_chunk(&e, line.as_bytes(), &[]);
        assert_eq!(rules_of(&e, &leaks), [(0, "email".into(), "email".into())]);
        let swapped = format!(r#"{{"event": "paid", "email": "[REDACTED:email]", "email": "{EMAIL}"}}"#);
        assert_eq!(check_chunk(&e, swapped.as_bytes(), &[]).1.len(), 1);
        let clean = r#"{"event": "paid", "email": "[REDACTED:email]", "email": "[REDACTED:email]"}"#;
        assert!(check_chunk(&e, clean.as_bytes(), &[]).1.is_empty());
    }

    /// json_lines (libFuzzer, seed 777): a line that is no JSON only for a
    /// raw NUL inside a value (an IBAN with NULs for its spaces) was read as
    /// text, where a key glued to a character that is no word character
    /// (`"vārds\u{FFFD}": "Anna"`) is no `key:`; the masked IBAN made the
    /// redacted line JSON, which a second read walked field by field, and
    /// there the key is a name field: the guard's line still leaked `Anna`.
    #[test]
    fn a_text_line_our_masks_make_json_is_checked_as_json_too() {
        let e = engine();
        let rules = |found: &[Found]| found.iter().map(|f| e.targets().get(f.target).rule.clone()).collect::<Vec<_>>();
        let line = "{\"c\": {\"v\u{101}rds\u{FFFD}\": \"Anna\", \"iban\": \"LV80BANK00\0\x0000435195001\"}}\n";
        assert_eq!(lines::kind(line.trim_end()), Kind::Text);
        let (found, out) = check_record(&e, line, true);
        let out = out.expect("a leaking line is redacted");
        assert_eq!(rules(&found), ["bank_account", "person_name"], "{out}");
        assert!(!out.contains("Anna") && out.ends_with('\n'), "{out}");
        assert!(check_record(&e, &out, false).0.is_empty(), "{out}");
        // Look-alike: the same line with a space for the NULs is JSON from the
        // start, and gives the same findings.
        let json = line.replace("\0\0", " ");
        let mut same = rules(&check_record(&e, &json, true).0);
        same.sort();
        assert_eq!(same, ["bank_account", "person_name"]);
        // And a text that our masks do not make JSON is read once, as text.
        let (found, out) = check_record(&e, "note \"v\u{101}rds\u{FFFD}\": \"Anna\" iban LV80BANK0000435195001", true);
        assert_eq!((rules(&found), out.as_deref()), (vec!["iban".to_string()], Some("note \"v\u{101}rds\u{FFFD}\": \"Anna\" iban [REDACTED:iban:..5001]")));
    }

    #[test]
    fn nul_and_control_bytes_are_characters_and_bad_utf8_is_replaced() {
        let e = engine();
        let data = format!(
            "{{\"event\": \"x\\u0000\", \"email\": \"{EMAIL}\"}}\nraw\0nul then {EMAIL}\n\x1b[31mred\x1b[0m {EMAIL}\n"
        );
        let mut data = data.into_bytes();
        data.extend_from_slice(b"\xff\xfe code 161175-19997\n\n   \n");
        let (counts, leaks) = check_chunk(&e, &data, &[]);
        assert_eq!(
            rules_of(&e, &leaks),
            [
                (0, "email".into(), "email".into()),
                (1, "email".into(), "message".into()),
                (2, "email".into(), "message".into()),
                (3, "personal_code_lv".into(), "message".into()),
            ]
        );
        let expected = LineCounts { lines: 6, blank: 2, json: 1, text: 3, not_utf8: 1, binary: 1, cut: 0 };
        assert_eq!(counts, expected);
    }

    #[test]
    fn a_cut_line_is_checked_up_to_the_bound() {
        let e = engine();
        let long = format!("{{\"note\": \"mail {EMAIL} {}\"}}\n{{\"ok\": 1}}\n", "x".repeat(100));
        let mut chunker = Chunker::new(40, 1 << 20);
        let mut chunks = chunker.push(long.as_bytes());
        chunks.extend(chunker.finish());
        let c = &chunks[0];
        assert_eq!(c.cut, vec![0]);
        let (counts, leaks) = check_chunk(&e, &c.data, &c.cut);
        assert_eq!((counts.cut, counts.text, counts.json), (1, 1, 1));
        assert_eq!(rules_of(&e, &leaks), [(0, "email".into(), "message".into())]);
        // Past the bound, nothing is read.
        let late = format!("{{\"note\": \"{} {EMAIL}\"}}\n", "x".repeat(100));
        let mut chunker = Chunker::new(40, 1 << 20);
        let mut chunks = chunker.push(late.as_bytes());
        chunks.extend(chunker.finish());
        assert!(check_chunk(&e, &chunks[0].data, &chunks[0].cut).1.is_empty());
    }

    #[test]
    fn a_line_too_deep_to_build_counts_as_unchecked_and_its_text_is_read() {
        let e = engine();
        let deep = format!("{{\"a\":{}\"{EMAIL}\"{}}}", "[".repeat(300), "]".repeat(300));
        let (counts, leaks) = check_chunk(&e, deep.as_bytes(), &[]);
        assert_eq!(counts.json, 1);
        let rules: Vec<String> = rules_of(&e, &leaks).into_iter().map(|(_, r, _)| r).collect();
        assert!(rules.contains(&"unchecked".to_string()) && rules.contains(&"email".to_string()), "{rules:?}");
    }

    #[test]
    fn our_own_fields_are_not_walked_and_kept_tags_are_not_leaks() {
        let e = engine();
        let line = r#"{"event": "request finished", "trace_id": "2e7abed5658ef30d856980bb0977e471", "pii_categories": [12], "pii_error": "x"}"#;
        assert!(check_chunk(&e, line.as_bytes(), &[]).1.is_empty());
    }

    #[test]
    fn a_leaking_record_is_redacted_with_its_ending_and_our_fields_after() {
        let e = engine();
        let record = format!("{{\"pii_categories\": [12], \"event\": \"paid\", \"n\": 1.50, \"customer\": {{\"email\": \"{EMAIL}\"}}}}\r\n");
        let (found, out) = check_record(&e, &record, true);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value.as_deref(), Some(EMAIL));
        assert_eq!(out.unwrap(), "{\"event\":\"paid\",\"n\":1.50,\"customer\":{\"email\":\"[REDACTED:email]\"},\"pii_categories\":[2,12]}\r\n");
        let (found, out) = check_record(&e, &format!("login {EMAIL}\n"), true);
        assert_eq!((found.len(), out.as_deref()), (1, Some("login [REDACTED:email]\n")));
        let (found, out) = check_record(&e, &format!("login {EMAIL}"), false);
        assert_eq!((found.len(), out), (1, None));
        assert_eq!(check_record(&e, "{\"event\": \"ok\"}\n", true), (Vec::new(), None));
        assert_eq!(check_record(&e, "\n", true), (Vec::new(), None));
    }
}
