"""Deciding when a payload's data was current, and saying how it was decided."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from tokentide.warehouse.records import AsOfHint

_FILE_DATE = re.compile(r"(20\d{2})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class AsOf:
    at: datetime
    basis: str


def date_in_name(name: str) -> datetime | None:
    """The first YYYY-MM-DD in a file name, as midnight UTC."""
    match = _FILE_DATE.search(name.rsplit("/", 1)[-1])
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def resolve_as_of(
    explicit: datetime | None,
    file_date: datetime | None,
    hint: AsOfHint | None,
    fetched_at: datetime,
    explicit_basis: str | None = None,
) -> AsOf:
    """--as-of wins; else the later of the file-name date and the payload's newest timestamp
    (capture happens at or after both); else the time tokentide read the bytes."""
    if explicit is not None:
        return AsOf(explicit, explicit_basis or "given (--as-of or capture time)")
    candidates = []
    if file_date is not None:
        candidates.append(AsOf(file_date, "date in file name"))
    if hint is not None:
        candidates.append(AsOf(hint.at, hint.basis))
    if candidates:
        return max(candidates, key=lambda c: c.at)
    return AsOf(fetched_at, "time the file was read (no date in payload or file name)")


def break_tie(conn: duckdb.DuckDBPyConnection, source: str, as_of: AsOf) -> AsOf:
    """Two different snapshots of one source never share an as_of: later arrivals move 1 s on."""
    at, moved = as_of.at, 0
    while conn.execute(
        "SELECT 1 FROM raw_snapshots WHERE source = ? AND as_of = ? AND status = 'applied' LIMIT 1",
        [source, at],
    ).fetchone():
        at += timedelta(seconds=1)
        moved += 1
    if not moved:
        return as_of
    return AsOf(at, f"{as_of.basis}; +{moved} s after an earlier snapshot with the same time")
