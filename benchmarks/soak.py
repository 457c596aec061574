"""Soak: many events in one process, memory and throughput sampled as it goes.

    python benchmarks/soak.py --events 10000000 --every 250000

Every event has keys of its own (numbered by the event, some of them personal
by name, one of them a planted e-mail address) and values of every kind: text
holding generated personal codes, e-mail addresses, IBANs, phones and card
numbers, integers past 64 bits, NaN, infinities and -0.0, bytes, bytearrays,
tuples, sets, frozensets, a ``str`` subclass, an object whose ``__str__``
returns personal data, nesting. Events take turns through ``Redactor.redact``,
the structlog processor (then structlog's JSON renderer), the ``logging``
filter and the OpenTelemetry span processor (real SDK, an exporter that keeps
nothing). Every output is rendered and checked: no planted value may be in it,
and no event may have failed closed.

Every ``--every`` events it prints one line: events so far, seconds, events
per second and per CPU second (of this process: a shared host changes the
first, not the second) over the last interval, resident memory
(``/proc/self/statm``); at the end a summary: resident memory after warm-up
and at the end, events/s of the first and the last tenth. Exit status 1 when a planted value survived or an event
failed. ``run()`` is the same for a test.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import structlog
from stdnum import luhn
from stdnum.lv import pvn

from pii_tagger import Hasher, Redactor  # noqa: E402
from pii_tagger.stdlib import PiiFilter  # noqa: E402

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    """Resident memory of this process (the second field of /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


class Tagged(str):
    """A ``str`` subclass, as some applications log (enums, markup types)."""


class Customer:
    """An object logged as it is: its ``__str__`` holds personal data."""

    def __init__(self, email: str) -> None:
        self.email = email

    def __str__(self) -> str:
        return f"Customer<{self.email}>"

    __repr__ = __str__


def personal_code(i: int) -> str:
    """An old-format Latvian personal code of a real date, with its check digit."""
    day, month, year = 1 + i % 28, 1 + i // 28 % 12, i // 336 % 100
    first10 = f"{day:02d}{month:02d}{year:02d}1{i % 1000:03d}"
    return first10 + pvn.calc_check_digit_pers(first10)


def card(i: int) -> str:
    body = f"4{i % 10**14:014d}"
    number = body + luhn.calc_check_digit(body)
    return " ".join(number[k : k + 4] for k in range(0, 16, 4))


def lv_iban(i: int) -> str:
    """A valid Latvian IBAN (ISO 13616 mod-97 check digits computed here)."""
    bban = f"BANK{i * 31 % 10**13:013d}"
    digits = "".join(str(int(c, 36)) for c in bban + "LV00")
    return f"LV{98 - int(digits) % 97:02d}{bban}"


_FIRST = ["anna", "janis", "liga", "peteris", "ilze", "martins", "inese", "andris"]
_DOMAINS = ["example.lv", "inbox.lv", "gmail.com", "mail.com"]


def event(i: int) -> tuple[dict[Any, Any], list[str]]:
    """Event number ``i`` and the planted values that must not survive it."""
    email = f"{_FIRST[i % 8]}.k{i}@{_DOMAINS[i // 8 % 4]}"
    code = personal_code(i)
    phone = f"+371 2{i * 7919 % 10**7:07d}"
    number = card(i)
    iban = lv_iban(i)
    plants = [email, code, phone, number, iban]
    e: dict[Any, Any] = {
        "event": f"order {i} paid",
        f"attr_{i}": f"personas kods {code}, tālr. {phone}",
        f"customer_{i % 997}_email": email,
        f"payment.{i:x}": {"iban": iban, f"card_{i}": number, "amount": i / 7},
        f"mix{i}": (
            (2**70 + i) if i % 3 else -(2**64) - i,
            (math.nan, math.inf, -math.inf, -0.0, i / 3)[i % 5],
            f"e-pasts {email}".encode(),
            bytearray(b"status=ok"),
            {i, i + 1},
            frozenset({f"k{i}"}),
            Tagged(f"IBAN {iban}"),
            Customer(email),
        ),
        email: i,  # a key that is personal data
        i: [None, True],
    }
    return e, plants


class _Dropping:
    """A span exporter that keeps nothing and counts what it was given."""

    def __init__(self) -> None:
        self.spans: list[Any] = []

    def export(self, spans: Sequence[Any]) -> Any:
        from opentelemetry.sdk.trace.export import SpanExportResult

        self.spans = list(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def _render(out: Any) -> str:
    return json.dumps(out, default=str, ensure_ascii=False)  # integers past 64 bits too (orjson refuses them)


def paths(redactor: Redactor) -> list[Callable[[dict[Any, Any]], str]]:
    """The four ways an event goes through: each returns what would be written."""
    renderer = structlog.processors.JSONRenderer(default=str)

    def via_redact(e: dict[Any, Any]) -> str:
        return _render(redactor.redact(e))

    def via_structlog(e: dict[Any, Any]) -> str:
        out = redactor(None, "info", {str(k): v for k, v in e.items()})
        return str(renderer(None, "info", out))

    pii_filter = PiiFilter(redactor=redactor)

    def via_logging(e: dict[Any, Any]) -> str:
        i = e["n"]
        record = logging.LogRecord("soak", logging.INFO, __file__, 1, "paid %s: %s", (e["event"], e[f"attr_{i}"]), None)
        for k, v in e.items():
            if isinstance(k, str) and k.startswith(("customer_", "payment", "mix")):
                setattr(record, k, v)
        pii_filter.filter(record)
        fields = {k: v for k, v in vars(record).items() if k not in ("args", "msg")}
        return record.getMessage() + " " + _render(fields)

    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    from pii_tagger.otel import RedactingSpanProcessor

    exporter = _Dropping()
    provider = TracerProvider()
    provider.add_span_processor(RedactingSpanProcessor(SimpleSpanProcessor(exporter), redactor=redactor))  # type: ignore[arg-type]
    tracer = provider.get_tracer("soak")

    def via_otel(e: dict[Any, Any]) -> str:
        attributes: dict[str, Any] = {}
        for k, v in e.items():
            if isinstance(v, (str, float)) or isinstance(v, int) and -(2**63) <= v < 2**63:
                attributes[str(k)] = v
            elif isinstance(v, int):
                attributes[str(k)] = str(v)  # OTel attributes hold 64-bit integers
        with tracer.start_as_current_span(e["event"], attributes=attributes) as span:
            span.add_event("note", {"text": str(e[f"mix{e['n']}"][-2])})
        done = exporter.spans[0]
        return _render({"name": done.name, "attributes": dict(done.attributes or {}),
                        "events": [dict(ev.attributes or {}) for ev in done.events]})

    return [via_redact, via_structlog, via_logging, via_redact, via_otel, via_redact, via_structlog, via_logging]


class Sample(NamedTuple):
    events: int
    seconds: float
    per_second: float  # events per wall-clock second over the interval
    per_cpu_second: float  # per second of this process's CPU time: what a shared host does not change
    rss: int


class Result(NamedTuple):
    samples: list[Sample]
    leaks: int
    failures: int


def run(events: int, every: int, redactor: Redactor | None = None, echo: Callable[[str], None] | None = None) -> Result:
    """``events`` events through the paths; a sample every ``every`` events."""
    redactor = redactor or Redactor(hasher=Hasher({"soak": "a-soak-test-key-of-enough-length"}))
    through = paths(redactor)
    samples: list[Sample] = []
    leaks = failures = 0
    start = last = time.perf_counter()
    last_cpu = time.process_time()
    for i in range(events):
        e, plants = event(i)
        e["n"] = i
        written = through[i % len(through)](e)
        if any(p in written for p in plants):
            leaks += 1
        if "pii_error" in written or "pii.error" in written:
            failures += 1
        if (i + 1) % every == 0:
            now, cpu = time.perf_counter(), time.process_time()
            samples.append(Sample(i + 1, now - start, every / (now - last), every / max(cpu - last_cpu, 1e-9), rss_bytes()))
            last, last_cpu = now, cpu
            if echo:
                s = samples[-1]
                echo(f"{s.events:>10,} events {s.seconds:8.1f} s {s.per_second:8,.0f} events/s {s.per_cpu_second:8,.0f} per CPU s"
                     f" rss {s.rss / 2**20:7.1f} MiB leaks {leaks} failures {failures}")
    return Result(samples, leaks, failures)


def summary(result: Result) -> Iterator[str]:
    s = result.samples
    tenth = max(1, len(s) // 10)
    warm = s[tenth - 1]
    first = sum(x.per_second for x in s[:tenth]) / tenth
    final = sum(x.per_second for x in s[-tenth:]) / tenth
    first_cpu = sum(x.per_cpu_second for x in s[:tenth]) / tenth
    final_cpu = sum(x.per_cpu_second for x in s[-tenth:]) / tenth
    yield f"events: {s[-1].events:,} in {s[-1].seconds:,.0f} s; planted values surviving: {result.leaks}; failed closed: {result.failures}"
    yield (f"rss after warm-up ({warm.events:,} events): {warm.rss / 2**20:.1f} MiB; at the end: {s[-1].rss / 2**20:.1f} MiB; "
           f"max {max(x.rss for x in s) / 2**20:.1f} MiB; min after warm-up {min(x.rss for x in s[tenth - 1:]) / 2**20:.1f} MiB")
    yield f"events/s: first tenth {first:,.0f}, last tenth {final:,.0f} ({(final / first - 1) * 100:+.1f} %)"
    yield (f"events per CPU second: first tenth {first_cpu:,.0f}, last tenth {final_cpu:,.0f} "
           f"({(final_cpu / first_cpu - 1) * 100:+.1f} %)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--every", type=int, default=0, help="events per sample (default: events / 40)")
    args = parser.parse_args(argv)
    every = args.every or max(1, args.events // 40)
    result = run(args.events, every, echo=lambda line: print(line, flush=True))
    for line in summary(result):
        print(line, flush=True)
    return 1 if result.leaks or result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
