"""How spans and log records are redacted: the machinery under
``pii_tagger.otel``'s processors and ``pii_tagger.otel_guard``'s guarded
exporter and processor.

A :class:`Redaction` is one processor's redactor with its counters. Spans
are frozen, so :func:`redact_span` makes a redacted, tagged copy (in the
native span walk, with what :data:`_SPAN_KIT` hands it) and, when that
fails, :func:`blank_span` a copy with every string replaced; log records are
redacted in place (:func:`redact_log_record`, or
:func:`redact_log_record_or_raise` for a caller that handles the failure
itself, then :func:`blank_log_record`). ``NAME_KEY`` and ``BODY_KEY`` are the
keys under which a span's or record's own texts (its name, a log body) go
through the walk with its attributes. :class:`FanOut` and :class:`Wrapping`
pass shutdown and flush on to what a processor or exporter wraps.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from opentelemetry import metrics
from opentelemetry.attributes import BoundedAttributes
from opentelemetry.metrics import _internal as _metrics_api
from opentelemetry.sdk._logs import ReadWriteLogRecord
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter
from opentelemetry.sdk.util import BoundedList
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import INVALID_SPAN_CONTEXT, Link, SpanKind, Status, StatusCode

from .._native import OWN_TEXT_KEY, Counts, SpanEnd, SpanKit, SpanRedaction
from ..actions import Target
from ..engine import CATEGORIES_KEY, ERROR_KEY, SUMMARY_KEY, Found, Redactor
from ..failsafe import MARKER, report_once
from ..rules import REDACTING_ACTIONS

CATEGORIES_ATTRIBUTE = "pii.categories"
COUNT_ATTRIBUTE = "pii.redaction_count"
ERROR_ATTRIBUTE = "pii.error"
# Span and event names, status descriptions and log bodies ride along with the
# attributes under keys no attribute has, whose words ("span name", "body")
# are neutral to the field-name rules: their text is scanned by value only.
NAME_KEY = OWN_TEXT_KEY
BODY_KEY = "\x00body"
# The tag fields of structlog and the stdlib filter (pii_categories, ...): in
# an attribute they are the application's, walked as any other (the
# native walk of parts does not take them as its own), and upstream tags are
# read from them.
_UPSTREAM = frozenset((CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY))
_T = TypeVar("_T")


def where(prefix: str, own: str, path: str) -> str:
    """The place of a finding for people: ``path`` inside a part at ``prefix``
    (``span``, ``events[0]``, "" for a log record's attributes), where the
    part's own text (name, body) is called ``own`` (``span.name``, ``body``)."""
    for key in (NAME_KEY, BODY_KEY):
        if path == key or path.startswith(key + "."):
            return own + path[len(key):]
    return f"{prefix}.{path}" if prefix else path


# ---- metrics: one set of counters per meter provider ---------------------------


class _Totals:
    """The counts of every processor on one meter provider, and its counters.

    A meter refuses a second instrument of the same name (its callbacks would
    never be called), so the counters are made once per provider and every
    processor adds to these totals: a span pays a few list updates, not a
    metrics call per category and rule.
    """

    def __init__(self, meter_provider: metrics.MeterProvider) -> None:
        self._lock = threading.Lock()
        self._sources: list[tuple[tuple[Target, ...], Counts]] = []  # each redactor's targets and counts by target
        self._failures: dict[str, int] = {}
        self._counted: weakref.WeakSet[Any] = weakref.WeakSet()  # spans counted, by identity
        self._span_sources = 0  # processors and exporters of spans: with two, a span may reach both
        self.one_span_source = True  # at most one: every span is counted where it is redacted
        meter = meter_provider.get_meter("pii_tagger")
        meter.create_observable_counter(
            "pii_tagger.redactions", callbacks=[self._observe_redactions], unit="{value}",
            description="Values masked, hashed or dropped, by category, rule and action",
        )
        meter.create_observable_counter(
            "pii_tagger.findings", callbacks=[self._observe_findings], unit="{value}",
            description="Values found, by category, rule and action (kept and audited ones too)",
        )
        meter.create_observable_counter(
            "pii_tagger.failures", callbacks=[self._observe_failures], unit="{item}",
            description="Spans and log records exported redacted whole after an error; calls a wrapped processor or exporter raised on",
        )

    def source(self, targets: tuple[Target, ...], spans: bool) -> Counts:
        """Counts by target index, for one processor (of spans: ``spans``)
        to add to (from any thread, without a lock)."""
        counts = Counts(len(targets))
        with self._lock:
            self._sources.append((targets, counts))
            self._span_sources += spans
            self.one_span_source = self._span_sources < 2
        return counts

    def first_count(self, item: Any) -> bool:
        """True the first time ``item`` (a span) is counted here: a span that
        two processors redact is counted once."""
        with self._lock:
            try:
                if item in self._counted:
                    return False
                self._counted.add(item)
            except TypeError:  # a span that cannot be referred to weakly: counted each time
                pass
            return True

    def failed(self, kind: str) -> None:
        with self._lock:
            self._failures[kind] = self._failures.get(kind, 0) + 1

    def _totals(self, redactions_only: bool) -> dict[tuple[int, str, str], int]:
        totals: dict[tuple[int, str, str], int] = {}
        with self._lock:
            for targets, counts in self._sources:
                for target, n in zip(targets, counts.values()):
                    if n and (target.action in REDACTING_ACTIONS or not redactions_only):
                        key = (target.category, target.rule, target.action)
                        totals[key] = totals.get(key, 0) + n
        return totals

    def _observe(self, redactions_only: bool) -> Iterable[metrics.Observation]:
        for (category, rule, action), n in self._totals(redactions_only).items():
            yield metrics.Observation(n, {"pii.category": category, "pii.rule": rule, "pii.action": action})

    def _observe_redactions(self, options: metrics.CallbackOptions) -> Iterable[metrics.Observation]:
        return self._observe(True)

    def _observe_findings(self, options: metrics.CallbackOptions) -> Iterable[metrics.Observation]:
        return self._observe(False)

    def _observe_failures(self, options: metrics.CallbackOptions) -> Iterable[metrics.Observation]:
        with self._lock:
            totals = list(self._failures.items())
        for kind, n in totals:
            yield metrics.Observation(n, {"pii.kind": kind})


_totals_lock = threading.Lock()
_totals: weakref.WeakKeyDictionary[Any, _Totals] = weakref.WeakKeyDictionary()


def _totals_of(meter_provider: metrics.MeterProvider) -> _Totals:
    key = _global_key(meter_provider)
    with _totals_lock:
        totals = _totals.get(key)
        if totals is None:
            totals = _totals[key] = _Totals(meter_provider)
        return totals


def _global_key(meter_provider: metrics.MeterProvider) -> Any:
    """The API's global proxy for the provider it delegates to: counters made
    on the proxy before ``metrics.set_meter_provider`` are made on that
    provider when it is set, so both share one set of counters."""
    proxy = getattr(_metrics_api, "_PROXY_METER_PROVIDER", None)
    if proxy is not None and getattr(proxy, "_real_meter_provider", None) is meter_provider:
        return proxy
    return meter_provider


# ---- the redaction shared by the span and log processors -------------------------


class Redaction:
    """Shared by the span and log processors: the redactor, its counts, its alerts."""

    def __init__(self, redactor: Redactor | None, meter_provider: metrics.MeterProvider | None, spans: bool) -> None:
        self.redactor = redactor or Redactor()
        self.totals = _totals_of(meter_provider or metrics.get_meter_provider())
        self.counts = self.totals.source(self.redactor.targets, spans)

    def redact(
        self, parts: list[dict[str, Any]], place: Callable[[int], tuple[str, str]], source: str,
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The redacted parts of one record (one native walk) and its tags;
        counted, and audit findings alerted at ``place(part index)``
        (prefix, name of the part's own text) from ``source``."""
        result = self.redactor.redact_parts(parts)
        self.count(result.counts)
        if result.audits:
            self.alert(result.audits, place, source)
        return result.outs, {CATEGORIES_ATTRIBUTE: result.categories, COUNT_ATTRIBUTE: result.changes}

    def count(self, found: list[tuple[int, int]], item: Any = None) -> None:
        """``found`` (counts by target index) added to the totals, once per ``item`` when given."""
        if found and (item is None or self.totals.one_span_source or self.totals.first_count(item)):
            self.counts.add(found)

    def alert(self, audits: list[tuple[int, Found]], place: Callable[[int], tuple[str, str]], source: str) -> None:
        alerts = self.redactor.alerts
        if alerts is None:
            return
        source = self.redactor.alert_source(source or self.redactor.source)
        for part, item in audits:
            prefix, own = place(part)
            alerts.report("audit", item.target, where(prefix, own, item.path), source, item.value)

    def failed(self, kind: str, exc: BaseException) -> None:
        """Reported once and counted; never raises (it is the fail-closed path)."""
        try:
            report_once(kind, exc)
            self.totals.failed(kind)
        except Exception:  # noqa: BLE001, S110 - a report that fails must not lose the item
            pass

    def downstream_failed(self, kind: str, exc: BaseException) -> None:
        """A wrapped processor or exporter raised: reported once, counted every time; never raises."""
        try:
            report_once(kind, exc, "what it was given may not have been exported; the others still got it")
            self.totals.failed(kind)
        except Exception:  # noqa: BLE001, S110 - the report must not break the pipeline
            pass


def _plain(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    """A dict of ``attributes``. The SDK's (BoundedAttributes, also behind the
    read-only view a span gives) copy themselves without taking their lock
    per key, as ``dict()`` would."""
    if not attributes:
        return {}
    if isinstance(attributes, (BoundedAttributes, MappingProxyType)):
        copied = attributes.copy()
        return copied if type(copied) is dict else dict(copied)
    return dict(attributes)


def _carry_upstream(tags: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """``tags`` with the upstream tags of ``out`` (a record bridged from
    ``logging`` after the stdlib filter) carried in and taken out of it:
    categories merged, the summary's redactions added, the error kept. A
    field of another shape is an application's attribute: it stays."""
    merged = dict(tags)
    categories = out.get(CATEGORIES_KEY)
    if isinstance(categories, (list, tuple)) and all(type(n) is int and 1 <= n <= 18 for n in categories):
        merged[CATEGORIES_ATTRIBUTE] = sorted(set(merged[CATEGORIES_ATTRIBUTE]).union(out.pop(CATEGORIES_KEY)))
    notes = out.get(SUMMARY_KEY)
    if isinstance(notes, (list, tuple)) and all(isinstance(n, Mapping) and type(n.get("count")) is int for n in notes):
        merged[COUNT_ATTRIBUTE] += sum(n["count"] for n in out.pop(SUMMARY_KEY) if n.get("action") in REDACTING_ACTIONS)
    if isinstance(out.get(ERROR_KEY), str) and ERROR_ATTRIBUTE not in merged:
        merged[ERROR_ATTRIBUTE] = out.pop(ERROR_KEY)
    return merged


def _merge_tags(tags: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """``tags`` merged with those an earlier processor left in ``out`` (taken
    out of it): categories joined, counts added, its error kept. Only values
    of our shape are read: an item redacted twice keeps what the first pass found."""
    categories, count, error = (out.pop(key, None) for key in (CATEGORIES_ATTRIBUTE, COUNT_ATTRIBUTE, ERROR_ATTRIBUTE))
    merged = dict(tags)
    if isinstance(categories, (list, tuple)):
        known = {n for n in categories if type(n) is int and 1 <= n <= 18}
        merged[CATEGORIES_ATTRIBUTE] = sorted(known.union(tags[CATEGORIES_ATTRIBUTE]))
    if type(count) is int and count > 0:
        merged[COUNT_ATTRIBUTE] = tags[COUNT_ATTRIBUTE] + count
    if isinstance(error, str):
        merged[ERROR_ATTRIBUTE] = error
    return merged


def _fit(attributes: dict[str, Any], tags: Mapping[str, Any], limit: int | None) -> int:
    """``tags`` set last on ``attributes``; past ``limit`` the oldest attributes
    go, as the SDK does for any attribute set on a full span. How many went."""
    for key in tags:
        attributes.pop(key, None)
    attributes.update(tags)
    excess = 0 if limit is None else len(attributes) - limit
    if excess <= 0:
        return 0
    for key in list(attributes)[:excess]:
        del attributes[key]
    return excess


def _limit(attributes: Any) -> int | None:
    """The attribute count limit of the SDK's bounded attributes (None: none)."""
    return getattr(attributes, "maxlen", None)


# ---- spans ------------------------------------------------------------------------


class _RedactedSpan(ReadableSpan):
    """A redacted copy of a span: the original's fields, some replaced, and its dropped counts."""

    _dropped: tuple[int, int, int]

    @property
    def dropped_attributes(self) -> int:
        return self._dropped[0]

    @property
    def dropped_events(self) -> int:
        return self._dropped[1]

    @property
    def dropped_links(self) -> int:
        return self._dropped[2]


class _RedactedEvent(Event):
    """A redacted copy of an event, with the original's dropped attribute count."""

    def __init__(self, name: str, attributes: Mapping[str, Any], timestamp: int | None, dropped: int) -> None:
        super().__init__(name, attributes, timestamp)
        self._dropped = dropped

    @classmethod
    def of(cls, event: Event, name: str, attributes: Mapping[str, Any]) -> _RedactedEvent:
        """``event`` with ``name`` and ``attributes``."""
        return cls(name, attributes, event.timestamp, event.dropped_attributes)

    @property
    def dropped_attributes(self) -> int:
        return self._dropped


class _RedactedLink(Link):
    """A redacted copy of a link, with the original's dropped attribute count."""

    def __init__(self, link: Link, attributes: Mapping[str, Any]) -> None:
        super().__init__(link.context, attributes)
        self._dropped = link.dropped_attributes

    @property
    def dropped_attributes(self) -> int:
        return self._dropped


def _copy_span(span: ReadableSpan, dropped: tuple[int, int, int], **fields: Any) -> ReadableSpan:
    """``span`` with the given fields (``name``, ``attributes``, ...) replaced:
    every other field, whatever the SDK keeps, comes over as it is."""
    copy = _RedactedSpan.__new__(_RedactedSpan)
    state = vars(copy)
    state.update(vars(span))
    for name, value in fields.items():
        state["_" + name] = value
    copy._dropped = dropped
    return copy


# What the native span walk makes the copy with (see Redactor.redact_span):
# how a changed event or link is copied, the SDK's properties of the dropped
# counts (a span type with other ones is asked them), its bounded
# containers, the copy's class, the upstream tag fields, our tags, and the
# SDK's types whose properties the walk reads (`name`, `attributes`,
# `description`) as the fields they return.
_SPAN_KIT = SpanKit(
    _RedactedEvent.of, _RedactedLink,
    (ReadableSpan.dropped_attributes, ReadableSpan.dropped_events, ReadableSpan.dropped_links),
    BoundedAttributes, BoundedList, _RedactedSpan, _UPSTREAM, CATEGORIES_ATTRIBUTE, COUNT_ATTRIBUTE,
    (Event, Status, InstrumentationScope),
)


class FanOut:
    """Shutdown and flush passed on to every wrapped processor, whatever one
    of them returns or raises."""

    _processors: tuple[Any, ...]

    def shutdown(self) -> None:
        """Every processor shut down; the first error raised after the last."""
        errors = []
        for processor in self._processors:
            try:
                processor.shutdown()
            except Exception as exc:  # noqa: BLE001 - the others still shut down
                errors.append(exc)
        if errors:
            raise errors[0]

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Every processor flushed; True when all of them were."""
        results = [processor.force_flush(timeout_millis) for processor in self._processors]
        return all(results)


class Wrapping:
    """Shutdown and flush passed on to the wrapped exporter."""

    _exporter: SpanExporter

    def shutdown(self) -> None:
        self._exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporter.force_flush(timeout_millis)


def redact_span(span: ReadableSpan, redaction: Redaction, redact_resource: bool = False) -> ReadableSpan:
    """A redacted, tagged copy of ``span``; on failure a copy with every
    string replaced. Never raises."""
    try:
        walked = redaction.redactor.redact_span(span, redact_resource, _SPAN_KIT)
        return _finish_span(redaction, span, walked)
    except Exception as exc:  # noqa: BLE001 - a span is never lost and never raises into the app
        return _failed_span(redaction, redact_resource, span, exc)


def span_end(redaction: Redaction, redact_resource: bool, processors: tuple[Any, ...]) -> SpanEnd:
    """What :func:`redact_span` and the hand-over of its copy to each of
    ``processors`` do, in one native call per span (the processor's
    ``on_end``): the common span does not come back to Python."""
    return SpanEnd(
        redaction.redactor, redact_resource, _SPAN_KIT, redaction.counts, redaction.totals, processors,
        functools.partial(_finish_span, redaction),
        functools.partial(_failed_span, redaction, redact_resource),
        functools.partial(redaction.downstream_failed, "span processor"),
    )


def _finish_span(redaction: Redaction, span: ReadableSpan, walked: SpanRedaction) -> ReadableSpan:
    """The copy the native walk made of ``span``, counted, its audit
    findings alerted and what the walk left of it done. May raise."""
    redaction.count(walked.counts, span)
    if walked.found:
        _alert_span(span, redaction, walked.found)
    if not walked.done:
        _finish_copy(walked, span)
    return walked.copy  # type: ignore[no-any-return]  # a _RedactedSpan


def _failed_span(redaction: Redaction, redact_resource: bool, span: ReadableSpan, exc: BaseException) -> ReadableSpan:
    """The copy of ``span`` with every string replaced, its failure
    reported and counted. Never raises (the fail-closed path)."""
    redaction.failed("span", exc)
    return blank_span(span, exc, redact_resource)


def _alert_span(span: ReadableSpan, redaction: Redaction, found: list[tuple[int, int, str, str | None]]) -> None:
    """The audit findings among ``found`` alerted, at their places in ``span``."""
    audits = redaction.redactor.part_audits(found)
    if audits:
        events, links = len(span.events), len(span.links)
        source = span.instrumentation_scope.name if span.instrumentation_scope is not None else ""
        redaction.alert(audits, lambda index: _span_place(index, events, links), source)


def _finish_copy(walked: SpanRedaction, span: ReadableSpan) -> None:
    """What the native walk left of the copy: the status, scope and resource
    rebuilt where they changed; upstream tags carried into ours (then set
    and fitted as the native walk does otherwise)."""
    state = walked.copy.__dict__
    if walked.description is not None:
        state["_status"] = Status(span.status.status_code, walked.description)
    if walked.scope is not None:
        old = span.instrumentation_scope
        state["_instrumentation_scope"] = InstrumentationScope(old.name, old.version, old.schema_url, walked.scope)  # type: ignore[union-attr]
    if walked.resource is not None:
        state["_resource"] = type(span.resource)(walked.resource, span.resource.schema_url)
    if not walked.tagged:
        attributes = state["_attributes"]
        tags = _carry_upstream({CATEGORIES_ATTRIBUTE: walked.categories, COUNT_ATTRIBUTE: walked.changes}, attributes)
        dropped = span.dropped_attributes + _fit(attributes, tags, _limit(getattr(span, "_attributes", None)))
        state["_dropped"] = (dropped, span.dropped_events, span.dropped_links)


def _span_place(index: int, events: int, links: int) -> tuple[str, str]:
    """(prefix, own text's name) of part ``index`` of a span, in the order of
    :class:`~pii_tagger._native.SpanRedaction`'s ``found``."""
    if index == 0:
        return "span", "span.name"
    index -= 1
    if index < events:
        return f"events[{index}]", f"events[{index}].name"
    index -= events
    if index < links:
        return f"links[{index}]", ""
    return (("status", "status.description"), ("scope", ""), ("resource", ""))[index - links]


def _blank(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every value replaced by a marker and every key by a numbered one (a key can hold personal data too)."""
    return {f"[REDACTED:key:{i}]": _blank_value(value) for i, value in enumerate((attributes or {}).values(), 1)}


def _blank_value(value: Any) -> Any:
    if isinstance(value, (bool, float)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_blank_value(v) for v in value]
    return MARKER


def _safely(read: Callable[[], _T], default: _T) -> _T:
    """``read()``, or ``default`` when it raises: the fail-closed path cannot fail."""
    try:
        return read()
    except Exception:  # noqa: BLE001 - whatever a broken span raises
        return default


def _error_tags(exc: BaseException) -> dict[str, Any]:
    return {CATEGORIES_ATTRIBUTE: [], COUNT_ATTRIBUTE: 0, ERROR_ATTRIBUTE: type(exc).__name__}


def blank_span(span: ReadableSpan, exc: BaseException, redact_resource: bool = False) -> ReadableSpan:
    """``span`` with every string replaced and ``pii.error`` set. Each part is
    read on its own: one that cannot be read is left out, never the span."""
    no_attributes: dict[str, Any] = {}
    no_events: tuple[Event, ...] = ()
    no_links: tuple[Link, ...] = ()
    attributes = _safely(lambda: _blank(span.attributes), no_attributes)
    dropped_attributes = _safely(lambda: span.dropped_attributes, 0)
    dropped_attributes += _fit(attributes, _error_tags(exc), _safely(lambda: _limit(getattr(span, "_attributes", None)), None))
    events = _safely(lambda: tuple(_RedactedEvent(MARKER, _blank(e.attributes), e.timestamp, e.dropped_attributes) for e in span.events), no_events)
    links = _safely(lambda: tuple(_RedactedLink(link, _blank(link.attributes)) for link in span.links), no_links)
    status = _safely(lambda: Status(span.status.status_code, MARKER if span.status.description else None), Status(StatusCode.UNSET))
    scope = _safely(lambda: _blank_scope(span.instrumentation_scope), None)
    resource = _safely(lambda: type(span.resource)(_blank(span.resource.attributes), span.resource.schema_url) if redact_resource else span.resource, None)
    dropped = (dropped_attributes, _safely(lambda: span.dropped_events, 0), _safely(lambda: span.dropped_links, 0))
    fields = {"name": MARKER, "attributes": attributes, "events": events, "links": links, "status": status, "instrumentation_scope": scope}
    if resource is not None:
        fields["resource"] = resource
    try:
        return _copy_span(span, dropped, **fields)
    except Exception:  # noqa: BLE001 - a span without the SDK's fields: a new one with what could be read
        copy = _RedactedSpan(
            name=MARKER, context=_safely(lambda: span.context, None) or INVALID_SPAN_CONTEXT,
            parent=_safely(lambda: span.parent, None), resource=resource or Resource.get_empty(), attributes=attributes, events=events, links=links,
            kind=_safely(lambda: span.kind, None) or SpanKind.INTERNAL, status=status,
            start_time=_safely(lambda: span.start_time, None), end_time=_safely(lambda: span.end_time, None), instrumentation_scope=scope,
        )
        copy._dropped = dropped
        return copy


def _blank_scope(scope: InstrumentationScope | None) -> InstrumentationScope | None:
    if scope is None or not scope.attributes:
        return scope
    return InstrumentationScope(scope.name, scope.version, scope.schema_url, _blank(scope.attributes))


# ---- log records --------------------------------------------------------------------


def redact_log_record(log_record: ReadWriteLogRecord, redaction: Redaction) -> None:
    """Redacts and tags ``log_record`` in place; on failure replaces every
    string. Never raises."""
    try:
        redact_log_record_or_raise(log_record, redaction)
    except Exception as exc:  # noqa: BLE001 - the record goes out redacted whole, never raises
        redaction.failed("log record", exc)
        blank_log_record(log_record, exc)


def _log_place(index: int) -> tuple[str, str]:
    """(prefix, own text's name) of part ``index`` of a log record, in the
    order :func:`redact_log_record_or_raise` put them: attributes and body, event
    name, scope attributes."""
    return (("", "body"), ("", "event_name"), ("scope", ""))[index]


def redact_log_record_or_raise(log_record: ReadWriteLogRecord, redaction: Redaction) -> None:
    record = log_record.log_record
    part = _plain(record.attributes)
    if record.body is not None:
        part[BODY_KEY] = record.body
    event_name = getattr(record, "event_name", None)  # SDKs before 1.35 have none
    scope = getattr(log_record, "instrumentation_scope", None)
    scoped = scope is not None and bool(scope.attributes)
    parts = [part, {NAME_KEY: event_name} if event_name else {}]
    if scoped:
        parts.append(_plain(scope.attributes))  # type: ignore[union-attr]
    outs, tags = redaction.redact(parts, _log_place, getattr(scope, "name", "") or "")
    out = outs[0]
    if BODY_KEY in out:
        record.body = out.pop(BODY_KEY)
    if event_name:
        record.event_name = outs[1][NAME_KEY]
    if scoped:
        log_record.instrumentation_scope = InstrumentationScope(scope.name, scope.version, scope.schema_url, outs[2])  # type: ignore[union-attr]
    out.update(_merge_tags(_carry_upstream(tags, out), out))
    _replace_attributes(log_record, out)


def _replace_attributes(log_record: ReadWriteLogRecord, attributes: Mapping[str, Any]) -> None:
    """In place where the SDK's bounded attributes allow it (keeping their
    limits: past the count limit the oldest go, and are counted as dropped)."""
    current: Any = log_record.log_record.attributes
    if isinstance(current, BoundedAttributes):
        current.clear()
        current.update(attributes)
    else:
        log_record.log_record.attributes = dict(attributes)


def blank_log_record(log_record: ReadWriteLogRecord, exc: BaseException) -> None:
    """Every string of the record replaced; each part on its own, so that this cannot fail."""
    record = _safely(lambda: log_record.log_record, None)
    if record is None:
        return
    no_attributes: dict[str, Any] = {}
    attributes = _safely(lambda: _blank(record.attributes), no_attributes)
    attributes.update(_error_tags(exc))
    _safely(lambda: setattr(record, "body", MARKER if record.body is not None else None), None)
    if _safely(lambda: getattr(record, "event_name", None), None):
        _safely(lambda: setattr(record, "event_name", MARKER), None)
    _safely(lambda: setattr(log_record, "instrumentation_scope", _blank_scope(log_record.instrumentation_scope)), None)
    try:
        _replace_attributes(log_record, attributes)
    except Exception:  # noqa: BLE001 - attributes that cannot be changed in place are replaced
        _safely(lambda: setattr(record, "attributes", attributes), None)
