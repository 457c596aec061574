"""What happens to a finding: mask, hash (keyed HMAC-SHA256), drop or keep.

Output written by these actions is recognisable (``[REDACTED:...]`` and
``[HASH:...]``), is never detected again, and never holds more than a few last
characters of the value. The tokens, normalisers and masks are the native
core's (``rust/core/src/act.rs``); this module is their Python face.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from . import _native
from .rules import Action

logger = logging.getLogger("pii_tagger")

HASH_KEY_ENV = "PII_TAGGER_HASH_KEY"


@dataclass(frozen=True, slots=True)
class Target:
    """A detection resolved against the policy: what to write instead of the value."""

    rule: str
    category: int
    label: str
    action: Action
    mask: str = "full"
    normalize: str = "text"
    audited: bool = False  # alerted as audit mode's, although acted on (a credential in audit mode is still dropped)


class HashKeyError(ValueError):
    """The hash key configuration cannot be used (the message never holds the key)."""


class Hasher:
    """Keyed HMAC-SHA256 tokens ``[HASH:<key id>:<hex>]``.

    ``keys`` maps key ids to secrets; the first is used for new tokens, the
    others stay for :meth:`tokens` (finding events written before a rotation).
    """

    __slots__ = ("_keys", "_native", "key_id")

    def __init__(self, keys: Mapping[str, bytes | str]) -> None:
        if not isinstance(keys, Mapping):
            raise HashKeyError(f"hash keys are a mapping of key id to secret, not a {type(keys).__name__}")
        if not keys:
            raise HashKeyError("no hash key given")
        self._keys = [(_key_id(n, key_id), _secret(key_id, secret)) for n, (key_id, secret) in enumerate(keys.items(), 1)]
        try:
            self._native = _native.Keys(self._keys)
        except ValueError as e:
            raise HashKeyError(str(e)) from None
        self.key_id = self._keys[0][0]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Hasher:
        """Keys from ``PII_TAGGER_HASH_KEY`` = ``id:secret[,id:secret...]``, newest first.

        Without it: a random key for this process and one warning, never an
        unkeyed hash. Tokens then differ between processes and restarts.
        """
        spec = environ.get(HASH_KEY_ENV, "").strip()
        if not spec:
            return cls.ephemeral()
        keys: dict[str, str] = {}
        first: dict[str, int] = {}
        for n, part in enumerate(spec.split(","), 1):
            key_id, sep, secret = part.strip().partition(":")
            problem = ("is empty" if not part.strip() else "has no ':' between an id and a secret" if not sep
                       else "has no key id before ':'" if not key_id else "has no secret after ':'" if not secret else "")
            if problem:
                raise HashKeyError(f"{HASH_KEY_ENV}: entry {n} {problem} (expected id:secret[,id:secret...], newest first)")
            _key_id(n, key_id, HASH_KEY_ENV + ": ")
            if key_id in first:  # a second secret under one id would silently replace the first
                raise HashKeyError(f"{HASH_KEY_ENV}: entries {first[key_id]} and {n} have the same key id {key_id!r}")
            first[key_id] = n
            keys[key_id] = secret
        return cls(keys)

    @classmethod
    def ephemeral(cls) -> Hasher:
        """The process's random key, made (and warned about) once."""
        global _ephemeral
        with _ephemeral_lock:
            if _ephemeral is None:
                key_id = "tmp" + secrets.token_hex(2)
                logger.warning(
                    "pii_tagger: no hash key configured (%s); using a random key %r for this process. "
                    "Hash tokens will not match across processes or restarts.",
                    HASH_KEY_ENV,
                    key_id,
                )
                _ephemeral = cls({key_id: secrets.token_bytes(32)})
            return _ephemeral

    def token(self, normalized: str) -> str:
        return self._native.token(normalized)

    def tokens(self, normalized: str) -> dict[str, str]:
        """The token under every configured key, by key id."""
        return dict(self._native.tokens(normalized))

    def fingerprint(self, value: str) -> str:
        """``fp:<key id>:<hex>``: groups repeats of one value in alerts without
        holding it. Keyed, and in another domain than the hash tokens."""
        return self._native.fingerprint(value)

    def secrets(self) -> list[tuple[str, bytes]]:
        """The (key id, secret) pairs, newest first: for the native engine only."""
        return list(self._keys)


_KEY_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def _key_id(n: int, key_id: object, where: str = "") -> str:
    """``key_id`` when it is one; the message never shows it when it is not (it may be a secret put first)."""
    if not isinstance(key_id, str):
        raise HashKeyError(f"{where}hash key {n}: its id is a {type(key_id).__name__}, not a str")
    if not 1 <= len(key_id) <= 16 or not _KEY_ID_CHARS.issuperset(key_id):
        raise HashKeyError(f"{where}hash key {n}: its id ({len(key_id)} characters, not shown) is not 1-16 letters, "
                           "digits, '.', '_' or '-'")
    return key_id


def _secret(key_id: str, secret: object) -> bytes:
    if isinstance(secret, str):
        return secret.encode()
    if isinstance(secret, (bytes, bytearray, memoryview)):
        return bytes(secret)
    # bytes(16) would be sixteen zero bytes: a key anyone can guess.
    raise HashKeyError(f"hash key {key_id!r} is a {type(secret).__name__}; give the secret as str or bytes")


_ephemeral: Hasher | None = None
_ephemeral_lock = threading.Lock()


def normalize(style: str, value: str) -> str:
    """``value`` as it is hashed: one value written two ways gives one token."""
    return _native.normalize(style, value)
