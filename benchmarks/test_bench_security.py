"""Security tools, one run: the export-edge guard per rendered line, and the
archive scanner's throughput on a realistic ~200 MB JSON-lines log (in the page cache).

    pytest benchmarks/test_bench_security.py --benchmark-only --benchmark-group-by=group

The scanner's figure is MB/s per core (jobs=1), in ``extra_info`` and printed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from events import bench_fresh, clean_event, mixed_event

from pii_tagger import Hasher, Redactor
from pii_tagger.alerts import Alerter
from pii_tagger.archive.scan import scan
from pii_tagger.security.guard import ScanOptions
from pii_tagger.guard import LeakGuard

HASHER = Hasher({"bench": "benchmark-key-0123456789"})
REDACTOR = Redactor(hasher=HASHER)


def _rendered(factory: Any, redacted: bool = True) -> Callable[[int], str]:
    return lambda i: orjson.dumps(REDACTOR.redact(factory(i)) if redacted else factory(i)).decode()


def _text_line(i: int) -> str:
    return (f"2026-11-25 10:{i // 60 % 60:02d}:{i % 60:02d},{i * 7 % 1000:03d} INFO api.http "
            f"request finished in {i * 13 % 900} ms status=200 route=/api/v2/invoices/{{id}}")


KINDS = {
    "clean JSON line": _rendered(clean_event),
    "redacted JSON line (masks, tokens)": _rendered(mixed_event),
    "leaking JSON line (redacted and alerted)": _rendered(mixed_event, redacted=False),
    "clean plain-text line": _text_line,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_guard_line(benchmark: Any, kind: str) -> None:
    """Each round's line rendered just before it (untimed), as a service writes it."""
    benchmark.group = "export-edge guard, per rendered line"
    guard = LeakGuard(Redactor(hasher=HASHER), alerts=Alerter([], hasher=HASHER))  # its own, as LeakGuard() makes
    bench_fresh(benchmark, guard.check_line, KINDS[kind])


ARCHIVE_LINES = 600_000  # ~200 MB


@pytest.fixture(scope="module")
def archive_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~200 MB as services write it: redacted events, 1 in 200 leaking, some plain text;
    every line with ids, times and numbers of its own (nothing repeats)."""
    path = tmp_path_factory.mktemp("archive") / "app.log"
    rng = random.Random(11)
    with path.open("wb") as f:
        for i in range(ARCHIVE_LINES):
            roll = rng.random()
            if roll < 0.005:
                event = mixed_event(i)  # a leak: written without redaction
            else:
                event = REDACTOR.redact(clean_event(i) if roll < 0.7 else mixed_event(i))
            if roll > 0.97:
                f.write(f"2026-11-25 10:00:{i % 60:02d},123 WARNING urllib3 retrying request {i} after timeout\n".encode())
            else:
                f.write(orjson.dumps(event) + b"\n")
    path.read_bytes()  # into the page cache
    return path


@pytest.mark.parametrize("jobs", [1, 2], ids=["1 process", "2 processes"])
def test_scan_archive(benchmark: Any, archive_log: Path, jobs: int) -> None:
    benchmark.group = "pii-tagger scan, ~200 MB JSON-lines archive"
    size = archive_log.stat().st_size
    report = benchmark.pedantic(lambda: scan([str(archive_log)], ScanOptions(), jobs=jobs), rounds=3, iterations=1)
    assert report.leaks_total > 0 and report.lines == ARCHIVE_LINES
    if benchmark.stats is None:  # --benchmark-disable: run once, untimed; no figure to report
        return
    median, fastest = benchmark.stats.stats.median, benchmark.stats.stats.min
    benchmark.extra_info.update({"MB": round(size / 1e6, 1), "MB/s": round(size / 1e6 / median, 1),
                                 "MB/s at best": round(size / 1e6 / fastest, 1), "jobs": jobs})
    print(f"\nscan, {jobs} job(s): {size / 1e6:.1f} MB in {median:.2f} s = {size / 1e6 / median:.1f} MB/s "
          f"(fastest round {size / 1e6 / fastest:.1f} MB/s)")
