"""The Report object: one model, four renderings, optional files."""

from __future__ import annotations

import copy
import json
import os
from importlib import resources
from pathlib import Path

from .._atomic import write_text_atomic
from .._validation import _check_option
from ..exceptions import InvalidParameterError
from . import _render
from ._model import SCHEMA_VERSION, annex_max_severity, build_model
from ._texts import LANGUAGES

__all__ = ["Report", "build_report", "report_schema"]


def report_schema() -> dict:
    """The JSON Schema of a report's JSON rendering (shipped with the package)."""
    path = resources.files("biasaudit._report").joinpath("schema").joinpath(f"report-{SCHEMA_VERSION}.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


class Report:
    """An audit report: findings, evidence and the Declaration's provisions, ready to publish.

    Create it with :meth:`biasaudit.AuditResult.report`. ``to_html``, ``to_markdown``,
    ``to_json`` and ``to_csv`` return the rendering and, given a path, also write it.

    Attributes
    ----------
    findings : list of dict
        The findings, most severe first.
    max_severity : {"none", "low", "medium", "high"}
        The highest severity among the findings.
    edition : {"public", "regulator_annex"}
        The published edition suppresses small cells; the annex does not.
    """

    def __init__(self, model: dict, extra_figures=None, annex_severity=None) -> None:
        self._model = model
        # figures drawn from the result itself (ROC and reliability curves of a score
        # audit): a callable, so that only an HTML rendering pays for them
        self._extra_figures = extra_figures
        # the annex's highest severity, for a gate (a callable: computed when asked)
        self._annex_severity = annex_severity

    @property
    def findings(self) -> list:
        return copy.deepcopy(self._model["findings"])

    @property
    def max_severity(self) -> str:
        return self._model["summary"]["max_severity"]

    @property
    def annex_max_severity(self) -> str:
        """The highest severity of the regulator's annex of the same audit.

        The published edition gives no finding for a comparison whose figures it withholds
        (its verdict would narrow the withheld counts), so its ``max_severity`` can be lower
        than the annex's. A gate (``--fail-on``) reads this one; no rendering shows it.
        """
        if self._annex_severity is None:
            return self.max_severity
        if callable(self._annex_severity):
            self._annex_severity = self._annex_severity()
        return self._annex_severity

    @property
    def edition(self) -> str:
        return self._model["report"]["edition"]

    def to_dict(self) -> dict:
        """The report model as plain Python (a deep copy).

        Returns
        -------
        dict
            The data every rendering is made from, as described by ``report_schema()``.
        """
        return copy.deepcopy(self._model)

    def _write(self, content: str, path) -> str:
        if path is not None:
            write_text_atomic(Path(path), content)
        return content

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """The report as JSON following ``report_schema()``.

        Parameters
        ----------
        path : str, path-like or None, default=None
            File to write as well (UTF-8); None only returns the text.

        Returns
        -------
        str
            The rendering.
        """
        return self._write(_render.to_json(self._model), path)

    def to_markdown(self, path: str | os.PathLike[str] | None = None) -> str:
        """The report as Markdown (without figures).

        Parameters
        ----------
        path : str, path-like or None, default=None
            File to write as well (UTF-8); None only returns the text.

        Returns
        -------
        str
            The rendering.
        """
        return self._write(_render.to_markdown(self._model), path)

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """The report as one self-contained HTML page with inline SVG figures.

        Parameters
        ----------
        path : str, path-like or None, default=None
            File to write as well (UTF-8); None only returns the text.

        Returns
        -------
        str
            The rendering.
        """
        from ._plots import figures

        extra = self._extra_figures() if self._extra_figures is not None else []
        return self._write(_render.to_html(self._model, figures(self._model) + extra), path)

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """The results table as CSV, suppression applied and formulas neutralised.

        Parameters
        ----------
        path : str, path-like or None, default=None
            File to write as well (UTF-8); None only returns the text.

        Returns
        -------
        str
            The rendering.
        """
        return self._write(_render.to_csv(self._model), path)

    def __repr__(self):
        return (f"Report(edition={self.edition!r}, language={self._model['report']['language']!r}, "
                f"findings={len(self._model['findings'])}, max_severity={self.max_severity!r})")


def build_report(result, *, metadata=None, language="en", vulnerable=None, min_cell=10, full=False,
                 generated_at=None) -> Report:
    """Validate the options and build the report of ``result``."""
    caller = "report"
    _check_option(language, "language", set(LANGUAGES), caller=caller)
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        msg = f"{caller}(): `min_cell` must be an integer >= 1; got {min_cell!r}."
        raise InvalidParameterError(msg)
    if metadata is not None and not isinstance(metadata, dict):
        msg = f"{caller}(): `metadata` must be a dict or None; got {type(metadata).__name__}."
        raise InvalidParameterError(msg)
    if not isinstance(full, bool):
        msg = f"{caller}(): `full` must be True or False; got {full!r}."
        raise InvalidParameterError(msg)
    model = build_model(result, metadata=metadata, language=language, vulnerable=vulnerable, min_cell=min_cell,
                        full=full, generated_at=generated_at)
    extra = None
    if result.counts.family == "score":
        def extra():
            from ._published import publication
            from ._score_figures import score_figures

            return score_figures(result, model, None if full else publication(result, min_cell=min_cell))
    annex = None if full else (lambda: annex_max_severity(result, vulnerable=vulnerable, min_cell=min_cell))
    return Report(model, extra, annex)


