"""`tokentide check` passes on a healthy warehouse and names each broken invariant."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import fixture_bytes
from tests.warehouse.helpers import load_bytes
from tokentide.cli import main


@pytest.fixture
def healthy(db_path: Path) -> Path:
    load_bytes(
        db_path,
        "openrouter",
        fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json"),
        as_of=datetime(2026, 3, 1),
    )
    load_bytes(
        db_path,
        "openrouter",
        fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json"),
        as_of=datetime(2026, 3, 2),
    )
    load_bytes(db_path, "openrouter", b"[]", as_of=datetime(2026, 3, 3))  # guarded
    load_bytes(db_path, "openrouter", b"{broken", as_of=datetime(2026, 3, 4))  # failed
    return db_path


def test_healthy_warehouse_passes(healthy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(healthy), "check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 8 and all(line.startswith("ok") for line in lines)


@pytest.mark.parametrize(
    ("damage", "broken"),
    [
        (
            "INSERT INTO price_intervals (source, model_id, source_provider, provider, canonical_model_id, "
            "valid_from, price_state, price_hash, opened_by_snapshot) SELECT source, model_id, source_provider, "
            "provider, canonical_model_id, valid_from + INTERVAL 1 HOUR, price_state, price_hash, "
            "opened_by_snapshot FROM price_intervals LIMIT 1",
            "no overlapping intervals per model, provider and source",
        ),
        (
            "UPDATE observations SET usd_per_mtok_input = 0, usd_per_mtok_output = 0 "
            "WHERE model_id = 'openai/gpt-4o-mini'",
            "no unknown price stored as 0 (state agrees with prices)",
        ),
        ("DELETE FROM observations WHERE model_id = 'ai21/jamba-large-1.7'", "every applied snapshot holds all"),
        ("UPDATE price_intervals SET opened_by_snapshot = 999", "every interval has an applied raw snapshot"),
    ],
)
def test_damage_is_reported(healthy: Path, capsys: pytest.CaptureFixture[str], damage: str, broken: str) -> None:
    with duckdb.connect(str(healthy)) as conn:
        conn.execute(damage)
    assert main(["--db", str(healthy), "check"]) == 1
    failing = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL")]
    assert len(failing) == 1 and broken in failing[0]
