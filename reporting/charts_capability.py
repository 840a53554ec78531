"""The Price of capability chart: qualifying models, the step of the cheapest price, the fitted line and its CI."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tokentide.analytics.capability import CapabilityMethod, CapabilityTrend, cheapest_step, fitted_line
from tokentide.reporting import theme
from tokentide.reporting.capability import CapabilityRequest, attribution, default_request, trend
from tokentide.reporting.chart import Chart
from tokentide.reporting.chart_common import Options, make_chart, opt
from tokentide.reporting.memo_figure import MemoFigure
from tokentide.reporting.scope import Scope

NAME = "price-of-capability"
TRACE = ("source", "source_url", "captured_at", "sha256", "snapshot_id")
DATA_COLUMNS: tuple[str, ...] = (
    "layer", "date", "model", "score", "usd_per_mtok_blended", "usd_per_mtok_low", "usd_per_mtok_high", *TRACE,
)  # fmt: skip


def request_from(options: Options) -> CapabilityRequest:
    method = CapabilityMethod(
        entry=opt(options, "entry"), start=opt(options, "cstart"), ci=opt(options, "cci"),
        exclude_reasoning=opt(options, "creason") == "exclude",
    )  # fmt: skip
    return CapabilityRequest(opt(options, "bench"), opt(options, "threshold"), opt(options, "pbasis"), method)


def chart_data(result: CapabilityTrend | None, until: pd.Timestamp) -> pd.DataFrame:
    """Exactly what the chart draws: qualifying points, the new lows, where the step ends and the fitted line."""
    if result is None or result.qualifying.empty:
        return pd.DataFrame(columns=list(DATA_COLUMNS))
    points = result.qualifying.assign(layer=result.qualifying["new_low"].map({True: "new low", False: "qualifying"}))
    step = cheapest_step(result, until=until).tail(1)  # the last low, held until the data's as-of moment
    step = step.assign(layer="step end", date=step["until"])[["layer", "date", "model", "usd_per_mtok_blended"]]
    line = fitted_line(result).rename(columns={"usd_per_mtok_fitted": "usd_per_mtok_blended"})
    parts = [points, step, line.assign(layer="fitted", model=None)]
    return pd.concat([p.reindex(columns=list(DATA_COLUMNS)) for p in parts if len(p)], ignore_index=True)


def _band(fig: go.Figure, fit: pd.DataFrame) -> None:
    high = go.Scatter(x=fit["date"], y=fit["usd_per_mtok_high"], mode="lines", line=dict(width=0), showlegend=False,
                      hoverinfo="skip")  # fmt: skip
    low = go.Scatter(x=fit["date"], y=fit["usd_per_mtok_low"], mode="lines", line=dict(width=0), fill="tonexty",
                     fillcolor="rgba(31,119,180,0.15)", name="90% CI of the trend")  # fmt: skip
    centre = go.Scatter(x=fit["date"], y=fit["usd_per_mtok_blended"], mode="lines", name="fitted trend",
                        line=dict(dash="dash", color=theme.MUTED_TEXT))  # fmt: skip
    fig.add_traces([high, low, centre])


def _figure(data: pd.DataFrame) -> go.Figure:
    fig = MemoFigure()
    fit = data[data["layer"] == "fitted"]
    if len(fit):
        _band(fig, fit)
    others = data[data["layer"] == "qualifying"]
    fig.add_trace(go.Scatter(x=others["date"], y=others["usd_per_mtok_blended"], mode="markers",
                             name="other qualifying models", text=others["model"],
                             marker=dict(color="rgba(120,120,120,0.55)", size=7)))  # fmt: skip
    lows = data[data["layer"] == "new low"]
    steps = pd.concat([lows, data[data["layer"] == "step end"]])
    fig.add_trace(go.Scatter(x=steps["date"], y=steps["usd_per_mtok_blended"], mode="lines", line_shape="hv",
                             name="cheapest qualifying price"))  # fmt: skip
    fig.add_trace(go.Scatter(x=lows["date"], y=lows["usd_per_mtok_blended"], mode="markers+text", name="new low",
                             text=lows["model"], textposition="top right", marker=dict(size=10)))  # fmt: skip
    fig.update_yaxes(type="log", title="USD per million tokens (3:1 input:output blend), log scale")
    fig.update_xaxes(title="release date / date of the price")
    return fig


def subtitle(result: CapabilityTrend | None, request: CapabilityRequest) -> str:
    if result is None:
        return f"No scores for {request.benchmark or 'any benchmark'} at threshold {request.threshold or '—'} in view"
    head = f"{result.threshold.benchmark}, {result.threshold.label} (score ≥ {result.threshold.score:g})"
    fit = result.fit
    if fit is None:
        return f"{head}: {result.thin_reason}. {result.method.describe()}"
    return (
        f"{head}: price falls {fit.factor_per_year:,.3g}× per year, 90% CI {fit.factor_ci_low:,.3g}–"
        f"{fit.factor_ci_high:,.3g}× (n = {fit.n}, R² = {fit.r_squared:.2f}; {fit.estimator}). "
        f"{result.method.describe()}"
    )


def price_of_capability(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    request = default_request(scope, request_from(options))
    result = trend(scope, request)
    moment = pd.Timestamp(scope.moment)
    data = chart_data(result, moment.tz_localize(None) if moment.tzinfo else moment)
    title = "Price of capability: the cheapest model at or above a benchmark score"
    suffix = f"Scores: {attribution(scope.scores)}. Price basis: {request.basis}."  # the scores' source and licence
    return make_chart(scope, NAME, title, subtitle(result, request), lambda: _figure(data), data, tiers=False,
                      source_suffix=suffix)  # fmt: skip
