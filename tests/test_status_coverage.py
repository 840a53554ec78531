"""`tokentide status` shows coverage; its --json is strict and every coverage key is documented."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.docs_text import documentation
from tests.warehouse.helpers import load_bytes
from tokentide.cli import main
from tokentide.collectors.default_data import load_default
from tokentide.warehouse.connection import writer


def _strict(text: str) -> dict:
    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def _warehouse(db: Path) -> None:
    with writer(db) as conn:
        load_default(conn)
    for day, keys in (("2025-01-01", ["gpt-4o"]), ("2025-01-08", ["gpt-4o", "brand-new-1"])):
        spec = {k: {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai"}
                for k in keys}  # fmt: skip
        load_bytes(db, "litellm", json.dumps(spec).encode(), origin=f"w-{day}#m", as_of=datetime.fromisoformat(day))


def test_status_json_has_strict_coverage_with_every_key_documented(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "w.duckdb"
    _warehouse(db)
    assert main(["--db", str(db), "status", "--json"]) == 0
    cover = _strict(capsys.readouterr().out)["coverage"]
    litellm = next(s for s in cover["sources"] if s["source"] == "litellm")
    assert litellm["models"] == 2 and litellm["dated_models"] == 2  # gpt-4o curated, brand-new-1 first seen
    assert litellm["history_from"] == "2025-01-01T00:00:00Z" and litellm["snapshots"] == 2
    all_2025 = next(y for y in cover["years"] if y["year"] == 2025 and y["tier"] == "all")
    assert all_2025["thin"] is (all_2025["paid_launch_prices"] < cover["thin_below_paid_launch_prices"])
    docs = documentation()
    keys = {*cover, *cover["sources"][0], *cover["years"][0]}
    assert [k for k in sorted(keys) if f"`{k}`" not in docs and f"`coverage.{k}`" not in docs] == []


def test_status_text_ends_with_coverage_per_source_and_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    _warehouse(db)
    assert main(["--db", str(db), "status"]) == 0
    out = capsys.readouterr().out
    assert "coverage by source" in out and "litellm" in out and "100% dated" in out
    assert "paid launch prices (makers) by release year, tier rule positioning" in out


def test_dates_json_is_strict_and_the_alias_csv_is_written_for_review(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = tmp_path / "w.duckdb"
    _warehouse(db)
    csv = tmp_path / "aliases.csv"
    assert main(["--db", str(db), "dates", "--json", "--conflicts", "--suggest-aliases", str(csv)]) == 0
    out, err = capsys.readouterr()
    result = _strict(out)
    assert result["dated_by_basis"]["first seen in litellm price list (estimate)"] == 1
    assert result["first_seen_lag"]["ok"] is False and result["first_seen_lag"]["median_lag_days"] is None
    assert isinstance(result["conflict_rows"], list)
    header = csv.read_text().splitlines()[0]
    assert header == "model_id,suggested_id,cosine_similarity,neighbour_rank,numbers_match,proposed,decision"
    assert "nothing is merged" in err
