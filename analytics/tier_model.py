"""The learned tier rule: a scikit-learn classifier of the curated positioning labels, checked by maker-grouped CV."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tokentide.analytics.frames import TIERS, require_columns
from tokentide.analytics.prices import MODEL_KEY
from tokentide.analytics.tier_features import FEATURE_COLUMNS, feature_dicts

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

CV_FOLDS: int = 5
DEFAULT_ACCURACY_THRESHOLD: float = 0.80  # grouped-CV accuracy the learned rule needs to be the default
MIN_LABELLED: int = 30
REGULARISATION_C: float = 1.0
SEED: int = 0
ESTIMATOR: str = (
    "multinomial logistic regression (scikit-learn, L2, C = 1) on one-hot name words, parameter-size bin and "
    "log size from the name, position in the maker's line-up of the time, reasoning and open-weights flags and "
    "maker; never the price"
)
CV_DESCRIPTION: str = (
    f"{CV_FOLDS}-fold GroupKFold grouped by maker: every maker's models are held out together, so a model is "
    "never judged by a classifier that saw its siblings"
)
PROBABILITY_COLUMNS: tuple[str, ...] = tuple(f"p_{tier}" for tier in TIERS)
_CACHE: OrderedDict[str, TierModel] = OrderedDict()
_CACHE_ENTRIES: int = 8
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class TierModel:
    """The learned rule fitted on one launch table.

    `probabilities` has one row per model (index canonical_model_id, columns p_economy, p_mid, p_flagship):
    out-of-fold for curated models (the honest figure), from the model fitted on all labels for the rest.
    `confusion` counts curated models by true tier (rows) and out-of-fold predicted tier (columns)."""

    ok: bool
    reason: str | None
    n_labelled: int
    n_makers: int
    n_folds: int
    cv_accuracy: float | None  # maker-grouped: the figure the default decision rests on
    cv_accuracy_by_family: float | None  # family-grouped: a new line of a maker the classifier has seen
    baseline_accuracy: float | None  # share of the most common curated tier: what guessing it scores
    confusion: pd.DataFrame
    fold_makers: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (train makers, test makers) per fold
    probabilities: pd.DataFrame
    learned_tier: pd.Series  # argmax of `probabilities`, index canonical_model_id

    @property
    def meets_default_threshold(self) -> bool:
        return self.cv_accuracy is not None and self.cv_accuracy >= DEFAULT_ACCURACY_THRESHOLD


def _pipeline() -> Pipeline:
    # scikit-learn is imported when a model is fitted, not when the tier rules are listed (CLI start-up)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MaxAbsScaler

    classifier = LogisticRegression(C=REGULARISATION_C, max_iter=2000, random_state=SEED)
    return Pipeline([("features", DictVectorizer(sparse=False)), ("scale", MaxAbsScaler()), ("model", classifier)])


def _probabilities(pipeline: Pipeline, features: list[dict[str, float | str]]) -> np.ndarray:
    """Class probabilities in TIERS order (a class missing from training gets probability 0)."""
    raw = pipeline.predict_proba(features)
    out = np.zeros((len(features), len(TIERS)))
    for j, label in enumerate(pipeline.classes_):
        out[:, TIERS.index(label)] = raw[:, j]
    return out


def _empty(models: pd.DataFrame, reason: str, n_labelled: int, n_makers: int) -> TierModel:
    index = pd.Index(models[MODEL_KEY].to_numpy(), name=MODEL_KEY)
    return TierModel(
        ok=False,
        reason=reason,
        n_labelled=n_labelled,
        n_makers=n_makers,
        n_folds=0,
        cv_accuracy=None,
        cv_accuracy_by_family=None,
        baseline_accuracy=None,
        confusion=pd.DataFrame(0, index=list(TIERS), columns=list(TIERS)),
        fold_makers=(),
        probabilities=pd.DataFrame(np.nan, index=index, columns=list(PROBABILITY_COLUMNS)),
        learned_tier=pd.Series(None, index=index, dtype=object),
    )


def grouped_folds(groups: np.ndarray, n_splits: int = CV_FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test row indices of GroupKFold: no group is on both sides of any fold."""
    from sklearn.model_selection import GroupKFold

    splitter = GroupKFold(n_splits=min(n_splits, len(set(groups))))
    return list(splitter.split(np.zeros(len(groups)), groups=groups))


def _cross_validate(
    x: list[dict[str, float | str]], y: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, tuple[tuple[frozenset[str], frozenset[str]], ...]]:
    """Out-of-fold class probabilities (TIERS order) and the groups on each side of every fold."""
    out_of_fold = np.zeros((len(y), len(TIERS)))
    sides = []
    for train, test in grouped_folds(groups):
        pipeline = _pipeline().fit([x[i] for i in train], y[train])
        out_of_fold[test] = _probabilities(pipeline, [x[i] for i in test])
        sides.append((frozenset(groups[train]), frozenset(groups[test])))
    return out_of_fold, tuple(sides)


def _accuracy(probabilities: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.array(TIERS, dtype=object)[probabilities.argmax(axis=1)] == y))


def _fit(models: pd.DataFrame) -> TierModel:
    from sklearn.metrics import confusion_matrix

    labels = models["tier"].where(models["tier"].isin(TIERS))
    labelled = labels.notna().to_numpy(dtype=bool)
    makers = models["author"].fillna("unknown").astype(str).to_numpy()
    n_labelled, n_makers = int(labelled.sum()), len(set(makers[labelled]))
    if n_labelled < MIN_LABELLED or labels[labelled].nunique() < len(TIERS) or n_makers < 2:
        reason = f"needs {MIN_LABELLED} curated models of all {len(TIERS)} tiers from 2+ makers"
        return _empty(models, f"{reason}; has {n_labelled} from {n_makers} makers", n_labelled, n_makers)
    features = feature_dicts(models)
    x_train = [features[i] for i in np.flatnonzero(labelled)]
    y_train = labels[labelled].to_numpy(dtype=object)
    out_of_fold, fold_makers = _cross_validate(x_train, y_train, makers[labelled])
    families = models["family"] if "family" in models.columns else pd.Series(None, index=models.index)
    family = families.fillna(pd.Series(makers, index=models.index)).astype(str).to_numpy()[labelled]
    by_family, _ = _cross_validate(x_train, y_train, family)
    predicted = np.array(TIERS, dtype=object)[out_of_fold.argmax(axis=1)]
    probabilities = _probabilities(_pipeline().fit(x_train, y_train), features)
    probabilities[labelled] = out_of_fold
    index = pd.Index(models[MODEL_KEY].to_numpy(), name=MODEL_KEY)
    counts = pd.Series(y_train).value_counts()
    return TierModel(
        ok=True,
        reason=None,
        n_labelled=n_labelled,
        n_makers=n_makers,
        n_folds=len(fold_makers),
        cv_accuracy=_accuracy(out_of_fold, y_train),
        cv_accuracy_by_family=_accuracy(by_family, y_train),
        baseline_accuracy=float(counts.max() / n_labelled),
        confusion=pd.DataFrame(
            confusion_matrix(y_train, predicted, labels=list(TIERS)), index=list(TIERS), columns=list(TIERS)
        ),
        fold_makers=fold_makers,
        probabilities=pd.DataFrame(probabilities, index=index, columns=list(PROBABILITY_COLUMNS)),
        learned_tier=pd.Series(np.array(TIERS, dtype=object)[probabilities.argmax(axis=1)], index=index),
    )


def _key(models: pd.DataFrame) -> str:
    optional = ("family", "parameters_billions", "context_length")
    columns = [*FEATURE_COLUMNS, "tier", *(c for c in optional if c in models.columns)]
    text = models[columns].astype(str).to_json(orient="values")
    return hashlib.sha256(json.dumps([columns, text]).encode()).hexdigest()


def learn_tiers(models: pd.DataFrame) -> TierModel:
    """Fit the learned rule on a launch table (one row per canonical model, curated labels in `tier`).

    Deterministic (fixed seed, no randomness in GroupKFold); the same table returns the cached result."""
    require_columns(models, (*FEATURE_COLUMNS, "tier"), "learn_tiers")
    key = _key(models)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    result = _fit(models.reset_index(drop=True))
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_ENTRIES:
            _CACHE.popitem(last=False)
    return result


def assign_learned(models: pd.DataFrame) -> pd.DataFrame:
    """The `learned` tier rule: the curated tier where there is one, else the classifier's most probable tier.

    Returns tier and reason (as every rule) plus tier_source, learned_tier and learned_probability."""
    model = learn_tiers(models)
    curated = models["tier"].where(models["tier"].isin(TIERS))
    learned = model.learned_tier.reindex(models[MODEL_KEY]).to_numpy(dtype=object)
    probability = model.probabilities.reindex(models[MODEL_KEY]).max(axis=1).to_numpy(dtype=float)
    tier = curated.where(curated.notna(), pd.Series(learned, index=models.index)).astype(object)
    has_tier = tier.notna().to_numpy(dtype=bool)
    is_curated = curated.notna().to_numpy(dtype=bool)
    source = pd.Series(None, index=models.index, dtype=object)
    source[has_tier] = "learned"
    source[is_curated] = "curated"
    reason = pd.Series(None, index=models.index, dtype=object)
    reason[~has_tier] = f"no curated tier and no learned rule ({model.reason})"
    return pd.DataFrame(
        {
            "tier": tier.where(has_tier, None),
            "reason": reason,
            "tier_source": source,
            "learned_tier": learned,
            "learned_probability": probability,
        },
        index=models.index,
    )
