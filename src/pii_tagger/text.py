"""Text helpers shared by the rule loader and the engine."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^0-9a-z]+")


_NOT_ASCII_DIGITS = bytes(b for b in range(128) if not 48 <= b <= 57)


def digits(text: str) -> str:
    """The digits of ``text`` (``str.isdigit``), in order."""
    if text.isascii():
        return text.encode("ascii").translate(None, _NOT_ASCII_DIGITS).decode("ascii")
    return "".join(ch for ch in text if ch.isdigit())


def fold(text: str) -> str:
    """Lower case without diacritics: ``Tālrunis`` -> ``talrunis``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=4096)
def name_tokens(name: str) -> tuple[str, ...]:
    """Split a field name in any spelling style into folded words.

    ``customerPhoneNumber``, ``customer_phone_number``, ``CUSTOMER-PHONE-NUMBER``
    and ``customer.phone.number`` all give ``("customer", "phone", "number")``.
    A trailing number (``phone2``, ``address_line_1``) is dropped.
    """
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    words = [w for w in _SEPARATORS.split(_CAMEL.sub(" ", name).lower()) if w]
    while len(words) > 1 and words[-1].isdigit():
        words.pop()
    return tuple(words)
