"""Realistic events for the benchmarks: unique ids and timestamps in every event,
so that no cache sees the same value twice in a row."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator
from typing import Any

_rng = random.Random(20261125)
_NAMES = ["Jānis Bērziņš", "Anna Ozola", "Līga Kalniņa", "Pēteris Liepa"]
_EMAILS = ["janis.berzins@example.lv", "anna.ozola@inbox.lv", "liga.kalnina@kokmaina.lv", "peteris.liepa@gmail.com"]


def _ts(i: int) -> str:
    return f"2026-11-25T10:{i // 60 % 60:02d}:{i % 60:02d}.{_rng.randrange(10**6):06d}Z"


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


def mixed_event(i: int) -> dict[str, Any]:
    """A dozen fields: some personal data by name and by value, some free text."""
    k = i % 4
    return {
        "event": "payment received",
        "timestamp": _ts(i),
        "level": "info",
        "logger": "billing.payments",
        "request_id": str(uuid.UUID(int=_rng.getrandbits(128))),
        "trace_id": f"{_rng.getrandbits(128):032x}",
        "customer": {"id": f"C-{_rng.randrange(10**5)}", "full_name": _NAMES[k], "email": _EMAILS[k]},
        "iban": "LV80BANK0000435195001",
        "amount": round(_rng.uniform(5, 500), 2),
        "currency": "EUR",
        "status": "ok",
        "note": _rng.choice([
            f"customer asked for a receipt by e-mail {_EMAILS[k]}",
            "customer asked for a paper invoice",
            f"call back on +371 2{_rng.randrange(10**7):07d} before noon",
            f"order ORD-2026-{_rng.randrange(10**6):06d} shipped",
        ]),
    }


def rotating(factory: Any, n: int = 4096) -> Iterator[dict[str, Any]]:
    return itertools.cycle([factory(i) for i in range(n)])
