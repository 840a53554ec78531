"""Price intervals (SCD-2) from observations: a row only when a price vector changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from tokentide.warehouse.records import PRICE_FIELDS

_PRICES = ", ".join(PRICE_FIELDS)
_INTERVAL_COLUMNS = (
    "source, model_id, source_provider, provider, canonical_model_id, author, valid_from, valid_to, "
    f"{_PRICES}, price_state, price_hash, opened_by_snapshot, closed_by_snapshot, close_reason, source_url"
)


@dataclass(frozen=True)
class IntervalChange:
    opened: int = 0
    closed: int = 0


def _count(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> int:
    row = conn.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def apply_catalogue_snapshot(
    conn: duckdb.DuckDBPyConnection, source: str, snapshot_id: int, as_of: datetime
) -> IntervalChange:
    """Advance the open intervals of a catalogue source to a newer full snapshot.

    Changed prices close the old interval and open a new one at as_of; models absent from the
    snapshot are closed as delisted; unchanged models are not touched.
    """
    match = (
        "n.snapshot_id = ? AND n.model_id = price_intervals.model_id "
        "AND n.source_provider = price_intervals.source_provider"
    )
    changed = _count(
        conn,
        f"UPDATE price_intervals SET valid_to = ?, closed_by_snapshot = ?, close_reason = 'changed' "  # noqa: S608 - constant column names; values bound
        f"WHERE source = ? AND valid_to IS NULL AND EXISTS (SELECT 1 FROM observations n WHERE {match} "
        f"AND n.price_hash <> price_intervals.price_hash)",
        [as_of, snapshot_id, source, snapshot_id],
    )
    delisted = _count(
        conn,
        f"UPDATE price_intervals SET valid_to = ?, closed_by_snapshot = ?, close_reason = 'delisted' "  # noqa: S608
        f"WHERE source = ? AND valid_to IS NULL AND NOT EXISTS (SELECT 1 FROM observations n WHERE {match})",
        [as_of, snapshot_id, source, snapshot_id],
    )
    opened = _count(
        conn,
        f"INSERT INTO price_intervals ({_INTERVAL_COLUMNS}) "  # noqa: S608 - constant names; values bound
        f"SELECT source, model_id, source_provider, provider, canonical_model_id, author, observed_at, NULL, "
        f"{_PRICES}, price_state, price_hash, snapshot_id, NULL, NULL, source_url FROM observations o "
        f"WHERE o.snapshot_id = ? AND NOT EXISTS (SELECT 1 FROM price_intervals p WHERE p.source = ? "
        f"AND p.valid_to IS NULL AND p.model_id = o.model_id AND p.source_provider = o.source_provider)",
        [snapshot_id, source],
    )
    return IntervalChange(opened=opened, closed=changed + delisted)


def replay_catalogue(conn: duckdb.DuckDBPyConnection, source: str) -> IntervalChange:
    """Rebuild a catalogue source's intervals by replaying its applied snapshots in as_of order."""
    conn.execute("DELETE FROM price_intervals WHERE source = ?", [source])
    snapshots = conn.execute(
        "SELECT snapshot_id, as_of FROM raw_snapshots WHERE source = ? AND status = 'applied' "
        "ORDER BY as_of, snapshot_id",
        [source],
    ).fetchall()
    opened = closed = 0
    for snapshot_id, as_of in snapshots:
        change = apply_catalogue_snapshot(conn, source, int(snapshot_id), as_of)
        opened, closed = opened + change.opened, closed + change.closed
    return IntervalChange(opened=opened, closed=closed)


def rebuild_history(conn: duckdb.DuckDBPyConnection, source: str, snapshot_id: int) -> IntervalChange:
    """A history source's newest snapshot is its whole dated history: islands of equal prices.

    Consecutive rows of one model and provider with the same price vector merge; a row ends at its
    explicit end date, else where the next different price starts, else it is still current.
    """
    conn.execute("DELETE FROM price_intervals WHERE source = ?", [source])
    sql = f"""  -- only constant column names are interpolated; values are bound
        INSERT INTO price_intervals ({_INTERVAL_COLUMNS})
        WITH ordered AS (
            SELECT *, lag(price_hash) OVER w AS prev_hash, lag(effective_to) OVER w AS prev_end
            FROM observations WHERE snapshot_id = ?
            WINDOW w AS (PARTITION BY model_id, source_provider ORDER BY observed_at)
        ), marked AS (
            SELECT *, sum(CASE WHEN prev_hash IS NULL OR prev_hash <> price_hash
                               OR prev_end < observed_at THEN 1 ELSE 0 END)
                      OVER (PARTITION BY model_id, source_provider ORDER BY observed_at) AS island
            FROM ordered
        ), islands AS (
            SELECT model_id, source_provider, island, arg_min(provider, observed_at) AS provider,
                   arg_min(canonical_model_id, observed_at) AS canonical_model_id,
                   arg_min(author, observed_at) AS author,
                   min(observed_at) AS valid_from,
                   arg_max(effective_to, observed_at) AS last_end,
                   {", ".join(f"arg_min({p}, observed_at) AS {p}" for p in PRICE_FIELDS)},
                   arg_min(price_state, observed_at) AS price_state,
                   arg_min(price_hash, observed_at) AS price_hash,
                   arg_min(source_url, observed_at) AS source_url
            FROM marked GROUP BY model_id, source_provider, island
        ), bounded AS (
            SELECT *, lead(valid_from) OVER (PARTITION BY model_id, source_provider ORDER BY valid_from) AS next_start
            FROM islands
        )
        SELECT ?, model_id, source_provider, provider, canonical_model_id, author, valid_from,
               coalesce(last_end, next_start), {_PRICES}, price_state, price_hash, ?,
               CASE WHEN coalesce(last_end, next_start) IS NULL THEN NULL ELSE ? END,
               CASE WHEN last_end IS NOT NULL AND (next_start IS NULL OR next_start > last_end) THEN 'ended'
                    WHEN coalesce(last_end, next_start) IS NULL THEN NULL ELSE 'changed' END,
               source_url
        FROM bounded
    """  # noqa: S608
    opened = _count(conn, sql, [snapshot_id, source, snapshot_id, snapshot_id])
    closed = _count(conn, "SELECT count(*) FROM price_intervals WHERE source = ? AND valid_to IS NOT NULL", [source])
    return IntervalChange(opened=opened, closed=closed)
