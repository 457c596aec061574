"""The Python boundary: arbitrary Python values through ``pii_tagger.redact``,
the structlog processor (then structlog's JSON renderer), the ``logging``
filter (then a JSON formatter) and the OpenTelemetry span and log-record
processors (real SDK, then the OTLP encoder): nothing raises, what is
written is JSON, and no planted value survives.

Values: str subclasses, bytes, bytearray, memoryview, tuples, sets,
frozensets, ints of any size, floats (NaN, infinities, -0.0), objects whose
``__str__``/``__repr__`` raises or returns personal data, mappings that are
not dicts, keys of every type, cycles, nesting past the depth bound.

The example budget is ``PII_TAGGER_BOUNDARY_EXAMPLES`` per test (default 150,
so that the suite stays fast); the long run sets it (see README "Reliability").
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import enum
import json
import logging
import math
import os
import types
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opentelemetry._logs import LogRecord
from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode
from pythonjsonlogger.json import JsonFormatter
from test_native_properties import INT64, PLANTS, planted_text

from pii_tagger import Hasher, Redactor
from pii_tagger.otel import RedactingLogRecordProcessor, RedactingSpanProcessor
from pii_tagger.stdlib import PiiFilter
from planted import EMAIL

EXAMPLES = int(os.environ.get("PII_TAGGER_BOUNDARY_EXAMPLES", "150"))
BUDGET = settings(
    max_examples=EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
HASHER = Hasher({"t1": "a-test-key-that-is-long-enough"})
SAFE = Redactor(hasher=HASHER)  # as deployed: fails closed, never raises


# ---- hostile values --------------------------------------------------------------


class Tagged(str):
    """A str subclass (markup types, enum-like strings)."""


class Shows:
    """An object that shows ``text`` as its ``__str__`` or only as its ``__repr__``."""

    def __init__(self, text: str, repr_only: bool) -> None:
        self.text, self.repr_only = text, repr_only

    def __str__(self) -> str:
        return repr(self) if self.repr_only else f"Shows<{self.text}>"

    def __repr__(self) -> str:
        return f"Shows({self.text!r})"

    def __hash__(self) -> int:
        return hash(self.text)


class Raises:
    """``__str__`` and/or ``__repr__`` raise (with personal data in the message)."""

    def __init__(self, message: str, which: str) -> None:
        self.message, self.which = message, which

    def __str__(self) -> str:
        if self.which in ("str", "both"):
            raise RuntimeError(self.message)
        return "a Raises"

    def __repr__(self) -> str:
        if self.which in ("repr", "both"):
            raise ValueError(self.message)
        return "Raises()"

    def __hash__(self) -> int:
        return 1


class Colour(enum.Enum):
    RED = "red"


class View(Mapping[Any, Any]):
    """A mapping that is not a dict."""

    def __init__(self, items: dict[Any, Any]) -> None:
        self._items = items

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


SPECIAL_FLOATS = st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 0.0, 5e-324, 1.7976931348623157e308])
PLAIN_LEAF = st.one_of(
    st.text(max_size=30), st.text(max_size=10).map(Tagged), st.binary(max_size=20), st.binary(max_size=20).map(bytearray),
    st.binary(max_size=20).map(memoryview), st.integers(), st.integers(min_value=2**63, max_value=2**400),
    st.floats(), SPECIAL_FLOATS, st.none(), st.booleans(), st.complex_numbers(allow_nan=False, max_magnitude=1e6),
    st.decimals(allow_nan=False), st.datetimes(), st.uuids(), st.just(Colour.RED), st.dates(),
)


@st.composite
def planted_leaf(draw: st.DrawFn, forms: list[str]) -> Any:
    """A value carrying a planted value, in one of the forms an application logs."""
    if draw(st.booleans()):
        text, found = draw(planted_text())
    else:
        text = draw(PLANTS)
        found = [text]
    forms.extend(found)
    how = draw(st.sampled_from(["str", "subclass", "bytes", "bytearray", "memoryview", "shows", "repr", "exception",
                                "tuple", "set", "frozenset"]))
    return {
        "str": lambda: text, "subclass": lambda: Tagged(text), "bytes": lambda: text.encode(),
        "bytearray": lambda: bytearray(text.encode()), "memoryview": lambda: memoryview(text.encode()),
        "shows": lambda: Shows(text, False), "repr": lambda: Shows(text, True), "exception": lambda: ValueError(text),
        "tuple": lambda: (draw(INT64), text), "set": lambda: {text, 1}, "frozenset": lambda: frozenset({text}),
    }[how]()


@st.composite
def any_key(draw: st.DrawFn, forms: list[str]) -> Any:
    kind = draw(st.integers(0, 13))
    if kind == 0:
        return draw(planted_leaf_key(forms))
    return draw(st.one_of(
        st.text(max_size=12), st.text(max_size=6).map(Tagged), st.integers(), st.floats(), st.booleans(), st.none(),
        st.binary(max_size=8), st.tuples(st.text(max_size=4), st.integers()), st.frozensets(st.integers(), max_size=2),
        st.text(max_size=6).map(lambda t: Shows(t, False)), st.just(Raises("key", "both")), st.just(Colour.RED),
        st.sampled_from(["event", "email", "note", "msg", "exc_info", "pii_categories", "password", "iban", "_record"]),
    ))


@st.composite
def planted_leaf_key(draw: st.DrawFn, forms: list[str]) -> Any:
    plant = draw(PLANTS)
    forms.append(plant)
    return draw(st.sampled_from([plant, Tagged(plant), plant.encode(), (plant, 1), frozenset({plant}), Shows(plant, False)]))


@st.composite
def hostile_tree(draw: st.DrawFn, forms: list[str], depth: int = 0) -> Any:
    """A value of any type; containers hold more of them."""
    kind = draw(st.integers(0, 9)) if depth < 4 else 0
    if kind <= 3:
        if draw(st.integers(0, 3)) == 0:
            return draw(planted_leaf(forms))
        if draw(st.integers(0, 15)) == 0:
            return Raises(draw(PLANTS), draw(st.sampled_from(["str", "repr", "both"])))
        return draw(PLAIN_LEAF)
    children = lambda: [draw(hostile_tree(forms, depth + 1)) for _ in range(draw(st.integers(0, 3)))]  # noqa: E731
    if kind == 4:
        return children()
    if kind == 5:
        return tuple(children())
    if kind == 6:
        hashable = st.one_of(st.text(max_size=8), st.integers(), st.binary(max_size=8), planted_leaf_key(forms))
        return draw(st.sampled_from([set, frozenset]))(draw(st.lists(hashable, max_size=3)))
    mapping = {draw(any_key(forms)): draw(hostile_tree(forms, depth + 1)) for _ in range(draw(st.integers(0, 3)))}
    wrap = draw(st.sampled_from(["dict", "view", "proxy", "ordered", "default"]))
    return {
        "dict": lambda: mapping, "view": lambda: View(mapping), "proxy": lambda: types.MappingProxyType(mapping),
        "ordered": lambda: collections.OrderedDict(mapping), "default": lambda: collections.defaultdict(list, mapping),
    }[wrap]()


def _deep(value: Any, depth: int, how: str) -> Any:
    for _ in range(depth):
        value = {"d": value} if how == "dict" else [value] if how == "list" else (value,)
    return value


def _containers(value: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every mutable dict and list in ``value``."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    if isinstance(value, (dict, list)):
        seen.add(id(value))
        yield value
        for child in value.values() if isinstance(value, dict) else value:
            yield from _containers(child, seen)
    elif isinstance(value, tuple):
        for child in value:
            yield from _containers(child, seen)


@st.composite
def hostile_events(draw: st.DrawFn, str_keys: bool = False) -> tuple[dict[Any, Any], list[str]]:
    """An event (top-level keys all ``str`` when ``str_keys``), with cycles and
    deep nesting now and then, and the planted forms that must not survive."""
    forms: list[str] = []
    keys = st.text(min_size=1, max_size=12) if str_keys else any_key(forms)
    event: dict[Any, Any] = {}
    for _ in range(draw(st.integers(1, 5))):
        event[draw(keys)] = draw(hostile_tree(forms))
    if draw(st.integers(0, 4)) == 0:  # a plant beyond the depth bound
        leaf = draw(planted_leaf(forms))
        event["deep"] = _deep(leaf, draw(st.integers(30, 600)), draw(st.sampled_from(["dict", "list", "tuple"])))
    if draw(st.integers(0, 4)) == 0:  # a cycle: the event, or a container, inside itself
        holders = list(_containers(event))
        holder = draw(st.sampled_from(holders))
        target = draw(st.sampled_from(holders))
        if isinstance(holder, dict):
            holder["cycle"] = target
        else:
            holder.append(target)
    return event, forms


# ---- what may be written ---------------------------------------------------------

# What the redactor passes on as it came when it found nothing in it (besides
# JSON's own types): renderers write these with their fallback.
_PASSED_ON = (bytes, bytearray, memoryview, dt.datetime, dt.date, dt.time, dt.timedelta, uuid.UUID, decimal.Decimal, enum.Enum)


def _fallback(value: Any) -> str:
    if isinstance(value, _PASSED_ON):
        return repr(value)
    raise TypeError(f"the redactor wrote a {type(value).__name__}")


def _assert_json_types(value: Any, path: str = "") -> None:
    """Keys a JSON renderer can write; values of JSON's types or passed on unchanged."""
    if isinstance(value, dict):
        for key, child in value.items():
            assert key is None or isinstance(key, (str, int, float)), f"{path}: key of type {type(key).__name__}"
            _assert_json_types(child, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, child in enumerate(value):
            _assert_json_types(child, f"{path}[{i}]")


def _assert_absent(forms: list[str], written: str) -> None:
    for form in forms:
        assert form not in written, (form, written[:2000])


# ---- redact -------------------------------------------------------------------------


@BUDGET
@given(hostile_events())
def test_redact_never_raises_writes_json_and_leaks_nothing(planted: tuple[dict[Any, Any], list[str]]) -> None:
    event, forms = planted
    out = SAFE.redact(event)
    assert type(out) is dict and isinstance(out["pii_categories"], list)
    assert "pii_error" not in out, out["pii_error"]
    _assert_json_types(out)
    written = json.dumps(out, default=_fallback)
    json.loads(written)
    _assert_absent(forms, written)
    _assert_absent(forms, json.dumps(out, default=str, ensure_ascii=False))  # a renderer whose fallback is str()
    _assert_absent(forms, repr(out))  # what logging's %s of the dict writes


@BUDGET
@given(hostile_events())
def test_the_default_redactor_too(planted: tuple[dict[Any, Any], list[str]]) -> None:
    import pii_tagger

    event, forms = planted
    out = pii_tagger.redact(event)
    assert "pii_error" not in out
    _assert_absent(forms, json.dumps(out, default=_fallback, ensure_ascii=False))


# ---- structlog ----------------------------------------------------------------------


@BUDGET
@given(hostile_events(str_keys=True))
def test_structlog_processor_then_json_renderer(planted: tuple[dict[str, Any], list[str]]) -> None:
    event, forms = planted
    event.pop("event", None)
    log = structlog.wrap_logger(
        structlog.ReturnLogger(),
        processors=[structlog.processors.add_log_level, SAFE, structlog.processors.JSONRenderer()],
    )
    line = log.info("payment received", **event)
    assert isinstance(line, str)
    decoded = json.loads(line)
    assert "pii_error" not in decoded and decoded["event"] == "payment received"
    _assert_absent(forms, line)
    _assert_absent(forms, json.dumps(decoded, ensure_ascii=False))  # the renderer escapes non-ASCII


# ---- logging ------------------------------------------------------------------------


class _Collect(logging.Handler):
    """Formats each record (a JSON formatter) and keeps the line; keeps every
    error logging would print instead of raising."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.errors: list[BaseException] = []
        self.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s"))
        self.addFilter(PiiFilter(redactor=SAFE))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        import sys

        self.errors.append(sys.exc_info()[1])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def collected() -> Iterator[tuple[logging.Logger, _Collect]]:
    log = logging.getLogger("boundary.app")
    handler = _Collect()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        yield log, handler
    finally:
        log.removeHandler(handler)
        log.propagate = True


@BUDGET
@given(st.data())
def test_logging_filter_then_json_formatter(collected: tuple[logging.Logger, _Collect], data: st.DataObject) -> None:
    log, handler = collected
    handler.lines.clear()
    event, forms = data.draw(hostile_events(str_keys=True))
    # Extras may not be named as the record's own attributes (logging raises a KeyError for those).
    extra = {f"x_{k}": v for k, v in event.items()}
    args = tuple(data.draw(st.lists(hostile_tree(forms), max_size=3)))
    how = data.draw(st.sampled_from(["format", "object", "dict"]))
    if how == "format":
        text, found = data.draw(planted_text())
        forms.extend(found)
        message: Any = text.replace("%", "%%") + " %s" * len(args)
    elif how == "object":
        message, args = data.draw(hostile_tree(forms)), ()
    else:
        message, args = {str(k): v for k, v in event.items()}, ()
    log.info(message, *args, extra=extra)
    assert handler.errors == []
    assert len(handler.lines) == 1
    line = handler.lines[0]
    json.loads(line)
    _assert_absent(forms, line)


# ---- OpenTelemetry ------------------------------------------------------------------

OTEL_SCALAR = st.one_of(st.text(max_size=20), st.booleans(), INT64, st.floats(), SPECIAL_FLOATS)


@st.composite
def otel_attributes(draw: st.DrawFn, forms: list[str]) -> dict[str, Any]:
    """Attributes the SDK accepts: str, bool, int, float and lists of one of them."""
    out: dict[str, Any] = {}
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.one_of(st.text(min_size=1, max_size=10), st.sampled_from(["user.email", "note", "db.statement"])))
        if draw(st.integers(0, 2)) == 0:
            text, found = draw(planted_text())
            forms.extend(found)
            out[key] = text if draw(st.booleans()) else ["ok", text]
        else:
            out[key] = draw(OTEL_SCALAR | st.lists(st.text(max_size=8), max_size=3) | st.lists(INT64, max_size=3))
    return out


@BUDGET
@given(st.data())
def test_span_processor_then_otlp_encoder(data: st.DataObject) -> None:
    forms: list[str] = []
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=SAFE))
    tracer = provider.get_tracer("boundary", attributes=data.draw(otel_attributes(forms)))
    name, found = data.draw(planted_text())
    forms.extend(found)
    with tracer.start_as_current_span(name, attributes=data.draw(otel_attributes(forms))) as span:
        for _ in range(data.draw(st.integers(0, 2))):
            event_name, found = data.draw(planted_text())
            forms.extend(found)
            span.add_event(event_name, data.draw(otel_attributes(forms)))
        if data.draw(st.booleans()):
            description, found = data.draw(planted_text())
            forms.extend(found)
            span.set_status(Status(StatusCode.ERROR, description))
    (done,) = exporter.get_finished_spans()
    assert "pii.error" not in (done.attributes or {})
    written = done.to_json()
    json.loads(written)
    _assert_absent(forms, written)
    wire = encode_spans([done]).SerializeToString()
    for form in forms:
        assert form.encode() not in wire, form


@st.composite
def otel_bodies(draw: st.DrawFn, forms: list[str], depth: int = 0) -> Any:
    """A log record's body: any of OTLP's AnyValue (str, bool, int, float, bytes, lists, maps)."""
    kind = draw(st.integers(0, 5)) if depth < 3 else 0
    if kind <= 2:
        if draw(st.booleans()):
            text, found = draw(planted_text())
            forms.extend(found)
            return draw(st.sampled_from([text, Tagged(text), text.encode()]))
        return draw(OTEL_SCALAR | st.binary(max_size=10))
    if kind == 3:
        return [draw(otel_bodies(forms, depth + 1)) for _ in range(draw(st.integers(0, 3)))]
    return {draw(st.text(max_size=8)): draw(otel_bodies(forms, depth + 1)) for _ in range(draw(st.integers(0, 3)))}


@BUDGET
@given(st.data())
def test_log_record_processor_then_otlp_encoder(data: st.DataObject) -> None:
    forms: list[str] = []
    exporter = InMemoryLogRecordExporter()
    provider = LoggerProvider()
    provider.add_log_record_processor(RedactingLogRecordProcessor(SimpleLogRecordProcessor(exporter), redactor=SAFE))
    body = data.draw(otel_bodies(forms))
    provider.get_logger("boundary").emit(LogRecord(body=body, attributes=data.draw(otel_attributes(forms))))
    (done,) = exporter.get_finished_logs()
    assert "pii.error" not in (done.log_record.attributes or {})
    wire = encode_logs([done]).SerializeToString()
    for form in forms:
        assert form.encode() not in wire, form
    written = done.to_json()
    json.loads(written)
    _assert_absent(forms, written)


# ---- defects found here (regressions) ---------------------------------------------



@pytest.mark.parametrize(("key", "written"), [
    (EMAIL.encode(), "[REDACTED:email]"),
    (b"ok\xff", "ok\ufffd"),
    ((EMAIL, 1), "('[REDACTED:email]', 1)"),
    (frozenset({EMAIL}), "frozenset({'[REDACTED:email]'})"),
    (Shows(EMAIL, False), "Shows<[REDACTED:email]>"),
    (Raises(EMAIL, "both"), "[REDACTED:unprintable key Raises]"),
])
def test_a_key_json_cannot_write_is_written_as_its_scanned_text(key: Any, written: str) -> None:
    """Such keys were kept as they were, unscanned: structlog's JSON renderer
    raised on them (TypeError: keys must be str, ...), and a renderer that
    writes str(key), or logging's %s of the dict, wrote the address. A key
    whose __str__ raised failed the whole event closed."""
    for event in ({key: 1, "event": "x"}, {"event": "x", "data": [{"deeper": {key: 1}}]}):
        out = SAFE.redact(event)
        assert "pii_error" not in out
        line = structlog.processors.JSONRenderer()(None, "info", dict(out))
        assert written in json.dumps(out, ensure_ascii=False) and EMAIL not in line and EMAIL not in repr(out)
    assert SAFE.redact({1: "a", 2.5: "b", None: "c", True: "d"}) == {1: "a", 2.5: "b", None: "c", True: "d", "pii_categories": []}


class _Unprintable(enum.Enum):
    """A safe type (an Enum) whose __str__ raises."""

    A = 1

    def __str__(self) -> str:
        raise RuntimeError(f"cannot print {EMAIL}")


@pytest.mark.parametrize("event", [
    {"event": "x", "password": Raises(EMAIL, "both")},  # a dropped field: its text was read to be counted
    {"event": "x", "email": _Unprintable.A},  # a personal field: a safe type's text is read to be masked
])
def test_a_value_whose_str_raises_is_a_marker_wherever_it_is(event: dict[str, Any]) -> None:
    """These failed the whole event closed (the text was read with no fallback)."""
    out = SAFE.redact(event)
    assert "pii_error" not in out and out["event"] == "x" and EMAIL not in repr(out)


@pytest.mark.parametrize("value", [EMAIL, 3 + 4j, [EMAIL], View({"email": EMAIL})])
def test_a_record_field_that_holds_no_log_record_is_data(value: Any) -> None:
    """``_record`` (and ``_from_structlog``) are passed on as they are only
    when ``_record`` holds a ``logging.LogRecord`` (structlog's
    ProcessorFormatter): any other value there was passed on unscanned."""
    out = SAFE.redact({"event": "x", "_record": value, "_from_structlog": EMAIL})
    assert EMAIL not in json.dumps(out, default=str) and not isinstance(out["_record"], (complex, View))
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "ok", None, None)
    out = SAFE.redact({"event": "x", "_record": record, "_from_structlog": True})
    assert out["_record"] is record and out["_from_structlog"] is True


@pytest.mark.parametrize("exc_info", [("", ()), (1, 2, 3), (ValueError, f"not an exception {EMAIL}", None)])
def test_an_exc_info_that_is_no_exception_is_data(exc_info: Any) -> None:
    """It failed the whole event closed (traceback.format_exception raised on it)."""
    out = SAFE.redact({"event": "x", "exc_info": exc_info})
    assert "pii_error" not in out and out["event"] == "x" and EMAIL not in repr(out)


@pytest.mark.parametrize("text", [
    "{'LV80BANK0000435195001': 1}",  # a dict's repr in a log message
    '{"LV80BANK0000435195001": 1}',
    "accounts LV80BANK0000435195001=1",
])
def test_an_iban_as_a_quoted_key_in_text_is_found(text: str) -> None:
    """Found by test_logging_filter_then_json_formatter (``log.info({iban: ...})``):
    a ``key:`` in text that is no field name of ours was passed over whole,
    so an IBAN written as a quoted key stayed; the search now goes on inside it."""
    out = SAFE.redact({"message": text})
    assert "LV80BANK0000435195001" not in out["message"] and "0435195001" not in out["message"]


def test_a_key_in_text_that_is_a_field_name_still_takes_its_value() -> None:
    """Look-alike: a known key is a field name (its value redacted), an unknown one stays as written."""
    out = SAFE.redact({"message": "status: ok, 'password': 'Slepens123', retry=0"})
    assert out["message"].startswith("status: ok, 'password': '") and "Slepens123" not in out["message"]
    assert out["message"].endswith("retry=0")
