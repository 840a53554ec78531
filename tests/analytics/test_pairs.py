"""Matched-pair reasoning premium on planted pairs, with statuses and a common comparison date."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.analytics.synthetic import build_intervals
from tokentide.analytics.pairs import pair_premium, pair_premium_at_common_date


def _points(prices: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"canonical_model_id": list(prices), "usd_per_mtok": list(prices.values())})


def _pairs(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["reasoning_model_id", "base_model_id"])


def test_planted_constant_ratio_is_returned_exactly() -> None:
    prices = {f"b{i}": 0.1 * 2**i for i in range(6)} | {f"r{i}": 0.3 * 2**i for i in range(6)}
    result = pair_premium(_points(prices), _pairs(*[(f"r{i}", f"b{i}") for i in range(6)]))
    assert result.ok and result.n_pairs == 6 and not result.thin
    assert result.ratio == pytest.approx(3.0)
    assert (result.ci_low, result.ci_high) == pytest.approx((3.0, 3.0))
    assert result.median_ratio == pytest.approx(3.0) and result.arithmetic_mean_ratio == pytest.approx(3.0)
    assert "geometric mean of pair ratios" in result.estimator


def test_fewer_than_six_base_models_give_no_interval_but_say_why() -> None:
    points = _points({"r1": 6.0, "b1": 2.0, "r2": 30.0, "b2": 10.0, "r3": 0.3, "b3": 0.1})
    result = pair_premium(points, _pairs(("r1", "b1"), ("r2", "b2"), ("r3", "b3")))
    assert result.ok and result.ratio == pytest.approx(3.0)
    assert result.thin and "3 base model" in result.thin_reason
    assert math.isnan(result.ci_low) and math.isnan(result.ci_high)


def test_pairs_flagged_different_sizes_are_left_out_and_counted() -> None:
    prices = {f"b{i}": 1.0 for i in range(6)} | {f"r{i}": 2.0 for i in range(6)} | {"small-r": 100.0}
    pairs = _pairs(*[(f"r{i}", f"b{i}") for i in range(6)], ("small-r", "b0"))
    pairs["note"] = [""] * 6 + ["different sizes: the smaller model is the reasoning one"]
    result = pair_premium(_points(prices), pairs)
    assert result.n_mismatched == 1 and result.n_pairs == 6
    assert result.pairs["status"].iloc[-1] == "mismatched"
    assert result.ratio == pytest.approx(2.0)


def test_interval_resamples_base_models_not_pairs() -> None:
    # One base serves five pairs with a high ratio; five bases serve one pair each with ratio 1. Resampling
    # pairs would treat the five high pairs as independent evidence; resampling bases moves them together,
    # so some draws hold no high pair (ratio 1) and some hold mostly high pairs.
    prices = {"shared": 1.0} | {f"hi{i}": 16.0 for i in range(5)}
    prices |= {f"b{i}": 1.0 for i in range(5)} | {f"r{i}": 1.0 for i in range(5)}
    pairs = _pairs(*[(f"hi{i}", "shared") for i in range(5)], *[(f"r{i}", f"b{i}") for i in range(5)])
    result = pair_premium(_points(prices), pairs, bootstrap_draws=2000)
    assert result.n_bases == 6 and result.ratio == pytest.approx(4.0)  # (16^5)^(1/10)
    assert result.ci_low == pytest.approx(1.0)  # a draw without the shared base happens often (~33%)
    assert result.ci_high > 8.0


def test_geometric_mean_and_median_differ_as_they_should() -> None:
    points = _points({"r1": 2.0, "r2": 8.0, "r3": 32.0, "b": 1.0})
    pairs = _pairs(("r1", "b"), ("r2", "b"), ("r3", "b"))
    assert pair_premium(points, pairs, average="geometric-mean").ratio == pytest.approx(8.0)  # (2*8*32)^(1/3)
    assert pair_premium(points, pairs, average="median").ratio == pytest.approx(8.0)
    skewed = _points({"r1": 2.0, "r2": 2.0, "r3": 128.0, "b": 1.0})  # (2*2*128)^(1/3) = 8
    assert pair_premium(skewed, pairs, average="geometric-mean").ratio == pytest.approx(8.0)
    assert pair_premium(skewed, pairs, average="median").ratio == pytest.approx(2.0)


def test_noisy_planted_pairs_cover_the_ratio() -> None:
    rng = np.random.default_rng(1)
    base = np.exp(rng.normal(0.0, 1.0, 40))
    prices = {f"b{i}": b for i, b in enumerate(base)}
    prices |= {f"r{i}": b * 5.0 * np.exp(rng.normal(0.0, 0.3)) for i, b in enumerate(base)}
    result = pair_premium(_points(prices), _pairs(*[(f"r{i}", f"b{i}") for i in range(40)]))
    assert result.ratio == pytest.approx(5.0, rel=0.15)
    assert result.ci_low < 5.0 < result.ci_high


def test_unusable_pairs_are_counted_not_averaged() -> None:
    points = _points({"r1": 6.0, "b1": 2.0, "r2": math.nan, "b2": 1.0, "r3": 4.0, "b3": 0.0})
    result = pair_premium(points, _pairs(("r1", "b1"), ("r2", "b2"), ("r3", "b3"), ("ghost", "b1")))
    assert result.pairs["status"].tolist() == ["ok", "unknown price", "free", "missing model"]
    assert (result.n_pairs, result.n_excluded_unknown, result.n_excluded_free, result.n_missing) == (1, 1, 1, 1)
    assert result.ratio == pytest.approx(3.0)
    assert math.isnan(result.ci_low)  # one pair gives no interval


def test_refuses_without_a_usable_pair() -> None:
    result = pair_premium(_points({"r": math.nan, "b": 1.0}), _pairs(("r", "b")))
    assert not result.ok and result.n_pairs == 0


def test_common_date_respects_a_price_cut_before_the_reasoning_launch() -> None:
    intervals = build_intervals(
        [
            dict(canonical_model_id="base", release_date="2024-01-01", valid_to="2024-06-01", usd_per_mtok_output=10.0),
            dict(
                canonical_model_id="base", release_date="2024-01-01", valid_from="2024-06-01", usd_per_mtok_output=5.0
            ),
            dict(canonical_model_id="thinker", model_id="vendor/thinker-0901", release_date="2024-09-01")
            | dict(usd_per_mtok_output=20.0),
        ]
    )
    result = pair_premium_at_common_date(intervals, _pairs(("vendor/thinker-0901", "base")))
    assert result.ratio == pytest.approx(4.0)  # 20 / 5 at 2024-09-01, not 20 / 10 at launch
    assert result.pairs["compared_at"].iloc[0] == pd.Timestamp("2024-09-01", tz="UTC")
    earlier = pair_premium_at_common_date(intervals, _pairs(("thinker", "base")), at="2025-01-01")
    assert earlier.ratio == pytest.approx(4.0)
    before_launch = pair_premium_at_common_date(intervals, _pairs(("thinker", "base")), at="2024-03-01")
    assert not before_launch.ok and before_launch.pairs["status"].iloc[0] == "unknown price"
