"""The shipped rules, tested from their own data: every example is found, every
counterexample comes out unchanged, and each speed-up matches the plain scan."""

from __future__ import annotations

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pii_tagger import Redactor, load_rules
from pii_tagger.scanner import STDLIB_RE_USABLE, TextScanner, ascii_pattern

RULES = load_rules()
VALUE_RULES = [r for r in RULES.values if r.handler != "skip"]
EXAMPLES = [(r.id, e) for r in VALUE_RULES for e in r.examples]
COUNTEREXAMPLES = [(r.id, e) for r in RULES.values for e in r.counterexamples]
SAFE_EXAMPLES = [(s.id, e) for s in RULES.safe for e in s.examples]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_example_is_found_by_its_rule(redactor: Redactor, rule: str, example: str) -> None:
    found = redactor._scanner.scan(example, redactor._tree.root)
    if rule == "key_value":  # found under the field rule its key names
        assert any(f.end > f.start and f.target.action != "keep" for f in found)
    elif rule in ("url", "url_path_query"):
        assert [f.handler for f in found] == ["url"]
    else:
        assert rule in {f.target.rule for f in found}


@pytest.mark.parametrize(("rule", "example"), [(r, e) for r, e in EXAMPLES if r not in ("url", "url_path_query")])
def test_example_does_not_survive(redactor: Redactor, rule: str, example: str) -> None:
    text, categories = redactor.redact_text(f"note: {example} end")
    assert categories
    assert text != f"note: {example} end"


@pytest.mark.parametrize(("rule", "example"), COUNTEREXAMPLES)
def test_counterexample_is_unchanged(redactor: Redactor, rule: str, example: str) -> None:
    out = redactor.redact({"detail": example})
    assert out["detail"] == example


@pytest.mark.parametrize(("shape", "example"), SAFE_EXAMPLES)
def test_safe_shape_examples_match(redactor: Redactor, shape: str, example: str) -> None:
    assert not redactor._scanner.may_match(example)


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_no_value_example_is_a_safe_shape(rule: str, example: str) -> None:
    for shape in RULES.safe:
        assert not regex.fullmatch(shape.pattern, example), f"{example!r} ({rule}) is a safe {shape.id}"


@pytest.mark.parametrize("value", ["378282246310005.5", "4012888888881881abc", "+37121234567.0", "LV-1010LV-1010"])
def test_safe_shapes_do_not_hide_look_alike_values(redactor: Redactor, value: str) -> None:
    assert redactor._scanner.may_match(value)
    assert redactor.redact({"detail": value})["detail"] != value


def test_every_rule_has_examples() -> None:
    for rule in RULES.values:
        assert rule.examples or rule.counterexamples, rule.id


def test_catalogue_has_the_18_categories_in_order() -> None:
    assert list(RULES.categories) == list(range(1, 19))
    assert RULES.categories[1].name_lv == "Personas identifikācijas dati"
    assert RULES.categories[16].default_action == "drop"


# ---- the speed-ups match the plain scan ---------------------------------------

_FRAGMENTS = [e for _, e in EXAMPLES] + [e for _, e in COUNTEREXAMPLES] + [
    " ", ", ", "; ", "=", ": ", "\n", "tālr. ", "personas kods ", "order ", "klients ", "2026-11-25T10:00:00Z",
]


def _findings(scanner: TextScanner, redactor: Redactor, text: str) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.target.rule if f.target else f.handler) for f in scanner.scan(text, redactor._tree.root)]


def _plain(redactor: Redactor) -> TextScanner:
    return TextScanner(
        redactor.rules.values,
        [redactor._value_target(r) for r in redactor.rules.values],
        redactor._key_target,
        redactor.rules.safe,
        optimise=False,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=12) | st.text(st.characters(max_codepoint=127), max_size=12),
                max_size=6))
@example(["/93.177.12.4"])  # wholly a safe shape (a URL path): clean, though it holds an IPv4 address
def test_optimised_scan_equals_plain_scan(redactor: Redactor, parts: list[str]) -> None:
    """Also the standard ``re`` search of ASCII texts against the regex module's."""
    text = "".join(parts)
    # The plain scan knows no safe shapes: a text that is wholly one is clean.
    plain = [] if redactor._scanner.shape_of(text) else _findings(_plain(redactor), redactor, text)
    assert _findings(redactor._scanner, redactor, text) == plain


@pytest.mark.parametrize("padding", [0, 600])  # short texts, and long ones (searched with a time limit)
@pytest.mark.parametrize(("example", "rule"), [("2026-11-25 10:00:00", None), ("zvaniet 29123456", "phone_lv_national"),
                                               ("order ORD-2026-410627 shipped", None), ("anna@example.lv", "email")])
def test_each_scan_order_finds_the_same(redactor: Redactor, padding: int, example: str, rule: str | None) -> None:
    """The scanner tests a short text's safe shape after searching it, a long
    one's before: either way as the plain scan finds, safe shapes aside."""
    text = "x " * (padding // 2) + example
    found = _findings(redactor._scanner, redactor, text)
    assert [r for _, _, r in found] == ([rule] if rule else [])
    if padding:
        assert found == _findings(_plain(redactor), redactor, text)
    assert redactor._scanner.scan(example, redactor._tree.root) == ([] if rule is None else redactor._scanner.scan(
        example, redactor._tree.root, unchecked=False))


@pytest.mark.parametrize(
    ("pattern", "ascii"),
    [
        (r"[\p{L}_][\w.\-]*\p{Lu}", r"[A-Za-z_][\w.\-]*[A-Z]"),
        (r"[^\p{Ll}\]]\d", r"[^a-z\]]\d"),
        (r"[]\p{L}]", r"[]A-Za-z]"),  # a "]" first in a class is a character
        (r"(?r)abc", None),
        (r"\p{N}", None),
        (r"(?|(a)|(b))", None),
        (r"(?:anna){e<=1}", None),  # fuzzy matching
        (r"[a[b]]", None),  # re: a possible nested set
        (r"[a--b]", None),  # re: a possible set difference
        (r"-----BEGIN", "-----BEGIN"),
    ],
)
@pytest.mark.skipif(not STDLIB_RE_USABLE, reason="the standard re is not used before Python 3.11.5")
def test_patterns_for_the_standard_re(pattern: str, ascii: str | None) -> None:
    assert ascii_pattern(pattern) == ascii


@pytest.mark.skipif(not STDLIB_RE_USABLE, reason="the standard re is not used before Python 3.11.5")
def test_every_shipped_rule_has_a_form_for_the_standard_re(redactor: Redactor) -> None:
    """Short ASCII texts are searched with ``re`` only when every rule chosen
    has a form it compiles; a rule without one sends them to ``regex`` (slower)."""
    scanner = redactor._scanner
    without = [c.rule.id for i, c in enumerate(scanner._rules) if scanner._stdlib_rules(1 << i) is None]
    assert without == []


def _kawi(digits: str) -> str:  # digits newer than the stdlib's Unicode tables (U+11F50)
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
    ],
)
def test_found_alike_by_both_scans(redactor: Redactor, text: str, rule: str) -> None:
    optimised = _findings(redactor._scanner, redactor, text)
    assert optimised == _findings(_plain(redactor), redactor, text)
    assert rule in {r for _, _, r in optimised}
