"""The argument parser: one subcommand per job, each help page ending in worked examples."""

from __future__ import annotations

import argparse
import difflib

from ._constants import DEFAULT_FORMATS, FAIL_ON, FORMATS, LANGUAGES, TASKS
from ._errors import CliError

__all__ = ["build_parser"]

_TOP = """\
Independent algorithmic bias audits from the command line.

Run `biasaudit demo` first: it audits an embedded synthetic data set and writes a
full report, offline. Then audit your own decisions with `biasaudit audit`, or many
data sets and models at once with `biasaudit batch`.
"""

_TOP_EXAMPLES = """\
examples:
  biasaudit demo                                   # report into ./biasaudit-demo
  biasaudit audit loans.csv --y-true repaid --y-pred approved --protected sex,age_group
  biasaudit batch audits.toml --out reports/ --fail-on medium
  biasaudit datasets list

exit status:
  0  no finding at or above --fail-on (default: high)
  1  a finding at or above --fail-on (use it to gate CI)
  2  usage or input error (one line on stderr: what went wrong and how to fix it)

Run `biasaudit COMMAND --help` for the options of a command; docs/cli.md has more.
"""

_AUDIT = """\
Audit one file of decisions: read it, audit every protected attribute (and their
intersection), print a short summary and write the reports into --out.

Files: .csv (delimiter sniffed), .tsv, .parquet (a file or a folder) and .jsonl, optionally
compressed (.gz, .zst, .bz2, .xz); --input-format overrides the extension. Binary decisions
are counted in bounded memory, reading only the used columns; a database (duckdb:///f.db,
postgresql://...) is audited in place with --table or --sql. Label columns must
be binary, with --pos-label the positive value, unless --y-true-positive /
--y-pred-positive list the values counted as positive.
"""

_AUDIT_EXAMPLES = """\
examples:
  # binary 0/1 columns; reports (html, md, json, csv) into ./biasaudit-report
  biasaudit audit loans.csv --y-true repaid --y-pred approved --protected sex,age_group

  # ProPublica's COMPAS reading: Medium or High risk is the (unfavourable) positive decision
  biasaudit audit compas.csv --y-true two_year_recid --y-pred score_text \\
      --y-pred-positive Medium,High --positive-is-unfavorable \\
      --protected race,sex --reference race=Caucasian --out compas-report

  # text labels, weights, a semicolon-separated Latin-1 file, gate CI on medium findings
  biasaudit audit hires.csv --encoding latin-1 --y-pred decision --pos-label hired \\
      --protected gender --weight w --fail-on medium --format json,md

  # a table in PostgreSQL (only counts leave the server), or a query in a DuckDB file
  biasaudit audit postgresql://auditor@db.example/hr --table hiring.decisions \\
      --y-pred hired --protected sex
  biasaudit audit duckdb:///data/loans.db --sql "SELECT * FROM loans WHERE year = 2025" \\
      --y-true repaid --y-pred approved --protected sex

  # decisions only (no outcomes): selection rates and the four-fifths rule
  biasaudit audit offers.parquet --y-pred offer --protected ethnicity --threshold 0.8
"""

_BATCH = """\
Run many audits (data sets x models x attribute sets) from one TOML manifest. Each
audit writes its reports into its own sub-folder of --out; summary.csv and index.html
list every audit, including those that failed, with their one-line error.

exit status: 2 if any audit failed (input or usage error), else 1 if any audit has a
finding at or above --fail-on, else 0.
"""

_BATCH_EXAMPLES = """\
manifest (audits.toml):
  [defaults]
  y_true = "repaid"
  protected = ["sex", "age_group"]

  [[audit]]
  name = "loans-2025"
  data = "loans-2025.csv"                 # relative to the manifest's folder
  y_pred = ["model_a", "model_b"]         # one audit per model column
  protected = [["sex"], ["sex", "age_group"]]   # one audit per attribute set

examples:
  biasaudit batch audits.toml --out reports/
  biasaudit batch audits.toml --fail-on medium    # CI gate: exit 1 on medium or high
"""

_DEMO = """\
Audit the embedded synthetic data set (10,000 decisions with injected disparities,
seed 1), print the findings and write the full report (report.html, report.md,
report.json, results.csv). Works offline.
"""

_DEMO_EXAMPLES = """\
examples:
  biasaudit demo
  biasaudit demo --out /tmp/demo --language az
"""

_DATASETS = """\
The public reference data sets (COMPAS, Adult, German credit): list them, show the
folder they are read from (the data home, $BIASAUDIT_DATA), or fetch them into it.
"""

_DATASETS_EXAMPLES = """\
examples:
  biasaudit datasets list
  biasaudit datasets path
  biasaudit datasets fetch compas        # downloads and checks its SHA-256
  BIASAUDIT_DATA=./data biasaudit datasets fetch all
"""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit status 2 (see ``main``)."""

    def error(self, message):
        hint = f"see `{self.prog} --help`"
        if message.startswith("unrecognized arguments:"):
            close = self._closest(message.split(":", 1)[1].split())
            if close:
                hint = f"did you mean {close}? Or {hint}"
        raise CliError(f"{message}. Hint: {hint}.")

    def _closest(self, words) -> str | None:
        """The known option nearest to the first unknown one (``--sample-weight``: ``--weight``)."""
        parsers, known = [self], []
        while parsers:  # the subcommands' options too: the top parser reports what they leave over
            parser = parsers.pop()
            for action in parser._actions:
                known += [o for o in action.option_strings if o.startswith("--") and o not in known]
                if isinstance(action, argparse._SubParsersAction):
                    parsers += list(action.choices.values())
        for word in words:
            name = word.split("=", 1)[0]
            if name.startswith("--"):
                # the words of an option (sample, weight) count more than its letters
                parts = set(name[2:].split("-"))
                scored = sorted(known, key=lambda o: (-len(parts & set(o[2:].split("-"))),
                                                      -difflib.SequenceMatcher(None, name, o).ratio()))
                best = scored[0] if scored else None
                if best and (parts & set(best[2:].split("-"))
                             or difflib.SequenceMatcher(None, name, best).ratio() >= 0.75):
                    return best
        return None


def _threshold(text: str):
    """A number, or a list or rule of score thresholds (checked once --y-score is known)."""
    if "," in text or "=" in text:
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:  # one message for 0 and -5 alike
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 1")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 0")
    return value


def _sub(subparsers, name, help_text, description, epilog):
    p = subparsers.add_parser(name, help=help_text, description=description, epilog=epilog,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    return p


def _lazy(module: str, name: str):
    def handler(args):
        import importlib

        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(args)

    return handler


def _hashing_first(handler):
    """``handler``, after starting the SHA-256 of a local input file: on a large file the hash
    then runs while the command imports the library, not after."""
    def run(args):
        if getattr(args, "table", None) is None and getattr(args, "sql", None) is None:
            from ._file_hash import start_early

            start_early(args.data)
        return handler(args)

    return run


def _add_statistics(parser: argparse.ArgumentParser) -> None:
    """The statistical options, one flag each, from their declarations (biasaudit._options)."""
    from .._options import OPTIONS

    g = parser.add_argument_group("statistics (as in audit(); checked by the library)")
    for opt in OPTIONS:
        if not opt.cli:
            continue
        kind = str if opt.choices else type(opt.default)
        g.add_argument("--" + opt.name.replace("_", "-"), dest=opt.name, type=kind, choices=opt.choices,
                       default=None, metavar=None if opt.choices else kind.__name__.upper(),
                       help=f"{opt.help} (default: {opt.default})".replace("%", "%%"))


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    # Commands import pandas and the library when they run, not when --help is printed.
    run_audit_or_score_command = _hashing_first(_lazy("_score_cmd", "run_audit_or_score_command"))
    run_batch_command = _lazy("_batch", "run_batch_command")
    run_datasets_command = _lazy("_datasets_cmd", "run_datasets_command")
    run_demo_command = _lazy("_demo", "run_demo_command")

    parser = _Parser(prog="biasaudit", description=_TOP, epilog=_TOP_EXAMPLES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"biasaudit {__version__}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    a = _sub(subs, "audit", "audit one data file and write its reports", _AUDIT, _AUDIT_EXAMPLES)
    a.set_defaults(handler=run_audit_or_score_command)
    a.add_argument("data", metavar="DATA", help="CSV, TSV, Parquet or JSON Lines file (or Parquet folder), one row "
                                                "per decision; or a database: duckdb:///file.db or postgresql://... "
                                                "with --table or --sql")
    g = a.add_argument_group("columns")
    g.add_argument("--y-pred", metavar="COL", help="decision or prediction column (required unless --y-score)")
    g.add_argument("--y-score", metavar="COL", help="score or probability column: audits AUC and calibration "
                                                   "per group (see docs/scores.md)")
    g.add_argument("--y-true", metavar="COL", help="observed outcome column; omit to audit decisions only")
    g.add_argument("--protected", required=True, action="append", metavar="COL[,COL...]",
                   help="protected attribute columns (comma-separated or repeated)")
    g.add_argument("--weight", metavar="COL", help="non-negative sample weights")
    g = a.add_argument_group("labels and comparisons")
    g.add_argument("--pos-label", default="1", metavar="VALUE",
                   help="value meaning the positive outcome in binary label columns (default: 1); "
                        "matched to the column's type")
    g.add_argument("--y-true-positive", action="append", metavar="VALUE[,VALUE]",
                   help="values of --y-true counted as positive (the column may then have any values)")
    g.add_argument("--y-pred-positive", action="append", metavar="VALUE[,VALUE]",
                   help="values of --y-pred counted as positive, e.g. Medium,High")
    g.add_argument("--task", choices=TASKS, default="auto",
                   help="binary decisions, several classes or amounts (default: auto, from the columns' values)")
    g.add_argument("--positive-is-unfavorable", action="store_true",
                   help="the positive decision harms the person (flagged as high risk), not helps")
    g.add_argument("--reference", action="append", metavar="ATTR=VALUE",
                   help="reference group of an attribute (repeatable), or a rule for all: "
                        "largest (default), best or overall")
    g.add_argument("--no-intersections", action="store_true", help="do not audit the cross of the attributes")
    g.add_argument("--threshold", type=_threshold, default=None, metavar="RATIO|LIST",
                   help="four-fifths rule threshold of the impact ratio (default: 0.8); with --y-score, the "
                        "score thresholds of the decisions instead, e.g. 0.5,0.7,top_share=0.1,fpr=0.05")
    g.add_argument("--seed", type=_count, default=0, metavar="INT",
                   help="seed of the Monte Carlo tests, for reproducible reports (default: 0)")
    _add_statistics(a)
    g = a.add_argument_group("input")
    g.add_argument("--table", metavar="NAME", help="with a database DATA: the table to audit (NAME, SCHEMA.NAME "
                                                  "or a \"quoted name\")")
    g.add_argument("--sql", metavar="QUERY", help="with a database DATA: a query to audit, run as a subquery")
    g.add_argument("--input-format", choices=FORMATS, help="override the format inferred from the extension")
    g.add_argument("--encoding", default="utf-8", help="text encoding of CSV/TSV/JSONL files (default: utf-8)")
    g = a.add_argument_group("reports")
    g.add_argument("--out", default="biasaudit-report", metavar="DIR",
                   help="folder for the reports (default: ./biasaudit-report)")
    g.add_argument("--format", action="append", metavar="LIST",
                   help=f"report formats among html,md,json,csv (default: {','.join(DEFAULT_FORMATS)})")
    g.add_argument("--language", choices=LANGUAGES, default="en", help="report language (default: en)")
    g.add_argument("--metadata", metavar="FILE", help="TOML or JSON file of report metadata (auditor, system, ...)")
    g.add_argument("--min-cell", type=_positive, default=10, metavar="N",
                   help="groups smaller than N are suppressed in published tables (default: 10)")
    g.add_argument("--vulnerable", action="append", metavar="CATEGORY=ATTR:VALUE",
                   help=("mark a group for special attention (Baku Declaration D7), repeatable; CATEGORY is "
                         "children, women, persons_with_disabilities, older_persons or migrants, e.g. "
                         "--vulnerable migrants=foreign_worker:A201 (default: common encodings are recognised)"))
    g.add_argument("--no-vulnerable", action="store_true",
                   help="do not recognise groups for special attention automatically")
    g.add_argument("--full", action="store_true", help="include every table in the report")
    g.add_argument("--fail-on", choices=FAIL_ON, default="high",
                   help="exit 1 if a finding has this severity or higher (default: high; never: always 0)")

    b = _sub(subs, "batch", "run many audits from a TOML manifest", _BATCH, _BATCH_EXAMPLES)
    b.set_defaults(handler=run_batch_command)
    b.add_argument("manifest", metavar="MANIFEST", help="TOML (or JSON) manifest of audits")
    b.add_argument("--out", default="biasaudit-batch", metavar="DIR",
                   help="folder for summary.csv, index.html and one sub-folder per audit "
                        "(default: ./biasaudit-batch)")
    b.add_argument("--fail-on", choices=FAIL_ON, default="high",
                   help="exit 1 if any audit has a finding this severe or more (default: high)")

    d = _sub(subs, "demo", "audit the embedded synthetic data set (offline)", _DEMO, _DEMO_EXAMPLES)
    d.set_defaults(handler=run_demo_command)
    d.add_argument("--out", default="biasaudit-demo", metavar="DIR",
                   help="folder for the report (default: ./biasaudit-demo)")
    d.add_argument("--language", choices=LANGUAGES, default="en", help="report language (default: en)")
    d.add_argument("--full", action="store_true", help="include every table in the report")

    s = _sub(subs, "datasets", "list, locate or fetch the reference data sets", _DATASETS, _DATASETS_EXAMPLES)
    s.set_defaults(handler=run_datasets_command)
    s.add_argument("action", choices=("list", "path", "fetch"), help="what to do")
    s.add_argument("names", nargs="*", metavar="NAME", help="data sets to fetch (or all)")
    return parser
