"""Maker-robust Chow statistics: a CR1 Wald test of equal lines at every split, vectorised over draws."""

from __future__ import annotations

import numpy as np

from tokentide.analytics.cluster_inference import WEBB_WEIGHTS, _inv_sqrt

N_RESTRICTIONS: int = 2  # equal intercept and equal slope before and after the split
_CELLS: int = 4_000_000  # draws x clusters x splits per vectorised chunk


def _cluster_prefix(values: np.ndarray, clusters: np.ndarray, n_clusters: int) -> np.ndarray:
    """Per-cluster prefix sums along the last axis: out[..., g, k] sums values of cluster g among the
    first k points; shape (..., G, n + 1)."""
    onehot = clusters[np.newaxis, :] == np.arange(n_clusters)[:, np.newaxis]
    spread = values[..., np.newaxis, :] * onehot
    zeros = np.zeros(spread.shape[:-1] + (1,))
    return np.concatenate([zeros, np.cumsum(spread, axis=-1)], axis=-1)


def _side(m: np.ndarray, sx: np.ndarray, sxx: np.ndarray, sy: np.ndarray, sxy: np.ndarray) -> tuple:
    """OLS line of one side from cluster sums (summed over clusters, axis -2) and its (X'X)^-1 entries."""
    tm, tx, txx = m.sum(-2), sx.sum(-2), sxx.sum(-2)
    ty, txy = sy.sum(-2), sxy.sum(-2)
    det = tm * txx - tx * tx
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = (txx / det, -tx / det, tm / det)
        a = inv[0] * ty + inv[1] * txy
        b = inv[1] * ty + inv[2] * txy
    return a, b, inv


def _influence(inv: tuple, s0: np.ndarray, s1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return inv[0][..., np.newaxis, :] * s0 + inv[1][..., np.newaxis, :] * s1, (
        inv[1][..., np.newaxis, :] * s0 + inv[2][..., np.newaxis, :] * s1
    )


def split_wald(x: np.ndarray, ys: np.ndarray, clusters: np.ndarray, splits: np.ndarray) -> np.ndarray:
    """CR1 cluster-robust Wald statistic / 2 for equal lines before and after each split, for each row of
    ys (draws x n); shape (draws, splits). NaN where the robust covariance is singular."""
    n, n_clusters = len(x), int(clusters.max()) + 1
    px = {
        name: _cluster_prefix(v, clusters, n_clusters)[:, splits]
        for name, v in (("m", np.ones(n)), ("sx", x), ("sxx", x * x))
    }
    full_x = {
        name: _cluster_prefix(v, clusters, n_clusters)[:, [n]]
        for name, v in (("m", np.ones(n)), ("sx", x), ("sxx", x * x))
    }
    pre_y, pre_xy = _cluster_prefix(ys, clusters, n_clusters), _cluster_prefix(ys * x, clusters, n_clusters)
    left_y, left_xy = pre_y[..., splits], pre_xy[..., splits]
    right_y, right_xy = pre_y[..., [n]] - left_y, pre_xy[..., [n]] - left_xy
    right_x = {name: full_x[name] - px[name] for name in px}
    influence = []
    for xs, sy, sxy in ((px, left_y, left_xy), (right_x, right_y, right_xy)):
        a, b, inv = _side(xs["m"], xs["sx"], xs["sxx"], sy, sxy)
        a_, b_ = a[..., np.newaxis, :], b[..., np.newaxis, :]
        s0 = sy - a_ * xs["m"] - b_ * xs["sx"]  # per-cluster score of this side's line
        s1 = sxy - a_ * xs["sx"] - b_ * xs["sxx"]
        influence.append((a, b, *_influence(inv, s0, s1)))
    (a_l, b_l, c0_l, c1_l), (a_r, b_r, c0_r, c1_r) = influence
    d0, d1 = a_l - a_r, b_l - b_r
    c0, c1 = c0_l - c0_r, c1_l - c1_r
    scale = n_clusters / (n_clusters - 1) * (n - 1) / (n - 2 * N_RESTRICTIONS)
    v00, v01, v11 = (scale * (p * q).sum(-2) for p, q in ((c0, c0), (c0, c1), (c1, c1)))
    det = v00 * v11 - v01 * v01
    with np.errstate(divide="ignore", invalid="ignore"):
        wald = (d0 * d0 * v11 - 2 * d0 * d1 * v01 + d1 * d1 * v00) / det
    return np.where(det > 1e-14 * np.maximum(v00 * v11, 1e-300), wald / N_RESTRICTIONS, np.nan)


def null_residuals(x: np.ndarray, y: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Residuals of the no-break line, each maker's block scaled by (I - H_gg)^(-1/2) (the CR2 adjustment),
    which undoes the shrinking of high-leverage makers' residuals by the fit (MacKinnon, Nielsen and Webb)."""
    design = np.column_stack([np.ones_like(x), x])
    bread = np.linalg.inv(design.T @ design)
    resid = y - design @ (bread @ design.T @ y)
    adjusted = resid.copy()
    for g in np.unique(clusters):
        idx = np.flatnonzero(clusters == g)
        block = np.eye(len(idx)) - design[idx] @ bread @ design[idx].T
        adjusted[idx] = _inv_sqrt(block) @ resid[idx]
    return adjusted


def null_sup_wald(
    x: np.ndarray, y: np.ndarray, clusters: np.ndarray, splits: np.ndarray, draws: int, seed: int
) -> np.ndarray:
    """sup over splits of the robust Wald for `draws` wild cluster restricted series: the no-break line's
    CR2-adjusted residuals with each maker's multiplied by one Webb weight (the statistic ignores the
    null line)."""
    residuals = null_residuals(x, y, clusters)
    n_clusters = int(clusters.max()) + 1
    rng = np.random.default_rng(seed)
    chunk = max(1, _CELLS // (n_clusters * max(len(splits), 1) * 4))
    sups = []
    for start in range(0, draws, chunk):
        weights = rng.choice(WEBB_WEIGHTS, size=(min(chunk, draws - start), n_clusters))
        stat = split_wald(x, residuals * weights[:, clusters], clusters, splits)
        sups.append(np.nanmax(np.where(np.isnan(stat), -np.inf, stat), axis=1))
    return np.concatenate(sups) if sups else np.empty(0)
