"""OpenTelemetry: redact and tag spans and log records before they are exported.

Spans are frozen by the time a processor sees them, so the redactor wraps the
processors (or exporters) the application already has and hands them a
redacted copy; log records are redacted in place before the wrapped log
processor sees them::

    provider.add_span_processor(RedactingSpanProcessor(BatchSpanProcessor(OTLPSpanExporter())))
    logger_provider.add_log_record_processor(RedactingLogRecordProcessor(BatchLogRecordProcessor(exporter)))

Every span and log record gets ``pii.categories`` (the category numbers it
carried, an int array; empty when none) and ``pii.redactions`` (how many
values were masked, hashed or dropped). Never a value. An asynchronous
counter ``pii_tagger.redactions`` (attributes ``pii.category``, ``pii.rule``,
``pii.action``) counts what each service redacts. A span or record that
cannot be processed is exported with every string replaced by a marker and
``pii.error`` set (fail closed), never dropped; the failure is counted
(``pii_tagger.failures``) and logged once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from opentelemetry import metrics
from opentelemetry.attributes import BoundedAttributes
from opentelemetry.context import Context
from opentelemetry.sdk._logs import LogRecordProcessor, ReadWriteLogRecord
from opentelemetry.sdk.trace import Event, ReadableSpan, Span, SpanProcessor
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import Link, Status

from .engine import Redactor
from .failsafe import MARKER, report_once

CATEGORIES_ATTRIBUTE = "pii.categories"
COUNT_ATTRIBUTE = "pii.redactions"
ERROR_ATTRIBUTE = "pii.error"
# Span and event names, status descriptions and log bodies ride along with the
# attributes under keys no attribute has, whose words ("span name", "body")
# are neutral to the field-name rules: their text is scanned by value only.
_NAME = "\x00span_name"


class _Tally:
    """Categories and redaction counts over every part of one span or record."""

    __slots__ = ("categories", "count", "notes")

    def __init__(self) -> None:
        self.categories: set[int] = set()
        self.count = 0
        self.notes: dict[tuple[int, str, str], int] = {}

    def add(self, categories: set[int], notes: Mapping[tuple[str, str, int, str], int]) -> None:
        self.categories |= categories
        for (_, rule, category, action), n in notes.items():
            if action != "keep":
                self.count += n
            key = (category, rule, action)
            self.notes[key] = self.notes.get(key, 0) + n

    def tags(self) -> dict[str, Any]:
        return {CATEGORIES_ATTRIBUTE: sorted(self.categories), COUNT_ATTRIBUTE: self.count}


class _Redaction:
    """Shared by the span and log processors: the redactor, the totals, the tally.

    Counts are added to in-process totals (a dict under a lock) and reported by
    asynchronous counters when the metrics SDK collects: a span pays a dict
    update, not a metrics call per category and rule.
    """

    def __init__(self, redactor: Redactor | None, meter_provider: metrics.MeterProvider | None) -> None:
        self.redactor = redactor or Redactor()
        self._lock = threading.Lock()
        self._redactions: dict[tuple[int, str, str], int] = {}
        self._failures: dict[str, int] = {}
        meter = (meter_provider or metrics.get_meter_provider()).get_meter("pii_tagger")
        meter.create_observable_counter(
            "pii_tagger.redactions",
            callbacks=[self._observe_redactions],
            unit="{value}",
            description="Values masked, hashed, dropped or tagged, by category, rule and action",
        )
        meter.create_observable_counter(
            "pii_tagger.failures",
            callbacks=[self._observe_failures],
            unit="{item}",
            description="Spans and log records exported redacted whole after an error",
        )

    def _observe_redactions(self, options: metrics.CallbackOptions) -> Iterable[metrics.Observation]:
        with self._lock:
            totals = list(self._redactions.items())
        for (category, rule, action), n in totals:
            yield metrics.Observation(n, {"pii.category": category, "pii.rule": rule, "pii.action": action})

    def _observe_failures(self, options: metrics.CallbackOptions) -> Iterable[metrics.Observation]:
        with self._lock:
            totals = list(self._failures.items())
        for kind, n in totals:
            yield metrics.Observation(n, {"pii.kind": kind})

    def redact(self, tally: _Tally, parts: Sequence[tuple[Mapping[str, Any] | None, str | None]]) -> list[dict[str, Any]]:
        """The redacted attributes of each (attributes, name) part of one span
        or record, in one pass; a part's name comes back under ``_NAME``."""
        events = []
        for attributes, name in parts:
            event = _plain_copy(attributes)
            if name is not None:
                event[_NAME] = name
            events.append(event)
        outs, categories, notes = self.redactor.redact_counted(events)
        tally.add(categories, notes)
        return outs

    def count(self, tally: _Tally) -> None:
        if tally.notes:
            with self._lock:
                totals = self._redactions
                for key, n in tally.notes.items():
                    totals[key] = totals.get(key, 0) + n

    def failed(self, kind: str, exc: BaseException) -> None:
        report_once(kind, exc)
        with self._lock:
            self._failures[kind] = self._failures.get(kind, 0) + 1


def _plain_copy(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    """A dict of ``attributes``. The SDK's (BoundedAttributes, also behind the
    read-only view a span gives) copy themselves without taking their lock
    per key, as ``dict()`` would."""
    if attributes is None:
        return {}
    if isinstance(attributes, (BoundedAttributes, MappingProxyType)):
        return dict(attributes.copy())
    return dict(attributes)


class _FanOut:
    """Shutdown and flush passed on to the wrapped processors."""

    _processors: tuple[Any, ...]

    def shutdown(self) -> None:
        for processor in self._processors:
            processor.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return all(processor.force_flush(timeout_millis) for processor in self._processors)


class RedactingSpanProcessor(_FanOut, SpanProcessor):
    """Hands a redacted, tagged copy of every ended span to ``processors``.

    Args:
        processors: the application's span processors (a BatchSpanProcessor
            with its exporter, ...), called in order.
        redactor: the :class:`~pii_tagger.Redactor` (default: shipped rules, policy from
            the environment).
        redact_resource: also redact resource attributes; off by default since
            the resource is shared by every span and is usually service metadata.
    """

    def __init__(
        self,
        *processors: SpanProcessor,
        redactor: Redactor | None = None,
        redact_resource: bool = False,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._processors = processors
        self._redaction = _Redaction(redactor, meter_provider)
        self._redact_resource = redact_resource

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        for processor in self._processors:
            processor.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        copy = redact_span(span, self._redaction, self._redact_resource)
        for processor in self._processors:
            processor.on_end(copy)


class _Wrapping:
    """Shutdown and flush passed on to the wrapped exporter."""

    _exporter: SpanExporter

    def shutdown(self) -> None:
        self._exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporter.force_flush(timeout_millis)


class RedactingSpanExporter(_Wrapping, SpanExporter):
    """For applications that wire exporters directly: exports redacted copies."""

    def __init__(
        self,
        exporter: SpanExporter,
        *,
        redactor: Redactor | None = None,
        redact_resource: bool = False,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._exporter = exporter
        self._redaction = _Redaction(redactor, meter_provider)
        self._redact_resource = redact_resource

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._exporter.export([redact_span(s, self._redaction, self._redact_resource) for s in spans])


def redact_span(span: ReadableSpan, redaction: _Redaction, redact_resource: bool = False) -> ReadableSpan:
    """A redacted, tagged copy of ``span``; on failure a copy with every string replaced."""
    try:
        return _redact_span(span, redaction, redact_resource)
    except Exception as exc:  # noqa: BLE001 - a span is never lost and never raises into the app
        redaction.failed("span", exc)
        return _blank_span(span, exc)


def _redact_span(span: ReadableSpan, redaction: _Redaction, redact_resource: bool) -> ReadableSpan:
    events, links, status = span.events, span.links, span.status
    scope, resource = span.instrumentation_scope, span.resource
    scoped = scope is not None and bool(scope.attributes)
    resourced = redact_resource and resource is not None
    # Every part of the span in one pass, in this order.
    parts: list[tuple[Mapping[str, Any] | None, str | None]] = [(span.attributes, span.name)]
    parts += [(event.attributes, event.name) for event in events]
    parts += [(link.attributes, None) for link in links]
    if status.description:
        parts.append((None, status.description))
    if scoped:
        parts.append((scope.attributes, None))  # type: ignore[union-attr]
    if resourced:
        parts.append((resource.attributes, None))
    tally = _Tally()
    outs = iter(redaction.redact(tally, parts))  # taken in the order the parts were put
    attributes = next(outs)
    name = attributes.pop(_NAME)
    new_events = []
    for event in events:
        out = next(outs)
        new_events.append(Event(out.pop(_NAME), out, event.timestamp))
    new_links = [Link(link.context, next(outs)) for link in links]
    if status.description:
        status = Status(status.status_code, next(outs)[_NAME])
    if scoped:
        scope = InstrumentationScope(scope.name, scope.version, scope.schema_url, next(outs))  # type: ignore[union-attr]
    if resourced:
        resource = type(resource)(next(outs), resource.schema_url)
    attributes.update(tally.tags())
    redaction.count(tally)
    return _copy_span(span, name, attributes, new_events, new_links, status, scope, resource)


def _copy_span(span: ReadableSpan, name: str, attributes: Mapping[str, Any], events: Sequence[Event],
               links: Sequence[Link], status: Status, scope: InstrumentationScope | None, resource: Any) -> ReadableSpan:
    return ReadableSpan(
        name=name,
        context=span.context,
        parent=span.parent,
        resource=resource,
        attributes=attributes,
        events=events,
        links=links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=scope,
    )


def _blank(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: _blank_value(value) for key, value in (attributes or {}).items()}


def _blank_value(value: Any) -> Any:
    if isinstance(value, (bool, float)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_blank_value(v) for v in value]
    return MARKER


def _blank_span(span: ReadableSpan, exc: BaseException) -> ReadableSpan:
    attributes = _blank(span.attributes)
    attributes.update({CATEGORIES_ATTRIBUTE: [], COUNT_ATTRIBUTE: 0, ERROR_ATTRIBUTE: type(exc).__name__})
    events = [Event(MARKER, _blank(e.attributes), e.timestamp) for e in span.events]
    links = [Link(link.context, _blank(link.attributes)) for link in span.links]
    status = Status(span.status.status_code, MARKER if span.status.description else None)
    return _copy_span(span, MARKER, attributes, events, links, status, span.instrumentation_scope, span.resource)


class RedactingLogRecordProcessor(_FanOut, LogRecordProcessor):
    """Redacts the body (string or structured) and attributes of every log
    record, in place, then hands it to ``processors``. Works behind OTel's
    ``LoggingHandler`` bridge from stdlib logging."""

    def __init__(
        self,
        *processors: LogRecordProcessor,
        redactor: Redactor | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._processors = processors
        self._redaction = _Redaction(redactor, meter_provider)

    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        try:
            _redact_log_record(log_record, self._redaction)
        except Exception as exc:  # noqa: BLE001 - the record goes out redacted whole, never raises
            self._redaction.failed("log record", exc)
            _blank_log_record(log_record, exc)
        for processor in self._processors:
            processor.on_emit(log_record)


_BODY = "\x00body"


def _redact_log_record(log_record: ReadWriteLogRecord, redaction: _Redaction) -> None:
    record = log_record.log_record
    tally = _Tally()
    event = dict(record.attributes or {})
    if record.body is not None:
        event[_BODY] = record.body
    out = redaction.redact(tally, [(event, None)])[0]
    if _BODY in out:
        record.body = out.pop(_BODY)
    out.update(tally.tags())
    _replace_attributes(log_record, out)
    redaction.count(tally)


def _replace_attributes(log_record: ReadWriteLogRecord, attributes: Mapping[str, Any]) -> None:
    """In place where the SDK's bounded attributes allow it (keeping their limits)."""
    current: Any = log_record.log_record.attributes
    if current is not None and hasattr(current, "clear"):
        current.clear()
        current.update(attributes)
    else:
        log_record.log_record.attributes = dict(attributes)


def _blank_log_record(log_record: ReadWriteLogRecord, exc: BaseException) -> None:
    record = log_record.log_record
    record.body = MARKER if record.body is not None else None
    attributes = _blank(record.attributes)
    attributes.update({CATEGORIES_ATTRIBUTE: [], COUNT_ATTRIBUTE: 0, ERROR_ATTRIBUTE: type(exc).__name__})
    _replace_attributes(log_record, attributes)


def protect(
    tracer_provider: Any = None,
    logger_provider: Any = None,
    *,
    redactor: Redactor | None = None,
    redact_resource: bool = False,
    meter_provider: metrics.MeterProvider | None = None,
) -> None:
    """Wrap every processor an existing provider already has, in place.

    For providers set up elsewhere (auto-instrumentation, a shared bootstrap):
    ``protect(trace.get_tracer_provider(), logs.get_logger_provider())``. The
    exporters stay as they are. Processors added afterwards are not wrapped:
    wrap those yourself. Calling it twice does not wrap twice. It uses the
    SDK's processor lists (``_active_span_processor``,
    ``_multi_log_record_processor``) and says so if a version lacks them.
    """
    if tracer_provider is not None:
        _wrap_in_place(
            tracer_provider, "_active_span_processor", "_span_processors", RedactingSpanProcessor,
            lambda existing: RedactingSpanProcessor(
                *existing, redactor=redactor, redact_resource=redact_resource, meter_provider=meter_provider
            ),
        )
    if logger_provider is not None:
        _wrap_in_place(
            logger_provider, "_multi_log_record_processor", "_log_record_processors", RedactingLogRecordProcessor,
            lambda existing: RedactingLogRecordProcessor(*existing, redactor=redactor, meter_provider=meter_provider),
        )


def _wrap_in_place(provider: Any, multi_name: str, list_name: str, kind: type, wrap: Any) -> None:
    multi = getattr(provider, multi_name, None)
    if multi is None or not hasattr(multi, list_name) or not hasattr(multi, "_lock"):
        raise TypeError(
            f"pii_tagger.otel.protect: {type(provider).__name__} has no {multi_name}.{list_name} "
            "(another SDK, or a version that changed it); wrap your processors explicitly instead"
        )
    with multi._lock:
        existing = getattr(multi, list_name)
        if existing and all(isinstance(p, kind) for p in existing):
            return
        setattr(multi, list_name, (wrap(existing),))
