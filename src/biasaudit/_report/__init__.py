"""Audit reports mapped to the Baku Declaration: HTML, Markdown, JSON and CSV, in English and Azerbaijani.

Private package; the public entry point is :meth:`biasaudit.AuditResult.report`, which
returns a :class:`Report`.
"""

from ._report import Report, build_report

__all__ = ["Report", "build_report"]
