"""``biasaudit demo``: audit the embedded synthetic data set, print it, write the full report."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from .._audit import audit
from ..datasets import make_biased_classification
from ..exceptions import UndefinedMetricWarning
from ._audit_cmd import DEFAULT_FORMATS, print_warnings, write_reports

__all__ = ["DEMO_ROWS", "DEMO_SEED", "run_demo_command"]

DEMO_ROWS = 10_000
DEMO_SEED = 1
#: What the demo report says of its scope.
DEMO_METADATA = {
    "system": "biasaudit demo: a synthetic decision system",
    "decision": "a favourable decision (positive prediction)",
    "favourable_outcome": "y_pred = 1",
    "population": f"{DEMO_ROWS:,} synthetic people with injected disparities by sex and race",
    "data_source": f"biasaudit.datasets.make_biased_classification({DEMO_ROWS}, rng={DEMO_SEED})",
    "auditor": "biasaudit demo (not a real audit)",
}
SHOWN = ["selection_rate", "true_positive_rate", "false_positive_rate", "positive_predictive_value"]


def _print_summary(result) -> None:
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


def run_demo_command(args) -> int:
    demo = make_biased_classification(DEMO_ROWS, rng=DEMO_SEED)
    with warnings.catch_warnings():
        # tiny intersections have undefined rates; the tables and the report show them as NaN
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        result = audit(demo.data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=DEMO_SEED)
        _print_summary(result)
        report = result.report(metadata=dict(DEMO_METADATA), language=args.language, min_cell=10,
                               vulnerable=None, full=args.full)
        paths, skipped = write_reports(report, Path(args.out), DEFAULT_FORMATS, required=False)
    print_warnings(skipped)
    print(f"\nReport ({len(report.findings)} findings, highest severity {report.max_severity}) written to "
          f"{Path(args.out)}:")
    for path in paths.values():
        print(f"  {path}")
    return 0
