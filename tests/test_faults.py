"""Fault injection: an alert sink that raises or blocks, a full disk under the
command line's stdout, an OpenTelemetry processor or exporter that raises.
Logging goes on, nothing is lost silently, each failure is reported once and
never with the value it is about. (A wrong hash key configuration:
tests/test_actions_policy.py.)"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from opentelemetry._logs import LogRecord
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pii_tagger import Hasher, Policy, Redactor
from pii_tagger.alerts import Alert, Alerter
from pii_tagger.otel import RedactingLogRecordProcessor, RedactingSpanExporter, RedactingSpanProcessor
from planted import EMAIL

HASHER = Hasher({"t1": "a-test-key-that-is-long-enough"})
ROOT = Path(__file__).resolve().parent.parent


def _reports(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pii_tagger" and text in r.getMessage()]


# ---- alert sinks --------------------------------------------------------------------


def test_a_sink_that_blocks_does_not_stop_logging(caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()
    got: list[Alert] = []

    def blocked(alert: Alert) -> None:  # a SIEM that does not answer
        release.wait(30)
        got.append(alert)

    alerter = Alerter([blocked], hasher=HASHER, sink_timeout=0.2, max_queued=3)
    redactor = Redactor(Policy(mode="audit"), hasher=HASHER, alerts=alerter)
    try:
        with caplog.at_level(logging.ERROR, "pii_tagger"):
            started = time.monotonic()
            outs = [redactor.redact({"event": "x", f"field_{n}": EMAIL}) for n in range(8)]  # a new group each: one alert each
            took = time.monotonic() - started
        assert len(outs) == 8 and all(o["pii_categories"] == [2] for o in outs)
        assert took < 5, took  # one wait of sink_timeout, then none while the sink is stuck
        assert len(_reports(caplog, "has not returned in 0.2 s")) == 1
        assert len(_reports(caplog, "later ones are dropped and counted")) == 1
        assert alerter.dropped >= 1
        release.set()
        assert alerter.wait_sent(10)
        assert len(got) + alerter.dropped == 8  # every alert delivered or counted: none lost silently
        assert EMAIL not in caplog.text
    finally:
        release.set()


def test_a_sink_that_raises_is_reported_once_and_the_others_still_get_every_alert(caplog: pytest.LogCaptureFixture) -> None:
    sent: list[Alert] = []

    def broken(alert: Alert) -> None:
        raise ConnectionError(f"SIEM refused an alert about {EMAIL}")

    alerter = Alerter([broken, sent.append], hasher=HASHER)
    redactor = Redactor(Policy(mode="audit"), hasher=HASHER, alerts=alerter)
    with caplog.at_level(logging.ERROR, "pii_tagger"):
        for n in range(5):
            assert redactor.redact({"event": "x", f"f{n}": EMAIL})["pii_categories"] == [2]
    assert len(sent) == 5
    reports = _reports(caplog, "alert sink failed with ConnectionError")
    assert len(reports) == 1 and "its alerts were not delivered to it" in reports[0]
    assert EMAIL not in caplog.text


# ---- the command line on a full disk --------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", [
    ["redact", "examples/app.log"], ["scan", "examples/app.log"], ["stats", "examples/app.log"],
    ["query", "examples/app.log"], ["categories"],
])
def test_a_full_disk_under_stdout_is_one_clear_line_and_exit_5(command: list[str]) -> None:
    env = {**os.environ, "PII_TAGGER_HASH_KEY": "t1:a-test-key-that-is-long-enough"}
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "pii_tagger.cli.main", *command], stdout=full, stderr=subprocess.PIPE,
                                cwd=ROOT, env=env, timeout=120, check=False)
    err = result.stderr.decode()
    assert result.returncode == 5, err
    assert "pii-tagger: cannot write the output (No space left on device); what was written is incomplete" in err
    assert "Traceback" not in err and "Exception ignored" not in err and "internal error" not in err
    assert len(err.splitlines()) <= 3, err


# ---- OpenTelemetry: a processor or an exporter that raises ---------------------------


class _Refusing(SpanExporter):
    def __init__(self) -> None:
        self.calls = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.calls += 1
        raise ConnectionError(f"collector down; first span {spans[0].name}")

    def shutdown(self) -> None:
        pass


class _RaisingProcessor(SimpleSpanProcessor):
    def on_end(self, span: ReadableSpan) -> None:
        raise RuntimeError(f"broken processor on {span.name}")


def _failures(reader: InMemoryMetricReader) -> dict[str, int]:
    data = reader.get_metrics_data()
    out: dict[str, int] = {}
    for resource in data.resource_metrics if data else ():
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                if metric.name == "pii_tagger.failures":
                    for point in metric.data.data_points:
                        out[str(point.attributes["pii.kind"])] = point.value
    return out


def test_a_processor_that_raises_never_reaches_the_application_nor_the_others(caplog: pytest.LogCaptureFixture) -> None:
    reader = InMemoryMetricReader()
    kept = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(RedactingSpanProcessor(
        _RaisingProcessor(InMemorySpanExporter()), SimpleSpanProcessor(kept),
        redactor=Redactor(hasher=HASHER), meter_provider=MeterProvider(metric_readers=[reader]),
    ))
    tracer = provider.get_tracer("app")
    with caplog.at_level(logging.ERROR, "pii_tagger"):
        for _ in range(4):
            with tracer.start_as_current_span(f"lookup {EMAIL}"):
                pass  # span.end() would raise the processor's error into this code
    assert [s.name for s in kept.get_finished_spans()] == ["lookup [REDACTED:email]"] * 4
    reports = _reports(caplog, "span processor failed with RuntimeError")
    assert len(reports) == 1 and EMAIL not in caplog.text
    assert _failures(reader) == {"span processor": 4}


def test_an_exporter_that_raises_is_a_failed_export_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    reader = InMemoryMetricReader()
    refusing = _Refusing()
    exporter = RedactingSpanExporter(refusing, redactor=Redactor(hasher=HASHER), meter_provider=MeterProvider(metric_readers=[reader]))
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("app")
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            with tracer.start_as_current_span(f"lookup {EMAIL}"):
                pass
    assert refusing.calls == 3  # every span still processed and offered
    assert len(_reports(caplog, "span exporter failed with ConnectionError")) == 1
    assert not [r for r in caplog.records if "Exception while exporting" in r.getMessage()]  # the SDK saw a result, not a raise
    assert EMAIL not in caplog.text
    assert _failures(reader) == {"span exporter": 3}
    assert exporter.export(kept_span()) is SpanExportResult.FAILURE


def kept_span() -> list[ReadableSpan]:
    kept = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(kept))
    with provider.get_tracer("x").start_as_current_span("plain"):
        pass
    return list(kept.get_finished_spans())


def test_a_log_record_processor_that_raises(caplog: pytest.LogCaptureFixture) -> None:
    class Raising(SimpleLogRecordProcessor):
        def on_emit(self, log_record: Any) -> None:
            raise OSError("disk full")

    kept = InMemoryLogRecordExporter()
    provider = LoggerProvider()
    provider.add_log_record_processor(RedactingLogRecordProcessor(
        Raising(InMemoryLogRecordExporter()), SimpleLogRecordProcessor(kept), redactor=Redactor(hasher=HASHER),
    ))
    with caplog.at_level(logging.ERROR, "pii_tagger"):
        for _ in range(3):
            provider.get_logger("app").emit(LogRecord(body=f"mail {EMAIL}"))
    assert [r.log_record.body for r in kept.get_finished_logs()] == ["mail [REDACTED:email]"] * 3
    assert len(_reports(caplog, "log record processor failed with OSError")) == 1
