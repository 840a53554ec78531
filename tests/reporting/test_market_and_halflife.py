"""Concentration without false precision, US vs China side by side, and the half-life's start-date sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokentide.analytics.concentration import concentration
from tokentide.reporting import market_view, sensitivity, theme, us_china
from tokentide.reporting.chartbook import build_chart
from tokentide.reporting.scope import Scope


def _models(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "canonical_model_id": [f"m{i}" for i in range(len(rows))],
            "author": [a for a, _ in rows],
            "release_date": pd.to_datetime([d for _, d in rows]),
        }
    )


def test_periods_carry_n_and_thin_and_partial_flags_and_the_headline_skips_them() -> None:
    rows = [("openai", "2020-06-01")] * 2 + [(f"maker{i % 6}", "2024-03-01") for i in range(24)]
    rows += [("x", "2026-09-01")]  # one release in the year the data end in
    result = concentration(_models(rows), "models-by-author", period="year")
    series = market_view.annotated_series(result, "year", pd.Timestamp("2026-10-26", tz="UTC"))
    by = series.set_index("period")
    assert by.loc["2020", "n_items"] == 2 and by.loc["2020", "n_makers"] == 1 and by.loc["2020", "thin"]
    assert not by.loc["2024", "thin"] and not by.loc["2024", "partial"]
    assert by.loc["2026", "partial"]  # the data end on 26 Oct: 2026 is not a full year yet
    top = market_view.headline(series)
    assert top.row["period"] == "2024" and any(s.startswith("2026") for s in top.skipped)
    assert str(by.loc["2024", "period_start"].date()) == "2024-01-01"


def test_the_chart_uses_a_time_axis_so_a_missing_year_is_a_gap(scope: Scope) -> None:
    chart = build_chart("concentration", scope)
    assert chart.figure.layout.xaxis.type == "date"
    assert {"n_items", "n_makers", "thin", "partial"} <= set(chart.data.columns)
    assert "not of usage or revenue" in chart.subtitle
    line = next(t for t in chart.figure.data if t.name == "HHI line")
    starts = pd.to_datetime(chart.data["period_start"])
    gaps = (starts.diff() > pd.Timedelta(days=370)).sum()
    assert sum(v is None for v in line.x) == gaps  # one break in the line per missing year


def test_period_labels_become_start_dates() -> None:
    assert market_view.period_start("2024H2") == pd.Timestamp("2024-07-01", tz="UTC")
    assert market_view.period_start("2024Q3") == pd.Timestamp("2024-07-01", tz="UTC")
    assert market_view.period_start("2025-05") == pd.Timestamp("2025-05-01", tz="UTC")
    assert market_view.period_start("my period") is None


def test_a_company_has_one_colour_on_every_chart() -> None:
    colours = market_view.provider_colours(["openai", "google-vertex", "together"], theme.AUTHOR_COLOURS,
                                           theme.SERIES_COLOURS)  # fmt: skip
    assert colours["openai"] == theme.AUTHOR_COLOURS["openai"]
    assert colours["google-vertex"] == theme.AUTHOR_COLOURS["google"]
    assert colours["together"] not in theme.AUTHOR_COLOURS.values()


def test_us_china_panel_shows_medians_n_and_p_or_says_too_few(scope: Scope) -> None:
    table = us_china.price_gap_table(scope).set_index("tier")
    assert list(table.index) == ["all tiers", "economy", "mid", "flagship"]
    assert (table["n_us"] > 0).all() and (table["n_cn"] >= 0).all()
    tested = table[table["p_value"].notna()]
    assert len(tested) and (tested[["n_us", "n_cn"]].min(axis=1) >= us_china.MIN_PER_SIDE).all()
    untested = table[table["p_value"].isna()]
    assert untested["verdict"].str.startswith("too few").all()


def _launch(slope_after_2023: float) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    dates = pd.date_range("2020-01-01", "2026-06-01", periods=80)
    years = (dates - dates[0]).days / 365.25
    before = -0.7 * np.minimum(years, 3.0)
    after = slope_after_2023 * np.maximum(years - 3.0, 0.0)
    prices = np.exp(3 + before + after + rng.normal(0, 0.3, len(dates)))
    return pd.DataFrame(
        {
            "canonical_model_id": [f"m{i}" for i in range(len(dates))], "release_date": dates,
            "launch_at": dates.tz_localize("UTC"), "usd_per_mtok": prices, "price_state": "paid",
            "assigned_tier": "mid",
        }
    )  # fmt: skip


def test_a_steady_decline_does_not_depend_on_the_start_date() -> None:
    table = sensitivity.sensitivity(_launch(-0.7), ("all",), pd.Timestamp("2026-06-01", tz="UTC"), "ols")
    assert len(table) > 4 and table["significant_decline"].all()
    assert sensitivity.depends_on_start(table) is None


def test_a_decline_that_stopped_is_flagged_as_depending_on_the_start_date() -> None:
    table = sensitivity.sensitivity(_launch(0.0), ("all",), pd.Timestamp("2026-06-01", tz="UTC"), "ols")
    assert table["significant_decline"].iloc[0] and not table["significant_decline"].iloc[-1]
    assert "depends on the start date" in sensitivity.depends_on_start(table)
