"""Make a warehouse ready to read: schema and reference up to date, the embedded default on an empty one."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from tokentide.collectors.default_data import ensure_default
from tokentide.warehouse.connection import writer
from tokentide.warehouse.estimate_history import recorded_today
from tokentide.warehouse.reference_sync import sync_reference


def prepare(db: Path, tier_overrides: Mapping[str, str] | None = None) -> None:
    """Bring the schema up to date and load the embedded default if the warehouse is empty."""
    with writer(db) as conn:
        sync_reference(conn)
        loaded = ensure_default(conn)
        for outcome in loaded:
            print(outcome.summary_line(), file=sys.stderr)
        if loaded or not recorded_today(conn):
            from tokentide.reporting.half_life_record import try_record_estimates  # scipy: only when needed

            try_record_estimates(conn, tier_overrides)
