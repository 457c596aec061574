//! One OpenTelemetry span in one native walk (`Engine.walk_span`).
//!
//! The walk reads what the redacted copy will show: the span's own state
//! (the SDK's `ReadableSpan` keeps it in its instance dict, and the copy is
//! made of that dict), and, of the objects the copy shares with the original
//! when nothing in them changed (events, links, the status, the scope, the
//! resource), what their public properties give, as an exporter reads them
//! (of the SDK's own types, the fields those properties return).
//! Walked: the name and attributes, each event's name and attributes, each
//! link's attributes, the status description, the scope's attributes and
//! (when asked) the resource's. Only what changed is rebuilt. The copy is
//! then tagged within the span's attribute limit and given the original's
//! dropped counts (what `pii_tagger.otel` did in Python after the walk),
//! unless its attributes hold upstream tags (left to Python).

use std::sync::Mutex;

use pii_core::engine::Run;
use pyo3::exceptions::{PyAttributeError, PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFrozenSet, PyList, PyString, PyTuple, PyType};

use crate::engine::{by_part, categories, Engine, PyWalk};

/// The key a span's or event's name and the status description are walked
/// under: its words are neutral to the field-name rules, so the text is
/// scanned by value only.
pub(crate) const OWN_TEXT_KEY: &str = "\u{0}span_name";

/// What the copy of a span is made with, built once
/// (`pii_tagger.integrations.otel_redaction._SPAN_KIT`): how a changed event
/// or link is copied (`copy_event(event, name, attributes)`,
/// `copy_link(link, attributes)`), the SDK's `ReadableSpan` properties of the
/// dropped counts (attributes, events, links: a span type that has other
/// ones is asked them), the SDK's `BoundedAttributes` and `BoundedList`, the
/// class of the copy, the field names of upstream tags, the names of our
/// two tags, and the SDK's `Event`, `Status` and `InstrumentationScope`
/// (whose properties the walk reads give a field of the instance: of an
/// object of exactly that type the field is read, without the property's
/// Python call; of any other type, the property).
#[pyclass(frozen, module = "pii_tagger._native")]
pub struct SpanKit {
    copy_event: Py<PyAny>,
    copy_link: Py<PyAny>,
    sdk_dropped: [Py<PyAny>; 3],
    bounded_attributes: Py<PyType>,
    bounded_list: Py<PyType>,
    copy_class: Py<PyType>,
    /// `copy_class.__new__`, looked up once.
    new_copy: Py<PyAny>,
    upstream: Vec<Py<PyAny>>,
    categories_tag: Py<PyString>,
    count_tag: Py<PyString>,
    sdk_event: Py<PyType>,
    sdk_status: Py<PyType>,
    sdk_scope: Py<PyType>,
    /// The last span type found to have the SDK's three dropped-count
    /// properties (a type, never a value: asked again when another comes).
    sdk_type: Mutex<Option<Py<PyType>>>,
}

#[pymethods]
impl SpanKit {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        copy_event: Py<PyAny>,
        copy_link: Py<PyAny>,
        sdk_dropped: (Py<PyAny>, Py<PyAny>, Py<PyAny>),
        bounded_attributes: Py<PyType>,
        bounded_list: Py<PyType>,
        copy_class: Py<PyType>,
        upstream: &Bound<'_, PyFrozenSet>,
        categories_tag: Py<PyString>,
        count_tag: Py<PyString>,
        sdk_types: (Py<PyType>, Py<PyType>, Py<PyType>),
    ) -> PyResult<Self> {
        let (sdk_event, sdk_status, sdk_scope) = sdk_types;
        let (attributes, events, links) = sdk_dropped;
        let new_copy = copy_class.bind(upstream.py()).getattr(intern!(upstream.py(), "__new__"))?.unbind();
        Ok(SpanKit {
            copy_event,
            copy_link,
            sdk_dropped: [attributes, events, links],
            bounded_attributes,
            bounded_list,
            copy_class,
            new_copy,
            upstream: upstream.iter().map(Bound::unbind).collect(),
            categories_tag,
            count_tag,
            sdk_event,
            sdk_status,
            sdk_scope,
            sdk_type: Mutex::new(None),
        })
    }
}

impl SpanKit {
    /// Whether `span_type` has the SDK's three dropped-count properties
    /// (asked of the type, remembered for the last type that has them).
    fn sdk_type(&self, span_type: &Bound<'_, PyType>) -> PyResult<bool> {
        let py = span_type.py();
        if self.sdk_type.lock().map_err(|_| PyValueError::new_err("span kit lock poisoned"))?.as_ref().is_some_and(|t| t.is(span_type)) {
            return Ok(true);
        }
        let names = [intern!(py, "dropped_attributes"), intern!(py, "dropped_events"), intern!(py, "dropped_links")];
        for (name, sdk) in names.into_iter().zip(&self.sdk_dropped) {
            if !span_type.getattr(name)?.is(sdk) {
                return Ok(false);
            }
        }
        *self.sdk_type.lock().map_err(|_| PyValueError::new_err("span kit lock poisoned"))? = Some(span_type.clone().unbind());
        Ok(true)
    }
}

/// `owner.<property>`, read as its `field` when `owner` is exactly `sdk`
/// (whose property gives that field: the SDK's `return self._name`).
fn read<'py>(owner: &Bound<'py, PyAny>, sdk: &Py<PyType>, property: &Bound<'py, PyString>, field: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
    if owner.get_type().is(sdk) {
        if let Some(value) = owner.getattr_opt(field)? {
            return Ok(value);
        }
    }
    owner.getattr(property)
}

/// What the span walk made of a span (`Engine.walk_span`), read by name.
/// `copy`: the redacted copy (an instance of the kit's class whose
/// `__dict__` is a copy of the span's with `_name`, `_attributes` (a dict of
/// its own), `_events` and `_links` redacted; a changed event or link is the
/// kit's copy of it, the others are themselves); inside the walk, before the
/// copy is made, that new state itself. `description`, `scope`, `resource`:
/// the new status description, scope attributes and resource attributes
/// (None: unchanged). `categories` of every part (sorted), `changes` (values
/// masked, hashed or dropped), `counts` of findings by target index, `found`
/// (when collected: (part, target index, path, value), the parts in the
/// order: span, each event, each link, status, scope, resource). `tagged`:
/// the copy has our tags, set last within the span's attribute limit, and
/// `_dropped` (the original's counts plus the attributes the tags pushed
/// out); false when its attributes hold upstream tags, which the caller
/// carries over. `done`: tagged, and nothing else left to the caller (no new
/// description, scope or resource).
#[pyclass(frozen, get_all, module = "pii_tagger._native")]
pub struct SpanRedaction {
    pub(crate) copy: Py<PyAny>,
    description: Option<Py<PyAny>>,
    scope: Option<Py<PyDict>>,
    resource: Option<Py<PyDict>>,
    categories: Py<PyList>,
    changes: usize,
    /// A list when read from Python; [`crate::span_end`] adds them up without one.
    pub(crate) counts: Vec<(u32, usize)>,
    pub(crate) found: Option<Py<PyList>>,
    tagged: bool,
    pub(crate) done: bool,
}

impl Engine {
    /// The copy of `span` (see [`SpanRedaction`]). May raise (the caller fails closed).
    pub(crate) fn span_copy<'py>(&self, py: Python<'py>, span: &Bound<'py, PyAny>, redact_resource: bool, kit: &SpanKit, collect: bool) -> PyResult<SpanRedaction> {
        // vars(span): a TypeError for an object without a dict.
        let state = match span.getattr(intern!(py, "__dict__")) {
            Err(e) if e.is_instance_of::<PyAttributeError>(py) => return Err(PyTypeError::new_err("the span has no __dict__ attribute")),
            state => state?.cast_into::<PyDict>()?,
        };
        let mut walked = self.span(py, &state, redact_resource, kit, collect)?;
        let out = walked.copy.bind(py).cast::<PyDict>()?.clone();
        let attributes = out
            .get_item(intern!(py, "_attributes"))?
            .ok_or_else(|| PyValueError::new_err("the span has no _attributes field"))?
            .cast_into::<PyDict>()?;
        // Upstream tags: asked of the attributes, a lookup each.
        let mut tagged = true;
        for tag in &kit.upstream {
            if attributes.contains(tag.bind(py))? {
                tagged = false;
                break;
            }
        }
        if tagged {
            // `_fit`: our tags set last; past the limit the oldest attributes go.
            let original = state.get_item(intern!(py, "_attributes"))?;
            let limit = match &original {
                Some(original) => original.getattr_opt(intern!(py, "maxlen"))?.filter(|l| !l.is_none()),
                None => None,
            };
            let (categories_tag, count_tag) = (kit.categories_tag.bind(py), kit.count_tag.bind(py));
            for tag in [categories_tag, count_tag] {
                if attributes.contains(tag)? {
                    attributes.del_item(tag)?;
                }
            }
            attributes.set_item(categories_tag, walked.categories.bind(py))?;
            attributes.set_item(count_tag, walked.changes)?;
            let excess = match limit {
                Some(limit) => attributes.len() as isize - limit.extract::<isize>()?,
                None => 0,
            };
            if excess > 0 {
                let oldest: Vec<_> = attributes.keys().iter().take(excess as usize).collect();
                for key in oldest {
                    attributes.del_item(key)?;
                }
            }
            let span_type = span.get_type();
            let sdk_type = kit.sdk_type(&span_type)?;
            let dropped = |index: usize, name: &Bound<'py, PyString>, field: &Bound<'py, PyString>, bounded: &Py<PyType>| -> PyResult<Bound<'py, PyAny>> {
                if !sdk_type && !span_type.getattr(name)?.is(&kit.sdk_dropped[index]) {
                    return span.getattr(name); // the span type's own
                }
                // The SDK's property: the bounded container's count, else 0.
                // The SDK's own containers by type first (an `isinstance` of
                // `BoundedAttributes`, a `MutableMapping`, asks its ABC).
                match state.get_item(field)? {
                    Some(items) if items.get_type().is(bounded) || items.is_instance(bounded.bind(py))? => items.getattr(intern!(py, "dropped")),
                    _ => Ok(0i64.into_pyobject(py)?.into_any()),
                }
            };
            let attributes_dropped = dropped(0, intern!(py, "dropped_attributes"), intern!(py, "_attributes"), &kit.bounded_attributes)?;
            let attributes_dropped = if excess > 0 { attributes_dropped.add(excess)? } else { attributes_dropped };
            let events_dropped = dropped(1, intern!(py, "dropped_events"), intern!(py, "_events"), &kit.bounded_list)?;
            let links_dropped = dropped(2, intern!(py, "dropped_links"), intern!(py, "_links"), &kit.bounded_list)?;
            out.set_item(intern!(py, "_dropped"), PyTuple::new(py, [attributes_dropped, events_dropped, links_dropped])?)?;
        }
        let copy = kit.new_copy.bind(py).call1((kit.copy_class.bind(py),))?;
        copy.setattr(intern!(py, "__dict__"), out)?;
        walked.copy = copy.unbind();
        walked.tagged = tagged;
        walked.done = tagged && walked.description.is_none() && walked.scope.is_none() && walked.resource.is_none();
        Ok(walked)
    }

    /// The walk of a span's `state` (see [`SpanRedaction`]; its `copy` is
    /// the new state, not tagged). May raise (the caller fails closed): a
    /// state without the SDK's fields is an error.
    pub(crate) fn span<'py>(&self, py: Python<'py>, state: &Bound<'py, PyDict>, redact_resource: bool, kit: &SpanKit, collect: bool) -> PyResult<SpanRedaction> {
        let field = |key: &Bound<'py, PyString>| -> PyResult<Bound<'py, PyAny>> {
            state.get_item(key)?.ok_or_else(|| PyValueError::new_err(format!("the span has no {key} field")))
        };
        let (name, attributes) = (field(intern!(py, "_name"))?, field(intern!(py, "_attributes"))?);
        let (events, links, status) = (field(intern!(py, "_events"))?, field(intern!(py, "_links"))?, field(intern!(py, "_status"))?);
        let scope = field(intern!(py, "_instrumentation_scope"))?;
        let resource = if redact_resource { Some(field(intern!(py, "_resource"))?) } else { None };
        let (copy_event, copy_link) = (kit.copy_event.bind(py), kit.copy_link.bind(py));
        let mut ends = Vec::new();
        let (walked, run) = self.inner.walk(Run::counting(collect), |walk| {
            let mut w = self.walker(walk, py, true);
            let (attributes, own) = plain(py, &attributes)?;
            let (new, new_name) = w.part(Some(attributes.as_any()), Some((OWN_TEXT_KEY, &name)))?;
            ends.push(w.found_len());
            let out = state.copy()?;
            out.set_item(intern!(py, "_attributes"), match new {
                Some(new) => new,
                None if own => attributes,
                None => attributes.copy()?,
            })?;
            if let Some(new_name) = new_name.filter(|n| !n.is(&name)) {
                out.set_item(intern!(py, "_name"), new_name)?;
            }
            let events = each_changed(py, &events, |event| {
                let name = read(event, &kit.sdk_event, intern!(py, "name"), intern!(py, "_name"))?;
                let attributes = read(event, &kit.sdk_event, intern!(py, "attributes"), intern!(py, "_attributes"))?;
                let (new, new_name) = part_of(py, &mut w, &attributes, Some(&name))?;
                ends.push(w.found_len());
                let new_name = new_name.unwrap_or_else(|| name.clone());
                if new.is_none() && new_name.is(&name) {
                    return Ok(None);
                }
                Ok(Some(copy_event.call1((event, new_name, new.map_or(attributes, Bound::into_any)))?))
            })?;
            if let Some(events) = events {
                out.set_item(intern!(py, "_events"), events)?;
            }
            let links = each_changed(py, &links, |link| {
                let (new, _) = part_of(py, &mut w, &link.getattr(intern!(py, "attributes"))?, None)?;
                ends.push(w.found_len());
                new.map(|new| copy_link.call1((link, new))).transpose()
            })?;
            if let Some(links) = links {
                out.set_item(intern!(py, "_links"), links)?;
            }
            let description = read(&status, &kit.sdk_status, intern!(py, "description"), intern!(py, "_description"))?;
            let description = if description.is_truthy()? {
                w.part(None, Some((OWN_TEXT_KEY, &description)))?.1.filter(|d| !d.is(&description))
            } else {
                None
            };
            ends.push(w.found_len());
            let mut attributes_of = |owner: Option<&Bound<'py, PyAny>>| -> PyResult<Option<Bound<'py, PyDict>>> {
                let new = match owner.filter(|o| !o.is_none()) {
                    Some(owner) => part_of(py, &mut w, &read(owner, &kit.sdk_scope, intern!(py, "attributes"), intern!(py, "_attributes"))?, None)?.0,
                    None => None,
                };
                ends.push(w.found_len());
                Ok(new)
            };
            let scope = attributes_of(Some(&scope))?;
            let resource = attributes_of(resource.as_ref())?;
            Ok::<_, PyErr>((out, description, scope, resource))
        });
        let (out, description, scope, resource) = walked?;
        let (categories, changes, counts) = (PyList::new(py, categories(&run))?, run.changes, run.target_counts().to_vec());
        let found = match by_part(run, &ends) {
            Some(found) => Some(PyList::new(py, found)?.unbind()),
            None => None,
        };
        Ok(SpanRedaction {
            copy: out.into_any().unbind(),
            description: description.map(Bound::unbind),
            scope: scope.map(Bound::unbind),
            resource: resource.map(Bound::unbind),
            categories: categories.unbind(),
            changes,
            counts,
            found,
            tagged: false,
            done: false,
        })
    }
}

/// [`PyWalk::part`] of the attributes of an event, link, scope or resource
/// (None or empty: nothing to walk but the own text).
fn part_of<'py>(
    py: Python<'py>,
    w: &mut PyWalk<'_, '_, 'py>,
    attributes: &Bound<'py, PyAny>,
    own: Option<&Bound<'py, PyAny>>,
) -> PyResult<crate::engine::Walked<'py>> {
    let own = own.map(|text| (OWN_TEXT_KEY, text));
    if attributes.is_none() {
        return w.part(None, own);
    }
    let (attributes, _) = plain(py, attributes)?;
    if attributes.is_empty() {
        return w.part(None, own);
    }
    w.part(Some(attributes.as_any()), own)
}

/// A dict of `mapping`'s items, and whether it is a new one: a dict is
/// itself, and so is the dict the SDK's attributes keep; a read-only view
/// copies itself in one call; any other mapping is read item by item. None
/// is an empty dict.
fn plain<'py>(py: Python<'py>, mapping: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyDict>, bool)> {
    if let Ok(dict) = mapping.cast_exact::<PyDict>() {
        return Ok((dict.clone(), false));
    }
    if mapping.is_none() {
        return Ok((PyDict::new(py), true));
    }
    // The SDK's BoundedAttributes keep a dict; an ended span's refuse
    // changes, so it is walked itself (the walk copies a dict it changes).
    if let Some(dict) = mapping.getattr_opt(intern!(py, "_dict"))? {
        if let Ok(dict) = dict.cast_into_exact::<PyDict>() {
            return Ok((dict, false));
        }
    }
    if let Ok(copy) = mapping.call_method0(intern!(py, "copy")) {
        if let Ok(dict) = copy.cast_exact::<PyDict>() {
            return Ok((dict.clone(), true));
        }
    }
    let out = PyDict::new(py);
    for item in mapping.call_method0(intern!(py, "items"))?.try_iter()? {
        let (key, value): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item?.extract()?;
        out.set_item(key, value)?;
    }
    Ok((out, true))
}

/// None when `copy` changes none of `items` (returns None for each), else a
/// tuple of the copies and the unchanged items.
fn each_changed<'py>(
    py: Python<'py>,
    items: &Bound<'py, PyAny>,
    mut copy: impl FnMut(&Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>>,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    // The SDK's BoundedList: its deque, read without the list's lock and
    // copy (an ended span refuses new events and links).
    let items = items.getattr_opt(intern!(py, "_dq"))?.unwrap_or_else(|| items.clone());
    if items.len()? == 0 {
        return Ok(None);
    }
    let items: Vec<_> = items.try_iter()?.collect::<PyResult<_>>()?;
    let mut out: Option<Vec<Bound<'py, PyAny>>> = None;
    for (i, item) in items.iter().enumerate() {
        if let Some(new) = copy(item)? {
            out.get_or_insert_with(|| items[..i].to_vec()).push(new);
        } else if let Some(out) = out.as_mut() {
            out.push(item.clone());
        }
    }
    out.map(|out| PyTuple::new(py, out)).transpose()
}
