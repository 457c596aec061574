"""The shipped rules, tested from their own data: every example is found, every
counterexample comes out unchanged, no example is a safe shape."""

from __future__ import annotations

import pytest

from pii_tagger import Redactor, load_rules

RULES = load_rules()
VALUE_RULES = [r for r in RULES.values if r.handler != "skip"]
EXAMPLES = [(r.id, e) for r in VALUE_RULES for e in r.examples]
COUNTEREXAMPLES = [(r.id, e) for r in RULES.values for e in r.counterexamples]
SAFE_EXAMPLES = [(s.id, e) for s in RULES.safe for e in s.examples]


def _findings(redactor: Redactor, text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, rule, action) of each finding of ``text`` out of any field
    (the rule of a ``key=value`` value is its key's field rule)."""
    targets = redactor.targets
    # Where in a text each finding is: the engine's scan, which no public method returns (they give redacted copies).
    return [(start, end, targets[t].rule, targets[t].action) for start, end, t, _ in redactor._engine.scan_text(text) if t is not None]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example_is_found_by_its_rule(redactor: Redactor, rule: str, example: str) -> None:
    found = _findings(redactor, example)
    if rule == "key_value":  # found under the field rule its key names
        assert any(end > start and action != "keep" for start, end, _, action in found)
    else:
        assert rule in {r for _, _, r, _ in found}


@pytest.mark.parametrize(("rule", "example"), [(r, e) for r, e in EXAMPLES if r not in ("url", "url_path_query")])
def test_example_does_not_survive(redactor: Redactor, rule: str, example: str) -> None:
    text, categories = redactor.redact_text(f"note: {example} end")
    assert categories
    if next(r for r in redactor.rules.values if r.id == rule).action == "keep":
        assert text == f"note: {example} end"  # a keep rule tags what it finds and leaves it
    else:
        assert text != f"note: {example} end"


@pytest.mark.parametrize(("rule", "example"), COUNTEREXAMPLES)
def test_counterexample_is_unchanged(redactor: Redactor, rule: str, example: str) -> None:
    out = redactor.redact({"detail": example})
    assert out["detail"] == example


@pytest.mark.parametrize(("shape", "example"), SAFE_EXAMPLES)
def test_safe_shape_examples_match(redactor: Redactor, shape: str, example: str) -> None:
    assert redactor._engine.is_clean(example)  # safe shapes are the engine's own; no public method names them


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_no_value_example_is_a_safe_shape(redactor: Redactor, rule: str, example: str) -> None:
    assert redactor._engine.shape_of(example) is None, f"{example!r} ({rule}) is a safe shape"  # the engine's, as above


@pytest.mark.parametrize("value", ["378282246310005.5", "4012888888881881abc", "+37121234567.0", "LV-1010LV-1010"])
def test_safe_shapes_do_not_hide_look_alike_values(redactor: Redactor, value: str) -> None:
    assert not redactor._engine.is_clean(value)  # the engine's safe shapes, as above
    assert redactor.redact({"detail": value})["detail"] != value


def test_every_rule_has_examples() -> None:
    for rule in RULES.values:
        assert rule.examples or rule.counterexamples, rule.id


def test_catalogue_has_the_18_categories_in_order() -> None:
    assert list(RULES.categories) == list(range(1, 19))
    assert RULES.categories[1].name_lv == "Personas identifikācijas dati"
    assert RULES.categories[16].default_action == "drop"


# ---- what the one search finds where a rule is rejected ----------------------




def _kawi(digits: str) -> str:  # decimal digits outside ASCII (U+11F50, Kawi)
    return "".join(chr(0x11F50 + int(d)) for d in digits)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("born 2001-01-01", "date_of_birth"),  # a rule rejected here (no phone word) lets the next try the same place
        ("AB1234567.email=janis", "email"),
        ("AB1234567.email=161175-19997", "email"),
        ("LV71BANKABCDEFGHIJKLM", "iban"),  # an IBAN with two digits only
        ("Rīga, LV-" + _kawi("1010"), "postal_code_lv"),
        ("passport AB" + _kawi("1234567"), "identity_document"),
        ("card 4111 1111 1111 1111 12/27", "payment_card"),  # digit groups tried from the longest valid one down
        ("card 4111 1111 1111 1111 123", "payment_card"),
        ("paid 4111111111111111 20 EUR", "payment_card"),
    ],
)
def test_found_after_a_rejected_candidate(redactor: Redactor, text: str, rule: str) -> None:
    assert rule in {r for _, _, r, _ in _findings(redactor, text)}


def test_digit_groups_give_the_card_alone(redactor: Redactor) -> None:
    assert redactor.redact_text("card 4111 1111 1111 1111 12/27") == ("card [REDACTED:card:..1111] 12/27", [11])
    assert redactor.redact_text("paid 4111111111111111 20 EUR") == ("paid [REDACTED:card:..1111] 20 EUR", [11])
