"""Redact, scan and summarise on Apache Spark, with the command line's results.

``pip install 'pii-tagger[spark]'`` (PySpark, PyArrow, pandas), and the same
package on every executor. The work runs in ``mapInArrow`` tasks
(:mod:`pii_tagger.archive.spark_batches`) on the native engine, one engine per
Python worker process, built from the policy, rules and hash keys given here.

* :func:`redact`: JSON-string, struct and map columns redacted, and the
  row's categories in a ``pii_categories`` column;
* :func:`scan`: the findings in such columns, as a DataFrame (never a value);
* :func:`scan_files`: ``pii-tagger scan`` over JSON-lines, plain-text and
  ``.gz`` archives anywhere Spark reads files: findings, counts per file,
  and the command line's :class:`~pii_tagger.archive.scan.Report`;
* :func:`stats` and :func:`stats_files`: ``pii-tagger stats``'s counts as
  DataFrames, and its :class:`~pii_tagger.archive.stats.Stats`.

Bad input is counted, never fatal. A task that fails is retried by Spark and
the retry is reported (``retried``); a job that still fails raises
:class:`SparkJobError` and no report is made from part of the input.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

try:
    import pyarrow as pa
    from pyspark.errors import AnalysisException
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(f"pii_tagger.spark needs PySpark and PyArrow ({exc.name} is missing): "
                      "pip install 'pii-tagger[spark]'") from exc

from ..actions import Hasher
from ..engine import CATEGORIES_KEY, Redactor
from ..policy import Policy
from ..rules import REDACTING_ACTIONS, RuleSet, load_rules
from ..security.guard import ScanOptions, make_guard
from .scan import Leak, Report
from .stats import NO_TAGS, Stats, bucket_width
from .spark_batches import (
    FILES_DDL,
    FINDINGS_DDL,
    STATS_DDL,
    TOTALS,
    HashKeys,
    RedactJob,
    ScanJob,
    StatsJob,
    redact_batches,
    scan_batches,
    scan_file_counts,
    scan_file_findings,
    stats_file_counts,
    stats_lines,
)

__all__ = ["ArchiveScan", "SparkJobError", "SparkStats", "redact", "scan", "scan_files", "session", "stats", "stats_files"]

_J = TypeVar("_J")
_R = TypeVar("_R")


class SparkJobError(RuntimeError):
    """A Spark job failed after Spark's retries: nothing was made of part of the input."""


class _Task:
    """A batch function and its job, as Spark pickles them into tasks; named in
    query plans, and its repr holds no key."""

    def __init__(self, name: str, function: Callable[[_J, Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]], job: _J) -> None:
        self.__name__ = name
        self.function = function
        self.job = job

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return self.function(self.job, batches)

    def __repr__(self) -> str:
        return f"<{self.__name__}>"


def session(master: str | None = None, conf: Sequence[tuple[str, str]] = (), *, name: str = "pii-tagger") -> tuple[SparkSession, bool]:
    """The active Spark session, or a new one (then True: the caller stops it).
    Run locally, the Python workers are this Python unless ``PYSPARK_PYTHON`` says otherwise."""
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    if (master or "local").startswith("local") and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(name)
    if master:
        builder = builder.master(master)
    for key, value in conf:
        builder = builder.config(key, value)
    return builder.getOrCreate(), True


# ---- redact and scan DataFrame columns ----------------------------------------------


def redact(
    df: DataFrame,
    columns: str | Sequence[str],
    *,
    policy: Policy | None = None,
    rule_files: Sequence[str | Path] = (),
    rules: RuleSet | None = None,
    hasher: Hasher | None = None,
    summary: bool = False,
    tags: str = CATEGORIES_KEY,
) -> DataFrame:
    """``df`` with ``columns`` redacted and each row's categories in ``tags``.

    A string column holds log lines: a JSON object is redacted and written as
    ``pii-tagger redact`` writes it (its own ``pii_categories`` included, and
    ``pii_redactions`` with ``summary``); other text is redacted as the
    command line redacts a plain-text line, and stays text. A struct or map
    column is an event: its field names count (a ``phone`` field is a phone).
    A value that cannot stay in its type (a phone number stored as a number)
    is null, and a dropped field is null; the categories say what was there.

    The rules are read here, on the driver (rule files need not exist on the
    executors); ``hasher`` defaults to ``PII_TAGGER_HASH_KEY`` in the driver's
    environment. The keys travel inside the tasks (enable Spark's RPC
    encryption on a shared cluster) and are never in a repr nor in a query plan.
    An existing ``tags`` column of integer arrays is merged into (redacting
    again keeps what was found before).
    """
    kinds = _kinds(df, columns)
    rules = rules if rules is not None else load_rules(rule_files)
    policy = policy or Policy()
    hasher = hasher or Hasher.from_env()
    Redactor(policy, rules=rules, hasher=hasher)  # a policy that names an unknown rule fails here, not on an executor
    schema = df.schema
    if tags in (name for name, _ in kinds):
        raise ValueError(f"the tags column {tags!r} is one of the columns to redact; name another with tags=")
    if tags in schema.fieldNames():
        existing = schema[tags].dataType
        if not (isinstance(existing, T.ArrayType) and isinstance(existing.elementType, T.IntegerType | T.LongType | T.ShortType)):
            raise TypeError(f"column {tags!r} exists and is {existing.simpleString()}, not an array of integers; "
                             "name another tags column with tags=")
        out = schema
    else:
        out = T.StructType([*schema.fields, T.StructField(tags, T.ArrayType(T.IntegerType(), containsNull=False), False)])
    job = RedactJob(policy, rules, HashKeys(hasher.secrets()), summary, kinds, tags)
    return df.mapInArrow(_Task("pii_tagger_redact", redact_batches, job), out)


def scan(
    df: DataFrame,
    columns: str | Sequence[str],
    *,
    rule_files: Sequence[str | Path] = (),
    actions: Mapping[int, str] | None = None,
    file: str | None = None,
    line: str | None = None,
) -> DataFrame:
    """The findings in ``columns`` (read as :func:`redact` reads them): one row
    each with ``file`` and ``line`` (from the columns so named, else null),
    ``column``, ``category``, ``rule``, ``path`` and ``kind`` (``leak``, or
    ``unchecked`` where a bound stopped the check); never a value.
    ``actions``: category overrides, as ``pii-tagger scan --action``."""
    kinds = _kinds(df, columns)
    options, rules = _scanner(rule_files, actions)
    selected = [F.col(_quoted(name)) for name, _ in kinds]
    for given, alias in ((file, "__pii_file"), (line, "__pii_line")):
        if given is not None:
            _field(df, given)
            selected.append(F.col(_quoted(given)).cast("string" if alias == "__pii_file" else "long").alias(alias))
    job = ScanJob(options, rules, kinds, "__pii_file" if file else None, "__pii_line" if line else None)
    return df.select(*selected).mapInArrow(_Task("pii_tagger_scan", scan_batches, job), FINDINGS_DDL)


def _scanner(rule_files: Sequence[str | Path], actions: Mapping[int, str] | None) -> tuple[ScanOptions, RuleSet]:
    options = ScanOptions(tuple(str(r) for r in rule_files), tuple((actions or {}).items()))
    rules = load_rules(rule_files)
    make_guard(options, rules)  # a bad policy fails here, naming what is wrong
    return options, rules


def _field(df: DataFrame, name: str) -> T.DataType:
    names = df.schema.fieldNames()
    if name not in names:
        raise ValueError(f"no column {name!r}; the columns are {', '.join(names)}")
    return df.schema[name].dataType


def _kinds(df: DataFrame, columns: str | Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(column, kind): ``json`` for strings, ``struct``, ``map``; a clear error for anything else."""
    names = [columns] if isinstance(columns, str) else list(columns)
    if not names:
        raise ValueError("no columns given")
    if len(set(df.schema.fieldNames())) != len(df.schema.fieldNames()):
        raise ValueError("the frame has two columns of one name; rename one first")
    kinds = []
    for name in dict.fromkeys(names):
        kind = _field(df, name)
        if isinstance(kind, T.StringType):
            kinds.append((name, "json"))
        elif isinstance(kind, T.StructType):
            kinds.append((name, "struct"))
        elif isinstance(kind, T.MapType) and isinstance(kind.keyType, T.StringType):
            kinds.append((name, "map"))
        else:
            raise TypeError(f"column {name!r} is {kind.simpleString()}: only JSON strings (log lines), structs "
                             "and maps with string keys are read")
    return tuple(kinds)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# ---- archives -----------------------------------------------------------------------


class _Archive:
    """The files under ``paths`` as Spark lists them (``binaryFile``, recursively),
    each with the index of the argument it was found under."""

    def __init__(self, spark: SparkSession, paths: str | Sequence[str]) -> None:
        paths = [paths] if isinstance(paths, str) else list(paths)
        if not paths:
            raise ValueError("no paths given")
        self.spark = spark
        self.paths = paths
        self.arguments = tuple((p, _local(p)) for p in self.paths)
        self.problems: dict[int, str] = {}
        frames = []
        for argument, path in enumerate(self.paths):
            try:
                listed = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(path)
            except AnalysisException as exc:
                self.problems[argument] = _listing_problem(path, exc)
                continue
            frames.append(listed.select(F.lit(argument).cast("int").alias("argument"), "path", "content"))
        self.frame: DataFrame | None = functools.reduce(DataFrame.unionByName, frames) if frames else None

    def map(self, name: str, function: Callable[[_J, Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]], job: _J,
            schema: str) -> DataFrame:
        if self.frame is None:
            return self.spark.createDataFrame([], schema)
        return self.frame.mapInArrow(_Task(name, function, job), schema)

    def in_order(self, rows: list[Any]) -> Iterator[tuple[str | None, list[Any]]]:
        """Per argument, in the order given: its listing problem, and its rows
        in the command line's order (a directory's files before its subdirectories, by name)."""
        rows = sorted(rows, key=lambda r: (r.argument, _walk_order(r.path)))
        for argument in range(len(self.paths)):
            yield self.problems.get(argument), [r for r in rows if r.argument == argument]


def _local(path: str) -> str | None:
    """The absolute local path of an argument without a scheme (Spark's ``file:``
    paths are named as the command line names them); None for a URI."""
    return None if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) else os.path.abspath(path)


def _walk_order(path: str) -> list[tuple[int, str]]:
    """``os.walk`` order, as ``pii-tagger`` reads a directory: at each level, files before directories, by name."""
    parts = path.split("/")
    return [(1, part) for part in parts[:-1]] + [(0, parts[-1])]


def _listing_problem(path: str, exc: AnalysisException) -> str:
    condition = _condition(exc)
    if condition == "PATH_NOT_FOUND":
        return f"{path}: cannot read ({os.strerror(2)}); skipped"  # as the command line says it
    return f"{path}: cannot be listed ({condition})"


def _condition(exc: BaseException) -> str:
    """Spark's error condition (``FAILED_READ_FILE.FILE_NOT_EXIST``), else the
    exception's type: never the message, which may quote data."""
    getter = getattr(exc, "getCondition", None)
    condition = getter() if callable(getter) else None
    if not condition:
        found = re.search(r"\[([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*)\]", str(exc))
        condition = found.group(1) if found else type(exc).__name__
    return str(condition)


def _run(what: str, action: Callable[[], _R]) -> _R:
    try:
        return action()
    except Exception as exc:
        raise SparkJobError(f"the Spark job that {what} failed after Spark's retries ({_condition(exc)}); "
                            "nothing was made of part of the input; the driver's log says more") from exc


class ArchiveScan:
    """``pii-tagger scan`` on Spark: see :func:`scan_files`. Each of
    :attr:`findings`, :attr:`files` and :meth:`report` reads the archive."""

    def __init__(self, archive: _Archive, job: ScanJob) -> None:
        self._archive = archive
        self._job = job
        self.retried = 0  # files read by a retried task in the last report()

    @property
    def findings(self) -> DataFrame:
        """One row per finding: file, line, column (null), category, rule, path, kind; never a value."""
        return self._archive.map("pii_tagger_scan_files", scan_file_findings, self._job, FINDINGS_DDL)

    @property
    def files(self) -> DataFrame:
        """One row per file: what the report adds up, with its first ``max_details`` leaks."""
        return self._archive.map("pii_tagger_scan_files", scan_file_counts, self._job, FILES_DDL)

    def report(self) -> Report:
        """The command line's report (:meth:`~pii_tagger.archive.scan.Report.as_dict`
        equals ``pii-tagger scan --format json``'s). Raises :class:`SparkJobError`."""
        started = time.perf_counter()
        rows = _run("scanned the archive", self.files.collect)
        report = Report()
        room = self._job.max_details
        for problem, files in self._archive.in_order(rows):
            report.problems += [problem] if problem else []
            for row in files:
                report.files += 1
                report.lines += row.lines
                report.bytes += row.bytes
                report.leaky_lines += row.leaky_lines
                report.leaks_total += row.leaks
                report.not_utf8_lines += row.not_utf8_lines
                report.binary_lines += row.binary_lines
                report.long_lines += row.long_lines
                report.problems += row.problems
                for rule in row.by_rule:
                    report.by_rule[rule.category, rule.rule] += rule["count"]  # (rule.count is a tuple method)
                if row.leaks:
                    report.by_file[row.file] += row.leaks
                shown = [Leak(row.file, d.line, d.category, d.rule, d.path) for d in row.details[: room - len(report.leaks)]]
                report.leaks += shown
        self.retried = sum(1 for r in rows if r.attempt > 0)
        report.seconds = time.perf_counter() - started
        return report


def scan_files(
    spark: SparkSession,
    paths: str | Sequence[str],
    *,
    rule_files: Sequence[str | Path] = (),
    actions: Mapping[int, str] | None = None,
    max_details: int = 1000,
) -> ArchiveScan:
    """``pii-tagger scan`` of the files under ``paths`` (local paths, or any URI
    Spark reads: ``s3a://``, ``hdfs://``, ``abfss://``; globs too), each file
    read whole by one task and scanned by the command line's code: JSON lines
    and plain text, ``.gz`` by content, bad lines counted. Spark skips files
    whose names start with ``_`` or ``.``. A path that does not exist is a
    problem in the report, as on the command line."""
    if max_details < 0:
        raise ValueError("max_details takes a number >= 0")
    options, rules = _scanner(rule_files, actions)
    archive = _Archive(spark, paths)
    return ArchiveScan(archive, ScanJob(options, rules, arguments=archive.arguments, max_details=max_details))


# ---- stats --------------------------------------------------------------------------


class SparkStats:
    """``pii-tagger stats``'s counts as DataFrames, and :meth:`collect` for its
    :class:`~pii_tagger.archive.stats.Stats`. Each DataFrame reads the input again
    (``persist()`` one to keep it)."""

    def __init__(self, rows: DataFrame, archive: _Archive | None = None) -> None:
        self.rows = rows  # kind, a, b, category, n, argument, path: see spark_batches.STATS_ROWS
        self._archive = archive
        self.retried = 0  # tasks retried in the last collect()

    def _kind(self, kind: str) -> DataFrame:
        return self.rows.where(F.col("kind") == kind)

    def _tagged(self, key: str, alias: str) -> DataFrame:
        keys = [F.col(key).alias(alias)] if key else []
        cube = self._kind("cube").where(F.col("category") != NO_TAGS)
        return cube.groupBy(*keys, "category").agg(F.sum("n").alias("events"))

    @property
    def by_category(self) -> DataFrame:
        """category, events (0: events tagged with none)."""
        return self._tagged("", "")

    @property
    def by_source(self) -> DataFrame:
        """source, category, events."""
        return self._tagged("b", "source")

    @property
    def by_time(self) -> DataFrame:
        """bucket, category, events (bucket ``-``: events without a usable time)."""
        return self._tagged("a", "bucket")

    @property
    def by_path(self) -> DataFrame:
        """path, category, action, count: the values acted on, from ``pii_redactions``."""
        redactions = self._kind("redaction")
        return redactions.groupBy(F.col("a").alias("path"), "category", F.col("b").alias("action")).agg(F.sum("n").alias("count"))

    @property
    def redactions_by_category(self) -> DataFrame:
        """category, redactions (masked, hashed or dropped: not kept nor audited)."""
        acted = self._kind("redaction").where(F.col("b").isin(*sorted(REDACTING_ACTIONS)))
        return acted.groupBy("category").agg(F.sum("n").alias("redactions"))

    @property
    def totals(self) -> DataFrame:
        """One row: files, lines, events, not_json, untagged, no_time, tagged."""
        pivoted = self._kind("total").groupBy().pivot("a", list(TOTALS)).agg(F.sum("n"))
        return pivoted.withColumn("tagged", F.col("events") - F.col("untagged"))

    def collect(self) -> Stats:
        """The command line's :class:`~pii_tagger.archive.stats.Stats` (its ``as_dict()``
        is ``pii-tagger stats --format json``). Raises :class:`SparkJobError`."""
        grouped = self.rows.groupBy("kind", "a", "b", "category", "argument", "path").agg(F.sum("n").alias("n"))
        rows = _run("counted the logs", grouped.collect)
        stats = Stats()
        problems = []
        self.retried = 0
        for r in rows:
            if r.kind == "total":
                setattr(stats, r.a, getattr(stats, r.a) + r.n)
            elif r.kind == "cube":
                stats.cube[r.a, r.b, r.category] += r.n
            elif r.kind == "redaction":
                stats.redactions[r.a, r.category, r.b] += r.n
            elif r.kind == "source":
                stats.sources[r.a] += r.n
            elif r.kind == "problem":
                problems.append(r)
            elif r.kind == "retried":
                self.retried += r.n
        if self._archive is not None:
            for problem, files in self._archive.in_order(sorted(problems, key=lambda r: r.n)):
                stats.problems += [problem] if problem else []
                stats.problems += [r.a for r in files]
        return stats


def stats(df: DataFrame, column: str = "value", *, bucket: str = "hour") -> SparkStats:
    """``pii-tagger stats`` over a column of log lines (strings or bytes:
    ``spark.read.text(path)``'s ``value``; a table's column of JSON events)."""
    kind = _field(df, column)
    if not isinstance(kind, T.StringType | T.BinaryType):
        raise TypeError(f"column {column!r} is {kind.simpleString()}: stats reads lines (strings or bytes)")
    job = StatsJob(bucket_width(bucket), column)
    return SparkStats(df.select(column).mapInArrow(_Task("pii_tagger_stats", stats_lines, job), STATS_DDL))


def stats_files(spark: SparkSession, paths: str | Sequence[str], *, bucket: str = "hour") -> SparkStats:
    """``pii-tagger stats`` over the files under ``paths`` (as :func:`scan_files`
    reads them): the same counts, files and problems as the command line's."""
    width = bucket_width(bucket)
    archive = _Archive(spark, paths)
    job = StatsJob(width, arguments=archive.arguments)
    return SparkStats(archive.map("pii_tagger_stats_files", stats_file_counts, job, STATS_DDL), archive)
