"""The package's types as a user's ``mypy --strict`` sees them: ``py.typed``
is shipped, the public API type-checks in user code, and its types are real
(wrong uses are errors, not ``Any``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Code as a service's would use the package; every line must check clean.
USER_CODE = '''
from __future__ import annotations

import logging
import logging.config

import structlog
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor, ConsoleLogRecordExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

import pii_tagger
import pii_tagger.stdlib
from pii_tagger import CATEGORIES_KEY, Hasher, Policy, Redactor
from pii_tagger.alerts import Alert, Alerter, CounterSink, LoggerSink
from pii_tagger.guard import GuardedFormatter, LeakGuard
from pii_tagger.otel import RedactingLogRecordProcessor, RedactingSpanExporter, RedactingSpanProcessor, protect
from pii_tagger.otel_guard import GuardedLogRecordProcessor, GuardedSpanExporter
from pii_tagger.stdlib import PiiFilter, install


def on_alert(alert: Alert) -> None:
    print(alert.describe(), alert.as_dict()["count"])


redactor = Redactor(Policy(actions={1: "mask"}, rule_actions={"email": "hash"}),
                    hasher=Hasher({"k1": "a-secret-of-sixteen-bytes"}), summary=True)
event: dict[str, object] = redactor.redact({"event": "paid", "iban": "LV80BANK0000435195001"})
by_structlog: dict[str, object] = redactor(None, "info", {"event": "paid"})
text, categories = redactor.redact_text("call +371 21 234 567")
first: int = categories[0]
tags: object = pii_tagger.redact({"email": "anna@example.lv"})[CATEGORIES_KEY]
pii_filter: PiiFilter = install(redactor=redactor)
pii_tagger.stdlib.install(logging.getLogger("uvicorn"))
alerts = Alerter([LoggerSink(), CounterSink(), on_alert], interval=30.0)
guard = LeakGuard(redactor, alerts=alerts)
line: str = guard.check_line('{"email": "anna@example.lv"}')
handler = logging.StreamHandler()
handler.setFormatter(GuardedFormatter(logging.Formatter(), guard))
handler.addFilter(PiiFilter(summary=True))
logging.config.dictConfig({"version": 1, "disable_existing_loggers": False,
                           "filters": {"pii": {"()": "pii_tagger.stdlib.PiiFilter"}}})
structlog.configure(processors=[structlog.processors.format_exc_info, redactor, structlog.processors.JSONRenderer(), guard])
tracer_provider = TracerProvider()
tracer_provider.add_span_processor(RedactingSpanProcessor(BatchSpanProcessor(ConsoleSpanExporter())))
tracer_provider.add_span_processor(BatchSpanProcessor(RedactingSpanExporter(GuardedSpanExporter(ConsoleSpanExporter()))))
logger_provider = LoggerProvider()
logger_provider.add_log_record_processor(RedactingLogRecordProcessor(BatchLogRecordProcessor(ConsoleLogRecordExporter())))
logger_provider.add_log_record_processor(GuardedLogRecordProcessor(BatchLogRecordProcessor(ConsoleLogRecordExporter())))
protect(tracer_provider, logger_provider)
'''

# Wrong uses: each ``type: ignore`` must be needed (``--strict`` reports an
# unused one), so each line proves that mypy sees a real type there.
WRONG_USES = '''
import pii_tagger
from pii_tagger import Redactor
from pii_tagger.alerts import LoggerSink
from pii_tagger.stdlib import install

Redactor().no_such_method()  # type: ignore[attr-defined]
as_text: str = Redactor()(None, "info", {})  # type: ignore[assignment]
as_int: int = pii_tagger.redact({})  # type: ignore[assignment]
install(level=3)  # type: ignore[call-arg]
LoggerSink(logger=5)  # type: ignore[arg-type]
'''


def _mypy(tmp_path: Path, name: str, code: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / name).write_text(code)
    return subprocess.run(  # in tmp_path: the project's own mypy configuration does not apply
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), name],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )


def test_py_typed_is_in_the_package() -> None:
    import pii_tagger

    assert (Path(pii_tagger.__file__).parent / "py.typed").is_file()


@pytest.mark.parametrize(("name", "code"), [("service.py", USER_CODE), ("wrong_uses.py", WRONG_USES)])
def test_user_code_checks_with_mypy_strict(tmp_path: Path, name: str, code: str) -> None:
    result = _mypy(tmp_path, name, code)
    assert result.returncode == 0, result.stdout + result.stderr
