"""Detection by field name along the whole path, in any spelling style."""

from __future__ import annotations

from typing import Any

import pytest

from pii_tagger import Redactor


def _nested(path: str, value: Any) -> dict[str, Any]:
    event: Any = value
    for key in reversed(path.split("/")):
        event = {key: event}
    return event


@pytest.mark.parametrize(
    ("path", "category"),
    [
        ("phone", 2),
        ("customer/contact_person/phone", 3),
        ("customer/contactPerson/email", 3),
        ("contact_person_phone", 3),
        ("supplier/bank_account", 6),
        ("supplier/address", 6),
        ("invoice/iban", 11),
        ("iban", 11),
        ("user/email", 5),
        ("user.email", 5),
        ("user.full_name", 5),
        ("enduser.id", 5),
        ("customer/email", 2),
        ("klienta_tālrunis", 2),
        ("KLIENTA_TALRUNIS", 2),
        ("klienta-talrunis", 2),
        ("e-pasts", 2),
        ("ePasts", 2),
        ("eMail", 2),
        ("EMAIL_ADDRESS", 2),
        ("personas_kods", 1),
        ("personasKods", 1),
        ("vārds", 1),
        ("vards", 1),
        ("uzvārds", 1),
        ("first-name", 1),
        ("dzimšanas_datums", 1),
        ("passport_number", 1),
        ("kontaktpersonas/vārds", 3),
        ("piegādātājs/bankas_konts", 6),
        ("client.address", 12),
        ("card_number", 11),
    ],
)
def test_category_by_path(redactor: Redactor, path: str, category: int) -> None:
    value = "Some Value 123"
    out = redactor.redact(_nested(path, value))
    assert out["pii_categories"] == [category]
    assert value not in str(out)


@pytest.mark.parametrize(
    "path",
    [
        "password", "user_password", "newPassword", "PAROLE", "api_key", "x-api-key", "client_secret",
        "http.request.header.authorization", "http.request.header.cookie", "headers/Authorization",
        "headers/Set-Cookie", "session_id", "access_token", "credentials/db",
    ],
)
def test_secrets_are_dropped(redactor: Redactor, path: str) -> None:
    out = redactor.redact({"event": "x", **_nested(path, "s3cr3t-value")})
    assert "s3cr3t-value" not in str(out)
    assert 16 in out["pii_categories"]


@pytest.mark.parametrize(
    ("path", "category"),
    [
        ("client_number", 4), ("customer_status", 4), ("service_name_lv", None), ("pakalpojuma_nosaukums", 7),
        ("price", 7), ("contract_number", 8), ("līguma_numurs", 8), ("transaction_id", 9), ("darījuma_nr", 9),
        ("sms_text", 10), ("delivery_status", 10), ("invoice_number", 11), ("rēķina_numurs", 11), ("amount", 11),
        ("request_log", 12), ("user_agent", 12), ("survey_name", 13), ("aptaujas_atbilde", 13),
        ("last_login", 14), ("password_changed_at", 14), ("cctv_recording", 15), ("consent", 17),
        ("piekrišanas_datums", 17), ("call_recording", 18), ("zvana_datums", 18),
    ],
)
def test_business_categories_are_tagged_and_kept(redactor: Redactor, path: str, category: int | None) -> None:
    out = redactor.redact({path: "N-2026-7"})
    assert out[path] == "N-2026-7"
    assert out["pii_categories"] == ([category] if category else [])


@pytest.mark.parametrize(
    "path",
    ["server.address", "service.name", "host.name", "db.name", "logger_name", "file_name", "token_count", "status"],
)
def test_neutral_keys(redactor: Redactor, path: str) -> None:
    out = redactor.redact({path: "billing-api"})
    assert out == {path: "billing-api", "pii_categories": []}


def test_free_text_content_fields_are_still_scanned(redactor: Redactor) -> None:
    out = redactor.redact({"survey_answer": "zvaniet man +371 21 234 567", "message_body": "rakstiet anna@example.lv"})
    assert out["survey_answer"] == "zvaniet man [REDACTED:phone:..67]"
    assert out["message_body"] == "rakstiet [REDACTED:email]"
    assert out["pii_categories"] == [2, 10, 13]


def test_values_under_telling_keys_are_acted_on_whatever_they_look_like(redactor: Redactor) -> None:
    out = redactor.redact({"phone": "n/a", "email": 12345, "address": {"street": "Brīvības", "city": "Rīga"}})
    assert out["phone"] == "[REDACTED:phone]"
    assert out["email"] == "[REDACTED:email]"
    assert out["address"] == {"street": "[REDACTED:address]", "city": "[REDACTED:address]"}


def test_key_value_pairs_in_text_use_field_names(redactor: Redactor) -> None:
    text, categories = redactor.redact_text("user login ok vārds=Jānis Bērziņš, tālrunis: 29 123 456; parole='Ziema 2026'")
    assert "Jānis" not in text and "Bērziņš" not in text and "29 123 456" not in text and "Ziema" not in text
    assert categories == [1, 2, 14, 16]  # 14: the text names a login
