"""Plotly figures drawn from plain frames; each draws exactly the rows it is given (no Streamlit here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tokentide.analytics.concentration import HIGHLY_CONCENTRATED_HHI, MODERATE_BAND_1992
from tokentide.reporting import theme
from tokentide.reporting.memo_figure import MemoFigure

USD_AXIS: str = "USD per million tokens (log scale)"
HOVER_PRICE: str = "$%{y:,.4g} per Mtok"


LAUNCH_HOVER: str = f"%{{text}}<br>{HOVER_PRICE} · released %{{x|%Y-%m-%d}} (click: provenance)<extra></extra>"


def log_ticks(values: pd.Series | np.ndarray, money: bool = False) -> dict[str, object]:
    """Tick marks for a log axis at 1-2-5 x 10^k (only powers of ten over many decades), labelled in full,
    so the axis never shows the bare minor digits ("5, 2") plotly draws by default. A narrow range gets the
    1-2-5 values just outside it, so there are always at least two labelled ticks."""
    finite = pd.Series(np.asarray(values, dtype=float)).replace([np.inf, -np.inf], np.nan).dropna()
    finite = finite[finite > 0]
    if finite.empty:
        return {}
    low, high = float(finite.min()), float(finite.max())
    first, last = int(np.floor(np.log10(low))), int(np.ceil(np.log10(high)))
    decades = range(first - 1, last + 2)  # one more each side, for a narrow range's outer ticks
    steps = (1,) if last - first + 1 > 4 else (1, 2, 5)
    slack = 3.2 if steps == (1,) else 1.5  # room to the next labelled value beyond the data
    candidates = sorted(m * 10.0**k for k in decades for m in steps)
    ticks = [t for t in candidates if low / slack <= t <= high * slack]
    if len(ticks) < 2:
        below = [t for t in candidates if t <= low] or candidates[:1]
        above = [t for t in candidates if t >= high] or candidates[-1:]
        ticks = sorted({below[-1], *ticks, above[0]})
    text = [_tick_text(t, money) for t in ticks]
    return {"tickvals": ticks, "ticktext": text}


def _tick_text(value: float, money: bool) -> str:
    """'$0.05', '$2', '$1,000', '0.5': every tick carries its value, however small."""
    decimals = max(0, -int(np.floor(np.log10(value))))
    return f"{'$' if money else ''}{value:,.{decimals}f}"


def _launch_text(rows: pd.DataFrame) -> list[str]:
    """One hover line per point (a single string per point keeps the chart light to send on every rerun)."""
    return (
        "<b>"
        + rows["model_name"].fillna(rows["canonical_model_id"]).astype(str)
        + "</b><br>"
        + rows["author"].fillna("?").astype(str)
        + " · served by "
        + rows["price_provider"].fillna("?").astype(str)
        + " · "
        + rows["source"].fillna("?").astype(str)
    ).tolist()


def _day(values: pd.Series) -> list[str]:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d").tolist()


def _colour(colour_by: str, group: str) -> str:
    return theme.tier_colour(group) if colour_by == "tier" else theme.author_colour(group)


def price_curves(data: pd.DataFrame, colour_by: str) -> go.Figure:
    """Layers from one long frame: 'launch' points, 'frontier' steps and 'trend' lines, per group."""
    fig = MemoFigure()
    trends = data[data["layer"] == "trend"].drop_duplicates("group").set_index("group")["label"]
    for (layer, group), rows in data.groupby(["layer", "group"], sort=False):
        colour = _colour(colour_by if layer == "launch" else "tier", str(group))
        fit = str(trends.get(group, "")).replace(f"{group} trend: ", "")
        if layer == "launch":
            fig.add_trace(
                go.Scatter(
                    x=_day(rows["date"]),
                    y=rows["usd_per_mtok"],
                    mode="markers",
                    name=f"{group} · {fit}" if fit else str(group),
                    legendgroup=str(group),
                    marker=dict(size=9, color=colour, opacity=0.85, line=dict(width=0.6, color=theme.MARKER_EDGE)),
                    text=_launch_text(rows),
                    hovertemplate=LAUNCH_HOVER,
                )
            )
        elif layer == "frontier":
            fig.add_trace(
                go.Scatter(
                    x=rows["date"],
                    y=rows["usd_per_mtok"],
                    mode="lines",
                    line_shape="hv",
                    name=f"{group} frontier",
                    legendgroup=str(group),
                    showlegend=colour_by != "tier",  # coloured by maker, the tier lines need their own key
                    line=dict(color=colour, width=2),
                    hovertemplate=f"{group} frontier: {HOVER_PRICE}<br>%{{x|%Y-%m-%d}} · %{{text}}<extra></extra>",
                    text=rows["model_name"],
                )
            )
        else:
            label = str(rows["label"].iloc[0])
            fig.add_trace(
                go.Scatter(
                    x=rows["date"],
                    y=rows["usd_per_mtok"],
                    mode="lines",
                    name=label,
                    legendgroup=str(group),
                    showlegend=colour_by != "tier",  # coloured by maker, the tier lines need their own key
                    line=dict(color=colour, width=1.6, dash="dash"),
                    hovertemplate=f"{label}<extra></extra>",
                )
            )
    fig.update_yaxes(type="log", title=USD_AXIS, **log_ticks(data["usd_per_mtok"], money=True))
    fig.update_xaxes(title="Release date")
    return fig


def half_life_bars(data: pd.DataFrame) -> go.Figure:
    """Dot and whisker per group; an unbounded upper CI is drawn to the axis edge and labelled."""
    fig = MemoFigure()
    shown = data[data["half_life_years"].notna()]
    cap = float(np.nanmax(shown[["half_life_years", "ci_low_years"]].to_numpy(dtype=float))) * 2 if len(shown) else 10
    high = shown["ci_high_years"].astype(float).clip(upper=cap)
    fig.add_trace(
        go.Scatter(
            x=shown["half_life_years"],
            y=shown["group"],
            mode="markers+text",
            name="half-life",
            marker=dict(
                size=13, color=[theme.tier_colour(g) if g != "all" else theme.NEUTRAL_DARK for g in shown["group"]]
            ),
            error_x=dict(
                type="data",
                symmetric=False,
                array=high - shown["half_life_years"],
                arrayminus=shown["half_life_years"] - shown["ci_low_years"],
                thickness=2,
                width=6,
            ),
            text=shown["label"],
            textposition="top center",
            hovertemplate="%{y}: %{x:.2f} years<extra></extra>",
        )
    )
    for row in shown[shown["ci_high_years"].astype(float) > cap].itertuples():
        beyond = "no upper bound" if np.isinf(row.ci_high_years) else f"CI to {row.ci_high_years:.1f} y"
        fig.add_annotation(
            x=cap,
            y=row.group,
            text=f"→ {beyond}",
            showarrow=False,
            xanchor="left",
            xshift=4,
            font=dict(size=11, color=theme.MUTED_TEXT),
        )
    for row in data[data["half_life_years"].isna()].itertuples():
        fig.add_annotation(x=0, y=row.group, text=str(row.message), showarrow=False, xanchor="left")
    fig.update_xaxes(
        title="Half-life in years (95% CI; an arrow marks an interval running off the axis)",
        rangemode="tozero",
        range=[0, cap * 1.25],
    )
    fig.update_yaxes(title="", categoryorder="array", categoryarray=list(data["group"])[::-1])
    return fig


def half_life_history(data: pd.DataFrame) -> go.Figure:
    fig = MemoFigure()
    for group, rows in data.groupby("group", sort=False):
        colour = theme.tier_colour(group) if group != "all" else theme.NEUTRAL_DARK
        band = rows[rows["ci_low_years"].notna() & np.isfinite(rows["ci_high_years"].astype(float))]
        if len(band):
            fig.add_trace(
                go.Scatter(
                    x=pd.concat([band["as_of"], band["as_of"][::-1]]),
                    y=pd.concat([band["ci_high_years"], band["ci_low_years"][::-1]]),
                    fill="toself",
                    fillcolor=colour,
                    opacity=0.15,
                    line=dict(width=0),
                    hoverinfo="skip",
                    name=f"{group} 95% CI",
                    legendgroup=str(group),
                    showlegend=False,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=rows["as_of"],
                y=rows["half_life_years"],
                mode="lines",
                name=str(group),
                legendgroup=str(group),
                line=dict(color=colour, width=2.2),
                connectgaps=False,
                hovertemplate=f"{group}: %{{y:.2f}} years as of %{{x|%Y-%m-%d}}<extra></extra>",
            )
        )
    drawn = data[data["ci_low_years"].notna() & np.isfinite(data["ci_high_years"].astype(float))]  # the bands
    shown = pd.concat([data["half_life_years"], drawn["ci_low_years"], drawn["ci_high_years"]])
    fig.update_yaxes(type="log", title="Half-life in years (log scale)", **log_ticks(shown))
    fig.update_xaxes(title="Estimate as of")
    return fig


def residuals(data: pd.DataFrame) -> go.Figure:
    text = (
        data["model_name"].astype(str)
        + " ("
        + data["author"].fillna("?").astype(str)
        + "), $"
        + data["usd_per_mtok"].map(lambda v: f"{v:,.4g}")
        + " per Mtok"
    ).tolist()
    fig = MemoFigure(
        go.Scatter(
            x=_day(data["release_date"]),
            y=data["residual_log"],
            mode="markers",
            name="residual",
            marker=dict(size=9, color=[theme.author_colour(a) for a in data["author"]]),
            text=text,
            hovertemplate="%{text}<br>residual %{y:.2f} (log) · %{x|%Y-%m-%d}<extra></extra>",
        )
    )
    fig.add_hline(y=0, line=dict(color=theme.REFERENCE_LINE, width=1))
    fig.update_yaxes(title="ln(price) minus fitted ln(price)")
    fig.update_xaxes(title="Release date")
    return fig


def break_scan(data: pd.DataFrame, break_date: pd.Timestamp, argmax: pd.Timestamp | None) -> go.Figure:
    fig = MemoFigure(
        go.Scatter(
            x=data["date"],
            y=data["f"],
            mode="lines+markers",
            name="Chow F",
            line=dict(color=theme.ACCENT, width=2),
            marker=dict(size=4),
            hovertemplate="F %{y:.2f} at %{x|%Y-%m-%d}<extra></extra>",
        )
    )
    fig.add_vline(x=break_date, line=dict(color=theme.EMPHASIS, dash="dash"))
    fig.add_annotation(x=break_date, y=1, yref="paper", text="chosen date", showarrow=False, yanchor="bottom")
    if argmax is not None:
        fig.add_vline(x=argmax, line=dict(color=theme.NEUTRAL_DARK, dash="dot"))
    fig.update_yaxes(title="Chow F statistic", rangemode="tozero")
    fig.update_xaxes(title="Candidate break date")
    return fig


def _short(text: object, width: int = 30) -> str:
    value = str(text)
    return value if len(value) <= width else value[: width - 1] + "…"


def premium_pairs(data: pd.DataFrame, average: float | None) -> go.Figure:
    """One bar per pair, labelled by its reasoning model; the base model is named beside the ratio."""
    fig = MemoFigure(
        go.Bar(
            x=data["ratio"],
            y=data["reasoning_model_id"].map(_short),
            orientation="h",
            name="price ratio",
            marker=dict(color=[theme.author_colour(a) for a in data["author"]]),
            customdata=data[["label"]].astype(str).to_numpy(),
            hovertemplate="%{customdata[0]}: %{x:.2f}×<extra></extra>",
            text=[f"{r:.2f}× vs {_short(b, 26)}" for r, b in zip(data["ratio"], data["base_model_id"], strict=True)],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.add_vline(x=1, line=dict(color=theme.REFERENCE_LINE, width=1), layer="below")
    if average is not None:  # drawn under the bars and their labels, so it never crosses a label's text
        fig.add_vline(x=average, line=dict(color=theme.EMPHASIS, dash="dash"), layer="below")
        fig.add_annotation(
            x=np.log10(average),
            y=1,
            yref="paper",
            text=f"average {average:.2f}x",
            showarrow=False,
            yanchor="bottom",
            font=dict(color=theme.EMPHASIS),
        )
    ratios = data["ratio"].astype(float)
    span = [np.log10(min(ratios.min(), 1.0) * 0.6), np.log10(max(ratios.max(), 1.0) * 12)] if len(ratios) else None
    ticks = log_ticks(pd.concat([ratios, pd.Series([1.0])])) if len(ratios) else {}
    fig.update_xaxes(
        type="log", title="Reasoning price / non-reasoning price (blended, log scale)", range=span, **ticks
    )
    fig.update_yaxes(title="", autorange="reversed")
    longest = int(data["reasoning_model_id"].map(_short).str.len().max()) if len(data) else 0
    fig.update_layout(margin=dict(l=min(30 + 7 * longest, 520)))
    return fig


def ratio_trend(data: pd.DataFrame) -> go.Figure:
    fig = MemoFigure(
        go.Scatter(
            x=data["period"],
            y=data["ratio"],
            mode="markers+lines",
            name="premium",
            line=dict(color=theme.ACCENT),
            error_y=dict(
                type="data",
                symmetric=False,
                array=data["ci_high"] - data["ratio"],
                arrayminus=data["ratio"] - data["ci_low"],
            ),
            hovertemplate="%{x}: %{y:.2f}x<extra></extra>",
        )
    )
    fig.add_hline(y=1, line=dict(color=theme.REFERENCE_LINE, width=1))
    shown = pd.concat([data["ratio"], data["ci_low"], data["ci_high"], pd.Series([1.0])])
    fig.update_yaxes(type="log", title="Reasoning / non-reasoning price (log scale)", **log_ticks(shown))
    fig.update_xaxes(title="Release period", type="category")
    return fig


def _band(fig: go.Figure, value: float, text: str, colour: str, dash: str) -> None:
    """A labelled horizontal line across the plot (the Merger Guidelines' thresholds)."""
    fig.add_hline(y=value, line=dict(color=colour, dash=dash))
    fig.add_annotation(
        x=1,
        xref="paper",
        y=value,
        text=text,
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font=dict(color=colour, size=11),
    )


def hhi_cr4(data: pd.DataFrame) -> go.Figure:
    fig = MemoFigure()
    fig.add_trace(
        go.Scatter(
            x=data["period"],
            y=data["hhi"],
            name="HHI",
            mode="lines+markers",
            line=dict(color=theme.ACCENT, width=2.5),
            hovertemplate="HHI %{y:,.0f} (%{x})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=data["period"],
            y=data["cr4"],
            name="CR4 (%, right axis)",
            mode="lines+markers",
            yaxis="y2",
            line=dict(color=theme.EMPHASIS_ALT, width=2, dash="dot"),
            hovertemplate="CR4 %{y:.1f}%<extra></extra>",
        )
    )
    _band(fig, HIGHLY_CONCENTRATED_HHI, "1,800: highly concentrated (2023 Guidelines)", theme.EMPHASIS, "dash")
    _band(fig, MODERATE_BAND_1992[0], "1,000 (1992 Guidelines band)", theme.MUTED_LINE, "dot")
    fig.update_layout(
        yaxis=dict(title="HHI (0-10,000)", range=[0, 10_300]),
        yaxis2=dict(
            overlaying="y",
            side="right",
            range=[0, 103],
            title="CR4 (%)",
            showgrid=False,
            ticksuffix="%",
            automargin=True,
        ),
    )
    fig.update_xaxes(title=None, type="category")
    return fig


def stacked_shares(data: pd.DataFrame, group_col: str, colours: dict[str, str], bars: bool = False) -> go.Figure:
    fig = MemoFigure()
    for group, rows in data.groupby(group_col, sort=False, observed=True):
        colour = colours.get(str(group), theme.OTHER_COLOUR)
        hover = f"{group}: %{{y:.1f}}%% (%{{x}})<extra></extra>".replace("%%", "%")
        if bars:
            fig.add_trace(
                go.Bar(x=rows["period"], y=rows["share_pct"], name=str(group), marker_color=colour, hovertemplate=hover)
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=rows["period"],
                    y=rows["share_pct"],
                    name=str(group),
                    stackgroup="shares",
                    mode="lines",
                    line=dict(width=0.5, color=colour),
                    fillcolor=colour,
                    hovertemplate=hover,
                )
            )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="Share (%)", range=[0, 100])
    periods = sorted(data["period"].astype(str).unique())  # in time order, whichever firm appears first
    fig.update_xaxes(title=None, type="category", categoryorder="array", categoryarray=periods)
    return fig
