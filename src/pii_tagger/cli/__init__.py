"""The command line, ``pii-tagger``: ``main`` (the parser, ``redact``,
``scan``, ``token``, ``categories``) and ``sre`` (``query``, ``stats`` and
their reports). It may import everything in the package; nothing in the
package imports it but ``pii_tagger.spark_submit``, spark-submit's script."""
