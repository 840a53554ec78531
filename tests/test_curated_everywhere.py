"""The curated table (and the tiers it teaches) is in the warehouse whichever command a user runs first."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import fixture_path
from tokentide.cli import main
from tokentide.collectors.default_data import ensure_curated
from tokentide.warehouse.connection import writer

OPENROUTER = "openrouter_2026-08-19_reasoning_object.json"


def _sources(db: Path) -> set[str]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        rows = conn.execute("SELECT DISTINCT source FROM raw_snapshots WHERE status = 'applied'").fetchall()
        return {row[0] for row in rows}
    finally:
        conn.close()


def test_a_warehouse_begun_by_ingest_has_tiers(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "ingest", "--source", "openrouter", str(fixture_path(OPENROUTER))]) == 0
    assert _sources(db_path) == {"milestones", "openrouter"}
    capsys.readouterr()
    assert main(["--db", str(db_path), "report", "--json", "--draws", "20", "--tier-rule", "learned"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sum(data["tiers"]["counts"].values()) > 100  # the curated tiers; 0 before the curated table was ensured
    models = data["tier_model"]["models"]
    assert models and all(m["learned_rule_tier"] in ("economy", "mid", "flagship") for m in models)
    assert data["tiers"]["unassigned_reasons"] == {}


def test_report_loads_the_curated_table_into_a_warehouse_without_it(db_path: Path) -> None:
    """A warehouse from before this check (ingested, no curated table) gets it at the next `report`."""
    from tokentide.collectors.loading import load_payload
    from tokentide.warehouse.clock import utc_now
    from tokentide.warehouse.guard import GuardSettings
    from tokentide.warehouse.reference_sync import sync_reference
    from tokentide.warehouse.snapshots import Payload

    raw = fixture_path(OPENROUTER).read_bytes()
    with writer(db_path) as conn:
        sync_reference(conn)
        load_payload(conn, Payload("openrouter", OPENROUTER, raw, utc_now()), GuardSettings())
    assert _sources(db_path) == {"openrouter"}
    assert main(["--db", str(db_path), "report", "--draws", "20"]) == 0
    assert "milestones" in _sources(db_path)


def test_ensuring_the_curated_table_twice_writes_nothing(db_path: Path) -> None:
    with writer(db_path) as conn:
        first = ensure_curated(conn)
        runs = conn.execute("SELECT count(*) FROM runs").fetchone()
        second = ensure_curated(conn)
        assert conn.execute("SELECT count(*) FROM runs").fetchone() == runs
    assert first is not None and first.status == "added" and second is None
