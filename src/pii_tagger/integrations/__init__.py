"""The integrations: where the redactor meets a logging or tracing library.
``stdlib`` (the ``logging`` filter and ``install()``), ``otel`` (span and
log-record processors and exporters) and ``otel_redaction`` (how spans and
log records are redacted, copied and blanked; shared with the guard); the
structlog processor is the :class:`~pii_tagger.Redactor` itself. They import
the engine wrapper (the modules at the package's top) and each other, never
the security tools, the archive tools or the command line. Their documented
paths are ``pii_tagger.stdlib`` and ``pii_tagger.otel``."""
