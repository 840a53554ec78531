"""The paper's headline figures, and side-by-side rows placing tokentide's results next to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from tokentide.analytics.report import Report

PAPER: str = "Tiered Super-Moore's Law (arXiv 2603.28576, 2026)"
# The paper's published numbers; constants because they are quotations, not results.
PAPER_DECLINE_FOLD: float = 600.0  # ~600-fold price decline, 2020-2026
PAPER_HALF_LIFE_ECONOMY_YEARS: float = 1.10
PAPER_HALF_LIFE_MID_YEARS: float = 1.55
PAPER_FLAGSHIP_R2: float = 0.031  # flagship tier: no trend
PAPER_REASONING_PREMIUM: float = 31.5
PAPER_BREAK_DATE: str = "2024-05"
PAPER_CHOW_F: float = 5.74
PAPER_CHOW_P: float = 0.005
PAPER_HHI_START: float = 4558.0  # three years before the end of the paper's series
PAPER_HHI_END: float = 2086.0
PAPER_US_CHINA_RATIO: float = 63.0
PAPER_US_CHINA_P: float = 0.228  # not significant


@dataclass(frozen=True)
class ReplicationRow:
    """One line of the side-by-side table; `interval` is tokentide's CI where it has one."""

    figure: str
    unit: str
    paper_value: float
    tokentide_value: float | None
    n: int | None
    interval: tuple[float | None, float | None] | None
    note: str


def _value(ok: bool, value: float) -> float | None:
    return value if ok else None


def _day(stamp: pd.Timestamp | None) -> str:
    return str(stamp.date()) if isinstance(stamp, pd.Timestamp) else "n/a"


def _decline_row(report: Report) -> ReplicationRow:
    d = report.decline
    weights = f"{report.settings.weights[0]:g}:{report.settings.weights[1]:g}"
    return ReplicationRow(
        figure="Price decline",
        unit="fold",
        paper_value=PAPER_DECLINE_FOLD,
        tokentide_value=_value(d.ok, d.fold),
        n=int((report.launch["price_state"] == "paid").sum()),
        interval=None,
        note=f"{d.start_model} ({_day(d.start_date)}) over the cheapest paid model since, {d.end_model} "
        f"({_day(d.end_date)}); paper: 2020-2026; blend {weights}",
    )


def _fit_row(report: Report, tier: str, paper: float) -> ReplicationRow:
    fit = report.half_life[tier]
    return ReplicationRow(
        figure=f"Half-life, {tier} tier",
        unit="years",
        paper_value=paper,
        tokentide_value=fit.half_life_years,
        n=fit.n,
        interval=fit.half_life_ci_years,
        note=f"tier rule {report.tiers.rule} v{report.tiers.version}; {fit.message}",
    )


def _flagship_row(report: Report) -> ReplicationRow:
    fit = report.half_life["flagship"]
    note = f"paper: no trend; tokentide: {fit.message}"
    return ReplicationRow("Flagship trend R²", "R²", PAPER_FLAGSHIP_R2, _value(fit.ok, fit.r2), fit.n, None, note)


def _premium_row(report: Report) -> ReplicationRow:
    premium = report.reasoning_premium
    paired = premium is report.pair_premium
    return ReplicationRow(
        figure="Reasoning premium per token",
        unit="x",
        paper_value=PAPER_REASONING_PREMIUM,
        tokentide_value=_value(premium.ok, premium.ratio),
        n=report.pair_premium.n_pairs if paired and report.pair_premium else report.within_tier_premium.n_groups,
        interval=(premium.ci_low, premium.ci_high) if premium.ok else None,
        note="tokentide: matched pairs" if paired else "tokentide: median of within-tier, within-period ratios",
    )


def _chow_rows(report: Report) -> list[ReplicationRow]:
    chow, scan = report.chow, report.chow_scan
    n = chow.n_before + chow.n_after
    if scan.ok:
        scan_note = f"sup-F scan: argmax {_day(scan.argmax_date)}, F {scan.sup_f:.2f}, p_sup {scan.p_sup:.3f}"
    else:
        scan_note = f"sup-F scan: {scan.reason}"
    day = _day(chow.break_date)
    return [
        ReplicationRow(
            f"Chow F at {day}",
            "F",
            PAPER_CHOW_F,
            _value(chow.ok, chow.f),
            n,
            None,
            f"paper: break {PAPER_BREAK_DATE}; {chow.reason or 'all models'}",
        ),
        ReplicationRow(f"Chow p at {day}", "p", PAPER_CHOW_P, _value(chow.ok, chow.p), n, None, scan_note),
    ]


def _hhi_row(figure: str, paper: float, row: pd.Series | None, note: str) -> ReplicationRow:
    label = f"{figure} ({row['period'] if row is not None else 'n/a'})"
    if row is None:
        return ReplicationRow(label, "HHI", paper, None, None, None, note)
    return ReplicationRow(label, "HHI", paper, float(row["hhi"]), int(row["n_firms"]), None, note)


def _hhi_rows(report: Report) -> list[ReplicationRow]:
    series = report.hhi.series
    start = end = None
    if not series.empty:
        end = series.iloc[-1]
        earlier = series[series["period"] == _three_years_before(str(end["period"]))]
        start = earlier.iloc[0] if len(earlier) else series.iloc[0]
    note = f"basis {report.hhi.basis}: {report.hhi.market_definition}"
    return [
        _hhi_row("HHI, start", PAPER_HHI_START, start, note + "; paper: three years before its end"),
        _hhi_row("HHI, end", PAPER_HHI_END, end, note),
    ]


def _three_years_before(label: str) -> str | None:
    """The same period label three years earlier ('2026' -> '2023', '2026H1' -> '2023H1')."""
    return str(int(label[:4]) - 3) + label[4:] if label[:4].isdigit() else None


def _country_rows(report: Report) -> list[ReplicationRow]:
    gap = report.us_china
    n = gap.n_numerator + gap.n_denominator
    note = f"pooled over tiers; {gap.reason or 'US vs CN authors'}"
    return [
        ReplicationRow("US / China median price", "x", PAPER_US_CHINA_RATIO, _value(gap.ok, gap.ratio), n, None, note),
        ReplicationRow(
            "US / China Mann-Whitney p", "p", PAPER_US_CHINA_P, _value(gap.ok, gap.p), n, None, "paper: not significant"
        ),
    ]


def replication_rows(report: Report) -> tuple[ReplicationRow, ...]:
    """Arrange a Report's results beside the paper's figures; computes nothing of its own."""
    return (
        _decline_row(report),
        _fit_row(report, "economy", PAPER_HALF_LIFE_ECONOMY_YEARS),
        _fit_row(report, "mid", PAPER_HALF_LIFE_MID_YEARS),
        _flagship_row(report),
        _premium_row(report),
        *_chow_rows(report),
        *_hhi_rows(report),
        *_country_rows(report),
    )
