"""The shared filter state: parsed from a URL query (untrusted), written back to it, applied in pandas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from tokentide.analytics.columns import true_mask
from tokentide.analytics.frames import TIERS
from tokentide.analytics.prices import DEFAULT_WEIGHTS, PROVIDER_SELECTIONS, parse_weights
from tokentide.analytics.tiers import TIER_RULES

MAX_VALUE_CHARS: int = 100  # a longer value is cut; it is still only ever compared as data
MAX_VALUES: int = 40
DATE_MIN: date = date(2000, 1, 1)  # dates outside this window are clamped (date widgets need bounds)
DATE_MAX: date = date(2100, 12, 31)
REASONING_CHOICES: tuple[str, ...] = ("all", "reasoning", "non-reasoning")
OPEN_CHOICES: tuple[str, ...] = ("all", "open", "closed")
DEFAULT_RULE: str = "positioning"
DEFAULT_PICK: str = "first-party"
WEIGHT_PRESETS: dict[str, str] = {
    "3:1": "3:1 input:output (default, as Artificial Analysis and Epoch AI)",
    "1:1": "1:1 input:output",
    "1:0": "input tokens only",
    "0:1": "output tokens only",
}
MULTI_KEYS: dict[str, str] = {"tier": "tiers", "provider": "providers", "author": "authors", "country": "countries"}
FILTER_KEYS: tuple[str, ...] = (*MULTI_KEYS, "from", "to", "reasoning", "open", "w", "asof", "rule", "pick")

QueryInput = Mapping[str, str | list[str]]


@dataclass(frozen=True)
class Filters:
    """Every page reads the same filters; values from a URL are data, never code or SQL."""

    tiers: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    reasoning: str = "all"
    open_weights: str = "all"
    weights: str = DEFAULT_WEIGHTS
    as_of: date | None = None
    tier_rule: str = DEFAULT_RULE
    pick: str = DEFAULT_PICK
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def to_query(self) -> dict[str, str]:
        """Only the values that differ from the defaults, in a stable order."""
        out: dict[str, str] = {}
        for key, attr in MULTI_KEYS.items():
            if getattr(self, attr):
                out[key] = ",".join(getattr(self, attr))
        scalars = {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "reasoning": None if self.reasoning == "all" else self.reasoning,
            "open": None if self.open_weights == "all" else self.open_weights,
            "w": None if self.weights == DEFAULT_WEIGHTS else self.weights,
            "asof": self.as_of.isoformat() if self.as_of else None,
            "rule": None if self.tier_rule == DEFAULT_RULE else self.tier_rule,
            "pick": None if self.pick == DEFAULT_PICK else self.pick,
        }
        out.update({k: v for k, v in scalars.items() if v is not None})
        return out

    @property
    def key(self) -> str:
        """A canonical string for cache keys and permalinks."""
        return urlencode(self.to_query())

    @property
    def is_default(self) -> bool:
        return not self.to_query()

    def describe(self) -> str:
        """One line a reader understands, e.g. for SOURCE.txt and the market definition."""
        parts = [f"{key}: {', '.join(getattr(self, attr))}" for key, attr in MULTI_KEYS.items() if getattr(self, attr)]
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "start"
            end = self.date_to.isoformat() if self.date_to else "latest"
            parts.append(f"released {start} to {end}")
        if self.reasoning != "all":
            parts.append(f"{self.reasoning} models only")
        if self.open_weights != "all":
            parts.append(f"{self.open_weights}-weights models only")
        parts.append(f"as of {self.as_of.isoformat()}" if self.as_of else "as of latest data")
        return "; ".join(parts) if len(parts) > 1 else f"all models ({parts[0]})"


def blend_label(weights: str) -> str:
    w_in, w_out = parse_weights(weights)
    if w_out == 0:
        return "input price only"
    if w_in == 0:
        return "output price only"
    return f"{weights} input:output"


def _values(raw: str | list[str] | None) -> list[str]:
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out.extend(part.strip()[:MAX_VALUE_CHARS] for part in str(item).split(","))
    return list(dict.fromkeys(v for v in out if v))[:MAX_VALUES]


def _first(raw: str | list[str] | None) -> str | None:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    return str(values[-1]).strip()[:MAX_VALUE_CHARS] if values else None


def _date(raw: str | list[str] | None, key: str, warnings: list[str]) -> date | None:
    text = _first(raw)
    if not text:
        return None
    try:
        value = date.fromisoformat(text[:10])
    except ValueError:
        warnings.append(f"ignored `{key}`: not a date (YYYY-MM-DD)")
        return None
    if not DATE_MIN <= value <= DATE_MAX:
        warnings.append(f"`{key}` moved inside {DATE_MIN.year}-{DATE_MAX.year}")
        value = min(max(value, DATE_MIN), DATE_MAX)
    return value


def _choice(raw: str | list[str] | None, key: str, choices: Iterable[str], default: str, warnings: list[str]) -> str:
    text = _first(raw)
    if not text:
        return default
    if text in choices:
        return text
    warnings.append(f"ignored `{key}`: not one of {', '.join(choices)}")
    return default


def _weights(raw: str | list[str] | None, warnings: list[str]) -> str:
    text = _first(raw)
    if not text:
        return DEFAULT_WEIGHTS
    try:
        w_in, w_out = parse_weights(text)
    except ValueError:
        warnings.append(f"ignored `w`: weights look like 3:1, got {text[:20]!r}")
        return DEFAULT_WEIGHTS
    return f"{w_in:g}:{w_out:g}"


def parse_filters(params: QueryInput) -> Filters:
    """Filters from a URL query. Unknown names are kept as data (they match nothing); malformed dates,
    weights and modes fall back to the default with a warning."""
    warnings: list[str] = []
    multi = {attr: _values(params.get(key)) for key, attr in MULTI_KEYS.items()}
    multi["tiers"] = [v.lower() for v in multi["tiers"]]
    multi["countries"] = [v.upper() for v in multi["countries"]]
    date_from, date_to = _date(params.get("from"), "from", warnings), _date(params.get("to"), "to", warnings)
    if date_from and date_to and date_from > date_to:
        warnings.append("`from` is after `to`: swapped them")
        date_from, date_to = date_to, date_from
    return Filters(
        **{attr: tuple(values) for attr, values in multi.items()},
        date_from=date_from,
        date_to=date_to,
        reasoning=_choice(params.get("reasoning"), "reasoning", REASONING_CHOICES, "all", warnings),
        open_weights=_choice(params.get("open"), "open", OPEN_CHOICES, "all", warnings),
        weights=_weights(params.get("w"), warnings),
        as_of=_date(params.get("asof"), "asof", warnings),
        tier_rule=_choice(params.get("rule"), "rule", tuple(TIER_RULES), DEFAULT_RULE, warnings),
        pick=_choice(params.get("pick"), "pick", PROVIDER_SELECTIONS, DEFAULT_PICK, warnings),
        warnings=tuple(warnings),
    )


def permalink(base_url: str, query: Mapping[str, str]) -> str:
    base = base_url.split("?", 1)[0]
    return f"{base}?{urlencode(query)}" if query else base


def _in(values: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    return values.astype("string").isin(list(wanted)).fillna(False).to_numpy(dtype=bool)


def model_mask(frame: pd.DataFrame, filters: Filters, tier_col: str = "assigned_tier") -> np.ndarray:
    """Rows whose model passes the model filters (tier, author, country, reasoning, open weights,
    release-date window). The serving-provider filter is separate: see provider_mask."""
    keep = np.ones(len(frame), dtype=bool)
    if filters.tiers:
        keep &= _in(frame[tier_col], filters.tiers)
    if filters.authors:
        keep &= _in(frame["author"], filters.authors)
    if filters.countries:
        keep &= _in(frame["author_country"], filters.countries)
    if filters.reasoning != "all":
        flag = true_mask(frame["is_reasoning"])
        known = frame["is_reasoning"].astype("boolean").notna().to_numpy(dtype=bool)
        keep &= flag if filters.reasoning == "reasoning" else (known & ~flag)
    if filters.open_weights != "all":
        flag = true_mask(frame["is_open_weights"])
        known = frame["is_open_weights"].astype("boolean").notna().to_numpy(dtype=bool)
        keep &= flag if filters.open_weights == "open" else (known & ~flag)
    if filters.date_from or filters.date_to:
        released = pd.to_datetime(frame["release_date"])
        released = released.dt.tz_localize(None) if released.dt.tz is not None else released
        if filters.date_from:
            keep &= (released >= pd.Timestamp(filters.date_from)).fillna(False).to_numpy(dtype=bool)
        if filters.date_to:
            keep &= (released <= pd.Timestamp(filters.date_to)).fillna(False).to_numpy(dtype=bool)
    return keep


def provider_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    if not filters.providers:
        return np.ones(len(frame), dtype=bool)
    return _in(frame["provider"], filters.providers)


def tier_values() -> tuple[str, ...]:
    return TIERS
