"""Fault injection for crash-safety tests: TOKENTIDE_FAULT=sigkill:<point>[:<nth>] kills the process there."""

from __future__ import annotations

import os
import signal

ENV = "TOKENTIDE_FAULT"
# Where a load can be killed, in the order one load passes them (warehouse/load.py, warehouse/publish.py).
POINTS: tuple[str, ...] = (
    "after-run-start",  # the run log row is committed as 'running'; nothing else written yet
    "mid-load",  # inside the load transaction: raw snapshot and observations written, intervals not
    "before-commit",  # the whole load written, not committed
    "after-commit",  # committed; the run log row not yet finished
    "mid-publish",  # the read copy for the app half made (staging file), not swapped in
)
_hits: dict[str, int] = {}


def maybe_die(point: str) -> None:
    """SIGKILL this process at a named point (on its nth passage), as a crash would; no-op unless set."""
    spec = os.environ.get(ENV)
    if not spec or not spec.startswith("sigkill:"):
        return
    parts = spec.split(":")
    if parts[1] != point:
        return
    _hits[point] = _hits.get(point, 0) + 1
    nth = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 1
    if _hits[point] >= nth:
        os.kill(os.getpid(), signal.SIGKILL)
