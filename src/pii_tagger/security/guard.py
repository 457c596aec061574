"""The export-edge guard: a last check on what actually leaves the process.

Redaction inside the pipeline can be bypassed: a processor in the wrong
place, a field added after it, an unusual line format, a category set to
``keep`` or ``audit``. The guard looks at the final rendered line or payload,
and when personal data is there (a leak) it raises an alert and, unless told
otherwise, redacts before the line is written.

A leak is a finding whose action under the guard's policy is not ``keep``:
what the redactor would have masked, hashed or dropped. Our own masks and
hash tokens are never leaks.

Placement:

* structlog: ``LeakGuard()`` as the last processor, after the renderer (it
  takes and returns ``str`` or ``bytes``);
* logging: ``GuardedFormatter(your_formatter)`` on the handler;
* OpenTelemetry: ``GuardedSpanExporter(exporter)`` and
  ``GuardedLogExporter(exporter)`` (:mod:`pii_tagger.otel`).

A rendered line is checked in one native call (``Redactor.check_record``,
``rust/core/src/linecheck.rs``), as every command reads lines: a JSON object
field by field (field names count, every value of a key written twice is
checked), any other line as free text; a leaking line is redacted there too.
A clean line comes back as the same object.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, overload

from .._native import line_source
from ..actions import Hasher
from ..alerts import Alerter
from ..engine import ERROR_KEY, Found, Redactor
from ..failsafe import MARKER, report_once
from ..policy import Policy
from ..rules import RuleSet
from ..sources import source_of

LEAK_MARKER = '{"event":"[REDACTED:error]","pii_error":"pii_tagger guard could not check this line; it was replaced"}'


def leaks(found: list[Found]) -> list[Found]:
    """The findings that are leaks: anything the policy would not keep."""
    return [f for f in found if f.target.action != "keep"]


class LeakGuard:
    """Checks rendered lines and events for personal data left unmasked.

    Args:
        redactor: its rules and policy decide what is a leak and how a line is
            redacted (default: the shipped rules, enforcing policy).
        alerts: where leaks are alerted (default: an :class:`Alerter` logging
            to ``pii_tagger.alerts``).
        redact: redact a leaking line before it is written (default); with
            False, the line is written as it was and only alerted.
        source: the service name in alerts when a line has no ``logger`` field.
    """

    def __init__(
        self,
        redactor: Redactor | None = None,
        *,
        alerts: Alerter | None = None,
        redact: bool = True,
        source: str = "",
    ) -> None:
        self.redactor = redactor or Redactor(source=source)
        self.alerts = alerts if alerts is not None else Alerter(hasher=self.redactor.hasher)
        self.redact = redact
        self.source = source or self.redactor.source
        self._check_record = self.redactor.check_record

    # ---- integrations ---------------------------------------------------------

    def __call__(self, logger: Any, method_name: str, rendered: Any) -> Any:
        """structlog: the last processor, after the renderer."""
        if isinstance(rendered, str):
            return self.check_line(rendered)
        if isinstance(rendered, (bytes, bytearray)):
            return self.check_line(bytes(rendered))
        if isinstance(rendered, Mapping):  # placed before a renderer: check the event instead
            return self.check_event(rendered)
        return rendered

    # ---- checks -----------------------------------------------------------------

    @overload
    def check_line(self, line: str, source: str | None = None) -> str: ...
    @overload
    def check_line(self, line: bytes, source: str | None = None) -> bytes: ...

    def check_line(self, line: str | bytes, source: str | None = None) -> str | bytes:
        """``line`` as it may be written: the same object when clean (or when
        only alerting), else redacted. Never raises: in doubt, redact."""
        try:
            leaked, written = self._check_record(line, redact=self.redact)
            if not leaked:
                return line
            return self._leaked(line, leaked, written, source)
        except Exception as exc:  # noqa: BLE001 - the guard never breaks logging
            report_once("guard", exc)
            if not self.redact:
                return line
            return LEAK_MARKER.encode() if isinstance(line, (bytes, bytearray)) else LEAK_MARKER

    def check_event(self, event: Mapping[str, Any], source: str | None = None) -> Mapping[str, Any]:
        """``event`` itself when clean (or when only alerting), else a redacted copy."""
        try:
            return self._check_event(event, source)
        except Exception as exc:  # noqa: BLE001 - the guard never breaks logging
            report_once("guard", exc)
            return {"event": MARKER, ERROR_KEY: "pii_tagger guard could not check this event"} if self.redact else event

    def find(self, event: Mapping[str, Any], *, suspected: bool = False) -> tuple[dict[str, Any] | None, list[Found]]:
        """The leaks in ``event`` and its redacted copy (None when there are none).
        ``suspected``: ``may_carry(event)`` was already found true. May raise."""
        if not suspected and not self.redactor.may_carry(event):
            return None, []
        redacted, found = self.redactor.inspect(event)
        leaked = leaks(found)
        return (redacted, leaked) if leaked else (None, [])

    def _leaked(self, line: str | bytes, leaked: list[tuple[int, str, str | None]], written: str | bytes | None,
                source: str | None) -> str | bytes:
        """Alerts the leaks of ``line``; the line to write (``written``: its redaction)."""
        targets = self.redactor.targets
        named = source if source is not None else (line_source(bytes(line) if isinstance(line, bytearray) else line) or self.source)
        self.alerts.report_many("leak", [(targets[t], path, value) for t, path, value in leaked], self.redactor.alert_source(named))
        if not self.redact:
            return line
        assert written is not None
        return written

    def _check_event(self, event: Mapping[str, Any], source: str | None) -> Mapping[str, Any]:
        redacted, leaked = self.find(event)
        if not leaked:
            return event
        self._alert(event, leaked, source)
        return redacted if self.redact and redacted is not None else event

    def _alert(self, event: Mapping[str, Any], leaked: list[Found], source: str | None) -> None:
        self.alerts.report_many("leak", [(f.target, f.path, f.value) for f in leaked], self._source_of(event, source))

    def _source_of(self, event: Mapping[str, Any], source: str | None) -> str:
        """The source an alert names: the caller's, else the event's (:func:`~pii_tagger.sources.source_of`), else the guard's own."""
        named = source if source is not None else source_of(event, self.source)
        return self.redactor.alert_source(named)


class GuardedFormatter(logging.Formatter):
    """Wraps any ``logging.Formatter``: its output is checked (and redacted)
    before the handler writes it. Works in ``dictConfig`` with ``()``::

        "formatters": {"json": {"()": "pii_tagger.guard.GuardedFormatter",
                                "formatter": {"()": "pythonjsonlogger.json.JsonFormatter"}}}
    """

    def __init__(
        self,
        formatter: logging.Formatter | Mapping[str, Any] | None = None,
        guard: LeakGuard | None = None,
        *,
        redact: bool = True,
    ) -> None:
        super().__init__()
        self.formatter = _build_formatter(formatter)
        self.guard = guard or LeakGuard(redact=redact)

    def format(self, record: logging.LogRecord) -> str:
        return self.guard.check_line(self.formatter.format(record), record.name)


def _build_formatter(spec: logging.Formatter | Mapping[str, Any] | None) -> logging.Formatter:
    """A formatter, or a dictConfig-style mapping for one (``()`` or ``format``)."""
    if spec is None:
        return logging.Formatter()
    if isinstance(spec, logging.Formatter):
        return spec
    options = dict(spec)
    factory = options.pop("()", None)
    if factory is None:
        return logging.Formatter(options.get("format"), options.get("datefmt"), options.get("style", "%"))
    if isinstance(factory, str):
        module, _, name = factory.rpartition(".")
        factory = getattr(__import__(module, fromlist=[name]), name)
    built = factory(**options)
    if not isinstance(built, logging.Formatter):
        raise TypeError(f"GuardedFormatter: {factory!r} did not make a logging.Formatter")
    return built


# ---- the guard of the archive scanner and the pytest plugin ---------------------


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What a worker needs to build its own guard (picklable)."""

    rule_files: tuple[str, ...] = ()
    actions: tuple[tuple[int, str], ...] = ()


def make_guard(options: ScanOptions, rules: RuleSet | None = None) -> LeakGuard:
    """The scanner's guard: it reports, it does not alert or hash (a throw-away
    key). ``rules``: already loaded (instead of ``options.rule_files``)."""
    policy = Policy(actions=dict(options.actions))  # type: ignore[arg-type]
    hasher = Hasher({"scan": secrets.token_bytes(32)})
    redactor = Redactor(policy, rule_files=options.rule_files, rules=rules, hasher=hasher)
    return LeakGuard(redactor, alerts=Alerter([], hasher=hasher), redact=False)
