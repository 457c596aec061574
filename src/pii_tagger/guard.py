"""The documented path of the export-edge guard (the code is in
:mod:`pii_tagger.security.guard`)."""

from .security.guard import LEAK_MARKER, GuardedFormatter, LeakGuard, leaks

__all__ = ["LEAK_MARKER", "GuardedFormatter", "LeakGuard", "leaks"]
