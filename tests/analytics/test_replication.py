"""Replication rows arrange a report's own numbers beside the paper's; they compute nothing."""

from __future__ import annotations

from functools import cache

from tests.analytics.synthetic import market_intervals
from tokentide.analytics.replication import (
    PAPER_HALF_LIFE_ECONOMY_YEARS,
    PAPER_HHI_END,
    ReplicationRow,
    replication_rows,
)
from tokentide.analytics.report import Report, build_report


@cache
def _report() -> Report:
    return build_report(market_intervals(n_models=200, intervals_per_model=6, seed=2), bootstrap_draws=200)


def _row(rows: tuple[ReplicationRow, ...], prefix: str) -> ReplicationRow:
    return next(row for row in rows if row.figure.startswith(prefix))


def test_rows_carry_the_reports_numbers_unchanged() -> None:
    report = _report()
    rows = replication_rows(report)
    economy = _row(rows, "Half-life, economy")
    assert economy.paper_value == PAPER_HALF_LIFE_ECONOMY_YEARS
    assert economy.tokentide_value == report.half_life["economy"].half_life_years
    assert economy.n == report.half_life["economy"].n
    assert economy.interval == report.half_life["economy"].half_life_ci_years
    assert _row(rows, "Price decline").tokentide_value == report.decline.fold
    assert _row(rows, "Flagship trend").tokentide_value == report.half_life["flagship"].r2
    assert _row(rows, "Reasoning premium").tokentide_value == report.reasoning_premium.ratio
    assert _row(rows, "Chow F").tokentide_value == report.chow.f
    assert _row(rows, "US / China median").tokentide_value == report.us_china.ratio
    assert _row(rows, "US / China Mann").tokentide_value == report.us_china.p


def test_hhi_rows_compare_the_headline_period_with_three_years_before() -> None:
    report = _report()
    series = report.hhi.series.set_index("period")
    headline = report.hhi.headline_period
    assert headline is not None and not series.loc[headline, "thin"] and not series.loc[headline, "partial"]
    start_label = str(int(headline) - 3)
    start, end = _row(replication_rows(report), "HHI, start"), _row(replication_rows(report), "HHI, end")
    assert start.figure == f"HHI, start ({start_label})" and start.tokentide_value == series.loc[start_label, "hhi"]
    assert end.paper_value == PAPER_HHI_END and end.tokentide_value == series.loc[headline, "hhi"]
    assert end.figure == f"HHI, end ({headline})" and "models-by-author" in end.note
    assert ("THIN" in start.note) == bool(series.loc[start_label, "thin"])


def test_every_row_says_what_differs() -> None:
    for row in replication_rows(_report()):
        assert row.note and row.unit and row.paper_value > 0


def test_every_row_says_whether_it_is_comparable_and_why() -> None:
    from tokentide.analytics.replication import COMPARABLE

    rows = replication_rows(_report())
    assert all(row.comparable in COMPARABLE and len(row.why) > 30 for row in rows)
    us_china = [row for row in rows if row.figure.startswith("US / China")]
    assert len(us_china) == 2 and all(row.comparable == "no" for row in us_china)
    assert all("training" in row.why.lower() for row in us_china)  # the paper measured training cost


def test_break_p_is_the_search_adjusted_one() -> None:
    report = _report()
    row = _row(replication_rows(report), "Chow break p")
    assert "search-adjusted" in row.figure
    assert row.tokentide_value == (report.chow_scan.p_sup if report.chow_scan.ok else None)
    assert row.tokentide_value != report.chow.p  # the fixed-date p stays in the note only
