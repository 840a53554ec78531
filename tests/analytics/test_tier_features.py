"""Known answers for the tier features: words and parameter sizes read from model names, never prices."""

from __future__ import annotations

import pandas as pd
import pytest

from tokentide.analytics.tier_features import (
    feature_dicts,
    lineup_positions,
    name_signals,
    name_words,
    parameters_billions_in_name,
    size_bin,
)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("GPT-4o mini", ("mini",)),
        ("gpt-4.1-nano", ("nano",)),
        ("Gemini 2.0 Flash-Lite", ("flash", "lite")),
        ("GLM-4.7-FlashX", ("flashx",)),
        ("Claude 3.5 Haiku", ("haiku",)),
        ("claude-opus-4-5-20251101", ("opus",)),
        ("Command R+", ("plus",)),
        ("Qwen3.7-Max", ("max",)),
        ("Mistral Large 2", ("large",)),
        ("GLM-4.5-Air", ("air",)),
        ("Gemini 3 Pro (preview)", ("pro", "preview")),
        ("GPT-5", ()),
        ("o3", ()),
        ("command-r7b-12-2024", ()),  # 'r7b' is no word; the size is read separately
    ],
)
def test_name_words(name: str, words: tuple[str, ...]) -> None:
    assert name_words(name) == words


@pytest.mark.parametrize(
    ("name", "billions"),
    [
        ("Llama 3.1 8B Instruct", 8.0),
        ("llama-3.1-70b-instruct", 70.0),
        ("Llama 3.1 405B", 405.0),
        ("Mixtral 8x22B", 176.0),
        ("Qwen3-235B-A22B", 235.0),
        ("Gemini 1.5 Flash-8B", 8.0),
        ("command-r7b-12-2024", 7.0),
        ("SmolLM 135M", 0.135),
        ("Qwen2.5 1.5B", 1.5),
        ("GPT-4o", None),
        ("Kimi K2", None),
        ("gpt-5.4-nano", None),
    ],
)
def test_parameter_size_in_name(name: str, billions: float | None) -> None:
    assert parameters_billions_in_name(name) == (pytest.approx(billions) if billions is not None else None)


def test_signals_merge_display_name_and_id() -> None:
    signals = name_signals("Llama 4 Scout", "llama-4-scout-17b-16e-instruct")
    assert signals.parameters_billions == 17.0 and signals.words == ("instruct",)
    assert [size_bin(x) for x in (None, 8, 17, 70, 405)] == ["unknown", "<10b", "10-40b", "40-150b", ">=150b"]


def test_lineup_ranks_a_makers_models_released_together() -> None:
    models = pd.DataFrame(
        {
            "canonical_model_id": ["gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-3-davinci", "other-pro"],
            "model_name": ["GPT-5", "GPT-5 mini", "GPT-5 nano", "Davinci", "Other Pro"],
            "author": ["openai", "openai", "openai", "openai", "other"],
            "release_date": pd.to_datetime(["2025-08-07", "2025-08-07", "2025-08-20", "2020-06-11", "2025-08-07"]),
        }
    )
    place = lineup_positions(models)
    assert place["lineup_size"].tolist() == [3, 3, 3, 1, 1]  # another maker, or years apart, is another line-up
    assert place["n_above"].tolist() == [0, 1, 2, 0, 0]
    assert place["n_below"].tolist() == [2, 1, 0, 0, 0]


def test_features_never_read_the_price() -> None:
    base = {
        "canonical_model_id": ["a"],
        "model_name": ["A mini"],
        "author": ["x"],
        "is_reasoning": [True],
        "is_open_weights": [None],
        "release_date": pd.to_datetime(["2025-01-01"]),
    }
    cheap = feature_dicts(pd.DataFrame(base | {"usd_per_mtok": [0.1]}))
    dear = feature_dicts(pd.DataFrame(base | {"usd_per_mtok": [90.0]}))
    assert cheap == dear
    assert cheap[0]["word=mini"] == 1.0 and cheap[0]["reasoning"] == "yes" and cheap[0]["open_weights"] == "unknown"
