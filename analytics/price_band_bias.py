"""How often the price-band rule misplaces a model: planted truth on the curated models' dates and makers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.columns import utc_series, years_since
from tokentide.analytics.frames import TIERS, require_columns
from tokentide.analytics.prices import MODEL_KEY, PRICE_COLUMN

MAKER_VARIANCE_SHARES: tuple[float, ...] = (0.25, 0.6)  # designs: share of residual variance due to the maker
DEFAULT_SEEDS: int = 200
DESIGN_TEXT: str = (
    "Planted truth: each curated model keeps its release date, maker and curated tier; its log price is drawn "
    "as tier intercept + common slope x years (both fitted by OLS on the curated launch prices) + a maker "
    "effect + noise, with the fit's residual variance split between maker and model by the design's share. "
    "The price-band rule is then applied to the drawn prices and compared with the planted tiers."
)


@dataclass(frozen=True)
class BandBias:
    """Misclassification of the price-band rule under one design, over `n_seeds` planted-truth draws."""

    maker_variance_share: float
    n_seeds: int
    n_models: int
    misclassified_share: float  # mean over seeds of (wrongly placed / placed)
    misclassified_low: float  # 5th percentile over seeds
    misclassified_high: float  # 95th percentile over seeds
    unplaced_share: float  # mean share left unplaced (half-years with fewer than 3 models)


def _design(curated: pd.DataFrame) -> tuple[np.ndarray, float, float, np.ndarray, np.ndarray]:
    """Tier intercepts, slope and residual variance of log price on tier and years, by OLS."""
    years = years_since(utc_series(curated["release_date"]), pd.Timestamp("2020-01-01", tz="UTC"))
    tiers = curated["tier"].map({t: i for i, t in enumerate(TIERS)}).to_numpy(dtype=int)
    design = np.column_stack([np.eye(len(TIERS))[tiers], years])
    log_price = np.log(curated[PRICE_COLUMN].to_numpy(dtype=float))
    coef, *_ = np.linalg.lstsq(design, log_price, rcond=None)
    residual = log_price - design @ coef
    variance = float(residual @ residual / max(len(residual) - design.shape[1], 1))
    return coef[: len(TIERS)], float(coef[-1]), variance, tiers, years


def price_band_bias(
    launch: pd.DataFrame,
    *,
    maker_variance_shares: tuple[float, ...] = MAKER_VARIANCE_SHARES,
    n_seeds: int = DEFAULT_SEEDS,
    seed: int = 0,
) -> tuple[BandBias, ...]:
    """Misclassification of the price-band rule when the curated tiers are the truth, per design.

    Uses the launch table's curated, dated, paid models; fixed seeds, so the same table gives the same result."""
    from tokentide.analytics.tiers import get_tier_rule  # tiers imports the learned rule, which imports us not

    require_columns(launch, (MODEL_KEY, "tier", "author", "release_date", PRICE_COLUMN), "price_band_bias")
    paid = (launch[PRICE_COLUMN] > 0).to_numpy(dtype=bool, na_value=False)
    keep = paid & launch["tier"].isin(TIERS).to_numpy(dtype=bool) & launch["release_date"].notna().to_numpy()
    curated = launch[keep].reset_index(drop=True)
    if len(curated) < 2 * len(TIERS):
        return ()
    intercepts, slope, variance, tiers, years = _design(curated)
    makers = pd.factorize(curated["author"].fillna("unknown"))[0]
    band = get_tier_rule("price-band").assign
    truth = np.array(TIERS, dtype=object)[tiers]
    results = []
    for share in maker_variance_shares:
        wrong, unplaced = [], []
        rng = np.random.default_rng(seed)
        for _ in range(n_seeds):
            maker_effect = rng.normal(0.0, np.sqrt(share * variance), makers.max() + 1)[makers]
            noise = rng.normal(0.0, np.sqrt((1.0 - share) * variance), len(curated))
            drawn = curated.assign(**{PRICE_COLUMN: np.exp(intercepts[tiers] + slope * years + maker_effect + noise)})
            placed = band(drawn)["tier"].to_numpy(dtype=object)
            has = pd.notna(placed)
            wrong.append(float(np.mean(placed[has] != truth[has])) if has.any() else np.nan)
            unplaced.append(float(1.0 - has.mean()))
        results.append(
            BandBias(
                maker_variance_share=share,
                n_seeds=n_seeds,
                n_models=len(curated),
                misclassified_share=float(np.nanmean(wrong)),
                misclassified_low=float(np.nanpercentile(wrong, 5)),
                misclassified_high=float(np.nanpercentile(wrong, 95)),
                unplaced_share=float(np.mean(unplaced)),
            )
        )
    return tuple(results)
