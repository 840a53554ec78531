"""Thin years on the price-curves chart: counted per calendar year, gaps included, shaded and named."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tokentide.reporting.thin_periods import shade_thin_years, thin_note, thin_years


def test_years_with_few_dates_and_empty_years_between_are_thin() -> None:
    dates = pd.Series(pd.to_datetime(["2020-03-01"] * 2 + ["2022-05-01"] * 12 + ["2023-01-01"] * 9))
    assert thin_years(dates, minimum=10) == [2020, 2021, 2023]
    assert thin_note([2020, 2021], minimum=10).endswith("(fewer than 10 paid launch prices): 2020, 2021.")
    assert thin_years(pd.Series([], dtype="datetime64[ns]")) == [] and thin_note([]) == ""


def test_each_thin_year_gets_one_band_spanning_the_year() -> None:
    fig = shade_thin_years(go.Figure(), [2021, 2023])
    bands = [(s.x0, s.x1) for s in fig.layout.shapes]
    assert bands == [("2021-01-01", "2022-01-01"), ("2023-01-01", "2024-01-01")]


def test_the_price_curves_chart_on_the_default_names_its_thin_years(dataset) -> None:  # noqa: ANN001
    from tokentide.reporting.chartbook import build_chart
    from tokentide.reporting.filters import Filters
    from tokentide.reporting.scope import build_scope

    chart = build_chart("price-curves", build_scope(dataset, Filters()), {})
    assert "Shaded years rest on thin data" in chart.subtitle and "2021" in chart.subtitle
    assert len(chart.figure.layout.shapes) >= 1
