"""Chow test and sup-F scan on series with and without a planted break."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.analytics.synthetic import START
from tokentide.analytics.breaks import chow_scan, chow_test
from tokentide.analytics.columns import DAYS_PER_YEAR

BREAK = pd.Timestamp("2024-05-01", tz="UTC")


def _series(*, n: int = 80, seed: int = 0, jump: float = 0.0, slope_change: float = 0.0) -> pd.DataFrame:
    """ln price = 4 - 0.5 t (+ jump + slope_change * time since the break, after it) + N(0, 0.3)."""
    rng = np.random.default_rng(seed)
    years = np.sort(rng.uniform(0.0, 5.5, n))
    dates = pd.Series(START + pd.to_timedelta(years * DAYS_PER_YEAR, unit="D")).dt.tz_localize("UTC")
    after = (dates >= BREAK).to_numpy()
    since = np.where(after, ((dates - BREAK) / pd.Timedelta(days=DAYS_PER_YEAR)).to_numpy(), 0.0)
    log_price = 4.0 - 0.5 * years + after * jump + slope_change * since + rng.normal(0.0, 0.3, n)
    return pd.DataFrame({"release_date": dates, "usd_per_mtok": np.exp(log_price)})


def _chow_by_dummies(points: pd.DataFrame, when: pd.Timestamp) -> float:
    """Independent check: F for the interaction terms in one regression with a break dummy."""
    t = ((points["release_date"] - START.tz_localize("UTC")) / pd.Timedelta(days=DAYS_PER_YEAR)).to_numpy()
    y = np.log(points["usd_per_mtok"].to_numpy())
    d = (points["release_date"] >= when).to_numpy().astype(float)
    restricted = np.column_stack([np.ones_like(t), t])
    full = np.column_stack([restricted, d, d * t])

    def ssr(x: np.ndarray) -> float:
        residual = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
        return float(residual @ residual)

    return (ssr(restricted) - ssr(full)) / 2 / (ssr(full) / (len(y) - 4))


def test_chow_f_matches_the_dummy_variable_regression() -> None:
    points = _series(seed=1, jump=0.4)
    assert chow_test(points, BREAK).f == pytest.approx(_chow_by_dummies(points, BREAK))


def test_planted_break_is_rejected_at_its_date() -> None:
    result = chow_test(_series(seed=2, jump=-1.0, slope_change=-0.8))
    assert result.ok and result.break_date == BREAK
    assert result.p < 0.01
    assert (result.df_num, result.df_den) == (2, result.n_before + result.n_after - 4)


def test_textbook_f_p_rejects_about_five_percent_of_no_break_iid_series() -> None:
    rejections = sum(chow_test(_series(n=60, seed=seed), bootstrap_draws=1).p_iid < 0.05 for seed in range(1000))
    assert 0.035 <= rejections / 1000 <= 0.065


def test_refuses_when_a_side_is_too_thin() -> None:
    points = _series(n=40, seed=3)
    early = chow_test(points, "2020-07-01")
    assert not early.ok and "before" in early.reason
    late = chow_test(points, "2030-01-01")
    assert not late.ok and "after" in late.reason


def test_scan_finds_the_planted_date_and_its_f_agrees_with_the_direct_test() -> None:
    points = _series(n=120, seed=4, jump=-1.2)
    scan = chow_scan(points, bootstrap_draws=199)
    assert scan.ok
    assert abs((scan.argmax_date - BREAK).days) <= 90
    assert scan.p_sup < 0.01
    row = scan.series.iloc[len(scan.series) // 2]
    assert row["f"] == pytest.approx(chow_test(points, row["date"]).f)
    assert "not valid for the maximum" in scan.caveat


def test_scan_respects_trimming() -> None:
    points = _series(n=100, seed=5)
    scan = chow_scan(points, trim=0.15, bootstrap_draws=99)
    assert scan.series["n_before"].min() >= 15 and scan.series["n_after"].min() >= 15


@pytest.mark.slow
def test_scan_p_value_has_about_the_right_size_without_a_break() -> None:
    # 200 seeds: the binomial SE of a 5% rejection rate is 1.5 points; the band is about +-2.5 SE
    p_values = np.array(
        [chow_scan(_series(n=60, seed=seed), bootstrap_draws=99, seed=seed).p_sup for seed in range(200)]
    )
    assert 0.015 <= (p_values <= 0.05).mean() <= 0.09
    # The naive pointwise p at the argmax would reject far more often: that is why p_sup exists.
    naive = [chow_scan(_series(n=60, seed=seed), bootstrap_draws=1).series["p_pointwise"].min() for seed in range(100)]
    assert np.mean(np.array(naive) < 0.05) > 0.1


def test_scan_refuses_with_too_few_points() -> None:
    assert chow_scan(_series(n=6, seed=6)).ok  # 3 + 3 is the smallest testable split
    scan = chow_scan(_series(n=5, seed=6))
    assert not scan.ok and scan.argmax_date is None
