"""A pytest plugin: fail a test whose captured output holds unmasked personal data.

Installed with pii_tagger and inactive until asked for, so that a service
catches a leaking log line in its own CI::

    pytest --pii-guard                 # every test
    [tool.pytest.ini_options]
    pii_guard = true                   # the same, from the configuration
    @pytest.mark.pii_guard             # one test (or pii_guard(False) to exempt one)

What is checked, line by line, is what pytest captured for the test, in
setup, call and teardown: stdout and stderr (structlog's and print output, a
StreamHandler's formatted lines) and the ``logging`` records (caplog's
"Captured log" section). pytest prints captured output of failing tests: the
plugin redacts it there too. Which of these
is set by ``pii_guard_sections``. Note that caplog shows records before any
handler's filters: with a :class:`~pii_tagger.stdlib.PiiFilter` on a handler
rather than on the logger, leave ``log`` out. A finding is what the
``pii-tagger scan`` command reports; the failure names the section, line,
category, rule and field, never the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .guard import LeakGuard, ScanOptions, make_guard

SECTIONS = ("stdout", "stderr", "log")
_checker: LeakGuard | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pii_tagger")
    group.addoption(
        "--pii-guard", action="store_true", default=None,
        help="fail tests whose captured output holds unmasked personal data (pii_tagger)",
    )
    parser.addini("pii_guard", type="bool", default=False, help="check every test's captured output for personal data")
    parser.addini(
        "pii_guard_sections", type="args", default=list(SECTIONS),
        help="captured sections to check: stdout, stderr, log (default: all three)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "pii_guard(enabled=True): fail this test if its captured output holds unmasked personal data"
    )
    unknown = set(config.getini("pii_guard_sections")) - set(SECTIONS)
    if unknown:
        raise pytest.UsageError(f"pii_guard_sections: unknown section(s) {sorted(unknown)}; use {', '.join(SECTIONS)}")


def _active(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("pii_guard")
    if marker is not None:
        return bool(marker.args[0] if marker.args else marker.kwargs.get("enabled", True))
    return bool(item.config.getoption("--pii-guard") or item.config.getini("pii_guard"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report: pytest.TestReport = yield
    if not _active(item):
        return report
    wanted = set(item.config.getini("pii_guard_sections"))
    findings: list[str] = []
    sections = []
    for title, content in report.sections:
        parts = title.split()  # "Captured stdout call", "Captured log setup", ...
        if len(parts) == 3 and parts[0] == "Captured" and parts[1] in wanted:
            found = list(_findings(title, content))
            if found:
                content = _redacted(content)  # pytest prints captured output: not the values
                if parts[2] == report.when:
                    findings += found
        sections.append((title, content))
    report.sections = sections
    if findings:
        text = "pii_tagger: personal data left unmasked in captured output (values not shown):\n" + "\n".join(findings)
        if report.passed:
            report.outcome = "failed"
            report.longrepr = text
        else:
            report.sections.append(("pii_tagger", text))
    return report


def _guard() -> LeakGuard:
    global _checker
    if _checker is None:
        _checker = make_guard(ScanOptions())
    return _checker


def _findings(title: str, content: str) -> Iterator[str]:
    """The leaks of captured output, line by line as the archive scanner reads lines."""
    redactor = _guard().redactor
    targets = redactor.targets
    _, leaks = redactor.check_chunk(content.encode("utf-8", "replace"))
    for line, t, path in leaks:
        yield f"  {title}, line {line + 1}: category {targets[t].category}, rule {targets[t].rule}, at {path}"


def _redacted(content: str) -> str:
    guard = _guard()
    redacting = LeakGuard(guard.redactor, alerts=guard.alerts, redact=True)
    *lines, last = content.split("\n")  # lines end at \n, as everywhere else
    return "".join(redacting.check_line(line + "\n") for line in lines) + (redacting.check_line(last) if last else "")
