from __future__ import annotations

import gzip
import os
import threading
import zlib
import tomllib
from pathlib import Path
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
import structlog

pytest_plugins = ["pytester"]  # tests of our own pytest plugin

# The default redactor (pii_tagger.redact) reads its key from the environment.
os.environ.setdefault("PII_TAGGER_HASH_KEY", "test:pii-tagger-test-key-0123456789")

from pii_tagger import Hasher, Redactor

VECTORS = Path(__file__).resolve().parent / "data" / "latvia.toml"


@pytest.fixture(scope="session")
def vectors() -> dict[str, Any]:
    with open(VECTORS, "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="session")
def hasher() -> Hasher:
    return Hasher({"t1": "a-test-key-that-is-long-enough"})


@pytest.fixture(scope="session")
def redactor(hasher: Hasher) -> Redactor:
    return Redactor(hasher=hasher, raise_errors=True)


@pytest.fixture(scope="session")
def summary_redactor(hasher: Hasher) -> Redactor:
    return Redactor(hasher=hasher, raise_errors=True, summary=True)


@pytest.fixture(autouse=True)
def _restore_structlog() -> Iterator[None]:
    """Tests that configure structlog globally leave it as they found it."""
    saved = structlog.get_config()
    yield
    structlog.reset_defaults()
    structlog.configure(**saved)


# ---- an OTLP/HTTP receiver on 127.0.0.1, for the wire tests -------------------------

class _Receiver(BaseHTTPRequestHandler):
    """An OTLP/HTTP collector that keeps each request's body (decompressed) by path."""

    bodies: ClassVar[dict[str, list[bytes]]] = {}

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "deflate":
            body = zlib.decompress(body)
        self.bodies.setdefault(self.path, []).append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, dict[str, list[bytes]]]]:
    _Receiver.bodies = {}
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _Receiver.bodies
    finally:
        server.shutdown()
        server.server_close()
