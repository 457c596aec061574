"""The redactor: walks an event, detects, applies the policy and tags it."""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import sys
import traceback
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

import orjson

from .actions import Hasher, Target, mask, replacement
from .failsafe import fail_closed, report_once
from .fieldnames import FieldNames
from .nodes import Node, NodeTree, child_words
from .policy import Policy
from .rules import RuleSet, ValueRule, load_rules
from .scanner import TextScanner

if TYPE_CHECKING:
    from .alerts import Alerter

CATEGORIES_KEY = "pii_categories"
SUMMARY_KEY = "pii_redactions"
ERROR_KEY = "pii_error"
OWN_KEYS = frozenset({CATEGORIES_KEY, SUMMARY_KEY, ERROR_KEY})
# structlog's ProcessorFormatter keeps the LogRecord here for later processors;
# it removes them (remove_processors_meta) before rendering.
STRUCTLOG_META_KEYS = frozenset({"_record", "_from_structlog"})

_SAFE_TYPES = (float, bool, type(None), _dt.datetime, _dt.date, _dt.time, _dt.timedelta, uuid.UUID, decimal.Decimal, enum.Enum)
_BIG_INT = 1_000_000  # smaller integers cannot be a phone, code, card or account number
_PLAIN_SCALARS = (float, bool, type(None))
_CLEAN_CACHE_SIZE = 8192  # texts that no rule can match, by value; cleared when full
_CLEAN_CACHE_MAX_LEN = 128
_SEEN_MAX_LEN = 256  # texts redacted once and replayed after, by field (see Redactor._seen)
_SEEN_SIZE = 4096  # such texts in all; cleared when full


class Found(NamedTuple):
    """One finding of an event: what, where, and the value as found (None where
    the engine has no single value: a tag by field name, a key)."""

    target: Target
    path: str
    value: str | None


# Category 0 is no category: the finding is that nothing could be checked.
UNCHECKED = Target("scan_timeout", 0, "scan_timeout", "drop")


Added = tuple[Target, str, Any, bool]  # what _Run.add was given: target, path, value, leaked
Note = tuple[str, str, int, str]  # a summary note's key: path, rule, category, action
Sums = tuple[frozenset[int], int, tuple[Note, ...]]  # categories, changes, notes


class _Seen:
    """A text's redaction in one field, kept for when it comes again: what to
    write, and what redacting it added to the event, replayed in order (or,
    for a run that keeps no findings, added up at once: ``sums``, made when
    first replayed). ``acts``: anything besides tags."""

    __slots__ = ("acts", "added", "out", "sums")

    def __init__(self, out: Any, added: tuple[Added, ...], acts: bool) -> None:
        self.out = out
        self.added = added
        self.acts = acts
        self.sums: Sums | None = None

    def summed(self) -> Sums:
        """The categories, the number of changes and the summary notes it adds."""
        if self.sums is None:
            added = self.added
            self.sums = (
                frozenset(target.category for target, _, _, _ in added),
                sum(target.action not in ("keep", "audit") for target, _, _, _ in added),
                tuple((path, target.rule, target.category, target.action) for target, path, _, _ in added),
            )
        return self.sums


class _Run:
    """What one event carried: categories, (with ``summary``) notes by path,
    and (with ``collect``) every finding, for alerts."""

    __slots__ = ("categories", "changes", "found", "journal", "notes")

    def __init__(self, summary: bool, collect: bool = False) -> None:
        self.categories: set[int] = set()
        self.notes: dict[Note, int] | None = {} if summary else None
        self.found: list[Found] | None = [] if collect else None
        self.journal: list[Added] | None = None  # what one text added (see Redactor._string)
        self.changes = 0

    def unsure(self, path: str) -> None:
        """A text that could not be checked (a scan past its time limit): it is
        replaced whole, and to the guard it is a leak (in doubt, redact)."""
        self.changes += 1
        if self.found is not None:
            self.found.append(Found(UNCHECKED, path, None))
        if self.journal is not None:
            self.journal.append((UNCHECKED, path, None, True))  # never kept: checked again next time

    def add(self, target: Target, path: str, value: Any = None, *, leaked: bool = True) -> None:
        """``leaked=False``: the value is already our own mask or token."""
        self.categories.add(target.category)
        action = target.action
        if action != "keep" and action != "audit":
            self.changes += 1
        if self.found is not None and leaked:
            self.found.append(Found(target, path, None if value is None else str(value)))
        if self.journal is not None:
            self.journal.append((target, path, value, leaked))
        if self.notes is not None:
            key = (path, target.rule, target.category, target.action)
            self.notes[key] = self.notes.get(key, 0) + 1

    def tag(self, node: Node) -> None:
        """A field's tags, as ``add`` adds them (tags change nothing)."""
        if self.found is not None or self.journal is not None:
            for target in node.tags:
                self.add(target, node.path)
        else:
            self._sum(node.tag_categories, 0, node.tag_notes)

    def replay(self, seen: _Seen) -> None:
        """What a text added the first time it was redacted, added again."""
        if self.found is not None or self.journal is not None:
            add = self.add
            for target, path, value, leaked in seen.added:
                add(target, path, value, leaked=leaked)
        else:
            self._sum(*seen.summed())

    def _sum(self, categories: frozenset[int], changes: int, notes: tuple[Note, ...]) -> None:
        """Several ``add`` calls' effect at once, for a run that keeps no findings."""
        self.categories |= categories
        self.changes += changes
        if self.notes is not None:
            for key in notes:
                self.notes[key] = self.notes.get(key, 0) + 1


class Redactor:
    """Finds, redacts and tags personal data in events.

    >>> redactor = Redactor()
    >>> redactor.redact({"event": "login", "email": "anna@example.lv"})["pii_categories"]
    [2]

    It is also a structlog processor: put it after exception formatting and
    before the renderer. It never raises into the application: an event it
    cannot process goes out with every value replaced and a ``pii_error``
    field (fail closed), and the error is logged once to ``pii_tagger``.

    Args:
        policy: actions by category and by rule (default: the catalogue's).
        rule_files: the user's own rule files, read after the shipped ones.
        rules: an already loaded :class:`RuleSet` (instead of ``rule_files``).
        hasher: the key(s) for ``hash`` (default: ``PII_TAGGER_HASH_KEY``).
        summary: also write ``pii_redactions``: which paths were acted on, by
            rule, category and action, with counts (never a value).
        max_depth: nesting deeper than this is replaced by a marker.
        scan_timeout: accepted and ignored: every search takes linear time.
        raise_errors: re-raise internal errors instead of failing closed (tests).
        alerts: where audit-mode findings are alerted (default, when the
            policy audits anything: an :class:`~pii_tagger.alerts.Alerter`
            logging to ``pii_tagger.alerts``).
        source: the service name in alerts, for events without a ``logger`` field.
        remember_personal: keep the redactions of recently seen texts that
            held personal data (at most 4096 texts of up to 256 characters, by
            field, in this process's memory), so that a value that comes again
            (one customer's name across a request's events) is not scanned and
            hashed again. False: only clean texts and texts with tags only are kept.
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
        remember_personal: bool = True,
    ) -> None:
        self.rules = rules if rules is not None else load_rules(rule_files)
        self.policy = policy or Policy()
        self.policy.check_rules({r.id for r in self.rules.fields} | {r.id for r in self.rules.values})
        self.hasher = hasher or Hasher.from_env()
        self.summary = summary
        self.max_depth = max_depth
        self.raise_errors = raise_errors
        self._names = FieldNames(self.rules.fields, self.rules.contexts, self.rules.neutrals)
        self._targets: dict[tuple[str, int], Target] = {}
        self._tree = NodeTree(self._make_node)
        self._clean: dict[str, None] = {}
        # Texts redacted before, by field (see _Seen); with remember_personal
        # False, only those in which nothing but tags was found.
        self._seen: dict[tuple[Node, str], _Seen] = {}
        self.remember_personal = remember_personal
        self._scanner = TextScanner(
            self.rules.values,
            [self._value_target(r) for r in self.rules.values],
            self._key_target,
            self.rules.safe,
        )
        self.source = source
        self.audits = self._may_audit()
        if self.audits and alerts is None:
            from .alerts import Alerter

            alerts = Alerter(hasher=self.hasher)
        self.alerts = alerts

    # ---- public ---------------------------------------------------------------

    def redact(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """A redacted, tagged copy of ``event``; never raises (see the class)."""
        try:
            if not self.audits:
                return self._walk(event, _Run(self.summary))
            return self._audited(event)
        except Exception as exc:
            if self.raise_errors:
                raise
            report_once("redact", exc)
            return fail_closed(event, CATEGORIES_KEY, ERROR_KEY, exc)

    def __call__(self, logger: Any, method_name: str, event_dict: Any) -> dict[str, Any]:
        return self.redact(event_dict)

    def redact_text(self, text: str) -> tuple[str, list[int]]:
        """A redacted copy of a line of free text, and the categories it carried."""
        event = self.redact({"message": text})
        return str(event.get("message", "")), list(event[CATEGORIES_KEY])

    # ---- walking --------------------------------------------------------------

    def inspect(self, event: Mapping[str, Any]) -> tuple[dict[str, Any], list[Found]]:
        """The redacted copy of ``event`` and every finding in it (what the
        export-edge guard and the archive scanner report). May raise."""
        run = _Run(self.summary, collect=True)
        return self._walk(event, run), run.found  # type: ignore[return-value]

    def may_carry(self, event: Mapping[str, Any]) -> bool:
        """False when nothing in ``event`` can be personal data: every key is a
        plain field name and every value clean (a cheap, cached test; True
        means "look closer", not "found")."""
        if event.get("exc_info"):
            return True  # the current exception is formatted and scanned by redact()
        return self._may_carry(event.items(), self._tree.root, 0)

    def _may_carry(self, items: Iterable[tuple[Any, Any]], parent: Node, depth: int) -> bool:
        children = parent.children
        child = self._tree.child
        clean = self._clean
        for key, value in items:
            node = children.get(key) or child(parent, key)
            kind = type(value)
            if node.plain:  # no action by name: the value decides
                if kind is str:
                    if not value or value in clean:
                        continue
                    shape = node.shape
                    if (shape is None or shape(value) is None) and self._may_carry_text(node, value):
                        return True
                    continue
                if kind is int:
                    if -_BIG_INT < value < _BIG_INT:
                        continue
                    return True
                if kind in _PLAIN_SCALARS:
                    continue
            elif node.key_findings or node.drop:
                return True
            elif kind is str:
                if value and self._may_carry_text(node, value):
                    return True
                continue
            if kind is list:
                if depth == 0 and key in OWN_KEYS:
                    continue  # our tags (the error note, a string, is scanned: it never holds a value)
                if depth >= self.max_depth or self._may_carry(((key, v) for v in value), parent, depth + 1):
                    return True
            elif kind is dict:
                if depth >= self.max_depth or self._may_carry(value.items(), node, depth + 1):
                    return True
            elif kind is int:
                if node.capture is not None or not -_BIG_INT < value < _BIG_INT:
                    return True
            elif not (kind in _PLAIN_SCALARS and (node.capture is None or value is None or kind is bool)):
                return True
        return False

    def _may_carry_text(self, node: Node, value: str) -> bool:
        """A string that is not cached as clean: what would redacting it act on?"""
        scanner = self._scanner
        if node.capture is not None:
            seen = self._seen.get((node, value))
            return seen.acts if seen is not None else not scanner.is_own_token(value)
        if _json_like(value) and _json_container(value) is not None:
            return True  # JSON inside a string: looked at whole
        if self._clean_value(node, value):
            self._remember_clean(value)
            return False
        seen = self._seen.get((node, value))
        if seen is not None:
            return seen.acts
        text = scanner.without_own_tokens(value)
        if text is not value and scanner.is_clean(text):
            return False  # nothing but our own masks and tokens
        if not node.plain:
            return True  # URL fields: looked at whole
        found = scanner.scan(value, node, unchecked=False)
        return any(f.handler != "value" or f.target.action != "keep" for f in found)

    def _audited(self, event: Mapping[str, Any]) -> dict[str, Any]:
        run = _Run(self.summary, collect=True)
        out = self._walk(event, run)
        self._alert_audited(event, run.found)  # type: ignore[arg-type]
        return out

    def _alert_audited(self, event: Mapping[str, Any], found: list[Found]) -> None:
        alerts = self.alerts
        if alerts is None:
            return
        source = self.alert_source(event.get("logger") or event.get("logger_name") or self.source)
        for item in found:
            if item.target.action == "audit":
                alerts.report("audit", item.target, item.path, source, item.value)

    def alert_source(self, value: Any) -> str:
        """A logger or service name fit for an alert: ``[REDACTED:source]`` if
        it holds anything a value rule finds (it comes from the event)."""
        text = value if isinstance(value, str) else str(value)
        if self._scanner.is_clean(text):
            return text
        found = self._scanner.scan(text, self._tree.root)
        return "[REDACTED:source]" if any(f.target.action != "keep" for f in found) else text

    def _may_audit(self) -> bool:
        policy = self.policy
        actions = {*policy.actions.values(), *policy.rule_actions.values()}
        actions |= {c.default_action for c in self.rules.categories.values()}
        actions |= {r.action for r in self.rules.fields if r.action}
        actions |= {r.action for r in self.rules.values if r.action}
        return policy.mode == "audit" or "audit" in actions

    def redact_counted(
        self, parts: Sequence[Mapping[str, Any]]
    ) -> tuple[list[dict[str, Any]], set[int], dict[Note, int]]:
        """For callers that total what was done (OpenTelemetry): redacted
        copies, without tag fields, of the parts of one item (a span's
        attributes, its events', ...), the categories they carried, and counts
        by (path, rule, category, action). May raise: the caller fails closed."""
        run = _Run(True, collect=self.audits)
        outs = []
        for part in parts:
            first = len(run.found) if run.found is not None else 0
            outs.append(self._walk(part, run, tags=False))
            if run.found is not None:  # audits: each part's findings, with its own source
                self._alert_audited(part, run.found[first:])
        return outs, run.categories, run.notes  # type: ignore[return-value]

    def _walk(self, event: Mapping[str, Any], run: _Run, *, tags: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {}
        items: Iterable[tuple[Any, Any]] = event.items()
        if event.get("exc_info"):
            items = _with_formatted_exception(event).items()
        if not OWN_KEYS.isdisjoint(event):
            run.categories |= _previous_categories(event.get(CATEGORIES_KEY))
            items = [(k, v) for k, v in items if k not in OWN_KEYS]
        if "_record" in event:
            out.update((k, event[k]) for k in STRUCTLOG_META_KEYS if k in event)
            items = [(k, v) for k, v in items if k not in STRUCTLOG_META_KEYS]
        self._fields(items, self._tree.root, out, run, 1, set())
        if not tags:
            return out
        out[CATEGORIES_KEY] = sorted(run.categories)
        if run.notes is not None:
            out[SUMMARY_KEY] = [
                {"path": p, "rule": r, "category": c, "action": a, "count": n} for (p, r, c, a), n in run.notes.items()
            ]
        return out

    def _fields(self, items: Iterable[tuple[Any, Any]], parent: Node, out: dict[Any, Any], run: _Run, depth: int, seen: set[int]) -> None:
        """The hot loop: plain fields with clean scalar values are copied as they are."""
        children = parent.children
        child = self._tree.child
        clean = self._clean
        for key, value in items:
            node = children.get(key) or child(parent, key)
            if node.plain:
                kind = type(value)
                if kind is str:
                    # Cached: clean texts seen before. Not cached: values of the
                    # field's safe shape (timestamps, ids: each one new).
                    if value and value not in clean and ((shape := node.shape) is None or shape(value) is None):
                        if (again := self._seen.get((node, value))) is not None:  # redacted here before
                            if node.tags:
                                run.tag(node)
                            run.replay(again)
                            out[key] = again.out
                            continue
                        # Still learning the field's shape: is_clean first. Else (and
                        # JSON, which _string parses first) the scan tests what it
                        # must, in its cheapest order.
                        checked = bool(node.shape_tries) and not _json_like(value)
                        if not checked or not self._clean_value(node, value):
                            if node.tags:
                                run.tag(node)
                            out[key] = self._string(value, node, run, depth, seen, unseen=True, checked=checked)
                            continue
                        self._remember_clean(value)
                    if node.tags and value:
                        run.tag(node)
                    out[key] = value
                    continue
                elif kind in _PLAIN_SCALARS or (kind is int and -_BIG_INT < value < _BIG_INT):
                    if node.tags and value is not None:
                        run.tag(node)
                    out[key] = value
                    continue
            elif (
                node.capture is not None and type(value) is str and value
                and not (node.drop or node.key_findings or node.tags)
            ):
                out[node.key] = self._captured(value, node, run)
                continue
            self._put(out, node, value, run, depth, seen)

    def _remember_clean(self, value: str) -> None:
        """Into the bounded cache of clean texts (short ones; cleared when full)."""
        if len(value) <= _CLEAN_CACHE_MAX_LEN:
            clean = self._clean
            if len(clean) >= _CLEAN_CACHE_SIZE:
                clean.clear()
            clean[value] = None

    def _clean_value(self, node: Node, value: str) -> bool:
        """``is_clean(value)``, learning the field's safe shape from its first values."""
        if not self._scanner.is_clean(value):
            return False
        if node.shape_tries:
            node.shape_tries -= 1
            node.shape = self._scanner.shape_of(value)
            if node.shape is not None:
                node.shape_tries = 0
        return True

    def _put(self, out: dict[Any, Any], node: Node, value: Any, run: _Run, depth: int, seen: set[int]) -> None:
        for target in node.key_findings:
            run.add(target, node.path)
        if node.drop:
            if value is not None and value != "":
                own = type(value) is str and self._scanner.is_own_token(value)
                run.add(node.capture, node.path, value, leaked=not own)  # type: ignore[arg-type]
            return
        out[node.key] = self._value(value, node, run, depth, seen)

    def _value(self, value: Any, node: Node, run: _Run, depth: int, seen: set[int]) -> Any:
        if node.tags and value is not None and value != "":
            run.tag(node)
        kind = type(value)
        if kind is str:
            return self._string(value, node, run, depth, seen)
        if kind is dict or isinstance(value, Mapping):
            return self._container(value, node, run, depth, seen, True)
        if kind is list or kind is tuple or isinstance(value, (set, frozenset)):
            return self._container(value, node, run, depth, seen, False)
        if kind is int:
            if node.capture is not None:
                return self._captured_scalar(value, node, run)
            if value >= _BIG_INT or value <= -_BIG_INT:
                text = str(value)
                redacted = self._text(text, node, run)
                return value if redacted is text else redacted
            return value
        if isinstance(value, _SAFE_TYPES):
            if node.capture is not None and value is not None and kind is not bool:
                return self._captured_scalar(value, node, run)
            return value
        if isinstance(value, (bytes, bytearray, memoryview)):
            text = bytes(value).decode("utf-8", "replace")
            redacted = self._string(text, node, run, depth, seen)
            return value if redacted == text else redacted
        # Any other object: what a renderer would write is its text, so that is
        # what is scanned and written out.
        return self._string(_as_text(value), node, run, depth, seen)

    def _container(self, value: Any, node: Node, run: _Run, depth: int, seen: set[int], mapping: bool) -> Any:
        if depth >= self.max_depth:
            return "[REDACTED:too_deep]"
        ident = id(value)
        if ident in seen:
            return "[REDACTED:cycle]"
        seen.add(ident)
        try:
            if mapping:
                out: dict[Any, Any] = {}
                self._fields(value.items(), node, out, run, depth + 1, seen)
                return out
            items = [self._value(item, node, run, depth + 1, seen) for item in value]
            return tuple(items) if type(value) is tuple else items
        finally:
            seen.discard(ident)

    def _string(self, text: str, node: Node, run: _Run, depth: int, seen: set[int], *,
                unseen: bool = False, checked: bool = False) -> Any:
        """``unseen``: the caller found the text not redacted in this field
        before; ``checked``: and ``is_clean(text)`` false (a plain field's text)."""
        if not text:
            return text
        if node.capture is not None:
            return self._captured(text, node, run)
        if _json_like(text) and len(text) > 1:  # JSON inside a string, whatever the rules find in it
            parsed = self._json_in_string(text, node, run, depth, seen)
            if parsed is not None:
                return parsed
        if not unseen:
            if text in self._clean:
                return text
            if self._scanner.is_clean(text):
                self._remember_clean(text)
                return text
            checked = True
            again = self._seen.get((node, text))
            if again is not None:
                run.replay(again)
                return again.out
        journal: list[Added] = []
        run.journal = journal
        try:
            out = self._url(text, node, run) if node.url else self._text(text, node, run, checked=checked)
        finally:
            run.journal = None
        self._remember(node, text, out, journal)
        return out

    def _remember(self, node: Node, text: str, out: Any, added: list[Added]) -> None:
        """Keeps a text's redaction in its field (the node itself: never
        confused with another field's), unless it could not be checked, or it
        held personal data and ``remember_personal`` is off."""
        if len(text) > _SEEN_MAX_LEN or any(t is UNCHECKED for t, _, _, _ in added):
            return
        acts = out != text or any(t.action != "keep" for t, _, _, _ in added)
        if acts and not self.remember_personal:
            return
        self._store(node, text, _Seen(out, tuple(added), acts))

    def _store(self, node: Node, text: str, seen: _Seen) -> None:
        cache = self._seen
        if len(cache) >= _SEEN_SIZE:
            cache.clear()
        cache[node, text] = seen

    def _captured(self, text: str, node: Node, run: _Run) -> str:
        again = self._seen.get((node, text))
        if again is not None:
            run.replay(again)
            return again.out  # type: ignore[no-any-return]
        target = node.capture
        assert target is not None
        own = self._scanner.is_own_token(text)
        out = text if own else replacement(target, text, self.hasher)
        value = None if own else text
        run.add(target, node.path, value, leaked=not own)
        if self.remember_personal and len(text) <= _SEEN_MAX_LEN:
            self._store(node, text, _Seen(out, ((target, node.path, value, not own),), not own))
        return out

    def _captured_scalar(self, value: Any, node: Node, run: _Run) -> Any:
        """A number, date, ... under a personal field: its text is what is
        redacted; in audit mode the value stays as it was, type and all."""
        redacted = self._captured(str(value), node, run)
        return value if node.capture.action == "audit" else redacted  # type: ignore[union-attr]

    def _text(self, text: str, node: Node, run: _Run, *, checked: bool = False, parse_urls: bool = True) -> str:
        """Free text with every finding replaced; URLs in it redacted part by part
        (not inside a URL: ``parse_urls=False``). ``checked``: ``is_clean`` was false."""
        findings = self._scanner.scan(text, node, unchecked=not checked)
        parts: list[str] = []
        last = 0
        for start, end, target, handler in findings:
            if handler == "url" and parse_urls:
                parts += (text[last:start], self._url(text[start:end], node, run, target))
                last = end
                continue
            if handler == "url" or end == start:
                run.add(target, node.path)
                continue
            run.add(target, node.path, text[start:end])
            if target.action == "keep" or target.action == "audit":
                continue
            parts += (text[last:start], replacement(target, text[start:end], self.hasher))
            last = end
        return text if last == 0 else "".join(parts) + text[last:]

    def _json_in_string(self, text: str, node: Node, run: _Run, depth: int, seen: set[int]) -> str | None:
        parsed = _json_container(text)
        if parsed is None:
            return None
        before = run.changes
        # The field was tagged for its text; the container is not tagged again.
        redacted = self._container(parsed, node, run, depth + 1, seen, type(parsed) is dict)
        if run.changes == before:
            return text
        return orjson.dumps(redacted).decode()

    def _url(self, text: str, node: Node, run: _Run, target: Target | None = None) -> str:
        """A URL redacted part by part: credentials, path segments, query, fragment."""
        if target is not None:
            run.add(target, node.path)
        try:
            parts = urlsplit(text)
        except ValueError:
            return self._text(text, node, run, parse_urls=False)
        changed = False
        netloc = parts.netloc
        if "@" in netloc:
            netloc = self._url_userinfo(netloc, node, run)
            changed = True
        path = "/".join(self._url_piece(seg, node, run) for seg in parts.path.split("/"))
        query = parts.query
        if query:
            pairs = []
            for pair in query.split("&"):
                key, eq, value = pair.partition("=")
                if not eq:  # a bare value: ?anna@example.lv
                    pairs.append(self._url_piece(pair, node, run))
                    continue
                name = unquote_plus(key)
                child = self._tree.child(node, name)
                if child.key_findings:  # the parameter's name holds personal data
                    for found in child.key_findings:
                        run.add(found, node.path, name)
                    if child.key != name:
                        key = _quote(str(child.key))
                if child.drop:
                    dropped = unquote_plus(value)
                    own = self._scanner.is_own_token(dropped)
                    run.add(child.capture, node.path, dropped, leaked=not own)  # type: ignore[arg-type]
                    value = _quote(f"[REDACTED:{child.capture.label}]")  # type: ignore[union-attr]
                elif child.capture is not None:
                    redacted = self._captured(unquote_plus(value), child, run)
                    value = value if child.capture.action == "audit" else _quote(redacted)
                else:
                    run.tag(child)
                    value = self._url_piece(value, node, run)
                pairs.append(key + eq + value)
            query = "&".join(pairs)
        fragment = self._url_piece(parts.fragment, node, run)
        if changed or (path, query, fragment) != (parts.path, parts.query, parts.fragment):
            return urlunsplit((parts.scheme, netloc, path, query, fragment))
        return text

    def _url_userinfo(self, netloc: str, node: Node, run: _Run) -> str:
        """``user:password@host``: the user name as a ``username`` field, the password dropped."""
        userinfo, _, host = netloc.rpartition("@")
        user, sep, password = userinfo.partition(":")
        user_node = self._tree.child(self._tree.root, "username")
        if user_node.capture is not None:
            redacted = self._captured(unquote_plus(user), user_node, run)
            user = user if user_node.capture.action == "audit" else _quote(redacted)
        if sep:
            target = self._target("url_password", 16, "secret", "drop", "full", "text")
            run.add(target, node.path, password, leaked=not self._scanner.is_own_token(password))
            if target.action != "audit":
                password = "[REDACTED:secret]"
        return user + sep + password + "@" + host

    def _url_piece(self, piece: str, node: Node, run: _Run) -> str:
        if not piece:
            return piece
        encoded = "%" in piece or "+" in piece
        decoded = unquote_plus(piece) if encoded else piece
        redacted = self._text(decoded, node, run, parse_urls=False)
        if redacted == decoded:
            return piece
        return _quote(redacted) if encoded else redacted

    # ---- classification (cached in the node tree) ---------------------------------

    def _make_node(self, parent: Node, key: Any) -> Node:
        name = key if type(key) is str else str(key)
        words, key_start = child_words(parent, name)
        node = Node(f"{parent.path}.{name}" if parent.path else name, words)
        node.key = key
        node.capture = parent.capture
        if words:
            match = self._names.match(words, key_start)
            if match is not None:
                rule = match.rule
                target = self._target(rule.id, match.category, rule.label, rule.action, rule.mask, rule.normalize)
                if target.action == "keep":
                    node.tags = (target,)
                    node.url = rule.format == "url"
                elif node.capture is None or node.capture.action != "drop":
                    node.capture = target
                    node.drop = target.action == "drop"
        scanned = type(key) is str or (type(key) is int and not -_BIG_INT < key < _BIG_INT)
        if scanned and self._scanner.may_match(name):
            self._redact_key(node, parent, key, name)
        return node.seal()

    def _redact_key(self, node: Node, parent: Node, key: Any, name: str) -> None:
        """A key that holds personal data: written redacted (as it was in audit
        mode), and always masked in the path that summaries and alerts show."""
        findings = [f for f in self._scanner.scan(name, parent) if f.handler == "value" and f.end > f.start]
        if not findings:
            return
        node.key_findings = tuple(f.target for f in findings)
        written: list[str] = []
        shown: list[str] = []
        last = 0
        for start, end, target, _ in findings:
            if target.action == "keep":
                continue
            piece = name[start:end]
            written += (name[last:start], replacement(target, piece, self.hasher))
            shown += (name[last:start], mask(target, piece) if target.action == "audit" else written[-1])
            last = end
        if last:
            out = "".join(written) + name[last:]
            node.key = key if out == name else out
            path_key = "".join(shown) + name[last:]
            node.path = f"{parent.path}.{path_key}" if parent.path else path_key

    def _key_target(self, node: object, key: str) -> Target | None:
        child = self._tree.child(node, key)  # type: ignore[arg-type]
        if child.capture is not None and child.capture is not getattr(node, "capture", None):
            return child.capture
        return child.tags[0] if child.tags else None

    def _value_target(self, rule: ValueRule) -> Target | None:
        if rule.category is None:
            return None
        return self._target(rule.id, rule.category, rule.label, rule.action, rule.mask, rule.normalize)

    def _target(self, rule: str, category: int, label: str, action: Any, mask: str, normalize: str) -> Target:
        key = (rule, category)
        target = self._targets.get(key)
        if target is None:
            target = self.policy.resolve(
                self.rules.categories, rule=rule, category=category, label=label,
                rule_action=action, mask=mask, normalize=normalize,
            )
            self._targets[key] = target
        return target


def _quote(text: str) -> str:
    return quote(text, safe="[]:.@")


def _as_text(value: Any) -> str:
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - any __str__ may fail; the value is then replaced
        return f"[REDACTED:unprintable {type(value).__name__}]"


def _json_like(text: str) -> bool:
    """Whether ``text`` may be a JSON object or array: the cheap first test."""
    first = text[:1]
    return first == "{" or first == "[" or first.isspace()


def _json_container(text: str) -> dict[str, Any] | list[Any] | None:
    """``text`` parsed, when it is a JSON object or array (blanks around allowed)."""
    stripped = text.strip()
    if not stripped or (stripped[0], stripped[-1]) not in (("{", "}"), ("[", "]")):
        return None
    try:
        parsed: dict[str, Any] | list[Any] = orjson.loads(stripped)
    except orjson.JSONDecodeError:
        return None
    return parsed


def _previous_categories(value: Any) -> set[int]:
    """Categories from an earlier pass, so that redacting twice equals once."""
    if not isinstance(value, list):
        return set()
    return {n for n in value if type(n) is int and 1 <= n <= 18}


def _with_formatted_exception(event: Mapping[str, Any]) -> dict[str, Any]:
    """``exc_info`` rendered to ``exception`` text, as structlog's format_exc_info
    would, so that a traceback is scanned even when we run before it."""
    exc_info = event["exc_info"]
    out = {k: v for k, v in event.items() if k != "exc_info"}
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    elif not isinstance(exc_info, tuple):
        exc_info = sys.exc_info()
    if exc_info and exc_info[0] is not None:
        out["exception"] = "".join(traceback.format_exception(*exc_info))
    return out
