"""`tokentide report`: the stable JSON contract, filters, a planted half-life end to end, the replication."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from tokentide.analytics import replication
from tokentide.cli import main
from tokentide.collectors.milestones import REQUIRED
from tokentide.reporting.report_runner import PAPERS_RULE_TABLE


def _report(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["--db", str(db), "report", "--json", "--draws", "200", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_empty_warehouse_gets_the_embedded_default_and_the_documented_keys(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _report(db_path, capsys=capsys)
    assert {"as_of", "n_models", "decline_fold", "half_life", "reasoning_premium", "hhi", "chow", "us_china"} <= set(
        data
    )
    for tier in ("economy", "mid", "flagship"):
        assert {"years", "ci_low", "ci_high", "r2", "n"} <= set(data["half_life"][tier])
    assert {"ratio", "ci_low", "ci_high", "n_pairs"} <= set(data["reasoning_premium"])
    assert {"latest", "basis", "series"} <= set(data["hhi"])
    assert all({"period", "hhi", "cr4"} <= set(row) for row in data["hhi"]["series"])
    assert {"date", "f", "p"} <= set(data["chow"]) and {"ratio", "p"} <= set(data["us_china"])
    assert data["n_models"] > 100  # the curated milestones alone hold 138 launches


def test_filters_narrow_the_market(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything = _report(db_path, capsys=capsys)
    chinese_mid = _report(db_path, "--country", "cn", "--tier", "mid", capsys=capsys)
    assert 0 < chinese_mid["n_models"] < everything["n_models"]
    assert chinese_mid["tiers"]["counts"].keys() <= {"mid"}
    nothing = _report(db_path, "--author", "x'); DROP TABLE models; --", capsys=capsys)
    assert nothing["n_models"] == 0
    assert _report(db_path, capsys=capsys)["n_models"] == everything["n_models"]  # tables intact


# Eight makers, so the maker-robust interval has enough clusters (fewer than 6 makers give no interval).
PLANTED_MAKERS: tuple[tuple[str, str], ...] = (
    ("openai", "US"), ("anthropic", "US"), ("google", "US"), ("mistral", "FR"),
    ("xai", "US"), ("alibaba", "CN"), ("cohere", "CA"), ("deepseek", "CN"),
)  # fmt: skip


def _planted_milestones(path: Path, half_life_years: float, n: int = 40) -> None:
    rng = np.random.default_rng(7)
    days = np.sort(rng.choice(np.arange(0, 5 * 365), size=n, replace=False))
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*REQUIRED, "note"])
        writer.writeheader()
        for i, day in enumerate(days):
            released = np.datetime64("2021-01-01") + np.timedelta64(int(day), "D")
            price = 40 * 0.5 ** (day / 365.25 / half_life_years) * float(np.exp(rng.normal(0, 0.2)))
            writer.writerow({
                "model_id": f"planted-{i}", "model_name": f"Planted {i}", "author": PLANTED_MAKERS[i % 8][0],
                "country": PLANTED_MAKERS[i % 8][1],
                "family": "planted", "tier": "economy", "release_date": str(released), "price_date": str(released),
                "event": "launch", "usd_per_mtok_input": f"{price:.6f}", "usd_per_mtok_output": f"{price:.6f}",
                "usd_per_mtok_cache_read": "", "is_reasoning": "false", "is_open_weights": "false",
                "source_url": "https://example.org/planted", "note": "synthetic",
            })  # fmt: skip


def test_a_planted_half_life_comes_back_through_ingest_and_report(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "planted.csv"
    _planted_milestones(table, half_life_years=1.2)
    assert main(["--db", str(db_path), "ingest", "--source", "milestones", str(table)]) == 0
    capsys.readouterr()
    fit = _report(db_path, capsys=capsys)["half_life"]["economy"]
    assert fit["n"] == 40
    assert abs(fit["years"] - 1.2) / 1.2 < 0.15
    assert not fit["thin"] and fit["n_makers"] == 8
    assert fit["ci_low"] < 1.2 < fit["ci_high"]


def test_replication_is_computed_beside_the_paper(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "report", "--replicate", "--json", "--draws", "200"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    # the warehouse holds only the default: its column, and the same data with the paper's (price-band) rule
    assert list(tables) == ["embedded default", PAPERS_RULE_TABLE]
    rows = {row["figure"]: row for row in tables["embedded default"]}
    assert rows["Half-life, economy tier"]["paper_value"] == replication.PAPER_HALF_LIFE_ECONOMY_YEARS
    assert rows["Half-life, economy tier"]["tokentide_value"] != replication.PAPER_HALF_LIFE_ECONOMY_YEARS
    report = _report(db_path, capsys=capsys)  # the same warehouse's report: the rows carry its numbers
    economy = report["half_life"]["economy"]
    assert rows["Half-life, economy tier"]["tokentide_value"] == pytest.approx(economy["years"])
    assert rows["Half-life, economy tier"]["n"] == economy["n"]
    hhi_end = rows[f"HHI, end ({report['hhi']['headline_period']})"]
    assert hhi_end["tokentide_value"] == pytest.approx(report["hhi"]["headline"])
    litellm = tmp_path / "litellm.json"
    litellm.write_text(
        json.dumps(
            {"gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": 2.5e-6, "output_cost_per_token": 1e-5}}
        )
    )
    main(["--db", str(db_path), "ingest", "--source", "litellm", str(litellm)])
    capsys.readouterr()
    assert main(["--db", str(db_path), "report", "--replicate", "--json", "--draws", "200"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert list(tables) == ["embedded default", "your warehouse", PAPERS_RULE_TABLE]
    price_band = {row["figure"]: row for row in tables[PAPERS_RULE_TABLE]}
    assert "price-band" in price_band["Half-life, economy tier"]["note"]


def test_the_cli_choices_match_the_analytics() -> None:
    from tokentide.analytics import frames, halflife, prices, tiers
    from tokentide.commands import report

    assert report.TIERS == frames.TIERS
    assert report.METHODS == halflife.METHODS
    assert tuple(report.PROVIDER_SELECTIONS) == tuple(prices.PROVIDER_SELECTIONS)
    assert report.TIER_RULE_NAMES == tuple(tiers.TIER_RULES)
