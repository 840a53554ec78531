"""Tiers by tercile within release cohorts, and the first reason a row got none: shared by the band rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokentide.analytics.frames import TIERS


def cohort_terciles(values: pd.Series, cohort: pd.Series, min_size: int) -> tuple[pd.Series, pd.Series]:
    """Per row, the tier of its value's tercile within its cohort (average ranks keep equal values in one
    band: rank r of n falls in band floor(3 r / n)), and whether its cohort has fewer than `min_size` known
    values (such rows get no tier). Rows with an unknown value or cohort get no tier either."""
    known = values.notna() & cohort.notna()
    sizes = known.groupby(cohort).transform("sum")
    ranks = values[known].groupby(cohort[known]).rank(method="average") - 1.0
    band = np.floor(3.0 * ranks / sizes[known]).astype(int).clip(0, len(TIERS) - 1)
    small = known & (sizes < min_size)
    tier = pd.Series(None, index=values.index, dtype=object)
    tier[known & ~small] = band[~small[known]].map(dict(enumerate(TIERS)))
    return tier, small


def first_reason(index: pd.Index, cases: list[tuple[np.ndarray, str]]) -> pd.Series:
    """Per row, the text of the first case whose mask is True, else None."""
    reason = pd.Series(None, index=index, dtype=object)
    for mask, text in reversed(cases):
        reason[mask] = text
    return reason
