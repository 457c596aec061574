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
from planted import CODE, CODE_COMPACT, EMAIL, IBAN, PHONE, SECRET, assert_absent

from pii_tagger import Hasher, Redactor
from pii_tagger.stdlib import PiiFilter, install

PLANTED = [CODE, IBAN, PHONE, EMAIL, SECRET, "21 234 567", CODE_COMPACT]
REDACTOR = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    yield out
    logging.config.dictConfig({"version": 1, "incremental": False, "disable_existing_loggers": False,
                               "root": {"handlers": [], "level": "WARNING"}})


@pytest.fixture(autouse=True)
def _no_filter_left() -> Iterator[None]:
    """install() protects every handler it finds, pytest's capture handlers and
    logging's last resort included: each test takes its filters off again."""
    yield
    loggers = [logging.getLogger(), *(v for v in logging.root.manager.loggerDict.values() if isinstance(v, logging.Logger))]
    for handler in {h for lg in loggers for h in lg.handlers} | {logging.lastResort}:
        if handler is not None:
            handler.filters[:] = [f for f in handler.filters if not isinstance(f, PiiFilter)]


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
    assert_absent(output, PLANTED)


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

    threads = [threading.Thread(target=work, args=(n,), name=f"pii-test-worker-{n}") for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Only this test's threads' lines: a thread an earlier test left behind
    # may log to the root logger while these run (seen once in CI: 33 more
    # lines); every line, theirs too, must be clean.
    _assert_clean(stream.getvalue())
    lines = [line for line in stream.getvalue().splitlines() if line.startswith("pii-test-worker-")]
    assert len(lines) == 1600
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


@pytest.fixture
def loggers() -> Iterator[list[logging.Logger]]:
    """Named loggers a test configures; left as it found them (no handlers, propagating)."""
    made: list[logging.Logger] = []
    yield made
    for logger in made:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate, logger.disabled = True, False
        logger.setLevel(logging.NOTSET)


def _own_handler(name: str, loggers: list[logging.Logger], out: io.StringIO, fmt: str) -> logging.Logger:
    logger = logging.getLogger(name)
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter(fmt))
    logger.addHandler(handler)
    logger.propagate = False
    loggers.append(logger)
    return logger


def test_install_protects_named_loggers_with_handlers_of_their_own(stream: io.StringIO, loggers: list[logging.Logger]) -> None:
    """Loggers that do not propagate to the root (uvicorn's, gunicorn's, an
    audit log's) are protected too, and so is a handler two loggers share."""
    logging.basicConfig(stream=stream, level=logging.INFO, format="%(name)s %(message)s", force=True)
    own, shared = io.StringIO(), io.StringIO()
    audit = _own_handler("svc.audit", loggers, own, "%(message)s %(phone)s")
    child = logging.getLogger("svc.audit.login")  # propagates to svc.audit's handler
    worker = _own_handler("svc.worker", loggers, shared, "%(message)s")
    worker.addHandler(logging.getLogger().handlers[0])  # the root's handler, shared
    install(redactor=REDACTOR)
    audit.warning("login by %s", EMAIL, extra={"phone": PHONE})
    child.warning("code %s", CODE, extra={"phone": PHONE})
    worker.info("iban %s", IBAN)
    logging.getLogger("app").info("mail %s", EMAIL)
    for out in (stream, own, shared):
        _assert_clean(out.getvalue())
    assert own.getvalue().splitlines() == ["login by [REDACTED:email] [REDACTED:phone:..67]",
                                           f"code {REDACTOR.redact({'c': CODE})['c']} [REDACTED:phone:..67]"]
    assert "svc.worker iban [REDACTED:iban:..5001]" in stream.getvalue()
    assert sum(isinstance(f, PiiFilter) for f in logging.getLogger().handlers[0].filters) == 1


def test_install_covers_logging_last_resort(capsys: pytest.CaptureFixture[str], loggers: list[logging.Logger]) -> None:
    """A logger with no handler anywhere up the tree prints through logging's last resort."""
    lonely = logging.getLogger("svc.lonely")
    lonely.propagate = False
    loggers.append(lonely)
    install(redactor=REDACTOR)
    lonely.error("no handler for %s", EMAIL)
    err = capsys.readouterr().err
    assert err == "no handler for [REDACTED:email]\n"


def test_install_is_idempotent_and_reports_handlers_it_cannot_protect(stream: io.StringIO, loggers: list[logging.Logger]) -> None:
    class NotAHandler:  # something a library put in a handler list; it has no filters
        level = 0

        def handle(self, record: logging.LogRecord) -> None: ...

    logging.basicConfig(stream=stream, level=logging.INFO, format="%(message)s", force=True)
    odd = logging.getLogger("svc.odd")
    odd.handlers.append(NotAHandler())  # type: ignore[arg-type]
    loggers.append(odd)
    install(redactor=REDACTOR)
    install(redactor=REDACTOR)
    assert sum(isinstance(f, PiiFilter) for f in logging.getLogger().handlers[0].filters) == 1
    logging.getLogger("app").info("mail %s", EMAIL)
    assert stream.getvalue().splitlines() == [
        "pii_tagger: a handler of logger 'svc.odd' (NotAHandler) could not be protected: it takes no filters"] * 2 + [
        "mail [REDACTED:email]"]


def test_dict_message_gets_extras_exception_and_stack_redacted(stream: io.StringIO) -> None:
    """``log.error({...}, exc_info=True, extra={...})``: the dict stays a dict
    (JSON formatters merge it in), and the rest of the record is redacted as any."""
    _configure(stream, {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(levelname)s %(name)s %(message)s"})
    log = logging.getLogger("billing")
    try:
        raise ValueError(f"bad code {CODE}")
    except ValueError:
        log.error({"event": "charge failed", "iban": IBAN}, exc_info=True, stack_info=True,
                  extra={"phone": PHONE, "password": SECRET, "customer": {"email": EMAIL}})
    output = stream.getvalue()
    _assert_clean(output)
    record = json.loads(output)
    assert record["event"] == "charge failed" and record["iban"] == "[REDACTED:iban:..5001]"
    assert record["phone"] == "[REDACTED:phone:..67]" and "password" not in record
    assert record["customer"] == {"email": "[REDACTED:email]"}
    assert "ValueError: bad code [HASH:t1:" in record["exc_info"] and "Stack (most recent call last)" in record["stack_info"]
    assert record["pii_categories"] == [1, 2, 11, 16]


def test_dict_message_plain_formatter(stream: io.StringIO) -> None:
    _configure(stream, {"format": "%(message)s %(phone)s %(pii_categories)s"})
    try:
        raise ValueError(f"bad code {CODE}")
    except ValueError:
        logging.getLogger("x").error({"event": "failed", "email": EMAIL}, exc_info=True, extra={"phone": PHONE})
    output = stream.getvalue()
    _assert_clean(output)
    assert output.startswith("{'event': 'failed', 'email': '[REDACTED:email]', 'pii_categories': [1, 2]} "
                             "[REDACTED:phone:..67] [1, 2]\nTraceback")


def _handlers(name: str, filters: list[PiiFilter | None], fmt: str, loggers: list[logging.Logger]) -> list[io.StringIO]:
    """Handlers on a logger of their own (pytest's capture handlers on the root see records raw)."""
    root = logging.getLogger(name)
    root.propagate = False
    loggers.append(root)
    outs = []
    for pii in filters:
        out = io.StringIO()
        handler = logging.StreamHandler(out)
        handler.setFormatter(logging.Formatter(fmt))
        if pii is not None:
            handler.addFilter(pii)
        root.addHandler(handler)
        outs.append(out)
    root.setLevel(logging.INFO)
    return outs


def test_summary_survives_several_handlers(loggers: list[logging.Logger]) -> None:
    """The same filter on three handlers, or one filter each: every handler
    writes the first pass's summary, not an empty one."""
    summary = Redactor(hasher=REDACTOR.hasher, summary=True)
    shared = PiiFilter(redactor=summary)
    fmt = "%(message)s %(pii_categories)s %(pii_redactions)s"
    outs = _handlers("svc", [shared, shared, shared, PiiFilter(redactor=summary), PiiFilter(summary=True)], fmt, loggers)
    logging.getLogger("svc").info("payment from %s", EMAIL, extra={"invoice": "INV-7"})
    lines = {out.getvalue() for out in outs}
    assert len(lines) == 1, lines
    line = lines.pop()
    assert "'path': 'message', 'rule': 'email', 'category': 2, 'action': 'mask', 'count': 1" in line
    assert "'path': 'invoice'" in line and EMAIL not in line


def test_later_handlers_get_the_redacted_record(loggers: list[logging.Logger]) -> None:
    """Handlers run one after another on one record: a handler without a filter
    after one with it writes the redacted record, and so after a record that failed closed."""
    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError("no")

    outs = _handlers("svc", [PiiFilter(redactor=REDACTOR), None], "%(message)s %(pii_categories)s", loggers)
    log = logging.getLogger("svc")
    log.info("payment from %s", EMAIL)
    log.warning("value %s %s", Hostile(), CODE)
    first, second = ("".join(line for line in out.getvalue().splitlines(True) if not line.startswith("pii_tagger:"))
                     for out in outs)
    assert first == second == "payment from [REDACTED:email] [2]\n[REDACTED:error] []\n"


def test_uvicorn_style_formatter_reads_redacted_args(stream: io.StringIO) -> None:
    """A formatter that reads ``record.args`` itself (uvicorn's access log) gets
    them redacted one by one, and ``getMessage()`` is still the redacted message."""
    class ArgsFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            client, method, path, status = record.args  # type: ignore[misc]
            return f"{client} {method} {path} {int(status)} | {record.getMessage()}"

    handler = logging.StreamHandler(stream)
    handler.setFormatter(ArgsFormatter())
    handler.addFilter(PiiFilter(redactor=REDACTOR))
    log = logging.getLogger("svc.access")
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.INFO)
    try:
        log.info('%s - "%s %s" %d', "10.0.0.1:5000", "GET", f"/customers/{CODE}?email={EMAIL}", 200)
        log.info('%s - "%s %s" %d', "10.0.0.1:5000", "GET", "/health", 204)
        log.info("%s %s tālr. %s %d", "a", "b", "29123456", 200)  # found only in context, cut out of the message
        log.info("%s%s tālr. %d", "a", "b", 29123456)  # no certain cut: args cleared
    finally:
        log.removeHandler(handler)
        log.propagate = True
        log.setLevel(logging.NOTSET)
    lines = stream.getvalue().splitlines()
    _assert_clean(stream.getvalue())
    assert lines[0].startswith("10.0.0.1:5000 GET /customers/[HASH:t1:") and "email=[REDACTED:email] 200 | 10.0.0.1:5000 - " in lines[0]
    assert lines[1] == '10.0.0.1:5000 GET /health 204 | 10.0.0.1:5000 - "GET /health" 204'
    assert lines[2] == "a b [REDACTED:phone:..56] 200 | a b tālr. [REDACTED:phone:..56] 200"
    assert len(lines) == 3  # the fourth: the formatter cannot unpack cleared args, and logging reports it


def test_records_the_filter_cannot_handle_fail_closed_and_never_raise(stream: io.StringIO,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A bogus ``exc_info``, an attribute that raises when read, a dict message
    that raises when walked: each record is written, redacted whole."""
    class Raising(logging.LogRecord):
        @property  # type: ignore[override]
        def exc_text(self) -> str:
            raise RuntimeError(f"no {CODE}")

        @exc_text.setter
        def exc_text(self, value: str | None) -> None:
            pass

    class BadDict(dict[str, Any]):
        def items(self) -> Any:
            raise RuntimeError(f"no {EMAIL}")

    handler = logging.StreamHandler(stream)  # on no logger: our failure reports have no pii_error to format
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(pii_categories)s %(pii_error)s"))
    handler.addFilter(PiiFilter(redactor=REDACTOR))
    bogus = logging.makeLogRecord({"name": "a", "levelno": 40, "levelname": "ERROR", "msg": f"x {EMAIL}", "exc_info": "garbage"})
    handler.handle(bogus)
    handler.handle(Raising("b", logging.ERROR, __file__, 1, f"y {EMAIL}", None, None))
    handler.handle(logging.makeLogRecord({"name": "c", "levelno": 30, "levelname": "WARNING", "msg": BadDict(e=EMAIL)}))
    lines = [line for line in stream.getvalue().splitlines() if line != "[REDACTED:error]"]  # exc_text
    _assert_clean(stream.getvalue() + capsys.readouterr().err)
    assert [line.split(" ", 2)[:2] for line in lines] == [["a", "ERROR"], ["b", "ERROR"], ["c", "WARNING"]], lines
    assert all("[REDACTED:error]" in line and "could not process this" in line for line in lines), lines


def test_a_failure_report_that_cannot_be_written_shows_no_value(stream: io.StringIO, capsys: pytest.CaptureFixture[str]) -> None:
    """The report of a failure is logged after the failure is handled: when a
    handler cannot format the report, logging's own error output does not
    chain the original exception, whose message may quote the value."""
    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError(f"no {CODE} here")

    _configure(stream, {"format": "%(message)s %(pii_error)s"})  # the report has no pii_error
    logging.getLogger("x").warning("value %s", Hostile())
    err = capsys.readouterr().err
    assert "--- Logging error ---" in err and "RuntimeError: no" not in err and CODE not in err
    assert stream.getvalue().startswith("[REDACTED:error] pii_tagger could not process this record (RuntimeError)")


def test_a_message_object_is_frozen_to_its_text(loggers: list[logging.Logger]) -> None:
    """``log.info(obj)``: the text the filter checked is what every handler writes,
    even when the object would render differently later."""
    class Changing:
        def __init__(self) -> None:
            self.calls = 0

        def __str__(self) -> str:
            self.calls += 1
            return "clean" if self.calls == 1 else f"now {EMAIL}"

    outs = _handlers("svc.obj", [PiiFilter(redactor=REDACTOR), PiiFilter(redactor=REDACTOR)], "%(message)s", loggers)
    logging.getLogger("svc.obj").warning(Changing())
    assert [out.getvalue() for out in outs] == ["clean\n", "clean\n"]
