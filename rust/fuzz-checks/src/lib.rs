//! The properties the fuzz targets in `rust/fuzz` assert, one module a
//! target (`check` panics on an input that breaks them), and what they
//! share: the engine of the shipped rules, the checks every finding must
//! pass, and a generator of JSON-like events. The committed corpora are
//! replayed through the same checks by this crate's tests (stable Rust).

use std::borrow::Cow;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use pii_core::act::{Action, Hasher};
use pii_core::engine::{default_targets, CATEGORIES_KEY, Engine, Run, LONG_KEY, MAX_KEY_BYTES, TOO_DEEP, TOO_LARGE, UNCHECKED_RULE};
use pii_core::json::{Json, Members};
use pii_core::rules::{RuleError, RuleSet};

pub mod json_lines;
pub mod mutate;
pub mod rules_toml;
pub mod scan_text;
pub mod walk_tree;

/// The nesting the fuzzed engine follows: small, so that the bound is met often.
pub const FUZZ_DEPTH: usize = 12;

/// A hasher with a fixed test key.
pub fn hasher() -> Hasher {
    Hasher::new([("fz1", b"a-fuzzing-key-of-enough-length".as_slice())]).expect("a valid test key")
}

/// An engine of `rules` with their own actions (the categories' defaults otherwise).
pub fn compile(rules: &RuleSet, max_depth: usize) -> Result<Engine, RuleError> {
    Engine::new(rules, default_targets(rules), hasher(), max_depth)
}

/// The engine of the shipped rules, built once per process.
pub fn shipped() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| compile(&RuleSet::shipped().expect("shipped rules parse"), FUZZ_DEPTH).expect("shipped rules compile"))
}

/// Panics unless every span lies inside `text` on character boundaries, in order, not overlapping.
pub fn assert_spans(text: &str, spans: impl IntoIterator<Item = (usize, usize)>) {
    let mut last = 0;
    for (start, end) in spans {
        assert!(start <= end && end <= text.len(), "span {start}..{end} outside a text of {} bytes", text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "span {start}..{end} cuts a character");
        assert!(start >= last, "span {start}..{end} overlaps the one before (ending at {last})");
        last = end;
    }
}

/// One event (a JSON object's members) walked: what may be written, and the tally.
pub fn walk_event<'j>(engine: &Engine, members: Members<'j>) -> (Members<'j>, Run) {
    let ((written, _own), run) = engine.walk(Run::new(true, true), |walk| walk.json_event(members));
    (written, run)
}

/// A summary note: (path, target, action done, count).
pub type Note = (String, u32, Action, usize);

/// An event as an integration writes it: its members, the categories
/// (`pii_categories`) and the notes (`pii_redactions`).
#[derive(Debug, Clone, PartialEq)]
pub struct Redacted<'j> {
    pub members: Members<'j>,
    pub categories: Vec<u8>,
    pub notes: Vec<Note>,
}

/// `members` redacted as the integrations do: the walk, then the tags of
/// the event's name in what was written. `before`: what an earlier pass
/// wrote with the event (its `pii_categories` go with the members, its
/// notes are read as `pii_redactions` are, by [`pii_core::engine::Walk::noted_before`]).
pub fn redact_event<'j>(engine: &Engine, mut members: Members<'j>, before: Option<(&[u8], &[Note])>) -> (Redacted<'j>, Run) {
    if let Some((categories, _)) = before {
        let tags = categories.iter().map(|c| Json::Number(Cow::Owned(c.to_string()))).collect();
        members.push((Cow::Borrowed(CATEGORIES_KEY), Json::Array(tags)));
    }
    let (written, run) = engine.walk(Run::new(true, true), |walk| {
        for (path, target, done, count) in before.map(|(_, notes)| notes).unwrap_or_default() {
            walk.noted_before(path, *target, *done, *count);
        }
        let (written, _own) = walk.json_event(members);
        walk.event_name_tags(&written);
        written
    });
    (Redacted { members: written, categories: run.category_list(), notes: run.notes() }, run)
}

/// How strictly "twice equals once" is asserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twice {
    /// A second pass changes nothing: members, categories and notes.
    Equal,
    /// Equal, but for the kinds the README lists as open (for the seeded
    /// mutations): a second pass may replace more text by masks only within
    /// [`NEAR_MASK`] characters of a mask the first pass wrote (that mask
    /// changed the text a rule reads around a value: what stands just
    /// before or after it, a value holding a forged mask of ours), never
    /// writing what the first did not;
    /// with the output unchanged, the notes alone
    /// may differ when `notes_may_differ` (the check says for what input),
    /// notes may be lost whose path, redacted again as a text, changes,
    /// and notes of what is kept (a URL read among masks) may be added.
    Known { notes_may_differ: bool },
    /// The output alone, and only as far as the other properties need it
    /// (`.ci/run`'s short runs): a second pass may replace more text by
    /// masks anywhere, never anything else; categories and notes are not
    /// compared. What it lets through are the open kinds, which the long
    /// runs and the seeded mutations keep finding; what it catches is a
    /// second pass that writes text of its own or unmasks.
    Masks,
}

/// How the fuzz targets assert "twice equals once", from `PII_FUZZ_TWICE`:
/// `strict` (unset: [`Twice::Equal`]), `known` (as the seeded mutations,
/// the kinds still open excepted) or `masks` ([`Twice::Masks`]: `.ci/run`'s
/// short runs).
pub fn fuzz_twice() -> Twice {
    static HOW: OnceLock<Twice> = OnceLock::new();
    *HOW.get_or_init(|| match std::env::var("PII_FUZZ_TWICE").as_deref() {
        Err(_) | Ok("strict") => Twice::Equal,
        Ok("known") => Twice::Known { notes_may_differ: false },
        Ok("masks") => Twice::Masks,
        Ok(other) => panic!("PII_FUZZ_TWICE must be strict, known or masks, not {other:?}"),
    })
}

/// How far from a first pass's mask a second pass may mask more ([`Twice::Known`]):
/// the farthest a rule reads back (`before`, context windows).
pub const NEAR_MASK: usize = 80;

/// Panics unless redacting `first`'s output again gives it exactly:
/// members, categories and notes. `what` says what was redacted.
pub fn assert_twice_equals_once(engine: &Engine, first: &Redacted<'_>, what: &dyn std::fmt::Debug) {
    assert_twice(engine, first, what, Twice::Equal);
}

/// [`assert_twice_equals_once`], or with [`Twice::Known`] the weaker property.
pub fn assert_twice(engine: &Engine, first: &Redacted<'_>, what: &dyn std::fmt::Debug, how: Twice) {
    let members = first.members.iter().map(|(k, v)| (Cow::Borrowed(k.as_ref()), v.clone())).collect();
    let (again, _) = redact_event(engine, members, Some((&first.categories, &first.notes)));
    if how == Twice::Masks {
        let (once, twice) = (Json::Object(first.members.clone()).to_text(), Json::Object(again.members.clone()).to_text());
        assert!(once == twice || masks_more_anywhere(&once, &twice), "a second pass changed more than masks in {what:?}:\n{once}\n-> {twice}");
        return;
    }
    if let Twice::Known { notes_may_differ } = how {
        let (once, twice) = (Json::Object(first.members.clone()).to_text(), Json::Object(again.members.clone()).to_text());
        if once != twice {
            assert!(masks_more_near_masks(&once, &twice, NEAR_MASK), "a second pass changed more than text near a mask in {what:?}:\n{once}\n-> {twice}");
            return; // the categories and notes follow the masks
        }
        // A note lost whose path, read again as a text, is masked further
        // (a dropped key holding `user=janis` twice): its key is not
        // decided the same way on a second pass, which cannot meet it.
        let unstable = |n: &Note| !again.notes.contains(n) && redact_text(engine, &n.0).0 != n.0;
        let only_unstable = again.notes.iter().all(|n| first.notes.contains(n)) && first.notes.iter().filter(|n| !again.notes.contains(n)).all(unstable);
        if (notes_may_differ || only_unstable) && again.categories == first.categories {
            return;
        }
        // A path and query a second pass reads as a URL among our masks
        // (a host glued to a mask before it): with the output unchanged,
        // it adds only notes of what it keeps (the URL, category 12), no
        // mask and no note lost.
        let kept_more = first.notes.iter().all(|n| again.notes.contains(n))
            && again.notes.iter().all(|n| first.notes.contains(n) || n.2 == Action::Keep)
            && first.categories.iter().all(|c| again.categories.contains(c));
        if kept_more {
            return;
        }
    }
    assert!(
        again.members == first.members,
        "a second pass changed the output of {what:?}:\n{}\n-> {}",
        Json::Object(first.members.clone()).to_text(),
        Json::Object(again.members.clone()).to_text()
    );
    assert_eq!(again.categories, first.categories, "a second pass changed the categories of {what:?}");
    assert_eq!(again.notes, first.notes, "a second pass changed the notes of {what:?}");
}

/// `text` as the value of `message`, redacted: what would be written for it.
pub fn redact_text(engine: &Engine, text: &str) -> (String, Run) {
    let (written, run) = walk_event(engine, vec![(Cow::Borrowed("message"), Json::String(Cow::Borrowed(text)))]);
    let out = match written.into_iter().next() {
        Some((_, Json::String(s))) => s.into_owned(),
        Some((_, other)) => other.to_text(),
        None => String::new(),
    };
    (out, run)
}

/// How many findings of a run could not be checked (a bound stopped the walk).
pub fn unchecked(engine: &Engine, run: &Run) -> usize {
    let found = run.found.as_deref().unwrap_or_default();
    found.iter().filter(|f| engine.targets().get(f.target).rule == UNCHECKED_RULE).count()
}

/// Nesting of containers: 0 for a scalar.
pub fn nesting(value: &Json<'_>) -> usize {
    match value {
        Json::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Json::Object(members) => 1 + members.iter().map(|(_, v)| nesting(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// How many times a bound's marker stands in `value` (as a string, or a key).
pub fn markers(value: &Json<'_>) -> usize {
    let is_marker = |s: &str| [TOO_DEEP, TOO_LARGE, LONG_KEY].iter().any(|m| s.contains(m));
    match value {
        Json::String(s) => usize::from(is_marker(s)),
        Json::Array(items) => items.iter().map(markers).sum(),
        Json::Object(members) => members.iter().map(|(k, v)| usize::from(is_marker(k)) + markers(v)).sum(),
        _ => 0,
    }
}

/// Keys longer than the bound, anywhere in `value`.
pub fn long_keys<'a>(value: &'a Json<'_>, out: &mut Vec<&'a str>) {
    match value {
        Json::Array(items) => items.iter().for_each(|v| long_keys(v, out)),
        Json::Object(members) => {
            for (k, v) in members {
                if k.len() > MAX_KEY_BYTES {
                    out.push(k);
                }
                long_keys(v, out);
            }
        }
        _ => {}
    }
}

/// `text` without our own masks and tokens (what a second pass must not add to).
pub fn outside_own_tokens(text: &str) -> String {
    let scanner = &shipped().scanner;
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(c) = text[pos..].chars().next() {
        match scanner.own_token_at(text, pos) {
            Some(end) => pos = end,
            None => {
                out.push(c);
                pos += c.len_utf8();
            }
        }
    }
    out
}

/// Whether `twice` is `once` with more text replaced by our masks, each
/// piece within `near` characters of a mask `once` holds (quotes and
/// percent-encoding aside): the masks taken out, every character of
/// `twice` stands in `once` in order, and those of `once` left out lie near
/// one of its masks.
pub fn masks_more_near_masks(once: &str, twice: &str, near: usize) -> bool {
    // (a user name and password masked are written "[HASH:..]:[REDACTED:secret]")
    let plain = |t: &str| pii_core::url::unquote_plus(t).replace('"', "").replace("]:[", "][");
    masks_more(&plain(once), &plain(twice), near)
}

/// Whether `twice` is `once` with more text replaced by our masks anywhere:
/// read as [`masks_more_near_masks`] reads them, or as they are (a mask
/// that starts inside a percent-escape, `%EF%B[REDACTED:email]`, leaves
/// half an escape that decoding reads otherwise).
pub fn masks_more_anywhere(once: &str, twice: &str) -> bool {
    masks_more_near_masks(once, twice, usize::MAX) || masks_more(once, twice, usize::MAX)
}

/// [`masks_more_near_masks`] of texts as they are.
fn masks_more(once: &str, twice: &str, near: usize) -> bool {
    // `once` outside its masks, as characters, and where each mask stood among them.
    let scanner = &shipped().scanner;
    let (mut chars, mut masks) = (Vec::new(), Vec::new());
    let mut pos = 0;
    while let Some(c) = once[pos..].chars().next() {
        match scanner.own_token_at(once, pos) {
            Some(end) => {
                masks.push(chars.len());
                pos = end;
            }
            None => {
                chars.push(c);
                pos += c.len_utf8();
            }
        }
    }
    let mut i = 0;
    let mut left_out = Vec::new();
    for c in outside_own_tokens(twice).chars() {
        while i < chars.len() && chars[i] != c {
            left_out.push(i);
            i += 1;
        }
        if i == chars.len() {
            return false;
        }
        i += 1;
    }
    left_out.extend(i..chars.len());
    near == usize::MAX || left_out.iter().all(|&at| masks.iter().any(|&m| m.abs_diff(at) <= near))
}

// ---- a generator of events ----------------------------------------------------

/// Values a log event of ours might hold (all made up).
pub const SAMPLES: [&str; 18] = [
    "anna.ozola@inbox.lv",
    "161175-19997",
    "LV80BANK0000435195001",
    "4111 1111 1111 1111",
    "+371 29 123 456",
    "Jānis Bērziņš",
    "https://janis:slepens@veikals.example.lv/klienti/anna.ozola@inbox.lv?email=a%40b.lv&redirect_uri=https%3A%2F%2Fx.lv%2F%3Ftoken%3Dq#sadala",
    "10.0.12.4",
    "2e7abed5658ef30d856980bb0977e471",
    "[REDACTED:email]",
    "[HASH:fz1:0123456789abcdef0123]",
    "user=janis password=Slepens1 klients=Līga Kalniņa",
    "Rīga, Brīvības iela 21-4, LV-1010",
    "2024-03-01T12:00:00.123Z",
    "{\"customer\": {\"email\": \"liga.kalnina@pasts.lv\", \"vārds\": \"Līga\"}}",
    "[[\"kods\", \"050590-12346\"]]",
    "maksājums 12.50 EUR no konta LV97HABA0012345678910",
    "pieprasījums apstrādāts 34 ms",
];

/// Keys a log event of ours might hold.
pub const FIELDS: [&str; 24] = [
    "event", "message", "email", "e-pasts", "vārds", "uzvārds", "password", "parole", "user", "name", "first",
    "owner", "customer", "card_number", "iban", "phone", "personas_kods", "url", "redirect_uri", "trace_id",
    "amount", "pii_categories", "pii_redactions", "klients",
];

/// A string: made up by the fuzzer, one of [`SAMPLES`], or several joined.
#[derive(Arbitrary, Debug)]
pub enum Text {
    Raw(String),
    Sample(u8),
    Joined(Vec<Text>),
}

impl Text {
    pub fn render(&self, out: &mut String) {
        match self {
            Text::Raw(s) => out.push_str(s),
            Text::Sample(i) => out.push_str(SAMPLES[*i as usize % SAMPLES.len()]),
            Text::Joined(parts) => parts.iter().for_each(|p| p.render(out)),
        }
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        self.render(&mut out);
        out
    }
}

/// A key: made up, one of [`FIELDS`], or a text repeated to a length (up to
/// twice the bound on keys).
#[derive(Arbitrary, Debug)]
pub enum Key {
    Raw(String),
    Field(u8),
    Long { bytes: u16, text: Text },
}

impl Key {
    pub fn text(&self) -> String {
        match self {
            Key::Raw(s) => s.clone(),
            Key::Field(i) => FIELDS[*i as usize % FIELDS.len()].to_string(),
            Key::Long { bytes, text } => {
                let unit = text.text();
                let unit = if unit.is_empty() { "k".to_string() } else { unit };
                let want = *bytes as usize % (2 * MAX_KEY_BYTES + 64);
                let mut out = String::with_capacity(want + unit.len());
                while out.len() < want {
                    out.push_str(&unit);
                }
                out
            }
        }
    }
}

/// A JSON-like tree.
#[derive(Arbitrary, Debug)]
pub enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer of 20 to 39 digits.
    Big(u128),
    Float(f64),
    Str(Text),
    List(Vec<Tree>),
    Map(Vec<(Key, Tree)>),
    /// `tree` inside `levels` lists (or maps under `key`).
    Nested { levels: u8, key: Option<Key>, tree: Box<Tree> },
    /// `tree` written as JSON text inside a string, after `pad_kib` KiB of
    /// spaces in a string of its own (over the bound on JSON in strings when large).
    JsonText { tree: Box<Tree>, pad_kib: u16 },
}

/// The deepest nesting [`Tree::json`] builds (far past any bound of the walk).
pub const MAX_TREE_DEPTH: usize = 600;
/// The most text one event's [`Tree::JsonText`]s hold in all, padding and
/// JSON (one over the bound on JSON in strings; more would only make a run slow).
pub const MAX_PAD: usize = 1200 << 10;
/// A [`Tree::JsonText`] is built only above this depth, and counts as this
/// deep inside (so one holds no other).
const JSON_TEXT_DEPTH: usize = MAX_TREE_DEPTH - 64;

impl Tree {
    /// The tree as JSON (nesting past [`MAX_TREE_DEPTH`] left out), with at
    /// most `pad` bytes left for JSON in strings.
    pub fn json(&self, depth: usize, pad: &mut usize) -> Json<'static> {
        let owned = |s: String| Json::String(Cow::Owned(s));
        let number = |s: String| Json::Number(Cow::Owned(s));
        if depth > MAX_TREE_DEPTH {
            return Json::Null;
        }
        match self {
            Tree::Null => Json::Null,
            Tree::Bool(b) => Json::Bool(*b),
            Tree::Int(n) => number(n.to_string()),
            Tree::Big(n) => number((*n).max(10_000_000_000_000_000_000).to_string()),
            Tree::Float(f) if f.is_finite() => number(format!("{f:?}")),
            Tree::Float(_) => number("0.5".into()),
            Tree::Str(t) => owned(t.text()),
            Tree::List(items) => Json::Array(items.iter().map(|t| t.json(depth + 1, pad)).collect()),
            Tree::Map(members) => {
                Json::Object(members.iter().map(|(k, v)| (Cow::Owned(k.text()), v.json(depth + 1, pad))).collect())
            }
            Tree::Nested { levels, key, tree } => {
                let levels = (*levels as usize).min(MAX_TREE_DEPTH.saturating_sub(depth));
                let mut value = tree.json(depth + levels, pad);
                let key = key.as_ref().map(Key::text);
                for _ in 0..levels {
                    value = match &key {
                        Some(k) => Json::Object(vec![(Cow::Owned(k.clone()), value)]),
                        None => Json::Array(vec![value]),
                    };
                }
                value
            }
            Tree::JsonText { tree, pad_kib } => {
                // Text in text in text... doubles its escapes at each level:
                // a few levels, and the budget, bound it.
                if *pad == 0 || depth >= JSON_TEXT_DEPTH {
                    return Json::Null;
                }
                let inner = tree.json(JSON_TEXT_DEPTH.max(depth) + 1, pad).to_text();
                *pad = pad.saturating_sub(inner.len());
                let spaces = ((*pad_kib as usize % 1100) * 1024).min(*pad);
                *pad -= spaces;
                owned(format!("[\"{}\",{inner}]", " ".repeat(spaces)))
            }
        }
    }
}

/// A tree as an event: a map at the top (anything else is put under `message`).
pub fn event(tree: &Tree) -> Members<'static> {
    match tree.json(0, &mut { MAX_PAD }) {
        Json::Object(members) => members,
        other => vec![(Cow::Borrowed("message"), other)],
    }
}
