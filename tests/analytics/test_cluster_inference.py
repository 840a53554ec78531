"""Maker-robust slope intervals checked against direct matrix formulas and their defining properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import linalg, stats

from tokentide.analytics.cluster_inference import (
    CI_METHODS,
    _restricted_p,
    _wild_parts,
    cluster_codes,
    cr2_slope,
    slope_interval,
)
from tokentide.analytics.cluster_wald import split_wald


def _clustered(seed: int, n: int = 90, n_clusters: int = 9) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    clusters = rng.integers(0, n_clusters, n)
    x = rng.uniform(0.0, 5.0, n) + clusters * 0.2
    y = 2.0 - 0.4 * x + rng.normal(0.0, 0.8, n_clusters)[clusters] + rng.normal(0.0, 0.6, n)
    return x, y, clusters


def _direct_cr2(x: np.ndarray, y: np.ndarray, clusters: np.ndarray) -> tuple[float, float]:
    """CR2 SE and Bell-McCaffrey df from the textbook matrices (scipy sqrtm, explicit M = I - H)."""
    design = np.column_stack([np.ones_like(x), x])
    bread = np.linalg.inv(design.T @ design)
    m = np.eye(len(x)) - design @ bread @ design.T
    resid = m @ y
    meat = np.zeros((2, 2))
    columns = []
    for g in np.unique(clusters):
        idx = clusters == g
        adjust = np.real(linalg.inv(linalg.sqrtm(m[np.ix_(idx, idx)])))
        score = design[idx].T @ adjust @ resid[idx]
        meat += np.outer(score, score)
        columns.append(m[idx].T @ adjust @ design[idx] @ bread[:, 1])
    q = np.column_stack(columns)
    lam = np.linalg.eigvalsh(q.T @ q)
    return math.sqrt((bread @ meat @ bread)[1, 1]), lam.sum() ** 2 / (lam**2).sum()


def test_cr2_se_and_bell_mccaffrey_df_match_the_textbook_matrices() -> None:
    x, y, clusters = _clustered(1)
    _, se, df = cr2_slope(x, y, clusters)
    direct_se, direct_df = _direct_cr2(x, y, clusters)
    assert se == pytest.approx(direct_se, rel=1e-9)
    assert df == pytest.approx(direct_df, rel=1e-9)


def test_cr2_with_one_model_per_cluster_is_hc2() -> None:
    rng = np.random.default_rng(2)
    x = rng.uniform(0.0, 5.0, 40)
    y = 0.3 * x + rng.normal(0.0, 1.0, 40)
    design = np.column_stack([np.ones(40), x])
    bread = np.linalg.inv(design.T @ design)
    leverage = np.einsum("ij,jk,ik->i", design, bread, design)
    resid = y - design @ (bread @ design.T @ y)
    hc2 = bread @ design.T @ np.diag(resid**2 / (1 - leverage)) @ design @ bread
    assert cr2_slope(x, y, np.arange(40))[1] == pytest.approx(math.sqrt(hc2[1, 1]), rel=1e-9)


def test_cr2_interval_is_slope_plus_minus_t_quantile_times_se() -> None:
    x, y, clusters = _clustered(3)
    got = slope_interval(x, y, clusters, method="cr2-bm")
    slope, se, df = cr2_slope(x, y, clusters)
    half = stats.t.ppf(0.975, df) * se
    assert (got.low, got.high) == pytest.approx((slope - half, slope + half))
    assert slope_interval(x, y, clusters, method="cr2-g1").df == 8  # G - 1 with 9 makers


@pytest.mark.parametrize("method", [m for m in CI_METHODS if m != "pairs"])
def test_fewer_than_six_makers_give_no_interval_and_say_why(method: str) -> None:
    x, y, clusters = _clustered(4, n_clusters=5)
    got = slope_interval(x, y, clusters, method=method)
    assert got.thin and got.n_clusters == 5 and "5 maker" in got.thin_reason
    assert math.isnan(got.low) and math.isnan(got.high)
    assert not math.isnan(got.slope)  # the point estimate is still given


def test_wild_restricted_interval_ends_where_the_bootstrap_test_starts_rejecting() -> None:
    # The bootstrap p is a step function of the tested slope (and need not be monotone between steps),
    # so check just inside (not rejected) and a little outside (rejected) each end.
    x, y, clusters = _clustered(5)
    got = slope_interval(x, y, clusters, method="wild-cluster-r", draws=399, seed=7)
    parts = _wild_parts(x, y, pd.factorize(clusters)[0], 399, 7)  # the codes slope_interval uses
    width = got.high - got.low
    assert got.low < got.slope < got.high
    assert _restricted_p(parts, got.low + 1e-3 * width) > 0.05 >= _restricted_p(parts, got.low - 0.1 * width)
    assert _restricted_p(parts, got.high - 1e-3 * width) > 0.05 >= _restricted_p(parts, got.high + 0.1 * width)


def test_cluster_pairs_bootstrap_moves_a_whole_maker_together() -> None:
    # Eight short-lived makers, each releasing ten models in a narrow window at its own price level. The
    # ten models of a maker are one piece of evidence about the trend, not ten: resampling models treats
    # them as ten and gives a far narrower interval than resampling makers.
    rng = np.random.default_rng(8)
    clusters = np.repeat(np.arange(8), 10)
    x = clusters * 0.5 + np.tile(np.linspace(0.0, 0.3, 10), 8)
    y = -0.5 * x + rng.normal(0.0, 1.0, 8)[clusters] + rng.normal(0.0, 0.1, 80)
    maker = slope_interval(x, y, clusters, method="cluster-pairs", draws=999)
    model = slope_interval(x, y, clusters, method="pairs", draws=999)
    assert maker.high - maker.low > 2 * (model.high - model.low)


def test_unknown_makers_are_each_their_own_cluster() -> None:
    codes = cluster_codes(np.array(["openai", None, "openai", None], dtype=object), 4)
    assert codes[0] == codes[2] and len(set(codes.tolist())) == 3


def test_robust_chow_wald_matches_a_dummy_regression_with_cr1_covariance() -> None:
    x, y, clusters = _clustered(6, n=60, n_clusters=8)
    order = np.argsort(x)
    x, y, clusters = x[order], y[order], clusters[order]
    k, n, g = 25, 60, 8
    after = (np.arange(n) >= k).astype(float)
    design = np.column_stack([np.ones(n), x, after, after * x])
    bread = np.linalg.inv(design.T @ design)
    beta = bread @ design.T @ y
    resid = y - design @ beta
    meat = sum(
        np.outer(design[clusters == c].T @ resid[clusters == c], design[clusters == c].T @ resid[clusters == c])
        for c in range(g)
    )
    cov = g / (g - 1) * (n - 1) / (n - 4) * bread @ meat @ bread
    wald = beta[2:] @ np.linalg.solve(cov[2:, 2:], beta[2:])
    assert split_wald(x, y[np.newaxis, :], clusters, np.array([k]))[0, 0] == pytest.approx(wald / 2, rel=1e-8)
