"""The metric registry: every group metric, one module per table family.

See :mod:`._protocol` for what a metric declares and how it is evaluated.
"""

from . import _binary  # noqa: F401  (registers the binary family)
from . import _multiclass, _regression  # noqa: F401  (register the multiclass and regression families)
from . import _score  # noqa: F401  (registers the score family)
from ._binary import metric_from_counts, registry_markdown
from ._protocol import _CANONICAL as _CANONICAL  # the registry itself, for the docs table and tests
from ._protocol import _REGISTRY as _REGISTRY
from ._protocol import Metric, evaluate_many, get_metric, list_metrics, register

__all__ = ["Metric", "evaluate_many", "get_metric", "list_metrics", "metric_from_counts", "register",
           "registry_markdown"]
