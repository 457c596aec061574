"""What runs on Spark's executors for :mod:`pii_tagger.spark`: Arrow record
batches in, Arrow record batches out (``mapInArrow``).

Each job carries what an executor needs, pickled into the task: the policy,
the rules already loaded on the driver (rule files need not exist on the
executors) and, for ``redact``, the hash keys (:class:`HashKeys`: never in a
repr). Each Python worker process builds its engine once per job and keeps it
for the tasks it runs. Files are read with the command line's own code
(:func:`~pii_tagger.archive.files.stream_chunks`, :func:`~pii_tagger.archive.scan.find_leaks`,
:func:`~pii_tagger.archive.stats.count_chunk`), so the results are the command
line's. The summaries say which task was an attempt after a failed one:
a task that Spark had to retry is reported.
"""

from __future__ import annotations

import io
import os
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
import pyarrow as pa

from ..actions import Hasher
from ..engine import CATEGORIES_KEY, OWN_KEYS, Redactor
from ..policy import Policy
from ..rules import RuleSet
from ..security.guard import LeakGuard, ScanOptions, make_guard
from .files import ReadCounts, line_event, stream_chunks
from .scan import ChunkResult, Leak, find_leaks, numbered
from .stats import Stats, add_read_counts, count_chunk, count_lines

UNCHECKED = "unchecked"  # the engine's rule for what a bound stopped: a finding of its own kind
_E = TypeVar("_E")


class HashKeys:
    """Hash keys on their way to the executors: a repr names the key ids only."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: Iterable[tuple[str, bytes]]) -> None:
        self._pairs = tuple(pairs)

    def __repr__(self) -> str:
        return f"HashKeys({', '.join(key_id for key_id, _ in self._pairs)})"

    def __getstate__(self) -> tuple[tuple[str, bytes], ...]:
        return self._pairs

    def __setstate__(self, pairs: tuple[tuple[str, bytes], ...]) -> None:
        self._pairs = pairs

    def hasher(self) -> Hasher:
        return Hasher(dict(self._pairs))


def _ident() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True, slots=True)
class RedactJob:
    """``redact``: the columns (name, kind: ``json``, ``struct`` or ``map``) and the engine's configuration."""

    policy: Policy
    rules: RuleSet
    keys: HashKeys
    summary: bool
    columns: tuple[tuple[str, str], ...]
    tags: str  # the tags column: appended, or merged into when the frame has it
    ident: str = field(default_factory=_ident)


@dataclass(frozen=True, slots=True)
class ScanJob:
    """``scan`` and ``scan_files``: what makes the scanner's guard, and what to read."""

    options: ScanOptions
    rules: RuleSet
    columns: tuple[tuple[str, str], ...] = ()  # scan: (name, kind) as in RedactJob
    file: str | None = None  # scan: the columns carried into findings as file and line
    line: str | None = None
    arguments: tuple[tuple[str, str | None], ...] = ()  # scan_files: (path, its local absolute path or None)
    max_details: int = 1000
    ident: str = field(default_factory=_ident)


@dataclass(frozen=True, slots=True)
class StatsJob:
    """``stats`` and ``stats_files``: the bucket width, and the column of lines or the paths."""

    width: int
    column: str = "value"
    arguments: tuple[tuple[str, str | None], ...] = ()
    ident: str = field(default_factory=_ident)


# ---- one engine per Python worker process and job --------------------------------

_engines: dict[str, Any] = {}
_engines_lock = threading.Lock()
_MAX_ENGINES = 8  # jobs whose engines a worker keeps (each job has its own)


def _engine(ident: str, build: Callable[[], _E]) -> _E:
    with _engines_lock:
        engine = _engines.get(ident)
        if engine is None:
            if len(_engines) >= _MAX_ENGINES:
                _engines.clear()
            engine = _engines[ident] = build()
        return engine


def _redactor(job: RedactJob) -> Redactor:
    return _engine(job.ident, lambda: Redactor(job.policy, rules=job.rules, hasher=job.keys.hasher(), summary=job.summary))


def _guard(job: ScanJob) -> LeakGuard:
    return _engine(job.ident, lambda: make_guard(job.options, job.rules))


def _attempt() -> int:
    from pyspark import TaskContext

    context = TaskContext.get()
    return context.attemptNumber() if context is not None else 0


# ---- values of a column as events -------------------------------------------------
# Spark does not check that its strings are UTF-8 (``spark.read.text`` keeps a
# line's bytes), so every string is read as bytes and decoded here, with
# ``errors`` as the command line decodes: nothing fails on a bad byte.


def readable(arrow_type: pa.DataType) -> pa.DataType:
    """``arrow_type`` with every string, at any depth, as bytes (a cast that copies nothing)."""
    if pa.types.is_string(arrow_type):
        return pa.binary()
    if pa.types.is_large_string(arrow_type):
        return pa.large_binary()
    if pa.types.is_struct(arrow_type):
        return pa.struct([pa.field(f.name, readable(f.type), f.nullable) for f in arrow_type])
    if pa.types.is_map(arrow_type):
        return pa.map_(readable(arrow_type.key_type), readable(arrow_type.item_type))
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        field_ = arrow_type.value_field
        item = pa.field(field_.name, readable(field_.type), field_.nullable)
        return pa.list_(item) if pa.types.is_list(arrow_type) else pa.large_list(item)
    return arrow_type


def decoded(value: Any, arrow_type: pa.DataType, errors: str) -> Any:
    """A value read through :func:`readable` as Python: its strings decoded, maps as dicts."""
    if value is None:
        return None
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return value.decode("utf-8", errors)
    if pa.types.is_struct(arrow_type):
        return {f.name: decoded(value.get(f.name), f.type, errors) for f in arrow_type}
    if pa.types.is_map(arrow_type):
        return {decoded(k, arrow_type.key_type, errors): decoded(v, arrow_type.item_type, errors) for k, v in value}
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return [decoded(v, arrow_type.value_type, errors) for v in value]
    return value


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    return batch.column(batch.schema.get_field_index(name))


def _values(batch: pa.RecordBatch, name: str, kind: str, errors: str) -> list[Any]:
    """A column's values: a JSON-string column's as bytes (read as lines), others decoded."""
    array = _column(batch, name)
    raw = array.cast(readable(array.type)).to_pylist()
    return raw if kind == "json" else [decoded(v, array.type, errors) for v in raw]


# ---- redact -----------------------------------------------------------------------


_REDACT_ERRORS = "backslashreplace"  # as `pii-tagger redact` keeps bytes that are not UTF-8
_SCAN_ERRORS = "replace"  # as `pii-tagger scan` reads them


def redact_batches(job: RedactJob, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Each batch with its columns redacted and the row's categories in ``job.tags``."""
    redactor = _redactor(job)
    for batch in batches:
        tags: list[set[int]] = [set() for _ in range(batch.num_rows)]
        arrays = dict(zip(batch.schema.names, batch.columns, strict=True))
        for name, kind in job.columns:
            out = []
            for row, value in enumerate(_values(batch, name, kind, _REDACT_ERRORS)):
                redacted, categories = _redact_value(redactor, value, kind)
                out.append(redacted)
                tags[row].update(categories)
            arrays[name] = _rebuilt(out, kind, arrays[name].type)
        old = arrays.get(job.tags)
        if old is not None:  # redacted before: the categories it had stay
            for row, before in enumerate(old.to_pylist()):
                tags[row].update(n for n in before or () if isinstance(n, int))
        tag_type = old.type if old is not None else pa.list_(pa.int32())
        arrays[job.tags] = pa.array([sorted(t) for t in tags], type=tag_type)
        yield pa.RecordBatch.from_arrays(list(arrays.values()), names=list(arrays))


def _redact_value(redactor: Redactor, value: Any, kind: str) -> tuple[Any, list[int]]:
    """The redacted value and its categories: a JSON line as ``pii-tagger redact`` writes it
    (with its tags), any other text as text; structs and maps without our own fields."""
    if value is None:
        return None, []
    event, text = value, False
    if kind == "json":
        event, text, _ = line_event(value, _REDACT_ERRORS)
        if event is None:  # a blank line
            return value.decode("utf-8", _REDACT_ERRORS), []
    out = redactor.redact(event)
    categories: list[int] = list(out.get(CATEGORIES_KEY) or ())
    if kind == "json":
        rendered = str(out.get("message", "")) if text else orjson.dumps(out, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
        return rendered, categories
    return {k: v for k, v in out.items() if k not in OWN_KEYS}, categories


def _rebuilt(values: list[Any], kind: str, arrow_type: pa.DataType) -> pa.Array:
    if kind == "json":
        return pa.array(values, type=arrow_type)
    return pa.array([fit(v, arrow_type) for v in values], type=arrow_type)


def fit(value: Any, arrow_type: pa.DataType) -> Any:
    """A redacted value in the column's own type: a field the redactor dropped,
    or whose value became a mask where the type holds no text (a phone number
    stored as a number), is null."""
    if value is None:
        return None
    if pa.types.is_struct(arrow_type):
        if not isinstance(value, dict):
            return None
        return {f.name: fit(value.get(f.name), f.type) for f in arrow_type}
    if pa.types.is_map(arrow_type):
        if not isinstance(value, dict):
            return None
        return [(k, fit(v, arrow_type.item_type)) for k, v in value.items() if isinstance(k, str)]
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return [fit(v, arrow_type.value_type) for v in value] if isinstance(value, list) else None
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return value if isinstance(value, str) else None
    return None if isinstance(value, str | dict | list) else value


# ---- scan -------------------------------------------------------------------------

FINDINGS = pa.schema([
    ("file", pa.string()), ("line", pa.int64()), ("column", pa.string()), ("category", pa.int32()),
    ("rule", pa.string()), ("path", pa.string()), ("kind", pa.string()),
])
FINDINGS_DDL = "file string, line bigint, column string, category int, rule string, path string, kind string"


def _kind(rule: str) -> str:
    return UNCHECKED if rule == UNCHECKED else "leak"


def scan_batches(job: ScanJob, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``scan``: the findings in each batch's columns, one row each (never a value).
    A string is checked as ``pii-tagger scan`` checks a file of it (its lines
    by the native line checker); a struct or a map as an event, by the guard."""
    guard = _guard(job)
    for batch in batches:
        files = _values(batch, job.file, "text", _SCAN_ERRORS) if job.file else None
        lines = _column(batch, job.line).to_pylist() if job.line else None
        rows: list[tuple[Any, ...]] = []
        for name, kind in job.columns:
            for row, value in enumerate(_values(batch, name, kind, _SCAN_ERRORS)):
                if value is None:
                    continue
                if kind == "json":
                    found = [(x.category, x.rule, x.path) for x in _leaks(guard.redactor, value)]
                else:
                    found = [(f.target.category, f.target.rule, f.path) for f in guard.find(value)[1]]
                file = files[row] if files is not None else None
                line = lines[row] if lines is not None else None
                rows += [(file, line, name, category, rule, path, _kind(rule)) for category, rule, path in found]
        yield _batch(FINDINGS, rows)


def _leaks(redactor: Redactor, text: bytes) -> list[Leak]:
    """The leaks in a string read as a file of log lines."""
    return [leak for result in _read_file(redactor, "", _reader(text))[1] for leak in result.leaks]


def _batch(schema: pa.Schema, rows: list[tuple[Any, ...]]) -> pa.RecordBatch:
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    return pa.RecordBatch.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema)], schema=schema)


def file_label(arguments: tuple[tuple[str, str | None], ...], argument: int, path: str) -> str:
    """A file as the command line names it (the argument it was found under,
    joined with its path below), for local files; else Spark's path."""
    given, local = arguments[argument]
    if local is not None and path.startswith("file:"):
        absolute = path[len("file:"):]
        if absolute == local:
            return given
        if absolute.startswith(local.rstrip("/") + "/"):
            return os.path.join(given, absolute[len(local.rstrip("/")) + 1:])
    return path


def _files(job: ScanJob | StatsJob, batch: pa.RecordBatch) -> Iterator[tuple[int, str, str, io.BufferedReader]]:
    """(argument, Spark's path, label, a reader) of each file of a ``binaryFile`` batch."""
    arguments = _column(batch, "argument").to_pylist()
    paths = _values(batch, "path", "text", _SCAN_ERRORS)
    contents = _column(batch, "content")
    for i, (argument, path) in enumerate(zip(arguments, paths, strict=True)):
        yield argument, path, file_label(job.arguments, argument, path), _reader(contents[i].as_py() or b"")


def _reader(content: bytes) -> io.BufferedReader:
    """A file's bytes as a reader that can peek (so that ``.gz`` is told by content)."""
    return io.BufferedReader(io.BytesIO(content))


def _read_file(redactor: Redactor, label: str, reader: io.BufferedReader) -> tuple[ReadCounts, list[ChunkResult]]:
    """One file, scanned as ``pii-tagger scan`` scans it."""
    counts = ReadCounts(files=1)
    results = []
    before = 0  # the file's lines before this chunk: leaks are numbered in their chunk
    for chunk in stream_chunks(reader, label, counts, _ignore):
        result = find_leaks(redactor, chunk)
        result.leaks = numbered(result.leaks, before)
        before += result.lines
        results.append(result)
    return counts, results


def _ignore(n: int) -> None:
    """No progress bar on an executor."""


def scan_file_findings(job: ScanJob, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``scan_files(...).findings``: one row per finding in each file."""
    redactor = _guard(job).redactor
    for batch in batches:
        rows: list[tuple[Any, ...]] = []
        for _, _, label, reader in _files(job, batch):
            for result in _read_file(redactor, label, reader)[1]:
                rows.extend((x.file, x.line, None, x.category, x.rule, x.path, _kind(x.rule)) for x in result.leaks)
        yield _batch(FINDINGS, rows)


_RULE = pa.struct([("category", pa.int32()), ("rule", pa.string()), ("count", pa.int64())])
_DETAIL = pa.struct([("line", pa.int64()), ("category", pa.int32()), ("rule", pa.string()), ("path", pa.string())])
FILES = pa.schema([
    ("argument", pa.int32()), ("path", pa.string()), ("file", pa.string()), ("lines", pa.int64()), ("bytes", pa.int64()),
    ("leaky_lines", pa.int64()), ("leaks", pa.int64()), ("not_utf8_lines", pa.int64()), ("binary_lines", pa.int64()),
    ("long_lines", pa.int64()), ("problems", pa.list_(pa.string())), ("by_rule", pa.list_(_RULE)),
    ("details", pa.list_(_DETAIL)), ("attempt", pa.int32()),
])
FILES_DDL = (
    "argument int, path string, file string, lines bigint, bytes bigint, leaky_lines bigint, leaks bigint, "
    "not_utf8_lines bigint, binary_lines bigint, long_lines bigint, problems array<string>, "
    "by_rule array<struct<category: int, rule: string, count: bigint>>, "
    "details array<struct<line: bigint, category: int, rule: string, path: string>>, attempt int"
)


def scan_file_counts(job: ScanJob, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``scan_files(...).files``: one row per file, what the report adds up (and its first ``max_details`` leaks)."""
    redactor = _guard(job).redactor
    attempt = _attempt()
    for batch in batches:
        rows: list[tuple[Any, ...]] = []
        for argument, path, label, reader in _files(job, batch):
            counts, results = _read_file(redactor, label, reader)
            leaks = [leak for result in results for leak in result.leaks]
            by_rule = Counter((leak.category, leak.rule) for leak in leaks)
            rows.append((
                argument, path, label, sum(r.lines for r in results), counts.bytes,
                sum(r.leaky_lines for r in results), len(leaks), sum(r.not_utf8 for r in results),
                sum(r.binary for r in results), sum(r.long_lines for r in results), counts.problems,
                [{"category": c, "rule": r, "count": n} for (c, r), n in by_rule.items()],
                [{"line": x.line, "category": x.category, "rule": x.rule, "path": x.path} for x in leaks[: job.max_details]],
                attempt,
            ))
        yield _batch(FILES, rows)


# ---- stats ------------------------------------------------------------------------

# One schema for every count: kind "total" (name in a), "cube" (bucket, source,
# category), "redaction" (path, action, category), "source" (events by source),
# "problem" (text in a, with the file's argument and path for the command
# line's order), "retried" (1 for a task on its second attempt or later).
STATS_ROWS = pa.schema([
    ("kind", pa.string()), ("a", pa.string()), ("b", pa.string()), ("category", pa.int32()), ("n", pa.int64()),
    ("argument", pa.int32()), ("path", pa.string()),
])
STATS_DDL = "kind string, a string, b string, category int, n bigint, argument int, path string"
TOTALS = ("files", "lines", "events", "not_json", "untagged", "no_time")


def stats_lines(job: StatsJob, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``stats``: the counts of a column of lines, one Stats per task."""
    total = Stats()
    for batch in batches:
        values = _values(batch, job.column, "json", _SCAN_ERRORS)  # bytes, as the command line reads lines
        total.merge(count_lines((v for v in values if v is not None), job.width))
    yield _stats_batch(total, [])


def stats_file_counts(job: StatsJob, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``stats_files``: the counts of each file as ``pii-tagger stats`` reads it."""
    total = Stats()
    problems: list[tuple[int, str, str]] = []
    for batch in batches:
        for argument, path, label, reader in _files(job, batch):
            counts = ReadCounts(files=1)
            for chunk in stream_chunks(reader, label, counts, _ignore):
                total.merge(count_chunk(chunk.data, chunk.cut, job.width))
            add_read_counts(total, counts)
            problems += [(argument, path, text) for text in counts.problems]
    yield _stats_batch(total, problems)


def _stats_batch(stats: Stats, problems: list[tuple[int, str, str]]) -> pa.RecordBatch:
    rows: list[tuple[Any, ...]] = [("total", name, None, None, getattr(stats, name), None, None) for name in TOTALS]
    rows += [("cube", bucket, source, category, n, None, None) for (bucket, source, category), n in stats.cube.items()]
    rows += [("redaction", path, action, category, n, None, None) for (path, category, action), n in stats.redactions.items()]
    rows += [("source", source, None, None, n, None, None) for source, n in stats.sources.items()]
    rows += [("problem", text, None, None, order, argument, path) for order, (argument, path, text) in enumerate(problems)]
    rows.append(("retried", None, None, None, int(_attempt() > 0), None, None))
    return _batch(STATS_ROWS, rows)
