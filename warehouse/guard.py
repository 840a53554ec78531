"""The guard: a catalogue that suddenly shrinks or loses most of its models is kept raw, not applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class GuardSettings:
    """When a catalogue snapshot looks broken, keep it raw and flagged instead of applying it."""

    max_shrink_share: float = 0.5  # catalogue lists this share fewer models than the previous one
    max_drop_share: float = 0.5  # this share of the previous snapshot's models vanished ...
    drop_window_days: float = 14.0  # ... within this many days of the previous snapshot


def previous_keys(
    conn: duckdb.DuckDBPyConnection, source: str, before: datetime
) -> tuple[datetime, set[tuple[str, str]]] | None:
    row = conn.execute(
        "SELECT snapshot_id, as_of, coalesce(n_folded, 0) > 0 FROM raw_snapshots "
        "WHERE source = ? AND status = 'applied' AND as_of < ? ORDER BY as_of DESC, snapshot_id DESC LIMIT 1",
        [source, before],
    ).fetchone()
    if row is None:
        return None
    keys = conn.execute("SELECT model_id, source_provider FROM observations WHERE snapshot_id = ?", [row[0]]).fetchall()
    if row[2]:  # compacted: the intervals current at its time list exactly the keys it held
        keys = conn.execute(
            "SELECT model_id, source_provider FROM price_intervals WHERE source = ? AND valid_from <= ? "
            "AND (valid_to IS NULL OR valid_to > ?)",
            [source, row[1], row[1]],
        ).fetchall()
    return row[1], {(str(m), str(p)) for m, p in keys}


def guard_reason(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    as_of: datetime,
    new_keys: set[tuple[str, str]],
    settings: GuardSettings,
) -> str | None:
    """Why this snapshot must not be applied, or None when it looks sound."""
    if not new_keys:
        return "empty catalogue (0 priced models)"
    previous = previous_keys(conn, source, as_of)
    if previous is None:
        return None
    previous_at, old_keys = previous
    if not old_keys:
        return None
    shrink = 1 - len(new_keys) / len(old_keys)
    if shrink > settings.max_shrink_share:
        return (
            f"catalogue shrank by {shrink:.0%} ({len(old_keys)} -> {len(new_keys)} models; "
            f"limit {settings.max_shrink_share:.0%})"
        )
    lost = len(old_keys - new_keys) / len(old_keys)
    gap_days = (as_of - previous_at).total_seconds() / 86400
    if lost > settings.max_drop_share and gap_days <= settings.drop_window_days:
        return (
            f"{lost:.0%} of the previous snapshot's models vanished within {gap_days:.1f} days "
            f"(limit {settings.max_drop_share:.0%} within {settings.drop_window_days:g} days)"
        )
    return None
