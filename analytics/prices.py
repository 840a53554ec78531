"""Per-token prices: blends, workloads, provider selection and the price in force at a date."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.columns import true_mask, utc_series, utc_timestamp
from tokentide.analytics.frames import require_columns

DEFAULT_WEIGHTS: str = "3:1"  # input:output tokens, as Artificial Analysis and Epoch AI blend
PRICE_BASES: tuple[str, ...] = ("blended", "input", "output")
PROVIDER_SELECTIONS: tuple[str, ...] = ("first-party", "median", "cheapest")
PRICE_COLUMN: str = "usd_per_mtok"  # the selected price column added by this module's transforms
MODEL_KEY: str = "canonical_model_id"
TOKENS_PER_MTOK: float = 1_000_000.0


def parse_weights(weights: str | tuple[float, float]) -> tuple[float, float]:
    """Input:output weights from '3:1' or (3, 1); both non-negative, not both zero."""
    if isinstance(weights, str):
        parts = weights.split(":")
        if len(parts) != 2:
            raise ValueError(f"weights must look like '3:1', got {weights!r}")
        try:
            w_in, w_out = float(parts[0]), float(parts[1])
        except ValueError as e:
            raise ValueError(f"weights must be two numbers like '3:1', got {weights!r}") from e
    else:
        w_in, w_out = float(weights[0]), float(weights[1])
    if not (np.isfinite(w_in) and np.isfinite(w_out)) or w_in < 0 or w_out < 0 or w_in + w_out == 0:
        raise ValueError(f"weights must be non-negative and not both zero, got {weights!r}")
    return w_in, w_out


def blended_usd_per_mtok(frame: pd.DataFrame, weights: str | tuple[float, float] = DEFAULT_WEIGHTS) -> pd.Series:
    """Weighted mean of input and output USD per Mtok; NaN when a needed side is unknown (never 0)."""
    require_columns(frame, ("usd_per_mtok_input", "usd_per_mtok_output"), "blended_usd_per_mtok")
    w_in, w_out = parse_weights(weights)
    p_in = frame["usd_per_mtok_input"].astype(float)
    p_out = frame["usd_per_mtok_output"].astype(float)
    # A zero weight means that side is not needed, so its being unknown must not poison the blend.
    part_in = p_in * w_in if w_in > 0 else pd.Series(0.0, index=frame.index)
    part_out = p_out * w_out if w_out > 0 else pd.Series(0.0, index=frame.index)
    return ((part_in + part_out) / (w_in + w_out)).rename(PRICE_COLUMN)


def price_usd_per_mtok(
    frame: pd.DataFrame, basis: str = "blended", weights: str | tuple[float, float] = DEFAULT_WEIGHTS
) -> pd.Series:
    """The price on the chosen basis: 'blended' (weights), 'input' only or 'output' only."""
    if basis == "blended":
        return blended_usd_per_mtok(frame, weights)
    if basis in ("input", "output"):
        column = f"usd_per_mtok_{basis}"
        require_columns(frame, (column,), "price_usd_per_mtok")
        return frame[column].astype(float).rename(PRICE_COLUMN)
    raise ValueError(f"unknown price basis {basis!r}; choose one of {PRICE_BASES}")


@dataclass(frozen=True)
class Workload:
    """Token counts of one unit of work; cached input tokens are billed at the cache-read price."""

    input_tokens: int
    output_tokens: int
    cached_input_tokens: int = 0

    def __post_init__(self) -> None:
        counts = (self.input_tokens, self.output_tokens, self.cached_input_tokens)
        if min(counts) < 0 or sum(counts) == 0:
            raise ValueError(f"token counts must be non-negative and not all zero, got {counts}")

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.cached_input_tokens


def workload_cost(frame: pd.DataFrame, workload: Workload) -> pd.DataFrame:
    """USD per workload and USD per Mtok of total tokens for each row.

    A side the workload does not use does not matter; a side it uses whose price is unknown makes the
    cost unknown (NaN). In particular an unknown cache-read price is not replaced by the input price:
    cached tokens with no published cache price give NaN.
    """
    require_columns(frame, ("usd_per_mtok_input", "usd_per_mtok_output", "usd_per_mtok_cache_read"), "workload_cost")
    usd = pd.Series(0.0, index=frame.index)
    for tokens, column in (
        (workload.input_tokens, "usd_per_mtok_input"),
        (workload.output_tokens, "usd_per_mtok_output"),
        (workload.cached_input_tokens, "usd_per_mtok_cache_read"),
    ):
        if tokens > 0:
            usd = usd + frame[column].astype(float) * tokens / TOKENS_PER_MTOK
    return pd.DataFrame(
        {"usd_per_workload": usd, "usd_per_mtok_total": usd * TOKENS_PER_MTOK / workload.total_tokens},
        index=frame.index,
    )


def model_rows_first_party_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by canonical model, the maker's own rows first; a boolean `_fp` column is added."""
    require_columns(frame, (MODEL_KEY, "is_first_party"), "model_rows_first_party_first")
    return (
        frame.assign(_fp=true_mask(frame["is_first_party"]))
        .sort_values([MODEL_KEY, "_fp"], ascending=[True, False], kind="stable")
        .reset_index(drop=True)
    )


def select_provider(frame: pd.DataFrame, how: str = "first-party", price_col: str = PRICE_COLUMN) -> pd.DataFrame:
    """One row per canonical model with one price chosen across its providers' rows.

    'first-party': the median of the maker's own known prices when it has one, else the median over all
    providers with a known price. 'median': median over providers. 'cheapest': the lowest known price.
    Models with no known price keep a row with NaN, so callers can count them. Other columns are taken
    from the model's first row, first-party rows first. Adds `price_provider` and `n_providers`.
    """
    if how not in PROVIDER_SELECTIONS:
        raise ValueError(f"unknown provider selection {how!r}; choose one of {PROVIDER_SELECTIONS}")
    require_columns(frame, (MODEL_KEY, "provider", "is_first_party", price_col), "select_provider")
    ordered = model_rows_first_party_first(frame)
    models = ordered.drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)
    known = ordered[ordered[price_col].notna()]
    grouped = known.groupby(MODEL_KEY)
    n_providers = grouped["provider"].nunique()
    if how == "cheapest":
        best = known.loc[grouped[price_col].idxmin()].set_index(MODEL_KEY)
        price, provider = best[price_col], best["provider"]
    else:
        price = grouped[price_col].median()
        provider = "median of " + n_providers.astype(str)
        if how == "first-party":
            first_party = known[known["_fp"]].groupby(MODEL_KEY)
            fp_price = first_party[price_col].median()
            price = fp_price.combine_first(price)
            provider = first_party["provider"].first().combine_first(provider)
    out = models.drop(columns=["_fp", price_col])
    out[price_col] = price.reindex(out.index)
    out["price_provider"] = provider.reindex(out.index)
    out["n_providers"] = n_providers.reindex(out.index).fillna(0).astype(int)
    return out.reset_index()


def _interval_bounds(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    require_columns(frame, ("valid_from", "valid_to"), "price intervals")
    return utc_series(frame["valid_from"]), utc_series(frame["valid_to"])


def price_at(frame: pd.DataFrame, at: object) -> pd.DataFrame:
    """Rows whose interval is in force at `at`: valid_from <= at < valid_to, or valid_to open (NaT)."""
    moment = utc_timestamp(at)
    valid_from, valid_to = _interval_bounds(frame)
    in_force = (valid_from <= moment) & (valid_to.isna() | (valid_to > moment))
    return frame[in_force.to_numpy()]


def known_at(frame: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """The intervals as they stood at `as_of`: valid_from <= as_of and release_date <= as_of.

    Intervals closed after `as_of` are shown open (valid_to = NaT), as they were then. Models with an
    unknown release date are kept (their release cannot be shown to be later). "Known" is read from
    valid_from, not captured_at, so a backfilled price counts as known from the date it took effect.
    """
    moment = utc_timestamp(as_of)
    valid_from, valid_to = _interval_bounds(frame)
    keep = valid_from <= moment
    if "release_date" in frame.columns:
        release = utc_series(frame["release_date"])
        keep &= release.isna() | (release <= moment)
    out = frame[keep.to_numpy()].copy()
    out["valid_to"] = valid_to[keep].where(valid_to[keep] <= moment)
    return out
