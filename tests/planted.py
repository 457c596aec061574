"""Planted personal data for the end-to-end tests, and the check that none
of it is in what a pipeline wrote. Each test file plants the forms its
pipeline meets (a personal code with and without its hyphen, a phone as
people write it, ...) from these."""

from __future__ import annotations

from collections.abc import Iterable

CODE = "161175-19997"
CODE_COMPACT = "16117519997"
IBAN = "LV80BANK0000435195001"
PHONE = "+371 21 234 567"
EMAIL = "anna.ozola@inbox.lv"
SECRET = "Ziema2026!"
ADDRESS = "Brīvības iela 39-5"


def assert_absent(written: str, planted: Iterable[str]) -> None:
    """No planted value is in ``written`` (the failure names the ones that are)."""
    left = [value for value in planted if value in written]
    assert not left, f"planted values written out: {left}"
