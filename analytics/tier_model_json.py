"""The learned tier rule as JSON: its grouped-CV accuracy, confusion matrix and per-model probability."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.frames import TIERS
from tokentide.analytics.prices import MODEL_KEY, PRICE_COLUMN
from tokentide.analytics.tier_model import (
    CV_DESCRIPTION,
    DEFAULT_ACCURACY_THRESHOLD,
    ESTIMATOR,
    TierModel,
)


def default_decision(model: TierModel, default_rule: str) -> str:
    """One sentence on why the default rule is what it is."""
    if model.cv_accuracy is None:
        return f"the learned rule could not be fitted ({model.reason}); the default is {default_rule}"
    verdict = "reaches" if model.meets_default_threshold else "is below"
    return (
        f"maker-grouped CV accuracy {model.cv_accuracy:.1%} {verdict} the {DEFAULT_ACCURACY_THRESHOLD:.0%} "
        f"needed to make the learned rule the default; the default is {default_rule}"
    )


def dated_paid(launch: pd.DataFrame) -> pd.DataFrame:
    """Models with a release date and a paid launch price: the ones every tier figure is about."""
    paid = (launch[PRICE_COLUMN] > 0).to_numpy(dtype=bool, na_value=False)
    return launch[paid & launch["release_date"].notna().to_numpy(dtype=bool)]


def model_rows(model: TierModel, launch: pd.DataFrame) -> list[dict[str, object]]:
    """Per dated, paid model: its curated tier (if any), the learned tier and that tier's probability."""
    rows = []
    for item in dated_paid(launch).to_dict(orient="records"):
        key = item[MODEL_KEY]
        curated = item.get("tier") if item.get("tier") in TIERS else None
        known = model.ok and key in model.probabilities.index
        learned = model.learned_tier.get(key) if known else None
        probability = float(model.probabilities.loc[key].max()) if known else None
        source = "curated" if curated else ("learned" if learned else None)
        rows.append(
            {
                MODEL_KEY: key,
                "curated_tier": curated,
                "learned_tier": learned,
                "learned_probability": probability,
                "learned_rule_tier": curated or learned,
                "tier_source": source,
            }
        )
    return rows


def tier_model_json(model: TierModel, launch: pd.DataFrame, *, default_rule: str) -> dict[str, object]:
    """The `tier_model` section of `tokentide report --json`."""
    confusion = {str(t): {str(p): int(model.confusion.loc[t, p]) for p in TIERS} for t in TIERS}
    return {
        "ok": model.ok,
        "reason": model.reason,
        "estimator": ESTIMATOR,
        "cross_validation": CV_DESCRIPTION,
        "n_labelled": model.n_labelled,
        "n_makers": model.n_makers,
        "n_folds": model.n_folds,
        "cv_accuracy": model.cv_accuracy,
        "cv_accuracy_grouped_by_family": model.cv_accuracy_by_family,
        "baseline_accuracy": model.baseline_accuracy,
        "baseline_definition": "share of the most common curated tier (always guessing it)",
        "default_threshold": DEFAULT_ACCURACY_THRESHOLD,
        "is_default": model.meets_default_threshold and default_rule == "learned",
        "default_rule": default_rule,
        "decision": default_decision(model, default_rule),
        "confusion_matrix": confusion,
        "confusion_matrix_axes": "rows: curated tier; columns: out-of-fold predicted tier",
        "models": model_rows(model, launch),
    }
