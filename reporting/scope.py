"""The data in view for one filter state: as-of cut, tiers assigned, filters applied, launch points traced."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import pandas as pd

from tokentide.analytics.capability_tiers import attach_capability_scores
from tokentide.analytics.curves import launch_prices
from tokentide.analytics.prices import MODEL_KEY, known_at, price_usd_per_mtok
from tokentide.analytics.tier_model import TierModel, learn_tiers
from tokentide.analytics.tiers import TIER_COLUMN, TierAssignment, apply_tier_rule, get_tier_rule
from tokentide.reporting.change_log import scope_changes, scope_discrepancies
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.filters import Filters, model_mask, provider_mask
from tokentide.reporting.scope_scores import scope_scores

T = TypeVar("T")
MEMO_ENTRIES: int = 48  # analyses kept per filter state (options such as a break date vary freely)
TRACE_COLUMNS: tuple[str, ...] = ("source", "source_url", "captured_at", "sha256", "snapshot_id", "interval_id")
PROVENANCE_COLUMNS: tuple[str, ...] = (*TRACE_COLUMNS, "valid_from", "valid_to")


def end_of_day(day: date) -> pd.Timestamp:
    return pd.Timestamp(day, tz="UTC") + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


@dataclass(frozen=True)
class Scope:
    """Filtered, as-of-cut frames shared by every page and chart; treat them as read-only."""

    filters: Filters
    intervals: pd.DataFrame  # price intervals of the models and providers in view, with assigned_tier
    launch: pd.DataFrame  # one row per model in view: launch price, assigned_tier and provenance
    assignment: TierAssignment
    moment: pd.Timestamp  # the as-of moment: the as-of date's end, or the latest data
    data_as_of: pd.Timestamp | None
    n_models_total: int
    pairs: pd.DataFrame  # curated reasoning pairs (ids as in reasoning_pairs.csv)
    version: str  # warehouse data version the scope was built from
    changes: pd.DataFrame  # the price-change log of the models and providers in view, traced to intervals
    discrepancies: pd.DataFrame  # current prices two sources state apart, in view
    market: pd.DataFrame | None = None  # every model's launch row before the filters (what tier rules see)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)  # benchmark scores of the models in view
    _memo: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)
    _computing: dict[tuple[Any, ...], threading.Lock] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """Compute an analysis once per filter state and options (bounded, least recently used out).

        Sessions share a scope; a second caller of a key being computed waits for the first (the warm-up
        run and the first visitor would otherwise both compute it)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]
            value = compute()
            with self._lock:
                self._memo[key] = value
                self._computing.pop(key, None)
                while len(self._memo) > MEMO_ENTRIES:
                    self._memo.popitem(last=False)
        return value

    @property
    def tier_model(self) -> TierModel | None:
        """The learned tier rule fitted on the whole market, whichever rule is chosen (fitted once, on demand)."""
        market = self.market
        if market is None:
            return None
        return self.memo(("tier_model",), lambda: learn_tiers(market))

    @property
    def rule_label(self) -> str:
        return get_tier_rule(self.assignment.rule).label

    @property
    def sources(self) -> list[str]:
        return sorted(self.intervals["source"].dropna().unique().tolist())

    @property
    def is_empty(self) -> bool:
        return self.intervals.empty

    def current(self) -> pd.DataFrame:
        """Intervals in force at the as-of moment (open, as they stood then)."""
        return self.intervals[self.intervals["valid_to"].isna().to_numpy()]


def _moment(filters: Filters, dataset: Dataset) -> pd.Timestamp:
    if filters.as_of:
        return end_of_day(filters.as_of)
    latest = dataset.intervals["valid_from"].max() if not dataset.is_empty else pd.NaT
    stamps = [s for s in (dataset.data_as_of, latest) if s is not None and not pd.isna(s)]
    return max(stamps) if stamps else pd.Timestamp.now(tz="UTC")


def attach_provenance(launch: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """For each launch point, the interval its price came from: the chosen provider's row in force at
    launch, else the maker's own, else the curated table's, else the earliest."""
    columns = [MODEL_KEY, "provider", "is_first_party", *PROVENANCE_COLUMNS]
    rows = intervals[columns].merge(launch[[MODEL_KEY, "launch_at", "price_provider"]], on=MODEL_KEY)
    in_force = (rows["valid_from"] <= rows["launch_at"]) & (
        rows["valid_to"].isna() | (rows["valid_to"] > rows["launch_at"])
    )
    rows = rows[in_force.to_numpy(dtype=bool)]
    rows = rows.assign(
        _p0=(rows["provider"] != rows["price_provider"]).to_numpy(dtype=int),
        _p1=(~rows["is_first_party"].astype("boolean").fillna(False)).to_numpy(dtype=int),
        _p2=(rows["source"] != "milestones").to_numpy(dtype=int),
    )
    best = rows.sort_values([MODEL_KEY, "_p0", "_p1", "_p2", "interval_id"]).drop_duplicates(MODEL_KEY)
    best = best.set_index(MODEL_KEY)[list(PROVENANCE_COLUMNS)]
    out = launch.drop(columns=[c for c in PROVENANCE_COLUMNS if c in launch.columns]).join(best, on=MODEL_KEY)
    return out


def build_scope(dataset: Dataset, filters: Filters) -> Scope:
    """Cut at as-of, place every model in a tier (before filtering, so a tier never depends on the
    other filters), then keep the providers and models the filters ask for."""
    moment = _moment(filters, dataset)
    base = known_at(dataset.intervals, moment) if filters.as_of else dataset.intervals
    everything = attach_capability_scores(launch_prices(base, weights=filters.weights, provider=filters.pick),
                                          dataset.scores)  # fmt: skip
    everything, assignment = apply_tier_rule(
        everything, filters.tier_rule, overrides=dataset.tier_overrides or None, aliases=base
    )
    tiers = everything.set_index(MODEL_KEY)[TIER_COLUMN]
    rows = base.assign(**{TIER_COLUMN: base[MODEL_KEY].map(tiers).to_numpy(dtype=object)})
    rows = rows[provider_mask(rows, filters) & model_mask(rows, filters)]
    if rows.empty:
        launch = everything.iloc[0:0].assign(**{c: pd.Series(dtype=object) for c in PROVENANCE_COLUMNS})
    elif not filters.providers:  # a model's launch price depends only on its own rows: reuse the full table
        kept = everything[MODEL_KEY].isin(rows[MODEL_KEY].unique()).to_numpy(dtype=bool)
        launch = everything[kept & model_mask(everything, filters)]
        launch = attach_provenance(launch.reset_index(drop=True), rows)
    else:  # another provider's price is another launch price
        launch = launch_prices(rows, weights=filters.weights, provider=filters.pick)
        launch[TIER_COLUMN] = launch[MODEL_KEY].map(tiers).to_numpy(dtype=object)
        launch = launch[model_mask(launch, filters)]
        launch = attach_provenance(launch.reset_index(drop=True), rows)
    return Scope(
        filters=filters,
        intervals=rows.reset_index(drop=True),
        launch=launch.reset_index(drop=True),
        assignment=assignment,
        moment=moment,
        data_as_of=dataset.data_as_of,
        n_models_total=int(dataset.intervals[MODEL_KEY].nunique()),
        pairs=dataset.pairs,
        version=dataset.version,
        changes=scope_changes(dataset.changes, rows, moment),
        discrepancies=scope_discrepancies(dataset.discrepancies, rows),
        market=everything,
        scores=scope_scores(dataset.scores, filters, tiers, moment),
    )


def blended(frame: pd.DataFrame, filters: Filters) -> pd.Series:
    """The blended price of each interval row on the filter's weights (NaN when a needed side is unknown)."""
    return price_usd_per_mtok(frame, "blended", filters.weights)
