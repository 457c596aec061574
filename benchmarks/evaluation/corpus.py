"""A deterministic, labelled evaluation corpus of log events.

Each case is one event as a Latvian service's structlog or JSON logs hold it,
with its labels::

    {"id": "e000017",
     "event": {...},
     "planted":    [{"kind": "phone", "value": "+371 29123456", "categories": [2], "allowed": [3, 5]}],
     "lookalikes": [{"kind": "order_number", "value": "ORD-2026-004512"}],
     "categories": [2, 9],     # the event must be tagged with each of these
     "allowed":    [3, 5, 12]} # tags that are not wrong either (context-dependent)

``planted`` values are personal data that must not survive; ``lookalikes``
must come out unchanged. ``categories`` of a planted value are the ones its
context calls for (a contact person's phone: 3); the event's ``categories``
are those plus the business categories its field names and event name call
for (an invoice number: 11, a login: 14). About half the events hold no
personal data, as in real logs. ``generate(n, seed)`` is reproducible.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .values import COMPANIES, PLACES, PRODUCTS, Person, Values, dative

Case = dict[str, Any]
KINDS = ("name", "personal_code", "phone", "email", "iban", "card", "address", "date_of_birth", "document", "ip",
         "username", "password", "token", "otp")
PERSONAL = (1, 2, 3, 5)  # an identifier or contact value is never wrongly tagged with any of these


class LabelError(ValueError):
    """A case's labels do not match its event."""


def render(obj: Any) -> str:
    """The JSON rendering that leaks and look-alikes are looked for in."""
    return json.dumps(obj, ensure_ascii=False, default=repr)


def escaped(value: str) -> str:
    """``value`` as it appears inside a JSON string."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def validate(case: Case) -> None:
    """Raise :class:`LabelError` unless every label fits the event."""
    cid = case.get("id", "?")
    for field in ("event", "planted", "lookalikes", "categories"):
        if field not in case:
            raise LabelError(f"case {cid}: missing {field!r}")
    text = render(case["event"])
    for p in case["planted"]:
        if p.get("kind") not in KINDS:
            raise LabelError(f"case {cid}: planted kind {p.get('kind')!r} is not one of {', '.join(KINDS)}")
        if not p.get("categories") or not all(isinstance(c, int) and 1 <= c <= 18 for c in p["categories"]):
            raise LabelError(f"case {cid}: planted {p['value']!r} needs categories (numbers 1-18)")
        if escaped(p["value"]) not in text:
            raise LabelError(f"case {cid}: planted {p['kind']} value {p['value']!r} does not occur in the event")
    rest = text
    for p in sorted(case["planted"], key=lambda p: -len(p["value"])):
        rest = rest.replace(escaped(p["value"]), "\x00")
    for look in case["lookalikes"]:
        if escaped(look["value"]) not in rest:
            raise LabelError(f"case {cid}: look-alike {look['kind']} {look['value']!r} does not occur in the event "
                             "outside the planted values")
    required = {c for p in case["planted"] for c in p["categories"]}
    if not required <= set(case["categories"]):
        raise LabelError(f"case {cid}: event categories {case['categories']} lack {sorted(required - set(case['categories']))}")


def load(path: str | Path) -> list[Case]:
    """Read a JSON-lines corpus and validate every case."""
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            case = json.loads(line)
            case.setdefault("id", f"{Path(path).name}:{n}")
            case.setdefault("allowed", [])
            for p in case["planted"]:
                p.setdefault("allowed", [])
            validate(case)
            cases.append(case)
    return cases


def dump(cases: Iterable[Case], path: str | Path) -> None:
    Path(path).write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")


# --- building one case ------------------------------------------------------

class Draft:
    """Collects an event's labels while a template builds it."""

    def __init__(self, v: Values) -> None:
        self.v = v
        self.planted: list[dict[str, Any]] = []
        self.lookalikes: list[dict[str, Any]] = []
        self.required: set[int] = set()
        self.allowed: set[int] = set()

    def pii(self, kind: str, value: str, cats: Iterable[int], allowed: Iterable[int] = PERSONAL) -> str:
        cats = sorted(set(cats))
        self.planted.append({"kind": kind, "value": value, "categories": cats,
                             "allowed": sorted(set(allowed) - set(cats))})
        return value

    def keep(self, kind: str, value: Any) -> Any:
        self.lookalikes.append({"kind": kind, "value": str(value)})
        if kind == "internal_ip":  # issue 12: private addresses are kept, and tagging them 12 is not wrong
            self.allowed.add(12)
        return value

    def tag(self, *cats: int) -> None:
        self.required.update(cats)

    def allow(self, *cats: int) -> None:
        self.allowed.update(cats)

    def key(self, en: str, lv: str | None = None) -> str:
        """A field name in one of the spelling styles services use: ``en`` and ``lv`` are snake_case."""
        words = (lv if lv and self.v.rng.random() < 0.3 else en).split("_")
        if lv and self.v.rng.random() < 0.15:
            words = [w.translate(str.maketrans("āčēģīķļņšūž", "acegiklnsuz")) for w in words]
        style = self.v.rng.random()
        if style < 0.45:
            return "_".join(words)
        if style < 0.65:
            return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])
        if style < 0.75:
            return "-".join(words)
        if style < 0.85:
            return "_".join(words).upper()
        return ".".join(words)

    def base(self, event: str, logger: str) -> dict[str, Any]:
        v = self.v
        return {"event": event, "level": v.pick(["info", "info", "warning", "error"]), "logger": logger,
                "timestamp": self.keep("timestamp", v.moment().strftime("%Y-%m-%dT%H:%M:%S.") + v.digits(6) + "Z"),
                "trace_id": self.keep("trace_id", v.trace_id())}

    def case(self, cid: str, event: dict[str, Any]) -> Case:
        required = self.required | {c for p in self.planted for c in p["categories"]}
        allowed = (self.allowed | {c for p in self.planted for c in p["allowed"]}) - required
        return {"id": cid, "event": event, "planted": self.planted, "lookalikes": self.lookalikes,
                "categories": sorted(required), "allowed": sorted(allowed)}


def _full_name(d: Draft, p: Person, cats: Iterable[int]) -> str:
    return d.pii("name", d.v.name(p), cats)


# --- templates with personal data ---------------------------------------------

def customer_update(d: Draft) -> dict[str, Any]:
    v = d.v
    p, born = v.person(), v.birth_date()
    ev = d.base(v.pick(["customer updated", "klienta dati atjaunoti", "customer.profile.saved"]), "crm.customers")
    customer: dict[str, Any] = {d.key("customer_id", "klienta_id"): d.keep("uuid", v.uuid())}
    if v.rng.random() < 0.5:
        customer[d.key("first_name", "vārds")] = d.pii("name", p.given, [1])
        customer[d.key("last_name", "uzvārds")] = d.pii("name", p.surname, [1])
    else:
        customer[d.key("full_name", "vārds_uzvārds")] = _full_name(d, p, [1])
    customer[d.key("personal_code", "personas_kods")] = d.pii("personal_code", v.personal_code(born), [1])
    if v.rng.random() < 0.5:
        customer[d.key("birth_date", "dzimšanas_datums")] = d.pii("date_of_birth", v.date_of_birth(born), [1])
    customer[d.key("phone", "tālrunis")] = d.pii("phone", v.phone(), [2])
    customer[d.key("email", "e_pasts")] = d.pii("email", v.email(p), [2])
    customer[d.key("address", "adrese")] = d.pii("address", v.address(), [1, 2] if v.rng.random() < 0.3 else [2])
    customer[d.key("registered", "reģistrēts")] = d.keep("date", v.date())
    customer["status"] = v.pick(["active", "aktīvs", "suspended"])
    d.tag(4)
    ev[v.pick(["customer", "klients", "client", "data"])] = customer
    ev[d.key("contract_no", "līguma_nr")] = d.keep("contract_number", v.contract_number())
    d.tag(4)
    d.allow(8)
    return ev


def http_access(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    route = v.pick(["/api/v2/customers", "/lv/profils", "/api/v1/search", "/portal/invoices"])
    query = v.pick(["email", "q", "phone", "personas_kods"])
    value = {"email": v.email(p), "q": v.name(p), "phone": v.phone().replace(" ", "").replace("+", ""),
             "personas_kods": v.personal_code()}[query]
    kind = {"email": "email", "q": "name", "phone": "phone", "personas_kods": "personal_code"}[query]
    d.pii(kind, value, [12, 1 if kind in ("name", "personal_code") else 2], allowed=(*PERSONAL, 5))
    url_value = value.replace(" ", "+")
    if url_value != value:  # the planted value is the URL's spelling of it
        d.planted[-1]["value"] = url_value
    page = v.rng.randint(1, 9)
    ev = d.base(f"GET {route}", "http.access")
    ev.update({
        "http.request.method": "GET",
        "url.full": f"https://portal.example.lv{route}?{query}={url_value}&page={page}",
        "http.response.status_code": d.keep("status_code", v.pick([200, 200, 404, 302])),
        "client.address": d.pii("ip", v.ip(), [12], allowed=(5, 14)),
        "user_agent.original": d.keep("user_agent", v.user_agent()),
        "server.address": d.keep("internal_ip", v.internal_ip()),
        "duration_ms": v.rng.randint(3, 900),
    })
    if v.rng.random() < 0.5:
        ev["user.email"] = d.pii("email", v.email(p), [5], allowed=(2,))
    d.tag(12)
    return ev


def login(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    name = v.pick(["user logged in", "login failed", "lietotājs pieslēdzās", "autorizācija neizdevās",
                   "password changed", "paroles maiņa", "logout"])
    ev = d.base(name, "portal.auth")
    ev[d.key("username", "lietotājvārds")] = d.pii("username", v.username(p), [16], allowed=(5, 14))
    ev[v.pick(["ip", "remote_addr", "client.address", "ip_adrese"])] = d.pii("ip", v.ip(), [12], allowed=(5, 14, 16))
    ev[d.key("user_agent")] = d.keep("user_agent", v.user_agent())
    if "password" in name or "paroles" in name or v.rng.random() < 0.25:
        ev[v.pick(["password", "new_password", "pass", "pw", "parole", "jaunā_parole", "newPass"])] = d.pii(
            "password", v.password(), [16], allowed=(5, 14))
    ev["attempt"] = v.rng.randint(1, 3)
    d.tag(14)
    d.allow(5, 16)
    return ev


def free_text_lv(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    ev = d.base(v.pick(["support ticket", "zvana piezīme", "note added"]), "support.tickets")
    name = d.pii("name", f"{p.given} {p.surname}" if v.rng.random() < 0.6 else f"{p.given} {p.surname}".upper(), [1])
    code = d.pii("personal_code", v.personal_code(), [1])
    phone = d.pii("phone", v.phone(), [2])
    addr = d.pii("address", v.address(inflected=True), [2], allowed=(1, 3, 5))
    order = d.keep("order_number", v.order_number())
    text = v.pick([
        f"Klients {name} (p.k. {code}) zvanīja no {phone}, lūdz mainīt piegādes adresi uz {addr}. Pasūtījums {order}.",
        f"Zvanīja {name}, personas kods {code}, tālr. {phone}. Dzīvo {addr}; jautāja par pasūtījumu {order}.",
        f"{name} ({code}) lūdz atzvanīt uz {phone} par pasūtījumu {order}, adrese {addr}.",
    ])
    if v.rng.random() < 0.3 and p.latvian:  # the name inflected, as a Latvian sentence has it
        d.planted[0]["value"] = f"{dative(p.given, p.female)} {dative(p.surname, p.female)}"
        text = (f"Nosūtīts atgādinājums klient{'ei' if p.female else 'am'} {d.planted[0]['value']} uz {phone}; "
                f"p.k. {code}, adrese {addr}, pasūtījums {order}.")
    ev[v.pick(["message", "ziņa", "note", "piezīme", "comment"])] = text
    ev["ticket"] = d.keep("order_number", f"T-{v.digits(6)}")
    d.allow(10, 18, 9)
    return ev


def free_text_en(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    ev = d.base("support ticket", "support.tickets")
    who = f"{p.given} {p.surname}" if v.rng.random() < 0.5 else f"{v.pick(['Mr', 'Mrs', 'Ms'])} {p.surname}"
    name = d.pii("name", who, [1])
    email = d.pii("email", v.email(p), [2])
    invoice = d.keep("invoice_number", v.invoice_number())
    amount = d.keep("amount", v.amount())
    company = d.keep("company", v.pick(COMPANIES))
    text = v.pick([
        f"Customer {name} wrote from {email} disputing invoice {invoice} of {amount}; works at {company}.",
        f"Refund of {amount} for invoice {invoice} requested by {name} <{email}> ({company}).",
        f"Escalated: {name} ({email}) says {company} was charged twice, {amount}, invoice {invoice}.",
    ])
    ev["message"] = text
    d.tag(11)
    d.allow(10, 9, 4)
    return ev


def key_value_text(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    user = d.pii("username", v.username(p), [16], allowed=(5, 14))
    pw = d.pii("password", v.password(), [16], allowed=(5, 14))
    ip = d.pii("ip", v.ip(), [12], allowed=(5, 14, 16))
    took = d.keep("duration", v.duration())
    status = d.keep("status_code", v.pick(["200", "401", "403"]))
    line = v.pick([
        f"auth attempt user={user} {v.pick(['pass', 'password', 'pwd', 'psw'])}={pw} ip={ip} status={status} took={took}",
        f"login={user} {v.pick(['passwd', 'parole', 'pw'])}={pw} remote={ip} result={status} elapsed={took}",
    ])
    ev = d.base("legacy gateway line", "gateway.legacy")
    ev["raw"] = line
    d.tag(14)
    d.allow(12)
    return ev


def json_in_string(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    body = {"vards": d.pii("name", p.given, [1]), "uzvards": d.pii("name", p.surname, [1]),
            "epasts": d.pii("email", v.email(p), [2]), "iban": d.pii("iban", v.iban(), [11], allowed=(*PERSONAL, 6)),
            "summa": d.keep("amount", v.amount()), "rekins": d.keep("invoice_number", v.invoice_number())}
    ev = d.base("webhook received", "payments.webhook")
    compact = v.rng.random() < 0.3
    ev[v.pick(["payload", "body", "request_body", "raw_json"])] = json.dumps(
        body, ensure_ascii=False, separators=(",", ":") if compact else None)
    ev["provider"] = d.keep("company", v.pick(COMPANIES))
    d.tag(11)
    return ev


def traceback_event(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    email = d.pii("email", v.email(p), [2])
    name = d.pii("name", f"{p.given} {p.surname}", [1])
    card = d.pii("card", v.card(), [11], allowed=PERSONAL)
    line = v.rng.randint(20, 400)
    exc = ("Traceback (most recent call last):\n"
           f'  File "/srv/app/billing/charge.py", line {line}, in charge\n'
           "    gateway.charge(customer, amount)\n"
           f"ValueError: card {card} declined for Customer(name='{name}', email='{email}', tier='gold')")
    ev = d.base("charge failed", "billing.charge")
    ev["exception"] = exc
    ev["amount"] = d.keep("amount", v.amount())
    ev["version"] = d.keep("version", v.version())
    d.tag(11)
    d.allow(9)
    return ev


def sql_event(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    name = d.pii("name", f"{p.given} {p.surname}", [1])
    email = d.pii("email", v.email(p), [2])
    phone = d.pii("phone", v.phone(), [2])
    took = d.keep("duration", v.duration())
    stmt = v.pick([
        f"INSERT INTO customers (name, email, phone) VALUES ('{name}', '{email}', '{phone}')",
        f"UPDATE klienti SET talrunis = '{phone}', epasts = '{email}' WHERE vards_uzvards = '{name}'",
    ])
    ev = d.base("slow query", "sqlalchemy.engine")
    ev.update({"db.statement": stmt, "db.system": "postgresql", "duration": took,
               "db.host": d.keep("internal_ip", v.internal_ip())})
    return ev


def contact_person(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    ev = d.base(v.pick(["client contact added", "kontaktpersona pievienota"]), "crm.clients")
    contact = {d.key("name", "vārds"): _full_name(d, p, [3]),
               d.key("phone", "tālrunis"): d.pii("phone", v.phone(), [3]),
               d.key("email", "e_pasts"): d.pii("email", v.email(p), [3])}
    ev[d.key("client", "klients")] = {
        d.key("company_name", "nosaukums"): d.keep("company", v.pick(COMPANIES)),
        d.key("reg_no", "reģ_nr"): d.keep("company_reg_no", v.company_reg_no()),
        d.key("contact_person", "kontaktpersona"): contact,
    }
    d.allow(4)
    return ev


def recipients_list(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["newsletter sent", "sms sent", "paziņojums nosūtīts"]), "notify.outbox")
    people = [v.person() for _ in range(v.rng.randint(2, 3))]
    ev[v.pick(["recipients", "saņēmēji", "contacts", "clients"])] = [
        {"name": _full_name(d, p, [2]), "email": d.pii("email", v.email(p), [2])} for p in people]
    ev[v.pick(["phones", "msisdn"])] = [d.pii("phone", v.phone(), [2]) for _ in range(2)]
    ev["channel"] = v.pick(["sms", "email"])
    ev["delivery_status"] = v.pick(["delivered", "queued"])
    d.tag(10)
    return ev


def otp_event(d: Draft) -> dict[str, Any]:
    v = d.v
    code = d.pii("otp", v.otp(), [16], allowed=(14, 10))
    phone = d.pii("phone", v.phone(), [2], allowed=(*PERSONAL, 10, 16))
    ev = d.base(v.pick(["sms sent", "otp issued"]), "notify.sms")
    ev["to"] = phone
    ev[v.pick(["text", "body", "message"])] = v.pick([
        f"Jūsu verifikācijas kods: {code}", f"Your login code is {code}", f"Kods {code}. Neizpaudiet to nevienam.",
        f"OTP: {code} (derīgs 5 min)"])
    ev["provider_message_id"] = d.keep("uuid", v.uuid())
    d.tag(10)
    d.allow(14)
    return ev


def token_event(d: Draft) -> dict[str, Any]:
    v = d.v
    tok = d.pii("token", v.token(), [16], allowed=(5, 14))
    ev = d.base("outbound request", "http.client")
    where = v.rng.random()
    if where < 0.4:
        ev["http.request.header.authorization"] = f"Bearer {tok}"
    elif where < 0.7:
        ev[d.key("api_key", "api_atslēga")] = tok
    else:
        ev["url.full"] = f"https://api.partner.example/v1/reports?access_token={tok}&format=json"
    ev["http.response.status_code"] = d.keep("status_code", v.pick([200, 201, 401]))
    ev["server.address"] = d.keep("internal_ip", v.internal_ip())
    ev["duration"] = d.keep("duration", v.duration())
    d.allow(12)
    return ev


def document_event(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    born = v.birth_date()
    doc = d.pii("document", v.document(), [1])
    dob = d.pii("date_of_birth", v.date_of_birth(born), [1])
    name = d.pii("name", v.name(p), [1])
    ev = d.base(v.pick(["identity verified", "identitāte pārbaudīta", "kyc check"]), "kyc.verify")
    if v.rng.random() < 0.5:
        ev[d.key("document_number", "dokumenta_nr")] = doc
        ev[d.key("date_of_birth", "dzimšanas_datums")] = dob
        ev[d.key("holder", "īpašnieks")] = name
    else:
        ev["message"] = v.pick([f"{name}, dzimis {dob}, uzrādīja pasi {doc}",
                                f"Verified {name} (born {dob}), ID card {doc}",
                                f"Pārbaudīts: {name}, dzimšanas datums {dob}, ID karte {doc}"])
    ev["valid_until"] = d.keep("date", v.date())
    return ev


def supplier_payment(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    ev = d.base(v.pick(["supplier invoice paid", "piegādātāja rēķins apmaksāts"]), "erp.payables")
    ev[d.key("supplier", "piegādātājs")] = {
        d.key("supplier_no", "piegādātāja_nr"): d.keep("order_number", f"S{v.digits(5)}"),
        "name": d.keep("company", v.pick(COMPANIES)),
        d.key("bank_account", "konta_numurs"): d.pii("iban", v.iban(), [6], allowed=(11, *PERSONAL)),
        d.key("contact", "kontakts"): _full_name(d, p, [3]),
    }
    d.planted[-1]["allowed"] = sorted(set(d.planted[-1]["allowed"]) | {6})
    ev[d.key("invoice_no", "rēķina_nr")] = d.keep("invoice_number", v.invoice_number())
    ev[d.key("amount", "summa")] = d.keep("amount", v.amount())
    d.tag(6, 11)
    return ev


def card_payment(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    ev = d.base(v.pick(["payment authorised", "maksājums apstiprināts"]), "payments.cards")
    ev["payment"] = {d.key("card_number", "kartes_numurs"): d.pii("card", v.card(), [11]),
                     d.key("cardholder", "kartes_īpašnieks"): _full_name(d, p, [1]),
                     d.key("amount", "summa"): d.keep("amount", v.amount()),
                     d.key("transaction_id", "darījuma_id"): d.keep("uuid", v.uuid()),
                     d.key("order_id", "pasūtījuma_nr"): d.keep("order_number", v.order_number())}
    d.planted[-1]["allowed"] = sorted(set(d.planted[-1]["allowed"]) | {11})
    d.tag(9, 11)
    return ev


def call_recording(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["call recorded", "zvans ierakstīts"]), "telephony.calls")
    ev[d.key("caller", "zvanītājs")] = d.pii("phone", v.phone(), [2], allowed=(*PERSONAL, 18))
    ev[d.key("recording_file", "ieraksta_fails")] = d.keep("trace_id", f"rec-{v.trace_id()[:12]}") + ".wav"
    ev["duration"] = d.keep("duration", v.duration())
    d.tag(18)
    return ev


def consent_event(d: Draft) -> dict[str, Any]:
    v = d.v
    p = v.person()
    ev = d.base(v.pick(["consent given", "piekrišana saņemta", "marketing consent withdrawn"]), "crm.consent")
    ev["user.email"] = d.pii("email", v.email(p), [5], allowed=(2, 17))
    ev[d.key("consent", "piekrišana")] = {"marketing": v.rng.random() < 0.7, "source": v.pick(["web", "app", "call"]),
                                          "at": d.keep("timestamp", v.timestamp())}
    d.tag(17)
    return ev


PERSONAL_TEMPLATES: list[tuple[Callable[[Draft], dict[str, Any]], int]] = [
    (customer_update, 6), (http_access, 8), (login, 7), (free_text_lv, 5), (free_text_en, 4), (key_value_text, 3),
    (json_in_string, 3), (traceback_event, 3), (sql_event, 3), (contact_person, 4), (recipients_list, 3),
    (otp_event, 3), (token_event, 4), (document_event, 3), (supplier_payment, 3), (card_payment, 3),
    (call_recording, 2), (consent_event, 2),
]


# --- templates without personal data -----------------------------------------

def health(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["health check ok", "cache miss", "job done", "Retrying connection", "Savienojums atjaunots"]),
                "infra")
    ev["name"] = d.keep("service_name", v.pick(["billing-service", "crm-api", "notify-worker", "portal-web"]))
    ev[d.key("host", "serveris")] = d.keep("internal_ip", v.internal_ip())
    ev["version"] = d.keep("version", v.version())
    ev["uptime"] = d.keep("duration", v.duration())
    return ev


def access_internal(d: Draft) -> dict[str, Any]:
    v = d.v
    route = v.pick(["/healthz", "/api/v2/invoices/{id}", "/metrics", "/lv/pakalpojumi"])
    ev = d.base(f"GET {route}", "http.access")
    ev.update({"http.route": route, "http.response.status_code": d.keep("status_code", v.pick([200, 204, 304, 503])),
               "client.address": d.keep("internal_ip", v.internal_ip()),
               "user_agent.original": d.keep("user_agent", v.user_agent()),
               "span_id": d.keep("trace_id", v.span_id()),
               "request_id": d.keep("uuid", v.uuid()),
               "duration": d.keep("duration", v.duration())})
    d.allow(12)
    return ev


def order_processed(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["order processed", "pasūtījums apstrādāts"]), "shop.orders")
    ev[d.key("order_id", "pasūtījuma_nr")] = d.keep("order_number", v.order_number())
    ev[d.key("transaction_no", "darījuma_nr")] = d.keep("order_number", f"TX{v.digits(9)}")
    ev[d.key("total", "summa")] = d.keep("amount", v.amount())
    ev[d.key("product", "pakalpojums")] = d.keep("product", v.pick(PRODUCTS))
    ev["paid_at"] = d.keep("timestamp", v.timestamp())
    d.tag(9)
    d.allow(7, 11)
    return ev


def invoice_issued(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["invoice issued", "rēķins izrakstīts"]), "billing.invoices")
    ev[d.key("invoice_number", "rēķina_numurs")] = d.keep("invoice_number", v.invoice_number())
    ev[d.key("amount", "summa")] = d.keep("amount", v.amount())
    ev[d.key("due_date", "apmaksas_termiņš")] = d.keep("date", v.date())
    ev[d.key("payment_reference", "maksājuma_mērķis")] = d.keep("reference_number", v.reference_number())
    ev[d.key("company", "uzņēmums")] = d.keep("company", v.pick(COMPANIES))
    ev[d.key("reg_no", "reģistrācijas_nr")] = d.keep("company_reg_no", v.company_reg_no())
    d.tag(11)
    d.allow(4, 9)
    return ev


def service_price(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["price list updated", "cenrādis atjaunots"]), "catalog")
    ev[d.key("service_name", "pakalpojuma_nosaukums")] = d.keep("product", v.pick(PRODUCTS))
    ev[d.key("price", "cena")] = d.keep("amount", v.amount())
    ev[d.key("discount", "atlaide")] = f"{v.rng.randint(5, 30)}%"
    ev[d.key("discount_ends", "atlaides_beigas")] = d.keep("date", v.date())
    d.tag(7)
    return ev


def contract_signed(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["contract signed", "līgums parakstīts"]), "crm.contracts")
    ev[d.key("contract_number", "līguma_numurs")] = d.keep("contract_number", v.contract_number())
    ev[d.key("signed_on", "parakstīšanas_datums")] = d.keep("date", v.date())
    ev[d.key("annex_no", "pielikuma_nr")] = str(v.rng.randint(1, 9))
    ev[d.key("company", "uzņēmums")] = d.keep("company", v.pick(COMPANIES))
    d.tag(8)
    d.allow(4)
    return ev


def shipment(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base("shipment created", "logistics")
    ev["tracking_number"] = d.keep("tracking_number", v.tracking_number())
    ev["warehouse"] = d.keep("place", v.pick(PLACES))
    ev["coverage"] = {"postal_code": d.keep("postal_code", v.postal_code()), "courier": "DPD"}
    ev["weight_kg"] = round(v.rng.random() * 20, 2)
    ev["eta"] = d.keep("date", v.date())
    d.allow(9)
    return ev


def deploy(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["deploy finished", "build started", "migration applied"]), "ci")
    ev["build"] = d.keep("version", v.version())
    ev["commit"] = d.keep("trace_id", v.trace_id()[:12])
    took = d.keep("duration", v.duration())
    if v.rng.random() < 0.5:
        ev["message"] = f"Deployed {ev['build']} to {d.keep('place', v.pick(PLACES))} dc1 in {took}"
    else:
        ev["message"] = f"Rolled out build {ev['build']} after {took}"
    return ev


def clean_traceback(d: Draft) -> dict[str, Any]:
    v = d.v
    host = d.keep("internal_ip", v.internal_ip())
    line = v.rng.randint(20, 900)
    ev = d.base("unhandled error", "worker")
    ev["exception"] = ("Traceback (most recent call last):\n"
                       f'  File "/srv/app/worker/jobs.py", line {line}, in run\n'
                       "    conn = pool.acquire(timeout=5)\n"
                       f"ConnectionError: could not connect to {host}:5432 after {v.rng.randint(2, 5)} attempts")
    ev["job_id"] = d.keep("uuid", v.uuid())
    return ev


def clean_sql(d: Draft) -> dict[str, Any]:
    v = d.v
    inv = d.keep("invoice_number", v.invoice_number())
    ev = d.base("slow query", "sqlalchemy.engine")
    ev["db.statement"] = f"SELECT id, total FROM invoices WHERE number = '{inv}' AND status = 'paid' LIMIT 50"
    ev["duration"] = d.keep("duration", v.duration())
    ev["rows"] = v.rng.randint(0, 50)
    d.allow(11)
    return ev


def company_lookup(d: Draft) -> dict[str, Any]:
    v = d.v
    company, reg = d.keep("company", v.pick(COMPANIES)), d.keep("company_reg_no", v.company_reg_no())
    place = d.keep("place", v.pick(PLACES))
    ev = d.base("company report generated", "reports")
    ev["message"] = v.pick([f"Izziņa par {company}, reģ. nr. {reg}, juridiskā adrese {place}",
                            f"Report for {company} (reg. no. {reg}), registered in {place}"])
    ev[d.key("product", "pakalpojums")] = d.keep("product", v.pick(PRODUCTS))
    ev["generated_in"] = d.keep("duration", v.duration())
    d.allow(7, 12)
    return ev


def request_log(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base("request logged", "portal.audit")
    ev[d.key("request_log_id", "pieprasījuma_id")] = d.keep("uuid", v.uuid())
    ev["endpoint"] = v.pick(["/api/v1/reports", "/api/v1/companies/search"])
    ev["status"] = d.keep("status_code", v.pick([200, 429]))
    ev["received"] = d.keep("timestamp", v.timestamp())
    d.tag(12)
    d.allow(5)
    return ev


def cctv(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["cctv segment stored", "videonovērošanas ieraksts saglabāts"]), "office.security")
    ev[d.key("camera", "videokamera")] = d.keep("order_number", f"CAM-{v.rng.randint(1, 24):02d}")
    ev[d.key("recorded_at", "ierakstīšanas_datums")] = d.keep("timestamp", v.timestamp())
    ev["storage_node"] = d.keep("internal_ip", v.internal_ip())
    d.tag(15)
    return ev


def survey(d: Draft) -> dict[str, Any]:
    v = d.v
    ev = d.base(v.pick(["survey answered", "aptauja aizpildīta"]), "crm.surveys")
    ev[d.key("survey_name", "aptaujas_nosaukums")] = v.pick(["Klientu apmierinātība 2026", "NPS Q4"])
    ev[d.key("answer", "atbilde")] = v.pick(["9", "Ļoti apmierināts", "Could be faster"])
    ev[d.key("sent_on", "izsūtīšanas_datums")] = d.keep("date", v.date())
    d.tag(13)
    return ev


CLEAN_TEMPLATES: list[tuple[Callable[[Draft], dict[str, Any]], int]] = [
    (health, 6), (access_internal, 8), (order_processed, 4), (invoice_issued, 4), (service_price, 2),
    (contract_signed, 2), (shipment, 3), (deploy, 3), (clean_traceback, 3), (clean_sql, 3), (company_lookup, 3),
    (request_log, 2), (cctv, 1), (survey, 1),
]


def generate(n: int = 2000, seed: int = 20261125, personal_share: float = 0.5) -> list[Case]:
    """``n`` labelled cases; the same ``n`` and ``seed`` give the same corpus."""
    rng = random.Random(seed)
    values = Values(rng)
    cases = []
    for i in range(n):
        templates = PERSONAL_TEMPLATES if rng.random() < personal_share else CLEAN_TEMPLATES
        template = rng.choices([t for t, _ in templates], weights=[w for _, w in templates])[0]
        draft = Draft(values)
        case = draft.case(f"e{i:06d}", template(draft))
        case["template"] = template.__name__
        validate(case)
        cases.append(case)
    return cases
