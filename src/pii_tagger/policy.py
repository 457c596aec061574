"""The policy: which action each category and rule gets.

An action is resolved, most specific first, from ``rule_actions`` (by rule
id), ``actions`` (by category number), the rule's own ``action`` in the rule
file, then the category's ``default_action`` in the catalogue. A rule whose
own action is ``drop`` (passwords, tokens, keys) is never hashed: ``hash`` for
it becomes ``drop``.

Audit mode (``mode="audit"``, or ``audit`` as the action of some categories
or rules) detects and tags as usual but leaves the value in place and raises
an alert instead: teams roll out in audit mode, see what their services emit,
then switch to enforcing. Credentials (category 16 rules that drop:
passwords, tokens, keys, cookies) are still dropped in audit mode, and
alerted; only an ``audit`` action of the rule itself (``rule_actions`` or
the rule file) lets one through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .actions import Target
from .rules import ACTIONS, CATEGORY_NUMBERS, Action, Category

CREDENTIALS = 16  # the category whose dropping rules audit mode never lets through


class PolicyError(ValueError):
    """The policy names an unknown category, rule or action."""


@dataclass(frozen=True)
class Policy:
    actions: Mapping[int, Action] = field(default_factory=dict)
    rule_actions: Mapping[str, Action] = field(default_factory=dict)
    mode: Literal["enforce", "audit"] = "enforce"

    def __post_init__(self) -> None:
        if self.mode not in ("enforce", "audit"):
            raise PolicyError(f"policy: unknown mode {self.mode!r}; use 'enforce' or 'audit'")
        for number, action in self.actions.items():
            if number not in CATEGORY_NUMBERS:
                raise PolicyError(f"policy: category {number!r} does not exist; use 1 to 18")
            if action not in ACTIONS:
                raise PolicyError(f"policy: category {number}: unknown action {action!r}; use one of {list(ACTIONS)}")
        for rule, action in self.rule_actions.items():
            if action not in ACTIONS:
                raise PolicyError(f"policy: rule {rule!r}: unknown action {action!r}; use one of {list(ACTIONS)}")

    def check_rules(self, rule_ids: set[str]) -> None:
        unknown = sorted(set(self.rule_actions) - rule_ids)
        if unknown:
            raise PolicyError(f"policy: rule_actions name unknown rule(s) {unknown}")

    def resolve(
        self,
        categories: Mapping[int, Category],
        *,
        rule: str,
        category: int,
        label: str,
        rule_action: Action | None,
        mask: str,
        normalize: str,
    ) -> Target:
        explicit = self.rule_actions.get(rule)
        own = rule_action or categories[category].default_action
        action = explicit or self.actions.get(category) or own
        if action == "hash" and rule_action == "drop":
            action = "drop"
        if action == "audit" or (self.mode == "audit" and action != "keep"):
            if category == CREDENTIALS and own == "drop" and explicit != "audit":
                return Target(rule, category, label, "drop", mask, normalize, audited=True)
            action = "audit"
        return Target(rule, category, label, action, mask, normalize)

    def category_action(self, category: Category) -> Action:
        """What the policy does with a category's findings by default (rules may differ)."""
        action = self.actions.get(category.number) or category.default_action
        if action == "audit" or (self.mode == "audit" and action != "keep"):
            return "drop" if category.number == CREDENTIALS and category.default_action == "drop" else "audit"
        return action
