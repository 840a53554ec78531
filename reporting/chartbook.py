"""Every exportable chart by name: the same builders serve the pages and `tokentide export`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from tokentide.reporting import scoped_analyses
from tokentide.reporting.capability_options import CAPABILITY_OPTION_KEYS as CAPABILITY
from tokentide.reporting.chart import Chart
from tokentide.reporting.chart_common import Options
from tokentide.reporting.charts_capability import price_of_capability
from tokentide.reporting.charts_market import (
    concentration,
    country_split,
    movers,
    pair_table,
    premium_pairs,
    premium_trend,
    price_history,
    shares,
)
from tokentide.reporting.charts_prices import (
    break_scan,
    half_life_by_tier,
    half_life_history,
    half_life_residuals,
    half_life_sensitivity,
    half_life_table,
    price_curves,
)
from tokentide.reporting.options import OPTION_SPECS
from tokentide.reporting.scope import Scope

__all__ = ["CHARTS", "ChartSpec", "build_chart", "half_life_table", "pair_table", "traced_interval"]


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    page: str
    options: tuple[str, ...]
    build: Callable[[Scope, Options, pd.DataFrame | None], Chart]


CHARTS: dict[str, ChartSpec] = {
    spec.name: spec
    for spec in (
        ChartSpec("price-curves", "Launch prices and tier frontiers", "Price curves", ("color",), price_curves),
        ChartSpec("half-life-by-tier", "Half-life per tier", "Half-life", ("method", "window"), half_life_by_tier),
        ChartSpec("half-life-history", "History of the estimate", "Half-life", ("method", "window"), half_life_history),
        ChartSpec(
            "half-life-residuals", "Fit residuals", "Half-life", ("method", "window", "htier"), half_life_residuals
        ),
        ChartSpec("half-life-sensitivity", "Start-date sensitivity", "Half-life", ("method",), half_life_sensitivity),
        ChartSpec("break-scan", "Structural-break scan", "Half-life", ("htier", "break"), break_scan),
        ChartSpec("premium-pairs", "Matched pairs", "Reasoning premium", (), premium_pairs),
        ChartSpec("premium-trend", "Premium over time", "Reasoning premium", ("period",), premium_trend),
        ChartSpec("concentration", "HHI and CR4", "Concentration", ("basis", "period"), concentration),
        ChartSpec("shares", "Shares by author", "Concentration", ("basis", "period"), shares),
        ChartSpec("country-split", "US / China / other", "Concentration", ("basis", "period"), country_split),
        ChartSpec("price-history", "Compare price histories", "Models & prices", ("models",), price_history),
        ChartSpec("movers", "Biggest movers", "Changes", ("dir", "min", "since"), movers),
        ChartSpec("price-of-capability", "Price of capability", "Price of capability", CAPABILITY, price_of_capability),
    )
}


def traced_interval(chart: Chart, curve_number: object, point_index: object) -> int | None:
    """The price interval behind a clicked launch point of the price curves (traces follow the data's
    (layer, group) order, so the click maps back to a row without shipping ids to the browser)."""
    if chart.name != "price-curves" or chart.empty or not isinstance(curve_number, int):
        return None
    groups = list(chart.data.groupby(["layer", "group"], sort=False))
    if not 0 <= curve_number < len(groups) or not isinstance(point_index, int):
        return None
    (layer, _), rows = groups[curve_number]
    if layer != "launch" or not 0 <= point_index < len(rows):
        return None
    value = rows.iloc[point_index]["interval_id"]
    return None if pd.isna(value) else int(value)


def build_chart(name: str, scope: Scope, options: Options | None = None, usage: pd.DataFrame | None = None) -> Chart:
    """The named chart for a scope and options (other options are ignored); `usage` feeds basis=usage."""
    if name not in CHARTS:
        raise KeyError(f"unknown chart {name!r}; choose one of {', '.join(CHARTS)}")
    spec = CHARTS[name]
    chosen = {key: (options or {}).get(key, OPTION_SPECS[key].default) for key in spec.options}
    key = ("chart", name, tuple(sorted(chosen.items())), scoped_analyses.frame_key(usage))
    return scope.memo(key, lambda: spec.build(scope, chosen, usage))
