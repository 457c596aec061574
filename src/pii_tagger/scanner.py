"""Detection by value: the native scanner (``pii_tagger._native.Scanner``)
over any text, with its findings given the policy's targets.

Every value rule is compiled once into one linear-time search (see the top of
``patterns/values.toml`` and ``rust/core/src/scan.rs``); this module maps the
native findings to :class:`Finding` with the target of each rule, and asks the
engine for the target of a key found in ``key=value`` text. Detection only:
what to write instead is the engine's business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from . import _native
from .actions import Target
from .rules import SafeShape, ValueRule


class Finding(NamedTuple):
    """A span of text and what it is. ``handler`` is "value" or "url"."""

    start: int
    end: int
    target: Target
    handler: str = "value"


KeyTarget = Callable[[object, str], "Target | None"]


def _keeps(target: Target) -> bool:
    return target.action == "keep"


class TextScanner:
    """Finds personal data in text. ``key_target`` reads ``key=value`` keys."""

    __slots__ = ("_key_target", "_native", "_targets", "is_clean", "is_own_token", "without_own_tokens")

    def __init__(
        self,
        rules: Sequence[ValueRule],
        targets: Sequence[Target | None],
        key_target: KeyTarget,
        safe: Sequence[SafeShape] = (),
    ) -> None:
        values = "[" + ",".join(r.as_json() for r in rules) + "]"
        shapes = "[" + ",".join(s.as_json() for s in safe) + "]"
        self._native = native = _native.Scanner(values, shapes)
        self._targets = tuple(targets)
        self._key_target = key_target
        self.is_clean: Callable[[str], bool] = native.is_clean
        self.is_own_token: Callable[[str], bool] = native.is_own_token
        self.without_own_tokens: Callable[[str], str] = native.without_own_tokens

    def may_match(self, text: str) -> bool:
        """False when no rule can match: no rule's needs, or a safe shape."""
        return not self.is_clean(text)

    def shape_of(self, text: str) -> Callable[[str], object] | None:
        """The test of the one safe shape ``text`` has (None: none). A field
        whose values keep one shape (timestamps, UUIDs) remembers it: one
        small test instead of every shape's."""
        index = self._native.shape_of(text)
        if index is None:
            return None
        has_shape = self._native.has_shape
        return lambda value: True if has_shape(index, value) else None

    def scan(self, text: str, node: object, *, unchecked: bool = True) -> list[Finding]:
        """Every finding in ``text``, in order, not overlapping.

        ``node`` is the field the text stands in (passed to ``key_target``
        for ``key=value`` pairs); ``unchecked=False`` when the caller has
        already found that ``is_clean(text)`` is false.
        """
        key_target = self._key_target
        found = self._native.scan(text, lambda key: key_target(node, key), _keeps, not unchecked)
        targets = self._targets
        return [
            Finding(start, end, targets[rule] if rule is not None else target, "url" if url else "value")  # type: ignore[arg-type]
            for start, end, rule, target, url in found
        ]

