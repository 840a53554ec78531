"""The run log: every ingest, collect and reparse, written outside the load transaction."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from tokentide.warehouse.clock import utc_now


@dataclass(frozen=True)
class RunCounts:
    status: str
    snapshot_id: int | None = None
    rows_read: int = 0
    rows_added: int = 0
    intervals_opened: int = 0
    intervals_closed: int = 0
    rows_quarantined: int = 0
    error: str | None = None


def start_run(conn: duckdb.DuckDBPyConnection, kind: str, source: str, origin: str | None) -> int:
    row = conn.execute(
        "INSERT INTO runs (kind, source, origin, started_at, status) VALUES (?, ?, ?, ?, 'running') RETURNING run_id",
        [kind, source, origin, utc_now()],
    ).fetchone()
    assert row is not None
    return int(row[0])


def finish_run(conn: duckdb.DuckDBPyConnection, run_id: int, counts: RunCounts) -> None:
    conn.execute(
        "UPDATE runs SET finished_at = ?, status = ?, snapshot_id = ?, rows_read = ?, rows_added = ?, "
        "intervals_opened = ?, intervals_closed = ?, rows_quarantined = ?, error = ? WHERE run_id = ?",
        [
            utc_now(),
            counts.status,
            counts.snapshot_id,
            counts.rows_read,
            counts.rows_added,
            counts.intervals_opened,
            counts.intervals_closed,
            counts.rows_quarantined,
            counts.error,
            run_id,
        ],
    )
