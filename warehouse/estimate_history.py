"""The recorded history of the live half-life estimate: storing the daily rows and reading them back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd

from tokentide.warehouse.clock import utc_now


def store_estimate_rows(conn: duckdb.DuckDBPyConnection, rows: Sequence[tuple[object, ...]]) -> int:
    """Upsert one day's estimate rows (a later write the same day wins)."""
    if rows:
        placeholders = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT OR REPLACE INTO estimate_history VALUES ({placeholders})", rows)  # noqa: S608
    return len(rows)


def estimate_history_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute("SELECT * FROM estimate_history ORDER BY estimated_on, window_months, tier").df()


def recorded_today(conn: duckdb.DuckDBPyConnection, day: date | None = None) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM estimate_history WHERE estimated_on = ?", [day or utc_now().date()]
    ).fetchone()
    return bool(row and row[0])
