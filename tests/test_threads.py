"""Eight threads redacting the same generated events with one redactor give
what a serial run gives, event by event (the engine's key table is shared:
a thread that finds it taken walks without it)."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from soak import event  # noqa: E402  (the soak's events: keys of their own, values of every kind)

from pii_tagger import Hasher, Redactor  # noqa: E402

THREADS = 8
EVENTS = 400


def _written(out: dict[Any, Any]) -> str:
    return json.dumps(out, default=str, ensure_ascii=False)


@pytest.mark.parametrize("summary", [False, True], ids=["plain", "summary"])
def test_eight_threads_equal_a_serial_run(summary: bool) -> None:
    redactor = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), summary=summary)
    events = [event(i)[0] for i in range(EVENTS)]
    # Every event twice in a row and again later: a key's decision is kept and reused.
    order = [i for i in range(EVENTS) for _ in range(2)] + list(range(EVENTS))
    serial = [_written(redactor.redact(events[i])) for i in order]
    assert all("[REDACTED:" in line for line in serial)
    results: list[list[str] | None] = [None] * THREADS
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        try:
            start.wait()
            shift = n * len(order) // THREADS  # each thread starts elsewhere in the same sequence
            mine = order[shift:] + order[:shift]
            lines = [_written(redactor(None, "info", events[i]) if n % 2 else redactor.redact(events[i])) for i in mine]
            results[n] = lines[len(order) - shift:] + lines[:len(order) - shift]  # back in the serial order
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert errors == []
    for n, lines in enumerate(results):
        assert lines is not None, n
        differing = [k for k, (a, b) in enumerate(zip(lines, serial)) if a != b]
        assert differing == [], (n, differing[:5])
