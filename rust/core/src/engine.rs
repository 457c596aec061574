//! The engine: what one event's keys and strings hold, and what to write
//! instead. A caller walks its own containers (the Python glue walks dicts
//! and lists; [`Walk::json`] walks JSON found inside a string) and asks a
//! [`Walk`] for each key's [`Node`] and each string's redaction; the walk
//! keeps the event's tally ([`Run`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;

use crate::act::{self, Action, Hasher, Mask, Normalizer, Target};
use crate::json::{self, Json, JsonError, Members};
use crate::names::{child_words, FieldNames};
use crate::rules::{FieldRule, RuleError, RuleSet};
use crate::scan::{KeyTarget, Scanner, Source};
use crate::tree::{KeyKind, Node, NodeId, Nodes, ROOT};
use crate::url;

/// Integers smaller than this (in magnitude) cannot be a phone, code, card or account.
pub const BIG_INT: u64 = 1_000_000;
/// How deep URLs inside URLs are read part by part (a redirect inside a redirect).
pub const MAX_URL_NESTING: usize = 3;
/// The deepest nesting a walk follows: each level is a frame on the thread's stack.
pub const MAX_DEPTH: usize = 256;
/// The longest key, in bytes, whose name is read; a longer one is replaced by a marker.
pub const MAX_KEY_BYTES: usize = 1024;
/// The largest JSON document inside a string that is parsed, in bytes.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// The markers written where a bound stops the walk (each counts as unchecked).
pub const TOO_DEEP: &str = "[REDACTED:too_deep]";
pub const TOO_LARGE: &str = "[REDACTED:too_large]";
pub const LONG_KEY: &str = "[REDACTED:long_key]";
pub const CYCLE: &str = "[REDACTED:cycle]";

/// The target of "could not be checked": category 0, dropped.
pub const UNCHECKED_RULE: &str = "unchecked";
/// Kinds of field rule whose fields make their mapping a person's record.
const PERSONAL_KINDS: [&str; 4] = ["identity", "contact", "bank", "credential"];
/// Categories of a person's own data (identification, contact, portal
/// users, suppliers, bank, access): a value of one makes its mapping a
/// person's record.
const PERSONAL_CATEGORIES: [u8; 7] = [1, 2, 3, 5, 6, 11, 16];
/// Top-level keys whose value is the event's own name (structlog's `event`,
/// a log record's message, OpenTelemetry's event name).
pub const EVENT_NAME_KEYS: [&str; 5] = ["event", "message", "msg", "event.name", "event_name"];
/// The longest text (bytes) read as an event's name.
const MAX_EVENT_NAME: usize = 200;
/// Our own fields at the top level of an event: the tags, the summary notes
/// and the fail-closed error. They are not walked (they are written again).
pub const CATEGORIES_KEY: &str = "pii_categories";
pub const SUMMARY_KEY: &str = "pii_redactions";
pub const ERROR_KEY: &str = "pii_error";

/// The targets the policy resolved, by (rule, category), and the special ones.
pub struct Targets {
    list: Vec<Target>,
    by_rule: HashMap<(String, u8), u32>,
    unchecked: u32,
    url_password: u32,
}

impl Targets {
    /// `list`: every (rule, category) a rule can be found under, resolved by
    /// the caller's policy; it must hold `url_password` (16).
    pub fn new(mut list: Vec<Target>) -> Result<Targets, RuleError> {
        list.push(Target::new(UNCHECKED_RULE, 0, UNCHECKED_RULE, Action::Drop));
        let by_rule: HashMap<(String, u8), u32> =
            list.iter().enumerate().map(|(i, t)| ((t.rule.clone(), t.category), i as u32)).collect();
        let url_password = *by_rule
            .get(&("url_password".to_string(), 16))
            .ok_or_else(|| RuleError("targets: url_password (16) is missing".into()))?;
        Ok(Targets { unchecked: (list.len() - 1) as u32, url_password, list, by_rule })
    }

    pub fn get(&self, id: u32) -> &Target {
        &self.list[id as usize]
    }

    pub fn all(&self) -> &[Target] {
        &self.list
    }

    pub fn unchecked(&self) -> u32 {
        self.unchecked
    }

    /// The target of (rule, category), if the rules can produce it.
    pub fn lookup(&self, rule: &str, category: u8) -> Option<u32> {
        self.by_rule.get(&(rule.to_string(), category)).copied()
    }

    fn find(&self, rule: &str, category: u8) -> Result<u32, RuleError> {
        self.by_rule
            .get(&(rule.to_string(), category))
            .copied()
            .ok_or_else(|| RuleError(format!("targets: no target for rule '{rule}' in category {category}")))
    }
}

/// Every (rule, category) pair a rule set can produce, with the rule's own
/// label, action, mask and normaliser: what a policy resolves into [`Targets`].
pub fn target_needs(rules: &RuleSet) -> Vec<(String, u8, String, Option<String>, String, String)> {
    let mut out = Vec::new();
    for f in &rules.fields {
        let mut categories = vec![f.category];
        for c in &rules.contexts {
            if c.applies_to.contains(&f.kind) && !categories.contains(&c.category) {
                categories.push(c.category);
            }
        }
        for category in categories {
            out.push((f.id.clone(), category, label(&f.label, &f.id), f.action.clone(), f.mask.clone(), f.normalize.clone()));
        }
    }
    for v in &rules.values {
        if let Some(category) = v.category {
            out.push((v.id.clone(), category, label(&v.label, &v.id), v.action.clone(), v.mask.clone(), v.normalize.clone()));
        }
    }
    for n in &rules.names {
        out.push((n.id.clone(), n.category, label(&n.label, &n.id), n.action.clone(), n.mask.clone(), n.normalize.clone()));
    }
    out.push(("url_password".into(), 16, "secret".into(), Some("drop".into()), "full".into(), "text".into()));
    out
}

fn label(label: &Option<String>, id: &str) -> String {
    label.clone().filter(|l| !l.is_empty()).unwrap_or_else(|| id.to_string())
}

/// A finding of an event: its target, where, and the value as found (None
/// where there is no single value: a tag by field name, a key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub target: u32,
    pub path: String,
    pub value: Option<String>,
}

/// What one event carried: categories, changes, notes by path (with a
/// summary) and findings (when collected).
#[derive(Debug, Default, Clone)]
pub struct Run {
    /// Bit n: category n was found.
    pub categories: u32,
    /// How many values of a person (categories in [`PERSONAL_CATEGORIES`], not kept) were found.
    pub personal: usize,
    /// How many values were changed (or could not be checked).
    pub changes: usize,
    notes: Option<Notes>,
    pub found: Option<Vec<Found>>,
    /// (target, count) of the findings a summary would note, without their
    /// paths (for callers that only total them).
    by_target: Option<Vec<(u32, usize)>>,
}

#[derive(Debug, Default, Clone)]
struct Notes {
    /// (path, target, action done, count), in the order first seen.
    order: Vec<(String, u32, Action, usize)>,
    /// The count an earlier pass gave each entry (0: none).
    previous: Vec<usize>,
    /// The entry is an earlier pass's note of a field that is dropped: it
    /// stands though this walk cannot meet its path (the key is gone).
    gone: Vec<bool>,
    /// Earlier notes that may be of a dropped field, waiting for the walk
    /// to meet a parent of their path (their entries).
    pending: Vec<usize>,
    index: HashMap<(String, u32, Action), usize>,
    /// The paths this walk met, once an earlier pass's notes were read.
    paths: Option<std::collections::HashSet<String>>,
}

impl Notes {
    fn entry(&mut self, path: &str, target: u32, done: Action) -> usize {
        let key = (path.to_string(), target, done);
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.index.insert(key, self.order.len());
        self.order.push((path.to_string(), target, done, 0));
        self.previous.push(0);
        self.gone.push(false);
        self.order.len() - 1
    }
}

impl Run {
    pub fn new(summary: bool, collect: bool) -> Run {
        Run { notes: summary.then(Notes::default), found: collect.then(Vec::new), ..Run::default() }
    }

    /// A run that counts what a summary would note by target only (no
    /// paths, no notes): cheaper where only totals are wanted.
    pub fn counting(collect: bool) -> Run {
        Run { by_target: Some(Vec::new()), ..Run::new(false, collect) }
    }

    /// What [`Run::counting`] counted: (target, count), in the order first seen.
    pub fn target_counts(&self) -> &[(u32, usize)] {
        self.by_target.as_deref().unwrap_or_default()
    }

    /// Whether notes are kept (a summary was asked for).
    pub fn summary(&self) -> bool {
        self.notes.is_some()
    }

    /// The notes: (path, target, action done, count), in the order first seen.
    /// The action done is the target's, but a mask where a hash found nothing
    /// to hash (a phone field without digits). An entry an
    /// earlier pass noted counts what it counted then, or what this pass
    /// found if that is more (tags are found again; masks in text are not):
    /// so redacting twice equals once.
    pub fn notes(&self) -> Vec<(String, u32, Action, usize)> {
        let Some(notes) = &self.notes else { return Vec::new() };
        // The top ("": what a key's own name held, a message's URL) is met by every walk.
        let met = |path: &str| path.is_empty() || notes.paths.as_ref().is_none_or(|paths| paths.contains(path));
        notes
            .order
            .iter()
            .zip(&notes.previous)
            .zip(&notes.gone)
            .filter(|(((p, _, _, n), _), &gone)| *n > 0 || gone || met(p))
            .map(|(((p, t, done, n), &before), _)| (p.clone(), *t, *done, (*n).max(before)))
            .collect()
    }

    /// The categories, in order.
    pub fn category_list(&self) -> Vec<u8> {
        let mut bits = self.categories & !1;
        let mut list = Vec::with_capacity(bits.count_ones() as usize);
        while bits != 0 {
            list.push(bits.trailing_zeros() as u8);
            bits &= bits - 1;
        }
        list
    }

    /// A finding. `leaked` false: the value is already our own mask or token,
    /// so it only tags the event (it changes nothing and was noted when it was made).
    /// `done`: the action taken (see [`act::redaction`]).
    fn add(&mut self, targets: &Targets, target: u32, path: &str, value: Option<&str>, leaked: bool, done: Action) {
        let t = targets.get(target);
        if t.category > 0 {
            self.categories |= 1 << t.category;
        }
        if !leaked {
            return;
        }
        if PERSONAL_CATEGORIES.contains(&t.category) && t.action != Action::Keep {
            self.personal += 1;
        }
        if !matches!(t.action, Action::Keep | Action::Audit) {
            self.changes += 1;
        }
        if let Some(found) = &mut self.found {
            found.push(Found { target, path: path.to_string(), value: value.map(str::to_string) });
        }
        if t.category > 0 {
            self.note(path, target, done, 1);
            if let Some(counts) = &mut self.by_target {
                match counts.iter_mut().find(|(t, _)| *t == target) {
                    Some(entry) => entry.1 += 1,
                    None => counts.push((target, 1)),
                }
            }
        }
    }

    /// Counts `count` more of (path, target, action done) in the summary notes.
    pub fn note(&mut self, path: &str, target: u32, done: Action, count: usize) {
        if let Some(notes) = &mut self.notes {
            let i = notes.entry(path, target, done);
            notes.order[i].3 = notes.order[i].3.saturating_add(count);
        }
    }

    /// What an earlier pass noted of (path, target), from the event's own
    /// notes. It is written out only if this walk meets that path (a note
    /// whose path is no path of the event is not ours), or `gone`: the path
    /// is a field the walk drops, which it cannot meet (decided by
    /// [`Walk::noted_before`], which calls this). The entry's index.
    fn noted_before(&mut self, path: &str, target: u32, done: Action, count: usize) -> Option<usize> {
        let notes = self.notes.as_mut()?;
        let i = notes.entry(path, target, done);
        notes.previous[i] = notes.previous[i].saturating_add(count);
        notes.paths.get_or_insert_with(Default::default);
        Some(i)
    }

    /// The walk met `path` (kept only while earlier notes wait for their
    /// paths). True the first time.
    fn met(&mut self, path: &str) -> bool {
        match self.notes.as_mut().and_then(|n| n.paths.as_mut()) {
            Some(paths) if !paths.contains(path) => paths.insert(path.to_string()),
            _ => false,
        }
    }
}

/// The compiled rules, the policy's targets and the hash keys; shared by threads.
pub struct Engine {
    pub scanner: Scanner,
    names: FieldNames,
    fields: Vec<FieldRule>,
    /// Each value rule's target (None: a rule without a category).
    value_targets: Vec<Option<u32>>,
    targets: Targets,
    hasher: Hasher,
    pub max_depth: usize,
    nodes: Mutex<Nodes>,
}

impl Engine {
    /// `max_depth`: 1 to [`MAX_DEPTH`] (deeper nesting would overflow a thread's stack).
    pub fn new(rules: &RuleSet, targets: Vec<Target>, hasher: Hasher, max_depth: usize) -> Result<Engine, RuleError> {
        if !(1..=MAX_DEPTH).contains(&max_depth) {
            return Err(RuleError(format!("max_depth is {max_depth}; expected 1 to {MAX_DEPTH}")));
        }
        let targets = Targets::new(targets)?;
        for need in target_needs(rules) {
            targets.find(&need.0, need.1)?;
        }
        // Value rules, then name lexicons, in the scanner's numbering.
        let value_targets = rules
            .values
            .iter()
            .map(|v| v.category.map(|c| targets.find(&v.id, c)).transpose())
            .chain(rules.names.iter().map(|n| targets.find(&n.id, n.category).map(Some)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Engine {
            value_targets,
            scanner: Scanner::new(&rules.values, &rules.safe, &rules.names)?,
            names: {
                let mut names = FieldNames::new(&rules.fields, &rules.contexts, &rules.neutrals);
                names.add_value_fields(&rules.values, &rules.names);
                names
            },
            fields: rules.fields.clone(),
            targets,
            hasher,
            max_depth,
            nodes: Mutex::new(Nodes::default()),
        })
    }

    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    /// Runs `f` with a walk over this engine's node table (or, when another
    /// walk holds it on this thread or another, a table of its own).
    pub fn walk<R>(&self, run: Run, f: impl FnOnce(&mut Walk<'_>) -> R) -> (R, Run) {
        let mut own;
        let mut guard = match self.nodes.try_lock() {
            Ok(guard) => Some(guard),
            // A walk that panicked left the table half made: start it again.
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                let mut guard = poisoned.into_inner();
                guard.reset();
                self.nodes.clear_poison();
                Some(guard)
            }
            Err(std::sync::TryLockError::WouldBlock) => None,
        };
        let (nodes, kept): (&mut Nodes, _) = match guard.as_deref_mut() {
            Some(nodes) => {
                nodes.begin();
                let generation = nodes.generation();
                (nodes, Some(generation))
            }
            None => {
                own = Nodes::default();
                (&mut own, None)
            }
        };
        let mut walk = Walk { engine: self, nodes, run, url_depth: 0, kept };
        let out = f(&mut walk);
        (out, walk.run)
    }

    /// The node count and bytes of the kept table (for tests and metrics).
    pub fn table_size(&self) -> (usize, usize) {
        self.nodes.try_lock().map(|n| (n.count(), n.bytes())).unwrap_or((0, 0))
    }

    /// Whether anything in `text` (out of any field) would be acted on.
    pub fn acts_on(&self, text: &str) -> bool {
        let found = self.scanner.scan(text, &mut crate::scan::NoKeys);
        found.iter().any(|f| match f.source {
            Source::Rule(i) => {
                self.value_target(i).is_some_and(|t| !matches!(self.targets.get(t).action, Action::Keep))
            }
            Source::Key(_) => true,
        })
    }

    /// The findings of `text` out of any field, keys in `key=value` read as
    /// top-level field names: (start, end, target, url), byte offsets.
    pub fn findings(&self, text: &str) -> Vec<(usize, usize, Option<u32>, bool)> {
        let (found, _) = self.walk(Run::new(false, false), |walk| {
            let engine = walk.engine;
            let found = engine.scanner.scan(text, &mut |key: &str| walk.key_target(ROOT, key));
            found
                .into_iter()
                .map(|f| {
                    let target = match f.source {
                        Source::Rule(i) => engine.value_target(i),
                        Source::Key(t) => Some(t as u32),
                    };
                    (f.start, f.end, target, f.url)
                })
                .collect::<Vec<_>>()
        });
        found
    }

    /// The target of a "keep" value rule that finds the whole of `text`
    /// (surrounding spaces aside), if one does.
    fn kept_whole(&self, text: &str) -> Option<u32> {
        let trimmed = text.trim();
        let found = self.scanner.scan(trimmed, &mut crate::scan::NoKeys);
        let [f] = found.as_slice() else { return None };
        let Source::Rule(i) = f.source else { return None };
        let t = self.value_target(i)?;
        (f.start == 0 && f.end == trimmed.len() && self.targets.get(t).action == Action::Keep).then_some(t)
    }

    fn value_target(&self, rule: usize) -> Option<u32> {
        self.value_targets.get(rule).copied().flatten()
    }
}

/// A text put back together piece by piece, and whether any piece changed.
struct Rebuilt {
    text: String,
    changed: bool,
}

impl Rebuilt {
    /// The piece's redaction if it has one, else the piece as it was.
    fn piece(&mut self, redacted: Option<String>, original: &str) {
        self.changed |= redacted.is_some();
        self.text.push_str(redacted.as_deref().unwrap_or(original));
    }
}

/// One event's walk: the engine, its node table and the event's tally.
pub struct Walk<'e> {
    engine: &'e Engine,
    nodes: &'e mut Nodes,
    pub run: Run,
    /// How many URLs the walk is inside (a redirect URL in a query value).
    url_depth: usize,
    /// The generation of the engine's kept table when the walk uses it
    /// (None: a table of its own, for this walk only).
    kept: Option<u64>,
}

/// Python's `str.isspace` for the first character of a JSON-like text.
fn json_like(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c == '{' || c == '[' || c.is_whitespace())
}

/// `null` or `""`: no value (a field rule's tag or drop has nothing to act on).
fn is_empty_json(value: &Json<'_>) -> bool {
    match value {
        Json::Null => true,
        Json::String(s) => s.is_empty(),
        _ => false,
    }
}

fn is_integer(number: &str) -> bool {
    !number.contains(['.', 'e', 'E'])
}

/// Whether an integer written in decimal is at least [`BIG_INT`] in magnitude.
pub fn is_big_int(number: &str) -> bool {
    let digits = number.trim_start_matches('-');
    digits.len() > 7 || (digits.len() == 7 && digits.parse::<u64>().is_ok_and(|n| n >= BIG_INT))
}

impl<'e> Walk<'e> {
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    pub fn node(&self, id: NodeId) -> &Node {
        self.nodes.get(id)
    }

    /// The generation of the engine's kept node table when this walk uses
    /// it (None: it has one of its own). While it lasts, [`Walk::child`]
    /// gives the same kept id for the same key under the same parent, so a
    /// caller may remember one (see [`Walk::remembers`]).
    pub fn kept_table(&self) -> Option<u64> {
        self.kept
    }

    /// Whether the id [`Walk::child`] gave may be remembered by a caller for
    /// later walks of the same [`Walk::kept_table`] generation: a kept node
    /// (never a key whose name held personal data, nor one under it).
    pub fn remembers(&self, id: NodeId) -> bool {
        self.kept.is_some() && Nodes::is_kept(id)
    }

    /// Whether every key must be asked of [`Walk::child`] (not remembered by
    /// the caller): the walk notes the paths it meets, for an earlier pass's notes.
    pub fn meets_paths(&self) -> bool {
        self.run.notes.as_ref().is_some_and(|n| n.paths.is_some())
    }

    /// Whether field `node` drops its value: a credential's, unless the field
    /// counts such values and this one is a whole number (`"passwords": 3`).
    pub fn drops(&self, node: NodeId, whole_number: bool) -> bool {
        let n = self.nodes.get(node);
        n.drop && !(n.counts && whole_number)
    }

    pub fn root(&self) -> NodeId {
        ROOT
    }

    fn target(&self, id: u32) -> &'e Target {
        self.engine.targets.get(id)
    }

    /// The node of a key over the bound: written as [`LONG_KEY`], what is
    /// under it unchecked. `ours`: the marker itself met again, not counted.
    fn long_key(&mut self, parent: NodeId, kind: KeyKind, table_key: &str, ours: bool) -> NodeId {
        let unchecked = self.engine.targets.unchecked;
        let up = &self.nodes.get(parent).path;
        let node = Node {
            path: if up.is_empty() { LONG_KEY.to_string() } else { format!("{up}.{LONG_KEY}") },
            capture: Some(unchecked),
            key_out: (!ours).then(|| LONG_KEY.to_string()),
            key_findings: if ours { Vec::new() } else { vec![unchecked] },
            unread: !ours,
            ..Node::default()
        };
        self.nodes.add(parent, kind, table_key, node, true)
    }

    /// An earlier pass's note (read from the event: it may be forged), so
    /// that redacting twice equals once. It stands if this walk meets its
    /// path (made of the keys as written: a key shows no value a rule acts
    /// on), or if the path is a field this walk drops (whose key is gone, so
    /// the walk cannot meet it) under a parent the walk meets (or the top),
    /// and the field's key as shown (masked) gives that path exactly: so a
    /// path that holds a value (`password=hunter2`, forged) is not written,
    /// while one whose keys only joined read as one (`anna.ozola@iner` and
    /// `email`) is.
    pub fn noted_before(&mut self, path: &str, target: u32, done: Action, count: usize) {
        if count == 0 {
            return;
        }
        if let Some(i) = self.run.noted_before(path, target, done, count) {
            if !self.resolve_dropped(ROOT, i) {
                self.run.notes.as_mut().expect("notes").pending.push(i);
            }
        }
    }

    /// Whether earlier note `i` was decided under `parent`, met: its path is
    /// the parent's, a `.` and a key (keys may hold dots: the rest, whole),
    /// marked gone when that key is a field the walk drops.
    fn resolve_dropped(&mut self, parent: NodeId, i: usize) -> bool {
        let Some(notes) = &self.run.notes else { return true };
        let up = &self.nodes.get(parent).path;
        let under = |p: &str| parent == ROOT || (p.len() > up.len() + 1 && p.starts_with(up.as_str()) && p.as_bytes()[up.len()] == b'.');
        if !under(&notes.order[i].0) {
            return false;
        }
        let path = notes.order[i].0.clone();
        let key = if parent == ROOT { Some(path.as_str()) } else { path.strip_prefix(up.as_str()).and_then(|r| r.strip_prefix('.')) };
        let Some(key) = key.filter(|k| !k.is_empty()) else { return false };
        let node = match self.nodes.child(parent, KeyKind::Str, key) {
            Some(id) => id,
            None => {
                // Only the decision is wanted: what reading the key finds
                // (a URL in it) is not this event's.
                let run = std::mem::take(&mut self.run);
                let id = self.make(parent, KeyKind::Str, key, key, true);
                self.run = run;
                id
            }
        };
        let field = self.nodes.get(node);
        if field.drop && field.path == path {
            if let Some(notes) = &mut self.run.notes {
                notes.gone[i] = true;
            }
            return true;
        }
        // Not a dropped field here: it may be one under a deeper parent.
        false
    }

    /// Earlier notes waiting for a parent, tried under `node`, met for the first time.
    fn met_parent(&mut self, node: NodeId) {
        let pending = match &mut self.run.notes {
            Some(notes) if !notes.pending.is_empty() => std::mem::take(&mut notes.pending),
            _ => return,
        };
        let mut waiting = Vec::with_capacity(pending.len());
        for i in pending {
            if !self.resolve_dropped(node, i) {
                waiting.push(i);
            }
        }
        if let Some(notes) = &mut self.run.notes {
            waiting.append(&mut notes.pending);
            notes.pending = waiting;
        }
    }

    /// The node for a key under `parent`. `scanned`: the key's name is also
    /// read by the value rules (`str` keys, and integers that could be a number of a person).
    pub fn child(&mut self, parent: NodeId, kind: KeyKind, name: &str, scanned: bool) -> NodeId {
        self.child_named(parent, kind, name, name, scanned)
    }

    /// [`Walk::child`] for a key kept in the table as `table_key` (a key of
    /// another type: its type's name and its text) and read as `name`.
    pub fn child_named(&mut self, parent: NodeId, kind: KeyKind, table_key: &str, name: &str, scanned: bool) -> NodeId {
        let id = match self.nodes.child(parent, kind, table_key) {
            Some(id) => id,
            None => self.make(parent, kind, table_key, name, scanned),
        };
        if self.run.notes.as_ref().is_some_and(|n| n.paths.is_some()) {
            let path = self.nodes.get(id).path.clone();
            if self.run.met(&path) {
                self.met_parent(id);
            }
        }
        id
    }

    fn make(&mut self, parent: NodeId, kind: KeyKind, table_key: &str, name: &str, scanned: bool) -> NodeId {
        let engine = self.engine;
        let up = self.nodes.get(parent);
        let join = |key: &str| if up.path.is_empty() { key.to_string() } else { format!("{}.{key}", up.path) };
        // A key over the bound is written as the marker, and what is under
        // it as unchecked. The marker met again (our own output) is read as
        // that key was, so that what is under it is decided the same way,
        // but not counted again: the values under it are ours already.
        let ours = kind == KeyKind::Str && name == LONG_KEY;
        if name.len() > MAX_KEY_BYTES || ours {
            return self.long_key(parent, kind, table_key, ours);
        }
        let mut node = Node { path: join(name), capture: up.capture, counts: up.counts, ..Node::default() };
        let mut before_urls = None;
        let transient = scanned && !engine.scanner.is_clean(name) && self.redact_key(&mut node, parent, name, &mut before_urls);
        // A key that its masks make longer than the bound is one over it
        // (a second pass would read it so): what a URL in it noted and
        // tagged is undone, as what the key held is unchecked.
        if node.key_out.as_ref().is_some_and(|k| k.len() > MAX_KEY_BYTES) {
            if let Some(run) = before_urls {
                self.run = run;
            }
            return self.long_key(parent, kind, table_key, false);
        }

        // The key's words are those of the key as written, without our own
        // masks and tokens ("[REDACTED:email]" names no field): the words of
        // what it held are not read, so that a second pass, which meets the
        // masks, reads the key as the first did.
        let words_of = engine.scanner.without_own_tokens(node.key_out.as_deref().unwrap_or(name));
        let (words, key_start) = child_words(&self.nodes.get(parent).words, &words_of);
        if let Some(m) = engine.names.match_path(&words, key_start) {
            let rule = &engine.fields[m.rule];
            if let Ok(t) = engine.targets.find(&rule.id, m.category) {
                node.personal = PERSONAL_KINDS.contains(&rule.kind.as_str()) && engine.targets.get(t).action != Action::Keep;
                Self::apply(engine, &mut node, rule, t);
            }
        } else if let Some((m, person)) = engine.names.record_match(&words, key_start) {
            let rule = &engine.fields[m.rule];
            if let Ok(t) = engine.targets.find(&rule.id, m.category) {
                if person {
                    Self::apply(engine, &mut node, rule, t);
                } else if node.capture.is_none() {
                    node.record = Some(t);
                    node.record_in_text = rule.in_text;
                }
            }
        }
        // A dropped field's key is not written: what a URL in it noted and
        // tagged is undone too (a second pass, which cannot meet the key, has none).
        if node.drop {
            if let Some(run) = before_urls {
                self.run = run;
            }
        }
        node.cues = engine.names.value_cues(&words);
        node.words = words;
        self.nodes.add(parent, kind, table_key, node, transient)
    }

    /// What field rule `rule` (target `t`) decides for `node`: tags for a
    /// "keep" field, else its values are captured (dropped for credentials).
    fn apply(engine: &Engine, node: &mut Node, rule: &FieldRule, t: u32) {
        let action = engine.targets.get(t).action;
        if action == Action::Keep {
            node.tags = vec![t];
            node.url = rule.format.as_deref() == Some("url");
        } else if node.capture.is_none_or(|c| engine.targets.get(c).action != Action::Drop) {
            node.capture = Some(t);
            node.drop = action == Action::Drop;
            node.counts = rule.counts;
        }
    }

    /// The node for `node`'s key in a mapping that holds a person's data:
    /// its "record" rule applies (the node itself when it has none).
    pub fn in_record(&mut self, node: NodeId) -> NodeId {
        let Some(t) = self.nodes.get(node).record else { return node };
        if let Some(id) = self.nodes.child(node, KeyKind::Record, "") {
            return id;
        }
        let up = self.nodes.get(node);
        let mut variant = Node {
            path: up.path.clone(),
            words: up.words.clone(),
            key_out: up.key_out.clone(),
            key_findings: up.key_findings.clone(),
            cues: up.cues.clone(),
            ..Node::default()
        };
        let rule = self.engine.targets.get(t).rule.clone();
        if let Some(field) = self.engine.fields.iter().find(|f| f.id == rule) {
            Self::apply(self.engine, &mut variant, field, t);
        }
        self.nodes.add(node, KeyKind::Record, "", variant, false)
    }

    /// The tags an event's own name (`text`, the value of a key in
    /// [`EVENT_NAME_KEYS`] at the top level) gives: "password changed" is a
    /// portal action (14). Names longer than [`MAX_EVENT_NAME`] are prose, not names.
    pub fn event_name(&mut self, node: NodeId, text: &str) {
        let engine = self.engine;
        if text.len() > MAX_EVENT_NAME || !engine.names.may_name_event(text) {
            return;
        }
        let words = crate::text::name_tokens(text);
        for m in engine.names.event_rules(&words) {
            if let Ok(t) = engine.targets.find(&engine.fields[m.rule].id, m.category) {
                // A tag only: the value is not acted on (no note, no change).
                self.add(t, node, None, false);
            }
        }
    }

    /// How many of a person's values the walk has found so far (a mapping
    /// whose fields add to it is a person's record).
    pub fn personal_count(&self) -> usize {
        self.run.personal
    }

    /// A key whose name holds personal data: written redacted (as it was in
    /// audit mode), and masked in the path that summaries and alerts show.
    /// True when it held any (what a URL in it held is counted here, once:
    /// such a key is decided again each time it comes). `before_urls`: the
    /// run as it was before the first URL in it was read.
    fn redact_key(&mut self, node: &mut Node, parent: NodeId, name: &str, before_urls: &mut Option<Run>) -> bool {
        let engine = self.engine;
        let found = engine.scanner.scan(name, &mut |key: &str| self.key_target(parent, key));
        let mut written = String::new();
        let mut shown = String::new();
        let mut last = 0;
        let mut in_urls = false;
        for f in found.iter().filter(|f| f.end > f.start) {
            let piece = &name[f.start..f.end];
            if f.url {
                // A URL in a key: its parts, as in a value (credentials, query,
                // path). Such a key is decided each time it comes, changed or
                // not: the walk meets the paths of its query each time.
                in_urls = true;
                before_urls.get_or_insert_with(|| self.run.clone());
                if let Some(redacted) = self.url(parent, piece, None) {
                    for out in [&mut written, &mut shown] {
                        out.push_str(&name[last..f.start]);
                        out.push_str(&redacted);
                    }
                    last = f.end;
                }
                continue;
            }
            let Some(t) = (match f.source {
                Source::Rule(i) => engine.value_target(i),
                Source::Key(t) => Some(t as u32),
            }) else {
                continue;
            };
            node.key_findings.push(t);
            let target = engine.targets.get(t);
            if target.action == Action::Keep {
                continue;
            }
            let replaced = act::replacement(target, piece, &engine.hasher);
            for out in [&mut written, &mut shown] {
                out.push_str(&name[last..f.start]);
            }
            if target.action == Action::Audit {
                shown.push_str(&act::mask(&target.label, target.mask, piece));
            } else {
                shown.push_str(&replaced);
            }
            written.push_str(&replaced);
            last = f.end;
        }
        if last > 0 {
            written.push_str(&name[last..]);
            shown.push_str(&name[last..]);
            if written != name {
                node.key_out = Some(written);
            }
            let up = &self.nodes.get(parent).path;
            node.path = if up.is_empty() { shown } else { format!("{up}.{shown}") };
        }
        in_urls || !node.key_findings.is_empty()
    }

    /// The target of a key found in `key=value` text under `parent`.
    fn key_target(&mut self, parent: NodeId, key: &str) -> Option<KeyTarget> {
        let child = self.child(parent, KeyKind::Str, key, true);
        let (c, p) = (self.nodes.get(child), self.nodes.get(parent));
        // A record rule that reads text: `user=janis` is a user name.
        let capture = c.capture.or(c.record.filter(|_| c.record_in_text));
        let id = match capture {
            Some(t) if capture != p.capture => t,
            _ => *c.tags.first()?,
        };
        let counts = c.counts && capture == c.capture;
        Some(KeyTarget { id: id as usize, keep: self.target(id).action == Action::Keep, counts })
    }

    fn add(&mut self, target: u32, node: NodeId, value: Option<&str>, leaked: bool) {
        self.add_done(target, node, value, leaked, self.engine.targets.get(target).action);
    }

    /// [`Walk::add`] of a value on which `done` was taken (a hash may mask instead).
    fn add_done(&mut self, target: u32, node: NodeId, value: Option<&str>, leaked: bool, done: Action) {
        let path = &self.nodes.get(node).path;
        self.run.add(&self.engine.targets, target, path, value, leaked, done);
    }

    /// A field's tags (a "keep" field with a value).
    pub fn tag(&mut self, node: NodeId) {
        for i in 0..self.nodes.get(node).tags.len() {
            let t = self.nodes.get(node).tags[i];
            self.add(t, node, None, true);
        }
    }

    /// What the key's own name held, for each time the key is met.
    #[inline]
    pub fn key_findings(&mut self, node: NodeId) {
        if self.nodes.get(node).key_findings.is_empty() {
            return;
        }
        for i in 0..self.nodes.get(node).key_findings.len() {
            let t = self.nodes.get(node).key_findings[i];
            self.add(t, node, None, true);
        }
    }

    /// A dropped field's value (`text`: what it holds as text), counted.
    pub fn drop_value(&mut self, node: NodeId, text: &str, is_str: bool) {
        let Some(t) = self.nodes.get(node).capture else { return };
        let own = is_str && self.engine.scanner.is_own_token(text);
        self.add(t, node, (!own).then_some(text), !own);
    }

    /// A bound stopped the walk here: in doubt, the value counts as a leak.
    /// What a value that could not be checked is written as.
    fn unchecked_mark(&self) -> String {
        let t = self.engine.targets.get(self.engine.targets.unchecked);
        act::mask(&t.label, t.mask, "")
    }

    pub fn unsure(&mut self, node: NodeId) {
        let t = self.engine.targets.unchecked;
        self.add(t, node, None, true);
    }

    /// The redaction of a string standing in field `node` (None: unchanged).
    pub fn string(&mut self, node: NodeId, text: &str, depth: usize) -> Option<String> {
        if text.is_empty() {
            return None;
        }
        if self.nodes.get(node).capture.is_some() {
            return self.captured(node, text);
        }
        if text.len() > 1 && json_like(text) {
            if let Some(out) = self.json_in_string(node, text, depth) {
                return out;
            }
        }
        if self.engine.scanner.is_clean_in(text, &self.nodes.get(node).cues) {
            return None;
        }
        if self.nodes.get(node).url {
            self.url(node, text, None)
        } else {
            self.text(node, text, true, true)
        }
    }

    /// A value under a personal field: replaced whole (unless it is already our own output).
    pub fn captured(&mut self, node: NodeId, text: &str) -> Option<String> {
        self.captured_in(node, node, text)
    }

    /// [`Walk::captured`] by the field rule of `node`, found in the field `at`
    /// (a URL's user name: the `username` rule, in the URL's field).
    fn captured_in(&mut self, node: NodeId, at: NodeId, text: &str) -> Option<String> {
        let t = self.nodes.get(node).capture?;
        if self.engine.scanner.is_own_token(text) {
            // A bound's marker (what stood there was not read) tags nothing,
            // as the bound did not on the pass that wrote it.
            if ![TOO_DEEP, TOO_LARGE, LONG_KEY, CYCLE].contains(&text) && text != self.unchecked_mark() {
                self.add(t, at, None, false);
            }
            return None;
        }
        // An address field that holds an internal address (10.0.12.4, ::1):
        // what a "keep" value rule says of the whole value wins (tagged, kept).
        if self.target(t).mask == Mask::Ip {
            if let Some(kept) = self.engine.kept_whole(text) {
                self.add(kept, at, None, true);
                return None;
            }
        }
        let (out, done) = act::redaction(self.target(t), text, &self.engine.hasher);
        if !self.nodes.get(node).unread {
            self.add_done(t, at, Some(text), true, done);
        }
        match out {
            Cow::Owned(s) => Some(s),
            Cow::Borrowed(_) => None,
        }
    }

    /// A number written as `text` in field `node`: under a personal field
    /// redacted whole, unless the field counts such values and it is an
    /// integer (`logins: 5`); elsewhere scanned when it is a big integer.
    pub fn number(&mut self, node: NodeId, text: &str) -> Option<String> {
        let n = self.nodes.get(node);
        if n.capture.is_some() {
            return if n.counts && is_integer(text) { None } else { self.captured(node, text) };
        }
        if is_integer(text) && is_big_int(text) {
            self.big_int(node, text)
        } else {
            None
        }
    }

    /// An integer written as `text`, outside a personal field: its redaction if it holds anything.
    pub fn big_int(&mut self, node: NodeId, text: &str) -> Option<String> {
        self.text(node, text, true, false)
    }

    /// `text` read as free text in field `node` (never as JSON inside it): its redaction if it holds anything.
    pub fn plain_text(&mut self, node: NodeId, text: &str) -> Option<String> {
        self.text(node, text, true, false)
    }

    /// Free text with every finding replaced; URLs in it redacted part by part
    /// (not inside a URL: `parse_urls` false). `checked`: known not clean.
    fn text(&mut self, node: NodeId, text: &str, parse_urls: bool, checked: bool) -> Option<String> {
        let engine = self.engine;
        let found = {
            let cues = self.nodes.get(node).cues.clone();
            let mut keys = |key: &str| self.key_target(node, key);
            if checked || !engine.scanner.is_clean_in(text, &cues) { engine.scanner.search_in(text, &mut keys, &cues) } else { Vec::new() }
        };
        let mut out = String::new();
        let mut last = 0;
        let mut changed = false;
        for f in found {
            let target = match f.source {
                Source::Rule(i) => engine.value_target(i),
                Source::Key(t) => Some(t as u32),
            };
            let piece = &text[f.start..f.end];
            // A URL in a piece of a URL (`?redirect_uri=https://...`) is read
            // part by part too, up to MAX_URL_NESTING deep.
            if f.url && (parse_urls || self.url_depth < MAX_URL_NESTING) {
                out.push_str(&text[last..f.start]);
                match self.url(node, piece, target) {
                    Some(redacted) => {
                        out.push_str(&redacted);
                        changed = true;
                    }
                    None => out.push_str(piece),
                }
                last = f.end;
                continue;
            }
            let Some(t) = target else { continue };
            if f.url || f.end == f.start {
                self.add(t, node, None, true);
                continue;
            }
            let target = engine.targets.get(t);
            if matches!(target.action, Action::Keep | Action::Audit) {
                self.add(t, node, Some(piece), true);
                continue;
            }
            let (replaced, done) = act::redaction(target, piece, &engine.hasher);
            self.add_done(t, node, Some(piece), true, done);
            out.push_str(&text[last..f.start]);
            out.push_str(&replaced);
            last = f.end;
            changed = true;
        }
        changed.then(|| {
            out.push_str(&text[last..]);
            out
        })
    }

    /// A URL redacted part by part: credentials, path segments, query, fragment.
    fn url(&mut self, node: NodeId, text: &str, target: Option<u32>) -> Option<String> {
        self.url_depth += 1;
        let out = self.url_parts(node, text, target);
        self.url_depth -= 1;
        out
    }

    fn url_parts(&mut self, node: NodeId, text: &str, target: Option<u32>) -> Option<String> {
        if let Some(t) = target {
            self.add(t, node, None, true);
        }
        let parts = url::split(text);
        let mut out = Rebuilt { text: String::with_capacity(text.len()), changed: false };
        out.text.push_str(parts.scheme);
        if let Some(userinfo) = parts.userinfo {
            let redacted = self.userinfo(node, userinfo);
            out.piece(redacted, userinfo);
            out.text.push('@');
        }
        out.text.push_str(parts.host);
        for (i, segment) in parts.path.split('/').enumerate() {
            if i > 0 {
                out.text.push('/');
            }
            let redacted = self.url_piece(node, segment);
            out.piece(redacted, segment);
        }
        if let Some(query) = parts.query {
            out.text.push('?');
            for (i, pair) in query.split('&').enumerate() {
                if i > 0 {
                    out.text.push('&');
                }
                let redacted = self.query_pair(node, pair);
                out.piece(redacted, pair);
            }
        }
        if let Some(fragment) = parts.fragment {
            out.text.push('#');
            let redacted = self.url_piece(node, fragment);
            out.piece(redacted, fragment);
        }
        let Rebuilt { text: out, changed } = out;
        changed.then_some(out)
    }

    /// `name=value` of a query: the name read as a field name under the URL's field.
    fn query_pair(&mut self, node: NodeId, pair: &str) -> Option<String> {
        let Some((key, value)) = pair.split_once('=') else { return self.url_piece(node, pair) };
        let name = url::unquote_plus(key);
        let child = self.child(node, KeyKind::Str, &name, true);
        for i in 0..self.nodes.get(child).key_findings.len() {
            let t = self.nodes.get(child).key_findings[i];
            self.add(t, node, Some(&name), true);
        }
        let c = self.nodes.get(child);
        let key_out = c.key_out.as_deref().map(url::quote);
        let value_out = if value.is_empty() {
            None // nothing to act on ("?email=" before our own mask, which ends the URL)
        } else if c.drop {
            let t = c.capture?;
            let dropped = url::unquote_plus(value);
            let own = self.engine.scanner.is_own_token(&dropped);
            self.add(t, node, Some(&dropped), !own);
            Some(url::quote(&format!("[REDACTED:{}]", self.target(t).label)))
        } else if c.capture.is_some() {
            self.captured(child, &url::unquote_plus(value)).map(|r| url::quote(&r))
        } else {
            self.tag(child);
            self.url_piece(node, value)
        };
        if key_out.is_none() && value_out.is_none() {
            return None;
        }
        Some(format!("{}={}", key_out.as_deref().unwrap_or(key), value_out.as_deref().unwrap_or(value)))
    }

    /// `user:password`: the user name as a `username` field, the password dropped.
    fn userinfo(&mut self, node: NodeId, userinfo: &str) -> Option<String> {
        // The user name may be our own token, which holds ':' itself.
        let own_end = self.engine.scanner.own_token_at(userinfo, 0).unwrap_or(0);
        let (user, password) = match userinfo[own_end..].find(':') {
            Some(i) => (&userinfo[..own_end + i], Some(&userinfo[own_end + i + 1..])),
            None => (userinfo, None),
        };
        let user_node = self.child(ROOT, KeyKind::Str, "username", true);
        let user_out = self.captured_in(user_node, node, &url::unquote_plus(user)).map(|r| url::quote(&r));
        let mut password_out = None;
        if let Some(password) = password {
            let t = self.engine.targets.url_password;
            let own = self.engine.scanner.is_own_token(password);
            self.add(t, node, Some(password), !own);
            if !own && self.target(t).action != Action::Audit {
                password_out = Some("[REDACTED:secret]");
            }
        }
        if user_out.is_none() && password_out.is_none() {
            return None;
        }
        let mut out = user_out.unwrap_or_else(|| user.to_string());
        if let Some(password) = password {
            out.push(':');
            out.push_str(password_out.unwrap_or(password));
        }
        Some(out)
    }

    /// One piece of a URL: percent-decoded for the scan, encoded again if changed.
    fn url_piece(&mut self, node: NodeId, piece: &str) -> Option<String> {
        if piece.is_empty() {
            return None;
        }
        let decoded = url::unquote_plus(piece);
        let encoded = matches!(decoded, Cow::Owned(_));
        let redacted = self.text(node, &decoded, false, false)?;
        Some(if encoded { url::quote(&redacted) } else { redacted })
    }

    /// JSON inside a string (None: not JSON): walked like the event, written
    /// back compactly if anything in it changed.
    fn json_in_string(&mut self, node: NodeId, text: &str, depth: usize) -> Option<Option<String>> {
        let stripped = text.trim();
        let (first, last) = (stripped.chars().next()?, stripped.chars().next_back()?);
        if !matches!((first, last), ('{', '}') | ('[', ']')) {
            return None;
        }
        if stripped.len() > MAX_JSON_BYTES {
            self.unsure(node);
            return Some(Some(TOO_LARGE.to_string()));
        }
        let value = match json::parse(stripped, self.engine.max_depth) {
            Ok(value) => value,
            Err(JsonError::Invalid) => return None,
            Err(JsonError::TooDeep) => {
                self.unsure(node);
                return Some(Some(TOO_DEEP.to_string()));
            }
        };
        let before = self.run.changes;
        let out = self.json_container(node, value, depth + 1);
        Some((self.run.changes != before).then(|| out.to_text()))
    }

    /// A JSON object at the top of an event (a log line), walked as a dict
    /// event is: our own fields ([`CATEGORIES_KEY`], [`SUMMARY_KEY`],
    /// [`ERROR_KEY`]) are left out of the walk (an earlier pass's categories
    /// are kept in the tally). Its name's tags are [`Walk::event_name_tags`].
    /// Returns the other members as they may be written, and our own as they were.
    pub fn json_event<'j>(&mut self, mut members: Members<'j>) -> (Members<'j>, Members<'j>) {
        let ours = |key: &str| key.starts_with("pii_") && [CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY].contains(&key);
        let mut own = Vec::new();
        let mut i = 0;
        while i < members.len() {
            if ours(&members[i].0) {
                own.push(members.remove(i));
            } else {
                i += 1;
            }
        }
        let others = members;
        for (key, value) in &own {
            if let (CATEGORIES_KEY, Json::Array(items)) = (key.as_ref(), value) {
                for item in items {
                    if let Json::Number(n) = item {
                        if let Ok(n @ 1..=18) = n.parse::<u8>() {
                            self.run.categories |= 1 << n;
                        }
                    }
                }
            }
        }
        let Json::Object(out) = self.json_container(ROOT, Json::Object(others), 0) else {
            unreachable!("an object is walked into an object")
        };
        (out, own)
    }

    /// The tags an event's own name gives (tags only, never a leak): of the
    /// members [`Walk::json_event`] wrote, those under [`EVENT_NAME_KEYS`].
    pub fn event_name_tags(&mut self, written: &Members<'_>) {
        for (key, value) in written {
            if let (true, Json::String(text)) = (EVENT_NAME_KEYS.contains(&key.as_ref()), value) {
                let node = self.child(ROOT, KeyKind::Str, key, true);
                self.event_name(node, text);
            }
        }
    }

    fn json_container<'j>(&mut self, node: NodeId, value: Json<'j>, depth: usize) -> Json<'j> {
        if depth >= self.engine.max_depth {
            self.unsure(node);
            return Json::String(Cow::Borrowed(TOO_DEEP));
        }
        match value {
            Json::Object(members) => {
                // As for any mapping: keys that are a person's data only in a
                // person's record are walked last.
                let before = self.run.personal;
                let mut personal = false;
                let mut slots: Vec<Option<(Cow<'j, str>, Json<'j>)>> = Vec::with_capacity(members.len());
                let mut deferred = Vec::new();
                for (key, value) in members {
                    let child = self.child(node, KeyKind::Str, &key, true);
                    if self.nodes.get(child).record.is_some() {
                        deferred.push((slots.len(), child, key, value));
                        slots.push(None);
                        continue;
                    }
                    personal |= self.nodes.get(child).personal;
                    slots.push(self.json_member(child, key, value, depth));
                }
                personal |= self.run.personal > before;
                for (slot, child, key, value) in deferred {
                    // A record rule is about a value (`"name": "…"`), not a nested object.
                    let scalar = !matches!(value, Json::Object(_) | Json::Array(_));
                    let child = if personal && scalar { self.in_record(child) } else { child };
                    slots[slot] = self.json_member(child, key, value, depth);
                }
                let mut out = Vec::with_capacity(slots.len());
                out.extend(slots.into_iter().flatten());
                Json::Object(out)
            }
            Json::Array(items) => Json::Array(items.into_iter().map(|v| self.json_value(node, v, depth + 1)).collect()),
            scalar => self.json_value(node, scalar, depth),
        }
    }

    /// One member of a JSON object, walked (None: dropped).
    fn json_member<'j>(&mut self, child: NodeId, key: Cow<'j, str>, value: Json<'j>, depth: usize) -> Option<(Cow<'j, str>, Json<'j>)> {
        self.key_findings(child);
        if self.drops(child, matches!(&value, Json::Number(n) if is_integer(n))) {
            if !is_empty_json(&value) {
                let (text, is_str) = match &value {
                    Json::String(s) => (Cow::Borrowed(s.as_ref()), true),
                    other => (Cow::Owned(other.to_text()), false),
                };
                self.drop_value(child, &text, is_str);
            }
            return None;
        }
        let key = self.nodes.get(child).key_out.clone().map_or(key, Cow::Owned);
        Some((key, self.json_value(child, value, depth + 1)))
    }

    fn json_value<'j>(&mut self, node: NodeId, value: Json<'j>, depth: usize) -> Json<'j> {
        if !self.nodes.get(node).tags.is_empty() && !is_empty_json(&value) {
            self.tag(node);
        }
        match value {
            Json::String(s) => match self.string(node, &s, depth) {
                Some(out) => Json::String(Cow::Owned(out)),
                None => Json::String(s),
            },
            Json::Number(n) => self.number(node, &n).map_or(Json::Number(n), |r| Json::String(Cow::Owned(r))),
            container @ (Json::Object(_) | Json::Array(_)) => self.json_container(node, container, depth),
            other => other,
        }
    }
}

/// The rule set's target needs resolved with no policy of the caller's (the
/// rules' own actions, then the categories' defaults): for tests and benches.
pub fn default_targets(rules: &RuleSet) -> Vec<Target> {
    target_needs(rules)
        .into_iter()
        .map(|(rule, category, label, action, mask, normalize)| {
            let default = rules.categories.iter().find(|c| c.number == category).map(|c| c.default_action.clone());
            let name = action.or(default).unwrap_or_else(|| "mask".into());
            Target {
                rule,
                category,
                label,
                action: Action::from_name(&name).unwrap_or(Action::Mask),
                mask: Mask::from_name(&mask).unwrap_or_default(),
                normalize: Normalizer::from_name(&normalize).unwrap_or_default(),
            }
        })
        .collect()
}
