//! One OpenTelemetry span in one native walk (`Engine.walk_span`): its
//! name and attributes, each event's name and attributes, each link's
//! attributes, the status description, and (when asked) the scope's and the
//! resource's attributes. A part that nothing changed comes back as itself,
//! so that the Python side rebuilds only what changed.

use pii_core::engine::Run;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::engine::{by_part, categories, Engine, PartFound};

/// The key a span's or event's name and the status description are walked
/// under: its words are neutral to the field-name rules, so the text is
/// scanned by value only.
pub(crate) const OWN_TEXT_KEY: &str = "\u{0}span_name";

/// What is read of a span (the Python side takes it from the SDK's span).
pub(crate) struct Span<'a, 'py> {
    pub name: &'a Bound<'py, PyAny>,
    /// A dict of the span's own (a copy the caller made).
    pub attributes: &'a Bound<'py, PyDict>,
    /// Sequences of the SDK's events (`name`, `attributes`) and links (`attributes`).
    pub events: &'a Bound<'py, PyAny>,
    pub links: &'a Bound<'py, PyAny>,
    pub description: Option<&'a Bound<'py, PyAny>>,
    /// Mappings, given when they are to be redacted.
    pub scope: Option<&'a Bound<'py, PyAny>>,
    pub resource: Option<&'a Bound<'py, PyAny>>,
}

/// The redacted span: name, attributes (a dict without our tags), events
/// and links (the given sequence itself when none changed, else a tuple in
/// which the changed ones are `copy_event(event, name, attributes)` and
/// `copy_link(link, attributes)`), description, scope and resource
/// attributes (None: unchanged); then the categories, the count of values
/// changed, the counts by target and (collected) the findings by part, the
/// parts in the order: span, each event, each link, status, scope, resource.
pub(crate) type SpanWalk<'py> = (
    Bound<'py, PyAny>,
    Bound<'py, PyDict>,
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Option<Bound<'py, PyAny>>,
    Option<Bound<'py, PyDict>>,
    Option<Bound<'py, PyDict>>,
    Vec<u32>,
    usize,
    Vec<(u32, usize)>,
    Option<Vec<PartFound>>,
);

impl Engine {
    /// See [`SpanWalk`]. May raise (the caller fails closed).
    pub(crate) fn span<'py>(
        &self,
        py: Python<'py>,
        span: &Span<'_, 'py>,
        copy_event: &Bound<'py, PyAny>,
        copy_link: &Bound<'py, PyAny>,
        collect: bool,
    ) -> PyResult<SpanWalk<'py>> {
        let mut ends = Vec::new();
        let (walked, run) = self.inner.walk(Run::counting(collect), |walk| {
            let mut w = self.walker(walk, py, true);
            let (attributes, name) = w.part(Some(span.attributes.as_any()), Some((OWN_TEXT_KEY, span.name)))?;
            ends.push(w.found_len());
            let events = each_changed(py, span.events, |event| {
                let (name, attributes) = (event.getattr(intern!(py, "name"))?, event.getattr(intern!(py, "attributes"))?);
                let (new, new_name) = w.part((!attributes.is_none()).then_some(&attributes), Some((OWN_TEXT_KEY, &name)))?;
                ends.push(w.found_len());
                let new_name = new_name.unwrap_or_else(|| name.clone());
                if new.is_none() && new_name.is(&name) {
                    return Ok(None);
                }
                Ok(Some(copy_event.call1((event, new_name, new.map_or(attributes, Bound::into_any)))?))
            })?;
            let links = each_changed(py, span.links, |link| {
                let attributes = link.getattr(intern!(py, "attributes"))?;
                let new = if attributes.is_truthy()? { w.part(Some(&attributes), None)?.0 } else { None };
                ends.push(w.found_len());
                new.map(|new| copy_link.call1((link, new))).transpose()
            })?;
            let description = match span.description {
                Some(text) => w.part(None, Some((OWN_TEXT_KEY, text)))?.1,
                None => None,
            };
            ends.push(w.found_len());
            let mut mapping = |m: Option<&Bound<'py, PyAny>>| -> PyResult<Option<Bound<'py, PyDict>>> {
                let out = match m {
                    Some(m) => w.part(Some(m), None)?.0,
                    None => None,
                };
                ends.push(w.found_len());
                Ok(out)
            };
            let scope = mapping(span.scope)?;
            let resource = mapping(span.resource)?;
            let name = name.unwrap_or_else(|| span.name.clone());
            Ok::<_, PyErr>((name, attributes.unwrap_or_else(|| span.attributes.clone()), events, links, description, scope, resource))
        });
        let (name, attributes, events, links, description, scope, resource) = walked?;
        let (categories, changes, counts) = (categories(&run), run.changes, run.target_counts().to_vec());
        Ok((name, attributes, events, links, description, scope, resource, categories, changes, counts, by_part(run, &ends)))
    }
}

/// `original` itself when `copy` changes none of them (returns None for each),
/// else a tuple of the copies and the unchanged items.
fn each_changed<'py>(
    py: Python<'py>,
    original: &Bound<'py, PyAny>,
    mut copy: impl FnMut(&Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>>,
) -> PyResult<Bound<'py, PyAny>> {
    let items: Vec<_> = original.try_iter()?.collect::<PyResult<_>>()?;
    let mut out: Option<Vec<Bound<'py, PyAny>>> = None;
    for (i, item) in items.iter().enumerate() {
        if let Some(new) = copy(item)? {
            out.get_or_insert_with(|| items[..i].to_vec()).push(new);
        } else if let Some(out) = out.as_mut() {
            out.push(item.clone());
        }
    }
    Ok(match out {
        Some(out) => PyTuple::new(py, out)?.into_any(),
        None => original.clone(),
    })
}
