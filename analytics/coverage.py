"""Coverage of the launch table: paid launch prices and makers per release year and tier, thin cells flagged."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.columns import utc_series
from tokentide.analytics.frames import TIERS, require_columns

THIN_LAUNCHES = 10  # a year-and-tier cell with fewer paid launch prices rests on thin data
UNASSIGNED = "unassigned"
COVERAGE_COLUMNS = ("year", "tier", "paid_launch_prices", "makers", "thin")


def yearly_launch_coverage(launch: pd.DataFrame, tier_col: str = "assigned_tier") -> pd.DataFrame:
    """Per release year: paid launch prices and distinct makers, for all models and for each tier
    (models the tier rule left out count as 'unassigned'); `thin` when fewer than THIN_LAUNCHES prices."""
    require_columns(launch, ("release_date", "price_state", "author", tier_col), "launch coverage")
    paid = launch[(launch["price_state"] == "paid") & launch["release_date"].notna()]
    frame = pd.DataFrame({
        "year": utc_series(paid["release_date"]).dt.year.astype(int),
        "tier": paid[tier_col].where(paid[tier_col].isin(TIERS), UNASSIGNED),
        "author": paid["author"],
    })  # fmt: skip
    everything = frame.assign(tier="all")
    grouped = pd.concat([everything, frame]).groupby(["year", "tier"])
    table = grouped.agg(paid_launch_prices=("author", "size"), makers=("author", "nunique")).reset_index()
    table["thin"] = table["paid_launch_prices"] < THIN_LAUNCHES
    order = {t: i for i, t in enumerate(("all", *TIERS, UNASSIGNED))}
    table = table.sort_values(["year", "tier"], key=lambda s: s.map(order) if s.name == "tier" else s)
    return table.reset_index(drop=True)[list(COVERAGE_COLUMNS)]
