"""A chart ready to publish: figure with title, units, source line and data-as-of inside, plus its data."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from tokentide.reporting import theme
from tokentide.reporting.filters import blend_label
from tokentide.reporting.memo_figure import MemoFigure
from tokentide.reporting.scope import Scope

WIDTH_PX: int = 1200
HEIGHT_PX: int = 720
MARGIN_LEFT: int = 80
SUBTITLE_CHARS: int = 110  # wrap widths that fit a chart drawn ~700 px wide (a narrow screen) as well
SOURCE_CHARS: int = 120
LEGEND_ROW_PX: int = 640  # a legend row's usable width in the app's narrowest chart column
SOURCE_ANNOTATION: str = "tokentide-source-line"  # annotation name the export tests look for


@dataclass(frozen=True)
class Chart:
    """A figure and exactly the rows it draws (the CSV export), with the lines printed under it."""

    name: str
    title: str
    subtitle: str
    figure: go.Figure
    data: pd.DataFrame
    source_line: str
    method_line: str
    empty: bool = False
    notes: tuple[str, ...] = field(default=())


def as_of_text(scope: Scope) -> str:
    stamp = scope.moment if scope.filters.as_of else (scope.data_as_of or scope.moment)
    return pd.Timestamp(stamp).strftime("%Y-%m-%d %H:%M UTC")


def source_line(scope: Scope) -> str:
    """'Source: list prices published by openai, anthropic, google and 9 other makers, compiled from makers'
    price pages (curated by tokentide) and models.dev (...); chart: tokentide. Data as of 2026-10-26 18:46 UTC.'
    (the licences are in SOURCE.txt)"""
    from tokentide.reporting.publishing import credit_line

    label = "As of" if scope.filters.as_of else "Data as of"
    return f"{credit_line(scope)}. {label} {as_of_text(scope)}."


def method_line(scope: Scope, *, tiers: bool = True) -> str:
    f = scope.filters
    parts = [f"Tier rule: {scope.rule_label}"] if tiers else []
    parts += [f"blend: {blend_label(f.weights)}", f"provider price: {f.pick}", f"filters: {f.describe()}"]
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:]


def _wrap(text: str, width: int = 150) -> str:
    """Break a long line at spaces so it stays inside the image; <br> is plotly's line break."""
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(html.escape(part, quote=False) for part in lines)


def _top_margin(fig: go.Figure, subtitle_html: str, legend: bool) -> int:
    """Room for the title, the wrapped subtitle and the legend rows above the plot (plotly does not
    reserve space for a legend placed there)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False] if legend else []
    legend_px = sum(len(str(name)) * 7 + 44 for name in names)
    legend_rows = -(-legend_px // LEGEND_ROW_PX) if names else 0
    return 52 + 19 * (subtitle_html.count("<br>") + 1) + 22 * legend_rows + 14


def finish(fig: go.Figure, title: str, subtitle: str, source: str, method: str, *, legend: bool = True) -> go.Figure:
    """Title and units on top, the source and method lines at the bottom, inside the image."""
    subtitle_html = _wrap(subtitle, SUBTITLE_CHARS)
    left = max(MARGIN_LEFT, int(fig.layout.margin.l or 0))  # a chart with long category labels asks for more
    fig.update_layout(
        template=theme.TEMPLATE_NAME,
        title=dict(
            text=f"<b>{html.escape(title, quote=False)}</b><br>"
            f"<span style='font-size:13px;color:{theme.MUTED_TEXT}'>{subtitle_html}</span>",
            x=0.012,
            xref="container",
            y=1.0,
            yref="container",
            yanchor="top",
            pad=dict(t=22),
        ),
        margin=dict(l=left, r=40, t=_top_margin(fig, subtitle_html, legend), b=150),
        showlegend=legend,
        legend=dict(orientation="h", x=0.0, xanchor="left", y=1.02, yanchor="bottom"),
    )
    fig.add_annotation(
        name=SOURCE_ANNOTATION,
        text=f"{_wrap(source, SOURCE_CHARS)}<br>{_wrap(method, SOURCE_CHARS)}",
        xref="paper",
        yref="paper",
        x=0.0,
        y=0.0,
        xanchor="left",
        yanchor="top",
        yshift=-62,
        xshift=-left + 14,
        showarrow=False,
        align="left",
        font=dict(size=11, color=theme.MUTED_TEXT),
    )
    return fig


def empty_figure(message: str) -> go.Figure:
    fig = MemoFigure()
    fig.add_annotation(
        text=html.escape(message, quote=False),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font=dict(size=16, color=theme.MUTED_TEXT),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def source_annotation_text(fig: go.Figure) -> str | None:
    for annotation in fig.layout.annotations or ():
        if annotation.name == SOURCE_ANNOTATION:
            return str(annotation.text)
    return None
