"""A seeded synthetic decision data set: the demo and the benchmarks use it.

Groups are sex (2) x race (5) x age band (5), 50 intersections, stored as pandas
categoricals. Outcomes and decisions carry a known selection-rate disadvantage for some
groups, so an audit has something to find.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__: list[str] = []

SEX = ("female", "male")
RACE = ("A", "B", "C", "D", "E")
AGE_BAND = ("18-24", "25-34", "35-49", "50-64", "65+")


def synthetic_decisions(n_rows: int = 5000, *, rng=0) -> pd.DataFrame:
    """Decisions for ``n_rows`` people with a fixed, documented disparity.

    The base rate of the favourable outcome is 0.5 for everyone. Decisions are correct
    with probability 0.8, except that qualified people who are female, of race "D" or
    aged 65+ are each approved with a probability lowered by 0.15 (additively) from 0.85.
    """
    gen = np.random.default_rng(rng)
    sex = gen.choice(2, size=n_rows, p=[0.5, 0.5]).astype(np.int8)
    race = gen.choice(5, size=n_rows, p=[0.45, 0.25, 0.15, 0.10, 0.05]).astype(np.int8)
    age = gen.choice(5, size=n_rows, p=[0.15, 0.30, 0.30, 0.17, 0.08]).astype(np.int8)
    y_true = (gen.random(n_rows) < 0.5).astype(np.int8)
    p_approve_if_qualified = 0.85 - 0.15 * ((sex == 0) + (race == 3) + (age == 4))
    p_positive = np.where(y_true == 1, p_approve_if_qualified, 0.2)
    y_pred = (gen.random(n_rows) < p_positive).astype(np.int8)
    return pd.DataFrame({
        "sex": pd.Categorical.from_codes(sex, pd.Index(SEX)),
        "race": pd.Categorical.from_codes(race, pd.Index(RACE)),
        "age_band": pd.Categorical.from_codes(age, pd.Index(AGE_BAND), ordered=True),
        "y_true": y_true,
        "y_pred": y_pred,
    })
