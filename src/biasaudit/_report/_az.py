"""Azerbaijani case suffixes after numbers written in digits ("5-dən", "10-dan", "2-yə").

A suffix follows the vowel harmony of the number as it is read aloud, so it depends on
the last number word: 15 is read "on beş" and takes "-dən"; 10 is "on" and takes "-dan";
2,000 is "iki min" and takes "-dən". The last word is the units word if the units digit
is not zero, else the tens word, else "yüz", "min", "milyon" or "milyard". A decimal is
read by its fractional digits ("2,5": "iki tam onda beş"); a percentage by "faiz".
"""

from __future__ import annotations

import math

__all__ = ["last_word", "suffix", "with_suffix"]

_UNITS = {0: "sıfır", 1: "bir", 2: "iki", 3: "üç", 4: "dörd", 5: "beş", 6: "altı", 7: "yeddi", 8: "səkkiz",
          9: "doqquz"}
_TENS = {1: "on", 2: "iyirmi", 3: "otuz", 4: "qırx", 5: "əlli", 6: "altmış", 7: "yetmiş", 8: "səksən",
         9: "doxsan"}
_BACK = set("aıou")
_FRONT = set("eəiöü")
_VOWELS = _BACK | _FRONT

#: case -> (two-way or four-way harmony, forms after a consonant, buffer after a vowel)
_CASES = {
    "abl": ("dan", "dən"),   # ablative: from, than
    "loc": ("da", "də"),     # locative: in, at
    "dat": ("a", "ə"),       # dative: to (buffer y after a vowel)
    "gen": ("ın", "in", "un", "ün"),  # genitive (buffer n after a vowel)
}


def last_word(value) -> str:
    """The last word of a non-negative number read aloud in Azerbaijani.

    Examples
    --------
    >>> [last_word(n) for n in (5, 10, 15, 40, 100, 110, 2000, 1_000_000)]
    ['beş', 'on', 'beş', 'qırx', 'yüz', 'on', 'min', 'milyon']
    >>> last_word("2,5"), last_word("80%")
    ('beş', 'faiz')
    """
    s = str(value).strip().replace("\u2009", "").replace(" ", "")
    if s.endswith("%"):
        return "faiz"
    if "," in s or "." in s:
        whole, _, frac = s.replace(".", ",").partition(",")
        digits = frac.lstrip("0")
        return last_word(int(digits)) if digits else last_word(int(whole or 0))
    n = abs(int(s))
    if n == 0:
        return _UNITS[0]
    if n % 10:
        return _UNITS[n % 10]
    if n % 100:
        return _TENS[(n // 10) % 10]
    if n % 1000:
        return "yüz"
    if n % 1_000_000:
        return "min"
    if n % 1_000_000_000:
        return "milyon"
    return "milyard"


def suffix(value, case: str) -> str:
    """The case suffix that follows ``value`` in Azerbaijani, without the hyphen.

    Examples
    --------
    >>> suffix(5, "abl"), suffix(10, "abl"), suffix(6, "loc"), suffix(2, "dat"), suffix(3, "gen")
    ('dən', 'dan', 'da', 'yə', 'ün')
    """
    word = last_word(value)
    vowel = next(c for c in reversed(word) if c in _VOWELS)
    forms = _CASES[case]
    if len(forms) == 2:
        form = forms[0] if vowel in _BACK else forms[1]
    else:
        form = forms[{"a": 0, "ı": 0, "e": 1, "ə": 1, "i": 1, "o": 2, "u": 2, "ö": 3, "ü": 3}[vowel]]
    if word[-1] in _VOWELS and case in ("dat", "gen"):
        form = ("y" if case == "dat" else "n") + form
    return form


def with_suffix(value, case: str, lang: str = "az") -> str:
    """``value`` as written in a sentence, followed by its suffix: '5-dən'; unchanged in English."""
    if isinstance(value, float) and math.isnan(value):
        return "—"
    shown = str(value)
    return shown if lang != "az" else f"{shown}-{suffix(shown, case)}"
