"""Named read queries the dashboard needs beyond warehouse.queries; every value is a bound parameter."""

from __future__ import annotations

import duckdb
import pandas as pd

RUN_LOG_SQL = """
SELECT run_id, kind, source, origin, started_at, finished_at, status, rows_read, rows_added,
       intervals_opened, intervals_closed, rows_quarantined, error
FROM runs
ORDER BY run_id DESC
LIMIT ?
"""

QUARANTINE_SQL = """
SELECT source, reason, count(*) AS n_rows, max(quarantined_at) AS last_at
FROM quarantine
GROUP BY source, reason
ORDER BY n_rows DESC, source, reason
LIMIT ?
"""

SNAPSHOT_SQL = """
SELECT snapshot_id, source, origin, fetched_at, as_of, as_of_basis, sha256, byte_size, status, status_reason
FROM raw_snapshots
WHERE snapshot_id = ?
"""

SNAPSHOT_STATUS_SQL = """
SELECT source, status, count(*) AS n_snapshots, max(fetched_at) AS last_fetched_at
FROM raw_snapshots
GROUP BY source, status
ORDER BY source, status
"""


def run_log(conn: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    return conn.execute(RUN_LOG_SQL, [int(limit)]).df()


def quarantine_counts(conn: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    return conn.execute(QUARANTINE_SQL, [int(limit)]).df()


def snapshot_status(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute(SNAPSHOT_STATUS_SQL).df()


def snapshot(conn: duckdb.DuckDBPyConnection, snapshot_id: int) -> dict[str, object] | None:
    frame = conn.execute(SNAPSHOT_SQL, [int(snapshot_id)]).df()
    return None if frame.empty else frame.iloc[0].to_dict()
