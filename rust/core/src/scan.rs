//! Detection by value: every value rule in one search over a text.
//!
//! The rules' patterns are compiled once into one multi-pattern regex
//! (`regex-automata`'s meta engine: linear time in the text, whatever it
//! holds). At each position the first rule in file order that matches wins
//! (leftmost-first, as an alternation would). A candidate then passes the
//! checks that a pattern cannot say in linear time: the characters around it
//! (`not_before`, `not_after`, `not_start`), context words, and its
//! validator. A candidate that fails lets the rules after it try the same
//! position; rules marked `shorter = "groups"` first try the candidate cut
//! before each space or hyphen, longest first. Then the search goes on.
//!
//! Detection only: what to write instead is the caller's business. Offsets are
//! byte offsets into the text.

use std::borrow::Cow;

use aho_corasick::AhoCorasick;
use regex_automata::dfa::{dense, Automaton};
use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternID, PatternSet};

use crate::clean::{self, Look, NeedsLook};
use crate::person_names::NameFinder;
use crate::rules::{NamesRule, RuleError, SafeShape, ValueRule};
use crate::starts::{FirstBytes, MatchStarts};
use crate::text::{count_digits_upto, fold, has_digit};
use crate::validate::{self, Validator};

/// How far back (in characters) a rule's `before` pattern may reach.
pub const MAX_BEFORE: usize = 80;
/// The longest key (in characters) of `key=value` text read as a field name.
pub const MAX_TEXT_KEY: usize = 64;

/// What a rule does with its match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    /// A value to act on.
    Value,
    /// Our own output: passed over.
    Skip,
    /// A URL, redacted part by part by the caller.
    Url,
    /// `key=value`: the key is read as a field name.
    KeyValue,
}

impl Handler {
    fn from_name(name: &str) -> Option<Handler> {
        Some(match name {
            "value" => Handler::Value,
            "skip" => Handler::Skip,
            "url" => Handler::Url,
            "key_value" => Handler::KeyValue,
            _ => return None,
        })
    }
}

/// Where a finding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A value rule, by its index in the rule list.
    Rule(usize),
    /// The value after `key=`, by the target the caller gave for the key.
    Key(usize),
}

/// A span of the text and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub source: Source,
    /// The span is a URL (a `url` rule's match).
    pub url: bool,
}

/// What a field's name tells a value rule about the values under it
/// (`context_fields`, `deny_fields`): the rule's index and whether the rule
/// does not apply there (`deny`) or the field counts as a context word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldCue {
    pub rule: usize,
    pub deny: bool,
}

/// What the caller knows of a key in `key=value` text: a target id (its own
/// numbering) and whether that target keeps the value (tags it only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyTarget {
    pub id: usize,
    pub keep: bool,
    /// A whole number after the key is a count of such values (`logins: 12`), kept.
    pub counts: bool,
}

/// The field-name decisions for keys found in text.
pub trait KeyTargets {
    fn key_target(&mut self, key: &str) -> Option<KeyTarget>;
}

/// No key is a field name (for scanning a text out of any field).
pub struct NoKeys;

impl KeyTargets for NoKeys {
    fn key_target(&mut self, _key: &str) -> Option<KeyTarget> {
        None
    }
}

impl<F: FnMut(&str) -> Option<KeyTarget>> KeyTargets for F {
    fn key_target(&mut self, key: &str) -> Option<KeyTarget> {
        self(key)
    }
}

struct Words {
    regex: Regex,
}

impl Words {
    /// Context words, matched folded, not inside another word; `adjacent`: only
    /// directly before the candidate, allowing "no."/"nr." and a sign between.
    fn new(words: &[String], adjacent: bool) -> Result<Option<Words>, String> {
        if words.is_empty() {
            return Ok(None);
        }
        let mut folded: Vec<String> = words.iter().map(|w| fold(w).into_owned()).collect();
        folded.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let alternatives: Vec<String> = folded.iter().map(|w| regex_syntax::escape(w)).collect();
        let tail = if adjacent {
            r"[ \t]*(?:(?:no|nr|number|numurs)\.?[ \t]*)?[:#]?[ \t]*$"
        } else {
            r"(?:[^a-z]|$)"
        };
        let pattern = format!(r"(?:^|[^a-z0-9])(?:{}){tail}", alternatives.join("|"));
        regex(&pattern).map(|regex| Some(Words { regex }))
    }

    fn found_in(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

struct Rule {
    handler: Handler,
    before: Option<Regex>,
    not_before: Option<CharClass>,
    not_after: Option<Regex>,
    not_start: Option<Regex>,
    shorter_groups: bool,
    validator: Option<Validator>,
    validator_in_context: Option<Validator>,
    context: Option<Words>,
    context_required: bool,
    deny: Option<Words>,
    window: usize,
    min_digits: usize,
    needs_all: Vec<String>,
}

/// A compiled `not_before` class: ASCII characters from a bitmap made
/// with the class's regex when the rules are compiled, any other by the regex.
struct CharClass {
    ascii: u128,
    regex: Regex,
}

impl CharClass {
    fn new(regex: Regex) -> CharClass {
        let ascii = (0..128u8).filter(|&b| regex.is_match(char::from(b).encode_utf8(&mut [0; 4]) as &str)).fold(0, |set, b| set | 1 << b);
        CharClass { ascii, regex }
    }

    /// Whether the one character `c` is in the class.
    fn holds(&self, c: &str) -> bool {
        match c.as_bytes() {
            &[b] if b.is_ascii() => self.ascii >> b & 1 == 1,
            _ => self.regex.is_match(c),
        }
    }
}

struct Shape {
    unless: Option<Regex>,
    min_len: usize,
    max_len: usize,
}

/// The compiled value rules and safe shapes.
pub struct Scanner {
    rules: Vec<Rule>,
    /// Each rule's pattern, for anchored searches of one rule.
    search: Regex,
    /// Each rule's pattern behind one character that its `not_before` allows
    /// (any character for rules without one): the search passes over
    /// positions that a rule's neighbour rules out, instead of stopping at
    /// each (a run of a million digits holds no card).
    boundary: Regex,
    /// Where a match of `boundary` starts.
    starts: MatchStarts,
    /// The bytes a match of `search` may begin with.
    first_bytes: FirstBytes,
    /// The bytes a match of each rule may begin with, by rule.
    rule_first_bytes: Vec<FirstBytes>,
    /// At most this many rules after a failed candidate's are tried one by
    /// one ([`FEW_AFTER`]; with 0, always the search of every rule at once,
    /// as the tests compare).
    few_after: usize,
    /// The largest `min_digits` of a rule: how far a text's digits are counted.
    most_digits: usize,
    /// Every rule's pattern, reporting all that match (which rules match at a place).
    overlapping: Regex,
    needs_literals: Option<AhoCorasick>,
    /// The first look at a text for [`Scanner::is_clean`]: its kinds of
    /// byte, and whether one of `needs_literals` may stand in it.
    needs_look: NeedsLook,
    needs_digit: bool,
    shapes: Vec<Shape>,
    shape_search: Option<ShapeSearch>,
    own_token: Option<Regex>,
    key_then_separator: Regex,
    /// The `[[names]]` lexicons; their findings' rule indexes follow the value rules'.
    names: Vec<NameFinder>,
}

/// `ascii`: classes match ASCII only (`\d` is 0-9), as the safe shapes are written.
fn compile(pattern: &str, what: &str, ascii: bool) -> Result<Regex, String> {
    let config = syntax::Config::new().unicode(!ascii).utf8(!ascii);
    Regex::builder().syntax(config).configure(engine_config()).build(pattern).map_err(|e| {
        let detail = e.syntax_error().map_or_else(|| e.to_string(), |s| s.to_string());
        explain(pattern, what, &detail)
    })
}

/// A compile error, with what to write instead where the pattern used syntax
/// of the earlier engine (look-around, possessive or atomic groups).
fn explain(pattern: &str, what: &str, error: &str) -> String {
    let hint = if ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|s| pattern.contains(s)) {
        "; look-around is not supported: say what may not stand just before or after a match with \
         not_before (a character class) or not_after (a pattern), or what it may not begin with with not_start"
    } else if pattern.contains("(?>") {
        "; atomic groups are not needed (every search takes linear time): write (?:...)"
    } else {
        ""
    };
    let first_line = error.lines().last().unwrap_or(error).trim();
    format!("{what} does not compile: {first_line}{hint}")
}

/// A quantifier (`*`, `+`, `?`, `{m,n}`) followed by `+`, outside classes and escapes.
fn possessive(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    let (mut in_class, mut in_braces) = (false, false);
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' if !in_class => {
                in_class = true;
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                }
            }
            ']' if in_class => in_class = false,
            '{' if !in_class => in_braces = true,
            '}' if in_braces => {
                in_braces = false;
                if chars.peek() == Some(&'+') {
                    return true;
                }
            }
            '*' | '+' | '?' if !in_class && chars.peek() == Some(&'+') => return true,
            _ => {}
        }
    }
    false
}

/// How many rules after a failed candidate's are tried one by one at its
/// position; with more, one search of every rule tells which match there.
const FEW_AFTER: usize = 4;

/// Each lazy DFA's cache, at most.
const CACHE_CAPACITY: usize = 8 << 20;
/// Each compiled NFA, at most.
const NFA_SIZE_LIMIT: usize = 64 << 20;

/// How every regex here is run: no captures are asked for, so no engine that
/// resolves them; the bounded backtracker (which clears its memory of
/// visited states for every search) is left out too: the lazy DFA does it all.
fn engine_config() -> regex_automata::meta::Config {
    Regex::config().backtrack(false).onepass(false).hybrid_cache_capacity(CACHE_CAPACITY).nfa_size_limit(Some(NFA_SIZE_LIMIT))
}

/// A regex built with [`engine_config`].
fn regex(pattern: &str) -> Result<Regex, String> {
    Regex::builder().configure(engine_config()).build(pattern).map_err(|e| e.to_string())
}

fn has_captures(pattern: &str) -> bool {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map(|hir| hir.properties().explicit_captures_len() > 0)
        .unwrap_or(false)
}

fn validator(name: &Option<String>, key: &str) -> Result<Option<Validator>, String> {
    match name {
        None => Ok(None),
        Some(name) => validate::by_name(name).map(Some).ok_or_else(|| {
            format!("'{key}' names unknown validator '{name}'; known: {:?}", validate::NAMES)
        }),
    }
}

/// Checks one value rule's patterns; the error says which key and what is wrong.
pub fn check_value_rule(rule: &ValueRule) -> Result<(), String> {
    compile_rule(rule).map(|_| ())
}

/// Checks one safe shape's patterns.
pub fn check_safe_shape(shape: &SafeShape) -> Result<(), String> {
    compile_shape(shape).map(|_| ())
}

/// Whether `pattern` compiles for the engine (the message says what to write instead).
pub fn check_pattern(pattern: &str, what: &str) -> Result<(), String> {
    if possessive(pattern) {
        return Err(format!(
            "{what} uses a possessive quantifier, which this engine would read as a repetition of a repetition; \
             it is not needed (every search takes linear time): write +, *, ? or {{m,n}}"
        ));
    }
    compile(pattern, what, false)?;
    if has_captures(pattern) {
        return Err(format!("{what} has capturing groups; write (?:...) instead"));
    }
    Ok(())
}

fn compile_rule(rule: &ValueRule) -> Result<Rule, String> {
    check_pattern(&rule.pattern, "'pattern'")?;
    let handler = Handler::from_name(&rule.handler)
        .ok_or_else(|| format!("'handler' is '{}'; expected one of value, skip, url, key_value", rule.handler))?;
    let before = match &rule.before {
        None => None,
        Some(p) if !p.ends_with('$') => {
            return Err("'before' must end with $: it matches the text just before the match".into())
        }
        Some(p) => Some(compile(p, "'before'", false)?),
    };
    let class = |c: &Option<String>, key: &str| -> Result<Option<Regex>, String> {
        c.as_ref().map(|c| compile(&format!("^[{c}]$"), &format!("'{key}' (the inside of a character class)"), false)).transpose()
    };
    let pattern = |p: &Option<String>, key: &str| -> Result<Option<Regex>, String> {
        p.as_ref().map(|p| compile(p, &format!("'{key}'"), false)).transpose()
    };
    let shorter_groups = match rule.shorter.as_deref() {
        None => false,
        Some("groups") => true,
        Some(other) => return Err(format!("'shorter' is '{other}'; expected \"groups\"")),
    };
    let validator_in_context = validator(&rule.validator_in_context, "validator_in_context")?;
    if validator_in_context.is_some() && rule.context.is_empty() {
        return Err("'validator_in_context' needs 'context' words".into());
    }
    if !rule.context_fields.is_empty() && rule.context.is_empty() {
        return Err("'context_fields' needs 'context' words (a field named so counts as one)".into());
    }
    for (key, terms) in [("context_fields", &rule.context_fields), ("deny_fields", &rule.deny_fields)] {
        if let Some(bad) = terms.iter().find(|t| crate::text::name_tokens(t).is_empty()) {
            return Err(format!("'{key}' holds {bad:?}: write a field name with letters or digits"));
        }
    }
    if !(1..=200).contains(&rule.context_window) {
        return Err(format!("'context_window' is {}; expected 1 to 200 characters", rule.context_window));
    }
    Ok(Rule {
        handler,
        before,
        not_before: class(&rule.not_before, "not_before")?.map(CharClass::new),
        not_after: pattern(&rule.not_after, "not_after")?,
        not_start: pattern(&rule.not_start, "not_start")?,
        shorter_groups,
        validator: validator(&rule.validator, "validator")?,
        validator_in_context,
        context: Words::new(&rule.context, false)?,
        context_required: rule.context_required,
        deny: Words::new(&rule.deny_context, true)?,
        window: rule.context_window,
        min_digits: rule.min_digits,
        needs_all: rule.needs_all.clone(),
    })
}

fn compile_shape(shape: &SafeShape) -> Result<Shape, String> {
    compile(&shape.pattern, "'pattern'", true)?;
    if has_captures(&shape.pattern) {
        return Err("'pattern' has capturing groups; write (?:...) instead".into());
    }
    Ok(Shape {
        unless: shape.unless.as_ref().map(|p| compile(p, "'unless'", true)).transpose()?,
        min_len: shape.min_len.unwrap_or(0),
        max_len: shape.max_len.unwrap_or(usize::MAX),
    })
}

/// Which safe shapes a whole text is: the shapes are small and asked of
/// almost every value, so they are one fully built DFA (about 0.6 MB for the
/// shipped ones; a search costs a table step per byte), or, when users' shapes
/// make that too big, a lazy one.
enum ShapeSearch {
    Dense(Box<dense::DFA<Vec<u32>>>),
    Lazy(Regex),
}

impl ShapeSearch {
    /// Bytes a fully built DFA of the shapes may take.
    const DENSE_LIMIT: usize = 8 << 20;

    fn new(shapes: &[SafeShape]) -> Result<ShapeSearch, RuleError> {
        let whole: Vec<String> = shapes.iter().map(|s| format!("^(?:{})$", s.pattern)).collect();
        let ascii = syntax::Config::new().unicode(false).utf8(false);
        let config = dense::Config::new()
            .starts_for_each_pattern(true)
            .dfa_size_limit(Some(Self::DENSE_LIMIT))
            .determinize_size_limit(Some(Self::DENSE_LIMIT));
        if let Ok(dfa) = dense::Builder::new().syntax(ascii).configure(config).build_many(&whole) {
            return Ok(ShapeSearch::Dense(Box::new(dfa)));
        }
        let lazy = Regex::builder().syntax(ascii).configure(engine_config()).build_many(&whole);
        Ok(ShapeSearch::Lazy(lazy.map_err(|e| RuleError(format!("safe shapes: {e}")))?))
    }

    /// The first shape (in file order) that `text` wholly is, by its pattern.
    fn first(&self, text: &str) -> Option<usize> {
        self.find(Input::new(text).anchored(Anchored::Yes))
    }

    /// Whether `text` is wholly shape `i`, by its pattern.
    fn is(&self, i: usize, text: &str) -> bool {
        self.find(Input::new(text).anchored(Anchored::Pattern(PatternID::new_unchecked(i)))).is_some()
    }

    fn find(&self, input: Input<'_>) -> Option<usize> {
        match self {
            // The DFA has no quit bytes, so it never gives up; if it did, the
            // text would simply not be a safe shape (it is scanned).
            ShapeSearch::Dense(dfa) => dfa.try_search_fwd(&input).ok().flatten().map(|m| m.pattern().as_usize()),
            ShapeSearch::Lazy(regex) => regex.search(&input).map(|m| m.pattern().as_usize()),
        }
    }
}

fn char_start_before(text: &str, pos: usize) -> Option<usize> {
    text[..pos].char_indices().next_back().map(|(i, _)| i)
}

/// The byte offset `chars` characters before `pos` (or 0).
fn chars_back(text: &str, pos: usize, chars: usize) -> usize {
    // ASCII before `pos` (most log text): a character is a byte.
    let from = pos.saturating_sub(chars.max(1));
    if text.as_bytes()[from..pos].is_ascii() {
        return from;
    }
    text[..pos].char_indices().rev().nth(chars.saturating_sub(1)).map_or(0, |(i, _)| i)
}

/// `\n`, `\t` or `\r` written out just before `pos`: a break, not a word character.
fn escaped_break(text: &str, pos: usize) -> bool {
    let bytes = text.as_bytes();
    pos >= 2 && bytes[pos - 2] == b'\\' && matches!(bytes[pos - 1], b'n' | b't' | b'r')
}

/// How far into a percent-escape (`%C4`) `pos` stands: 1 or 2 (after its
/// `%` or its first hex digit), 0 outside one. A value never starts inside
/// an escape: its hex digits are no letters of a street or an address's
/// local part (`v%C4%ABbas iela 20-4` holds no street `ABbas iela`).
fn inside_escape(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
    if pos >= 1 && b[pos - 1] == b'%' && hex(pos) && hex(pos + 1) {
        1
    } else if pos >= 2 && b[pos - 2] == b'%' && hex(pos - 1) && hex(pos) {
        2
    } else {
        0
    }
}

fn next_char(text: &str, pos: usize) -> usize {
    pos + text[pos..].chars().next().map_or(1, char::len_utf8)
}

impl Scanner {
    /// Compiles the rules; an error names the rule (or shape) and the problem.
    pub fn new(rules: &[ValueRule], shapes: &[SafeShape], names: &[NamesRule]) -> Result<Scanner, RuleError> {
        let compiled = rules
            .iter()
            .map(|r| compile_rule(r).map_err(|e| RuleError(format!("[[value]] id='{}': {e}", r.id))))
            .collect::<Result<Vec<_>, _>>()?;
        let patterns: Vec<&str> = rules.iter().map(|r| r.pattern.as_str()).collect();
        let search = Regex::builder()
            .configure(engine_config())
            .build_many(&patterns)
            .map_err(|e| RuleError(format!("value rules: {e}")))?;
        let guarded: Vec<String> = rules
            .iter()
            .map(|r| match (&r.not_before, &r.before) {
                (Some(class), None) => format!(r"(?:\\[ntr]|[^{class}])(?:{})", r.pattern),
                _ => format!("(?s:.)(?:{})", r.pattern),
            })
            .collect();
        let boundary = Regex::builder()
            .configure(engine_config())
            .build_many(&guarded)
            .map_err(|e| RuleError(format!("value rules: {e}")))?;
        let starts = MatchStarts::new(&guarded, CACHE_CAPACITY, NFA_SIZE_LIMIT).map_err(|e| RuleError(format!("value rules: {e}")))?;
        let first_bytes = FirstBytes::new(&patterns, NFA_SIZE_LIMIT);
        let rule_first_bytes = patterns.iter().map(|p| FirstBytes::new(&[p], NFA_SIZE_LIMIT)).collect();
        let overlapping = Regex::builder()
            .configure(engine_config().match_kind(MatchKind::All))
            .build_many(&patterns)
            .map_err(|e| RuleError(format!("value rules: {e}")))?;
        let mut literals: Vec<&str> = Vec::new();
        let mut needs_digit = false;
        for rule in rules {
            for need in &rule.needs {
                if need == "digit" {
                    needs_digit = true;
                } else {
                    literals.push(need);
                }
            }
        }
        let needs_literals = if literals.is_empty() {
            None
        } else {
            let searcher = AhoCorasick::builder().kind(Some(aho_corasick::AhoCorasickKind::DFA)).build(&literals);
            Some(searcher.map_err(|e| RuleError(format!("needs: {e}")))?)
        };
        let needs_look = NeedsLook::new(&literals);
        let shape_list = shapes
            .iter()
            .map(|s| compile_shape(s).map_err(|e| RuleError(format!("[[safe]] id='{}': {e}", s.id))))
            .collect::<Result<Vec<_>, _>>()?;
        let shape_search = if shapes.is_empty() { None } else { Some(ShapeSearch::new(shapes)?) };
        let own: Vec<String> =
            rules.iter().filter(|r| r.handler == "skip").map(|r| format!("(?:{})", r.pattern)).collect();
        let own_token = if own.is_empty() {
            None
        } else {
            Some(regex(&own.join("|")).map_err(|e| RuleError(format!("own tokens: {e}")))?)
        };
        let key_then_separator =
            regex(r#"^\s+["']?[\w.\-]+["']?[ \t]*[=:]"#).map_err(RuleError)?;
        Ok(Scanner {
            rules: compiled,
            search,
            boundary,
            starts,
            first_bytes,
            rule_first_bytes,
            few_after: FEW_AFTER,
            most_digits: rules.iter().map(|r| r.min_digits).max().unwrap_or(0),
            overlapping,
            needs_literals,
            needs_look,
            needs_digit,
            shapes: shape_list,
            shape_search,
            own_token,
            key_then_separator,
            names: names.iter().map(NameFinder::new).collect::<Result<_, _>>()?,
        })
    }

    /// True when no rule can match: the text holds none of the rules' needs.
    pub fn lacks_needs(&self, text: &str) -> bool {
        self.lacks_needs_by(text, &self.first_look(text))
    }

    /// The first look at `text` for the clean test: stopped at the first
    /// digit when a digit is a need (the text then has one).
    fn first_look(&self, text: &str) -> Look {
        self.needs_look.look(text, if self.needs_digit { clean::DIGIT } else { 0 })
    }

    /// [`Scanner::lacks_needs`] with the first look at `text` taken: the
    /// literals are searched for only where the look says one may stand.
    fn lacks_needs_by(&self, text: &str, look: &Look) -> bool {
        if self.needs_digit && (look.has(clean::DIGIT) || (look.has(clean::HIGH) && has_digit(text))) {
            return false;
        }
        match &self.needs_literals {
            Some(ac) => !(look.may_hold_literal() && ac.is_match(text)),
            None => true,
        }
    }

    /// The safe shape (its index) that `text` wholly is, if any.
    pub fn shape_of(&self, text: &str) -> Option<usize> {
        let search = self.shape_search.as_ref()?;
        let first = search.first(text)?;
        if self.shape_applies(first, text) {
            return Some(first);
        }
        (first + 1..self.shapes.len()).find(|&i| search.is(i, text) && self.shape_applies(i, text))
    }

    /// Whether `text` is wholly safe shape `i`.
    pub fn has_shape(&self, i: usize, text: &str) -> bool {
        self.shape_search.as_ref().is_some_and(|search| search.is(i, text)) && self.shape_applies(i, text)
    }

    fn shape_applies(&self, i: usize, text: &str) -> bool {
        let shape = &self.shapes[i];
        let len = if text.is_ascii() { text.len() } else { text.chars().count() };
        (shape.min_len..=shape.max_len).contains(&len) && !shape.unless.as_ref().is_some_and(|u| u.is_match(text))
    }

    /// No rule can match `text`: none of their needs and no capitalised
    /// words a name could be made of, or wholly a safe shape.
    pub fn is_clean(&self, text: &str) -> bool {
        let look = self.first_look(text);
        // Without a capital or a non-ASCII character a text holds no name
        // (what `NameFinder::may_hold` reads first).
        let may_name = |text: &str| look.has(clean::UPPER | clean::NON_ASCII) && NameFinder::may_hold(text);
        (self.lacks_needs_by(text, &look) && (self.names.is_empty() || !may_name(text))) || self.shape_of(text).is_some()
    }

    /// Every finding in `text`, in order, not overlapping (none in a clean text).
    pub fn scan(&self, text: &str, keys: &mut dyn KeyTargets) -> Vec<Finding> {
        if self.is_clean(text) {
            return Vec::new();
        }
        self.search(text, keys)
    }

    /// [`Scanner::scan`] without the clean tests.
    pub fn search(&self, text: &str, keys: &mut dyn KeyTargets) -> Vec<Finding> {
        self.search_in(text, keys, &[])
    }

    /// [`Scanner::search`] of the value of a field whose name tells the rules `cues`.
    pub fn search_in(&self, text: &str, keys: &mut dyn KeyTargets, cues: &[FieldCue]) -> Vec<Finding> {
        let mut state = State {
            found: Vec::new(),
            cues,
            digits: None,
            needs_all: Default::default(),
            matching: None,
            own_tokens: None,
        };
        // A match at the very start has no character before it.
        let mut pos = match self.anchored_at(text, 0) {
            Some(m) => self.take(text, 0, m.end(), m.pattern().as_usize(), &mut state, keys),
            None => 0,
        };
        let mut tried_adjacent = None;
        while pos < text.len() {
            // A finding ends at `pos`: a match may start right there, as at the
            // start of the text, whatever the rule's `not_before` says of the
            // character before (the finding's; a second pass sees our mask there).
            if tried_adjacent != Some(pos) && state.found.last().is_some_and(|f| f.end == pos) {
                tried_adjacent = Some(pos);
                if let Some(m) = self.anchored_at(text, pos) {
                    pos = self.take(text, pos, m.end(), m.pattern().as_usize(), &mut state, keys);
                    continue;
                }
            }
            // Matches at `pos` and after: from the character before it.
            let from = char_start_before(text, pos).unwrap_or(0);
            let input = Input::new(text).range(from..);
            let Some(end) = self.boundary.search_half(&input) else { break };
            let Some(start) = self.starts.start(text, from, end).or_else(|| self.boundary.search(&input).map(|m| m.start()))
            else {
                break;
            };
            let at = self.true_start(text, start, end.offset(), end.pattern());
            pos = self.take(text, at, end.offset(), end.pattern().as_usize(), &mut state, keys);
        }
        if !self.names.is_empty() && (NameFinder::may_hold(text) || self.names_cued(cues)) {
            self.add_names(text, &mut state);
        }
        state.found
    }

    /// The match of a rule that begins at `pos`, if one does (not run where
    /// no rule's match can begin: most places after a finding).
    fn anchored_at(&self, text: &str, pos: usize) -> Option<regex_automata::Match> {
        if text.as_bytes().get(pos).is_some_and(|&byte| !self.first_bytes.may_begin(byte)) {
            return None;
        }
        self.search.search(&Input::new(text).range(pos..).anchored(Anchored::Yes))
    }

    /// Whether a field cue is for a `[[names]]` lexicon (their rule indexes follow the value rules').
    fn names_cued(&self, cues: &[FieldCue]) -> bool {
        cues.iter().any(|c| c.rule >= self.rules.len() && !c.deny)
    }

    /// [`Scanner::is_clean`] of the value of a field whose name tells the
    /// rules `cues`: one that says it holds a name is read unless it is wholly a safe shape.
    pub fn is_clean_in(&self, text: &str, cues: &[FieldCue]) -> bool {
        if self.names_cued(cues) {
            return self.shape_of(text).is_some();
        }
        self.is_clean(text)
    }

    /// The names in `text` that no other finding holds, in order among them.
    /// Our own masks and tokens are blanked first: never a name, nor the
    /// context of one.
    fn add_names(&self, text: &str, state: &mut State) {
        let blanked = self.blank_own_tokens(text, state);
        let text = blanked.as_ref();
        let found = &mut state.found;
        let mut taken: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.end)).collect();
        taken.sort_unstable();
        let before = found.len();
        for (j, finder) in self.names.iter().enumerate() {
            let cued = state.cues.iter().any(|c| c.rule == self.rules.len() + j && !c.deny);
            let names = finder.find(text, &taken, cued);
            for &(start, end) in &names {
                found.push(Finding { start, end, source: Source::Rule(self.rules.len() + j), url: false });
            }
            if !names.is_empty() && j + 1 < self.names.len() {
                taken.extend(names);
                taken.sort_unstable();
            }
        }
        if found.len() > before {
            found.sort_by_key(|f| f.start);
        }
    }

    /// Where a match of the boundary search starts in truth: after the one
    /// character before it, or after an escaped line break or tab (`\n`,
    /// `\t`, `\r` written out, as in a traceback logged as one line).
    fn true_start(&self, text: &str, start: usize, end: usize, rule: PatternID) -> usize {
        let bytes = text.as_bytes();
        if bytes[start] == b'\\' && start + 2 <= end && matches!(bytes.get(start + 1), Some(b'n' | b't' | b'r')) {
            let input = Input::new(&text[..end]).range(start + 2..).anchored(Anchored::Pattern(rule));
            if self.search.search(&input).is_some_and(|m| m.end() == end) {
                return start + 2;
            }
        }
        next_char(text, start)
    }

    /// Acts on a match of rule `i` at `at..end`; returns where to search on.
    fn take(&self, text: &str, at: usize, end: usize, i: usize, state: &mut State, keys: &mut dyn KeyTargets) -> usize {
        let (mut end, mut i) = (end, i);
        state.matching = None;
        loop {
            if let Some(next) = self.accept(text, at, end, i, state, keys) {
                return next;
            }
            // The rules after rule i that match at the same position, in file order.
            let later = match self.few_after(text, at, i, state) {
                // Few rules after it may match here at all: each is tried alone.
                Some(few) => few.into_iter().filter(|&j| j > i).find_map(|j| self.anchored_end(text, at, j).map(|e| (j, e))),
                None => {
                    let matching = state.matching.get_or_insert_with(|| {
                        let mut set = PatternSet::new(self.rules.len());
                        self.overlapping.which_overlapping_matches(&Input::new(text).range(at..).anchored(Anchored::Yes), &mut set);
                        set
                    });
                    matching.iter().map(|p| p.as_usize()).filter(|&j| j > i).find_map(|j| self.anchored_end(text, at, j).map(|e| (j, e)))
                }
            };
            match later {
                Some((j, e)) => (i, end) = (j, e),
                None => return next_char(text, at),
            }
        }
    }

    /// Where the match of rule `j` alone that begins at `at` ends, if one does.
    fn anchored_end(&self, text: &str, at: usize, j: usize) -> Option<usize> {
        let input = Input::new(text).range(at..).anchored(Anchored::Pattern(PatternID::new_unchecked(j)));
        self.search.search(&input).map(|m| m.end())
    }

    /// The rules after rule `i` that may match at `at` and count there, in
    /// file order, when they are at most `few_after` (else `None`: the
    /// search of every rule at once tells which match). A rule is left out
    /// when no match of it can begin with the byte at `at`, or when it
    /// cannot count there whatever its match: see [`Scanner::cannot_count_at`].
    fn few_after(&self, text: &str, at: usize, i: usize, state: &mut State) -> Option<Vec<usize>> {
        let byte = *text.as_bytes().get(at).filter(|_| self.few_after > 0)?;
        let mut few = Vec::new();
        for j in i + 1..self.rules.len() {
            if self.rule_first_bytes[j].may_begin(byte) && !self.cannot_count_at(text, at, j, state) {
                if few.len() == self.few_after {
                    return None;
                }
                few.push(j);
            }
        }
        Some(few)
    }

    /// Rule `j` cannot count at `at`, whatever its match there: [`Scanner::accept`]
    /// would say no before looking at the match's end (too few digits, a
    /// `needs_all` missing, a character before it that `not_before` rules
    /// out, inside a percent-escape, or, at the very start of the text,
    /// context words required and none before it to read).
    fn cannot_count_at(&self, text: &str, at: usize, j: usize, state: &mut State) -> bool {
        let rule = &self.rules[j];
        if rule.handler == Handler::Skip {
            return false;
        }
        if self.lacks_what_it_needs(j, text, state) {
            return true;
        }
        // With `before`, a finding may start before `at`: its characters around are others.
        if rule.before.is_some() {
            return false;
        }
        if !self.may_start(rule, text, at, state) {
            return true;
        }
        // No text before the start: no context word can stand there, and
        // only the field's name could stand for one.
        let cued = state.cues.iter().any(|c| c.rule == j);
        at == 0 && rule.handler == Handler::Value && rule.context.is_some() && rule.context_required && !cued
    }

    /// Where to search on if the match of rule `i` at `at..end` counts.
    fn accept(&self, text: &str, at: usize, end: usize, i: usize, state: &mut State, keys: &mut dyn KeyTargets) -> Option<usize> {
        let rule = &self.rules[i];
        if self.lacks_what_it_needs(i, text, state) {
            return None;
        }
        if rule.handler == Handler::Skip {
            return Some(end);
        }
        let start = match &rule.before {
            None => at,
            Some(before) => {
                // No further back than the last finding, nor MAX_BEFORE characters
                // (counted only when the finding is further than that many bytes).
                let last_end = state.found.last().map_or(0, |f| f.end);
                let floor = if at.saturating_sub(last_end) <= MAX_BEFORE { last_end } else { last_end.max(chars_back(text, at, MAX_BEFORE)) };
                let floor = floor.min(at);
                let start = before.search(&Input::new(&text[floor..at]))?.start() + floor;
                // Reaching back as far as it may, it may stop inside an escape: it starts after it.
                match inside_escape(text, start) {
                    0 => start,
                    into => (start + 3 - into).min(at),
                }
            }
        };
        if !self.bounded(rule, text, start, end, state) {
            return self.shorter(i, text, start, end, state);
        }
        match rule.handler {
            Handler::KeyValue => {
                let key = key_of(&text[at..end]);
                let too_long = key.len() > MAX_TEXT_KEY && key.chars().nth(MAX_TEXT_KEY).is_some();
                (!too_long).then(|| self.key_value(text, at, key, end, state, keys))
            }
            Handler::Url => {
                // A URL never ends inside our own mask or token (a query's
                // `[REDACTED:email]` up to its last `]`): it takes all of it,
                // which a second pass leaves as it is.
                let spans = self.own_token_spans(text, state);
                let end = spans.iter().find(|&&(a, b)| a < end && end < b).map_or(end, |&(_, b)| b);
                let end = self.url_end_over_digit_groups(text, start, end, state);
                state.found.push(Finding { start, end, source: Source::Rule(i), url: true });
                Some(end)
            }
            _ => match self.check(i, text, start, end, state) {
                Some(len) => {
                    state.found.push(Finding { start, end: start + len, source: Source::Rule(i), url: false });
                    Some(start + len)
                }
                None => self.shorter(i, text, start, end, state),
            },
        }
    }

    /// Where a URL at `start..end` ends when its last digits begin a value
    /// that runs on past a space (`…/p/4111 1111 1111 1111?e=…`, a card
    /// written in groups): after that value and the URL's characters glued
    /// to it, as a second pass reads it once the value is one mask, which a
    /// URL may hold (the URL alone would end at the space, the groups after
    /// it would be too short to be a value, and the query after them would
    /// be read as text, not parameter by parameter, percent-decoded).
    fn url_end_over_digit_groups(&self, text: &str, start: usize, end: usize, state: &mut State) -> usize {
        let bytes = text.as_bytes();
        let mut end = end;
        while bytes.get(end) == Some(&b' ') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
            let digits = bytes[start..end].iter().rev().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                break;
            }
            let at = end - digits;
            let Some(m) = self.anchored_at(text, at).filter(|m| m.end() > end) else { break };
            let i = m.pattern().as_usize();
            if self.rules[i].handler != Handler::Value || self.check(i, text, at, m.end(), state).is_none_or(|len| at + len <= end) {
                break;
            }
            let glued = text[m.end()..].find(|c: char| c.is_whitespace() || "\"'<>\\[]{}|^`".contains(c)).map_or(text.len(), |k| m.end() + k);
            end = m.end() + text[m.end()..glued].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']).len();
        }
        end
    }

    /// `shorter = "groups"`: the candidate cut before a space or hyphen inside
    /// it, longest first; each piece must still match the rule and pass its checks.
    fn shorter(&self, i: usize, text: &str, start: usize, end: usize, state: &mut State) -> Option<usize> {
        let rule = &self.rules[i];
        if !rule.shorter_groups {
            return None;
        }
        let cuts = text[start..end].char_indices().filter(|&(_, c)| c == ' ' || c == '-').map(|(k, _)| start + k);
        let cuts: Vec<usize> = cuts.collect();
        for &cut in cuts.iter().rev() {
            let input = Input::new(&text[..cut]).range(start..).anchored(Anchored::Pattern(PatternID::new_unchecked(i)));
            let whole = self.search.search(&input).is_some_and(|m| m.end() == cut);
            if whole && self.bounded(rule, text, start, cut, state) {
                if let Some(len) = self.check(i, text, start, cut, state) {
                    state.found.push(Finding { start, end: start + len, source: Source::Rule(i), url: false });
                    return Some(start + len);
                }
            }
        }
        None
    }

    /// Rule `i` asks more of the whole text than it holds: too few digits,
    /// or a `needs_all` literal missing (each answered once per text).
    fn lacks_what_it_needs(&self, i: usize, text: &str, state: &mut State) -> bool {
        let rule = &self.rules[i];
        if rule.min_digits > 0 && *state.digits.get_or_insert_with(|| count_digits_upto(text, self.most_digits)) < rule.min_digits {
            return true;
        }
        !rule.needs_all.is_empty() && !*state.needs_all.entry(i).or_insert_with(|| rule.needs_all.iter().all(|n| text.contains(n.as_str())))
    }

    /// The characters before `start` allow a finding of `rule` to begin
    /// there: not inside a percent-escape, and no character that its
    /// `not_before` rules out (unless a finding ends there, or the break
    /// is an escape).
    fn may_start(&self, rule: &Rule, text: &str, start: usize, state: &State) -> bool {
        if inside_escape(text, start) > 0 {
            return false;
        }
        let after_finding = state.found.last().is_some_and(|f| f.end == start);
        if let (Some(not_before), false) = (&rule.not_before, after_finding) {
            if let Some(prev) = char_start_before(text, start) {
                if not_before.holds(&text[prev..start]) && !escaped_break(text, start) {
                    return false;
                }
            }
        }
        true
    }

    /// The characters around `start..end` allow a finding there.
    fn bounded(&self, rule: &Rule, text: &str, start: usize, end: usize, state: &State) -> bool {
        if !self.may_start(rule, text, start, state) {
            return false;
        }
        if let Some(not_start) = &rule.not_start {
            if not_start.is_match(Input::new(&text[..end]).range(start..).anchored(Anchored::Yes)) {
                return false;
            }
        }
        if let Some(not_after) = &rule.not_after {
            if end < text.len() && not_after.is_match(Input::new(text).range(end..).anchored(Anchored::Yes)) {
                return false;
            }
        }
        true
    }

    /// Context words and validator: the length of the value found at `start`, if any.
    fn check(&self, i: usize, text: &str, start: usize, end: usize, state: &mut State) -> Option<usize> {
        let rule = &self.rules[i];
        let candidate = &text[start..end];
        // What the field's name says: the rule does not apply, or it stands for a context word.
        let field_context = match state.cues.iter().find(|c| c.rule == i) {
            Some(cue) if cue.deny => return None,
            Some(_) => true,
            None => false,
        };
        let mut validator = rule.validator;
        if rule.context.is_some() || rule.deny.is_some() {
            let window = self.window(text, start, rule.window, state);
            let before = fold(&window);
            if rule.deny.as_ref().is_some_and(|d| d.found_in(&before)) {
                return None;
            }
            if let Some(context) = &rule.context {
                if field_context || context.found_in(&before) {
                    if rule.validator_in_context.is_some() {
                        validator = rule.validator_in_context;
                    }
                } else if rule.context_required {
                    return None;
                }
            }
        }
        let len = match validator {
            Some(check) => check(candidate),
            None => candidate.len(),
        };
        (len > 0).then_some(len)
    }

    /// Where our own masks and tokens stand in `text`, found once per text.
    fn own_token_spans<'s>(&self, text: &str, state: &'s mut State) -> &'s [(usize, usize)] {
        state.own_tokens.get_or_insert_with(|| match &self.own_token {
            Some(own) if text.contains('[') => own.find_iter(text).map(|m| (m.start(), m.end())).collect(),
            _ => Vec::new(),
        })
    }

    /// The `chars` characters before `to` that a rule reads for its context
    /// words, where the findings before `to` and our own masks and tokens
    /// count as one blank each: they are never context for another rule
    /// (`[REDACTED:phone:..67], invoice 29123456`), and a window reaches
    /// as far back on a second pass, over the masks, as on the first over
    /// the values they replaced (`zvans no +371anna.ozola@inbox.lv 29 123 456`).
    fn window<'t>(&self, text: &'t str, to: usize, chars: usize, state: &mut State) -> Cow<'t, str> {
        let from = chars_back(text, to, chars);
        self.own_token_spans(text, state);
        let state: &State = state;
        let tokens = state.own_tokens.as_deref().unwrap_or_default();
        let found = state.found.iter().rev().map(|f| (f.start, f.end)).take_while(|&(_, b)| b > from).find(|&(a, b)| a < b && a < to);
        let near = tokens.partition_point(|&(a, _)| a < to);
        if found.is_none() && tokens[..near].last().is_none_or(|&(_, b)| b <= from) {
            return Cow::Borrowed(&text[from..to]);
        }
        // The spans that count as blanks, nearest first by where they start
        // (findings are in order of their starts during the search, as are
        // the tokens; they may overlap), read only as far back as the window goes.
        let found_spans = state.found.iter().rev().map(|f| (f.start, f.end)).filter(|&(a, b)| a < b && a < to);
        let mut found_spans = found_spans.peekable();
        let mut token_spans = tokens[..near].iter().rev().copied().peekable();
        let spans = std::iter::from_fn(|| match (found_spans.peek(), token_spans.peek()) {
            (Some(f), Some(t)) if f.0 >= t.0 => found_spans.next(),
            (_, Some(_)) => token_spans.next(),
            _ => found_spans.next(),
        });
        let mut pieces: Vec<&str> = Vec::new();
        let (mut pos, mut left) = (to, chars);
        for (a, b) in spans {
            let b = b.min(to);
            if b > pos {
                // Inside a blank already counted.
                pos = pos.min(a);
                continue;
            }
            let gap = &text[b..pos];
            let count = gap.chars().count();
            if count >= left {
                pieces.push(&text[chars_back(text, pos, left)..pos]);
                left = 0;
                break;
            }
            pieces.push(gap);
            left -= count + 1;
            pieces.push(" ");
            pos = a;
            if left == 0 {
                break;
            }
        }
        if left > 0 {
            pieces.push(&text[chars_back(text, pos, left)..pos]);
        }
        Cow::Owned(pieces.iter().rev().copied().collect())
    }

    /// `text` with each of our own masks and tokens replaced by as many `0`
    /// as it has bytes (offsets stay as they were). A digit, as most of what
    /// a mask replaced was (card and phone numbers, codes, IBANs, e-mail
    /// addresses end in letters or digits): a word glued to a mask is glued
    /// to it on every pass (`Bē[REDACTED:card:..1111]rziņš` is no name, as
    /// `Bē4111 1111 1111 1111rziņš` was not), and a mask between a context
    /// word and a word is a word of its own, no context word.
    fn blank_own_tokens<'t>(&self, text: &'t str, state: &mut State) -> Cow<'t, str> {
        let tokens = self.own_token_spans(text, state);
        if tokens.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = text.to_string();
        for &(a, b) in tokens.iter() {
            out.replace_range(a..b, &"0".repeat(b - a));
        }
        Cow::Owned(out)
    }

    fn key_value(&self, text: &str, at: usize, key: &str, end: usize, state: &mut State, keys: &mut dyn KeyTargets) -> usize {
        // A key that is no field name of ours is text like any other: the
        // search goes on inside it (`{'LV80BANK0000435195001': 1}` in a repr).
        let Some(target) = keys.key_target(key) else { return next_char(text, at) };
        // Spaces on the same line (a no-break space too) stand before the value.
        let value_start = end
            + text[end..].char_indices().find(|&(_, c)| !c.is_whitespace() || c == '\n' || c == '\r').map_or(text.len() - end, |(i, _)| i);
        let found = &mut state.found;
        if target.keep {
            found.push(Finding { start: value_start, end: value_start, source: Source::Key(target.id), url: false });
            return value_start;
        }
        if let Some(own_end) = self.own_token_at(text, value_start) {
            return own_end;
        }
        let (start, stop) = self.value_span(text, value_start);
        if target.counts && stop > start && text[start..stop].bytes().all(|b| b.is_ascii_digit()) {
            return value_start;
        }
        if stop > start && !self.is_own_token(&text[start..stop]) {
            found.push(Finding { start, end: stop, source: Source::Key(target.id), url: false });
        }
        stop.max(value_start)
    }

    /// Where the value after `key=` or `key:` ends: a closing quote, the next
    /// `key=`, a separator (`, ; & | ] }` or a line break) or the end of the text.
    fn value_span(&self, text: &str, start: usize) -> (usize, usize) {
        let bytes = text.as_bytes();
        if let Some(&quote @ (b'"' | b'\'')) = bytes.get(start) {
            if let Some(close) = memchr::memchr(quote, &bytes[start + 1..]) {
                return (start + 1, start + 1 + close);
            }
        }
        let content_end = text.trim_end().len();
        let mut end = text.len();
        let mut in_space = false;
        for (k, c) in text[start..].char_indices() {
            let p = start + k;
            if matches!(c, '\r' | '\n' | ',' | ';' | '&' | '|' | ']' | '}') {
                end = p;
                break;
            }
            let space = c.is_whitespace();
            if space && !in_space && (p >= content_end || self.key_then_separator.is_match(&text[p..])) {
                end = p;
                break;
            }
            in_space = space;
        }
        (start, start + text[start..end].trim_end().len())
    }

    /// The end of our own mask or token starting at `pos`, if one does.
    pub fn own_token_at(&self, text: &str, pos: usize) -> Option<usize> {
        let own = self.own_token.as_ref()?;
        if text.as_bytes().get(pos) != Some(&b'[') {
            return None;
        }
        own.search(&Input::new(text).range(pos..).anchored(Anchored::Yes)).map(|m| m.end())
    }

    /// `text` (blanks around it aside) is wholly one of our masks or tokens.
    pub fn is_own_token(&self, text: &str) -> bool {
        let text = text.trim();
        self.own_token_at(text, 0) == Some(text.len())
    }

    /// `text` with our masks and tokens blanked out (each becomes one space).
    pub fn without_own_tokens<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match &self.own_token {
            Some(own) if text.contains('[') => own.replace_all(text, " "),
            _ => Cow::Borrowed(text),
        }
    }
}

trait ReplaceAll {
    fn replace_all<'t>(&self, text: &'t str, with: &str) -> Cow<'t, str>;
}

impl ReplaceAll for Regex {
    fn replace_all<'t>(&self, text: &'t str, with: &str) -> Cow<'t, str> {
        let mut out = String::new();
        let mut last = 0;
        for m in self.find_iter(text) {
            out.push_str(&text[last..m.start()]);
            out.push_str(with);
            last = m.end();
        }
        if last == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }
}

struct State<'c> {
    found: Vec<Finding>,
    /// What the name of the field that holds the text tells the rules.
    cues: &'c [FieldCue],
    /// The text's digit count up to [`Scanner::most_digits`], once a rule asked for it.
    digits: Option<usize>,
    /// Whether the text holds all of a rule's `needs_all`, by rule, once asked.
    needs_all: rustc_hash::FxHashMap<usize, bool>,
    /// The rules that match at the position being decided.
    matching: Option<PatternSet>,
    /// Where our own masks and tokens stand in the text, once a context was read.
    own_tokens: Option<Vec<(usize, usize)>>,
}

/// The key of a `key=` match: after an optional quote, a letter or `_`, then
/// word characters, dots and hyphens.
fn key_of(matched: &str) -> &str {
    let s = matched.strip_prefix(['"', '\'']).unwrap_or(matched);
    let end = s
        .char_indices()
        .find(|&(k, c)| !(c.is_alphanumeric() || c == '_' || (k > 0 && (c == '.' || c == '-'))))
        .map_or(s.len(), |(k, _)| k);
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn shipped() -> (RuleSet, Scanner) {
        let rules = RuleSet::shipped().unwrap();
        let scanner = Scanner::new(&rules.values, &rules.safe, &rules.names).unwrap();
        (rules, scanner)
    }

    fn found(rules: &RuleSet, scanner: &Scanner, text: &str) -> Vec<(String, String)> {
        scanner
            .scan(text, &mut NoKeys)
            .into_iter()
            .map(|f| match f.source {
                Source::Rule(i) => (rules.values[i].id.clone(), text[f.start..f.end].to_string()),
                Source::Key(k) => (format!("key {k}"), text[f.start..f.end].to_string()),
            })
            .collect()
    }

    #[test]
    fn chars_back_counts_characters() {
        let by_chars = |text: &str, pos: usize, chars: usize| text[..pos].char_indices().rev().nth(chars.saturating_sub(1)).map_or(0, |(i, _)| i);
        for text in ["", "abc", "klients Jānis, tālr. 29123456", "ā", "āāā abc", "abc āāā"] {
            for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
                for chars in 0..8 {
                    assert_eq!(chars_back(text, pos, chars), by_chars(text, pos, chars), "{text:?} {pos} {chars}");
                }
            }
        }
    }

    #[test]
    fn searches_after_a_finding_are_skipped_where_no_rule_begins() {
        let (_, scanner) = shipped();
        let skipped: Vec<u8> = (0..=255u8).filter(|&b| !scanner.first_bytes.may_begin(b)).collect();
        for b in [b' ', b'\n', b'\t', b']'] {
            assert!(skipped.contains(&b), "{:?} begins no shipped rule's match", char::from(b));
        }
        for b in [b'a', b'Z', b'7', b'+', b'@', b'"', 0xC4] {
            assert!(!skipped.contains(&b), "{b:#x} may begin one");
        }
    }

    #[test]
    fn not_before_classes_read_as_their_regex() {
        let (_, scanner) = shipped();
        let classes: Vec<&CharClass> = scanner.rules.iter().filter_map(|r| r.not_before.as_ref()).collect();
        assert!(classes.len() > 20, "the shipped rules say what may not stand before a match");
        let mut buf = [0; 4];
        let characters = (0..=0x2FF).chain([0x2010, 0x2013, 0x00A0, 0x3000, 0xFF10, 0x1D7CE]).filter_map(char::from_u32);
        for c in characters {
            let c = c.encode_utf8(&mut buf) as &str;
            for class in &classes {
                assert_eq!(class.holds(c), class.regex.is_match(c), "{c:?}");
            }
        }
    }

    #[test]
    fn a_match_may_start_where_a_finding_ends() {
        // The query after an e-mail: `not_before` of the path rule reads the
        // finding's last letter, which a second pass sees as our mask's `]`.
        let (rules, scanner) = shipped();
        let text = "a@b.lv/k?e=anna.ozoliga%40pasts.lv 302";
        let ids: Vec<String> = found(&rules, &scanner, text).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["email", "url_path_query"], "{text:?}");
        let masked = "[REDACTED:email]/k?e=anna.ozoliga%40pasts.lv 302";
        let ids: Vec<String> = found(&rules, &scanner, masked).into_iter().map(|(id, _)| id).collect();
        assert!(ids.ends_with(&["url_path_query".to_string()]), "{ids:?}");
        // Look-alike: a path glued to a word that is no finding is no URL
        // (the address in it, percent-encoded, is found as one all the same).
        let ids: Vec<String> = found(&rules, &scanner, "docs/k?e=anna.ozoliga%40pasts.lv").into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["email_encoded"]);
    }

    #[test]
    fn every_example_is_found_and_no_counterexample() {
        let (rules, scanner) = shipped();
        for rule in &rules.values {
            if rule.handler == "key_value" {
                continue; // needs field names: tested where they are known
            }
            for example in &rule.examples {
                let hits = found(&rules, &scanner, example);
                assert!(hits.iter().any(|(id, _)| *id == rule.id), "{}: example {example:?} not found: {hits:?}", rule.id);
            }
            for counter in &rule.counterexamples {
                let hits = found(&rules, &scanner, counter);
                let acted = hits.iter().any(|(id, _)| {
                    let r = rules.values.iter().find(|r| r.id == *id).unwrap();
                    r.handler == "value" && r.id == rule.id
                });
                assert!(!acted, "{}: counterexample {counter:?} found: {hits:?}", rule.id);
            }
        }
    }

    #[test]
    fn safe_shape_examples_are_safe() {
        let (rules, scanner) = shipped();
        for (i, shape) in rules.safe.iter().enumerate() {
            for example in &shape.examples {
                assert!(scanner.shape_of(example).is_some(), "{}: {example:?}", shape.id);
                assert!(scanner.has_shape(i, example) || scanner.shape_of(example) < Some(i), "{}: {example:?}", shape.id);
            }
        }
        for value in ["4111111111111111", "LV-1010", "C-LV-1010", "1234567890123", "0x12345", "/users/12345"] {
            assert_eq!(scanner.shape_of(value), None, "{value:?}");
        }
        for value in ["4bf92f3577b34da6a3ce929d0e0e4736", "C-LV-10100", "/users/123/orders"] {
            assert!(scanner.shape_of(value).is_some(), "{value:?}");
        }
    }

    #[test]
    fn digit_groups_are_tried_from_the_longest_down() {
        let (rules, scanner) = shipped();
        for (text, card) in [
            ("card 4111 1111 1111 1111 12/27", "4111 1111 1111 1111"),
            ("card 4111 1111 1111 1111 123", "4111 1111 1111 1111"),
            ("paid 4111111111111111 20 EUR", "4111111111111111"),
        ] {
            let hits = found(&rules, &scanner, text);
            assert_eq!(hits, vec![("payment_card".to_string(), card.to_string())], "{text:?}");
        }
    }

    #[test]
    fn look_around_in_a_user_rule_is_explained() {
        let (mut rules, _) = shipped();
        rules.values[0].pattern = r"(?<!\d)\d{4}".into();
        let err = Scanner::new(&rules.values, &rules.safe, &rules.names).err().unwrap().0;
        assert!(err.contains("own_token") && err.contains("not_before"), "{err}");
        rules.values[0].pattern = r"\d++".into();
        let err = Scanner::new(&rules.values, &rules.safe, &rules.names).err().unwrap().0;
        assert!(err.contains("possessive"), "{err}");
        rules.values[0].pattern = r"\++[a]+{2}+".into();
        let err = Scanner::new(&rules.values, &rules.safe, &rules.names).err().unwrap().0;
        assert!(err.contains("possessive"), "{err}");
        rules.values[0].pattern = r"\++[+]+\d{2}x".into();
        assert!(Scanner::new(&rules.values, &rules.safe, &rules.names).is_ok(), "no possessive quantifier in it");
        rules.values[0].pattern = r"(\d)".into();
        let err = Scanner::new(&rules.values, &rules.safe, &rules.names).err().unwrap().0;
        assert!(err.contains("capturing"), "{err}");
    }

    #[test]
    fn key_value_asks_the_caller() {
        let (rules, scanner) = shipped();
        let mut keys = |key: &str| (key == "password").then_some(KeyTarget { id: 7, keep: false, counts: false });
        let text = "login ok user=anna password=Slepens123, retry=0";
        let hits = scanner.scan(text, &mut keys);
        let values: Vec<&str> = hits.iter().filter(|f| f.source == Source::Key(7)).map(|f| &text[f.start..f.end]).collect();
        assert_eq!(values, ["Slepens123"]);
        let _ = rules;
        let long = format!("token={}, next", "x".repeat(5000));
        let mut keys = |key: &str| (key == "token").then_some(KeyTarget { id: 1, keep: false, counts: false });
        let hits = scanner.scan(&long, &mut keys);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].end - hits[0].start, 5000, "the whole value, however long");
    }

    #[test]
    fn the_search_goes_on_inside_a_key_that_is_no_field_name() {
        let (rules, scanner) = shipped();
        let text = "{'LV80BANK0000435195001': 1}";
        let hits = found(&rules, &scanner, text);
        assert_eq!(hits, [("iban".to_string(), "LV80BANK0000435195001".to_string())], "{text:?}");
        // A field name's value is still the caller's to act on.
        let mut keys = |key: &str| (key == "password").then_some(KeyTarget { id: 7, keep: false, counts: false });
        let text = "'password': 'Slepens123'";
        let hits = scanner.scan(text, &mut keys);
        let values: Vec<&str> = hits.iter().filter(|f| f.source == Source::Key(7)).map(|f| &text[f.start..f.end]).collect();
        assert_eq!(values, ["Slepens123"]);
    }

    #[test]
    fn a_whole_number_after_a_counting_key_is_kept() {
        let (_, scanner) = shipped();
        let mut keys = |key: &str| (key == "logins").then_some(KeyTarget { id: 3, keep: false, counts: true });
        for (text, value) in [("logins: 12, ok", None), ("logins=41 next=1", None), ("logins: janis.berzins", Some("janis.berzins")),
                              ("logins: 12 janis", Some("12 janis")), ("logins: 12a", Some("12a"))] {
            let hits = scanner.scan(text, &mut keys);
            let found: Vec<&str> = hits.iter().filter(|f| f.source == Source::Key(3)).map(|f| &text[f.start..f.end]).collect();
            assert_eq!(found, value.into_iter().collect::<Vec<_>>(), "{text}");
        }
    }

    /// Texts for the tests that a fast path answers as the plain one does:
    /// every example of the shipped rules and shapes, what the benchmark
    /// events hold, and generated texts over an alphabet of the bytes the
    /// rules and shapes turn on (digits, capitals, the needs' letters,
    /// separators, Latvian letters, Arabic-Indic digits).
    fn texts(rules: &RuleSet) -> Vec<String> {
        let mut texts: Vec<String> = rules.values.iter().flat_map(|r| r.examples.iter().chain(&r.counterexamples).cloned()).collect();
        texts.extend(rules.safe.iter().flat_map(|s| s.examples.iter().cloned()));
        texts.extend(
            ["", "request finished", "info", "api.http", "2026-11-25T00:00:05.330356Z", "f11fc8de-3eb4-59c8-8f8d-e0e973e1d036",
             "2e7abed5658ef30d856980bb0977e471", "12602120096873616179c405d6d9746d", "/api/v2/invoices/{id}", "gh", "x@", "iel", "ielā 2"]
                .map(String::from),
        );
        let alphabet: Vec<&str> = vec![
            "a", "e", "i", "l", "g", "h", "k", "s", "x", "A", "B", "C", "K", "L", "V", "0", "1", "3", "7", "9", "-", ".", ":", "/",
            "@", "+", "=", "?", "%", "_", " ", "{", "}", "T", "Z", "f", "d", "ā", "ī", "ņ", "š", "٣", "µ", "\n",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 40) {
                text.push_str(alphabet[(seed >> (k % 50) ^ k.wrapping_mul(0x2545_F491)) as usize % alphabet.len()]);
            }
            texts.push(text);
        }
        texts
    }

    #[test]
    fn the_clean_test_answers_as_its_plain_version() {
        let (rules, scanner) = shipped();
        let ac = scanner.needs_literals.as_ref().unwrap();
        let (mut by_literal, mut lacking) = (0, 0);
        for text in texts(&rules) {
            let lacks = !((scanner.needs_digit && has_digit(&text)) || ac.is_match(&text));
            by_literal += usize::from(!has_digit(&text) && ac.is_match(&text));
            lacking += usize::from(lacks);
            assert_eq!(scanner.lacks_needs(&text), lacks, "{text:?}");
            let clean = (lacks && !NameFinder::may_hold(&text)) || scanner.shape_of(&text).is_some();
            assert_eq!(scanner.is_clean(&text), clean, "{text:?}");
        }
        assert!(by_literal > 100 && lacking > 100, "both answers asked: {by_literal} by a literal, {lacking} lacking");
    }

    /// Rules after a failed candidate's tried one by one (those that may
    /// begin with its byte and may count there) find what the search of
    /// every rule at once finds: texts as [`texts`], log lines that begin
    /// with a date, and under a field that stands for every rule's context.
    #[test]
    fn rules_tried_one_by_one_find_what_the_search_of_all_finds() {
        let (rules, scanner) = shipped();
        let (_, mut plain) = shipped();
        plain.few_after = 0;
        // A third of them: each is searched four times, slowly unoptimised.
        let mut texts: Vec<String> = texts(&rules).into_iter().step_by(3).collect();
        for (k, text) in texts.clone().iter().enumerate().step_by(5) {
            texts.push(format!("2026-11-25 10:00:{:02},{k:03} INFO api {text}", k % 60));
            texts.push(format!("{text} dzimis 1990-01-01, tālr. 29123456, kods 4821"));
        }
        texts.push("2026-11-25 10:00:00,000 INFO api.http request finished in 13 ms status=200 route=/api/v2/invoices/{id}".into());
        let everything: Vec<FieldCue> = (0..rules.values.len()).map(|rule| FieldCue { rule, deny: false }).collect();
        let mut keys = |key: &str| (key == "status" || key == "email").then_some(KeyTarget { id: 1, keep: key == "status", counts: false });
        let (mut tried, mut found) = (0, 0);
        for (k, text) in texts.iter().enumerate() {
            for cues in [&[][..], &everything].into_iter().take(if k % 2 == 0 { 2 } else { 1 }) {
                let fast = scanner.search_in(text, &mut keys, cues);
                assert_eq!(fast, plain.search_in(text, &mut keys, cues), "{text:?} cued {}", !cues.is_empty());
                tried += 1;
                found += usize::from(!fast.is_empty());
            }
        }
        assert!(found > 500 && tried > found, "{found} of {tried} texts hold findings");
    }

    #[test]
    fn own_tokens() {
        let (_, scanner) = shipped();
        assert!(scanner.is_own_token(" [REDACTED:phone:..67] "));
        assert!(scanner.is_own_token("[HASH:k1:0f3a9c2b7d1e4f5a6b7c]"));
        assert!(!scanner.is_own_token("[REDACTED:anna@example.lv]"));
        assert_eq!(scanner.without_own_tokens("a [REDACTED:email] b"), "a   b");
    }
}
