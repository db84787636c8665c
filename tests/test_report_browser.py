"""The HTML report rendered by a real browser (headless Chromium), where one is installed."""

import html
import json
import re
import shutil
import subprocess
import warnings

import numpy as np
import pytest

import biasaudit as ba

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian package 'chromium'); the browser rendering test is skipped. "
           ".ci/run installs it where it can.",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    data = ba.datasets.make_biased_classification(4000, rng=1).data
    result = ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=1)
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for lang in ("en", "az"):
        path = folder / f"report-{lang}.html"
        result.report(language=lang, metadata={"system": "<script>alert(1)</script>"}).to_html(path)
        out[lang] = path
    return out


def _chromium(*args, profile):
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=120)
    return done


@pytest.mark.parametrize("lang, heading", [("en", "Findings"), ("az", "Aşkarlanan hallar")])
def test_the_browser_builds_every_section(pages, lang, heading, tmp_path):
    done = _chromium("--dump-dom", pages[lang].as_uri(), profile=tmp_path / "profile")
    dom = done.stdout
    assert dom.count("<section") == 13, done.stderr[-500:]
    assert heading in dom
    assert dom.count("<svg") >= 5
    assert "<script>alert(1)</script>" not in dom


def test_the_page_paints_text_and_figures(pages, tmp_path):
    png = tmp_path / "shot.png"
    _chromium("--window-size=1200,3000", f"--screenshot={png}", pages["en"].as_uri(), profile=tmp_path / "profile")
    matplotlib_image = pytest.importorskip("matplotlib.image")
    pixels = matplotlib_image.imread(png)
    assert pixels.shape[0] == 3000 and pixels.shape[1] == 1200
    ink = (pixels[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < ink < 0.5  # text and lines, neither blank nor a black page
    blue = (np.abs(pixels[..., :3] - np.array([0, 0x72, 0xB2]) / 255).sum(axis=2) < 0.15).mean()
    assert blue > 0  # the Okabe-Ito blue of the headings' rule and the figures


_PROBE = """<script>
window.addEventListener('load', () => {
  const vw = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > vw + 1);
  document.body.setAttribute('data-probe', JSON.stringify({vw: vw, wide: wide.map(e => e.tagName).slice(0, 5),
                                                          n: wide.length}));
});
</script>"""


@pytest.fixture(scope="module")
def long_label_pages(tmp_path_factory):
    """Reports with long group labels in both languages, published and annex."""
    gen = np.random.default_rng(3)
    n = 6000
    race = gen.choice(["Amer-Indian-Eskimo", "Asian-Pac-Islander", "Black", "Other", "White"], n)
    sex = gen.choice(["Female", "Male"], n)
    y_true = gen.integers(0, 2, n)
    y_pred = (gen.random(n) < 0.3 + 0.2 * (race == "White")).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.UndefinedMetricWarning)
        result = ba.audit(y_true=y_true, y_pred=y_pred, protected={"race": race, "sex": sex}, rng=3)
    folder = tmp_path_factory.mktemp("long")
    out = []
    for lang, full in (("en", False), ("az", True)):
        path = folder / f"report-{lang}.html"
        html = result.report(language=lang, full=full).to_html()
        path.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
        out.append(path)
    return out


@pytest.mark.parametrize("width", [1280, 794])  # a wide screen and an A4 page at 96 dpi
def test_no_element_is_wider_than_the_page(long_label_pages, width, tmp_path):
    for path in long_label_pages:
        done = _chromium(f"--window-size={width},2000", "--virtual-time-budget=5000", "--dump-dom", path.as_uri(),
                         profile=tmp_path / f"profile-{path.stem}")
        found = re.search(r'data-probe="([^"]*)"', done.stdout)
        assert found, done.stderr[-500:]
        probe = json.loads(html.unescape(found.group(1)))
        assert probe["vw"] > width - 40 and probe["n"] == 0, (path.name, probe)


@pytest.mark.parametrize("lang, heading", [("en", "Calibration by group"), ("az", "Qruplar üzrə kalibrləmə")])
def test_the_browser_builds_a_score_report(lang, heading, tmp_path):
    rng = np.random.default_rng(2)
    n = 3000
    g = rng.choice(["<b>a</b>", "b"], n)
    y = rng.integers(0, 2, n)
    s = np.round(1 / (1 + np.exp(-(rng.normal(0, 1, n) + y))), 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ba.audit(y_true=y, y_score=s, protected={"g": g}, threshold=[0.5])
        path = tmp_path / "scores.html"
        result.report(language=lang).to_html(path)
    dom = _chromium("--dump-dom", path.as_uri(), profile=tmp_path / "profile").stdout
    assert dom.count("<section") == 13 and heading in dom
    assert dom.count("<svg") >= 2  # ROC and reliability
    assert "<b>a</b>" not in dom and "&lt;b&gt;a&lt;/b&gt;" in dom
