"""The documented path of the OpenTelemetry integration (the code is in
:mod:`pii_tagger.integrations.otel`)."""

from .integrations.otel import (
    CATEGORIES_ATTRIBUTE,
    COUNT_ATTRIBUTE,
    ERROR_ATTRIBUTE,
    RedactingLogRecordProcessor,
    RedactingSpanExporter,
    RedactingSpanProcessor,
    protect,
    redact_log_record,
    redact_span,
    where,
)

__all__ = [
    "CATEGORIES_ATTRIBUTE",
    "COUNT_ATTRIBUTE",
    "ERROR_ATTRIBUTE",
    "RedactingLogRecordProcessor",
    "RedactingSpanExporter",
    "RedactingSpanProcessor",
    "protect",
    "redact_log_record",
    "redact_span",
    "where",
]
