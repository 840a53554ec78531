"""The tier rules' own evidence, UI-free: learned-rule accuracy and coverage, and the price-band rule's bias."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.curves import launch_prices
from tokentide.analytics.frames import TIERS
from tokentide.analytics.price_band_bias import BandBias, price_band_bias
from tokentide.analytics.prices import MODEL_KEY
from tokentide.analytics.tier_model import TierModel
from tokentide.analytics.tier_model_json import dated_paid

CALIBRATION_DOC: str = "docs/calibration.md"  # where the calibration suite (make calibrate) writes CI coverage


def tier_coverage(launch: pd.DataFrame, model: TierModel | None) -> pd.DataFrame:
    """Dated, paid models per tier: with curated labels only (positioning) and with the learned rule."""
    models = dated_paid(launch)
    curated = models["tier"].where(models["tier"].isin(TIERS))
    learned = pd.Series(None, index=models.index, dtype=object)
    if model is not None and model.ok:
        learned = pd.Series(models[MODEL_KEY].map(model.learned_tier).to_numpy(dtype=object), index=models.index)
    learned_rule = curated.where(curated.notna(), learned)
    rows = [
        {
            "tier": tier,
            "positioning (curated)": int((curated == tier).sum()),
            "learned rule": int((learned_rule == tier).sum()),
        }
        for tier in TIERS
    ]
    rows.append(
        {
            "tier": "no tier",
            "positioning (curated)": int(curated.isna().sum()),
            "learned rule": int(learned_rule.isna().sum()),
        }
    )
    return pd.DataFrame(rows)


def confusion_frame(model: TierModel) -> pd.DataFrame:
    """Curated tier (rows) against out-of-fold predicted tier (columns), as counts."""
    frame = model.confusion.copy()
    frame.index = [f"curated {t}" for t in frame.index]
    frame.columns = [f"predicted {t}" for t in frame.columns]
    return frame.reset_index(names="")


def default_price_band_bias(n_seeds: int = 200) -> tuple[BandBias, ...]:
    """The price-band rule's misclassification on the embedded default's curated models (seconds: cache it)."""
    from tokentide.reporting.dataset import default_intervals

    return price_band_bias(launch_prices(default_intervals()), n_seeds=n_seeds)


def bias_frame(biases: tuple[BandBias, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "maker share of residual variance": b.maker_variance_share,
                "models": b.n_models,
                "seeds": b.n_seeds,
                "misplaced (mean)": b.misclassified_share,
                "misplaced, 5th-95th percentile": f"{b.misclassified_low:.0%} to {b.misclassified_high:.0%}",
                "left unplaced (mean)": b.unplaced_share,
            }
            for b in biases
        ]
    )
