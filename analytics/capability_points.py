"""Candidate points for the price of capability: scores joined to a price, from Epoch's table or the warehouse."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokentide.analytics.frames import require_columns

PRICE_BASES: tuple[str, ...] = ("listed", "warehouse")
BLEND_INPUT_WEIGHT: float = 3.0  # Epoch's and Artificial Analysis's 3:1 input:output blend
BLEND_OUTPUT_WEIGHT: float = 1.0
PROVENANCE: tuple[str, ...] = ("source", "source_url", "captured_at", "sha256", "snapshot_id")
# The scores frame (warehouse/scores.py scores_frame) as the analytics need it.
SCORE_COLUMNS: tuple[str, ...] = (
    "canonical_model_id", "model_name", "model_id", "benchmark", "score", "release_date", "usd_per_mtok_blended",
    "is_reasoning", *PROVENANCE,
)  # fmt: skip

INTERVAL_COLUMNS: tuple[str, ...] = (
    "canonical_model_id", "model_name", "valid_from", "usd_per_mtok_input", "usd_per_mtok_output", "release_date",
    "is_reasoning", *PROVENANCE,
)  # fmt: skip


def blended_usd_per_mtok(usd_per_mtok_input: pd.Series, usd_per_mtok_output: pd.Series) -> pd.Series:
    """The 3:1 input:output blend Epoch and Artificial Analysis quote (unknown stays unknown)."""
    total = BLEND_INPUT_WEIGHT + BLEND_OUTPUT_WEIGHT
    return (BLEND_INPUT_WEIGHT * usd_per_mtok_input + BLEND_OUTPUT_WEIGHT * usd_per_mtok_output) / total


def points_from_wide(
    frame: pd.DataFrame, benchmark: str, reasoning_models: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Epoch's wide input table (Model Name, Release Date, USD per 1M Tokens, one column per benchmark) as points."""
    require_columns(frame, ("Model Name", "Release Date", "USD per 1M Tokens", benchmark), "Epoch inputs")
    return pd.DataFrame(
        {
            "model": frame["Model Name"].astype(str),
            "date": pd.to_datetime(frame["Release Date"]),
            "usd_per_mtok_blended": pd.to_numeric(frame["USD per 1M Tokens"], errors="coerce"),
            "score": pd.to_numeric(frame[benchmark], errors="coerce"),
            "is_reasoning": frame["Model Name"].isin(reasoning_models),
        }
    )


def points_listed(scores: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    """Each score row with the price its source lists beside it (Epoch's basis: one price per row)."""
    require_columns(scores, SCORE_COLUMNS, "benchmark scores")
    rows = scores[(scores["benchmark"] == benchmark) & scores["usd_per_mtok_blended"].notna()]
    return pd.DataFrame(
        {
            "model": rows["model_name"].fillna(rows["model_id"]).astype(str),
            "canonical_model_id": rows["canonical_model_id"],
            "date": pd.to_datetime(rows["release_date"]),
            "usd_per_mtok_blended": rows["usd_per_mtok_blended"].astype(float),
            "score": rows["score"].astype(float),
            "is_reasoning": rows["is_reasoning"],
            **{column: rows[column] for column in PROVENANCE},
        }
    ).reset_index(drop=True)


def _best_scores(scores: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    """One score per canonical model: the highest any source gives it (versions share a canonical id)."""
    rows = scores[scores["benchmark"] == benchmark]
    if rows.empty:
        return rows.assign(first_release=pd.Series(dtype="datetime64[ns]"))
    best = rows.sort_values("score", ascending=False, kind="stable").drop_duplicates("canonical_model_id")
    first = pd.to_datetime(rows["release_date"]).groupby(rows["canonical_model_id"]).min().rename("first_release")
    return best.join(first, on="canonical_model_id")


def points_warehouse(scores: pd.DataFrame, intervals: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    """Each price interval of a scored model as a point: the 3:1 blend from the date it took effect (never
    before the model's release), traced to the interval's raw snapshot."""
    require_columns(scores, SCORE_COLUMNS, "benchmark scores")
    require_columns(intervals, INTERVAL_COLUMNS, "price intervals")
    best = _best_scores(scores, benchmark)
    priced = intervals[intervals["canonical_model_id"].isin(best["canonical_model_id"])]
    blended = blended_usd_per_mtok(
        priced["usd_per_mtok_input"].astype(float), priced["usd_per_mtok_output"].astype(float)
    )
    priced = priced.assign(usd_per_mtok_blended=blended)[blended > 0]
    joined = priced.merge(best[["canonical_model_id", "score", "first_release", "model_name", "is_reasoning"]],
                          on="canonical_model_id", suffixes=("", "_score"))  # fmt: skip
    valid_from = pd.to_datetime(joined["valid_from"], utc=True).dt.tz_localize(None)
    released = pd.to_datetime(joined["release_date"]).fillna(joined["first_release"])
    date = valid_from.where(released.isna() | (valid_from >= released), released)
    reasoning = joined["is_reasoning"].astype("boolean").fillna(joined["is_reasoning_score"].astype("boolean"))
    return (
        pd.DataFrame(
            {
                "model": joined["model_name_score"].fillna(joined["model_name"]).fillna(joined["canonical_model_id"]),
                "canonical_model_id": joined["canonical_model_id"],
                "date": date.dt.normalize(),
                "usd_per_mtok_blended": joined["usd_per_mtok_blended"].astype(float),
                "score": joined["score"].astype(float),
                "is_reasoning": reasoning,
                **{column: joined[column] for column in PROVENANCE},
            }
        )
        .sort_values(["date", "usd_per_mtok_blended"], kind="stable")
        .reset_index(drop=True)
    )


def capability_points(
    scores: pd.DataFrame, benchmark: str, basis: str = "listed", intervals: pd.DataFrame | None = None
) -> pd.DataFrame:
    if basis not in PRICE_BASES:
        raise ValueError(f"price basis must be one of {PRICE_BASES}, not {basis!r}")
    if basis == "listed":
        return points_listed(scores, benchmark)
    if intervals is None:
        raise ValueError("the warehouse price basis needs the price intervals")
    return points_warehouse(scores, intervals, benchmark)


def benchmarks_in(scores: pd.DataFrame) -> list[str]:
    """Benchmarks with at least one score, the most-scored first."""
    if scores.empty:
        return []
    counts = scores.groupby("benchmark")["canonical_model_id"].nunique().sort_values(ascending=False, kind="stable")
    return [str(name) for name in counts.index]


def score_bands(scores: pd.Series, edges: tuple[float, ...]) -> pd.Series:
    """Band index 0..len(edges) of each score (NaN stays NaN): below the first edge is band 0."""
    values = scores.astype(float).to_numpy()
    bands = np.searchsorted(np.asarray(edges, dtype=float), values, side="right").astype(float)
    bands[np.isnan(values)] = np.nan
    return pd.Series(bands, index=scores.index)
