"""biasaudit: independent algorithmic bias audits with honest statistics.

The public API is what this module lists in ``__all__``; everything in an underscored
module is private and may change without notice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .exceptions import (
    AuditError,
    BiasAuditWarning,
    ContinuousAttributeWarning,
    InvalidParameterError,
    ManyGroupsWarning,
    MissingGroupWarning,
    SingleGroupWarning,
    UndefinedMetricWarning,
)

__version__ = "0.1.0.dev0"

# Public names and the module defining each, imported on first use (PEP 562): `import
# biasaudit` and `biasaudit --help` do not pay for pandas, SciPy, matplotlib and the reports.
_LAZY = {
    "audit": "._audit", "audit_counts": "._audit", "bands": "._bands", "MISSING_LABEL": "._encoding",
    "audit_ordinal": "._ordinal", "Metric": "._metrics", "get_metric": "._metrics", "list_metrics": "._metrics",
    "metric_from_counts": "._metrics", "Report": "._report", "AuditResult": "._result",
    "GroupCounts": "._tables", "Table": "._tables", "group_counts": "._tables",
    "GroupRatesDisplay": ".plotting", "DisparityDisplay": ".plotting", "GroupRocDisplay": ".plotting",
    "GroupCalibrationDisplay": ".plotting", "IntersectionHeatmapDisplay": ".plotting",
}
_SUBMODULES = ("datasets", "exceptions", "stats")

if TYPE_CHECKING:  # what type checkers and IDEs see
    from . import datasets, stats
    from ._audit import audit, audit_counts
    from ._bands import bands
    from ._encoding import MISSING_LABEL
    from ._metrics import Metric, get_metric, list_metrics, metric_from_counts
    from ._ordinal import audit_ordinal
    from ._report import Report
    from ._result import AuditResult
    from ._tables import GroupCounts, Table, group_counts
    from .plotting import (DisparityDisplay, GroupCalibrationDisplay, GroupRatesDisplay, GroupRocDisplay,
                           IntersectionHeatmapDisplay)

__all__ = [
    "AuditError",
    "AuditResult",
    "BiasAuditWarning",
    "ContinuousAttributeWarning",
    "DisparityDisplay",
    "GroupCalibrationDisplay",
    "GroupCounts",
    "GroupRatesDisplay",
    "GroupRocDisplay",
    "IntersectionHeatmapDisplay",
    "InvalidParameterError",
    "MISSING_LABEL",
    "ManyGroupsWarning",
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


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
