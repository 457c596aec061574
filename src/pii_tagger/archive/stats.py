"""``pii-tagger stats``: what tagged logs carried, by category, source, field and time.

Streaming, a chunk of lines per native call (``rust/core/src/logstats.rs``;
a line's fields read as ``rust/core/src/tagged.rs`` reads them, without
building the rest of it), in worker processes on large inputs
(:func:`~pii_tagger.archive.files.map_chunks`): memory holds the counts, not the
archive. DuckDB is measured beside it on the same definitions (see
``benchmarks/test_bench_sre.py`` and the README).

Definitions (the tests hold both the CLI and the benchmark's DuckDB query to them):

* a *line* is what every command reads as one (:mod:`pii_tagger.archive.files`);
  an *event* is a line holding a JSON object; any other line (plain text,
  malformed JSON, an array, a blank line, a line over 1 MiB) is counted in
  ``not_json``;
* an event is *tagged* when ``pii_categories`` is a list; its categories are
  the integers 1–18 in it (others are ignored), and an empty list counts
  under category 0 ("no personal data"); an event without the list is
  counted in ``untagged``; a key written twice counts with every value;
* *source* is the event's ``service`` (or ``service.name``), else its
  ``logger`` (or ``logger_name``), else ``-`` (strings only); past
  ``MAX_SOURCES`` distinct sources in a chunk, new ones count as one;
* the time *bucket* is the event's time (:mod:`pii_tagger.archive.eventtime`: ISO
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

from .. import _native
from ..rules import REDACTING_ACTIONS
from .files import MAX_LINE, Chunk, ReadCounts, expand, map_chunks, read_chunks

BUCKETS = {"minute": 16, "hour": 13, "day": 10}  # the width of the bucket names
NO_TAGS = -1  # in the cube: an event without pii_categories (as the native core counts it)
_K = TypeVar("_K")
MAX_SOURCES = 10_000  # sources come from the logs: past this many in a chunk, the rest are counted as one
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
    long_lines: int = 0  # over 1 MiB: not events
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
        self.long_lines += other.long_lines
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
            "lines_over_1MiB": self.long_lines,
            "events_by_category": rows(self.by_category(), ("category", "events")),
            "redactions_by_category": rows(self.redactions_by_category(), ("category", "redactions")),
            "events_by_source": rows(self.by_source(), ("source", "category", "events")),
            "redactions_by_path": rows(self.redactions, ("path", "category", "action", "count")),
            "events_by_time": [
                {"bucket": b, "category": c, "events": n} for (b, c), n in sorted(self.by_time().items())
            ],
            "problems": self.problems,
        }


# ---- a chunk, in a worker ---------------------------------------------------------


def stats_chunk(chunk: Chunk) -> Stats:
    """One chunk of lines (in a worker process), bucketed as ``_set_bucket`` said."""
    chunk = chunk.load()
    return count_chunk(chunk.data, chunk.cut, _width)


def count_chunk(data: bytes, cut: Sequence[int], width: int) -> Stats:
    """The stats of whole lines (``cut``: indexes of the lines cut at
    ``MAX_LINE``, which are not events), counted by the native core."""
    lines, events, not_json, untagged, no_time, cube, sources, redactions = _native.stats_chunk(
        data, list(cut), width, MAX_SOURCES, OTHER_SOURCES)
    stats = Stats(lines=lines, events=events, not_json=not_json, untagged=untagged, no_time=no_time, long_lines=len(cut))
    stats.cube.update({(bucket, source, category): n for bucket, source, category, n in cube})
    stats.sources.update(dict(sources))
    stats.redactions.update({(path, category, action): n for path, category, action, n in redactions})
    return stats


def count_lines(lines: Iterable[bytes], width: int) -> Stats:
    """The stats of some lines (each without its ending), as a file of them would give."""
    data, cut = _native.bound_lines(b"".join(line + b"\n" for line in lines), MAX_LINE)
    return count_chunk(data, cut, width)


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
