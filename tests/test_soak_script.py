"""benchmarks/soak.py itself: a short run finds nothing, and it would see a leak.
(The long run's memory and speed are measured, not asserted: README "Reliability".)"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import soak  # noqa: E402

from pii_tagger import Hasher, Redactor  # noqa: E402


def test_a_short_soak_finds_no_leak_and_no_failure() -> None:
    result = soak.run(1_600, 400)
    assert (result.leaks, result.failures) == (0, 0)
    assert [s.events for s in result.samples] == [400, 800, 1200, 1600]
    assert all(s.rss > 0 and s.per_second > 0 and s.per_cpu_second > 0 for s in result.samples)
    assert len(list(soak.summary(result))) == 4


def test_the_soak_sees_what_a_redactor_lets_through() -> None:
    class Leaky(Redactor):
        """Redacts nothing in text fields of the top level."""

    redactor = Leaky(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))
    real = redactor.redact

    def passing(event: Any) -> Any:
        out = real(event)
        return {**out, **{k: v for k, v in event.items() if isinstance(k, str) and k.startswith("attr_")}}

    redactor.redact = passing  # type: ignore[method-assign]
    result = soak.run(80, 40, redactor=redactor)
    assert result.leaks == 30  # the three of every eight events through redact()
