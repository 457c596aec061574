"""The export-edge guard on real output: structlog lines, logging formatters, OTel spans and records."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from typing import Any

import pytest
import structlog
from opentelemetry.instrumentation.logging.handler import LoggingHandler
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from planted import CODE, EMAIL, IBAN, PHONE, SECRET, assert_absent

from pii_tagger import Hasher, Redactor
from pii_tagger.alerts import Alert, Alerter
from pii_tagger.guard import LEAK_MARKER, GuardedFormatter, LeakGuard
from pii_tagger.otel_guard import GuardedLogRecordProcessor, GuardedSpanExporter

HASHER = Hasher({"t1": "a-test-key-that-is-long-enough"})
PLANTED = [CODE, IBAN, PHONE, EMAIL, SECRET]


def _guard(redact: bool = True) -> tuple[LeakGuard, list[Alert]]:
    sent: list[Alert] = []
    return LeakGuard(Redactor(hasher=HASHER), alerts=Alerter([sent.append], hasher=HASHER), redact=redact), sent


def _assert_clean(text: str) -> None:
    assert_absent(text, PLANTED)


def _assert_alerts_hold_no_value(sent: list[Alert]) -> None:
    rendered = json.dumps([a.as_dict() for a in sent])
    _assert_clean(rendered)
    assert "inbox" not in rendered and "19997" not in rendered


class TestLines:
    def test_clean_lines_pass_as_the_same_object(self) -> None:
        guard, sent = _guard()
        clean = [
            '{"event":"request finished","status":200,"trace_id":"2e7abed5658ef30d856980bb0977e471","pii_categories":[12]}',
            '{"event":"paid","email":"[REDACTED:email]","iban":"[REDACTED:iban:..5001]","customer":"[HASH:t1:0123456789abcdef0123]"}',
            "2026-11-25 10:00:00,123 INFO api.http request finished in 23 ms",
        ]
        for line in clean:
            assert guard.check_line(line) is line
        assert sent == []

    def test_a_leak_in_a_json_line_is_redacted_and_alerted(self) -> None:
        guard, sent = _guard()
        line = json.dumps({"event": "paid", "logger": "billing", "customer": {"email": EMAIL}, "note": f"code {CODE}"}) + "\n"
        out = guard.check_line(line)
        _assert_clean(out)
        assert out.endswith("\n")
        parsed = json.loads(out)
        assert parsed["customer"]["email"] == "[REDACTED:email]" and parsed["event"] == "paid"
        assert {(a.rule, a.where, a.source) for a in sent} == {("email", "customer.email", "billing"), ("personal_code_lv", "note", "billing")}
        _assert_alerts_hold_no_value(sent)

    def test_plain_text_and_bytes(self) -> None:
        guard, sent = _guard()
        out = guard.check_line(f"login failed for {EMAIL} password={SECRET}".encode())
        assert isinstance(out, bytes)
        _assert_clean(out.decode())
        assert {a.rule for a in sent} == {"email", "secret"}

    def test_every_value_of_a_duplicated_key_and_a_nul_byte(self) -> None:
        """A dict of the line keeps the last value of a key written twice: the first one leaked through."""
        guard, sent = _guard()
        line = f'{{"event":"paid","logger":"billing","email":"{EMAIL}","email":"[REDACTED:email]"}}\n'
        out = guard.check_line(line)
        _assert_clean(out)
        assert out == '{"event":"paid","logger":"billing","email":"[REDACTED:email]","email":"[REDACTED:email]"}\n'
        assert [(a.rule, a.where, a.source) for a in sent] == [("email", "email", "billing")]
        nul = guard.check_line(f"binary\x00 login {EMAIL}".encode())
        assert nul == b"binary\x00 login [REDACTED:email]"

    def test_alert_only_leaves_the_line(self) -> None:
        guard, sent = _guard(redact=False)
        line = f'{{"event":"call {PHONE}"}}'
        assert guard.check_line(line) is line
        assert [a.rule for a in sent] == ["phone_lv"]

    def test_an_internal_error_fails_closed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

        redactor = Redactor(hasher=HASHER)
        monkeypatch.setattr(redactor, "check_record", broken)  # what the guard checks a line with
        guard = LeakGuard(redactor, alerts=Alerter([], hasher=HASHER))
        monkeypatch.setattr(guard, "find", broken)
        assert guard.check_line(f'{{"email":"{EMAIL}"}}') == LEAK_MARKER
        assert guard.check_line(f'{{"email":"{EMAIL}"}}'.encode()) == LEAK_MARKER.encode()
        assert guard.check_event({"email": EMAIL})["event"] == "[REDACTED:error]"


def test_structlog_guard_after_the_renderer_catches_what_came_after_redaction() -> None:
    guard, sent = _guard()
    stream = io.StringIO()

    def added_too_late(logger: Any, name: str, event: dict[str, Any]) -> dict[str, Any]:
        if event["event"] == "payment":
            event["contact"] = EMAIL  # a processor placed after the redactor
        return event

    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            Redactor(hasher=HASHER),
            added_too_late,
            structlog.processors.JSONRenderer(),
            guard,
        ],
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    try:
        log = structlog.get_logger()
        log.info("payment", iban=IBAN)
        log.info("health check ok")
    finally:
        structlog.reset_defaults()
    output = stream.getvalue()
    _assert_clean(output)
    first, second = (json.loads(line) for line in output.splitlines())
    assert first["contact"] == "[REDACTED:email]" and first["pii_categories"] == [2, 11]
    assert second == {"event": "health check ok", "level": "info", "pii_categories": []}
    assert [(a.rule, a.where) for a in sent] == [("email", "contact")]


def test_logging_dictconfig_guarded_json_formatter() -> None:
    guard, sent = _guard()
    stream = io.StringIO()
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "guarded": {
                "()": "pii_tagger.guard.GuardedFormatter",
                "formatter": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(name)s %(levelname)s %(message)s"},
                "guard": guard,
            },
        },
        "handlers": {"out": {"class": "logging.StreamHandler", "stream": stream, "formatter": "guarded"}},
        "loggers": {"shop": {"handlers": ["out"], "level": "INFO", "propagate": False}},
    })
    logger = logging.getLogger("shop")
    try:
        logger.info("order for %s", EMAIL, extra={"iban": IBAN})
        logger.info("nothing personal here")
        try:
            raise ValueError(f"bad code {CODE}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.handlers.clear()
    output = stream.getvalue()
    _assert_clean(output)
    lines = [json.loads(line) for line in output.splitlines()]
    assert lines[1]["message"] == "nothing personal here"
    assert {(a.rule, a.source) for a in sent} >= {("email", "shop"), ("bank_account", "shop"), ("personal_code_lv", "shop")}
    _assert_alerts_hold_no_value(sent)


def test_plain_formatter_wrapped_in_code() -> None:
    guard, sent = _guard()
    formatter = GuardedFormatter(logging.Formatter("%(levelname)s %(message)s"), guard)
    record = logging.LogRecord("shop", logging.INFO, __file__, 1, "call %s", (PHONE,), None)
    assert formatter.format(record) == "INFO call [REDACTED:phone:..67]"
    assert sent[0].source == "shop"


class TestOpenTelemetry:
    def test_span_exporter_checks_every_part(self) -> None:
        guard, sent = _guard()
        exporter = InMemorySpanExporter()
        provider = TracerProvider(resource=Resource.create({"service.name": "billing"}))
        provider.add_span_processor(SimpleSpanProcessor(GuardedSpanExporter(exporter, guard=guard)))
        tracer = provider.get_tracer("billing.payments")
        with tracer.start_as_current_span(f"GET /customers/{CODE}") as span:
            span.set_attribute("user.email", EMAIL)
            span.add_event("looked up", {"note": f"call {PHONE}"})
            try:
                raise ValueError(f"iban {IBAN}")
            except ValueError as exc:
                span.record_exception(exc)
        with tracer.start_as_current_span("health") as span:
            span.set_attribute("http.response.status_code", 200)
        leaked, clean = exporter.get_finished_spans()
        _assert_clean(repr((leaked.name, dict(leaked.attributes or {}), [(e.name, dict(e.attributes or {})) for e in leaked.events])))
        assert list(leaked.attributes["pii.categories"]) == [1, 2, 5, 11]  # user.* is portal-user data (5)
        assert "pii.categories" not in (clean.attributes or {})
        wheres = {a.where for a in sent}
        assert {"span.name", "span.user.email", "events[0].note", "events[1].exception.message"} <= wheres
        assert {a.source for a in sent} == {"billing.payments"}
        _assert_alerts_hold_no_value(sent)

    def test_log_record_processor_behind_the_logging_bridge(self) -> None:
        guard, sent = _guard()
        exporter = InMemoryLogRecordExporter()
        provider = LoggerProvider()
        provider.add_log_record_processor(GuardedLogRecordProcessor(SimpleLogRecordProcessor(exporter), guard=guard))
        logger = logging.getLogger("otel.guarded")
        logger.propagate = False
        logger.addHandler(LoggingHandler(logger_provider=provider))
        try:
            logger.warning("card for %s", EMAIL, extra={"customer_phone": PHONE})
            logger.warning("all quiet")
        finally:
            logger.handlers.clear()
        records = [item.log_record for item in exporter.get_finished_logs()]
        _assert_clean(repr([(r.body, dict(r.attributes or {})) for r in records]))
        assert records[1].body == "all quiet"
        assert {a.where for a in sent} == {"body", "customer_phone"}


    def test_places_inside_a_body_and_a_status_are_named_in_full(self) -> None:
        from opentelemetry._logs import LogRecord
        from opentelemetry.trace import Status, StatusCode

        guard, sent = _guard()
        provider = LoggerProvider()
        provider.add_log_record_processor(GuardedLogRecordProcessor(SimpleLogRecordProcessor(InMemoryLogRecordExporter()), guard=guard))
        provider.get_logger("billing.api").emit(LogRecord(body={"customer": {"email": EMAIL}}))
        tracer_provider = TracerProvider()
        tracer_provider.add_span_processor(SimpleSpanProcessor(GuardedSpanExporter(InMemorySpanExporter(), guard=guard)))
        with tracer_provider.get_tracer("billing.payments").start_as_current_span("pay") as span:
            span.set_status(Status(StatusCode.ERROR, f"no customer {EMAIL}"))
        assert {(a.where, a.source) for a in sent} == {("body.customer.email", "billing.api"), ("status.description", "billing.payments")}
        _assert_alerts_hold_no_value(sent)


def test_vectors_through_the_guard_alerts_hold_none_of_them(vectors: dict[str, Any]) -> None:
    guard, sent = _guard()
    planted = [
        *(("klients", v) for v in vectors["personal_code"]["valid"] + vectors["iban"]["valid"]),
        *(("tālrunis", v) for v in vectors["phone"]["international"] + vectors["phone"]["national"]),  # a bare 8-digit number is a phone only after a phone word
    ]
    out = []
    for word, value in planted:
        out.append(guard.check_line(json.dumps({"event": "lookup", "note": f"{word} {value}", "logger": "crm"}, ensure_ascii=False)))
        out.append(guard.check_line(f"2026-11-25 10:00:00 INFO crm {word} {value} sazinājās"))
    rendered = "\n".join(out) + json.dumps([a.as_dict() for a in sent])
    for _, value in planted:
        assert value not in rendered, value
    guard.alerts.flush()
    assert sum(a.count for a in sent) >= 2 * len(planted)


def test_a_value_seen_clean_elsewhere_is_still_a_leak_under_a_personal_field() -> None:
    guard, sent = _guard()
    guard.redactor.redact({"event": "Anna Ozola"})  # the pipeline's redactor, shared: a name alone in free text is clean
    out = guard.check_line('{"event": "x", "full_name": "Anna Ozola"}')
    assert "Anna" not in out and [a.rule for a in sent] == ["person_name"]


class TestGuardEdges:
    def test_the_alert_source_never_carries_a_value(self) -> None:
        guard, sent = _guard()
        guard.check_line(json.dumps({"event": f"mail {EMAIL}", "logger": f"svc.{EMAIL}"}))
        assert {a.source for a in sent} == {"[REDACTED:source]"}

    def test_exc_info_true_is_formatted_and_checked(self) -> None:
        guard, sent = _guard()
        try:
            raise ValueError(f"no account for {EMAIL}")
        except ValueError:
            out = guard.check_event({"event": "lookup failed", "exc_info": True})
        assert EMAIL not in json.dumps(out) and [a.rule for a in sent] == ["email"]

    def test_a_rewritten_json_line_stays_json_and_keeps_our_notes(self) -> None:
        guard, _ = _guard()
        assert json.loads(guard.check_line(json.dumps({"message": f"mail {EMAIL}"}))) == {"message": "mail [REDACTED:email]"}
        nested = json.loads(guard.check_line(json.dumps({"message": {"email": EMAIL, "n": 1}})))
        assert nested["message"] == {"email": "[REDACTED:email]", "n": 1}
        noted = json.loads(guard.check_line(json.dumps(
            {"event": f"mail {EMAIL}", "pii_error": "upstream note", "pii_redactions": [], "pii_categories": [16]})))
        assert noted["pii_error"] == "upstream note" and noted["pii_redactions"] == [] and noted["pii_categories"] == [2, 16]


def test_text_shaped_like_our_token_is_not_taken_for_one() -> None:
    guard, sent = _guard()
    out = guard.check_line(json.dumps({"event": f"note [REDACTED:{EMAIL}]", "contact": f"[HASH:{EMAIL}]"}))
    assert EMAIL not in out and {a.rule for a in sent} == {"email"}
    ours = '{"event": "ok [REDACTED:ip:93.177.x.x] [HASH:k1:0f3a9c2b7d1e4f5a6b7c]"}'
    assert guard.check_line(ours) is ours


def test_urls_already_redacted_are_not_leaks() -> None:
    guard, sent = _guard()
    redacted = guard.redactor.redact({"url": "https://bob:hunter2@example.lv/cb?password=Ziema2026!&page=2"})
    line = json.dumps(redacted)
    assert "hunter2" not in line and "Ziema2026!" not in line
    assert guard.check_line(line) is line and sent == []
