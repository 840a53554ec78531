"""Market figures that must not overstate: HHI on a real time axis with n per point, thin and partial marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tokentide.analytics.concentration import HIGHLY_CONCENTRATED_HHI
from tokentide.reporting import theme
from tokentide.reporting.memo_figure import MemoFigure

THIN_COLOUR: str = theme.THIN_PERIOD


def _x(data: pd.DataFrame) -> tuple[list[object], bool]:
    """Period start dates when every label parses (a time axis: a missing year shows as a gap), else labels."""
    starts = data["period_start"] if "period_start" in data.columns else pd.Series([None] * len(data))
    if len(starts) and starts.notna().all():
        return [pd.Timestamp(s).strftime("%Y-%m-%d") for s in starts], True
    return data["period"].astype(str).tolist(), False


MAX_FULL_LABELS: int = 10  # beyond this many periods a point is labelled with n only (makers in the hover)


def _n_text(data: pd.DataFrame) -> list[str]:
    pairs = zip(data["n_items"], data["n_makers"], strict=True)
    if len(data) > MAX_FULL_LABELS:
        return [f"{n}" for n, _ in pairs]
    return [f"n {n}<br>{m} {'maker' if m == 1 else 'makers'}" for n, m in pairs]


def _with_gaps(x: list[object], y: pd.Series, timed: bool, months: int | None) -> tuple[list[object], list[object]]:
    """A None between periods that are not adjacent, so the line breaks where a period had no market."""
    if not timed or not months or len(x) < 2:
        return list(x), list(y)
    out_x: list[object] = [x[0]]
    out_y: list[object] = [y.iloc[0]]
    for before, after, value in zip(x[:-1], x[1:], y.iloc[1:], strict=True):
        if pd.Timestamp(after) > pd.Timestamp(before) + pd.DateOffset(months=months):
            out_x.append(None)
            out_y.append(None)
        out_x.append(after)
        out_y.append(value)
    return out_x, out_y


def _months(data: pd.DataFrame) -> int | None:
    labels = data["period"].astype(str)
    for pattern, months in ((r"\d{4}", 12), (r"\d{4}H[12]", 6), (r"\d{4}Q[1-4]", 3), (r"\d{4}-\d{2}", 1)):
        if labels.str.fullmatch(pattern).all():
            return months
    return None


def hhi_cr4(data: pd.DataFrame, items: str = "models") -> go.Figure:
    """HHI (left) and CR4 (right) per period; every HHI point labelled with n and the makers behind it; thin
    periods drawn hollow and grey, a partial (current) period hollow with a dotted link."""
    x, timed = _x(data)
    thin = data["thin"].to_numpy(dtype=bool)
    partial = data["partial"].to_numpy(dtype=bool)
    custom = data[["period", "n_items", "n_makers"]].astype(str).to_numpy()
    fig = MemoFigure()
    line_x, line_y = _with_gaps(x, data["hhi"], timed, _months(data))
    fig.add_trace(
        go.Scatter(
            x=line_x,
            y=line_y,
            mode="lines",
            line=dict(color=theme.ACCENT, width=2.5),
            showlegend=False,
            hoverinfo="skip",
            name="HHI line",
        )  # fmt: skip
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=data["hhi"],
            name="HHI" + (f" (labels: n {items} per period)" if len(data) > MAX_FULL_LABELS else ""),
            mode="markers+text",
            line=dict(color=theme.ACCENT, width=2.5),
            marker=dict(
                size=11,
                color=[(theme.MARKER_EDGE if t or p else theme.ACCENT) for t, p in zip(thin, partial, strict=True)],
                line=dict(width=2, color=[THIN_COLOUR if t else theme.ACCENT for t in thin]),
            ),
            text=_n_text(data),
            textposition="top center",
            textfont=dict(size=10, color=theme.MUTED_TEXT),
            customdata=custom,
            hovertemplate=f"%{{customdata[0]}}: HHI %{{y:,.0f}} from %{{customdata[1]}} {items} by "
            "%{customdata[2]} makers<extra></extra>",
        )
    )
    cr4_x, cr4_y = _with_gaps(x, data["cr4"], timed, _months(data))
    fig.add_trace(
        go.Scatter(
            x=cr4_x,
            y=cr4_y,
            name="CR4 (%, right axis)",
            mode="lines+markers",
            yaxis="y2",
            line=dict(color=theme.EMPHASIS_ALT, width=2, dash="dot"),
            hovertemplate="CR4 %{y:.1f}%<extra></extra>",
        )
    )
    for label, mask, symbol in (
        ("thin period (hollow grey)", thin, "circle-open"),
        ("partial period", partial, "diamond-open"),
    ):
        if mask.any():  # legend keys for the marks, drawn once
            fig.add_trace(go.Scatter(x=[x[i] for i in range(len(x)) if mask[i]], y=data["hhi"][mask], mode="markers",
                                     name=label, marker=dict(size=15, symbol=symbol, color=THIN_COLOUR),
                                     hoverinfo="skip"))  # fmt: skip
    fig.add_hline(y=HIGHLY_CONCENTRATED_HHI, line=dict(color=theme.EMPHASIS, dash="dash"))
    fig.add_annotation(
        x=0,
        xref="paper",
        y=HIGHLY_CONCENTRATED_HHI,
        text="1,800: highly concentrated (2023 Guidelines)",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font=dict(color=theme.EMPHASIS, size=11),
    )
    fig.update_layout(
        yaxis=dict(title="HHI (0-10,000)", range=[0, 11_200]),
        yaxis2=dict(overlaying="y", side="right", range=[0, 112], title="CR4 (%)", showgrid=False, ticksuffix="%"),
    )
    if timed:
        fig.update_xaxes(title=None, type="date", tickformat="%Y" if _yearly(data) else "%b %Y")
    else:
        fig.update_xaxes(title=None, type="category")
    return fig


def _yearly(data: pd.DataFrame) -> bool:
    return bool(data["period"].astype(str).str.fullmatch(r"\d{4}").all())
