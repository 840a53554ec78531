"""Bad input gets a clear one-line error or a quarantine row, and nothing already loaded is lost."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes, fixture_json
from tests.warehouse.helpers import counts, load_bytes, query

GOOD = "openrouter_2026-02-27_877c8fc77a_bare_array.json"


@pytest.fixture
def loaded(db_path: Path) -> dict[str, int]:
    load_bytes(db_path, "openrouter", fixture_bytes(GOOD), as_of=datetime(2026, 3, 1))
    return counts(db_path)


def _entry(pricing: object, model_id: str = "test/model") -> dict[str, object]:
    return {"id": model_id, "name": "Test", "pricing": pricing, "context_length": 1000}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty payload (0 bytes)"),
        (b'{"data": [{"id": "a/b", "pricing": {"prompt": "0.1"', "truncated JSON"),
        (b'{"models": []}', "wrong envelope"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"42", "wrong shape"),
    ],
)
def test_unreadable_payload_fails_in_one_line_and_keeps_raw_bytes(
    db_path: Path, loaded: dict[str, int], raw: bytes, message: str
) -> None:
    outcome = load_bytes(db_path, "openrouter", raw, as_of=datetime(2026, 3, 2))
    assert outcome.status == "failed"
    assert message in (outcome.message or "")
    assert "\n" not in (outcome.message or "")
    after = counts(db_path)
    assert after["raw_snapshots"] == loaded["raw_snapshots"] + 1  # raw bytes kept, flagged failed
    assert {k: v for k, v in after.items() if k != "raw_snapshots"} == {
        k: v for k, v in loaded.items() if k != "raw_snapshots"
    }
    stored = query(db_path, "SELECT status, byte_size FROM raw_snapshots ORDER BY snapshot_id DESC LIMIT 1")
    assert stored == [("failed", len(raw))]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("abc", "quarantined"),
        ("-5", "quarantined"),
        ("NaN", "quarantined"),
        ("0.5", "quarantined"),
        ("-1", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_string_prices(db_path: Path, loaded: dict[str, int], prompt: object, expected: str) -> None:
    models = fixture_json(GOOD)
    assert isinstance(models, list)
    bad = _entry({"prompt": prompt, "completion": "0.000001"})
    outcome = load_bytes(db_path, "openrouter", json.dumps([*models, bad]).encode(), as_of=datetime(2026, 3, 2))
    assert outcome.status == "added"
    assert outcome.rows_added == len(models) + (expected == "unknown")  # the rest still loads
    if expected == "quarantined":  # 0.5 USD per token = 500,000 per Mtok: absurd
        rows = query(db_path, "SELECT record_key, reason FROM quarantine")
        assert [r[0] for r in rows] == ["test/model"]
    else:
        rows = query(db_path, "SELECT usd_per_mtok_input, price_state FROM observations WHERE model_id = 'test/model'")
        assert rows == [(None, "unknown")]  # never stored as 0


def test_missing_pricing_and_missing_id_are_quarantined(db_path: Path, loaded: dict[str, int]) -> None:
    models = fixture_json(GOOD)
    assert isinstance(models, list)
    entries = [*models, {"id": "no/pricing", "name": "x"}, {"name": "no id", "pricing": {"prompt": "0"}}, "text"]
    outcome = load_bytes(db_path, "openrouter", json.dumps(entries).encode(), as_of=datetime(2026, 3, 2))
    assert outcome.rows_quarantined == 3
    reasons = sorted(r[0] for r in query(db_path, "SELECT reason FROM quarantine"))
    assert reasons == ["entry is a str, not an object", "missing model id", "missing pricing object"]


def test_duplicate_ids_keep_the_first_and_quarantine_the_rest(db_path: Path) -> None:
    models = fixture_json(GOOD)
    assert isinstance(models, list)
    twin = dict(models[0], pricing={"prompt": "0.000009", "completion": "0.000009"})
    outcome = load_bytes(db_path, "openrouter", json.dumps([*models, twin]).encode())
    assert outcome.rows_added == len(models)
    assert query(db_path, "SELECT reason FROM quarantine") == [("duplicate id in payload",)]


def test_litellm_bad_values(db_path: Path) -> None:
    payload = {
        "ok-model": {"litellm_provider": "openai", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
        "nan-model": {"litellm_provider": "openai", "input_cost_per_token": "nan", "output_cost_per_token": 1e-6},
        "no-provider": {"input_cost_per_token": 1e-6, "output_cost_per_token": 1e-6},
        "huge": {"litellm_provider": "x", "input_cost_per_token": 1e300, "output_cost_per_token": 1},
    }
    outcome = load_bytes(db_path, "litellm", json.dumps(payload).encode())
    assert outcome.rows_added == 2 and outcome.rows_quarantined == 2
    loaded = query(db_path, "SELECT model_id, provider FROM observations ORDER BY 1")
    assert loaded == [("no-provider", "unspecified"), ("ok-model", "openai")]  # early LiteLLM files lack a provider
    assert "1 entries without litellm_provider recorded as 'unspecified'" in (outcome.message or "")


def test_unknown_source_is_rejected_by_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tokentide.cli import main

    payload = tmp_path / "x.json"
    payload.write_text("[]")
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "w.duckdb"), "ingest", "--source", "nope", str(payload)])
    assert exit_info.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
