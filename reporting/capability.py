"""Price of capability for a scope: thresholds, trends, the report section and Epoch's replication (no UI)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from tokentide.analytics.alias_suggest import suggest_aliases
from tokentide.analytics.capability import (
    CapabilityMethod,
    CapabilityTrend,
    Threshold,
    TrendFit,
    price_of_capability,
)
from tokentide.analytics.capability_points import benchmarks_in, capability_points, points_from_wide
from tokentide.analytics.capability_replication import (
    EPOCH_REASONING_MODELS,
    EPOCH_THRESHOLD_NAMES,
    PublishedTrend,
    Replication,
    published_trends,
    replicate,
)
from tokentide.collectors import artificial_analysis, epoch_benchmarks
from tokentide.reporting.scope import Scope
from tokentide.warehouse.naming import reference_rows

# Reference models whose score sets a named threshold where Epoch published none (canonical ids).
REFERENCE_MODELS: tuple[str, ...] = ("gpt-4", "gpt-4-1106-preview", "gpt-4o", "claude-3-5-sonnet", "gpt-4o-mini")
ATTRIBUTIONS: dict[str, str] = {
    epoch_benchmarks.SOURCE: epoch_benchmarks.ATTRIBUTION,
    artificial_analysis.SOURCE: artificial_analysis.ATTRIBUTION,
}


@dataclass(frozen=True)
class CapabilityRequest:
    """What the page, the chart and the report ask for; `threshold` is a model name or a score ('score:50')."""

    benchmark: str = ""
    threshold: str = ""
    basis: str = "listed"
    method: CapabilityMethod = CapabilityMethod()


@lru_cache(maxsize=1)
def epoch_trends() -> tuple[PublishedTrend, ...]:
    """Epoch's 21 published trends, shipped in warehouse/reference/epoch_price_trends.csv."""
    return tuple(published_trends(pd.DataFrame(reference_rows("epoch_price_trends.csv"))))


@lru_cache(maxsize=1)
def epoch_inputs() -> pd.DataFrame:
    """Epoch's input table as shipped (warehouse/reference/benchmark_scores.csv)."""
    return pd.DataFrame(reference_rows("benchmark_scores.csv"))


def attribution(scores: pd.DataFrame) -> str:
    sources = sorted(set(scores["source"].dropna())) if len(scores) else []
    return "; ".join(ATTRIBUTIONS.get(s, s) for s in sources) or "no benchmark scores in view"


def thresholds_for(scores: pd.DataFrame, benchmark: str) -> list[str]:
    """Named thresholds offered for a benchmark: Epoch's threshold models, then common reference models."""
    rows = scores[scores["benchmark"] == benchmark]
    names = rows["model_name"].fillna(rows["model_id"]).astype(str)
    offered = [t.threshold_model for t in epoch_trends() if t.benchmark == benchmark]
    offered = [_input_name(n) for n in offered if _input_name(n) in set(names)]
    for canonical in REFERENCE_MODELS:
        hits = rows[rows["canonical_model_id"] == canonical].sort_values("release_date", kind="stable")
        if len(hits):
            offered.append(str(hits["model_name"].fillna(hits["model_id"]).iloc[0]))
    return list(dict.fromkeys(offered))


def threshold_choices(scores: pd.DataFrame, benchmark: str, current: str = "") -> list[str]:
    """Every threshold a user can pick: the named ones first, then every scored model by release date, then a
    score threshold ('score:50') when one is asked for."""
    rows = scores[scores["benchmark"] == benchmark].sort_values("release_date", kind="stable")
    names = rows["model_name"].fillna(rows["model_id"]).astype(str).tolist()
    extra = [current] if current.strip().startswith("score:") else []
    return list(dict.fromkeys([*thresholds_for(scores, benchmark), *names, *extra]))


def ci_text(fit: TrendFit) -> str:
    """'90% CI 4.40×–401×' (the interval's own level; Epoch publishes 90 % intervals)."""
    level = round(fit.ci_level * 100)
    return f"{level}% CI {fit.factor_ci_low:,.3g}×–{fit.factor_ci_high:,.3g}×"


@dataclass(frozen=True)
class ScoreMatch:
    """How scored models meet priced ones: counts, and the alias suggester's proposals for the rest (for review)."""

    n_scored: int
    n_matched: int
    suggestions: pd.DataFrame  # analytics.alias_suggest columns; `proposed` marks the ones worth reviewing


def score_match(scores: pd.DataFrame, intervals: pd.DataFrame) -> ScoreMatch:
    """Scored canonical ids with a price interval, and for those without, the nearest priced ids by the alias
    suggester (TF-IDF; nothing is merged: accepted ones go into warehouse/reference/benchmark_aliases.csv)."""
    priced = sorted(set(intervals["canonical_model_id"].dropna())) if len(intervals) else []
    scored = sorted(set(scores["canonical_model_id"].dropna())) if len(scores) else []
    unmatched = [model for model in scored if model not in set(priced)]
    return ScoreMatch(len(scored), len(scored) - len(unmatched), suggest_aliases(unmatched, priced))


def _input_name(threshold_model: str) -> str:
    return EPOCH_THRESHOLD_NAMES.get(threshold_model, threshold_model)


def resolve_threshold(points: pd.DataFrame, benchmark: str, spec: str) -> Threshold | None:
    """'score:50' or '50' -> a score threshold; a model name -> that model's first score and release."""
    text = spec.strip()
    number = text.removeprefix("score:").strip()
    try:
        value = float(number)
    except ValueError:
        value = math.nan
    if math.isfinite(value):
        return Threshold(benchmark, value)
    rows = points[(points["model"] == text) & points["score"].notna()].sort_values("date", kind="stable")
    if rows.empty:
        return None
    first = rows.iloc[0]
    return Threshold(benchmark, float(first["score"]), text, pd.Timestamp(first["date"]))


def default_request(scope: Scope, request: CapabilityRequest) -> CapabilityRequest:
    """Fill in a benchmark (the most-scored) and a threshold (the first offered) where the request has none."""
    benchmarks = benchmarks_in(scope.scores)
    benchmark = request.benchmark if request.benchmark in benchmarks else (benchmarks[0] if benchmarks else "")
    threshold = request.threshold
    if not threshold:
        offered = thresholds_for(scope.scores, benchmark) if benchmark else []
        threshold = offered[0] if offered else ""
    return CapabilityRequest(benchmark, threshold, request.basis, request.method)


def points(scope: Scope, benchmark: str, basis: str) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        return capability_points(scope.scores, benchmark, basis, scope.intervals)

    return scope.memo(("capability-points", benchmark, basis), compute)


def trend(scope: Scope, request: CapabilityRequest) -> CapabilityTrend | None:
    """The price of capability for the request (None when the benchmark or threshold is not in view)."""
    request = default_request(scope, request)
    if not request.benchmark or scope.scores.empty:
        return None

    def compute() -> CapabilityTrend | None:
        frame = points(scope, request.benchmark, request.basis)
        threshold = resolve_threshold(frame, request.benchmark, request.threshold) if request.threshold else None
        if threshold is None:
            return None
        return price_of_capability(frame, threshold, request.method)

    return scope.memo(("capability", request), compute)


def _epoch_points(benchmark: str) -> pd.DataFrame:
    return points_from_wide(epoch_inputs(), benchmark, EPOCH_REASONING_MODELS)


def replication_from_inputs(method: CapabilityMethod | None = None) -> Replication:
    """Epoch's 21 trends recomputed from Epoch's own inputs (the shipped table)."""
    return replicate(_epoch_points, list(epoch_trends()), method=method)


def replication_live(scope: Scope, basis: str = "warehouse", method: CapabilityMethod | None = None) -> Replication:
    """The same 21 capability levels on the scores and prices in view."""

    def compute() -> Replication:
        return replicate(
            lambda benchmark: points(scope, benchmark, basis), list(epoch_trends()), method=method,
            label=f"live warehouse ({basis} prices)", live=True,
        )  # fmt: skip

    return scope.memo(("capability-replication", basis, method), compute)
