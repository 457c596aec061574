//! `pii_tagger._native.Keys` and `normalize`: the actions' pieces
//! that Python calls directly (tokens for `pii-tagger token`, alert fingerprints).

use pii_core::act::{self, Hasher, Normalizer};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::{no_panic, text_of};

/// Keyed HMAC-SHA256 under one or more keys (the first for new tokens).
#[pyclass(frozen, module = "pii_tagger._native")]
pub struct Keys {
    inner: Hasher,
}

/// A Python string's UTF-8 bytes, lone surrogates as Python's "surrogatepass" writes them.
fn utf8<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyBytes>> {
    Ok(text.call_method1("encode", ("utf-8", "surrogatepass"))?.cast_into::<PyBytes>()?)
}

#[pymethods]
impl Keys {
    /// `keys`: (key id, secret) pairs; the error names the key id, never the secret.
    #[new]
    fn new(keys: Vec<(String, Vec<u8>)>) -> PyResult<Self> {
        Hasher::new(keys).map(|inner| Keys { inner }).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// `[HASH:<key id>:<hex>]` of a normalised value under the newest key.
    fn token(&self, normalized: &Bound<'_, PyString>) -> PyResult<String> {
        match normalized.to_str() {
            Ok(text) => no_panic(|| Ok(self.inner.token(text))),
            Err(_) => {
                let bytes = utf8(normalized)?;
                no_panic(|| Ok(self.inner.token_bytes(bytes.as_bytes())))
            }
        }
    }

    /// The token under every key, as (key id, token).
    fn tokens(&self, normalized: &Bound<'_, PyString>) -> PyResult<Vec<(String, String)>> {
        let bytes = utf8(normalized)?;
        no_panic(|| Ok(self.inner.tokens_bytes(bytes.as_bytes()).into_iter().map(|(k, t)| (k.to_string(), t)).collect()))
    }

    /// `fp:<key id>:<hex>`: groups repeats of a value in alerts without holding it.
    fn fingerprint(&self, value: &Bound<'_, PyString>) -> PyResult<String> {
        no_panic(|| Ok(self.inner.fingerprint(&text_of(value))))
    }
}

/// The value as hashed: `style` is text, compact, digits, phone or email.
#[pyfunction]
pub fn normalize(style: &str, value: &Bound<'_, PyString>) -> PyResult<String> {
    let style = Normalizer::from_name(style).ok_or_else(|| PyValueError::new_err(format!("unknown normalizer {style:?}")))?;
    no_panic(|| Ok(act::normalize(style, &text_of(value))))
}
