"""Side by side, in one run: structlog's JSON pipeline alone, with pii_tagger,
and with Logfire's scrubber (another Python redactor) in the same place.

    pip install '.[bench]' && pytest benchmarks --benchmark-only --benchmark-group-by=group

Each round processes one event; compare medians within a group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog
from events import clean_event, mixed_event, new_people_event, rotating

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


def _bench(benchmark: Any, pipeline: Callable[[dict[str, Any]], Any], events: Iterator[dict[str, Any]]) -> None:
    benchmark(lambda: pipeline(next(events)))


@pytest.mark.parametrize("name", list(PIPELINES))
def test_clean_event(benchmark: Any, name: str) -> None:
    benchmark.group = "clean event (9 fields, no personal data)"
    _bench(benchmark, PIPELINES[name](), rotating(clean_event))


@pytest.mark.parametrize("name", list(PIPELINES))
def test_mixed_event(benchmark: Any, name: str) -> None:
    benchmark.group = "mixed event (12 fields, personal data, free text; 4 customers recur)"
    _bench(benchmark, PIPELINES[name](), rotating(mixed_event))


@pytest.mark.parametrize("name", list(PIPELINES))
def test_new_people_event(benchmark: Any, name: str) -> None:
    benchmark.group = "mixed event, a new person in every event"
    _bench(benchmark, PIPELINES[name](), rotating(new_people_event))


def test_redact_only_clean(benchmark: Any) -> None:
    benchmark.group = "pii_tagger.redact alone"
    events = rotating(clean_event)
    benchmark(lambda: REDACTOR.redact(next(events)))


def test_redact_only_mixed(benchmark: Any) -> None:
    benchmark.group = "pii_tagger.redact alone"
    events = rotating(mixed_event)
    benchmark(lambda: REDACTOR.redact(next(events)))


def test_redact_only_new_people(benchmark: Any) -> None:
    benchmark.group = "pii_tagger.redact alone"
    events = rotating(new_people_event)
    benchmark(lambda: REDACTOR.redact(next(events)))
