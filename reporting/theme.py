"""One look for every chart: colour-blind-safe palettes, a fixed colour per author, tier and country."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from tokentide.analytics.tier_names import TIERS

# Paul Tol's "muted" scheme (colour-blind safe) plus near-black, one fixed colour per major author so an
# author looks the same in every chart. Authors outside this list share OTHER_COLOUR and are grouped as
# "other" where a legend would otherwise run out of distinguishable colours.
AUTHOR_COLOURS: dict[str, str] = {
    "openai": "#222222",
    "anthropic": "#CC6677",
    "google": "#88CCEE",
    "meta": "#332288",
    "mistral": "#DDCC77",
    "xai": "#882255",
    "deepseek": "#44AA99",
    "alibaba": "#999933",
    "moonshot": "#AA4499",
    "zhipu": "#117733",
}
OTHER_COLOUR: str = "#BBBBBB"
OTHER_LABEL: str = "other"

# Okabe-Ito colours: distinguishable under the common colour-vision deficiencies.
TIER_COLOURS: dict[str, str] = dict(zip(TIERS, ("#009E73", "#0072B2", "#D55E00"), strict=True))
COUNTRY_COLOURS: dict[str, str] = {"US": "#0072B2", "CN": "#D55E00", "other": "#E69F00", "unknown": "#BBBBBB"}
SERIES_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
ACCENT: str = "#0072B2"
# Chart furniture and emphasis: figures.py takes every colour from here.
MARKER_EDGE: str = "#FFFFFF"
NEUTRAL_DARK: str = "#444444"  # the "all models" group beside the tiers; a secondary marker line
REFERENCE_LINE: str = "#666666"  # zero and parity lines
MUTED_LINE: str = "#777777"  # a reference band of lesser weight
EMPHASIS: str = "#D55E00"  # a chosen break date, an average, the 2023 Guidelines threshold
EMPHASIS_ALT: str = "#E69F00"
PRICE_DOWN: str = "#009E73"
PRICE_UP: str = "#D55E00"
MUTED_TEXT: str = "#5B6770"
THIN_PERIOD: str = "#9AA5AE"  # a period with too few makers or models to weigh (hollow marker outline)
FONT_FAMILY: str = "Inter, 'Source Sans Pro', 'DejaVu Sans', Arial, sans-serif"
TEMPLATE_NAME: str = "tokentide"


def author_colour(author: object) -> str:
    return AUTHOR_COLOURS.get(str(author), OTHER_COLOUR)


def author_group(author: object) -> str:
    """The author itself when it has its own colour, else 'other'."""
    return str(author) if str(author) in AUTHOR_COLOURS else OTHER_LABEL


def tier_colour(tier: object) -> str:
    return TIER_COLOURS.get(str(tier), OTHER_COLOUR)


def series_colour(index: int) -> str:
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def _template() -> go.layout.Template:
    axis = dict(
        showgrid=True,
        gridcolor="#E6E9EC",
        zeroline=False,
        linecolor="#9AA5AE",
        ticks="outside",
        tickcolor="#9AA5AE",
        title_font=dict(size=13, color=MUTED_TEXT),
        automargin=True,
    )
    return go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT_FAMILY, size=13, color="#1F2A33"),
            title=dict(font=dict(size=19, color="#111111"), x=0.0, xanchor="left", xref="paper"),
            paper_bgcolor="#FFFFFF",
            plot_bgcolor="#FFFFFF",
            colorway=list(SERIES_COLOURS),
            xaxis=axis,
            yaxis=axis,
            legend=dict(bgcolor="rgba(255,255,255,0.85)", borderwidth=0, font=dict(size=12)),
            hoverlabel=dict(bgcolor="#FFFFFF", font=dict(family=FONT_FAMILY, size=12)),
            margin=dict(l=70, r=30, t=90, b=110),
        )
    )


pio.templates[TEMPLATE_NAME] = _template()
