"""Array-level statistics on counts, for people who want them without a whole audit.

Every function is vectorised over arrays of counts; group 1 (``x1, n1``) is the group
audited and group 2 the reference, so signed quantities are group minus reference, and
``alternative="less"`` means the group's rate is below the reference's. The bootstrap
works on count tables of shape (G, 2, 2) (``GroupCounts.flat()`` gives one) and takes a
statistic built by the ``*_statistic`` helpers or any callable of the same shape.

Examples
--------
>>> from biasaudit import stats
>>> ci = stats.proportion_interval(45, 100, method="wilson")
>>> round(float(ci.low), 4), round(float(ci.high), 4)
(0.3561, 0.5475)
>>> round(float(stats.two_proportion_test(30, 100, 45, 100).pvalue), 4)
0.0285
"""

from ._stats import (
    CMHTestResult,
    ConfidenceInterval,
    EquivalenceTestResult,
    IndependenceTestResult,
    TwoProportionTestResult,
    adjust_pvalues,
    cmh_test,
    difference_interval,
    effective_counts,
    equivalence_test,
    independence_test,
    minimum_detectable_difference,
    proportion_interval,
    ratio_interval,
    shortfall_to_ratio,
    tolerance_power,
    two_proportion_power,
    two_proportion_test,
)
from ._bootstrap_statistics import (
    combine_statistics,
    difference_statistic,
    equalized_odds_statistic,
    metric_statistic,
    ratio_statistic,
    spread_statistic,
)
from ._stats._bootstrap import BootstrapResult, bootstrap_interval, resample_counts

__all__ = [
    "BootstrapResult",
    "CMHTestResult",
    "ConfidenceInterval",
    "EquivalenceTestResult",
    "IndependenceTestResult",
    "TwoProportionTestResult",
    "adjust_pvalues",
    "bootstrap_interval",
    "cmh_test",
    "combine_statistics",
    "difference_interval",
    "difference_statistic",
    "effective_counts",
    "equalized_odds_statistic",
    "equivalence_test",
    "independence_test",
    "metric_statistic",
    "minimum_detectable_difference",
    "proportion_interval",
    "ratio_interval",
    "ratio_statistic",
    "resample_counts",
    "shortfall_to_ratio",
    "spread_statistic",
    "tolerance_power",
    "two_proportion_power",
    "two_proportion_test",
]
