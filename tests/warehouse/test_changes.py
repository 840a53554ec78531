"""The price-change log read from intervals, its filters, and cross-source discrepancies."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import fixture_bytes
from tests.warehouse.helpers import load_bytes
from tokentide.warehouse.price_changes import PriceChange, discrepancies_frame, passes, price_changes, snapshot_changes

T0, T1, T2, T3 = (datetime(2026, 3, d) for d in (1, 2, 3, 4))


def catalogue(**models: tuple[str, str] | None) -> bytes:
    """{'lab/a': ('0.000001', '0.000002')} -> an OpenRouter payload (None: prices unknown)."""
    data = []
    for model_id, prices in models.items():
        pricing = {} if prices is None else {"prompt": prices[0], "completion": prices[1]}
        data.append({"id": model_id.replace("__", "/"), "name": model_id, "pricing": pricing})
    return json.dumps({"data": data}).encode()


def changes(db: Path, **filters: object) -> list[PriceChange]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return price_changes(conn, **filters)  # type: ignore[arg-type]


def summary(rows: list[PriceChange]) -> list[tuple]:
    return [(c.model_id, c.event, c.field, c.old_value, c.new_value) for c in rows]


def test_consecutive_payloads_give_exactly_their_price_moves_and_new_models(db_path: Path) -> None:
    load_bytes(db_path, "openrouter", fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json"), as_of=T0)
    outcome = load_bytes(
        db_path, "openrouter", fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json"), as_of=T1
    )
    rows = changes(db_path)
    moves = {(c.model_id, c.field): (c.old_value, c.new_value, c.direction) for c in rows if c.event == "price_change"}
    assert moves == {
        ("deepseek/deepseek-r1-0528", "usd_per_mtok_input"): (Decimal("0.45"), Decimal("0.4"), "down"),
        ("deepseek/deepseek-r1-0528", "usd_per_mtok_output"): (Decimal("2.15"), Decimal("1.75"), "down"),
        ("deepseek/deepseek-r1-0528", "usd_per_mtok_cache_read"): (Decimal("0.225"), Decimal("0.2"), "down"),
        ("deepseek/deepseek-chat-v3-0324", "usd_per_mtok_input"): (Decimal("0.2"), Decimal("0.19"), "down"),
        ("deepseek/deepseek-chat-v3-0324", "usd_per_mtok_output"): (Decimal("0.77"), Decimal("0.87"), "up"),
        ("deepseek/deepseek-chat-v3-0324", "usd_per_mtok_cache_read"): (Decimal("0.135"), Decimal("0.095"), "down"),
    }
    assert [(c.model_id, c.event) for c in rows if c.event != "price_change"] == [
        ("allenai/olmo-3.1-32b-think", "new_model")
    ]
    assert {(c.first_seen_at, c.snapshot_id) for c in rows} == {(T1, outcome.snapshot_id)}
    r1_input = next(c for c in rows if c.model_id == "deepseek/deepseek-r1-0528" and c.field == "usd_per_mtok_input")
    assert r1_input.pct_change == pytest.approx(-11.111, abs=1e-3) and r1_input.previous_snapshot_id == 1
    assert r1_input.source == "openrouter" and r1_input.source_provider == "openrouter"


def test_the_first_snapshot_is_a_baseline_not_a_flood_of_new_models(db_path: Path) -> None:
    load_bytes(db_path, "openrouter", catalogue(lab__a=("0.000001", "0.000002")), as_of=T0)
    assert changes(db_path) == []


def test_flips_delistings_relistings_and_unknown_prices(db_path: Path) -> None:
    load_bytes(
        db_path, "openrouter", catalogue(lab__a=("0", "0"), lab__b=("0.000001", "0.000001"), lab__c=None), as_of=T0
    )
    load_bytes(
        db_path, "openrouter", catalogue(lab__a=("0.000001", "0.000002"), lab__c=("0.000003", "0.000003")), as_of=T1
    )
    load_bytes(db_path, "openrouter", catalogue(lab__a=("0", "0"), lab__c=("0.000003", "0.000003")), as_of=T2)
    load_bytes(
        db_path,
        "openrouter",
        catalogue(lab__a=("0", "0"), lab__b=("0.000001", "0.000001"), lab__c=("0.000003", "0.000003")),
        as_of=T3,
    )
    rows = changes(db_path)
    events = [(c.first_seen_at, c.model_id, c.event, c.field, c.direction) for c in rows]
    assert (T1, "lab/a", "free_to_paid", "price_state", "up") in events
    assert (T2, "lab/a", "paid_to_free", "price_state", "down") in events
    assert (T1, "lab/b", "delisted", None, None) in events
    assert (T3, "lab/b", "relisted", None, None) in events
    unknown = [c for c in rows if c.model_id == "lab/c"]
    assert [(c.field, c.old_value, c.new_value, c.pct_change) for c in unknown] == [
        ("usd_per_mtok_input", None, Decimal(3), None),
        ("usd_per_mtok_output", None, Decimal(3), None),
    ]
    [from_free] = [c for c in rows if (c.model_id, c.field, c.first_seen_at) == ("lab/a", "usd_per_mtok_input", T1)]
    assert from_free.pct_change is None and from_free.direction == "up"  # no percentage from 0


def test_since_source_and_snapshot_filters(db_path: Path) -> None:
    load_bytes(db_path, "openrouter", catalogue(lab__a=("0.000001", "0.000001")), as_of=T0)
    load_bytes(db_path, "openrouter", catalogue(lab__a=("0.000002", "0.000001")), as_of=T1)
    third = load_bytes(db_path, "openrouter", catalogue(lab__a=("0.000002", "0.000003")), as_of=T2)
    assert [c.field for c in changes(db_path, since=T2)] == ["usd_per_mtok_output"]
    assert changes(db_path, source="litellm") == []
    with duckdb.connect(str(db_path), read_only=True) as conn:
        assert [c.first_seen_at for c in snapshot_changes(conn, third.snapshot_id)] == [T2]


def _change(event: str = "price_change", pct: float | None = -20.0, direction: str | None = "down") -> PriceChange:
    return PriceChange(
        "openrouter",
        "lab/a",
        "openrouter",
        "openrouter",
        "lab",
        "a",
        event,
        "usd_per_mtok_input",
        Decimal(1),
        Decimal("0.8"),
        pct,
        direction,
        "paid",
        "paid",
        T1,
        2,
        1,
    )


def test_filter_semantics() -> None:
    cut, rise = _change(), _change(pct=5.0, direction="up")
    flip, new = _change("free_to_paid", None, "up"), _change("new_model", None, None)
    assert [passes(c) for c in (cut, rise, flip, new)] == [True, True, True, True]
    assert [passes(c, min_pct=10) for c in (cut, rise, flip, new)] == [True, False, True, False]
    assert [passes(c, direction="down") for c in (cut, rise, flip, new)] == [True, False, False, False]
    assert [passes(c, direction="up") for c in (cut, rise, flip, new)] == [False, True, True, False]
    with pytest.raises(ValueError):
        passes(cut, direction="sideways")


def test_describe_and_json_are_readable() -> None:
    change = _change()
    assert change.describe() == "openrouter lab/a @ openrouter: usd_per_mtok_input 1 -> 0.8 (-20.0%)"
    row = change.to_json_dict()
    assert row["old_value"] == "1" and row["new_value"] == "0.8" and row["first_seen_at"] == "2026-03-02T00:00:00Z"
    assert _change("delisted").describe() == "openrouter lab/a @ openrouter: delisted"


def test_sources_pricing_one_model_and_provider_apart_are_discrepancies(db_path: Path) -> None:
    litellm = {"gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": 2.5e-06,
                          "output_cost_per_token": 1e-05, "mode": "chat"}}  # fmt: skip
    modelsdev = {
        "openai": {
            "id": "openai",
            "name": "OpenAI",
            "models": {"gpt-4o": {"id": "gpt-4o", "name": "GPT-4o", "cost": {"input": 5, "output": 10.5}}},
        }
    }
    load_bytes(db_path, "litellm", json.dumps(litellm).encode(), as_of=T0)
    load_bytes(db_path, "modelsdev", json.dumps(modelsdev).encode(), as_of=T0)
    with duckdb.connect(str(db_path), read_only=True) as conn:
        found = discrepancies_frame(conn, threshold_pct=10.0)
        loose = discrepancies_frame(conn, threshold_pct=150.0)
    assert found[["canonical_model_id", "provider", "field", "source_a", "source_b"]].values.tolist() == [
        ["gpt-4o", "openai", "usd_per_mtok_input", "litellm", "modelsdev"]
    ]  # output 10 vs 10.5 is 5% apart, under the threshold
    assert found.loc[0, "pct_apart"] == pytest.approx(100.0) and loose.empty
