"""The command line's one error type and how messages are made single lines."""

from __future__ import annotations

import re

__all__ = ["CliError", "one_line", "library_message"]

#: Exit status of a run with no finding at or above ``--fail-on``.
EXIT_OK = 0
#: Exit status of a run with a finding at or above ``--fail-on``.
EXIT_FINDINGS = 1
#: Exit status of a usage or input error: the audit could not be run.
EXIT_ERROR = 2

_CALLER = re.compile(r"^\w+\(\): ")


class CliError(Exception):
    """An error the user can fix; printed as ``biasaudit: error: <message>``, exit status 2."""


def one_line(text) -> str:
    """``text`` with every run of whitespace, newlines included, made one space."""
    return " ".join(str(text).split())


def library_message(exc: BaseException) -> str:
    """A library error's message for the terminal: one line, without the ``audit(): `` prefix."""
    return _CALLER.sub("", one_line(exc))
