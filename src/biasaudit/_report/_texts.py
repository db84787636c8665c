"""Every fixed text of a report, in English and Azerbaijani, and locale-aware number formats.

Templates use ``str.format`` fields; values are formatted by the helpers below before they
are substituted, and escaped by the HTML renderer afterwards.
"""

from __future__ import annotations

import math

from ._texts_az import AZ
from ._texts_en import EN
from ._texts_tasks import TASK_AZ, TASK_EN, merge

__all__: list[str] = []

LANGUAGES = ("en", "az")

TEXTS = {"en": EN, "az": AZ}
merge(EN, TASK_EN)
merge(AZ, TASK_AZ)

CORRECTION_NAMES = {
    "en": {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"},
    "az": {"holm": "Holm üsulu", "fdr_bh": "Benjamini-Hoxberq üsulu", "bonferroni": "Bonferroni üsulu"},
}
INTERVAL_NAMES = {
    "en": {"wilson": "Wilson", "clopper-pearson": "Clopper-Pearson", "jeffreys": "Jeffreys"},
    "az": {"wilson": "Uilson", "clopper-pearson": "Klopper-Pirson", "jeffreys": "Ceffris"},
}


def text(lang: str, key: str, **fields) -> str:
    """The fixed text ``key`` in ``lang``, with ``fields`` substituted."""
    template = TEXTS[lang][key]
    return template.format(**fields) if fields else template


def number(value, lang: str, digits: int = 3) -> str:
    """A number with the language's decimal separator; an em dash for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    out = f"{value:.{digits}f}"
    return out.replace(".", ",") if lang == "az" else out


def ratio_text(value, lang: str, threshold=None) -> str:
    """An impact ratio, with the decimals it needs: three below 0.1 (four below 0.001), so
    that 0.005 does not print as "0.00", and more where two would print a ratio just below
    ``threshold`` as the threshold itself ("0.80, below the threshold of 0.80").

    Examples
    --------
    >>> ratio_text(0.7996, "en", 0.8), ratio_text(0.79, "en", 0.8), ratio_text(0.005, "az")
    ('0.7996', '0.79', '0,005')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    digits = 2 if not value < 0.1 else 3 if value >= 0.001 else 4
    if threshold is not None:
        shown = round(float(threshold), 2)
        while value < shown and round(value, digits) >= shown and digits < 6:
            digits += 1
    return number(value, lang, digits)


def percent(value, lang: str, digits: int = 1) -> str:
    """A proportion as a percentage: 0.324 -> 32.4% (32,4% in Azerbaijani)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return number(100 * value, lang, digits) + "%"


def points(value, lang: str) -> str:
    """A difference of proportions in percentage points, with its sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return text(lang, "pp", value=sign + number(abs(100 * value), lang, 1))


def pvalue(value, lang: str) -> str:
    """A p-value with its relation: '= 0.023' or '< 0.001'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "= —"
    if value < 0.001:
        return "< " + number(0.001, lang, 3)
    return "= " + number(value, lang, 3)


def bare_points(value, lang: str) -> str:
    """A difference of proportions in percentage points, signed, without the unit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    shown = number(abs(100 * value), lang, 1)
    # a gap that rounds to zero is written without a sign: "+0.0" would claim a direction
    sign = "" if rounds_to_zero(shown) else "+" if value > 0 else ("−" if value < 0 else "")
    return sign + shown


def rounds_to_zero(shown: str) -> bool:
    """Whether a formatted number shows zero ("0.0", "0,00", "0")."""
    return all(ch in "0.,\u00a0 " for ch in shown)


def integer(value, lang: str) -> str:
    """A whole number with thousands separators (a space in Azerbaijani)."""
    out = f"{int(round(value)):,}"
    return out.replace(",", " ") if lang == "az" else out


class _RegistryFallback(dict):
    """Names and meanings of metrics without a text here (regression, per-class): from the registry."""

    def __init__(self, texts, meaning: bool):
        super().__init__(texts)
        self.meaning = meaning

    def __missing__(self, key):
        from .._metrics import get_metric

        m = get_metric(key)
        return f"{m.label}: {m.formula}" if self.meaning else m.label


for _lang in TEXTS:
    TEXTS[_lang]["metric_name"] = _RegistryFallback(TEXTS[_lang]["metric_name"], meaning=False)
    TEXTS[_lang]["meaning_of"] = _RegistryFallback(TEXTS[_lang]["meaning_of"], meaning=True)
