"""Compaction folds confirming observations and loses no provenance: intervals, changes and raw bytes stay."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, fixture_bytes
from tests.warehouse.helpers import counts, load_bytes, query
from tokentide.cli import main
from tokentide.collectors.loading import compact, reparse_source
from tokentide.warehouse.connection import writer
from tokentide.warehouse.integrity import run_checks
from tokentide.warehouse.price_changes import price_changes

LITELLM = "litellm_2026-11-12_excerpt.json"
START = datetime(2026, 11, 1)
INTERVALS_SQL = (
    "SELECT source, model_id, source_provider, valid_from, valid_to, price_hash, opened_by_snapshot, "
    "closed_by_snapshot, close_reason FROM price_intervals ORDER BY ALL"
)


def same_prices_new_bytes(day: int) -> bytes:
    """The LiteLLM excerpt with an extra top-level key: new bytes (a new raw snapshot), the same prices."""
    data = json.loads(fixture_bytes(LITELLM))
    data[f"zz-not-a-model-{day}"] = "ignored"
    return json.dumps(data).encode()


def load_same_price_days(db: Path, days: int) -> None:
    for day in range(days):
        outcome = load_bytes(db, "litellm", same_prices_new_bytes(day), as_of=START + timedelta(days=day))
        assert outcome.status == "added", outcome.summary_line()


def failing_checks(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return [r.name for r in run_checks(conn) if not r.ok]


def test_same_price_snapshots_fold_to_at_most_two_rows_per_interval(db_path: Path) -> None:
    load_same_price_days(db_path, 40)
    before = counts(db_path)
    intervals_before = query(db_path, INTERVALS_SQL)
    assert before["observations"] == 40 * before["price_intervals"]  # what compaction is for
    with writer(db_path) as conn:
        result = compact(conn)
    after = counts(db_path)
    assert after["observations"] <= 2 * after["price_intervals"]
    assert result.folded == before["observations"] - after["observations"] == 38 * after["price_intervals"]
    assert after["raw_snapshots"] == before["raw_snapshots"] == 40  # raw bytes kept
    assert query(db_path, INTERVALS_SQL) == intervals_before  # intervals and their snapshots untouched
    assert failing_checks(db_path) == []
    folds = query(db_path, "SELECT min(n_observations), max(n_observations), count(*) FROM observation_folds")
    assert folds == [(38, 38, after["price_intervals"])]  # days 2..39 confirm; day 1 opened, day 40 is newest


def test_compaction_keeps_every_change_and_reparse_rebuilds_all_rows(db_path: Path) -> None:
    replay = sorted((FIXTURES / "openrouter_replay").glob("*.json"))
    for path in replay:
        load_bytes(db_path, "openrouter", path.read_bytes(), origin=path.name)
    with duckdb.connect(str(db_path), read_only=True) as conn:
        changes_before = price_changes(conn)
    intervals_before = query(db_path, INTERVALS_SQL)
    rows_before = counts(db_path)["observations"]
    with writer(db_path) as conn:
        assert compact(conn).folded > 0
    with duckdb.connect(str(db_path), read_only=True) as conn:
        assert price_changes(conn) == changes_before
    assert query(db_path, INTERVALS_SQL) == intervals_before
    assert failing_checks(db_path) == []
    with writer(db_path) as conn:
        reparse_source(conn, "openrouter")
    assert counts(db_path)["observations"] == rows_before
    assert query(db_path, "SELECT count(*) FROM observation_folds") == [(0,)]
    assert query(db_path, "SELECT coalesce(sum(n_folded), 0) FROM raw_snapshots") == [(0,)]
    assert failing_checks(db_path) == []


def test_a_late_snapshot_after_compaction_replays_as_if_nothing_was_folded(db_path: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.duckdb"
    days = [0, 1, 2, 3, 5, 6]
    for db in (db_path, plain):
        for day in days:
            load_bytes(db, "litellm", same_prices_new_bytes(day), as_of=START + timedelta(days=day))
    with writer(db_path) as conn:
        compact(conn)
    late = json.loads(fixture_bytes(LITELLM))
    first_model = next(
        key for key, value in late.items() if isinstance(value, dict) and "input_cost_per_token" in value
    )
    late[first_model]["input_cost_per_token"] = late[first_model]["input_cost_per_token"] * 2
    for db in (db_path, plain):
        assert load_bytes(db, "litellm", json.dumps(late).encode(), as_of=START + timedelta(days=4)).status == "added"
    assert query(db_path, INTERVALS_SQL) == query(plain, INTERVALS_SQL)
    assert failing_checks(db_path) == []


def test_check_reports_a_fold_that_no_snapshot_counts(db_path: Path) -> None:
    load_same_price_days(db_path, 4)
    with writer(db_path) as conn:
        compact(conn)
        conn.execute("UPDATE observation_folds SET n_observations = n_observations + 1")
    assert failing_checks(db_path) == ["folded counts agree between folds and snapshots, per source"]


def test_compact_command_prints_one_line_and_strict_json(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_same_price_days(db_path, 3)
    assert main(["--db", str(db_path), "compact"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("compacted: folded ") and "raw snapshots kept" in line
    assert main(["--db", str(db_path), "compact", "--json"]) == 0
    result = json.loads(capsys.readouterr().out, parse_constant=lambda name: pytest.fail(f"not strict JSON: {name}"))
    assert result["folded"] == 0 and result["observations_after"] <= 2 * result["intervals"]
