"""US versus China median price gap with Mann-Whitney U, on planted groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tokentide.analytics.country import country_gap, country_gap_by_group


def _points(rows: list[tuple[str | None, float, str]]) -> pd.DataFrame:
    """Rows of (author_country, price, tier); all released mid-2025."""
    return pd.DataFrame(
        {
            "author_country": [r[0] for r in rows],
            "usd_per_mtok": [r[1] for r in rows],
            "assigned_tier": [r[2] for r in rows],
            "release_date": pd.Timestamp("2025-06-01", tz="UTC"),
        }
    )


def test_ratio_of_medians_and_exact_test_on_separated_groups() -> None:
    gap = country_gap(_points([("US", p, "mid") for p in (5.0, 10.0, 20.0)] + [("CN", p, "mid") for p in (0.5, 1, 2)]))
    assert gap.ok
    assert gap.ratio == pytest.approx(10.0)
    assert (gap.n_numerator, gap.n_denominator) == (3, 3)
    # Complete separation of 3 vs 3: the exact two-sided p is 2 / C(6, 3) = 0.1.
    assert gap.p == pytest.approx(0.1)


def test_same_distribution_is_not_significant_and_large_gap_is() -> None:
    rng = np.random.default_rng(0)
    same = [("US", p, "mid") for p in np.exp(rng.normal(0, 1, 40))] + [
        ("CN", p, "mid") for p in np.exp(rng.normal(0, 1, 40))
    ]
    assert country_gap(_points(same)).p > 0.05
    apart = [("US", p * 50, "mid") for p in np.exp(rng.normal(0, 1, 40))]
    apart += [("CN", p, "mid") for p in np.exp(rng.normal(0, 1, 40))]
    result = country_gap(_points(apart))
    assert result.p < 0.001 and result.ratio == pytest.approx(50.0, rel=0.5)


def test_free_and_unknown_prices_are_left_out_and_counted() -> None:
    rows = [("US", 4.0, "mid"), ("US", 8.0, "mid"), ("CN", 2.0, "mid"), ("CN", 0.0, "mid"), ("CN", np.nan, "mid")]
    rows += [("FR", 100.0, "mid"), (None, 100.0, "mid")]  # neither group
    gap = country_gap(_points(rows))
    assert gap.ratio == pytest.approx(3.0)  # 6 / 2; with the free model as a price it would be 6 / 1
    assert (gap.n_excluded_free, gap.n_excluded_unknown, gap.n_denominator) == (1, 1, 1)


def test_refuses_when_a_group_is_empty() -> None:
    gap = country_gap(_points([("US", 4.0, "mid"), ("CN", 0.0, "mid")]))
    assert not gap.ok and "CN" in gap.reason


def test_by_group_gives_one_row_per_tier_and_period() -> None:
    rows = [("US", 9.0, "mid"), ("CN", 3.0, "mid"), ("US", 1.0, "economy")]
    table = country_gap_by_group(_points(rows)).set_index("tier")
    assert table.loc["mid", "ratio"] == pytest.approx(3.0)
    assert not table.loc["economy", "ok"] and "CN" in table.loc["economy", "reason"]
    assert set(table["period"]) == {"2025"}
