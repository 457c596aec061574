"""Every example of every category in the privacy policy's table
(``../shared/docs/data-categories.md``), in Latvian and in English, as field
names in a few spellings, tags its event with that category."""

from __future__ import annotations

import unicodedata

import pytest

from pii_tagger import Redactor

# (category, words of a field name). An example listed under several
# categories is tagged by its context: a bare address or phone is contact
# data (2); under a contact person 3, under a portal user 5, under a supplier 6.
EXAMPLES: list[tuple[int, str]] = [
    # 1 Personas identifikācijas dati
    (1, "vārds"), (1, "first name"), (1, "uzvārds"), (1, "surname"),
    (1, "personas kods"), (1, "personal code"), (1, "personal id"),
    (1, "dzimšanas datums"), (1, "date of birth"), (1, "pases nr"),
    (1, "passport no"), (1, "id numurs"), (1, "id number"),
    # 2 Personas kontaktinformācija
    (2, "adrese"), (2, "address"), (2, "tālruņa numurs"), (2, "phone number"),
    (2, "e pasta adrese"), (2, "email address"),
    # 3 Klienta kontaktpersonu dati
    (3, "kontaktpersonas vārds"), (3, "contact person first name"),
    (3, "kontaktpersonas uzvārds"), (3, "contact person surname"),
    (3, "kontaktpersonas e pasta adrese"), (3, "contact person email"),
    (3, "kontaktpersonas tālruņa numurs"), (3, "contact person phone number"),
    # 4 Klienta dati
    (4, "klienta līguma numurs"), (4, "client contract number"),
    (4, "klienta reģistrēšanas datums"), (4, "client registration date"),
    (4, "klienta statuss"), (4, "client status"),
    # 5 Portālā reģistrētie Klienta dati
    (5, "lietotāja id"), (5, "user id"), (5, "lietotāja uzvārds"), (5, "user first name"),
    (5, "user surname"), (5, "lietotāja personas kods"), (5, "user personal code"),
    (5, "lietotāja e pasta adrese"), (5, "user email"),
    (5, "lietotāja organizācijas nosaukums"), (5, "user organisation name"),
    (5, "user organization name"),
    (14, "autorizācijas dati"), (14, "authorisation data"), (14, "authorization data"),
    (12, "pieprasījumu protokoli"), (12, "request logs"),
    (7, "saņemtie pakalpojumi"), (7, "services received"),
    # 6 Piegādātāja dati
    (6, "piegādātāja numurs"), (6, "supplier number"),
    (6, "piegādātāja rēķina informācija"), (6, "supplier invoice information"),
    (6, "piegādātāja adrese"), (6, "supplier address"),
    (6, "piegādātāja bankas konta numurs"), (6, "supplier bank account number"),
    # 7 Pakalpojuma dati ("service name" alone is OpenTelemetry's service.name: neutral)
    (7, "pakalpojuma nosaukums"), (7, "service title"), (7, "pakalpojuma cena"),
    (7, "service price"), (7, "cena"), (7, "price"), (7, "atlaide"), (7, "discount"),
    (7, "atlaides beigu termiņš"), (7, "discount end date"),
    # 8 Pakalpojuma līguma dati
    (8, "līguma numurs"), (8, "contract number"), (8, "parakstīšanas datums"),
    (8, "signing date"), (8, "apstiprināšanas datums"), (8, "approval date"),
    (8, "līguma veids"), (8, "contract type"), (8, "pielikuma numurs"),
    (8, "annex number"), (8, "pielikuma datums"), (8, "annex date"),
    # 9 Darījuma dati
    (9, "darījuma numurs"), (9, "transaction number"), (9, "darījuma datums"),
    (9, "transaction date"), (9, "darījuma nosaukums"), (9, "transaction name"),
    (9, "darījuma veids"), (9, "transaction type"), (9, "darījuma statuss"),
    (9, "transaction status"), (9, "darījuma pakalpojums"), (9, "transaction service"),
    # 10 Komunikācijas dati
    (10, "ienākošā saziņa"), (10, "incoming communication"), (10, "izejošā saziņa"),
    (10, "outgoing communication"), (10, "saziņas veids"), (10, "communication type"),
    (10, "saziņas numurs"), (10, "communication number"), (10, "saziņas datums"),
    (10, "communication date"), (10, "saziņas reģistrētājs"), (10, "communication registrar"),
    (10, "saziņas saturs"), (10, "communication content"), (10, "saziņas kanāls"),
    (10, "communication channel"), (10, "piegādes statuss"), (10, "delivery status"),
    # 11 Norēķinu dati
    (11, "norēķinu sistēmas konta numurs"), (11, "billing account number"),
    (11, "bankas konta numurs"), (11, "bank account number"), (11, "rēķina numurs"),
    (11, "invoice number"), (11, "rēķina datums"), (11, "invoice date"), (11, "summa"),
    (11, "amount"), (11, "rēķina saņemšanas veids"), (11, "invoice delivery method"),
    (11, "apmaksas datums"), (11, "payment date"), (11, "parāda summa"), (11, "debt amount"),
    (11, "parāda piedziņas informācija"), (11, "debt collection information"),
    # 12 Pakalpojuma lietošanas dati
    (12, "pieprasījumu protokols"), (12, "request log"), (12, "request log id"),
    # 13 Klientu aptauju dati
    (13, "aptaujas nosaukums"), (13, "survey name"), (13, "aptaujas izsūtīšanas datums"),
    (13, "survey sent date"), (13, "atbildes sniegšanas datums"), (13, "survey answer date"),
    (13, "aptaujas jautājumi"), (13, "survey questions"), (13, "sniegtās atbildes"),
    (13, "survey answers"),
    # 14 Portālā veiktās darbības
    (14, "autorizēšanās dati"), (14, "login data"), (14, "paroles nomaiņa"),
    (14, "password change"), (14, "autorizēšanās datums"), (14, "login date"),
    (14, "autorizēšanās laiks"), (14, "login time"),
    # 15 Video dati
    (15, "videonovērošana"), (15, "cctv"), (15, "video surveillance"), (15, "videoieraksts"),
    (15, "video recording"), (15, "videokamera"), (15, "video camera"),
    (15, "ierakstīšanas datums"), (15, "recording date"),
    # 16 Pieejas dati Portālam
    (16, "lietotājvārds"), (16, "lietotājvārdi"), (16, "username"), (16, "usernames"),
    (16, "parole"), (16, "paroles"), (16, "password"), (16, "passwords"),
    # 17 Piekrišanu informācija
    (17, "piekrišanas atzīme"), (17, "consent mark"), (17, "piekrišanas datums"),
    (17, "consent date"), (17, "piekrišanas laiks"), (17, "consent time"),
    (17, "piekrišanas avots"), (17, "consent source"),
    # 18 Telefonsaruna
    (18, "telefonsarunas audio ieraksts"), (18, "call audio recording"),
    (18, "telefonsarunas ieraksts"), (18, "zvana datums"), (18, "call date"),
    (18, "zvana laiks"), (18, "call time"),
]


def _plain(text: str) -> str:
    """Without diacritics: ā -> a, š -> s."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _spellings(phrase: str) -> set[str]:
    """snake_case, camelCase, kebab-case and dotted, with and without diacritics."""
    out: set[str] = set()
    for form in {phrase, _plain(phrase)}:
        words = form.split()
        out.add("_".join(words))
        out.add(words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:]))
        out.add("-".join(words).upper() if len(words) > 1 else words[0].upper())
        out.add(".".join(words))
    return out


CASES = sorted({(category, key) for category, phrase in EXAMPLES for key in _spellings(phrase)})


def test_every_category_has_examples() -> None:
    assert {category for category, _ in EXAMPLES} == set(range(1, 19))


@pytest.mark.parametrize(("category", "key"), CASES)
def test_field_is_tagged_with_its_category(redactor: Redactor, category: int, key: str) -> None:
    assert redactor.redact({key: "sample"})["pii_categories"] == [category]


@pytest.mark.parametrize("key", ["service_name", "organization_name", "company_name", "status", "passenger", "compass",
                                 "bypass", "password_policy_version", "pass_rate"])
def test_neutral_look_alikes_are_not_tagged(redactor: Redactor, key: str) -> None:
    assert redactor.redact({key: "sample"})["pii_categories"] == []
