"""How a metric's values are written in a report: as a share, an amount or an index.

A rate (selection rate, TPR, the share predicted as a class, the scoring rate) is a share,
written as a percentage and its gaps in percentage points. An amount (a mean prediction,
a mean error, a mean absolute error) has the units of the predictions, which the report
does not know: it is written as a plain number, and its gap as a plain number and as a
share of the reference's value ("412 against 530 (−118, −22%)"). An index (AUC, average
precision, Brier score, observed/expected, R squared) is a number between bounds of its
own, written with three decimals and its gap in the same units.

Per-class metrics are named after their class: ``selection_rate[1]`` of classes
``("High", "Low", "Medium")`` is "share predicted as Low".
"""

from __future__ import annotations

import math
import re

from .._metrics import get_metric
from ._texts import TEXTS, bare_points, number, percent, rounds_to_zero

__all__ = ["amount", "metric_in_sentence", "metric_label", "scale", "signed", "value_text", "gap_text"]

_SIGNED = {"mean_error"}
_CLASS = re.compile(r"^(?P<base>[a-z_]+)\[(?P<k>\d+)\]$")


def scale(metric: str) -> str:
    """``"share"``, ``"amount"`` or ``"index"``: how the values of ``metric`` are written.

    Examples
    --------
    >>> scale("selection_rate[2]"), scale("mean_prediction"), scale("roc_auc")
    ('share', 'amount', 'index')
    """
    m = get_metric(metric)
    if getattr(m, "estimator", None) == "proportion" or m.kind == "rate" or metric.startswith("macro_"):
        return "share"  # a macro average is a mean of shares
    if getattr(m, "estimator", None) == "mean":
        return "amount"
    return "index"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _digits(*values) -> int:
    """Decimals that give about four significant digits to the largest of ``values``."""
    top = max((abs(v) for v in values if not _missing(v)), default=0.0)
    if top == 0 or top >= 1000:
        return 0
    return max(0, 3 - math.floor(math.log10(top)))


def amount(value, lang: str, digits: int | None = None) -> str:
    """An amount as a plain number: thousands separated, about four significant digits.

    Examples
    --------
    >>> amount(412.3456, "en"), amount(12345.6, "en"), amount(0.0123, "az"), amount(-2.5, "en")
    ('412.3', '12,346', '0,01230', '−2.500')
    """
    if _missing(value):
        return "—"
    if value < 0:
        return "−" + amount(-value, lang, digits if digits is not None else _digits(value))
    d = _digits(value) if digits is None else digits
    out = f"{value:,.{d}f}" if abs(value) >= 1000 else f"{value:.{d}f}"
    if lang == "az":
        out = out.replace(",", " ").replace(".", ",")
    return out


def signed(text: str, value) -> str:
    """``text`` with a typographic sign: '+12.5', '−3.1'."""
    if _missing(value):
        return "—"
    text = text.lstrip("-")
    if rounds_to_zero(text):
        return text
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def value_text(metric: str, value, lang: str, *, digits: int | None = None) -> str:
    """One value of ``metric`` as the report writes it."""
    kind = scale(metric)
    if kind == "share":
        return percent(value, lang)
    if kind == "amount":
        return amount(value, lang, digits)
    return signed_number(value, lang, 3)


def score_text(value, lang: str) -> str:
    """A score threshold: a whole number as it is (a decile score of 5), else three decimals."""
    return number(value, lang, 0 if float(value).is_integer() else 3)


def signed_number(value, lang: str, digits: int = 2) -> str:
    """A number with a typographic minus for negative values: '−4.19'."""
    if _missing(value):
        return "—"
    shown = number(abs(value), lang, digits)
    return "−" + shown if value < 0 and not rounds_to_zero(shown) else shown


def gap_text(metric: str, difference, reference_value, lang: str, *, digits: int | None = None) -> str:
    """A gap as the report writes it, with its unit: '−4.2 percentage points', '−118 (−22%)', '−0.052'."""
    kind = scale(metric)
    if _missing(difference):
        return "—"
    if kind == "share":
        return TEXTS[lang]["pp"].format(value=bare_points(difference, lang))
    if kind == "amount":
        shown = signed(amount(abs(difference), lang, digits), difference)
        # a share of the reference only for amounts that are positive by nature (not a signed error)
        if _missing(reference_value) or reference_value <= 0 or metric in _SIGNED:
            return shown
        share = abs(difference / reference_value)
        return f"{shown}, {signed(percent(share, lang, 0 if share >= 0.095 else 1), difference)}"
    return signed(number(abs(difference), lang, 3), difference)


def bound_text(metric: str, value, lang: str, *, digits: int | None = None) -> str:
    """An interval bound of a gap, signed, without the unit."""
    kind = scale(metric)
    if kind == "share":
        return bare_points(value, lang)
    if _missing(value):
        return "—"
    shown = amount(abs(value), lang, digits) if kind == "amount" else number(abs(value), lang, 3)
    return signed(shown, value)


def class_labels(result) -> tuple:
    """The class labels of a multiclass audit, in the order of the ``[k]`` metrics; () otherwise."""
    if result.counts.family not in ("multiclass", "multiclass_decisions"):
        return ()
    axes: dict = dict(result.counts.cell_axes)
    labels = axes.get("y_pred", axes.get("y_true"))
    return tuple(labels) if labels is not None else ()


def metric_in_sentence(metric: str, lang: str, classes=()) -> str:
    """The name of ``metric`` inside a sentence: "selection rate", while "AUC" stays as it is."""
    name = metric_label(metric, lang, classes)
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def metric_label(metric: str, lang: str, classes=()) -> str:
    """The name of ``metric`` in ``lang``, per-class metrics named after their class."""
    t = TEXTS[lang]
    found = _CLASS.match(metric)
    if found and classes:
        k = int(found["k"])
        label = str(classes[k]) if k < len(classes) else found["k"]
        out = t["class_metric"].get(found["base"], t["class_metric_other"]).format(
            metric=t["metric_name"][found["base"]] if found["base"] in t["metric_name"] else found["base"],
            label=label)
        return out[:1].upper() + out[1:]
    return t["metric_name"][metric]
