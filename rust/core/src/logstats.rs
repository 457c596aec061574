//! `pii-tagger stats` of one chunk of lines: events by (time bucket, source,
//! category) and values acted on by (path, category, action), as
//! [`crate::tagged`] reads a line. A line that is not a JSON object (plain
//! text, malformed JSON, an array, a blank line, a line cut at the bound) is
//! counted as not JSON.

use rustc_hash::FxHashMap as HashMap;

use crate::eventtime::minute_name;
use crate::lines;
use crate::tagged;

/// Untagged events' category in the counts.
pub const NO_TAGS: i8 = -1;
/// Categories -1 (untagged), 0 (none) and 1–18, as indexes 0 to 19.
const SLOTS: usize = 20;

/// The counts of one chunk.
#[derive(Debug, Default)]
pub struct ChunkStats {
    pub lines: u64,
    pub events: u64,
    pub not_json: u64,
    pub untagged: u64,
    /// Events without a usable time (bucket `-`).
    pub no_time: u64,
    /// Events by (bucket, source), then category slot.
    cube: Table<[u64; SLOTS]>,
    /// Events by source (past `max_sources`, new ones are counted as `other`).
    pub sources: HashMap<String, u64>,
    /// Values acted on by (path, action), then category (1–18).
    redactions: Table<[u64; 19]>,
}

/// Counts by a pair of texts, found with one hash of the pair.
#[derive(Debug, Default)]
struct Table<V> {
    /// The key of a pair (see [`pair_key`]) to its row.
    index: HashMap<Vec<u8>, usize>,
    rows: Vec<(Vec<u8>, V)>,
    /// The key being looked up (kept to reuse its buffer).
    key: Vec<u8>,
}

impl<V> Table<V> {
    /// The counts of `(a, b)`, made with `new` when missing.
    fn get(&mut self, a: &str, b: &str, new: impl FnOnce() -> V) -> &mut V {
        pair_key(&mut self.key, a, b);
        let row = match self.index.get(self.key.as_slice()) {
            Some(&row) => row,
            None => {
                self.index.insert(self.key.clone(), self.rows.len());
                self.rows.push((self.key.clone(), new()));
                self.rows.len() - 1
            }
        };
        &mut self.rows[row].1
    }

    /// ((a, b), counts) of every row.
    fn iter(&self) -> impl Iterator<Item = ((&str, &str), &V)> + '_ {
        self.rows.iter().map(|(key, v)| (pair_of(key), v))
    }
}

/// A pair of texts as one key: the length of `a` (4 bytes), `a`, `b`.
fn pair_key(key: &mut Vec<u8>, a: &str, b: &str) {
    key.clear();
    key.extend_from_slice(&(a.len() as u32).to_le_bytes());
    key.extend_from_slice(a.as_bytes());
    key.extend_from_slice(b.as_bytes());
}

/// The pair a [`pair_key`] was made of.
fn pair_of(key: &[u8]) -> (&str, &str) {
    let (len, rest) = key.split_at(4);
    let len = u32::from_le_bytes(len.try_into().unwrap_or_default()) as usize;
    let (a, b) = rest.split_at(len);
    // Both were texts, cut between them.
    (std::str::from_utf8(a).unwrap_or_default(), std::str::from_utf8(b).unwrap_or_default())
}

impl ChunkStats {
    /// (bucket, source, category, events), category -1 for untagged events.
    pub fn cube(&self) -> impl Iterator<Item = (&str, &str, i8, u64)> + '_ {
        self.cube.iter().flat_map(|((bucket, source), slots)| {
            slots.iter().enumerate().filter(|(_, n)| **n > 0).map(move |(i, n)| (bucket, source, i as i8 - 1, *n))
        })
    }

    /// (path, category, action, count).
    pub fn redactions(&self) -> impl Iterator<Item = (&str, u8, &str, u64)> + '_ {
        self.redactions.iter().flat_map(|((path, action), counts)| {
            counts.iter().enumerate().filter(|(_, n)| **n > 0).map(move |(c, n)| (path, c as u8, action, *n))
        })
    }
}

/// The stats of a chunk's lines (`cut`: lines cut at the bound). Buckets are
/// the first `width` characters of `2026-11-25T10:05` (16: minutes, 13:
/// hours, 10: days); past `max_sources` distinct sources, new ones count as `other`.
pub fn stats_chunk(data: &[u8], cut: &[usize], width: usize, max_sources: usize, other: &str) -> ChunkStats {
    let mut stats = ChunkStats::default();
    let mut cuts = cut.iter().copied().peekable();
    let mut last_minute: Option<(i64, String)> = None;
    for (index, line) in lines::split(data).enumerate() {
        stats.lines += 1;
        let (text, _) = lines::decode(line.body);
        let read = if cuts.next_if_eq(&index).is_some() { None } else { tagged::read(&text, tagged::Fields::ALL) };
        let Some(event) = read else {
            stats.not_json += 1;
            continue;
        };
        stats.events += 1;
        let bucket = match event.moment() {
            Some(micros) => {
                let minute = micros.div_euclid(60_000_000);
                if last_minute.as_ref().is_none_or(|(m, _)| *m != minute) {
                    last_minute = Some((minute, minute_name(micros)));
                }
                let name = last_minute.as_ref().map_or("", |(_, name)| name.as_str());
                &name[..width.min(name.len())]
            }
            None => {
                stats.no_time += 1;
                "-"
            }
        };
        let mut source = event.source().unwrap_or("-");
        match stats.sources.get_mut(source) {
            Some(n) => *n += 1,
            None => {
                if stats.sources.len() >= max_sources {
                    source = other;
                }
                *stats.sources.entry(source.to_string()).or_insert(0) += 1;
            }
        }
        let slots = stats.cube.get(bucket, source, || [0; SLOTS]);
        let Some(categories) = event.categories() else {
            stats.untagged += 1;
            slots[0] += 1;
            continue;
        };
        for (c, slot) in slots.iter_mut().enumerate().skip(1) {
            *slot += u64::from(categories >> (c - 1) & 1);
        }
        for (path, category, action, count) in event.notes() {
            let counts = stats.redactions.get(path, action, || [0; 19]);
            counts[usize::from(category)] = counts[usize::from(category)].saturating_add(count);
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_bucket_source_and_category() {
        let data = concat!(
            r#"{"timestamp": "2026-11-25T10:30:00Z", "service": "billing", "pii_categories": [1, 11], "#,
            r#""pii_redactions": [{"path": "iban", "category": 11, "action": "mask", "count": 1}]}"#, "\n",
            r#"{"time": 1795606200, "logger": "crm", "pii_categories": []}"#, "\n",
            r#"{"event": "untagged"}"#, "\n",
            "plain text\n\n[1, 2]\n{broken\n",
            r#"{"pii_categories": [2], "service": "a"}"#, "\n",
        );
        let s = stats_chunk(data.as_bytes(), &[], 13, 2, "(other)");
        assert_eq!((s.lines, s.events, s.not_json, s.untagged, s.no_time), (8, 4, 4, 1, 2));
        let mut cube: Vec<_> = s.cube().collect();
        cube.sort();
        assert_eq!(cube, [
            ("-", "(other)", -1, 1), // a third source, past max_sources = 2
            ("-", "(other)", 2, 1),
            ("2026-11-25T10", "billing", 1, 1),
            ("2026-11-25T10", "billing", 11, 1),
            ("2026-11-25T11", "crm", 0, 1),
        ]);
        assert_eq!(s.redactions().collect::<Vec<_>>(), [("iban", 11, "mask", 1)]);
        assert_eq!(s.sources.get("(other)"), Some(&2));
    }

    #[test]
    fn a_cut_line_is_not_an_event() {
        let s = stats_chunk(b"{\"pii_categories\": []}\n", &[0], 13, 10, "o");
        assert_eq!((s.lines, s.events, s.not_json), (1, 0, 1));
    }
}
