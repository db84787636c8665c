"""A one-line progress bar on stderr for long scans, silent unless stderr is a terminal."""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    """Call ``update(done)`` with a count out of ``total``; ``close()`` ends the line.

    Nothing is drawn during the first ``delay`` seconds (short scans stay quiet), nor when
    ``enabled`` is False; the default enables it only when stderr is a terminal.
    """

    def __init__(self, total: float, label: str, *, enabled: bool | None = None, delay: float = 1.0,
                 stream=None):
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.total = max(float(total), 1.0)
        self.label = label
        self.start = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.drawn = False

    def update(self, done: float, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and (now - self.start < self.delay or now - self.last < 0.1):
            return
        self.last = now
        frac = min(done / self.total, 1.0)
        bar = "#" * int(frac * 30)
        self.stream.write(f"\r{self.label} [{bar:<30}] {frac:6.1%} {now - self.start:6.1f}s")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.update(self.total, force=True)
            self.stream.write("\n")
            self.stream.flush()
