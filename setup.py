"""Build configuration beyond pyproject.toml: the optional compiled counter of score tables.

``optional=True``: where no C compiler is available the extension is skipped with a warning
and the library counts with numpy alone (the same tables, a few times slower on large binned
score audits; see docs/performance.md).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("biasaudit._tables._fused_scores", ["src/biasaudit/_tables/_fused_scores.c"],
                             optional=True)])
