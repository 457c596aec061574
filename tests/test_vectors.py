"""The Latvian vectors (tests/data/latvia.toml) through the default policy."""

from __future__ import annotations

from typing import Any

import orjson

import pii_tagger
from pii_tagger import Redactor


def _rendered(event: dict[str, Any]) -> str:
    return orjson.dumps(pii_tagger.redact(event)).decode()


def test_valid_personal_codes_never_survive(vectors: dict[str, Any]) -> None:
    for code in vectors["personal_code"]["valid"]:
        for event in ({"event": f"klients {code} sazinājās"}, {"event": "x", "detail": code}, {"personas_kods": code}):
            out = pii_tagger.redact(event)
            assert code not in orjson.dumps(out).decode(), (code, event)
            assert 1 in out["pii_categories"]


def test_invalid_personal_codes_are_not_taken_for_codes(redactor: Redactor, vectors: dict[str, Any]) -> None:
    for code in vectors["personal_code"]["invalid"]:
        assert redactor.redact({"detail": code})["detail"] == code


def test_invalid_code_named_by_field_or_context_is_still_hidden(redactor: Redactor, vectors: dict[str, Any]) -> None:
    for code in vectors["personal_code"]["invalid"]:
        assert code not in str(redactor.redact({"personas_kods": code}))
        text, categories = redactor.redact_text(f"personas kods: {code}")
        if code[0] <= "3":  # the shape of a personal code: hidden though its check fails
            assert code not in text and categories == [1]
        else:  # 4-9 would be a company: no person's code has that shape
            assert text == f"personas kods: {code}" and categories == []


def test_ibans(redactor: Redactor, vectors: dict[str, Any]) -> None:
    for iban in vectors["iban"]["valid"]:
        text, categories = redactor.redact_text(f"pārskaitījums uz {iban} saņemts")
        assert text == f"pārskaitījums uz [REDACTED:iban:..{iban.replace(' ', '')[-4:]}] saņemts"
        assert categories == [11]
    for iban in vectors["iban"]["invalid"]:
        assert redactor.redact({"detail": iban})["detail"] == iban


def test_phones(redactor: Redactor, vectors: dict[str, Any]) -> None:
    for phone in vectors["phone"]["international"] + vectors["phone"]["national"]:
        text, categories = redactor.redact_text(f"tālr. {phone}")
        assert phone not in text and categories == [2], phone
    for phone in vectors["phone"]["international"]:
        assert phone not in redactor.redact({"detail": phone})["detail"]
    for phone in vectors["phone"]["national"]:  # eight bare digits are a phone only next to a phone word
        assert redactor.redact({"detail": phone})["detail"] == phone
    for phone in vectors["phone"]["invalid"]:
        assert redactor.redact({"detail": phone})["detail"] == phone, phone


def test_cards(redactor: Redactor, vectors: dict[str, Any]) -> None:
    for card in vectors["card"]["valid"]:
        text, categories = redactor.redact_text(f"samaksāts ar karti {card} vakar")
        assert card not in text and categories == [11], card
    for card in vectors["card"]["invalid"] + vectors["card"]["no_issuer"]:
        assert redactor.redact({"detail": card})["detail"] == card, card


def test_company_registration_numbers_are_kept(vectors: dict[str, Any]) -> None:
    for number in vectors["company_registration"]["valid"] + vectors["company_registration"]["invalid"]:
        out = pii_tagger.redact({"event": f"uzņēmums {number} reģistrēts", "registration_number": number})
        assert out["event"] == f"uzņēmums {number} reģistrēts"
        assert out["registration_number"] == number
        assert out["pii_categories"] == []


def test_postal_codes_and_addresses(redactor: Redactor, vectors: dict[str, Any]) -> None:
    for value in vectors["postal_code"]["valid"] + vectors["address"]["valid"]:
        text, categories = redactor.redact_text(f"adrese: {value}")
        assert value not in text and categories == [2]
        text, _ = redactor.redact_text(f"piegāde uz {value} rīt")
        assert value not in text


def test_look_alikes_that_must_come_out_unchanged(redactor: Redactor) -> None:
    unchanged = {
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "span_id": "00f067aa0ba902b7",
        "request_id": "a588b6e4-464d-4a1a-84db-dd7d5d2f0a11",
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "timestamp": "2026-11-25T10:00:00.123456+02:00",
        "epoch_ms": 1764064800000,
        "epoch": "1764064800",
        "duration": "1.5s",
        "version": "2.14.1",
        "price": "1234.50",
        "order": "ORD-2026-000123",
        "message": "order 20261125001 shipped in 3 parcels, total 42.50 EUR, took 350 ms",
        "registration": "40003521600",
    }
    out = redactor.redact(unchanged)
    assert {k: out[k] for k in unchanged} == unchanged
