"""The workload a product manager prices: tokens per request and requests per month -> USD per month per model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TOKENS_PER_MTOK: float = 1_000_000.0


@dataclass(frozen=True)
class Workload:
    """One request's tokens (input, of which cached, and output) and how many requests a month."""

    input_tokens: float = 2_000.0
    cached_input_tokens: float = 0.0
    output_tokens: float = 500.0
    requests_per_month: float = 100_000.0

    def __post_init__(self) -> None:
        values = (self.input_tokens, self.cached_input_tokens, self.output_tokens, self.requests_per_month)
        if any(not np.isfinite(v) or v < 0 for v in values):
            raise ValueError("workload: token counts and requests must be finite and not negative")
        if self.cached_input_tokens > self.input_tokens:
            raise ValueError("workload: cached input tokens are part of the input, so cannot exceed it")


def monthly_cost(rows: pd.DataFrame, workload: Workload) -> pd.DataFrame:
    """USD per request and per month for each row (USD per Mtok input, output, cached input).

    Cached tokens are billed at the cached-input price; when a model publishes none they are billed as
    ordinary input (what the provider charges without a cache). An unknown input or output price makes the
    cost unknown (NaN), never zero; `cache_priced` says which rows used a cached-input price."""
    uncached = workload.input_tokens - workload.cached_input_tokens
    cache_price = rows["usd_per_mtok_cache_read"].astype(float)
    input_price = rows["usd_per_mtok_input"].astype(float)
    cached_rate = cache_price.fillna(input_price) if workload.cached_input_tokens else cache_price.fillna(0.0)
    per_request = (
        uncached * input_price
        + workload.cached_input_tokens * cached_rate
        + workload.output_tokens * rows["usd_per_mtok_output"].astype(float)
    ) / TOKENS_PER_MTOK
    per_request = per_request.where(input_price.notna() & rows["usd_per_mtok_output"].notna())
    return (
        rows.assign(
            usd_per_request=per_request,
            usd_per_month=per_request * workload.requests_per_month,
            cache_priced=cache_price.notna() | (workload.cached_input_tokens == 0),
        )
        .sort_values("usd_per_month", na_position="last", kind="stable")
        .reset_index(drop=True)
    )
