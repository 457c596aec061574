"""SRE tools on a tagged archive written by a real structlog pipeline:
`query`, `stats`, `token`, `categories`."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import structlog

from pii_tagger import Hasher, Redactor
from pii_tagger.archive.stats import collect
from planted import CODE, EMAIL

OLD_KEY = "k1:the-old-key-0123456789abcdef"
NEW_KEYS = "k2:the-new-key-0123456789abcdef," + OLD_KEY
OTHER_CODE = "328673-00679"
NAME = "Anna Ozola"


def _write_archive(path: Path, hasher: Hasher, start: dt.datetime, hours: int) -> list[dict[str, Any]]:
    """Events as services log them: structlog, Redactor(summary=True), JSON lines."""
    stream = io.StringIO()
    clock = {"now": start}

    def timestamp(logger: Any, name: str, event: dict[str, Any]) -> dict[str, Any]:
        event["timestamp"] = clock["now"].isoformat().replace("+00:00", "Z")
        return event

    structlog.configure(
        processors=[timestamp, Redactor(hasher=hasher, summary=True), structlog.processors.JSONRenderer()],
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    try:
        for i in range(hours * 10):
            clock["now"] = start + dt.timedelta(minutes=6 * i)
            billing = structlog.get_logger().bind(service="billing")
            crm = structlog.get_logger().bind(logger="crm.contacts")
            billing.info("payment received", customer={"personal_code": CODE if i % 2 else OTHER_CODE}, iban="LV80BANK0000435195001")
            crm.info("contact updated", email=EMAIL, full_name=NAME)
            structlog.get_logger().bind(service="portal").info("health check ok", status=200)
    finally:
        structlog.reset_defaults()
    text = stream.getvalue()
    path.write_text(text + "plain text line from a library\n{\"event\": \"untagged\"}\n{broken json\n", encoding="utf-8")
    return [orjson.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("logs")
    start = dt.datetime(2026, 11, 24, 8, tzinfo=dt.UTC)
    old = _write_archive(root / "2026-11-24.log", Hasher({"k1": "the-old-key-0123456789abcdef"}), start, 3)
    new_path = root / "2026-11-25.log"
    new = _write_archive(new_path, Hasher({"k2": "the-new-key-0123456789abcdef", "k1": "the-old-key-0123456789abcdef"}),
                         start + dt.timedelta(days=1), 2)
    with gzip.open(root / "2026-11-25.log.gz", "wb") as f:  # the same day again, compressed
        f.write(new_path.read_bytes())
    new_path.unlink()
    return root, old + new


def cli(*args: str, stdin: bytes = b"", key: str | None = NEW_KEYS) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PII_TAGGER_HASH_KEY"}
    if key:
        env["PII_TAGGER_HASH_KEY"] = key
    return subprocess.run([sys.executable, "-m", "pii_tagger.cli.main", *args], input=stdin, capture_output=True, env=env,
                          timeout=120, check=False)


def _events(output: bytes) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in output.splitlines()]


class TestQuery:
    def test_by_category_any_and_all(self, archive: tuple[Path, list[dict[str, Any]]]) -> None:
        root, events = archive
        result = cli("query", "--category", "11", str(root))
        assert result.returncode == 0
        assert _events(result.stdout) == [e for e in events if 11 in e["pii_categories"]]
        both = _events(cli("query", "-c", "2,11", "--all", str(root)).stdout)
        assert both == [] and len(_events(cli("query", "-c", "2,11", str(root)).stdout)) == 100
        none = _events(cli("query", "-c", "0", str(root)).stdout)
        assert none and all(e["pii_categories"] == [] for e in none)
        assert b"4 not JSON, 2 without pii_categories" in result.stderr  # per file: a plain line, a broken one, an untagged one

    def test_by_field_source_and_time(self, archive: tuple[Path, list[dict[str, Any]]]) -> None:
        root, _ = archive
        by_field = _events(cli("query", "--field", "customer.*", str(root)).stdout)
        assert len(by_field) == 50 and all("customer" in e for e in by_field)
        by_source = _events(cli("query", "--source", "crm.*", str(root)).stdout)
        assert len(by_source) == 50 and {e["logger"] for e in by_source} == {"crm.contacts"}
        window = cli("query", "--since", "2026-11-25T08:00", "--until", "2026-11-25T09:00", "--service", "billing", str(root))
        selected = _events(window.stdout)
        assert [e["timestamp"][:13] for e in selected] == ["2026-11-25T08"] * 10

    def test_one_persons_events_by_token_across_a_key_rotation(self, archive: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
        root, _ = archive
        tokens = cli("token", "-", stdin=f"{CODE}\n".encode())  # from stdin: not in shell history
        assert tokens.returncode == 0, tokens.stderr
        lines = tokens.stdout.decode().split()  # two normalisations (a code field, a name-like field), two keys
        assert len(lines) == 4 and [t[:9] for t in lines] == ["[HASH:k2:"] * 2 + ["[HASH:k1:"] * 2
        (tmp_path / "tokens.txt").write_bytes(tokens.stdout)
        found = _events(cli("query", "--contains-from", str(tmp_path / "tokens.txt"), str(root)).stdout)
        assert len(found) == 25  # every other billing event, on both days, under both keys
        assert {e["timestamp"][:10] for e in found} == {"2026-11-24", "2026-11-25"}
        assert CODE not in tokens.stdout.decode() + tokens.stderr.decode()
        name = cli("token", NAME, "--category", "1", "-v").stdout.decode()
        assert "\ttext\tperson_name" in name
        name_tokens = [line.split("\t")[0] for line in name.splitlines()]
        assert len(_events(cli("query", *(a for t in name_tokens for a in ("--contains", t)), str(root)).stdout)) == 50

    def test_table_limit_stdin_and_exit_status(self, archive: tuple[Path, list[dict[str, Any]]]) -> None:
        root, _ = archive
        table = cli("query", "-c", "1", "--format", "table", "--limit", "3", str(root)).stdout.decode().splitlines()
        assert table[0].split() == ["time", "source", "categories", "event"] and len(table) == 4
        assert "billing" in table[1] and "1,11" in table[1]
        data = (root / "2026-11-24.log").read_bytes()
        assert len(_events(cli("query", "-c", "12", stdin=data).stdout)) == 0
        assert cli("query", "-c", "12", stdin=data).returncode == 1

    def test_bad_filters_say_what_is_valid(self, archive: tuple[Path, list[dict[str, Any]]]) -> None:
        root, _ = archive
        bad = cli("query", "-c", "19", str(root))
        assert bad.returncode == 2 and b"Valid: 0 (none); 1 Personal identification data;" in bad.stderr
        when = cli("query", "--since", "yesterday", str(root))
        assert when.returncode == 2 and b"use ISO 8601" in when.stderr and b"15m, 2h, 7d" in when.stderr
        empty = cli("query", "--since", "2026-11-25", "--until", "2026-11-24", str(root))
        assert empty.returncode == 2 and b"--since must be before --until" in empty.stderr
        assert b"too far back" in cli("query", "--since", "99999999999d", str(root)).stderr
        assert b"can never match" in cli("query", "-c", "0,11", "--all", str(root)).stderr

    def test_a_failed_token_step_never_selects_everything(self, archive: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
        root, _ = archive
        (tmp_path / "tokens.txt").write_bytes(cli("token", "-", stdin=CODE.encode(), key=None).stdout)  # fails: no key
        result = cli("query", "--contains-from", str(tmp_path / "tokens.txt"), str(root))
        assert result.returncode == 2 and result.stdout == b"" and b"no texts to look for" in result.stderr
        both = cli("query", "--contains-from", "-", stdin=b"[HASH:k1:00]\n")
        assert both.returncode == 2 and b"cannot both come from stdin" in both.stderr

    def test_an_incomplete_search_says_so(self, archive: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
        root, _ = archive
        result = cli("query", "-c", "5", str(root), str(tmp_path / "missing.log"))
        assert result.returncode == 3 and b"the result is incomplete" in result.stderr

    def test_odd_lines_do_not_stop_or_fool_the_query(self, tmp_path: Path) -> None:
        deep = b'{"pii_categories":[1],"x":[' * 490 + b'{"a":{"b":1}}' + b"]}" * 490  # ~980 levels
        lines = [
            deep,
            b'{"pii_categorie\\u0073": [11], "ctx": {"pii_categories": [1]}}',
            b'{"pii_categories": [11], "customer": {"email": "[REDACTED:email]"}}',
        ]
        (tmp_path / "odd.log").write_bytes(b"\n".join(lines) + b"\n")
        assert len(_events(cli("query", "--field", "customer.email", str(tmp_path)).stdout)) == 1
        assert len(_events(cli("query", "-c", "11", str(tmp_path)).stdout)) == 2


class TestStats:
    def test_counts_by_category_source_path_and_time(self, archive: tuple[Path, list[dict[str, Any]]]) -> None:
        root, events = archive
        result = cli("stats", "--format", "json", str(root))
        assert result.returncode == 0, result.stderr
        report = orjson.loads(result.stdout)
        assert report["files"] == 2 and report["events"] == len(events) + 2 and report["not_json_lines"] == 4
        assert report["untagged_events"] == 2
        expected: dict[int, int] = {}
        for e in events:
            for c in e["pii_categories"] or [0]:
                expected[c] = expected.get(c, 0) + 1
        assert {r["category"]: r["events"] for r in report["events_by_category"]} == expected
        sources = {(r["source"], r["category"]): r["events"] for r in report["events_by_source"]}
        assert sources[("billing", 1)] == 50 and sources[("crm.contacts", 2)] == 50 and sources[("portal", 0)] == 50
        paths = {(r["path"], r["action"]): r["count"] for r in report["redactions_by_path"]}
        assert paths[("customer.personal_code", "hash")] == 50 and paths[("email", "mask")] == 50
        assert {r["category"]: r["redactions"] for r in report["redactions_by_category"]}[1] == 100  # codes and names
        hours = {r["bucket"] for r in report["events_by_time"]}
        assert hours == {"2026-11-24T08", "2026-11-24T09", "2026-11-24T10", "2026-11-25T08", "2026-11-25T09"}

    def test_audited_and_kept_values_are_no_redactions(self, tmp_path: Path) -> None:
        notes = [{"path": p, "rule": "r", "category": 2, "action": a, "count": 1} for p, a in (("a", "audit"), ("b", "keep"), ("c", "mask"))]
        log = tmp_path / "audit.log"
        log.write_bytes(orjson.dumps({"event": "x", "pii_categories": [2], "pii_redactions": notes}) + b"\n")
        report = orjson.loads(cli("stats", "--format", "json", str(log)).stdout)
        assert report["redactions_by_category"] == [{"category": 2, "redactions": 1}]

    def test_table_and_html_report(self, archive: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> None:
        root, _ = archive
        html = tmp_path / "report.html"
        result = cli("stats", "--bucket", "day", "--html", str(html), str(root))
        text = result.stdout.decode()
        assert "Personal identification data" in text and "2026-11-24" in text and "4 lines not JSON" in text
        page = html.read_text(encoding="utf-8")
        assert page.count("<svg") == 4 and "crm.contacts" in page and "category 11 (Billing data), 20 events" in page
        assert "billing <small>(50 events)</small>" in page  # events, not event-category pairs
        for value in (CODE, EMAIL, NAME):
            assert value not in page + text

    def test_in_worker_processes_the_counts_are_the_same(self, archive: tuple[Path, list[dict[str, Any]]]) -> None:
        root, _ = archive
        one, two = collect([str(root)], jobs=1), collect([str(root)], jobs=2)
        assert one.as_dict() == two.as_dict() and one.cube == two.cube

    def test_unreadable_input_is_reported(self, tmp_path: Path) -> None:
        result = cli("stats", str(tmp_path / "missing.log"))
        assert result.returncode == 3 and b"missing.log" in result.stderr


class TestTokenAndCategories:
    def test_token_needs_the_key_and_says_what_to_give(self) -> None:
        assert b"PII_TAGGER_HASH_KEY is not set" in cli("token", CODE, key=None).stderr
        masked = cli("token", EMAIL, "--category", "2")
        assert masked.returncode == 2 and b"category 2: nothing is hashed under this policy" in masked.stderr
        assert EMAIL.encode() not in masked.stderr
        assert b"category 19 does not exist" in cli("token", NAME, "--category", "19").stderr
        assert b"no rule 'nope'" in cli("token", NAME, "--rule", "nope").stderr
        assert cli("token", EMAIL, "--category", "2", "--action", "2=hash").returncode == 0

    def test_token_finds_the_value_wherever_a_field_hashed_it(self) -> None:
        """A data-subject search must not miss events: whatever field or text held the value."""
        events = b"".join(orjson.dumps(e) + b"\n" for e in (
            {"personal_code": CODE}, {"user_id": CODE}, {"login": CODE}, {"customer": {"name": CODE}},
            {"note": f"personas kods {CODE}"}, {"username": EMAIL.upper()}, {"full_name": "  anna   OZOLA "},
        ))
        written = set(re.findall(rb"\[HASH:k2:[0-9a-f]+\]", cli("redact", stdin=events).stdout))
        tokens = set(cli("token", CODE).stdout.split()) | set(cli("token", EMAIL).stdout.split())
        tokens |= set(cli("token", NAME).stdout.split())
        assert len(written) >= 4 and written <= tokens

    def test_a_value_with_nothing_to_hash_is_never_one_token_for_everyone(self, tmp_path: Path) -> None:
        """A phone without digits ("nav norādīts": not given) normalises to nothing: it is masked, and
        no token of the empty value is written or given, so one person's search finds only their events."""
        others = ("Pēteris Liepa", "Līga Kalniņa")
        events = [
            {"event": "profile saved", "user": {"full_name": NAME, "phone": "+37126123456"}},
            {"event": "profile saved", "user": {"full_name": others[0], "phone": "nav norādīts"}},
            {"event": "profile saved", "user": {"full_name": others[1], "phone": "-"}},
        ]
        redacted = cli("redact", stdin=b"".join(orjson.dumps(e) + b"\n" for e in events))
        assert redacted.returncode == 0, redacted.stderr
        written = _events(redacted.stdout)
        assert [e["user"]["phone"] for e in written[1:]] == ["[REDACTED:phone]"] * 2
        assert written[0]["user"]["phone"].startswith("[HASH:k2:")
        (tmp_path / "red.log").write_bytes(redacted.stdout)
        tokens = cli("token", "-", stdin=f"{NAME}\n".encode())
        assert tokens.returncode == 0, tokens.stderr
        (tmp_path / "tokens.txt").write_bytes(tokens.stdout)
        found = cli("query", "--contains-from", str(tmp_path / "tokens.txt"), str(tmp_path / "red.log"))
        assert _events(found.stdout) == written[:1]  # not the people whose phone was not given
        nothing = cli("token", "nav norādīts", "--rule", "phone")
        assert nothing.returncode == 2 and nothing.stdout == b"" and b"the value has nothing to match" in nothing.stderr
        outputs = redacted.stdout + tokens.stdout + tokens.stderr + found.stdout + found.stderr + nothing.stderr
        for value in (NAME, *others, "+37126123456", "nav norādīts"):
            assert value.encode() not in outputs, value

    def test_categories_in_both_languages_with_active_actions(self) -> None:
        en = cli("categories").stdout.decode()
        assert "16  Portal access data" in en and "drop" in en
        lv = cli("categories", "--lang", "lv", "--action", "1=mask").stdout.decode()
        assert lv.splitlines()[0].split()[:2] == ["Nr.", "Kategorija"]
        assert "Personas identifikācijas dati" in lv and " mask " in lv.splitlines()[1]
        rows = orjson.loads(cli("categories", "--format", "json").stdout)
        assert [r["number"] for r in rows] == list(range(1, 19)) and rows[0]["action"] == "hash"
        audited = orjson.loads(cli("categories", "--format", "json", "--action", "16=audit", "--action", "2=audit").stdout)
        assert audited[1]["action"] == "audit" and audited[15]["action"] == "drop"  # credentials are dropped when audited


class TestEventTimes:
    """structlog's default TimeStamper (epoch float seconds) and python-json-logger's asctime."""

    def _structlog_epoch(self, path: Path) -> None:
        stream = io.StringIO()
        structlog.configure(
            processors=[structlog.processors.TimeStamper(), Redactor(hasher=Hasher({"k2": "the-new-key-0123456789abcdef"})),
                        structlog.processors.JSONRenderer()],
            logger_factory=structlog.PrintLoggerFactory(stream), cache_logger_on_first_use=False,
        )
        try:
            structlog.get_logger().bind(service="billing").info("contact updated", email=EMAIL)
        finally:
            structlog.reset_defaults()
        assert isinstance(orjson.loads(stream.getvalue())["timestamp"], float)
        path.write_text(stream.getvalue(), encoding="utf-8")

    def _json_logger_asctime(self, path: Path) -> None:
        import logging
        import time

        from pythonjsonlogger.json import JsonFormatter

        from pii_tagger.stdlib import PiiFilter

        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        formatter.converter = time.gmtime  # asctime has no zone: read as UTC
        handler.setFormatter(formatter)
        handler.addFilter(PiiFilter(redactor=Redactor(hasher=Hasher({"k2": "the-new-key-0123456789abcdef"}))))
        log = logging.getLogger("crm.asctime")
        log.addHandler(handler)
        log.propagate = False
        try:
            log.warning("mail to %s", EMAIL)
        finally:
            log.removeHandler(handler)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", orjson.loads(stream.getvalue())["asctime"])
        path.write_text(stream.getvalue(), encoding="utf-8")

    def test_query_since_reads_epoch_numbers_and_asctime(self, tmp_path: Path) -> None:
        self._structlog_epoch(tmp_path / "structlog.log")
        self._json_logger_asctime(tmp_path / "stdlib.log")
        recent = cli("query", "--since", "1h", str(tmp_path))
        assert recent.returncode == 0, recent.stderr
        assert len(_events(recent.stdout)) == 2 and b"usable timestamp" not in recent.stderr
        old = cli("query", "--until", "1h", str(tmp_path))
        assert old.returncode == 1 and old.stdout == b""  # a real "no match"
        for result in (recent, old):
            assert EMAIL.encode() not in result.stdout + result.stderr

    def test_every_time_form_lands_in_the_same_utc_bucket(self, tmp_path: Path) -> None:
        lines = [
            {"timestamp": "2026-11-25T12:30:00+02:00"},  # 10:30 UTC
            {"timestamp": 1795602600.5},  # epoch seconds, float (structlog)
            {"time": 1795602600123},  # epoch milliseconds
            {"@timestamp": "2026-11-25T10:59:59.999Z"},
            {"asctime": "2026-11-25 10:00:00,123"},  # python-json-logger, no zone: UTC
            {"timestamp": "1795602600"},  # epoch seconds as a string
        ]
        log = tmp_path / "times.log"
        log.write_bytes(b"".join(orjson.dumps({**e, "pii_categories": [2]}) + b"\n" for e in lines))
        report = orjson.loads(cli("stats", "--format", "json", str(log)).stdout)
        assert report["events_by_time"] == [{"bucket": "2026-11-25T10", "category": 2, "events": 6}]
        assert report["events_without_time"] == 0
        window = cli("query", "--since", "2026-11-25T10:00", "--until", "2026-11-25T11:00", str(log))
        assert window.returncode == 0 and len(_events(window.stdout)) == 6
        table = cli("query", "--format", "table", str(log)).stdout.decode().splitlines()
        assert table[1].startswith("2026-11-25T10:30:00+00:00")

    def test_no_usable_timestamp_is_said_and_is_not_no_match(self, tmp_path: Path) -> None:
        log = tmp_path / "untimed.log"
        log.write_bytes(b'{"event": "x", "pii_categories": [2], "timestamp": "yesterday"}\n'
                        b'{"event": "y", "pii_categories": [], "time": 12.5}\n')
        result = cli("query", "--since", "1h", str(log))
        assert result.returncode == 3 and result.stdout == b""
        assert b"no event had a usable timestamp" in result.stderr and b"not 'no match'" in result.stderr
        stats = cli("stats", str(log))
        assert stats.returncode == 0 and "No event had a usable timestamp" in stats.stdout.decode()
        assert orjson.loads(cli("stats", "--format", "json", str(log)).stdout)["events_without_time"] == 2

    @pytest.mark.parametrize("bucket", ["minute", "hour", "day"])
    def test_duckdb_counts_by_the_same_times(self, tmp_path: Path, bucket: str) -> None:
        """The benchmark's DuckDB query (benchmarks/duckdb_stats.py) and stats: the same counts."""
        import importlib.util

        spec = importlib.util.spec_from_file_location("duckdb_stats", Path(__file__).parents[1] / "benchmarks" / "duckdb_stats.py")
        assert spec is not None and spec.loader is not None
        duckdb_stats = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(duckdb_stats)
        times: list[dict[str, Any]] = [
            {"timestamp": 1795602600.5}, {"timestamp": 1795606200}, {"time": 1795602600123}, {"time": 1795692600123456},
            {"@timestamp": 1795602659999999999}, {"timestamp": " 1795609800 "}, {"asctime": "2026-11-25 10:00:00,123"},
            {"asctime": "2026-11-26 23:59:59,999"}, {"timestamp": "2026-11-25T12:30:00+02:00"}, {"timestamp": "2026-11-25T23:30:00-05:00"},
            {"timestamp": "2026-11-25T10:05:09Z"}, {"@timestamp": "2026-11-25T10:59:59.999Z"}, {"timestamp": "2026-11-25 10:05"},
            {"timestamp": "yesterday", "asctime": "2026-11-24 08:00:00,000"}, {"timestamp": 12.5, "time": 1795602600},
            {"timestamp": True}, {"timestamp": None}, {"time": "soon"}, {"timestamp": 1e30}, {},
        ]
        services = [{"service": "billing"}, {"logger": "crm"}, {}]
        tags: list[dict[str, Any]] = [
            {"pii_categories": [2], "pii_redactions": [{"path": "email", "rule": "email", "category": 2, "action": "mask", "count": 1}]},
            {"pii_categories": [1, 5]}, {"pii_categories": []}, {},
        ]
        events = [{"event": "e", **t, **services[i % 3], **tags[i % 4]} for i, t in enumerate(times * 3)]
        log = tmp_path / "times.log"
        log.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events) + b"plain text\n[1, 2]\n{broken\n\n")
        ours, theirs = collect([str(log)], bucket=bucket), duckdb_stats.stats_duckdb(str(log), bucket)
        assert ours.no_time == 15 and len({b for b, _, _ in ours.cube}) > 3
        assert (theirs.lines, theirs.events, theirs.untagged, theirs.no_time, theirs.cube, theirs.redactions) == (
            ours.lines, ours.events, ours.untagged, ours.no_time, ours.cube, ours.redactions)

    def test_the_quick_bucket_of_a_utc_string_is_the_parsed_time_s(self) -> None:
        from pii_tagger.archive.eventtime import event_time, minute_name

        for value in ("2026-11-25T10:05:09Z", "2026-11-25 10:05:09,123", "2026-11-25T10:05", "2026-11-25T10:05:09-00:00",
                      "2026-11-25T12:05:09+02:00", "2026-11-25T1005Z", "2026-11-25T10:05:09.999999+00:00", "2026-13-25T10:05Z"):
            moment = event_time({"timestamp": value})
            expected = None if moment is None else moment.strftime("%Y-%m-%dT%H:%M")
            assert minute_name({"timestamp": value}) == expected, value
