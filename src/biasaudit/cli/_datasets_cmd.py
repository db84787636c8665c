"""``biasaudit datasets list|path|fetch``: the reference data sets and their data home."""

from __future__ import annotations

import difflib

import pandas as pd

from .. import datasets
from ._errors import CliError

__all__ = ["run_datasets_command"]


def _list() -> int:
    table = datasets.list_datasets()
    print(f"data home: {datasets.data_home()}  (set BIASAUDIT_DATA to change it)\n")
    shown = table[["name", "rows", "present", "loader", "description"]].assign(
        present=table["present"].map({True: "yes", False: "no"}))
    with pd.option_context("display.width", 160, "display.max_colwidth", 70):
        print(shown.to_string(index=False))
    print("\nFetch one with: biasaudit datasets fetch NAME")
    return 0


def _fetch(names) -> int:
    table = datasets.list_datasets()
    known = table["name"].tolist()
    wanted = known if names == ["all"] else names
    for name in wanted:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Hint: did you mean {close[0]!r}?" if close else ""
            msg = f"unknown data set {name!r}; known: {', '.join(known)} (or all).{hint}"
            raise CliError(msg)
    for name in wanted:
        loader = getattr(datasets, table.loc[table["name"] == name, "loader"].item())
        frame = loader(download=True)
        print(f"{name}: ready in {datasets.data_home()} ({len(frame):,} rows loaded by {loader.__name__}())")
    return 0


def run_datasets_command(args) -> int:
    if args.action == "list":
        return _list()
    if args.action == "path":
        print(datasets.data_home())
        return 0
    if not args.names:
        msg = "datasets fetch: name a data set, e.g. biasaudit datasets fetch compas (see biasaudit datasets list)."
        raise CliError(msg)
    return _fetch(args.names)
