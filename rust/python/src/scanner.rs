//! `pii_tagger._native.Scanner`: the value rules over one Python string.

use pii_core::rules::{SafeShape, ValueRule};
use pii_core::scan::{self, KeyTarget, Source};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::offsets::CharOffsets;
use crate::text_of;

/// The compiled value rules and safe shapes.
#[pyclass(frozen, module = "pii_tagger._native")]
pub struct Scanner {
    inner: scan::Scanner,
}

/// A finding: character offsets, the rule's index or the key's target, and
/// whether it is a URL.
type Found = (usize, usize, Option<usize>, Option<Py<PyAny>>, bool);

#[pymethods]
impl Scanner {
    /// `values` and `safe`: the merged rule tables as JSON arrays.
    #[new]
    fn new(values: &str, safe: &str) -> PyResult<Self> {
        let values: Vec<ValueRule> = serde_json::from_str(values).map_err(|e| PyValueError::new_err(format!("value rules: {e}")))?;
        let safe: Vec<SafeShape> = serde_json::from_str(safe).map_err(|e| PyValueError::new_err(format!("safe shapes: {e}")))?;
        let inner = scan::Scanner::new(&values, &safe).map_err(|e| PyValueError::new_err(e.0))?;
        Ok(Scanner { inner })
    }

    /// No rule can match: none of the rules' needs, or wholly a safe shape.
    fn is_clean(&self, text: &Bound<'_, PyString>) -> bool {
        self.inner.is_clean(&text_of(text))
    }

    /// The index of the safe shape `text` wholly is, or None.
    fn shape_of(&self, text: &Bound<'_, PyString>) -> Option<usize> {
        self.inner.shape_of(&text_of(text))
    }

    /// Whether `text` is wholly safe shape `index`.
    fn has_shape(&self, index: usize, text: &Bound<'_, PyString>) -> bool {
        self.inner.has_shape(index, &text_of(text))
    }

    /// Every finding in `text`, as `(start, end, rule, key_target, url)` with
    /// character offsets; `key_target(key)` gives the target of a `key=` key
    /// (or None), and `keep(target)` whether that target keeps its value.
    /// `checked`: the caller has found the text not clean.
    #[pyo3(signature = (text, key_target, keep, checked = false))]
    fn scan(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
        key_target: &Bound<'_, PyAny>,
        keep: &Bound<'_, PyAny>,
        checked: bool,
    ) -> PyResult<Vec<Found>> {
        let text = text_of(text);
        let mut targets: Vec<Py<PyAny>> = Vec::new();
        let mut error: Option<PyErr> = None;
        let mut keys = |key: &str| -> Option<KeyTarget> {
            if error.is_some() {
                return None;
            }
            let result = key_target.call1((key,)).and_then(|target| {
                if target.is_none() {
                    return Ok(None);
                }
                let keeps = keep.call1((&target,))?.is_truthy()?;
                targets.push(target.unbind());
                Ok(Some(KeyTarget { id: targets.len() - 1, keep: keeps }))
            });
            result.unwrap_or_else(|e| {
                error = Some(e);
                None
            })
        };
        let found = if checked { self.inner.search(&text, &mut keys) } else { self.inner.scan(&text, &mut keys) };
        if let Some(e) = error {
            return Err(e);
        }
        let offsets = CharOffsets::new(&text);
        Ok(found
            .into_iter()
            .map(|f| {
                let (rule, target) = match f.source {
                    Source::Rule(i) => (Some(i), None),
                    Source::Key(k) => (None, Some(targets[k].clone_ref(py))),
                };
                (offsets.chars(f.start), offsets.chars(f.end), rule, target, f.url)
            })
            .collect())
    }

    /// `text` (blanks around it aside) is wholly one of our masks or tokens.
    fn is_own_token(&self, text: &Bound<'_, PyString>) -> bool {
        self.inner.is_own_token(&text_of(text))
    }

    /// `text` with our masks and tokens blanked out.
    fn without_own_tokens<'py>(&self, text: &Bound<'py, PyString>) -> Bound<'py, PyString> {
        let cow = text_of(text);
        match self.inner.without_own_tokens(&cow) {
            std::borrow::Cow::Borrowed(_) => text.clone(),
            std::borrow::Cow::Owned(s) => PyString::new(text.py(), &s),
        }
    }
}

/// Checks one value rule (a JSON table): the error says which key and what is wrong.
#[pyfunction]
pub fn check_value_rule(table: &str) -> PyResult<()> {
    let rule: ValueRule = serde_json::from_str(table).map_err(|e| PyValueError::new_err(e.to_string()))?;
    scan::check_value_rule(&rule).map_err(PyValueError::new_err)
}

/// Checks one safe shape (a JSON table).
#[pyfunction]
pub fn check_safe_shape(table: &str) -> PyResult<()> {
    let shape: SafeShape = serde_json::from_str(table).map_err(|e| PyValueError::new_err(e.to_string()))?;
    scan::check_safe_shape(&shape).map_err(PyValueError::new_err)
}
