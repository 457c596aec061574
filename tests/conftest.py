from __future__ import annotations

import os
import tomllib
from pathlib import Path
from collections.abc import Iterator
from typing import Any

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
