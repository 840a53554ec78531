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


def _profile_loss(x: np.ndarray, y: np.ndarray, weights: np.ndarray, slopes: np.ndarray, quantile: float) -> np.ndarray:
    """min over the intercept of the weighted check loss, for each row's slope: the best intercept is the
    weighted q-quantile of y - slope x."""
    resid = y[np.newaxis, :] - slopes[:, np.newaxis] * x[np.newaxis, :]
    order = np.argsort(resid, axis=1)
    sorted_resid = np.take_along_axis(resid, order, axis=1)
    cumulative = np.cumsum(np.take_along_axis(weights, order, axis=1), axis=1)
    pick = np.argmax(cumulative >= quantile * cumulative[:, -1:], axis=1)
    intercept = sorted_resid[np.arange(len(slopes)), pick]
    return (weights * _check_loss(resid - intercept[:, np.newaxis], quantile)).sum(axis=1)


def _slope_bracket(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Bounds on every slope through two points of distinct x: each is a Δx-weighted average of the slopes
    between neighbouring distinct x values (taking the extreme y at each x)."""
    frame = pd.DataFrame({"x": x, "y": y}).groupby("x")["y"].agg(["min", "max"])
    dx = np.diff(frame.index.to_numpy(dtype=float))
    lows = (frame["min"].to_numpy()[1:] - frame["max"].to_numpy()[:-1]) / dx
    highs = (frame["max"].to_numpy()[1:] - frame["min"].to_numpy()[:-1]) / dx
    return float(lows.min()), float(highs.max())


def bootstrap_quantile_slopes(x: np.ndarray, y: np.ndarray, weights: np.ndarray, quantile: float) -> np.ndarray:
    """Weighted quantile-regression slopes for each row of weights (draws x n), vectorised over draws.

    The profile loss over the slope is convex and piecewise linear, and its minimum lies between the
    smallest and largest slope through two points, so a golden-section search there converges to it
    (to about 1e-13 of that range)."""
    bottom, top = _slope_bracket(x, y)
    low, high = np.full(len(weights), bottom), np.full(len(weights), top)
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    for _ in range(64):  # shrinks the bracket by 0.618^64 ~ 4e-14
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        keep_left = _profile_loss(x, y, weights, left, quantile) <= _profile_loss(x, y, weights, right, quantile)
        high = np.where(keep_left, right, high)
        low = np.where(keep_left, low, left)
    return (low + high) / 2.0


def _maker_bootstrap(
    x: np.ndarray, y: np.ndarray, makers: np.ndarray, quantile: float, draws: int, seed: int
) -> np.ndarray:
    n_makers = int(makers.max()) + 1
    picks = np.random.default_rng(seed).integers(0, n_makers, size=(draws, n_makers))
    counts = np.zeros((draws, n_makers))
    np.add.at(counts, (np.arange(draws)[:, None], picks), 1.0)
    weights = counts[:, makers]
    varied = np.array([len(np.unique(x[row > 0])) >= 2 for row in weights], dtype=bool)
    return bootstrap_quantile_slopes(x, y, weights[varied], quantile)


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
        return FrontierHalfLife(**(fitted | {"thin": True, "thin_reason": thin}))
    slopes = _maker_bootstrap(x, y, makers, quantile, bootstrap_draws, seed)
    ci = percentile_ci(slopes[np.isfinite(slopes)], confidence)
    return FrontierHalfLife(**(fitted | {"slope_ci": ci, "bootstrap_draws": bootstrap_draws}))
