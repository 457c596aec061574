//! The checks the Python rule loader asks of the value scanner: does a
//! user's rule or safe shape compile, and if not, what to write instead.

use pii_core::rules::{SafeShape, ValueRule};
use pii_core::scan;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Checks one value rule (a JSON table): the error says which key and what is wrong.
#[pyfunction]
pub fn check_value_rule(table: &str) -> PyResult<()> {
    let rule: ValueRule = serde_json::from_str(table).map_err(|e| PyValueError::new_err(e.to_string()))?;
    crate::no_panic(|| scan::check_value_rule(&rule).map_err(PyValueError::new_err))
}

/// Checks one safe shape (a JSON table).
#[pyfunction]
pub fn check_safe_shape(table: &str) -> PyResult<()> {
    let shape: SafeShape = serde_json::from_str(table).map_err(|e| PyValueError::new_err(e.to_string()))?;
    crate::no_panic(|| scan::check_safe_shape(&shape).map_err(PyValueError::new_err))
}
