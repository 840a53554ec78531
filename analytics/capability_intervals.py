"""A selection-aware interval for the new-lows trend: the selection of record lows, simulated and corrected for.

The models that set a new low are the extremes of the qualifying models, so an OLS fit through them is
biased (it overstates the fall) and its t interval is too narrow: on a 40-model design with a true tenfold
fall per year its 90 % interval covered the truth in about 71-74 % of simulated markets
(tests/analytics/test_capability_calibration.py). This interval assumes what makes the question well posed:
the qualifying models' log prices scatter with a constant spread around one log-linear trend, so the cheapest
price falls at that trend's rate in the long run. It fits that trend to all qualifying models, simulates new
markets at the same dates, applies the same new-low selection and fit to each, and uses the simulated errors
of the new-lows slope as the pivot (basic bootstrap): slope CI = [b - q_high, b - q_low], and the estimate
corrected for the selection's bias, b - median error.
"""

from __future__ import annotations

import numpy as np


def new_low_mask(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Points cheaper than every earlier point (date order, the cheapest first within a date), as
    analytics.capability.qualifying_points marks them."""
    order = np.lexsort((y, x))
    ordered = y[order]
    before = np.minimum.accumulate(np.concatenate([[np.inf], ordered[:-1]]))
    mask = np.zeros(len(x), dtype=bool)
    mask[order] = ordered < before
    return mask


def ols_slope(x: np.ndarray, y: np.ndarray) -> float:
    centred = x - x.mean()
    return float((centred * (y - y.mean())).sum() / (centred**2).sum())


def selection_slope_errors(
    x: np.ndarray, y: np.ndarray, *, new_lows_only: bool, draws: int, min_points: int, seed: int
) -> tuple[float, np.ndarray]:
    """(the common trend's slope, simulated errors of the fitted slope around it) for markets like this one."""
    slope = ols_slope(x, y)
    intercept = float(y.mean() - slope * x.mean())
    residual_sd = float(np.sqrt(((y - intercept - slope * x) ** 2).sum() / max(len(x) - 2, 1)))
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(draws):
        simulated = intercept + slope * x + rng.normal(0.0, residual_sd, len(x))
        keep = new_low_mask(x, simulated) if new_lows_only else np.ones(len(x), dtype=bool)
        if keep.sum() >= min_points and len(np.unique(x[keep])) >= 2:
            errors.append(ols_slope(x[keep], simulated[keep]) - slope)
    return slope, np.asarray(errors)


def selection_interval(fitted_slope: float, errors: np.ndarray, level: float) -> tuple[float, float, float] | None:
    """(low, high, bias-corrected slope) by the basic bootstrap; None when too few simulated markets fitted.
    The corrected slope is the fitted one minus the median simulated error (the selection's bias)."""
    if len(errors) < 50:
        return None
    alpha = 1.0 - level
    low, median, high = np.quantile(errors, [alpha / 2.0, 0.5, 1.0 - alpha / 2.0])
    return fitted_slope - float(high), fitted_slope - float(low), fitted_slope - float(median)
