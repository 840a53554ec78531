"""How each cost grows with the history: the same generator at several sizes, rows vs seconds."""

from __future__ import annotations

import statistics
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
from tokentide.warehouse.publish import publish, publish_read_copy, published_path
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


def next_day_ingest(db: Path, spec: HistorySpec, days: int = 5) -> tuple[float, float, int]:
    """Load the days after the history ends into a copy of the warehouse: median (load, publish) seconds
    over `days` consecutive days, and the entries per day.

    The two are timed apart: publishing brings the spare read copy up to date with what changed
    (warehouse/publish.py), so neither should grow with the history. Both read copies are primed first
    (full copies), as they are after the first two writes of any warehouse; every timed publish must be
    an incremental one. The generator writes model facts straight into the tables, so the first real
    load restates every fact once (a catalogue-sized change); it is loaded and published untimed: the
    timed days are a warehouse in its steady state. Medians, because the machine is shared.
    """
    history = generate(spec)
    base = modelsdev_payload(history, spec.days - 1)  # the last day again, new bytes each day, same prices

    def payload(day: int) -> Payload:
        raw = base.replace(b'"last_updated":"', f'"last_updated":"{day:03d}'.encode(), 1)
        return Payload("modelsdev", f"day-{day}.json", raw, utc_now(), as_of=history.day_start(spec.days + day))

    loads: list[float] = []
    publishes: list[float] = []
    with scratch() as folder:
        copy = copy_warehouse(db, folder / "w.duckdb")
        conn = open_connection(copy, read_only=False)
        try:
            migrate(conn)
            sync_reference(conn)
            publish(conn, copy)
            publish(conn, copy)  # both read copies exist now, as after any warehouse's second write
            load_payload(conn, payload(0), GuardSettings())
            publish(conn, copy)
            publish(conn, copy)  # both copies hold the restated facts
            for day in range(1, days + 1):
                start = time.perf_counter()
                outcome = load_payload(conn, payload(day), GuardSettings())
                loaded = time.perf_counter()
                result = publish_read_copy(conn, copy)
                publishes.append(time.perf_counter() - loaded)
                loads.append(loaded - start)
                if outcome.status != "added":
                    raise RuntimeError(f"next-day ingest did not apply: {outcome.summary_line()}")
                if result.mode != "incremental":
                    raise RuntimeError(f"a timed publish copied the whole warehouse ({result.mode})")
        finally:
            conn.close()
    return statistics.median(loads), statistics.median(publishes), outcome.rows_read


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
