"""``pii-tagger token``: the hash tokens a known value gets in the logs.

A token is ``[HASH:<key id>:<hex>]``, the keyed HMAC of the value after its
rule's normalisation (e-mails lower-cased, phones as digits with 371, codes
without separators, names case- and space-folded). So the rules that matter
are the ones whose action is ``hash`` under the policy: the rule that
recognises the value by its shape if one does, else the field-name rules of
the category asked for. Every configured key gives its token, so events
written before a key rotation are found too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .actions import normalize
from .engine import Redactor
from .rules import FieldRule


class TokenError(ValueError):
    """No token can be made; the message says why and what to give instead."""


@dataclass(frozen=True, slots=True)
class Token:
    token: str
    key_id: str
    rule: str
    category: int
    normalize: str


def tokens_for(redactor: Redactor, value: str, *, category: int | None = None, rule: str | None = None) -> list[Token]:
    """Every token ``value`` may have been written as, newest key first."""
    value = value.strip()
    if not value:
        raise TokenError("the value is empty")
    if category is not None and category not in redactor.rules.categories:
        raise TokenError(f"category {category} does not exist; use 1 to 18 (pii-tagger categories lists them)")
    candidates = _by_rule(redactor, rule) if rule else _by_value(redactor, value, category)
    if not candidates and category is not None:
        candidates = _by_category(redactor, category)
    if not candidates:
        if rule or category is not None:
            what = f"rule {rule!r}" if rule else f"category {category}"
            raise TokenError(f"{what}: nothing is hashed under this policy (masks, drops and keeps leave no token to look for)")
        raise TokenError("the value was not recognised by its shape; give --category N (or --rule ID) to say what it is")
    out: list[Token] = []
    seen: set[str] = set()
    for rule_id, number, style in candidates:
        for key_id, token in redactor.hasher.tokens(normalize(style, value)).items():
            if token not in seen:
                seen.add(token)
                out.append(Token(token, key_id, rule_id, number, style))
    return out


_Candidate = tuple[str, int, str]  # rule id, category, normaliser


def _hashed(redactor: Redactor, rule_id: str, category: int, label: str, action: object, mask: str, style: str) -> bool:
    target = redactor._target(rule_id, category, label, action, mask, style)
    return target.action == "hash"


def _by_value(redactor: Redactor, value: str, category: int | None) -> list[_Candidate]:
    """The value rule that takes the whole value, if its action is hash."""
    found = redactor._scanner.scan(value, redactor._tree.root)
    out = []
    for finding in found:
        target = finding.target
        if finding.start != 0 or finding.end != len(value) or (category is not None and target.category != category):
            continue
        if target.action != "hash":
            raise TokenError(
                f"the value is taken by rule {target.rule} (category {target.category}), whose action under this "
                f"policy is {target.action}, not hash: there is no token to look for"
            )
        out.append((target.rule, target.category, target.normalize))
    return out


def _by_rule(redactor: Redactor, rule_id: str) -> list[_Candidate]:
    for field in redactor.rules.fields:
        if field.id == rule_id:
            return [(field.id, n, field.normalize) for n in _field_categories(redactor, field)
                    if _hashed(redactor, field.id, n, field.label, field.action, field.mask, field.normalize)]
    for rule in redactor.rules.values:
        if rule.id == rule_id and rule.category is not None:
            hashed = _hashed(redactor, rule.id, rule.category, rule.label, rule.action, rule.mask, rule.normalize)
            return [(rule.id, rule.category, rule.normalize)] if hashed else []
    known = sorted({r.id for r in redactor.rules.fields} | {r.id for r in redactor.rules.values if r.category})
    raise TokenError(f"no rule {rule_id!r}; rules: {', '.join(known)}")


def _field_categories(redactor: Redactor, field: FieldRule) -> set[int]:
    """The field's own category and those a context can give it."""
    return {field.category} | {c.category for c in redactor.rules.contexts if field.kind in c.applies_to}


def _by_category(redactor: Redactor, category: int) -> list[_Candidate]:
    out = []
    for field in redactor.rules.fields:
        if category in _field_categories(redactor, field) and _hashed(
            redactor, field.id, category, field.label, field.action, field.mask, field.normalize
        ):
            out.append((field.id, category, field.normalize))
    for rule in redactor.rules.values:
        if rule.category == category and _hashed(redactor, rule.id, category, rule.label, rule.action, rule.mask, rule.normalize):
            out.append((rule.id, category, rule.normalize))
    return out
