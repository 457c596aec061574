"""The archive tools: what the commands do to log files already written.
``files`` (reading archives in chunks, worker processes), ``scan`` (the
leak scanner), ``query`` and ``stats`` (the SRE commands), ``eventtime`` (an
event's time), ``report_html`` (the HTML report), ``tokens`` (the hash token
of a known value) and ``spark``, ``spark_batches`` (the same on Spark: the
driver's API and what its tasks run). They import the engine wrapper and the
security tools (the scanner's guard), never the integrations or the command
line. Their documented paths are ``pii_tagger.spark`` and
``pii_tagger.report_html``."""
