"""Shared helpers of the command-line tests: run ``python -m biasaudit`` and make small data."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd

SEVERITIES = ("none", "low", "medium", "high")


def run_cli(*args, cwd, env=None, timeout=120) -> subprocess.CompletedProcess:
    """``python -m biasaudit ARGS`` in ``cwd``; ``env`` entries are added to the environment."""
    full_env = {k: v for k, v in os.environ.items() if k != "BIASAUDIT_DATA_URL"}  # never the network
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "biasaudit", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=timeout)


def assert_usage_error(done, *fragments) -> str:
    """Exit status 2 and exactly one line ``biasaudit: error: ...`` on stderr, no traceback."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("biasaudit: error: "), lines[0]
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def severity(stdout: str) -> str:
    """The highest severity printed in an audit's terminal summary."""
    match = re.search(r"highest severity: (\w+)\.", stdout)
    assert match, stdout
    assert match.group(1) in SEVERITIES
    return match.group(1)


def decisions(n=600, seed=0, biased=True) -> pd.DataFrame:
    """Decisions on two attributes; with ``biased`` women are selected far less often."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n)
    race = rng.choice(["A", "B", "C"], n)
    y_true = rng.integers(0, 2, n)
    p = np.where(sex == "female", 0.15, 0.75) if biased else np.full(n, 0.5)
    y_pred = (rng.random(n) < p).astype(int)
    return pd.DataFrame({
        "sex": sex,
        "race": race,
        "y_true": y_true,
        "y_pred": y_pred,
        "score": np.where(y_pred == 1, rng.choice(["Medium", "High"], n), "Low"),
        "outcome": np.where(y_true == 1, "yes", "no"),
        "weight": rng.uniform(0.5, 2.0, n).round(3),
    })
