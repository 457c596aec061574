"""Detection by field name: which rule a key path falls under, and its category.

A path is one run of words (see :func:`pii_tagger.text.name_tokens`): the
parents' words, then the key's. The longest matching term wins; a neutral
entry wins a tie. The category is then set by the nearest context before the
term that applies to the rule's kind (``customer.contact_person.phone`` -> 3).
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from .rules import ContextRule, FieldRule, NeutralRule

Words = tuple[str, ...]


class FieldMatch(NamedTuple):
    rule: FieldRule
    category: int


class _Term(NamedTuple):
    words: Words
    rule: FieldRule | None  # None: a neutral entry
    match: str


class FieldNames:
    """The field-name rules, indexed by the word a term ends (or starts) with."""

    __slots__ = ("_any", "_contexts", "_path", "_suffix")

    def __init__(self, fields: tuple[FieldRule, ...], contexts: tuple[ContextRule, ...], neutrals: tuple[NeutralRule, ...]) -> None:
        self._suffix: dict[str, list[_Term]] = defaultdict(list)
        self._any: dict[str, list[_Term]] = defaultdict(list)
        self._path: dict[Words, _Term] = {}
        entries: list[tuple[FieldRule | None, str, tuple[Words, ...]]] = [(f, f.match, f.terms) for f in fields]
        entries += [(None, n.match, n.terms) for n in neutrals]
        for rule, match, terms in entries:
            for words in terms:
                term = _Term(words, rule, match)
                if match == "suffix":
                    self._suffix[words[-1]].append(term)
                elif match == "any":
                    self._any[words[0]].append(term)
                else:
                    self._path[words] = term
        self._contexts: dict[str, list[tuple[Words, ContextRule]]] = defaultdict(list)
        for context in contexts:
            for words in context.terms:
                self._contexts[words[-1]].append((words, context))

    def match(self, path: Words, key_start: int) -> FieldMatch | None:
        """The rule for the last key of ``path``; its words start at ``key_start``."""
        best: _Term | None = None
        best_start = 0
        for start, term in self._candidates(path, key_start):
            if best is None or _better(term, best):
                best, best_start = term, start
        if best is None or best.rule is None:
            return None
        return FieldMatch(best.rule, self._category(best.rule, path, best_start))

    def _candidates(self, path: Words, key_start: int) -> list[tuple[int, _Term]]:
        found: list[tuple[int, _Term]] = []
        term = self._path.get(path)
        if term is not None:
            found.append((0, term))
        size = len(path)
        for term in self._suffix.get(path[-1], ()):
            start = size - len(term.words)
            if start >= 0 and path[start:] == term.words:
                found.append((start, term))
        for start in range(key_start, size):
            for term in self._any.get(path[start], ()):
                if path[start : start + len(term.words)] == term.words:
                    found.append((start, term))
        return found

    def _category(self, rule: FieldRule, path: Words, term_start: int) -> int:
        for end in range(term_start - 1, -1, -1):
            for words, context in self._contexts.get(path[end], ()):
                begin = end + 1 - len(words)
                if begin >= 0 and path[begin : end + 1] == words and rule.kind in context.applies_to:
                    return context.category
        return rule.category


def _better(term: _Term, best: _Term) -> bool:
    if len(term.words) != len(best.words):
        return len(term.words) > len(best.words)
    return term.rule is None and best.rule is not None
