from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]  # tests of our own pytest plugin

# The default redactor (pii_tagger.redact) reads its key from the environment.
os.environ.setdefault("PII_TAGGER_HASH_KEY", "test:pii-tagger-test-key-0123456789")

from pii_tagger import Hasher, Redactor

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT.parent / "shared" / "vectors" / "latvia.toml"


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
