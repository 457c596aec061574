"""``pii-tagger query``: select tagged events from JSON-lines archives.

An event is selected when it meets every filter given: any of the categories
(``--category``, several allowed; all of them with ``match_all``), a field
path (glob, against the event's own keys and the paths in ``pii_redactions``),
a time range, a source (glob against ``service``/``logger``), or a text the
raw line contains (a hash token from ``pii-tagger token``). Selected lines are
written out unchanged.

A chunk of lines is selected in one native call (``rust/core/src/logquery.rs``),
lines and their fields read as ``stats`` reads them (``rust/core/src/tagged.rs``;
times by :mod:`pii_tagger.archive.eventtime`): every filter but ``--field``, which is
tested here on the lines selected. Lines that are not JSON objects and events
without tags are counted, as are events without a usable timestamp when a time
range is asked for; never fatal.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from .. import _native
from .eventtime import micros_of
from .files import Chunk, ReadCounts, expand, map_chunks, read_chunks

_RELATIVE = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class SelectionError(ValueError):
    """A filter that cannot be used; the message says what is valid."""


@dataclass(frozen=True, slots=True)
class Selection:
    categories: frozenset[int] = frozenset()
    match_all: bool = False
    fields: tuple[str, ...] = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    sources: tuple[str, ...] = ()
    contains: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        bad = sorted(c for c in self.categories if not 0 <= c <= 18)
        if bad:
            raise SelectionError(f"category {bad[0]} does not exist; use 1 to 18 (0: events with none)")
        if self.match_all and 0 in self.categories and len(self.categories) > 1:
            raise SelectionError("--all with category 0 (no personal data) and other categories can never match")
        if self.since and self.until and self.since >= self.until:
            raise SelectionError("the time range is empty: --since must be before --until")


def parse_time(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """ISO 8601 (``2026-11-25``, ``2026-11-25T10:00``, with or without a zone;
    UTC when none) or a time ago (``15m``, ``2h``, ``7d``, ``1w``)."""
    relative = _RELATIVE.fullmatch(text.strip())
    if relative:
        now = now or dt.datetime.now(dt.UTC)
        try:
            return now - dt.timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
        except OverflowError:
            raise SelectionError(f"time {text!r} is too far back") from None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise SelectionError(
            f"time {text!r}: use ISO 8601 (2026-11-25, 2026-11-25T10:00, 2026-11-25T10:00:00+02:00) "
            "or a time ago (30s, 15m, 2h, 7d, 1w)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(slots=True)
class QueryResult:
    lines: int = 0
    selected: int = 0
    not_json: int = 0
    untagged: int = 0
    no_time: int = 0
    timed: int = 0  # events tested against the time range that had a usable time
    matches: bytes = b""  # the lines selected, each ending in a newline
    long_lines: int = 0  # over MAX_LINE: never selected


MAX_DEPTH = 64  # paths deeper than this are not listed (a line may nest 1000 deep)


def _paths(value: Any, out: set[str]) -> None:
    """Every key path of ``value`` with a non-empty value, lists looked through."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, prefix, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(item, dict):
            for key, child in item.items():
                path = f"{prefix}.{key}" if prefix else str(key)
                if child not in (None, "", [], {}):
                    out.add(path)
                stack.append((child, path, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, prefix, depth + 1) for child in item)


def _has_field(raw: bytes, fields: tuple[str, ...]) -> bool:
    """Whether the event of line ``raw`` has a path (its own, or noted in ``pii_redactions``) matching one of ``fields``."""
    try:
        event = orjson.loads(raw.decode("utf-8", "replace"))
    except orjson.JSONDecodeError:  # deeper than orjson reads: no paths to test
        return False
    paths: set[str] = set()
    _paths({k: v for k, v in event.items() if k not in ("pii_categories", "pii_redactions")}, paths)
    notes = event.get("pii_redactions")
    if isinstance(notes, list):
        paths.update(str(n["path"]) for n in notes if isinstance(n, dict) and n.get("path"))
    return any(fnmatch.fnmatchcase(path, pattern) for path in paths for pattern in fields)


_selection: Selection | None = None


def _init(selection: Selection) -> None:
    global _selection
    _selection = selection


def query_chunk(chunk: Chunk) -> QueryResult:
    s = _selection
    assert s is not None
    chunk = chunk.load()
    lines, not_json, untagged, no_time, timed, selected, matches = _native.select_chunk(
        chunk.data, list(chunk.cut), categories=sorted(s.categories), match_all=s.match_all, contains=list(s.contains),
        sources=list(s.sources), since=None if s.since is None else micros_of(s.since),
        until=None if s.until is None else micros_of(s.until))
    if s.fields and matches:
        kept = [line + b"\n" for line in matches.split(b"\n")[:-1] if _has_field(line, s.fields)]
        selected, matches = len(kept), b"".join(kept)
    return QueryResult(lines, selected, not_json, untagged, no_time, timed, matches, len(chunk.cut))


def run(
    paths: Sequence[str],
    selection: Selection,
    *,
    jobs: int = 1,
    read: ReadCounts | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> Iterator[QueryResult]:
    """Results chunk by chunk, in input order: each with its selected lines."""
    read = read if read is not None else ReadCounts()
    chunks = (chunk for name in expand(paths, read) for chunk in read_chunks(name, read, progress))
    for result in map_chunks(query_chunk, chunks, jobs, _init, (selection,)):
        read.long_lines += result.long_lines
        yield result
