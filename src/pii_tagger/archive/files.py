"""Reading log archives: files, directories (recursively), ``.gz`` (by
content) and stdin, as chunks of whole, consecutive, numbered lines, in
constant memory; and running a function over the chunks in worker processes,
a bounded number in flight, with results in input order.

What a line is, and how it is decoded, is the native core's (one definition
for every command, ``rust/core/src/lines.rs``): lines end at ``\\n``; NUL and
other control bytes are characters; a line over ``MAX_LINE`` bytes is kept up
to the bound (the chunk lists it, and it is counted in ``long_lines``).
Bad input is counted in a :class:`ReadCounts`, never fatal: a truncated
``.gz`` is read up to the break, an unreadable file is reported and the
others are read.
"""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

import orjson

from .. import _native

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

MAX_LINE = 1 << 20  # longer lines are read up to this many bytes (and counted)
CHUNK_BYTES = 1 << 20  # a chunk is handed on at a line's end past this many bytes; reads are this size too

R = TypeVar("R")


@dataclass(slots=True)
class ReadCounts:
    """How many inputs and bytes were read, and what could not be."""

    files: int = 0
    bytes: int = 0  # of the inputs' content (decompressed)
    long_lines: int = 0  # read only up to MAX_LINE
    problems: list[str] = field(default_factory=list)  # unreadable files, truncated archives


@dataclass(frozen=True, slots=True)
class Chunk:
    """Whole, consecutive lines of one input: their bytes, or where they are
    in a plain file (bytes ``start`` to ``end`` of ``path``, cut at line ends),
    read by :meth:`load` in the worker that handles them. Lines are numbered
    in input order by whoever merges the results (``first``: the input's first chunk)."""

    file: str  # the input's name, as reports show it
    data: bytes = b""  # the lines, each with its ending (the last line of an input may have none)
    cut: tuple[int, ...] = ()  # indexes of the lines cut at MAX_LINE
    first: bool = False
    path: str | None = None
    start: int = 0
    end: int = 0

    def load(self) -> Chunk:
        """This chunk with its lines in memory (a slice of a file is read now, its lines over MAX_LINE cut)."""
        if self.path is None:
            return self
        with open(self.path, "rb") as f:
            f.seek(self.start)
            data = f.read(self.end - self.start)
        data, cut = _native.bound_lines(data, MAX_LINE)
        return Chunk(self.file, data, tuple(cut), self.first)

    @property
    def lines(self) -> list[bytes]:
        """The lines, each with its ending (the last line of an input may have none)."""
        lines = self.data.split(b"\n")
        last = lines.pop()
        return [line + b"\n" for line in lines] + ([last] if last else [])


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
    """Chunks of whole, consecutive lines from one input: slices of a plain
    file (read by the worker that scans them), else the lines of a stream
    (``.gz``, stdin) read here. Bad input is counted in ``report``, and what
    was read before an error is still scanned; the long lines a chunk holds
    are counted by whoever loads it."""
    try:
        raw: IO[bytes] = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        report.problems.append(f"{printable(name)}: cannot read ({read_error(exc)}); skipped")
        return
    label = "<stdin>" if name == "-" else printable(name)
    report.files += 1
    try:
        if name != "-" and not _is_gzip(raw) and raw.seekable():
            yield from _slices(raw, name, label, report, progress)
        else:
            yield from _streamed(raw, label, report, progress, first=True)
    finally:
        if name != "-":
            raw.close()


def stream_chunks(raw: IO[bytes], label: str, report: ReadCounts, progress: Callable[[int], None]) -> Iterator[Chunk]:
    """:func:`read_chunks` of an input already open and read as a stream (a
    file's bytes read by Spark), named ``label`` in chunks and problems.
    ``.gz`` is told by content when ``raw`` can peek (``io.BufferedReader``)."""
    return _streamed(raw, label, report, progress, first=True)


def _slices(raw: IO[bytes], path: str, label: str, report: ReadCounts, progress: Callable[[int], None]) -> Iterator[Chunk]:
    """A plain file as slices of about CHUNK_BYTES that end at a line's end;
    from a line too long to find the end of, the rest is read as a stream."""
    size = os.fstat(raw.fileno()).st_size
    start = 0
    while start < size:
        end = _line_end(raw, min(start + CHUNK_BYTES, size), size)
        if end is None:
            raw.seek(start)
            yield from _streamed(raw, label, report, progress, first=start == 0)
            return
        report.bytes += end - start
        progress(end - start)
        yield Chunk(label, first=start == 0, path=path, start=start, end=end)
        start = end


def _line_end(raw: IO[bytes], at: int, size: int) -> int | None:
    """The end of the line that byte ``at - 1`` is in (``size`` at the file's
    end), or None when it is further than 2 * MAX_LINE."""
    if at >= size:
        return size
    raw.seek(at - 1)
    looked = 0
    while looked <= 2 * MAX_LINE:
        block = raw.read(1 << 16)
        if not block:
            return size
        newline = block.find(b"\n")
        if newline >= 0:
            return at + looked + newline
        looked += len(block)
    return None


def _streamed(raw: IO[bytes], label: str, report: ReadCounts, progress: Callable[[int], None], *, first: bool) -> Iterator[Chunk]:
    """The chunks of a stream, cut by the native Chunker as it is read."""
    chunker = _native.Chunker(MAX_LINE, CHUNK_BYTES)
    failed: list[BaseException] = []
    last_pos = _position(raw)
    for block in _blocks(raw, failed):
        report.bytes += len(block)
        chunks = chunker.push(block)
        if chunks:
            pos = _position(raw)
            progress(pos - last_pos)
            last_pos = pos
        for _, data, cut in chunks:
            yield Chunk(label, data, tuple(cut), first)
            first = False
    last = chunker.finish()
    if last is not None:
        yield Chunk(label, last[1], tuple(last[2]), first)
    if failed:
        report.problems.append(f"{label}: unreadable after line {chunker.lines_seen()} ({_reason(failed[0])}); "
                               "the rest of it was not read")
    progress(_position(raw) - last_pos)


def line_event(raw: bytes, errors: str = "replace") -> tuple[dict[str, Any] | None, bool, bool]:
    """A log line as an event, as ``redact`` reads it: a JSON object line as
    it is, any other line as ``{"message": text}`` (bytes that are not UTF-8
    decoded with ``errors``); None for a blank line. Also: was it read as
    text, and was it not UTF-8."""
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


def _blocks(raw: IO[bytes], failed: list[BaseException]) -> Iterator[bytes]:
    """The input's content (through gzip when it is gzip) in blocks; a read
    error ends it, kept in ``failed``."""
    try:
        stream = decompressed(raw)
        read = getattr(stream, "read1", stream.read)  # what is there, without waiting for a whole block
        while block := read(CHUNK_BYTES):
            yield block
    except (OSError, EOFError, zlib.error) as exc:
        failed.append(exc)


def decompressed(raw: IO[bytes]) -> IO[bytes]:
    """``raw``, read through gzip when its content is gzip (whatever the file's name)."""
    return cast("IO[bytes]", gzip.GzipFile(fileobj=raw, mode="rb")) if _is_gzip(raw) else raw


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
    from concurrent.futures import ProcessPoolExecutor  # not imported by every command's start

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
