"""Failing closed, and saying so once.

When the engine cannot process an event, the event still goes out, with every
value replaced by a marker and every key by a numbered one: nothing personal
can leak through a bug. The error
is logged once per kind and place to the ``pii_tagger`` logger, with the
exception's type and where it was raised, never its message (a message may
quote the value being processed). When that logger, or the alerts' logger,
would write the record nowhere (disabled, filtered by its level, no handler
up the tree), this is said once on stderr: such reports are never lost silently.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger("pii_tagger")

MARKER = "[REDACTED:error]"
_MAX_REPORTED = 256
_reported: set[tuple[str, str, str]] = set()
_unheard: set[str] = set()  # loggers found writing nowhere, said on stderr
_lock = threading.Lock()


def where(exc: BaseException) -> str:
    """``file:line in function`` of the innermost frame, without the message."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown place"
    frame = frames[-1]
    return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}"


def report_once(kind: str, exc: BaseException, consequence: str = "affected events are redacted whole") -> bool:
    """Log ``exc`` once per (kind, type, place); True when this call logged it."""
    signature = (kind, type(exc).__name__, where(exc))
    return _log_once(signature, "pii_tagger: %s failed with %s at %s; %s (reported once)", *signature, consequence)


def report_condition_once(kind: str, text: str) -> bool:
    """Log ``kind: text`` once (a condition, not an exception); ``text`` never holds a value."""
    return _log_once((kind, text, ""), "pii_tagger: %s: %s (reported once)", kind, text)


def _log_once(signature: tuple[str, str, str], message: str, *args: str) -> bool:
    """Log ``message % args`` unless ``signature`` was logged already (or too many were); True when it logged."""
    with _lock:
        if signature in _reported or len(_reported) >= _MAX_REPORTED:
            return False
        _reported.add(signature)
    say_if_unheard(logger, logging.ERROR, "failure reports")
    logger.error(message, *args)
    return True


def fail_closed(event: Any, categories_key: str, error_key: str, exc: BaseException) -> dict[str, Any]:
    """``event`` with every value replaced by a marker and every key by a
    numbered one (a key can hold personal data too), plus an error field."""
    out: dict[str, Any] = {}
    try:
        if isinstance(event, Mapping):
            out = _blank_mapping(event, 0)
    except Exception:  # noqa: BLE001 - a hostile mapping must not stop the fail-closed path
        out = {}
    out["event"] = MARKER
    out[categories_key] = []
    out[error_key] = f"pii_tagger could not process this event ({type(exc).__name__}); every value was replaced"
    return out


def _blank_mapping(mapping: Mapping[Any, Any], depth: int) -> dict[str, Any]:
    return {f"[REDACTED:key:{i}]": _blank(value, depth + 1) for i, value in enumerate(list(mapping.values())[:1000], 1)}


def _blank(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Mapping) and depth < 8:
        return _blank_mapping(value, depth)
    if isinstance(value, (list, tuple)) and depth < 8:
        return [_blank(v, depth + 1) for v in value[:1000]]
    return MARKER


def unheard(target: logging.Logger, level: int) -> str | None:
    """Why a record at ``level`` to ``target`` would be written by no handler
    (logging's last resort aside), or None when some handler gets it."""
    if target.disabled:
        return ("is disabled (dictConfig's disable_existing_loggers, true unless set, turns off every logger "
                "that exists: set it to False or list the logger)")
    if target.manager.disable >= level:
        return "is disabled by logging.disable()"
    if not target.isEnabledFor(level):
        return f"drops {logging.getLevelName(level)} records (its level is {logging.getLevelName(target.getEffectiveLevel())})"
    current: logging.Logger | None = target
    while current is not None:
        if current.handlers:
            return None
        current = current.parent if current.propagate else None
    return "has no handler, nor has any logger above it (logging's last resort prints them on stderr, unformatted, or nothing)"


def say_if_unheard(target: logging.Logger, level: int, what: str) -> None:
    """Say once on stderr that pii_tagger's ``what`` to ``target`` are written nowhere."""
    reason = unheard(target, level)
    if reason is None:
        return
    with _lock:
        if target.name in _unheard:
            return
        _unheard.add(target.name)
    try:
        sys.stderr.write(f"pii_tagger: {what} go to the logger '{target.name}', which {reason}; "
                         "they reach no log (said once)\n")
    except Exception:  # noqa: BLE001, S110 - no stderr (pythonw, a closed stream): nothing else to tell
        pass
