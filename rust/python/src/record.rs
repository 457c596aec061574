//! A standard-library `logging.LogRecord` redacted in one native call
//! (`Engine.redact_record`): what `pii_tagger.stdlib.redact_record` does in
//! Python, for the common record (an exact `LogRecord` with a `str` message,
//! a tuple of arguments and no pending exception); any other is left to the
//! Python code. Both must do the same: `tests/test_stdlib_logging.py` runs
//! every case through both.

use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyFrozenSet, PyInt, PyString, PyTuple, PyType};

use pii_core::text::is_decimal;

use crate::engine::Engine;

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
        let get = |key: &Bound<'py, PyString>| -> PyResult<Bound<'py, PyAny>> {
            fields.get_item(key)?.ok_or_else(|| PyTypeError::new_err("a LogRecord without its fields"))
        };
        let (msg, args) = (get(intern!(py, "msg"))?, get(intern!(py, "args"))?);
        let (Ok(template), Ok(args)) = (msg.cast_exact::<PyString>(), args.cast_exact::<PyTuple>()) else {
            return Ok(false);
        };
        if get(intern!(py, "exc_info"))?.is_truthy()? {
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
        if let Some(previous) = fields.get_item(categories)? {
            // From an earlier pass: merged, never trusted blindly.
            event.set_item(categories, previous)?;
            if let Some(previous) = fields.get_item(summary)? {
                event.set_item(summary, previous)?;
            }
        }
        let known = self.not_extra.get_or_init(py, || KnownKeys::of(not_extra));
        let mut extras = Vec::new();
        for (key, value) in fields.iter() {
            if !known.contains(not_extra, &key)? {
                event.set_item(&key, value)?;
                extras.push(key);
            }
        }
        let (exception, stack) = (intern!(py, "exc_text"), intern!(py, "stack_info"));
        let exc_text = get(exception)?;
        if exc_text.is_truthy()? {
            event.set_item(exception, &exc_text)?;
        }
        let stack_info = get(stack)?;
        if stack_info.is_truthy()? {
            event.set_item(stack, &stack_info)?;
        }
        let out = self.process(py, event.as_any())?.cast_into::<PyDict>()?;
        let redacted = pop(&out, intern!(py, "message"))?.unwrap_or_else(|| PyString::new(py, "").into_any());
        let plain = plain_args(args);
        if !plain || redacted.ne(&message)? {
            set_message(py, &fields, template, args, plain, &redacted)?;
        }
        // Each set to None or its redacted text (left when it is that already:
        // read again, since the application's code may have run in the walk).
        let none = py.None().into_bound(py);
        for (key, new) in [(intern!(py, "exc_info"), None), (exception, pop(&out, exception)?), (stack, pop(&out, stack)?)] {
            let new = new.unwrap_or_else(|| none.clone());
            if !fields.get_item(key)?.is_some_and(|now| now.is(&new)) {
                fields.set_item(key, new)?;
            }
        }
        for key in extras {
            if !out.contains(&key)? {
                fields.del_item(key)?; // dropped (a password, a token)
            }
        }
        fields.update(out.as_mapping())?; // the redacted extras, our tags, a redacted key name
        Ok(true)
    }
}

/// The fields that are not `extra=` ones (a frozenset of names), with its
/// members' addresses in a small open-addressed table: a record's own field
/// names are the very strings `LogRecord.__init__` set, so most are found
/// by address; any other key is looked up in the set. Holds names, never values.
pub(crate) struct KnownKeys {
    set: Py<PyFrozenSet>,
    /// Addresses of the members (0: an empty slot), a power of two long, at most a quarter full.
    slots: Vec<usize>,
}

impl KnownKeys {
    fn of(set: &Bound<'_, PyFrozenSet>) -> KnownKeys {
        let mut slots = vec![0; (set.len() * 4).next_power_of_two().max(8)];
        for key in set.iter() {
            let address = key.as_ptr() as usize;
            let mut at = Self::slot(address, slots.len());
            while slots[at] != 0 {
                at = (at + 1) & (slots.len() - 1);
            }
            slots[at] = address;
        }
        KnownKeys { set: set.clone().unbind(), slots }
    }

    fn slot(address: usize, len: usize) -> usize {
        ((address >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize) >> 7) & (len - 1)
    }

    /// `key in set`: by address when `set` is the one kept (its members
    /// are alive, so an address is theirs), else by the set.
    fn contains(&self, set: &Bound<'_, PyFrozenSet>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        if set.is(&self.set) {
            let address = key.as_ptr() as usize;
            let mut at = Self::slot(address, self.slots.len());
            while self.slots[at] != 0 {
                if self.slots[at] == address {
                    return Ok(true);
                }
                at = (at + 1) & (self.slots.len() - 1);
            }
        }
        set.contains(key)
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
