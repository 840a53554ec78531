"""One call that computes every headline figure for a (pre-filtered) intervals frame."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tokentide.analytics.breaks import DEFAULT_BREAK_DATE, ChowResult, ChowScan, chow_scan, chow_test
from tokentide.analytics.columns import utc_series, utc_timestamp
from tokentide.analytics.concentration import Concentration, concentration
from tokentide.analytics.country import CountryGap, country_gap
from tokentide.analytics.curves import DeclineFold, frontier_decline, launch_prices
from tokentide.analytics.frames import TIERS
from tokentide.analytics.frontier_halflife import FrontierHalfLife, fit_frontier_half_life
from tokentide.analytics.halflife import HalfLifeFit, fit_half_life
from tokentide.analytics.pairs import PairPremium, pair_premium_at_common_date
from tokentide.analytics.premium import (
    DEFAULT_TOKENS_PER_TASK_MULTIPLIER,
    GroupPremium,
    TaskPremium,
    per_task_premium,
    within_tier_premium,
)
from tokentide.analytics.prices import known_at, parse_weights
from tokentide.analytics.report_json import report_to_json
from tokentide.analytics.tiers import TIER_COLUMN, TierAssignment, apply_tier_rule, get_tier_rule


@dataclass(frozen=True)
class ReportSettings:
    """Every choice the figures depend on, echoed into the report."""

    as_of: pd.Timestamp | None
    tier_rule: str
    tier_rule_version: int
    weights: tuple[float, float]
    provider: str
    method: str
    bootstrap_draws: int
    scan_draws: int
    seed: int
    confidence: float
    break_date: pd.Timestamp
    hhi_basis: str
    period: str
    filters: str | None
    tokens_per_task_multiplier: float
    break_date_fixed: bool = False  # False: the headline break is the search-adjusted sup-F scan


@dataclass(frozen=True)
class Report:
    """All headline results; `launch` is the per-model launch table (with assigned_tier) behind them."""

    settings: ReportSettings
    n_intervals: int
    n_models: int
    launch: pd.DataFrame
    tiers: TierAssignment
    decline: DeclineFold  # from the first flagship(s) to the cheapest model since
    all_model_decline: DeclineFold  # the all-model frontier's start over its end
    half_life: Mapping[str, HalfLifeFit]  # "all" and each tier
    within_tier_premium: GroupPremium
    pair_premium: PairPremium | None
    per_task_premium: TaskPremium | None
    hhi: Concentration
    chow: ChowResult
    chow_scan: ChowScan
    us_china: CountryGap
    us_china_by_tier: Mapping[str, CountryGap]
    frontier_half_life: Mapping[str, FrontierHalfLife]  # q=0.1 quantile trend: "all" and each tier

    @property
    def reasoning_premium(self) -> PairPremium | GroupPremium:
        """Matched pairs when given and usable, else the within-tier median ratio."""
        if self.pair_premium is not None and self.pair_premium.ok:
            return self.pair_premium
        return self.within_tier_premium

    def to_json_dict(self) -> dict[str, object]:
        """A JSON-safe dict (NaN and inf become null, timestamps ISO strings); see report_json."""
        return report_to_json(self)


def build_report(
    intervals: pd.DataFrame,
    *,
    as_of: object | None = None,
    tier_rule: str = "positioning",
    tier_overrides: Mapping[str, str] | None = None,
    weights: str | tuple[float, float] = "3:1",
    provider: str = "first-party",
    pairs: pd.DataFrame | None = None,
    method: str = "ols",
    bootstrap_draws: int = 1000,
    scan_draws: int = 499,
    seed: int = 0,
    confidence: float = 0.95,
    break_date: object | None = None,
    hhi_basis: str = "models-by-author",
    usage: pd.DataFrame | None = None,
    period: str = "year",
    filters: str | None = None,
    tokens_per_task_multiplier: float = DEFAULT_TOKENS_PER_TASK_MULTIPLIER,
) -> Report:
    """Compute every headline figure on an intervals frame the caller has already filtered.

    With `as_of`, only intervals known then are used (see prices.known_at). Launch prices (first known
    price on or after release, maker's price preferred) feed the half-lives, decline, premium, Chow
    tests and the US-China gap; HHI uses the intervals (or `usage` for hhi_basis='usage'). Describe the
    caller's filters in `filters`: it goes into the HHI market definition. Without `break_date` the
    headline break is the search-adjusted sup-F scan (the fixed-date Chow test runs at DEFAULT_BREAK_DATE).
    """
    settings = ReportSettings(
        as_of=utc_timestamp(as_of) if as_of is not None else None,
        tier_rule=tier_rule,
        tier_rule_version=get_tier_rule(tier_rule).version,
        weights=parse_weights(weights),
        break_date=utc_timestamp(break_date if break_date is not None else DEFAULT_BREAK_DATE),
        break_date_fixed=break_date is not None,
        provider=provider,
        method=method,
        bootstrap_draws=bootstrap_draws,
        scan_draws=scan_draws,
        seed=seed,
        confidence=confidence,
        hhi_basis=hhi_basis,
        period=period,
        filters=filters,
        tokens_per_task_multiplier=tokens_per_task_multiplier,
    )
    frame = known_at(intervals, settings.as_of) if settings.as_of is not None else intervals
    launch = launch_prices(frame, weights=settings.weights, provider=provider)
    launch, tiers = apply_tier_rule(launch, tier_rule, overrides=tier_overrides, aliases=frame)
    premium, pair, per_task = _premiums(frame, launch, pairs, settings)
    return Report(
        settings=settings,
        n_intervals=len(frame),
        n_models=len(launch),
        launch=launch,
        tiers=tiers,
        decline=frontier_decline(launch),
        all_model_decline=frontier_decline(launch, start_tier=None),
        half_life=_half_lives(launch, settings),
        within_tier_premium=premium,
        pair_premium=pair,
        per_task_premium=per_task,
        hhi=_concentration(frame, usage, settings),
        chow=chow_test(launch, settings.break_date, seed=seed),
        chow_scan=chow_scan(launch, bootstrap_draws=scan_draws, seed=seed),
        us_china=country_gap(launch),
        us_china_by_tier={tier: country_gap(launch[launch[TIER_COLUMN] == tier]) for tier in TIERS},
        frontier_half_life=_frontier_half_lives(launch, settings),
    )


def _frontier_half_lives(launch: pd.DataFrame, settings: ReportSettings) -> dict[str, FrontierHalfLife]:
    seed, confidence = settings.seed, settings.confidence
    fits = {"all": fit_frontier_half_life(launch, seed=seed, confidence=confidence)}
    for tier in TIERS:
        fits[tier] = fit_frontier_half_life(launch[launch[TIER_COLUMN] == tier], seed=seed, confidence=confidence)
    return fits


def _half_lives(launch: pd.DataFrame, settings: ReportSettings) -> dict[str, HalfLifeFit]:
    options: dict[str, Any] = dict(
        method=settings.method,
        bootstrap_draws=settings.bootstrap_draws,
        seed=settings.seed,
        confidence=settings.confidence,
    )
    fits = {"all": fit_half_life(launch, **options)}
    for tier in TIERS:
        fits[tier] = fit_half_life(launch[launch[TIER_COLUMN] == tier], **options)
    return fits


def _premiums(
    frame: pd.DataFrame, launch: pd.DataFrame, pairs: pd.DataFrame | None, settings: ReportSettings
) -> tuple[GroupPremium, PairPremium | None, TaskPremium | None]:
    options: dict[str, Any] = dict(
        bootstrap_draws=settings.bootstrap_draws, seed=settings.seed, confidence=settings.confidence
    )
    premium = within_tier_premium(launch, period=settings.period, **options)
    pair = None
    if pairs is not None:
        pair = pair_premium_at_common_date(
            frame, pairs, weights=settings.weights, provider=settings.provider, **options
        )
    chosen = pair if pair is not None and pair.ok else premium
    per_task = None
    if chosen.ok:
        per_task = per_task_premium(
            chosen.ratio,
            ci=(chosen.ci_low, chosen.ci_high),
            tokens_per_task_multiplier=settings.tokens_per_task_multiplier,
        )
    return premium, pair, per_task


def _concentration(frame: pd.DataFrame, usage: pd.DataFrame | None, settings: ReportSettings) -> Concentration:
    if settings.hhi_basis == "usage":
        if usage is None:
            raise ValueError("hhi_basis 'usage' needs a usage frame")
        return concentration(usage, "usage", period=settings.period, filters=settings.filters)
    data_end = settings.as_of if settings.as_of is not None else _latest_start(frame)
    return concentration(
        frame,
        settings.hhi_basis,
        period=settings.period,
        end=settings.as_of,
        filters=settings.filters,
        data_end=data_end,
    )


def _latest_start(frame: pd.DataFrame) -> pd.Timestamp | None:
    """The data's end: the newest interval start (a period after it has no data yet)."""
    if "valid_from" not in frame.columns or frame.empty:
        return None
    latest = utc_series(frame["valid_from"]).max()
    return None if pd.isna(latest) else latest
