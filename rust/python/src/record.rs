//! A standard-library `logging.LogRecord` redacted in one native call
//! (`Engine.redact_record`): what `pii_tagger.stdlib.redact_record` does in
//! Python, for the common record (an exact `LogRecord` with a `str` message,
//! a tuple of arguments and no pending exception); any other is left to the
//! Python code. Both must do the same: `tests/test_stdlib_logging.py` runs
//! every case through both.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyFrozenSet, PyInt, PyString, PyTuple, PyType};

use pii_core::text::is_decimal;
use rustc_hash::FxHashMap;

use crate::engine::{Engine, Field, Outcome, RecordEvent};

static LOG_RECORD: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `logging.LogRecord`, imported once.
pub(crate) fn log_record_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    LOG_RECORD.import(py, "logging", "LogRecord")
}

impl Engine {
    /// Redacts `record` in place as `redact_record` does (see the module);
    /// false, having changed nothing, for a record it leaves to Python.
    /// `not_extra`: the fields that are not `extra=` ones. May raise midway
    /// (the caller fails closed).
    pub(crate) fn record<'py>(&self, py: Python<'py>, record: &Bound<'py, PyAny>, not_extra: &Bound<'py, PyFrozenSet>) -> PyResult<bool> {
        if !record.get_type().is(log_record_type(py)?) {
            return Ok(false);
        }
        let fields = record.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?;
        let known = self.not_extra.get_or_init(py, || KnownKeys::of(py, not_extra));
        // One pass over the record's fields: the extras in order, and the
        // fields read here.
        let (extras, read) = known.sort(py, &fields, not_extra)?;
        let get = |field: Read| -> PyResult<Bound<'py, PyAny>> {
            read[field as usize].clone().ok_or_else(|| PyTypeError::new_err("a LogRecord without its fields"))
        };
        let (msg, args) = (get(Read::Msg)?, get(Read::Args)?);
        let (Ok(template), Ok(args)) = (msg.cast_exact::<PyString>(), args.cast_exact::<PyTuple>()) else {
            return Ok(false);
        };
        if get(Read::ExcInfo)?.is_truthy()? {
            return Ok(false);
        }
        // record.getMessage()
        let message = if args.is_empty() { template.clone() } else { template.rem(args)?.cast_into::<PyString>()? };
        if message.to_str().is_err() {
            return Ok(false); // lone surrogates: Python cuts the arguments by characters
        }
        let event = PyDict::new(py);
        event.set_item(intern!(py, "message"), &message)?;
        let (categories, summary) = (intern!(py, "pii_categories"), intern!(py, "pii_redactions"));
        let mut previous_tags = 0;
        if let Some(previous) = &read[Read::Categories as usize] {
            // From an earlier pass: merged, never trusted blindly.
            event.set_item(categories, previous)?;
            previous_tags += 1;
            if let Some(previous) = &read[Read::Summary as usize] {
                event.set_item(summary, previous)?;
                previous_tags += 1;
            }
        }
        for (key, value) in &extras {
            event.set_item(key, value)?;
        }
        let (exception, stack) = (intern!(py, "exc_text"), intern!(py, "stack_info"));
        let exc_text = get(Read::ExcText)?;
        let exc_text = exc_text.is_truthy()?.then_some(exc_text);
        if let Some(exc_text) = &exc_text {
            event.set_item(exception, exc_text)?;
        }
        let stack_info = get(Read::StackInfo)?;
        let stack_info = stack_info.is_truthy()?.then_some(stack_info);
        if let Some(stack_info) = &stack_info {
            event.set_item(stack, stack_info)?;
        }
        let expected = 1 + previous_tags + extras.len() + usize::from(exc_text.is_some()) + usize::from(stack_info.is_some());
        let walked = self.record_event(py, &event)?;
        let parts = MessageParts { fields: &fields, template, args, message: &message };
        // The event's fields as they were set, unless a key came twice
        // (another `not_extra` set): then taken over from the whole event.
        let (out_fields, tags) = match walked {
            RecordEvent::Walked(out_fields, tags) if out_fields.len() == expected => (out_fields, tags),
            RecordEvent::Walked(out_fields, tags) => {
                let out = PyDict::new(py);
                for (key, value, outcome) in out_fields {
                    match outcome {
                        Outcome::Same => out.set_item(key, value)?,
                        Outcome::Changed(new) | Outcome::Renamed(_, new) => out.set_item(key, new)?,
                        Outcome::Gone => {}
                    }
                }
                for (key, value) in tags {
                    out.set_item(key, value)?;
                }
                return parts.take_over(py, extras, &out).map(|()| true);
            }
            RecordEvent::Whole(out) => return parts.take_over(py, extras, &out).map(|()| true),
        };
        let mut out_fields = out_fields.into_iter();
        let written = |field: Option<Field<'py>>| -> PyResult<Option<Bound<'py, PyAny>>> {
            Ok(match field {
                None => None,
                Some((_, value, Outcome::Same)) => Some(value),
                Some((_, _, Outcome::Changed(new))) => Some(new),
                Some((_, _, Outcome::Gone)) => None,
                Some((_, _, Outcome::Renamed(..))) => return Err(PyValueError::new_err("a renamed field of a record")),
            })
        };
        let redacted = written(out_fields.next())?.unwrap_or_else(|| PyString::new(py, "").into_any());
        let mut out_fields = out_fields.skip(previous_tags); // our earlier tags: written again below
        let walked_extras: Vec<_> = out_fields.by_ref().take(extras.len()).collect();
        let new_exc_text = if exc_text.is_some() { written(out_fields.next())? } else { None };
        let new_stack_info = if stack_info.is_some() { written(out_fields.next())? } else { None };
        parts.write_message(py, &redacted)?;
        write_exception(py, &fields, new_exc_text, new_stack_info)?;
        for field in walked_extras {
            match field {
                (_, _, Outcome::Same) => {}
                (key, _, Outcome::Changed(new)) => fields.set_item(key, new)?,
                (key, _, Outcome::Gone) => fields.del_item(key)?, // dropped (a password, a token)
                (_, _, Outcome::Renamed(..)) => return Err(PyValueError::new_err("a renamed field of a record")),
            }
        }
        for (key, value) in tags {
            fields.set_item(key, value)?;
        }
        Ok(true)
    }
}

/// A record's fields and the parts of its message, as read before the walk.
struct MessageParts<'a, 'py> {
    fields: &'a Bound<'py, PyDict>,
    template: &'a Bound<'py, PyString>,
    args: &'a Bound<'py, PyTuple>,
    /// `record.getMessage()`.
    message: &'a Bound<'py, PyString>,
}

impl<'py> MessageParts<'_, 'py> {
    /// The redacted event `out` (what `process` returns) taken over by the
    /// record: the message, the exception and stack texts, the extras (a
    /// dropped one deleted), our tags and any renamed key.
    fn take_over(&self, py: Python<'py>, extras: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>, out: &Bound<'py, PyDict>) -> PyResult<()> {
        let fields = self.fields;
        let redacted = pop(out, intern!(py, "message"))?.unwrap_or_else(|| PyString::new(py, "").into_any());
        self.write_message(py, &redacted)?;
        let (exc_text, stack_info) = (pop(out, intern!(py, "exc_text"))?, pop(out, intern!(py, "stack_info"))?);
        write_exception(py, fields, exc_text, stack_info)?;
        for (key, _) in extras {
            if !out.contains(&key)? {
                fields.del_item(key)?; // dropped (a password, a token)
            }
        }
        fields.update(out.as_mapping()) // the redacted extras, our tags, a redacted key name
    }

    /// The redacted message written to the record (left when it is the
    /// message and the arguments cannot render differently later).
    fn write_message(&self, py: Python<'py>, redacted: &Bound<'py, PyAny>) -> PyResult<()> {
        let plain = plain_args(self.args);
        if !plain || redacted.ne(self.message)? {
            set_message(py, self.fields, self.template, self.args, plain, redacted)?;
        }
        Ok(())
    }
}

/// `exc_info` set to None, `exc_text` and `stack_info` to their redacted
/// texts or None (each left when it is that already: read again, since the
/// application's code may have run in the walk).
fn write_exception<'py>(py: Python<'py>, fields: &Bound<'py, PyDict>, exc_text: Option<Bound<'py, PyAny>>, stack_info: Option<Bound<'py, PyAny>>) -> PyResult<()> {
    let none = py.None().into_bound(py);
    for (key, new) in [(intern!(py, "exc_info"), None), (intern!(py, "exc_text"), exc_text), (intern!(py, "stack_info"), stack_info)] {
        let new = new.unwrap_or_else(|| none.clone());
        if !fields.get_item(key)?.is_some_and(|now| now.is(&new)) {
            fields.set_item(key, new)?;
        }
    }
    Ok(())
}

/// The fields of a record that [`Engine::record`] reads (their index in
/// what [`KnownKeys::sort`] gives).
#[derive(Clone, Copy)]
enum Read {
    Msg,
    Args,
    ExcInfo,
    ExcText,
    StackInfo,
    Categories,
    Summary,
}

/// The names of [`Read`]'s fields, in its order.
const READ: [&str; 7] = ["msg", "args", "exc_info", "exc_text", "stack_info", "pii_categories", "pii_redactions"];

/// The fields that are not `extra=` ones (a frozenset of names), with its
/// members' addresses in a table, and the fields [`Engine::record`] reads:
/// a record's own field names are the very strings `LogRecord.__init__` set
/// (interned, as the names here are), so most are found by address; any
/// other key is looked up in the set and compared with the names read.
/// Holds names, never values.
pub(crate) struct KnownKeys {
    set: Py<PyFrozenSet>,
    /// Names of [`READ`], interned (kept alive here, so their addresses are theirs).
    read: Vec<Py<PyString>>,
    /// By the address of each member and name: whether it is a member, and
    /// its index in [`READ`] (`NOT_READ`: none).
    by_address: FxHashMap<usize, (bool, u8)>,
}

/// The index in [`READ`] of a member that is not read.
const NOT_READ: u8 = u8::MAX;

/// What a key of a record is to [`Engine::record`].
enum KeyIs {
    /// Not a field read.
    Other,
    /// The field read at this index of [`READ`].
    Read(usize),
    /// Unknown: a key whose equality is its own (a str subclass, another type).
    Unsure,
}

impl KnownKeys {
    fn of(py: Python<'_>, set: &Bound<'_, PyFrozenSet>) -> KnownKeys {
        let read: Vec<Py<PyString>> = READ.iter().map(|name| PyString::intern(py, name).unbind()).collect();
        let mut by_address: FxHashMap<usize, (bool, u8)> = set.iter().map(|key| (key.as_ptr() as usize, (true, NOT_READ))).collect();
        for (i, name) in read.iter().enumerate() {
            let member = set.contains(name.bind(py)).unwrap_or(false);
            let entry = by_address.entry(name.as_ptr() as usize).or_insert((member, NOT_READ));
            *entry = (entry.0 || member, entry.1.min(i as u8));
        }
        KnownKeys { set: set.clone().unbind(), read, by_address }
    }

    /// Whether `key` is in `set`, and what it is to the record: by address
    /// when `set` is the one kept (its members are alive, so an address is
    /// theirs), else by the set and by text.
    fn classify(&self, set: &Bound<'_, PyFrozenSet>, key: &Bound<'_, PyAny>) -> PyResult<(bool, KeyIs)> {
        if set.is(&self.set) {
            if let Some(&(member, field)) = self.by_address.get(&(key.as_ptr() as usize)) {
                return Ok((member, if field == NOT_READ { KeyIs::Other } else { KeyIs::Read(usize::from(field)) }));
            }
        }
        let member = set.contains(key)?;
        let is = match key.cast_exact::<PyString>() {
            Ok(text) => match text.to_str() {
                Ok(text) => READ.iter().position(|name| *name == text).map_or(KeyIs::Other, KeyIs::Read),
                Err(_) => KeyIs::Other, // lone surrogates: no name read
            },
            Err(_) => KeyIs::Unsure,
        };
        Ok((member, is))
    }

    /// One pass over a record's `fields`: the extras (keys not in `set`)
    /// in order, and the value of each field of [`READ`] (None: not there).
    #[allow(clippy::type_complexity)]
    fn sort<'py>(
        &self,
        py: Python<'py>,
        fields: &Bound<'py, PyDict>,
        set: &Bound<'py, PyFrozenSet>,
    ) -> PyResult<(Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>, [Option<Bound<'py, PyAny>>; READ.len()])> {
        let mut extras = Vec::new();
        let mut read: [Option<Bound<'py, PyAny>>; READ.len()] = Default::default();
        let mut unsure = false;
        for (key, value) in fields.iter() {
            let (member, is) = self.classify(set, &key)?;
            match is {
                KeyIs::Read(field) => read[field] = Some(value.clone()),
                KeyIs::Unsure => unsure = true,
                KeyIs::Other => {}
            }
            if !member {
                extras.push((key, value));
            }
        }
        if unsure {
            // A key could equal a name read without being its text: each asked of the dict.
            for (slot, name) in read.iter_mut().zip(&self.read) {
                *slot = fields.get_item(name.bind(py))?;
            }
        }
        Ok((extras, read))
    }
}

/// `dict.pop(key, None)`.
fn pop<'py>(dict: &Bound<'py, PyDict>, key: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let value = dict.get_item(key)?;
    if value.is_some() {
        dict.del_item(key)?;
    }
    Ok(value)
}

/// Arguments whose rendering cannot change after the filter looked at them.
fn plain_args(args: &Bound<'_, PyTuple>) -> bool {
    args.iter().all(|a| {
        a.is_exact_instance_of::<PyString>()
            || a.is_exact_instance_of::<PyInt>()
            || a.is_exact_instance_of::<PyFloat>()
            || a.is_exact_instance_of::<PyBool>()
            || a.is_none()
    })
}

/// The redacted message, with `args` when a formatter can still read them
/// (`_set_message`; the message changed, or the arguments are not plain).
fn set_message<'py>(
    py: Python<'py>,
    fields: &Bound<'py, PyDict>,
    template: &Bound<'py, PyString>,
    args: &Bound<'py, PyTuple>,
    plain: bool,
    redacted: &Bound<'py, PyAny>,
) -> PyResult<()> {
    // Not plain: an object could render differently later, the checked text
    // is what is written; no arguments: the message is the redacted text.
    let kept = if !plain || args.is_empty() {
        None
    } else {
        // Lone surrogates were sent to Python before (a message without
        // them has none in its template); the engine writes none.
        match (template.to_str(), redacted.cast_exact::<PyString>().map(|r| r.to_str())) {
            (Ok(t), Ok(Ok(r))) => redacted_args(py, t, args, r)?,
            _ => None,
        }
    };
    match kept {
        None => {
            fields.set_item(intern!(py, "msg"), redacted)?;
            fields.set_item(intern!(py, "args"), py.None())?;
        }
        Some(kept) => fields.set_item(intern!(py, "args"), kept)?,
    }
    let message_key = intern!(py, "message");
    if fields.contains(message_key)? {
        // Set by a formatter that ran before us, with the raw text.
        fields.set_item(message_key, redacted)?;
    }
    Ok(())
}

/// `args` cut out of the redacted message, so that `template % args` is
/// `redacted` (`_redacted_args`): an argument the redaction left as it was
/// stays itself, a changed one must be a plain `%s` and becomes its
/// redacted text. None when the template's own text did not survive, or the
/// cut is not certain.
fn redacted_args<'py>(py: Python<'py>, template: &str, args: &Bound<'py, PyTuple>, redacted: &str) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let Some((texts, specs)) = template_parts(template) else { return Ok(None) };
    if specs.len() != args.len() || !redacted.starts_with(texts[0].as_str()) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(specs.len());
    let mut start = texts[0].len();
    for (i, (spec, arg)) in specs.iter().zip(args.iter()).enumerate() {
        let after = texts[i + 1].as_str();
        let end = if i == specs.len() - 1 {
            redacted.strip_suffix(after).map(str::len)
        } else if after.is_empty() {
            None
        } else {
            redacted.get(start..).and_then(|rest| rest.find(after)).map(|at| at + start)
        };
        let Some(end) = end.filter(|&end| end >= start) else { return Ok(None) };
        let piece = &redacted[start..end];
        if spec == "%s" && arg.is_exact_instance_of::<PyString>() {
            out.push(PyString::new(py, piece).into_any()); // itself, or its redacted text
        } else {
            let rendered = PyString::new(py, spec).rem(PyTuple::new(py, [&arg])?)?;
            if !rendered.cast::<PyString>().is_ok_and(|r| r.to_str().is_ok_and(|r| r == piece)) {
                return Ok(None);
            }
            out.push(arg);
        }
        start = end + after.len();
    }
    Ok(Some(PyTuple::new(py, out)?))
}

/// The text around each conversion of a `%` template (`%%` as `%`) and the
/// conversions (`_template_parts`: the conversions its expression
/// `%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[hlL]?[diouxXeEfFgGcrsa%]` finds);
/// None for what cannot be cut (`*` widths, `%(name)s`).
fn template_parts(template: &str) -> Option<(Vec<String>, Vec<String>)> {
    if template.contains('*') {
        return None;
    }
    let (mut texts, mut specs) = (vec![String::new()], Vec::new());
    let (mut from, mut at) = (0, 0);
    while let Some(found) = template[at..].find('%') {
        let begin = at + found;
        match conversion(template, begin) {
            Conversion::None => at = begin + 1,
            Conversion::Keyed => return None,
            Conversion::At(end) => {
                let last = texts.last_mut().expect("never empty");
                last.push_str(&template[from..begin]);
                let spec = &template[begin..end];
                if spec == "%%" {
                    last.push('%');
                } else {
                    specs.push(spec.to_owned());
                    texts.push(String::new());
                }
                (from, at) = (end, end);
            }
        }
    }
    texts.last_mut().expect("never empty").push_str(&template[from..]);
    Some((texts, specs))
}

/// What the expression of [`template_parts`] matches at `begin` (a `%`).
enum Conversion {
    None,
    /// A match with a `(name)`.
    Keyed,
    /// A match up to this byte.
    At(usize),
}

/// The greedy reading of the expression is its only one: no character can
/// end one part and begin the next.
fn conversion(template: &str, begin: usize) -> Conversion {
    let rest = &template[begin + 1..];
    let mut chars = rest.char_indices().peekable();
    let mut keyed = false;
    if rest.starts_with('(') {
        match rest.find(')') {
            Some(close) => {
                keyed = true;
                while chars.next_if(|&(i, _)| i <= close).is_some() {}
            }
            None => return Conversion::None,
        }
    }
    while chars.next_if(|&(_, c)| "#0 +-".contains(c)).is_some() {}
    while let Some(&(_, c)) = chars.peek() {
        if !is_decimal(c) {
            break;
        }
        chars.next();
    }
    if let Some(&(_, '.')) = chars.peek() {
        let mut ahead = chars.clone();
        ahead.next();
        let mut digits = 0;
        while let Some(&(_, c)) = ahead.peek() {
            if !is_decimal(c) {
                break;
            }
            ahead.next();
            digits += 1;
        }
        if digits > 0 {
            chars = ahead;
        }
    }
    chars.next_if(|&(_, c)| "hlL".contains(c));
    match chars.next() {
        Some((i, c)) if "diouxXeEfFgGcrsa%".contains(c) => {
            if keyed { Conversion::Keyed } else { Conversion::At(begin + 1 + i + c.len_utf8()) }
        }
        _ => Conversion::None,
    }
}
