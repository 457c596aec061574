"""The documented path of the Spark API (the code is in
:mod:`pii_tagger.archive.spark`)."""

from .archive.spark import ArchiveScan, SparkJobError, SparkStats, redact, scan, scan_files, session, stats, stats_files

__all__ = ["ArchiveScan", "SparkJobError", "SparkStats", "redact", "scan", "scan_files", "session", "stats", "stats_files"]
