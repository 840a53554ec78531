"""Alias suggestions for model ids the normaliser cannot match: character n-gram TF-IDF + nearest neighbours.

Suggestions are for review only: each carries its cosine similarity, and only those at or above the
threshold whose version numbers agree are marked as proposed; nothing is merged here. Character n-grams
barely see version numbers ("gemini-3-5-flash-lite" is 0.96 from "gemini-2-5-flash-lite"), hence that check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

DEFAULT_THRESHOLD = 0.8
NGRAM_RANGE = (2, 4)
METHOD = "TF-IDF of character 2-4-grams (word-bounded), cosine nearest neighbour, version numbers must agree"
SUGGESTION_COLUMNS = ("model_id", "suggested_id", "cosine_similarity", "neighbour_rank", "numbers_match", "proposed")
_NUMBER = re.compile(r"\d+")


def numbers_of(model_id: str) -> tuple[str, ...]:
    """The id's digit groups in order, leading zeros dropped ('gpt-4o-2024-08-06' -> 4, 2024, 8, 6)."""
    return tuple(str(int(n)) for n in _NUMBER.findall(model_id.rsplit("/", 1)[-1]))


def _text(model_id: str) -> str:
    """What the vectoriser sees: the id's last path segment, lowercased, separators as spaces."""
    tail = model_id.strip().lower().rsplit("/", 1)[-1]
    for sep in ("-", "_", ".", ":", "@"):
        tail = tail.replace(sep, " ")
    return tail


def suggest_aliases(
    unmatched: Sequence[str], known: Sequence[str], *, neighbours: int = 1, threshold: float = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """For each unmatched id, its nearest known ids with cosine similarity; `proposed` = similarity >= threshold."""
    known_ids = sorted(set(known))
    ids = [m for m in dict.fromkeys(unmatched) if m not in set(known_ids)]
    if not ids or not known_ids:
        return pd.DataFrame(columns=list(SUGGESTION_COLUMNS))
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True)
    known_matrix = vectoriser.fit_transform([_text(k) for k in known_ids])
    k = min(neighbours, len(known_ids))
    index = NearestNeighbors(n_neighbors=k, metric="cosine").fit(known_matrix)
    distances, positions = index.kneighbors(vectoriser.transform([_text(m) for m in ids]))
    rows = [
        (model_id, known_ids[positions[i, j]], float(1.0 - distances[i, j]), j + 1)
        for i, model_id in enumerate(ids)
        for j in range(k)
    ]
    frame = pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS[:4]))
    frame["cosine_similarity"] = frame["cosine_similarity"].clip(0.0, 1.0).round(4)
    frame["numbers_match"] = [numbers_of(a) == numbers_of(b) for a, b in zip(frame["model_id"], frame["suggested_id"],
                                                                             strict=True)]  # fmt: skip
    frame["proposed"] = (frame["cosine_similarity"] >= threshold) & frame["numbers_match"]
    return frame.sort_values(["cosine_similarity", "model_id"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class SuggesterPrecision:
    """Top-1 suggestions checked against known aliases: precision among the proposed, and how many were proposed."""

    threshold: float
    n_labelled: int
    n_proposed: int
    n_correct: int
    precision: float | None  # None when nothing was proposed
    recall: float | None
    method: str = METHOD


def precision_on(
    labelled: pd.DataFrame, known: Sequence[str], threshold: float = DEFAULT_THRESHOLD
) -> SuggesterPrecision:
    """`labelled` has columns alias (a source's raw id) and canonical_model_id (the curated answer)."""
    suggestions = suggest_aliases(labelled["alias"].tolist(), known, threshold=threshold)
    truth = dict(zip(labelled["alias"], labelled["canonical_model_id"], strict=False))
    proposed = suggestions[suggestions["proposed"]]
    correct = int(
        np.sum([truth.get(a) == s for a, s in zip(proposed["model_id"], proposed["suggested_id"], strict=True)])
    )
    n_labelled = len(suggestions)
    return SuggesterPrecision(
        threshold, n_labelled, len(proposed), correct,
        correct / len(proposed) if len(proposed) else None,
        correct / n_labelled if n_labelled else None,
    )  # fmt: skip
