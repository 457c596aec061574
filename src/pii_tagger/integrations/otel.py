"""OpenTelemetry: redact and tag spans and log records before they are exported.

Spans are frozen by the time a processor sees them, so the redactor wraps the
processors (or exporters) the application already has and hands them a
redacted copy; log records are redacted in place before the wrapped log
processor sees them::

    provider.add_span_processor(RedactingSpanProcessor(BatchSpanProcessor(OTLPSpanExporter())))
    logger_provider.add_log_record_processor(RedactingLogRecordProcessor(BatchLogRecordProcessor(exporter)))

The copy of a span is the original with its strings redacted: every other
field (context, parent, kind, times, scope, the deprecated
``instrumentation_info``, resource) and the dropped counts of attributes,
events and links (and of each event's and link's attributes) are the
original's. Every span and log record gets ``pii.categories`` (the category
numbers it carried, an int array; empty when none) and
``pii.redaction_count`` (how many values were masked, hashed or dropped;
kept and audited ones are not redactions). Never a value. They are set last
and obey the attribute count limit the span or record was made with: on a
full span they push out its oldest attributes, as any attribute set last
would, and the span's dropped count says so.

Asynchronous counters, one set per meter provider whatever the number of
processors: ``pii_tagger.redactions`` (values masked, hashed or dropped) and
``pii_tagger.findings`` (every finding, kept and audited ones too), both by
``pii.category``, ``pii.rule`` and ``pii.action``; ``pii_tagger.failures``
by ``pii.kind``. A record that an earlier redacting processor tagged (two
pipelines on one provider) keeps its tags: categories merged, counts added;
a span two processors redact is counted once. The tags of the stdlib filter
upstream of the logging bridge are carried in: ``pii_categories`` merged,
the redactions of ``pii_redactions`` added, ``pii_error`` kept as
``pii.error`` (an attribute of one of those names in another shape is the
application's: it stays). A span or record that cannot
be processed is exported with every string replaced by a marker and
``pii.error`` set (fail closed), never dropped; the failure is counted and
logged once.
"""

from __future__ import annotations

import dis
import itertools
import types
from collections.abc import Callable, Sequence
from typing import Any

from opentelemetry import metrics
from opentelemetry.context import Context
from opentelemetry.sdk._logs import LogRecordProcessor, ReadWriteLogRecord
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from ..engine import Redactor
from .otel_redaction import (
    CATEGORIES_ATTRIBUTE,
    COUNT_ATTRIBUTE,
    ERROR_ATTRIBUTE,
    FanOut,
    Redaction,
    Wrapping,
    redact_log_record,
    redact_span,
    span_end,
    where,
)

__all__ = [
    "CATEGORIES_ATTRIBUTE",
    "COUNT_ATTRIBUTE",
    "ERROR_ATTRIBUTE",
    "RedactingLogRecordProcessor",
    "RedactingSpanExporter",
    "RedactingSpanProcessor",
    "protect",
    "redact_log_record",
    "redact_span",
    "where",
]


class RedactingSpanProcessor(FanOut, SpanProcessor):
    """Hands a redacted, tagged copy of every ended span to ``processors``.

    ``on_start`` and ``_on_ending`` pass the live span on as the SDK gives it
    (it is still being recorded); ``on_end`` passes the redacted copy.

    Args:
        processors: the application's span processors (a BatchSpanProcessor
            with its exporter, ...), called in order.
        redactor: the :class:`~pii_tagger.Redactor` (default: shipped rules, policy from
            the environment).
        redact_resource: also redact resource attributes; off by default since
            the resource is shared by every span and is usually service metadata.
        meter_provider: where the counters go (default: the global one).
    """

    def __init__(
        self,
        *processors: SpanProcessor,
        redactor: Redactor | None = None,
        redact_resource: bool = False,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._processors = processors
        self._redaction = Redaction(redactor, meter_provider, spans=True)
        self._redact_resource = redact_resource
        # The SDK's own processors do nothing on start and ending: only those that do are called.
        self._starts = tuple(p.on_start for p in processors if not _does_nothing(p.on_start))
        self._endings = tuple(
            p._on_ending for p in processors if hasattr(p, "_on_ending") and not _does_nothing(p._on_ending)  # SDKs before 1.31 have none
        )
        if type(self).on_end is RedactingSpanProcessor.on_end:
            # What on_end does, in one native call (a subclass's own on_end stays its own).
            self.on_end = span_end(self._redaction, redact_resource, processors)  # type: ignore[method-assign]

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        for on_start in self._starts:
            try:
                on_start(span, parent_context=parent_context)
            except Exception as exc:  # noqa: BLE001 - the others still get it; never into the application
                self._redaction.downstream_failed("span processor", exc)

    def _on_ending(self, span: Span) -> None:
        for on_ending in self._endings:
            try:
                on_ending(span)
            except Exception as exc:  # noqa: BLE001
                self._redaction.downstream_failed("span processor", exc)

    def on_end(self, span: ReadableSpan) -> None:
        copy = redact_span(span, self._redaction, self._redact_resource)
        for processor in self._processors:
            try:
                processor.on_end(copy)
            except Exception as exc:  # noqa: BLE001 - the others still get the span
                self._redaction.downstream_failed("span processor", exc)


_NOTHING = frozenset({"RESUME", "NOP", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"})


def _does_nothing(method: Callable[..., Any]) -> bool:
    """Whether ``method`` is a Python function whose body only returns None
    (``pass``, as the SDK's ``SimpleSpanProcessor.on_start``): a call per span
    that would change nothing. Anything else (a builtin, a mock) may do something."""
    code = getattr(getattr(method, "__func__", method), "__code__", None)
    if not isinstance(code, types.CodeType) or code.co_names or code.co_cellvars or code.co_freevars:
        return False
    for instruction in dis.get_instructions(code):
        if instruction.opname not in _NOTHING:
            return False
        if instruction.opname in ("LOAD_CONST", "RETURN_CONST") and instruction.argval is not None:
            return False
    return True


class RedactingSpanExporter(Wrapping, SpanExporter):
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
        self._redaction = Redaction(redactor, meter_provider, spans=True)
        self._redact_resource = redact_resource

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        redacted = [redact_span(s, self._redaction, self._redact_resource) for s in spans]
        try:
            return self._exporter.export(redacted)
        except Exception as exc:  # noqa: BLE001 - a failed export, reported once and counted, as the SDK's result says
            self._redaction.downstream_failed("span exporter", exc)
            return SpanExportResult.FAILURE


class RedactingLogRecordProcessor(FanOut, LogRecordProcessor):
    """Redacts the body (string or structured), event name, attributes and
    scope attributes of every log record, in place, then hands it to
    ``processors``. Works behind both logging bridges:
    ``opentelemetry-instrumentation-logging``'s ``LoggingHandler`` and the
    SDK's own, deprecated one."""

    def __init__(
        self,
        *processors: LogRecordProcessor,
        redactor: Redactor | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._processors = processors
        self._redaction = Redaction(redactor, meter_provider, spans=False)

    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        redact_log_record(log_record, self._redaction)
        for processor in self._processors:
            try:
                processor.on_emit(log_record)
            except Exception as exc:  # noqa: BLE001 - the others still get the record; never into the application
                self._redaction.downstream_failed("log record processor", exc)


# ---- protect(): wrapping providers set up elsewhere ---------------------------------


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
    ``protect(trace.get_tracer_provider(), _logs.get_logger_provider())``. The
    exporters stay as they are. Processors added afterwards are not wrapped:
    wrap those yourself, or call it again (it wraps only the processors not
    wrapped yet, never one twice). It uses the SDK's processor lists
    (``_active_span_processor``,
    ``_multi_log_record_processor``); a provider that is not the SDK's (none
    was set yet, or tracing is disabled, or another implementation) raises a
    ``TypeError`` that says which.
    """
    if tracer_provider is not None:
        from opentelemetry.sdk.trace import TracerProvider

        _check_provider(tracer_provider, TracerProvider, "tracer_provider", "trace.set_tracer_provider")
        _wrap_in_place(
            tracer_provider, "_active_span_processor", "_span_processors", RedactingSpanProcessor,
            lambda existing: RedactingSpanProcessor(
                *existing, redactor=redactor, redact_resource=redact_resource, meter_provider=meter_provider
            ),
        )
    if logger_provider is not None:
        from opentelemetry.sdk._logs import LoggerProvider

        _check_provider(logger_provider, LoggerProvider, "logger_provider", "_logs.set_logger_provider")
        _wrap_in_place(
            logger_provider, "_multi_log_record_processor", "_log_record_processors", RedactingLogRecordProcessor,
            lambda existing: RedactingLogRecordProcessor(*existing, redactor=redactor, meter_provider=meter_provider),
        )


def _check_provider(provider: Any, sdk_type: type, argument: str, setter: str) -> None:
    """A ``TypeError`` naming why ``provider`` is not an SDK provider protect() can wrap."""
    if isinstance(provider, sdk_type):
        return
    kind = type(provider).__name__
    if kind.startswith("Proxy"):
        cause = (f"no SDK provider has been set yet ({kind} is the API's placeholder): call {setter}(...) first, "
                 "or protect() after the code that configures OpenTelemetry")
    elif kind.startswith("NoOp"):
        cause = f"OpenTelemetry is disabled ({kind}: OTEL_SDK_DISABLED, or a no-op provider was set); there is nothing to protect"
    elif kind in ("TracerProvider", "LoggerProvider") and type(provider).__module__.startswith("opentelemetry.sdk"):
        cause = f"it is a {kind}: pass it as {'logger_provider' if argument == 'tracer_provider' else 'tracer_provider'}="
    else:
        cause = (f"{type(provider).__module__}.{kind} is another implementation than the OpenTelemetry SDK's; "
                 "wrap its processors or exporters explicitly")
    raise TypeError(f"pii_tagger.otel.protect: {argument} is not an SDK {sdk_type.__name__}: {cause}")


def _wrap_in_place(provider: Any, multi_name: str, list_name: str, kind: type, wrap: Any) -> None:
    multi = getattr(provider, multi_name, None)
    if multi is None or not hasattr(multi, list_name) or not hasattr(multi, "_lock"):
        from opentelemetry.sdk.version import __version__

        raise TypeError(
            f"pii_tagger.otel.protect: {type(provider).__name__} of opentelemetry-sdk {__version__} has no "
            f"{multi_name}.{list_name} (the SDK changed it); wrap your processors explicitly instead"
        )
    with multi._lock:
        processors: list[Any] = []
        for wrapped, run in itertools.groupby(getattr(multi, list_name), lambda p: isinstance(p, kind)):
            processors += run if wrapped else [wrap(tuple(run))]  # each run of unwrapped ones, in its place
        setattr(multi, list_name, tuple(processors))
