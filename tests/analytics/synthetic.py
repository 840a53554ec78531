"""Builders of synthetic price-interval and launch-point frames with known answers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from tokentide.analytics.columns import DAYS_PER_YEAR
from tokentide.analytics.frames import PRICE_INTERVAL_COLUMNS

START = pd.Timestamp("2020-06-01")

_DEFAULTS: dict[str, object] = {
    "model_name": None,
    "author": "acme",
    "author_country": "US",
    "provider": None,  # defaults to the author: a first-party row
    "is_first_party": None,
    "source": "milestones",
    "tier": "mid",
    "family": None,
    "is_reasoning": False,
    "is_open_weights": False,
    "valid_to": pd.NaT,
    "usd_per_mtok_cache_read": np.nan,
    "usd_per_mtok_cache_write": np.nan,
    "usd_per_mtok_reasoning": np.nan,
    "source_url": "https://example.test/prices",
    "snapshot_id": 1,
    "sha256": "0" * 64,
}


def build_intervals(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A contract-shaped intervals frame; each row needs canonical_model_id, release_date and prices.

    valid_from defaults to the release date; provider defaults to the author (first party).
    """
    records = []
    for number, row in enumerate(rows):
        record = {**_DEFAULTS, **row}
        record.setdefault("model_id", record["canonical_model_id"])
        record.setdefault("valid_from", record["release_date"])
        record.setdefault("usd_per_mtok_input", record.get("usd_per_mtok_output"))
        if record["provider"] is None:
            record["provider"] = record["author"]
        if record["is_first_party"] is None:
            record["is_first_party"] = record["provider"] == record["author"]
        record["interval_id"] = number
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for column in ("valid_from", "valid_to", "captured_at"):
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["captured_at"] = frame["valid_from"]
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    for column in ("usd_per_mtok_input", "usd_per_mtok_output"):
        frame[column] = frame[column].astype(float)
    frame["price_state"] = np.where(
        frame[["usd_per_mtok_input", "usd_per_mtok_output"]].isna().any(axis=1),
        "unknown",
        np.where(frame["usd_per_mtok_output"] == 0, "free", "paid"),
    )
    return frame[[c for c in PRICE_INTERVAL_COLUMNS if c in frame.columns]]


def planted_points(
    *, n: int = 60, half_life_years: float = 1.3, sigma: float = 0.3, span_years: float = 5.0, seed: int = 0
) -> pd.DataFrame:
    """Launch points whose log price falls with a known half-life plus N(0, sigma) noise."""
    rng = np.random.default_rng(seed)
    years = np.sort(rng.uniform(0.0, span_years, n))
    log_price = np.log(50.0) - np.log(2.0) / half_life_years * years + rng.normal(0.0, sigma, n)
    dates = pd.Series(START + pd.to_timedelta(years * DAYS_PER_YEAR, unit="D")).dt.tz_localize("UTC")
    return pd.DataFrame(
        {
            "canonical_model_id": [f"m{i}" for i in range(n)],
            "release_date": dates,
            "launch_at": dates,
            "usd_per_mtok": np.exp(log_price),
        }
    )


@pytest.fixture
def intervals_from() -> Callable[[list[dict[str, object]]], pd.DataFrame]:
    return build_intervals


@pytest.fixture
def planted() -> Callable[..., pd.DataFrame]:
    return planted_points
