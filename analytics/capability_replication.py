"""Epoch AI's 21 published price-of-capability trends beside tokentide's, from Epoch's inputs or live data."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from tokentide.analytics.capability import CapabilityMethod, CapabilityTrend, Threshold, price_of_capability
from tokentide.analytics.columns import finite_or_none
from tokentide.analytics.frames import require_columns

EPOCH_STUDY: str = (
    "Epoch AI, 'LLM inference prices have fallen rapidly but unequally across tasks' (2025); "
    "code and data: epoch-research/llm-benchmark-efficiency"
)
# Epoch's results name the threshold model "GPT-3"; its inputs call the same rows "GPT-3 175B (davinci)".
EPOCH_THRESHOLD_NAMES: dict[str, str] = {"GPT-3": "GPT-3 175B (davinci)"}
# The models Epoch's inputs hold but its published fits leave out: its reasoning models.
EPOCH_REASONING_MODELS: frozenset[str] = frozenset({"o1", "o1-mini", "o1-preview", "o3-mini", "DeepSeek-R1"})
RESULT_COLUMNS: tuple[str, ...] = (
    "bench", "threshold_model", "performance_range", "sample_size", "start_date", "end_date",
    "price_reduction_factor_per_year", "price_reduction_factor_per_year_90_ci", "r_squared",
)  # fmt: skip


@dataclass(frozen=True)
class PublishedTrend:
    """One row of Epoch's results table."""

    benchmark: str
    threshold_model: str
    threshold_score: float
    n: int
    start_date: pd.Timestamp
    end_date: pd.Timestamp
    factor_per_year: float
    ci_low: float
    ci_high: float
    r_squared: float


@dataclass(frozen=True)
class ReplicationRow:
    """Epoch's factor and 90 % CI beside tokentide's for one benchmark and threshold model."""

    benchmark: str
    threshold_model: str
    threshold_score: float
    epoch: PublishedTrend
    trend: CapabilityTrend
    comparable: bool  # same threshold score and method, and tokentide could fit (not thin)
    note: str

    @property
    def inside_epoch_ci(self) -> bool | None:
        fit = self.trend.fit
        if fit is None:
            return None
        return self.epoch.ci_low <= fit.factor_per_year <= self.epoch.ci_high

    @property
    def same_sample(self) -> bool:
        return self.trend.n_fitted == self.epoch.n and self.trend.start_date == self.epoch.start_date

    def as_dict(self) -> dict[str, object]:
        fit = self.trend.fit
        return {
            "benchmark": self.benchmark,
            "threshold_model": self.threshold_model,
            "threshold_score": finite_or_none(self.threshold_score),
            "epoch_factor_per_year": finite_or_none(self.epoch.factor_per_year),
            "epoch_ci90": [finite_or_none(self.epoch.ci_low), finite_or_none(self.epoch.ci_high)],
            "epoch_n": self.epoch.n,
            "tokentide_factor_per_year": finite_or_none(fit.factor_per_year) if fit else None,
            "tokentide_ci90": [finite_or_none(fit.factor_ci_low), finite_or_none(fit.factor_ci_high)] if fit else None,
            "tokentide_n": self.trend.n_fitted,
            "tokentide_r_squared": finite_or_none(fit.r_squared) if fit else None,
            "comparable": self.comparable,
            "inside_epoch_ci": self.inside_epoch_ci,
            "same_sample": self.same_sample,
            "thin": self.trend.thin_reason,
            "note": self.note,
        }


@dataclass(frozen=True)
class Replication:
    label: str  # "Epoch's inputs" or "live warehouse"
    rows: tuple[ReplicationRow, ...]
    method: CapabilityMethod

    @property
    def n_inside(self) -> int:
        return sum(1 for r in self.rows if r.comparable and r.inside_epoch_ci)

    @property
    def n_comparable(self) -> int:
        return sum(1 for r in self.rows if r.comparable)

    def summary(self) -> str:
        return (
            f"{self.label}: {self.n_inside} of {len(self.rows)} factors inside Epoch's 90 % CI "
            f"({self.n_comparable} comparable)"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "study": EPOCH_STUDY,
            "method": self.method.describe(),
            "n_trends": len(self.rows),
            "n_comparable": self.n_comparable,
            "n_inside_epoch_ci": self.n_inside,
            "rows": [row.as_dict() for row in self.rows],
        }


def _pair(text: str) -> tuple[float, float]:
    low, high = json.loads(text.replace("inf", "Infinity"))
    return float(low), float(high)


def published_trends(results: pd.DataFrame) -> list[PublishedTrend]:
    """Epoch's results table (lowest_price_models_results.csv) as typed rows."""
    require_columns(results, RESULT_COLUMNS, "Epoch results")
    trends = []
    for row in results.itertuples(index=False):
        ci_low, ci_high = _pair(str(row.price_reduction_factor_per_year_90_ci))
        trends.append(
            PublishedTrend(
                benchmark=str(row.bench),
                threshold_model=str(row.threshold_model),
                threshold_score=_pair(str(row.performance_range))[0],
                n=int(row.sample_size),
                start_date=pd.Timestamp(row.start_date),
                end_date=pd.Timestamp(row.end_date),
                factor_per_year=float(row.price_reduction_factor_per_year),
                ci_low=ci_low,
                ci_high=ci_high,
                r_squared=float(row.r_squared),
            )  # fmt: skip
        )
    return trends


def _from_inputs_threshold(points: pd.DataFrame, epoch: PublishedTrend) -> tuple[Threshold, str]:
    name = EPOCH_THRESHOLD_NAMES.get(epoch.threshold_model, epoch.threshold_model)
    rows = points[(points["model"] == name) & points["score"].notna()].sort_values("date", kind="stable")
    if rows.empty:
        return Threshold(epoch.benchmark, epoch.threshold_score, epoch.threshold_model, epoch.start_date), (
            f"{name} has no {epoch.benchmark} score in the inputs: Epoch's threshold used"
        )
    first = rows.iloc[0]
    note = "" if name == epoch.threshold_model else f"threshold model is {name} in the inputs"
    return Threshold(epoch.benchmark, float(first["score"]), epoch.threshold_model, pd.Timestamp(first["date"])), note


def replicate(
    points_for: Callable[[str], pd.DataFrame],
    trends: list[PublishedTrend],
    *,
    method: CapabilityMethod | None = None,
    label: str = "Epoch's inputs",
    live: bool = False,
) -> Replication:
    """Each published trend refitted. From Epoch's inputs the threshold model's own score and release set the
    threshold; on live data (`live=True`) Epoch's published threshold score and start date are used, so the
    trend is the same capability level measured on the warehouse's models and prices."""
    method = method or CapabilityMethod()
    rows = []
    for epoch in trends:
        points = points_for(epoch.benchmark)
        if live:
            threshold = Threshold(epoch.benchmark, epoch.threshold_score, epoch.threshold_model, epoch.start_date)
            note = "live data; Epoch's threshold score and start date"
        else:
            threshold, note = _from_inputs_threshold(points, epoch)
        trend = price_of_capability(points, threshold, method)
        comparable = trend.fit is not None and math.isclose(threshold.score, epoch.threshold_score) and method.is_epoch
        if trend.thin_reason:
            note = "; ".join(filter(None, [note, trend.thin_reason]))
        rows.append(
            ReplicationRow(epoch.benchmark, epoch.threshold_model, threshold.score, epoch, trend, comparable, note)
        )
    return Replication(label, tuple(rows), method)


def replication_frame(replication: Replication) -> pd.DataFrame:
    """The side-by-side table, one row per published trend (for the page, the CLI and CSV export)."""
    records = []
    for row in replication.rows:
        fit = row.trend.fit
        records.append(
            {
                "benchmark": row.benchmark,
                "threshold_model": row.threshold_model,
                "threshold_score": row.threshold_score,
                "epoch_factor": row.epoch.factor_per_year,
                "epoch_ci_low": row.epoch.ci_low,
                "epoch_ci_high": row.epoch.ci_high,
                "epoch_n": row.epoch.n,
                "tokentide_factor": fit.factor_per_year if fit else None,
                "tokentide_ci_low": fit.factor_ci_low if fit else None,
                "tokentide_ci_high": fit.factor_ci_high if fit else None,
                "tokentide_n": row.trend.n_fitted,
                "comparable": row.comparable,
                "inside_epoch_ci": row.inside_epoch_ci,
                "note": row.note,
            }  # fmt: skip
        )
    return pd.DataFrame.from_records(records)
