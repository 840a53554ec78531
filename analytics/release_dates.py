"""Release-date checks: conflicts between sources' candidates, and how good "first seen" is as an estimate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.frames import require_columns

CONFLICT_DAYS = 30
MIN_LAG_PAIRS = 10  # fewer models with both a reference date and a first-seen date: say "too thin"
REFERENCE_BASES = ("curated table", "Epoch AI publication date")
_CANDIDATE_COLUMNS = ("canonical_model_id", "source", "rank", "basis", "release_date", "is_estimate")


def conflicts(candidates: pd.DataFrame, chosen: pd.DataFrame, days: int = CONFLICT_DAYS) -> pd.DataFrame:
    """Candidates more than `days` from the chosen date of their model: one row per disagreeing candidate,
    with both dates, both bases and the gap in days (candidate minus chosen), largest gaps first."""
    require_columns(candidates, _CANDIDATE_COLUMNS, "release-date conflicts")
    require_columns(chosen, ("canonical_model_id", "release_date", "release_date_basis"), "release-date conflicts")
    merged = candidates.merge(
        chosen.rename(columns={"release_date": "chosen_date", "release_date_basis": "chosen_basis"}),
        on="canonical_model_id",
    )
    gap = (pd.to_datetime(merged["release_date"]) - pd.to_datetime(merged["chosen_date"])).dt.days
    out = merged.assign(gap_days=gap)[gap.abs() > days]
    columns = ["canonical_model_id", "chosen_date", "chosen_basis", "release_date", "basis", "is_estimate", "gap_days"]
    return (
        out[columns]
        .rename(columns={"release_date": "other_date", "basis": "other_basis"})
        .sort_values(
            ["gap_days", "canonical_model_id"],
            key=lambda s: s.abs() if s.name == "gap_days" else s,
            ascending=[False, True],
        )  # fmt: skip
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class FirstSeenLag:
    """How far first-seen dates trail the reference (curated or Epoch) release dates of the same models."""

    ok: bool
    reason: str | None
    n: int
    median_lag_days: float | None
    share_within_14_days: float | None
    share_within_30_days: float | None
    estimator: str = (
        "per model: first-seen date minus the best reference date (curated table, else Epoch AI); median of the "
        "lags; shares of |lag| <= 14 and <= 30 days; only first-seen dates bracketed by an earlier snapshot"
    )


def first_seen_lag(candidates: pd.DataFrame, min_pairs: int = MIN_LAG_PAIRS) -> FirstSeenLag:
    """Compare each model's earliest first-seen estimate with its best reference date."""
    require_columns(candidates, _CANDIDATE_COLUMNS, "first-seen lag")
    estimates = candidates[candidates["is_estimate"].astype(bool)]
    first_seen = estimates.groupby("canonical_model_id")["release_date"].min()
    references = candidates[candidates["basis"].isin(REFERENCE_BASES)].sort_values(["rank", "release_date"])
    reference = references.groupby("canonical_model_id")["release_date"].first()
    both = pd.concat([first_seen.rename("seen"), reference.rename("ref")], axis=1, join="inner")
    n = len(both)
    if n < min_pairs:
        return FirstSeenLag(False, f"only {n} models have both a first-seen and a reference date (need {min_pairs})",
                            n, None, None, None)  # fmt: skip
    lag = (pd.to_datetime(both["seen"]) - pd.to_datetime(both["ref"])).dt.days.to_numpy(dtype=float)
    return FirstSeenLag(
        True, None, n, float(np.median(lag)), float(np.mean(np.abs(lag) <= 14)), float(np.mean(np.abs(lag) <= 30))
    )


def coverage_by_basis(chosen: pd.DataFrame) -> dict[str, int]:
    """How many models' chosen dates rest on each basis."""
    require_columns(chosen, ("release_date_basis",), "release-date coverage")
    return {str(k): int(v) for k, v in chosen["release_date_basis"].value_counts().items()}
