"""Today's prices, one row per model: providers, regions and sources folded, superseded generations flagged."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tokentide.analytics.columns import true_mask
from tokentide.analytics.prices import MODEL_KEY, price_usd_per_mtok
from tokentide.analytics.tiers import TIER_COLUMN
from tokentide.reporting.scope import TRACE_COLUMNS, Scope

PRICE_SIDES: dict[str, str] = {
    "usd_per_mtok_input": "input",
    "usd_per_mtok_output": "output",
    "usd_per_mtok_cache_read": "cached input",
}
ROW_COLUMNS: tuple[str, ...] = (
    "model_name", "blended_usd_per_mtok", "usd_per_mtok_input", "usd_per_mtok_output", "usd_per_mtok_cache_read",
    TIER_COLUMN, "author", "release_date", "status", "superseded_by", "n_offers", "n_providers", "n_sources",
    "blended_low_usd_per_mtok", "blended_high_usd_per_mtok", "price_state", "price_provider",
    MODEL_KEY, "model_id", "author_country", "is_reasoning", "valid_from", *TRACE_COLUMNS,
)  # fmt: skip
ALIAS_PATTERN = re.compile(r"(^|[-/_.])latest$|-(19|20)\d\d-?[01]\d-?[0-3]\d$|-\d{4}$|-[01]\d-20\d\d$")
CURRENT, SUPERSEDED, UNDATED = "current", "superseded", "release date unknown"


def is_alias(model_id: object) -> bool:
    """A moving alias (`gemini-flash-latest`) or a dated snapshot (`gpt-4o-2024-08-06`, `...-0731`) of a model."""
    return bool(ALIAS_PATTERN.search(str(model_id).lower()))


def _pick(rows: pd.DataFrame, how: str) -> pd.DataFrame:
    """One interval per model: the maker's own (curated source first), else the median or cheapest."""
    known = rows.assign(
        _fp=true_mask(rows["is_first_party"]).astype(int),
        _known=rows["blended_usd_per_mtok"].notna().astype(int),
        _curated=(rows["source"] == "milestones").astype(int),
        _alias=rows["model_id"].map(is_alias).astype(int),
    )
    if how == "cheapest":
        order, ascending = ["_known", "blended_usd_per_mtok", "_alias"], [False, True, True]
    else:
        median = known.groupby(MODEL_KEY)["blended_usd_per_mtok"].transform("median")
        known = known.assign(_gap=(known["blended_usd_per_mtok"] - median).abs())
        first = ["_fp"] if how == "first-party" else []
        order = ["_known", *first, "_gap", "_curated", "_alias", "interval_id"]
        ascending = [False] * (1 + len(first)) + [True, False, True, True]
    ordered = known.sort_values([MODEL_KEY, *order], ascending=[True, *ascending], kind="stable")
    return ordered.drop_duplicates(MODEL_KEY).drop(columns=[c for c in ordered if c.startswith("_")])


def successors(launch: pd.DataFrame) -> dict[str, str]:
    """canonical id -> the display name of the newest release by the same maker in the same tier and with
    the same open-weights status (its successor), for every older model. Undated models are never judged."""
    cols = [MODEL_KEY, "model_name", "author", TIER_COLUMN, "release_date", "is_open_weights"]
    frame = launch.reindex(columns=cols).dropna(subset=["author", TIER_COLUMN, "release_date"])
    frame = frame.assign(_o=frame["is_open_weights"].astype("boolean").fillna(False))
    frame = frame.sort_values("release_date", kind="stable")
    successor: dict[str, str] = {}
    for _, group in frame.groupby(["author", TIER_COLUMN, "_o"], sort=False):
        newest = group.iloc[-1]
        for row in group.itertuples():
            if row.release_date < newest["release_date"]:
                successor[str(getattr(row, MODEL_KEY))] = str(newest["model_name"])
    return successor


def model_rows(scope: Scope) -> pd.DataFrame:
    """Current prices at the scope's moment, one row per canonical model (memoised)."""
    return scope.memo(("model_rows",), lambda: _model_rows(scope))


def _model_rows(scope: Scope) -> pd.DataFrame:
    current = scope.current()
    if current.empty:
        return pd.DataFrame(columns=list(ROW_COLUMNS))
    rows = current.assign(blended_usd_per_mtok=price_usd_per_mtok(current, "blended", scope.filters.weights))
    chosen = _pick(rows, scope.filters.pick).set_index(MODEL_KEY)
    grouped = rows.groupby(MODEL_KEY)
    chosen["n_offers"] = grouped.size()  # every provider, region and source row folded into this one
    chosen["n_providers"] = grouped["provider"].nunique()
    chosen["n_sources"] = grouped["source"].nunique()
    chosen["blended_low_usd_per_mtok"] = grouped["blended_usd_per_mtok"].min()
    chosen["blended_high_usd_per_mtok"] = grouped["blended_usd_per_mtok"].max()
    chosen["price_provider"] = chosen["provider"]
    launch = scope.launch.set_index(MODEL_KEY)
    chosen[TIER_COLUMN] = launch[TIER_COLUMN].reindex(chosen.index)
    out = chosen.reset_index()
    out["superseded_by"] = out[MODEL_KEY].map(successors(scope.launch))
    dated = out["release_date"].notna().to_numpy()
    out["status"] = np.where(out["superseded_by"].notna(), SUPERSEDED, np.where(dated, CURRENT, UNDATED))
    order = out.sort_values(["blended_usd_per_mtok", "model_name"], ascending=[False, True], na_position="last")
    return order.reindex(columns=list(ROW_COLUMNS)).reset_index(drop=True)


def visible_rows(rows: pd.DataFrame, *, include_superseded: bool, query: str = "") -> pd.DataFrame:
    """The rows to list: current models only unless asked, narrowed to names or ids containing `query`."""
    keep = np.ones(len(rows), dtype=bool)
    if not include_superseded:
        keep &= (rows["status"] != SUPERSEDED).to_numpy(dtype=bool)
    if query:
        hay = rows["model_name"].fillna("") + " " + rows["model_id"].fillna("") + " " + rows[MODEL_KEY].fillna("")
        keep &= hay.str.lower().str.contains(query.lower(), regex=False).to_numpy(dtype=bool)
    return rows[keep].reset_index(drop=True)


def provider_rows(scope: Scope, canonical_model_id: str) -> pd.DataFrame:
    """The drill-down: every provider, region and source row folded into one model's row."""
    current = scope.current()
    rows = current[(current[MODEL_KEY] == canonical_model_id).to_numpy(dtype=bool)]
    rows = rows.assign(blended_usd_per_mtok=price_usd_per_mtok(rows, "blended", scope.filters.weights))
    columns = ["provider", "source_provider", "model_id", "blended_usd_per_mtok", *PRICE_SIDES, "price_state",
               "valid_from", *TRACE_COLUMNS]  # fmt: skip
    return rows[columns].sort_values(["blended_usd_per_mtok", "provider"], na_position="last").reset_index(drop=True)


def display_names(scope: Scope) -> dict[str, str]:
    """canonical id -> 'Claude Sonnet 4.6 (anthropic)', for every model picker (names are unique)."""

    def compute() -> dict[str, str]:
        models = scope.intervals.drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)
        names = models["model_name"].fillna(pd.Series(models.index, index=models.index)).astype(str)
        labels = names + " (" + models["author"].fillna("maker unknown").astype(str) + ")"
        repeated = labels.duplicated(keep=False)
        labels[repeated] = labels[repeated] + " · " + labels.index[repeated]
        return labels.sort_values(key=lambda s: s.str.lower()).to_dict()

    return scope.memo(("display_names",), compute)
