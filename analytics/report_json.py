"""JSON-safe views of analytics results: NaN and inf become null, timestamps become ISO-8601 strings."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tokentide.analytics.replication import replication_rows
from tokentide.analytics.tiers import TIER_COLUMN, get_tier_rule
from tokentide.analytics.uncertainty_json import (
    chow_extra,
    decline_ci,
    frontier_json,
    half_life_extra,
    headline_break_json,
    pair_extra,
    premium_extra,
    scan_extra,
)

if TYPE_CHECKING:
    from tokentide.analytics.breaks import ChowResult, ChowScan
    from tokentide.analytics.concentration import Concentration
    from tokentide.analytics.country import CountryGap
    from tokentide.analytics.halflife import HalfLifeFit
    from tokentide.analytics.pairs import PairPremium
    from tokentide.analytics.premium import GroupPremium, TaskPremium
    from tokentide.analytics.report import Report


def json_value(value: object) -> object:
    """A JSON-safe scalar: numpy scalars unwrapped, NaN/inf/NaT/NA -> None, timestamps -> ISO strings."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    raise TypeError(f"not JSON-safe: {type(value).__name__}")


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows of a frame as JSON-safe dicts."""
    return [{str(k): json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def half_life_json(fit: HalfLifeFit) -> dict[str, object]:
    low, high = fit.half_life_ci_years
    return json_value(
        {
            "ok": fit.ok,
            "reason": fit.reason,
            "method": fit.method,
            "ci_method": fit.ci_method,
            "years": fit.half_life_years,
            "ci_low": low,
            "ci_high": high,
            "ci_high_unbounded": high == math.inf,
            "r2": fit.r2,
            "n": fit.n,
            "n_excluded_free": fit.n_excluded_free,
            "n_excluded_unknown": fit.n_excluded_unknown,
            "n_excluded_undated": fit.n_excluded_undated,
            "slope_per_year": fit.slope_per_year,
            "slope_ci": list(fit.slope_ci),
            "annual_decline_factor": fit.annual_decline_factor,
            "significant_decline": fit.significant_decline,
            "message": fit.message,
        }
        | half_life_extra(fit)
    )  # type: ignore[return-value]


def _group_premium_json(premium: GroupPremium) -> dict[str, object]:
    keys = ("ok", "reason", "ratio", "ci_low", "ci_high", "n_groups", "n_reasoning", "n_base")
    return {k: json_value(getattr(premium, k)) for k in (*keys, "n_excluded_free", "n_excluded_unknown")}


def _pair_premium_json(pair: PairPremium | None) -> dict[str, object] | None:
    if pair is None:
        return None
    keys = ("ok", "reason", "ratio", "ci_low", "ci_high", "n_pairs", "average", "n_excluded_free")
    out = {k: json_value(getattr(pair, k)) for k in (*keys, "n_excluded_unknown", "n_missing")}
    return out | pair_extra(pair) | {"pairs": records(pair.pairs)}


def _task_json(task: TaskPremium | None) -> dict[str, object] | None:
    if task is None:
        return None
    keys = ("per_token_ratio", "tokens_per_task_multiplier", "per_task_ratio", "ci_low", "ci_high", "source")
    return {k: json_value(getattr(task, k)) for k in keys}


def premium_json(report: Report) -> dict[str, object]:
    chosen = report.reasoning_premium
    paired = chosen is report.pair_premium
    return {
        "ratio": json_value(chosen.ratio),
        "ci_low": json_value(chosen.ci_low),
        "ci_high": json_value(chosen.ci_high),
        "n_pairs": report.pair_premium.n_pairs if paired and report.pair_premium is not None else None,
        "method": "matched pairs at a common date" if paired else "median of within-tier, within-period ratios",
        "within_tier": _group_premium_json(report.within_tier_premium),
        "pairs": _pair_premium_json(report.pair_premium),
        "per_task": _task_json(report.per_task_premium),
    } | premium_extra(report)


def hhi_json(result: Concentration) -> dict[str, object]:
    latest = result.series.iloc[-1] if len(result.series) else None
    return {
        "latest": json_value(result.latest_hhi),
        "latest_period": result.latest_period,
        "headline": json_value(result.headline_hhi),
        "headline_period": result.headline_period,
        "highly_concentrated": json_value(latest["highly_concentrated"]) if latest is not None else None,
        "basis": result.basis,
        "market_definition": result.market_definition,
        "series": records(result.series),
    }


def chow_json(chow: ChowResult, scan: ChowScan) -> tuple[dict[str, object], dict[str, object]]:
    keys = ("ok", "reason", "f", "p", "df_num", "df_den", "n_before", "n_after")
    test = {"date": json_value(chow.break_date)} | {k: json_value(getattr(chow, k)) for k in keys}
    scan_keys = ("ok", "reason", "argmax_date", "sup_f", "p_sup", "p_method", "trim", "bootstrap_draws", "caveat")
    return test | chow_extra(chow), {k: json_value(getattr(scan, k)) for k in scan_keys} | scan_extra(scan)


def country_json(gap: CountryGap) -> dict[str, object]:
    return {
        "ok": gap.ok,
        "reason": gap.reason,
        "ratio": json_value(gap.ratio),
        "p": json_value(gap.p),
        "n_us": gap.n_numerator,
        "n_cn": gap.n_denominator,
        "median_us_usd_per_mtok": json_value(gap.median_numerator_usd_per_mtok),
        "median_cn_usd_per_mtok": json_value(gap.median_denominator_usd_per_mtok),
        "test": gap.test,
    }


def report_to_json(report: Report) -> dict[str, object]:
    """The report as a JSON-safe dict; the keys are documented in docs/methods.md (Report JSON)."""
    s = report.settings
    chow, scan = chow_json(report.chow, report.chow_scan)
    settings = {k: json_value(getattr(s, k)) for k in s.__dataclass_fields__}
    return {
        "as_of": json_value(s.as_of),
        "settings": settings,
        "n_intervals": report.n_intervals,
        "n_models": report.n_models,
        "launch_prices": {k: int(v) for k, v in report.launch["price_state"].value_counts().items()},
        "tiers": _tiers_json(report),
        "decline_fold": json_value(report.decline.fold),
        "decline": _decline_json(report),
        "half_life": {name: half_life_json(fit) for name, fit in report.half_life.items()},
        "reasoning_premium": premium_json(report),
        "hhi": hhi_json(report.hhi),
        "chow": chow,
        "chow_scan": scan,
        "break": headline_break_json(report),
        "frontier_half_life": {name: frontier_json(fit) for name, fit in report.frontier_half_life.items()},
        "us_china": country_json(report.us_china)
        | {"by_tier": {tier: country_json(gap) for tier, gap in report.us_china_by_tier.items()}},
        "replication": [json_value(row.to_json_dict()) for row in replication_rows(report)],
    }


def _tiers_json(report: Report) -> dict[str, object]:
    t = report.tiers
    counts = report.launch[TIER_COLUMN].value_counts()
    rule = get_tier_rule(t.rule)
    return {
        "rule": t.rule,
        "version": t.version,
        "label": rule.label,
        "selects_on_price": rule.selects_on_price,
        "description": rule.description,
        "n_assigned": t.n_assigned,
        "n_unassigned": t.n_unassigned,
        "unassigned_reasons": dict(t.unassigned_reasons),
        "n_overridden": t.n_overridden,
        "unmatched_overrides": list(t.unmatched_overrides),
        "counts": {str(k): int(v) for k, v in counts.items()},
    }


def _decline_json(report: Report) -> dict[str, object]:
    d, fit = report.decline, report.half_life["all"]
    keys: tuple[str, ...] = ("ok", "reason", "fold", "start_tier", "start_model", "start_date", "start_usd_per_mtok")
    keys += ("end_model", "end_date", "end_usd_per_mtok", "span_years", "definition")
    fitted = fit.decline_fold_over(d.span_years) if d.ok else math.nan
    return (
        {k: json_value(getattr(d, k)) for k in keys}
        | {
            "all_model_fold": json_value(report.all_model_decline.fold),
            "fitted_fold": json_value(fitted),
            "fitted_definition": "exp(-slope x span_years) from the all-model half-life fit over the same span",
        }
        | decline_ci(report)
    )
