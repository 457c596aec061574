"""Standard-library ``logging``: a filter that redacts and tags every record.

Attach :class:`PiiFilter` to a handler (it then sees every record the handler
writes, from any logger, including libraries'), or call :func:`install` to
attach one to every handler of the root logger. It redacts, in place and
before any formatter runs:

* the message, after ``%``-formatting with its args (``args`` are then
  cleared, so they are not applied again);
* every ``extra=`` field, whatever its type;
* the exception (``exc_info`` is rendered to ``exc_text``, redacted, and
  ``exc_info`` cleared) and ``stack_info``;

and sets ``record.pii_categories``, which JSON formatters and structlog's
``ProcessorFormatter`` pass on. It never drops a record and never raises: a
record it cannot process keeps its level and logger, its message becomes
``[REDACTED:error]``, its extras and traceback are replaced, and
``record.pii_error`` says why (reported once to the ``pii_tagger`` logger).

With structlog's ``ProcessorFormatter``, put :class:`~pii_tagger.Redactor` in
its chain instead (see the README): it reads ``exc_info`` itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .engine import CATEGORIES_KEY, ERROR_KEY, SUMMARY_KEY, Redactor
from .failsafe import MARKER, report_once

# Attributes every LogRecord has; anything else on a record came from extra=.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_OWN = frozenset({CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY})
# structlog.stdlib.ProcessorFormatter.wrap_for_formatter keeps these on the
# record for the formatter; they are not data.
_STRUCTLOG_INTERNALS = frozenset({"_logger", "_name"})
_FORMATTER = logging.Formatter()
_MESSAGE, _EXCEPTION, _STACK = "message", "exc_text", "stack_info"


class PiiFilter(logging.Filter):
    """A ``logging.Filter`` that redacts and tags records; it always lets them through.

    In ``dictConfig``::

        "filters": {"pii": {"()": "pii_tagger.stdlib.PiiFilter"}},
        "handlers": {"console": {..., "filters": ["pii"]}},

    Args:
        name: as for ``logging.Filter`` (records of other loggers pass untouched).
        redactor: the :class:`Redactor` to use (default: the process-wide one).
        rule_files, summary: build a new Redactor with these instead.
    """

    def __init__(
        self,
        name: str = "",
        redactor: Redactor | None = None,
        *,
        rule_files: Iterable[str | Path] = (),
        summary: bool = False,
    ) -> None:
        super().__init__(name)
        if redactor is None:
            if rule_files or summary:
                redactor = Redactor(rule_files=rule_files, summary=summary)
            else:
                from . import default_redactor

                redactor = default_redactor()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        if not super().filter(record):
            return True  # another logger's record: not ours to change
        # A filter on another handler may have redacted this record already:
        # redacting again changes nothing and keeps its categories.
        try:
            redact_record(record, self.redactor)
        except Exception as exc:  # noqa: BLE001 - logging must go on; the record fails closed
            report_once("logging filter", exc)
            _fail_closed(record, exc)
        return True


def redact_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """Redact ``record`` in place and set ``record.pii_categories``.

    A structlog event handed over by ``ProcessorFormatter.wrap_for_formatter``
    (``msg`` is the event dict) is redacted as a dict and stays one.
    """
    if isinstance(record.msg, dict) and not record.args:
        record.msg = redactor.redact(record.msg)
        record.__dict__[CATEGORIES_KEY] = record.msg[CATEGORIES_KEY]
        return
    event: dict[str, Any] = {_MESSAGE: record.getMessage()}
    if CATEGORIES_KEY in record.__dict__:  # from an earlier pass; merged, never trusted blindly
        event[CATEGORIES_KEY] = record.__dict__[CATEGORIES_KEY]
    extras = [
        key for key in record.__dict__ if key not in _STANDARD and key not in _OWN and key not in _STRUCTLOG_INTERNALS
    ]
    for key in extras:
        event[key] = record.__dict__[key]
    if record.exc_info:
        event[_EXCEPTION] = _FORMATTER.formatException(record.exc_info)
    elif record.exc_text:
        event[_EXCEPTION] = record.exc_text
    if record.stack_info:
        event[_STACK] = record.stack_info
    out = redactor.redact(event)
    record.msg = out.pop(_MESSAGE, "")
    record.args = None
    if "message" in record.__dict__:  # set by a formatter that ran before us, with the raw text
        record.message = record.msg
    record.exc_info = None
    record.exc_text = out.pop(_EXCEPTION, None)
    record.stack_info = out.pop(_STACK, None)
    for key in extras:
        if key in out:
            record.__dict__[key] = out.pop(key)
        else:  # dropped (a password, a token)
            del record.__dict__[key]
    for key, value in out.items():  # pii_categories, pii_redactions, a redacted key name
        record.__dict__[key] = value


def _fail_closed(record: logging.LogRecord, exc: BaseException) -> None:
    for key in list(record.__dict__):
        if key not in _STANDARD and key not in _OWN and key not in _STRUCTLOG_INTERNALS:
            record.__dict__[key] = MARKER
    had_exception = bool(record.exc_info or record.exc_text)
    record.msg, record.args = MARKER, None
    record.exc_info = None
    record.exc_text = MARKER if had_exception else None
    record.stack_info = None
    record.__dict__[CATEGORIES_KEY] = []
    record.__dict__[ERROR_KEY] = f"pii_tagger could not process this record ({type(exc).__name__}); it was replaced"


def install(logger: logging.Logger | None = None, *, redactor: Redactor | None = None) -> PiiFilter:
    """Protect everything a process logs: add one :class:`PiiFilter` to every
    handler of ``logger`` (default: the root logger), where records from all
    loggers, libraries' included, end up. Handlers added later need
    ``handler.addFilter(filter)`` with the returned filter."""
    target = logger or logging.getLogger()
    pii_filter = PiiFilter(redactor=redactor)
    for handler in target.handlers:
        if not any(isinstance(f, PiiFilter) for f in handler.filters):
            handler.addFilter(pii_filter)
    return pii_filter
