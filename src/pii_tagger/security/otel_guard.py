"""The export-edge guard for OpenTelemetry: spans at the exporter, log records
in front of the processors that export them.

    provider.add_span_processor(BatchSpanProcessor(GuardedSpanExporter(OTLPSpanExporter())))
    logger_provider.add_log_record_processor(GuardedLogRecordProcessor(BatchLogRecordProcessor(exporter)))

Every string a span carries (name, attributes, event names and attributes,
link attributes, status description, scope attributes; resource attributes
with ``check_resource``) is checked. A leak is alerted with its place
(``span.http.url``, ``events[0].exception.message``, ``body``, ...) and, unless
``redact=False``, the span or record is redacted before it is exported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from opentelemetry import metrics
from opentelemetry.sdk._logs import LogRecordProcessor, ReadWriteLogRecord
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from ..failsafe import report_once
from .guard import LeakGuard
from ..integrations.otel_redaction import (
    BODY_KEY,
    NAME_KEY,
    FanOut,
    Redaction,
    Wrapping,
    blank_log_record,
    blank_span,
    redact_log_record_or_raise,
    redact_span,
    where,
)


class _Edge:
    """Shared by the span exporter and the log processor: check, alert, redact."""

    def __init__(self, guard: LeakGuard | None, meter_provider: metrics.MeterProvider | None, spans: bool) -> None:
        self.guard = guard or LeakGuard()
        self.redaction = Redaction(self.guard.redactor, meter_provider, spans)

    def leaked(self, parts: Iterator[tuple[str, str, Mapping[str, Any]]], source: str) -> bool:
        """Alerts every leak in ``parts`` (prefix, name of the part's own
        text, part: see :func:`~pii_tagger.integrations.otel_redaction.where`); True when there was one."""
        found = False
        source = self.guard.redactor.alert_source(source)
        for prefix, own, part in parts:
            _, leaks = self.guard.find(part)
            for item in leaks:
                self.guard.alerts.report("leak", item.target, where(prefix, own, item.path), source, item.value)
            found = found or bool(leaks)
        return found


class GuardedSpanExporter(Wrapping, SpanExporter):
    """Checks every span on its way into ``exporter``; leaks are alerted and
    (with ``redact``, the default) exported redacted."""

    def __init__(
        self,
        exporter: SpanExporter,
        *,
        guard: LeakGuard | None = None,
        check_resource: bool = False,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._exporter = exporter
        self._edge = _Edge(guard, meter_provider, spans=True)
        self._check_resource = check_resource

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._exporter.export([self._checked(span) for span in spans])

    def _checked(self, span: ReadableSpan) -> ReadableSpan:
        edge = self._edge
        try:
            source = span.instrumentation_scope.name if span.instrumentation_scope else ""
            if not edge.leaked(_span_parts(span, self._check_resource), source or edge.guard.source):
                return span
        except Exception as exc:  # noqa: BLE001 - never raises into the SDK; in doubt, redact
            report_once("span guard", exc)
            return blank_span(span, exc, self._check_resource) if edge.guard.redact else span
        return redact_span(span, edge.redaction, self._check_resource) if edge.guard.redact else span


def _span_parts(span: ReadableSpan, resource: bool) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    yield "span", "span.name", {**(span.attributes or {}), NAME_KEY: span.name}
    for i, event in enumerate(span.events):
        yield f"events[{i}]", f"events[{i}].name", {**(event.attributes or {}), NAME_KEY: event.name}
    for i, link in enumerate(span.links):
        if link.attributes:
            yield f"links[{i}]", "", dict(link.attributes)
    if span.status.description:
        yield "status", "status.description", {NAME_KEY: span.status.description}
    scope = span.instrumentation_scope
    if scope is not None and scope.attributes:
        yield "scope", "", dict(scope.attributes)
    if resource and span.resource is not None:
        yield "resource", "", dict(span.resource.attributes)


class GuardedLogRecordProcessor(FanOut, LogRecordProcessor):
    """Checks each log record (body and attributes) just before ``processors``
    export it; leaks are alerted and (with ``redact``) redacted in place."""

    def __init__(
        self,
        *processors: LogRecordProcessor,
        guard: LeakGuard | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._processors = processors
        self._edge = _Edge(guard, meter_provider, spans=False)

    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        edge = self._edge
        try:
            record = log_record.log_record
            part = dict(record.attributes or {})
            if record.body is not None:
                part[BODY_KEY] = record.body
            scope = getattr(log_record, "instrumentation_scope", None)
            source = getattr(scope, "name", "") or edge.guard.source
            if edge.leaked(iter([("", "body", part)]), source) and edge.guard.redact:
                redact_log_record_or_raise(log_record, edge.redaction)
        except Exception as exc:  # noqa: BLE001 - never raises into the app; in doubt, redact
            report_once("log record guard", exc)
            if edge.guard.redact:
                blank_log_record(log_record, exc)
        for processor in self._processors:
            processor.on_emit(log_record)
