"""The data in view and the charts built from it, without Streamlit: filters, as-of, provenance, CSV = drawn."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest

from tests.app.conftest import INJECTION
from tokentide.reporting import scoped_analyses
from tokentide.reporting.catalogue import CHART_NAMES
from tokentide.reporting.chart import source_annotation_text
from tokentide.reporting.chartbook import CHARTS, build_chart
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.export import csv_bytes
from tokentide.reporting.filters import Filters, parse_filters
from tokentide.reporting.scope import Scope, build_scope

OPTIONS = {"models": "gpt-4o,claude-3-5-sonnet,deepseek-v3"}


def test_catalogue_lists_every_chart_builder() -> None:
    assert tuple(CHARTS) == CHART_NAMES


def test_default_scope_traces_every_priced_launch(scope: Scope) -> None:
    paid = scope.launch[scope.launch["price_state"] == "paid"]
    assert len(paid) > 60
    for column in ("source", "source_url", "sha256", "captured_at", "interval_id", "valid_from"):
        assert paid[column].notna().all(), column
    assert set(paid["interval_id"].astype(int)) <= set(scope.intervals["interval_id"])


def test_filters_narrow_the_scope(dataset: Dataset, scope: Scope) -> None:
    narrowed = build_scope(dataset, parse_filters({"author": "openai", "tier": "economy"}))
    assert 0 < len(narrowed.launch) < len(scope.launch)
    assert set(narrowed.launch["author"]) == {"openai"}
    assert set(narrowed.launch["assigned_tier"]) == {"economy"}
    served = build_scope(dataset, parse_filters({"provider": "bedrock"}))
    assert set(served.intervals["provider"]) == {"bedrock"}
    assert set(served.changes["provider"]) <= {"bedrock"}


def test_tiers_are_assigned_before_filtering(dataset: Dataset) -> None:
    everything = build_scope(dataset, Filters(tier_rule="price-band"))
    openai = build_scope(dataset, Filters(tier_rule="price-band", authors=("openai",)))
    tiers = everything.launch.set_index("canonical_model_id")["assigned_tier"]
    mine = openai.launch.set_index("canonical_model_id")["assigned_tier"]
    assert len(mine) > 5
    pd.testing.assert_series_equal(mine, tiers.reindex(mine.index))


def test_as_of_shows_the_data_as_it_stood(dataset: Dataset) -> None:
    past = build_scope(dataset, Filters(as_of=date(2023, 6, 30)))
    cutoff = pd.Timestamp("2023-07-01", tz="UTC")
    assert (past.intervals["valid_from"] < cutoff).all()
    assert (past.launch["release_date"].dropna() < cutoff).all()
    assert (past.changes["first_seen_at"] < cutoff).all()
    gpt4 = past.current()
    assert gpt4["valid_to"].isna().all()


def test_injected_values_match_nothing(dataset: Dataset) -> None:
    nothing = build_scope(dataset, parse_filters({"author": INJECTION, "country": "x" * 5000}))
    assert nothing.is_empty and nothing.launch.empty and nothing.changes.empty


@pytest.mark.parametrize("name", CHART_NAMES)
def test_every_chart_builds_with_its_source_line(scope: Scope, name: str) -> None:
    chart = build_chart(name, scope, OPTIONS)
    assert not chart.empty, name
    assert len(chart.data) > 0
    text = source_annotation_text(chart.figure)
    assert text is not None and "Source: list prices published by" in text and "Data as of 2026-" in text
    assert chart.title in chart.figure.layout.title.text
    assert "makers' price pages (curated by tokentide)" in chart.source_line and "models.dev" in chart.source_line


@pytest.mark.parametrize("name", CHART_NAMES)
def test_every_chart_says_so_when_nothing_matches(dataset: Dataset, name: str) -> None:
    empty = build_scope(dataset, parse_filters({"author": INJECTION}))
    chart = build_chart(name, empty, OPTIONS)
    assert chart.empty and chart.data.empty
    assert source_annotation_text(chart.figure) is not None


def _read_csv(chart_bytes: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(chart_bytes))


def _drawn(fig, name_filter=lambda name: True) -> list[float]:  # noqa: ANN001, ANN202
    values: list[float] = []
    for trace in fig.data:
        if name_filter(trace.name):
            values.extend(float(v) for v in (trace.x if trace.orientation == "h" else trace.y))
    return values


def test_price_curves_csv_is_exactly_what_is_drawn(scope: Scope) -> None:
    chart = build_chart("price-curves", scope)
    csv = _read_csv(csv_bytes(chart))
    assert len(csv) == len(chart.data)
    for layer in ("launch", "frontier", "trend"):
        rows = csv[csv["layer"] == layer]
        traces = [
            t
            for t in chart.figure.data
            if (t.mode == "markers") == (layer == "launch")
            and (("frontier" in t.name) == (layer == "frontier"))
            and (("trend" in t.name) == (layer == "trend"))
        ]
        drawn = sorted(float(v) for t in traces for v in t.y)
        assert np.allclose(sorted(rows["usd_per_mtok"]), drawn, rtol=1e-3), layer  # CSV: 4 significant digits
    assert csv.loc[csv["layer"] == "launch", "sha256"].notna().all()


@pytest.mark.parametrize(
    ("name", "value_column"),
    [
        ("concentration", "hhi"),
        ("movers", "pct_change"),
        ("premium-pairs", "ratio"),
        ("half-life-residuals", "residual_log"),
    ],
)
def test_csv_values_equal_the_first_trace(scope: Scope, name: str, value_column: str) -> None:
    chart = build_chart(name, scope)
    csv = _read_csv(csv_bytes(chart))
    first = next(t for t in chart.figure.data if t.type == "bar" or "markers" in (t.mode or ""))  # the points
    drawn = first.x if first.orientation == "h" else first.y
    # the CSV rounds to meaningful digits (4 significant, or 0.001 / 0.1 / 1 by unit): equal to that precision
    assert np.allclose(
        csv[value_column].astype(float),
        [float(v) for v in drawn],
        rtol=1e-3,
        atol=0.5e-3 + 0.5 * (name == "concentration"),
    )


def test_changes_this_week_counts_moves_to_the_as_of_date(scope: Scope) -> None:
    count, start, latest = scoped_analyses.changes_this_week(scope)
    assert start == scope.moment - pd.Timedelta(days=7)
    moves = scope.changes[scope.changes["event"].isin(["price_change", "free_to_paid", "paid_to_free"])]
    expected = moves[(moves["first_seen_at"] > start) & (moves["first_seen_at"] <= scope.moment)]
    assert count == len(expected)
    assert latest is not None and latest <= scope.moment


def test_replication_table_puts_paper_and_tokentide_side_by_side(scope: Scope) -> None:
    report = scoped_analyses.report(scope)
    table = scoped_analyses.replication_table(report, report)
    assert {"figure", "paper", "this_view", "embedded_default"} <= set(table.columns)
    assert table["paper"].notna().all() and table["this_view"].notna().sum() >= 8


def test_a_clicked_launch_point_maps_back_to_its_interval(scope: Scope) -> None:
    from tokentide.reporting.chartbook import traced_interval

    chart = build_chart("price-curves", scope)
    launch = chart.data[chart.data["layer"] == "launch"]
    first_group = launch["group"].iloc[0]
    rows = launch[launch["group"] == first_group]
    assert traced_interval(chart, 0, 2) == int(rows["interval_id"].iloc[2])
    assert chart.figure.data[0].y[2] == pytest.approx(rows["usd_per_mtok"].iloc[2])
    frontier_curve = next(i for i, t in enumerate(chart.figure.data) if "frontier" in t.name)
    assert traced_interval(chart, frontier_curve, 0) is None
    assert traced_interval(chart, 999, 0) is None and traced_interval(build_chart("movers", scope), 0, 0) is None


def test_the_app_shows_the_same_figures_as_tokentide_report(dataset: Dataset) -> None:
    for filters in (
        Filters(),
        parse_filters({"author": "openai,anthropic,google"}),
        parse_filters({"asof": "2025-06-30"}),
    ):
        scope = build_scope(dataset, filters)
        report = scoped_analyses.report(scope)
        fits = scoped_analyses.fits(scope)
        for group in ("all", "economy", "mid", "flagship"):
            assert fits[group].n == report.half_life[group].n
            assert fits[group].slope_ci == pytest.approx(report.half_life[group].slope_ci, nan_ok=True)
        assert scoped_analyses.reasoning_premium(scope).ratio == pytest.approx(
            report.reasoning_premium.ratio, nan_ok=True
        )
        assert scoped_analyses.market(scope, basis="models-by-author", period="year").latest_hhi == pytest.approx(
            report.hhi.latest_hhi, nan_ok=True
        )


def test_memo_computes_a_key_once_even_when_asked_concurrently(dataset: Dataset) -> None:
    import threading
    import time

    scope = build_scope(dataset, parse_filters({"author": "meta"}))
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(scope.memo(("slow",), slow))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 4 and len(calls) == 1


def test_log_axes_label_full_values_not_bare_minor_digits() -> None:
    import numpy as np

    from tokentide.reporting.figures import log_ticks

    narrow = log_ticks(np.array([0.3, 24.0]))
    assert narrow["tickvals"] == [0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
    assert narrow["ticktext"] == ["0.2", "0.5", "1", "2", "5", "10", "20"]
    wide = log_ticks(np.array([0.04, 60.0, np.inf, np.nan, 0.0]), money=True)  # inf, NaN and 0 are ignored
    assert wide["ticktext"] == ["$0.1", "$1", "$10", "$100"]  # five decades: powers of ten only
    assert log_ticks(np.array([np.nan])) == {}


def test_a_narrow_log_range_below_a_dollar_still_gets_two_labelled_ticks() -> None:
    import numpy as np

    from tokentide.reporting.figures import log_ticks

    ticks = log_ticks(np.array([0.41, 0.44]), money=True)  # plotly alone would label this "4 5 6"
    assert ticks["tickvals"] == [0.2, 0.5] and ticks["ticktext"] == ["$0.2", "$0.5"]
    wider = log_ticks(np.array([0.06, 0.9]), money=True)
    assert wider["ticktext"] == ["$0.05", "$0.1", "$0.2", "$0.5", "$1"]  # values below $1 carry their digits
