"""Standard-library logging, one run: a StreamHandler with a JSON formatter,
without and with PiiFilter. One record per round, its arguments built just
before it (untimed): four kinds of message, values of their own, a few
customers who recur (as in events.py). Compare medians."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from events import bench_fresh, person

from pii_tagger import Hasher, Redactor
from pii_tagger.stdlib import PiiFilter

REDACTOR = Redactor(hasher=Hasher({"bench": "benchmark-key-0123456789"}))
Message = tuple[str, tuple[Any, ...], dict[str, Any]]


def _message(i: int) -> Message:
    who = person(i % 4)
    return [
        ("request finished in %d ms", (i % 900,), {"route": "/api/v2/invoices/{id}", "status": 200}),
        ("payment from %s", (who.email,), {"iban": who.iban, "amount": 5 + i % 500 / 4}),
        ("cache miss for key %s", (f"invoice:2026:{i:06d}",), {}),
        ("customer %s called back", (f"C-{i}",), {"phone": f"+371 2{i * 7919 % 10**7:07d}"}),
    ][i % 4]


def _logger(with_filter: bool) -> logging.Logger:
    jsonlogger = pytest.importorskip("pythonjsonlogger.json")
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(jsonlogger.JsonFormatter("%(levelname)s %(name)s %(message)s"))
    if with_filter:
        handler.addFilter(PiiFilter(redactor=REDACTOR))
    logger = logging.getLogger(f"bench.{with_filter}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


@pytest.mark.parametrize("with_filter", [False, True], ids=["logging alone", "logging + PiiFilter"])
def test_record(benchmark: Any, with_filter: bool) -> None:
    benchmark.group = "stdlib logging record (JSON formatter)"
    logger = _logger(with_filter)

    def emit(message: Message) -> None:
        msg, args, extra = message
        logger.info(msg, *args, extra=extra)

    bench_fresh(benchmark, emit, _message)
