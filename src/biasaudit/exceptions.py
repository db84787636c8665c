"""Errors and warnings raised by biasaudit.

Every error is an :class:`AuditError`, itself a :class:`ValueError`, so callers that
already catch ``ValueError`` keep working. Every warning is a :class:`BiasAuditWarning`,
so one filter silences or escalates all of them, and each subclass can be filtered alone.
"""

__all__ = [
    "AuditError",
    "InvalidParameterError",
    "BiasAuditWarning",
    "UndefinedMetricWarning",
    "SingleGroupWarning",
    "MissingGroupWarning",
    "ContinuousAttributeWarning",
    "DataChecksumError",
]


class AuditError(ValueError):
    """Base class of the errors raised for bad input or configuration."""


class InvalidParameterError(AuditError, TypeError):
    """A parameter has the wrong type or a value outside its allowed set."""


class DataChecksumError(AuditError):
    """A data file does not have the SHA-256 it is documented to have."""


class BiasAuditWarning(UserWarning):
    """Base class of the warnings issued by biasaudit."""


class UndefinedMetricWarning(BiasAuditWarning, RuntimeWarning):
    """A metric or ratio has a zero denominator for some group and is reported as NaN."""


class SingleGroupWarning(BiasAuditWarning):
    """A protected attribute has a single group, so there is nothing to compare."""


class MissingGroupWarning(BiasAuditWarning):
    """A protected attribute has missing values; they are audited as a group of their own."""


class ContinuousAttributeWarning(BiasAuditWarning):
    """A protected attribute looks continuous (numeric, many distinct values).

    Each distinct value becomes a group of its own, so groups are tiny and comparisons
    weak; band the values first, for example with :func:`biasaudit.bands`.
    """


class ManyGroupsWarning(BiasAuditWarning):
    """Most observed groups are too small to be assessed (fewer rows than ``min_group_size``).

    Typical of many protected attributes crossed together: the combinations outnumber
    what the data can support. Issued once per audit, with the counts.
    """
