"""US vs China, side by side: median launch price per tier with n, a rank test and p, and shares of models."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.columns import finite_or_none
from tokentide.analytics.country import TEST_NAME, country_gap
from tokentide.analytics.frames import TIERS
from tokentide.analytics.tiers import TIER_COLUMN
from tokentide.reporting.scope import Scope

COUNTRIES: tuple[str, str] = ("US", "CN")
MIN_PER_SIDE: int = 3  # fewer paid prices than this on a side: no test is shown, the cell says so
COLUMNS: tuple[str, ...] = (
    "tier", "median_us_usd_per_mtok", "n_us", "median_cn_usd_per_mtok", "n_cn", "ratio_us_to_cn", "p_value",
    "verdict", "test",
)  # fmt: skip


def _row(group: str, points: pd.DataFrame) -> dict[str, object]:
    gap = country_gap(points, numerator="US", denominator="CN")
    thin = min(gap.n_numerator, gap.n_denominator) < MIN_PER_SIDE
    if thin:
        verdict = f"too few to test (needs {MIN_PER_SIDE} paid prices per country)"
    elif gap.p < 0.05:
        verdict = "US " + ("dearer" if gap.ratio > 1 else "cheaper") + " (p < 0.05)"
    else:
        verdict = "no significant difference"
    return {
        "tier": group,
        "median_us_usd_per_mtok": finite_or_none(gap.median_numerator_usd_per_mtok),
        "n_us": gap.n_numerator,
        "median_cn_usd_per_mtok": finite_or_none(gap.median_denominator_usd_per_mtok),
        "n_cn": gap.n_denominator,
        "ratio_us_to_cn": None if thin else finite_or_none(gap.ratio),
        "p_value": None if thin else finite_or_none(gap.p),
        "verdict": verdict,
        "test": TEST_NAME,
    }


def price_gap_table(scope: Scope) -> pd.DataFrame:
    """Per tier (and all tiers), median blended launch price of US and of Chinese makers' models."""

    def compute() -> pd.DataFrame:
        launch = scope.launch
        rows = [_row("all tiers", launch)]
        for tier in TIERS:
            rows.append(_row(tier, launch[(launch[TIER_COLUMN] == tier).to_numpy(dtype=bool)]))
        return pd.DataFrame(rows, columns=list(COLUMNS))

    return scope.memo(("us_china_prices",), compute)


def share_table(countries: pd.DataFrame) -> pd.DataFrame:
    """US and China shares per period side by side, with the n they rest on (from the country split)."""
    if countries.empty:
        return pd.DataFrame(columns=["period", "share_us_pct", "n_us", "share_cn_pct", "n_cn", "n_all"])
    frame = countries.assign(country_group=countries["country_group"].astype(str))
    size = frame.pivot_table(index="period", columns="country_group", values="size", aggfunc="sum", observed=True)
    share = frame.pivot_table(index="period", columns="country_group", values="share_pct", aggfunc="sum", observed=True)
    out = pd.DataFrame(
        {
            "share_us_pct": share.get("US"),
            "n_us": size.get("US"),
            "share_cn_pct": share.get("CN"),
            "n_cn": size.get("CN"),
            "n_all": size.sum(axis=1),
        }
    ).fillna({"share_us_pct": 0.0, "share_cn_pct": 0.0, "n_us": 0, "n_cn": 0})
    for column in ("n_us", "n_cn", "n_all"):
        out[column] = out[column].round().astype(int)
    return out.reset_index()
