"""The Spark scan in local mode against `pii-tagger scan`, on one ~25 MB archive
of eight files (two of them .gz): redacted events as services write them, 1 in
200 leaking, some plain text.

    pip install '.[bench]' && pytest benchmarks/test_bench_spark.py --benchmark-only -s

``BENCH_SPARK_EVENTS_PER_FILE=40000`` makes it four times larger: the
difference between the two sizes is the cost of a byte without the fixed
costs of a job. `scan_files(...).report()` in local[1] and local[2] (one Spark application
each, started untimed; one untimed warm-up round, which starts the Python
workers and builds their engines), against `archive.scan` in 1 and 2
processes. Each is checked to report what the other does. MB/s of log
lines (the .gz files' decompressed) by wall time, and by CPU time of this
process and every process under it (the JVM, Spark's Python workers, the
scan's worker processes: what a busy machine disturbs least), in
``extra_info`` and printed.
"""

from __future__ import annotations

import gzip
import os
import random
import statistics
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import orjson
import pytest
from events import clean_event, mixed_event

from pii_tagger import Hasher, Redactor
from pii_tagger.archive.scan import scan
from pii_tagger.security.guard import ScanOptions

FILES = 8
PER_FILE = int(os.environ.get("BENCH_SPARK_EVENTS_PER_FILE", "10000"))  # 40000: ~108 MB, for the cost per byte
_R = TypeVar("_R")
REDACTOR = Redactor(hasher=Hasher({"bench": "benchmark-key-0123456789"}))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spark-archive")
    rng = random.Random(15)
    for n in range(FILES):
        lines = []
        for i in range(n * PER_FILE, (n + 1) * PER_FILE):
            roll = rng.random()
            event = mixed_event(i) if roll < 0.005 else REDACTOR.redact(clean_event(i) if roll < 0.7 else mixed_event(i))
            if roll > 0.97:
                lines.append(f"2026-11-25 10:00:{i % 60:02d},123 WARNING urllib3 retrying request {i} after timeout\n".encode())
            else:
                lines.append(orjson.dumps(event) + b"\n")
        data = b"".join(lines)
        if n % 4 == 3:
            (root / f"app-{n}.log.gz").write_bytes(gzip.compress(data, 6))
        else:
            (root / f"app-{n}.log").write_bytes(data)
    return root


def _tree_cpu() -> float:
    """CPU seconds of this process and every process under it, living or reaped (Linux /proc)."""
    parents: dict[int, int] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)], stats[int(entry)] = int(fields[1]), fields
    tree, grew = {os.getpid()}, True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= below
        grew = bool(below)
    ticks = sum(int(f) for pid in tree if pid in stats for f in stats[pid][11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_measured(work: Callable[[], _R], cpu: list[float]) -> Callable[[], _R]:
    def measured() -> _R:
        before = _tree_cpu()
        result = work()
        cpu.append(_tree_cpu() - before)
        return result

    return measured


def _rate(benchmark: Any, size: int, cpu: list[float], label: str) -> None:
    """MB/s of log lines (the .gz files' decompressed) by wall and by CPU time."""
    if benchmark.stats is None:  # --benchmark-disable: run once, untimed; no figure to report
        return
    stats = benchmark.stats.stats
    cpu_median = statistics.median(cpu)
    benchmark.extra_info.update({"MB": round(size / 1e6, 1), "MB/s median": round(size / 1e6 / stats.median, 1),
                                 "MB/s best": round(size / 1e6 / stats.min, 1), "CPU s median": round(cpu_median, 2),
                                 "MB per CPU s": round(size / 1e6 / cpu_median, 1)})
    print(f"\n{label}: {size / 1e6:.1f} MB of lines, median {stats.median:.2f} s (min {stats.min:.2f} s) = "
          f"{size / 1e6 / stats.median:.1f} MB/s (best {size / 1e6 / stats.min:.1f}); CPU median {cpu_median:.2f} s "
          f"(min {min(cpu):.2f}) = {size / 1e6 / cpu_median:.1f} MB per CPU second")


@pytest.mark.parametrize("jobs", [1, 2], ids=["1 process", "2 processes"])
def test_local_scan(benchmark: Any, archive: Path, jobs: int) -> None:
    benchmark.group = "scan, ~25 MB in 8 files"
    cpu: list[float] = []
    work = _cpu_measured(lambda: scan([str(archive)], ScanOptions(), jobs=jobs), cpu)
    report = benchmark.pedantic(work, rounds=5, iterations=1)
    assert report.leaks_total > 0
    _rate(benchmark, report.bytes, cpu, f"pii-tagger scan, {jobs} process(es)")


@pytest.fixture(params=["local[1]", "local[2]"])
def spark(request: pytest.FixtureRequest) -> Iterator[Any]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master(request.param).config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_scan(benchmark: Any, archive: Path, spark: Any) -> None:
    from pii_tagger.spark import scan_files

    master = spark.sparkContext.master
    benchmark.group = "scan, ~25 MB in 8 files"
    cpu: list[float] = []
    work = _cpu_measured(lambda: scan_files(spark, [str(archive)]).report(), cpu)
    report = benchmark.pedantic(work, rounds=5, iterations=1, warmup_rounds=1)
    local = scan([str(archive)], ScanOptions())
    assert report.as_dict() | {"seconds": 0} == local.as_dict() | {"seconds": 0}
    _rate(benchmark, report.bytes, cpu[1:], f"scan_files in {master}")  # cpu[0]: the warm-up round
