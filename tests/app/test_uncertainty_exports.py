"""The half-life chart data (what `tokentide export` and the CSV button write) carries the frontier and thin flags."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tokentide.reporting.chartbook import build_chart
from tokentide.reporting.export import csv_bytes
from tokentide.reporting.scope import Scope
from tokentide.reporting.uncertainty_views import frontier_fits


def test_half_life_csv_has_the_frontier_beside_the_mean_trend_and_names_both(scope: Scope) -> None:
    chart = build_chart("half-life-by-tier", scope, {"method": "ols", "window": "all"})
    table = pd.read_csv(io.BytesIO(csv_bytes(chart)), comment="#")
    assert {"frontier_half_life_years", "frontier_ci_low_years", "frontier_thin", "thin", "n_makers"} <= set(table)
    assert table["estimator"].str.contains("wild cluster bootstrap by maker").all()
    assert table["frontier_estimator"].str.contains("QuantileRegressor, q = 0.1").all()
    fits = frontier_fits(scope)
    for row in table.itertuples():  # the CSV rounds numbers to meaningful digits (export.publishable)
        expected = fits[row.group].half_life_years
        if expected is None:
            assert pd.isna(row.frontier_half_life_years)
        else:
            assert row.frontier_half_life_years == pytest.approx(expected, rel=1e-3)
