"""Half-life fits on series with a planted half-life, refusals, exclusions, as-of and history."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.analytics.synthetic import build_intervals, planted_points
from tokentide.analytics.curves import launch_prices
from tokentide.analytics.halflife import LN2, HalfLifeFit, fit_half_life, half_life_history
from tokentide.analytics.prices import known_at

TRUE_HALF_LIFE = 1.3


def test_planted_half_life_is_recovered_within_ten_percent() -> None:
    fit = fit_half_life(planted_points(n=60, half_life_years=TRUE_HALF_LIFE, sigma=0.3, seed=1))
    assert fit.ok and fit.n == 60
    assert fit.half_life_years == pytest.approx(TRUE_HALF_LIFE, rel=0.10)
    low, high = fit.half_life_ci_years
    assert low < fit.half_life_years < high
    assert fit.significant_decline
    assert fit.annual_decline_factor == pytest.approx(2 ** (1 / fit.half_life_years))
    assert fit.r2 > 0.5


def _coverage(runs: int) -> tuple[float, float]:
    covered, estimates = 0, []
    for seed in range(runs):
        fit = fit_half_life(
            planted_points(n=60, half_life_years=TRUE_HALF_LIFE, sigma=0.3, seed=1000 + seed), seed=seed
        )
        low, high = fit.half_life_ci_years
        covered += low <= TRUE_HALF_LIFE <= high
        estimates.append(fit.half_life_years)
    return covered / runs, float(np.median(estimates))


def test_bootstrap_ci_covers_the_truth_about_95_percent_of_the_time() -> None:
    # 200 seeded runs take well under a second, so this needs no slow marker.
    coverage, median_estimate = _coverage(200)
    assert 0.90 <= coverage <= 0.99
    assert median_estimate == pytest.approx(TRUE_HALF_LIFE, rel=0.05)


def test_theil_sen_resists_outliers_that_drag_ols() -> None:
    points = planted_points(n=80, half_life_years=TRUE_HALF_LIFE, sigma=0.1, seed=3)
    late = points.index[-8:]
    points.loc[late, "usd_per_mtok"] *= 200.0  # a few absurd late prices
    robust = fit_half_life(points, method="theil-sen")
    ols = fit_half_life(points, method="ols")
    assert robust.ci_method == "sen-kendall"
    assert robust.half_life_years == pytest.approx(TRUE_HALF_LIFE, rel=0.10)
    assert abs(ols.slope_per_year - robust.slope_per_year) > 0.2


def test_refuses_with_fewer_than_five_points() -> None:
    fit = fit_half_life(planted_points(n=4))
    assert not fit.ok
    assert "too few priced points" in fit.reason
    assert fit.half_life_years is None and fit.message.startswith("no fit")


def test_refuses_with_a_single_date() -> None:
    points = planted_points(n=6).assign(release_date=pd.Timestamp("2024-01-01", tz="UTC"))
    fit = fit_half_life(points)
    assert not fit.ok and "distinct dates" in fit.reason


def test_unknown_and_free_prices_are_excluded_and_counted() -> None:
    points = planted_points(n=40, seed=4)
    extra = points.iloc[:7].assign(canonical_model_id=lambda f: f["canonical_model_id"] + "x")
    extra["usd_per_mtok"] = [np.nan] * 4 + [0.0] * 3
    fit_all = fit_half_life(pd.concat([points, extra]))
    fit_clean = fit_half_life(points)
    assert (fit_all.n, fit_all.n_excluded_unknown, fit_all.n_excluded_free) == (40, 4, 3)
    assert fit_all.slope_per_year == fit_clean.slope_per_year


def test_slope_ci_reaching_zero_means_no_significant_decline_and_unbounded_half_life() -> None:
    common = dict(ok=True, reason=None, method="ols", n=10, n_excluded_free=0, n_excluded_unknown=0)
    common |= dict(n_excluded_undated=0, n_distinct_dates=10)
    straddling = HalfLifeFit(**common, slope_per_year=-0.2, slope_ci=(-0.5, 0.1))
    assert not straddling.significant_decline
    assert straddling.message.startswith("no significant decline")
    assert straddling.half_life_ci_years == (pytest.approx(LN2 / 0.5), math.inf)
    rising = HalfLifeFit(**common, slope_per_year=0.3, slope_ci=(0.1, 0.5))
    assert rising.half_life_years is None and rising.half_life_ci_years == (None, None)


def test_flat_prices_rarely_show_a_significant_decline() -> None:
    declines, straddles = 0, 0
    for seed in range(200):
        points = planted_points(n=60, seed=seed)
        points["usd_per_mtok"] = np.exp(np.random.default_rng(seed).normal(0.0, 0.3, 60))  # no trend
        fit = fit_half_life(points, bootstrap_draws=400, seed=seed)
        declines += fit.significant_decline
        if fit.slope_ci[0] < 0 < fit.slope_ci[1]:
            straddles += 1
            assert fit.message.startswith("no significant decline")
            assert fit.half_life_ci_years[1] == math.inf
    assert declines / 200 <= 0.06  # one tail of a 95% interval: about 2.5% expected
    assert straddles >= 180


def test_same_seed_same_interval_other_seed_other_interval() -> None:
    points = planted_points(seed=5)
    pairs = {"ci_method": "pairs"}  # a bootstrap interval (the default CR2 one draws nothing)
    assert fit_half_life(points, seed=1, **pairs).slope_ci == fit_half_life(points, seed=1, **pairs).slope_ci
    assert fit_half_life(points, seed=1, **pairs).slope_ci != fit_half_life(points, seed=2, **pairs).slope_ci


def test_thousand_draws_on_hundreds_of_points_give_an_interval_around_the_estimate() -> None:
    """Its speed (< 0.5 s) is measured in benchmarks/ (`make bench`, analytics rows), not asserted here."""
    points = planted_points(n=400, seed=6)
    fit = fit_half_life(points, bootstrap_draws=1000, ci_method="pairs")  # one maker: the default is thin
    assert fit.ok and fit.n == 400
    assert fit.slope_ci[0] < fit.slope_per_year < fit.slope_ci[1]


def _intervals_with_cuts() -> pd.DataFrame:
    rows = []
    for i, row in planted_points(n=30, seed=8).iterrows():
        release = row["release_date"].tz_localize(None)
        cut = release + pd.Timedelta(days=200)
        common = dict(canonical_model_id=row["canonical_model_id"], release_date=release)
        rows.append(common | dict(valid_to=cut, usd_per_mtok_output=row["usd_per_mtok"]))
        rows.append(common | dict(valid_from=cut, usd_per_mtok_output=row["usd_per_mtok"] / 2))
        if i % 5 == 0:  # some prices only published a month after release
            rows[-2]["usd_per_mtok_output"] = None
    return build_intervals(rows)


@pytest.mark.parametrize("as_of", ["2022-01-01", "2023-06-15", "2024-11-30"])
def test_as_of_on_launch_points_equals_refitting_on_the_intervals_known_then(as_of: str) -> None:
    intervals = _intervals_with_cuts()
    # one maker only, so the maker-robust interval is withheld (thin); compare the model-level one
    direct = fit_half_life(launch_prices(known_at(intervals, as_of)), ci_method="pairs")
    shortcut = fit_half_life(launch_prices(intervals), as_of=as_of, ci_method="pairs")
    assert (direct.n, direct.n_excluded_unknown) == (shortcut.n, shortcut.n_excluded_unknown)
    assert direct.slope_per_year == pytest.approx(shortcut.slope_per_year)
    assert direct.slope_ci == pytest.approx(shortcut.slope_ci)


def test_rolling_window_uses_only_recent_points() -> None:
    points = planted_points(n=60, seed=9)
    as_of = pd.Timestamp("2024-06-01", tz="UTC")
    fit = fit_half_life(points, as_of=as_of, window_months=24)
    dates = points["release_date"]
    expected = ((dates <= as_of) & (dates > as_of - pd.DateOffset(months=24))).sum()
    assert fit.n == expected and fit.window_months == 24


def test_history_has_one_row_per_month_and_ends_at_the_full_fit() -> None:
    points = planted_points(n=60, seed=10)
    history = half_life_history(points, start="2020-07-01", end="2025-06-01", freq="MS")
    assert len(history) == len(pd.date_range("2020-07-01", "2025-06-01", freq="MS"))
    assert history["n"].is_monotonic_increasing
    assert not history["ok"].iloc[0] and "too few" in history["reason"].iloc[0]
    full = fit_half_life(points)
    assert history["slope_per_year"].iloc[-1] == pytest.approx(full.slope_per_year)
    assert history["ci_high_years"].iloc[-1] == pytest.approx(full.half_life_ci_years[1])
    daily = half_life_history(points, start="2025-05-01", end="2025-05-31", freq="D")
    assert len(daily) == 31 and daily["ok"].all()
