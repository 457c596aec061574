//! `pii_tagger._native.Engine`: the walk over Python events.
//!
//! Dicts, lists, tuples, sets, strings, bytes and numbers are looked at
//! through the C API by exact type (subclasses and other types on a slower
//! path), and every key and string is handed to `pii_core`. Output is
//! copy-on-write: the top-level dict is new; a nested dict, list, tuple or
//! string that nothing changed is the same object.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard, TryLockError};

use pii_core::act::{Action, Hasher, Mask, Normalizer, Target};
use pii_core::engine::{self, is_big_int, Run, Walk, CATEGORIES_KEY, CYCLE, ERROR_KEY, EVENT_NAME_KEYS, SUMMARY_KEY, TOO_DEEP};
use pii_core::rules::RuleSet;
use pii_core::tree::{KeyKind, NodeId};
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PyMemoryView, PySet, PyString, PyTuple,
};

use crate::keymemo::{KeyMemo, Remembered};
use crate::{no_panic, text_of};

/// structlog's ProcessorFormatter keeps the LogRecord here for later processors.
const STRUCTLOG_META_KEYS: [&str; 2] = ["_record", "_from_structlog"];

/// A finding for Python: target index, path, value (None: no single value).
type PyFound = (u32, String, Option<String>);
/// A finding in a text: start, end (characters), target index, whether a URL.
type TextFinding = (usize, usize, Option<u32>, bool);
/// A summary note: path, target index, action done, count.
type PyNote = (String, u32, &'static str, usize);
/// A finding of one part of an item: part index, target index, path, value.
pub(crate) type PartFound = (usize, u32, String, Option<String>);

/// Every (rule, category) the rules (JSON) can produce, with the rule's own
/// label, action, mask and normaliser: what the policy resolves for [`Engine`].
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn target_needs(rules: &str) -> PyResult<Vec<(String, u8, String, Option<String>, String, String)>> {
    let rules = RuleSet::from_json(rules).map_err(|e| PyValueError::new_err(e.0))?;
    Ok(engine::target_needs(&rules))
}

/// The compiled engine of one `Redactor`.
#[pyclass(frozen, module = "pii_tagger._native")]
pub struct Engine {
    pub(crate) inner: engine::Engine,
    /// Types whose values are kept as they are (datetime, UUID, Decimal, Enum, ...).
    safe_types: Py<PyTuple>,
    /// `collections.abc.Mapping`.
    mapping: Py<PyAny>,
    /// How [`Engine::process`] runs: see [`Processing`].
    processing: Processing,
    /// The first `not_extra` set `redact_record` was given, with its members by address.
    pub(crate) not_extra: pyo3::sync::PyOnceLock<crate::record::KnownKeys>,
    /// Recent keys' nodes by the key object (see [`crate::keymemo`]).
    key_memo: Mutex<KeyMemo>,
}

/// What [`Engine::process`] needs besides the engine: the `Redactor`'s
/// options and two module-level functions of the Python package (never bound
/// methods of the `Redactor`, which would make a reference cycle).
struct Processing {
    summary: bool,
    raise_errors: bool,
    /// `(event) -> dict`: `exc_info` rendered into an `exception` text.
    format_exception: Py<PyAny>,
    /// `(event, exception) -> dict`: the fail-closed event (and the report).
    fail_closed: Py<PyAny>,
}

fn action(name: &str) -> PyResult<Action> {
    Action::from_name(name).ok_or_else(|| PyValueError::new_err(format!("unknown action {name:?}")))
}

#[pymethods]
impl Engine {
    /// `rules`: the merged rule tables as JSON; `targets`: every (rule,
    /// category) the rules can produce, resolved by the policy, as (rule,
    /// category, label, action, mask, normalize); `keys`: (key id, secret).
    /// `summary`, `raise_errors`, `format_exception` and `fail_closed`: how
    /// [`Engine::process`] runs (see there).
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        rules: &str,
        targets: Vec<(String, u8, String, String, String, String)>,
        keys: Vec<(String, Vec<u8>)>,
        max_depth: usize,
        safe_types: Py<PyTuple>,
        mapping: Py<PyAny>,
        summary: bool,
        raise_errors: bool,
        format_exception: Py<PyAny>,
        fail_closed: Py<PyAny>,
    ) -> PyResult<Self> {
        let rules = RuleSet::from_json(rules).map_err(|e| PyValueError::new_err(e.0))?;
        let targets = targets
            .into_iter()
            .map(|(rule, category, label, act, mask, normalize)| {
                Ok(Target {
                    rule,
                    category,
                    label,
                    action: action(&act)?,
                    mask: Mask::from_name(&mask).ok_or_else(|| PyValueError::new_err(format!("unknown mask {mask:?}")))?,
                    normalize: Normalizer::from_name(&normalize)
                        .ok_or_else(|| PyValueError::new_err(format!("unknown normalizer {normalize:?}")))?,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let hasher = Hasher::new(keys).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let inner = engine::Engine::new(&rules, targets, hasher, max_depth).map_err(|e| PyValueError::new_err(e.0))?;
        let processing = Processing { summary, raise_errors, format_exception, fail_closed };
        Ok(Engine { inner, safe_types, mapping, processing, not_extra: pyo3::sync::PyOnceLock::new(), key_memo: Mutex::default() })
    }

    /// The targets by index, as (rule, category, label, action, mask, normalize).
    fn targets(&self) -> Vec<(String, u8, String, &'static str, &'static str, &'static str)> {
        self.inner
            .targets()
            .all()
            .iter()
            .map(|t| (t.rule.clone(), t.category, t.label.clone(), t.action.name(), t.mask.name(), t.normalize.name()))
            .collect()
    }

    /// `Redactor.redact` in one call: a pending exception (`exc_info` that is
    /// not a string) rendered first, then the redacted, tagged copy; an
    /// error gives the fail-closed event (re-raised with `raise_errors`).
    pub(crate) fn process<'py>(&self, py: Python<'py>, event: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let p = &self.processing;
        let result = (|| -> PyResult<Bound<'py, PyAny>> {
            let mut event = event.clone();
            if let Some(exc_info) = lookup(&event, intern!(py, "exc_info"))? {
                if !exc_info.is_instance_of::<PyString>() && exc_info.is_truthy()? {
                    event = p.format_exception.bind(py).call1((event,))?;
                }
            }
            let (out, _) = self.guarded(py, &event, Run::new(p.summary, false), true)?;
            Ok(out.into_any())
        })();
        match result {
            Ok(out) => Ok(out),
            // KeyboardInterrupt and SystemExit go on to the application.
            Err(e) if p.raise_errors || !e.is_instance_of::<pyo3::exceptions::PyException>(py) => Err(e),
            Err(e) => p.fail_closed.bind(py).call1((event, e.value(py))),
        }
    }

    /// `structlog`'s processor signature: [`Engine::process`] of `event_dict`.
    fn __call__<'py>(&self, py: Python<'py>, _logger: &Bound<'py, PyAny>, _method: &Bound<'py, PyAny>, event_dict: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.process(py, event_dict)
    }

    /// The redacted copy of `event` (tagged when `tags`), its categories,
    /// its notes (with `summary`) and every finding (with `collect`).
    #[pyo3(signature = (event, *, summary = false, collect = false, tags = true))]
    #[allow(clippy::type_complexity)]
    fn walk<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        summary: bool,
        collect: bool,
        tags: bool,
    ) -> PyResult<(Bound<'py, PyDict>, Vec<u32>, Vec<PyNote>, Option<Vec<PyFound>>, usize)> {
        let (out, run) = self.guarded(py, event, Run::new(summary, collect), tags)?;
        let notes = run.notes().into_iter().map(|(path, t, done, n)| (path, t, done.name(), n)).collect();
        let categories = categories(&run);
        let found = run.found.map(|f| f.into_iter().map(|f| (f.target, f.path, f.value)).collect());
        Ok((out, categories, notes, found, run.changes))
    }

    /// The parts of one item (a log record's attributes and body, ...:
    /// mappings) in one walk, for callers that total what was done
    /// (OpenTelemetry): their redacted copies (a part that nothing changed
    /// is itself; fields named as our tags are the application's, walked as
    /// any other), the categories of them all, how many values were changed,
    /// the count of findings by target index, and (with `collect`) every
    /// finding with the index of its part. A panic is an exception (the
    /// caller fails closed).
    #[pyo3(signature = (parts, *, collect = false))]
    #[allow(clippy::type_complexity)]
    fn walk_parts<'py>(
        &self,
        py: Python<'py>,
        parts: &Bound<'py, PyList>,
        collect: bool,
    ) -> PyResult<(Vec<Bound<'py, PyAny>>, Vec<u32>, usize, Vec<(u32, usize)>, Option<Vec<PartFound>>)> {
        no_panic(|| {
            let mut ends = Vec::with_capacity(parts.len());
            let (outs, run) = self.inner.walk(Run::counting(collect), |walk| {
                let mut w = self.walker(walk, py, true);
                let mut outs = Vec::with_capacity(parts.len());
                for part in parts.iter() {
                    let (out, _) = w.part(Some(&part), None)?;
                    outs.push(out.map_or(part, Bound::into_any));
                    ends.push(w.found_len());
                }
                Ok::<_, PyErr>(outs)
            });
            let outs = outs?;
            Ok((outs, categories(&run), run.changes, run.target_counts().to_vec(), by_part(run, &ends)))
        })
    }

    /// One span in one walk, and its redacted copy (see [`crate::span`]),
    /// made with `kit`.
    #[pyo3(signature = (span, redact_resource, kit, *, collect = false))]
    fn walk_span<'py>(
        &self,
        py: Python<'py>,
        span: &Bound<'py, PyAny>,
        redact_resource: bool,
        kit: &Bound<'py, crate::span::SpanKit>,
        collect: bool,
    ) -> PyResult<crate::span::SpanRedaction> {
        no_panic(|| self.span_copy(py, span, redact_resource, kit.get(), collect))
    }

    /// A standard-library `LogRecord` redacted in place, as
    /// `pii_tagger.stdlib.redact_record` does, in one call (see
    /// [`crate::record`]); false, having changed nothing, for a record it
    /// leaves to that Python code. `not_extra`: the fields that are not
    /// `extra=` ones. May raise (the caller fails closed).
    fn redact_record<'py>(&self, py: Python<'py>, record: &Bound<'py, PyAny>, not_extra: &Bound<'py, PyFrozenSet>) -> PyResult<bool> {
        no_panic(|| self.record(py, record, not_extra))
    }

    /// Whether anything in `text` (out of any field) would be acted on.
    fn acts_on(&self, text: &Bound<'_, PyString>) -> bool {
        // In doubt (a bug): it does.
        catch_unwind(AssertUnwindSafe(|| self.inner.acts_on(&text_of(text)))).unwrap_or(true)
    }

    /// No value rule can match `text`.
    fn is_clean(&self, text: &Bound<'_, PyString>) -> PyResult<bool> {
        no_panic(|| Ok(self.inner.scanner.is_clean(&text_of(text))))
    }

    /// `text` is wholly one of our masks or tokens.
    fn is_own_token(&self, text: &Bound<'_, PyString>) -> PyResult<bool> {
        no_panic(|| Ok(self.inner.scanner.is_own_token(&text_of(text))))
    }

    /// The findings of a text out of any field, as (start, end, target index
    /// or None, url) with character offsets (for tests and tools).
    fn scan_text(&self, text: &Bound<'_, PyString>) -> PyResult<Vec<TextFinding>> {
        let text = text_of(text);
        let offsets = crate::offsets::CharOffsets::new(&text);
        no_panic(|| {
            Ok(self
                .inner
                .findings(&text)
                .into_iter()
                .map(|(start, end, target, url)| (offsets.chars(start), offsets.chars(end), target, url))
                .collect())
        })
    }

    /// The index of the safe shape `text` wholly is, or None.
    fn shape_of(&self, text: &Bound<'_, PyString>) -> PyResult<Option<usize>> {
        no_panic(|| Ok(self.inner.scanner.shape_of(&text_of(text))))
    }

    /// The kept key decisions: (nodes, bytes).
    fn table_size(&self) -> (usize, usize) {
        self.inner.table_size()
    }

    /// How many keys the key memo holds (for tests).
    fn remembered_keys(&self) -> usize {
        self.key_memo.lock().map_or(0, |m| m.len())
    }

    /// The leaks of every line of a chunk (bytes of whole lines; `cut`: the
    /// lines cut at the bound), as (line index, target index, path), and the
    /// chunk's line counts (lines, blank, JSON, text, not UTF-8, binary, cut).
    /// Never a value. Runs without the GIL.
    #[allow(clippy::type_complexity)]
    fn check_chunk(&self, py: Python<'_>, data: &Bound<'_, PyBytes>, cut: Vec<usize>) -> PyResult<((usize, usize, usize, usize, usize, usize, usize), Vec<(usize, u32, String)>)> {
        crate::lines::check_chunk(py, &self.inner, data, cut)
    }

    /// One rendered line (`str` or `bytes`): its leaks as (target index, path,
    /// value), and with `redact` the line as it may be written when it leaks.
    #[pyo3(signature = (record, *, redact = true))]
    #[allow(clippy::type_complexity)]
    fn check_record<'py>(&self, py: Python<'py>, record: &Bound<'py, PyAny>, redact: bool) -> PyResult<(Vec<PyFound>, Option<Bound<'py, PyAny>>)> {
        crate::lines::check_record(py, &self.inner, record, redact)
    }
}

impl Engine {
    /// [`Engine::process`] of a `logging` record's `event` (a dict of our
    /// own, without `exc_info`), for [`Engine::record`] to take over field by
    /// field: see [`RecordEvent`].
    pub(crate) fn record_event<'py>(&self, py: Python<'py>, event: &Bound<'py, PyDict>) -> PyResult<RecordEvent<'py>> {
        let p = &self.processing;
        let walked = no_panic(|| {
            let (walked, run) = self.inner.walk(Run::new(p.summary, false), |walk| {
                let mut w = self.walker(walk, py, false);
                let fields = w.top_fields(Some(event.as_any()), None)?;
                Ok::<_, PyErr>((fields, w.foreign))
            });
            let (fields, foreign) = walked?;
            let mut tags = vec![(intern!(py, "pii_categories").clone(), categories(&run).into_pyobject(py)?.into_any())];
            if run.summary() {
                tags.push((intern!(py, "pii_redactions").clone(), notes_list(py, &self.inner, &run.notes())?.into_any()));
            }
            Ok((fields, foreign, tags))
        });
        match walked {
            Ok((fields, false, tags)) if fields.iter().all(|(_, _, o)| !matches!(o, Outcome::Renamed(..))) => Ok(RecordEvent::Walked(fields, tags)),
            // What `process` gives: the new event, built as it builds it.
            Ok((fields, foreign, tags)) => {
                let out = match assemble(py, event.as_any(), fields, foreign)? {
                    Some(out) => out,
                    None => event.copy()?,
                };
                for (key, value) in tags {
                    out.set_item(key, value)?;
                }
                Ok(RecordEvent::Whole(out))
            }
            Err(e) if p.raise_errors || !e.is_instance_of::<pyo3::exceptions::PyException>(py) => Err(e),
            Err(e) => Ok(RecordEvent::Whole(p.fail_closed.bind(py).call1((event, e.value(py)))?.cast_into::<PyDict>()?)),
        }
    }

    /// A walker of Python objects for `walk`.
    pub(crate) fn walker<'w, 'e, 'py>(&'w self, walk: &'w mut Walk<'e>, py: Python<'py>, tags_are_data: bool) -> PyWalk<'w, 'e, 'py> {
        let memo = walk.kept_table().and_then(|generation| {
            let mut memo = match self.key_memo.try_lock() {
                Ok(memo) => memo,
                // A walk that panicked may have left it half made: start it again.
                Err(TryLockError::Poisoned(poisoned)) => {
                    let mut memo = poisoned.into_inner();
                    *memo = KeyMemo::default();
                    self.key_memo.clear_poison();
                    memo
                }
                // Another walker of this walk has it.
                Err(TryLockError::WouldBlock) => return None,
            };
            memo.begin(generation);
            Some(memo)
        });
        PyWalk { walk, py, safe_types: self.safe_types.bind(py), mapping: self.mapping.bind(py), seen: Vec::new(), foreign: false, tags_are_data, memo }
    }


    /// The walk, with a Rust panic turned into an exception (never a crash of
    /// the process); the caller fails closed.
    fn guarded<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        run: Run,
        tags: bool,
    ) -> PyResult<(Bound<'py, PyDict>, Run)> {
        no_panic(|| {
            let (out, run) = self.inner.walk(run, |walk| {
                self.walker(walk, py, false).event(event)
            });
            let out = out?;
            if tags {
                out.set_item(intern!(py, "pii_categories"), categories(&run))?;
                if run.summary() {
                    out.set_item(intern!(py, "pii_redactions"), notes_list(py, &self.inner, &run.notes())?)?;
                }
            }
            Ok((out, run))
        })
    }
}

/// The findings of a walk of parts, each with the index of its part
/// (`ends[i]`: the count of findings when part `i` was done); None unless collected.
pub(crate) fn by_part(run: Run, ends: &[usize]) -> Option<Vec<PartFound>> {
    run.found.map(|found| {
        let mut part = 0;
        found
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                while ends[part] <= i {
                    part += 1;
                }
                (part, f.target, f.path, f.value)
            })
            .collect()
    })
}

/// The categories as numbers (a `Vec<u8>` would become `bytes`).
pub(crate) fn categories(run: &Run) -> Vec<u32> {
    run.category_list().into_iter().map(u32::from).collect()
}

fn notes_list<'py>(py: Python<'py>, engine: &engine::Engine, notes: &[(String, u32, Action, usize)]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for (path, target, done, count) in notes {
        let t = engine.targets().get(*target);
        let note = PyDict::new(py);
        note.set_item("path", path)?;
        note.set_item("rule", &t.rule)?;
        note.set_item("category", t.category)?;
        note.set_item("action", done.name())?;
        note.set_item("count", count)?;
        list.append(note)?;
    }
    Ok(list)
}

pub(crate) struct PyWalk<'w, 'e, 'py> {
    walk: &'w mut Walk<'e>,
    py: Python<'py>,
    safe_types: &'w Bound<'py, PyTuple>,
    mapping: &'w Bound<'py, PyAny>,
    /// Containers on the way down (cycles).
    seen: Vec<usize>,
    /// Code of the application may have run (a `__str__`, a mapping's
    /// `items`, ...) and changed a dict being walked: dicts are then built
    /// from what was walked, never copied.
    foreign: bool,
    /// Fields named as our tags (`pii_categories`, ...) and structlog's are
    /// walked as any other: they are the application's (OpenTelemetry).
    tags_are_data: bool,
    /// Recent keys' nodes (None: another walker has the memo, or this walk
    /// has a node table of its own).
    memo: Option<MutexGuard<'w, KeyMemo>>,
}

impl<'py> PyWalk<'_, '_, 'py> {
    fn event(&mut self, event: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let fields = self.top_fields(Some(event), None)?;
        match assemble(self.py, event, fields, self.foreign)? {
            Some(out) => Ok(out),
            None => Ok(event.cast_exact::<PyDict>()?.copy()?),
        }
    }

    /// One part of an item (OpenTelemetry: a span's or event's attributes,
    /// with its name as `own`, a text walked under a key of its own): the
    /// redacted mapping, None when nothing in it changed; and what became of
    /// the own text (the same object when unchanged). Fields named as our
    /// tags are the application's here: walked as any other.
    pub(crate) fn part(
        &mut self,
        mapping: Option<&Bound<'py, PyAny>>,
        own: Option<(&str, &Bound<'py, PyAny>)>,
    ) -> PyResult<Walked<'py>> {
        self.foreign = false; // of this part's walk only
        let mut fields = self.top_fields(mapping, own)?;
        let own_out = match own.and_then(|_| fields.pop()) {
            Some((_, value, outcome)) => Some(match outcome {
                Outcome::Same => value,
                Outcome::Changed(new) | Outcome::Renamed(_, new) => new,
                Outcome::Gone => return Err(PyValueError::new_err("a name or description was dropped whole")),
            }),
            None => None,
        };
        let Some(mapping) = mapping else { return Ok((None, own_out)) };
        if fields.iter().all(|(_, _, o)| matches!(o, Outcome::Same)) {
            return Ok((None, own_out));
        }
        Ok((assemble(self.py, mapping, fields, self.foreign)?, own_out))
    }

    /// How many findings the walk has collected so far.
    pub(crate) fn found_len(&self) -> usize {
        self.walk.run.found.as_ref().map_or(0, Vec::len)
    }

    /// The walked fields of a top-level mapping and, last, the own text of
    /// [`PyWalk::part`].
    fn top_fields(
        &mut self,
        event: Option<&Bound<'py, PyAny>>,
        own: Option<(&str, &Bound<'py, PyAny>)>,
    ) -> PyResult<Vec<Field<'py>>> {
        let py = self.py;
        let items = match event {
            Some(event) => items_of(event)?,
            None => Vec::new(),
        };
        let tags_are_ours = !self.tags_are_data;
        let mut has_record = None;
        if tags_are_ours && self.walk.run.summary() {
            if let Some(previous) = lookup_in(event, intern!(py, "pii_redactions"))? {
                self.previous_notes(&previous)?;
            }
        }
        let root = self.walk.root();
        let mut fields = Vec::with_capacity(items.len() + usize::from(own.is_some()));
        let mut record = Record::new(self.walk.personal_count());
        // Fields whose value is the event's own name: (index, node).
        let mut event_names = Vec::new();
        for item in items {
            let (key, value) = item?;
            let key = self.json_key(key)?;
            let mut ours = None;
            let seen = key.cast_exact::<PyString>().ok().and_then(|k| self.remembered(k, root));
            let node = match (seen, key.cast_exact::<PyString>()) {
                (Some(seen), _) => {
                    if seen.event_name {
                        event_names.push((fields.len(), seen.node));
                    }
                    Some(seen.node)
                }
                (None, Ok(key)) => {
                    let name = text_of(key);
                    if tags_are_ours && name.starts_with(['p', '_']) {
                        if name == CATEGORIES_KEY {
                            self.previous_categories(&value);
                        }
                        if [CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY].contains(&name.as_ref()) {
                            // Ours: written again below.
                            ours = Some(Outcome::Gone);
                        } else if STRUCTLOG_META_KEYS.contains(&name.as_ref())
                            && *has_record.get_or_insert(is_log_record(py, lookup_in(event, intern!(py, "_record"))?)?)
                        {
                            ours = Some(Outcome::Same);
                        }
                    }
                    if ours.is_some() {
                        None
                    } else {
                        let node = self.walk.child(root, KeyKind::Str, &name, true);
                        let event_name = EVENT_NAME_KEYS.contains(&name.as_ref());
                        if event_name {
                            event_names.push((fields.len(), node));
                        }
                        // Our own fields' names are decided by `tags_are_data` each time.
                        if ![CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY].contains(&name.as_ref()) && !STRUCTLOG_META_KEYS.contains(&name.as_ref()) {
                            self.remember(key, name.len(), root, Remembered { node, event_name });
                        }
                        Some(node)
                    }
                }
                (None, Err(_)) => Some(self.key_node(root, &key)?),
            };
            let outcome = match (ours, node) {
                (Some(outcome), _) => outcome,
                (None, Some(node)) => self.field_in(&mut record, fields.len(), node, &value, 1)?,
                (None, None) => Outcome::Same,
            };
            fields.push((key, value, outcome));
        }
        if let Some((key, value)) = own {
            let node = self.walk.child(root, KeyKind::Str, key, true);
            let outcome = self.field_in(&mut record, fields.len(), node, value, 1)?;
            fields.push((PyString::new(py, key).into_any(), value.clone(), outcome));
        }
        self.finish(record, &mut fields, 1)?;
        self.event_names(&event_names, &fields);
        Ok(fields)
    }

    /// Tags from the event's own name: the written-out text of each field
    /// in `names` (index, node), whose key is one of [`EVENT_NAME_KEYS`]
    /// (what comes out, so that a second pass reads what the first wrote).
    fn event_names(&mut self, names: &[(usize, NodeId)], fields: &[Field<'py>]) {
        for &(index, node) in names {
            let (_, value, outcome) = &fields[index];
            let written = match outcome {
                Outcome::Same => value,
                Outcome::Changed(new) => new,
                Outcome::Renamed(..) | Outcome::Gone => continue,
            };
            if let Ok(text) = written.cast_exact::<PyString>() {
                self.walk.event_name(node, &text_of(text));
            }
        }
    }

    /// Categories of an earlier pass (`pii_categories`), kept: redacting twice equals once.
    fn previous_categories(&mut self, previous: &Bound<'py, PyAny>) {
        if let Ok(list) = previous.cast_exact::<PyList>() {
            for n in list.iter() {
                if n.is_exact_instance_of::<PyInt>() {
                    if let Ok(n @ 1..=18) = n.extract::<u8>() {
                        self.walk.run.categories |= 1 << n;
                    }
                }
            }
        }
    }

    /// The notes of an earlier pass, so that redacting twice equals once: each
    /// must be ours in shape (a known rule and category, a count); one whose
    /// path holds anything a rule acts on stands only where the walk makes
    /// that path itself (see `Walk::noted_before`).
    fn previous_notes(&mut self, previous: &Bound<'py, PyAny>) -> PyResult<()> {
        let Ok(list) = previous.cast_exact::<PyList>() else { return Ok(()) };
        // Reading the notes may run the application's code (`__index__`).
        self.foreign |= !list.is_empty();
        let engine = self.walk.engine();
        for note in list.iter() {
            let Ok(note) = note.cast_exact::<PyDict>() else { continue };
            let field = |key: &str| note.get_item(key).ok().flatten();
            let (Some(path), Some(rule), Some(category), Some(count)) = (field("path"), field("rule"), field("category"), field("count")) else {
                continue;
            };
            let (Ok(path), Ok(rule), Ok(category), Ok(count)) =
                (path.cast_exact::<PyString>(), rule.cast_exact::<PyString>(), category.extract::<u8>(), count.extract::<usize>())
            else {
                continue;
            };
            let (path, rule) = (text_of(path), text_of(rule));
            if let Some(target) = engine.targets().lookup(&rule, category) {
                // A hash that found nothing to hash was a mask; any other action is the target's own.
                let action = engine.targets().get(target).action;
                let masked = action == Action::Hash
                    && field("action").is_some_and(|a| a.cast_exact::<PyString>().is_ok_and(|a| text_of(a) == Action::Mask.name()));
                self.walk.noted_before(&path, target, if masked { Action::Mask } else { action }, count);
            }
        }
        Ok(())
    }

    /// A key a JSON renderer can write: a `str`, `int`, `float`, `bool` or
    /// `None` is itself; any other (bytes, a tuple, a frozenset, an object)
    /// becomes its text, read and written as a `str` key (bytes decoded as
    /// UTF-8, an invalid sequence as U+FFFD), so that it is scanned as one.
    /// A key whose `__str__` raises is written as a marker.
    fn json_key(&mut self, key: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        if key.is_exact_instance_of::<PyString>() || key.is_instance_of::<PyString>() || key.is_instance_of::<PyInt>() || key.is_instance_of::<PyFloat>() || key.is_none() {
            return Ok(key); // bool is an int
        }
        self.foreign = true; // the dict is rebuilt with the new key
        let py = self.py;
        if let Ok(raw) = key.cast::<PyBytes>() {
            return Ok(PyString::new(py, &String::from_utf8_lossy(raw.as_bytes())).into_any());
        }
        Ok(PyString::new(py, &printed_or(&key, "unprintable key")?).into_any())
    }

    /// The node of a key under `parent` (of a type [`PyWalk::json_key`] keeps).
    fn key_node(&mut self, parent: NodeId, key: &Bound<'py, PyAny>) -> PyResult<NodeId> {
        // A str subclass is written out as its text, so it is read as its text.
        if let Ok(s) = key.cast_exact::<PyString>() {
            if let Some(seen) = self.remembered(s, parent) {
                return Ok(seen.node);
            }
            let name = text_of(s);
            let node = self.walk.child(parent, KeyKind::Str, &name, true);
            self.remember(s, name.len(), parent, Remembered { node, event_name: false });
            return Ok(node);
        }
        if let Ok(s) = key.cast::<PyString>() {
            // A subclass's `__hash__` and `__eq__` are the application's code.
            self.foreign = true;
            return Ok(self.walk.child(parent, KeyKind::Str, &text_of(s), true));
        }
        let text = printed(key)?;
        let (kind, scanned) = if key.is_exact_instance_of::<PyInt>() {
            (KeyKind::Int, is_big_int(&text))
        } else if key.is_exact_instance_of::<PyBool>() {
            (KeyKind::Bool, false)
        } else if key.is_exact_instance_of::<PyFloat>() {
            (KeyKind::Float, false)
        } else if key.is_none() {
            (KeyKind::None, false)
        } else {
            self.foreign = true;
            let type_name = key.get_type().qualname()?;
            let table_key = format!("{}\0{text}", text_of(&type_name));
            return Ok(self.walk.child_named(parent, KeyKind::Other, &table_key, &text, false));
        };
        Ok(self.walk.child(parent, kind, &text, scanned))
    }

    /// The node remembered for `key` (this object) under `parent`, unless
    /// the walk must meet every key's path itself.
    fn remembered(&self, key: &Bound<'py, PyString>, parent: NodeId) -> Option<Remembered> {
        if self.walk.meets_paths() {
            return None;
        }
        self.memo.as_ref()?.get(key, parent)
    }

    /// Remembers `key` (`len` bytes) under `parent` when its node is one the table keeps.
    fn remember(&mut self, key: &Bound<'py, PyString>, len: usize, parent: NodeId, seen: Remembered) {
        if self.walk.remembers(seen.node) {
            if let Some(memo) = self.memo.as_mut() {
                memo.put(key, len, parent, seen);
            }
        }
    }

    /// What becomes of one field.
    fn field(&mut self, node: NodeId, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<Outcome<'py>> {
        self.walk.key_findings(node);
        if self.walk.drops(node, value.is_exact_instance_of::<PyInt>()) {
            let is_str = value.is_exact_instance_of::<PyString>();
            let empty = value.is_none() || (is_str && value.len()? == 0);
            if !empty {
                self.foreign |= !is_str;
                let text = printed(value)?;
                self.walk.drop_value(node, &text, is_str);
            }
            return Ok(Outcome::Gone);
        }
        let new = self.value(value, node, depth)?;
        Ok(match &self.walk.node(node).key_out {
            Some(k) => Outcome::Renamed(PyString::new(self.py, k), new),
            None if new.is(value) => Outcome::Same,
            None => Outcome::Changed(new),
        })
    }

    /// The redacted value (the same object when nothing changed).
    fn value(&mut self, value: &Bound<'py, PyAny>, node: NodeId, depth: usize) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        if let Ok(s) = value.cast_exact::<PyString>() {
            let text = text_of(s);
            if !text.is_empty() && !self.walk.node(node).tags.is_empty() {
                self.walk.tag(node);
            }
            return Ok(match self.walk.string(node, &text, depth) {
                Some(out) => PyString::new(py, &out).into_any(),
                None => value.clone(),
            });
        }
        if !value.is_none() && !self.walk.node(node).tags.is_empty() {
            self.walk.tag(node);
        }
        let capture = self.walk.node(node).capture.is_some();
        if value.is_exact_instance_of::<PyDict>() {
            return self.container(value, node, depth, true);
        }
        if value.is_exact_instance_of::<PyList>() || value.is_exact_instance_of::<PyTuple>() {
            return self.container(value, node, depth, false);
        }
        if value.is_exact_instance_of::<PyInt>() {
            if !capture {
                if let Ok(n) = value.extract::<i64>() {
                    if n.unsigned_abs() < pii_core::engine::BIG_INT {
                        return Ok(value.clone()); // too small for any number of a person
                    }
                }
            }
            let text = value.str()?;
            let out = self.walk.number(node, &text_of(&text));
            return Ok(out.map_or_else(|| value.clone(), |s| PyString::new(py, &s).into_any()));
        }
        if value.is_none() || value.is_exact_instance_of::<PyBool>() || value.is_exact_instance_of::<PyFloat>() {
            return self.scalar(value, node, capture);
        }
        // Beyond the exact built-in types, the application's code may run.
        self.foreign = true;
        if value.is_instance(self.mapping)? {
            return self.container(value, node, depth, true);
        }
        if value.is_instance_of::<PySet>() || value.is_instance_of::<PyFrozenSet>() {
            return self.container(value, node, depth, false);
        }
        if value.is_instance(self.safe_types.as_any())? {
            return self.scalar(value, node, capture);
        }
        if value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyByteArray>() || value.is_instance_of::<PyMemoryView>() {
            let raw = py.get_type::<PyBytes>().call1((value,))?.cast_into::<PyBytes>()?;
            let text = String::from_utf8_lossy(raw.as_bytes());
            return Ok(match self.walk.string(node, &text, depth) {
                Some(out) => PyString::new(py, &out).into_any(),
                None => value.clone(),
            });
        }
        // Any other object: what a renderer would write is its text, so that
        // is what is scanned and written out.
        let text = printed(value)?;
        let out = self.walk.string(node, &text, depth).unwrap_or(text);
        Ok(PyString::new(py, &out).into_any())
    }

    /// A number, date, ... : under a personal field its text is redacted (in
    /// audit mode the value stays as it was, type and all).
    fn scalar(&mut self, value: &Bound<'py, PyAny>, node: NodeId, capture: bool) -> PyResult<Bound<'py, PyAny>> {
        if !capture || value.is_none() || value.is_exact_instance_of::<PyBool>() {
            return Ok(value.clone());
        }
        let text = printed(value)?;
        let out = self.walk.captured(node, &text);
        Ok(out.map_or_else(|| value.clone(), |s| PyString::new(self.py, &s).into_any()))
    }

    fn container(&mut self, value: &Bound<'py, PyAny>, node: NodeId, depth: usize, mapping: bool) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        if depth >= self.walk.engine().max_depth {
            self.walk.unsure(node);
            return Ok(PyString::new(py, TOO_DEEP).into_any());
        }
        let ident = value.as_ptr() as usize;
        if self.seen.contains(&ident) {
            return Ok(PyString::new(py, CYCLE).into_any());
        }
        self.seen.push(ident);
        let result = if mapping { self.mapping_of(value, node, depth) } else { self.sequence(value, node, depth) };
        self.seen.pop();
        result
    }

    fn mapping_of(&mut self, value: &Bound<'py, PyAny>, node: NodeId, depth: usize) -> PyResult<Bound<'py, PyAny>> {
        let items = items_of(value)?;
        let mut fields = Vec::with_capacity(items.len());
        let mut record = Record::new(self.walk.personal_count());
        for item in items {
            let (key, item) = item?;
            let key = self.json_key(key)?;
            let child = self.key_node(node, &key)?;
            let outcome = self.field_in(&mut record, fields.len(), child, &item, depth + 1)?;
            fields.push((key, item, outcome));
        }
        self.finish(record, &mut fields, depth + 1)?;
        // An exact dict that nothing changed is passed on as it is.
        Ok(match assemble(self.py, value, fields, self.foreign)? {
            Some(out) => out.into_any(),
            None => value.clone(),
        })
    }

    /// Field `index` of a mapping, walked now; a key that is a person's data
    /// only in a person's record (`name`, `first`, `owner`) is left for
    /// [`PyWalk::finish`] (its outcome here is a placeholder).
    fn field_in(&mut self, record: &mut Record, index: usize, node: NodeId, value: &Bound<'py, PyAny>, depth: usize) -> PyResult<Outcome<'py>> {
        let n = self.walk.node(node);
        if n.record.is_some() {
            record.deferred.push((index, node));
            return Ok(Outcome::Same);
        }
        record.personal |= n.personal;
        self.field(node, value, depth)
    }

    /// The deferred fields of a mapping, walked once the others have said
    /// whether it is a person's record (a field of a person's by its name,
    /// or a person's value found in one).
    fn finish(&mut self, record: Record, fields: &mut [Field<'py>], depth: usize) -> PyResult<()> {
        if record.deferred.is_empty() {
            return Ok(());
        }
        let personal = record.personal || self.walk.personal_count() > record.before;
        for (index, node) in record.deferred {
            let value = fields[index].1.clone();
            // A record rule is about a value (`"name": "…"`), not a nested mapping or list.
            let scalar = !(value.is_instance_of::<PyDict>() || value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>());
            let node = if personal && scalar { self.walk.in_record(node) } else { node };
            fields[index].2 = self.field(node, &value, depth)?;
        }
        Ok(())
    }

    fn sequence(&mut self, value: &Bound<'py, PyAny>, node: NodeId, depth: usize) -> PyResult<Bound<'py, PyAny>> {
        let mut items = Vec::new();
        let mut changed = false;
        for item in value.try_iter()? {
            let item = item?;
            let new = self.value(&item, node, depth + 1)?;
            changed |= !new.is(&item);
            items.push(new);
        }
        if value.is_exact_instance_of::<PyTuple>() {
            return Ok(if changed { PyTuple::new(self.py, items)?.into_any() } else { value.clone() });
        }
        if value.is_exact_instance_of::<PyList>() && !changed {
            return Ok(value.clone());
        }
        Ok(PyList::new(self.py, items)?.into_any())
    }
}

/// What a mapping's walk knows of it being a person's record.
struct Record {
    /// The walk's count of a person's values when the mapping began.
    before: usize,
    /// A field of a person's data by its name was met.
    personal: bool,
    /// Fields left until that is known: (index, node).
    deferred: Vec<(usize, NodeId)>,
}

impl Record {
    fn new(before: usize) -> Record {
        Record { before, personal: false, deferred: Vec::new() }
    }
}

/// What [`Engine::record_event`] made of a record's event.
pub(crate) enum RecordEvent<'py> {
    /// Each field of the event in order with what the walk made of it (no
    /// key renamed, none of the application's code run), and our tags to set
    /// last, in order.
    Walked(Vec<Field<'py>>, Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)>),
    /// The redacted, tagged event whole (what [`Engine::process`] returns).
    Whole(Bound<'py, PyDict>),
}

/// What [`PyWalk::part`] made of a part: the new mapping (None: unchanged)
/// and the own text.
pub(crate) type Walked<'py> = (Option<Bound<'py, PyDict>>, Option<Bound<'py, PyAny>>);

/// What the walk made of one field of a mapping.
pub(crate) enum Outcome<'py> {
    /// Written out as it was.
    Same,
    /// A new value under the same key.
    Changed(Bound<'py, PyAny>),
    /// A new key (the old one held personal data) and value.
    Renamed(Bound<'py, PyString>, Bound<'py, PyAny>),
    /// Left out.
    Gone,
}

/// A field of a mapping: its key, its value and what the walk made of it.
pub(crate) type Field<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>, Outcome<'py>);

/// The output mapping for `fields` (every field of `mapping`, in order), or
/// None when `mapping` is an exact dict that nothing changed. An exact dict
/// whose keys all stay is copied (one table copy) and patched, unless code
/// of the application ran during the walk (`foreign`: the dict may no longer
/// hold what was walked); any other mapping is built field by field.
fn assemble<'py>(
    py: Python<'py>,
    mapping: &Bound<'py, PyAny>,
    fields: Vec<Field<'py>>,
    foreign: bool,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let exact = mapping.cast_exact::<PyDict>().ok().filter(|_| !foreign);
    if exact.is_some() && fields.iter().all(|(_, _, o)| matches!(o, Outcome::Same)) {
        return Ok(None);
    }
    if let Some(dict) = exact.filter(|_| !fields.iter().any(|(_, _, o)| matches!(o, Outcome::Renamed(..)))) {
        let out = dict.copy()?;
        for (key, _, outcome) in fields {
            match outcome {
                Outcome::Same => {}
                Outcome::Changed(new) => out.set_item(key, new)?,
                Outcome::Gone => out.del_item(key)?,
                Outcome::Renamed(..) => unreachable!("renames are built field by field"),
            }
        }
        return Ok(Some(out));
    }
    let out = PyDict::new(py);
    for (key, value, outcome) in fields {
        match outcome {
            Outcome::Same => out.set_item(key, value)?,
            Outcome::Changed(new) => out.set_item(key, new)?,
            Outcome::Renamed(new_key, new) => out.set_item(new_key, new)?,
            Outcome::Gone => {}
        }
    }
    Ok(Some(out))
}

/// `mapping[key]`, None when it has no such key (a dict is asked without
/// raising and catching a KeyError).
fn lookup<'py>(mapping: &Bound<'py, PyAny>, key: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyAny>>> {
    if let Ok(dict) = mapping.cast_exact::<PyDict>() {
        return dict.get_item(key);
    }
    // `in` then `[]`, never `[]` alone: a defaultdict would add the key.
    if !mapping.contains(key)? {
        return Ok(None);
    }
    mapping.get_item(key).map(Some)
}

/// `str(value)`, or `[REDACTED:unprintable <type>]` when its `__str__` raises.
fn printed(value: &Bound<'_, PyAny>) -> PyResult<String> {
    printed_or(value, "unprintable")
}

/// [`printed`] with `[REDACTED:<marker> <type>]` when `__str__` raises.
fn printed_or(value: &Bound<'_, PyAny>, marker: &str) -> PyResult<String> {
    match value.str() {
        Ok(s) => Ok(text_of(&s).into_owned()),
        Err(e) if !e.is_instance_of::<pyo3::exceptions::PyException>(value.py()) => Err(e),
        Err(_) => Ok(format!("[REDACTED:{marker} {}]", value.get_type().qualname().map(|n| n.to_string()).unwrap_or_default())),
    }
}

/// Whether `value` is a `logging.LogRecord` (structlog's ProcessorFormatter
/// puts the record there): any other `_record` is data like any field.
fn is_log_record<'py>(py: Python<'py>, value: Option<Bound<'py, PyAny>>) -> PyResult<bool> {
    let Some(value) = value else { return Ok(false) };
    value.is_instance(crate::record::log_record_type(py)?)
}

/// [`lookup`] in a mapping that may be absent.
fn lookup_in<'py>(mapping: Option<&Bound<'py, PyAny>>, key: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyAny>>> {
    mapping.map_or(Ok(None), |m| lookup(m, key))
}

/// A key and its value.
type Item<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>);

/// The (key, value) pairs of a dict or any mapping.
fn items_of<'py>(value: &Bound<'py, PyAny>) -> PyResult<Vec<PyResult<Item<'py>>>> {
    if let Ok(dict) = value.cast_exact::<PyDict>() {
        return Ok(dict.iter().map(Ok).collect());
    }
    let items = value.call_method0("items")?;
    Ok(items
        .try_iter()?
        .map(|item| item.and_then(|pair| pair.extract::<Item<'py>>()))
        .collect())
}
