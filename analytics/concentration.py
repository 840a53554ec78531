"""Market concentration: HHI and CR4 per period on a stated basis, with merger-guideline bands."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.columns import (
    check_period,
    next_period_start,
    period_labels,
    period_starts,
    utc_series,
    utc_timestamp,
)
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import MODEL_KEY

BASES: tuple[str, ...] = ("models-by-author", "models-listed-by-author", "endpoints-by-provider", "usage")
# Bases counted over what the catalogue lists during each period (a stock), rather than what was released in
# it (a flow): their last period ends at `end`.
LISTED_BASES: frozenset[str] = frozenset({"models-listed-by-author", "endpoints-by-provider"})
USAGE_MEASURES: tuple[str, ...] = ("tokens", "spend_usd")
# Usage CSV: one row per period and firm. `period` is a free label sorted as text ('2025-01', '2025Q1');
# the firm is in `author` or `provider`; `tokens` and/or `spend_usd` are non-negative numbers with no
# blanks; an optional `country` (ISO alpha-2) feeds the US / China / other split.
USAGE_REQUIRED_COLUMNS: tuple[str, ...] = ("period",)
HIGHLY_CONCENTRATED_HHI: float = 1800.0  # 2023 Merger Guidelines: HHI above 1,800
SIGNIFICANT_CHANGE_HHI: float = 100.0  # 2023 Merger Guidelines: a change of more than 100 points
MODERATE_BAND_1992: tuple[float, float] = (1000.0, 1800.0)  # 1992 Horizontal Merger Guidelines
COUNTRY_GROUPS: tuple[str, ...] = ("US", "CN", "other", "unknown")
THIN_MIN_FIRMS: int = 5  # a period resting on fewer firms (makers) than this carries a warning
THIN_MIN_ITEMS: int = 20  # ... or, on a count basis, on fewer models (endpoints) than this
_BASIS_TEXT: dict[str, str] = {
    "models-by-author": "share of catalogue models released in the period, by author (model maker)",
    "models-listed-by-author": "share of models listed in the catalogue during the period, by author (model maker)",
    "endpoints-by-provider": "share of (model, serving provider) endpoints listed during the period, by provider",
    "usage": "share of {measure} in the period from a user-loaded usage file, by {firm}",
}


def hhi(sizes: np.ndarray | pd.Series) -> float:
    """Herfindahl-Hirschman index on 0-10,000: the sum of squared percentage shares of the sizes."""
    values = np.asarray(sizes, dtype=float)
    if values.size == 0 or np.any(values < 0) or not np.isfinite(values).all() or values.sum() <= 0:
        raise ValueError("hhi needs non-negative finite sizes with a positive total")
    shares_pct = 100.0 * values / values.sum()
    return float((shares_pct**2).sum())


def cr4(sizes: np.ndarray | pd.Series) -> float:
    """Four-firm concentration ratio in percent: the combined share of the four largest."""
    values = np.asarray(sizes, dtype=float)
    if values.size == 0 or np.any(values < 0) or values.sum() <= 0:
        raise ValueError("cr4 needs non-negative sizes with a positive total")
    return float(100.0 * np.sort(values)[::-1][:4].sum() / values.sum())


def is_highly_concentrated(hhi_value: float) -> bool:
    """2023 Merger Guidelines: a market with HHI above 1,800 is highly concentrated."""
    return hhi_value > HIGHLY_CONCENTRATED_HHI


def band_1992(hhi_value: float) -> str:
    """The older 1992 Horizontal Merger Guidelines bands (below 1,000 / 1,000-1,800 / above 1,800)."""
    low, high = MODERATE_BAND_1992
    if hhi_value < low:
        return "unconcentrated (1992 Guidelines)"
    if hhi_value <= high:
        return "moderately concentrated (1992 Guidelines)"
    return "highly concentrated (1992 Guidelines)"


def validate_usage(usage: pd.DataFrame, measure: str = "tokens", firm_col: str | None = None) -> pd.DataFrame:
    """Check a usage frame and return it with columns period, firm, size (and country if given)."""
    if measure not in USAGE_MEASURES:
        raise ValueError(f"usage measure must be one of {USAGE_MEASURES}, got {measure!r}")
    require_columns(usage, (*USAGE_REQUIRED_COLUMNS, measure), "usage file")
    firm = usage_firm_column(usage, firm_col)
    size = pd.to_numeric(usage[measure], errors="coerce")
    bad = usage.index[size.isna() | (size < 0)].tolist()
    if bad:
        raise ValueError(f"usage file: {measure} must be a non-negative number; bad rows {bad[:10]}")
    blank = usage.index[usage["period"].isna() | usage[firm].isna()].tolist()
    if blank:
        raise ValueError(f"usage file: period and {firm} must not be blank; bad rows {blank[:10]}")
    out = pd.DataFrame({"period": usage["period"].astype(str), "firm": usage[firm].astype(str), "size": size})
    if "country" in usage.columns:
        out["country"] = usage["country"]
    return out


def usage_firm_column(usage: pd.DataFrame, firm_col: str | None = None) -> str:
    """The usage file's firm column: `firm_col` if given, else 'author', else 'provider'."""
    firm = firm_col or next((c for c in ("author", "provider") if c in usage.columns), None)
    if firm is None or firm not in usage.columns:
        raise ValueError("usage file: needs an 'author' or a 'provider' column naming the firm")
    return firm


def _model_sizes(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    # Models with no release date cannot be put in a period and are left out.
    require_columns(frame, (MODEL_KEY, "author", "release_date"), "models-by-author shares")
    models = frame.drop_duplicates(MODEL_KEY)
    label = period_labels(models["release_date"], period)
    country = models["author_country"] if "author_country" in models.columns else None
    out = pd.DataFrame({"period": label, "firm": models["author"], "size": 1.0, "country": country})
    return out[out["period"].notna() & out["firm"].notna()]


def _listed_sizes(frame: pd.DataFrame, basis: str, period: str, end: object | None) -> pd.DataFrame:
    """One row per thing listed at any time in each period: a model (counted once, for its author) or a
    (model, provider) endpoint (for the provider). A listing is a price interval that overlaps the period."""
    firm = _firm_name(frame, basis, None)
    key = [MODEL_KEY, "provider"] if firm == "provider" else [MODEL_KEY]
    require_columns(frame, (MODEL_KEY, firm, "valid_from", "valid_to"), f"{basis} shares")
    valid_from, valid_to = utc_series(frame["valid_from"]), utc_series(frame["valid_to"])
    last = end if end is not None else pd.concat([valid_from, valid_to]).max()
    starts = period_starts(valid_from.min(), last, period)
    parts = []
    for start, stop in zip(starts, next_period_start(starts, period), strict=True):
        listed = (valid_from < stop) & (valid_to.isna() | (valid_to > start))
        things = frame.loc[listed.to_numpy(), list(dict.fromkeys([*key, firm, *_country_col(frame)]))]
        things = things.drop_duplicates(key)
        label = period_labels(pd.Series([start]), period).iloc[0]
        parts.append(things.assign(period=label))
    if not parts:
        return pd.DataFrame(columns=["period", "firm", "size", "country"])
    listed_all = pd.concat(parts, ignore_index=True)
    country = listed_all["author_country"] if "author_country" in listed_all.columns else None
    sizes = pd.DataFrame({"period": listed_all["period"], "firm": listed_all[firm], "size": 1.0, "country": country})
    return sizes[sizes["firm"].notna()]


def _country_col(frame: pd.DataFrame) -> list[str]:
    return ["author_country"] if "author_country" in frame.columns else []


def firm_sizes(
    frame: pd.DataFrame,
    basis: str,
    *,
    period: str = "year",
    measure: str = "tokens",
    firm_col: str | None = None,
    end: object | None = None,
) -> pd.DataFrame:
    """Rows (period, firm, size, country) on the basis; intervals frame for catalogue bases, usage frame
    for 'usage'. `end` closes the last period of the listed bases (default: latest date seen)."""
    if basis == "models-by-author":
        return _model_sizes(frame, check_period(period))
    if basis in LISTED_BASES:
        return _listed_sizes(frame, basis, check_period(period), end)
    if basis == "usage":
        return validate_usage(frame, measure, firm_col)
    raise ValueError(f"unknown concentration basis {basis!r}; choose one of {BASES}")


def shares_table(sizes: pd.DataFrame) -> pd.DataFrame:
    """Per period and firm: size and share in percent (for a stacked area chart)."""
    grouped = sizes.groupby(["period", "firm"], as_index=False, sort=True)["size"].sum()
    grouped["share_pct"] = 100.0 * grouped["size"] / grouped.groupby("period")["size"].transform("sum")
    return grouped[grouped["size"] > 0].reset_index(drop=True)


@dataclass(frozen=True)
class Concentration:
    """HHI and CR4 per period, labelled with the basis and the market definition they rest on."""

    basis: str
    market_definition: str
    firm: str  # what a firm is on this basis: "author", "provider" (or a usage file's firm column)
    series: pd.DataFrame  # period, hhi, cr4, n_firms, total, change, change_over_100, highly_concentrated, band_1992
    shares: pd.DataFrame  # period, firm, size, share_pct
    latest_hhi: float
    latest_period: str | None
    headline_hhi: float = math.nan  # the latest full (not partial), not thin period: the figure to quote
    headline_period: str | None = None


def concentration(
    frame: pd.DataFrame,
    basis: str = "models-by-author",
    *,
    period: str = "year",
    measure: str = "tokens",
    firm_col: str | None = None,
    end: object | None = None,
    filters: str | None = None,
    data_end: object | None = None,
) -> Concentration:
    """HHI (0-10,000) and CR4 (%) per period from an already-filtered frame.

    Filters (country, tier, ...) must be applied to `frame` by the caller before this call, so shares
    are shares of the filtered market; describe them in `filters` so the market definition says so.
    `change` is the difference from `previous_period`, the previous period with any market (empty
    periods are left out, not given an HHI); `change_over_100` flags |change| > 100, the
    2023 Merger Guidelines' threshold (which there concerns a merger's increase, not a drift over time).
    With `data_end`, a period the data end inside is `partial`; the headline is the latest period that is
    neither partial nor thin.
    """
    shares = shares_table(firm_sizes(frame, basis, period=period, measure=measure, firm_col=firm_col, end=end))
    rows = []
    for label, group in shares.groupby("period", sort=True):
        value = hhi(group["size"])
        rows.append(
            {"period": label, "hhi": value, "cr4": cr4(group["size"]), "n_firms": len(group)}
            | {"total": float(group["size"].sum()), "highly_concentrated": is_highly_concentrated(value)}
            | {"band_1992": band_1992(value)}
        )
    series = pd.DataFrame(rows, columns=[c for c in _SERIES_COLUMNS if not c.startswith(("change", "previous"))])
    series["change"] = series["hhi"].diff()
    series["previous_period"] = series["period"].shift()  # periods with no market are absent, not zero
    series["change_over_100"] = (series["change"].abs() > SIGNIFICANT_CHANGE_HHI).to_numpy(dtype=bool)
    firm = _firm_name(frame, basis, firm_col)
    series = _with_thin_flags(series[list(_SERIES_COLUMNS)], basis)
    ends = [_period_end(str(label)) for label in series["period"]]
    cutoff = utc_timestamp(data_end) if data_end is not None and basis != "usage" else None
    series["partial"] = [bool(cutoff is not None and e is not None and e > cutoff) for e in ends]
    latest = series.iloc[-1] if len(series) else None
    solid = series[~series["thin"].to_numpy(dtype=bool) & ~series["partial"].to_numpy(dtype=bool)]
    top = solid.iloc[-1] if len(solid) else None
    return Concentration(
        basis=basis,
        market_definition=market_definition(basis, period, measure, firm, filters),
        firm=firm,
        series=series,
        shares=shares,
        latest_hhi=float(latest["hhi"]) if latest is not None else math.nan,
        latest_period=str(latest["period"]) if latest is not None else None,
        headline_hhi=float(top["hhi"]) if top is not None else math.nan,
        headline_period=str(top["period"]) if top is not None else None,
    )


_PERIOD_LABEL = re.compile(r"^(\d{4})(?:H([12])|Q([1-4])|-(\d{2}))?$")


def _period_end(label: str) -> pd.Timestamp | None:
    """The first instant after a period: '2024' -> 2025-01-01, '2024H1' -> 2024-07-01, '2024Q3' -> 2024-10-01."""
    match = _PERIOD_LABEL.match(label)
    if not match:
        return None
    year, half, quarter, month = match.groups()
    start = 1 + (int(half) - 1) * 6 if half else 1 + (int(quarter) - 1) * 3 if quarter else int(month or 1)
    months = 6 if half else 3 if quarter else 1 if month else 12
    return pd.Timestamp(year=int(year), month=start, day=1, tz="UTC") + pd.DateOffset(months=months)


def _with_thin_flags(series: pd.DataFrame, basis: str) -> pd.DataFrame:
    """Add n_models, n_makers (None where the basis does not count them), thin and thin_reason per period."""
    counts_models = basis in ("models-by-author", "models-listed-by-author")
    items = series["total"].astype(float) if basis != "usage" else pd.Series(math.nan, index=series.index)
    firms = series["n_firms"].astype(int)
    few_firms, few_items = firms < THIN_MIN_FIRMS, items < THIN_MIN_ITEMS
    unit = "models" if counts_models else "endpoints"
    reasons = [
        "; ".join(
            ([f"only {f} firms (< {THIN_MIN_FIRMS})"] if ff else [])
            + ([f"only {i:.0f} {unit} (< {THIN_MIN_ITEMS})"] if fi else [])
        )
        or None
        for f, i, ff, fi in zip(firms, items, few_firms, few_items, strict=True)
    ]
    none = pd.Series(None, index=series.index, dtype=object)
    return series.assign(
        n_models=items.astype(object) if counts_models else none,
        n_makers=firms.astype(object) if basis != "endpoints-by-provider" else none,
        thin=(few_firms | few_items).to_numpy(dtype=bool),
        thin_reason=pd.Series(reasons, index=series.index, dtype=object),
    )


def _firm_name(frame: pd.DataFrame, basis: str, firm_col: str | None) -> str:
    if basis == "usage":
        return usage_firm_column(frame, firm_col)
    return "provider" if basis == "endpoints-by-provider" else "author"


_SERIES_COLUMNS: tuple[str, ...] = (
    "period", "hhi", "cr4", "n_firms", "total", "previous_period", "change", "change_over_100",
    "highly_concentrated", "band_1992",
)  # fmt: skip


def market_definition(basis: str, period: str, measure: str, firm: str, filters: str | None) -> str:
    """Human-readable statement of what the shares are shares of."""
    if basis not in BASES:
        raise ValueError(f"unknown concentration basis {basis!r}; choose one of {BASES}")
    what = _BASIS_TEXT[basis].format(measure=measure, firm=firm)
    per = "per period label of the usage file" if basis == "usage" else f"per {period}"
    scope = filters or "no filters stated"
    return f"{what}; {per}; market: {scope} (filters applied before shares were computed)"


def country_split(
    frame: pd.DataFrame,
    basis: str = "models-by-author",
    *,
    period: str = "year",
    measure: str = "tokens",
    firm_col: str | None = None,
    end: object | None = None,
) -> pd.DataFrame:
    """Per period: size and share (%) for US, CN, other and unknown country (never folded into other),
    with a `basis` column naming what was counted.

    Catalogue bases use the model maker's author_country (for endpoints, that of the served model);
    usage needs a `country` column.
    """
    sizes = firm_sizes(frame, basis, period=period, measure=measure, firm_col=firm_col, end=end)
    if "country" not in sizes.columns or (basis == "usage" and sizes["country"].isna().all()):
        raise ValueError(f"country split on basis {basis!r} needs a country column")
    country = sizes["country"].astype("string")
    group = np.where(country.isna(), "unknown", np.where(country.isin(["US", "CN"]), country, "other"))
    table = sizes.assign(country_group=group).groupby(["period", "country_group"], as_index=False)["size"].sum()
    table["share_pct"] = 100.0 * table["size"] / table.groupby("period")["size"].transform("sum")
    table["country_group"] = pd.Categorical(table["country_group"], categories=COUNTRY_GROUPS)
    return table.sort_values(["period", "country_group"]).reset_index(drop=True).assign(basis=basis)
