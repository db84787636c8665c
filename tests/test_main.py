"""The README's main job: `python -m biasaudit` on the embedded synthetic data set."""

import subprocess
import sys


def test_python_m_biasaudit_prints_the_demo_audit(tmp_path):
    done = subprocess.run([sys.executable, "-m", "biasaudit"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "biasaudit demo: 5,000 synthetic decisions" in out
    assert "demographic_parity" in out and "equalized_odds" in out
    # the injected disadvantage of women shows up as a lower true positive rate
    lines = {line.split()[1]: line.split() for line in out.splitlines() if line.strip().startswith("sex ")}
    assert float(lines["female"][4]) < float(lines["male"][4])
