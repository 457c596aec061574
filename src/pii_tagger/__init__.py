"""pii_tagger: find, redact and tag personal data in logs and traces.

The modules at this level are the engine wrapper over the native engine
(``_native``): ``engine`` (the :class:`Redactor`, also the structlog
processor), ``rules``, ``policy``, ``actions``, ``alerts``, ``failsafe`` and
``sources``; they import none of the folders (``integrations``,
``security``, ``archive``, ``cli``), which stand on them. The other modules
here are the documented paths of moved ones (``stdlib``, ``otel``,
``guard``, ``otel_guard``, ``spark``, ``report_html``) and spark-submit's
script (``spark_submit``).

>>> import pii_tagger
>>> pii_tagger.redact({"event": "paid", "iban": "LV80BANK0000435195001"})
{'event': 'paid', 'iban': '[REDACTED:iban:..5001]', 'pii_categories': [11]}
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from .actions import Hasher, HashKeyError, Target
from .engine import CATEGORIES_KEY, ERROR_KEY, SUMMARY_KEY, Redactor
from .policy import Policy, PolicyError
from .rules import Category, RuleFileError, RuleSet, load_rules

__all__ = [
    "CATEGORIES_KEY",
    "ERROR_KEY",
    "SUMMARY_KEY",
    "Category",
    "HashKeyError",
    "Hasher",
    "Policy",
    "PolicyError",
    "Redactor",
    "RuleFileError",
    "RuleSet",
    "Target",
    "default_redactor",
    "load_rules",
    "redact",
]
__version__ = "0.1.0"

_default: Redactor | None = None
_default_lock = threading.Lock()


def default_redactor() -> Redactor:
    """The process-wide :class:`Redactor` with the shipped rules and default policy."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Redactor()
    return _default


def redact(event: Mapping[str, Any]) -> dict[str, Any]:
    """A redacted copy of ``event`` with ``pii_categories``, under the default policy."""
    return default_redactor().redact(event)
