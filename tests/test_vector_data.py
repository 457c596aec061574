"""The repo's own test vectors (tests/data/latvia.toml) checked against python-stdnum,
the oracle: a vector that is not what its table says fails here, before any other
test relies on it."""

from __future__ import annotations

from typing import Any

import pytest
from stdnum import iban, luhn
from stdnum.lv import pvn


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _personal_code(text: str) -> bool:
    number = _digits(text)
    if len(number) != 11 or number[0] > "3":
        return False
    if number[0] == "3" and number[1] >= "2":  # new format: only the check digit
        return pvn.calc_check_digit_pers(number[:-1]) == number[-1]
    return bool(pvn.is_valid(number))


def _company(text: str) -> bool:
    number = _digits(text)
    return len(number) == 11 and number[0] >= "4" and bool(pvn.is_valid(number))


def _lv_phone(text: str) -> bool:
    number = _digits(text)
    if text.startswith("+371"):
        number = number[3:]
    elif number.startswith("00371"):
        number = number[5:]
    return len(number) == 8 and number.startswith(("2", "6", "80", "81", "90"))


CHECKS = {
    "personal_code": _personal_code,
    "iban": lambda text: bool(iban.is_valid(text)),
    "card": lambda text: 13 <= len(_digits(text)) <= 19 and bool(luhn.is_valid(_digits(text))),
    "company_registration": _company,
}


@pytest.mark.parametrize("table", sorted(CHECKS))
def test_valid_and_invalid_vectors_agree_with_stdnum(vectors: dict[str, Any], table: str) -> None:
    check = CHECKS[table]
    assert vectors[table]["valid"] and vectors[table]["invalid"]
    assert [v for v in vectors[table]["valid"] if not check(v)] == []
    assert [v for v in vectors[table]["invalid"] if check(v)] == []


def test_cards_without_an_issuer_pass_luhn(vectors: dict[str, Any]) -> None:
    assert vectors["card"]["no_issuer"] and all(CHECKS["card"](v) for v in vectors["card"]["no_issuer"])


def test_phone_vectors(vectors: dict[str, Any]) -> None:
    phones = vectors["phone"]
    assert all(_lv_phone(p) and p.startswith(("+", "00")) for p in phones["international"])
    assert all(_lv_phone(p) and len(p) == 8 for p in phones["national"])
    assert not any(_lv_phone(p) for p in phones["invalid"])


def test_no_company_number_is_a_personal_code(vectors: dict[str, Any]) -> None:
    numbers = vectors["company_registration"]["valid"] + vectors["company_registration"]["invalid"]
    assert not any(_personal_code(n) for n in numbers)
