"""The alias suggester: nearest known id by character n-grams, proposed only above the threshold."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.alias_suggest import numbers_of, precision_on, suggest_aliases

KNOWN = ["claude-haiku-4-5", "gemini-2-5-flash-lite", "llama-3-3-70b", "gpt-4o"]


def test_a_reordered_id_finds_its_model_and_is_proposed() -> None:
    found = suggest_aliases(["claude-4-5-haiku"], KNOWN).iloc[0]
    assert found["suggested_id"] == "claude-haiku-4-5" and found["cosine_similarity"] == 1.0 and found["proposed"]


def test_a_different_version_is_never_proposed_however_similar() -> None:
    found = suggest_aliases(["gemini-3-5-flash-lite"], KNOWN).iloc[0]
    assert found["suggested_id"] == "gemini-2-5-flash-lite" and found["cosine_similarity"] > 0.9
    assert not found["numbers_match"] and not found["proposed"]


def test_below_the_threshold_nothing_is_proposed() -> None:
    found = suggest_aliases(["snowflake-llama-3-3-70b"], KNOWN, threshold=0.99).iloc[0]
    assert found["suggested_id"] == "llama-3-3-70b" and not found["proposed"]


def test_numbers_are_compared_without_leading_zeros() -> None:
    assert numbers_of("bedrock/gpt-4o-2024-08-06") == ("4", "2024", "8", "6")


def test_precision_counts_correct_among_proposed() -> None:
    truth = {"claude-4-5-haiku": "claude-haiku-4-5", "llama3-3-70b-fast": "llama-3-3-70b",
             "gpt-4o-x": "gemini-2-5-flash-lite"}  # the last label is wrong on purpose  # fmt: skip
    labelled = pd.DataFrame({"alias": list(truth), "canonical_model_id": list(truth.values())})
    result = precision_on(labelled, KNOWN, threshold=0.5)
    suggested = suggest_aliases(list(truth), KNOWN, threshold=0.5)
    proposed = suggested[suggested["proposed"]]
    expected = sum(truth[a] == s for a, s in zip(proposed["model_id"], proposed["suggested_id"], strict=True))
    assert "gpt-4o-x" in set(proposed["model_id"])  # proposed as gpt-4o, which the label calls wrong
    assert result.n_labelled == 3 and result.n_proposed == len(proposed)
    assert result.n_correct == expected < result.n_proposed
    assert result.precision == expected / len(proposed)
