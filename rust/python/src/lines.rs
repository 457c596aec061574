//! `pii_tagger._native.Chunker` and the line checks behind `Engine.check_chunk`
//! and `Engine.check_record`: log lines read as `pii_core::lines` defines them.

use std::borrow::Cow;

use pii_core::engine::Engine;
use pii_core::lines;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::{no_panic, text_of};

/// A chunk for Python: its first line's number, its bytes, the lines cut at the bound.
type PyChunk<'py> = (u64, Bound<'py, PyBytes>, Vec<usize>);
/// A chunk's line counts: lines, blank, JSON, text, not UTF-8, binary (NUL), cut.
type Counts = (usize, usize, usize, usize, usize, usize, usize);
/// A leak on a line: the line's index in the chunk, the target index, the path.
type PyLineLeak = (usize, u32, String);
/// A leak of a record: target index, path, value (for an alert's fingerprint only).
type PyFound = (u32, String, Option<String>);

/// Cuts an input, given in pieces of any size, into chunks of whole,
/// numbered lines (lines over the bound kept up to it).
#[pyclass(module = "pii_tagger._native")]
pub struct Chunker {
    inner: lines::Chunker,
}

#[pymethods]
impl Chunker {
    #[new]
    #[pyo3(signature = (max_line = lines::MAX_LINE, chunk_bytes = lines::CHUNK_BYTES))]
    fn new(max_line: usize, chunk_bytes: usize) -> Self {
        Chunker { inner: lines::Chunker::new(max_line, chunk_bytes) }
    }

    /// The chunks the next bytes of the input complete.
    fn push<'py>(&mut self, py: Python<'py>, data: &[u8]) -> PyResult<Vec<PyChunk<'py>>> {
        let chunks = no_panic(|| Ok(self.inner.push(data)))?;
        Ok(chunks.into_iter().map(|c| chunk_for(py, c)).collect())
    }

    /// The last chunk at the end of the input, if a line is left.
    fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Option<PyChunk<'py>>> {
        let chunk = no_panic(|| Ok(self.inner.finish()))?;
        Ok(chunk.map(|c| chunk_for(py, c)))
    }

    /// Lines handed on so far, and in the chunk being filled.
    fn lines_seen(&self) -> u64 {
        self.inner.lines_seen()
    }
}

/// Whole lines read into memory (a slice of a file), lines over `max_line`
/// bytes cut as the Chunker cuts them: (the lines, the indexes of those cut);
/// the same bytes object when every line fits.
#[pyfunction]
pub fn bound_lines<'py>(data: &Bound<'py, PyBytes>, max_line: usize) -> PyResult<(Bound<'py, PyBytes>, Vec<usize>)> {
    let bounded = no_panic(|| Ok(lines::bound(data.as_bytes(), max_line)))?;
    Ok(match bounded {
        None => (data.clone(), Vec::new()),
        Some(chunk) => (PyBytes::new(data.py(), &chunk.data), chunk.cut),
    })
}

/// The source a rendered JSON-object line names (`str` or `bytes`, decoded
/// as lines are), as `query` and `stats` read it; None for any other line.
#[pyfunction]
pub fn line_source(line: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let (text, _) = line_text(line)?;
    let fields = pii_core::tagged::Fields { source: true, ..Default::default() };
    no_panic(|| Ok(pii_core::tagged::read(&text, fields).and_then(|t| t.source().map(str::to_string))))
}

/// A rendered line's text, `str` as it is or `bytes` decoded as lines are;
/// and whether it was bytes.
fn line_text<'a>(line: &'a Bound<'_, PyAny>) -> PyResult<(Cow<'a, str>, bool)> {
    match line.cast::<PyString>() {
        Ok(text) => Ok((text_of(text), false)),
        Err(_) => Ok((lines::decode(line.cast::<PyBytes>()?.as_bytes()).0, true)),
    }
}

fn chunk_for(py: Python<'_>, chunk: lines::Chunk) -> PyChunk<'_> {
    (chunk.first_line, PyBytes::new(py, &chunk.data), chunk.cut)
}

/// The leaks of every line of a chunk, and its line counts (never a value).
pub(crate) fn check_chunk(py: Python<'_>, engine: &Engine, data: &Bound<'_, PyBytes>, cut: Vec<usize>) -> PyResult<(Counts, Vec<PyLineLeak>)> {
    let data = data.as_bytes();
    let (counts, leaks) = py.detach(|| no_panic(|| Ok(pii_core::linecheck::check_chunk(engine, data, &cut))))?;
    let c = counts;
    Ok((
        (c.lines, c.blank, c.json, c.text, c.not_utf8, c.binary, c.cut),
        leaks.into_iter().map(|l| (l.line, l.target, l.path)).collect(),
    ))
}

/// One rendered line, `str` or `bytes` (decoded as lines are): its leaks and,
/// with `redact`, the line as it may be written when it leaks (of the same type).
pub(crate) fn check_record<'py>(
    py: Python<'py>,
    engine: &Engine,
    record: &Bound<'py, PyAny>,
    redact: bool,
) -> PyResult<(Vec<PyFound>, Option<Bound<'py, PyAny>>)> {
    let (text, is_bytes) = line_text(record)?;
    let (found, out) = no_panic(|| Ok(pii_core::linecheck::check_record(engine, &text, redact)))?;
    let out = out.map(|s| if is_bytes { PyBytes::new(py, s.as_bytes()).into_any() } else { PyString::new(py, &s).into_any() });
    Ok((found.into_iter().map(|f| (f.target, f.path, f.value)).collect(), out))
}
