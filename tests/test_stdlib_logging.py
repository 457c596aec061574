"""Standard-library logging configured as a service would: nothing planted reaches the output."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from pii_tagger import Hasher, Redactor
from pii_tagger.stdlib import PiiFilter, install

CODE, IBAN, PHONE, EMAIL, SECRET = "161175-19997", "LV80BANK0000435195001", "+371 21 234 567", "anna.ozola@inbox.lv", "Ziema2026!"
PLANTED = [CODE, IBAN, PHONE, EMAIL, SECRET, "21 234 567", "16117519997"]
REDACTOR = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    yield out
    logging.config.dictConfig({"version": 1, "incremental": False, "disable_existing_loggers": False,
                               "root": {"handlers": [], "level": "WARNING"}})


def _configure(stream: io.StringIO, formatter: dict[str, Any]) -> None:
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"pii": {"()": PiiFilter, "redactor": REDACTOR}},
        "formatters": {"main": formatter},
        "handlers": {"out": {"class": "logging.StreamHandler", "stream": stream, "formatter": "main", "filters": ["pii"]}},
        "root": {"handlers": ["out"], "level": "DEBUG"},
    })


def _log_every_path() -> None:
    log = logging.getLogger("billing")
    log.info("payment from %s to %s", EMAIL, IBAN)
    log.info("customer %(code)s called", {"code": CODE})
    log.warning("contact", extra={"phone": PHONE, "customer": {"personas_kods": CODE}, "password": SECRET, "raw": CODE.encode()})
    logging.LoggerAdapter(log, {"user_email": EMAIL}).info("adapter path %s", PHONE)
    try:
        raise ValueError(f"bad code {CODE} for {EMAIL}")
    except ValueError:
        log.exception("failed with %s", IBAN)
    log.info("stack", stack_info=True, extra={"note": f"tālr. {PHONE}"})
    logging.getLogger("urllib3.connectionpool").debug("https://user:%s@bank.example/x?iban=%s", SECRET, IBAN)
    logging.getLogger("sqlalchemy.engine.Engine").info("[parameters: (%r, %r)]", CODE, EMAIL)


def _assert_clean(output: str) -> None:
    for value in PLANTED:
        assert value not in output, value


def test_json_formatter_end_to_end(stream: io.StringIO) -> None:
    _configure(stream, {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(levelname)s %(name)s %(message)s"})
    _log_every_path()
    output = stream.getvalue()
    _assert_clean(output)
    records = [json.loads(line) for line in output.splitlines()]
    assert len(records) == 8
    categories = [r["pii_categories"] for r in records]
    assert categories[:5] + categories[6:] == [[2, 11], [1], [1, 2, 16], [2, 5], [1, 2, 11], [11, 12, 16], [1, 2]]
    assert 2 in categories[5]  # stack_info also holds the caller's source lines, whatever they carry
    assert records[0]["message"] == "payment from [REDACTED:email] to [REDACTED:iban:..5001]"
    assert "password" not in records[2] and records[2]["phone"] == "[REDACTED:phone:..67]"
    assert "ValueError: bad code [HASH:t1:" in records[4]["exc_info"]
    assert records[6]["name"] == "urllib3.connectionpool"


def test_plain_formatter_end_to_end(stream: io.StringIO) -> None:
    _configure(stream, {"format": "%(levelname)s %(name)s %(message)s %(pii_categories)s"})
    _log_every_path()
    output = stream.getvalue()
    _assert_clean(output)
    assert "Traceback (most recent call last)" in output and "ValueError: bad code [HASH:t1:" in output
    assert "Stack (most recent call last)" in output


def test_install_one_liner_covers_library_loggers(stream: io.StringIO) -> None:
    logging.basicConfig(stream=stream, level=logging.DEBUG, format="%(name)s %(message)s", force=True)
    install(redactor=REDACTOR)
    _log_every_path()
    _assert_clean(stream.getvalue())
    assert "urllib3.connectionpool https://[HASH:t1:" in stream.getvalue()


def test_structlog_processor_formatter_covers_both(stream: io.StringIO) -> None:
    shared = [structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso")]
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": [*shared, structlog.stdlib.ExtraAdder(), REDACTOR],
            "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()],
        }},
        "handlers": {"out": {"class": "logging.StreamHandler", "stream": stream, "formatter": "json"}},
        "root": {"handlers": ["out"], "level": "DEBUG"},
    })
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, REDACTOR, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    _log_every_path()
    structlog.get_logger("app").info("structlog path", iban=IBAN, note=f"zvanīt {PHONE}")
    output = stream.getvalue()
    _assert_clean(output)
    records = [json.loads(line) for line in output.splitlines()]
    assert len(records) == 9 and all("pii_categories" in r for r in records)
    assert "ValueError: bad code [HASH:t1:" in records[4]["exception"]


def test_threads(stream: io.StringIO) -> None:
    _configure(stream, {"format": "%(threadName)s %(message)s %(pii_categories)s"})
    log = logging.getLogger("threads")

    def work(n: int) -> None:
        for i in range(200):
            log.info("t%d %d code %s mail %s", n, i, CODE, EMAIL)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1600
    _assert_clean(stream.getvalue())
    assert all(line.endswith("[1, 2]") for line in lines)


def test_a_record_that_cannot_be_processed_fails_closed(stream: io.StringIO, caplog: pytest.LogCaptureFixture) -> None:
    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError(f"no {CODE}")

    _configure(stream, {"format": "%(levelname)s %(message)s %(pii_error)s %(detail)s"})
    with caplog.at_level(logging.ERROR, "pii_tagger"):
        logging.getLogger("x").warning("value %s", Hostile(), extra={"detail": CODE})
        logging.getLogger("x").warning("value %s", Hostile(), extra={"detail": CODE})
    lines = stream.getvalue().splitlines()
    assert lines[0] == ("WARNING [REDACTED:error] pii_tagger could not process this record (RuntimeError); "
                        "it was replaced [REDACTED:error]")
    assert len(lines) == 2 and CODE not in stream.getvalue() and CODE not in caplog.text


def test_two_handlers_redact_once(stream: io.StringIO) -> None:
    second = io.StringIO()
    pii = PiiFilter(redactor=REDACTOR)
    root = logging.getLogger()
    handlers = [logging.StreamHandler(stream), logging.StreamHandler(second)]
    for h in handlers:
        h.addFilter(pii)
        h.setFormatter(logging.Formatter("%(message)s %(pii_categories)s"))
        root.addHandler(h)
    root.setLevel(logging.INFO)
    try:
        logging.getLogger("y").info("code %s", CODE)
    finally:
        for h in handlers:
            root.removeHandler(h)
    assert stream.getvalue() == second.getvalue()
    assert stream.getvalue().startswith("code [HASH:t1:") and stream.getvalue().endswith("[1]\n")


def test_filter_and_processor_formatter_on_one_handler(stream: io.StringIO) -> None:
    """structlog events reach the handler as dicts (wrap_for_formatter): the filter
    redacts them as dicts, and a record carrying a forged pii_categories extra
    is still redacted."""
    shared = [structlog.processors.add_log_level]
    handler = logging.StreamHandler(stream)
    handler.addFilter(PiiFilter(redactor=REDACTOR))
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()],
    ))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    try:
        structlog.get_logger("app").info("structlog path", iban=IBAN, note=f"zvanīt {PHONE}")
        logging.getLogger("lib").info("foreign %s", EMAIL, extra={"pii_categories": [], "code": CODE})
    finally:
        root.removeHandler(handler)
    _assert_clean(stream.getvalue())
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["pii_categories"] == [2, 11] and first["event"] == "structlog path"
    assert second["event"] == "foreign [REDACTED:email]" and second["pii_categories"] == [1, 2]
