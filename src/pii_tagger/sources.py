"""Where an event comes from: one definition for audit and leak alerts, the
guard, ``query`` and ``stats``.

An event's source is the first of ``service``, ``service.name``, ``logger``
and ``logger_name`` (:data:`SOURCE_KEYS`, the order the native core reads
JSON lines by) that holds a non-empty string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._native import SOURCE_KEYS

__all__ = ["SOURCE_KEYS", "source_of"]


def source_of(event: Mapping[str, Any], default: str = "-") -> str:
    """The source ``event`` names, else ``default``."""
    for key in SOURCE_KEYS:
        value = event.get(key)
        if isinstance(value, str) and value:
            return value
    return default
