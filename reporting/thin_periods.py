"""Mark the calendar years of a time chart that rest on thin data (few paid launch prices)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tokentide.analytics.columns import utc_series
from tokentide.analytics.coverage import THIN_LAUNCHES

THIN_FILL = "rgba(120, 120, 120, 0.10)"


def thin_years(dates: pd.Series, minimum: int = THIN_LAUNCHES) -> list[int]:
    """Years between the first and last date holding fewer than `minimum` of them (0 counts: a gap is thin)."""
    years = utc_series(dates.dropna()).dt.year
    if years.empty:
        return []
    counts = years.value_counts()
    return [y for y in range(int(years.min()), int(years.max()) + 1) if counts.get(y, 0) < minimum]


def thin_note(years: list[int], minimum: int = THIN_LAUNCHES) -> str:
    if not years:
        return ""
    return f" Shaded years rest on thin data (fewer than {minimum} paid launch prices): {', '.join(map(str, years))}."


def shade_thin_years(fig: go.Figure, years: list[int]) -> go.Figure:
    """Grey bands over thin years, drawn below the data; the chart's subtitle says what they mean."""
    for year in years:
        fig.add_vrect(x0=f"{year}-01-01", x1=f"{year + 1}-01-01", fillcolor=THIN_FILL, line_width=0, layer="below")
    return fig
