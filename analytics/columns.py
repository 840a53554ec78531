"""Typed readers for contract columns: UTC timestamps, decimal years, nullable flags and period labels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

DAYS_PER_YEAR: float = 365.25
PERIODS: tuple[str, ...] = ("year", "half-year", "quarter", "month")
_PERIOD_MONTHS: dict[str, int] = {"year": 12, "half-year": 6, "quarter": 3, "month": 1}


def utc_timestamp(value: object) -> pd.Timestamp:
    """A scalar date/time as a UTC timestamp; naive values are read as UTC."""
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise ValueError(f"not a date: {value!r}")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def utc_series(values: pd.Series) -> pd.Series:
    """A column of dates as tz-aware UTC timestamps (NaT kept); naive values are read as UTC."""
    stamps = pd.to_datetime(values)
    if stamps.dt.tz is None:
        return stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert("UTC")


def years_since(stamps: pd.Series, origin: pd.Timestamp) -> np.ndarray:
    """Decimal years (365.25-day years) from origin to each UTC timestamp; NaT becomes NaN."""
    delta = utc_series(stamps) - utc_timestamp(origin)
    return (delta / pd.Timedelta(days=DAYS_PER_YEAR)).to_numpy(dtype=float, na_value=np.nan)


def true_mask(values: pd.Series) -> np.ndarray:
    """Boolean array that is True only where a nullable flag is known to be True (NA -> False)."""
    return values.astype("boolean").fillna(False).to_numpy(dtype=bool)


def known_mask(values: pd.Series) -> np.ndarray:
    """Boolean array that is True where a nullable flag is known (True or False)."""
    return values.astype("boolean").notna().to_numpy(dtype=bool)


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose one of {PERIODS}")
    return period


def period_labels(stamps: pd.Series, period: str) -> pd.Series:
    """Label each timestamp with its calendar period: '2024', '2024H1', '2024Q2' or '2024-05' (NaT -> NA)."""
    check_period(period)
    utc = utc_series(stamps)
    year = utc.dt.year.astype("Int64").astype("string")
    if period == "year":
        return year
    if period == "half-year":
        half = ((utc.dt.month - 1) // 6 + 1).astype("Int64").astype("string")
        return year + "H" + half
    if period == "quarter":
        return year + "Q" + utc.dt.quarter.astype("Int64").astype("string")
    return year + "-" + utc.dt.month.astype("Int64").astype("string").str.zfill(2)


def period_floor(stamp: pd.Timestamp, period: str) -> pd.Timestamp:
    """UTC start of the calendar period containing stamp."""
    months = _PERIOD_MONTHS[check_period(period)]
    utc = utc_timestamp(stamp)
    return pd.Timestamp(year=utc.year, month=months * ((utc.month - 1) // months) + 1, day=1, tz="UTC")


def period_starts(start: pd.Timestamp, end: pd.Timestamp, period: str) -> pd.DatetimeIndex:
    """UTC start of every calendar period that overlaps [start, end]."""
    months = _PERIOD_MONTHS[check_period(period)]
    return pd.date_range(period_floor(start, period), utc_timestamp(end), freq=f"{months}MS")


def next_period_start(starts: pd.DatetimeIndex, period: str) -> pd.DatetimeIndex:
    """Exclusive end of each period given its start."""
    return starts + pd.DateOffset(months=_PERIOD_MONTHS[check_period(period)])


def finite_or_none(value: float | None) -> float | None:
    """A finite float, or None for None, NaN and +-inf: JSON has no NaN or Infinity, and unknown is not 0."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None
