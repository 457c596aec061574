"""Issue 12: short and Latvian secret keys, one-time codes, Latvian spellings
of personal codes, phones, IBANs, addresses and dates of birth, and internal
addresses and versions that are not IP addresses; each positive with look-alike
negatives beside it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from stdnum import iban as std_iban
from stdnum.lv import pvn

from pii_tagger import Policy, Redactor

VECTORS = tomllib.loads((Path(__file__).parent / "data" / "latvia.toml").read_text(encoding="utf-8"))

# Values that must come out unchanged and untagged anywhere below.
LOOK_ALIKES = [
    "order 40003521600", "invoice INV-2026-00871", "amount 1234.56 EUR", "2026-11-25T10:00:00Z", "took 1234 ms",
    "version 2.4.1", "company 40003521600", "id 1234567", "status code 404", "error code 500", "HTTP 200",
    "kods: ABC-1", "postal code 1010", "kļūdas kods 5001", "order 21234567", "passenger=3",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay(redactor: Redactor, text: str) -> None:
    assert redactor.redact_text(text) == (text, [])


# ---- secrets (16) -------------------------------------------------------------


@pytest.mark.parametrize("key", ["pass", "pw", "pwd", "psw", "passwd", "new_pass", "old_pw", "newPass", "user.psw",
                                 "parole", "jaunā_parole", "jauna parole", "pass_hash", "passwords", "passcode"])
def test_short_and_latvian_password_keys_are_dropped(redactor: Redactor, key: str) -> None:
    assert redactor.redact({key: "Slepens123", "n": 1}) == {"n": 1, "pii_categories": [16]}


@pytest.mark.parametrize("key", ["passenger", "compass", "bypass", "password_policy_version", "pass_rate",
                                 "boarding_pass", "passport_country"])
def test_keys_that_only_contain_pass_are_kept(redactor: Redactor, key: str) -> None:
    assert redactor.redact({key: "3"})[key] == "3"


@pytest.mark.parametrize("text", ["pass=Slepens123", "pw: Slepens123", "psw=Slepens123", "passwd=Slepens123",
                                  "new_pass=Slepens123", "parole: Slepens123", "jaunā parole: Slepens123"])
def test_password_pairs_in_text_are_dropped(redactor: Redactor, text: str) -> None:
    out, categories = redactor.redact_text(f"changed {text} ok")
    assert "Slepens123" not in out and "[REDACTED:secret]" in out and categories == [16]


@pytest.mark.parametrize("text", ["login=janis", "lietotājs=janis.berzins", "lietotājvārds: janis"])
def test_user_names_in_text_are_hashed(redactor: Redactor, text: str) -> None:
    out, categories = redactor.redact_text(text)
    # A line that names a login is also a portal action (14).
    assert "janis" not in out and "[HASH:" in out and categories == ([14, 16] if "login" in text else [16])


@pytest.mark.parametrize(
    "text",
    ["Jūsu kods: 4821", "verification code 482913", "OTP 123456", "SMS kods 4821", "apstiprinājuma kods 739102",
     "Your code is 5512", "vienreizējais kods: 90817263"],
)
def test_one_time_codes_are_dropped(redactor: Redactor, text: str) -> None:
    out, categories = redactor.redact_text(text)
    assert out.endswith("[REDACTED:otp]") and categories == [16]


@pytest.mark.parametrize("text", ["status code 404", "error code 500", "kods: ABC-1", "HTTP 200", "postal code 1010",
                                  "exit code 1234", "verification code sent at 2026-11-25", "OTP sent, order 123456"])
def test_code_look_alikes_stay(redactor: Redactor, text: str) -> None:
    assert redactor.redact_text(text)[0] == text


# ---- Latvian personal codes ---------------------------------------------------

VALID_CODES = [c for c in VECTORS["personal_code"]["valid"] if "-" in c]


def _dashed(code: str) -> str:
    digits = code.replace("-", "")
    return f"{digits[:6]}-{digits[6:]}"


def test_vectors_agree_with_stdnum() -> None:
    assert VALID_CODES
    for code in VALID_CODES:
        assert pvn.is_valid(code), code


@pytest.mark.parametrize("code", VALID_CODES)
@pytest.mark.parametrize("form", ["{a} {b}", "{a}–{b}", "p.k.{a}-{b}", "Nr.{a}-{b}", "izraksts_{a}-{b}.pdf"])
def test_personal_code_spellings_are_found(redactor: Redactor, code: str, form: str) -> None:
    a, b = _dashed(code).split("-")
    text = "klients " + form.format(a=a, b=b)
    out, categories = redactor.redact_text(text)
    assert a not in out and categories == [1]


def _bad_check_digit(code: str) -> str:
    digits = code.replace("-", "")
    for d in "0123456789":
        candidate = digits[:10] + d
        if not pvn.is_valid(candidate):
            return candidate
    raise AssertionError(code)


@pytest.mark.parametrize("code", VALID_CODES)
@pytest.mark.parametrize("form", ["{a} {b}", "{a}–{b}", "p.k.{a}-{b}", "Nr.{a}-{b}", "izraksts_{a}-{b}.pdf"])
def test_personal_code_look_alikes_stay(redactor: Redactor, code: str, form: str) -> None:
    bad = _bad_check_digit(code)
    text = "ref " + form.format(a=bad[:6], b=bad[6:])
    assert redactor.redact_text(text)[0] == text


# ---- phones ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["37129123456", "msisdn 29123456", "tel.29123456", "tālr.29123456",
                                  "kontakts: 26123456", "SMS sent to 29123456", "zvanīja no 37167123456"])
def test_phone_spellings_are_masked(redactor: Redactor, text: str) -> None:
    out, categories = redactor.redact_text(text)
    # "SMS sent" names a message sent (10).
    assert "[REDACTED:phone:.." in out and categories == ([2, 10] if "SMS sent" in text else [2])


@pytest.mark.parametrize("text", ["order 21234567", "kontakts: 40003521600", "37112345678", "tel.78123456",
                                  "sent to 12345678", "contact id 21234567", "371291234567"])
def test_phone_look_alikes_stay(redactor: Redactor, text: str) -> None:
    assert redactor.redact_text(text)[0] == text


# ---- IBANs ----------------------------------------------------------------------

IBANS = ["LV80BANK0000435195001", "LV97HABA0012345678910"]


@pytest.mark.parametrize("iban", IBANS)
def test_iban_spellings_are_masked(redactor: Redactor, iban: str) -> None:
    assert std_iban.is_valid(iban)
    dashed = "-".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    for form in [iban.lower(), dashed, dashed.lower(), std_iban.format(iban).lower()]:
        out, categories = redactor.redact_text(f"konts {form} ok")
        assert out.startswith("konts [REDACTED:iban:..") and out.endswith(" ok") and categories == [11], form


@pytest.mark.parametrize("iban", IBANS)
def test_iban_look_alikes_stay(redactor: Redactor, iban: str) -> None:
    bad = iban[:2] + f"{(int(iban[2:4]) + 1) % 100:02d}" + iban[4:]
    assert not std_iban.is_valid(bad)
    dashed = "-".join(bad[i:i + 4] for i in range(0, len(bad), 4))
    for form in [bad.lower(), dashed]:
        assert redactor.redact_text(f"ref {form}")[0] == f"ref {form}"


# ---- addresses ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Dzirnavu ielu 5, Rīgā", "uz Brīvības ielu 12", "Elizabetes 10a, Rīga",
                                  "Tērbatas 14-3, Rīga, LV-1011", "dzīvo Lāčplēša 87 dz. 12, Rīgā", "Rīgas 5, Valmiera"])
def test_address_spellings_are_masked(redactor: Redactor, text: str) -> None:
    out, categories = redactor.redact_text(f"piegāde: {text}.")
    assert "[REDACTED:address]" in out and categories == [2]
    assert not any(ch.isdigit() for ch in out)


@pytest.mark.parametrize("text", ["Order 1234, Rīga", "Version 10, Riga", "Room 5, Rīga", "Elizabetes 10, Berlin",
                                  "brīvības ielu 12", "Sprint 12, Rīga"])
def test_address_look_alikes_stay(redactor: Redactor, text: str) -> None:
    assert redactor.redact_text(text)[0] == text


# ---- dates of birth -------------------------------------------------------------


@pytest.mark.parametrize("text", ["dzimis 1975. gada 16. novembrī", "dzimšanas datums: 16.11.1975", "DOB: 1975-11-16",
                                  "born on 16/11/1975", "born 16 November 1975", "dzimusi 1980. g. 1. martā"])
def test_dates_of_birth_in_text_are_masked(redactor: Redactor, text: str) -> None:
    out, categories = redactor.redact_text(text)
    assert "1975" not in out and "1980" not in out and categories == [1]


@pytest.mark.parametrize("text", ["created 1975. gada 16. novembrī", "due 16.11.1975", "paid on 16/11/1975",
                                  "2026-11-16", "16 November 1975"])
def test_dates_without_a_birth_word_stay(redactor: Redactor, text: str) -> None:
    assert redactor.redact_text(text)[0] == text


# ---- versions and internal addresses --------------------------------------------

USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")


@pytest.mark.parametrize("event", [{"version": "2.4.1.7"}, {"build": "1.2.3.4"}, {"message": f"ua {USER_AGENT}"},
                                   {"message": "client v1.2.3.4 started"}, {"message": "Chrome/131.0.0.0"},
                                   {"message": "build 93.177.12.4 deployed"}])
def test_versions_are_not_ip_addresses(redactor: Redactor, event: dict[str, str]) -> None:
    assert redactor.redact(event) == {**event, "pii_categories": []}


INTERNAL = ["10.0.12.4", "127.0.0.1", "172.16.5.4", "192.168.1.10", "100.64.0.7", "169.254.1.2", "::1",
            "fe80::1ff:fe23:4567:890a", "fd00::12"]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_kept_and_tagged(redactor: Redactor, address: str) -> None:
    text = f"connect {address} ok"
    assert redactor.redact({"message": text}) == {"message": text, "pii_categories": [12]}


@pytest.mark.parametrize("address", INTERNAL)
def test_a_policy_masks_internal_addresses_too(hasher: object, address: str) -> None:
    redactor = Redactor(Policy(rule_actions={"ip_internal": "mask"}), hasher=hasher, raise_errors=True)  # type: ignore[arg-type]
    out = redactor.redact({"message": f"connect {address} ok"})
    assert out["message"].startswith("connect [REDACTED:ip:") and address not in out["message"]
    assert out["pii_categories"] == [12]


@pytest.mark.parametrize("address", ["93.177.12.4", "203.0.113.7", "2001:db8:85a3::8a2e:370:7334", "172.32.0.1"])
def test_public_addresses_are_still_masked(redactor: Redactor, address: str) -> None:
    out = redactor.redact({"message": f"connect {address} ok"})
    assert out["message"].startswith("connect [REDACTED:ip:") and out["pii_categories"] == [12]
