"""Instructions per stdlib record or OpenTelemetry span, with and without
pii_tagger, counted by callgrind (the host's timings move with its load;
instruction counts do not).

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p \\
        python benchmarks/callgrind_integrations.py record with 3000

runs the benchmark's pipeline (``test_bench_logging.py``, ``test_bench_otel.py``)
over ``n`` distinct inputs, built before the loop. Run it at two sizes, with
and without pii_tagger: (total at 3,000 - total at 1,000) / 2,000 is the cost
of one more record or span, start-up and imports cancelled; the difference of
that between ``with`` and ``alone`` is pii_tagger's overhead.
"""

from __future__ import annotations

import sys
from typing import Any


def _records(with_filter: bool, n: int) -> None:
    import test_bench_logging as bench

    logger = bench._logger(with_filter)
    messages = [bench._message(i) for i in range(n)]
    for msg, args, extra in messages:
        logger.info(msg, *args, extra=extra)


def _spans(redacted: bool, n: int) -> None:
    import test_bench_otel as bench
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    from pii_tagger.otel import RedactingSpanProcessor

    processor: Any = SimpleSpanProcessor(bench._Discard())
    if redacted:
        processor = RedactingSpanProcessor(processor, redactor=bench.REDACTOR, meter_provider=MeterProvider())
    provider = TracerProvider()
    provider.add_span_processor(processor)
    tracer = provider.get_tracer("bench")
    inputs = [bench._attributes(i) for i in range(n)]
    for attributes in inputs:
        span = tracer.start_span("POST /api/v2/payments", attributes=attributes)
        span.add_event("payment.accepted", {"payment.id": "P-2026-000871"})
        span.end()


def main() -> None:
    kind, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    {"record": _records, "span": _spans}[kind](mode == "with", n)


if __name__ == "__main__":
    main()
