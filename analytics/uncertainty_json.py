"""JSON views of the uncertainty pieces: estimator names, thin flags, the frontier trend and the headline break."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tokentide.analytics.columns import finite_or_none

if TYPE_CHECKING:
    from tokentide.analytics.breaks import ChowResult, ChowScan
    from tokentide.analytics.frontier_halflife import FrontierHalfLife
    from tokentide.analytics.halflife import HalfLifeFit
    from tokentide.analytics.pairs import PairPremium
    from tokentide.analytics.report import Report

GROUP_PREMIUM_ESTIMATOR: str = (
    "median over (tier, period) groups of median(reasoning price) / median(non-reasoning price); CI: models "
    "resampled within each group, percentile"
)


def half_life_extra(fit: HalfLifeFit) -> dict[str, object]:
    """The estimator and the thin flag of a half-life fit."""
    return {
        "estimator": fit.estimator,
        "thin": fit.thin,
        "thin_reason": fit.thin_reason,
        "n_makers": fit.n_clusters,
        "ci_df": finite_or_none(fit.ci_df),
    }


def frontier_json(fit: FrontierHalfLife) -> dict[str, object]:
    low, high = fit.half_life_ci_years
    return {
        "ok": fit.ok,
        "reason": fit.reason,
        "estimator": fit.estimator,
        "quantile": fit.quantile,
        "years": finite_or_none(fit.half_life_years),
        "ci_low": finite_or_none(low),
        "ci_high": finite_or_none(high),
        "ci_high_unbounded": high == math.inf,
        "slope_per_year": finite_or_none(fit.slope_per_year),
        "slope_ci": [finite_or_none(v) for v in fit.slope_ci],
        "n": fit.n,
        "n_makers": fit.n_clusters,
        "thin": fit.thin,
        "thin_reason": fit.thin_reason,
        "bootstrap_draws": fit.bootstrap_draws,
        "message": fit.message,
    }


def pair_extra(pair: PairPremium | None) -> dict[str, object]:
    if pair is None:
        return {}
    return {
        "estimator": pair.estimator,
        "median_ratio": finite_or_none(pair.median_ratio),
        "arithmetic_mean_ratio": finite_or_none(pair.arithmetic_mean_ratio),
        "n_mismatched": pair.n_mismatched,
        "n_bases": pair.n_bases,
        "thin": pair.thin,
        "thin_reason": pair.thin_reason,
    }


def premium_extra(report: Report) -> dict[str, object]:
    """Estimator, the other averages and the thin flag of the headline premium."""
    chosen = report.reasoning_premium
    if chosen is report.pair_premium and report.pair_premium is not None:
        return pair_extra(report.pair_premium)
    return {"estimator": GROUP_PREMIUM_ESTIMATOR, "thin": False, "thin_reason": None}


def chow_extra(chow: ChowResult) -> dict[str, object]:
    return {
        "p_iid": finite_or_none(chow.p_iid),
        "wald": finite_or_none(chow.wald),
        "p_method": chow.p_method,
        "n_makers": chow.n_clusters,
        "thin": chow.thin,
        "thin_reason": chow.thin_reason,
        "bootstrap_draws": chow.bootstrap_draws,
    }


def scan_extra(scan: ChowScan) -> dict[str, object]:
    return {
        "sup_wald": finite_or_none(scan.sup_wald),
        "n_makers": scan.n_clusters,
        "thin": scan.thin,
        "thin_reason": scan.thin_reason,
    }


def headline_break_json(report: Report) -> dict[str, object]:
    """The break a reader should quote: the sup-F scan unless the user fixed a date."""
    chow, scan = report.chow, report.chow_scan
    if report.settings.break_date_fixed:
        return {
            "kind": "fixed date (chosen by the user)",
            "date": chow.break_date.isoformat(),
            "statistic": finite_or_none(chow.wald),
            "p": finite_or_none(chow.p),
            "estimator": chow.p_method,
            "thin": chow.thin,
            "thin_reason": chow.thin_reason or chow.reason,
        }
    return {
        "kind": "search-adjusted sup-F scan",
        "date": scan.argmax_date.isoformat() if scan.argmax_date is not None else None,
        "statistic": finite_or_none(scan.sup_wald),
        "p": finite_or_none(scan.p_sup),
        "estimator": scan.p_method,
        "thin": scan.thin,
        "thin_reason": scan.thin_reason or scan.reason,
    }


def decline_ci(report: Report) -> dict[str, object]:
    """The fitted all-model trend's fold over the decline's span with its CI (from the slope CI)."""
    d, fit = report.decline, report.half_life["all"]
    if not (d.ok and fit.ok):
        return {"fitted_fold_ci": [None, None], "fitted_fold_estimator": fit.estimator}
    low, high = fit.slope_ci
    span = d.span_years
    ci = (
        [None, None]
        if fit.thin or math.isnan(low)
        else [finite_or_none(math.exp(-high * span)), finite_or_none(math.exp(-low * span))]
    )
    return {
        "fitted_fold_ci": ci,
        "fitted_fold_estimator": f"exp(-slope x span) of the all-model trend; slope by {fit.estimator}",
        "fitted_fold_thin": fit.thin,
        "extreme_pair_label": "extreme pair: first flagship over the cheapest model since (not a trend)",
    }
