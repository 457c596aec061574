"""``pii-tagger token``: the hash tokens a known value has in the logs.

A token is ``[HASH:<key id>:<hex>]``, the keyed HMAC of the value after the
normalisation of the rule that hashed it (e-mails lower-cased, phones as
digits with 371, codes without separators, other text case- and
space-folded). The same value can be hashed by different rules: a personal
code in a ``personal_code`` field, in a ``user_id`` field and in free text
gets up to three normalisations. So by default every normalisation used by a
rule whose action is ``hash`` under the policy is given, each under every
configured key (events written before a key rotation are found too): a
person's events are not missed because the value sat in an unexpected field.
``category`` or ``rule`` narrows the list to the rules that write that category
or to one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..actions import normalize
from ..engine import Redactor
from ..rules import FieldRule


class TokenError(ValueError):
    """No token can be made; the message says why and what to give instead."""


@dataclass(frozen=True, slots=True)
class Token:
    token: str
    key_id: str
    normalize: str
    rules: tuple[str, ...]  # the rules that hash with this normalisation


def tokens_for(redactor: Redactor, value: str, *, category: int | None = None, rule: str | None = None) -> list[Token]:
    """Every token ``value`` may have been written as, newest key first."""
    value = value.strip()
    if not value:
        raise TokenError("the value is empty")
    if category is not None and category not in redactor.rules.categories:
        raise TokenError(f"category {category} does not exist; use 1 to 18 (pii-tagger categories lists them)")
    hashing = _hashing_rules(redactor)
    if rule is not None:
        known = {r for r, _, _ in hashing} | {r.id for r in (*redactor.rules.fields, *redactor.rules.values, *redactor.rules.names)}
        if rule not in known:
            raise TokenError(f"no rule {rule!r}; rules are listed in patterns/fields.toml, values.toml and names.toml")
        hashing = [h for h in hashing if h[0] == rule]
    if category is not None:
        hashing = [h for h in hashing if h[1] == category]
    if not hashing:
        what = f"rule {rule!r}" if rule else f"category {category}" if category is not None else "any rule"
        raise TokenError(f"{what}: nothing is hashed under this policy (masks, drops and keeps leave no token to look for)")
    by_style: dict[str, list[str]] = {}
    for rule_id, _, style in hashing:
        rules = by_style.setdefault(style, [])
        if rule_id not in rules:
            rules.append(rule_id)
    # a normalisation that leaves nothing (no digits for a phone) is masked, never hashed: no token to give
    normalized = {style: normalize(style, value) for style in by_style}
    if not any(normalized.values()):
        styles = ", ".join(by_style)
        raise TokenError(f"the value has nothing to match: it is empty after normalising ({styles}), and such values "
                         "are masked in the logs, not hashed, so no event carries a token for it")
    by_key: dict[str, list[Token]] = {}  # newest key first, as the hasher lists them
    seen: set[str] = set()
    for style, rules in by_style.items():
        if not normalized[style]:
            continue
        for key_id, token in redactor.hasher.tokens(normalized[style]).items():
            if token not in seen:
                seen.add(token)
                by_key.setdefault(key_id, []).append(Token(token, key_id, style, tuple(rules)))
    return [token for tokens in by_key.values() for token in tokens]


def _hashing_rules(redactor: Redactor) -> list[tuple[str, int, str]]:
    """(rule id, category, normaliser) of every rule whose action is hash."""
    out = []
    for field in redactor.rules.fields:
        for number in _field_categories(redactor, field):
            if redactor.resolve(field.id, number, field.label, field.action, field.mask, field.normalize).action == "hash":
                out.append((field.id, number, field.normalize))
    for rule in redactor.rules.values:
        if rule.category is not None and redactor.resolve(
            rule.id, rule.category, rule.label, rule.action, rule.mask, rule.normalize
        ).action == "hash":
            out.append((rule.id, rule.category, rule.normalize))
    for names in redactor.rules.names:
        if redactor.resolve(names.id, names.category, names.label, names.action, names.mask, names.normalize).action == "hash":
            out.append((names.id, names.category, names.normalize))
    return out


def _field_categories(redactor: Redactor, field: FieldRule) -> set[int]:
    """The field's own category and those a context can give it."""
    return {field.category} | {c.category for c in redactor.rules.contexts if field.kind in c.applies_to}
