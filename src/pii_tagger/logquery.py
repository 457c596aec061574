"""``pii-tagger query``: select tagged events from JSON-lines archives.

An event is selected when it meets every filter given: any of the categories
(``--category``, several allowed; all of them with ``match_all``), a field
path (glob, against the event's own keys and the paths in ``pii_redactions``),
a time range, a source (glob against ``service``/``logger``), or a text the
raw line contains (a hash token from ``pii-tagger token``). Selected lines are
written out unchanged.

Lines are tested in two steps: cheap byte tests first (the ``pii_categories``
list is read straight from the raw line; ``contains`` is a substring test),
then a full parse only of lines that pass. Lines that are not JSON objects,
events without tags and events without a usable timestamp (when a time range
is asked for; times are read by :mod:`pii_tagger.eventtime`) are counted,
never fatal.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from .eventtime import event_time
from .logfiles import Chunk, ReadCounts, expand, map_chunks, read_chunks
from .logstats import source_of

_TAGS = re.compile(rb'"pii_categories"\s*:\s*\[([^\]]*)\]')
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
    matches: list[bytes] = field(default_factory=list)


def _categories(raw: bytes) -> set[int] | None:
    """The event's categories read from the raw line (None: not found once, or
    the line has backslash-u escapes, which could spell the key another way)."""
    if b"\\u" in raw:
        return None
    found = _TAGS.findall(raw)
    if len(found) != 1:
        return None
    try:
        return {n for n in (int(x) for x in found[0].split(b",") if x.strip()) if 1 <= n <= 18} or {0}
    except ValueError:
        return None


def _tag_set(event: Mapping[str, Any]) -> set[int] | None:
    tags = event.get("pii_categories")
    if not isinstance(tags, list):
        return None
    return {n for n in tags if type(n) is int and 1 <= n <= 18} or {0}


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


class Selector:
    """Tests lines against a :class:`Selection`."""

    def __init__(self, selection: Selection) -> None:
        self.s = selection

    def _wanted(self, categories: set[int]) -> bool:
        wanted = self.s.categories
        return not wanted or (wanted <= categories if self.s.match_all else not wanted.isdisjoint(categories))

    def test(self, raw: bytes, result: QueryResult) -> bool:
        s = self.s
        if s.contains and not any(text in raw for text in s.contains):
            return False
        if s.categories:
            quick = _categories(raw)
            if quick is not None and not self._wanted(quick):
                return False
        try:
            event = orjson.loads(raw)
        except orjson.JSONDecodeError:
            event = None
        if type(event) is not dict:
            result.not_json += 1
            return False
        categories = _tag_set(event)
        if categories is None:
            result.untagged += 1
            if s.categories:
                return False
        elif not self._wanted(categories):
            return False
        if s.sources and not any(fnmatch.fnmatchcase(source_of(event), pattern) for pattern in s.sources):
            return False
        if s.since or s.until:
            moment = event_time(event)
            if moment is None:
                result.no_time += 1
                return False
            result.timed += 1
            if (s.since and moment < s.since) or (s.until and moment >= s.until):
                return False
        if s.fields:
            paths: set[str] = set()
            _paths({k: v for k, v in event.items() if k not in ("pii_categories", "pii_redactions")}, paths)
            notes = event.get("pii_redactions")
            if isinstance(notes, list):
                paths.update(str(n["path"]) for n in notes if isinstance(n, dict) and n.get("path"))
            if not any(fnmatch.fnmatchcase(path, pattern) for path in paths for pattern in s.fields):
                return False
        return True


_selector: Selector | None = None


def _init(selection: Selection) -> None:
    global _selector
    _selector = Selector(selection)


def query_chunk(chunk: Chunk) -> QueryResult:
    selector = _selector
    assert selector is not None
    result = QueryResult()
    for raw in chunk.lines:
        result.lines += 1
        if selector.test(raw, result):
            result.selected += 1
            result.matches.append(raw if raw.endswith(b"\n") else raw + b"\n")
    return result


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
    yield from map_chunks(query_chunk, chunks, jobs, _init, (selection,))
