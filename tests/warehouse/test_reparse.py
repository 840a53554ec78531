"""A parser fix re-parses stored raw snapshots: same raw bytes in, rebuilt rows out, no re-fetch."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.warehouse.helpers import counts, query
from tokentide.cli import main
from tokentide.collectors import openrouter
from tokentide.collectors.loading import reparse_source
from tokentide.warehouse.connection import writer

A = "openrouter_2026-02-27_877c8fc77a_bare_array.json"
B = "openrouter_2026-02-27_9868fb6ca3_bare_array.json"


def _ingest(db: Path, tmp: Path, name: str, at: str) -> None:
    path = tmp / name
    path.write_bytes(fixture_bytes(name))
    assert main(["--db", str(db), "ingest", "--source", "openrouter", "--as-of", at, str(path)]) == 0


def test_reparse_rebuilds_identical_rows(db_path: Path, tmp_path: Path) -> None:
    _ingest(db_path, tmp_path, A, "2026-03-01")
    _ingest(db_path, tmp_path, B, "2026-03-02")
    sql = "SELECT model_id, valid_from, valid_to, usd_per_mtok_input, close_reason FROM price_intervals ORDER BY ALL"
    before_rows, before_counts = query(db_path, sql), counts(db_path)
    assert main(["--db", str(db_path), "reparse", "--source", "openrouter"]) == 0
    assert query(db_path, sql) == before_rows
    assert counts(db_path) == before_counts


def test_a_parser_fix_applies_to_stored_snapshots(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ingest(db_path, tmp_path, A, "2026-03-01")
    original = openrouter.parse_entry

    def buggy(entry: object, provider: str = openrouter.SOURCE) -> openrouter.PriceRecord:
        record = original(entry, provider)
        return openrouter.PriceRecord(**{**record.__dict__, "model_name": "BUG"})

    monkeypatch.setattr(openrouter, "parse_entry", buggy)
    with writer(db_path) as conn:
        reparse_source(conn, "openrouter")
    assert query(db_path, "SELECT DISTINCT model_name FROM observations") == [("BUG",)]
    monkeypatch.setattr(openrouter, "parse_entry", original)  # the fix
    with writer(db_path) as conn:
        outcome = reparse_source(conn, "openrouter")
    assert outcome.snapshots == 1 and outcome.observations == 6
    assert ("BUG",) not in query(db_path, "SELECT DISTINCT model_name FROM observations")


def test_failed_snapshot_loads_after_the_parser_learns_its_shape(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.warehouse.helpers import load_bytes

    wrapped = b'{"models": ' + fixture_bytes(A) + b"}"
    assert load_bytes(db_path, "openrouter", wrapped, as_of=datetime(2026, 3, 1)).status == "failed"
    original = openrouter.models_list
    monkeypatch.setattr(
        openrouter, "models_list", lambda p: p["models"] if isinstance(p, dict) and "models" in p else original(p)
    )
    with writer(db_path) as conn:
        outcome = reparse_source(conn, "openrouter")
    assert outcome.failed == 0 and outcome.observations == 6
    assert query(db_path, "SELECT status FROM raw_snapshots") == [("applied",)]
    assert counts(db_path)["price_intervals"] == 6
