"""Drop-in replacements for other fairness libraries, computed through biasaudit's count table.

:mod:`biasaudit.compat.fairlearn` takes fairlearn's signatures and returns fairlearn's
results; see ``docs/conventions.md`` for how metric names and signs differ across
fairlearn, AIF360 and Aequitas.
"""

__all__ = ["fairlearn"]
