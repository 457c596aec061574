"""Reading log archives: files, directories (recursively), ``.gz`` (by
content) and stdin, as chunks of whole, consecutive, numbered lines, in
constant memory; and running a function over the chunks in worker processes,
a bounded number in flight, with results in input order.

Bad input is counted in a :class:`ReadCounts`, never fatal: binary lines (NUL
bytes) and lines over ``MAX_LINE`` are skipped, a truncated ``.gz`` is read up
to the break, an unreadable file is reported and the others are read.
"""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

import orjson

MAX_LINE = 1 << 20  # longer lines are skipped (and counted)
CHUNK_BYTES = 1 << 20
_READ_BLOCK = 1 << 16

R = TypeVar("R")


@dataclass(slots=True)
class ReadCounts:
    """What could not be read, and how many inputs were."""

    files: int = 0
    binary_lines: int = 0
    long_lines: int = 0
    problems: list[str] = field(default_factory=list)  # unreadable files, truncated archives


@dataclass(frozen=True, slots=True)
class Chunk:
    file: str
    first_line: int
    lines: list[bytes]  # consecutive lines from first_line on


def expand(paths: Sequence[str], report: ReadCounts) -> Iterator[str]:
    """Files to scan, directories walked in sorted order; ``-`` is stdin."""
    for name in paths:
        if name == "-":
            yield name
        elif os.path.isdir(name):
            for root, dirs, files in os.walk(name, onerror=lambda e: report.problems.append(_problem(e.filename, e))):
                dirs.sort()
                for file in sorted(files):
                    path = os.path.join(root, file)
                    if os.path.isfile(path):  # not a FIFO or a socket, which would block
                        yield path
        else:
            yield name


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 shown as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _problem(name: str | None, exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return f"{printable(name or '')}: {reason}"


def read_chunks(name: str, report: ReadCounts, progress: Callable[[int], None]) -> Iterator[Chunk]:
    """Chunks of whole, consecutive lines from one input; bad input is
    counted in ``report``, and what was read before an error is still scanned."""
    try:
        raw: IO[bytes] = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        report.problems.append(_problem(name, exc))
        return
    report.files += 1
    try:
        yield from stream_chunks(raw, "<stdin>" if name == "-" else printable(name), report, progress)
    finally:
        if name != "-":
            raw.close()


def stream_chunks(raw: IO[bytes], label: str, report: ReadCounts, progress: Callable[[int], None]) -> Iterator[Chunk]:
    """:func:`read_chunks` of an input already open (a file, stdin, a file's
    bytes read by Spark), named ``label`` in chunks and problems. ``.gz`` is
    told by content when ``raw`` can peek (``io.BufferedReader``)."""
    lines: list[bytes] = []
    size = first = last_pos = 0
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


def line_event(raw: bytes, errors: str = "replace") -> tuple[dict[str, Any] | None, bool, bool]:
    """A log line as an event, as ``redact`` and ``scan`` read it: a JSON
    object line as it is, any other line as ``{"message": text}`` (bytes that
    are not UTF-8 decoded with ``errors``); None for a blank line. Also: was it
    read as text, and was it not UTF-8."""
    line = raw.rstrip(b"\r\n")
    if not line.strip():
        return None, False, False
    if line.lstrip()[:1] == b"{":
        try:
            parsed = orjson.loads(line)
        except orjson.JSONDecodeError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed, False, False
    try:
        return {"message": line.decode("utf-8")}, True, False
    except UnicodeDecodeError:
        return {"message": line.decode("utf-8", errors)}, True, True


def _numbered_lines(raw: IO[bytes], label: str, report: ReadCounts) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line or None when skipped); stops, saying why, at a read error."""
    number = 0
    try:
        stream: _LineReader = gzip.GzipFile(fileobj=raw, mode="rb") if _is_gzip(raw) else raw
        for line in _lines(stream, report):
            number += 1
            yield number, line
    except (OSError, EOFError, zlib.error) as exc:
        report.problems.append(f"{label}: unreadable after line {number} ({_reason(exc)}); the rest of it was not scanned")


def decompressed(raw: IO[bytes]) -> IO[bytes]:
    """``raw``, read through gzip when its content is gzip (whatever the file's name)."""
    return gzip.GzipFile(fileobj=raw, mode="rb") if _is_gzip(raw) else raw


def read_error(exc: BaseException) -> str:
    """Why a log could not be read, in words that never quote its content."""
    return _reason(exc) if isinstance(exc, EOFError | zlib.error) else getattr(exc, "strerror", None) or type(exc).__name__


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


def _lines(stream: _LineReader, report: ReadCounts) -> Iterator[bytes | None]:
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


def map_chunks(
    work: Callable[[Chunk], R],
    chunks: Iterator[Chunk],
    jobs: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``work`` over ``chunks``, results in input order: in this process when
    ``jobs <= 1`` (after calling ``initializer``), else in ``jobs`` worker
    processes with at most ``2 * jobs`` chunks in flight (memory stays flat).
    ``work`` and ``initializer`` must be module-level functions."""
    if initializer is not None and jobs <= 1:
        initializer(*initargs)
    if jobs <= 1:
        yield from map(work, chunks)
        return
    with ProcessPoolExecutor(jobs, initializer=initializer, initargs=initargs) as pool:
        yield from _in_order(pool, work, chunks, 2 * jobs)


def _in_order(pool: ProcessPoolExecutor, work: Callable[[Chunk], R], chunks: Iterator[Chunk], window: int) -> Iterator[R]:
    pending: deque[Future[R]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(work, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def workers(requested: int, size: int, parallel_from: int) -> int:
    """Worker processes: ``requested``, or when 0, every core on inputs of
    ``parallel_from`` bytes or more (below, starting workers costs more than they save)."""
    return requested or ((os.cpu_count() or 1) if size >= parallel_from else 1)


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
