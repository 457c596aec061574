"""The README's OpenTelemetry snippets run as pasted, in a process of their
own (the global providers can be set once per process), and what they
configure sends no planted value over OTLP/HTTP to a receiver on 127.0.0.1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from planted import CODE, EMAIL

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Quick start: OpenTelemetry"

# After the snippets: a span and a bridged log line with personal data, flushed.
USE = f'''
with trace.get_tracer("shop").start_as_current_span("GET /customers/{CODE}") as span:
    span.set_attribute("customer.email", "{EMAIL}")
logging.getLogger("shop").warning("receipt sent to {EMAIL}")
tracer_provider.force_flush()
logger_provider.force_flush()
'''


def _snippets() -> list[str]:
    text = README.read_text()
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_snippets_run_as_pasted_and_send_nothing_planted(receiver: tuple[str, dict[str, list[bytes]]]) -> None:
    url, bodies = receiver
    snippets = _snippets()
    assert len(snippets) == 3 and "protect(" in snippets[2]
    script = "\n".join(snippets) + "\nlogging.getLogger().setLevel(logging.INFO)\n" + USE
    env = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": url, "PII_TAGGER_HASH_KEY": "t1:readme-test-key-0123456789"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    traces, logs = b"".join(bodies.get("/v1/traces", [])), b"".join(bodies.get("/v1/logs", []))
    assert b"pii.categories" in traces and b"pii.categories" in logs
    assert b"receipt sent to" in logs and b"GET /customers/" in traces
    for planted in (EMAIL, CODE, "16117519997"):
        assert planted.encode() not in traces + logs
        assert planted not in done.stdout + done.stderr
