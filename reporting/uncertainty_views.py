"""UI-free pieces for showing uncertainty: frontier fits per scope, and half-life table columns that name it."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.frames import TIERS
from tokentide.analytics.frontier_halflife import FrontierHalfLife, fit_frontier_half_life
from tokentide.analytics.halflife import HalfLifeFit
from tokentide.analytics.tiers import TIER_COLUMN
from tokentide.reporting.scope import Scope

GROUPS: tuple[str, ...] = ("all", *TIERS)
FRONTIER_DRAWS: int = 199


def _group_points(scope: Scope, group: str) -> pd.DataFrame:
    launch = scope.launch
    return launch if group == "all" else launch[(launch[TIER_COLUMN] == group).to_numpy(dtype=bool)]


def frontier_fits(scope: Scope) -> dict[str, FrontierHalfLife]:
    """The q=0.1 quantile trend (the cheap end) per group, on all of the scope's launches."""

    def compute() -> dict[str, FrontierHalfLife]:
        return {g: fit_frontier_half_life(_group_points(scope, g), bootstrap_draws=FRONTIER_DRAWS) for g in GROUPS}

    return scope.memo(("frontier_fits",), compute)


def fit_columns(fit: HalfLifeFit) -> dict[str, object]:
    """Columns that say how a half-life and its interval were made and whether the makers were too few."""
    return {
        "estimator": fit.estimator,
        "ci_method": fit.ci_method,
        "n_makers": fit.n_clusters,
        "thin": fit.thin,
        "thin_reason": fit.thin_reason,
    }


def frontier_columns(fit: FrontierHalfLife | None) -> dict[str, object]:
    """The frontier trend beside the mean trend (None for rolling windows: the frontier uses all launches)."""
    if fit is None:
        return dict.fromkeys(
            ("frontier_half_life_years", "frontier_ci_low_years", "frontier_ci_high_years", "frontier_thin",
             "frontier_message", "frontier_estimator"),
        )  # fmt: skip
    low, high = fit.half_life_ci_years
    return {
        "frontier_half_life_years": fit.half_life_years,
        "frontier_ci_low_years": low,
        "frontier_ci_high_years": high,
        "frontier_thin": fit.thin,
        "frontier_message": fit.message,
        "frontier_estimator": fit.estimator,
    }
