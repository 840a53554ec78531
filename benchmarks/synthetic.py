"""A seeded synthetic price history: years of daily catalogue snapshots, models x providers, step-wise cuts.

The history is generated once in numpy (every draw from one seeded Generator, so a seed names a history),
then written either as a whole warehouse in bulk SQL (for the analytics, app and size benchmarks) or as
models.dev-shaped payloads, one per day, for the benchmarks that go through the real load path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from tokentide.analytics.tier_names import TIERS
from tokentide.warehouse.naming import canonical_model_id, reference

SOURCE = "modelsdev"
END_DAY = date(2026, 11, 24)
# (author, model id prefix, first-party provider, share of models, open weights share)
AUTHORS: tuple[tuple[str, str, str, float, float], ...] = (
    ("openai", "gpt", "openai", 0.14, 0.05),
    ("anthropic", "claude", "anthropic", 0.10, 0.0),
    ("google", "gemini", "google-ai-studio", 0.12, 0.15),
    ("meta", "llama", "meta", 0.08, 1.0),
    ("mistral", "mistral", "mistral", 0.07, 0.6),
    ("deepseek", "deepseek", "deepseek", 0.07, 0.9),
    ("xai", "grok", "xai", 0.05, 0.1),
    ("alibaba", "qwen", "alibaba", 0.09, 0.8),
    ("moonshot", "kimi", "moonshotai", 0.04, 0.7),
    ("zhipu", "glm", "zai", 0.04, 0.7),
    ("minimax", "minimax", "minimax", 0.03, 0.6),
    ("cohere", "command", "cohere", 0.04, 0.3),
    ("amazon", "nova", "bedrock", 0.05, 0.0),
    ("microsoft", "phi", "azure-ai", 0.04, 0.9),
    ("nvidia", "nemotron", "nvidia", 0.04, 1.0),
)
HOSTS = (
    "openrouter", "together", "fireworks", "deepinfra", "groq", "novita", "nebius", "cerebras",
    "sambanova", "hyperbolic", "google-vertex", "azure", "cloudflare", "baseten",
)  # fmt: skip
# Launch output price in USD/Mtok at the start of the history, and its half-life in years, per tier.
TIER_OUTPUT_USD = {"economy": 1.0, "mid": 10.0, "flagship": 60.0}
TIER_HALF_LIFE_YEARS = {"economy": 2.5, "mid": 2.0, "flagship": 2.5}
CUT_FACTORS = np.array([0.5, 0.6, 0.75, 0.8, 0.9, 1.15])
CUT_WEIGHTS = np.array([0.12, 0.15, 0.25, 0.22, 0.16, 0.10])
CUTS_PER_YEAR = 0.9
MAX_EVENTS = 14


@dataclass(frozen=True)
class HistorySpec:
    models: int = 2000
    providers_per_model: int = 5
    years: int = 10
    seed: int = 20261125

    @property
    def days(self) -> int:
        return round(self.years * 365)

    @property
    def start(self) -> date:
        return END_DAY - timedelta(days=self.days - 1)

    @property
    def key(self) -> str:
        return f"m{self.models}-p{self.providers_per_model}-y{self.years}-s{self.seed}"

    def scaled(self, factor: float) -> HistorySpec:
        return HistorySpec(max(10, round(self.models * factor)), self.providers_per_model, self.years, self.seed)


@dataclass(frozen=True)
class History:
    """`models`: one row per model; `intervals`: one row per (model, provider) price step, day-indexed."""

    spec: HistorySpec
    models: pd.DataFrame
    intervals: pd.DataFrame

    def day_start(self, day: int) -> datetime:
        return datetime.combine(self.spec.start, datetime.min.time()) + timedelta(days=int(day))


def _models(spec: HistorySpec, rng: np.random.Generator) -> pd.DataFrame:
    n = spec.models
    shares = np.array([a[3] for a in AUTHORS])
    author_ix = rng.choice(len(AUTHORS), size=n, p=shares / shares.sum())
    release_day = np.floor(spec.days * rng.random(n) ** 0.6).astype(int)  # more launches lately
    tier_ix = rng.choice(3, size=n, p=[0.45, 0.35, 0.20])
    years = release_day / 365.0
    half_life = np.array([TIER_HALF_LIFE_YEARS[t] for t in TIERS])[tier_ix]
    base = np.array([TIER_OUTPUT_USD[t] for t in TIERS])[tier_ix]
    reasoning = rng.random(n) < np.clip((years - spec.years + 2.5) / 5.0, 0.0, 0.5)
    output = base * 0.5 ** (years / half_life) * rng.lognormal(0.0, 0.45, n) * np.where(reasoning, 2.0, 1.0)
    open_share = np.array([a[4] for a in AUTHORS])[author_ix]
    return pd.DataFrame(
        {
            "model_ix": np.arange(n),
            "model_id": [f"{AUTHORS[a][1]}-synth-m{i:05d}" for i, a in enumerate(author_ix)],
            "author": [AUTHORS[a][0] for a in author_ix],
            "first_party": [AUTHORS[a][2] for a in author_ix],
            "release_day": release_day,
            "tier": np.array(TIERS)[tier_ix],
            "is_reasoning": reasoning,
            "is_open_weights": rng.random(n) < open_share,
            "launch_output": np.maximum(output, 0.01),
            "input_ratio": rng.choice([3.0, 4.0, 5.0], size=n, p=[0.3, 0.5, 0.2]),
        }
    )


def _series(spec: HistorySpec, models: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per (model, provider): the first party plus hosts, each listing from a start day to an end."""
    k = spec.providers_per_model
    n = len(models)
    hosts = np.argsort(rng.random((n, len(HOSTS))), axis=1)[:, : k - 1]
    providers = np.column_stack([models["first_party"].to_numpy(), np.array(HOSTS)[hosts]])
    lag = np.column_stack([np.zeros(n), rng.exponential(90.0, (n, k - 1))]).astype(int)
    start = models["release_day"].to_numpy()[:, None] + lag
    multiplier = np.column_stack([np.ones(n), rng.uniform(0.6, 1.4, (n, k - 1))])
    delisted = rng.random((n, k)) < 0.3
    end = np.where(delisted, start + 30 + rng.exponential(3 * 365.0, (n, k)).astype(int), spec.days)
    frame = pd.DataFrame(
        {
            "model_ix": np.repeat(models["model_ix"].to_numpy(), k),
            "provider": providers.ravel(),
            "start_day": start.ravel(),
            "end_day": np.minimum(end, spec.days).ravel(),
            "multiplier": multiplier.ravel(),
        }
    )
    return frame[frame["start_day"] < spec.days - 1].reset_index(drop=True)


def _intervals(spec: HistorySpec, models: pd.DataFrame, series: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Step-wise prices: events at exponential gaps, each a cut (or a rare rise) by a drawn factor."""
    s = len(series)
    gaps = rng.exponential(365.0 / CUTS_PER_YEAR, (s, MAX_EVENTS)).astype(int) + 1
    days = series["start_day"].to_numpy()[:, None] + np.column_stack([np.zeros(s, int), np.cumsum(gaps, axis=1)])
    factors = np.column_stack([np.ones(s), rng.choice(CUT_FACTORS, (s, MAX_EVENTS), p=CUT_WEIGHTS)])
    level = np.cumprod(factors, axis=1)
    end = series["end_day"].to_numpy()[:, None]
    keep = days < end
    following = np.column_stack([days[:, 1:], np.full(s, np.iinfo(np.int64).max)])
    to_day = np.minimum(following, end)
    model = models.set_index("model_ix").loc[series["model_ix"]]
    output = (model["launch_output"].to_numpy() * series["multiplier"].to_numpy())[:, None] * level
    rows = np.nonzero(keep)
    out = pd.DataFrame(
        {
            "model_ix": series["model_ix"].to_numpy()[rows[0]],
            "provider": series["provider"].to_numpy()[rows[0]],
            "from_day": days[rows],
            "to_day": to_day[rows],
            "usd_per_mtok_output": np.maximum(np.round(output[rows], 3), 0.001),
        }
    )
    ratio = models.set_index("model_ix").loc[out["model_ix"], "input_ratio"].to_numpy()
    out["usd_per_mtok_input"] = np.maximum(np.round(out["usd_per_mtok_output"] / ratio, 4), 0.0001)
    out["delisted"] = (out["to_day"] < spec.days) & (out["to_day"] == series["end_day"].to_numpy()[rows[0]])
    out.loc[out["to_day"] >= spec.days, "to_day"] = -1  # still current
    return out.sort_values(["model_ix", "provider", "from_day"], kind="stable").reset_index(drop=True)


def generate(spec: HistorySpec) -> History:
    """The whole history for a spec; the same spec always gives the same history."""
    rng = np.random.default_rng(spec.seed)
    models = _models(spec, rng)
    series = _series(spec, models, rng)
    intervals = _intervals(spec, models, series, rng)
    ref = reference()
    models["canonical_model_id"] = [canonical_model_id(m) for m in models["model_id"]]
    models["resolved_author"] = [ref.author(None, m) for m in models["model_id"]]
    return History(spec, models, intervals)


def prices_on(history: History, day: int) -> pd.DataFrame:
    """The catalogue on one day: every (model, provider) listed then, with its price."""
    iv = history.intervals
    live = (iv["from_day"] <= day) & ((iv["to_day"] == -1) | (iv["to_day"] > day))
    return iv[live].merge(history.models, on="model_ix")


def modelsdev_payload(history: History, day: int) -> bytes:
    """The models.dev api.json a source would have served on that day (what `tokentide ingest` reads)."""
    catalogue: dict[str, dict[str, object]] = {}
    updated = history.day_start(day).date().isoformat()
    for row in prices_on(history, day).itertuples(index=False):
        provider = catalogue.setdefault(
            row.provider,
            {"id": row.provider, "name": row.provider, "doc": f"https://example.test/{row.provider}", "models": {}},
        )
        provider["models"][row.model_id] = {  # type: ignore[index]
            "id": row.model_id,
            "name": row.model_id.replace("-", " ").title(),
            "family": row.model_id.split("-", 1)[0],
            "release_date": history.day_start(row.release_day).date().isoformat(),
            "last_updated": updated,
            "reasoning": bool(row.is_reasoning),
            "open_weights": bool(row.is_open_weights),
            "cost": {"input": float(row.usd_per_mtok_input), "output": float(row.usd_per_mtok_output)},
            "limit": {"context": 131072, "output": 16384},
        }
    return json.dumps(catalogue, separators=(",", ":")).encode()
