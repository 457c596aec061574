"""SRE tools, one run, on a generated ~400 MB JSON-lines archive (tagged by a
real Redactor with summary=True; ten days of the same traffic, ~40 MB a day):

* `query --category 11` in 1 and 2 processes, against jq doing the same selection;
* `stats` in 1 and 2 processes, against DuckDB computing the same counts
  (checked equal first) and jq counting events by category;
* peak memory of the `stats`, `query` and `scan` commands on one day (~40 MB)
  and on all of the archive (~400 MB).

    pip install '.[bench]' && pytest benchmarks/test_bench_sre.py --benchmark-only -s

Each timed figure is in MB/s of input in ``extra_info`` and printed (median
and minimum); the archive is read once before, so it is in the page cache.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from events import clean_event, mixed_event

from pii_tagger import Hasher, Redactor
from pii_tagger.archive.query import Selection, run
from pii_tagger.archive.stats import collect

DAYS = 10
SERVICES = ["billing", "crm", "portal", "auth"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    redactor = Redactor(hasher=Hasher({"bench": "benchmark-key-0123456789"}), summary=True)
    rng = random.Random(5)
    lines = []
    for i in range(70_000):
        event = redactor.redact(clean_event(i) if rng.random() < 0.7 else mixed_event(i))
        event["service"] = rng.choice(SERVICES)
        event["timestamp"] = event["timestamp"].replace("T10:", f"T{8 + i * 10 // 70_000:02d}:")
        lines.append(orjson.dumps(event))
    day = b"\n".join(lines) + b"\n"
    path = tmp_path_factory.mktemp("sre") / "archive.log"
    with path.open("wb") as f:
        for d in range(DAYS):
            f.write(day.replace(b'"2026-11-25T', f'"2026-11-{16 + d:02d}T'.encode()))
    (path.parent / "one_day.log").write_bytes(day)
    path.read_bytes()  # into the page cache
    return path


def _rate(benchmark: Any, size: int, label: str) -> None:
    if benchmark.stats is None:  # --benchmark-disable: run once, untimed; no figure to report
        return
    median, fastest = benchmark.stats.stats.median, benchmark.stats.stats.min
    benchmark.extra_info.update({"MB": round(size / 1e6), "MB/s": round(size / 1e6 / median, 1),
                                 "MB/s at best": round(size / 1e6 / fastest, 1)})
    print(f"\n{label}: {size / 1e6:.0f} MB in {median:.2f} s = {size / 1e6 / median:.1f} MB/s "
          f"(fastest round {fastest:.2f} s = {size / 1e6 / fastest:.1f} MB/s)")


def _query(path: Path, jobs: int) -> int:
    return sum(r.selected for r in run([str(path)], Selection(categories=frozenset({11})), jobs=jobs))


@pytest.mark.parametrize("jobs", [1, 2], ids=["1 process", "2 processes"])
def test_query_category(benchmark: Any, archive: Path, jobs: int) -> None:
    benchmark.group = "query --category 11"
    selected = benchmark.pedantic(lambda: _query(archive, jobs), rounds=3, iterations=1)
    assert selected > 0
    _rate(benchmark, archive.stat().st_size, f"query, {jobs} process(es)")


def _jq(program: str, path: Path, *options: str) -> bytes:
    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed here")
    return subprocess.run([jq, *options, program, str(path)], capture_output=True, check=True).stdout


def test_query_category_jq(benchmark: Any, archive: Path) -> None:
    benchmark.group = "query --category 11"
    out = benchmark.pedantic(lambda: _jq("select(any(.pii_categories[]?; . == 11))", archive, "-c"), rounds=3, iterations=1)
    assert out.count(b"\n") == _query(archive, 1)
    _rate(benchmark, archive.stat().st_size, "jq select")


@pytest.mark.parametrize("jobs", [1, 2], ids=["1 process", "2 processes"])
def test_stats(benchmark: Any, archive: Path, jobs: int) -> None:
    benchmark.group = "stats"
    stats = benchmark.pedantic(lambda: collect([str(archive)], jobs=jobs), rounds=3, iterations=1)
    assert stats.events == stats.lines
    _rate(benchmark, archive.stat().st_size, f"stats, {jobs} process(es)")


def test_stats_duckdb(benchmark: Any, archive: Path) -> None:
    benchmark.group = "stats"
    pytest.importorskip("duckdb", reason="pip install '.[bench]' for the DuckDB comparison")
    from duckdb_stats import stats_duckdb

    ours = collect([str(archive)])
    theirs = stats_duckdb(str(archive))
    assert (theirs.lines, theirs.events, theirs.untagged, theirs.no_time, theirs.cube, theirs.redactions) == (
        ours.lines, ours.events, ours.untagged, ours.no_time, ours.cube, ours.redactions)
    benchmark.pedantic(lambda: stats_duckdb(str(archive)), rounds=3, iterations=1)
    _rate(benchmark, archive.stat().st_size, "DuckDB, same stats")


def test_stats_jq_by_category(benchmark: Any, archive: Path) -> None:
    benchmark.group = "stats"
    program = 'reduce (inputs | .pii_categories[]?) as $c ({}; .[$c | tostring] += 1)'
    out = benchmark.pedantic(lambda: _jq(program, archive, "-n", "-c"), rounds=1, iterations=1)
    assert orjson.loads(out) == {str(c): n for c, n in collect([str(archive)]).by_category().items() if c}
    _rate(benchmark, archive.stat().st_size, "jq, events by category only")


@pytest.mark.parametrize("command", ["stats", "query", "scan"])
def test_memory_stays_flat(archive: Path, command: str) -> None:
    """Peak RSS of the command (MB) on one day (~40 MB) and on ten (~400 MB): equal within noise."""
    args = {"stats": [], "query": ["-c", "11"], "scan": []}[command]

    def peak(path: Path) -> float:
        code = (
            "import resource, subprocess, sys; "
            f"subprocess.run([sys.executable, '-m', 'pii_tagger.cli.main', '{command}', '--jobs', '1', *{args!r}, {str(path)!r}], "
            "stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        return int(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout) / 1024

    small, large = peak(archive.parent / "one_day.log"), peak(archive)
    print(f"\n{command}: peak RSS {small:.0f} MB on {(archive.parent / 'one_day.log').stat().st_size / 1e6:.0f} MB, "
          f"{large:.0f} MB on {archive.stat().st_size / 1e6:.0f} MB")
    assert large < small * 1.2 + 5
