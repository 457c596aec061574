"""structlog as a service configures it: rendered JSON lines hold no planted value."""

from __future__ import annotations

import io
import json
from typing import Any

import structlog
from planted import ADDRESS, CODE, EMAIL, IBAN, PHONE, SECRET, assert_absent

from pii_tagger import Hasher, Redactor

PLANTED = [CODE, IBAN, PHONE, EMAIL, SECRET, ADDRESS]


def _configure(stream: io.StringIO, tracebacks: Any) -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            tracebacks,
            Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"})),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )


def _log_everything() -> None:
    log = structlog.get_logger("billing").bind(customer={"personal_code": PLANTED[0]})
    structlog.contextvars.bind_contextvars(user_email=PLANTED[3])
    log.info("payment received", iban=PLANTED[1], note=f"zvanīt {PLANTED[2]}, adrese {PLANTED[5]}")
    log.warning(f"login for {PLANTED[3]} with password={PLANTED[4]}")
    try:
        raise ValueError(f"bad code {PLANTED[0]} / {PLANTED[1]}")
    except ValueError:
        log.exception("failed", payload=json.dumps({"password": PLANTED[4], "phone": PLANTED[2]}))
    structlog.contextvars.clear_contextvars()


def _check(output: str) -> list[dict[str, Any]]:
    assert_absent(output, PLANTED)
    return [json.loads(line) for line in output.splitlines()]


def test_json_lines_with_format_exc_info() -> None:
    stream = io.StringIO()
    _configure(stream, structlog.processors.format_exc_info)
    _log_everything()
    events = _check(stream.getvalue())
    # The second event names a login: a portal action (14).
    assert [e["pii_categories"] for e in events] == [[1, 2, 5, 11], [1, 2, 5, 14, 16], [1, 2, 5, 11, 16]]
    assert events[2]["exception"].startswith("Traceback")


def test_json_lines_with_dict_tracebacks() -> None:
    stream = io.StringIO()
    _configure(stream, structlog.processors.dict_tracebacks)
    _log_everything()
    events = _check(stream.getvalue())
    assert events[2]["exception"][0]["exc_type"] == "ValueError"


def test_before_exception_formatting_still_safe() -> None:
    stream = io.StringIO()
    structlog.configure(
        processors=[Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"})), structlog.processors.format_exc_info,
                    structlog.processors.JSONRenderer()],
        logger_factory=structlog.PrintLoggerFactory(stream),
    )
    _log_everything()
    _check(stream.getvalue())
