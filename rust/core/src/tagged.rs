//! What `query` and `stats` read of a tagged log line: its categories, its
//! source, its time and its summary notes, from a JSON-object line (read as
//! [`crate::lines`] defines lines; only these members are built, the rest
//! is checked and skipped).
//!
//! * *categories*: the integers 1–18 in `pii_categories` (others ignored);
//!   a line is *tagged* when that member is a list, and a list without any of
//!   them is category 0 ("no personal data"). A key written twice: the
//!   categories of every list.
//! * *source*: the first non-empty string of `service`, `service.name`,
//!   `logger`, `logger_name` (in that order; a key written twice, its first
//!   non-empty string).
//! * *time*: [`crate::eventtime::event_moment`].
//! * *notes*: the objects of every `pii_redactions` list, with an integer
//!   `category` 1–18 and an integer `count` >= 0 (`path` and `action`: their
//!   strings, else empty; a key written twice in a note: its last value, as
//!   a dict keeps it).

use crate::engine::{CATEGORIES_KEY, SUMMARY_KEY};
use crate::eventtime::{event_moment, TIME_KEYS};
use crate::json::{self, Json, Members, Pick, Record, Scalar, RECORD_FIELDS};
use crate::lines;

/// Where an event's source is looked for, in this order.
pub const SOURCE_KEYS: [&str; 4] = ["service", "service.name", "logger", "logger_name"];
/// How deep the members read are built (notes are 3 deep; deeper is no note).
const MAX_FIELD_DEPTH: usize = 8;
/// A note's fields, in a [`Record`]'s order.
const NOTE_FIELDS: [&str; RECORD_FIELDS] = ["path", "category", "action", "count"];

/// The members of a tagged line that the tools read.
#[derive(Debug)]
pub struct Tagged<'t> {
    members: Members<'t>,
    /// Notes read without building them (the usual shape of `pii_redactions`;
    /// one of another shape is in `members`).
    notes: Vec<Record<'t>>,
}

/// Which fields a tool reads (the categories always): the others are only checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fields {
    pub source: bool,
    pub time: bool,
    pub notes: bool,
}

impl Fields {
    pub const ALL: Fields = Fields { source: true, time: true, notes: true };

    fn pick(self, key: &str) -> Pick {
        // Most keys are none of ours: told apart by their first byte.
        if !matches!(key.as_bytes().first(), Some(b'p' | b't' | b'@' | b'a' | b's' | b'l')) {
            return Pick::Skip;
        }
        if key == CATEGORIES_KEY
            || (self.time && TIME_KEYS.contains(&key))
            || (self.source && SOURCE_KEYS.contains(&key))
        {
            Pick::Build
        } else if self.notes && key == SUMMARY_KEY {
            Pick::Records
        } else {
            Pick::Skip
        }
    }
}

/// The line's members that `fields` names; None when it is not a JSON object.
pub fn read(text: &str, fields: Fields) -> Option<Tagged<'_>> {
    if !lines::looks_like_object(text) {
        return None;
    }
    let picked = json::object_picks(text, |key| fields.pick(key), &NOTE_FIELDS, MAX_FIELD_DEPTH)?;
    Some(Tagged { members: picked.members, notes: picked.records })
}

impl<'t> Tagged<'t> {
    fn all(&self, key: &'static str) -> impl Iterator<Item = &Json<'t>> + '_ {
        self.members.iter().filter(move |(k, _)| k == key).map(|(_, v)| v)
    }

    /// Bit n set: category n (0: tagged, none of 1–18). None: not tagged.
    pub fn categories(&self) -> Option<u32> {
        let mut tagged = false;
        let mut bits = 0u32;
        for value in self.all(CATEGORIES_KEY) {
            if let Json::Array(items) = value {
                tagged = true;
                for item in items {
                    if let Some(n @ 1..=18) = small_int(item) {
                        bits |= 1 << n;
                    }
                }
            }
        }
        tagged.then_some(if bits == 0 { 1 } else { bits })
    }

    /// The event's source, if it names one.
    pub fn source(&self) -> Option<&str> {
        SOURCE_KEYS.iter().find_map(|key| {
            self.all(key).find_map(|v| match v {
                Json::String(s) if !s.is_empty() => Some(s.as_ref()),
                _ => None,
            })
        })
    }

    /// The event's time in microseconds since the epoch (UTC).
    pub fn moment(&self) -> Option<i64> {
        event_moment(&self.members)
    }

    /// The summary notes: (path, category, action, count).
    pub fn notes(&self) -> impl Iterator<Item = (&str, u8, &str, u64)> + '_ {
        let read = self.notes.iter().filter_map(|[path, category, action, count]| {
            note(scalar_text(path), scalar_number(category), scalar_text(action), scalar_number(count))
        });
        let built = self
            .all(SUMMARY_KEY)
            .filter_map(|v| match v {
                Json::Array(items) => Some(items.iter()),
                _ => None,
            })
            .flatten()
            .filter_map(|note_value| {
                let Json::Object(fields) = note_value else { return None };
                let last = |key: &str| fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
                let text = |key| match last(key) {
                    Some(Json::String(s)) => Some(s.as_ref()),
                    _ => None,
                };
                let number = |key| match last(key) {
                    Some(Json::Number(n)) => Some(n.as_ref()),
                    _ => None,
                };
                note(text("path"), number("category"), text("action"), number("count"))
            });
        read.chain(built)
    }
}

fn scalar_text<'s>(value: &'s Scalar<'_>) -> Option<&'s str> {
    match value {
        Scalar::String(s) => Some(s.as_ref()),
        _ => None,
    }
}

fn scalar_number<'s>(value: &'s Scalar<'_>) -> Option<&'s str> {
    match value {
        Scalar::Number(n) => Some(n.as_ref()),
        _ => None,
    }
}

/// A note from its fields' last values (strings for `path` and `action`,
/// numbers as written for `category` and `count`): a `category` 1–18 and a
/// `count` >= 0, both integers, else no note; `path` and `action` empty when
/// they are not strings.
fn note<'s>(path: Option<&'s str>, category: Option<&str>, action: Option<&'s str>, count: Option<&str>) -> Option<(&'s str, u8, &'s str, u64)> {
    let category = category?.parse::<i64>().ok().filter(|n| (1..=18).contains(n))?;
    Some((path.unwrap_or(""), category as u8, action.unwrap_or(""), count?.parse::<u64>().ok()?))
}

/// An integer written without a fraction or exponent that fits in an i64.
fn small_int(value: &Json<'_>) -> Option<i64> {
    match value {
        Json::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// Python's `fnmatch.fnmatchcase`: `*` any run, `?` one character, `[seq]`
/// and `[!seq]` (with ranges `a-z`); a `[` without its `]` is itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // The classic two-pointer match, going back to the last `*` on a mismatch.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
            continue;
        }
        if pi < p.len() {
            if let Some(next) = one(&p, pi, t[ti]) {
                pi = next;
                ti += 1;
                continue;
            }
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether pattern item `p[i]` matches `c`: the index after the item if it does.
fn one(p: &[char], i: usize, c: char) -> Option<usize> {
    match p[i] {
        '?' => Some(i + 1),
        '[' => match set_end(p, i) {
            Some(end) => {
                let negated = p[i + 1] == '!';
                let items = &p[i + 1 + usize::from(negated)..end];
                let mut hit = false;
                let mut k = 0;
                while k < items.len() {
                    if k + 2 < items.len() && items[k + 1] == '-' {
                        hit |= items[k] <= c && c <= items[k + 2];
                        k += 3;
                    } else {
                        hit |= items[k] == c;
                        k += 1;
                    }
                }
                (hit != negated).then_some(end + 1)
            }
            None => (c == '[').then_some(i + 1),
        },
        literal => (literal == c).then_some(i + 1),
    }
}

/// The index of the `]` closing the set that opens at `p[i]`, as fnmatch finds it.
fn set_end(p: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if p.get(j) == Some(&'!') {
        j += 1;
    }
    if p.get(j) == Some(&']') {
        j += 1;
    }
    while j < p.len() && p[j] != ']' {
        j += 1;
    }
    (j < p.len()).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Option<Tagged<'_>> {
        read(text, Fields::ALL)
    }

    #[test]
    fn categories_of_every_list_and_untagged_lines() {
        let t = read_all(r#"{"pii_categories": [2, 19, "3", true, 1.0, -1], "x": {"pii_categories": [4]}, "pii_categori\u0065s": [11]}"#).unwrap();
        assert_eq!(t.categories(), Some(1 << 2 | 1 << 11));
        assert_eq!(read_all(r#"{"pii_categories": []}"#).unwrap().categories(), Some(1));
        assert_eq!(read_all(r#"{"pii_categories": [0, 99]}"#).unwrap().categories(), Some(1));
        assert_eq!(read_all(r#"{"pii_categories": "2"}"#).unwrap().categories(), None);
        assert_eq!(read_all(r#"{"event": "x"}"#).unwrap().categories(), None);
        for not_object in ["[1]", "plain", r#"{"pii_categories": [1]"#, ""] {
            assert!(read_all(not_object).is_none(), "{not_object:?}");
        }
    }

    #[test]
    fn source_time_and_notes() {
        let t = read_all(concat!(
            r#"{"logger": "crm", "service": "", "service.name": "billing", "timestamp": "2026-11-25T10:30:00Z", "#,
            r#""pii_redactions": [{"path": "email", "rule": "email", "category": 2, "action": "mask", "count": 3}, "#,
            r#"{"path": 7, "category": 5, "count": 1}, {"category": 19, "count": 1}, {"category": 2, "count": -1}, "#,
            r#"{"category": 2.0, "count": 1}, {"category": 1, "category": 3, "count": 2}]}"#
        ))
        .unwrap();
        assert_eq!(t.source(), Some("billing"));
        assert_eq!(t.moment(), Some(1_795_602_600_000_000));
        let notes: Vec<_> = t.notes().collect();
        assert_eq!(notes, [("email", 2, "mask", 3), ("", 5, "", 1), ("", 3, "", 2)]);
        // Notes of another shape (a nested value) are built, and read the same.
        let nested = concat!(
            r#"{"pii_redactions": [{"path": "email", "rule": ["email"], "category": 2, "action": "mask", "count": 3}, "#,
            r#"{"path": 7, "category": 5, "count": 1}, {"category": 19, "count": 1}, {"category": 2, "count": -1}, "#,
            r#"{"category": 2.0, "count": 1}, {"category": 1, "category": 3, "count": 2}], "pii_redactions": [{"category": 4, "count": 0}]}"#
        );
        let t = read_all(nested).unwrap();
        assert_eq!(t.notes().collect::<Vec<_>>(), [("", 4, "", 0), ("email", 2, "mask", 3), ("", 5, "", 1), ("", 3, "", 2)]);
        assert_eq!(read_all(r#"{"logger": 5}"#).unwrap().source(), None);
    }

    #[test]
    fn globs_as_fnmatchcase() {
        for (pattern, text, expected) in [
            ("billing.*", "billing.payments", true),
            ("billing.*", "billing", false),
            ("*", "", true),
            ("crm.?ontacts", "crm.contacts", true),
            ("*.contacts", "crm.eu.contacts", true),
            ("[bc]*", "crm", true),
            ("[!bc]*", "crm", false),
            ("[a-c]rm", "crm", true),
            ("[]]x", "]x", true),
            ("[x", "[x", true),
            ("Billing", "billing", false),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
        ] {
            assert_eq!(glob_match(pattern, text), expected, "{pattern:?} {text:?}");
        }
    }
}
