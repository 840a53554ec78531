"""Figures of prices over time and of their changes: compared price histories and the biggest movers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tokentide.reporting import theme
from tokentide.reporting.figures import HOVER_PRICE, log_ticks
from tokentide.reporting.memo_figure import MemoFigure


def price_steps(data: pd.DataFrame) -> go.Figure:
    """Step lines: each series's price from valid_from, held until the next change (or the as-of end)."""
    fig = MemoFigure()
    models = list(dict.fromkeys(data["canonical_model_id"].astype(str)))
    for series, rows in data.groupby("series", sort=False):
        model = models.index(str(rows["canonical_model_id"].iloc[0]))
        colour = theme.series_colour(model)
        # one colour per model; each further line of a model is drawn thinner, dashed and on top, so a second
        # source or provider at the same price stays visible above the first instead of hiding under it
        layer = _rank(data, str(series))
        fig.add_trace(
            go.Scatter(
                x=rows["date"],
                y=rows["blended_usd_per_mtok"],
                mode="lines+markers",
                line_shape="hv",
                name=str(series),
                line=dict(color=colour, width=max(4.5 - 1.5 * layer, 1.5), dash=LINE_DASHES[layer % len(LINE_DASHES)]),
                marker=dict(size=max(9 - 2 * layer, 4), symbol=MARKERS[layer % len(MARKERS)]),
                hovertemplate=f"{series}<br>{HOVER_PRICE} from %{{x|%Y-%m-%d}}<extra></extra>",
            )
        )
    fig.update_yaxes(
        type="log", title="Blended USD per million tokens (log scale)",
        **log_ticks(data["blended_usd_per_mtok"], money=True),
    )  # fmt: skip
    fig.update_xaxes(title="Date")
    return fig


LINE_DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot")
MARKERS: tuple[str, ...] = ("circle", "diamond", "square", "x")


def _rank(data: pd.DataFrame, series: str) -> int:
    """The position of a series among its model's series (0 = the first line drawn for that model)."""
    model = data.loc[data["series"] == series, "canonical_model_id"].iloc[0]
    own = list(dict.fromkeys(data.loc[data["canonical_model_id"] == model, "series"]))
    return own.index(series)


def movers(data: pd.DataFrame) -> go.Figure:
    """Bars in signed order (deepest cut at the top); a price cannot fall more than 100 %, so the axis stops
    there and a deep cut's label sits inside its bar."""
    colours = [theme.PRICE_DOWN if d == "down" else theme.PRICE_UP for d in data["direction"]]
    changes = data["pct_change"].astype(float)
    fig = MemoFigure(
        go.Bar(
            x=changes,
            y=data["label"],
            orientation="h",
            marker_color=colours,
            name="change",
            text=changes.map(lambda v: f"{v:+.0f}%"),
            textposition=["inside" if v < -60 else "outside" for v in changes],
            insidetextanchor="start",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{x:+.1f}%<extra></extra>",
        )
    )
    fig.add_vline(x=0, line=dict(color=theme.REFERENCE_LINE, width=1))
    low = -100.0 if changes.min() < -60 else min(changes.min() * 1.3 - 10, 0.0)
    high = max(changes.max(), 0.0)
    fig.update_xaxes(title="Change in list price (%)", range=[max(low, -100.0), high * 1.2 + 20], ticksuffix="%")
    fig.update_yaxes(title="", autorange="reversed")
    longest = int(data["label"].astype(str).str.len().max()) if len(data) else 0
    fig.update_layout(margin=dict(l=min(30 + 7 * longest, 520)))  # the labels' room, known to the source line
    return fig
