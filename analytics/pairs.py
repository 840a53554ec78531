"""Reasoning premium over matched pairs: a reasoning model against a non-reasoning model of its maker."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.bootstrap import percentile_ci
from tokentide.analytics.cluster_inference import MIN_CLUSTERS
from tokentide.analytics.columns import utc_timestamp
from tokentide.analytics.curves import launch_prices
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import (
    DEFAULT_WEIGHTS,
    MODEL_KEY,
    PRICE_COLUMN,
    price_at,
    price_usd_per_mtok,
    select_provider,
)

AVERAGES: tuple[str, ...] = ("geometric-mean", "median")
PAIR_COLUMNS: tuple[str, ...] = ("reasoning_model_id", "base_model_id")
# A pair whose curated note starts with one of these compares unlike models (e.g. a small reasoning model
# against a large base model): it is left out of the premium and counted.
MISMATCH_MARKERS: tuple[str, ...] = ("different sizes",)
AVERAGE_TEXT: dict[str, str] = {
    "geometric-mean": "geometric mean of pair ratios (reasoning price / base price)",
    "median": "median of pair ratios (reasoning price / base price)",
}
CI_TEXT: str = (
    "base-model bootstrap: whole base models resampled with all their pairs (a base serving two pairs "
    "moves together), percentile interval"
)


def mismatch_mask(pairs: pd.DataFrame) -> np.ndarray:
    """True for pairs whose `note` flags them as mismatched (see MISMATCH_MARKERS); all False without notes."""
    if "note" not in pairs.columns:
        return np.zeros(len(pairs), dtype=bool)
    notes = pairs["note"].fillna("").astype(str).str.strip().str.lower()
    return notes.str.startswith(MISMATCH_MARKERS).to_numpy(dtype=bool)


@dataclass(frozen=True)
class PairPremium:
    """Average reasoning / base price ratio over the usable pairs, with a pairs-bootstrap CI."""

    ok: bool
    reason: str | None
    ratio: float
    ci_low: float
    ci_high: float
    n_pairs: int
    average: str
    pairs: pd.DataFrame  # pair ids, compared_at, both prices, ratio, status
    n_excluded_free: int
    n_excluded_unknown: int
    n_missing: int
    confidence: float
    bootstrap_draws: int
    n_mismatched: int = 0
    n_bases: int = 0
    median_ratio: float = math.nan
    arithmetic_mean_ratio: float = math.nan
    thin: bool = False
    thin_reason: str | None = None

    @property
    def estimator(self) -> str:
        return f"{AVERAGE_TEXT[self.average]}; {self.confidence:.0%} CI: {CI_TEXT}"


def _status(table: pd.DataFrame) -> pd.DataFrame:
    prices = table[["reasoning_usd_per_mtok", "base_usd_per_mtok"]]
    mismatched = table["_mismatched"].to_numpy(dtype=bool)
    missing = ~table["_found"] & ~mismatched
    unknown = prices.isna().any(axis=1) & ~missing
    free = (prices == 0).any(axis=1) & ~missing & ~unknown
    status = np.select(
        [mismatched, missing.to_numpy(), unknown.to_numpy(), free.to_numpy()],
        ["mismatched", "missing model", "unknown price", "free"],
        "ok",
    )
    ok = status == "ok"
    ratio = np.full(len(table), np.nan)
    ratio[ok] = prices.to_numpy(dtype=float)[ok, 0] / prices.to_numpy(dtype=float)[ok, 1]
    return table.drop(columns=["_found", "_mismatched"]).assign(ratio=ratio, status=status)


def _average(ratios: np.ndarray, average: str) -> np.ndarray:
    if average == "median":
        return np.median(ratios, axis=-1)
    return np.exp(np.log(ratios).mean(axis=-1))


def _summarise(table: pd.DataFrame, average: str, draws: int, seed: int, confidence: float) -> PairPremium:
    if average not in AVERAGES:
        raise ValueError(f"unknown average {average!r}; choose one of {AVERAGES}")
    usable = table["status"] == "ok"
    ratios = table.loc[usable, "ratio"].to_numpy(dtype=float)
    bases = pd.factorize(table.loc[usable, "base_model_id"].astype(str))[0]
    counts = table["status"].value_counts()
    n_bases = int(bases.max()) + 1 if len(bases) else 0
    common = dict(
        average=average,
        pairs=table,
        n_excluded_free=int(counts.get("free", 0)),
        n_excluded_unknown=int(counts.get("unknown price", 0)),
        n_missing=int(counts.get("missing model", 0)),
        confidence=confidence,
        bootstrap_draws=draws,
        n_mismatched=int(counts.get("mismatched", 0)),
        n_bases=n_bases,
    )
    if len(ratios) == 0:
        return PairPremium(False, "no pair has two known paid prices", math.nan, math.nan, math.nan, 0, **common)
    common |= {"median_ratio": float(np.median(ratios)), "arithmetic_mean_ratio": float(np.mean(ratios))}
    ratio = float(_average(ratios, average))
    if n_bases < MIN_CLUSTERS:
        thin = f"only {n_bases} base model(s) (< {MIN_CLUSTERS}): too few to resample for an interval"
        return PairPremium(True, None, ratio, math.nan, math.nan, len(ratios), thin=True, thin_reason=thin, **common)
    low, high = percentile_ci(_base_bootstrap(ratios, bases, n_bases, average, draws, seed), confidence)
    return PairPremium(True, None, ratio, low, high, len(ratios), **common)


def _base_bootstrap(
    ratios: np.ndarray, bases: np.ndarray, n_bases: int, average: str, draws: int, seed: int
) -> np.ndarray:
    """The average of each draw that resamples whole base models (with all their pairs) with replacement."""
    picks = np.random.default_rng(seed).integers(0, n_bases, size=(draws, n_bases))
    counts = np.zeros((draws, n_bases))
    np.add.at(counts, (np.arange(draws)[:, None], picks), 1.0)
    weights = counts[:, bases]  # each pair weighted by how often its base was drawn
    if average == "median":
        order = np.argsort(ratios)
        cumulative = np.cumsum(weights[:, order], axis=1)
        middle = np.argmax(cumulative >= cumulative[:, -1:] / 2.0, axis=1)
        return ratios[order][middle]
    return np.exp((weights * np.log(ratios)).sum(axis=1) / weights.sum(axis=1))


def pair_premium(
    points: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    id_col: str = MODEL_KEY,
    price_col: str = PRICE_COLUMN,
    average: str = "geometric-mean",
    bootstrap_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> PairPremium:
    """Premium over pairs looked up by `id_col` in a points frame with one price per model.

    Pairs flagged as mismatched (MISMATCH_MARKERS in a `note` column), or with a missing model, an unknown
    price or a free side get no ratio and are counted; the CI resamples whole base models with their pairs
    (seeded) and is NaN with thin=True when fewer than 6 base models remain.
    """
    require_columns(pairs, PAIR_COLUMNS, "pair_premium pairs")
    require_columns(points, (id_col, price_col), "pair_premium points")
    if points[id_col].duplicated().any():
        raise ValueError(f"pair_premium: points must have one row per {id_col}")
    price = points.set_index(id_col)[price_col].astype(float)
    table = pairs[list(PAIR_COLUMNS)].reset_index(drop=True)
    table = table.assign(
        reasoning_usd_per_mtok=table["reasoning_model_id"].map(price),
        base_usd_per_mtok=table["base_model_id"].map(price),
        _found=table["reasoning_model_id"].isin(price.index) & table["base_model_id"].isin(price.index),
        _mismatched=mismatch_mask(pairs.reset_index(drop=True)),
    )
    return _summarise(_status(table), average, bootstrap_draws, seed, confidence)


def _resolve(pair_id: str, intervals: pd.DataFrame) -> str | None:
    """A pair id as a canonical model id: a canonical id as is, else a source model_id mapped through."""
    if (intervals[MODEL_KEY] == pair_id).any():
        return pair_id
    matches = intervals.loc[intervals["model_id"] == pair_id, MODEL_KEY].dropna()
    return str(matches.iloc[0]) if len(matches) else None


def _price_of(rows: pd.DataFrame, model: str | None, at: pd.Timestamp, provider: str) -> float:
    in_force = price_at(rows[rows[MODEL_KEY] == model], at)
    if in_force.empty:
        return math.nan
    return float(select_provider(in_force, provider)[PRICE_COLUMN].iloc[0])


def pair_premium_at_common_date(
    intervals: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    at: object | None = None,
    weights: str | tuple[float, float] = DEFAULT_WEIGHTS,
    provider: str = "first-party",
    average: str = "geometric-mean",
    bootstrap_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> PairPremium:
    """Premium over pairs, each side priced from the intervals at one common date.

    The date is `at` when given, else the later of the two launch moments (each model's first known
    price on or after its release, see curves.launch_prices), so both models are on sale and a price cut
    of the older one before the newer one's launch is respected. Pair ids may be
    canonical ids or source model_ids. Prices are blended with `weights` and chosen with `provider`.
    """
    require_columns(pairs, PAIR_COLUMNS, "pair_premium_at_common_date pairs")
    require_columns(intervals, (MODEL_KEY, "model_id", "release_date"), "pair_premium_at_common_date")
    rows = intervals.assign(**{PRICE_COLUMN: price_usd_per_mtok(intervals, "blended", weights)})
    launched = launch_prices(intervals, weights=weights, provider=provider).set_index(MODEL_KEY)["launch_at"]
    table = pairs[list(PAIR_COLUMNS)].reset_index(drop=True)
    records = []
    for r_id, b_id in zip(table["reasoning_model_id"], table["base_model_id"], strict=True):
        r_model, b_model = _resolve(r_id, rows), _resolve(b_id, rows)
        found = r_model is not None and b_model is not None
        when = utc_timestamp(at) if at is not None else _later_launch(launched, r_model, b_model)
        priced = found and when is not None
        records.append(
            {
                "compared_at": when,
                "reasoning_usd_per_mtok": _price_of(rows, r_model, when, provider) if priced else math.nan,
                "base_usd_per_mtok": _price_of(rows, b_model, when, provider) if priced else math.nan,
                "_found": found,
            }
        )
    table = pd.concat([table, pd.DataFrame(records, index=table.index)], axis=1)
    table["_mismatched"] = mismatch_mask(pairs.reset_index(drop=True))
    return _summarise(_status(table), average, bootstrap_draws, seed, confidence)


def _later_launch(launched: pd.Series, first: str | None, second: str | None) -> pd.Timestamp | None:
    dates = [launched.get(first), launched.get(second)]
    if any(d is None or pd.isna(d) for d in dates):
        return None
    return max(dates)
