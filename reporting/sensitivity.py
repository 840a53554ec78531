"""Half-life you can lean on: the estimate and its CI as the first release date of the fit moves."""

from __future__ import annotations

import math

import pandas as pd

from tokentide.analytics.columns import finite_or_none
from tokentide.analytics.halflife import fit_half_life
from tokentide.analytics.tiers import TIER_COLUMN

STEP_MONTHS: int = 6
MIN_SPAN_YEARS: float = 1.5  # the last start leaves at least this much data to fit
DRAWS: int = 300  # per start; the seed is fixed, so the curve moves only with the data
COLUMNS: tuple[str, ...] = (
    "group", "start", "n", "ok", "half_life_years", "ci_low_years", "ci_high_years", "significant_decline", "r2",
    "method", "reason",
)  # fmt: skip


def start_dates(release_dates: pd.Series, end: pd.Timestamp) -> list[pd.Timestamp]:
    """Every half-year from the first release in view to MIN_SPAN_YEARS before the data's end."""
    dates = pd.to_datetime(release_dates.dropna())
    if dates.empty:
        return []
    first = pd.Timestamp(dates.min()).tz_localize(None).to_period("Q").start_time
    last = pd.Timestamp(end).tz_localize(None) - pd.DateOffset(months=int(MIN_SPAN_YEARS * 12))
    return list(pd.date_range(first, last, freq=f"{STEP_MONTHS}MS")) if first <= last else []


def sensitivity(launch: pd.DataFrame, groups: tuple[str, ...], end: pd.Timestamp, method: str) -> pd.DataFrame:
    """One fit per (group, start): launches released on or after `start` only."""
    rows = []
    released = pd.to_datetime(launch["release_date"]).dt.tz_localize(None)
    for start in start_dates(launch["release_date"], end):
        later = launch[(released >= start).to_numpy(dtype=bool)]
        for group in groups:
            points = later if group == "all" else later[(later[TIER_COLUMN] == group).to_numpy(dtype=bool)]
            fit = fit_half_life(points, method=method, bootstrap_draws=DRAWS)
            low, high = fit.half_life_ci_years if fit.ok else (math.nan, math.nan)
            significant = bool(fit.ok and fit.significant_decline)
            rows.append(
                {
                    "group": group, "start": start, "n": fit.n, "ok": fit.ok,
                    "half_life_years": finite_or_none(fit.half_life_years) if significant else None,
                    "ci_low_years": finite_or_none(low) if significant else None,
                    "ci_high_years": finite_or_none(high) if significant else None,
                    "significant_decline": significant, "r2": finite_or_none(fit.r2) if fit.ok else None,
                    "method": fit.method, "reason": fit.reason or ("" if significant else "no significant decline"),
                }
            )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS))


def depends_on_start(table: pd.DataFrame, group: str = "all") -> str | None:
    """A warning when the verdict or the size of a group's estimate changes with the start date."""
    rows = table[table["group"] == group]
    if rows.empty:
        return None
    significant = rows["significant_decline"].astype(bool)
    values = rows.loc[significant, "half_life_years"].astype(float)
    if significant.any() and not significant.all():
        lost = rows.loc[~significant, "start"]
        return (
            f"The {group} estimate depends on the start date: from {lost.min():%Y-%m} on (some starts) the decline "
            "is no longer significant. Quote it with its start date."
        )
    if len(values) >= 2 and values.max() > 2 * values.min():
        return (
            f"The {group} half-life ranges from {values.min():.2f} to {values.max():.2f} years as the start date "
            "moves: quote it with its start date."
        )
    return None
