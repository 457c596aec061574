"""Detection by value: one pattern, compiled once, over any text.

Value rules are joined into one alternation of named groups and run with the
``regex`` module, whose ``timeout`` bounds the time any text can take. Short
ASCII texts, on which a shipped rule cannot run long, are searched with the
same alternation compiled by the standard ``re`` (three to five times faster
here; letter classes written as the ASCII ranges they match in such a
text). Before that, cheap tests decide what is worth scanning at all:

1. the pre-filter: a text holding none of any rule's ``needs`` is clean;
2. safe shapes: a text that is wholly a timestamp, UUID, hex id, number, ... is
   clean;
3. only rules whose ``needs`` and ``min_digits`` the text meets go into the
   pattern (one compiled pattern per such set of rules, kept).

A candidate must then pass its rule's context words and validator. Detection
only: what to write instead is the engine's business.
"""

from __future__ import annotations

import functools
import re
import sys
import typing
from collections.abc import Callable, Sequence
from typing import NamedTuple

import regex

from .actions import Target
from .rules import SafeShape, ValueRule
from .text import fold

MAX_VALUE_AFTER_KEY = 1024
MAX_BEFORE = 80  # how far back a rule's `before` pattern may reach
# Shipped patterns are possessive or bounded, so a short text cannot make them
# backtrack for long; the time limit (which costs ~2 µs a search) is applied to
# longer texts and whenever a user's rule is in the pattern.
UNTIMED_TEXT_LENGTH = 512
_UNQUOTED_VALUE = regex.compile(
    rf"[^\r\n,;&|\]}}]{{0,{MAX_VALUE_AFTER_KEY}}}?(?=\s+[\"']?[\w.\-]+[\"']?[ \t]*[=:]|[\r\n,;&|\]}}]|\s*$)"
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
    before: regex.Pattern[str] | None


def _words(words: Sequence[str], *, adjacent: bool = False) -> regex.Pattern[str] | None:
    """Context words, matched folded; ``adjacent``: only directly before the
    candidate, allowing a number sign or "no."/"nr." between ("order no. ...")."""
    if not words:
        return None
    alternatives = "|".join(regex.escape(fold(w)) for w in sorted(words, key=len, reverse=True))
    tail = r"[ \t]*+(?:(?:no|nr|number|numurs)\.?[ \t]*+)?[:#]?[ \t]*+$" if adjacent else r"(?![a-z])"
    return regex.compile(rf"(?<![a-z0-9])(?:{alternatives}){tail}")


# The rules' \d is the regex module's (newer Unicode than re's): count with it.
_DIGIT_RUNS = regex.compile(r"\d+")
_MAX_PATTERNS = 512
_SKELETON_MAX = 512  # longer texts choose their rules each time
_MAX_SKELETONS = 4096
_ZERO_DIGITS = {ord(d): "0" for d in "123456789"}
_ZERO_DIGITS_BYTES = bytes.maketrans(b"123456789", b"000000000")


# What the regex module's letter classes match in an ASCII text, inside a
# character class and outside one.
_ASCII_CLASSES = {r"\p{L}": "A-Za-z", r"\p{Lu}": "A-Z", r"\p{Ll}": "a-z"}
_REGEX_ONLY = regex.compile(r"\\[pPXmMGK]|\(\?[rVbefw]|\(\?\||\{[^}]*[A-Za-z]")  # ..., fuzzy matching {e<=1}
# Whether the shipped rules may run on the standard re: its possessive
# quantifiers gave wrong results before 3.11.5 (CPython gh-100061, gh-106052).
STDLIB_RE_USABLE = sys.version_info >= (3, 11, 5)


def ascii_pattern(pattern: str) -> str | None:
    """``pattern`` for the standard ``re``, applied to ASCII text only: the
    letter properties written as ASCII ranges.

    None when ``re`` is not to be used (``STDLIB_RE_USABLE``), when the
    pattern uses anything only the regex module has, and when it holds what
    ``re`` may read another way in a later version (a "[" or a doubled set
    operator inside a class, which re warns about). Whether ``re`` compiles
    the result is the caller's test.
    """
    if not STDLIB_RE_USABLE:
        return None
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if in_class and (ch == "[" or pattern[i : i + 2] in ("--", "&&", "~~", "||")):
            return None
        if ch == "\\":
            for name, ranges in _ASCII_CLASSES.items():
                if pattern.startswith(name, i):
                    out.append(ranges if in_class else f"[{ranges}]")
                    i += len(name)
                    break
            else:
                out.append(pattern[i : i + 2])
                i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):  # a "]" first in a class is itself
                out.append("]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    translated = "".join(out)
    return None if _REGEX_ONLY.search(translated) else translated


_POSSESSIVE = re.compile(r"[*+?}]\+|\(\?>")


def _compile_before(pattern: str | None) -> regex.Pattern[str] | None:
    """A rule's ``before`` pattern, searched backwards from the match (the
    ``regex`` module's REVERSE flag), so that the engine starts at the match."""
    return regex.compile(pattern, regex.REVERSE) if pattern else None


def _compile_safe(pattern: str) -> re.Pattern[str] | regex.Pattern[str]:
    """A safe shape: stdlib ``re`` where the pattern allows (faster on short
    texts), else ``regex``; ASCII classes, so ``\\d`` is 0-9 and a shape never
    takes more texts than it says (a text it does not take is scanned)."""
    if STDLIB_RE_USABLE or not _POSSESSIVE.search(pattern):
        try:
            return re.compile(pattern, re.ASCII)
        except re.error:
            pass
    return regex.compile(pattern, regex.ASCII)


_ASCII_DIGITS = b"0123456789"


def count_digits(text: str) -> int:
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_DIGITS))
    return sum(map(len, _DIGIT_RUNS.findall(text)))


def prefilter(rules: Sequence[ValueRule]) -> tuple[Callable[[str], object], tuple[str, ...]]:
    """What every text any of ``rules`` could match holds (and some others do):
    a character class, searched in C, of the single-character needs and
    "digit"; and the longer needs that hold none of those characters (no
    shorter need inside them), each tested with ``in``."""
    needs = {n for r in rules for n in r.needs}
    single = {n for n in needs if len(n) == 1}
    chars = sorted(re.escape(c) for c in single) + ([r"\d"] if "digit" in needs else [])
    search: Callable[[str], object] = lambda text: None
    if chars:
        # stdlib re for ASCII text (faster); the regex module, whose \d the rules use, for any other
        ascii_search, any_search = re.compile(f"[{''.join(chars)}]").search, regex.compile(f"[{''.join(chars)}]").search

        def search(text: str) -> object:
            return ascii_search(text) if text.isascii() else any_search(text)

    # A longer need is left to the class only when one of its characters is in
    # it: a single need, or an ASCII digit (\d). "m²" stays: "²" is no \d.
    words = {n for n in needs - single - {"digit"} if not any(c in single or "0" <= c <= "9" for c in n)}
    return search, tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


class TextScanner:
    """Finds personal data in text. ``key_target`` reads ``key=value`` keys."""

    __slots__ = (
        "_any_context",
        "_by_skeleton",
        "_context_bits",
        "_context_rules",
        "_digit_bits",
        "_digit_floor",
        "_digit_words",
        "_group_rule",
        "_key_target",
        "_literal_bits",
        "_literals",
        "_needs_all",
        "_optimise",
        "_own_token",
        "_patterns",
        "_rules",
        "_safe",
        "_shape_tests",
        "_timeout",
        "_user_bits",
        "is_clean",
    )

    def __init__(
        self,
        rules: Sequence[ValueRule],
        targets: Sequence[Target | None],
        key_target: KeyTarget,
        safe: Sequence[SafeShape] = (),
        timeout: float = 1.0,
        *,
        optimise: bool = True,
    ) -> None:
        """``optimise=False`` gives the plain scan (every rule at every position),
        which the tests compare the optimised one against."""
        self._optimise = optimise
        self._safe = _compile_safe("|".join(f"(?P<s{i}>{shape.pattern})" for i, shape in enumerate(safe))) if safe else None
        self._shape_tests = [_compile_safe(shape.pattern).fullmatch for shape in safe]
        self._rules = [
            _Compiled(
                r, t, _words(r.context), _words(r.deny_context, adjacent=True), _compile_before(r.before)
            )
            for r, t in zip(rules, targets)
        ]
        self._group_rule = {f"r{i}": i for i in range(len(rules))}  # a match's group name: its rule
        literal_bits: dict[str, int] = {}
        self._digit_bits = 0
        for i, rule in enumerate(rules):
            for need in rule.needs:
                if need == "digit":
                    self._digit_bits |= 1 << i
                else:
                    literal_bits[need] = literal_bits.get(need, 0) | 1 << i
        self._literal_bits = literal_bits
        self._literals = tuple(literal_bits)
        # rules allowed by a text's digit count: bits of rules with min_digits <= n
        floors = sorted({r.min_digits for r in rules})
        self._digit_floor = [
            (floor, sum(1 << i for i, r in enumerate(rules) if r.min_digits <= floor)) for floor in reversed(floors)
        ]
        self._patterns: dict[int, tuple[regex.Pattern[str], re.Pattern[str] | None]] = {}
        self._user_bits = sum(1 << i for i, r in enumerate(rules) if not r.shipped)
        # The gate is looser than the check (plain substrings, no word
        # boundaries): it may keep a rule the check then rejects, never the reverse.
        self._context_rules = [
            (i, regex.compile("|".join(regex.escape(fold(w)) for w in c.rule.context)))
            for i, c in enumerate(self._rules)
            if c.context is not None and c.rule.context_required
        ]
        self._context_bits = sum(1 << i for i, _ in self._context_rules)
        # One search for any of those rules' words: most texts have none.
        context_words = sorted({fold(w) for c in self._rules if c.context is not None and c.rule.context_required
                                for w in c.rule.context})
        self._any_context = re.compile("|".join(map(re.escape, context_words))) if context_words else None
        self._needs_all = [(i, r.needs_all) for i, r in enumerate(rules) if r.needs_all]
        # The skeleton of a text (digits as 0) keeps every word without an ASCII
        # digit; needs that hold one are looked up in the text and join the key.
        # A context word with a digit (none is shipped) turns the memo off.
        needs = {*self._literals, *(w for _, ws in self._needs_all for w in ws)}
        self._digit_words = tuple(sorted(w for w in needs if any("0" <= ch <= "9" for ch in w)))
        memo = not any("0" <= ch <= "9" for w in context_words for ch in w)
        self._by_skeleton: dict[object, int] | None = {} if memo else None
        self.is_clean = self._clean_test(rules)
        own = [r.pattern for r in rules if r.handler == "skip"]
        self._own_token = regex.compile("|".join(own)) if own else None
        self._key_target = key_target
        self._timeout = timeout

    def may_match(self, text: str) -> bool:
        """False when no rule can match: no rule's needs, or a safe shape."""
        return not self.is_clean(text)

    def _clean_test(self, rules: Sequence[ValueRule]) -> Callable[[str], bool]:
        """``is_clean(text)``: no rule's needs, or a safe shape. Specialised once:
        the engine's hot path calls it per value."""
        if not self._optimise:
            return lambda text: False
        chars, words = prefilter(rules)
        safe = self._safe.fullmatch if self._safe is not None else (lambda text: None)

        def is_clean(text: str) -> bool:
            if chars(text) is None:
                for word in words:
                    if word in text:
                        break
                else:
                    return True
            return safe(text) is not None

        return is_clean

    def shape_of(self, text: str) -> Callable[[str], object] | None:
        """The test of the one safe shape ``text`` has (None: none). A field
        whose values keep one shape (timestamps, UUIDs) remembers it: one
        small test instead of every shape's."""
        m = self._safe.fullmatch(text) if self._safe is not None and self._optimise else None
        if m is None or m.lastgroup is None:
            return None
        return self._shape_tests[int(m.lastgroup[1:])]

    def _rules_for(self, text: str) -> int:
        """The rules (bits) whose needs ``text`` meets: 0 when none.

        Kept by the text's skeleton (its digits as 0): the choice depends only
        on which needs and context words a text holds and on how many digits,
        and none of those words holds a digit 1-9 (the few that do are part of
        the key), so texts of one template share it: "call 2xxxxxxx" once.
        """
        if not self._optimise:
            return (1 << len(self._rules)) - 1
        if len(text) > _SKELETON_MAX or self._by_skeleton is None:
            return self._select(text)
        if text.isascii():
            key: object = text.encode("ascii").translate(_ZERO_DIGITS_BYTES)
        else:
            key = text.translate(_ZERO_DIGITS)
        if self._digit_words:
            key = (key, *(word in text for word in self._digit_words))
        bits = self._by_skeleton.get(key)
        if bits is None:
            bits = self._select(text)
            if len(self._by_skeleton) >= _MAX_SKELETONS:
                self._by_skeleton.clear()
            self._by_skeleton[key] = bits
        return bits

    def _select(self, text: str) -> int:
        bits = 0
        for literal in filter(text.__contains__, self._literals):
            bits |= self._literal_bits[literal]
        digits = count_digits(text)
        if digits:
            bits |= self._digit_bits
        for floor, allowed in self._digit_floor:
            if digits >= floor:
                bits &= allowed
                break
        for i, literals in self._needs_all:
            if bits >> i & 1 and not all(literal in text for literal in literals):
                bits &= ~(1 << i)
        if bits & self._context_bits:
            bits = self._drop_rules_without_context(text, bits)
        return bits

    def _pattern(self, bits: int, stdlib: bool) -> re.Pattern[str] | regex.Pattern[str]:
        """The compiled alternation of the rules in ``bits`` (kept): with
        ``stdlib``, ``re``'s where there is one (for a short ASCII text),
        else the regex module's (call it with ``timeout``)."""
        pair = self._patterns.get(bits)
        if pair is None:
            pair = self.compile_rules(bits, skip_positions=self._optimise), self._stdlib_rules(bits)
            if len(self._patterns) >= _MAX_PATTERNS:
                self._patterns.clear()
            self._patterns[bits] = pair
        return pair[1] if stdlib and pair[1] is not None else pair[0]

    def _stdlib_rules(self, bits: int) -> re.Pattern[str] | None:
        """The alternation for ``re`` (ASCII texts only), if every rule in it has
        a form ``re`` compiles: none for the plain scan, which stays the reference."""
        if not self._optimise or bits & self._user_bits:
            return None
        translated = self._alternation(bits, translate=ascii_pattern)
        if translated is None:
            return None
        try:
            return re.compile(translated, re.ASCII)
        except re.error:
            return None

    def without_own_tokens(self, text: str) -> str:
        """``text`` with our masks and hash tokens blanked out."""
        return self._own_token.sub(" ", text) if self._own_token is not None and "[" in text else text

    def is_own_token(self, text: str) -> bool:
        text = text.strip()
        return text[:1] == "[" and self._own_token is not None and self._own_token.fullmatch(text) is not None

    def _drop_rules_without_context(self, text: str, bits: int) -> int:
        """Rules that need a context word, and whose words the text lacks, go."""
        folded = fold(text)
        if self._any_context is not None and self._any_context.search(folded) is None:
            return bits & ~self._context_bits
        for i, context in self._context_rules:
            if bits >> i & 1 and context.search(folded) is None:
                bits &= ~(1 << i)
        return bits

    def compile_rules(self, bits: int, *, skip_positions: bool = True) -> regex.Pattern[str]:
        """One pattern for the rules whose bits are set, in file order.

        With ``skip_positions``, a leading look-ahead for the rules' first
        characters lets the engine pass over every other position quickly.
        """
        return regex.compile(self._alternation(bits, skip_positions=skip_positions))

    @typing.overload
    def _alternation(self, bits: int, *, skip_positions: bool = True) -> str: ...
    @typing.overload
    def _alternation(self, bits: int, *, translate: Callable[[str], str | None]) -> str | None: ...

    def _alternation(self, bits: int, *, skip_positions: bool = True,
                     translate: Callable[[str], str | None] = lambda pattern: pattern) -> str | None:
        """The text of ``compile_rules``' pattern; each rule's pattern and first
        characters passed through ``translate`` (None if one cannot be)."""
        rules = [(i, translate(c.rule.pattern), translate(f"[{c.rule.starts}]"))
                 for i, c in enumerate(self._rules) if bits >> i & 1]
        if any(pattern is None or first is None for _, pattern, first in rules):
            return None
        alternation = "|".join(f"(?P<r{i}>{pattern})" for i, pattern, _ in rules)
        if not skip_positions:
            return alternation
        first = "|".join(dict.fromkeys(first for _, _, first in rules))  # type: ignore[misc]
        return f"(?={first})(?:{alternation})"

    def scan(self, text: str, node: object, *, unchecked: bool = True) -> list[Finding]:
        """Every finding in ``text``, in order, not overlapping.

        ``node`` is the field the text stands in (passed to ``key_target``
        for ``key=value`` pairs); ``unchecked=False`` when the caller has
        already found that ``is_clean(text)`` is false. Raises
        ``TimeoutError`` past the time limit.

        An unchecked text that cannot run long (short, shipped rules only)
        is searched first and tested for a safe shape only if something was
        found: most texts that reach here hold nothing, and the rule choice
        already tells a text with none of the rules' needs (is_clean's
        pre-filter) by choosing none.
        """
        found: list[Finding] = []
        size = len(text)
        timeout = self._timeout if size > UNTIMED_TEXT_LENGTH or self._user_bits else None
        if unchecked and self._optimise:
            if timeout is None:
                if self._search(text, node, found, None) and self._safe is not None and self._safe.fullmatch(text):
                    found.clear()  # wholly a safe shape
                return found
            if self.is_clean(text):
                return found
        return self._search(text, node, found, timeout)

    def _search(self, text: str, node: object, found: list[Finding], timeout: float | None) -> list[Finding]:
        """``scan`` without the clean tests: appends to ``found`` and returns it."""
        bits = self._rules_for(text)
        if not bits:
            return found
        pos, size = 0, len(text)
        stdlib = timeout is None and text.isascii()
        pattern = self._pattern(bits, stdlib)
        search = pattern.search if type(pattern) is re.Pattern else functools.partial(pattern.search, timeout=timeout)
        while pos < size:
            m = search(text, pos)
            if m is None:
                break
            pos = self._take(text, m, bits, node, found, stdlib, timeout)
        return found

    def _take(self, text: str, m: re.Match[str] | regex.Match[str], bits: int, node: object, found: list[Finding],
              stdlib: bool, timeout: float | None) -> int:
        """Acts on a match; returns where to search on. A value rejected at its
        position (no context, a failed check) lets the rules after it in file
        order try the same position, as they would had it not matched."""
        at = m.start()
        while True:
            i = self._group_rule[m.lastgroup]  # type: ignore[index]
            compiled = self._rules[i]
            handler = compiled.rule.handler
            if handler == "key_value":
                return self._key_value(text, m, node, found)
            if handler == "url":
                found.append(Finding(at, m.end(), compiled.target, "url"))  # type: ignore[arg-type]
                return m.end()
            if handler != "value":  # "skip": our own token
                return m.end()
            start = at if compiled.before is None else self._extend_back(compiled.before, text, at, found)
            if start >= 0:
                length = self._check(compiled, text, start, text[start : m.end()])
                if length:
                    found.append(Finding(start, start + length, compiled.target))  # type: ignore[arg-type]
                    return start + length
            later = bits & -(2 << i)  # the rules after rule i
            if not later:
                return at + 1
            pattern = self._pattern(later, stdlib)
            retry = pattern.match(text, at) if type(pattern) is re.Pattern else pattern.match(text, at, timeout=timeout)
            if retry is None:
                return at + 1
            m = retry

    @staticmethod
    def _extend_back(before: regex.Pattern[str], text: str, start: int, found: list[Finding]) -> int:
        """Where a match really starts, by its ``before`` pattern (-1: no match).
        It never reaches back into an earlier finding."""
        floor = max(found[-1].end if found else 0, start - MAX_BEFORE)
        m = before.search(text, floor, start)
        return m.start() if m else -1

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

    def _key_value(self, text: str, m: re.Match[str] | regex.Match[str], node: object, found: list[Finding]) -> int:
        key = _KEY.match(m.group())
        target = self._key_target(node, key.group(1)) if key else None
        value_start = m.end()
        if target is None:
            return value_start
        if target.action == "keep":
            found.append(Finding(value_start, value_start, target))
            return value_start
        own = self._own_token.match(text, value_start) if self._own_token is not None else None
        if own is not None:  # already our mask or token (which may hold "]" or ":")
            return own.end()
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
