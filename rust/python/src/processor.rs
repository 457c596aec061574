//! `pii_tagger._native.Processor`: the base class of `pii_tagger.Redactor`,
//! so that structlog's call of a redactor is one native call, not a Python
//! frame that calls the engine (a fifth of the cost of a clean event).

use std::sync::OnceLock;

use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::engine::Engine;

#[pyclass(subclass, frozen, module = "pii_tagger._native")]
pub struct Processor {
    /// The engine that does the whole of `redact`, once the subclass says so.
    engine: OnceLock<Py<Engine>>,
}

#[pymethods]
impl Processor {
    /// Takes (and leaves to the subclass's `__init__`) any arguments.
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyDict>>) -> Self {
        Processor { engine: OnceLock::new() }
    }

    /// From now on a call goes straight to `engine.process` (the subclass's
    /// `redact` does nothing else). Once only.
    fn _process_with(&self, engine: Py<Engine>) -> PyResult<()> {
        self.engine.set(engine).map_err(|_| PyRuntimeError::new_err("the processor's engine is already set"))
    }

    /// structlog's processor signature: `self.redact(event_dict)`.
    fn __call__<'py>(
        slf: &Bound<'py, Self>,
        _logger: &Bound<'py, PyAny>,
        _method_name: &Bound<'py, PyAny>,
        event_dict: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        match slf.get().engine.get() {
            Some(engine) => engine.get().process(py, event_dict),
            None => slf.call_method1(intern!(py, "redact"), (event_dict,)),
        }
    }
}
