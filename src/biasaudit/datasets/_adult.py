"""The UCI Adult (Census Income) data: 1994 US census records, income above $50K or not."""

from __future__ import annotations

import os
from typing import Literal

import pandas as pd

from .._validation import _check_option
from ._home import verified_file

__all__ = ["load_adult"]

#: Column names in file order, as documented in ``adult.names`` (the files have no header).
COLUMNS = (
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
    "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
    "hours-per-week", "native-country", "income",
)

_FILES = {"train": ("adult.data",), "test": ("adult.test",), "both": ("adult.data", "adult.test")}


def load_adult(*, data_home: str | os.PathLike[str] | None = None, split: Literal["train", "test", "both"] = "train",
               download: bool = False) -> pd.DataFrame:
    """Load the UCI Adult (Census Income) data from the data home.

    Parameters
    ----------
    data_home : str or path-like or None, default=None
        Folder holding ``adult.data`` and ``adult.test``; None uses
        :func:`biasaudit.datasets.data_home`.
    split : {"train", "test", "both"}, default="train"
        ``"train"`` reads ``adult.data`` (32,561 rows), ``"test"`` reads ``adult.test``
        (16,281 rows), ``"both"`` returns the training rows followed by the test rows
        (48,842) with a fresh index.
    download : bool, default=False
        If a file is not in the data home, fetch it from the UCI Machine Learning
        Repository (or from ``$BIASAUDIT_DATA_URL``), verify its SHA-256 and save it there.

    Returns
    -------
    DataFrame
        One row per person, with the 15 columns of ``adult.names`` under their documented
        names (``age``, ``workclass``, ..., ``native-country``, ``income``) and a 0/1
        column ``income_over_50k``. Protected attributes: ``sex`` (Female, Male),
        ``race`` (White, Black, Asian-Pac-Islander, Amer-Indian-Eskimo, Other), ``age``
        (years) and ``native-country``. Label: ``income``, ``"<=50K"`` or ``">50K"``.
        Unknown values (``"?"`` in the files) are missing (NaN): they occur in
        ``workclass``, ``occupation`` and ``native-country``.

    Raises
    ------
    AuditError
        If a file is not in the data home (and ``download`` is False or fails).
    DataChecksumError
        If its SHA-256 differs from the published one.
    InvalidParameterError
        If ``split`` is not one of the three options.

    Notes
    -----
    The files are read as published: the space after each comma is dropped, the first
    line of ``adult.test`` (``|1x3 Cross validator``) is skipped, and the test labels'
    trailing dot (``">50K."``) is removed so that both parts use the same two labels.

    The label is whether a person's 1994 income exceeded $50,000, a threshold that is not
    adjusted for inflation or cost of living; ``fnlwgt`` is a census sampling weight, not
    a feature of the person. ``relationship`` (Husband, Wife) and ``marital-status`` carry
    information about sex. See ``datasets/adult.md`` in the repository for the datasheet.

    References
    ----------
    .. [1] R. Kohavi, "Scaling Up the Accuracy of Naive-Bayes Classifiers: a
       Decision-Tree Hybrid", Proc. KDD, 1996.

    Examples
    --------
    >>> from biasaudit.datasets import load_adult
    >>> df = load_adult()
    >>> len(df), int(df["income_over_50k"].sum())
    (32561, 7841)
    >>> df["sex"].value_counts().to_dict()
    {'Male': 21790, 'Female': 10771}
    """
    caller = "load_adult"
    _check_option(split, "split", set(_FILES), caller=caller)
    parts = [_read(verified_file(name, data_home, caller=caller, download=download), name)
             for name in _FILES[split]]
    df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    df["income_over_50k"] = (df["income"] == ">50K").astype("int64")
    return df


def _read(path, name) -> pd.DataFrame:
    df = pd.read_csv(
        path,
        header=None,
        names=list(COLUMNS),
        skiprows=1 if name == "adult.test" else 0,
        skipinitialspace=True,
        na_values=["?"],
        keep_default_na=False,
    )
    if name == "adult.test":
        df["income"] = df["income"].str.removesuffix(".")
    return df
