"""Standard-library ``logging``: a filter that redacts and tags every record.

Attach :class:`PiiFilter` to a handler (it then sees every record the handler
writes, from any logger, including libraries'), or call :func:`install` to
attach one to every handler logging has (the root's, and those of loggers
with handlers of their own, such as uvicorn's and gunicorn's). It redacts,
in place and before any formatter runs, so that the handlers after it get
the redacted record too:

* the message, after ``%``-formatting with its args; a message that is a
  dict stays a dict, redacted as one;
* ``args``: kept when the message needed no change; when it did, redacted one
  by one if they then give the same message (formatters that read
  ``record.args`` themselves, such as uvicorn's access log, keep working),
  cleared otherwise (the message is then the redacted text);
* every ``extra=`` field, whatever its type;
* the exception (``exc_info`` is rendered to ``exc_text``, redacted, and
  ``exc_info`` cleared) and ``stack_info``;

and sets ``record.pii_categories`` (and with ``summary=True``
``record.pii_redactions``), which JSON formatters and structlog's
``ProcessorFormatter`` pass on. A second filter on another handler redacts
nothing more and keeps both. It never raises: a record it cannot process
becomes a plain record that keeps its level and logger, its message becomes
``[REDACTED:error]``, its extras and traceback are replaced, and
``record.pii_error`` says why (reported once to the ``pii_tagger`` logger).

With structlog's ``ProcessorFormatter``, put :class:`~pii_tagger.Redactor` in
its chain instead (see the README): it reads ``exc_info`` itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeGuard

from ..engine import CATEGORIES_KEY, ERROR_KEY, SUMMARY_KEY, Redactor
from ..failsafe import MARKER, logger as _report, report_once

# Attributes every LogRecord has; anything else on a record came from extra=.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_OWN = frozenset({CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY})
# structlog.stdlib.ProcessorFormatter.wrap_for_formatter keeps these on the
# record for the formatter; they are not data.
_STRUCTLOG_INTERNALS = frozenset({"_logger", "_name"})
_NOT_EXTRA = _STANDARD | _OWN | _STRUCTLOG_INTERNALS
# What a record that failed closed keeps: where and when, never what.
_KEPT = frozenset({
    "name", "levelno", "levelname", "pathname", "filename", "module", "lineno", "funcName", "created", "msecs",
    "relativeCreated", "thread", "threadName", "processName", "process", "taskName",
})
# Arguments whose rendering cannot change after the filter looked at it.
_PLAIN = frozenset({str, int, float, bool, type(None)})
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
                from .. import default_redactor

                redactor = default_redactor()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if self.nlen and not super().filter(record):
                return True  # another logger's record: not ours to change
            # A filter on another handler may have redacted this record already:
            # redacting again changes nothing and keeps its tags.
            redactor = self.redactor
            if not redactor.redact_stdlib_record(record, _NOT_EXTRA):  # the common record: native
                _redact_record(record, redactor)
            return True
        except Exception as exc:  # noqa: BLE001 - logging must go on; the record fails closed
            failure = exc
            written = _fail_closed(record, exc)
        # Reported once the failure is handled: logging's own error output, if
        # the report cannot be written, then does not chain the failure's message.
        report_once("logging filter", failure)
        return written


def redact_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """Redact ``record`` in place and set ``record.pii_categories``.

    A dict message (a structlog event handed over by ``ProcessorFormatter.wrap_for_formatter``,
    or ``log.info({...})``) is redacted as a dict and stays one; the rest of
    the record is redacted as any record's, and both carry the record's tags.
    The common record (an exact ``LogRecord``, a ``str`` message, a tuple of
    arguments, no pending exception) is done in one native call
    (:meth:`Redactor.redact_stdlib_record`) that does the same.
    """
    if not redactor.redact_stdlib_record(record, _NOT_EXTRA):
        _redact_record(record, redactor)


def _redact_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """:func:`redact_record` in Python: every record the native call leaves."""
    fields = record.__dict__
    as_dict = record.msg if isinstance(record.msg, dict) and not record.args else None
    event: dict[str, Any] = {} if as_dict is not None else {_MESSAGE: record.getMessage()}
    if CATEGORIES_KEY in fields:  # from an earlier pass; merged, never trusted blindly
        event[CATEGORIES_KEY] = fields[CATEGORIES_KEY]
        if SUMMARY_KEY in fields:
            event[SUMMARY_KEY] = fields[SUMMARY_KEY]
    extras = {key: value for key, value in fields.items() if key not in _NOT_EXTRA}
    event.update(extras)
    if record.exc_info:
        event[_EXCEPTION] = _FORMATTER.formatException(record.exc_info)
    elif record.exc_text:
        event[_EXCEPTION] = record.exc_text
    if record.stack_info:
        event[_STACK] = record.stack_info
    if as_dict is not None:
        _redact_dict_message(record, as_dict, event, redactor)
        return
    out = redactor.redact(event)
    redacted = out.pop(_MESSAGE, "")
    if redacted != event[_MESSAGE] or type(record.msg) is not str or not _plain_args(record.args):
        _set_message(record, event[_MESSAGE], redacted)
    record.exc_info = None
    record.exc_text = out.pop(_EXCEPTION, None)
    record.stack_info = out.pop(_STACK, None)
    for key in extras:
        if key not in out:  # dropped (a password, a token)
            del fields[key]
    fields.update(out)  # the redacted extras, our tags, a redacted key name


def _redact_dict_message(record: logging.LogRecord, message: dict[str, Any], rest: dict[str, Any], redactor: Redactor) -> None:
    body = redactor.redact(message)
    record.msg = body
    if not rest.keys() - _OWN:  # nothing else to redact (structlog's events)
        out = {key: body[key] for key in _OWN if key in body}
    else:
        rest[CATEGORIES_KEY] = [*rest.get(CATEGORIES_KEY, ()), *body[CATEGORIES_KEY]]
        out = redactor.redact(rest)
        record.exc_info = None
        record.exc_text = out.pop(_EXCEPTION, None)
        record.stack_info = out.pop(_STACK, None)
        if SUMMARY_KEY in body:  # each pass keeps only the notes of paths it met: the body's, the rest's
            out[SUMMARY_KEY] = [*body[SUMMARY_KEY], *out.get(SUMMARY_KEY, ())]
        body.update((key, out[key]) for key in _OWN if key in out)
    extras = {key for key in record.__dict__ if key not in _NOT_EXTRA}
    for key in extras - out.keys():  # dropped (a password, a token)
        del record.__dict__[key]
    record.__dict__.update(out)


def _plain_args(args: Any) -> TypeGuard[tuple[Any, ...]]:
    """A tuple of arguments whose rendering cannot change after the filter looked."""
    return isinstance(args, tuple) and _PLAIN.issuperset(map(type, args))


def _set_message(record: logging.LogRecord, message: str, redacted: str) -> None:
    """The redacted message, with ``args`` when a formatter can still read them."""
    args, template = record.args, record.msg
    if type(template) is not str or not _plain_args(args):
        kept = None  # an object could render differently later: the checked text is what is written
    elif redacted == message:
        return
    else:
        kept = _redacted_args(template, args, redacted) if args else None
    if kept is None:
        record.msg, record.args = redacted, None
    else:
        record.args = kept
    if "message" in record.__dict__:  # set by a formatter that ran before us, with the raw text
        record.message = redacted


def _redacted_args(template: str, args: tuple[Any, ...], redacted: str) -> tuple[Any, ...] | None:
    """``args`` cut out of the redacted message, so that ``template % args`` is
    ``redacted``: an argument the redaction left as it was stays itself (an
    int stays an int), a changed one must be a plain ``%s`` and becomes its
    redacted text. None when the template's own text did not survive, or the
    cut is not certain (two conversions side by side)."""
    parts = _template_parts(template)
    if parts is None or len(parts[1]) != len(args):
        return None
    texts, specs = parts
    if not redacted.startswith(texts[0]):
        return None
    out: list[Any] = []
    start = len(texts[0])
    for i, (spec, arg) in enumerate(zip(specs, args)):
        after = texts[i + 1]
        if i == len(specs) - 1:
            end = len(redacted) - len(after) if redacted.endswith(after) else -1
        else:
            end = redacted.find(after, start) if after else -1
        if end < start:
            return None
        piece = redacted[start:end]
        if spec == "%s" and type(arg) is str:
            out.append(piece)  # itself, or its redacted text
        elif piece == spec % (arg,):
            out.append(arg)
        else:
            return None
        start = end + len(after)
    return tuple(out)  # texts and pieces make up ``redacted``: ``template % out`` is it


_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[hlL]?[diouxXeEfFgGcrsa%]")
_PARTS: dict[str, tuple[list[str], list[str]] | None] = {}


def _template_parts(template: str) -> tuple[list[str], list[str]] | None:
    """The text around each conversion of a ``%`` template (``%%`` as ``%``) and
    the conversions; None for what cannot be cut (``*`` widths, ``%(name)s``). Cached."""
    parts = _PARTS.get(template)
    if parts is None and template not in _PARTS:
        texts, specs, start = [""], [], 0
        for match in _SPEC.finditer(template):
            texts[-1] += template[start:match.start()]
            start = match.end()
            if match.group() == "%%":
                texts[-1] += "%"
            elif "(" in match.group():
                texts = []
                break
            else:
                specs.append(match.group())
                texts.append("")
        parts = (texts[:-1] + [texts[-1] + template[start:]], specs) if texts and "*" not in template else None
        if len(_PARTS) >= 1024:  # templates are the program's constants; a program that makes them gets no cache
            _PARTS.clear()
        _PARTS[template] = parts
    return parts


def _fail_closed(record: logging.LogRecord, exc: BaseException) -> bool:
    """Make ``record`` a plain ``LogRecord`` that keeps where and when, not what.

    False (the record is not written) only for an object that cannot be made
    one: nothing is left to write that is known to be safe."""
    try:
        fields = vars(record)
        safe = vars(logging.LogRecord("", logging.ERROR, "", 0, MARKER, None, None))
        for key, value in list(fields.items()):
            if key in _KEPT and type(value) in _PLAIN:
                safe[key] = value
            elif isinstance(key, str) and key not in _NOT_EXTRA:
                safe[key] = MARKER  # an extra: a format that names it still works
        safe["levelname"] = logging.getLevelName(safe["levelno"])
        safe["exc_text"] = MARKER if fields.get("exc_info") or fields.get("exc_text") else None
        safe[CATEGORIES_KEY] = []
        safe[ERROR_KEY] = f"pii_tagger could not process this record ({type(exc).__name__}); it was replaced"
        if type(record) is not logging.LogRecord:
            record.__class__ = logging.LogRecord  # a subclass's properties could still raise or leak
        fields.clear()
        fields.update(safe)
        return True
    except Exception:  # noqa: BLE001 - not a record we can change: it is not written
        return False


def _loggers_under(top: logging.Logger) -> Iterator[logging.Logger]:
    yield top
    prefix = "" if top is logging.root else top.name + "."
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and logger.name.startswith(prefix):
            yield logger


def _protect(handler: logging.Handler, owner: str, pii_filter: PiiFilter) -> None:
    filters = getattr(handler, "filters", None)
    if not isinstance(filters, list) or not callable(getattr(handler, "addFilter", None)):
        _report.error("pii_tagger: a handler of logger %r (%s) could not be protected: it takes no filters",
                      owner, type(handler).__name__)
        return
    if not any(isinstance(f, PiiFilter) and not f.name for f in filters):
        handler.addFilter(pii_filter)


def install(logger: logging.Logger | None = None, *, redactor: Redactor | None = None) -> PiiFilter:
    """Protect everything a process logs: add one :class:`PiiFilter` to every
    handler in the logger tree at this moment, where records of all loggers,
    libraries' included, end up: the root's, those of named loggers with
    handlers of their own (uvicorn's ``uvicorn.access``, gunicorn's
    ``gunicorn.error``), and logging's last resort (``logging.lastResort``).
    With ``logger``, only that logger and those below it.

    A handler that already has a :class:`PiiFilter` is left as it is, so
    calling it again is safe. Handlers added later (a later ``dictConfig``
    or ``basicConfig(force=True)``, a library that sets up its own logging,
    ``uvicorn.run()`` called after it) are not covered: call ``install()``
    again after them, or ``handler.addFilter(f)`` with the returned filter.
    A handler that takes no filters is reported to the ``pii_tagger`` logger.
    """
    top = logger or logging.getLogger()
    pii_filter = PiiFilter(redactor=redactor)
    for each in _loggers_under(top):
        for handler in list(each.handlers):
            _protect(handler, each.name, pii_filter)
    if top is logging.root and logging.lastResort is not None:
        _protect(logging.lastResort, "(last resort)", pii_filter)
    return pii_filter
