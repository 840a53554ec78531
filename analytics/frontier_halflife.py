"""The frontier's half-life: a low-quantile regression of ln(price) on date, with a maker-resampled CI."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import QuantileRegressor

from tokentide.analytics.bootstrap import percentile_ci
from tokentide.analytics.cluster_inference import MIN_CLUSTERS, cluster_codes
from tokentide.analytics.columns import utc_series, years_since
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import PRICE_COLUMN

DEFAULT_QUANTILE: float = 0.1
MIN_POINTS: int = 8
_ENUMERATE_MAX_POINTS: int = 250  # exact enumeration of candidate lines up to here, one LP per draw beyond
ESTIMATOR_TEXT: str = (
    "quantile regression (scikit-learn QuantileRegressor, q = {q}, HiGHS, no penalty) of ln(price) on "
    "release date: how fast the cheap end falls; {c:.0%} CI: maker bootstrap (whole makers resampled), percentile"
)


@dataclass(frozen=True)
class FrontierHalfLife:
    """The q-th conditional quantile's trend of ln(USD per Mtok) on years, or a refusal (ok=False)."""

    ok: bool
    reason: str | None
    quantile: float
    n: int
    n_clusters: int
    slope_per_year: float = math.nan
    intercept_log_usd: float = math.nan
    slope_ci: tuple[float, float] = (math.nan, math.nan)
    thin: bool = False
    thin_reason: str | None = None
    confidence: float = 0.95
    bootstrap_draws: int = 0

    @property
    def estimator(self) -> str:
        return ESTIMATOR_TEXT.format(q=self.quantile, c=self.confidence)

    @property
    def half_life_years(self) -> float | None:
        return math.log(2.0) / -self.slope_per_year if self.ok and self.slope_per_year < 0 else None

    @property
    def half_life_ci_years(self) -> tuple[float | None, float | None]:
        """(low, high); high is inf when the slope CI reaches 0; both None when no decline is plausible."""
        low, high = self.slope_ci
        if not self.ok or math.isnan(low) or low >= 0:
            return (None, None)
        return (math.log(2.0) / -low, math.log(2.0) / -high if high < 0 else math.inf)

    @property
    def message(self) -> str:
        if not self.ok:
            return f"no frontier fit: {self.reason}"
        point = (
            f"frontier (q={self.quantile}) half-life {self.half_life_years:.2f} years"
            if self.half_life_years
            else (f"frontier (q={self.quantile}): no fitted decline")
        )
        if self.thin:
            return f"{point}; no interval: {self.thin_reason}"
        low, high = self.half_life_ci_years
        if low is None:
            return f"{point}; {self.confidence:.0%} CI includes no decline"
        high_text = "unbounded" if high == math.inf else f"{high:.2f}"
        return f"{point} ({self.confidence:.0%} CI {low:.2f}-{high_text})"


def _fit_line(x: np.ndarray, y: np.ndarray, quantile: float) -> tuple[float, float]:
    model = QuantileRegressor(quantile=quantile, alpha=0.0, solver="highs").fit(x[:, np.newaxis], y)
    return float(model.coef_[0]), float(model.intercept_)


def _check_loss(residual: np.ndarray, quantile: float) -> np.ndarray:
    return np.where(residual >= 0, quantile * residual, (quantile - 1.0) * residual)


def _enumerated_slopes(x: np.ndarray, y: np.ndarray, weights: np.ndarray, quantile: float) -> np.ndarray:
    """Exact weighted quantile-regression slopes for each row of weights: some optimal line passes
    through two data points, so the best of all lines through two points of distinct x is the fit."""
    i, j = np.triu_indices(len(x), k=1)
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    slopes = (y[j] - y[i]) / (x[j] - x[i])
    intercepts = y[i] - slopes * x[i]
    best_loss = np.full(len(weights), np.inf)
    best = np.full(len(weights), np.nan)
    for start in range(0, len(slopes), 4000):
        part = slice(start, start + 4000)
        loss = _check_loss(y[np.newaxis, :] - intercepts[part, None] - slopes[part, None] * x, quantile)
        total = weights @ loss.T  # (draws, lines)
        arg = np.argmin(total, axis=1)
        better = total[np.arange(len(weights)), arg] < best_loss - 1e-12
        best_loss[better] = total[np.arange(len(weights)), arg][better]
        best[better] = slopes[part][arg[better]]
    return best


def _maker_bootstrap(
    x: np.ndarray, y: np.ndarray, makers: np.ndarray, quantile: float, draws: int, seed: int
) -> np.ndarray:
    n_makers = int(makers.max()) + 1
    picks = np.random.default_rng(seed).integers(0, n_makers, size=(draws, n_makers))
    counts = np.zeros((draws, n_makers))
    np.add.at(counts, (np.arange(draws)[:, None], picks), 1.0)
    weights = counts[:, makers]
    weights = weights[(weights > 0).sum(axis=1) >= 2]
    if len(x) <= _ENUMERATE_MAX_POINTS:
        return _enumerated_slopes(x, y, weights, quantile)
    out = []
    for row in weights:
        used = row > 0
        if len(np.unique(x[used])) < 2:
            continue
        model = QuantileRegressor(quantile=quantile, alpha=0.0, solver="highs")
        out.append(float(model.fit(x[used, None], y[used], sample_weight=row[used]).coef_[0]))
    return np.array(out)


def fit_frontier_half_life(
    points: pd.DataFrame,
    *,
    quantile: float = DEFAULT_QUANTILE,
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    cluster_col: str | None = "author",
    bootstrap_draws: int = 199,
    seed: int = 0,
    confidence: float = 0.95,
) -> FrontierHalfLife:
    """Quantile regression of ln(price) on years for one point per model (free and unknown prices and
    undated models left out). The CI resamples whole makers (`cluster_col`; an unknown maker is its own);
    with fewer than 6 makers there is no interval and thin=True; fewer than 8 points refuse."""
    require_columns(points, (date_col, price_col), "frontier half-life")
    price = points[price_col].to_numpy(dtype=float, na_value=np.nan)
    dates = utc_series(points[date_col]).reset_index(drop=True)
    used = dates.notna().to_numpy() & (price > 0)
    labels = points[cluster_col] if cluster_col is not None and cluster_col in points.columns else None
    makers = pd.factorize(cluster_codes(labels, len(points))[used])[0]
    base = FrontierHalfLife(False, None, quantile, int(used.sum()), len(np.unique(makers)), confidence=confidence)
    if base.n < MIN_POINTS:
        return FrontierHalfLife(**{**base.__dict__, "reason": f"too few priced points: {base.n} < {MIN_POINTS}"})
    x = years_since(dates[used], dates[used].min())
    y = np.log(price[used])
    if len(np.unique(x)) < 2:
        return FrontierHalfLife(**{**base.__dict__, "reason": "fewer than 2 distinct dates"})
    slope, intercept = _fit_line(x, y, quantile)
    fitted = {**base.__dict__, "ok": True, "slope_per_year": slope, "intercept_log_usd": intercept}
    if base.n_clusters < MIN_CLUSTERS:
        thin = f"only {base.n_clusters} maker(s) (< {MIN_CLUSTERS}): too few clusters for a maker-robust interval"
        return FrontierHalfLife(**fitted, thin=True, thin_reason=thin)
    slopes = _maker_bootstrap(x, y, makers, quantile, bootstrap_draws, seed)
    ci = percentile_ci(slopes[np.isfinite(slopes)], confidence)
    return FrontierHalfLife(**(fitted | {"slope_ci": ci, "bootstrap_draws": bootstrap_draws}))
