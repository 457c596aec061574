//! `RedactingSpanProcessor.on_end` in one native call (`SpanEnd`), and the
//! counts of findings it adds to (`Counts`).
//!
//! The common span (walked in full by the native span walk, nothing to
//! alert, counted where it is redacted) goes from the SDK's call to the
//! wrapped processors without a Python frame of ours: the walk, the counts
//! and the hand-over are here. Anything else is left to the Python code the
//! processor hands over (`pii_tagger.integrations.otel_redaction`): the rest
//! of the copy, the alerts and counts that need Python, the fail-closed copy
//! when the walk raised, the report when a wrapped processor raised.

use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::exceptions::{PyException, PyIndexError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::no_panic;
use crate::span::{SpanKit, SpanRedaction};

/// Counts of findings by target index, added to from any thread without a
/// lock (one processor's share of `_Totals`).
#[pyclass(frozen, module = "pii_tagger._native")]
pub struct Counts {
    by_target: Vec<AtomicU64>,
}

impl Counts {
    fn add_each(&self, found: &[(u32, usize)]) -> PyResult<()> {
        for &(index, n) in found {
            let slot = self.by_target.get(index as usize).ok_or_else(|| PyIndexError::new_err("a count for a target the counts do not have"))?;
            slot.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(())
    }
}

#[pymethods]
impl Counts {
    /// Zero counts for `targets` targets.
    #[new]
    fn new(targets: usize) -> Self {
        Counts { by_target: (0..targets).map(|_| AtomicU64::new(0)).collect() }
    }

    /// Adds `found` ((target index, count) pairs).
    fn add(&self, found: Vec<(u32, usize)>) -> PyResult<()> {
        self.add_each(&found)
    }

    /// The counts so far, by target index.
    fn values(&self) -> Vec<u64> {
        self.by_target.iter().map(|n| n.load(Ordering::Relaxed)).collect()
    }

    fn __len__(&self) -> usize {
        self.by_target.len()
    }
}

/// One processor's `on_end`: `redactor.redact_span(span, redact_resource,
/// kit)` (looked up at each call, so a replaced method is the one called),
/// then the copy handed to each of `processors` (`on_end`, looked up at each
/// call). A span the walk did not finish, or with audit findings, or that
/// two span processors on one meter provider may both count, goes through
/// `finish(span, walked)`, which returns the copy; an exception from the
/// walk or from `finish` makes the copy `fail(span, exc)` (the fail-closed
/// copy); a processor that raises is reported with `downstream(exc)` and
/// the others still get the copy. `totals` is asked `one_span_source` each
/// time; `counts` is added to when it is true.
#[pyclass(frozen, module = "pii_tagger._native")]
pub struct SpanEnd {
    redactor: Py<PyAny>,
    redact_resource: bool,
    kit: Py<SpanKit>,
    counts: Py<Counts>,
    totals: Py<PyAny>,
    processors: Py<PyTuple>,
    finish: Py<PyAny>,
    fail: Py<PyAny>,
    downstream: Py<PyAny>,
}

#[pymethods]
impl SpanEnd {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        redactor: Py<PyAny>,
        redact_resource: bool,
        kit: Py<SpanKit>,
        counts: Py<Counts>,
        totals: Py<PyAny>,
        processors: Py<PyTuple>,
        finish: Py<PyAny>,
        fail: Py<PyAny>,
        downstream: Py<PyAny>,
    ) -> Self {
        SpanEnd { redactor, redact_resource, kit, counts, totals, processors, finish, fail, downstream }
    }

    /// The SDK's `on_end(span)`. Raises only what is not an `Exception`
    /// (`KeyboardInterrupt`, ...) or what the fail-closed path raised.
    fn __call__<'py>(&self, py: Python<'py>, span: &Bound<'py, PyAny>) -> PyResult<()> {
        let copy = match no_panic(|| self.copy(py, span)) {
            Ok(copy) => copy,
            Err(e) if e.is_instance_of::<PyException>(py) => self.fail.bind(py).call1((span, e.value(py)))?,
            Err(e) => return Err(e),
        };
        for processor in self.processors.bind(py).iter() {
            if let Err(e) = processor.getattr(intern!(py, "on_end")).and_then(|on_end| on_end.call1((&copy,))) {
                if !e.is_instance_of::<PyException>(py) {
                    return Err(e);
                }
                self.downstream.bind(py).call1((e.value(py),))?;
            }
        }
        Ok(())
    }
}

impl SpanEnd {
    /// The redacted copy of `span`, counted. May raise (the caller fails closed).
    fn copy<'py>(&self, py: Python<'py>, span: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let redact = self.redactor.bind(py).getattr(intern!(py, "redact_span"))?;
        let walked = redact.call1((span, self.redact_resource, self.kit.bind(py)))?;
        if let Ok(done) = walked.cast_exact::<SpanRedaction>() {
            let done = done.get();
            if done.done && done.found.is_none() && self.totals.bind(py).getattr(intern!(py, "one_span_source"))?.is_truthy()? {
                self.counts.get().add_each(&done.counts)?;
                return Ok(done.copy.bind(py).clone());
            }
        }
        self.finish.bind(py).call1((span, walked))
    }
}
