"""Encode each protected attribute once into integer codes and keep its labels.

Missing values (NaN, None, pd.NA, NaT) get the code -1 here; the kernel gives them a
group of their own, named :data:`MISSING_LABEL`, placed after the observed labels.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["MISSING_LABEL"]

#: Label of the group formed by rows whose protected value is missing.
MISSING_LABEL = "(missing)"


class EncodedAttribute(NamedTuple):
    """Integer codes of one protected attribute (-1 = missing) and its labels."""

    name: str
    codes: np.ndarray
    labels: tuple
    missing_label: str | None

    @property
    def levels(self) -> tuple:
        """Labels in table order: observed labels, then the missing label if any."""
        return self.labels if self.missing_label is None else (*self.labels, self.missing_label)


def _python_labels(values) -> list:
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def _factorize(arr: np.ndarray) -> tuple[np.ndarray, list]:
    try:
        codes, uniques = pd.factorize(arr, sort=True, use_na_sentinel=True)
        return codes, _python_labels(uniques)
    except TypeError:
        # Mixed label types (e.g. 1 and "a") cannot be ordered; order them by type, then text.
        codes, uniques = pd.factorize(arr, sort=False, use_na_sentinel=True)
        labels = _python_labels(uniques)
        order = sorted(range(len(labels)), key=lambda i: (type(labels[i]).__name__, repr(labels[i])))
        remap = np.empty(len(labels) + 1, dtype=np.intp)
        remap[np.asarray(order, dtype=np.intp)] = np.arange(len(labels))
        remap[-1] = -1
        return remap[codes], [labels[i] for i in order]


def encode_attribute(column, name: str) -> EncodedAttribute:
    """Encode one protected column without copying categorical or boolean codes."""
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes  # a view: no copy of the codes
        labels = _python_labels(column.cat.categories)
    elif isinstance(column, pd.Categorical):
        codes = column.codes
        labels = _python_labels(column.categories)
    else:
        arr = column.to_numpy() if isinstance(column, (pd.Series, pd.Index)) else np.asarray(column)
        if arr.dtype == bool:
            codes, labels = arr.view(np.int8), [False, True]
        else:
            codes, labels = _factorize(arr)
    missing_label = None
    if codes.size and codes.min() < 0:
        missing_label = MISSING_LABEL
        while missing_label in labels:
            missing_label += "*"
    return EncodedAttribute(str(name), codes, tuple(labels), missing_label)
