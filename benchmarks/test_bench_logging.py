"""Standard-library logging, one run: a StreamHandler with a JSON formatter,
without and with PiiFilter. One record per round; compare medians."""

from __future__ import annotations

import io
import itertools
import logging
from typing import Any

import pytest

from pii_tagger import Hasher, Redactor
from pii_tagger.stdlib import PiiFilter

REDACTOR = Redactor(hasher=Hasher({"bench": "benchmark-key-0123456789"}))
MESSAGES = [
    ("request finished in %d ms", (12,), {"route": "/api/v2/invoices/{id}", "status": 200}),
    ("payment from %s", ("anna.ozola@inbox.lv",), {"iban": "LV80BANK0000435195001", "amount": 42.5}),
    ("cache miss for key %s", ("invoice:2026:000871",), {}),
    ("customer %s called back", ("C-20931",), {"phone": "+371 21 234 567"}),
]


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
    messages = itertools.cycle(MESSAGES)

    def emit() -> None:
        msg, args, extra = next(messages)
        logger.info(msg, *args, extra=extra)

    benchmark(emit)
