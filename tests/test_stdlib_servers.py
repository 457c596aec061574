"""``pii_tagger.stdlib.install()`` under the real servers' logging: uvicorn
(its ``LOGGING_CONFIG``, a real server on 127.0.0.1) and gunicorn (its own
logger class, writing files). Their loggers have handlers of their own and do
not propagate to the root."""

from __future__ import annotations

import datetime
import logging
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import gunicorn.config
import gunicorn.glogging
import pytest
import uvicorn
from planted import CODE, CODE_COMPACT, EMAIL, assert_absent

from pii_tagger.stdlib import PiiFilter, install

PHONE = "+37129123456"  # as a query parameter carries it
PLANTED = [CODE, CODE_COMPACT, EMAIL, PHONE, "29123456", "anna.ozola"]

# A user's main.py: `uvicorn piiapp:app` configures logging, then imports it.
APP = f'''
import pii_tagger.stdlib

pii_tagger.stdlib.install()


async def app(scope, receive, send):
    if scope["path"].startswith("/boom"):
        raise ValueError("no customer {CODE} for {EMAIL}")
    await send({{"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}})
    await send({{"type": "http.response.body", "body": b"ok"}})
'''


@pytest.fixture
def servers_logging() -> Iterator[None]:
    """The servers' loggers and every handler's filters are left as they were found."""
    yield
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "gunicorn.error", "gunicorn.access"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        logger.propagate, logger.disabled = True, False
        logger.setLevel(logging.NOTSET)
    for handler in [*logging.getLogger().handlers, logging.lastResort]:
        if handler is not None:
            handler.filters[:] = [f for f in handler.filters if not isinstance(f, PiiFilter)]


def _assert_clean(text: str) -> None:
    assert_absent(text, PLANTED)


def _get(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1 directly, whatever the environment says
    try:
        with opener.open(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_uvicorn_logging_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                servers_logging: None) -> None:
    (tmp_path / "piiapp.py").write_text(APP)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "piiapp", raising=False)
    config = uvicorn.Config("piiapp:app", lifespan="off")  # dictConfig(uvicorn.config.LOGGING_CONFIG), as the CLI does
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        assert server.started
        assert _get(f"http://127.0.0.1:{port}/customers/{CODE}?email={EMAIL}&phone=%2B37129123456") == 200
        assert _get(f"http://127.0.0.1:{port}/boom") == 500
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()
    out, err = capsys.readouterr()
    _assert_clean(out + err)
    access = out.splitlines()
    assert len(access) == 2, out
    assert access[0].startswith("INFO:     127.0.0.1:") and ' - "GET /customers/[HASH:' in access[0]
    assert access[0].endswith(' HTTP/1.1" 200 OK') and "email=[REDACTED:email]" in access[0]
    assert access[1].endswith('"GET /boom HTTP/1.1" 500 Internal Server Error')
    assert "ERROR:    Exception in ASGI application" in err and "ValueError: no customer [HASH:" in err
    assert "INFO:     Started server process [" in err  # uvicorn's own lines are untouched


def test_gunicorn_logger(tmp_path: Path, servers_logging: None) -> None:
    cfg = gunicorn.config.Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s %(b)s "%(a)s" %({x-customer-email}i)s')
    log = gunicorn.glogging.Logger(cfg)  # what the arbiter sets up before any worker loads the application
    install()
    uri = f"/customers/{CODE}?email={EMAIL}"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "PATH_INFO": f"/customers/{CODE}", "QUERY_STRING": f"email={EMAIL}", "HTTP_USER_AGENT": "curl/8.5"}
    request = SimpleNamespace(headers=[("X-CUSTOMER-EMAIL", EMAIL), ("USER-AGENT", "curl/8.5")])
    response = SimpleNamespace(status="200 OK", sent=2, headers=[("Content-Type", "text/plain")])
    log.access(response, request, environ, datetime.timedelta(microseconds=1500))
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        log.exception("Error handling request %s", uri)
    for handler in [*logging.getLogger("gunicorn.access").handlers, *logging.getLogger("gunicorn.error").handlers]:
        handler.flush()
    access, error = (tmp_path / "access.log").read_text(), (tmp_path / "error.log").read_text()
    _assert_clean(access + error)
    assert access.startswith('127.0.0.1 "GET /customers/[HASH:') and access.endswith(' HTTP/1.1" 200 2 "curl/8.5" [REDACTED:email]\n')
    assert "[ERROR] Error handling request /customers/[HASH:" in error and "ValueError: bad phone [REDACTED:phone:" in error
