"""The README's standard-library logging snippets run as pasted, and what
they configure writes no planted value and keeps pii_tagger's own loggers on."""

from __future__ import annotations

import logging
import logging.config
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from planted import CODE, CODE_COMPACT, EMAIL, assert_absent

from pii_tagger.stdlib import PiiFilter

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Quick start: standard-library logging"
PHONE = "+371 29 123 456"
PLANTED = [CODE, CODE_COMPACT, EMAIL, PHONE, "29 123 456"]


def _snippets() -> list[str]:
    text = README.read_text()
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


SNIPPETS = _snippets()


def _reset() -> None:
    """No handler on the root or uvicorn's loggers; every logger enabled."""
    for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.WARNING if name == "" else logging.NOTSET)
    if logging.lastResort is not None:
        logging.lastResort.filters[:] = [f for f in logging.lastResort.filters if not isinstance(f, PiiFilter)]
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture
def fresh_logging() -> Iterator[None]:
    """The root as a new process has it (pytest's capture handlers taken off), and given back after."""
    saved = logging.getLogger().handlers[:]
    _reset()
    yield
    _reset()
    logging.getLogger().handlers[:] = saved


def test_the_section_has_its_snippets() -> None:
    assert len(SNIPPETS) == 4 and "install()" in SNIPPETS[0] and "dictConfig" in SNIPPETS[2]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_snippet_runs_as_pasted(snippet: str, fresh_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logging.getLogger().handlers.clear()  # pytest adds its capture handlers for the test's call
    namespace: dict[str, object] = {"__name__": "readme"}
    exec(compile(snippet, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    if "log_config" in namespace:  # what uvicorn.run(app, log_config=...) does with it
        logging.config.dictConfig(namespace["log_config"])  # type: ignore[arg-type]
    for name in ("pii_tagger", "pii_tagger.alerts"):
        assert not logging.getLogger(name).disabled, name
    if "uvicorn" in snippet:  # its loggers only: uvicorn's configuration has no handler on the root
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                                                 f"/customers/{CODE}?email={EMAIL}", "1.1", 200)
        logging.getLogger("uvicorn.error").info("lookup of %s", EMAIL)
    else:
        logging.getLogger("billing").warning("payment from %s, call %s", EMAIL, PHONE, extra={"customer": {"code": CODE}})
        logging.getLogger("uvicorn.access").warning('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                                                    f"/customers/{CODE}?email={EMAIL}", "1.1", 200)
    if "structlog" in snippet:
        structlog.get_logger("app").warning("structlog event", email=EMAIL, note=f"call {PHONE}")
    out, err = capsys.readouterr()
    assert_absent(out + err, PLANTED)
    assert (out + err).count("[REDACTED:email]") >= 2, out + err
