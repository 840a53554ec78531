"""The capability tier rule: score terciles per release year, never price; unscored models are counted."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.capability_tiers import attach_capability_scores, coverage
from tokentide.analytics.tiers import TIER_RULES, assign_tiers


def launch(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """(canonical id, release date, launch price)."""
    return pd.DataFrame(
        {
            "canonical_model_id": [r[0] for r in rows],
            "release_date": pd.to_datetime([r[1] for r in rows]),
            "usd_per_mtok": [r[2] for r in rows],
            "tier": ["mid"] * len(rows),
        }
    )


MODELS = launch(
    [("a", "2024-02-01", 0.1), ("b", "2024-03-01", 0.2), ("c", "2024-04-01", 0.3), ("d", "2024-05-01", 9.0),
     ("e", "2024-06-01", 8.0), ("f", "2024-07-01", 7.0), ("unscored", "2024-08-01", 1.0),
     ("lonely-1", "2025-01-01", 1.0), ("lonely-2", "2025-02-01", 1.0)]
)  # fmt: skip
SCORES = pd.DataFrame(
    {
        "canonical_model_id": ["a", "b", "c", "d", "e", "f", "a", "lonely-1", "lonely-2", "a"],
        "benchmark": ["GPQA"] * 9 + ["MMLU"],
        # d, e, f are dear but weak; a is cheap but strong (two sources: the higher score counts)
        "score": [50.0, 40.0, 60.0, 10.0, 20.0, 30.0, 70.0, 50.0, 60.0, 99.0],
    }
)


def test_terciles_of_the_score_within_the_year_ignore_price() -> None:
    models = attach_capability_scores(MODELS, SCORES)
    assert models["capability_benchmark"].iloc[0] == "GPQA"  # scores more models than MMLU
    result = assign_tiers(models, "capability")
    tiers = result.tiers.to_dict()
    assert [tiers[m] for m in "defbca"] == ["economy", "economy", "mid", "mid", "flagship", "flagship"]
    assert tiers["unscored"] is None and tiers["lonely-1"] is None
    assert result.unassigned_reasons == {"no benchmark score": 1, "year has fewer than 3 scored models": 2}


def test_without_scores_every_model_is_unassigned_and_counted() -> None:
    result = assign_tiers(MODELS, "capability")
    assert result.n_assigned == 0 and result.unassigned_reasons == {"no benchmark score": len(MODELS)}


def test_coverage_counts_placed_models_and_agreement_with_the_maker_tier() -> None:
    models = attach_capability_scores(MODELS, SCORES)
    tiers = assign_tiers(models, "capability").tiers
    summary = coverage(models, tiers)
    assert summary == {"benchmark": "GPQA", "n_models": 9, "n_scored": 8, "n_placed": 6, "n_with_maker_tier": 6,
                       "n_agree_with_maker_tier": 2}  # fmt: skip


def test_the_rule_is_registered_beside_the_others() -> None:
    assert {"positioning", "price-band", "capability"} <= set(TIER_RULES)
    assert "Price plays no part" in TIER_RULES["capability"].description
