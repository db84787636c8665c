"""Values typed on the command line (always text) matched to the values of a column."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ._errors import CliError

__all__ = ["binarise", "column_values", "match_value", "shown"]

_TRUE = {"1", "true", "t", "yes", "y"}
_FALSE = {"0", "false", "f", "no", "n"}
_SHOWN = 10  # values listed in a message


def column_values(series: pd.Series) -> list:
    """Distinct non-missing values of ``series``, sorted (by text where types are mixed)."""
    values = list(pd.unique(series.dropna()))
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


def shown(values) -> str:
    """Values as a short comma-separated text for messages."""
    items = [_plain(v) for v in values[:_SHOWN]]
    text = ", ".join(str(v) for v in items)
    return text + (f", ... ({len(values)} in all)" if len(values) > _SHOWN else "")


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _means(text: str, value) -> bool:
    """Whether ``text`` (from the command line or a manifest) denotes ``value``."""
    if isinstance(value, (bool, np.bool_)):
        return text.strip().lower() in (_TRUE if value else _FALSE)
    if isinstance(value, numbers.Real):
        try:
            return float(text) == float(value)
        except ValueError:
            return False
    return str(value) == text


def match_value(given, values: list):
    """The element of ``values`` that ``given`` means, or None.

    Text matches a string value exactly first; otherwise "1" means the integer 1, "1.0" the
    float 1.0 and "true"/"yes"/"1" the boolean True. A non-text value (from a TOML
    manifest) matches an equal value of the same kind, else it is matched by its text.
    """
    if not isinstance(given, str):
        for v in values:
            same_kind = isinstance(v, (bool, np.bool_)) == isinstance(given, bool)
            if same_kind and not isinstance(v, str) and v == given:
                return v
        given = str(given)
    for v in values:
        if isinstance(v, str) and v == given:
            return v
    for v in values:
        if _means(given, v):
            return v
    return None


def _looks_numeric(value) -> bool:
    return isinstance(value, (numbers.Number, np.bool_))


def binarise(series: pd.Series, *, option: str, positive=None, pos_label="1",
             pos_option: str = "--pos-label") -> np.ndarray:
    """The boolean array "this row is positive" of a label column, checked.

    Parameters
    ----------
    series : Series
        The label column.
    option : str
        How the user named the column (``--y-true`` or ``y_true``), for messages.
    positive : list or None
        Values counted as positive (``--y-true-positive``); the column may then have any
        number of distinct values.
    pos_label : str or scalar
        Otherwise, the one positive value; the column must then be binary.
    pos_option : str
        How the user names ``pos_label``, for messages.
    """
    name = series.name
    positive_option = f"{option}-positive" if option.startswith("--") else f"{option}_positive"
    n_missing = int(series.isna().sum())
    if n_missing:
        msg = (f"column {name!r} ({option}) has {n_missing} missing values in {len(series)} rows; "
               f"labels must be complete. Hint: drop or fill those rows first.")
        raise CliError(msg)
    values = column_values(series)
    if any(isinstance(v, str) for v in values) and not all(isinstance(v, str) for v in values):
        msg = (f"column {name!r} ({option}) mixes text and numbers ({shown(values)}), so equal-looking labels "
               f"such as 1 and \"1\" would be counted differently. Hint: write the column with one type.")
        raise CliError(msg)
    if positive is not None:
        matched = []
        for given in positive:
            value = match_value(given, values)
            if value is None:
                msg = (f"{positive_option} value {given!r} is not in column {name!r}, whose values are "
                       f"{shown(values)}.")
                raise CliError(msg)
            matched.append(value)
        return series.isin(matched).to_numpy(dtype=bool)
    if len(values) > 2:
        msg = (f"column {name!r} ({option}) has {len(values)} distinct values ({shown(values)}) but must "
               f"be binary. Hint: say which values count as positive, e.g. {positive_option} "
               f"{_plain(values[-1])}.")
        raise CliError(msg)
    label = match_value(pos_label, values)
    means_one = match_value(pos_label, [1]) is not None
    others = [v for v in values if v is not label]
    if means_one and others and all(_looks_numeric(v) for v in values) and any(v != 0 for v in others):
        # 0.5 or 2 next to 1 (or a column of 7.0s) is no plain "negative": refuse to guess
        msg = (f"column {name!r} ({option}) has the values {shown(values)}; with {pos_option} {pos_label!r} the "
               f"others must be 0. Hint: say which values count as positive, e.g. {positive_option} "
               f"{_plain(values[-1])}, or binarise the column first.")
        raise CliError(msg)
    if label is None:
        all_negative = len(values) == 1 and _looks_numeric(values[0]) and means_one
        if not all_negative:
            msg = (f"{pos_option} {pos_label!r} is not among the values of column {name!r} ({option}), "
                   f"which are {shown(values)}. Hint: pass {pos_option} with the value meaning the "
                   f"positive outcome, or {positive_option} VALUE[,VALUE].")
            raise CliError(msg)
        return np.zeros(len(series), dtype=bool)
    return series.eq(label).to_numpy(dtype=bool)
