"""Small helpers for warehouse tests: load bytes through the real loader, count rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from tokentide.collectors.loading import load_payload
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.connection import writer
from tokentide.warehouse.guard import GuardSettings
from tokentide.warehouse.load import LoadOutcome
from tokentide.warehouse.reference_sync import sync_reference
from tokentide.warehouse.snapshots import Payload

TABLES = ("raw_snapshots", "observations", "price_intervals", "quarantine", "model_facts")


def load_bytes(
    db: Path,
    source: str,
    raw: bytes,
    *,
    origin: str = "payload.json",
    as_of: datetime | None = None,
    force: bool = False,
    guard: GuardSettings | None = None,
) -> LoadOutcome:
    with writer(db) as conn:
        sync_reference(conn)
        return load_payload(
            conn, Payload(source, origin, raw, utc_now(), as_of=as_of), guard or GuardSettings(), force=force
        )


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}  # noqa: S608


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()
