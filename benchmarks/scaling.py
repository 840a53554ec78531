"""How each cost grows with the history: the same generator at several sizes, rows vs seconds."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from benchmarks.analytics import full_report
from benchmarks.ingest import scratch
from benchmarks.measure import median_time, megabytes, seconds
from benchmarks.synthetic import HistorySpec, generate, modelsdev_payload
from benchmarks.warehouse import cached_warehouse, copy_warehouse
from tokentide.collectors.loading import load_payload
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.connection import open_connection
from tokentide.warehouse.guard import GuardSettings
from tokentide.warehouse.migrations_runner import migrate
from tokentide.warehouse.publish import publish, published_path
from tokentide.warehouse.reference_sync import sync_reference
from tokentide.warehouse.snapshots import Payload


@dataclass(frozen=True)
class ScalePoint:
    factor: float
    spec: HistorySpec
    intervals: int
    observations: int
    warehouse_bytes: int
    report_seconds: float
    load_seconds: float
    publish_seconds: float
    catalogue_entries: int
    app_seconds: float | None = None


def _counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(published_path(db)), read_only=True) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM price_intervals), (SELECT count(*) FROM observations)"
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def next_day_ingest(db: Path, spec: HistorySpec) -> tuple[float, float, int]:
    """Load the day after the history ends into a copy of the warehouse: (load, publish) seconds, entries.

    The two are timed apart because publishing copies the whole file for readers (warehouse/publish.py),
    so it grows with the warehouse while the load itself does not.
    """
    history = generate(spec)
    raw = modelsdev_payload(history, spec.days - 1)  # the last day again, with later bytes below
    raw = raw.replace(b'"last_updated":"', b'"last_updated":"9', 1)  # new bytes, same prices
    with scratch() as folder:
        copy = copy_warehouse(db, folder / "w.duckdb")
        conn = open_connection(copy, read_only=False)
        try:
            migrate(conn)
            sync_reference(conn)
            as_of = history.day_start(spec.days)
            start = time.perf_counter()
            outcome = load_payload(
                conn, Payload("modelsdev", "next-day.json", raw, utc_now(), as_of=as_of), GuardSettings()
            )
            loaded = time.perf_counter()
            publish(conn, copy)
            published = time.perf_counter()
        finally:
            conn.close()
    if outcome.status != "added":
        raise RuntimeError(f"next-day ingest did not apply: {outcome.summary_line()}")
    return loaded - start, published - loaded, outcome.rows_read


def measure_point(
    factor: float, base: HistorySpec, repeat: int, app_rerun: Callable[[Path], float] | None = None
) -> ScalePoint:
    spec = base.scaled(factor)
    db = cached_warehouse(spec, observations=True)
    intervals, observations = _counts(db)
    report = median_time(lambda: full_report(db), repeat)
    load, publish_s, entries = next_day_ingest(db, spec)
    size = db.stat().st_size
    app = app_rerun(db) if app_rerun is not None else None
    return ScalePoint(factor, spec, intervals, observations, size, report, load, publish_s, entries, app)


def scaling_table(points: Sequence[ScalePoint]) -> list[str]:
    """Markdown rows: one per size, plus the growth of each cost per 10x rows."""
    head = [
        "| history | models × providers | intervals | observations | warehouse | full report | "
        "next-day load | publish for readers | app page rerun |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    body = []
    for p in points:
        app = seconds(p.app_seconds) if p.app_seconds is not None else "—"
        body.append(
            f"| {p.factor:g}× | {p.spec.models:,} × {p.spec.providers_per_model} ({p.catalogue_entries:,} listed "
            f"at the end) | {p.intervals:,} | {p.observations:,} | {megabytes(p.warehouse_bytes)} | "
            f"{seconds(p.report_seconds)} | {seconds(p.load_seconds)} | {seconds(p.publish_seconds)} | {app} |"
        )
    return head + body


def growth_lines(points: Sequence[ScalePoint]) -> list[str]:
    """Each cost's growth from the smallest to the largest size, next to the growth in rows."""
    if len(points) < 2:
        return []
    a, b = points[0], points[-1]

    def times(x: float, y: float) -> str:
        return f"{y / x:.1f}×" if x > 0 else "—"

    lines = [
        f"From {a.factor:g}× to {b.factor:g}× the history: intervals {times(a.intervals, b.intervals)}, "
        f"observations {times(a.observations, b.observations)}, warehouse file "
        f"{times(a.warehouse_bytes, b.warehouse_bytes)}; full report {times(a.report_seconds, b.report_seconds)}, "
        f"next-day load {times(a.load_seconds, b.load_seconds)} (it grows with the catalogue, "
        f"{times(a.catalogue_entries, b.catalogue_entries)}), publish {times(a.publish_seconds, b.publish_seconds)}"
    ]
    if a.app_seconds and b.app_seconds:
        lines[0] += f", app page rerun {times(a.app_seconds, b.app_seconds)}"
    lines[0] += "."
    return lines
