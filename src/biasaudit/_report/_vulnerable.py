"""Groups the Declaration asks special attention for (D7), recognised from common encodings.

Recognition is deliberately conservative and always overridable: ``vulnerable=`` maps a
category to the (attribute, group) pairs it covers, and ``vulnerable=False`` turns the
recognition off.
"""

from __future__ import annotations

import re

from .._validation import _check_option
from ..exceptions import InvalidParameterError

__all__: list[str] = []

CATEGORIES = ("children", "women", "persons_with_disabilities", "older_persons", "migrants")

_SEX = re.compile(r"^(sex|gender|cins|cinsi|cinsiyyət)$", re.I)
_WOMEN = {"female", "f", "woman", "women", "girl", "qadın", "qadin", "qız"}
_AGE = re.compile(r"(^|_)(age|yaş|yas)(_|$|band|group|cat)", re.I)
_DISABILITY = re.compile(r"disab|əlil|elil|handicap", re.I)
_MIGRANT = re.compile(r"migra|immigr|foreign|citizenship|nationality|miqrant", re.I)
_TRUE = {"yes", "true", "1", "y", "bəli", "var"}
_MIGRANT_LABELS = {"migrant", "immigrant", "foreign", "foreigner", "non-citizen", "noncitizen", "refugee",
                   "asylum seeker", "miqrant", "əcnəbi"}
_CHILD_WORDS = {"child", "children", "minor", "minors", "uşaq", "under 18", "<18", "0-17", "below 18"}
_OLDER_WORDS = {"older", "elderly", "senior", "seniors", "yaşlı", "65+", "60+", "70+", "75+", "80+"}


def _age_bounds(label: str):
    """(low, high) years of an age-band label such as '18-24', '65+', '<25', '>=60'."""
    s = label.replace(" ", "").lower()
    if s.isdigit():
        return int(s), int(s)
    m = re.fullmatch(r"(\d+)[-–](\d+)", s)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.fullmatch(r"(\d+)\+|>=?(\d+)|(\d+)andover|over(\d+)|greaterthan(\d+)", s)
    if m:
        low = int(next(g for g in m.groups() if g))
        return low, 200
    m = re.fullmatch(r"<=?(\d+)|under(\d+)|lessthan(\d+)|below(\d+)", s)
    if m:
        high = int(next(g for g in m.groups() if g))
        return 0, high - (0 if s.startswith("<=") else 1)
    return None


def _categories_of(attribute: str, label) -> list[str]:
    text = str(label).strip().lower()
    found = []
    if _SEX.search(attribute) and text in _WOMEN:
        found.append("women")
    if _AGE.search(attribute):
        bounds = _age_bounds(str(label)) if isinstance(label, str) else (label, label)
        if text in _CHILD_WORDS or (bounds and bounds[1] < 18):
            found.append("children")
        if text in _OLDER_WORDS or (bounds and bounds[0] >= 60):
            found.append("older_persons")
    if _DISABILITY.search(attribute) and (text in _TRUE or "disab" in text or "əlil" in text):
        found.append("persons_with_disabilities")
    if _MIGRANT.search(attribute) and (text in _MIGRANT_LABELS or text in _TRUE):
        found.append("migrants")
    return found


def vulnerable_groups(groupings, vulnerable) -> dict:
    """Map (grouping name, group label) to the D7 categories it belongs to.

    An intersection belongs to every category of its components.
    """
    marked: dict = {}
    if vulnerable is False:
        return marked
    if vulnerable is None or vulnerable is True:
        for g in groupings:
            if len(g.attributes) == 1:
                for lab in g.labels:
                    cats = _categories_of(g.attributes[0], lab)
                    if cats:
                        marked[(g.name, lab)] = cats
    else:
        if not isinstance(vulnerable, dict):
            msg = ("report(): `vulnerable` must be None (recognise), False (off) or a dict "
                   f"{{category: [(attribute, group), ...]}}; got {type(vulnerable).__name__}.")
            raise InvalidParameterError(msg)
        known = {g.name: set(g.labels) for g in groupings}
        for category, pairs in vulnerable.items():
            _check_option(category, "vulnerable", set(CATEGORIES), caller="report")
            for attribute, label in pairs:
                if attribute not in known or label not in known[attribute]:
                    msg = (f"report(): `vulnerable[{category!r}]` names ({attribute!r}, {label!r}), which is "
                           f"not an audited group.")
                    raise InvalidParameterError(msg)
                marked.setdefault((attribute, label), []).append(category)
    for g in groupings:
        if len(g.attributes) > 1:
            for lab in g.labels:
                cats = sorted({c for a, part in zip(g.attributes, lab) for c in marked.get((a, part), [])})
                if cats:
                    marked[(g.name, lab)] = cats
    return marked
