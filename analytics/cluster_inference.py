"""Maker-robust intervals for a regression slope: CR2 (Bell-McCaffrey), wild cluster and cluster bootstraps."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from tokentide.analytics.bootstrap import percentile_ci

MIN_CLUSTERS: int = 6  # below this, cluster-robust intervals are unreliable: report `thin` instead
CI_METHODS: tuple[str, ...] = ("cr2-bm", "cr2-g1", "wild-cluster-r", "wild-cluster-u", "cluster-pairs", "pairs")
CI_METHOD_TEXT: dict[str, str] = {
    "cr2-bm": "CR2 (Bell-McCaffrey) cluster-robust SE by maker, t with Satterthwaite (Bell-McCaffrey) df",
    "cr2-g1": "CR2 (Bell-McCaffrey) cluster-robust SE by maker, t with G-1 df",
    "wild-cluster-r": "wild cluster bootstrap by maker (restricted, Webb weights, CR1 t), inverted into an interval",
    "wild-cluster-u": "wild cluster bootstrap by maker (unrestricted, Webb weights, symmetric bootstrap-t on CR1)",
    "cluster-pairs": "maker-level pairs bootstrap (whole makers resampled), percentile interval",
    "pairs": "pairs bootstrap of models (assumes models independent), percentile interval",
}
WEBB_WEIGHTS: np.ndarray = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])
_CELLS: int = 2_000_000  # draws x points (or clusters) per vectorised chunk


def cluster_codes(labels: pd.Series | np.ndarray | None, n: int) -> np.ndarray:
    """Integer cluster codes 0..G-1; a missing label (unknown maker) is its own cluster."""
    if labels is None:
        return np.arange(n)
    values = pd.Series(labels).reset_index(drop=True).astype(object)
    missing = values.isna().to_numpy()
    keyed = values.where(~missing, pd.Series([f"\x00unknown-{i}" for i in range(n)], dtype=object))
    return pd.factorize(keyed.astype(str))[0]


@dataclass(frozen=True)
class SlopeInterval:
    """A slope, its interval by `method`, and whether the makers were too few to trust one (`thin`)."""

    slope: float
    low: float
    high: float
    method: str
    n_clusters: int
    thin: bool
    thin_reason: str | None
    se: float = math.nan
    df: float = math.nan


def _design(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    design = np.column_stack([np.ones_like(x), x])
    return design, np.linalg.inv(design.T @ design)


def _inv_sqrt(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    values = np.where(values > 1e-12, values, np.inf)  # a singular block (leverage 1) contributes nothing
    return (vectors / np.sqrt(values)) @ vectors.T


def cr2_slope(x: np.ndarray, y: np.ndarray, clusters: np.ndarray) -> tuple[float, float, float]:
    """(slope, CR2 standard error, Bell-McCaffrey degrees of freedom) for y = a + b x, clustered.

    CR2 (Bell & McCaffrey 2002): residuals of cluster g are scaled by (I - H_gg)^(-1/2). The df are the
    Satterthwaite approximation under a working model of iid errors (Imbens & Kolesar 2016)."""
    design, xtx_inv = _design(x)
    beta = xtx_inv @ design.T @ y
    resid = y - design @ beta
    hat_free = np.eye(len(x)) - design @ xtx_inv @ design.T
    row = xtx_inv[1]
    terms, q_columns = [], []
    for g in np.unique(clusters):
        idx = np.flatnonzero(clusters == g)
        adjust = _inv_sqrt(hat_free[np.ix_(idx, idx)])
        weights = adjust @ (design[idx] @ row)  # A_g X_g (X'X)^-1 l
        terms.append(float(weights @ resid[idx]))
        q_columns.append(hat_free[idx].T @ weights)
    q = np.column_stack(q_columns)
    eig = np.linalg.eigvalsh(q.T @ q)
    df = float(eig.sum() ** 2 / (eig**2).sum()) if (eig**2).sum() > 0 else math.nan
    return float(beta[1]), math.sqrt(float(np.sum(np.square(terms)))), df


def bootstrap_slopes(x: np.ndarray, y: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """OLS slopes of `draws` pairs-bootstrap resamples of single points, vectorised in chunks; draws with a
    single distinct x (no slope) are dropped."""
    rng = np.random.default_rng(seed)
    n = len(x)
    chunk = max(1, _CELLS // max(n, 1))
    slopes = []
    for start in range(0, draws, chunk):
        idx = rng.integers(0, n, size=(min(chunk, draws - start), n))
        xb, yb = x[idx], y[idx]
        varied = xb.max(axis=1) > xb.min(axis=1)
        xc = xb[varied] - xb[varied].mean(axis=1, keepdims=True)
        slopes.append(np.einsum("ij,ij->i", xc, yb[varied]) / np.einsum("ij,ij->i", xc, xc))
    return np.concatenate(slopes) if slopes else np.empty(0)


def _cluster_sums(x: np.ndarray, y: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Per-cluster sums (n, Sx, Sy, Sxx, Sxy), shape (G, 5)."""
    g = int(clusters.max()) + 1
    cols = (np.ones_like(x), x, y, x * x, x * y)
    return np.column_stack([np.bincount(clusters, weights=c, minlength=g) for c in cols])


def _slope_from_sums(sums: np.ndarray) -> np.ndarray:
    n, sx, sy, sxx, sxy = (sums[..., i] for i in range(5))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (sxy - sx * sy / n) / (sxx - sx * sx / n)


def cluster_pairs_slopes(x: np.ndarray, y: np.ndarray, clusters: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """OLS slopes of `draws` resamples of whole clusters with replacement; degenerate draws dropped."""
    sums = _cluster_sums(x, y, clusters)
    n_clusters = len(sums)
    rng = np.random.default_rng(seed)
    chunk = max(1, _CELLS // n_clusters)
    out = []
    for start in range(0, draws, chunk):
        picks = rng.integers(0, n_clusters, size=(min(chunk, draws - start), n_clusters))
        counts = np.zeros((len(picks), n_clusters))
        np.add.at(counts, (np.arange(len(picks))[:, None], picks), 1.0)
        slopes = _slope_from_sums(counts @ sums)
        out.append(slopes[np.isfinite(slopes)])
    return np.concatenate(out) if out else np.empty(0)


def _cr1_scale(n: int, n_clusters: int) -> float:
    return n_clusters / (n_clusters - 1) * (n - 1) / (n - 2)


def wild_cluster_t(
    x: np.ndarray, y: np.ndarray, clusters: np.ndarray, draws: int, seed: int
) -> tuple[float, float, np.ndarray]:
    """(slope, CR1 SE, bootstrap |t*|) from an unrestricted wild cluster bootstrap with Webb weights."""
    design, xtx_inv = _design(x)
    beta = xtx_inv @ design.T @ y
    resid = y - design @ beta
    n_clusters = int(clusters.max()) + 1
    score = np.column_stack([np.bincount(clusters, weights=design[:, j] * resid, minlength=n_clusters) for j in (0, 1)])
    blocks = np.zeros((n_clusters, 2, 2))
    for i, j in ((0, 0), (0, 1), (1, 1)):
        blocks[:, i, j] = np.bincount(clusters, weights=design[:, i] * design[:, j], minlength=n_clusters)
    blocks[:, 1, 0] = blocks[:, 0, 1]
    row, scale = xtx_inv[1], _cr1_scale(len(x), n_clusters)
    se = math.sqrt(scale * float(np.sum((score @ row) ** 2)))
    rng = np.random.default_rng(seed)
    chunk = max(1, _CELLS // n_clusters)
    t_abs = []
    for start in range(0, draws, chunk):
        w = rng.choice(WEBB_WEIGHTS, size=(min(chunk, draws - start), n_clusters))
        delta = (w @ score) @ xtx_inv.T
        star = w[:, :, None] * score[None] - np.einsum("gij,bj->bgi", blocks, delta)
        se_star = np.sqrt(scale * np.sum((star @ row) ** 2, axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            t_abs.append(np.abs(delta[:, 1] / se_star))
    t_all = np.concatenate(t_abs) if t_abs else np.empty(0)
    return float(beta[1]), se, t_all[np.isfinite(t_all)]


@dataclass(frozen=True)
class _WildParts:
    xtx_inv: np.ndarray
    blocks: np.ndarray  # X_g'X_g, (G, 2, 2)
    centred_y: np.ndarray  # X_g'(y - mean y), (G, 2)
    centred_x: np.ndarray  # X_g'(x - mean x), (G, 2)
    weights: np.ndarray  # (draws, G) Webb weights
    scale: float
    slope: float
    se: float


def _wild_parts(x: np.ndarray, y: np.ndarray, clusters: np.ndarray, draws: int, seed: int) -> _WildParts:
    design, xtx_inv = _design(x)
    n_clusters = int(clusters.max()) + 1

    def by_cluster(values: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [np.bincount(clusters, weights=design[:, j] * values, minlength=n_clusters) for j in (0, 1)]
        )

    blocks = np.zeros((n_clusters, 2, 2))
    for i, j in ((0, 0), (0, 1), (1, 1)):
        blocks[:, i, j] = np.bincount(clusters, weights=design[:, i] * design[:, j], minlength=n_clusters)
    blocks[:, 1, 0] = blocks[:, 0, 1]
    beta = xtx_inv @ design.T @ y
    scale = _cr1_scale(len(x), n_clusters)
    se = math.sqrt(scale * float(np.sum((by_cluster(y - design @ beta) @ xtx_inv[1]) ** 2)))
    weights = np.random.default_rng(seed).choice(WEBB_WEIGHTS, size=(draws, n_clusters))
    return _WildParts(
        xtx_inv, blocks, by_cluster(y - y.mean()), by_cluster(x - x.mean()), weights, scale, float(beta[1]), se
    )


def _restricted_p(parts: _WildParts, slope_null: float) -> float:
    """Wild cluster restricted bootstrap p of H0: slope = slope_null (two-sided, CR1 t)."""
    score = parts.centred_y - slope_null * parts.centred_x  # X_g' e_g with e the restricted residuals
    delta = (parts.weights @ score) @ parts.xtx_inv.T
    star = parts.weights[:, :, None] * score[None] - np.einsum("gij,bj->bgi", parts.blocks, delta)
    se_star = np.sqrt(parts.scale * np.sum((star @ parts.xtx_inv[1]) ** 2, axis=1))
    t_obs = abs(parts.slope - slope_null) / parts.se
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.mean(np.abs(delta[:, 1] / se_star) >= t_obs))


def _invert_end(parts: _WildParts, alpha: float, direction: float) -> float:
    """The interval end on one side: bracket outwards from the estimate, then bisect p(b0) = alpha."""
    inner, step = parts.slope, max(parts.se, 1e-12)
    outer = parts.slope + direction * 2.0 * step
    while _restricted_p(parts, outer) > alpha:
        inner, step = outer, step * 2.0
        outer = parts.slope + direction * 2.0 * step
        if step > 1e6 * max(parts.se, 1e-12):
            return direction * math.inf  # the data cannot exclude any slope on this side
    for _ in range(24):  # the bracket shrinks 2^24-fold: far below the bootstrap noise
        middle = (inner + outer) / 2.0
        inner, outer = (middle, outer) if _restricted_p(parts, middle) > alpha else (inner, middle)
    return (inner + outer) / 2.0


def wild_restricted_interval(
    x: np.ndarray, y: np.ndarray, clusters: np.ndarray, draws: int, seed: int, confidence: float
) -> tuple[float, float, float]:
    """(low, high, CR1 SE): the slopes a wild cluster restricted bootstrap test does not reject at 1 - confidence."""
    parts = _wild_parts(x, y, clusters, draws, seed)
    alpha = 1.0 - confidence
    return _invert_end(parts, alpha, -1.0), _invert_end(parts, alpha, 1.0), parts.se


def _thin(n_clusters: int, min_clusters: int) -> str | None:
    if n_clusters < min_clusters:
        return f"only {n_clusters} maker(s) (< {min_clusters}): too few clusters for a maker-robust interval"
    return None


def slope_interval(
    x: np.ndarray,
    y: np.ndarray,
    clusters: np.ndarray,
    *,
    method: str,
    draws: int = 999,
    seed: int = 0,
    confidence: float = 0.95,
    min_clusters: int = MIN_CLUSTERS,
) -> SlopeInterval:
    """OLS slope of y on x with an interval by `method` (see CI_METHODS); `clusters` are integer codes.

    Cluster methods with fewer than `min_clusters` clusters give no interval and thin=True with a reason."""
    if method not in CI_METHODS:
        raise ValueError(f"unknown interval method {method!r}; choose one of {CI_METHODS}")
    clusters = pd.factorize(clusters)[0]
    n_clusters = int(clusters.max()) + 1 if len(clusters) else 0
    xc = x - x.mean()
    slope = float(xc @ (y - y.mean()) / (xc @ xc))
    thin = _thin(n_clusters, min_clusters) if method != "pairs" else None
    base = SlopeInterval(slope, math.nan, math.nan, method, n_clusters, thin is not None, thin)
    if thin is not None:
        return base
    if method == "pairs":
        low, high = percentile_ci(bootstrap_slopes(x, y, draws, seed), confidence)
        return SlopeInterval(slope, low, high, method, n_clusters, False, None)
    if method == "cluster-pairs":
        low, high = percentile_ci(cluster_pairs_slopes(x, y, clusters, draws, seed), confidence)
        return SlopeInterval(slope, low, high, method, n_clusters, False, None)
    if method == "wild-cluster-r":
        low, high, se = wild_restricted_interval(x, y, clusters, draws, seed, confidence)
        return SlopeInterval(slope, low, high, method, n_clusters, False, None, se=se)
    if method == "wild-cluster-u":
        _, se, t_abs = wild_cluster_t(x, y, clusters, draws, seed)
        half = float(np.quantile(t_abs, confidence)) * se if len(t_abs) else math.nan
        return SlopeInterval(slope, slope - half, slope + half, method, n_clusters, False, None, se=se)
    _, se, df_bm = cr2_slope(x, y, clusters)
    df = df_bm if method == "cr2-bm" else float(n_clusters - 1)
    half = float(stats.t.ppf(0.5 + confidence / 2.0, df)) * se
    return SlopeInterval(slope, slope - half, slope + half, method, n_clusters, False, None, se=se, df=df)
