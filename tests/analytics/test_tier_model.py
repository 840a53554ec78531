"""The learned tier rule: maker-grouped CV on the shipped curated table, curated labels and overrides winning."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from tokentide.analytics import tier_model
from tokentide.analytics.frames import TIERS
from tokentide.analytics.tier_model import DEFAULT_ACCURACY_THRESHOLD, grouped_folds, learn_tiers
from tokentide.analytics.tiers import DEFAULT_TIER_RULE, apply_tier_rule, assign_tiers
from tokentide.warehouse.naming import reference_rows


@cache
def _curated() -> pd.DataFrame:
    """One row per launch of the shipped curated table, in the launch-table shape (no warehouse needed)."""
    rows = [r for r in reference_rows("milestones.csv") if r["event"] == "launch"]
    frame = pd.DataFrame(rows).drop_duplicates("model_id")
    return pd.DataFrame(
        {
            "canonical_model_id": frame["model_id"],
            "model_name": frame["model_name"],
            "author": frame["author"],
            "family": frame["family"],
            "tier": frame["tier"],
            "release_date": pd.to_datetime(frame["release_date"]).dt.tz_localize("UTC"),
            "is_reasoning": frame["is_reasoning"] == "true",
            "is_open_weights": frame["is_open_weights"] == "true",
            "usd_per_mtok": frame["usd_per_mtok_input"].astype(float),
        }
    ).reset_index(drop=True)


def _with_uncurated() -> pd.DataFrame:
    extra = pd.DataFrame(
        {
            "canonical_model_id": ["acme-ultra-2", "acme-mini-2", "newco-8b", "newco-405b-instruct"],
            "model_name": ["Acme Ultra 2", "Acme Mini 2", "NewCo 8B", "NewCo 405B Instruct"],
            "author": ["acme", "acme", "newco", "newco"],
            "family": [None] * 4,
            "tier": [None] * 4,
            "release_date": pd.to_datetime(["2026-01-05"] * 4).tz_localize("UTC"),
            "is_reasoning": [True, True, False, False],
            "is_open_weights": [False, False, True, True],
            "usd_per_mtok": [30.0, 0.4, 0.05, 3.0],
        }
    )
    return pd.concat([_curated(), extra], ignore_index=True)


def test_grouped_folds_never_put_a_maker_on_both_sides() -> None:
    model = learn_tiers(_curated())
    assert model.ok and model.n_folds == 5
    held_out: set[str] = set()
    for train, test in model.fold_makers:
        assert not train & test
        held_out |= test
    assert held_out == set(_curated()["author"])  # every maker is judged exactly once, by a model blind to it
    groups = np.array(["a", "a", "b", "c", "c", "c", "d"])
    for train, test in grouped_folds(groups, n_splits=3):
        assert not set(groups[train]) & set(groups[test])


def test_accuracy_and_confusion_matrix_agree() -> None:
    model = learn_tiers(_curated())
    confusion = model.confusion.loc[list(TIERS), list(TIERS)].to_numpy()
    assert confusion.sum() == model.n_labelled == len(_curated())
    assert model.cv_accuracy == pytest.approx(np.trace(confusion) / confusion.sum())
    counts = _curated()["tier"].value_counts()
    assert model.baseline_accuracy == pytest.approx(counts.max() / counts.sum())
    assert confusion.sum(axis=1).tolist() == [int(counts[t]) for t in TIERS]


def test_default_rule_follows_the_published_threshold() -> None:
    """The shipped default must match what grouped CV on the shipped table says (docs/tiers.md)."""
    model = learn_tiers(_curated())
    assert (DEFAULT_TIER_RULE == "learned") == (model.cv_accuracy >= DEFAULT_ACCURACY_THRESHOLD)


def test_fit_is_deterministic() -> None:
    first = learn_tiers(_curated())
    tier_model._CACHE.clear()
    second = learn_tiers(_curated().copy())
    assert first is not second
    pd.testing.assert_frame_equal(first.probabilities, second.probabilities)
    assert first.cv_accuracy == second.cv_accuracy


def test_curated_labels_win_and_every_dated_model_gets_a_tier() -> None:
    models = _with_uncurated()
    launch, assignment = apply_tier_rule(models, "learned")
    curated = launch["tier"].isin(TIERS)
    disagrees = curated & (launch["learned_tier"] != launch["tier"])
    assert disagrees.any()  # the classifier is wrong on some curated models...
    assert (launch.loc[curated, "assigned_tier"] == launch.loc[curated, "tier"]).all()  # ...and loses to them
    assert (launch.loc[curated, "tier_source"] == "curated").all()
    assert assignment.n_unassigned == 0 and launch["assigned_tier"].isin(TIERS).all()
    new = launch.set_index("canonical_model_id").loc[["acme-ultra-2", "acme-mini-2", "newco-8b"]]
    assert (new["tier_source"] == "learned").all()
    assert new["learned_probability"].between(1 / 3, 1).all()
    assert new.loc["newco-8b", "assigned_tier"] == "economy"


def test_config_overrides_win_over_curated_and_learned() -> None:
    overrides = {"acme-mini-2": "flagship", "gpt-4o-mini": "mid"}
    result = assign_tiers(_with_uncurated(), "learned", overrides=overrides)
    assert result.tiers["acme-mini-2"] == "flagship" and result.tiers["gpt-4o-mini"] == "mid"
    assert result.detail is not None
    assert result.detail.loc[["acme-mini-2", "gpt-4o-mini"], "tier_source"].tolist() == ["override", "override"]


def test_too_few_labels_leaves_uncurated_models_unplaced_with_a_reason() -> None:
    few = _with_uncurated().assign(tier=lambda f: f["tier"].where(f.index < 10))
    result = assign_tiers(few, "learned")
    assert result.n_assigned == 10
    (reason,) = result.unassigned_reasons
    assert "needs 30 curated models" in reason
