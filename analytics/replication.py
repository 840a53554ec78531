"""The paper's headline figures (from its abstract), beside tokentide's, each row saying how comparable it is."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from tokentide.analytics.report import Report

PAPER: str = "Tiered Super-Moore's Law (arXiv 2603.28576, 2026)"
# The paper's abstract gives these numbers and nothing about its method (tier thresholds, blend, regression
# specification, market definition); constants because they are quotations, not results.
PAPER_DECLINE_FOLD: float = 600.0  # ~600-fold price decline
PAPER_HALF_LIFE_ECONOMY_YEARS: float = 1.10
PAPER_HALF_LIFE_MID_YEARS: float = 1.55
PAPER_FLAGSHIP_R2: float = 0.031  # flagship tier: no trend
PAPER_REASONING_PREMIUM: float = 31.5
PAPER_BREAK_DATE: str = "2024-05"
PAPER_CHOW_F: float = 5.74
PAPER_CHOW_P: float = 0.005
PAPER_HHI_START: float = 4558.0
PAPER_HHI_END: float = 2086.0
PAPER_US_CHINA_RATIO: float = 63.0  # a TRAINING-cost gap, not a price gap
PAPER_US_CHINA_P: float = 0.228  # the $/FLOP difference, not significant
COMPARABLE: tuple[str, ...] = ("yes", "partly", "no")
NOT_IN_ABSTRACT: str = "the abstract does not give the paper's"


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
    comparable: str = "partly"  # yes | partly | no: whether the two numbers measure the same thing
    why: str = ""

    def to_json_dict(self) -> dict[str, object]:
        """Strict-JSON-ready: an unbounded interval end is null with `ci_high_unbounded` true."""
        low, high = self.interval if self.interval else (None, None)
        unbounded = high is not None and math.isinf(high) and high > 0

        def number(value: float | None) -> float | None:
            return value if value is not None and math.isfinite(value) else None

        return {
            "figure": self.figure,
            "unit": self.unit,
            "paper_value": self.paper_value,
            "tokentide_value": number(self.tokentide_value),
            "n": self.n,
            "interval": None if self.interval is None else [number(low), number(high)],
            "ci_low": number(low),
            "ci_high": number(high),
            "ci_high_unbounded": unbounded,
            "note": self.note,
            "comparable": self.comparable,
            "why": self.why,
        }


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
        f"({_day(d.end_date)}); blend {weights}",
        comparable="partly",
        why=f"both are a fold fall in price; {NOT_IN_ABSTRACT} definition. tokentide's is one extreme pair "
        "(the first flagship over the cheapest paid model since), so one model can move it",
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
        note=f"tier rule {_rule(report)}; {fit.message}",
        comparable="partly",
        why=f"same quantity (years for the {tier} price to halve); {NOT_IN_ABSTRACT} tier rule, blend or "
        f"regression; tokentide fits {report.settings.method} of log launch price on release date under the "
        f"{report.tiers.rule} rule",
    )


def _flagship_row(report: Report) -> ReplicationRow:
    fit = report.half_life["flagship"]
    note = f"paper: no trend; tokentide: {fit.message}; tier rule {_rule(report)}"
    why = (
        f"both are the R² of a flagship trend; {NOT_IN_ABSTRACT} tier rule or regression; the abstract ties its "
        "low R² to a reasoning premium"
    )
    return ReplicationRow(
        "Flagship trend R²", "R²", PAPER_FLAGSHIP_R2, _value(fit.ok, fit.r2), fit.n, None, note, "partly", why
    )


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
        comparable="partly",
        why="the abstract gives an average reasoning premium of 31.5x without saying how it averages; "
        + (
            "tokentide's is the geometric mean of matched pairs of one maker at a common date"
            if paired
            else "tokentide's is the median of within-tier, within-period ratios"
        ),
    )


def _bootstrap_p(p: float, draws: int | None) -> str:
    """A bootstrap p at its floor is a bound, not a value: 1/(draws+1) reads '<= 0.001 (999 draws)'."""
    if draws and p <= 1.0 / (draws + 1) + 1e-12:
        return f"<= {1.0 / (draws + 1):.2g} ({draws} draws)"
    return f"{p:.3g}"


def _chow_rows(report: Report) -> list[ReplicationRow]:
    """F at the fixed date, and the search-adjusted p (the sup-F scan over dates) as the break's p."""
    chow, scan = report.chow, report.chow_scan
    n = chow.n_before + chow.n_after
    day = _day(chow.break_date)
    fixed = f"fixed date {day}: {chow.reason}"
    if chow.ok:
        fixed = f"maker-robust p at the fixed date {day}: {_bootstrap_p(chow.p, chow.bootstrap_draws)}"
        fixed += f" ({chow.p_method}); the textbook F's p, which assumes independent models: {chow.p_iid:.3g}"
    if scan.ok:
        scan_note = f"search-adjusted (sup-F over dates, {scan.p_method}): argmax {_day(scan.argmax_date)}, "
        scan_note += f"sup-F {scan.sup_f:.2f}; {fixed}"
    else:
        scan_note = f"sup-F scan: {scan.reason}; {fixed}"
    why_f = (
        f"an F statistic at the same month on different data; {NOT_IN_ABSTRACT} specification, nor whether "
        "May 2024 was fixed in advance or found by searching the data"
    )
    why_p = (
        "tokentide's p allows for searching over break dates (a date picked by looking at the data makes a "
        "fixed-date p too small); the abstract does not say whether the paper's p does"
    )
    return [
        ReplicationRow(
            f"Chow F at {day}",
            "F",
            PAPER_CHOW_F,
            _value(chow.ok, chow.f),
            n,
            None,
            f"paper: break {PAPER_BREAK_DATE}; {chow.reason or 'all models'}",
            "partly",
            why_f,
        ),
        ReplicationRow(
            "Chow break p (search-adjusted)",
            "p",
            PAPER_CHOW_P,
            _value(scan.ok, scan.p_sup),
            n,
            None,
            scan_note,
            "partly",
            why_p,
        ),
    ]


def _hhi_row(figure: str, paper: float, row: pd.Series | None, note: str) -> ReplicationRow:
    label = f"{figure} ({row['period'] if row is not None else 'n/a'})"
    why = f"both are HHI; {NOT_IN_ABSTRACT} market definition, shares or periods"
    if row is None:
        return ReplicationRow(label, "HHI", paper, None, None, None, note, "partly", why)
    if bool(row.get("thin", False)):
        note += f"; THIN period, read with care: {row.get('thin_reason')}"
    n_models = row.get("n_models")
    n = int(n_models) if n_models is not None and not pd.isna(n_models) else int(round(float(row["total"])))
    return ReplicationRow(label, "HHI", paper, float(row["hhi"]), n, None, note, "partly", why)


def _hhi_rows(report: Report) -> list[ReplicationRow]:
    series = report.hhi.series
    start = end = None
    headline = series[series["period"] == report.hhi.headline_period] if not series.empty else series
    if len(headline):
        end = headline.iloc[0]  # the latest full, not thin period (a partial year is not an end point)
        earlier = series[series["period"] == _three_years_before(str(end["period"]))]
        start = earlier.iloc[0] if len(earlier) else series.iloc[0]
    note = f"basis {report.hhi.basis}: {report.hhi.market_definition}"
    return [
        _hhi_row("HHI, start", PAPER_HHI_START, start, note + "; tokentide: three years before its headline period"),
        _hhi_row("HHI, end", PAPER_HHI_END, end, note),
    ]


def _three_years_before(label: str) -> str | None:
    """The same period label three years earlier ('2026' -> '2023', '2026H1' -> '2023H1')."""
    return str(int(label[:4]) - 3) + label[4:] if label[:4].isdigit() else None


def _country_rows(report: Report) -> list[ReplicationRow]:
    gap = report.us_china
    n = gap.n_numerator + gap.n_denominator
    note = f"pooled over tiers; {gap.reason or 'US vs CN authors'}"
    why = (
        "different quantities: the paper's 63x is a gap in TRAINING cost and its p = 0.228 tests a difference "
        "in training $/FLOP; tokentide compares median inference (API) prices of US and Chinese makers"
    )
    why_p = f"different tests of different quantities: training $/FLOP in the paper, inference prices ({gap.test}) here"
    return [
        ReplicationRow(
            "US / China median inference price",
            "x",
            PAPER_US_CHINA_RATIO,
            _value(gap.ok, gap.ratio),
            n,
            None,
            note + "; paper: training-cost gap",
            "no",
            why,
        ),
        ReplicationRow(
            "US / China Mann-Whitney p",
            "p",
            PAPER_US_CHINA_P,
            _value(gap.ok, gap.p),
            n,
            None,
            "paper: $/FLOP difference not significant",
            "no",
            why_p,
        ),
    ]


def _rule(report: Report) -> str:
    label = f"{report.tiers.rule} v{report.tiers.version}"
    return label + (" (the paper's rule: selects on price)" if report.tiers.rule == "price-band" else "")


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
