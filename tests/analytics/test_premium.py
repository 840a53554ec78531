"""Reasoning premium within tier and period, per task, and over time, on planted groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tokentide.analytics.premium import (
    DEFAULT_TOKENS_PER_TASK_MULTIPLIER,
    TOKENS_PER_TASK_SOURCE,
    per_task_premium,
    premium_trend,
    within_tier_premium,
)


def _points(rows: list[tuple[str, str, object, float]]) -> pd.DataFrame:
    """Rows of (tier, release date, is_reasoning, price)."""
    return pd.DataFrame(
        {
            "canonical_model_id": [f"m{i}" for i in range(len(rows))],
            "assigned_tier": [r[0] for r in rows],
            "release_date": pd.to_datetime([r[1] for r in rows]).tz_localize("UTC"),
            "is_reasoning": pd.array([r[2] for r in rows], dtype="boolean"),
            "usd_per_mtok": [r[3] for r in rows],
        }
    )


PLANTED = (
    # mid 2024: median 10 vs 2.5 -> 4
    [("mid", "2024-03-01", True, p) for p in (8.0, 10.0, 12.0)]
    + [("mid", "2024-05-01", False, p) for p in (2.0, 2.5, 3.0)]
    # economy 2024: 3 vs 1 -> 3
    + [
        ("economy", "2024-02-01", True, 3.0),
        ("economy", "2024-09-01", False, 1.0),
        ("economy", "2024-10-01", False, 1.0),
    ]
    # flagship 2025: 30 vs 6 -> 5
    + [("flagship", "2025-01-01", True, p) for p in (20.0, 30.0, 40.0)]
    + [("flagship", "2025-02-01", False, p) for p in (5.0, 6.0, 7.0)]
)


def test_within_tier_premium_is_the_median_of_planted_group_ratios() -> None:
    result = within_tier_premium(_points(PLANTED))
    assert result.ok
    assert result.ratio == pytest.approx(4.0)  # median of 4, 3 and 5
    assert sorted(result.groups["ratio"]) == pytest.approx([3.0, 4.0, 5.0])
    assert result.n_groups == 3 and (result.n_reasoning, result.n_base) == (7, 8)
    assert result.ci_low <= 4.0 <= result.ci_high


def test_unknown_and_free_prices_do_not_move_the_premium() -> None:
    extra = [
        ("mid", "2024-04-01", False, np.nan),  # as 0 this would halve the base median
        ("mid", "2024-04-01", False, np.nan),
        ("mid", "2024-04-01", False, 0.0),
        ("mid", "2024-04-01", None, 50.0),  # unknown flag: neither side
    ]
    result = within_tier_premium(_points(PLANTED + extra))
    assert result.ratio == pytest.approx(4.0)
    assert (result.n_excluded_unknown, result.n_excluded_free) == (3, 1)


def test_noisy_planted_premium_is_recovered() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for tier, base in (("economy", 0.5), ("mid", 3.0), ("flagship", 20.0)):
        for year in ("2024", "2025"):
            for reasoning in (True, False):
                prices = base * (6.0 if reasoning else 1.0) * np.exp(rng.normal(0.0, 0.2, 40))
                rows += [(tier, f"{year}-06-01", reasoning, p) for p in prices]
    result = within_tier_premium(_points(rows), bootstrap_draws=500)
    assert result.n_groups == 6
    assert result.ratio == pytest.approx(6.0, rel=0.1)
    assert result.ci_low < 6.0 < result.ci_high


def test_refuses_when_no_group_has_both_kinds() -> None:
    result = within_tier_premium(_points([("mid", "2024-01-01", True, 5.0), ("mid", "2025-01-01", False, 1.0)]))
    assert not result.ok and "both" in result.reason


def test_per_task_premium_scales_ratio_and_interval() -> None:
    task = per_task_premium(4.0, ci=(3.0, 5.0), tokens_per_task_multiplier=8.0)
    assert (task.per_task_ratio, task.ci_low, task.ci_high) == (32.0, 24.0, 40.0)
    default = per_task_premium(2.0)
    assert default.per_task_ratio == 2.0 * DEFAULT_TOKENS_PER_TASK_MULTIPLIER
    assert default.source == TOKENS_PER_TASK_SOURCE and "epoch.ai" in default.source
    with pytest.raises(ValueError):
        per_task_premium(2.0, tokens_per_task_multiplier=0.0)


def test_trend_reports_each_period_on_its_own() -> None:
    rows = [("mid", "2024-06-01", True, 4.0), ("mid", "2024-06-01", False, 2.0)]
    rows += [("mid", "2025-06-01", True, 5.0), ("mid", "2025-06-01", False, 1.0)]
    rows += [("mid", "2026-06-01", False, 1.0)]
    trend = premium_trend(_points(rows)).set_index("period")
    assert trend.loc["2024", "ratio"] == pytest.approx(2.0)
    assert trend.loc["2025", "ratio"] == pytest.approx(5.0)
    assert not trend.loc["2026", "ok"]
