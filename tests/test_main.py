"""The README's main job: `python -m biasaudit` (= `biasaudit demo`) on the embedded synthetic data set."""

import subprocess
import sys


def test_python_m_biasaudit_prints_the_demo_audit(tmp_path):
    done = subprocess.run([sys.executable, "-m", "biasaudit"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "biasaudit demo: 10,000 synthetic decisions" in out
    # the injected disadvantages are found: women's and race D's true positive rates
    lines = [line.split() for line in out.splitlines()]
    verdict = {(w[0], w[1], w[3]): w[-1] for w in lines if len(w) == 9 and w[3].endswith("_rate")}
    assert verdict[("sex", "female", "true_positive_rate")] == "disparity"
    assert verdict[("race", "D", "true_positive_rate")] == "disparity"
    assert verdict[("race", "D", "selection_rate")] == "disparity"
    assert "race           D" in out.split("four-fifths")[1]
    # with no arguments it is `biasaudit demo`: the full report goes to ./biasaudit-demo
    for name in ("report.html", "report.md", "report.json", "results.csv"):
        assert (tmp_path / "biasaudit-demo" / name).is_file(), name
    assert "biasaudit-demo/report.html" in out
