"""The benchmark scores in view: the same model filters as every page, and the as-of cut on release dates."""

from __future__ import annotations

import pandas as pd

from tokentide.reporting.filters import Filters, model_mask


def scope_scores(scores: pd.DataFrame, filters: Filters, tiers: pd.Series, moment: pd.Timestamp) -> pd.DataFrame:
    """Scores of the models the filters keep. A scored model takes the tier its canonical id has among the
    priced models (unknown when it has no price row), so a tier filter keeps only placed models."""
    if scores.empty:
        return scores
    frame = scores.assign(
        assigned_tier=scores["canonical_model_id"].map(tiers).to_numpy(dtype=object),
        is_open_weights=scores["is_open_weights"] if "is_open_weights" in scores else pd.NA,
    )
    released = pd.to_datetime(frame["release_date"])
    cut = pd.Timestamp(moment).tz_localize(None) if pd.Timestamp(moment).tzinfo else pd.Timestamp(moment)
    keep = model_mask(frame, filters) & (released.isna() | (released <= cut)).to_numpy(dtype=bool)
    return frame[keep].reset_index(drop=True)
