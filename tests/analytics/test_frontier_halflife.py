"""Frontier half-life: quantile regression of ln(price) on date with a maker-bootstrap interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import QuantileRegressor

from tokentide.analytics.frontier_halflife import bootstrap_quantile_slopes, fit_frontier_half_life

START = pd.Timestamp("2022-01-01", tz="UTC")


def _points(seed: int, *, n: int = 300, n_makers: int = 20, slope: float = -0.7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = rng.uniform(0.0, 4.0, n)
    makers = rng.integers(0, n_makers, n)
    log_price = 2.0 + slope * years + rng.normal(0.0, 0.2, n_makers)[makers] + rng.normal(0.0, 0.8, n)
    return pd.DataFrame(
        {
            "release_date": START + pd.to_timedelta(years * 365.25, unit="D"),
            "usd_per_mtok": np.exp(log_price),
            "author": [f"maker-{m}" for m in makers],
        }
    )


def test_vectorised_bootstrap_slopes_equal_scikit_learn_with_the_same_weights() -> None:
    rng = np.random.default_rng(1)
    x = np.round(rng.uniform(0.0, 5.0, 120), 1)  # ties in x, as release dates have
    y = 1.0 - 0.4 * x + rng.normal(0.0, 1.0, 120)
    weights = rng.integers(0, 3, size=(6, 120)).astype(float)
    ours = bootstrap_quantile_slopes(x, y, weights, 0.1)
    for row, slope in zip(weights, ours, strict=True):
        model = QuantileRegressor(quantile=0.1, alpha=0.0, solver="highs").fit(x[:, None], y, sample_weight=row)
        assert slope == pytest.approx(float(model.coef_[0]), abs=1e-8)


def test_planted_trend_of_the_cheap_end_is_recovered_and_covered() -> None:
    fit = fit_frontier_half_life(_points(2), bootstrap_draws=199)
    assert fit.ok and not fit.thin and fit.n_clusters == 20
    assert fit.slope_per_year == pytest.approx(-0.7, abs=0.2)
    assert fit.slope_ci[0] < -0.7 < fit.slope_ci[1]
    assert fit.half_life_years == pytest.approx(math.log(2) / 0.7, rel=0.35)
    assert "QuantileRegressor, q = 0.1" in fit.estimator and "maker bootstrap" in fit.estimator


def test_fewer_than_six_makers_give_a_slope_but_no_interval() -> None:
    fit = fit_frontier_half_life(_points(3, n_makers=4))
    assert fit.ok and fit.thin and "4 maker" in fit.thin_reason
    assert all(math.isnan(v) for v in fit.slope_ci)
    assert "no interval" in fit.message


def test_too_few_points_refuse_with_a_reason() -> None:
    fit = fit_frontier_half_life(_points(4, n=6))
    assert not fit.ok and "too few priced points" in fit.reason
