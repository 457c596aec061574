//! JSON found inside a string or written as a log line: parsed with every
//! member kept (a key written twice is two members, so each value is
//! checked), numbers as written, and written back compactly (as orjson
//! writes it). One grammar for every use: [`parse`] builds the value,
//! [`object_members`] builds only the members asked for and checks the rest
//! without building them (and without recursion, so any depth is read).

use std::borrow::Cow;

/// A JSON value, its text borrowed from the text parsed where it has no
/// escapes. Objects keep their members in order, duplicates included.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// The number as written (`12`, `-0.5`, `1e9`, or an integer of any size).
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Members<'a>),
}

/// The members of an object, in order.
pub type Members<'a> = Vec<(Cow<'a, str>, Json<'a>)>;

/// Why a text is not taken as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON (or not wholly).
    Invalid,
    /// Nested deeper than the limit given to [`parse`].
    TooDeep,
}

/// Parses `text` as one JSON value (blanks around it allowed), nesting at most `max_depth`.
pub fn parse(text: &str, max_depth: usize) -> Result<Json<'_>, JsonError> {
    let mut parser = Parser::new(text, max_depth);
    parser.members.reserve(32);
    parser.items.reserve(16);
    let value = parser.value(0)?;
    parser.end()?;
    Ok(value)
}

/// Whether `text` is one JSON value, at any depth (nothing is built).
pub fn is_valid(text: &str) -> bool {
    let mut parser = Parser::new(text, 0);
    parser.skip_value().and_then(|()| parser.end()).is_ok()
}

/// `text` as one JSON object (blanks around it allowed), at any depth: the
/// members whose key `wanted` accepts, in order and duplicates included,
/// each nested at most `max_depth` (a deeper one is given as `Null`); the
/// others are checked and skipped. None when `text` is not a JSON object.
pub fn object_members(text: &str, wanted: impl Fn(&str) -> bool, max_depth: usize) -> Option<Members<'_>> {
    let picked = object_picks(text, |key| if wanted(key) { Pick::Build } else { Pick::Skip }, &[], max_depth)?;
    Some(picked.members)
}

/// What [`object_picks`] does with a member of the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Checked and moved past.
    Skip,
    /// Built, as [`object_members`] builds it.
    Build,
    /// Read as records when it is an array whose items are objects of
    /// scalars, or scalars (no record); any other value is built.
    Records,
}

/// A scalar value of a record: a string, a number as written, or anything else.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Scalar<'a> {
    #[default]
    Other,
    String(Cow<'a, str>),
    Number(Cow<'a, str>),
}

/// One object of a records member: the last value of each field asked for.
pub type Record<'a> = [Scalar<'a>; RECORD_FIELDS];
/// How many fields a record holds.
pub const RECORD_FIELDS: usize = 4;

/// The members [`object_picks`] read.
#[derive(Debug, Default, PartialEq)]
pub struct Picked<'a> {
    /// Members built (and records members of another shape), in order.
    pub members: Members<'a>,
    /// The records of every records member read as such, in order.
    pub records: Vec<Record<'a>>,
}

/// `text` as one JSON object, as [`object_members`] reads it, each member
/// as `pick` says: records members that are arrays of flat objects are read
/// without building them (for each object, the last value of each of
/// `fields`; a field it lacks, or whose value is not a string or a number,
/// is [`Scalar::Other`]). None when `text` is not a JSON object.
pub fn object_picks<'t>(text: &'t str, pick: impl Fn(&str) -> Pick, fields: &[&str], max_depth: usize) -> Option<Picked<'t>> {
    let mut parser = Parser::new(text, max_depth);
    let picked = parser.chosen_members(pick, fields).ok()?;
    parser.end().ok()?;
    Some(picked)
}

struct Parser<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    max_depth: usize,
    /// The members and items of the objects and arrays being read, on a
    /// stack: each is moved out at its end into a vector of its exact size.
    members: Members<'t>,
    items: Vec<Json<'t>>,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str, max_depth: usize) -> Parser<'t> {
        let bytes = text.as_bytes();
        Parser { bytes, text, pos: 0, max_depth, members: Vec::new(), items: Vec::new() }
    }

    /// [`plain_run`] of the text from `from`.
    fn run_from(&self, from: usize) -> usize {
        plain_run(&self.bytes[from..])
    }

    fn blanks(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Only blanks are left.
    fn end(&mut self) -> Result<(), JsonError> {
        self.blanks();
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(JsonError::Invalid)
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(JsonError::Invalid)
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str, value: Json<'t>) -> Result<Json<'t>, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(JsonError::Invalid)
        }
    }

    /// The members of the object at hand, as `pick` says (see [`object_picks`]).
    fn chosen_members(&mut self, pick: impl Fn(&str) -> Pick, fields: &[&str]) -> Result<Picked<'t>, JsonError> {
        self.blanks();
        self.expect(b'{')?;
        let mut picked = Picked::default();
        self.blanks();
        if self.eat(b'}') {
            return Ok(picked);
        }
        loop {
            self.blanks();
            let key = self.key()?;
            let how = pick(&key);
            if how == Pick::Records && self.records(fields, &mut picked.records)? {
                // read as records
            } else if how != Pick::Skip {
                let start = self.pos;
                match self.value(1) {
                    Ok(value) => picked.members.push((key, value)),
                    Err(JsonError::TooDeep) => {
                        self.pos = start;
                        self.skip_value()?;
                        picked.members.push((key, Json::Null));
                    }
                    Err(e) => return Err(e),
                }
            } else {
                self.skip_value()?;
            }
            self.blanks();
            if self.eat(b'}') {
                return Ok(picked);
            }
            self.expect(b',')?;
        }
    }

    /// The value at hand as records (see [`Pick::Records`]), added to `out`:
    /// false, with nothing read or added, when it has another shape.
    fn records(&mut self, fields: &[&str], out: &mut Vec<Record<'t>>) -> Result<bool, JsonError> {
        let (start, base) = (self.pos, out.len());
        let other_shape = |p: &mut Self, out: &mut Vec<Record<'t>>| {
            p.pos = start;
            out.truncate(base);
            Ok(false)
        };
        self.blanks();
        // As built, the objects are 3 deep (the member's array 2).
        if self.max_depth < 3 || !self.eat(b'[') {
            return other_shape(self, out);
        }
        self.blanks();
        if self.eat(b']') {
            return Ok(true);
        }
        loop {
            self.blanks();
            match self.bytes.get(self.pos) {
                Some(b'[') => return other_shape(self, out),
                Some(b'{') => {
                    self.pos += 1;
                    let mut record = Record::default();
                    self.blanks();
                    if !self.eat(b'}') {
                        loop {
                            self.blanks();
                            let key = self.key()?;
                            self.blanks();
                            if matches!(self.bytes.get(self.pos), Some(b'{' | b'[')) {
                                return other_shape(self, out);
                            }
                            let value = self.value(0)?;
                            if let Some(i) = fields.iter().position(|f| *f == key) {
                                record[i] = match value {
                                    Json::String(s) => Scalar::String(s),
                                    Json::Number(n) => Scalar::Number(n),
                                    _ => Scalar::Other,
                                };
                            }
                            self.blanks();
                            if self.eat(b'}') {
                                break;
                            }
                            self.expect(b',')?;
                        }
                    }
                    out.push(record);
                }
                _ => drop(self.value(0)?), // a scalar item: no record
            }
            self.blanks();
            if self.eat(b']') {
                return Ok(true);
            }
            self.expect(b',')?;
        }
    }

    /// A member's key and its colon; borrowed from the text when it has no escapes.
    fn key(&mut self) -> Result<Cow<'t, str>, JsonError> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(JsonError::Invalid);
        }
        let start = self.pos + 1;
        let n = self.run_from(start);
        let key = if self.bytes.get(start + n) == Some(&b'"') {
            self.pos = start + n + 1;
            Cow::Borrowed(&self.text[start..start + n])
        } else {
            self.string()?
        };
        self.blanks();
        self.expect(b':')?;
        Ok(key)
    }

    /// Checks one value of any depth and moves past it, building nothing
    /// (a stack of the closing brackets awaited, no recursion).
    fn skip_value(&mut self) -> Result<(), JsonError> {
        let mut closers: Vec<u8> = Vec::new();
        loop {
            self.blanks();
            match self.bytes.get(self.pos) {
                Some(b'{') => {
                    self.pos += 1;
                    self.blanks();
                    if !self.eat(b'}') {
                        closers.push(b'}');
                        self.key()?;
                        continue;
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.blanks();
                    if !self.eat(b']') {
                        closers.push(b']');
                        continue;
                    }
                }
                Some(b'"') => self.string_into(None)?,
                Some(b't') => drop(self.literal("true", Json::Null)?),
                Some(b'f') => drop(self.literal("false", Json::Null)?),
                Some(b'n') => drop(self.literal("null", Json::Null)?),
                Some(b'-' | b'0'..=b'9') => self.number_end()?,
                _ => return Err(JsonError::Invalid),
            }
            // After a value: close what it ended, or go on to the next item.
            loop {
                let Some(&close) = closers.last() else { return Ok(()) };
                self.blanks();
                if self.eat(close) {
                    closers.pop();
                    continue;
                }
                self.expect(b',')?;
                if close == b'}' {
                    self.blanks();
                    self.key()?;
                }
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'t>, JsonError> {
        self.blanks();
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(JsonError::Invalid),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json<'t>, JsonError> {
        if depth > self.max_depth {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        self.blanks();
        if self.eat(b'}') {
            return Ok(Json::Object(Vec::new()));
        }
        let base = self.members.len();
        loop {
            self.blanks();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(JsonError::Invalid);
            }
            let key = self.string()?;
            self.blanks();
            if !self.eat(b':') {
                return Err(JsonError::Invalid);
            }
            let value = self.value(depth)?;
            self.members.push((key, value));
            self.blanks();
            if self.eat(b'}') {
                return Ok(Json::Object(self.members.drain(base..).collect()));
            }
            if !self.eat(b',') {
                return Err(JsonError::Invalid);
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json<'t>, JsonError> {
        if depth > self.max_depth {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        self.blanks();
        if self.eat(b']') {
            return Ok(Json::Array(Vec::new()));
        }
        let base = self.items.len();
        loop {
            let item = self.value(depth)?;
            self.items.push(item);
            self.blanks();
            if self.eat(b']') {
                return Ok(Json::Array(self.items.drain(base..).collect()));
            }
            if !self.eat(b',') {
                return Err(JsonError::Invalid);
            }
        }
    }

    fn number(&mut self) -> Result<Json<'t>, JsonError> {
        let start = self.pos;
        self.number_end()?;
        Ok(Json::Number(Cow::Borrowed(&self.text[start..self.pos])))
    }

    /// Moves past a number, checking its form.
    fn number_end(&mut self) -> Result<(), JsonError> {
        self.eat(b'-');
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - from
        };
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(JsonError::Invalid),
        }
        if self.eat(b'.') && digits(self) == 0 {
            return Err(JsonError::Invalid);
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if digits(self) == 0 {
                return Err(JsonError::Invalid);
            }
        }
        Ok(())
    }

    fn string(&mut self) -> Result<Cow<'t, str>, JsonError> {
        // Most strings have no escapes: their text is borrowed.
        let start = self.pos + 1;
        let run = self.run_from(start);
        if self.bytes.get(start + run) == Some(&b'"') {
            self.pos = start + run + 1;
            return Ok(Cow::Borrowed(&self.text[start..start + run]));
        }
        let mut out = String::with_capacity(run + 16);
        self.string_into(Some(&mut out))?;
        Ok(Cow::Owned(out))
    }

    /// Moves past a string, checking it, and writes its text to `out` if given.
    fn string_into(&mut self, mut out: Option<&mut String>) -> Result<(), JsonError> {
        self.pos += 1; // the opening quote
        loop {
            let run = self.run_from(self.pos);
            if self.pos + run == self.bytes.len() {
                return Err(JsonError::Invalid);
            }
            if let Some(out) = out.as_deref_mut() {
                out.push_str(&self.text[self.pos..self.pos + run]);
            }
            self.pos += run;
            match self.bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = *self.bytes.get(self.pos).ok_or(JsonError::Invalid)?;
                    self.pos += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(JsonError::Invalid),
                    };
                    if let Some(out) = out.as_deref_mut() {
                        out.push(c);
                    }
                }
                _ => return Err(JsonError::Invalid), // a control character
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let hex = self.text.get(self.pos..self.pos + 4).ok_or(JsonError::Invalid)?;
        let value = u32::from_str_radix(hex, 16).map_err(|_| JsonError::Invalid)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(JsonError::Invalid);
        }
        self.pos += 4;
        Ok(value)
    }

    /// `\uXXXX`, a surrogate pair as one character; a lone surrogate is not
    /// valid text (orjson rejects it too).
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(JsonError::Invalid);
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(JsonError::Invalid);
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            return char::from_u32(code).ok_or(JsonError::Invalid);
        }
        char::from_u32(first).ok_or(JsonError::Invalid)
    }
}

/// How many bytes of a string's text come before its end, an escape or a
/// control character (the length of `bytes` when none does).
fn plain_run(bytes: &[u8]) -> usize {
    // Eight bytes at a time: the lowest byte flagged by each test is exact
    // (a borrow only ever flags bytes above a true one).
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let hits = (zero_in(w ^ (ONES * u64::from(b'"'))) | zero_in(w ^ (ONES * u64::from(b'\\'))) | (w.wrapping_sub(ONES * 0x20) & !w)) & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len() - i)
}

impl Json<'_> {
    /// Compact JSON, as orjson writes it: no blanks, non-ASCII as it is.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// [`Json::to_text`] into `out`.
    pub fn write_to(&self, out: &mut String) {
        self.write(out);
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut at = 0;
    loop {
        // The text up to the next byte to escape (all ASCII), as it is.
        let run = plain_run(&bytes[at..]);
        out.push_str(&s[at..at + run]);
        at += run;
        let Some(&b) = bytes.get(at) else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            control => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(control >> 4)]));
                out.push(char::from(HEX[usize::from(control & 0xf)]));
            }
        }
        at += 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_compactly_with_duplicates_and_raw_numbers() {
        let text = r#" { "a" : 1, "a": [true, null, -0.5e3, 123456789012345678901234], "é\n": "x\"\u00e9\ud83d\ude00" } "#;
        let value = parse(text, 32).unwrap();
        let Json::Object(members) = &value else { panic!() };
        assert_eq!(members.len(), 3);
        assert_eq!(value.to_text(), r#"{"a":1,"a":[true,null,-0.5e3,123456789012345678901234],"é\n":"x\"é😀"}"#);
    }

    #[test]
    fn strings_are_written_as_escaping_character_by_character_writes_them() {
        let naive = |s: &str| {
            let mut out = String::from('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        };
        let all: String = (0u8..0x80).map(char::from).chain("āž😀".chars()).collect();
        let mut texts = vec![String::new(), "plain".into(), "ends in an escape\n".into(), all.clone()];
        texts.extend((0..all.len()).filter(|&i| all.is_char_boundary(i)).map(|i| all[i..].to_string() + "tail"));
        for text in &texts {
            let written = Json::String(text.as_str().into()).to_text();
            assert_eq!(written, naive(text), "{text:?}");
            assert_eq!(parse(&written, 4), Ok(Json::String(text.as_str().into())));
        }
    }

    #[test]
    fn rejects_what_is_not_json() {
        for text in ["", "{", "{\"a\"}", "[1,]", "[01]", "{'a': 1}", "[1] x", "\"\\ud800\"", "[1.]", "tru", "\"a\u{1}\""] {
            assert_eq!(parse(text, 32), Err(JsonError::Invalid), "{text:?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(40) + &"]".repeat(40);
        assert_eq!(parse(&deep, 32), Err(JsonError::TooDeep));
        assert!(parse(&deep, 40).is_ok());
    }

    #[test]
    fn skipping_accepts_and_rejects_what_parsing_does() {
        let good = [r#"{"a":[1,{"b":null}],"c":"\u00e9\n","d":-1.5e+3,"e":{}}"#, "[]", "[[],{}]", " 0 ", r#""x""#, "true"];
        for text in good {
            assert!(is_valid(text), "{text:?}");
            assert!(parse(text, 32).is_ok(), "{text:?}");
        }
        let bad = ["", "{", "{\"a\"}", "{\"a\":}", "[1,]", "[01]", "{'a': 1}", "[1] x", "\"\\ud800\"", "[1.]", "tru",
                   "\"a\u{1}\"", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{,}", "[}", "{]", "{\"a\":1]"];
        for text in bad {
            assert!(!is_valid(text), "{text:?}");
            assert_eq!(parse(text, 32), Err(JsonError::Invalid), "{text:?}");
        }
    }

    #[test]
    fn plain_runs_stop_at_the_first_quote_escape_or_control_character() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).unwrap_or(b.len());
        let mut texts: Vec<Vec<u8>> = vec![b"".to_vec(), b"abc".to_vec(), "āžš€😀 plain text".as_bytes().to_vec()];
        for stop in [b'"', b'\\', 0, 0x1f, b'\n'] {
            for at in 0..20 {
                let mut t = "xyzāé€".repeat(4).into_bytes();
                t.insert(at, stop);
                t.insert(at + 3, b'"');
                texts.push(t);
            }
        }
        texts.push(vec![0x20, 0x7f, 0x80, 0xff, 0x21, 0x23, 0x5b, 0x5d, 0x1f]);
        for t in &texts {
            assert_eq!(plain_run(t), naive(t), "{t:?}");
        }
    }

    #[test]
    fn skipping_reads_any_depth_without_recursion() {
        let deep = "[".repeat(200_000) + &"]".repeat(200_000);
        assert!(is_valid(&deep));
        assert!(!is_valid(&deep[1..]));
        assert_eq!(parse(&deep, 256), Err(JsonError::TooDeep));
    }

    #[test]
    fn records_are_read_as_the_built_value_would_give_them() {
        let fields = ["a", "b", "c", "d"];
        let pick = |k: &str| if k == "r" { Pick::Records } else if k == "x" { Pick::Build } else { Pick::Skip };
        let text = r#"{"r": [{"a": "s", "b": 1.5, "b": 2, "z": "y", "c": null}, 3, {}, {"d": "\u0041"}], "x": 1, "r": []}"#;
        let picked = object_picks(text, pick, &fields, 8).unwrap();
        use Scalar::{Number as N, Other as O, String as S};
        assert_eq!(picked.records, vec![
            [S("s".into()), N("2".into()), O, O],
            [O, O, O, O],
            [O, O, O, S("A".into())],
        ]);
        assert_eq!(picked.members, vec![("x".into(), Json::Number("1".into()))]);
        // Another shape: built as a member (a nested value, an item that is an array, not an array).
        for other in [r#"[{"a": [1]}]"#, r#"[{"a": 1}, [2]]"#, r#"{"a": 1}"#, r#""s""#, r#"[{"q": {"a": 1}}]"#] {
            let text = format!(r#"{{"r": {other}}}"#);
            let picked = object_picks(&text, pick, &fields, 8).unwrap();
            assert_eq!((picked.records.len(), picked.members.len()), (0, 1), "{other}");
            assert_eq!(Some(&picked.members[0].1), parse(other, 8).ok().as_ref(), "{other}");
        }
        // Not wholly JSON: nothing, whichever way it is read.
        for bad in [r#"{"r": [{"a": 1,}]}"#, r#"{"r": [{"a" 1}]}"#, r#"{"r": [1,]}"#, r#"{"r": [{"a": [1,]}]}"#] {
            assert_eq!(object_picks(bad, pick, &fields, 8), None, "{bad}");
        }
    }

    #[test]
    fn chosen_members_keep_duplicates_and_read_escaped_keys() {
        let text = r#"{"x": [1, [2]], "pii_categorie\u0073": [11], "y": {"pii_categories": [3]}, "pii_categories": []}"#;
        let members = object_members(text, |k| k == "pii_categories", 8).unwrap();
        assert_eq!(
            members,
            vec![
                ("pii_categories".into(), Json::Array(vec![Json::Number("11".into())])),
                ("pii_categories".into(), Json::Array(vec![])),
            ]
        );
        // Not an object, or not wholly JSON: nothing.
        for text in ["[1]", "\"pii_categories\"", r#"{"pii_categories": [1]"#, r#"{"pii_categories": [1]} x"#, r#"{"a": [1,]}"#] {
            assert_eq!(object_members(text, |_| true, 8), None, "{text:?}");
        }
        // A chosen member deeper than the bound is given as null; the rest is still read.
        let deep = format!(r#"{{"t": {}1{}, "u": 2}}"#, "[".repeat(50), "]".repeat(50));
        let members = object_members(&deep, |_| true, 8).unwrap();
        assert_eq!(members, vec![("t".into(), Json::Null), ("u".into(), Json::Number("2".into()))]);
    }
}
