"""Synthetic personal values and look-alikes, in the spellings people write.

Every number with a check digit is computed with python-stdnum's algorithms:
personal codes (``stdnum.lv.pvn``), IBANs (``stdnum.iban``), cards
(``stdnum.luhn``). The name lists are this corpus's own, written for it and
kept apart from the product's lexicon and test data, so that name detection is
judged on names it was not fitted to; some are rare on purpose.
"""

from __future__ import annotations

import base64
import datetime
import json
import random
import string
from typing import NamedTuple

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.lv import pvn

GIVEN_M = ["Aivars", "Ainārs", "Arvīds", "Dainis", "Edmunds", "Gints", "Guntars", "Ivars", "Kaspars", "Klāvs",
           "Lauris", "Mareks", "Modris", "Oskars", "Ojārs", "Rihards", "Rūdolfs", "Valdis", "Vilnis", "Indulis",
           "Dzintars", "Voldemārs", "Ansis", "Krišjānis", "Eižens", "Ziedonis", "Ģirts", "Nauris", "Sergejs", "Dmitrijs"]
GIVEN_F = ["Aiga", "Baiba", "Dagnija", "Evija", "Gunta", "Ieva", "Ināra", "Kristīne", "Lelde", "Madara",
           "Marta", "Rasma", "Sarmīte", "Solvita", "Vija", "Zaiga", "Austra", "Ilona", "Liene", "Sniedze",
           "Mirdza", "Velta", "Skaidrīte", "Žermēna", "Ģertrūde", "Jeļena", "Tatjana", "Olga", "Aija", "Daina"]
# Latvian surnames in their masculine and feminine forms.
SURNAMES = [("Ozoliņš", "Ozoliņa"), ("Vanags", "Vanaga"), ("Krastiņš", "Krastiņa"), ("Sproģis", "Sproģe"),
            ("Dūmiņš", "Dūmiņa"), ("Upītis", "Upīte"), ("Priedītis", "Priedīte"), ("Lācis", "Lāce"),
            ("Vilciņš", "Vilciņa"), ("Purmalis", "Purmale"), ("Kārkliņš", "Kārkliņa"), ("Zālītis", "Zālīte"),
            ("Skujiņš", "Skujiņa"), ("Rozenbergs", "Rozenberga"), ("Freimanis", "Freimane"), ("Jurēvičs", "Jurēviča"),
            ("Cīrulis", "Cīrule"), ("Dzenis", "Dzene"), ("Grundmanis", "Grundmane"), ("Zeltkalns", "Zeltkalne"),
            ("Mežgailis", "Mežgaile"), ("Sīmanis", "Sīmane"), ("Pūpols", "Pūpola"), ("Ķirsis", "Ķirse"),
            ("Rudzītis", "Rudzīte"), ("Avotiņš", "Avotiņa"), ("Ivanovs", "Ivanova"), ("Kuzņecovs", "Kuzņecova"),
            ("Smirnovs", "Smirnova"), ("Šteinbergs", "Šteinberga")]
INTL_GIVEN = ["Oliver", "Sophie", "Mateusz", "Lukas", "Giulia", "Hiroshi", "Priya", "Ahmed", "Siobhan", "Emeka"]
INTL_SURNAMES = ["Whitfield", "Kowalczyk", "Brandauer", "Rossetti", "Takahashi", "Nguyen", "Lindqvist", "Okonkwo"]

STREETS = ["Tērbatas", "Lāčplēša", "Ganību", "Maskavas", "Ventspils", "Miera", "Skolas", "Dzelzavas",
           "Stabu", "Ūdens", "Kurzemes", "Mūkusalas", "Hospitāļu", "Vienības", "Zemgales", "Rūpniecības"]
# (nominative, locative) of towns; the locative is how a Latvian sentence says "in Rīga".
TOWNS = [("Rīga", "Rīgā", "LV-10"), ("Jelgava", "Jelgavā", "LV-30"), ("Liepāja", "Liepājā", "LV-34"),
         ("Valmiera", "Valmierā", "LV-42"), ("Cēsis", "Cēsīs", "LV-41"), ("Ogre", "Ogrē", "LV-50"),
         ("Sigulda", "Siguldā", "LV-21"), ("Jūrmala", "Jūrmalā", "LV-20")]
PLACES = ["Rīga", "Jūrmala", "Daugavpils", "Ventspils", "Rēzekne", "Tukums", "Kuldīga", "Brīvības iela", "Vecrīga"]
COMPANIES = ["SIA Zaļā Sala", "AS Baltijas Koks", "SIA Ziemeļu Loģistika", "SIA Dzintara Krasts", "AS Rīgas Tilts",
             "SIA Meža Dati", "SIA Latgales Maize", "AS Kurzemes Enerģija"]
PRODUCTS = ["Premium Plus", "Biznesa Pro", "Datu Eksports XL", "Kredītreitings", "Starter Mēnesis", "API Gold"]
EMAIL_DOMAINS = ["inbox.lv", "gmail.com", "outlook.com", "apollo.lv", "one.lv", "mail.ru", "icloud.com"]
BANKS = ["HABA", "UNLA", "RIKO", "PARX", "NDEA", "BATR", "LHVB", "CITA"]
PUBLIC_NETS = ["85.254", "87.110", "159.148", "212.93", "46.109", "78.84", "195.13", "89.201", "91.105"]
MONTHS_LV = ["janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā",
             "septembrī", "oktobrī", "novembrī", "decembrī"]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0",
    "okhttp/4.12.0",
    "python-requests/2.32.3",
]
ASCII = str.maketrans("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ", "acegiklnsuzACEGIKLNSUZ")


class Person(NamedTuple):
    given: str
    surname: str
    female: bool
    latvian: bool


def dative(word: str, female: bool) -> str:
    """A Latvian name in the dative ("klientam Aivaram Vanagam"), by its ending."""
    if female:
        return word[:-1] + ("ai" if word.endswith("a") else "ei") if word[-1] in "ae" else word
    for ending, new in (("is", "im"), ("š", "am"), ("s", "am")):
        if word.endswith(ending):
            return word[: -len(ending)] + new
    return word


class Values:
    """Makes values from one seeded random source, so a corpus is reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items):  # type: ignore[no-untyped-def]
        return self.rng.choice(items)

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    # --- people -----------------------------------------------------------
    def person(self) -> Person:
        r = self.rng.random()
        female = self.rng.random() < 0.5
        if r < 0.85:
            given = self.pick(GIVEN_F if female else GIVEN_M)
            surname = self.pick(SURNAMES)[1 if female else 0]
            return Person(given, surname, female, True)
        return Person(self.pick(INTL_GIVEN), self.pick(INTL_SURNAMES), female, False)

    def name(self, p: Person) -> str:
        """A full name as people type it: usual, ALL CAPS, surname first, lower case, ASCII-folded."""
        r = self.rng.random()
        if r < 0.55:
            return f"{p.given} {p.surname}"
        if r < 0.67:
            return f"{p.given} {p.surname}".upper()
        if r < 0.79:
            return f"{p.surname} {p.given}"
        if r < 0.86:
            return f"{p.surname.upper()}, {p.given}"
        if r < 0.93:
            return f"{p.given} {p.surname}".translate(ASCII)
        return f"{p.given} {p.surname}".lower()

    def email(self, p: Person) -> str:
        g, s = p.given.translate(ASCII).lower(), p.surname.translate(ASCII).lower()
        local = self.pick([f"{g}.{s}", f"{g[0]}.{s}", f"{g}{s}{self.rng.randint(70, 99)}", f"{s}.{g}", f"{g}_{s}",
                           f"{g}.{s}+rekini"])
        email = f"{local}@{self.pick(EMAIL_DOMAINS)}"
        return email.upper() if self.rng.random() < 0.05 else email

    def username(self, p: Person) -> str:
        g, s = p.given.translate(ASCII).lower(), p.surname.translate(ASCII).lower()
        return self.pick([f"{g}.{s}", f"{g[0]}{s}", f"{g}{self.rng.randint(70, 99)}", f"{s}_{g[0]}", f"{g}.{s[0]}"])

    # --- identity numbers -------------------------------------------------
    def birth_date(self) -> datetime.date:
        return datetime.date(1940, 1, 1) + datetime.timedelta(days=self.rng.randrange(365 * 66))

    def personal_code(self, born: datetime.date | None = None) -> str:
        """Old (DDMMYY-CNNNN, C the century) or new (32NNNN-NNNNN) format, in a random spelling."""
        if born is not None or self.rng.random() < 0.65:
            born = born or self.birth_date()
            century = {18: "0", 19: "1", 20: "2"}[born.year // 100]
            body = born.strftime("%d%m%y") + century + self.digits(3)
        else:
            body = "32" + self.digits(8)
        code = body + pvn.calc_check_digit_pers(body)
        sep = self.pick(["-", "-", "-", "", " ", "\u2013"])
        return code[:6] + sep + code[6:]

    def date_of_birth(self, born: datetime.date) -> str:
        fmt = self.rng.random()
        if fmt < 0.35:
            return born.isoformat()
        if fmt < 0.65:
            return born.strftime("%d.%m.%Y")
        if fmt < 0.75:
            return f"{born.day}.{born.month}.{born.year}"
        if fmt < 0.85:
            return born.strftime("%d/%m/%Y")
        return f"{born.year}. gada {born.day}. {MONTHS_LV[born.month - 1]}"

    def document(self) -> str:
        prefix = self.pick(["PA", "PA", "LV", "LA", "LB"])
        number = prefix + self.digits(7)
        return self.pick([number, number, f"{prefix} {number[2:]}", number.lower()])

    # --- accounts ---------------------------------------------------------
    def iban(self) -> str:
        if self.rng.random() < 0.85:
            raw = "LV00" + self.pick(BANKS) + self.digits(13)
        else:
            raw = self.pick(["LT00" + self.digits(16), "EE00" + self.digits(16), "DE00" + self.digits(18)])
        number = raw[:2] + std_iban.calc_check_digits(raw) + raw[4:]
        grouped = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
        return self.pick([number, number, grouped, grouped, number.lower(), grouped.replace(" ", "-")])

    def card(self) -> str:
        start, length = self.pick([("4", 16), ("4", 16), ("5" + self.pick("12345"), 16), ("2221", 16), ("37", 15)])
        body = start + self.digits(length - len(start) - 1)
        number = body + luhn.calc_check_digit(body)
        if length == 15:
            spaced = f"{number[:4]} {number[4:10]} {number[10:]}"
        else:
            spaced = " ".join(number[i:i + 4] for i in range(0, 16, 4))
        return self.pick([number, spaced, spaced, spaced.replace(" ", "-")])

    def phone(self) -> str:
        national = self.pick(["2", "2", "2", "6"]) + (self.digits(7) if self.rng.random() < 0.7 else
                                                     self.pick(["7", "6", "5"]) + self.digits(6))
        n = national
        return self.pick([f"+371 {n}", f"+371{n}", f"371{n}", n, f"{n[:4]} {n[4:]}", f"+371 {n[:2]} {n[2:5]} {n[5:]}",
                          f"(+371) {n}", f"00371 {n}", f"+371-{n[:4]}-{n[4:]}", f"+371 {n[:3]} {n[3:5]} {n[5:]}"])

    def address(self, inflected: bool = False) -> str:
        street, (town, town_loc, post) = self.pick(STREETS), self.pick(TOWNS)
        number = str(self.rng.randint(1, 140)) + self.pick(["", "", "", "a", "k-2", "-" + str(self.rng.randint(1, 90))])
        postcode = post + self.digits(2)
        if inflected:  # "uz Tērbatas ielu 14, Rīgā" / "dzīvo Tērbatas ielā 14, Rīgā"
            return f"{street} {self.pick(['ielu', 'ielā'])} {number}, {town_loc}"
        return self.pick([f"{street} iela {number}, {town}, {postcode}", f"{street} iela {number}, {town}",
                          f"{street} iela {number}, {postcode} {town}", f"{street} {number}, {town}",
                          f"{street} iela {number}, {town.upper()}, {postcode}"])

    def ip(self) -> str:
        if self.rng.random() < 0.12:
            return f"2a02:{self.rng.randrange(0x1000, 0xffff):x}:{self.rng.randrange(0x100, 0xffff):x}::{self.rng.randrange(1, 0xffff):x}"
        return f"{self.pick(PUBLIC_NETS)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"

    # --- secrets ----------------------------------------------------------
    def password(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            word = self.pick(["Pavasaris", "Zilonis", "Mežs", "Saulite", "Kaķis", "Dzintars", "Summer", "Welcome"])
            return f"{word}{self.pick(['#', '!', '_', '@', ''])}{self.rng.randint(1, 2026)}"
        alphabet = string.ascii_letters + string.digits + "!#%&*+?"
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(9, 16)))

    def token(self) -> str:
        r = self.rng.random()
        alnum = string.ascii_letters + string.digits
        rand = lambda n: "".join(self.rng.choice(alnum) for _ in range(n))  # noqa: E731
        if r < 0.4:
            def b64(obj: object) -> str:
                return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
            payload = {"sub": self.digits(6), "iat": 1764000000 + self.rng.randrange(10**6), "jti": rand(10)}
            return f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64(payload)}.{rand(43)}"
        if r < 0.6:
            return "sk_live_" + rand(28)
        if r < 0.75:
            return "ghp_" + rand(36)
        if r < 0.85:
            return "AKIA" + "".join(self.rng.choice(string.ascii_uppercase + string.digits) for _ in range(16))
        return rand(40)

    def otp(self) -> str:
        return self.digits(self.pick([4, 6, 6, 6, 8]))

    # --- look-alikes ------------------------------------------------------
    def order_number(self) -> str:
        return self.pick([f"ORD-2026-{self.digits(6)}", f"#{self.rng.randint(100000, 999999)}", f"P{self.digits(8)}",
                          f"2026/11/{self.digits(4)}"])

    def invoice_number(self) -> str:
        return self.pick([f"RĒĶ-2026-{self.digits(5)}", f"INV-{self.digits(6)}", f"R2026-{self.digits(4)}",
                          f"LRS{self.digits(7)}"])

    def contract_number(self) -> str:
        return self.pick([f"L-2026/{self.digits(3)}", f"LĪG-{self.digits(5)}", f"CN{self.digits(6)}"])

    def amount(self) -> str:
        euros, cents = self.rng.randint(1, 4999), self.rng.randint(0, 99)
        return self.pick([f"{euros}.{cents:02d}", f"{euros},{cents:02d} EUR", f"€{euros}.{cents:02d}",
                          f"{euros:,}.{cents:02d} EUR".replace(",", " ")])

    def moment(self) -> datetime.datetime:
        return datetime.datetime(2026, 11, 25, 6) + datetime.timedelta(seconds=self.rng.randrange(86400 * 3))

    def timestamp(self) -> str:
        t = self.moment()
        return self.pick([t.strftime("%Y-%m-%dT%H:%M:%S.") + self.digits(3) + "Z", t.strftime("%d.%m.%Y %H:%M"),
                          str(int(t.replace(tzinfo=datetime.timezone.utc).timestamp())),
                          t.strftime("%a, %d %b %Y %H:%M:%S GMT"), t.strftime("%Y-%m-%d %H:%M:%S,") + self.digits(3)])

    def date(self) -> str:
        d = datetime.date(2026, 1, 1) + datetime.timedelta(days=self.rng.randrange(730))
        return self.pick([d.isoformat(), d.strftime("%d.%m.%Y")])

    def duration(self) -> str:
        return self.pick([f"{self.rng.randint(1, 9000)}ms", f"{self.rng.random() * 9:.3f}s", f"PT{self.rng.randint(1, 9)}M{self.rng.randint(0, 59)}S",
                          f"{self.rng.randint(1, 900)} ms"])

    def version(self) -> str:
        a, b, c, d = (self.rng.randint(0, 20) for _ in range(4))
        return self.pick([f"{a}.{b}.{c}.{d}", f"v{a}.{b}.{c}", f"{a}.{b}.{c}", f"{a}.{b}.{c}-rc.{d}"])

    def user_agent(self) -> str:
        return self.pick(USER_AGENTS)

    def company_reg_no(self) -> str:
        """A valid legal-entity number (first digit 4 or 5, checksum 3): a company, not a person."""
        while True:
            body = self.pick(["4000", "4010", "5000", "4020"]) + self.digits(6)
            for last in string.digits:
                if pvn.checksum(body + last) == 3:
                    return body + last

    def reference_number(self) -> str:
        """Eleven digits that are no personal code or company number (stdnum rejects them)."""
        while True:
            number = self.pick(["7", "9", "8"]) + self.digits(10)
            if not pvn.is_valid(number):
                return number

    def tracking_number(self) -> str:
        """Sixteen digits that fail the Luhn check (a parcel or batch number, not a card)."""
        while True:
            number = self.pick(["4", "5"]) + self.digits(15)
            if not luhn.is_valid(number):
                return number

    def internal_ip(self) -> str:
        return self.pick([f"10.{self.rng.randint(0, 255)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}",
                          f"192.168.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}",
                          f"172.{self.rng.randint(16, 31)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}",
                          "127.0.0.1", f"169.254.{self.rng.randint(1, 254)}.{self.rng.randint(1, 254)}"])

    def uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def trace_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def span_id(self) -> str:
        return f"{self.rng.getrandbits(64):016x}"

    def postal_code(self) -> str:
        return self.pick(TOWNS)[2] + self.digits(2)
