"""``python -m biasaudit``: audit the embedded synthetic data set and print its findings."""

from __future__ import annotations

import sys
import warnings

import pandas as pd

from ._audit import audit
from .datasets import make_biased_classification
from .exceptions import UndefinedMetricWarning

DEMO_ROWS = 10_000
DEMO_SEED = 1
SHOWN = ["selection_rate", "true_positive_rate", "false_positive_rate", "positive_predictive_value"]


def main(argv=None) -> int:
    demo = make_biased_classification(DEMO_ROWS, rng=DEMO_SEED)
    with warnings.catch_warnings():
        # tiny intersections have undefined rates; the tables show them as NaN
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        result = audit(demo.data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=DEMO_SEED)
        disparities = result.disparities
    with pd.option_context("display.width", 140, "display.max_columns", 20, "display.precision", 3):
        print(f"biasaudit demo: {DEMO_ROWS:,} synthetic decisions (seed {DEMO_SEED}) with injected disparities;")
        print("protected attributes: sex, race and their intersection. Positive decision = favourable.\n")
        marginal = result.group_metrics[result.group_metrics["attribute"] != "sex & race"]
        print(marginal[["attribute", "group", "n", *SHOWN]].to_string(index=False))
        d = disparities[disparities["metric"].isin(SHOWN) & (disparities["verdict"] != "reference")
                        & (disparities["attribute"] != "sex & race")]
        print(f"\nDisparities against the reference group ({result.family}):\n")
        cols = ["attribute", "group", "reference", "metric", "difference", "ci_low", "ci_high",
                "pvalue_adjusted", "verdict"]
        print(d[cols].to_string(index=False))
        flagged = result.four_fifths[result.four_fifths["flagged"]]
        print(f"\nGroups below the four-fifths threshold (a US EEOC heuristic, not a test): {len(flagged)}")
        if len(flagged):
            print(flagged[["attribute", "group", "n", "favourable_rate", "impact_ratio", "shortfall"]]
                  .to_string(index=False))
        print("\nA disparity is a statistical finding, not by itself a finding of unlawful discrimination.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
