"""Side by side, in one run: structlog's JSON pipeline alone, with pii_tagger,
and with Logfire's scrubber (another Python redactor) in the same place.

    pip install '.[bench]' && pytest benchmarks --benchmark-only --benchmark-group-by=group

Each round processes one event, built just before it (untimed); compare
medians within a group.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson
import pytest
import structlog
from events import bench_fresh, clean_event, fresh, mixed_event, new_people_event, person

from pii_tagger import Hasher, Redactor

Processor = Callable[[Any, str, dict[str, Any]], Any]

REDACTOR = Redactor(hasher=Hasher({"bench": "benchmark-key-0123456789"}))


def _logfire_processor() -> Processor:
    scrubbing = pytest.importorskip("logfire._internal.scrubbing", reason="pip install '.[bench]' for the comparison")
    scrubber = scrubbing.Scrubber(None)

    def scrub(logger: Any, name: str, event: dict[str, Any]) -> Any:
        return scrubber.scrub_value(("attributes",), event)[0]

    return scrub


def _pipeline(extra: list[Processor]) -> Callable[[dict[str, Any]], Any]:
    render = structlog.processors.JSONRenderer()
    chain = [*extra, render]

    def run(event: dict[str, Any]) -> Any:
        for processor in chain:
            event = processor(None, "info", dict(event) if processor is chain[0] else event)
        return event

    return run


PIPELINES = {
    "structlog alone": lambda: _pipeline([]),
    "structlog + pii_tagger": lambda: _pipeline([REDACTOR]),
    "structlog + logfire scrubber": lambda: _pipeline([_logfire_processor()]),
}


@pytest.mark.parametrize("name", list(PIPELINES))
def test_clean_event(benchmark: Any, name: str) -> None:
    benchmark.group = "clean event (9 fields, no personal data)"
    bench_fresh(benchmark, PIPELINES[name](), clean_event)


@pytest.mark.parametrize("name", list(PIPELINES))
def test_mixed_event(benchmark: Any, name: str) -> None:
    benchmark.group = "mixed event (12 fields, personal data, free text; 4 customers recur)"
    bench_fresh(benchmark, PIPELINES[name](), mixed_event)


@pytest.mark.parametrize("name", list(PIPELINES))
def test_new_people_event(benchmark: Any, name: str) -> None:
    benchmark.group = "mixed event, a new person in every event"
    bench_fresh(benchmark, PIPELINES[name](), new_people_event)


def test_redact_only_clean(benchmark: Any) -> None:
    benchmark.group = "pii_tagger.redact alone"
    bench_fresh(benchmark, REDACTOR.redact, clean_event)


def test_redact_only_mixed(benchmark: Any) -> None:
    benchmark.group = "pii_tagger.redact alone"
    bench_fresh(benchmark, REDACTOR.redact, mixed_event)


def test_redact_only_new_people(benchmark: Any) -> None:
    benchmark.group = "pii_tagger.redact alone"
    bench_fresh(benchmark, REDACTOR.redact, new_people_event)


# For scale: the least any redactor written in Python does, a copy of the event
# that looks at each string once (one regular expression) and finds nothing.
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")


def _bare_walk(event: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in event.items():
        if type(value) is dict:
            value = _bare_walk(value)
        elif type(value) is str:
            _TIMESTAMP.fullmatch(value)
        out[key] = value
    return out


@pytest.mark.parametrize("factory", [clean_event, mixed_event], ids=["clean", "mixed"])
def test_bare_walk(benchmark: Any, factory: Callable[[int], dict[str, Any]]) -> None:
    benchmark.group = "pii_tagger.redact alone"
    bench_fresh(benchmark, _bare_walk, factory)


@pytest.mark.parametrize("factory", [clean_event, mixed_event], ids=["clean", "mixed"])
def test_orjson_dumps(benchmark: Any, factory: Callable[[int], dict[str, Any]]) -> None:
    """For scale: serialising the same event once with orjson."""
    benchmark.group = "pii_tagger.redact alone"
    bench_fresh(benchmark, orjson.dumps, factory)


# ---- 1 MB values: any content finishes in bounded time ------------------------------

_MB = 1 << 20


def _megabyte(piece: Callable[[int], str]) -> Callable[[int], dict[str, Any]]:
    """An event with one 1 MB text made of ``piece(n)`` for n = 0, 1, ...,
    starting at a new n every round (values of its own)."""
    counter = iter(range(10**9))

    def event(i: int) -> dict[str, Any]:
        parts, size = [], 0
        while size < _MB:
            parts.append(piece(next(counter)))
            size += len(parts[-1])
        return {"event": "".join(parts)[:_MB]}

    return event


MEGABYTES = {
    "digits": _megabyte(lambda n: str(n * 7919)),
    "e-mails": _megabyte(lambda n: person(n % 8000).email + " "),
    "log text with personal data": _megabyte(
        lambda n: f"klients {person(n % 8000).name} samaksāja, tālr. 29{n % 10**6:06d}, konts {person(n % 8000).iban}; "),
    "key=value pairs": _megabyte(lambda n: f"k{n % 97}=v{n} "),
    "separators": _megabyte(lambda n: "-,.: "[n % 5]),
    # In no order ("::." and ".:" among them, which once began an IPv6 candidate at every colon).
    "separators in no order": _megabyte(lambda n: "-,.: "[(((n * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> 59) % 5]),
    "deep JSON text": lambda i: {"event": '{"a":' * (_MB // 6) + f'"{person(i).email}"' + "}" * (_MB // 6)},
}


@pytest.mark.parametrize("kind", list(MEGABYTES))
def test_megabyte_text(benchmark: Any, kind: str) -> None:
    benchmark.group = "one 1 MB text in an event"
    benchmark.pedantic(REDACTOR.redact, setup=fresh(MEGABYTES[kind]), rounds=21, warmup_rounds=1)
