"""The redactor: the public face of the native engine (``pii_tagger._native``).

Everything that looks at a value runs in Rust (``rust/core``): field names
along the path, value rules, checksums, masks, keyed tokens, tags and
findings. This module configures it (rules, policy, keys), formats a pending
exception so that its traceback is scanned, fails closed, and turns findings
into audit alerts.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as _dt
import decimal
import enum
import functools
import sys
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _native
from .actions import Hasher, Target
from .failsafe import fail_closed, report_once
from .policy import Policy
from .rules import RuleSet, load_rules
from .sources import source_of

if TYPE_CHECKING:
    from .alerts import Alerter

CATEGORIES_KEY = "pii_categories"
SUMMARY_KEY = "pii_redactions"
ERROR_KEY = "pii_error"
OWN_KEYS = frozenset({CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY})

# Values of these types are kept as they are (outside personal fields).
_SAFE_TYPES = (float, _dt.datetime, _dt.date, _dt.time, _dt.timedelta, uuid.UUID, decimal.Decimal, enum.Enum)


class Found(NamedTuple):
    """One finding of an event: what, where, and the value as found (None where
    the engine has no single value: a tag by field name, a key, a bound)."""

    target: Target
    path: str
    value: str | None


Note = tuple[str, str, int, str]  # a summary note's key: path, rule, category, action


class LineCounts(NamedTuple):
    """How many lines of each kind a chunk held (see :meth:`Redactor.check_chunk`)."""

    lines: int
    blank: int
    json: int
    text: int
    not_utf8: int  # read with U+FFFD for each invalid sequence
    binary: int  # with NUL bytes, read like any other
    cut: int  # over the line bound, read up to it


class Parts(NamedTuple):
    """What :meth:`Redactor.redact_parts` made of the parts of one item."""

    outs: list[dict[str, Any]]  # the redacted parts, in order (a part nothing changed is itself)
    categories: list[int]  # of every part, sorted
    changes: int  # values masked, hashed or dropped (never kept or audited ones)
    counts: list[tuple[int, int]]  # findings by target index (see Redactor.targets)
    audits: list[tuple[int, Found]]  # audit-mode findings, with the index of their part


class Redactor(_native.Processor):
    """Finds, redacts and tags personal data in events.

    >>> redactor = Redactor()
    >>> redactor.redact({"event": "login", "email": "anna@example.lv"})["pii_categories"]
    [2, 14]

    It is also a structlog processor (``redactor(logger, method_name,
    event_dict)``, native): put it after exception formatting and before
    the renderer. It never raises into the application: an event it
    cannot process goes out with every value replaced and a ``pii_error``
    field (fail closed), and the error is logged once to ``pii_tagger``.

    Args:
        policy: actions by category and by rule (default: the catalogue's).
        rule_files: the user's own rule files, read after the shipped ones.
        rules: an already loaded :class:`RuleSet` (instead of ``rule_files``).
        hasher: the key(s) for ``hash`` (default: ``PII_TAGGER_HASH_KEY``).
        summary: also write ``pii_redactions``: which paths were acted on, by
            rule, category and action, with counts (never a value).
        max_depth: nesting deeper than this (1 to 256) is replaced by a marker
            (and, to the guard, counts as a value that could not be checked).
        scan_timeout: accepted and ignored: every search takes linear time.
        raise_errors: re-raise internal errors instead of failing closed (tests).
        alerts: where audit-mode findings are alerted (default, when the
            policy audits anything: an :class:`~pii_tagger.alerts.Alerter`
            logging to ``pii_tagger.alerts``).
        source: the service name in alerts, for events without a ``logger`` field.
    """

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        rule_files: Iterable[str | Path] = (),
        rules: RuleSet | None = None,
        hasher: Hasher | None = None,
        summary: bool = False,
        max_depth: int = 32,
        scan_timeout: float = 1.0,
        raise_errors: bool = False,
        alerts: Alerter | None = None,
        source: str = "",
    ) -> None:
        self.rules = rules if rules is not None else load_rules(rule_files)
        self.policy = policy or Policy()
        self.policy.check_rules({r.id for r in (*self.rules.fields, *self.rules.values, *self.rules.names)})
        self.hasher = hasher or Hasher.from_env()
        self.summary = summary
        self.max_depth = max_depth
        self.raise_errors = raise_errors
        rules_json = self.rules.as_json()
        resolved = [
            self.resolve(rule, category, label, action, mask, normalize)
            for rule, category, label, action, mask, normalize in _native.target_needs(rules_json)
        ]
        self._engine = _native.Engine(
            rules_json,
            [(t.rule, t.category, t.label, t.action, t.mask, t.normalize) for t in resolved],
            self.hasher.secrets(),
            max_depth,
            _SAFE_TYPES,
            collections.abc.Mapping,
            summary,
            raise_errors,
            _with_formatted_exception,
            _failed,
        )
        audited = {(t.rule, t.category) for t in resolved if t.audited}
        targets = [Target(*t) for t in self._engine.targets()]
        self._targets = tuple(dataclasses.replace(t, audited=True) if (t.rule, t.category) in audited else t for t in targets)
        self.source = source
        self.audits = self._may_audit()
        if self.audits and alerts is None:
            from .alerts import Alerter

            alerts = Alerter(hasher=self.hasher)
        self.alerts = alerts
        self.check_record = self._engine.check_record  # type: ignore[method-assign]
        if not self.audits:
            # The whole of redact() in one native call (no Python frame on the
            # hot path), and so is structlog's call of the redactor.
            self.redact = self._engine.process  # type: ignore[method-assign]
            self.redact_stdlib_record = self._engine.redact_record  # type: ignore[method-assign]
            self._process_with(self._engine)
        # OpenTelemetry's span walk, straight to the native call.
        walk_span = self._engine.walk_span
        self.redact_span = functools.partial(walk_span, collect=True) if self.audits else walk_span  # type: ignore[method-assign]

    # ---- public ---------------------------------------------------------------

    def redact(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """A redacted, tagged copy of ``event``; never raises (see the class).

        Without audits this method is replaced, per instance, by the native
        engine's ``process``, which does the same in one call."""
        try:
            if event.get("exc_info") and not isinstance(event["exc_info"], str):
                event = _with_formatted_exception(event)
            return self._audited(event)
        except Exception as exc:
            if self.raise_errors:
                raise
            return _failed(event, exc)

    def redact_stdlib_record(self, record: Any, not_extra: frozenset[str]) -> bool:
        """For :mod:`pii_tagger.stdlib`: a ``logging.LogRecord`` redacted in
        place as :func:`pii_tagger.stdlib.redact_record` does, in one native
        call, for the common record (an exact ``LogRecord``, a ``str``
        message, a tuple of arguments, no pending exception); False, having
        changed nothing, for any other, and always when the policy audits
        (``redact`` then alerts). ``not_extra``: the fields that are not
        ``extra=`` ones. May raise: the caller fails closed. Replaced, per
        instance, by the native call when nothing is audited."""
        return False

    def redact_text(self, text: str) -> tuple[str, list[int]]:
        """A redacted copy of a line of free text, and the categories it carried."""
        event = self.redact({"message": text})
        return str(event.get("message", "")), list(event[CATEGORIES_KEY])

    def inspect(self, event: Mapping[str, Any]) -> tuple[dict[str, Any], list[Found]]:
        """The redacted copy of ``event`` and every finding in it (what the
        export-edge guard and the archive scanner report). May raise."""
        if event.get("exc_info") and not isinstance(event["exc_info"], str):
            event = _with_formatted_exception(event)
        out, _, _, found, _ = self._engine.walk(event, summary=self.summary, collect=True)
        return out, self._found(found)

    def may_carry(self, event: Mapping[str, Any]) -> bool:
        """False when nothing in ``event`` would be acted on: no finding that
        the policy does not keep (True means "look closer")."""
        return any(f.target.action != "keep" for f in self.inspect(event)[1])

    def check_chunk(self, data: bytes, cut: list[int] | None = None) -> tuple[LineCounts, list[tuple[int, int, str]]]:
        """The leaks of every line of ``data`` (whole log lines; ``cut``: the
        indexes of lines cut at the line bound), as (line index, target
        index, path), never a value, and the lines' counts. A JSON-object
        line is checked field by field, any other as text (``rust/core/src/lines.rs``)."""
        counts, leaks = self._engine.check_chunk(data, cut or [])
        return LineCounts(*counts), leaks

    def check_record(self, record: str | bytes, *, redact: bool = True) -> tuple[list[tuple[int, str, str | None]], Any]:
        """One rendered line (``str`` or ``bytes``; line breaks inside it and its
        ending are kept) checked as a log line: its leaks (what the policy does
        not keep) as (target index, path, value: for alerts' fingerprints
        only), and with ``redact`` the line as it may be written when it leaks
        (of the same type; None when clean). Native; replaced per instance by
        the engine's method. May raise."""
        return self._engine.check_record(record, redact=redact)

    def alert_source(self, value: Any) -> str:
        """A logger or service name fit for an alert: ``[REDACTED:source]`` if
        it holds anything a value rule finds (it comes from the event)."""
        text = value if isinstance(value, str) else str(value)
        return "[REDACTED:source]" if self._engine.acts_on(text) else text

    def table_size(self) -> tuple[int, int]:
        """The size of the engine's cache, its decisions about field names
        (which hold no value: a name carrying personal data is decided anew
        each time), as (nodes, bytes); bounded, for a service that watches
        its memory. Beside it the engine remembers the nodes of at most 512
        recent keys by their ``str`` objects (keys the table keeps, of at
        most 128 bytes), so that a key met again is not read again."""
        return self._engine.table_size()

    @property
    def targets(self) -> tuple[Target, ...]:
        """Every target the policy resolved, by the index findings carry."""
        return self._targets

    def redact_parts(self, parts: list[dict[str, Any]]) -> Parts:
        """For callers that total what was done (OpenTelemetry): the parts of
        one item (a log record's attributes and body, ...) in one native
        walk. Fields named as our tags (``pii_categories``, ...) are the
        caller's data here: walked as any other. Audit findings are
        returned, not alerted: the caller knows where each part is and what
        its source is. May raise: the caller fails closed."""
        outs, categories, changes, counts, found = self._engine.walk_parts(parts, collect=self.audits)
        return Parts(outs, categories, changes, counts, self.part_audits(found))

    def redact_span(self, span: Any, redact_resource: bool, kit: _native.SpanKit) -> _native.SpanRedaction:
        """For OpenTelemetry: one span (the SDK's ``ReadableSpan``, read from
        its state, ``vars(span)``) in one native walk, and its copy, made
        with ``kit`` (``pii_tagger.integrations.otel_redaction._SPAN_KIT``);
        what it found and what is left to the caller: see
        :class:`~pii_tagger._native.SpanRedaction`. May raise: the caller
        fails closed. Replaced, per instance, by the native call it makes."""
        return self._engine.walk_span(span, redact_resource, kit, collect=self.audits)

    def part_audits(self, found: list[tuple[int, int, str, str | None]] | None) -> list[tuple[int, Found]]:
        """The audit findings among ``found`` (part, target index, path, value)."""
        audits: list[tuple[int, Found]] = []
        for part, index, path, value in found or ():
            target = self._targets[index]
            if target.action == "audit" or target.audited:
                audits.append((part, Found(target, path, value)))
        return audits

    # ---- internals ------------------------------------------------------------

    def _found(self, found: list[tuple[int, str, str | None]]) -> list[Found]:
        targets = self._targets
        return [Found(targets[index], path, value) for index, path, value in found]

    def _audited(self, event: Mapping[str, Any]) -> dict[str, Any]:
        out, _, _, found, _ = self._engine.walk(event, summary=self.summary, collect=True)
        self._alert_audited(event, self._found(found))
        return out

    def _alert_audited(self, event: Mapping[str, Any], found: list[Found]) -> None:
        alerts = self.alerts
        if alerts is None:
            return
        source = self.alert_source(source_of(event, self.source))
        for item in found:
            if item.target.action == "audit" or item.target.audited:
                alerts.report("audit", item.target, item.path, source, item.value)

    def _may_audit(self) -> bool:
        policy = self.policy
        actions = {*policy.actions.values(), *policy.rule_actions.values()}
        actions |= {c.default_action for c in self.rules.categories.values()}
        actions |= {r.action for r in self.rules.fields if r.action}
        actions |= {r.action for r in (*self.rules.values, *self.rules.names) if r.action}
        return policy.mode == "audit" or "audit" in actions

    def resolve(self, rule: str, category: int, label: str, action: Any, mask: str, normalize: str) -> Target:
        """The policy's target for what ``rule`` (with its label, action, mask
        and normaliser as the rule file says) finds in ``category``."""
        return self.policy.resolve(
            self.rules.categories, rule=rule, category=category, label=label,
            rule_action=action, mask=mask, normalize=normalize,
        )


def _failed(event: Any, exc: BaseException) -> dict[str, Any]:
    """The fail-closed event for an error, reported once."""
    report_once("redact", exc)
    return fail_closed(event, CATEGORIES_KEY, ERROR_KEY, exc)


def _with_formatted_exception(event: Mapping[str, Any]) -> dict[str, Any]:
    """``exc_info`` rendered to ``exception`` text, as structlog's format_exc_info
    would, so that a traceback is scanned even when we run before it. A string
    ``exc_info`` (a formatted traceback) is data like any other field."""
    exc_info = event["exc_info"]
    out = {k: v for k, v in event.items() if k != "exc_info"}
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    elif not isinstance(exc_info, tuple):
        exc_info = sys.exc_info()
    if exc_info and exc_info[0] is not None:
        try:
            out["exception"] = "".join(traceback.format_exception(*exc_info))
        except Exception:  # noqa: BLE001 - not an exception (a tuple of anything): data, walked as any field
            out["exc_info"] = event["exc_info"]
    return out
