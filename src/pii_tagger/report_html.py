"""The documented path of the HTML report of ``stats`` (the code is in
:mod:`pii_tagger.archive.report_html`)."""

from .archive.report_html import render_html

__all__ = ["render_html"]
