"""Optional dependencies, imported only when an engine needs them."""

from __future__ import annotations

import importlib
import importlib.util

from ..exceptions import AuditError

__all__ = ["available", "require"]


class MissingDependencyError(AuditError, ImportError):
    """An optional dependency needed for this source is not installed."""


def require(module: str, extra: str):
    """Import ``module`` or raise naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = (f"this source needs the optional dependency {module.split('.')[0]!r}, which is not "
               f"installed. Hint: pip install \"biasaudit[{extra}]\" ({exc}).")
        raise MissingDependencyError(msg) from None


def available(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it."""
    return importlib.util.find_spec(module) is not None
