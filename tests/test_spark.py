"""pii_tagger.spark in Spark's local mode (two executor threads, each task tried
twice), against the command line on the same generated archive: the same
report, findings and stats row for row, redacted columns without a planted
value, a retried task reported, a failed job without a report.

One SparkSession for the module (starting one costs 10-30 s), bound to
127.0.0.1 with no UI. Skipped only where there is no Java to run Spark.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from stdnum import iban
from stdnum.lv import pvn

from pii_tagger import Hasher, Redactor
from pii_tagger.security.guard import ScanOptions, make_guard
from pii_tagger.cli.main import main
from pii_tagger.archive.files import MAX_LINE

KEY = "spark-test:a-key-for-these-tests-only-0001"



def _java() -> str | None:
    """Why Spark cannot run here (no Java 17 or later on PATH), or None."""
    if shutil.which("java") is None:
        return "there is no java on PATH"
    said = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60, check=False).stderr
    found = re.search(r'version "(\d+)', said)
    return None if found and int(found.group(1)) >= 17 else f"java is not 17 or later ({said.splitlines()[:1]})"


_NO_JAVA = _java()
pytestmark = pytest.mark.skipif(_NO_JAVA is not None, reason=f"Spark needs Java 17 or later: {_NO_JAVA} (.ci/run installs "
                                "openjdk-17-jre-headless where apt-get can)")


# ---- a generated archive -------------------------------------------------------------

FIRST = ["Jānis", "Anna", "Līga", "Pēteris", "Kristaps", "Ilze", "Mārtiņš", "Inese"]
LAST = ["Bērziņš", "Ozola", "Kalniņš", "Liepa", "Krūmiņš", "Zariņa", "Vītols", "Eglīte"]
ASCII = str.maketrans("āčēģīķļņšūž", "acegiklnsuz")
SERVICES = ["billing", "crm", "portal"]


class People:
    """Planted values, each of its own, and the list of them to look for in output."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.planted: list[str] = []

    def plant(self, value: str) -> str:
        self.planted.append(value)
        return value

    def name(self) -> str:
        return self.plant(f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}")

    def email(self) -> str:
        local = f"{self.rng.choice(FIRST)}.{self.rng.choice(LAST)}{self.rng.randrange(100)}".translate(ASCII).lower()
        return self.plant(f"{local}@{self.rng.choice(['inbox.lv', 'example.lv', 'mail.com'])}")

    def code(self) -> str:
        while True:
            body = f"{self.rng.randrange(1, 29):02d}{self.rng.randrange(1, 13):02d}{self.rng.randrange(50, 99)}-1{self.rng.randrange(1000):03d}"
            for check in "0123456789":
                if pvn.is_valid(body + check):
                    return self.plant(body + check)

    def iban(self) -> str:
        account = f"LV00HABA{self.rng.randrange(10**13):013d}"
        return self.plant(account[:2] + iban.calc_check_digits(account) + account[4:])

    def phone(self) -> str:
        return self.plant(f"+371 2{self.rng.randrange(10**6, 10**7)}")


def _time(rng: random.Random, hour: int) -> str:
    return f"2026-11-25T{hour:02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(10**6):06d}Z"


def raw_events(people: People, n: int) -> Iterator[dict[str, Any]]:
    rng = people.rng
    for i in range(n):
        event: dict[str, Any] = {"timestamp": _time(rng, 8 + i * 4 // n), "service": rng.choice(SERVICES), "level": "info"}
        kind = i % 5
        if kind == 0:
            event.update(event="payment received", iban=people.iban(), amount=round(rng.uniform(1, 900), 2),
                         customer={"name": people.name(), "email": people.email()})
        elif kind == 1:
            event.update(event="customer updated", personal_code=people.code(), phone=people.phone())
        elif kind == 2:
            event.update(event=f"call back {people.phone()} about order ORD-{rng.randrange(10**6)}")
        else:  # look-alikes: ids, versions, amounts, durations
            event.update(event="request finished", duration_ms=rng.randrange(2, 900), version="4.12.0",
                         order_id=f"ORD-{rng.randrange(10**6):06d}", trace_id=f"{rng.getrandbits(128):032x}")
        if i % 17 == 0:
            event["timestamp"] = 1764061200 + i  # epoch seconds, as structlog's TimeStamper() writes
        if i % 23 == 0:
            del event["timestamp"]
        yield event


def _deep(levels: int, leaf: dict[str, Any]) -> dict[str, Any]:
    event = leaf
    for _ in range(levels):
        event = {"step": event}
    return event


def _lines(events: Iterator[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(e) + b"\n" for e in events)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, People]:
    """logs/: JSON lines, plain text, .gz (one cut short), binary, over-long and
    non-UTF-8 lines, a blank one, a nesting past the bound, a non-ASCII name."""
    people = People(15)
    root = tmp_path_factory.mktemp("archive") / "logs"
    (root / "2026" / "11").mkdir(parents=True)
    (root / "app.log").write_bytes(_lines(raw_events(people, 60)) + b"\n" + orjson.dumps(_deep(40, {"email": people.email()})) + b"\n")
    text = [f"2026-11-25 10:00:{i:02d},120 INFO billing: refund to {people.iban()} for {people.name()}" for i in range(8)]
    text += ["2026-11-25 10:01:00,000 INFO http: GET /health 200 3ms", '{"truncated": "json', "[1, 2, 3]"]
    (root / "ziņas.log").write_text("\n".join(text) + "\n", encoding="utf-8")
    with gzip.open(root / "2026" / "11" / "billing.log.gz", "wb") as f:
        f.write(_lines(raw_events(people, 40)))
    whole = gzip.compress(_lines(raw_events(people, 400)))
    (root / "2026" / "11" / "cut.log.gz").write_bytes(whole[: len(whole) // 2])
    bad = b"binary\x00line " + people.code().encode() + b"\n"
    bad += b'{"note": "' + b"x" * (MAX_LINE + 10) + b'"}\n'
    bad += b"\xff\xfe not utf-8: personas kods " + people.code().encode() + b"\n"
    (root / "2026" / "bad.log").write_bytes(bad + _lines(raw_events(people, 10)))
    return root, people


def assert_no_planted(text: str, people: People) -> None:
    assert people.planted
    for value in people.planted:
        assert value not in text, value
        assert value.split(" ")[-1] not in text, value  # the last part alone: a surname, the digits after +371


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pii_tagger.cli.main", *args], capture_output=True, timeout=300, check=False,
                          cwd=cwd, env={**os.environ, "PII_TAGGER_HASH_KEY": KEY})


# ---- the session ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers import this environment's pii_tagger
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2,2]")  # two executor threads; a failed task is tried once more
        .appName("pii_tagger tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "16")  # several batches per task
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("FATAL")  # the failures below are on purpose
    yield session
    session.stop()


# ---- scan -------------------------------------------------------------------------------


def _cli_report(*args: str) -> dict[str, Any]:
    done = cli("scan", "--format", "json", *args)
    assert done.returncode in (1, 3), done.stderr
    report: dict[str, Any] = orjson.loads(done.stdout)
    report.pop("seconds")
    return report


def test_scan_files_report_and_findings_are_the_command_lines(spark: Any, archive: tuple[Path, People]) -> None:
    from pii_tagger.spark import scan_files

    root, people = archive
    paths = [str(root), str(root.parent / "missing.log"), str(root / "app.log")]
    expected = _cli_report("--details", "100000", *paths)
    assert expected["leaks"] > 100 and expected["binary_lines"] == 1 and expected["not_read"]["long_lines"] == 1
    assert expected["not_utf8_lines_scanned_with_replacement"] == 1
    assert any("cut.log.gz: unreadable after line" in p for p in expected["not_read"]["problems"])
    assert any(p.endswith("missing.log: cannot read (No such file or directory); skipped") for p in expected["not_read"]["problems"])
    assert {d["rule"] for d in expected["details"]} >= {"unchecked", "iban", "email"}

    scanned = scan_files(spark, paths, max_details=100000)
    report = scanned.report().as_dict()
    report.pop("seconds")
    assert report == expected
    assert scanned.retried == 0

    findings = scanned.findings.collect()
    rows = sorted((r.file, r.line, r.category, r.rule, r.path) for r in findings)
    assert rows == sorted((d["file"], d["line"], d["category"], d["rule"], d["path"]) for d in expected["details"])
    assert {r.kind for r in findings} == {"leak", "unchecked"}
    assert all((r.kind == "unchecked") == (r.rule == "unchecked") for r in findings)

    first = scan_files(spark, paths, max_details=7).report().as_dict()
    assert first["details"] == _cli_report("--details", "7", *paths)["details"]  # the first seven, in the same order
    assert_no_planted(json.dumps(report) + repr(findings), people)


def test_scan_spark_command_writes_the_local_report(spark: Any, archive: tuple[Path, People],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root, people = archive
    local = cli("scan", str(root))
    assert main(["scan", "--spark", str(root)]) == local.returncode == 1
    table = capsys.readouterr().out
    drop_time = lambda text: text.split("\n", 1)[1]
    assert drop_time(table) == drop_time(local.stdout.decode())
    assert_no_planted(table, people)

    assert main(["scan", "--spark", "--format", "json", "--action", "4=mask", str(root / "app.log")]) == 1
    report = orjson.loads(capsys.readouterr().out)
    report.pop("seconds")
    assert report == _cli_report("--action", "4=mask", str(root / "app.log"))

    assert main(["scan", "--spark", "-"]) == 2
    assert main(["scan", "--spark", "--jobs", "2", str(root)]) == 2
    assert main(["scan", "--master", "local[1]", str(root)]) == 2
    assert "not stdin" in capsys.readouterr().err


def test_a_failed_job_writes_no_report(spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from pii_tagger import spark as on_spark

    people = People(3)
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("a.log", "b.log"):
        (logs / name).write_bytes(_lines(raw_events(people, 5)))
    listed = on_spark.ArchiveScan.report

    def file_gone_after_listing(self: on_spark.ArchiveScan) -> Any:
        (logs / "b.log").unlink()  # as a retention job would, between Spark's listing and its tasks
        return listed(self)

    monkeypatch.setattr(on_spark.ArchiveScan, "report", file_gone_after_listing)
    assert main(["scan", "--spark", "--format", "json", str(logs)]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert "FAILED_READ_FILE" in err and "no report was written" in err
    assert_no_planted(err, people)


# ---- stats ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tagged(archive: tuple[Path, People], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive's JSON lines as `pii-tagger redact --summary` writes them, in files, a .gz and with bad lines."""
    root, _ = archive
    out = tmp_path_factory.mktemp("tagged")
    done = cli("redact", "--summary", str(root / "app.log"), str(root / "2026" / "11" / "billing.log.gz"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines(keepends=True)
    (out / "one.log").write_bytes(b"".join(lines[:50]))
    (out / "sub").mkdir()
    (out / "sub" / "two.log.gz").write_bytes(gzip.compress(b"".join(lines[50:]) + b"not json\n\n"))
    (out / "sub" / "three.log").write_bytes(b"\x00\x01 binary\n" + lines[0])
    return out


def _cli_stats(*args: str) -> dict[str, Any]:
    done = cli("stats", "--format", "json", *args)
    assert done.returncode in (0, 3), done.stderr
    return orjson.loads(done.stdout)  # type: ignore[no-any-return]


def _rows(frame: Any, *names: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(row[n] for n in names) for row in frame.collect())


def test_stats_files_and_their_frames_are_the_command_lines(spark: Any, tagged: Path) -> None:
    from pii_tagger.spark import stats, stats_files

    paths = [str(tagged), str(tagged / "nothing-here")]
    expected = _cli_stats("--bucket", "hour", *paths)
    assert expected["events_by_category"] and expected["redactions_by_path"] and expected["events_without_time"] > 0
    assert expected["not_json_lines"] == 3 and len(expected["problems"]) == 1

    counted = stats_files(spark, paths, bucket="hour")
    counted.rows.persist()
    assert counted.collect().as_dict() == expected
    assert _rows(counted.by_category, "category", "events") == sorted(
        (r["category"], r["events"]) for r in expected["events_by_category"])
    assert _rows(counted.by_source, "source", "category", "events") == sorted(
        (r["source"], r["category"], r["events"]) for r in expected["events_by_source"])
    assert _rows(counted.by_time, "bucket", "category", "events") == sorted(
        (r["bucket"], r["category"], r["events"]) for r in expected["events_by_time"])
    assert _rows(counted.by_path, "path", "category", "action", "count") == sorted(
        (r["path"], r["category"], r["action"], r["count"]) for r in expected["redactions_by_path"])
    assert _rows(counted.redactions_by_category, "category", "redactions") == sorted(
        (r["category"], r["redactions"]) for r in expected["redactions_by_category"])
    totals = counted.totals.collect()[0]
    assert (totals.files, totals.lines, totals.events, totals.tagged, totals.untagged, totals.not_json, totals.no_time) == (
        expected["files"], expected["lines"], expected["events"], expected["tagged_events"],
        expected["untagged_events"], expected["not_json_lines"], expected["events_without_time"])
    counted.rows.unpersist()

    by_day = _cli_stats("--bucket", "day", str(tagged / "one.log"))
    lines = stats(spark.read.text(str(tagged / "one.log")), bucket="day").collect().as_dict()
    assert lines == {**by_day, "files": 0}  # a frame of lines has no files


def test_a_retried_task_is_reported_and_counted_once(spark: Any, tagged: Path) -> None:
    from pyspark import TaskContext
    from pyspark.sql import functions as F

    from pii_tagger.spark import stats

    def first_attempt_fails(line: str) -> str:
        context = TaskContext.get()
        if context is not None and context.attemptNumber() == 0 and context.partitionId() == 0:
            raise RuntimeError("the first attempt of the first task fails on purpose")
        return line

    fails_first = F.udf(first_attempt_fails, "string", useArrow=False)
    lines = spark.read.text(str(tagged / "one.log")).repartition(2)
    counted = stats(lines.select(fails_first("value").alias("value")))
    flaky = counted.collect().as_dict()
    assert counted.retried == 1
    assert flaky == stats(lines).collect().as_dict()


# ---- redact and scan DataFrame columns -----------------------------------------------------


def _table(spark: Any, people: People, n: int) -> tuple[Any, list[dict[str, Any]]]:
    """Rows of an orders table: a log line, a customer struct (a phone stored as
    a number) and a map of attributes, with look-alikes that must survive."""
    rng = people.rng
    rows = []
    for i, event in enumerate(raw_events(people, n)):
        line = orjson.dumps(event).decode() if i % 4 else f"refund to {people.iban()} for {people.name()}"
        rows.append({
            "id": i,
            "line": line,
            "customer": {"name": people.name(), "email": people.email(), "phone": int(people.phone()[5:]),
                         "tier": rng.choice(["gold", "silver"]), "orders": [{"order_id": f"ORD-{i:06d}", "total": 12.5 + i}]},
            "attrs": {"client_ip": people.plant(f"85.254.{rng.randrange(256)}.{rng.randrange(1, 255)}"),
                      "password": people.plant(f"Ziema{rng.randrange(10**6)}!"), "build": "4.12.0"},
        })
    schema = ("id int, line string, customer struct<name: string, email: string, phone: bigint, tier: string, "
              "orders: array<struct<order_id: string, total: double>>>, attrs map<string, string>")
    return spark.createDataFrame(rows, schema), rows


def test_redact_columns_as_the_command_line_redacts(spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    caplog: pytest.LogCaptureFixture) -> None:
    from pyspark.sql import functions as F

    from pii_tagger.spark import redact

    people = People(7)
    frame, rows = _table(spark, people, 24)
    hasher = Hasher.from_env({"PII_TAGGER_HASH_KEY": KEY})
    redacted = redact(frame, ["line", "customer", "attrs"], hasher=hasher)
    out = {r.id: r.asDict(recursive=True) for r in redacted.collect()}

    (tmp_path / "lines.log").write_text("".join(r["line"] + "\n" for r in rows), encoding="utf-8")
    by_cli = cli("redact", str(tmp_path / "lines.log"))
    assert by_cli.returncode == 0, by_cli.stderr
    local = Redactor(hasher=hasher)
    for row, line in zip(rows, by_cli.stdout.splitlines()):
        got, expected = out[row["id"]], orjson.loads(line)
        if row["line"].startswith("{"):
            assert orjson.loads(got["line"]) == expected  # the line as the command line writes it, tags and all
        else:
            assert got["line"] == expected["message"]
        customer, attrs = local.redact(row["customer"]), local.redact(row["attrs"])
        assert got["pii_categories"] == sorted({*expected["pii_categories"], *customer["pii_categories"], *attrs["pii_categories"]})
        assert got["customer"]["email"] == customer["email"] != row["customer"]["email"]
        assert got["customer"]["name"] == customer["name"] and got["customer"]["name"].startswith("[HASH:")
        assert got["customer"]["phone"] is None  # masked, and a mask is not a number
        assert got["customer"]["tier"] == row["customer"]["tier"] and got["customer"]["orders"] == row["customer"]["orders"]
        assert "password" not in got["attrs"] and got["attrs"]["build"] == "4.12.0"
        assert got["attrs"]["client_ip"] == attrs["client_ip"] != row["attrs"]["client_ip"]

    as_json = redacted.select(F.to_json(F.struct(*redacted.columns)).alias("row"))  # Spark's own JSON of every row
    rendered = "\n".join(r.row for r in as_json.collect())
    assert_no_planted(rendered, people)
    again = {r.id: r.asDict(recursive=True) for r in redact(redacted, ["line", "customer", "attrs"], hasher=hasher).collect()}
    assert again == out  # redacting again changes nothing, and keeps the categories found before

    redacted.explain(True)
    plans = capsys.readouterr().out
    assert "pii_tagger_redact" in plans
    for secret in (KEY.split(":", 1)[1], KEY.split(":", 1)[1].encode().hex()):
        assert secret not in plans and secret not in caplog.text


def test_scan_columns_finds_what_the_guard_finds(spark: Any) -> None:
    from pii_tagger.spark import scan

    people = People(11)
    frame, rows = _table(spark, people, 12)
    found = scan(frame.withColumn("source", frame["id"].cast("string").alias("source")), ["line", "customer", "attrs"],
                 file="source", line="id").collect()
    guard = make_guard(ScanOptions())
    expected = []
    for row in rows:
        for column in ("line", "customer", "attrs"):
            value = row[column]
            event = value if isinstance(value, dict) else (orjson.loads(value) if value.startswith("{") else {"message": value})
            expected += [(str(row["id"]), row["id"], column, f.target.category, f.target.rule, f.path) for f in guard.find(event)[1]]
    assert sorted((r.file, r.line, r.column, r.category, r.rule, r.path) for r in found) == sorted(expected)
    assert {r.kind for r in found} == {"leak"} and {r.column for r in found} == {"line", "customer", "attrs"}
    assert_no_planted(repr(found), people)


def test_bytes_that_are_not_utf8_are_read_as_the_command_line_reads_them(spark: Any, tmp_path: Path) -> None:
    """spark.read.text keeps a line's bytes unchecked: nothing fails on them, and they count as on the command line."""
    from pyspark.sql import functions as F

    from pii_tagger.spark import redact, scan, stats

    people = People(5)
    code, email = people.code(), people.email()
    raw = (b"\xff\xfe not utf-8, personas kods " + code.encode() + b"\n"
           + b'{"note": "caf\xe9", "email": "' + email.encode() + b'"}\n'
           + _lines(raw_events(people, 6)))
    path = tmp_path / "latin1.log"
    path.write_bytes(raw)
    lines = spark.read.text(str(path))

    assert stats(lines).collect().as_dict() == {**_cli_stats(str(path)), "files": 0}
    by_cli = cli("redact", str(path))
    assert by_cli.returncode == 0, by_cli.stderr
    redacted = redact(lines.withColumn("note", F.struct(F.col("value").alias("text"))), ["value", "note"],
                      hasher=Hasher.from_env({"PII_TAGGER_HASH_KEY": KEY})).collect()
    cli_lines = [orjson.loads(line) for line in by_cli.stdout.splitlines()]
    assert [r.value for r in redacted[:2]] == [e["message"] for e in cli_lines[:2]]  # \xNN escapes, as the CLI keeps them
    assert [r.pii_categories for r in redacted[:2]] == [e["pii_categories"] for e in cli_lines[:2]]
    assert "\\xff\\xfe" in redacted[0].value and "\\xff\\xfe" in redacted[0].note.text  # a struct's text too
    found = scan(lines, "value").collect()
    assert {(r.category, r.rule) for r in found} >= {(1, "personal_code_lv")}
    assert_no_planted(repr(redacted) + repr(found), people)


def test_bad_columns_and_paths_are_clear_errors(spark: Any, tmp_path: Path) -> None:
    from pii_tagger.spark import redact, scan, scan_files, stats

    frame = spark.createDataFrame([(1, "x", [1])], "id int, line string, pii_categories array<string>")
    with pytest.raises(TypeError, match="column 'id' is int: only JSON strings"):
        redact(frame, ["id"])
    with pytest.raises(ValueError, match="no column 'nope'; the columns are id, line, pii_categories"):
        scan(frame, "nope")
    with pytest.raises(TypeError, match="'pii_categories' exists and is array<string>"):
        redact(frame, "line")
    with pytest.raises(TypeError, match="stats reads lines"):
        stats(frame, "id")
    with pytest.raises(ValueError, match="unknown time bucket 'week'"):
        stats(frame, "line", bucket="week")
    report = scan_files(spark, [str(tmp_path / "none")]).report()
    assert report.problems == [f"{tmp_path / 'none'}: cannot read (No such file or directory); skipped"] and report.files == 0


def test_file_labels_follow_the_command_line() -> None:
    from pii_tagger.archive.spark_batches import file_label

    arguments = (("logs/", "/srv/app/logs"), ("/srv/one.log", "/srv/one.log"), ("s3a://bucket/logs", None))
    assert file_label(arguments, 0, "file:/srv/app/logs/2026/a.log") == "logs/2026/a.log"
    assert file_label(arguments, 0, "file:/srv/app/logs-old/a.log") == "file:/srv/app/logs-old/a.log"  # not under it
    assert file_label(arguments, 1, "file:/srv/one.log") == "/srv/one.log"
    assert file_label(arguments, 2, "s3a://bucket/logs/a.log.gz") == "s3a://bucket/logs/a.log.gz"
