"""biasaudit: independent algorithmic bias audits with honest statistics.

The public API is what this module lists in ``__all__``; everything in an underscored
module is private and may change without notice.
"""

from . import datasets, exceptions, stats
from ._audit import audit, audit_counts
from ._bands import bands
from ._encoding import MISSING_LABEL
from ._ordinal import audit_ordinal
from ._metrics import Metric, get_metric, list_metrics, metric_from_counts
from ._report import Report
from ._result import AuditResult
from ._tables import GroupCounts, Table, group_counts
from .exceptions import (
    AuditError,
    BiasAuditWarning,
    ContinuousAttributeWarning,
    InvalidParameterError,
    MissingGroupWarning,
    SingleGroupWarning,
    UndefinedMetricWarning,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "AuditError",
    "AuditResult",
    "BiasAuditWarning",
    "ContinuousAttributeWarning",
    "GroupCounts",
    "InvalidParameterError",
    "MISSING_LABEL",
    "Metric",
    "MissingGroupWarning",
    "Report",
    "SingleGroupWarning",
    "Table",
    "UndefinedMetricWarning",
    "__version__",
    "audit",
    "audit_counts",
    "audit_ordinal",
    "bands",
    "datasets",
    "exceptions",
    "get_metric",
    "group_counts",
    "list_metrics",
    "metric_from_counts",
    "stats",
]
