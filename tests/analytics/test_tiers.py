"""Tier rules on constructed cohorts, and user overrides."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tokentide.analytics.frames import TIERS
from tokentide.analytics.tiers import TIER_RULES, apply_tier_rule, assign_tiers


def _models(rows: list[tuple[str, str, float, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "canonical_model_id": [r[0] for r in rows],
            "release_date": pd.to_datetime([r[1] for r in rows]).tz_localize("UTC"),
            "usd_per_mtok": [r[2] for r in rows],
            "tier": [r[3] for r in rows],
        }
    )


def test_every_rule_is_documented_and_versioned() -> None:
    for name, rule in TIER_RULES.items():
        assert rule.name == name
        assert rule.version >= 1
        assert len(rule.description) > 40


def test_positioning_uses_the_makers_tier_and_counts_the_rest() -> None:
    models = _models(
        [("a", "2024-01-01", 1.0, "economy"), ("b", "2024-01-01", 9.0, "flagship"), ("c", "2024-01-01", 3.0, None)]
    )
    result = assign_tiers(models, "positioning")
    assert result.tiers.to_dict() == {"a": "economy", "b": "flagship", "c": None}
    assert (result.n_assigned, result.n_unassigned) == (2, 1)
    assert result.unassigned_reasons == {"no maker tier": 1}


def test_price_band_splits_a_half_year_cohort_into_terciles() -> None:
    # Six models in 2024H1 priced 1..6 (listed out of order) and their positioning says otherwise.
    prices = [4.0, 1.0, 6.0, 2.0, 5.0, 3.0]
    models = _models([(f"m{p:g}", "2024-03-01", p, "flagship") for p in prices])
    tiers = assign_tiers(models, "price-band").tiers
    assert [tiers[f"m{p:g}"] for p in range(1, 7)] == ["economy", "economy", "mid", "mid", "flagship", "flagship"]


def test_price_band_cohorts_are_half_years_and_small_cohorts_are_unassigned() -> None:
    models = _models(
        [
            ("h1-cheap", "2024-01-15", 1.0, None),
            ("h1-mid", "2024-06-30", 2.0, None),
            ("h1-dear", "2024-02-01", 3.0, None),
        ]
        + [("h2-a", "2024-07-01", 100.0, None), ("h2-b", "2024-12-31", 200.0, None)]
        + [("unpriced", "2024-03-01", math.nan, None)]
    )
    result = assign_tiers(models, "price-band")
    assert result.tiers[["h1-cheap", "h1-mid", "h1-dear"]].tolist() == list(TIERS)
    # The unpriced model does not count towards the cohort size, and the H2 pair is too small to split.
    assert result.tiers[["h2-a", "h2-b", "unpriced"]].isna().all()
    assert result.unassigned_reasons == {"cohort has fewer than 3 priced models": 2, "unknown launch price": 1}


def test_price_band_keeps_equal_prices_together() -> None:
    models = _models([(f"m{i}", "2025-02-01", 5.0, None) for i in range(3)] + [("cheap", "2025-02-01", 1.0, None)])
    tiers = assign_tiers(models, "price-band").tiers
    # Average rank of the three ties is 2 of 0..3: band floor(3 * 2 / 4) = 1 (mid) for all three.
    assert tiers["cheap"] == "economy"
    assert set(tiers.drop("cheap")) == {"mid"}


def test_overrides_win_by_canonical_or_source_model_id() -> None:
    models = _models([("a", "2024-01-01", 1.0, "economy"), ("b", "2024-01-01", 2.0, None)])
    aliases = pd.DataFrame({"model_id": ["vendor/b-0401"], "canonical_model_id": ["b"]})
    table, result = apply_tier_rule(
        models, "positioning", overrides={"a": "flagship", "vendor/b-0401": "mid", "nope": "mid"}, aliases=aliases
    )
    assert table.set_index("canonical_model_id")["assigned_tier"].to_dict() == {"a": "flagship", "b": "mid"}
    assert table["tier"].iloc[0] == "economy" and pd.isna(table["tier"].iloc[1])  # positioning kept alongside
    assert result.n_overridden == 2
    assert result.unmatched_overrides == ("nope",)
    assert result.n_unassigned == 0


def test_overrides_must_name_a_known_tier() -> None:
    models = _models([("a", "2024-01-01", 1.0, "economy")])
    with pytest.raises(ValueError, match="tier overrides"):
        assign_tiers(models, overrides={"a": "premium"})


def test_unknown_rule_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown tier rule"):
        assign_tiers(_models([("a", "2024-01-01", 1.0, None)]), "vibes")
