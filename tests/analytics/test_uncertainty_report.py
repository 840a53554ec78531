"""The report's uncertainty keys: strict JSON, named estimators, the headline break and thin flags."""

from __future__ import annotations

import json

import pytest

from tests.analytics.test_report import _market
from tokentide.analytics.report import build_report


def _strict(payload: object) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"non-strict JSON constant {constant}")

    return json.loads(json.dumps(payload, allow_nan=False), parse_constant=refuse)


@pytest.fixture(scope="module")
def report_json() -> dict:
    return build_report(_market(), bootstrap_draws=200, scan_draws=49).to_json_dict()


def test_report_with_uncertainty_keys_is_strict_json(report_json: dict) -> None:
    assert _strict(report_json) == report_json


def test_every_half_life_names_its_estimator_and_maker_count(report_json: dict) -> None:
    for fit in report_json["half_life"].values():
        assert "wild cluster bootstrap by maker" in fit["estimator"] and fit["n_makers"] >= 1
    for fit in report_json["frontier_half_life"].values():
        assert "QuantileRegressor, q = 0.1" in fit["estimator"]


def test_headline_break_is_the_search_adjusted_scan_unless_a_date_is_fixed(report_json: dict) -> None:
    assert report_json["break"]["kind"] == "search-adjusted sup-F scan"
    assert report_json["break"]["date"] == report_json["chow_scan"]["argmax_date"]
    fixed = build_report(_market(), bootstrap_draws=50, scan_draws=19, break_date="2023-01-01").to_json_dict()
    assert fixed["break"]["kind"].startswith("fixed date") and fixed["break"]["date"].startswith("2023-01-01")
    assert fixed["break"]["p"] == fixed["chow"]["p"]


def test_decline_gives_the_fitted_fold_with_its_interval_beside_the_extreme_pair(report_json: dict) -> None:
    decline = report_json["decline"]
    low, high = decline["fitted_fold_ci"]
    if low is not None:
        assert low <= decline["fitted_fold"] <= high
    assert "extreme pair" in decline["extreme_pair_label"] and "exp(-slope x span)" in decline["fitted_fold_estimator"]
