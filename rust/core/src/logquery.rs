//! `pii-tagger query` of one chunk of lines: the lines selected, written out
//! unchanged, and counts of what could not be tested.
//!
//! An event is selected when it meets every filter given: a text the line
//! contains, any of the categories (all of them with `match_all`), a source
//! (globs, as Python's `fnmatch.fnmatchcase`), a time range (`since` included,
//! `until` not). Lines and events are read as [`crate::tagged`] reads them.

use crate::lines;
use crate::tagged::{self, glob_match};

/// What to select.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Bit n: category n (0: events tagged with none); 0: any event.
    pub categories: u32,
    pub match_all: bool,
    /// The line holds one of these (none: any line).
    pub contains: Vec<Vec<u8>>,
    /// The event's source matches one of these globs (none: any).
    pub sources: Vec<String>,
    /// Microseconds since the epoch.
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// The selection of a chunk.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Selected {
    pub lines: u64,
    /// Lines that are not JSON objects (a line cut at the bound among them).
    pub not_json: u64,
    /// Events without `pii_categories`.
    pub untagged: u64,
    /// Events tested against the time range without a usable time, and with one.
    pub no_time: u64,
    pub timed: u64,
    pub selected: u64,
    /// The lines selected, each as it was (with `\n` added to a last line without one).
    pub out: Vec<u8>,
}

impl Selection {
    fn wanted(&self, categories: u32) -> bool {
        if self.match_all {
            categories & self.categories == self.categories
        } else {
            categories & self.categories != 0
        }
    }
}

/// The lines of a chunk (`cut`: lines cut at the bound) that `selection` selects.
pub fn select_chunk(selection: &Selection, data: &[u8], cut: &[usize]) -> Selected {
    let mut out = Selected::default();
    let mut cuts = cut.iter().copied().peekable();
    let timed = selection.since.is_some() || selection.until.is_some();
    let fields = tagged::Fields { source: !selection.sources.is_empty(), time: timed, notes: false };
    for (index, line) in lines::split(data).enumerate() {
        out.lines += 1;
        let (text, _) = lines::decode(line.body);
        let read = if cuts.next_if_eq(&index).is_some() { None } else { tagged::read(&text, fields) };
        let Some(event) = read else {
            out.not_json += 1;
            continue;
        };
        let categories = event.categories();
        out.untagged += u64::from(categories.is_none());
        if !selection.contains.is_empty()
            && !selection.contains.iter().any(|needle| memchr::memmem::find(line.whole, needle).is_some())
        {
            continue;
        }
        if selection.categories != 0 && !categories.is_some_and(|c| selection.wanted(c)) {
            continue;
        }
        if !selection.sources.is_empty() {
            let source = event.source().unwrap_or("-");
            if !selection.sources.iter().any(|glob| glob_match(glob, source)) {
                continue;
            }
        }
        if timed {
            let Some(moment) = event.moment() else {
                out.no_time += 1;
                continue;
            };
            out.timed += 1;
            if selection.since.is_some_and(|s| moment < s) || selection.until.is_some_and(|u| moment >= u) {
                continue;
            }
        }
        out.selected += 1;
        out.out.extend_from_slice(line.whole);
        if !line.whole.ends_with(b"\n") {
            out.out.push(b'\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = concat!(
        r#"{"pii_categories": [1, 11], "service": "billing", "timestamp": "2026-11-25T08:30:00Z", "t": "[HASH:k1:aa]"}"#, "\r\n",
        r#"{"pii_categories": [2], "logger": "crm.contacts", "timestamp": "2026-11-25T09:30:00Z"}"#, "\n",
        r#"{"pii_categories": [], "service": "portal"}"#, "\n",
        r#"{"event": "untagged", "timestamp": "2026-11-25T08:45:00Z"}"#, "\n",
        "plain text\n{broken\n",
        r#"{"pii_categorie\u0073": [11], "ctx": {"pii_categories": [1]}}"#,
    );

    fn select(selection: Selection) -> Selected {
        select_chunk(&selection, LOG.as_bytes(), &[])
    }

    #[test]
    fn by_category_any_all_and_none() {
        let any = select(Selection { categories: 1 << 11 | 1 << 2, ..Selection::default() });
        assert_eq!((any.lines, any.not_json, any.untagged, any.selected), (7, 2, 1, 3));
        assert!(any.out.starts_with(b"{\"pii_categories\": [1, 11]") && any.out.contains(&b'\r') && any.out.ends_with(b"}}\n"));
        assert_eq!(select(Selection { categories: 1 << 1 | 1 << 11, match_all: true, ..Selection::default() }).selected, 1);
        assert_eq!(select(Selection { categories: 1, ..Selection::default() }).selected, 1);
        assert_eq!(select(Selection::default()).selected, 5); // every event, untagged ones too
    }

    #[test]
    fn by_text_source_and_time() {
        let contains = select(Selection { contains: vec![b"[HASH:k1:aa]".to_vec()], ..Selection::default() });
        assert_eq!(contains.selected, 1);
        assert_eq!(select(Selection { sources: vec!["crm.*".into(), "portal".into()], ..Selection::default() }).selected, 2);
        let morning = Selection { since: Some(1_795_595_400_000_000), until: Some(1_795_599_000_000_000), ..Selection::default() };
        let window = select(morning); // 08:30 to 09:30, 09:30 not included
        assert_eq!((window.selected, window.timed, window.no_time), (2, 3, 2));
    }

    #[test]
    fn a_cut_line_is_never_selected() {
        let s = select_chunk(&Selection::default(), b"{\"pii_categories\": []}\n{}\n", &[0]);
        assert_eq!((s.not_json, s.selected), (1, 1));
    }
}
