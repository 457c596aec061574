"""An event's source: one definition for audit and leak alerts, the guard,
``query`` and ``stats`` (pii_tagger.sources)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pii_tagger import Hasher, Policy, Redactor
from pii_tagger.alerts import Alert, Alerter
from pii_tagger.guard import LeakGuard
from pii_tagger.sources import SOURCE_KEYS, source_of

HASHER = Hasher({"k1": b"sources-test-key-0123456789"})
EMAIL = "liga.kalnina@inbox.lv"

# Each event names its source under several keys; the first key of SOURCE_KEYS wins.
EVENTS = [
    ({"service": "billing-api", "service.name": "otel-billing", "logger": "billing.payments", "logger_name": "x"}, "billing-api"),
    ({"service.name": "crm", "logger": "crm.contacts"}, "crm"),
    ({"logger": "shop.orders", "logger_name": "shop"}, "shop.orders"),
    ({"logger_name": "jobs.nightly"}, "jobs.nightly"),
    ({"service": "", "logger": 7, "logger_name": "worker"}, "worker"),  # empty and non-string names are passed over
]


def test_the_keys_and_their_order() -> None:
    assert list(SOURCE_KEYS) == ["service", "service.name", "logger", "logger_name"]
    for fields, expected in EVENTS:
        assert source_of(fields) == expected
    assert source_of({"event": "no source"}) == "-"
    assert source_of({"service": None}, "fallback") == "fallback"


@pytest.mark.parametrize(("fields", "expected"), EVENTS)
def test_guard_alerts_name_that_source(fields: dict[str, Any], expected: str) -> None:
    sent: list[Alert] = []
    guard = LeakGuard(Redactor(hasher=HASHER), alerts=Alerter([sent.append], hasher=HASHER), source="guard-default")
    guard.check_event({"event": f"sent to {EMAIL}", **fields})
    guard.alerts.flush()
    assert sent and {a.source for a in sent} == {expected}


@pytest.mark.parametrize(("fields", "expected"), EVENTS)
@pytest.mark.parametrize("as_bytes", [False, True])
def test_guard_alerts_on_rendered_lines_name_that_source(fields: dict[str, Any], expected: str, as_bytes: bool) -> None:
    sent: list[Alert] = []
    guard = LeakGuard(Redactor(hasher=HASHER), alerts=Alerter([sent.append], hasher=HASHER), source="guard-default")
    line = json.dumps({"event": f"sent to {EMAIL}", **fields}, ensure_ascii=False) + "\n"
    written = guard.check_line(line.encode() if as_bytes else line)
    guard.alerts.flush()
    assert sent and {a.source for a in sent} == {expected}
    assert EMAIL not in (written.decode() if isinstance(written, bytes) else written)


def test_guard_alerts_on_plain_text_lines_name_the_guards_own_source() -> None:
    sent: list[Alert] = []
    guard = LeakGuard(Redactor(hasher=HASHER), alerts=Alerter([sent.append], hasher=HASHER), source="guard-default")
    guard.check_line(f"2026-12-02 10:00:01 INFO billing-api sent to {EMAIL}\n")
    guard.alerts.flush()
    assert {a.source for a in sent} == {"guard-default"}


def test_guard_alerts_name_the_guards_own_source_without_one() -> None:
    sent: list[Alert] = []
    guard = LeakGuard(Redactor(hasher=HASHER), alerts=Alerter([sent.append], hasher=HASHER), source="guard-default")
    guard.check_event({"event": f"sent to {EMAIL}"})
    guard.alerts.flush()
    assert {a.source for a in sent} == {"guard-default"}


@pytest.mark.parametrize(("fields", "expected"), EVENTS)
def test_audit_alerts_name_that_source(fields: dict[str, Any], expected: str) -> None:
    sent: list[Alert] = []
    redactor = Redactor(Policy(actions={2: "audit"}), hasher=HASHER, alerts=Alerter([sent.append], hasher=HASHER))
    redactor.redact({"email": EMAIL, **fields})
    redactor.alerts.flush()  # type: ignore[union-attr]
    assert sent and {a.source for a in sent} == {expected}


def test_stats_and_query_count_by_that_source(tmp_path: Path) -> None:
    log = tmp_path / "tagged.jsonl"
    lines = [{"event": "paid", "pii_categories": [2], **fields} for fields, _ in EVENTS]
    log.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    run = [sys.executable, "-m", "pii_tagger.cli.main"]
    stats = subprocess.run([*run, "stats", "--format", "json", str(log)], capture_output=True, check=True)
    report = json.loads(stats.stdout)
    assert {r["source"] for r in report["events_by_source"]} == {expected for _, expected in EVENTS}
    for _, expected in EVENTS:
        query = subprocess.run([*run, "query", "--source", expected, str(log)], capture_output=True, check=True)
        selected = [json.loads(line) for line in query.stdout.splitlines()]
        assert [source_of(e) for e in selected] == [expected], expected
