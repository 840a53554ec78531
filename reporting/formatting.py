"""Numbers as readers read them: years, ratios, intervals, USD per million tokens, HHI bands."""

from __future__ import annotations

import math
from typing import TypeGuard

from tokentide.analytics.concentration import HIGHLY_CONCENTRATED_HHI
from tokentide.analytics.halflife import HalfLifeFit


def _finite(value: float | None) -> TypeGuard[float]:
    return value is not None and isinstance(value, int | float) and math.isfinite(value)


def years(value: float | None) -> str:
    return f"{value:.2f} y" if _finite(value) else "—"


def ratio(value: float | None) -> str:
    return f"{value:.2f}×" if _finite(value) else "—"


def interval(low: float | None, high: float | None, unit: str = "") -> str:
    if not _finite(low):
        return "CI n/a"
    high_text = "∞" if high is not None and math.isinf(high) else (f"{high:.2f}" if _finite(high) else "n/a")
    return f"95% CI {low:.2f}–{high_text}{unit}"


def usd(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    return "free" if value == 0 else f"${value:,.4g}"


def fit_card(fit: HalfLifeFit) -> tuple[str, str]:
    """(headline, detail) for a half-life fit, honest about refusals and non-significance."""
    if not fit.ok:
        return "no fit", f"{fit.reason}"
    r2 = f"R² {fit.r2:.2f}" if _finite(fit.r2) else "R² n/a"
    if fit.thin:
        point = years(fit.half_life_years) if fit.half_life_years is not None else "no decline"
        return point, f"no interval: {fit.thin_reason} · n {fit.n} · {r2}"
    if not fit.significant_decline:
        return "no sig. decline", f"no significant decline: the slope's CI includes 0 · n {fit.n} · {r2}"
    low, high = fit.half_life_ci_years
    return years(fit.half_life_years), f"{interval(low, high)} · n {fit.n} · {r2}"


def hhi_band(value: float | None) -> str:
    if not _finite(value):
        return "no data"
    if value > HIGHLY_CONCENTRATED_HHI:
        return "above 1,800: highly concentrated (2023 Merger Guidelines)"
    return "at or below 1,800: not highly concentrated (2023 Merger Guidelines)"


def p_value(value: float | None) -> str:
    if not _finite(value):
        return "—"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"
