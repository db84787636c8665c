"""Sphinx configuration of the biasaudit documentation.

Build (warnings are errors): ``python -m sphinx -W -b html docs docs/_build/html``.
The Markdown pages are read with MyST; the API reference is generated from the numpydoc
docstrings (autosummary); notebooks are read by myst-nb without executing them (the test
suite executes them in a kernel).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # document this tree, not an installed copy

import biasaudit  # noqa: E402
from biasaudit._report._declaration import FINDING_PROVISIONS, PROVISIONS, REPORT_PROVISIONS  # noqa: E402

project = "biasaudit"
author = "The biasaudit developers"
copyright = "2026, The biasaudit developers"
release = biasaudit.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx.ext.mathjax",
]

root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "user_guide/_generated"]
# the notebooks live in ../notebooks (run by the test suite); _write_generated copies them here
NOTEBOOKS = HERE.parent / "notebooks"
NOTEBOOK_COPIES = HERE / "examples" / "_notebooks"
templates_path = ["_templates"]
html_static_path = ["_static"]
html_theme = "pydata_sphinx_theme"
html_title = f"biasaudit {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}

# MyST: headings get anchors so that pages can link to sections (page.md#section)
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "dollarmath"]
# Notebooks are executed by the test suite in a real kernel; the build only renders them.
nb_execution_mode = "off"

autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # the numpydoc sections already give the types
autodoc_default_options = {"members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# Validation of the public API's docstrings: documented parameters, a Returns section, no
# unknown sections. Examples are checked by tests/test_docstrings.py over the exported names.
numpydoc_validation_checks = {"PR01", "PR02", "PR03", "RT01", "GL06", "GL07"}
# Class attributes documented in "Attributes" sections, and dataclass fields, are not parameters.
numpydoc_validation_exclude = {
    r"\.__init__$",
    r"\.__repr__$",
    # built by the library, never by users: their fields are documented under "Attributes"
    r"^biasaudit\.(AuditResult|GroupCounts|Metric|Report)$",
    r"^biasaudit\.datasets\.SyntheticAudit$",
    # core docstrings still to complete (see CORE_CHANGES.md); remove each line once fixed
    r"^biasaudit\.AuditResult\.to_dict$",
    r"^biasaudit\.GroupCounts\.(flat|to_frame|total)$",
    r"^biasaudit\.Metric\.(from_counts|numerator_denominator)$",
    r"^biasaudit\.audit_counts$",
    r"^biasaudit\.get_metric$",
}

suppress_warnings = ["myst.header"]


def _declaration_table() -> str:
    """The mapping of finding types to the Declaration's provisions, from the code that cites them."""
    lines = ["| finding | provisions cited |", "|---|---|"]
    for kind, provisions in FINDING_PROVISIONS.items():
        lines.append(f"| `{kind}` | {', '.join(provisions)} |")
    lines.append(f"| every report | {', '.join(REPORT_PROVISIONS)} |")
    lines += ["", "| provision | our summary (the Azerbaijani original is authoritative) |", "|---|---|"]
    for key, (_, summary) in PROVISIONS.items():
        lines.append(f"| {key} | {summary} |")
    return "\n".join(lines) + "\n"


def _write_generated(app) -> None:
    out = HERE / "user_guide" / "_generated"
    out.mkdir(exist_ok=True)
    target = out / "declaration_table.md"
    text = _declaration_table()
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    # Sphinx reads only files under docs/: the notebooks are copied in, rewritten only when
    # they changed, so an incremental build does not re-read them for nothing
    NOTEBOOK_COPIES.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in NOTEBOOKS.glob("*.ipynb")}
    for stale in NOTEBOOK_COPIES.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for source in sorted(NOTEBOOKS.glob("*.ipynb")):
        copy = NOTEBOOK_COPIES / source.name
        data = source.read_bytes()
        if not copy.is_file() or copy.read_bytes() != data:
            copy.write_bytes(data)


def setup(app):
    app.connect("builder-inited", _write_generated)
