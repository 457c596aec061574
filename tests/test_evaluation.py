"""Tests of the evaluation harness (benchmarks/evaluation), not of pii_tagger's detection quality."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pytest
from stdnum import iban, luhn
from stdnum.lv import pvn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.evaluation.corpus import LabelError, generate, load, validate  # noqa: E402
from benchmarks.evaluation.evaluate import score  # noqa: E402

SAMPLE = Path(__file__).parent / "data" / "eval_sample.jsonl"


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return generate(400, seed=7)


@pytest.mark.parametrize("source", ["generated", "sample"])
def test_unchanged_output_leaks_every_planted_value_and_keeps_every_lookalike(corpus, source):
    cases = corpus if source == "generated" else load(SAMPLE)
    result = score(cases, lambda event: event)
    s = result["summary"]
    assert s["planted"] > 0 and s["leaked"] == s["planted"]
    assert s["lookalikes"] > 0 and s["over_redacted"] == 0
    assert all(k["leaked"] == k["planted"] for k in result["kinds"].values())


def test_empty_output_changes_every_lookalike_and_leaks_nothing(corpus):
    s = score(corpus, lambda event: {})["summary"]
    assert s["over_redacted"] == s["lookalikes"] > 0
    assert s["leaked"] == 0
    assert s["tag_found"] == 0 and s["tag_required"] > 0


def test_tags_are_counted_against_the_labels(corpus):
    by_event = {repr(sorted(c["event"].items())): c for c in corpus}
    perfect = score(corpus, lambda e: {**e, "pii_categories": by_event[repr(sorted(e.items()))]["categories"]})["summary"]
    assert perfect["tag_recall"] == 1.0 and perfect["false_tags"] == 0
    everything = score(corpus, lambda e: {**e, "pii_categories": list(range(1, 19))})["summary"]
    assert everything["tag_recall"] == 1.0 and everything["false_tags"] > 0 and everything["tag_precision"] < 1.0


def test_a_crashing_redactor_is_counted_not_raised(corpus):
    def crash(event):
        raise RuntimeError("boom")

    s = score(corpus[:20], crash)["summary"]
    assert s["errors"] == 20 and s["leaked"] == 0


def test_partial_and_digit_leaks_are_found():
    case = {"id": "t", "event": {"msg": "Zvanīja Aivars Vanags, p.k. 161175-19997, tel. +371 29 123 456"},
            "planted": [{"kind": "name", "value": "Aivars Vanags", "categories": [1]},
                        {"kind": "personal_code", "value": "161175-19997", "categories": [1]},
                        {"kind": "phone", "value": "+371 29 123 456", "categories": [2]}],
            "lookalikes": [], "categories": [1, 2], "allowed": []}
    out = {"msg": "Zvanīja [X] VANAGS, p.k. 16117519997, tel. [phone:..56]"}
    kinds = score([case], lambda e: out)["kinds"]
    assert kinds["name"]["leaked"] == 1 and kinds["personal_code"]["leaked"] == 1 and kinds["phone"]["leaked"] == 0


def test_generator_is_deterministic():
    assert generate(150, seed=3) == generate(150, seed=3)
    assert generate(150, seed=3) != generate(150, seed=4)


def test_generated_numbers_pass_stdnum_and_invalid_lookalikes_fail_it(corpus):
    def compact(value: str) -> str:
        return re.sub(r"[\s\-\u2013+]", "", value)  # "+": a space in a URL query

    seen = dict.fromkeys(["personal_code", "iban", "card", "reference_number", "tracking_number", "company_reg_no"], 0)
    for case in corpus:
        for p in case["planted"]:
            if p["kind"] == "personal_code":
                assert pvn.is_valid(compact(p["value"])) and compact(p["value"])[0] in "0123", p["value"]
            elif p["kind"] == "iban":
                assert iban.is_valid(compact(p["value"])), p["value"]
            elif p["kind"] == "card":
                assert luhn.is_valid(compact(p["value"])), p["value"]
            else:
                continue
            seen[p["kind"]] += 1
        for look in case["lookalikes"]:
            if look["kind"] == "reference_number":
                assert not pvn.is_valid(look["value"]), look["value"]
            elif look["kind"] == "tracking_number":
                assert not luhn.is_valid(look["value"]), look["value"]
            elif look["kind"] == "company_reg_no":  # a valid number, but a company's: never a personal code
                assert pvn.is_valid(look["value"]) and look["value"][0] > "3", look["value"]
            else:
                continue
            seen[look["kind"]] += 1
    assert all(seen.values()), seen


def test_about_half_the_generated_events_hold_no_personal_data(corpus):
    clean = sum(not c["planted"] for c in corpus)
    assert 0.4 < clean / len(corpus) < 0.6


def test_a_planted_value_missing_from_its_event_is_a_clear_error(corpus):
    case = copy.deepcopy(next(c for c in corpus if c["planted"]))
    case["planted"][0]["value"] = "Nekur Neesošs"
    with pytest.raises(LabelError, match="does not occur in the event"):
        validate(case)
    with pytest.raises(LabelError, match="does not occur"):
        score([case], lambda e: e)


def test_other_label_errors_are_clear(corpus):
    case = copy.deepcopy(next(c for c in corpus if c["planted"] and c["lookalikes"]))
    bad_look = copy.deepcopy(case)
    bad_look["lookalikes"][0]["value"] = "ORD-0000-NOT-THERE"
    with pytest.raises(LabelError, match="look-alike"):
        validate(bad_look)
    bad_kind = copy.deepcopy(case)
    bad_kind["planted"][0]["kind"] = "shoe_size"
    with pytest.raises(LabelError, match="kind"):
        validate(bad_kind)
    bad_cats = copy.deepcopy(case)
    bad_cats["categories"] = []
    with pytest.raises(LabelError, match="lack"):
        validate(bad_cats)


def test_sample_file_is_valid():
    cases = load(SAMPLE)
    assert len(cases) >= 40
    assert {p["kind"] for c in cases for p in c["planted"]} >= {
        "name", "personal_code", "phone", "email", "iban", "card", "address", "date_of_birth", "document", "ip",
        "username", "password", "token", "otp"}
