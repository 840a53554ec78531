"""Launch prices per model and cheapest-price frontiers per tier, ready for log-scale plotting."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.columns import DAYS_PER_YEAR, utc_series
from tokentide.analytics.frames import TIERS, require_columns
from tokentide.analytics.prices import (
    DEFAULT_WEIGHTS,
    MODEL_KEY,
    PRICE_COLUMN,
    model_rows_first_party_first,
    price_usd_per_mtok,
    select_provider,
)

MODEL_ATTRIBUTES: tuple[str, ...] = (
    "model_id",
    "model_name",
    "author",
    "author_country",
    "tier",
    "family",
    "is_reasoning",
    "is_open_weights",
)
TIER_RANK: dict[str, int] = {tier: rank for rank, tier in enumerate(TIERS)}
FRONTIER_DEFINITION: str = (
    "Frontier of tier T at date d: the lowest paid launch price among models whose tier is T or higher "
    "(economy < mid < flagship) and whose release date is on or before d. Free (0) and unknown prices "
    "are left out and counted. One step per model that lowered it."
)
DECLINE_DEFINITION: str = (
    "Decline fold: the cheapest launch price among the first models of the starting tier or above (by "
    "default flagship: the flagship of the day when the data begins) divided by the cheapest paid launch "
    "price of any model released since. It compares yesterday's top model with today's cheapest one, "
    "assuming, not measuring, that the latter is at least as capable. "
    "With no starting tier it is the all-model frontier's start over its end."
)


def launch_prices(
    intervals: pd.DataFrame,
    *,
    basis: str = "blended",
    weights: str | tuple[float, float] = DEFAULT_WEIGHTS,
    provider: str = "first-party",
    max_lag_days: float | None = None,
) -> pd.DataFrame:
    """One row per canonical model: its first known price on or after its release date.

    The launch moment `launch_at` is the earliest time on or after release at which some interval with a
    known price is in force; the rows in force then are reduced to one price by `select_provider` (the
    maker's own price preferred). Models with no known price, an unknown release date, or (when
    `max_lag_days` is set) no price within that many days of release keep a row with NaN price and
    price_state 'unknown', so fits can count them. `release_date` and `launch_at` are UTC timestamps.
    """
    require_columns(
        intervals,
        (MODEL_KEY, "release_date", "valid_from", "valid_to", "provider", "is_first_party"),
        "launch_prices",
    )
    frame = intervals.assign(
        **{PRICE_COLUMN: price_usd_per_mtok(intervals, basis, weights)},
        _release=utc_series(intervals["release_date"]),
        _from=utc_series(intervals["valid_from"]),
        _to=utc_series(intervals["valid_to"]),
    )
    live = frame[PRICE_COLUMN].notna() & frame["_release"].notna()
    live &= frame["_to"].isna() | (frame["_to"] > frame["_release"])
    candidates = frame[live].copy()
    candidates["_effective"] = candidates[["_from", "_release"]].max(axis=1)
    launch_at = candidates.groupby(MODEL_KEY)["_effective"].min().rename("launch_at")
    candidates = candidates.join(launch_at, on=MODEL_KEY)
    at_launch = candidates[
        (candidates["_from"] <= candidates["launch_at"])
        & (candidates["_to"].isna() | (candidates["_to"] > candidates["launch_at"]))
    ]
    chosen = select_provider(at_launch, provider).set_index(MODEL_KEY)
    return _launch_table(frame, chosen, launch_at, max_lag_days)


def _launch_table(
    frame: pd.DataFrame, chosen: pd.DataFrame, launch_at: pd.Series, max_lag_days: float | None
) -> pd.DataFrame:
    models = model_rows_first_party_first(frame).drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)
    out = models[[c for c in MODEL_ATTRIBUTES if c in models.columns]].copy()
    out["release_date"] = models["_release"]
    out["launch_at"] = launch_at.reindex(out.index)
    out["launch_lag_days"] = (out["launch_at"] - out["release_date"]) / pd.Timedelta(days=1)
    out[PRICE_COLUMN] = chosen[PRICE_COLUMN].reindex(out.index)
    out["price_provider"] = chosen["price_provider"].reindex(out.index)
    out["n_providers"] = chosen["n_providers"].reindex(out.index).fillna(0).astype(int)
    if max_lag_days is not None:
        in_time = ~(out["launch_lag_days"] > max_lag_days)
        for column in (PRICE_COLUMN, "price_provider", "launch_at", "launch_lag_days"):
            out[column] = out[column].where(in_time)
        out["n_providers"] = out["n_providers"].where(in_time, 0)
    out["price_state"] = np.select(
        [out[PRICE_COLUMN].isna().to_numpy(), (out[PRICE_COLUMN] == 0).to_numpy()], ["unknown", "free"], "paid"
    )
    return out.reset_index()


def cheapest_frontier(
    launch: pd.DataFrame, *, date_col: str = "release_date", price_col: str = PRICE_COLUMN
) -> pd.DataFrame:
    """Step points (date, price, model) where the running minimum of paid launch prices falls."""
    require_columns(launch, (MODEL_KEY, date_col, price_col), "cheapest_frontier")
    paid = launch[(launch[price_col] > 0) & launch[date_col].notna()]
    paid = paid.sort_values([date_col, price_col, MODEL_KEY], kind="stable")
    prices = paid[price_col].to_numpy(dtype=float)
    before = np.concatenate(([np.inf], np.minimum.accumulate(prices)[:-1]))
    steps = paid[prices < before]
    return pd.DataFrame(
        {
            "date": steps[date_col].reset_index(drop=True),
            price_col: steps[price_col].reset_index(drop=True).astype(float),
            MODEL_KEY: steps[MODEL_KEY].reset_index(drop=True),
        }
    )


@dataclass(frozen=True)
class Frontier:
    """Per-tier frontier steps (columns tier, date, usd_per_mtok, canonical_model_id) and exclusions."""

    steps: pd.DataFrame
    n_excluded_free: int
    n_excluded_unknown: int
    definition: str = FRONTIER_DEFINITION


def tier_frontier(launch: pd.DataFrame, *, tier_col: str = "assigned_tier", date_col: str = "release_date") -> Frontier:
    """The frontier of every tier (see FRONTIER_DEFINITION); models with no tier are not used."""
    require_columns(launch, (MODEL_KEY, tier_col, date_col, PRICE_COLUMN), "tier_frontier")
    rank = launch[tier_col].map(TIER_RANK)
    tiered, tiered_rank = launch[rank.notna()], rank[rank.notna()]
    parts = []
    for tier in TIERS:
        eligible = tiered[tiered_rank >= TIER_RANK[tier]]
        parts.append(cheapest_frontier(eligible, date_col=date_col).assign(tier=tier))
    steps = pd.concat(parts, ignore_index=True)[["tier", "date", PRICE_COLUMN, MODEL_KEY]]
    unknown = tiered[PRICE_COLUMN].isna() | tiered[date_col].isna()
    return Frontier(
        steps=steps,
        n_excluded_free=int(((tiered[PRICE_COLUMN] == 0) & ~unknown).sum()),
        n_excluded_unknown=int(unknown.sum()),
    )


@dataclass(frozen=True)
class DeclineFold:
    """How many times cheaper the cheapest model got since the starting reference (DECLINE_DEFINITION)."""

    ok: bool
    reason: str | None
    fold: float
    start_tier: str | None
    start_model: str | None
    start_date: pd.Timestamp | None
    start_usd_per_mtok: float
    end_model: str | None
    end_date: pd.Timestamp | None
    end_usd_per_mtok: float
    span_years: float
    definition: str = DECLINE_DEFINITION


def frontier_decline(
    launch: pd.DataFrame,
    *,
    start_tier: str | None = "flagship",
    tier_col: str = "assigned_tier",
    date_col: str = "release_date",
) -> DeclineFold:
    """Decline fold from the first models of `start_tier` or above to the cheapest paid model since."""
    if start_tier is not None:
        require_columns(launch, (tier_col,), "frontier_decline")
        reference = launch[launch[tier_col].map(TIER_RANK) >= TIER_RANK[start_tier]]
    else:
        reference = launch
    opening = cheapest_frontier(reference, date_col=date_col)
    if len(opening) == 0:
        reason = f"no paid launch price at or above {start_tier or 'any'} tier"
        return DeclineFold(False, reason, np.nan, start_tier, None, None, np.nan, None, None, np.nan, np.nan)
    start = opening.iloc[0]
    since = launch[utc_series(launch[date_col]) >= start["date"]]
    end = cheapest_frontier(since, date_col=date_col).iloc[-1]
    return DeclineFold(
        ok=True,
        reason=None,
        fold=float(start[PRICE_COLUMN] / end[PRICE_COLUMN]),
        start_tier=start_tier,
        start_model=str(start[MODEL_KEY]),
        start_date=start["date"],
        start_usd_per_mtok=float(start[PRICE_COLUMN]),
        end_model=str(end[MODEL_KEY]),
        end_date=end["date"],
        end_usd_per_mtok=float(end[PRICE_COLUMN]),
        span_years=float((end["date"] - start["date"]) / pd.Timedelta(days=DAYS_PER_YEAR)),
    )
