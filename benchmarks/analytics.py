"""The full analytics report on the large history vs a bare DuckDB scan of the same rows."""

from __future__ import annotations

from pathlib import Path

from benchmarks.measure import Row, megabytes, paired_medians, python_child, ratio_row, run_child, seconds
from tokentide.analytics.report import build_report
from tokentide.reporting.dataset import reasoning_pairs
from tokentide.warehouse.connection import reader
from tokentide.warehouse.queries import intervals_frame

DRAWS = 1000


def full_report(db: Path) -> int:
    """What a cold overview needs: the intervals with facts and provenance, then every headline figure."""
    with reader(db) as conn:
        frame = intervals_frame(conn)
    build_report(frame, pairs=reasoning_pairs(), bootstrap_draws=DRAWS)
    return len(frame)


def bare_scan(db: Path) -> int:
    """The same interval rows, straight into a DataFrame with no joins and no analysis."""
    with reader(db) as conn:
        return len(conn.execute("SELECT * FROM price_intervals").df())


def report_vs_scan(db: Path, label: str, repeat: int) -> list[Row]:
    ours, bare = paired_medians(lambda: full_report(db), lambda: bare_scan(db), repeat)
    rows = full_report(db)
    note = (
        f"{label}: {rows:,} intervals; all tiers, half-life with {DRAWS:,} bootstrap draws, HHI series, premium, "
        "breaks; includes reading the warehouse"
    )
    return [
        ratio_row("analytics", "full report vs bare scan", ours, bare, None, note),
        Row("analytics", "full report, absolute", seconds(ours), "—", None, "< 1 s", ours < 1.0, label),
    ]


def peak_memory(db: Path, label: str) -> Row:
    child = run_child(python_child("benchmarks.probe", "analytics", str(db), str(DRAWS)))
    report = child.json()
    return Row(
        "memory",
        "peak RSS, full report",
        megabytes(child.peak_rss_bytes),
        "—",
        None,
        "< 1 GiB",
        child.peak_rss_bytes < 2**30,
        f"{label}: {int(report.get('rows', 0)):,} intervals; read {seconds(float(report.get('read_seconds', 0)))}, "
        f"report {seconds(float(report.get('report_seconds', 0)))} in a fresh process",
    )
