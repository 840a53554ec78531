"""What a model is, apart from its price: name tokens, parameter size, flags and maker, as tier features."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import MODEL_KEY

# Words makers use to position a model in its line-up. The learned rule weighs them; nothing here says
# which tier a word means. Longer words first so "flashx" is read before "flash".
POSITIONING_WORDS: tuple[str, ...] = (
    "flashx", "flash", "mini", "nano", "haiku", "lite", "light", "small", "tiny", "micro", "air", "instant",
    "fast", "turbo", "lightning", "edge", "medium", "sonnet", "plus", "standard", "pro", "opus", "ultra",
    "large", "max", "premier", "heavy", "xl", "thinking", "reasoning", "preview", "instruct", "chat", "coder",
)  # fmt: skip
FEATURE_COLUMNS: tuple[str, ...] = (
    MODEL_KEY,
    "model_name",
    "author",
    "release_date",
    "is_reasoning",
    "is_open_weights",
)
SIZE_BINS_BILLIONS: tuple[tuple[float, str], ...] = ((10.0, "<10b"), (40.0, "10-40b"), (150.0, "40-150b"))
# Where a word usually sits in a line-up, low to high: used only to rank a model against the maker's other
# models released near it (its line-up), which the classifier then weighs.
WORD_RANK: dict[str, float] = {
    "nano": -3, "micro": -3, "tiny": -3, "lite": -2, "light": -2, "mini": -2, "flashx": -2, "haiku": -2,
    "small": -2, "air": -2, "instant": -2, "flash": -1, "fast": -1, "turbo": -1, "lightning": -1, "edge": -2,
    "medium": 0, "sonnet": 0, "standard": 0, "plus": 1, "pro": 2, "large": 2, "max": 2, "heavy": 2, "xl": 2,
    "ultra": 3, "opus": 3, "premier": 3,
}  # fmt: skip
LINEUP_DAYS: float = 60.0  # a maker's models released this close together are one line-up

_TOKEN_SPLIT = re.compile(r"[^a-z0-9.+]+")
# 8x22b (mixture of experts), 70b, 1.5b, 135m; the number must not be glued to a preceding digit or dot.
_EXPERTS = re.compile(r"(?<![\d.])(\d+)x(\d+(?:\.\d+)?)b(?![a-z])")
_SIZE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)([bm])(?![a-z])")


@dataclass(frozen=True)
class NameSignals:
    """What a model's name says: positioning words found and the parameter size written in it."""

    words: tuple[str, ...]
    parameters_billions: float | None


def name_words(text: str) -> tuple[str, ...]:
    """The positioning words in a name or id, in POSITIONING_WORDS order ('GPT-4o mini' -> ('mini',)).

    A word counts when it is a whole token or a token's alphabetic head or tail ('flashx', 'gpt-4o-mini',
    'r7b' do not match 'x', 'o' or 'r'); '+' reads as 'plus' ('Command R+')."""
    tokens = [t for t in _TOKEN_SPLIT.split(text.lower().replace("+", " plus ")) if t]
    pieces: set[str] = set()
    for token in tokens:
        pieces.add(token)
        pieces.update(p for p in re.split(r"[\d.]+", token) if p)
    return tuple(word for word in POSITIONING_WORDS if word in pieces)


def parameters_billions_in_name(text: str) -> float | None:
    """The largest parameter size written in a name: '70B' -> 70, '8x22b' -> 176, 'Qwen3-235B-A22B' -> 235,
    '135m' -> 0.135; None when the name states no size."""
    lowered = text.lower()
    sizes = [int(n) * float(b) for n, b in _EXPERTS.findall(lowered)]
    for number, unit in _SIZE.findall(_EXPERTS.sub(" ", lowered)):
        sizes.append(float(number) / (1000.0 if unit == "m" else 1.0))
    sizes = [s for s in sizes if s > 0]
    return max(sizes) if sizes else None


@lru_cache(maxsize=16384)  # bounded; the same names recur on every scope of a warehouse
def name_signals(*texts: str | None) -> NameSignals:
    """Words and size from every name a model goes by (display name and id), merged."""
    words: list[str] = []
    sizes: list[float] = []
    for text in texts:
        if not text or not isinstance(text, str):
            continue
        words.extend(w for w in name_words(text) if w not in words)
        size = parameters_billions_in_name(text)
        if size is not None:
            sizes.append(size)
    ordered = tuple(w for w in POSITIONING_WORDS if w in words)
    return NameSignals(words=ordered, parameters_billions=max(sizes) if sizes else None)


def size_bin(parameters_billions: float | None) -> str:
    if parameters_billions is None:
        return "unknown"
    for upper, label in SIZE_BINS_BILLIONS:
        if parameters_billions < upper:
            return label
    return ">=150b"


def _flag(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    return "yes" if bool(value) else "no"


def model_features(row: Mapping[str, object]) -> dict[str, float | str]:
    """One model's features as a DictVectorizer-ready mapping (strings are one-hot, numbers stay numbers).

    Never reads a price. `parameters_billions` or `context_length` columns are used when a source has them."""
    signals = name_signals(str(row.get("model_name") or ""), str(row.get(MODEL_KEY) or ""))
    stated = row.get("parameters_billions")
    size = float(stated) if isinstance(stated, (int, float)) and stated == stated and stated > 0 else None
    size = size if size is not None else signals.parameters_billions
    features: dict[str, float | str] = {f"word={w}": 1.0 for w in signals.words}
    features["no_positioning_word"] = 0.0 if signals.words else 1.0
    features["size"] = size_bin(size)
    if size is not None:
        features["log10_parameters_billions"] = math.log10(size)
    context = row.get("context_length")
    if isinstance(context, (int, float)) and context == context and context > 0:
        features["log2_context_tokens"] = math.log2(float(context))
    features["reasoning"] = _flag(row.get("is_reasoning"))
    features["open_weights"] = _flag(row.get("is_open_weights"))
    features["maker"] = str(row.get("author") or "unknown")
    return features


def word_rank(signals: NameSignals) -> float:
    """Where the name's words place a model in a line-up (0 = no positioning word, e.g. 'GPT-5', 'o3')."""
    ranks = [WORD_RANK[w] for w in signals.words if w in WORD_RANK]
    return float(sum(ranks)) / len(ranks) if ranks else 0.0


def lineup_positions(models: pd.DataFrame) -> pd.DataFrame:
    """Per model: how many of the same maker's models were released within LINEUP_DAYS (its line-up, itself
    included), and how many of them rank above and below it by their names' words."""
    ranks = [
        word_rank(name_signals(str(r.get("model_name") or ""), str(r.get(MODEL_KEY) or "")))
        for r in models[[MODEL_KEY, "model_name"]].to_dict(orient="records")
    ]
    frame = pd.DataFrame(
        {
            "maker": models["author"].fillna("unknown").astype(str).to_numpy(),
            "day": pd.to_datetime(models["release_date"], utc=True).dt.tz_localize(None).to_numpy(),
            "rank": ranks,
        }
    )
    size, above, below = np.ones(len(frame)), np.zeros(len(frame)), np.zeros(len(frame))
    for _, group in frame[frame["day"].notna()].groupby("maker"):
        days = group["day"].to_numpy().astype("datetime64[D]").astype(float)
        rank = group["rank"].to_numpy()
        near = np.abs(days[:, None] - days[None, :]) <= LINEUP_DAYS
        rows = group.index.to_numpy()
        size[rows] = near.sum(axis=1)
        above[rows] = (near & (rank[None, :] > rank[:, None])).sum(axis=1)
        below[rows] = (near & (rank[None, :] < rank[:, None])).sum(axis=1)
    return pd.DataFrame({"lineup_size": size, "n_above": above, "n_below": below, "word_rank": ranks})


def feature_dicts(models: pd.DataFrame) -> list[dict[str, float | str]]:
    """Features for every row of a launch table (one row per canonical model)."""
    require_columns(models, FEATURE_COLUMNS, "tier features")
    models = models.reset_index(drop=True)
    lineup = lineup_positions(models)
    out = []
    for row, place in zip(models.to_dict(orient="records"), lineup.to_dict(orient="records"), strict=True):
        features = model_features(row)
        features["word_rank"] = place["word_rank"]
        features["lineup_size"] = place["lineup_size"]
        features["lineup_top"] = 1.0 if place["n_above"] == 0 else 0.0
        features["lineup_bottom"] = 1.0 if place["n_below"] == 0 and place["lineup_size"] > 1 else 0.0
        features["lineup_n_above"] = place["n_above"]
        features["lineup_n_below"] = place["n_below"]
        out.append(features)
    return out
