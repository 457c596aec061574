"""OpenTelemetry spans and log records, through the real SDK and the real OTLP/HTTP wire."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry._logs import LogRecord, NoOpLoggerProvider
from opentelemetry._logs._internal import ProxyLoggerProvider
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.logging.handler import LoggingHandler
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, SpanLimits, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, Status, StatusCode
from planted import CODE, CODE_COMPACT, EMAIL, IBAN, PHONE, SECRET, assert_absent

import pii_tagger.stdlib
from pii_tagger import Hasher, Policy, Redactor
from pii_tagger.alerts import Alert, Alerter
from pii_tagger.integrations.otel import _does_nothing
from pii_tagger.otel import RedactingLogRecordProcessor, RedactingSpanExporter, RedactingSpanProcessor, protect

PLANTED = [CODE, IBAN, PHONE, EMAIL, SECRET, CODE_COMPACT, "21 234 567"]
REDACTOR = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), summary=True)


def _assert_clean(text: str) -> None:
    assert_absent(text, PLANTED)


def _tracer(processor: Any, resource: Resource | None = None, limits: SpanLimits | None = None) -> Any:
    provider = TracerProvider(resource=resource or Resource.create({"service.name": "billing"}), span_limits=limits)
    provider.add_span_processor(processor)
    return provider.get_tracer("billing.payments", attributes={"scope.owner": EMAIL})


def _record_everything(tracer: Any) -> None:
    with tracer.start_as_current_span("seed") as seed:
        seed_context = seed.get_span_context()
    with tracer.start_as_current_span(f"GET /customers/{CODE}", links=[Link(seed_context, {"link.note": f"from {EMAIL}"})]) as span:
        span.set_attribute("user.email", EMAIL)
        span.set_attribute("iban", IBAN)
        span.set_attribute("http.request.header.authorization", ["Bearer abcdefghijklmnop"])
        span.set_attribute("note", f"call back on {PHONE}")
        span.set_attribute("codes", [CODE, "ok"])
        span.set_attribute("db.statement", f"SELECT * FROM customers WHERE code = '{CODE}' AND pwd = '{SECRET}'")
        span.add_event(f"looked up {EMAIL}", {"customer.phone": PHONE})
        try:
            raise ValueError(f"invalid personal code {CODE}")
        except ValueError as exc:
            span.record_exception(exc)
        span.set_status(Status(StatusCode.ERROR, f"customer {EMAIL} not found"))


class TestSpans:
    def test_every_covered_place_is_redacted_and_tagged(self) -> None:
        exporter = InMemorySpanExporter()
        tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=REDACTOR))
        _record_everything(tracer)
        seed, span = exporter.get_finished_spans()
        rendered = span.to_json() + seed.to_json()
        _assert_clean(rendered)
        assert span.name == "GET /customers/[HASH:t1:" + span.name.split(":", 2)[2]
        assert list(span.attributes["pii.categories"]) == [1, 2, 5, 11, 16]
        assert span.attributes["pii.redaction_count"] >= 10
        assert "http.request.header.authorization" not in span.attributes
        assert span.attributes["codes"][1] == "ok"
        exception = next(e for e in span.events if e.name == "exception")
        assert exception.attributes["exception.type"] == "ValueError"
        assert "[HASH:t1:" in exception.attributes["exception.message"]
        assert span.status.description == "customer [REDACTED:email] not found"
        assert span.instrumentation_scope.attributes["scope.owner"] == "[REDACTED:email]"
        # the seed span shares the tracer's scope, whose attribute holds an e-mail
        assert list(seed.attributes["pii.categories"]) == [2] and seed.attributes["pii.redaction_count"] == 1

    def test_resource_is_redacted_only_when_asked(self) -> None:
        resource = Resource.create({"service.name": "billing", "deployment.owner": EMAIL})
        for opt_in in (False, True):
            exporter = InMemorySpanExporter()
            tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=REDACTOR, redact_resource=opt_in), resource)
            with tracer.start_as_current_span("x"):
                pass
            owner = exporter.get_finished_spans()[0].resource.attributes["deployment.owner"]
            assert (owner == "[REDACTED:email]") is opt_in

    def test_exporter_wrapper(self) -> None:
        inner = InMemorySpanExporter()
        tracer = _tracer(SimpleSpanProcessor(RedactingSpanExporter(inner, redactor=REDACTOR)))
        _record_everything(tracer)
        _assert_clean("".join(s.to_json() for s in inner.get_finished_spans()))

    def test_instrumented_code_that_raises(self) -> None:
        exporter = InMemorySpanExporter()
        tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=REDACTOR))
        with pytest.raises(KeyError), tracer.start_as_current_span("lookup"):
            {}[f"customer {EMAIL} / {CODE}"]
        span = exporter.get_finished_spans()[0]
        _assert_clean(span.to_json())
        assert span.events[0].name == "exception" and span.status.status_code == StatusCode.ERROR

    def test_a_span_that_cannot_be_processed_is_exported_redacted_whole(self, monkeypatch: pytest.MonkeyPatch) -> None:
        exporter = InMemorySpanExporter()
        reader = InMemoryMetricReader()
        processor = RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=REDACTOR, meter_provider=MeterProvider([reader]))
        monkeypatch.setattr(REDACTOR, "redact_span", _boom)  # the processor's redactor
        _record_everything(_tracer(processor))
        spans = exporter.get_finished_spans()
        assert len(spans) == 2
        _assert_clean("".join(s.to_json() for s in spans))
        assert spans[1].name == "[REDACTED:error]" and spans[1].attributes["pii.error"] == "RuntimeError"
        assert _metric_points(reader, "pii_tagger.failures") == {(("pii.kind", "span"),): 2}


def _boom(*args: Any) -> Any:
    raise RuntimeError(f"boom {CODE}")


def _metric_points(reader: InMemoryMetricReader, name: str) -> dict[tuple[tuple[str, Any], ...], int]:
    points: dict[tuple[tuple[str, Any], ...], int] = {}
    data = reader.get_metrics_data()
    for resource_metrics in data.resource_metrics if data else ():
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                if metric.name == name:
                    for point in metric.data.data_points:
                        points[tuple(sorted(point.attributes.items()))] = point.value
    return points


def test_redaction_counter_by_category_and_rule() -> None:
    reader = InMemoryMetricReader()
    exporter = InMemorySpanExporter()
    tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=REDACTOR, meter_provider=MeterProvider([reader])))
    _record_everything(tracer)
    points = _metric_points(reader, "pii_tagger.redactions")
    assert points[(("pii.action", "hash"), ("pii.category", 5), ("pii.rule", "email"))] == 1
    assert points[(("pii.action", "mask"), ("pii.category", 11), ("pii.rule", "bank_account"))] == 1
    assert sum(points.values()) >= 10
    assert all(EMAIL not in str(k) for k in points)


def _sdk_logging_handler(logger_provider: LoggerProvider) -> logging.Handler:
    """The SDK's own bridge, deprecated since opentelemetry-sdk 1.39 but still in use."""
    from opentelemetry.sdk._logs import LoggingHandler as SdkLoggingHandler

    with pytest.warns(DeprecationWarning, match="LoggingHandler"):
        return SdkLoggingHandler(logger_provider=logger_provider)


class TestLogs:
    @pytest.mark.parametrize("make_handler", [LoggingHandler, _sdk_logging_handler], ids=["instrumentation", "sdk"])
    def test_logging_bridge_body_and_attributes(self, make_handler: Callable[..., logging.Handler]) -> None:
        exporter = InMemoryLogRecordExporter()
        provider = LoggerProvider(resource=Resource.create({"service.name": "billing"}))
        provider.add_log_record_processor(RedactingLogRecordProcessor(SimpleLogRecordProcessor(exporter), redactor=REDACTOR))
        log = logging.getLogger("otel.bridge")
        handler = make_handler(logger_provider=provider)
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        try:
            log.info("payment from %s to %s", EMAIL, IBAN, extra={"customer.phone": PHONE, "password": SECRET})
            try:
                raise ValueError(f"bad code {CODE}")
            except ValueError:
                log.exception("failed")
        finally:
            log.removeHandler(handler)
        records = [r.log_record for r in exporter.get_finished_logs()]
        rendered = "".join(r.to_json() for r in exporter.get_finished_logs())
        _assert_clean(rendered)
        assert records[0].body == "payment from [REDACTED:email] to [REDACTED:iban:..5001]"
        assert list(records[0].attributes["pii.categories"]) == [2, 11, 16] and "password" not in records[0].attributes
        assert "[HASH:t1:" in records[1].attributes["exception.message"]

    def test_structured_body(self) -> None:
        exporter = InMemoryLogRecordExporter()
        provider = LoggerProvider()
        provider.add_log_record_processor(RedactingLogRecordProcessor(SimpleLogRecordProcessor(exporter), redactor=REDACTOR))
        from opentelemetry._logs import LogRecord

        provider.get_logger("x").emit(LogRecord(body={"customer": {"email": EMAIL, "iban": IBAN}, "n": 3}, attributes={"k": "v"}))
        record = exporter.get_finished_logs()[0].log_record
        assert record.body == {"customer": {"email": "[REDACTED:email]", "iban": "[REDACTED:iban:..5001]"}, "n": 3}
        assert list(record.attributes["pii.categories"]) == [2, 11] and record.attributes["k"] == "v"


# ---- the real OTLP/HTTP exporter against a receiver on 127.0.0.1 --------------------


@contextlib.contextmanager
def _bridged(provider: LoggerProvider, name: str) -> Iterator[logging.Logger]:
    """The logger ``name`` with the OTel logging bridge to ``provider`` for the block."""
    log = logging.getLogger(name)
    handler = LoggingHandler(logger_provider=provider)
    log.addHandler(handler)
    try:
        yield log
    finally:
        log.removeHandler(handler)


def test_nothing_planted_crosses_the_wire(receiver: tuple[str, dict[str, list[bytes]]]) -> None:
    url, bodies = receiver
    tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=f"{url}/v1/traces")), redactor=REDACTOR))
    _record_everything(tracer)

    provider = LoggerProvider()
    provider.add_log_record_processor(
        RedactingLogRecordProcessor(SimpleLogRecordProcessor(OTLPLogExporter(endpoint=f"{url}/v1/logs")), redactor=REDACTOR)
    )
    with _bridged(provider, "otel.wire") as log:
        log.warning("customer %s, phone %s", CODE, PHONE)

    raw = b"".join(bodies["/v1/traces"] + bodies["/v1/logs"])
    for value in PLANTED:
        assert value.encode() not in raw, value
    spans = []
    for body in bodies["/v1/traces"]:
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        spans += [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    tagged = {s.name: {a.key: a.value for a in s.attributes} for s in spans}
    main = next(v for k, v in tagged.items() if k.startswith("GET /customers/"))
    assert [v.int_value for v in main["pii.categories"].array_value.values] == [1, 2, 5, 11, 16]
    assert main["pii.redaction_count"].int_value >= 10 and "pii.redactions" not in main
    logs = ExportLogsServiceRequest()
    logs.ParseFromString(bodies["/v1/logs"][0])
    record = logs.resource_logs[0].scope_logs[0].log_records[0]
    assert record.body.string_value.startswith("customer [HASH:t1:")
    attributes = {a.key: a.value for a in record.attributes}
    assert [v.int_value for v in attributes["pii.categories"].array_value.values] == [1, 2]


def test_a_log_record_that_cannot_be_processed_is_exported_redacted_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    exporter = InMemoryLogRecordExporter()
    processor = RedactingLogRecordProcessor(SimpleLogRecordProcessor(exporter), redactor=REDACTOR)
    monkeypatch.setattr(REDACTOR, "redact_parts", _boom)  # the processor's redactor, at its first step
    provider = LoggerProvider()
    provider.add_log_record_processor(processor)
    from opentelemetry._logs import LogRecord

    provider.get_logger("x").emit(LogRecord(body=f"code {CODE}", attributes={"email": EMAIL, "n": 2}))
    record = exporter.get_finished_logs()[0].log_record
    assert record.body == "[REDACTED:error]"
    assert dict(record.attributes) == {  # a key can hold personal data too: keys are numbered
        "[REDACTED:key:1]": "[REDACTED:error]", "[REDACTED:key:2]": "[REDACTED:error]",
        "pii.categories": (), "pii.redaction_count": 0, "pii.error": "RuntimeError",
    }


def test_protect_wraps_existing_providers_in_place() -> None:
    from pii_tagger.otel import protect

    span_exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    log_exporter = InMemoryLogRecordExporter()
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))
    protect(tracer_provider, logger_provider, redactor=REDACTOR)
    protect(tracer_provider, logger_provider, redactor=REDACTOR)  # not wrapped twice

    with tracer_provider.get_tracer("x").start_as_current_span(f"GET /customers/{CODE}") as span:
        span.set_attribute("user.email", EMAIL)
    from opentelemetry._logs import LogRecord

    logger_provider.get_logger("x").emit(LogRecord(body=f"call {PHONE}"))
    _assert_clean(span_exporter.get_finished_spans()[0].to_json() + log_exporter.get_finished_logs()[0].to_json())
    assert span_exporter.get_finished_spans()[0].attributes["pii.redaction_count"] == 2
    assert log_exporter.get_finished_logs()[0].log_record.body == "call [REDACTED:phone:..67]"


@pytest.mark.parametrize(
    ("tracer_provider", "logger_provider", "cause"),
    [
        (trace.ProxyTracerProvider(), None, r"tracer_provider is not an SDK TracerProvider: no SDK provider has been set yet \(ProxyTracerProvider"),
        (None, ProxyLoggerProvider(), r"logger_provider is not an SDK LoggerProvider: no SDK provider has been set yet"),
        (trace.NoOpTracerProvider(), None, r"OpenTelemetry is disabled \(NoOpTracerProvider"),
        (None, NoOpLoggerProvider(), r"OpenTelemetry is disabled \(NoOpLoggerProvider"),
        (LoggerProvider(), None, r"it is a LoggerProvider: pass it as logger_provider="),
        (object(), None, r"builtins.object is another implementation than the OpenTelemetry SDK's"),
    ],
    ids=["no tracer provider set", "no logger provider set", "tracing disabled", "logs disabled", "swapped", "another implementation"],
)
def test_protect_names_the_real_cause(tracer_provider: Any, logger_provider: Any, cause: str) -> None:
    with pytest.raises(TypeError, match=cause):
        protect(tracer_provider, logger_provider)


def test_protect_on_an_sdk_that_changed_says_so() -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    del provider._active_span_processor  # as an SDK that renamed it
    with pytest.raises(TypeError, match=r"TracerProvider of opentelemetry-sdk [0-9.]+ has no _active_span_processor._span_processors"):
        protect(provider)


# ---- a faithful copy -------------------------------------------------------------------------


def _export_both(record: Callable[[Any], None], limits: SpanLimits | None = None) -> tuple[list[ReadableSpan], list[ReadableSpan]]:
    """The spans ``record`` makes, as exported without and with the redactor (one provider, two pipelines)."""
    plain, redacted = InMemorySpanExporter(), InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "billing"}), span_limits=limits)
    provider.add_span_processor(SimpleSpanProcessor(plain))
    provider.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(redacted), redactor=REDACTOR, meter_provider=MeterProvider()))
    record(provider.get_tracer("billing.payments", "2.1.0", schema_url="https://opentelemetry.io/schemas/1.26.0", attributes={"scope.kind": "http"}))
    return list(plain.get_finished_spans()), list(redacted.get_finished_spans())


def _truncated(tracer: Any) -> None:
    """A clean span past every limit: attributes, events, links, and event and link attributes."""
    with tracer.start_as_current_span("seed") as seed:
        seed_context = seed.get_span_context()
    links = [Link(seed_context, {"link.n": n, "link.kind": "follows"}) for n in range(3)]
    with tracer.start_as_current_span("GET /invoices", kind=trace.SpanKind.SERVER, links=links) as span:
        for n in range(6):
            span.set_attribute(f"app.step.{n}", n)
        for n in range(4):
            span.add_event(f"retry {n}", {"attempt": n, "backoff.ms": 100 * n})
        span.set_status(Status(StatusCode.ERROR, "upstream timed out"))


def _without_our_tags(request: Any) -> Any:
    for resource_spans in request.resource_spans:
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                kept = [a for a in span.attributes if not a.key.startswith("pii.")]
                del span.attributes[:]
                span.attributes.extend(kept)
    return request


class TestFaithfulCopy:
    LIMITS = SpanLimits(max_span_attributes=8, max_events=2, max_links=2, max_event_attributes=1, max_link_attributes=1)

    def test_a_clean_span_is_exported_as_without_the_redactor(self) -> None:
        """Every field the OTLP exporter writes, dropped counts included, is the original's (our tags aside)."""
        plain, redacted = _export_both(_truncated, self.LIMITS)
        span = redacted[1]
        assert (span.dropped_attributes, span.dropped_events, span.dropped_links) == (0, 2, 1)
        assert [e.dropped_attributes for e in span.events] == [1, 1] and [link.dropped_attributes for link in span.links] == [1, 1]
        assert _without_our_tags(encode_spans(redacted)) == encode_spans(plain)
        with pytest.warns(DeprecationWarning):
            assert span.instrumentation_info is not None and span.instrumentation_info == plain[1].instrumentation_info

    def test_our_tags_stay_within_the_attribute_limit(self) -> None:
        """On a full span our two tags push out the two oldest attributes, as
        any attribute set last would, and the dropped count says so."""
        limits = SpanLimits(max_span_attributes=6)
        plain, redacted = _export_both(_truncated, limits)
        original, span = plain[1], redacted[1]
        assert len(original.attributes) == 6 and original.dropped_attributes == 0
        assert list(span.attributes) == ["app.step.2", "app.step.3", "app.step.4", "app.step.5", "pii.categories", "pii.redaction_count"]
        assert span.dropped_attributes == 2
        wire = encode_spans([span]).resource_spans[0].scope_spans[0].spans[0]
        assert len(wire.attributes) == 6 and wire.dropped_attributes_count == 2

    def test_a_copy_redacted_again_keeps_its_dropped_counts(self) -> None:
        """Two redacting processors in a row: the second is handed the first's
        copy, whose dropped counts are its own properties (not the SDK's
        bounded containers), and passes them on."""
        once, twice = InMemorySpanExporter(), InMemorySpanExporter()
        provider = TracerProvider(span_limits=SpanLimits(max_span_attributes=6, max_events=2, max_links=2,
                                                         max_event_attributes=1, max_link_attributes=1))
        provider.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(once), redactor=REDACTOR, meter_provider=MeterProvider()))
        inner = RedactingSpanProcessor(SimpleSpanProcessor(twice), redactor=REDACTOR, meter_provider=MeterProvider())
        provider.add_span_processor(RedactingSpanProcessor(inner, redactor=REDACTOR, meter_provider=MeterProvider()))
        _truncated(provider.get_tracer("billing.payments"))
        first, second = once.get_finished_spans()[1], twice.get_finished_spans()[1]
        assert (first.dropped_attributes, first.dropped_events, first.dropped_links) == (2, 2, 1)
        assert (second.dropped_attributes, second.dropped_events, second.dropped_links) == (2, 2, 1)
        assert list(second.attributes) == list(first.attributes)

    def test_on_start_reaches_the_wrapped_processors_that_do_something(self) -> None:
        seen: list[str] = []

        class Starting(SpanProcessor):
            def on_start(self, span: Any, parent_context: Any = None) -> None:
                seen.append(span.name)

        exporter = InMemorySpanExporter()
        tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(exporter), Starting(), redactor=REDACTOR))
        with tracer.start_as_current_span("checkout"):
            pass
        assert seen == ["checkout"]
        assert [s.name for s in exporter.get_finished_spans()] == ["checkout"]

    def test_only_processors_whose_start_or_ending_does_something_are_called(self) -> None:
        class Counting(SpanProcessor):
            def on_start(self, span: Any, parent_context: Any = None) -> None:
                self.started = True

        for method in (SpanProcessor.on_start, SpanProcessor._on_ending, SimpleSpanProcessor.on_start, SimpleSpanProcessor._on_ending):
            assert _does_nothing(method)
        assert not _does_nothing(Counting().on_start)
        assert not _does_nothing(print)
        processor = RedactingSpanProcessor(SimpleSpanProcessor(InMemorySpanExporter()), Counting(), redactor=REDACTOR)
        assert len(processor._starts) == 1 and not processor._endings

    def test_on_ending_reaches_the_wrapped_processors(self) -> None:
        seen: list[str] = []

        class Ending(SpanProcessor):
            def _on_ending(self, span: Any) -> None:
                seen.append(span.name)

        tracer = _tracer(RedactingSpanProcessor(Ending(), SimpleSpanProcessor(InMemorySpanExporter()), redactor=REDACTOR))
        with tracer.start_as_current_span("checkout"):
            pass
        assert seen == ["checkout"]

    def test_a_subclass_keeps_its_own_on_end(self) -> None:
        seen: list[str] = []

        class Logged(RedactingSpanProcessor):
            def on_end(self, span: ReadableSpan) -> None:
                seen.append(span.name)
                super().on_end(span)

        exporter = InMemorySpanExporter()
        tracer = _tracer(Logged(SimpleSpanProcessor(exporter), redactor=REDACTOR))
        with tracer.start_as_current_span(f"mail {EMAIL}"):
            pass
        assert len(seen) == 1 and EMAIL in seen[0]  # the subclass saw the span, before the redaction
        assert_absent(exporter.get_finished_spans()[0].to_json(), [EMAIL])

    def test_the_wrapped_processors_on_end_is_looked_up_at_each_span(self) -> None:
        first, second = InMemorySpanExporter(), InMemorySpanExporter()
        inner = SimpleSpanProcessor(first)
        tracer = _tracer(RedactingSpanProcessor(inner, redactor=REDACTOR))
        with tracer.start_as_current_span("one"):
            pass
        inner.on_end = SimpleSpanProcessor(second).on_end  # type: ignore[method-assign]
        with tracer.start_as_current_span(f"two {EMAIL}"):
            pass
        assert [s.name for s in first.get_finished_spans()] == ["one"]
        assert [s.name for s in second.get_finished_spans()] == ["two [REDACTED:email]"]

    def test_an_interrupt_in_a_wrapped_processor_reaches_the_application(self) -> None:
        class Interrupted(SpanProcessor):
            def on_end(self, span: ReadableSpan) -> None:
                raise KeyboardInterrupt

        tracer = _tracer(RedactingSpanProcessor(Interrupted(), redactor=REDACTOR))
        with pytest.raises(KeyboardInterrupt), tracer.start_as_current_span("checkout"):
            pass


def test_native_counts_add_up_from_many_threads_and_refuse_an_unknown_target() -> None:
    import threading

    from pii_tagger._native import Counts

    counts = Counts(3)
    def add() -> None:
        for _ in range(1000):
            counts.add([(0, 1), (2, 3)])
    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts.values() == [4000, 0, 12000] and len(counts) == 3
    with pytest.raises(IndexError, match="target"):
        counts.add([(3, 1)])


# ---- metrics ------------------------------------------------------------------------------------


def test_counts_of_every_processor_on_one_meter_provider_are_exported() -> None:
    """The README's setup: a span processor and a log processor on one meter provider."""
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider([reader])
    tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(InMemorySpanExporter()), redactor=REDACTOR, meter_provider=meter_provider))
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(
        RedactingLogRecordProcessor(SimpleLogRecordProcessor(InMemoryLogRecordExporter()), redactor=REDACTOR, meter_provider=meter_provider)
    )
    with tracer.start_as_current_span("x") as span:
        span.set_attribute("user.email", EMAIL)
    for _ in range(2):
        logger_provider.get_logger("x").emit(LogRecord(body=f"mail {EMAIL}, iban {IBAN}"))
    points = _metric_points(reader, "pii_tagger.redactions")
    assert points[(("pii.action", "hash"), ("pii.category", 5), ("pii.rule", "email"))] == 1  # the span's user.email
    assert points[(("pii.action", "mask"), ("pii.category", 2), ("pii.rule", "email"))] == 3  # the records' text, the tracer's scope.owner
    assert points[(("pii.action", "mask"), ("pii.category", 11), ("pii.rule", "iban"))] == 2


def test_audits_are_findings_not_redactions() -> None:
    reader = InMemoryMetricReader()
    exporter = InMemorySpanExporter()
    redactor = Redactor(Policy(mode="audit"), hasher=REDACTOR.hasher, alerts=Alerter([], hasher=REDACTOR.hasher))
    tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=redactor, meter_provider=MeterProvider([reader])))
    with tracer.start_as_current_span("x") as span:
        span.set_attribute("user.email", EMAIL)
        span.set_attribute("password", SECRET)
    exported = exporter.get_finished_spans()[0]
    assert exported.attributes["user.email"] == EMAIL and "password" not in exported.attributes
    assert exported.attributes["pii.redaction_count"] == 1  # the password, dropped; the audited e-mail is no redaction
    redactions = _metric_points(reader, "pii_tagger.redactions")
    findings = _metric_points(reader, "pii_tagger.findings")
    assert [dict(k)["pii.action"] for k in redactions] == ["drop"]
    assert {(dict(k)["pii.rule"], dict(k)["pii.action"]) for k in findings} >= {("email", "audit"), ("secret", "drop")}


# ---- audit alerts: places and sources people can read ----------------------------------------------


def test_audit_alerts_from_spans_and_log_records_say_where_and_from_what() -> None:
    sent: list[Alert] = []
    alerter = Alerter([sent.append], hasher=REDACTOR.hasher, max_alerts=100)
    redactor = Redactor(Policy(mode="audit"), hasher=REDACTOR.hasher, alerts=alerter, source="svc")
    tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(InMemorySpanExporter()), redactor=redactor))
    _record_everything(tracer)
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(RedactingLogRecordProcessor(SimpleLogRecordProcessor(InMemoryLogRecordExporter()), redactor=redactor))
    logger_provider.get_logger("billing.api").emit(LogRecord(body={"customer": {"email": EMAIL}}, attributes={"customer.phone": PHONE}))
    places = {(a.where, a.source) for a in sent}
    assert {
        ("span.name", "billing.payments"),
        ("span.user.email", "billing.payments"),
        ("events[0].name", "billing.payments"),
        ("events[0].customer.phone", "billing.payments"),
        ("links[0].link.note", "billing.payments"),
        ("status.description", "billing.payments"),
        ("scope.scope.owner", "billing.payments"),
        ("body.customer.email", "billing.api"),
        ("customer.phone", "billing.api"),
    } <= places
    rendered = repr([a.as_dict() for a in sent])
    assert "\\x00" not in rendered and all(source for _, source in places)
    _assert_clean(rendered)


# ---- bad input: exported redacted whole, never dropped, never raising ------------------------------


class _Unreadable(dict):  # type: ignore[type-arg]
    """Attributes that raise whenever they are read."""

    def copy(self) -> Any:
        raise RuntimeError(f"attributes of {EMAIL} lost")

    def items(self) -> Any:
        return self.copy()

    values = keys = __iter__ = items


class _UnreadableEvents(tuple):  # type: ignore[type-arg]
    """Events that raise whenever they are read."""

    def __iter__(self) -> Any:
        raise RuntimeError(f"events of {CODE} lost")


def _broken_spans() -> list[ReadableSpan]:
    context = trace.SpanContext(0x1234, 0x5678, is_remote=False)
    return [
        ReadableSpan(f"GET /customers/{CODE}", context, attributes=_Unreadable({"user.email": EMAIL})),
        ReadableSpan(
            f"GET /customers/{CODE}", context, attributes={"user.email": EMAIL, "phone": PHONE},
            events=_UnreadableEvents([Event(f"looked up {EMAIL}")]),
        ),
    ]


@pytest.mark.parametrize("span", _broken_spans(), ids=["attributes that cannot be read", "events that cannot be read"])
def test_a_broken_span_is_exported_redacted_whole(span: ReadableSpan, caplog: pytest.LogCaptureFixture) -> None:
    inner = InMemorySpanExporter()
    reader = InMemoryMetricReader()
    exporter = RedactingSpanExporter(inner, redactor=REDACTOR, meter_provider=MeterProvider([reader]))
    with caplog.at_level(logging.ERROR, logger="pii_tagger"):
        exporter.export([span])
    (out,) = inner.get_finished_spans()
    assert out.name == "[REDACTED:error]" and out.attributes["pii.error"] == "RuntimeError"
    assert out.get_span_context().span_id == 0x5678
    wire = encode_spans([out]).SerializeToString()  # the OTLP exporter can still write it
    for value in PLANTED:
        assert value.encode() not in wire
    _assert_clean(caplog.text)
    assert _metric_points(reader, "pii_tagger.failures") == {(("pii.kind", "span"),): 1}


def test_a_span_without_the_sdks_fields_is_still_exported(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fail-closed path itself cannot fail: with nothing of the span readable, a marker span goes out."""

    class Opaque:
        __slots__ = ()
        name = f"GET /customers/{CODE}"

    inner = InMemorySpanExporter()
    RedactingSpanExporter(inner, redactor=REDACTOR, meter_provider=MeterProvider()).export([Opaque()])  # type: ignore[list-item]
    (out,) = inner.get_finished_spans()
    assert out.name == "[REDACTED:error]" and out.attributes["pii.error"] == "TypeError"  # vars() of an object without a __dict__
    encode_spans([out])


# ---- every exported field of a log record ------------------------------------------------------

MAIL = "anna.ozola@example.lv"


def _log_pipeline(redactor: Redactor = REDACTOR) -> tuple[LoggerProvider, InMemoryLogRecordExporter, RedactingLogRecordProcessor]:
    exporter = InMemoryLogRecordExporter()
    processor = RedactingLogRecordProcessor(SimpleLogRecordProcessor(exporter), redactor=redactor, meter_provider=MeterProvider())
    provider = LoggerProvider()
    provider.add_log_record_processor(processor)
    return provider, exporter, processor


def test_the_event_name_of_a_log_record_is_redacted() -> None:
    provider, exporter, _ = _log_pipeline()
    provider.get_logger("app").emit(LogRecord(body="x", event_name=f"login {MAIL}"))
    record = exporter.get_finished_logs()[0].log_record
    assert record.event_name == "login [REDACTED:email]"
    assert list(record.attributes["pii.categories"]) == [2]
    assert MAIL not in exporter.get_finished_logs()[0].to_json()


def test_the_event_name_is_a_marker_when_the_record_cannot_be_processed(monkeypatch: pytest.MonkeyPatch) -> None:
    provider, exporter, _ = _log_pipeline()
    monkeypatch.setattr(REDACTOR, "redact_parts", _boom)  # the processor's redactor, at its first step
    provider.get_logger("app").emit(LogRecord(body="x", event_name=f"login {MAIL}"))
    assert exporter.get_finished_logs()[0].log_record.event_name == "[REDACTED:error]"


def test_the_event_name_of_the_logging_bridge_reaches_the_wire_redacted(receiver: tuple[str, dict[str, list[bytes]]]) -> None:
    url, bodies = receiver
    provider = LoggerProvider()
    provider.add_log_record_processor(
        RedactingLogRecordProcessor(SimpleLogRecordProcessor(OTLPLogExporter(endpoint=f"{url}/v1/logs")), redactor=REDACTOR)
    )
    with _bridged(provider, "otel.event_name") as log:
        log.warning("signed in", extra={"otel.event.name": f"login {MAIL}"})
    raw = b"".join(bodies["/v1/logs"])
    assert MAIL.encode() not in raw and b"login [REDACTED:email]" in raw


def test_the_scope_attributes_of_a_log_record_are_redacted() -> None:
    provider, exporter, _ = _log_pipeline()
    provider.get_logger("app", attributes={"owner": MAIL, "team": "billing"}).emit(LogRecord(body="x"))
    exported = exporter.get_finished_logs()[0]
    assert dict(exported.instrumentation_scope.attributes) == {"owner": "[REDACTED:email]", "team": "billing"}
    assert exported.instrumentation_scope.name == "app"
    assert MAIL not in exported.to_json()


def test_the_scope_attributes_are_markers_when_the_record_cannot_be_processed(monkeypatch: pytest.MonkeyPatch) -> None:
    provider, exporter, _ = _log_pipeline()
    monkeypatch.setattr(REDACTOR, "redact_parts", _boom)  # the processor's redactor, at its first step
    provider.get_logger("app", attributes={"owner": MAIL}).emit(LogRecord(body="x"))
    exported = exporter.get_finished_logs()[0]
    assert dict(exported.instrumentation_scope.attributes) == {"[REDACTED:key:1]": "[REDACTED:error]"}


# ---- several redacting processors on one provider ------------------------------------------------


def test_two_log_processors_on_one_provider_keep_each_others_tags() -> None:
    """Records are redacted in place: the second processor sees the first one's work and keeps its tags."""
    first, second = InMemoryLogRecordExporter(), InMemoryLogRecordExporter()
    provider = LoggerProvider()
    for exporter in (first, second):
        provider.add_log_record_processor(RedactingLogRecordProcessor(SimpleLogRecordProcessor(exporter), redactor=REDACTOR, meter_provider=MeterProvider()))
    provider.get_logger("app").emit(LogRecord(body=f"mail {MAIL}"))
    for exporter in (first, second):
        attributes = exporter.get_finished_logs()[0].log_record.attributes
        assert (list(attributes["pii.categories"]), attributes["pii.redaction_count"]) == ([2], 1)


def test_two_span_processors_on_one_meter_provider_count_a_span_once() -> None:
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider([reader])
    provider = TracerProvider()
    for _ in range(2):
        provider.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(InMemorySpanExporter()), redactor=REDACTOR, meter_provider=meter_provider))
    with provider.get_tracer("x").start_as_current_span("x") as span:
        span.set_attribute("note", f"mail {MAIL}")
    assert _metric_points(reader, "pii_tagger.redactions") == {(("pii.action", "mask"), ("pii.category", 2), ("pii.rule", "email")): 1}


def test_protect_again_wraps_only_the_processors_added_since() -> None:
    first, second = InMemorySpanExporter(), InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(first))
    protect(provider, redactor=REDACTOR, meter_provider=MeterProvider())
    provider.add_span_processor(SimpleSpanProcessor(second))
    protect(provider, redactor=REDACTOR, meter_provider=MeterProvider())
    processors = provider._active_span_processor._span_processors  # the SDK has no public accessor for its processors
    assert [type(p) for p in processors] == [RedactingSpanProcessor, RedactingSpanProcessor]
    # What a processor wraps has no public accessor, and a double wrap is not seen in the output (redaction is idempotent).
    assert all(not isinstance(inner, RedactingSpanProcessor) for p in processors for inner in p._processors)
    with provider.get_tracer("x").start_as_current_span("x") as span:
        span.set_attribute("note", f"mail {MAIL}")
    for exporter in (first, second):
        assert exporter.get_finished_spans()[0].attributes["note"] == "mail [REDACTED:email]"


# ---- tags from the stdlib filter upstream; attributes of those names ----------------------------


def test_the_stdlib_filters_tags_reach_the_otel_record() -> None:
    """pii_tagger.stdlib.install() before the OTel bridge: the record says what the filter redacted."""
    provider, exporter, _ = _log_pipeline()
    with _bridged(provider, "otel.upstream") as log:
        log.propagate = False
        pii_tagger.stdlib.install(log, redactor=REDACTOR)
        try:
            log.warning("mail %s", MAIL)
            log.warning("a record the filter failed on", extra={"pii_error": "pii_tagger could not process this record (RuntimeError)"})
        finally:
            log.propagate = True
    first, second = (r.log_record for r in exporter.get_finished_logs())
    assert first.body == "mail [REDACTED:email]"
    assert (list(first.attributes["pii.categories"]), first.attributes["pii.redaction_count"]) == ([2], 1)
    assert not {"pii_categories", "pii_redactions"} & set(first.attributes)
    assert second.attributes["pii.error"] == "pii_tagger could not process this record (RuntimeError)"


def test_an_applications_attributes_named_as_our_tags_are_kept_and_redacted() -> None:
    exporter = InMemorySpanExporter()
    tracer = _tracer(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=REDACTOR, meter_provider=MeterProvider()))
    with tracer.start_as_current_span("x") as span:
        span.set_attribute("pii_categories", "customer data")
        span.set_attribute("pii_redactions", 3)
        span.add_event("e", {"pii_error": f"mail {MAIL}"})
    exported = exporter.get_finished_spans()[0]
    assert exported.attributes["pii_categories"] == "customer data" and exported.attributes["pii_redactions"] == 3
    assert exported.events[0].attributes["pii_error"] == "mail [REDACTED:email]"


_GLOBAL_METER_PROVIDER = """
from opentelemetry import metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pii_tagger import Hasher, Redactor
from pii_tagger.otel import RedactingSpanProcessor

redactor = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))
early, late = TracerProvider(), TracerProvider()
early.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(InMemorySpanExporter()), redactor=redactor))  # the API's proxy
reader = InMemoryMetricReader()
metrics.set_meter_provider(MeterProvider([reader]))
late.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(InMemorySpanExporter()), redactor=redactor))  # the real one
for provider in (early, late):
    with provider.get_tracer("x").start_as_current_span("x") as span:
        span.set_attribute("note", "mail anna.ozola@example.lv")
points = [p.value for rm in reader.get_metrics_data().resource_metrics for sm in rm.scope_metrics
          for m in sm.metrics if m.name == "pii_tagger.redactions" for p in m.data.data_points]
print(points)
"""


def test_processors_made_before_and_after_the_global_meter_provider_is_set_share_counters() -> None:
    """A global (set-once) meter provider: in a process of its own."""
    result = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", _GLOBAL_METER_PROVIDER], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[2]"
    assert "already" not in result.stderr.lower() and "duplicate" not in result.stderr.lower()


class _Stubborn(SimpleSpanProcessor):
    """A processor whose flush fails and whose shutdown raises."""

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return False

    def shutdown(self) -> None:
        raise RuntimeError("exporter gone")


def test_flush_and_shutdown_reach_every_wrapped_processor() -> None:
    after = InMemorySpanExporter()
    inner = SimpleSpanProcessor(after)
    flushed: list[int] = []
    inner.force_flush = lambda timeout_millis=30000: flushed.append(timeout_millis) or True  # type: ignore[method-assign]
    processor = RedactingSpanProcessor(_Stubborn(InMemorySpanExporter()), inner, redactor=REDACTOR, meter_provider=MeterProvider())
    assert processor.force_flush(1000) is False and flushed == [1000]
    with pytest.raises(RuntimeError, match="exporter gone"):
        processor.shutdown()
    assert after.export([]) == SpanExportResult.FAILURE  # the SDK's exporter, shut down, refuses spans
