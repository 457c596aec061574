//! `pii_tagger._native`: the PyO3 glue between the Python package and `pii-core`.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::PyString;

mod act;
mod engine;
mod keymemo;
mod lines;
mod offsets;
mod processor;
mod record;
mod rule_checks;
mod span;
mod span_end;
mod tools;

/// `f`, with a Rust panic turned into a `RuntimeError` that names no value
/// (PyO3's own `PanicException` is a `BaseException`: it would pass an
/// application's `except Exception`).
pub(crate) fn no_panic<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(pyo3::exceptions::PyRuntimeError::new_err("pii_tagger: the native engine failed (a bug)")))
}

/// A Python string as Rust text: lone surrogates (which Python strings may
/// hold) become U+FFFD, one character for one, so character offsets agree.
pub(crate) fn text_of<'a>(text: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    text.to_cow().unwrap_or_else(|_| Cow::Owned(text.to_string_lossy().into_owned()))
}

/// A field name split into folded words in any spelling style
/// (`customerPhoneNumber` and `KLIENTA_TĀLRUNIS` alike).
#[pyfunction]
fn name_tokens(name: &Bound<'_, PyString>) -> PyResult<Vec<String>> {
    no_panic(|| Ok(pii_core::text::name_tokens(&text_of(name))))
}

/// How many leading characters of `text` the named check accepts (0: rejected).
#[pyfunction]
fn validate(name: &str, text: &Bound<'_, PyString>) -> PyResult<usize> {
    let check = pii_core::validate::by_name(name)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err(format!("unknown validator {name:?}")))?;
    let text = text_of(text);
    no_panic(|| Ok(text[..check(&text)].chars().count()))
}

/// A panic's message can quote the text being processed (Rust's message for a
/// bad string index does): only its place is printed. The walk catches the
/// panic and the event fails closed.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("pii_tagger._native: internal error at {place} (the event is redacted whole)");
    }));
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    quiet_panics();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("OWN_TEXT_KEY", span::OWN_TEXT_KEY)?;
    m.add("SHIPPED_RULE_FILES", pii_core::rules::SHIPPED_FILES.to_vec())?;
    m.add_class::<engine::Engine>()?;
    m.add_class::<span::SpanKit>()?;
    m.add_class::<span::SpanRedaction>()?;
    m.add_class::<span_end::SpanEnd>()?;
    m.add_class::<span_end::Counts>()?;
    m.add_class::<processor::Processor>()?;
    m.add_class::<act::Keys>()?;
    m.add_class::<lines::Chunker>()?;
    m.add_function(wrap_pyfunction!(lines::bound_lines, m)?)?;
    m.add_function(wrap_pyfunction!(lines::line_source, m)?)?;
    m.add_function(wrap_pyfunction!(name_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(act::normalize, m)?)?;
    m.add_function(wrap_pyfunction!(engine::target_needs, m)?)?;
    m.add_function(wrap_pyfunction!(rule_checks::check_value_rule, m)?)?;
    m.add_function(wrap_pyfunction!(rule_checks::check_safe_shape, m)?)?;
    m.add_function(wrap_pyfunction!(tools::stats_chunk, m)?)?;
    m.add_function(wrap_pyfunction!(tools::select_chunk, m)?)?;
    m.add_function(wrap_pyfunction!(tools::text_moment, m)?)?;
    m.add_function(wrap_pyfunction!(tools::epoch_moment, m)?)?;
    m.add_function(wrap_pyfunction!(tools::minute_name, m)?)?;
    m.add("TIME_KEYS", pii_core::eventtime::TIME_KEYS.to_vec())?;
    m.add("SOURCE_KEYS", pii_core::tagged::SOURCE_KEYS.to_vec())?;
    Ok(())
}
