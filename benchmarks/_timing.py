"""The one timing rule of the benchmark scripts: the best of a few calls (the least disturbed by
other work on a shared machine), optionally after a warm-up call."""

from __future__ import annotations

import time


def best_of(fn, repeat: int = 2, *, warmup: bool = False) -> float:
    """Seconds of the fastest of ``repeat`` calls of ``fn()``, after one untimed call if ``warmup``."""
    if warmup:
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)
