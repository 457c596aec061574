"""The archive scanner behind ``pii-tagger scan``: finds personal data left
unmasked in logs that were already written.

Inputs are files, directories (recursively), ``.gz`` files and stdin; a
chunk of lines is checked by the native core in one call (``Engine.check_chunk``):
JSON-object lines field by field (every value of a key written twice), any
other line as text. Reading streams in chunks of lines, so memory stays flat
whatever the size; with ``jobs > 1`` chunks are scanned by worker processes,
a bounded number in flight, and results are merged in input order. Our own
masks and hash tokens are never reported.

Bad input is counted, not fatal: lines with NUL bytes (binary) are read like
any other and counted, lines that are not UTF-8 are scanned with replacement
characters, lines longer than 1 MiB (``logfiles.MAX_LINE``) are scanned up to
it, a truncated ``.gz`` is read up to where it breaks, unreadable files are
reported. The report says how much could not be read.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine import Redactor
from ..rules import RuleSet, load_rules
from ..security.guard import ScanOptions, make_guard
from .files import Chunk, ReadCounts, expand, map_chunks, read_chunks


@dataclass(frozen=True, slots=True)
class Leak:
    """One finding: where it is and what it is, never the value."""

    file: str
    line: int
    category: int
    rule: str
    path: str  # the field path in a JSON line; "message" for plain text


@dataclass(slots=True)
class Report(ReadCounts):
    """What a scan found and what it could not read."""

    lines: int = 0
    leaky_lines: int = 0
    leaks_total: int = 0
    by_rule: Counter[tuple[int, str]] = field(default_factory=Counter)
    by_file: Counter[str] = field(default_factory=Counter)
    leaks: list[Leak] = field(default_factory=list)  # the first ``max_details``
    not_utf8_lines: int = 0
    binary_lines: int = 0  # with NUL bytes: read like any other
    seconds: float = 0.0

    @property
    def unread(self) -> bool:
        """Some input was not read, or not wholly: the scan is incomplete."""
        return bool(self.problems or self.long_lines)

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
                "long_lines": self.long_lines,
                "problems": self.problems,
            },
            "binary_lines": self.binary_lines,
            "not_utf8_lines_scanned_with_replacement": self.not_utf8_lines,
        }


@dataclass(slots=True)
class ChunkResult:
    first: bool = False  # the input's first chunk: its lines are numbered from 1
    lines: int = 0
    leaky_lines: int = 0
    not_utf8: int = 0
    binary: int = 0
    long_lines: int = 0
    leaks: list[Leak] = field(default_factory=list)  # lines numbered from 1 in the chunk


# ---- scanning lines (in the worker) ----------------------------------------------

_redactor: Redactor | None = None


def _worker_init(options: ScanOptions, rules: RuleSet) -> None:
    global _redactor
    _redactor = make_guard(options, rules).redactor


def scan_chunk(chunk: Chunk) -> ChunkResult:
    """One chunk, with the redactor made by ``_worker_init`` in this process."""
    assert _redactor is not None
    return find_leaks(_redactor, chunk)


def find_leaks(redactor: Redactor, chunk: Chunk) -> ChunkResult:
    """The leaks in one chunk of lines (one native call), and how its lines were read."""
    targets = redactor.targets
    chunk = chunk.load()
    counts, found = redactor.check_chunk(chunk.data, list(chunk.cut))
    leaks = [Leak(chunk.file, line + 1, targets[t].category, targets[t].rule, path) for line, t, path in found]
    return ChunkResult(chunk.first, counts.lines, len({line for line, _, _ in found}), counts.not_utf8, counts.binary,
                       counts.cut, leaks)


# ---- the scan ---------------------------------------------------------------------


def scan(
    paths: Sequence[str],
    options: ScanOptions = ScanOptions(),
    *,
    jobs: int = 1,
    max_details: int = 1000,
    progress: Callable[[int, Report], None] | None = None,
    rules: RuleSet | None = None,
) -> Report:
    """Scan ``paths``; ``jobs`` worker processes (1: in this process).
    ``rules``: already loaded from ``options.rule_files`` (read once here
    otherwise, and handed to the workers, which only compile them)."""
    rules = rules if rules is not None else load_rules(options.rule_files)
    report = Report()
    started = time.perf_counter()

    def advanced(n: int) -> None:
        if progress is not None:
            progress(n, report)

    chunks = (chunk for name in expand(paths, report) for chunk in read_chunks(name, report, advanced))
    _merge(report, map_chunks(scan_chunk, chunks, jobs, _worker_init, (options, rules)), max_details)
    report.seconds = time.perf_counter() - started
    return report


def numbered(leaks: Iterable[Leak], before: int) -> list[Leak]:
    """Leaks with lines numbered in their chunk, numbered in their input
    (``before``: the input's lines before the chunk)."""
    return [dataclasses.replace(leak, line=before + leak.line) for leak in leaks]


def _merge(report: Report, results: Iterable[ChunkResult], max_details: int) -> None:
    """Results in input order, their lines numbered in their input."""
    before = 0  # lines of the input before this chunk
    for result in results:
        before = 0 if result.first else before
        report.lines += result.lines
        report.leaky_lines += result.leaky_lines
        report.not_utf8_lines += result.not_utf8
        report.binary_lines += result.binary
        report.long_lines += result.long_lines
        report.leaks_total += len(result.leaks)
        for leak in result.leaks:
            report.by_rule[leak.category, leak.rule] += 1
            report.by_file[leak.file] += 1
        room = max_details - len(report.leaks)
        if room > 0:
            report.leaks.extend(numbered(result.leaks[:room], before))
        before += result.lines
