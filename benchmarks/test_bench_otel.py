"""OpenTelemetry, one run: the same TracerProvider pipeline (SimpleSpanProcessor,
an exporter that discards) without and with RedactingSpanProcessor. A span with
10 attributes and one event per round; the difference of medians is the
per-span overhead. As in events.py: each round's attributes are built just
before it (untimed), with ids of their own and a few users who recur."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from events import bench_fresh, person
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

from pii_tagger import Hasher, Redactor
from pii_tagger.otel import RedactingSpanProcessor

REDACTOR = Redactor(hasher=Hasher({"bench": "benchmark-key-0123456789"}), summary=True)


class _Discard(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


def _attributes(i: int) -> dict[str, Any]:
    who = person(i % 4)
    return {
        "http.request.method": "POST",
        "url.path": "/api/v2/payments",
        "http.response.status_code": 201,
        "server.address": "billing.internal",
        "user.id": f"u-{i % 997}",
        "user.email": who.email,
        "iban": who.iban,
        "amount": 42.5 + i % 100,
        "note": f"call back on +371 2{i * 7919 % 10**7:07d}" if i % 2 else "paper invoice requested",
        "request_id": f"{i:08x}-4d2a-4c8e-9f3b-7a1d2e5c6b90",
    }


@pytest.mark.parametrize("redacted", [False, True], ids=["otel alone", "otel + RedactingSpanProcessor"])
def test_span(benchmark: Any, redacted: bool) -> None:
    benchmark.group = "span with 10 attributes and one event"
    processor = SimpleSpanProcessor(_Discard())
    if redacted:
        processor = RedactingSpanProcessor(processor, redactor=REDACTOR, meter_provider=MeterProvider())
    provider = TracerProvider()
    provider.add_span_processor(processor)
    tracer = provider.get_tracer("bench")
    def one_span(attributes: dict[str, Any]) -> None:
        span = tracer.start_span("POST /api/v2/payments", attributes=attributes)
        span.add_event("payment.accepted", {"payment.id": "P-2026-000871"})
        span.end()

    bench_fresh(benchmark, one_span, _attributes)
