"""``pii-tagger stats``: what tagged logs carried, by category, source, field and time.

Streaming, line by line with orjson, in worker processes on large inputs
(:func:`~pii_tagger.logfiles.map_chunks`): memory holds the counts, not the
archive. DuckDB was measured against this on the same definitions (see
``benchmarks/test_bench_sre.py`` and the README): it was not faster per core
once malformed lines had to be told apart from untagged events, so the
hand-written aggregator stays and the dependency is not taken.

Definitions (the tests hold both the CLI and the benchmark's DuckDB query to them):

* an *event* is a line holding a JSON object; any other line (plain text,
  malformed JSON, an array, a blank line) is counted in ``not_json``;
* an event is *tagged* when ``pii_categories`` is a list; its categories are
  the integers 1–18 in it (others are ignored), and an empty list counts
  under category 0 ("no personal data"); an event without the list is
  counted in ``untagged``;
* *source* is the event's ``service`` (or ``service.name``), else its
  ``logger`` (or ``logger_name``), else ``-`` (strings only); past
  ``MAX_SOURCES`` distinct sources in a worker, new ones count as one;
* the time *bucket* is the event's time (:mod:`pii_tagger.eventtime`: ISO
  8601 or epoch numbers under ``timestamp``, ``@timestamp``, ``time`` or
  ``asctime``) in UTC, cut to the bucket: ``2026-11-25T10`` for hours,
  ``2026-11-25T10:05`` for minutes, ``2026-11-25`` for days; events without
  a usable time are under ``-`` and counted in ``no_time``;
* *redactions* come from ``pii_redactions`` (written with ``summary=True``):
  counts by field path, category (1–18) and action, counts of 0 or more;
  only ``mask``, ``hash`` and ``drop`` are redactions (``keep`` is a tag,
  ``audit`` a value let through).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson

from .eventtime import minute_name
from .logfiles import Chunk, ReadCounts, expand, map_chunks, read_chunks
from .rules import REDACTING_ACTIONS

BUCKETS = {"minute": 16, "hour": 13, "day": 10}  # the width of the bucket names
NO_TAGS = -1  # in the cube: an event without pii_categories
_K = TypeVar("_K")
MAX_SOURCES = 10_000  # sources come from the logs: past this many, the rest are counted as one
OTHER_SOURCES = "(other sources)"


@dataclass(slots=True)
class Stats:
    """Counts over an archive. ``cube`` holds events by (bucket, source,
    category); ``redactions`` holds values acted on by (path, category, action)."""

    lines: int = 0
    events: int = 0
    not_json: int = 0
    untagged: int = 0
    no_time: int = 0  # events without a usable time (bucket "-")
    cube: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    redactions: Counter[tuple[str, int, str]] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)  # events by source
    problems: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def tagged(self) -> int:
        return self.events - self.untagged

    def by_category(self) -> Counter[int]:
        return self._tagged(lambda bucket, source, category: category)

    def by_source(self) -> Counter[tuple[str, int]]:
        return self._tagged(lambda bucket, source, category: (source, category))

    def by_time(self) -> Counter[tuple[str, int]]:
        return self._tagged(lambda bucket, source, category: (bucket, category))

    def _tagged(self, key: Callable[[str, str, int], _K]) -> Counter[_K]:
        """The tagged events of the cube, added up by ``key(bucket, source, category)``."""
        out: Counter[_K] = Counter()
        for (bucket, source, category), n in self.cube.items():
            if category != NO_TAGS:
                out[key(bucket, source, category)] += n
        return out

    def redactions_by_category(self) -> Counter[int]:
        out: Counter[int] = Counter()
        for (_, category, action), n in self.redactions.items():
            if action in REDACTING_ACTIONS:
                out[category] += n
        return out

    def merge(self, other: Stats) -> None:
        self.lines += other.lines
        self.events += other.events
        self.not_json += other.not_json
        self.untagged += other.untagged
        self.no_time += other.no_time
        self.cube.update(other.cube)
        self.redactions.update(other.redactions)
        self.sources.update(other.sources)
        self.problems += other.problems

    def as_dict(self) -> dict[str, Any]:
        def rows(counter: Counter[Any], names: Sequence[str]) -> list[dict[str, Any]]:
            return [dict(zip(names, (*key, n))) if isinstance(key, tuple) else dict(zip(names, (key, n)))
                    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]

        return {
            "files": self.files,
            "lines": self.lines,
            "events": self.events,
            "tagged_events": self.tagged,
            "untagged_events": self.untagged,
            "not_json_lines": self.not_json,
            "events_without_time": self.no_time,
            "events_by_category": rows(self.by_category(), ("category", "events")),
            "redactions_by_category": rows(self.redactions_by_category(), ("category", "redactions")),
            "events_by_source": rows(self.by_source(), ("source", "category", "events")),
            "redactions_by_path": rows(self.redactions, ("path", "category", "action", "count")),
            "events_by_time": [
                {"bucket": b, "category": c, "events": n} for (b, c), n in sorted(self.by_time().items())
            ],
            "problems": self.problems,
        }


# ---- the Python engine ---------------------------------------------------------------


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def bucket_of(event: dict[str, Any], width: int) -> str:
    """The event's time bucket (UTC, ``width`` characters of ISO 8601), or ``-``."""
    minute = minute_name(event)
    return "-" if minute is None else minute[:width]


def source_of(event: dict[str, Any]) -> str:
    for key in ("service", "service.name", "logger", "logger_name"):
        value = event.get(key)
        if isinstance(value, str) and value:
            return value
    return "-"


def add_event(stats: Stats, event: dict[str, Any], width: int) -> None:
    """One JSON object into ``stats`` (both engines' definitions, see the module)."""
    stats.events += 1
    bucket = bucket_of(event, width)
    if bucket == "-":
        stats.no_time += 1
    source = source_of(event)
    if source not in stats.sources:
        source = OTHER_SOURCES if len(stats.sources) >= MAX_SOURCES else source
    stats.sources[source] += 1
    tags = event.get("pii_categories")
    if not isinstance(tags, list):
        stats.untagged += 1
        stats.cube[bucket, source, NO_TAGS] += 1
        return
    categories = {n for n in tags if type(n) is int and 1 <= n <= 18} or {0}
    for category in categories:
        stats.cube[bucket, source, category] += 1
    notes = event.get("pii_redactions")
    if isinstance(notes, list):
        for note in notes:
            if not isinstance(note, dict):
                continue
            number, count = note.get("category"), note.get("count")
            if type(number) is int and 1 <= number <= 18 and type(count) is int and count >= 0:
                stats.redactions[_text(note.get("path")), number, _text(note.get("action"))] += count


def stats_chunk(chunk: Chunk) -> Stats:
    """One chunk of lines (in a worker process)."""
    return count_lines(chunk.lines, _width)


def count_lines(lines: Iterable[bytes | str], width: int) -> Stats:
    """The stats of some lines, bucketed ``width`` characters wide (``BUCKETS``)."""
    stats = Stats()
    for raw in lines:
        stats.lines += 1
        try:
            event = orjson.loads(raw)
        except orjson.JSONDecodeError:
            event = None
        if type(event) is dict:
            add_event(stats, event, width)
        else:
            stats.not_json += 1
    return stats


_width = BUCKETS["hour"]


def _set_bucket(bucket: str) -> None:
    global _width
    _width = BUCKETS[bucket]


def collect(
    paths: Sequence[str],
    *,
    bucket: str = "hour",
    jobs: int = 1,
    progress: Callable[[int], None] = lambda n: None,
) -> Stats:
    """Stats over ``paths`` (files, directories, ``-`` for stdin)."""
    bucket_width(bucket)  # an unknown bucket fails before anything is read
    total = Stats()
    read = ReadCounts()
    chunks = (chunk for name in expand(paths, read) for chunk in read_chunks(name, read, progress))
    for part in map_chunks(stats_chunk, chunks, jobs, _set_bucket, (bucket,)):
        total.merge(part)
    add_read_counts(total, read)
    return total


def bucket_width(bucket: str) -> int:
    """The width of a bucket's names (``hour``: 13); a clear error for an unknown bucket."""
    if bucket not in BUCKETS:
        raise ValueError(f"unknown time bucket {bucket!r}; use one of {', '.join(BUCKETS)}")
    return BUCKETS[bucket]


def add_read_counts(stats: Stats, read: ReadCounts) -> None:
    """What reading found into ``stats``: the files read, and the problems."""
    stats.files += read.files
    stats.problems += read.problems
