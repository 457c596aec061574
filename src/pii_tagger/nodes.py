"""The fields of events, as a bounded tree of cached decisions.

Each key under a parent is classified once (field-name rule, category, action,
whether its name itself holds personal data) and the result is kept in a
:class:`Node`. The tree is bounded: services that put ids in key names make it
grow, so past ``max_nodes`` it starts again from an empty root.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .actions import Target
from .text import name_tokens

MAX_CONTEXT_WORDS = 24


class Node:
    """One key path. ``capture``: the action for every value at or below it."""

    __slots__ = (
        "capture",
        "children",
        "drop",
        "key",
        "key_findings",
        "path",
        "plain",
        "shape",
        "shape_tries",
        "tag_categories",
        "tag_notes",
        "tags",
        "url",
        "words",
    )

    def __init__(self, path: str, words: tuple[str, ...]) -> None:
        self.path = path
        self.words = words
        self.capture: Target | None = None
        self.tags: tuple[Target, ...] = ()  # "keep" fields: tagged when the value is not empty
        self.tag_categories: frozenset[int] = frozenset()
        self.tag_notes: tuple[tuple[str, str, int, str], ...] = ()  # the tags as summary notes: (path, rule, category, action)
        self.drop = False
        self.key: Any = None  # the key as written out (redacted if the name held personal data)
        self.key_findings: tuple[Target, ...] = ()
        self.url = False
        self.children: dict[Any, Node] = {}
        self.plain = True  # no action and a clean name: values only need the value scan (tags aside)
        self.shape: Callable[[str], object] | None = None  # the safe shape this field's values had
        self.shape_tries = 3  # values looked at to learn it

    def seal(self) -> Node:
        self.plain = not (self.capture or self.drop or self.key_findings or self.url)
        self.tag_categories = frozenset(t.category for t in self.tags)
        self.tag_notes = tuple((self.path, t.rule, t.category, t.action) for t in self.tags)
        return self


NodeFactory = Callable[[Node, Any], Node]


class NodeTree:
    """The cache of nodes, keyed by parent and key."""

    __slots__ = ("_count", "_make", "_max", "root")

    def __init__(self, make: NodeFactory, max_nodes: int = 50_000) -> None:
        self._make = make
        self._max = max_nodes
        self.root = Node("", ())
        self._count = 0

    def child(self, parent: Node, key: Any) -> Node:
        node = parent.children.get(key)
        if node is None:
            node = self._make(parent, key)
            self._count += 1
            if self._count > self._max:
                # Start again; walkers holding old nodes still work with them.
                self.root = Node("", ())
                self._count = 0
            else:
                parent.children[key] = node
        return node


def child_words(parent: Node, key: str) -> tuple[tuple[str, ...], int]:
    """The run of words for ``key`` under ``parent``, and where the key's own start."""
    own = name_tokens(key)
    words = (parent.words + own)[-MAX_CONTEXT_WORDS:]
    return words, max(0, len(words) - len(own))
