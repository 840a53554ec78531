"""Concentration without false precision: n per period, thin and partial periods, a real time axis, plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.concentration import (
    HIGHLY_CONCENTRATED_HHI,
    THIN_MIN_FIRMS,
    THIN_MIN_ITEMS,
    Concentration,
)
from tokentide.reporting.scope import Scope

MIN_FIRMS: int = THIN_MIN_FIRMS  # fewer makers than this: the HHI mostly restates how few there are
MIN_ITEMS: int = THIN_MIN_ITEMS  # fewer models (or endpoints) than this: one release moves the index by thousands
PLAIN_BASIS: dict[str, str] = {
    "models-by-author": "share of the models released in each period, by maker — not of usage or revenue",
    "models-listed-by-author": "share of the models on offer during each period, by maker — not of usage or revenue",
    "endpoints-by-provider": "share of the (model, provider) offers during each period, by serving provider — not "
    "of usage or revenue",
    "usage": "share of the usage (tokens or spend) in your file, by firm",
}
ITEM_WORD: dict[str, str] = {
    "models-by-author": "models",
    "models-listed-by-author": "models",
    "endpoints-by-provider": "endpoints",
    "usage": "units",
}
DASHBOARD_RULES: str = (
    f"**Thin and partial periods** (Concentration): fewer than {MIN_FIRMS} makers or {MIN_ITEMS} models is thin "
    "(the HHI mostly restates how few there are); a period the data end inside is partial; the headline skips both. "
    "**Superseded** (Models & prices): a model whose maker released a newer one in the same tier, with the same "
    "open-weights status; undated models are never judged."
)
_LABEL = re.compile(r"^(\d{4})(?:(H)([12])|(Q)([1-4])|-(\d{2}))?$")
_MONTHS = {"year": 12, "half-year": 6, "quarter": 3, "month": 1}


def period_start(label: object) -> pd.Timestamp | None:
    """'2024' -> 2024-01-01, '2024H2' -> 2024-07-01, '2024Q3' -> 2024-07-01, '2024-05' -> 2024-05-01 (UTC)."""
    match = _LABEL.match(str(label))
    if not match:
        return None
    year, half, quarter, month = match.group(1), match.group(3), match.group(5), match.group(6)
    first = 1
    if half:
        first = (int(half) - 1) * 6 + 1
    elif quarter:
        first = (int(quarter) - 1) * 3 + 1
    elif month:
        first = int(month)
    return pd.Timestamp(year=int(year), month=first, day=1, tz="UTC")


def plain_basis(basis: str) -> str:
    return PLAIN_BASIS.get(basis, basis)


def annotated_series(result: Concentration, period: str, data_end: pd.Timestamp | None) -> pd.DataFrame:
    """The HHI series with what a reader needs to weigh each point: n models (or endpoints) and n makers,
    a thin flag, the period's start date (for a real time axis) and whether the data end inside it."""
    series = result.series.copy()
    series["n_items"] = series["total"].round().astype("Int64")
    series["n_makers"] = series["n_firms"].astype("Int64")
    if "thin" not in series.columns:  # analytics flags thin periods on its own basis-aware rule; keep it
        series["thin"] = ((series["n_firms"] < MIN_FIRMS) | (series["total"] < MIN_ITEMS)).to_numpy(dtype=bool)
    series["thin"] = series["thin"].fillna(False).astype(bool)
    series["period_start"] = [period_start(p) for p in series["period"]]
    months = _MONTHS.get(period)
    ends = [s + pd.DateOffset(months=months) if s is not None and months else None for s in series["period_start"]]
    end = data_end if data_end is not None and result.basis != "usage" else None
    series["partial"] = [bool(end is not None and e is not None and e > end + pd.Timedelta(seconds=1)) for e in ends]
    series["band_2023"] = np.where(series["hhi"] > HIGHLY_CONCENTRATED_HHI, "highly concentrated", "not highly")
    return series


def scoped_series(scope: Scope, result: Concentration, period: str, usage_key: int | None = None) -> pd.DataFrame:
    """annotated_series, computed once per filter state, basis and period (pages rerun on every click)."""
    key = ("annotated_series", result.basis, period, usage_key, result.latest_period)
    return scope.memo(key, lambda: annotated_series(result, period, scope.moment))


@dataclass(frozen=True)
class Headline:
    """The period the headline speaks for: the latest full period with enough makers and models."""

    row: pd.Series | None
    previous: pd.Series | None
    skipped: tuple[str, ...]  # later periods left out of the headline, with why

    @property
    def change(self) -> float | None:
        if self.row is None or self.previous is None:
            return None
        return float(self.row["hhi"] - self.previous["hhi"])


def headline(series: pd.DataFrame) -> Headline:
    solid = series[~series["thin"].to_numpy(dtype=bool) & ~series["partial"].to_numpy(dtype=bool)]
    if solid.empty:
        return Headline(None, None, tuple(_why(r) for _, r in series.iterrows()))
    row = solid.iloc[-1]
    previous = solid.iloc[-2] if len(solid) > 1 else None
    later = series[series.index > row.name]
    return Headline(row, previous, tuple(_why(r) for _, r in later.iterrows()))


def _why(row: pd.Series) -> str:
    reasons = [w for w, flag in (("partial: the data end inside it", row["partial"]), ("thin", row["thin"])) if flag]
    return f"{row['period']} ({', '.join(reasons)}; {row['n_items']} {'item' if row['n_items'] == 1 else 'items'}, " \
        f"{row['n_makers']} makers)"  # fmt: skip


def provider_colours(firms: list[str], author_colours: dict[str, str], series: tuple[str, ...]) -> dict[str, str]:
    """A provider that is also a maker (openai, or google-vertex for google) keeps that maker's colour on every
    chart; the others take the series colours not already used by a maker."""
    out: dict[str, str] = {}
    for firm in firms:
        maker = next((a for a in author_colours if firm == a or firm.startswith(f"{a}-")), None)
        if maker:
            out[firm] = author_colours[maker]
    spare = [c for c in series if c not in set(author_colours.values())] or list(series)
    for index, firm in enumerate(f for f in firms if f not in out):
        out[firm] = spare[index % len(spare)]
    return out
