"""Each real payload format round-trips: recorded excerpt in, typed observations and intervals out."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from tests.conftest import fixture_bytes
from tests.warehouse.helpers import counts, load_bytes, query


def _prices(db: Path, model_id: str, provider: str | None = None) -> tuple:
    sql = (
        "SELECT usd_per_mtok_input, usd_per_mtok_output, usd_per_mtok_cache_read, usd_per_mtok_cache_write, "
        "usd_per_mtok_reasoning, price_state, author, provider FROM observations WHERE model_id = ?"
    )
    params: list[object] = [model_id]
    if provider:
        sql += " AND provider = ?"
        params.append(provider)
    rows = query(db, sql, params)
    assert len(rows) == 1, rows
    return rows[0]


def test_openrouter_2024_envelope_without_created(db_path: Path) -> None:
    outcome = load_bytes(
        db_path,
        "openrouter",
        fixture_bytes("openrouter_2024-02-18_old_schema.json"),
        origin="openrouter_2024-02-18_old_schema.json",
    )
    assert outcome.status == "added"
    assert outcome.rows_read == 6 and outcome.rows_added == 6
    assert outcome.as_of == datetime(2024, 2, 18)  # no `created` in 2024: the file-name date is used
    assert outcome.as_of_basis == "date in file name"
    first = query(
        db_path,
        "SELECT model_id, usd_per_mtok_input, usd_per_mtok_output FROM observations "
        "WHERE model_id = 'nousresearch/nous-capybara-34b'",
    )
    assert first == [("nousresearch/nous-capybara-34b", Decimal("0.7"), Decimal("2.8"))]  # 0.0000007 USD/token
    assert counts(db_path)["price_intervals"] == 6


def test_openrouter_bare_array_and_free_model(db_path: Path) -> None:
    raw = fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json")
    outcome = load_bytes(db_path, "openrouter", raw, origin="skissue.json")
    assert outcome.status == "added" and outcome.rows_added == 6
    assert outcome.as_of_basis == "newest model 'created' in payload"
    haiku = _prices(db_path, "anthropic/claude-3.5-haiku")
    assert haiku[:5] == (Decimal("0.8"), Decimal("4"), Decimal("0.08"), Decimal("1"), None)
    assert haiku[5:7] == ("paid", "anthropic")
    free = _prices(db_path, "arcee-ai/trinity-large-preview:free")
    assert free[0] == Decimal(0) and free[1] == Decimal(0) and free[5] == "free"


def test_openrouter_2026_reasoning_object_overrides_and_variable_prices(db_path: Path) -> None:
    raw = fixture_bytes("openrouter_2026-08-19_reasoning_object.json")
    outcome = load_bytes(db_path, "openrouter", raw)
    assert outcome.rows_read == 6
    reasons = query(db_path, "SELECT record_key, reason FROM quarantine")
    assert [r[0] for r in reasons] == ["x-ai/grok-stt-1.0"]  # priced per second: absurd per token
    assert "absurd" in reasons[0][1]
    auto = _prices(db_path, "openrouter/auto-beta")
    assert auto[0] is None and auto[1] is None and auto[5] == "unknown"  # "-1" is unknown, never 0
    reasoning = query(db_path, "SELECT is_reasoning FROM observations WHERE model_id = 'qwen/qwen3.8-27b'")
    assert reasoning == [(True,)]
    extras = dict(query(db_path, "SELECT model_id, extra FROM observations"))
    assert extras["openai/gpt-4o"] is None  # every pricing key it lists has a typed column
    assert json.loads(extras["bytedance-seed/seed-2.0-code"]) == {  # pricing keys without a column kept verbatim
        "overrides": [{"completion": "0.000006", "min_prompt_tokens": 128000, "prompt": "0.000001"}]
    }


def test_litellm_skips_sample_spec_and_non_token_entries(db_path: Path) -> None:
    outcome = load_bytes(db_path, "litellm", fixture_bytes("litellm_2026-11-12_excerpt.json"))
    assert outcome.status == "added"
    models = {r[0] for r in query(db_path, "SELECT model_id FROM observations")}
    assert "sample_spec" not in models
    assert "1024-x-1024/50-steps/bedrock/amazon.nova-canvas-v1:0" not in models  # image price, no tokens
    gpt4o = _prices(db_path, "gpt-4o")
    assert gpt4o[:2] == (Decimal("2.5"), Decimal("10"))
    assert gpt4o[6:] == ("openai", "openai")
    haiku = _prices(db_path, "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0")
    assert haiku[6] == "anthropic"  # maker from the model id, not from the host
    canonical = query(db_path, "SELECT canonical_model_id FROM observations WHERE model_id LIKE 'bedrock/%'")
    assert canonical == [("claude-3-5-haiku",)]
    unit = query(db_path, "SELECT DISTINCT original_unit FROM observations")
    assert unit == [("usd_per_token",)]


def test_modelsdev_prices_and_facts(db_path: Path) -> None:
    outcome = load_bytes(db_path, "modelsdev", fixture_bytes("modelsdev_2026-07-02_excerpt.json"))
    assert outcome.rows_added == 5
    reasoner = _prices(db_path, "deepseek-reasoner", "deepseek")
    assert reasoner[6] == "deepseek"
    facts = query(db_path, "SELECT release_date, is_reasoning FROM model_facts WHERE canonical_model_id = 'o3'")
    assert facts and facts[0][1] is True


def test_genai_prices_dated_constraint_in_force_on_as_of(db_path: Path) -> None:
    raw = fixture_bytes("genai-prices_2026-08-21_excerpt.json")
    load_bytes(db_path, "genai-prices", raw, as_of=datetime(2025, 6, 1))
    before = _prices(db_path, "o3", "openai")
    assert before[:2] == (Decimal("10"), Decimal("40"))  # the June 2025 cut is not yet in force
    other = tmp_db = db_path.with_name("after.duckdb")
    load_bytes(tmp_db, "genai-prices", raw, as_of=datetime(2026, 8, 21))
    after = _prices(other, "o3", "openai")
    assert after[:2] == (Decimal("2"), Decimal("8"))
    opus = _prices(other, "claude-opus-4-6", "anthropic")
    assert opus[:2] == (Decimal("5"), Decimal("25"))  # base of the context tiers


def test_epoch_facts_map_countries(db_path: Path) -> None:
    outcome = load_bytes(
        db_path, "epoch", fixture_bytes("epoch_2025-08-07_excerpt.csv"), origin="epoch_2025-08-07_excerpt.csv"
    )
    assert outcome.status == "added" and outcome.rows_read == 8
    facts = dict(query(db_path, "SELECT canonical_model_id, author_country FROM model_facts"))
    assert facts["deepseek-v3"] == "CN"
    assert facts["gpt-4o"] == "US"
    assert facts["mistral-large-2"] == "FR"
    assert counts(db_path)["price_intervals"] == 0  # epoch has no prices
