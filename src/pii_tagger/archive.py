"""The archive scanner behind ``pii-tagger scan``: finds personal data left
unmasked in logs that were already written.

Inputs are files, directories (recursively), ``.gz`` files and stdin; lines
are JSON objects (checked field by field) or plain text. Reading streams in
chunks of lines, so memory stays flat whatever the size; with ``jobs > 1``
chunks are scanned by worker processes, a bounded number in flight, and
results are merged in input order. Our own masks and hash tokens are never
reported.

Bad input is counted, not fatal: binary lines (NUL bytes) and lines longer
than ``max_line`` are skipped, lines that are not UTF-8 are scanned with
replacement characters, a truncated ``.gz`` is read up to where it breaks,
unreadable files are reported. The report says how much could not be read.
"""

from __future__ import annotations

import gzip
import os
import secrets
import sys
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from .actions import Hasher
from .alerts import Alerter
from .engine import Redactor
from .guard import LeakGuard
from .policy import Policy

MAX_LINE = 1 << 20  # longer lines are skipped (and counted)
CHUNK_BYTES = 1 << 20
_READ_BLOCK = 1 << 16


@dataclass(frozen=True, slots=True)
class Leak:
    """One finding: where it is and what it is, never the value."""

    file: str
    line: int
    category: int
    rule: str
    path: str  # the field path in a JSON line; "message" for plain text


@dataclass(slots=True)
class Report:
    """What a scan found and what it could not read."""

    files: int = 0
    lines: int = 0
    bytes: int = 0
    leaky_lines: int = 0
    leaks_total: int = 0
    by_rule: Counter[tuple[int, str]] = field(default_factory=Counter)
    by_file: Counter[str] = field(default_factory=Counter)
    leaks: list[Leak] = field(default_factory=list)  # the first ``max_details``
    binary_lines: int = 0
    long_lines: int = 0
    not_utf8_lines: int = 0
    problems: list[str] = field(default_factory=list)  # unreadable files, truncated archives
    seconds: float = 0.0

    @property
    def unread(self) -> bool:
        return bool(self.problems or self.binary_lines or self.long_lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "lines": self.lines,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "leaky_lines": self.leaky_lines,
            "leaks": self.leaks_total,
            "by_rule": [
                {"category": c, "rule": r, "count": n} for (c, r), n in sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "by_file": [{"file": f, "count": n} for f, n in self.by_file.most_common()],
            "details": [
                {"file": x.file, "line": x.line, "category": x.category, "rule": x.rule, "path": x.path} for x in self.leaks
            ],
            "details_shown": len(self.leaks),
            "not_read": {
                "binary_lines": self.binary_lines,
                "long_lines": self.long_lines,
                "problems": self.problems,
            },
            "not_utf8_lines_scanned_with_replacement": self.not_utf8_lines,
        }


@dataclass(frozen=True, slots=True)
class Chunk:
    file: str
    first_line: int
    lines: list[bytes]  # consecutive lines from first_line on


@dataclass(slots=True)
class ChunkResult:
    lines: int = 0
    bytes: int = 0
    leaky_lines: int = 0
    not_utf8: int = 0
    leaks: list[Leak] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What a worker needs to build its own guard (picklable)."""

    rule_files: tuple[str, ...] = ()
    actions: tuple[tuple[int, str], ...] = ()


# ---- scanning lines (in the worker) ----------------------------------------------

_guard: LeakGuard | None = None


def _worker_init(options: ScanOptions) -> None:
    global _guard
    _guard = make_guard(options)


def make_guard(options: ScanOptions) -> LeakGuard:
    """The scanner's guard: it reports, it does not alert or hash (a throw-away key)."""
    policy = Policy(actions=dict(options.actions))  # type: ignore[arg-type]
    hasher = Hasher({"scan": secrets.token_bytes(32)})
    redactor = Redactor(policy, rule_files=options.rule_files, hasher=hasher)
    return LeakGuard(redactor, alerts=Alerter([], hasher=hasher), redact=False)


def scan_chunk(chunk: Chunk, guard: LeakGuard | None = None) -> ChunkResult:
    guard = guard or _guard
    assert guard is not None
    result = ChunkResult()
    for offset, raw in enumerate(chunk.lines):
        result.lines += 1
        result.bytes += len(raw)
        event = _event(raw, result)
        if event is None:
            continue
        _, found = guard.find(event)
        if found:
            result.leaky_lines += 1
            number = chunk.first_line + offset
            result.leaks.extend(Leak(chunk.file, number, f.target.category, f.target.rule, f.path) for f in found)
    return result


def _event(raw: bytes, result: ChunkResult) -> dict[str, Any] | None:
    line = raw.rstrip(b"\r\n")
    if not line.strip():
        return None
    if line.lstrip()[:1] == b"{":
        try:
            parsed = orjson.loads(line)
        except orjson.JSONDecodeError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        result.not_utf8 += 1
        text = line.decode("utf-8", "replace")
    return {"message": text}


# ---- reading inputs (in the main process) -------------------------------------------


def expand(paths: Sequence[str], report: Report) -> Iterator[str]:
    """Files to scan, directories walked in sorted order; ``-`` is stdin."""
    for name in paths:
        if name == "-":
            yield name
        elif os.path.isdir(name):
            for root, dirs, files in os.walk(name, onerror=lambda e: report.problems.append(_problem(e.filename, e))):
                dirs.sort()
                for file in sorted(files):
                    yield os.path.join(root, file)
        else:
            yield name


def _problem(name: str | None, exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return f"{name}: {reason}"


def read_chunks(name: str, report: Report, progress: Callable[[int], None]) -> Iterator[Chunk]:
    """Chunks of whole, consecutive lines from one input; bad input is
    counted in ``report``, and what was read before an error is still scanned."""
    try:
        raw: IO[bytes] = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        report.problems.append(_problem(name, exc))
        return
    label = "<stdin>" if name == "-" else name
    report.files += 1
    lines: list[bytes] = []
    size = first = last_pos = 0
    try:
        for number, line in _numbered_lines(raw, label, report):
            if line is None or size >= CHUNK_BYTES:  # a skipped line ends a run of numbered lines
                if lines:
                    pos = _position(raw)
                    progress(pos - last_pos)
                    last_pos = pos
                    yield Chunk(label, first, lines)
                lines, size = [], 0
                if line is None:
                    continue
            if not lines:
                first = number
            lines.append(line)
            size += len(line)
        if lines:
            yield Chunk(label, first, lines)
        progress(_position(raw) - last_pos)
    finally:
        if name != "-":
            raw.close()


def _numbered_lines(raw: IO[bytes], label: str, report: Report) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line or None when skipped); stops, saying why, at a read error."""
    number = 0
    try:
        stream: _LineReader = gzip.GzipFile(fileobj=raw, mode="rb") if _is_gzip(raw) else raw
        for line in _lines(stream, report):
            number += 1
            yield number, line
    except (OSError, EOFError, zlib.error) as exc:
        report.problems.append(f"{label}: unreadable after line {number} ({_reason(exc)}); the rest of it was not scanned")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "truncated"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _is_gzip(stream: IO[bytes]) -> bool:
    peek = getattr(stream, "peek", None)
    head = peek(2)[:2] if peek is not None else b""
    return head == b"\x1f\x8b"


def _position(stream: IO[bytes]) -> int:
    try:
        return stream.tell()
    except (OSError, ValueError):
        return 0


class _LineReader(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def _lines(stream: _LineReader, report: Report) -> Iterator[bytes | None]:
    """Lines, or None for a skipped one (binary, or longer than MAX_LINE)."""
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of it, a block at a time
                line = stream.readline(_READ_BLOCK)
            report.long_lines += 1
            yield None
        elif b"\x00" in line:
            report.binary_lines += 1
            yield None
        else:
            yield line


# ---- the scan ---------------------------------------------------------------------


def scan(
    paths: Sequence[str],
    options: ScanOptions = ScanOptions(),
    *,
    jobs: int = 1,
    max_details: int = 1000,
    progress: Callable[[int, Report], None] | None = None,
) -> Report:
    """Scan ``paths``; ``jobs`` worker processes (1: in this process)."""
    report = Report()
    started = time.perf_counter()

    def advanced(n: int) -> None:
        if progress is not None:
            progress(n, report)

    chunks = (chunk for name in expand(paths, report) for chunk in read_chunks(name, report, advanced))
    if jobs <= 1:
        guard = make_guard(options)
        results: Iterable[ChunkResult] = (scan_chunk(c, guard) for c in chunks)
        _merge(report, results, max_details)
    else:
        with ProcessPoolExecutor(jobs, initializer=_worker_init, initargs=(options,)) as pool:
            _merge(report, _in_order(pool, chunks, 2 * jobs), max_details)
    report.seconds = time.perf_counter() - started
    return report


def _in_order(pool: ProcessPoolExecutor, chunks: Iterator[Chunk], window: int) -> Iterator[ChunkResult]:
    """Results in input order, with at most ``window`` chunks in flight."""
    pending: deque[Future[ChunkResult]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(scan_chunk, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _merge(report: Report, results: Iterable[ChunkResult], max_details: int) -> None:
    for result in results:
        report.lines += result.lines
        report.bytes += result.bytes
        report.leaky_lines += result.leaky_lines
        report.not_utf8_lines += result.not_utf8
        report.leaks_total += len(result.leaks)
        for leak in result.leaks:
            report.by_rule[leak.category, leak.rule] += 1
            report.by_file[leak.file] += 1
        room = max_details - len(report.leaks)
        if room > 0:
            report.leaks.extend(result.leaks[:room])


def input_size(paths: Sequence[str]) -> int:
    """Bytes on disk to read (0 when unknown: stdin), for the progress bar."""
    total = 0
    for name in paths:
        if name == "-":
            continue
        if os.path.isdir(name):
            total += sum(p.stat().st_size for p in Path(name).rglob("*") if p.is_file())
        elif os.path.isfile(name):
            total += os.path.getsize(name)
    return total
