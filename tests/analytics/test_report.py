"""build_report on a planted synthetic market: recovered figures, JSON safety, as-of and speed."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.analytics.synthetic import build_intervals, market_intervals
from tokentide.analytics.report import Report, build_report


@cache
def _market() -> pd.DataFrame:
    return market_intervals(n_models=400, intervals_per_model=50, reasoning_premium=4.0, seed=0)


@cache
def _non_reasoning_report() -> Report:
    market = _market()
    return build_report(market[~market["is_reasoning"].astype(bool)], filters="non-reasoning models")


def test_planted_half_lives_are_inside_the_reported_intervals() -> None:
    half_life = _non_reasoning_report().to_json_dict()["half_life"]
    assert half_life["economy"]["ci_low"] <= 1.1 <= half_life["economy"]["ci_high"]
    assert half_life["mid"]["ci_low"] <= 1.55 <= half_life["mid"]["ci_high"]
    assert not half_life["flagship"]["significant_decline"]
    assert half_life["flagship"]["r2"] < 0.05


def test_planted_reasoning_premium_is_recovered_within_tier() -> None:
    premium = build_report(_market(), bootstrap_draws=300).to_json_dict()["reasoning_premium"]
    assert premium["ratio"] == pytest.approx(4.0, rel=0.25)
    assert premium["n_pairs"] is None and premium["within_tier"]["n_groups"] >= 3
    assert premium["per_task"]["per_task_ratio"] == pytest.approx(premium["ratio"] * 8.0)


def _walk(value: object) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _walk(item)
    elif isinstance(value, list):
        for item in value:
            _walk(item)
    else:
        assert value is None or isinstance(value, (bool, int, float, str))
        assert not (isinstance(value, float) and not math.isfinite(value))


def test_json_has_the_promised_keys_and_no_nan() -> None:
    report = _non_reasoning_report().to_json_dict()
    json.dumps(report, allow_nan=False)
    _walk(report)
    for key in ("as_of", "n_models", "decline_fold", "half_life", "reasoning_premium", "hhi", "chow", "us_china"):
        assert key in report
    assert set(report["half_life"]["economy"]) >= {"years", "ci_low", "ci_high", "r2", "n"}
    assert set(report["reasoning_premium"]) >= {"ratio", "ci_low", "ci_high", "n_pairs"}
    assert set(report["hhi"]) >= {"latest", "basis", "series"} and report["hhi"]["basis"] == "models-by-author"
    assert set(report["hhi"]["series"][0]) >= {"period", "hhi", "cr4"}
    assert set(report["chow"]) >= {"date", "f", "p"} and set(report["us_china"]) >= {"ratio", "p"}
    assert "non-reasoning models" in report["hhi"]["market_definition"]


def test_tiny_frame_refuses_everywhere_but_still_serialises() -> None:
    frame = build_intervals(
        [
            dict(canonical_model_id="a", release_date="2024-01-01", usd_per_mtok_output=2.0, tier="economy"),
            dict(canonical_model_id="b", release_date="2024-02-01", usd_per_mtok_output=None, tier="mid"),
            dict(canonical_model_id="c", release_date="2024-03-01", usd_per_mtok_output=0.0, tier="mid"),
        ]
    )
    report = build_report(frame).to_json_dict()
    json.dumps(report, allow_nan=False)
    assert report["n_models"] == 3 and report["launch_prices"] == {"paid": 1, "unknown": 1, "free": 1}
    assert not report["half_life"]["all"]["ok"] and "too few" in report["half_life"]["all"]["reason"]
    assert report["half_life"]["all"]["n_excluded_free"] == 1
    assert report["half_life"]["all"]["n_excluded_unknown"] == 1
    assert report["chow"]["f"] is None and report["us_china"]["ratio"] is None
    assert report["reasoning_premium"]["ratio"] is None


def test_empty_frame_gives_a_report_of_refusals() -> None:
    frame = build_intervals([dict(canonical_model_id="a", release_date="2024-01-01", usd_per_mtok_output=2.0)])
    report = build_report(frame.iloc[:0]).to_json_dict()
    json.dumps(report, allow_nan=False)
    assert report["n_models"] == 0 and report["decline_fold"] is None
    assert not report["chow_scan"]["ok"] and report["hhi"]["series"] == []


def test_as_of_uses_only_what_was_known_then() -> None:
    market = _market()
    as_of = pd.Timestamp("2023-01-01", tz="UTC")
    report = build_report(market, as_of=as_of, bootstrap_draws=100, scan_draws=19)
    released = market.loc[market["release_date"].dt.tz_localize("UTC") <= as_of, "canonical_model_id"].nunique()
    assert report.n_models == released
    assert report.to_json_dict()["as_of"] == as_of.isoformat()
    assert report.hhi.latest_period == "2022" or report.hhi.latest_period == "2023"


def test_price_band_rule_splits_the_market_into_thirds() -> None:
    report = build_report(_market(), tier_rule="price-band", bootstrap_draws=100, scan_draws=19)
    tiers = report.to_json_dict()["tiers"]
    assert (tiers["rule"], tiers["version"]) == ("price-band", 1)
    counts = tiers["counts"]
    assert sum(counts.values()) + tiers["n_unassigned"] == report.n_models
    assert max(counts.values()) - min(counts.values()) <= 12  # terciles within each of ~11 half-years


def test_matched_pairs_take_precedence_when_given() -> None:
    market = _market()
    models = market.drop_duplicates("canonical_model_id")
    reasoning = models[models["is_reasoning"].astype(bool)].head(10)["canonical_model_id"].tolist()
    base = models[~models["is_reasoning"].astype(bool)].head(10)["canonical_model_id"].tolist()
    pairs = pd.DataFrame({"reasoning_model_id": reasoning, "base_model_id": base})
    premium = build_report(market, pairs=pairs, bootstrap_draws=200).to_json_dict()["reasoning_premium"]
    assert premium["n_pairs"] == 10 and premium["method"].startswith("matched pairs")
    assert premium["pairs"]["n_pairs"] == 10 and len(premium["pairs"]["pairs"]) == 10


def test_full_report_on_twenty_thousand_rows_counts_every_row_and_is_strict_json() -> None:
    """Its speed (< 1 s) is measured in benchmarks/ (`make bench`, analytics rows), not asserted here."""
    market = _market()
    assert len(market) == 20_000
    report = build_report(market, bootstrap_draws=1000).to_json_dict()
    assert report["n_intervals"] == 20_000 and report["settings"]["bootstrap_draws"] == 1000
    assert set(report["half_life"]) == {"all", "economy", "mid", "flagship"}
    json.dumps(report, allow_nan=False)
    assert set(report["frontier_half_life"]) == {"all", "economy", "mid", "flagship"}


def test_report_is_reproducible_with_a_seed() -> None:
    market = _market()
    first = build_report(market, seed=3, bootstrap_draws=200).to_json_dict()
    again = build_report(market, seed=3, bootstrap_draws=200).to_json_dict()
    assert first == again
    other = build_report(market, seed=4, bootstrap_draws=200).to_json_dict()
    assert other["half_life"]["mid"]["ci_low"] != first["half_life"]["mid"]["ci_low"]
    assert np.isclose(other["half_life"]["mid"]["years"], first["half_life"]["mid"]["years"])


def test_methods_page_documents_every_report_key() -> None:
    readme = (Path(__file__).parents[2] / "docs" / "methods.md").read_text(encoding="utf-8")
    shape = readme.split("## Report JSON", 1)[1]
    report = _non_reasoning_report().to_json_dict()
    nested = [report, report["settings"], report["decline"], report["half_life"]["mid"], report["hhi"]]
    nested += [report["hhi"]["series"][0], report["reasoning_premium"], report["reasoning_premium"]["within_tier"]]
    nested += [report["chow"], report["chow_scan"], report["us_china"], report["tiers"], report["replication"][0]]
    undocumented = {key for part in nested for key in part if key not in shape}
    assert not undocumented
