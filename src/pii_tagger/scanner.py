"""Detection by value: one pattern, compiled once, over any text.

All value rules are joined into one alternation of named groups and run with
the ``regex`` module, whose ``timeout`` bounds the time any text can take. A
pre-filter built from the rules' ``needs`` skips texts that no rule can match
(most log messages), and a candidate must then pass its rule's context words
and validator. Detection only: what to write instead is the engine's business.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

import regex

from .actions import Target
from .rules import ValueRule
from .text import fold

MAX_VALUE_AFTER_KEY = 1024
_UNQUOTED_VALUE = regex.compile(
    r"[^\r\n,;&|\]}]{0,%d}?(?=\s+[\"']?[\w.\-]+[\"']?[ \t]*[=:]|[\r\n,;&|\]}]|\s*$)" % MAX_VALUE_AFTER_KEY
)
_KEY = regex.compile(r"[\"']?+([\p{L}_][\w.\-]*)")


class Finding(NamedTuple):
    """A span of text and what it is. ``handler`` is "value" or "url"."""

    start: int
    end: int
    target: Target
    handler: str = "value"


KeyTarget = Callable[[object, str], "Target | None"]


class _Compiled(NamedTuple):
    rule: ValueRule
    target: Target | None
    context: regex.Pattern[str] | None
    deny: regex.Pattern[str] | None


def _words(words: Sequence[str]) -> regex.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(regex.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z])")


def prefilter_pattern(rules: Sequence[ValueRule]) -> str:
    """A pattern that matches every text any of ``rules`` could match."""
    parts: set[str] = set()
    for rule in rules:
        for need in rule.needs:
            parts.add(r"\d" if need == "digit" else re.escape(need))
    return "|".join(sorted(parts, key=len, reverse=True))


class TextScanner:
    """Finds personal data in text. ``key_target`` reads ``key=value`` keys."""

    __slots__ = ("_pattern", "_prefilter", "_rules", "_own_token", "_key_target", "_timeout")

    def __init__(
        self,
        rules: Sequence[ValueRule],
        targets: Sequence[Target | None],
        key_target: KeyTarget,
        timeout: float = 1.0,
    ) -> None:
        self._pattern = regex.compile("|".join(f"(?P<r{i}>{r.pattern})" for i, r in enumerate(rules)))
        self._prefilter = re.compile(prefilter_pattern(rules))
        self._rules = [_Compiled(r, t, _words(r.context), _words(r.deny_context)) for r, t in zip(rules, targets)]
        own = [r.pattern for r in rules if r.handler == "skip"]
        self._own_token = regex.compile("|".join(own)) if own else None
        self._key_target = key_target
        self._timeout = timeout

    def may_match(self, text: str) -> bool:
        """False when no rule can match: the cheap first test."""
        return self._prefilter.search(text) is not None

    def is_own_token(self, text: str) -> bool:
        return self._own_token is not None and self._own_token.fullmatch(text.strip()) is not None

    def scan(self, text: str, node: object) -> list[Finding]:
        """Every finding in ``text``, in order, not overlapping.

        ``node`` is the field the text stands in (passed to ``key_target``
        for ``key=value`` pairs). Raises ``TimeoutError`` past the time limit.
        """
        found: list[Finding] = []
        if not self._prefilter.search(text):
            return found
        search = self._pattern.search
        rules = self._rules
        pos, size = 0, len(text)
        while pos < size:
            m = search(text, pos, timeout=self._timeout)
            if m is None:
                break
            compiled = rules[int(m.lastgroup[1:])]  # type: ignore[index]
            handler = compiled.rule.handler
            start = m.start()
            if handler == "value":
                length = self._check(compiled, text, start, m.group())
                if length:
                    found.append(Finding(start, start + length, compiled.target))  # type: ignore[arg-type]
                    pos = start + length
                else:
                    pos = start + 1
            elif handler == "key_value":
                pos = self._key_value(text, m, node, found)
            elif handler == "url":
                found.append(Finding(start, m.end(), compiled.target, "url"))  # type: ignore[arg-type]
                pos = m.end()
            else:  # "skip": our own token
                pos = m.end()
        return found

    def _check(self, compiled: _Compiled, text: str, start: int, candidate: str) -> int:
        rule = compiled.rule
        if compiled.context is not None or compiled.deny is not None:
            before = fold(text[max(0, start - rule.context_window) : start])
            if compiled.deny is not None and compiled.deny.search(before):
                return 0
            if compiled.context is not None:
                if compiled.context.search(before):
                    if rule.validator_in_context is not None:
                        return rule.validator_in_context(candidate)
                elif rule.context_required:
                    return 0
        return rule.validator(candidate) if rule.validator is not None else len(candidate)

    def _key_value(self, text: str, m: regex.Match[str], node: object, found: list[Finding]) -> int:
        key = _KEY.match(m.group())
        target = self._key_target(node, key.group(1)) if key else None
        value_start = m.end()
        if target is None:
            return value_start
        if target.action == "keep":
            found.append(Finding(value_start, value_start, target))
            return value_start
        start, end = _value_span(text, value_start)
        if end > start and not self.is_own_token(text[start:end]):
            found.append(Finding(start, end, target))
        return max(end, value_start)


def _value_span(text: str, start: int) -> tuple[int, int]:
    """Where the value after ``key=`` or ``key:`` ends: a closing quote, the next
    ``key=``, a separator (, ; & | newline) or the end of the text."""
    if start < len(text) and text[start] in "\"'":
        close = text.find(text[start], start + 1, start + 2 + MAX_VALUE_AFTER_KEY)
        if close != -1:
            return start + 1, close
    m = _UNQUOTED_VALUE.match(text, start)
    end = m.end() if m else min(len(text), start + MAX_VALUE_AFTER_KEY)
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
