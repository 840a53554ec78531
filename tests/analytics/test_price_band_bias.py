"""The price-band rule's planted-truth misclassification: zero when tiers separate cleanly, large when they overlap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokentide.analytics.price_band_bias import price_band_bias


def _launch(spread: float) -> pd.DataFrame:
    """Three makers, each releasing an economy, a mid and a flagship model every quarter for three years;
    log prices are tier steps of 3 plus `spread` times a fixed pattern (so the fitted residual variance is set)."""
    rows = []
    pattern = np.array([1.0, -1.0, 0.5, -0.5])
    for q, day in enumerate(pd.date_range("2023-01-01", periods=12, freq="QS")):
        for m, maker in enumerate(("a", "b", "c")):
            for t, tier in enumerate(("economy", "mid", "flagship")):
                wobble = spread * pattern[(q + m + t) % len(pattern)]
                rows.append((f"{maker}-{tier}-{q}", maker, tier, day, float(np.exp(3.0 * t - 0.3 * q + wobble))))
    frame = pd.DataFrame(rows, columns=["canonical_model_id", "author", "tier", "release_date", "usd_per_mtok"])
    frame["release_date"] = frame["release_date"].dt.tz_localize("UTC")
    return frame


def test_well_separated_tiers_are_never_misplaced() -> None:
    (bias,) = price_band_bias(_launch(spread=0.01), maker_variance_shares=(0.25,), n_seeds=20)
    assert bias.n_models == 108 and bias.misclassified_share == 0.0 and bias.unplaced_share == 0.0


def test_overlapping_tiers_are_misplaced_and_the_result_is_seeded() -> None:
    launch = _launch(spread=3.0)
    first = price_band_bias(launch, maker_variance_shares=(0.25, 0.6), n_seeds=30)
    again = price_band_bias(launch, maker_variance_shares=(0.25, 0.6), n_seeds=30)
    assert first == again
    assert all(0.2 < b.misclassified_share < 2 / 3 for b in first)  # between clean and chance (2/3 wrong)
    assert all(b.misclassified_low <= b.misclassified_share <= b.misclassified_high for b in first)
