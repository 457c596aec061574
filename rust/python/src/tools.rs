//! The SRE tools' native parts: `stats_chunk` and `select_chunk` over a chunk
//! of lines (without the GIL), and the event-time parser `pii_tagger.archive.eventtime` uses.

use pii_core::{eventtime, logquery, logstats};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::{no_panic, text_of};

/// (bucket, source, category, events); category -1: untagged.
type Cube = Vec<(String, String, i8, u64)>;
/// (path, category, action, count).
type Redactions = Vec<(String, u8, String, u64)>;
/// lines, events, not JSON, untagged, without a time; the cube, events by source, the redactions.
type PyStats = (u64, u64, u64, u64, u64, Cube, Vec<(String, u64)>, Redactions);

/// The stats of a chunk of lines (`cut`: lines cut at the bound), buckets
/// `width` characters of `2026-11-25T10:05`, past `max_sources` sources the
/// rest counted as `other`.
#[pyfunction]
pub fn stats_chunk(py: Python<'_>, data: &Bound<'_, PyBytes>, cut: Vec<usize>, width: usize, max_sources: usize, other: &str) -> PyResult<PyStats> {
    let data = data.as_bytes();
    let s = py.detach(|| no_panic(|| Ok(logstats::stats_chunk(data, &cut, width, max_sources, other))))?;
    let cube = s.cube().map(|(b, src, c, n)| (b.to_string(), src.to_string(), c, n)).collect();
    let sources = s.sources.iter().map(|(k, n)| (k.clone(), *n)).collect();
    let redactions = s.redactions().map(|(p, c, a, n)| (p.to_string(), c, a.to_string(), n)).collect();
    Ok((s.lines, s.events, s.not_json, s.untagged, s.no_time, cube, sources, redactions))
}

/// The lines of a chunk a query selects: (lines, not JSON, untagged, without
/// a time, with a time, selected, the selected lines as they were).
/// `categories`: numbers 0–18 (none: any); times in microseconds since the epoch.
#[pyfunction]
#[pyo3(signature = (data, cut, *, categories, match_all, contains, sources, since, until))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub fn select_chunk<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    cut: Vec<usize>,
    categories: Vec<u8>,
    match_all: bool,
    contains: Vec<Vec<u8>>,
    sources: Vec<String>,
    since: Option<i64>,
    until: Option<i64>,
) -> PyResult<(u64, u64, u64, u64, u64, u64, Bound<'py, PyBytes>)> {
    let selection = logquery::Selection {
        categories: categories.iter().filter(|&&c| c <= 18).fold(0, |bits, &c| bits | 1 << c),
        match_all,
        contains,
        sources,
        since,
        until,
    };
    let bytes = data.as_bytes();
    let s = py.detach(|| no_panic(|| Ok(logquery::select_chunk(&selection, bytes, &cut))))?;
    Ok((s.lines, s.not_json, s.untagged, s.no_time, s.timed, s.selected, PyBytes::new(py, &s.out)))
}

/// The time a text gives (ISO 8601 or an epoch number), in microseconds since the epoch.
#[pyfunction]
pub fn text_moment(text: &Bound<'_, PyString>) -> PyResult<Option<i64>> {
    let text = text_of(text);
    no_panic(|| Ok(eventtime::text_moment(&text)))
}

/// The time an epoch number gives (scaled by its size), in microseconds since the epoch.
#[pyfunction]
pub fn epoch_moment(number: f64) -> Option<i64> {
    eventtime::epoch_moment(number)
}

/// `2026-11-25T10:05`: the UTC minute of a time in microseconds since the epoch.
#[pyfunction]
pub fn minute_name(micros: i64) -> String {
    eventtime::minute_name(micros)
}
