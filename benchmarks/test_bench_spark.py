"""The Spark scan in local mode against `pii-tagger scan`, on one ~25 MB archive
of eight files (two of them .gz): redacted events as services write them, 1 in
200 leaking, some plain text.

    pip install '.[bench]' && pytest benchmarks/test_bench_spark.py --benchmark-only -s

`scan_files(...).report()` in local[1] and local[2] (one Spark application
each, started untimed; one untimed warm-up round, which starts the Python
workers and builds their engines), against `archive.scan` in 1 and 2
processes. Each is checked to report what the other does. MB/s of input in
``extra_info`` and printed.
"""

from __future__ import annotations

import gzip
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from events import clean_event, mixed_event

from pii_tagger import Hasher, Redactor
from pii_tagger.archive import ScanOptions, scan

FILES = 8
REDACTOR = Redactor(hasher=Hasher({"bench": "benchmark-key-0123456789"}))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spark-archive")
    rng = random.Random(15)
    for n in range(FILES):
        lines = []
        for i in range(n * 10_000, (n + 1) * 10_000):
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


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.iterdir())


def _rate(benchmark: Any, size: int, label: str) -> None:
    stats = benchmark.stats.stats
    benchmark.extra_info.update({"MB": round(size / 1e6, 1), "MB/s median": round(size / 1e6 / stats.median, 1),
                                 "MB/s best": round(size / 1e6 / stats.min, 1)})
    print(f"\n{label}: {size / 1e6:.1f} MB on disk, median {stats.median:.2f} s (min {stats.min:.2f} s) = "
          f"{size / 1e6 / stats.median:.1f} MB/s")


@pytest.mark.parametrize("jobs", [1, 2], ids=["1 process", "2 processes"])
def test_local_scan(benchmark: Any, archive: Path, jobs: int) -> None:
    benchmark.group = "scan, ~25 MB in 8 files"
    report = benchmark.pedantic(lambda: scan([str(archive)], ScanOptions(), jobs=jobs), rounds=5, iterations=1)
    assert report.leaks_total > 0
    _rate(benchmark, _size(archive), f"pii-tagger scan, {jobs} process(es)")


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
    report = benchmark.pedantic(lambda: scan_files(spark, [str(archive)]).report(), rounds=5, iterations=1, warmup_rounds=1)
    local = scan([str(archive)], ScanOptions())
    assert report.as_dict() | {"seconds": 0} == local.as_dict() | {"seconds": 0}
    _rate(benchmark, _size(archive), f"scan_files in {master}")
