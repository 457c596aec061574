"""Security: the last checks on what leaves a process. ``guard`` (the
export-edge :class:`LeakGuard` on rendered lines and ``logging`` formatters,
and the report-only guard the archive scanner uses), ``otel_guard`` (the same
at OpenTelemetry's exporters) and ``pytest_plugin`` (a service's own tests
failing on leaking output). They import the engine wrapper (including
``pii_tagger.alerts``, which the redactor's audit mode uses too) and the
integrations, never the archive tools or the command line. Their documented
paths are ``pii_tagger.guard`` and ``pii_tagger.otel_guard``."""
