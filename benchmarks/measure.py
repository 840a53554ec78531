"""Timing, peak memory and the result rows every benchmark reports."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Row:
    """One line of the results table: tokentide's figure, the bare baseline's, their ratio and the target."""

    group: str
    name: str
    value: str
    baseline: str = "—"
    ratio: float | None = None
    target: str = "—"
    ok: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: ""}[self.ok]


def seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.0f} ms"
    return f"{value:.2f} s"


def megabytes(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.0f} MiB" if n_bytes >= 2**20 else f"{n_bytes / 1024:.0f} KiB"


def median_time(run: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of `run` over `repeat` calls, each after an untimed `setup`."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_medians(
    ours: Callable[[], object], bare: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None
) -> tuple[float, float]:
    """Alternate the two so drift on a noisy machine hits both alike; one untimed warm-up each."""
    for run in (ours, bare):
        if setup is not None:
            setup()
        run()
    ours_times, bare_times = [], []
    for _ in range(repeat):
        for run, times in ((ours, ours_times), (bare, bare_times)):
            if setup is not None:
                setup()
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
    return statistics.median(ours_times), statistics.median(bare_times)


@dataclass(frozen=True)
class ChildRun:
    wall_seconds: float
    peak_rss_bytes: int
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, object]:
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}


def run_child(command: Sequence[str], env: dict[str, str] | None = None, timeout: float = 900) -> ChildRun:
    """Run a probe to completion; the probe reports its own peak RSS (VmHWM) in its last JSON line."""
    start = time.perf_counter()
    child = subprocess.run(
        list(command), capture_output=True, text=True, cwd=REPO, env={**os.environ, **(env or {})}, timeout=timeout
    )
    wall = time.perf_counter() - start
    report = ChildRun(wall, 0, child.returncode, child.stdout, child.stderr)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}): {child.stderr.strip()[-800:]}")
    peak = int(report.json().get("peak_rss_bytes", 0))
    return ChildRun(wall, peak, child.returncode, child.stdout, child.stderr)


def python_child(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def ratio_row(
    group: str, name: str, ours: float, bare: float, target: float | None, note: str = "", target_text: str = ""
) -> Row:
    ratio = ours / bare if bare > 0 else None
    ok = None if target is None or ratio is None else ratio <= target
    text = target_text or (f"≤ {target:g}×" if target is not None else "—")
    return Row(group, name, seconds(ours), seconds(bare), ratio, text, ok, note)
