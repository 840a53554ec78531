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
PAPER_BLEND_WEIGHTS: tuple[float, float] = (3.0, 1.0)  # input : output


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


def _hhi_rows(report: Report) -> list[ReplicationRow]:
    series = report.hhi.series
    if series.empty:
        start = end = None
    else:
        end = series.iloc[-1]
        earlier = series[series["period"] == _three_years_before(str(end["period"]))]
        start = earlier.iloc[0] if len(earlier) else series.iloc[0]
    note = f"basis {report.hhi.basis}: {report.hhi.market_definition}"
    return [
        ReplicationRow(
            f"HHI, start ({start['period'] if start is not None else 'n/a'})",
            "HHI",
            PAPER_HHI_START,
            float(start["hhi"]) if start is not None else None,
            int(start["n_firms"]) if start is not None else None,
            None,
            note + "; paper: three years before its end",
        ),
        ReplicationRow(
            f"HHI, end ({end['period'] if end is not None else 'n/a'})",
            "HHI",
            PAPER_HHI_END,
            float(end["hhi"]) if end is not None else None,
            int(end["n_firms"]) if end is not None else None,
            None,
            note,
        ),
    ]


def _three_years_before(label: str) -> str | None:
    """The same period label three years earlier ('2026' -> '2023', '2026H1' -> '2023H1')."""
    return str(int(label[:4]) - 3) + label[4:] if label[:4].isdigit() else None


def _scan_note(report: Report) -> str:
    scan = report.chow_scan
    if not scan.ok:
        return f"sup-F scan: {scan.reason}"
    return f"sup-F scan: argmax {scan.argmax_date.date()}, F {scan.sup_f:.2f}, p_sup {scan.p_sup:.3f}"


def _fit_row(report: Report, tier: str, paper: float) -> ReplicationRow:
    fit = report.half_life[tier]
    low, high = fit.half_life_ci_years
    note = f"tier rule {report.tiers.rule} v{report.tiers.version}; {fit.message}"
    return ReplicationRow(f"Half-life, {tier} tier", "years", paper, fit.half_life_years, fit.n, (low, high), note)


def replication_rows(report: Report) -> tuple[ReplicationRow, ...]:
    """Arrange a Report's results beside the paper's figures; computes nothing of its own."""
    d, flagship = report.decline, report.half_life["flagship"]
    premium, chow, gap = report.reasoning_premium, report.chow, report.us_china
    premium_n = getattr(premium, "n_pairs", None) or getattr(premium, "n_groups", None)
    premium_how = "matched pairs" if premium is report.pair_premium else "median of within-tier ratios"
    weights = f"{report.settings.weights[0]:g}:{report.settings.weights[1]:g}"
    start = d.start_date.date() if isinstance(d.start_date, pd.Timestamp) else "n/a"
    end = d.end_date.date() if isinstance(d.end_date, pd.Timestamp) else "n/a"
    return (
        ReplicationRow(
            "Price decline",
            "fold",
            PAPER_DECLINE_FOLD,
            d.fold if d.ok else None,
            int((report.launch["price_state"] == "paid").sum()),
            None,
            f"first paid launch price over the cheapest since ({start} to {end}); paper: 2020-2026; blend {weights}",
        ),
        _fit_row(report, "economy", PAPER_HALF_LIFE_ECONOMY_YEARS),
        _fit_row(report, "mid", PAPER_HALF_LIFE_MID_YEARS),
        ReplicationRow(
            "Flagship trend R²",
            "R²",
            PAPER_FLAGSHIP_R2,
            flagship.r2 if flagship.ok else None,
            flagship.n,
            None,
            f"paper: no trend; tokentide: {flagship.message}",
        ),
        ReplicationRow(
            "Reasoning premium per token",
            "x",
            PAPER_REASONING_PREMIUM,
            premium.ratio if premium.ok else None,
            premium_n,
            (premium.ci_low, premium.ci_high),
            f"tokentide: {premium_how}",
        ),
        ReplicationRow(
            f"Chow F at {chow.break_date.date()}",
            "F",
            PAPER_CHOW_F,
            chow.f if chow.ok else None,
            chow.n_before + chow.n_after,
            None,
            f"paper: break {PAPER_BREAK_DATE}; {chow.reason or 'all models'}",
        ),
        ReplicationRow(
            f"Chow p at {chow.break_date.date()}",
            "p",
            PAPER_CHOW_P,
            chow.p if chow.ok else None,
            chow.n_before + chow.n_after,
            None,
            _scan_note(report),
        ),
        *_hhi_rows(report),
        ReplicationRow(
            "US / China median price",
            "x",
            PAPER_US_CHINA_RATIO,
            gap.ratio if gap.ok else None,
            gap.n_numerator + gap.n_denominator,
            None,
            f"pooled over tiers; {gap.reason or 'US vs CN authors'}",
        ),
        ReplicationRow(
            "US / China Mann-Whitney p",
            "p",
            PAPER_US_CHINA_P,
            gap.p if gap.ok else None,
            gap.n_numerator + gap.n_denominator,
            None,
            "paper: not significant",
        ),
    )
