//! Log lines, one definition for every tool: a stream of bytes cut into
//! chunks of whole lines ([`Chunker`]), a chunk split into lines ([`split`]),
//! each line decoded once ([`decode`]) and read as what it is ([`kind`]):
//! blank, a JSON object, or text.
//!
//! * A line ends at `\n`; a `\r` before it is part of the ending. The last
//!   line of an input may have no ending.
//! * Bytes that are not UTF-8 are decoded as U+FFFD, one for each maximal
//!   invalid sequence (as Python's `errors="replace"`). NUL and the other
//!   control bytes are characters of the line like any other.
//! * A line of only spaces, tabs, `\r`, `\x0b` or `\x0c` is blank.
//! * A line whose first non-blank byte is `{` and that is wholly one JSON
//!   object is JSON (at any depth; a key written twice is two members);
//!   any other line is text.
//! * A line longer than [`MAX_LINE`] bytes is kept up to the bound (at a
//!   character's start) and the rest of it is not read; the chunk lists it.
//!   A bound under [`MIN_LINE`] bytes is taken as [`MIN_LINE`], so that a
//!   cut line keeps its first character (one cut to nothing, last in the
//!   input and without an ending, would leave no byte in its chunk).

use std::borrow::Cow;

use crate::json::{self, Json, JsonError, Members};

/// The longest line read, in bytes (without its ending).
pub const MAX_LINE: usize = 1 << 20;
/// The shortest bound on a line: a character of any width.
pub const MIN_LINE: usize = 4;
/// A chunk is handed on once it holds this many bytes (at a line's end).
pub const CHUNK_BYTES: usize = 1 << 20;
/// The deepest JSON line built as a tree; a deeper one is still JSON (see [`kind`]).
pub const MAX_LINE_DEPTH: usize = 256;

/// Whole, consecutive lines of one input.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The number of its first line in the input (1 for the first).
    pub first_line: u64,
    /// The lines, each with its own ending (the input's last line may have none).
    pub data: Vec<u8>,
    /// Lines (by index in the chunk) longer than the bound: kept up to it.
    pub cut: Vec<usize>,
}

/// Cuts a stream, given in pieces of any size, into [`Chunk`]s.
#[derive(Debug)]
pub struct Chunker {
    max_line: usize,
    chunk_bytes: usize,
    /// The chunk being filled: whole lines, then the line not yet ended.
    data: Vec<u8>,
    /// Where the line not yet ended starts in `data`.
    line_start: usize,
    /// Whole lines in `data`.
    lines: usize,
    first_line: u64,
    cut: Vec<usize>,
    /// The line not yet ended was cut: its bytes are dropped up to its end.
    skipping: bool,
}

impl Default for Chunker {
    fn default() -> Self {
        Chunker::new(MAX_LINE, CHUNK_BYTES)
    }
}

impl Chunker {
    /// Lines longer than `max_line` bytes (at least [`MIN_LINE`]) are cut;
    /// chunks of about `chunk_bytes`.
    pub fn new(max_line: usize, chunk_bytes: usize) -> Chunker {
        Chunker {
            max_line: max_line.max(MIN_LINE),
            chunk_bytes: chunk_bytes.max(1),
            data: Vec::new(),
            line_start: 0,
            lines: 0,
            first_line: 1,
            cut: Vec::new(),
            skipping: false,
        }
    }

    /// The next bytes of the input: the chunks they complete.
    pub fn push(&mut self, mut bytes: &[u8]) -> Vec<Chunk> {
        let mut out = Vec::new();
        while !bytes.is_empty() {
            let (piece, ends) = match memchr::memchr(b'\n', bytes) {
                Some(i) => (&bytes[..i], true),
                None => (bytes, false),
            };
            bytes = &bytes[piece.len() + usize::from(ends)..];
            if !self.skipping {
                let room = self.max_line - (self.data.len() - self.line_start);
                if piece.len() > room {
                    self.data.extend_from_slice(&piece[..room]);
                    let keep = self.line_start + char_start(&self.data[self.line_start..]);
                    self.data.truncate(keep);
                    self.cut.push(self.lines);
                    self.skipping = true;
                } else {
                    self.data.extend_from_slice(piece);
                }
            }
            if ends {
                self.data.push(b'\n');
                self.end_line(&mut out);
            }
        }
        out
    }

    /// The end of the input: the last chunk, if any line is left.
    pub fn finish(&mut self) -> Option<Chunk> {
        if self.data.len() > self.line_start || self.skipping {
            self.lines += 1;
        }
        self.skipping = false;
        (self.lines > 0).then(|| self.take())
    }

    /// Lines handed on in chunks so far, and in the chunk being filled.
    pub fn lines_seen(&self) -> u64 {
        self.first_line - 1 + self.lines as u64
    }

    fn end_line(&mut self, out: &mut Vec<Chunk>) {
        self.lines += 1;
        self.skipping = false;
        self.line_start = self.data.len();
        if self.data.len() >= self.chunk_bytes {
            out.push(self.take());
        }
    }

    fn take(&mut self) -> Chunk {
        let chunk = Chunk { first_line: self.first_line, data: std::mem::take(&mut self.data), cut: std::mem::take(&mut self.cut) };
        self.first_line += self.lines as u64;
        self.lines = 0;
        self.line_start = 0;
        chunk
    }
}

/// Whole lines already in memory (a slice of a file cut at line ends), each
/// line over `max_line` bytes (at least [`MIN_LINE`]) cut as [`Chunker`]
/// cuts it: None when every line fits (the common case: nothing is copied).
pub fn bound(data: &[u8], max_line: usize) -> Option<Chunk> {
    let max_line = max_line.max(MIN_LINE);
    let mut start = 0;
    let fits = loop {
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |i| start + i);
        if end - start > max_line {
            break false;
        }
        if end >= data.len() {
            break true;
        }
        start = end + 1;
    };
    if fits {
        return None;
    }
    let mut chunker = Chunker::new(max_line, usize::MAX);
    let mut chunks = chunker.push(data);
    chunks.extend(chunker.finish());
    chunks.pop()
}

/// The length of `line` without a character it ends in the middle of.
fn char_start(line: &[u8]) -> usize {
    let len = line.len();
    for back in 1..=len.min(4) {
        let b = line[len - back];
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte
        }
        let need = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if need > back { len - back } else { len };
    }
    len
}

/// One line of a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'c> {
    /// Its bytes without the ending.
    pub body: &'c [u8],
    /// Its bytes with the ending (as it was; none on an input's last line).
    pub whole: &'c [u8],
}

/// The lines of a chunk.
pub fn split(data: &[u8]) -> impl Iterator<Item = Line<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= data.len() {
            return None;
        }
        let rest = &data[pos..];
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        pos += end;
        let whole = &rest[..end];
        let mut body = whole.strip_suffix(b"\n").unwrap_or(whole);
        body = body.strip_suffix(b"\r").unwrap_or(body);
        Some(Line { body, whole })
    })
}

/// A line's text, and whether it held bytes that are not UTF-8 (each
/// maximal invalid sequence then reads as U+FFFD).
pub fn decode(body: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(body) {
        Ok(text) => (Cow::Borrowed(text), false),
        Err(_) => (String::from_utf8_lossy(body), true),
    }
}

/// Only spaces, tabs, `\r`, `\x0b` and `\x0c` (or nothing).
pub fn is_blank(body: &[u8]) -> bool {
    body.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c))
}

/// Holds a NUL byte (a binary line: still read, as text or JSON).
pub fn is_binary(body: &[u8]) -> bool {
    memchr::memchr(0, body).is_some()
}

/// What a line is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'t> {
    Blank,
    /// A JSON object, its members in order (duplicates kept).
    Json(Members<'t>),
    /// A JSON object nested deeper than [`MAX_LINE_DEPTH`]: not built.
    DeepJson,
    Text,
}

/// What the line whose text is `text` is (see the module).
pub fn kind(text: &str) -> Kind<'_> {
    if is_blank(text.as_bytes()) {
        return Kind::Blank;
    }
    if !looks_like_object(text) {
        return Kind::Text;
    }
    match json::parse(text, MAX_LINE_DEPTH) {
        Ok(Json::Object(members)) => Kind::Json(members),
        Ok(_) | Err(JsonError::Invalid) => Kind::Text,
        Err(JsonError::TooDeep) if json::is_valid(text) => Kind::DeepJson,
        Err(JsonError::TooDeep) => Kind::Text,
    }
}

/// The first non-blank byte is `{` (only such a line can be a JSON object).
pub fn looks_like_object(text: &str) -> bool {
    text.trim_start_matches([' ', '\t', '\r', '\n']).starts_with('{')
}

/// The members of a JSON-object line that `wanted` accepts (see
/// [`json::object_members`]); None when the line is not a JSON object.
pub fn object_fields(text: &str, wanted: impl Fn(&str) -> bool, max_depth: usize) -> Option<Members<'_>> {
    if !looks_like_object(text) {
        return None;
    }
    json::object_members(text, wanted, max_depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks_of(input: &[u8], piece: usize, max_line: usize, chunk_bytes: usize) -> Vec<Chunk> {
        let mut chunker = Chunker::new(max_line, chunk_bytes);
        let mut out: Vec<Chunk> = input.chunks(piece.max(1)).flat_map(|p| chunker.push(p)).collect();
        out.extend(chunker.finish());
        out
    }

    #[test]
    fn chunks_hold_whole_numbered_lines_whatever_the_pieces() {
        let input = b"one\r\ntwo\n\nfour\nlast without ending";
        for piece in [1, 2, 3, 7, 100] {
            for chunk_bytes in [1, 5, 1000] {
                let chunks = chunks_of(input, piece, 64, chunk_bytes);
                let joined: Vec<u8> = chunks.iter().flat_map(|c| c.data.clone()).collect();
                assert_eq!(joined, input, "piece {piece}, chunk {chunk_bytes}");
                let mut number = 1;
                for c in &chunks {
                    assert_eq!(c.first_line, number);
                    assert!(c.data.ends_with(b"\n") || c.data.ends_with(b"ending"));
                    number += split(&c.data).count() as u64;
                }
                assert_eq!(number, 6);
            }
        }
        let bodies: Vec<&[u8]> = split(input).map(|l| l.body).collect();
        assert_eq!(bodies, [&b"one"[..], b"two", b"", b"four", b"last without ending"]);
        assert_eq!(split(input).next().unwrap().whole, b"one\r\n");
    }

    #[test]
    fn a_long_line_is_cut_at_a_characters_start_and_the_rest_skipped() {
        let long = "ā".repeat(10); // 20 bytes
        let input = format!("short\n{long}\nafter\n{long}");
        for piece in [1, 3, 64] {
            let chunks = chunks_of(input.as_bytes(), piece, 7, 1 << 20);
            assert_eq!(chunks.len(), 1);
            let c = &chunks[0];
            assert_eq!(c.cut, vec![1, 3], "piece {piece}");
            let bodies: Vec<&[u8]> = split(&c.data).map(|l| l.body).collect();
            assert_eq!(bodies, ["short".as_bytes(), "āāā".as_bytes(), b"after", "āāā".as_bytes()]);
            assert!(bodies.iter().all(|b| !decode(b).1));
        }
        // Exactly at the bound is not cut.
        assert_eq!(chunks_of(b"1234567\n", 1, 7, 100)[0].cut, Vec::<usize>::new());
        assert_eq!(chunks_of(b"12345678\n", 1, 7, 100)[0].cut, vec![0]);
    }

    #[test]
    fn bounding_lines_in_memory_cuts_as_the_chunker_does() {
        assert_eq!(bound(b"short\nlines\n", 7), None);
        assert_eq!(bound(b"", 7), None);
        let data = "x\nāāāāāāāāāā\nabcdefgh\nend".as_bytes();
        let cut = bound(data, 7).unwrap();
        assert_eq!(cut, chunks_of(data, 3, 7, usize::MAX)[0]);
        assert_eq!((cut.data.as_slice(), cut.cut), ("x\nāāā\nabcdefg\nend".as_bytes(), vec![1, 2]));
    }

    #[test]
    fn an_empty_input_has_no_chunk() {
        assert_eq!(chunks_of(b"", 1, 7, 100), vec![]);
        assert_eq!(chunks_of(b"\n", 1, 7, 100)[0].data, b"\n");
    }

    #[test]
    fn decoding_replaces_each_invalid_sequence_once() {
        assert_eq!(decode(b"\xff\xfe x \xe2\x82"), (Cow::Owned::<str>("\u{fffd}\u{fffd} x \u{fffd}".into()), true));
        assert_eq!(decode("ā\0b".as_bytes()), (Cow::Borrowed("ā\0b"), false));
    }

    #[test]
    fn kinds_of_lines() {
        assert_eq!(kind(" \t\x0b"), Kind::Blank);
        assert_eq!(kind(r#" {"a": 1, "a": "x\u0000"} "#), Kind::Json(vec![
            ("a".into(), Json::Number("1".into())),
            ("a".into(), Json::String("x\0".into())),
        ]));
        for text in ["[1]", "{broken", "plain {\"a\": 1}", "{\"a\": \"raw \0 nul\"}", "\"{}\""] {
            assert_eq!(kind(text), Kind::Text, "{text:?}");
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(300), "]".repeat(300));
        assert_eq!(kind(&deep), Kind::DeepJson);
        assert_eq!(kind(&deep[..deep.len() - 1]), Kind::Text);
    }
}
