"""Fit the live half-life estimate once a day after each write and record it, so its own history can be plotted."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime

import duckdb
import pandas as pd

from tokentide.analytics.columns import finite_or_none
from tokentide.analytics.curves import launch_prices
from tokentide.analytics.frames import TIERS
from tokentide.analytics.halflife import HalfLifeFit, fit_half_life
from tokentide.analytics.tiers import TIER_COLUMN, apply_tier_rule
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.estimate_history import store_estimate_rows
from tokentide.warehouse.queries import intervals_frame

WINDOWS_MONTHS: tuple[int, ...] = (0, 24)  # all data, and the rolling 24 months
TIER_RULE = "positioning"
METHOD = "ols"
BOOTSTRAP_DRAWS = 500


def _row(day: date, tier: str, window: int, fit: HalfLifeFit, data_as_of: datetime | None) -> tuple[object, ...]:
    low, high = fit.half_life_ci_years if fit.ok else (None, None)
    return (
        day,
        tier,
        window,
        TIER_RULE,
        METHOD,
        fit.ok,
        fit.reason,
        fit.n,
        finite_or_none(fit.half_life_years),
        finite_or_none(low),
        finite_or_none(high),
        finite_or_none(fit.r2),
        finite_or_none(fit.slope_per_year),
        fit.significant_decline if fit.ok else None,
        data_as_of,
        utc_now(),
    )


def estimate_rows(
    intervals: pd.DataFrame, day: date, overrides: Mapping[str, str] | None = None
) -> list[tuple[object, ...]]:
    """One estimate per tier (and all models) and per window, as of the end of `day`."""
    if intervals.empty:
        return []
    as_of = pd.Timestamp(day, tz="UTC") + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    launch, _ = apply_tier_rule(launch_prices(intervals), TIER_RULE, overrides=overrides or None, aliases=intervals)
    data_as_of = pd.to_datetime(intervals["valid_from"]).max().floor("us")
    rows = []
    for window in WINDOWS_MONTHS:
        for tier in ("all", *TIERS):
            points = launch if tier == "all" else launch[(launch[TIER_COLUMN] == tier).to_numpy(dtype=bool)]
            fit = fit_half_life(
                points,
                method=METHOD,
                as_of=as_of,
                window_months=window or None,
                bootstrap_draws=BOOTSTRAP_DRAWS,
                seed=0,
            )
            rows.append(_row(day, tier, window, fit, data_as_of.tz_convert(None).to_pydatetime()))
    return rows


def record_estimates(
    conn: duckdb.DuckDBPyConnection, day: date | None = None, overrides: Mapping[str, str] | None = None
) -> int:
    """Compute today's estimates from the warehouse and upsert them (a later write the same day wins)."""
    day = day or utc_now().date()
    return store_estimate_rows(conn, estimate_rows(intervals_frame(conn), day, overrides))


def try_record_estimates(conn: duckdb.DuckDBPyConnection, overrides: Mapping[str, str] | None = None) -> str | None:
    """Record today's estimates; a failure here must not fail the write that loaded the data."""
    try:
        record_estimates(conn, overrides=overrides)
    except Exception as exc:  # analytics on odd data must never undo or fail a load
        logging.getLogger(__name__).warning("could not record today's half-life estimates: %s", exc)
        return f"{type(exc).__name__}: {exc}"
    return None
