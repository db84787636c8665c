"""``python -m biasaudit``: audit the embedded synthetic data set and print its results."""

from __future__ import annotations

import sys

import pandas as pd

from ._audit import audit
from ._synthetic import synthetic_decisions


def main(argv=None) -> int:
    data = synthetic_decisions(5000, rng=0)
    result = audit(data, y_true="y_true", y_pred="y_pred", protected=["sex", "race", "age_band"],
                   intersections=False)
    cols = ["attribute", "group", "n", "selection_rate", "true_positive_rate",
            "false_positive_rate", "positive_predictive_value", "accuracy"]
    with pd.option_context("display.width", 120, "display.max_columns", 20, "display.precision", 3):
        print("biasaudit demo: 5,000 synthetic decisions (seed 0), protected: sex, race, age_band\n")
        print(result.group_metrics[cols].to_string(index=False))
        print("\nFairness criteria (difference = max - min over groups, ratio = min / max):\n")
        print(result.criteria.to_string(index=False))
        flagged = result.four_fifths[result.four_fifths["flagged"]]
        print(f"\nGroups below the four-fifths threshold (a US EEOC heuristic): {len(flagged)}")
        if len(flagged):
            print(flagged[["attribute", "group", "n", "favourable_rate", "impact_ratio"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
