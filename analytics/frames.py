"""Column contract between the warehouse and the pure analytics functions."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.tier_names import TIERS as TIERS  # re-exported: the column contract names the tiers

# One row per (model, serving provider, source, price interval); unknown prices are NaN, never 0.
PRICE_INTERVAL_COLUMNS: tuple[str, ...] = (
    "interval_id",  # int, stable id of the price interval in the warehouse
    "model_id",  # str, the id the source uses, e.g. "anthropic/claude-3.5-haiku"
    "canonical_model_id",  # str, normalised id shared across sources, e.g. "claude-3-5-haiku"
    "model_name",  # str or None
    "author",  # str, model maker slug: "openai", "anthropic", "deepseek", ...
    "author_country",  # str ISO-3166 alpha-2 ("US", "CN", "FR", ...) or None
    "provider",  # str, serving provider slug ("openrouter", "openai", "together", ...)
    "is_first_party",  # bool, provider is the model's maker
    "source",  # str, "milestones", "model-prices", "openrouter", "litellm", "modelsdev", "genai-prices"
    "release_date",  # datetime64 (UTC-naive date) or NaT
    "tier",  # str in TIERS or None: the maker's positioning from the curated table
    "family",  # str or None
    "is_reasoning",  # boolean (nullable)
    "is_open_weights",  # boolean (nullable)
    "valid_from",  # datetime64[ns, UTC], inclusive
    "valid_to",  # datetime64[ns, UTC], exclusive; NaT = still current
    "usd_per_mtok_input",  # float64, NaN = unknown, 0 = free
    "usd_per_mtok_output",
    "usd_per_mtok_cache_read",
    "usd_per_mtok_cache_write",
    "usd_per_mtok_reasoning",
    "price_state",  # "free" | "paid" | "unknown" (on input and output)
    "source_url",  # str, where this price was published
    "snapshot_id",  # int, raw snapshot the interval was opened by
    "sha256",  # str, sha256 of that raw snapshot's bytes
    "captured_at",  # datetime64[ns, UTC], when that snapshot was fetched/loaded
)


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...] | list[str], where: str) -> None:
    """Fail early with a named error when a transform receives a frame without the columns it needs."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{where}: missing columns {missing}")
