"""Builders of synthetic price-interval and launch-point frames with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd

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


TIER_HALF_LIFE_YEARS: dict[str, float | None] = {"economy": 1.1, "mid": 1.55, "flagship": None}
TIER_START_USD: dict[str, float] = {"economy": 2.0, "mid": 10.0, "flagship": 60.0}
AUTHORS: tuple[tuple[str, str], ...] = (
    ("openai", "US"), ("anthropic", "US"), ("google", "US"), ("meta", "US"), ("xai", "US"),
    ("deepseek", "CN"), ("alibaba", "CN"), ("moonshot", "CN"), ("zhipu", "CN"), ("mistral", "FR"),
)  # fmt: skip
THIRD_PARTY = ("openrouter", "together", "fireworks", "groq", "deepinfra")


def market_intervals(
    *, n_models: int = 400, intervals_per_model: int = 50, reasoning_premium: float = 4.0, seed: int = 0
) -> pd.DataFrame:
    """A contract-shaped market: tiered prices falling with known half-lives (flagship flat), reasoning
    models priced `reasoning_premium` times their tier's trend, several providers and price changes."""
    rng = np.random.default_rng(seed)
    years = rng.uniform(0.0, 5.5, n_models)
    tiers = rng.choice(list(TIER_HALF_LIFE_YEARS), n_models)
    authors = rng.integers(0, len(AUTHORS), n_models)
    reasoning = (years > 4.3) & (rng.uniform(size=n_models) < 0.4)
    slope = np.array([-np.log(2.0) / h if h else 0.0 for h in map(TIER_HALF_LIFE_YEARS.get, tiers)])
    start = np.array([TIER_START_USD[t] for t in tiers])
    launch_usd = (
        start * np.exp(slope * years + rng.normal(0.0, 0.3, n_models)) * np.where(reasoning, reasoning_premium, 1)
    )
    model = np.repeat(np.arange(n_models), intervals_per_model)
    step = np.tile(np.arange(intervals_per_model), n_models)
    n_providers = 1 + len(THIRD_PARTY)
    provider_index = step % n_providers
    change = step // n_providers  # successive price intervals of one provider
    release = START + pd.to_timedelta(years[model] * DAYS_PER_YEAR, unit="D")
    valid_from = release + pd.to_timedelta(change * 30, unit="D")
    last_change = (intervals_per_model - 1 - provider_index) // n_providers
    valid_to = pd.Series(valid_from + pd.Timedelta(days=30)).where(change < last_change)
    price = launch_usd[model] * (0.97**change) * np.where(provider_index == 0, 1.0, 1.1)
    unknown = rng.uniform(size=len(model)) < 0.03
    author = np.array([AUTHORS[a][0] for a in authors])[model]
    provider = np.where(provider_index == 0, author, np.array(THIRD_PARTY)[(provider_index - 1) % len(THIRD_PARTY)])
    frame = pd.DataFrame(
        {
            "interval_id": np.arange(len(model)),
            "model_id": [f"{author[i]}/m{m}" for i, m in enumerate(model)],
            "canonical_model_id": [f"m{m}" for m in model],
            "model_name": None,
            "author": author,
            "author_country": np.array([AUTHORS[a][1] for a in authors])[model],
            "provider": provider,
            "is_first_party": provider_index == 0,
            "source": "synthetic",
            "release_date": pd.Series(release).dt.normalize(),
            "tier": tiers[model],
            "family": None,
            "is_reasoning": reasoning[model],
            "is_open_weights": False,
            "valid_from": pd.Series(valid_from).dt.tz_localize("UTC"),
            "valid_to": valid_to.dt.tz_localize("UTC"),
            "usd_per_mtok_input": np.where(unknown, np.nan, price * 0.5),
            "usd_per_mtok_output": np.where(unknown, np.nan, price * 2.5),
        }
    )
    return build_intervals(frame.to_dict(orient="records"))
