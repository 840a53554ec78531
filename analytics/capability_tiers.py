"""The capability tier rule: tiers from benchmark-score bands among models released the same year, not by price."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokentide.analytics.cohort_bands import cohort_terciles, first_reason
from tokentide.analytics.columns import period_labels
from tokentide.analytics.frames import TIERS, require_columns
from tokentide.analytics.prices import MODEL_KEY

CAPABILITY_SCORE_COLUMN: str = "capability_score"
CAPABILITY_BENCHMARK_COLUMN: str = "capability_benchmark"
COHORT: str = "year"
MIN_COHORT_SCORED: int = 3
DESCRIPTION: str = (
    "Terciles of a benchmark score among models released in the same calendar year: the lowest-scoring third "
    "is economy, the middle third mid, the highest flagship (rank r of n, from 0, ties sharing their average "
    "rank, goes to band floor(3r/n)). The benchmark is the one that scores the most models in the data (GPQA "
    "Diamond on the embedded default); a model's score is the highest any score source gives it. Price plays "
    "no part. Models without a score on that benchmark, or in a year with fewer than 3 scored models, are "
    "left unassigned and counted."
)


def coverage_benchmark(models: pd.DataFrame, scores: pd.DataFrame) -> str | None:
    """The benchmark scoring the most of the given models (ties: alphabetical)."""
    if scores.empty or models.empty:
        return None
    present = scores[scores[MODEL_KEY].isin(models[MODEL_KEY])]
    if present.empty:
        return None
    counts = present.groupby("benchmark")[MODEL_KEY].nunique()
    return str(counts.sort_index().idxmax())


def attach_capability_scores(models: pd.DataFrame, scores: pd.DataFrame, benchmark: str | None = None) -> pd.DataFrame:
    """The launch table with each model's score on the rule's benchmark (NaN = no score), for the rule to band."""
    chosen = benchmark or coverage_benchmark(models, scores)
    if chosen is None:
        return models.assign(**{CAPABILITY_SCORE_COLUMN: np.nan, CAPABILITY_BENCHMARK_COLUMN: None})
    rows = scores[scores["benchmark"] == chosen]
    best = rows.groupby(MODEL_KEY)["score"].max()
    return models.assign(
        **{CAPABILITY_SCORE_COLUMN: models[MODEL_KEY].map(best).astype(float), CAPABILITY_BENCHMARK_COLUMN: chosen}
    )


def capability_band(models: pd.DataFrame) -> pd.DataFrame:
    """(tier, reason) per row from score terciles within release-year cohorts."""
    if CAPABILITY_SCORE_COLUMN not in models.columns:  # no scores were attached: every model is unscored
        models = models.assign(**{CAPABILITY_SCORE_COLUMN: np.nan})
    require_columns(models, ("release_date", CAPABILITY_SCORE_COLUMN), "tier rule capability")
    cohort = period_labels(models["release_date"], COHORT)
    score = models[CAPABILITY_SCORE_COLUMN].astype(float)
    tier, small = cohort_terciles(score, cohort, MIN_COHORT_SCORED)
    reason = first_reason(
        models.index,
        [
            (cohort.isna().to_numpy(), "unknown release date"),
            (score.isna().to_numpy(), "no benchmark score"),
            (small.to_numpy(dtype=bool), f"year has fewer than {MIN_COHORT_SCORED} scored models"),
        ],
    )
    return pd.DataFrame({"tier": tier, "reason": reason}, index=models.index)


def coverage(models: pd.DataFrame, tiers: pd.Series) -> dict[str, object]:
    """Where scores exist: how many models the capability rule could place, and how it agrees with positioning."""
    scored = models[CAPABILITY_SCORE_COLUMN].notna() if CAPABILITY_SCORE_COLUMN in models else models[MODEL_KEY].isna()
    placed = models[MODEL_KEY].map(tiers).notna()
    both = placed & models["tier"].isin(TIERS) if "tier" in models else placed & False
    agree = (models[MODEL_KEY].map(tiers) == models["tier"]) & both if "tier" in models else both
    named = models[CAPABILITY_BENCHMARK_COLUMN].dropna() if CAPABILITY_BENCHMARK_COLUMN in models else pd.Series()
    return {
        "benchmark": str(named.iloc[0]) if len(named) else None,
        "n_models": len(models),
        "n_scored": int(scored.sum()),
        "n_placed": int((placed & scored).sum()),
        "n_with_maker_tier": int(both.sum()),
        "n_agree_with_maker_tier": int(agree.sum()),
    }
