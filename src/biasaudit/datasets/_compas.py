"""ProPublica's COMPAS two-year recidivism data (Broward County, 2013-2014)."""

from __future__ import annotations

import os
from typing import Literal

import pandas as pd

from .._validation import _check_option
from ._home import verified_file

__all__ = ["load_compas"]


def load_compas(*, data_home: str | os.PathLike[str] | None = None,
                cohort: Literal["propublica", "all"] = "propublica", download: bool = False) -> pd.DataFrame:
    """Load ``compas-scores-two-years.csv`` from the data home.

    Parameters
    ----------
    data_home : str or path-like or None, default=None
        Folder holding the file; None uses :func:`biasaudit.datasets.data_home`.
    cohort : {"propublica", "all"}, default="propublica"
        ``"propublica"`` applies ProPublica's filter (6,172 rows): charge within 30 days
        of screening (``days_b_screening_arrest`` in [-30, 30]), ``is_recid != -1``,
        ``c_charge_degree != "O"`` and ``score_text != "N/A"``. ``"all"`` keeps all
        7,214 rows.
    download : bool, default=False
        If the file is not in the data home, fetch it from ProPublica's repository on
        GitHub (or from ``$BIASAUDIT_DATA_URL``), verify its SHA-256 and save it there.

    Returns
    -------
    DataFrame
        One row per person. Protected attributes: ``race``, ``sex``, ``age_cat``.
        Outcome: ``two_year_recid`` (1 = re-offended within two years). Decision:
        ``score_text`` (Low, Medium, High); ProPublica treats Medium or High as the
        positive (unfavourable) prediction.

    Raises
    ------
    AuditError
        If the file is not in the data home (and ``download`` is False or fails).
    DataChecksumError
        If its SHA-256 (or that of the downloaded file) differs from the published one.

    Notes
    -----
    The outcome is re-arrest, a proxy for re-offending that itself reflects policing
    practice. See ``datasets/compas.md`` in the repository for the datasheet.

    Examples
    --------
    >>> from biasaudit.datasets import load_compas
    >>> df = load_compas()
    >>> len(df), int(df["two_year_recid"].sum())
    (6172, 2809)
    """
    _check_option(cohort, "cohort", {"propublica", "all"}, caller="load_compas")
    path = verified_file("compas-scores-two-years.csv", data_home, caller="load_compas",
                         download=download)
    df = pd.read_csv(path)
    if cohort == "propublica":
        keep = (
            df["days_b_screening_arrest"].between(-30, 30)
            & (df["is_recid"] != -1)
            & (df["c_charge_degree"] != "O")
            & df["score_text"].notna()
            & (df["score_text"] != "N/A")
        )
        df = df.loc[keep].reset_index(drop=True)
    return df
