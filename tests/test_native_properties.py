"""Properties of the native engine (``pii_tagger._native``) against independent
oracles: python-stdnum for the checks, Python's ``hmac`` for the tokens, and
generated events for "planted values never survive", "never raises" and
"redacting twice equals once".

Every value here is generated (dates, digits, check digits computed from the
public rules); none is data about a real person.
"""

from __future__ import annotations

import datetime as dt
import hmac
import string
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
import pytest
import stdnum
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.es import ccc as es_ccc
from stdnum.iso7064 import mod_97_10
from stdnum.lv import pvn

from pii_tagger import Hasher, Redactor, _native

HASHER = Hasher({"t1": "a-test-key-that-is-long-enough"})
STRICT = Redactor(hasher=HASHER, raise_errors=True)
SAFE = Redactor(hasher=HASHER)  # the default: fails closed, never raises
SUMMARY = Redactor(hasher=HASHER, raise_errors=True, summary=True)


def _validate_whole(name: str, text: str) -> bool:
    """The named native check accepts all of ``text``."""
    return _native.validate(name, text) == len(text)


# ---- A.1 native checks agree with python-stdnum --------------------------------

# --- Latvian personal codes


def _with_check_digit(first10: str) -> str:
    return first10 + pvn.calc_check_digit_pers(first10)


@st.composite
def old_format_codes(draw: st.DrawFn) -> str:
    """DDMMYY C NNN Q of a real date 1800..2099 (C: 0 1800s, 1 1900s, 2 2000s)."""
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    century = (born.year - 1800) // 100
    serial = draw(st.integers(0, 999))
    return _with_check_digit(f"{born:%d%m}{born.year % 100:02d}{century}{serial:03d}")


@st.composite
def new_format_codes(draw: st.DrawFn) -> str:
    """3, then 2..9, eight more digits, the check digit (issued since 2017-07-01)."""
    second = draw(st.sampled_from("23456789"))
    rest = draw(st.text(string.digits, min_size=8, max_size=8))
    return _with_check_digit("3" + second + rest)


@st.composite
def bad_date_codes(draw: st.DrawFn) -> str:
    """Old-format codes, right check digit, on a day that does not exist."""
    day, month, year = draw(
        st.sampled_from([(0, 5), (32, 1), (31, 4), (30, 2), (29, 2), (15, 0), (15, 13), (10, 19), (31, 11)])
        .flatmap(lambda dm: st.tuples(st.just(dm[0]), st.just(dm[1]), st.integers(0, 99)))
    )
    century = draw(st.integers(0, 2))
    if (day, month) == (29, 2):  # 29 February of a year that is not leap
        full = 1800 + 100 * century + year
        assume(not (full % 4 == 0 and (full % 100 != 0 or full % 400 == 0)))
    serial = draw(st.integers(0, 999))
    return _with_check_digit(f"{day:02d}{month:02d}{year:02d}{century}{serial:03d}")


@st.composite
def mutated(draw: st.DrawFn, codes: st.SearchStrategy[str]) -> str:
    """One digit of a code changed to another."""
    code = draw(codes)
    at = draw(st.integers(0, len(code) - 1))
    digit = draw(st.sampled_from([d for d in string.digits if d != code[at]]))
    return code[:at] + digit + code[at + 1 :]


def _personal_code_oracle(code: str) -> bool:
    """python-stdnum's lv.pvn for a person; for the new format (3, then 2..9)
    its check-digit formula, as stdnum's is_valid only knows 32."""
    if len(code) != 11 or not code.isdigit() or code[0] > "3":
        return False
    if code[0] == "3" and code[1] >= "2":
        return pvn.calc_check_digit_pers(code[:10]) == code[10]
    return bool(pvn.is_valid(code))


ANY_CODE = st.one_of(
    old_format_codes(), new_format_codes(), bad_date_codes(),
    mutated(old_format_codes()), mutated(new_format_codes()),
)


@settings(max_examples=500, deadline=None)
@given(ANY_CODE, st.booleans())
def test_personal_code_check_agrees_with_stdnum(code: str, hyphen: bool) -> None:
    text = code[:6] + "-" + code[6:] if hyphen else code
    assert _validate_whole("lv_personal_code", text) is _personal_code_oracle(code), text
    assert _native.validate("lv_personal_code", text) in (0, len(text))
    # The shape-only check (for codes named by a context word): 11 digits, the first 0..3.
    assert _validate_whole("lv_personal_code_format", text) is (code[0] <= "3")


@settings(max_examples=300, deadline=None)
@given(st.one_of(old_format_codes(), new_format_codes()))
def test_generated_personal_codes_are_valid(code: str) -> None:
    """The generators themselves are right (a wrong generator weakens the test above)."""
    assert _personal_code_oracle(code)
    if code[:2] != "32" and code[0] == "3":
        return  # 33..39: stdnum's is_valid does not know them yet
    assert pvn.is_valid(code)


def test_company_numbers_are_not_personal_codes() -> None:
    for number in ("40003521600", "40203456784", "50102987607", "90001122306"):
        assert pvn.is_valid(number)  # valid legal-entity numbers...
        assert _native.validate("lv_personal_code", number) == 0  # ...but no person


# --- IBAN

_IBAN_DAT = Path(stdnum.__file__).parent / "iban.dat"


def _iban_structures() -> dict[str, list[tuple[int, str]]]:
    out = {}
    for line in _IBAN_DAT.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        country = line.split()[0]
        bban = line.split('bban="', 1)[1].split('"', 1)[0]
        out[country] = [(int(run[:-2]), run[-1]) for run in _runs(bban)]
    return out


def _runs(structure: str) -> list[str]:
    """'4!a13!c' -> ['4!a', '13!c']."""
    runs, current = [], ""
    for ch in structure:
        current += ch
        if ch in "nac":
            runs.append(current)
            current = ""
    return runs


IBAN_STRUCTURES = _iban_structures()
_KIND = {"n": string.digits, "a": string.ascii_uppercase, "c": string.ascii_uppercase + string.digits}


def test_every_country_of_stdnum_is_known() -> None:
    assert len(IBAN_STRUCTURES) >= 80 and "LV" in IBAN_STRUCTURES
    assert IBAN_STRUCTURES["LV"] == [(4, "a"), (13, "c")]


def _national_fixup(country: str, bban: str, draw: st.DrawFn) -> str:
    """Make a random BBAN pass the national check stdnum makes (BE, ES, ME, NO)."""
    if country == "BE":
        first10 = f"{draw(st.integers(0, 111)):03d}" + bban[3:10]
        check = int(first10) % 97 or 97
        return first10 + f"{check:02d}"
    if country == "ES":
        bank_branch, account = bban[:8], bban[10:]
        return bank_branch + es_ccc.calc_check_digits(bank_branch + "00" + account) + account
    if country == "ME":
        return bban[:-2] + mod_97_10.calc_check_digits(bban[:-2])
    if country == "NO":
        if bban.startswith("0000") or draw(st.integers(0, 9)) == 0:  # a postgiro account: Luhn
            return "0000" + bban[4:10] + luhn.calc_check_digit(bban[4:10])
        weights = (6, 7, 8, 9, 4, 5, 6, 7, 8, 9)
        check = sum(w * int(d) for w, d in zip(weights, bban[:10])) % 11
        assume(check != 10)
        return bban[:10] + str(check)
    return bban


@st.composite
def valid_ibans(draw: st.DrawFn, countries: list[str] | None = None) -> str:
    """A valid compact IBAN of any country stdnum knows: a BBAN of the country's
    structure, its national check where stdnum makes one, the mod-97 check digits."""
    country = draw(st.sampled_from(countries or sorted(IBAN_STRUCTURES)))
    bban = "".join(draw(st.text(_KIND[kind], min_size=n, max_size=n)) for n, kind in IBAN_STRUCTURES[country])
    bban = _national_fixup(country, bban, draw)
    number = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
    return number


@st.composite
def iban_mutations(draw: st.DrawFn, number: str) -> str:
    how = draw(st.sampled_from(["replace", "swap", "delete", "insert", "country", "check"]))
    alnum = string.ascii_uppercase + string.digits
    at = draw(st.integers(0, len(number) - 1))
    if how == "replace":
        return number[:at] + draw(st.sampled_from([c for c in alnum if c != number[at]])) + number[at + 1 :]
    if how == "swap":
        at = min(at, len(number) - 2)
        return number[:at] + number[at + 1] + number[at] + number[at + 2 :]
    if how == "delete":
        return number[:at] + number[at + 1 :]
    if how == "insert":
        return number[:at] + draw(st.sampled_from(alnum)) + number[at:]
    if how == "country":
        return draw(st.sampled_from(sorted(IBAN_STRUCTURES))) + number[2:]
    return number[:2] + draw(st.text(alnum, min_size=2, max_size=2)) + number[4:]  # any check characters


def _printed(number: str, draw: st.DrawFn) -> str:
    style = draw(st.sampled_from(["compact", "groups", "lower", "hyphens", "dots", "mixed"]))
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    if style == "groups":
        return " ".join(groups)
    if style == "lower":
        return number.lower()
    if style == "hyphens":
        return "-".join(groups)
    if style == "dots":
        return ".".join(groups)
    if style == "mixed":
        return " ".join(g.lower() if i % 2 else g for i, g in enumerate(groups))
    return number


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_iban_check_agrees_with_stdnum(data: st.DataObject) -> None:
    number = data.draw(valid_ibans())
    assert stdnum_iban.is_valid(number), number  # the generator is right
    if data.draw(st.booleans()):
        number = data.draw(iban_mutations(number))
    text = _printed(number, data.draw)
    assert _validate_whole("iban", text) is bool(stdnum_iban.is_valid(text)), text


@settings(max_examples=300, deadline=None)
@given(st.text(string.ascii_uppercase + string.digits + " ", min_size=15, max_size=40))
def test_iban_check_agrees_with_stdnum_on_noise(text: str) -> None:
    """Mostly invalid: whatever stdnum rejects is rejected whole."""
    if stdnum_iban.is_valid(text):
        assert _validate_whole("iban", text)
    else:
        assert not _validate_whole("iban", text), text


# --- payment cards


@st.composite
def cards(draw: st.DrawFn) -> str:
    """A Visa (4) or Mastercard (51..55) number of 13..19 digits with its Luhn digit."""
    prefix = draw(st.sampled_from(["4", "51", "52", "53", "54", "55"]))
    length = draw(st.integers(13, 19))
    body = prefix + draw(st.text(string.digits, min_size=length - 1 - len(prefix), max_size=length - 1 - len(prefix)))
    return body + luhn.calc_check_digit(body)


@st.composite
def card_mutations(draw: st.DrawFn, number: str) -> str:
    """Changed after the issuer prefix (its first two digits are kept)."""
    how = draw(st.sampled_from(["replace", "swap", "delete", "insert"]))
    at = draw(st.integers(2, len(number) - 1))
    if how == "replace":
        return number[:at] + draw(st.sampled_from([d for d in string.digits if d != number[at]])) + number[at + 1 :]
    if how == "swap":
        at = min(at, len(number) - 2)
        return number[:at] + number[at + 1] + number[at] + number[at + 2 :]
    if how == "delete":
        return number[:at] + number[at + 1 :]
    return number[:at] + draw(st.sampled_from(string.digits)) + number[at:]


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_card_check_agrees_with_stdnum_luhn(data: st.DataObject) -> None:
    number = data.draw(cards())
    assert luhn.is_valid(number)
    if data.draw(st.booleans()):
        number = data.draw(card_mutations(number))
    expected = 13 <= len(number) <= 19 and bool(luhn.is_valid(number))
    sep = data.draw(st.sampled_from(["", " ", "-"]))
    text = sep.join(number[i : i + 4] for i in range(0, len(number), 4))
    assert _validate_whole("payment_card", text) is expected, text
    assert _native.validate("payment_card", text) in (0, len(text))


# ---- A.2 tokens and fingerprints are Python's hmac ----------------------------

KEY_IDS = st.from_regex(r"[A-Za-z0-9_]{1,16}", fullmatch=True)
VALUES = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


def _token(key: bytes, key_id: str, value: str) -> str:
    return f"[HASH:{key_id}:" + hmac.new(key, b"pii_tagger/v1\x00" + value.encode(), "sha256").hexdigest()[:20] + "]"


def _fingerprint(key: bytes, key_id: str, value: str) -> str:
    normalized = " ".join(value.split()).encode()
    return f"fp:{key_id}:" + hmac.new(key, b"pii_tagger/fingerprint/v1\x00" + normalized, "sha256").hexdigest()[:16]


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=16, max_size=200), VALUES)
def test_tokens_and_fingerprints_are_pythons_hmac(key: bytes, value: str) -> None:
    hasher = Hasher({"k": key})
    assert hasher.token(value) == _token(key, "k", value)
    assert hasher.fingerprint(value) == _fingerprint(key, "k", value)
    assert hasher.tokens(value) == {"k": _token(key, "k", value)}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(KEY_IDS, st.binary(min_size=16, max_size=200)), min_size=1, max_size=4,
                unique_by=lambda kv: kv[0]), VALUES)
def test_every_key_gives_pythons_hmac(keys: list[tuple[str, bytes]], value: str) -> None:
    """After rotations: the newest key makes new tokens, every key is looked up."""
    hasher = Hasher(dict(keys))
    newest_id, newest = keys[0]
    assert hasher.key_id == newest_id
    assert hasher.token(value) == _token(newest, newest_id, value)
    assert hasher.fingerprint(value) == _fingerprint(newest, newest_id, value)
    assert hasher.tokens(value) == {key_id: _token(key, key_id, value) for key_id, key in keys}


@settings(max_examples=100, deadline=None)
@given(st.text(string.ascii_letters + "āēīūšžčķļņ", min_size=16, max_size=64), VALUES)
def test_str_keys_are_their_utf8_bytes(key: str, value: str) -> None:
    assert Hasher({"k": key}).token(value) == _token(key.encode(), "k", value)


@pytest.mark.parametrize("length", [0, 1, 15])
def test_short_keys_are_refused(length: int) -> None:
    from pii_tagger.actions import HashKeyError

    with pytest.raises(HashKeyError) as raised:
        Hasher({"k": b"s" * length})
    assert "s" * max(length, 2) not in str(raised.value)  # the message never holds the key


# ---- A.3 planted values never survive ------------------------------------------


@st.composite
def emails(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(["anna", "janis", "liga", "peteris", "kristaps", "ilze", "a", "m"]))
    rest = draw(st.text(string.ascii_lowercase + string.digits + "._+-", max_size=10))
    local = (first + rest).rstrip("._+-")
    domain = draw(st.sampled_from(["inbox.lv", "example.lv", "pasts.lv", "mail.example.com", "uni-lu.lv", "gmail.com"]))
    return f"{local}@{domain}"


@st.composite
def lv_phones(draw: st.DrawFn) -> str:
    national = draw(st.sampled_from("26")) + draw(st.text(string.digits, min_size=7, max_size=7))
    style = draw(st.integers(0, 4))
    if style == 0:
        return f"+371 {national[:2]} {national[2:5]} {national[5:]}"
    if style == 1:
        return "+371" + national
    if style == 2:
        return "00371" + national
    if style == 3:
        return f"+371-{national[:4]}-{national[4:]}"
    return f"00371 {national[:4]} {national[4:]}"


@st.composite
def printed_cards(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["4", "51", "52", "53", "54", "55"]))
    body = prefix + draw(st.text(string.digits, min_size=15 - len(prefix), max_size=15 - len(prefix)))
    number = body + luhn.calc_check_digit(body)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


@st.composite
def printed_codes(draw: st.DrawFn) -> str:
    code = draw(st.one_of(old_format_codes(), new_format_codes()))
    return code[:6] + "-" + code[6:] if draw(st.booleans()) else code


@st.composite
def printed_ibans(draw: st.DrawFn) -> str:
    number = draw(valid_ibans(draw(st.sampled_from([["LV"], ["LV", "EE", "LT", "DE", "GB", "FR", "NL", "PL"], None]))))
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if draw(st.booleans()) else number


INT64 = st.integers(-(2**63), 2**63 - 1)  # what JSON renderers write (orjson refuses wider ones)
PLANTS = st.one_of(printed_codes(), printed_ibans(), emails(), lv_phones(), printed_cards())
WORDS = st.sampled_from(["klients", "payment", "ok", "status=ok", "Error:", "tālr.", "at", "uz", "Rīga", "done", "for",
                         "Swedbank", "EUR", "OK", "\\n", "..."])
NEUTRAL_KEYS = st.sampled_from(["event", "detail", "msg", "data", "items", "note", "x", "payload", "ctx", "ref"])


def _compact(value: str) -> str:
    return value.replace(" ", "").replace("-", "")


@st.composite
def planted_text(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A text holding one planted value; the forms of it that must not survive."""
    plant = draw(PLANTS)
    before = " ".join(draw(st.lists(WORDS, max_size=3)))
    after = " ".join(draw(st.lists(WORDS, max_size=3)))
    where = draw(st.sampled_from(["free", "kv", "json", "url_query", "url_userinfo", "url_path"]))
    sep1 = draw(st.sampled_from([" ", ", ", "; ", " | ", "\n", " (", " \""]))
    sep2 = draw(st.sampled_from([" ", ", ", "; ", ") ", "\" ", "\n"]))
    if where == "free":
        return before + sep1 + plant + sep2 + after, [plant]
    if where == "kv":
        key = draw(st.sampled_from(["ref", "value", "ctx", "q", "arg"]))
        value = plant if " " not in plant else _compact(plant)
        return f"{before} {key}={value} {after}", [value]
    if where == "json":
        member = st.just(f"{before} {plant} {after}") | st.integers(-(2**40), 2**40)
        inner = draw(st.dictionaries(NEUTRAL_KEYS, member, min_size=1, max_size=3))
        inner[draw(NEUTRAL_KEYS)] = f"{before}{sep1}{plant}"
        return orjson.dumps(inner).decode(), [plant]
    value = _compact(plant) if "@" not in plant else plant
    encoded = quote(value, safe="")
    if where == "url_query":
        param = draw(st.sampled_from(["q", "ref", "filter", "s"]))
        return f"{before} https://portal.example.lv/search?{param}={encoded}&page=2 {after}", [value, encoded]
    if where == "url_userinfo":
        return f"{before} https://{encoded}:Slepens123@portal.example.lv/login {after}", [value, encoded]
    return f"{before} GET https://portal.example.lv/customers/{encoded}/orders {after}", [value, encoded]


def events(leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    tree = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NEUTRAL_KEYS, inner, max_size=3),
                        max_leaves=8)
    return st.dictionaries(NEUTRAL_KEYS, tree, min_size=1, max_size=4)


def _put_somewhere(event: dict[str, Any], text: str, draw: st.DrawFn) -> dict[str, Any]:
    """``text`` at some path of ``event`` (a new key at the top, or nested)."""
    path = draw(st.lists(NEUTRAL_KEYS, min_size=1, max_size=4))
    node: dict[str, Any] = event
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    how = draw(st.sampled_from(["str", "list", "tuple", "bytes"]))
    node[path[-1]] = {"str": text, "list": [draw(INT64), text], "tuple": (text, None), "bytes": text.encode()}[how]
    return event


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_planted_values_never_survive(data: st.DataObject) -> None:
    text, forms = data.draw(planted_text())
    event = data.draw(events(st.text(string.ascii_letters + " .:=", max_size=20) | INT64 | st.none() | st.booleans()))
    event = _put_somewhere(event, text, data.draw)
    out = STRICT.redact(event)
    rendered = orjson.dumps(out, default=str).decode()  # what a JSON renderer writes
    for form in forms:
        assert form not in rendered, (form, text, rendered)
    assert out["pii_categories"] and out["pii_categories"] == sorted(set(out["pii_categories"]))
    assert STRICT.redact(out) == out  # twice equals once


KEYS_OF_ANY_TYPE = st.one_of(
    NEUTRAL_KEYS, st.text(max_size=12), st.integers(), st.booleans(), st.none(),
    st.floats(allow_nan=False), st.binary(max_size=8), st.tuples(st.text(max_size=5), st.integers()),
)
ANY_LEAF = (
    st.text() | st.binary(max_size=30) | st.integers() | st.floats() | st.none() | st.booleans()
    | planted_text().map(lambda t: t[0]) | PLANTS
)


JSON_LEAF = (
    st.text() | st.binary(max_size=30) | INT64 | st.floats() | st.none() | st.booleans()
    | planted_text().map(lambda t: t[0]) | PLANTS
)


def _any_tree(keys: st.SearchStrategy[Any], leaf: st.SearchStrategy[Any] = ANY_LEAF) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS_OF_ANY_TYPE, _any_tree(KEYS_OF_ANY_TYPE), max_size=5))
def test_the_default_redactor_never_raises(event: dict[Any, Any]) -> None:
    out = SAFE.redact(event)
    assert type(out) is dict
    assert isinstance(out["pii_categories"], list)
    assert "pii_error" not in out, out["pii_error"]  # failing closed on ordinary input is a bug


JSON_KEYS = st.one_of(NEUTRAL_KEYS, st.text(max_size=12), INT64, st.booleans(), st.none())


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.one_of(NEUTRAL_KEYS, st.text(max_size=12)), _any_tree(JSON_KEYS, JSON_LEAF), max_size=5))
def test_output_is_json_serialisable_and_twice_equals_once(event: dict[str, Any]) -> None:
    """With ``summary=True``: the values, the tags and the notes (``pii_redactions``)."""
    out = SUMMARY.redact(event)
    orjson.dumps(out, default=str, option=orjson.OPT_NON_STR_KEYS)
    again = SUMMARY.redact(out)
    # NaN is never equal to itself: compare what is written.
    dump = lambda e: orjson.dumps(e, default=repr, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS)  # noqa: E731
    assert dump(again) == dump(out)


def _summary_once_and_twice(data: st.DataObject) -> tuple[dict[str, Any], dict[str, Any]]:
    text, _ = data.draw(planted_text())
    event = _put_somewhere(data.draw(events(INT64 | st.none())), text, data.draw)
    once = SUMMARY.redact(event)
    assert once["pii_redactions"] and all(n["count"] >= 1 and set(n) == {"path", "rule", "category", "action", "count"}
                                          for n in once["pii_redactions"])
    return once, SUMMARY.redact(once)


@settings(max_examples=100, phases=(Phase.reuse, Phase.generate), deadline=None)
@given(st.data())
def test_summary_twice_equals_once(data: st.DataObject) -> None:
    """With ``summary=True`` too: the values, the tags and the notes."""
    once, twice = _summary_once_and_twice(data)
    assert twice == once


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_summary_twice_equals_once_but_for_kept_tags(data: st.DataObject) -> None:
    """The same, leaving out the notes of "keep" tags (the known bug above)."""
    once, twice = _summary_once_and_twice(data)
    acted = lambda e: {**e, "pii_redactions": [n for n in e["pii_redactions"] if n["action"] != "keep"]}  # noqa: E731
    assert acted(twice) == acted(once)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_planted_values_in_keys_never_survive(data: st.DataObject) -> None:
    """Keys are scanned like values (a URL key part by part), at any depth and
    inside JSON text. A key that is wholly a planted value stays as it is when
    redacted again; one with other words around it is not checked for that
    here (a known bug: test_native_defects.py::test_twice_equals_once_for_a_key_with_a_mask_among_words)."""
    whole = data.draw(st.booleans())
    if whole:
        plant = data.draw(PLANTS)
        text, forms = plant, [plant]
    else:
        text, forms = data.draw(planted_text())
    where = data.draw(st.sampled_from(["top", "nested", "json"]))
    if where == "top":
        event: dict[str, Any] = {"event": "x", text: 1}
    elif where == "nested":
        event = {"event": "x", "data": {"items": [{text: "primary"}]}}
    else:
        event = {"event": "x", "note": orjson.dumps({text: 2, "ok": True}).decode()}
    out = STRICT.redact(event)
    rendered = orjson.dumps(out, default=str).decode()
    for form in forms:
        assert form not in rendered, (form, event, rendered)
    if whole:
        assert STRICT.redact(out) == out


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_redactors_output_is_never_a_leak(data: st.DataObject) -> None:
    """What the redactor wrote holds nothing it would act on again: the guard
    never alerts on it (and inspect's copy is redact's)."""
    text, _ = data.draw(planted_text())
    event = _put_somewhere(data.draw(events(INT64 | st.none() | st.booleans())), text, data.draw)
    if data.draw(st.booleans()):  # a key that is wholly a value (see the test above for keys with words)
        event[data.draw(PLANTS)] = data.draw(st.sampled_from([1, "primary", None]))
    out = STRICT.redact(event)
    inspected, _ = STRICT.inspect(event)
    assert inspected == out
    _, found = STRICT.inspect(out)
    assert [f for f in found if f.target.action != "keep"] == [], found


def _assert_shared_where_unchanged(before: Any, after: Any, path: str = "") -> None:
    if type(before) is type(after) and before == after and isinstance(before, (str, list, tuple, dict)):
        assert after is before, f"{path}: unchanged but copied"
        return
    assert after is not before or isinstance(before, (int, float, bool, type(None))), f"{path}: changed in place"
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before.keys() & after.keys():
            _assert_shared_where_unchanged(before[key], after[key], f"{path}.{key}")
    elif isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after)):
            _assert_shared_where_unchanged(b, a, f"{path}[{i}]")


COW_LEAF = st.text(max_size=20) | INT64 | st.none() | st.booleans() | PLANTS | planted_text().map(lambda t: t[0])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(NEUTRAL_KEYS, st.recursive(
    COW_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner) | st.dictionaries(NEUTRAL_KEYS, inner, max_size=3),
    max_leaves=10), min_size=1, max_size=5))
def test_copy_on_write(event: dict[str, Any]) -> None:
    """Whatever nothing changed is the very object that came in; the input is never changed."""
    snapshot = orjson.dumps(event, option=orjson.OPT_SORT_KEYS)
    out = STRICT.redact(event)
    assert out is not event
    assert orjson.dumps(event, option=orjson.OPT_SORT_KEYS) == snapshot
    for key in event:
        _assert_shared_where_unchanged(event[key], out[key], key)
