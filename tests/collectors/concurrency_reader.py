"""The app's side of the two-process concurrency test: read the warehouse the way the app does, for a while,
and check every read for half-written state. Prints one JSON summary line; run by test_concurrency.py."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tokentide.warehouse.connection import reader
from tokentide.warehouse.integrity import run_checks
from tokentide.warehouse.price_changes import price_changes
from tokentide.warehouse.queries import intervals_frame, models_frame

OPEN_KEYS_SQL = """
SELECT count(*) FROM (
    SELECT source, model_id, source_provider FROM price_intervals WHERE valid_to IS NULL
    GROUP BY ALL HAVING count(*) > 1)
"""
LOOSE_RUNS_SQL = "SELECT count(*) FROM runs WHERE status = 'running'"


def read_once(db: Path) -> tuple[int, list[str]]:
    """One read as the app does it, plus the checks; returns the newest snapshot seen and any violations."""
    problems: list[str] = []
    with reader(db) as conn:
        intervals = intervals_frame(conn)
        models_frame(conn)
        changes = price_changes(conn)
        problems += [f"{r.name}: {r.examples[:2]}" for r in run_checks(conn, read_copy=True) if not r.ok]
        if conn.execute(OPEN_KEYS_SQL).fetchone()[0]:
            problems.append("a model has two open intervals")
        if conn.execute(LOOSE_RUNS_SQL).fetchone()[0]:
            problems.append("a run is still 'running' in a published copy")
        newest = conn.execute("SELECT coalesce(max(snapshot_id), 0) FROM raw_snapshots").fetchone()[0]
    if intervals.empty or (changes and changes[-1].snapshot_id is not None and changes[-1].snapshot_id > newest):
        problems.append("intervals empty or a change from a snapshot not yet stored")
    return int(newest), problems


def main(db: Path, seconds: float, enough_states: int | None = None) -> dict[str, object]:
    """Read for `seconds`, or until `enough_states` distinct warehouse states were seen (if given)."""
    reads = errors = 0
    problems: list[str] = []
    first_errors: list[str] = []
    snapshots_seen: set[int] = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (enough_states is None or len(snapshots_seen) < enough_states):
        try:
            newest, found = read_once(db)
        except Exception as exc:  # the requirement: this never happens
            errors += 1
            if len(first_errors) < 5:
                first_errors.append(f"{type(exc).__name__}: {exc}")
            continue
        reads += 1
        snapshots_seen.add(newest)
        problems += found[:5] if len(problems) < 20 else []
    return {
        "reads": reads,
        "errors": errors,
        "first_errors": first_errors,
        "problems": problems,
        "distinct_states_seen": len(snapshots_seen),
        "newest_snapshot_seen": max(snapshots_seen, default=0),
    }


if __name__ == "__main__":
    enough = int(sys.argv[3]) if len(sys.argv) > 3 else None
    print(json.dumps(main(Path(sys.argv[1]), float(sys.argv[2]), enough)), flush=True)
