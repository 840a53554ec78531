"""The price of capability as strict JSON (`report --json`) and Epoch's replication as text or JSON."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from tokentide.analytics.capability import CapabilityMethod, CapabilityTrend
from tokentide.analytics.capability_points import benchmarks_in
from tokentide.analytics.capability_replication import EPOCH_STUDY, Replication
from tokentide.analytics.columns import finite_or_none
from tokentide.reporting.capability import (
    CapabilityRequest,
    attribution,
    replication_from_inputs,
    replication_live,
    thresholds_for,
    trend,
)
from tokentide.reporting.scope import Scope

LOW_COLUMNS: tuple[str, ...] = ("model", "date", "usd_per_mtok_blended", "score", "source", "source_url", "sha256")


def _finite(value: object) -> float | None:
    if isinstance(value, bool):  # a flag is not a number here
        return None
    return finite_or_none(value)  # type: ignore[arg-type]


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def new_lows_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for record in frame.to_dict("records"):
        row: dict[str, Any] = {}
        for column in LOW_COLUMNS:
            value = record.get(column)
            row[column] = _finite(value) if column in ("usd_per_mtok_blended", "score") else _text(value)
        rows.append(row)
    return rows


def trend_json(result: CapabilityTrend) -> dict[str, Any]:
    fit = result.fit
    return {
        "benchmark": result.threshold.benchmark,
        "threshold": result.threshold.label,
        "threshold_model": result.threshold.model,
        "threshold_score": _finite(result.threshold.score),
        "n_qualifying": len(result.qualifying),
        "n": result.n_fitted,
        "factor_per_year": _finite(fit.factor_per_year) if fit else None,
        "ci90_low": _finite(fit.factor_ci_low) if fit else None,
        "ci90_high": _finite(fit.factor_ci_high) if fit else None,
        "ci_level": result.method.ci_level,
        "r_squared": _finite(fit.r_squared) if fit else None,
        "estimator": fit.estimator if fit else None,
        "thin": result.thin_reason,
        "start_date": _text(result.start_date),
        "end_date": _text(result.end_date),
        "new_lows": new_lows_json(result.new_lows),
    }


def capability_json(scope: Scope, basis: str = "listed", method: CapabilityMethod | None = None) -> dict[str, Any]:
    """Per benchmark and offered threshold in view: factor per year, CI, n and the models that set each low."""
    method = method or CapabilityMethod()
    trends = []
    for benchmark in benchmarks_in(scope.scores):
        for threshold in thresholds_for(scope.scores, benchmark):
            result = trend(scope, CapabilityRequest(benchmark, threshold, basis, method))
            if result is not None:
                trends.append(trend_json(result))
    return {
        "method": method.describe(),
        "price_basis": basis,
        "attribution": attribution(scope.scores),
        "n_scores": len(scope.scores),
        "trends": trends,
    }


def epoch_replication_json(scope: Scope) -> dict[str, Any]:
    tables = [replication_from_inputs(), replication_live(scope)]
    return {"study": EPOCH_STUDY, "tables": [table.as_dict() for table in tables]}


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def render_epoch_replication(tables: list[Replication]) -> str:
    lines = []
    for table in tables:
        lines += [f"Epoch AI price of capability — {table.summary()}", f"method: {table.method.describe()}"]
        head = ["benchmark", "threshold", "Epoch factor/yr", "Epoch 90% CI", "tokentide", "tokentide 90% CI", "n",
                "comparable", "inside"]  # fmt: skip
        lines += [" | ".join(head), " | ".join("---" for _ in head)]
        for row in table.rows:
            fit = row.trend.fit
            ours = f"[{_number(fit.factor_ci_low)}, {_number(fit.factor_ci_high)}]" if fit else "thin"
            cells = [
                row.benchmark, row.threshold_model, _number(row.epoch.factor_per_year),
                f"[{_number(row.epoch.ci_low)}, {_number(row.epoch.ci_high)}]",
                _number(fit.factor_per_year if fit else None), ours, f"{row.trend.n_fitted}/{row.epoch.n}",
                "yes" if row.comparable else "no", {True: "yes", False: "no", None: "—"}[row.inside_epoch_ci],
            ]  # fmt: skip
            lines.append(" | ".join(cells))
        lines.append("")
    lines.append(f"Source: {EPOCH_STUDY} (CC BY 4.0).")
    return "\n".join(lines)


def epoch_replication_text(scope: Scope) -> str:
    return render_epoch_replication([replication_from_inputs(), replication_live(scope)])
