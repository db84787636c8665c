"""Analytic statistics of counts: intervals, tests, multiplicity, power and verdicts.

Private package: every function is a pure, vectorised function of (effective) counts,
built on numpy and scipy only. Group 1 (``x1, n1``) is always the group audited and
group 2 the reference; signed statistics and differences are group minus reference.
"""

from ._intervals import (
    ConfidenceInterval,
    difference_interval,
    effective_counts,
    proportion_interval,
    ratio_interval,
)
from ._multiplicity import adjust_pvalues, testable
from ._power import (
    EquivalenceTestResult,
    equivalence_test,
    minimum_detectable_difference,
    shortfall_to_ratio,
    tolerance_power,
    two_proportion_power,
)
from ._tests import (
    CMHTestResult,
    IndependenceTestResult,
    TwoProportionTestResult,
    cmh_test,
    independence_test,
    two_proportion_test,
)
from ._verdicts import VERDICT_CODES, verdicts

__all__ = [
    "CMHTestResult",
    "ConfidenceInterval",
    "EquivalenceTestResult",
    "IndependenceTestResult",
    "TwoProportionTestResult",
    "VERDICT_CODES",
    "adjust_pvalues",
    "testable",
    "cmh_test",
    "difference_interval",
    "effective_counts",
    "equivalence_test",
    "independence_test",
    "minimum_detectable_difference",
    "proportion_interval",
    "ratio_interval",
    "shortfall_to_ratio",
    "tolerance_power",
    "two_proportion_power",
    "two_proportion_test",
    "verdicts",
]
