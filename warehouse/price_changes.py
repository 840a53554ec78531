"""The price-change log (the `price_changes` view, migration 002) and cross-source discrepancies, as named queries."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb
import pandas as pd

FLIPS = frozenset({"free_to_paid", "paid_to_free"})
DIRECTIONS = ("up", "down", "both")

_COLUMNS = (
    "source, model_id, provider, source_provider, author, canonical_model_id, event, field, old_value, new_value, "
    "pct_change, direction, old_state, new_state, first_seen_at, snapshot_id, previous_snapshot_id"
)
_ORDER = " ORDER BY first_seen_at, source, model_id, source_provider, event, field"
CHANGES_SQL = (
    f"SELECT {_COLUMNS} FROM price_changes "  # noqa: S608 - constant column list; values bound
    "WHERE (CAST(? AS TIMESTAMP) IS NULL OR first_seen_at >= CAST(? AS TIMESTAMP)) "
    "AND (CAST(? AS VARCHAR) IS NULL OR source = CAST(? AS VARCHAR))" + _ORDER
)
SNAPSHOT_CHANGES_SQL = f"SELECT {_COLUMNS} FROM price_changes WHERE snapshot_id = ?" + _ORDER  # noqa: S608
RECENT_CHANGES_SQL = (
    f"SELECT {_COLUMNS} FROM price_changes "  # noqa: S608 - constant column list; values bound
    "ORDER BY first_seen_at DESC, source, model_id, source_provider, event, field LIMIT ?"
)


@dataclass(frozen=True)
class PriceChange:
    """One row of the change log; prices in USD per Mtok (per request / image for those fields)."""

    source: str
    model_id: str
    provider: str
    source_provider: str
    author: str | None
    canonical_model_id: str
    event: str
    field: str | None
    old_value: Decimal | None
    new_value: Decimal | None
    pct_change: float | None
    direction: str | None
    old_state: str | None
    new_state: str | None
    first_seen_at: datetime
    snapshot_id: int | None
    previous_snapshot_id: int | None

    def to_json_dict(self) -> dict[str, Any]:
        row = asdict(self)
        for key in ("old_value", "new_value"):
            row[key] = None if row[key] is None else format(row[key].normalize(), "f")
        row["first_seen_at"] = self.first_seen_at.isoformat() + "Z"
        return row

    def describe(self) -> str:
        """One line for people, e.g. 'openrouter x/y @ openrouter: usd_per_mtok_input 0.45 -> 0.4 (-11.1%)'."""
        head = f"{self.source} {self.model_id} @ {self.source_provider}"
        if self.event == "price_change":
            pct = f" ({self.pct_change:+.1f}%)" if self.pct_change is not None else ""
            return f"{head}: {self.field} {_money(self.old_value)} -> {_money(self.new_value)}{pct}"
        if self.event in FLIPS:
            return f"{head}: {self.old_state} -> {self.new_state}"
        return f"{head}: {self.event.replace('_', ' ')}"


def _money(value: Decimal | None) -> str:
    return "unknown" if value is None else format(value.normalize(), "f")


class ChangeLogMissing(Exception):
    """The warehouse predates migration 002 (a published copy from an older tokentide)."""


def _require_view(conn: duckdb.DuckDBPyConnection) -> None:
    # checked first: on a missing table DuckDB would look for a Python variable of that name instead
    found = conn.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'price_changes'").fetchone()
    if not found or not found[0]:
        raise ChangeLogMissing("this warehouse has no price_changes view yet (schema older than version 2)")


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object]) -> list[PriceChange]:
    _require_view(conn)
    return [PriceChange(*row) for row in conn.execute(sql, list(params)).fetchall()]


def price_changes(
    conn: duckdb.DuckDBPyConnection, since: datetime | None = None, source: str | None = None
) -> list[PriceChange]:
    """Every change first seen at or after `since` (naive UTC), oldest first."""
    return _rows(conn, CHANGES_SQL, [since, since, source, source])


def snapshot_changes(conn: duckdb.DuckDBPyConnection, snapshot_id: int) -> list[PriceChange]:
    """The changes one snapshot brought: what alerts are sent for after a collect."""
    return _rows(conn, SNAPSHOT_CHANGES_SQL, [snapshot_id])


def recent_changes(conn: duckdb.DuckDBPyConnection, limit: int) -> list[PriceChange]:
    return _rows(conn, RECENT_CHANGES_SQL, [limit])


def passes(change: PriceChange, min_pct: float | None = None, direction: str = "both") -> bool:
    """The `tokentide changes` and alert-rule filter.

    --direction up/down keeps price moves and free<->paid flips that way; --min-pct X keeps moves of at
    least X% either way plus flips (an infinite change). New, relisted and delisted models, and moves
    from or to an unknown price, are kept only when neither narrows the list.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if direction != "both" and change.direction != direction:
        return False
    if min_pct is not None and min_pct > 0:
        if change.event in FLIPS:
            return True
        return change.pct_change is not None and abs(change.pct_change) >= min_pct
    return True


def matches_any(value: str | None, patterns: Iterable[str]) -> bool:
    """Case-insensitive glob match; an empty pattern list matches everything."""
    patterns = list(patterns)
    if not patterns:
        return True
    text = (value or "").lower()
    return any(fnmatch.fnmatchcase(text, pattern.lower()) for pattern in patterns)


DISCREPANCIES_SQL = """
WITH cur AS (
    SELECT source, model_id, canonical_model_id, provider, valid_from, opened_by_snapshot,
           usd_per_mtok_input, usd_per_mtok_output
    FROM price_intervals WHERE valid_to IS NULL AND price_state = 'paid'
), prices AS (
    SELECT *, 'usd_per_mtok_input' AS field, usd_per_mtok_input AS value FROM cur
    UNION ALL
    SELECT *, 'usd_per_mtok_output' AS field, usd_per_mtok_output AS value FROM cur
)
SELECT a.canonical_model_id, a.provider, a.field,
       a.source AS source_a, a.model_id AS model_id_a, CAST(a.value AS DOUBLE) AS value_a,
       b.source AS source_b, b.model_id AS model_id_b, CAST(b.value AS DOUBLE) AS value_b,
       CAST(abs(a.value - b.value) AS DOUBLE) * 100 / CAST(least(a.value, b.value) AS DOUBLE) AS pct_apart,
       greatest(a.valid_from, b.valid_from) AS apart_since,
       a.opened_by_snapshot AS snapshot_id_a, b.opened_by_snapshot AS snapshot_id_b
FROM prices a JOIN prices b
  ON a.canonical_model_id = b.canonical_model_id AND a.provider = b.provider AND a.field = b.field
 AND a.source < b.source
WHERE a.value > 0 AND b.value > 0
  AND CAST(abs(a.value - b.value) AS DOUBLE) * 100 / CAST(least(a.value, b.value) AS DOUBLE) > ?
ORDER BY pct_apart DESC, a.canonical_model_id, a.provider, a.field, a.source, b.source
"""


def discrepancies_frame(conn: duckdb.DuckDBPyConnection, threshold_pct: float = 10.0) -> pd.DataFrame:
    """Current prices of one canonical model at one provider that two sources state more than
    threshold_pct apart (relative to the lower price), one row per pair of sources and field."""
    return conn.execute(DISCREPANCIES_SQL, [threshold_pct]).df()


def changes_frame(conn: duckdb.DuckDBPyConnection, since: datetime | None = None) -> pd.DataFrame:
    """The change log as a DataFrame (for the app): one row per event, oldest first, prices as DOUBLE."""
    _require_view(conn)
    frame = conn.execute(CHANGES_SQL, [since, since, None, None]).df()
    for column in ("old_value", "new_value"):
        frame[column] = frame[column].astype(float)
    return frame
