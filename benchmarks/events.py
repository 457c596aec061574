"""Realistic events for the benchmarks.

Every event has ids and timestamps of its own, so a value that would be new
in a real service is new to the redactor here too. :func:`fresh` builds each
round's event just before the round (untimed), as an application builds an
event just before logging it. Personal data comes from ``people``: a few
customers who recur (a service's logs name the same person in every line of
a request), or ``None``: a new person in every event, the worst case for the
redactor's caches.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from stdnum import iban

_rng = random.Random(20261125)
_FIRST = ["Jānis", "Anna", "Līga", "Pēteris", "Kristaps", "Ilze", "Mārtiņš", "Inese", "Andris", "Dace",
          "Edgars", "Zane", "Raivis", "Santa", "Gatis", "Laura", "Uldis", "Agnese", "Normunds", "Elīna"]
_LAST = ["Bērziņš", "Ozols", "Kalniņš", "Liepa", "Kļaviņš", "Jansons", "Krūmiņš", "Zariņš", "Lapiņš", "Vītols",
         "Eglītis", "Balodis", "Strazds", "Siliņš", "Āboliņš", "Zvirbulis", "Grīnbergs", "Kalējs", "Celmiņš", "Pētersons"]
_DOMAINS = ["example.lv", "inbox.lv", "gmail.com", "kokmaina.lv", "mail.com"]
_ASCII = str.maketrans("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ", "acegiklnsuzACEGIKLNSUZ")


class Person(NamedTuple):
    name: str
    email: str
    iban: str


def person(n: int) -> Person:
    """Person number ``n``: a name, an e-mail and a valid IBAN of their own."""
    first, last, second = _FIRST[n % 20], _LAST[n // 20 % 20], _LAST[n // 400 % 20]
    name = f"{first} {last}" if n < 400 else f"{first} {last}-{second}"
    email = f"{first}.{last}{n // 400 or ''}@{_DOMAINS[n % 5]}".translate(_ASCII).lower()
    account = f"LV00BANK{n:013d}"
    return Person(name, email, account[:2] + iban.calc_check_digits(account) + account[4:])


def _ts(i: int) -> str:
    return f"2026-11-25T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}.{_rng.randrange(10**6):06d}Z"


def clean_event(i: int) -> dict[str, Any]:
    """No personal data: what most request-log events look like."""
    return {
        "event": _rng.choice(["request finished", "cache miss", "job done", "health check ok"]),
        "timestamp": _ts(i),
        "level": "info",
        "logger": "api.http",
        "request_id": str(uuid.UUID(int=_rng.getrandbits(128))),
        "trace_id": f"{_rng.getrandbits(128):032x}",
        "http.route": "/api/v2/invoices/{id}",
        "status": 200,
        "duration_ms": round(_rng.uniform(1, 900), 2),
    }


def mixed_event(i: int, people: int | None = 4) -> dict[str, Any]:
    """A dozen fields: some personal data by name and by value, some free text.

    ``people``: how many customers recur; ``None``: a new one in every event.
    """
    who = person(i % people if people else i + 1000)
    return {
        "event": "payment received",
        "timestamp": _ts(i),
        "level": "info",
        "logger": "billing.payments",
        "request_id": str(uuid.UUID(int=_rng.getrandbits(128))),
        "trace_id": f"{_rng.getrandbits(128):032x}",
        "customer": {"id": f"C-{_rng.randrange(10**6)}", "full_name": who.name, "email": who.email},
        "iban": who.iban,
        "amount": round(_rng.uniform(5, 500), 2),
        "currency": "EUR",
        "status": "ok",
        "note": _rng.choice([
            f"customer asked for a receipt by e-mail {who.email}",
            "customer asked for a paper invoice",
            f"call back on +371 2{_rng.randrange(10**7):07d} before noon",
            f"order ORD-2026-{_rng.randrange(10**6):06d} shipped",
        ]),
    }


def new_people_event(i: int) -> dict[str, Any]:
    """:func:`mixed_event` with a new person in every event."""
    return mixed_event(i, people=None)


def fresh(factory: Callable[[int], Any]) -> Callable[[], tuple[tuple[Any], dict[str, Any]]]:
    """A pytest-benchmark ``setup``: each round's argument, new, built untimed."""
    counter = itertools.count()
    return lambda: ((factory(next(counter)),), {})


ROUNDS = 20_000


def bench_fresh(benchmark: Any, target: Callable[[Any], Any], factory: Callable[[int], Any]) -> None:
    """``target`` timed on a new ``factory`` value per round."""
    benchmark.pedantic(target, setup=fresh(factory), rounds=ROUNDS, warmup_rounds=1000)
