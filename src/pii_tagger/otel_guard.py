"""The documented path of the guard at OpenTelemetry's exporters (the code is
in :mod:`pii_tagger.security.otel_guard`)."""

from .security.otel_guard import GuardedLogRecordProcessor, GuardedSpanExporter

__all__ = ["GuardedLogRecordProcessor", "GuardedSpanExporter"]
