"""Half-life figures beyond the basic ones: the estimate against the fit's start date."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tokentide.reporting import theme
from tokentide.reporting.memo_figure import MemoFigure


def _colour(group: str) -> str:
    return theme.tier_colour(group) if group != "all" else theme.NEUTRAL_DARK


def start_sensitivity(data: pd.DataFrame) -> go.Figure:
    """Per group: the half-life (dot) and its 95% CI (whisker) for each start date; a start with no
    significant decline is marked on the axis floor with an open circle and drawn with no value."""
    fig = MemoFigure()
    shown = data[data["significant_decline"].astype(bool)]
    cap = float(np.nanmax(shown["half_life_years"].astype(float))) * 3 if len(shown) else 10.0
    for index, (group, rows) in enumerate(data.groupby("group", sort=False)):
        colour = _colour(str(group))
        ok = rows[rows["significant_decline"].astype(bool)]
        high = ok["ci_high_years"].astype(float).fillna(np.inf).clip(upper=cap)
        offset = pd.Timedelta(days=12 * (index - 1.5))  # groups side by side, not on top of each other
        fig.add_trace(
            go.Scatter(
                x=ok["start"] + offset,
                y=ok["half_life_years"],
                mode="markers+lines",
                name=str(group),
                legendgroup=str(group),
                line=dict(color=colour, width=1.4),
                marker=dict(size=8, color=colour),
                error_y=dict(type="data", symmetric=False, array=high - ok["half_life_years"],
                             arrayminus=ok["half_life_years"] - ok["ci_low_years"], thickness=1.4, width=4),
                customdata=ok[["n"]].to_numpy(),
                hovertemplate=f"{group} from %{{x|%Y-%m}}: %{{y:.2f}} y · n %{{customdata[0]}}<extra></extra>",
            )
        )  # fmt: skip
        lost = rows[~rows["significant_decline"].astype(bool)]
        if len(lost):
            fig.add_trace(
                go.Scatter(
                    x=lost["start"] + offset,
                    y=[0.0] * len(lost),
                    mode="markers",
                    name=f"{group}: no significant decline",
                    legendgroup=str(group),
                    showlegend=ok.empty,  # a group never significant still gets its key
                    marker=dict(size=9, symbol="circle-open", color=colour, line=dict(width=2)),
                    customdata=lost[["n", "reason"]].astype(str).to_numpy(),
                    hovertemplate=f"{group} from %{{x|%Y-%m}}: %{{customdata[1]}}, n %{{customdata[0]}}<extra></extra>",
                )
            )
    fig.update_yaxes(title="Half-life in years (95% CI)",
                     range=[0, cap * 1.05])  # fmt: skip
    fig.update_xaxes(title="Fit uses launches released on or after this date")
    return fig
