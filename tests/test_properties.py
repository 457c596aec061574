"""Properties over generated events: planted values never survive, the processor
never raises, output is JSON-serialisable, redacting twice equals once."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pii_tagger import Hasher, Redactor

REDACTOR = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), raise_errors=True)
SAFE = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))

PLANTS = [
    "161175-19997", "32073120115", "LV80BANK0000435195001", "LV80 BANK 0000 4351 9500 1", "+371 21 234 567",
    "0037121234567", "anna.ozola@inbox.lv", "4111 1111 1111 1111", "93.177.12.4", "Brīvības iela 39-5",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
]
SEPARATORS = [" ", ", ", "; ", " | ", "\n", " (", ") ", " \"", "\" "]
WORDS = st.sampled_from(["klients", "payment", "order 42", "ok", "status=ok", "Error:", "tālr.", "at", "uz", "Rīga"])
keys = st.sampled_from(["event", "detail", "msg", "data", "items", "note", "x", "payload", "ctx"])


@st.composite
def text_with_plant(draw: st.DrawFn) -> tuple[str, str]:
    plant = draw(st.sampled_from(PLANTS))
    before = draw(st.lists(WORDS, max_size=3))
    after = draw(st.lists(WORDS, max_size=3))
    return " ".join(before) + draw(st.sampled_from(SEPARATORS)) + plant + draw(st.sampled_from(SEPARATORS)) + " ".join(after), plant


def events(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    tree = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3), max_leaves=8)
    return st.dictionaries(keys, tree, min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_planted_values_never_survive(data: st.DataObject) -> None:
    text, plant = data.draw(text_with_plant())
    event = data.draw(events(st.just(text) | st.integers() | st.none() | st.booleans()))
    rendered = json.dumps(REDACTOR.redact(event), ensure_ascii=False)
    assert plant not in rendered


ANY_LEAF = st.text() | st.binary(max_size=20) | st.integers() | st.floats(allow_nan=False) | st.none() | st.booleans()


@settings(max_examples=300, deadline=None)
@given(events(ANY_LEAF | text_with_plant().map(lambda t: t[0])))
def test_never_raises_serialisable_and_idempotent(event: dict[str, Any]) -> None:
    once = SAFE.redact(event)
    assert "pii_error" not in once
    json.dumps(once, default=str)
    twice = SAFE.redact(once)
    assert twice == once


GUARD_KEYS = st.sampled_from(["event", "note", "email", "customer", "iban", "trace_id", "status", "url", "message", "x"])
GUARD_LEAF = (
    st.text(max_size=40) | st.integers() | st.none()
    | text_with_plant().map(lambda t: t[0])
    | st.sampled_from(["[REDACTED:email]", "call [REDACTED:phone:..67] now", "[HASH:t1:0123456789abcdef0123]",
                       "order ORD-2026-000871 shipped", "2026-11-25T10:00:00Z", "https://example.lv/a?email=x%40y.lv",
                       '{"phone": "+371 21 234 567"}', "status=200 route=/api/v2"])
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(GUARD_KEYS, st.recursive(GUARD_LEAF, lambda inner: st.lists(inner, max_size=3)
                                                | st.dictionaries(GUARD_KEYS, inner, max_size=3), max_leaves=6), max_size=5))
def test_the_guards_fast_path_never_misses_a_leak(event: dict[str, Any]) -> None:
    """may_carry is only a shortcut: when it says "nothing here", redacting finds nothing to act on."""
    if not REDACTOR.may_carry(event):
        _, found = REDACTOR.inspect(event)
        assert [f for f in found if f.target.action != "keep"] == []
