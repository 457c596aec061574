"""Named checks that a value rule's candidate must pass before it counts.

A value rule in ``patterns/values.toml`` names one of these by its key in
:data:`VALIDATORS`. Each takes the matched text and returns how many of its
leading characters form a valid value: ``len(text)`` for a full match, a
shorter length where the check found the value at the start of a longer
candidate (an IBAN followed by another word in capitals), ``0`` to reject.
Checksums come from python-stdnum, not from hand-written code.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Callable

from stdnum import iban as _iban
from stdnum import luhn as _luhn
from stdnum.lv import pvn as _lv_pvn

from .text import digits

Validator = Callable[[str], int]


def lv_personal_code(text: str) -> int:
    """Latvian personas kods: old DDMMYY-CNNNQ (date and check digit) or new 3X."""
    number = digits(text)
    if len(number) != 11 or number[0] > "3":
        return 0  # 4..9 are legal entities (company registration numbers)
    if number[0] == "3" and number[1] >= "2":
        # New format (from 2017-07-01). python-stdnum checks "32..." with the old
        # formula; every published "33".."39" example passes it too.
        ok = _lv_pvn.calc_check_digit_pers(number[:-1]) == number[-1]
    else:
        ok = _lv_pvn.is_valid(number)
    return len(text) if ok else 0


def lv_personal_code_format(text: str) -> int:
    """Shape only, for codes named by a context word (``personas kods: ...``)."""
    number = digits(text)
    return len(text) if len(number) == 11 and number[0] <= "3" else 0


def iban(text: str) -> int:
    """An IBAN of any country (length and mod 97), possibly printed in groups.

    A printed candidate may run on into a following word in capitals; the
    longest valid prefix, cut at a group boundary, wins. A compact one must be
    valid whole.
    """
    if " " not in text:
        return len(text) if _iban.is_valid(text) else 0
    ends = [i for i, ch in enumerate(text, 1) if ch != " " and (i == len(text) or text[i] == " ")]
    for end in reversed(ends):
        if end >= 15 and _iban.is_valid(text[:end]):
            return end
    return 0


def payment_card(text: str) -> int:
    """13-19 digits, a known issuer prefix, and the Luhn check digit."""
    number = digits(text)
    if not 13 <= len(number) <= 19 or not _card_prefix(number):
        return 0
    return len(text) if _luhn.is_valid(number) else 0


def _card_prefix(number: str) -> bool:
    first2 = int(number[:2])
    first4 = int(number[:4])
    return (
        number[0] == "4"  # Visa
        or 51 <= first2 <= 55  # Mastercard
        or 2221 <= first4 <= 2720  # Mastercard 2-series
        or first2 in (34, 37)  # American Express
        or first2 in (36, 38, 39) or 300 <= int(number[:3]) <= 305  # Diners
        or number.startswith(("6011", "65", "62"))  # Discover, UnionPay
        or 644 <= int(number[:3]) <= 649
        or 3528 <= first4 <= 3589  # JCB
        or first2 in (50, 56, 57, 58, 67)  # Maestro
    )


_LV_PHONE_PREFIXES = ("2", "6", "80", "81", "90")


def lv_phone(text: str) -> int:
    """Eight national digits after an optional +371/00371: 2x mobile, 6x fixed,
    80 toll-free, 81 shared cost, 90 premium (libphonenumber's LV metadata)."""
    number = digits(text)
    if number.startswith("00371"):
        number = number[5:]
    elif number.startswith("371") and len(number) == 11:
        number = number[3:]
    if len(number) != 8 or not number.startswith(_LV_PHONE_PREFIXES):
        return 0
    return len(text)


def e164_length(text: str) -> int:
    """An international number in + form: country code and 8 to 15 digits."""
    return len(text) if 8 <= len(digits(text)) <= 15 else 0


def public_ipv4(text: str) -> int:
    """An IPv4 address other than loopback, unspecified or broadcast."""
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        return 0
    if address.is_loopback or address.is_unspecified or text == "255.255.255.255":
        return 0
    return len(text)


def public_ipv6(text: str) -> int:
    """An IPv6 address other than loopback or unspecified."""
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return 0
    return 0 if address.is_loopback or address.is_unspecified else len(text)


def basic_auth(text: str) -> int:
    """``Basic <base64 of user:password>``."""
    _, _, encoded = text.partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return 0
    return len(text) if b":" in decoded else 0


VALIDATORS: dict[str, Validator] = {
    "lv_personal_code": lv_personal_code,
    "lv_personal_code_format": lv_personal_code_format,
    "iban": iban,
    "payment_card": payment_card,
    "lv_phone": lv_phone,
    "e164_length": e164_length,
    "public_ipv4": public_ipv4,
    "public_ipv6": public_ipv6,
    "basic_auth": basic_auth,
}


def email_domain(text: str) -> int:
    """The part after @ ends in a top-level domain of two or more letters."""
    tld = text.rpartition(".")[2]
    return len(text) if len(tld) >= 2 and tld.isalpha() else 0


VALIDATORS["email_domain"] = email_domain
