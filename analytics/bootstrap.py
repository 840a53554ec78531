"""Seeded, vectorised bootstrap pieces: resampled statistics and percentile intervals."""

from __future__ import annotations

import math

import numpy as np


def percentile_ci(values: np.ndarray, confidence: float) -> tuple[float, float]:
    """Equal-tailed percentile interval of bootstrap statistics; NaNs when fewer than 2 values."""
    if len(values) < 2:
        return (math.nan, math.nan)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high)


def bootstrap_medians(values: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Median of each of `draws` resamples (with replacement) of values."""
    return np.median(values[rng.integers(0, len(values), size=(draws, len(values)))], axis=1)
