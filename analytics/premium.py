"""Reasoning premium per token within tier and period, its per-task scaling and its trend."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.bootstrap import bootstrap_medians, percentile_ci
from tokentide.analytics.columns import known_mask, period_labels, true_mask
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import PRICE_COLUMN

# Reasoning models emit about 8x as many tokens per task as non-reasoning ones. Source: Epoch AI data
# insight "LLM responses to benchmark questions are getting longer over time" (17 April 2025,
# https://epoch.ai/data-insights/output-length), average response length on GPQA Diamond, MATH Level 5
# and OTIS Mock AIME. We take 8 as a round, public, benchmark-based figure; it varies widely by task
# and model, so callers should set their own multiplier for their workload.
DEFAULT_TOKENS_PER_TASK_MULTIPLIER: float = 8.0
TOKENS_PER_TASK_SOURCE: str = (
    "Epoch AI (2025-04-17), 'LLM responses to benchmark questions are getting longer over time', "
    "https://epoch.ai/data-insights/output-length: reasoning models' responses ~8x longer than non-reasoning"
)


@dataclass(frozen=True)
class GroupPremium:
    """Median over (tier, period) groups of median(reasoning price) / median(non-reasoning price)."""

    ok: bool
    reason: str | None
    ratio: float
    ci_low: float
    ci_high: float
    n_groups: int
    n_reasoning: int
    n_base: int
    n_excluded_free: int
    n_excluded_unknown: int
    groups: pd.DataFrame  # tier, period, n_reasoning, n_base, median_*_usd_per_mtok, ratio, usable
    confidence: float
    bootstrap_draws: int


def within_tier_premium(
    points: pd.DataFrame,
    *,
    tier_col: str = "assigned_tier",
    period: str = "year",
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    bootstrap_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> GroupPremium:
    """Reasoning premium per token within tier and release period (points: one row per model).

    A group counts when it has at least one paid reasoning and one paid non-reasoning model. Free and
    unknown prices, and unknown is_reasoning flags, are left out and counted (unknown includes unknown
    flags). The CI resamples models within each group (seeded) and recomputes the median of group ratios.
    """
    require_columns(points, (tier_col, date_col, price_col, "is_reasoning"), "within_tier_premium")
    grouped = points.assign(_period=period_labels(points[date_col], period))
    grouped = grouped[grouped[tier_col].notna() & grouped["_period"].notna()]
    price = grouped[price_col].astype(float)
    flag_known = known_mask(grouped["is_reasoning"])
    n_unknown = int((price.isna().to_numpy() | ~flag_known).sum())
    n_free = int(((price == 0).to_numpy() & flag_known).sum())
    usable = grouped[(price > 0).to_numpy() & flag_known]
    usable = usable.assign(_reasoning=true_mask(usable["is_reasoning"]))
    rng = np.random.default_rng(seed)
    rows, draws = [], []
    for (tier, label), group in usable.groupby([tier_col, "_period"], sort=True):
        is_r = group["_reasoning"].to_numpy(dtype=bool)
        r_prices = group[price_col].to_numpy(dtype=float)[is_r]
        b_prices = group[price_col].to_numpy(dtype=float)[~is_r]
        row = {"tier": tier, "period": label, "n_reasoning": len(r_prices), "n_base": len(b_prices)}
        row["usable"] = len(r_prices) > 0 and len(b_prices) > 0
        row["median_reasoning_usd_per_mtok"] = float(np.median(r_prices)) if len(r_prices) else math.nan
        row["median_base_usd_per_mtok"] = float(np.median(b_prices)) if len(b_prices) else math.nan
        row["ratio"] = row["median_reasoning_usd_per_mtok"] / row["median_base_usd_per_mtok"]
        rows.append(row)
        if row["usable"]:
            draws.append(
                bootstrap_medians(r_prices, bootstrap_draws, rng) / bootstrap_medians(b_prices, bootstrap_draws, rng)
            )
    groups = pd.DataFrame(rows, columns=_GROUP_COLUMNS)
    return _group_result(groups, draws, n_free, n_unknown, confidence, bootstrap_draws)


_GROUP_COLUMNS: tuple[str, ...] = (
    "tier", "period", "n_reasoning", "n_base", "usable",
    "median_reasoning_usd_per_mtok", "median_base_usd_per_mtok", "ratio",
)  # fmt: skip


def _group_result(
    groups: pd.DataFrame,
    draws: list[np.ndarray],
    n_free: int,
    n_unknown: int,
    confidence: float,
    bootstrap_draws: int,
) -> GroupPremium:
    used = groups[groups["usable"].astype(bool)]
    counts = {"n_reasoning": int(used["n_reasoning"].sum()), "n_base": int(used["n_base"].sum())}
    common = dict(
        groups=groups,
        n_excluded_free=n_free,
        n_excluded_unknown=n_unknown,
        confidence=confidence,
        bootstrap_draws=bootstrap_draws,
        **counts,
    )
    if not draws:
        reason = "no tier and period has both a paid reasoning and a paid non-reasoning model"
        return GroupPremium(False, reason, math.nan, math.nan, math.nan, 0, **common)
    ratio = float(np.median(used["ratio"].to_numpy(dtype=float)))
    low, high = percentile_ci(np.median(np.vstack(draws), axis=0), confidence)
    return GroupPremium(True, None, ratio, low, high, len(used), **common)


@dataclass(frozen=True)
class TaskPremium:
    """Per-task premium: per-token ratio times how many more tokens a reasoning model spends per task."""

    per_token_ratio: float
    tokens_per_task_multiplier: float
    per_task_ratio: float
    ci_low: float
    ci_high: float
    source: str


def per_task_premium(
    per_token_ratio: float,
    *,
    ci: tuple[float, float] = (math.nan, math.nan),
    tokens_per_task_multiplier: float = DEFAULT_TOKENS_PER_TASK_MULTIPLIER,
    source: str = TOKENS_PER_TASK_SOURCE,
) -> TaskPremium:
    """Scale a per-token premium (and its CI) by a tokens-per-task multiplier.

    An approximation: it treats the whole blended price as scaling with the token count, whereas in
    practice the extra tokens are mostly output. The multiplier's own uncertainty is not in the CI.
    """
    if not tokens_per_task_multiplier > 0:
        raise ValueError(f"tokens_per_task_multiplier must be positive, got {tokens_per_task_multiplier}")
    m = tokens_per_task_multiplier
    return TaskPremium(per_token_ratio, m, per_token_ratio * m, ci[0] * m, ci[1] * m, source)


def premium_trend(
    points: pd.DataFrame,
    *,
    tier_col: str = "assigned_tier",
    period: str = "year",
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    bootstrap_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Within-tier premium per release period: period, ok, reason, ratio, ci_low, ci_high, n_groups,
    n_reasoning, n_base."""
    require_columns(points, (date_col,), "premium_trend")
    labels = period_labels(points[date_col], period)
    rows = []
    for label in sorted(labels.dropna().unique()):
        result = within_tier_premium(
            points[(labels == label).to_numpy(dtype=bool, na_value=False)],
            tier_col=tier_col,
            period=period,
            date_col=date_col,
            price_col=price_col,
            bootstrap_draws=bootstrap_draws,
            seed=seed,
            confidence=confidence,
        )
        rows.append(
            {"period": label, "ok": result.ok, "reason": result.reason, "ratio": result.ratio}
            | {"ci_low": result.ci_low, "ci_high": result.ci_high, "n_groups": result.n_groups}
            | {"n_reasoning": result.n_reasoning, "n_base": result.n_base}
        )
    return pd.DataFrame(rows, columns=list(_TREND_COLUMNS))


_TREND_COLUMNS: tuple[str, ...] = (
    "period", "ok", "reason", "ratio", "ci_low", "ci_high", "n_groups", "n_reasoning", "n_base",
)  # fmt: skip
