"""Write only on change: identical snapshots add nothing; one changed price closes one interval, opens one."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from tests.conftest import fixture_bytes, fixture_json
from tests.warehouse.helpers import counts, load_bytes, query

A = "openrouter_2026-02-27_877c8fc77a_bare_array.json"
B = "openrouter_2026-02-27_9868fb6ca3_bare_array.json"


def _with_price(models: list[dict], model_id: str, prompt: str) -> bytes:
    changed = [dict(m, pricing={**m["pricing"], "prompt": prompt}) if m["id"] == model_id else m for m in models]
    return json.dumps(changed).encode()


def test_same_file_twice_adds_nothing(db_path: Path) -> None:
    raw = fixture_bytes(A)
    load_bytes(db_path, "openrouter", raw, origin=A)
    before = counts(db_path)
    again = load_bytes(db_path, "openrouter", raw, origin=A)
    assert again.status == "unchanged"
    assert counts(db_path) == before


def test_identical_content_at_later_times_adds_no_interval_rows(db_path: Path) -> None:
    raw = fixture_bytes(A)
    for day in range(1, 30):
        load_bytes(db_path, "openrouter", raw, as_of=datetime(2026, 3, day))
    assert counts(db_path)["price_intervals"] == 6
    assert counts(db_path)["raw_snapshots"] == 1


def test_one_changed_price_closes_one_interval_and_opens_one(db_path: Path) -> None:
    models = fixture_json(A)
    assert isinstance(models, list)
    load_bytes(db_path, "openrouter", json.dumps(models).encode(), as_of=datetime(2026, 3, 1))
    first = counts(db_path)["price_intervals"]
    outcome = load_bytes(
        db_path, "openrouter", _with_price(models, "openai/gpt-4o-mini", "0.0000001"), as_of=datetime(2026, 3, 5)
    )
    assert (outcome.intervals_opened, outcome.intervals_closed) == (1, 1)
    assert counts(db_path)["price_intervals"] == first + 1
    rows = query(
        db_path,
        "SELECT valid_from, valid_to, usd_per_mtok_input, close_reason FROM price_intervals "
        "WHERE model_id = 'openai/gpt-4o-mini' ORDER BY valid_from",
    )
    assert rows == [
        (datetime(2026, 3, 1), datetime(2026, 3, 5), Decimal("0.15"), "changed"),
        (datetime(2026, 3, 5), None, Decimal("0.1"), None),
    ]


def test_real_consecutive_payloads_change_exactly_the_changed_models(db_path: Path) -> None:
    load_bytes(db_path, "openrouter", fixture_bytes(A), as_of=datetime(2026, 2, 27, 6))
    outcome = load_bytes(db_path, "openrouter", fixture_bytes(B), as_of=datetime(2026, 2, 27, 18))
    changed = query(db_path, "SELECT model_id FROM price_intervals WHERE close_reason = 'changed' ORDER BY 1")
    assert changed == [("deepseek/deepseek-chat-v3-0324",), ("deepseek/deepseek-r1-0528",)]
    assert outcome.intervals_opened == 3  # two new prices and one new model (olmo)


def test_absent_model_is_delisted_not_deleted(db_path: Path) -> None:
    models = fixture_json(A)
    assert isinstance(models, list)
    load_bytes(db_path, "openrouter", json.dumps(models).encode(), as_of=datetime(2026, 3, 1))
    fewer = [m for m in models if m["id"] != "ai21/jamba-large-1.7"]
    load_bytes(db_path, "openrouter", json.dumps(fewer).encode(), as_of=datetime(2026, 3, 2))
    rows = query(db_path, "SELECT valid_to, close_reason FROM price_intervals WHERE model_id = 'ai21/jamba-large-1.7'")
    assert rows == [(datetime(2026, 3, 2), "delisted")]


def test_late_older_snapshot_replays_to_the_same_intervals(db_path: Path, tmp_path: Path) -> None:
    in_order = tmp_path / "in-order.duckdb"
    for path in (in_order, db_path):
        order = [(A, datetime(2026, 2, 27)), (B, datetime(2026, 2, 28))]
        for name, at in order if path == in_order else reversed(order):
            load_bytes(path, "openrouter", fixture_bytes(name), as_of=at)
    sql = (
        "SELECT model_id, valid_from, valid_to, usd_per_mtok_input, usd_per_mtok_output, close_reason "
        "FROM price_intervals ORDER BY ALL"
    )
    assert query(db_path, sql) == query(in_order, sql)


def test_price_reverting_to_earlier_bytes_is_recorded(db_path: Path) -> None:
    load_bytes(db_path, "openrouter", fixture_bytes(A), as_of=datetime(2026, 3, 1))
    load_bytes(db_path, "openrouter", fixture_bytes(B), as_of=datetime(2026, 3, 2))
    back = load_bytes(db_path, "openrouter", fixture_bytes(A), as_of=datetime(2026, 3, 3))
    assert back.status == "added"
    current = query(
        db_path,
        "SELECT usd_per_mtok_input FROM price_intervals WHERE model_id = 'deepseek/deepseek-r1-0528' "
        "AND valid_to IS NULL",
    )
    assert current == [(Decimal("0.45"),)]
