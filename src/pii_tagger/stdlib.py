"""The documented path of the ``logging`` integration (the code is in
:mod:`pii_tagger.integrations.stdlib`)."""

from .integrations.stdlib import PiiFilter, install, redact_record

__all__ = ["PiiFilter", "install", "redact_record"]
