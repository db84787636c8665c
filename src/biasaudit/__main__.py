"""``python -m biasaudit``: the command line; with no arguments, ``biasaudit demo``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
