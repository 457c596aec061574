"""Issue 12: a record's context for ambiguous keys, plural parent names, and
tags from an event's own name."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pii_tagger import Hasher, Policy, Redactor

NAME = "Ričards Ozoliņš"  # a given name the lexicon need not know: the key decides


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(hasher=Hasher({"t1": "test-key-0123456789"}))


def _rendered(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False)


@pytest.mark.parametrize("event", [
    {"rows": [{"name": NAME, "email": "r.ozolins@inbox.lv"}]},
    {"name": NAME, "phone": "+371 29 123 456"},
    {"signer": NAME, "personal_code": "161175-19997"},
    {"order": {"owner": NAME, "note": "zvanīt +371 29 123 456"}},
    {"customers": [{"name": NAME}]},
    {"clients": [{"name": NAME}]},
    {"recipients": [{"name": NAME}]},
    {"employees": [{"name": NAME}]},
    {"users": [{"first": "Ričards", "last": "Ozoliņš"}]},
    {"people": {"owner": NAME}},
    {"klienti": [{"vārds": "Ričards"}]},
    {"event": "import", "payload": json.dumps({"name": NAME, "email": "r.ozolins@inbox.lv"})},
], ids=lambda e: next(iter(e)))
def test_an_ambiguous_key_in_a_persons_record_is_redacted(redactor: Redactor, event: dict[str, Any]) -> None:
    out = redactor.redact(event)
    assert "Ričards" not in _rendered(out) and "Ozoliņš" not in _rendered(out)
    assert set(out["pii_categories"]) & {1, 5}


@pytest.mark.parametrize("event", [
    {"name": "billing-service", "status": "ok"},
    {"event": "deploy", "name": "crm-api", "version": "2.4.1"},
    {"service": {"name": "crm"}, "email": "anna@inbox.lv"},
    {"queue": {"name": "invoices", "owner": "platform-team", "size": 12}},
    {"event": "import", "payload": json.dumps({"name": "crm-api", "status": "ok"})},
], ids=lambda e: "-".join(e))
def test_an_ambiguous_key_elsewhere_is_kept(redactor: Redactor, event: dict[str, Any]) -> None:
    out = redactor.redact(event)
    for key, value in event.items():
        if key != "email":
            assert out[key] == value, key
    assert 1 not in out["pii_categories"]


def test_every_item_under_a_plural_personal_key_is_redacted(redactor: Redactor) -> None:
    out = redactor.redact({"phones": ["+37129123456", "26123456"], "addresses": ["Dzirnavu iela 5, Rīga"]})
    assert "26123456" not in _rendered(out) and "Dzirnavu" not in _rendered(out)
    assert out["pii_categories"] == [2]


def test_a_record_rule_needs_the_plural_to_be_a_known_word(redactor: Redactor) -> None:
    # "status" is no plural of a term: it stays a plain key.
    assert redactor.redact({"status": "Ričards"})["status"] == "Ričards"


@pytest.mark.parametrize(("event", "category"), [
    ("password changed", 14), ("Password reset", 14), ("paroles maiņa", 14), ("Parole nomainīta", 14),
    ("user logged in", 14), ("login", 14), ("login failed", 14), ("lietotājs pieteicās portālā", 14),
    ("user.passwordChanged", 14), ("consent withdrawn", 17), ("piekrišana dota", 17),
    ("incoming call", 18), ("survey completed", 13), ("līgums parakstīts", 8), ("SMS sent", 10),
    ("cctv recording", 15),
])
def test_an_events_own_name_tags_it(redactor: Redactor, event: str, category: int) -> None:
    out = redactor.redact({"event": event, "request_id": "b2c1"})
    assert category in out["pii_categories"] and out["event"] == event


@pytest.mark.parametrize("event", [
    "request finished", "cache miss", "health check ok", "logging configured", "blog post saved",
    "payment received", "signal handler installed", "call stack too deep",
])
def test_other_event_names_are_not_tagged(redactor: Redactor, event: str) -> None:
    assert redactor.redact({"event": event})["pii_categories"] == []


def test_only_the_top_level_name_counts(redactor: Redactor) -> None:
    assert redactor.redact({"details": {"event": "password changed"}})["pii_categories"] == []
    assert redactor.redact({"message": "password changed"})["pii_categories"] == [14]


def test_a_companys_name_in_a_supplier_record_is_kept(redactor: Redactor) -> None:
    out = redactor.redact({"supplier": {"name": "SIA Zaļā Sala", "iban": "LV80BANK0000435195001"}})
    assert out["supplier"]["name"] == "SIA Zaļā Sala" and "435195001" not in _rendered(out)


@pytest.mark.parametrize("address", ["192.168.75.16", "10.0.12.4", "169.254.8.133", "::1"])
def test_an_internal_address_under_an_address_field_is_kept_and_tagged(redactor: Redactor, address: str) -> None:
    assert redactor.redact({"client.address": address}) == {"client.address": address, "pii_categories": [12]}
    masked = Redactor(Policy(rule_actions={"ip_internal": "mask"}), hasher=Hasher({"t1": "test-key-0123456789"}))
    assert masked.redact({"client.address": address})["client.address"] != address


def test_a_public_address_under_an_address_field_is_masked(redactor: Redactor) -> None:
    assert redactor.redact({"client.address": "93.177.12.4"})["client.address"] == "[REDACTED:ip:93.177.x.x]"


@pytest.mark.parametrize("text", ["auth attempt user=janis.berzins pass=x1 status=403", "login ok, user: rudolfs.j, ip 10.0.0.1"])
def test_a_user_name_in_key_value_text_is_hashed(redactor: Redactor, text: str) -> None:
    out = redactor.redact({"raw": text})
    assert "janis.berzins" not in out["raw"] and "rudolfs.j" not in out["raw"] and 16 in out["pii_categories"]


def test_a_user_in_a_persons_record_is_a_user_name_and_a_user_object_is_walked(redactor: Redactor) -> None:
    out = redactor.redact({"user": "janis.b", "email": "janis@inbox.lv"})
    assert "janis.b" not in _rendered(out)
    out = redactor.redact({"user": {"role": "admin", "plan": "pro"}, "email": "janis@inbox.lv"})
    assert out["user"] == {"role": "admin", "plan": "pro"}
    assert redactor.redact({"user": "deploy-bot", "status": "ok"})["user"] == "deploy-bot"
