"""The ``biasaudit`` command line: ``audit``, ``batch``, ``demo`` and ``datasets``.

Private by convention: the only entry point is :func:`main` (the ``biasaudit`` console
script and ``python -m biasaudit``). See ``docs/cli.md``.
"""

from __future__ import annotations

import os
import sys
import traceback

from ..exceptions import AuditError
from ._errors import EXIT_ERROR, CliError, library_message, one_line

__all__ = ["main"]


def _error(message: str, debug: bool) -> int:
    if debug:
        traceback.print_exc()
    print(f"biasaudit: error: {one_line(message)}", file=sys.stderr)
    return EXIT_ERROR


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    With no arguments it runs ``biasaudit demo``. Exit status 0: no finding at or above
    ``--fail-on``; 1: such a finding; 2: a usage or input error, reported as one line
    ``biasaudit: error: ...`` on stderr (with the traceback only under ``--debug``).
    """
    from ._parser import build_parser

    args_list = sys.argv[1:] if argv is None else [str(a) for a in argv]
    if not args_list:
        args_list = ["demo"]
    debug = "--debug" in args_list
    try:
        try:
            args = build_parser().parse_args(args_list)
        except SystemExit as exc:  # --help and --version
            return exc.code if isinstance(exc.code, int) else 0
        return args.handler(args)
    except CliError as exc:
        return _error(str(exc), debug)
    except AuditError as exc:
        return _error(library_message(exc), debug)
    except KeyboardInterrupt:
        print("biasaudit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `biasaudit demo | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as exc:  # a full disk, a folder without write permission: the machine, not a bug
        where = f"{exc.filename}: " if exc.filename else ""
        return _error(f"cannot write or read {where}{exc.strerror or exc}.", debug)
    except Exception as exc:  # noqa: BLE001 - a bug: still one line unless --debug
        return _error(f"unexpected {type(exc).__name__}: {one_line(exc)}. This is a bug in biasaudit; "
                      f"rerun with --debug for the traceback and report it.", debug)
