"""`biasaudit --help` builds its parser without importing any command (and so no data library)."""

import subprocess
import sys

CODE = """
import sys
from biasaudit.cli._parser import build_parser
build_parser().format_help()
loaded = [m for m in ("biasaudit.cli._audit_cmd", "biasaudit.cli._batch", "biasaudit.cli._demo",
                      "biasaudit.cli._datasets_cmd", "biasaudit.cli._readers", "matplotlib", "jinja2")
          if m in sys.modules]
print(loaded)
"""


def test_parser_imports_no_command_module():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_handler_runs_the_command(capsys):
    from biasaudit.cli import main

    assert main(["datasets", "list"]) == 0
    assert "adult" in capsys.readouterr().out.lower()
