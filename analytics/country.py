"""Price gap between makers' countries (US vs China): ratio of medians and a Mann-Whitney U test."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from tokentide.analytics.columns import period_labels
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import PRICE_COLUMN

TEST_NAME: str = "Mann-Whitney U, two-sided (scipy.stats.mannwhitneyu)"


@dataclass(frozen=True)
class CountryGap:
    """median(price | numerator country) / median(price | denominator country) and the test's p."""

    ok: bool
    reason: str | None
    numerator: str
    denominator: str
    ratio: float
    p: float
    n_numerator: int
    n_denominator: int
    median_numerator_usd_per_mtok: float
    median_denominator_usd_per_mtok: float
    n_excluded_free: int
    n_excluded_unknown: int
    test: str = TEST_NAME


def country_gap(
    points: pd.DataFrame,
    *,
    numerator: str = "US",
    denominator: str = "CN",
    country_col: str = "author_country",
    price_col: str = PRICE_COLUMN,
) -> CountryGap:
    """Gap over the whole (pre-filtered) points frame, one row per model; free and unknown excluded.

    Pooled over tiers the ratio also reflects each country's tier mix; use `country_gap_by_group` for
    within-tier, within-period gaps. Refuses (ok=False) when either country has no paid price.
    """
    require_columns(points, (country_col, price_col), "country_gap")
    in_pair = points[points[country_col].isin([numerator, denominator])]
    price = in_pair[price_col].astype(float)
    paid = in_pair[(price > 0).to_numpy()]
    a = paid.loc[paid[country_col] == numerator, price_col].to_numpy(dtype=float)
    b = paid.loc[paid[country_col] == denominator, price_col].to_numpy(dtype=float)
    empty = [name for name, values in ((numerator, a), (denominator, b)) if len(values) == 0]
    median_a = float(np.median(a)) if len(a) else math.nan
    median_b = float(np.median(b)) if len(b) else math.nan
    p = math.nan if empty else float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
    return CountryGap(
        ok=not empty,
        reason=f"no paid prices for {' and '.join(empty)}" if empty else None,
        numerator=numerator,
        denominator=denominator,
        ratio=math.nan if empty else median_a / median_b,
        p=p,
        n_numerator=len(a),
        n_denominator=len(b),
        median_numerator_usd_per_mtok=median_a,
        median_denominator_usd_per_mtok=median_b,
        n_excluded_free=int((price == 0).sum()),
        n_excluded_unknown=int(price.isna().sum()),
    )


def country_gap_by_group(
    points: pd.DataFrame,
    *,
    tier_col: str = "assigned_tier",
    period: str = "year",
    date_col: str = "release_date",
    numerator: str = "US",
    denominator: str = "CN",
    country_col: str = "author_country",
    price_col: str = PRICE_COLUMN,
) -> pd.DataFrame:
    """One row per (tier, release period) with the CountryGap fields; refusals have ok=False and reason."""
    require_columns(points, (tier_col, date_col), "country_gap_by_group")
    labelled = points.assign(_period=period_labels(points[date_col], period))
    rows = []
    for (tier, label), group in labelled.groupby([tier_col, "_period"], sort=True):
        gap = country_gap(
            group, numerator=numerator, denominator=denominator, country_col=country_col, price_col=price_col
        )
        rows.append({"tier": tier, "period": label} | asdict(gap))
    columns = ["tier", "period", *CountryGap.__dataclass_fields__]
    return pd.DataFrame(rows, columns=columns)
