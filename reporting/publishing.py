"""What a published chart carries: a file name that says what and when, credits naming the primary sources,
CSV numbers rounded to meaningful digits, and permalinks on the public base URL."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from tokentide.reporting.filters import permalink
from tokentide.reporting.scope import Scope

# Who compiled each source's prices, for readers (the internal source names mean nothing to them).
COMPILED_BY: dict[str, str] = {
    "milestones": "makers' price pages (curated by tokentide)",
    "model-prices": "models.dev (via the model-prices package)",
    "modelsdev": "models.dev",
    "litellm": "LiteLLM (BerriAI)",
    "openrouter": "OpenRouter's model list",
    "openrouter-endpoints": "OpenRouter's endpoint lists",
    "genai-prices": "pydantic genai-prices",
    "epoch": "Epoch AI",
}
MAKERS_NAMED: int = 3
SLUG_CHARS: int = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9.+-]+")
SIGNIFICANT_DIGITS: int = 4  # prices and ratios: list prices are quoted to at most 4 significant digits


def data_date(scope: Scope) -> str:
    """The date the data in view end on (the as-of date when one is chosen)."""
    stamp = scope.moment if scope.filters.as_of else (scope.data_as_of or scope.moment)
    return pd.Timestamp(stamp).strftime("%Y-%m-%d")


def _safe(value: object) -> str:
    return _UNSAFE.sub("-", str(value).replace(",", "+")).strip("-")


def filter_slug(query: Mapping[str, str]) -> str:
    """'country-US_tier-mid': the non-default filters and options, safe in a file name, stable in order."""
    parts = [
        f"{key}-{_UNSAFE.sub('-', str(value).replace(',', '+')).strip('-')}" for key, value in sorted(query.items())
    ]
    slug = "_".join(p for p in parts if not p.endswith("-"))
    return slug[:SLUG_CHARS].rstrip("_-+")


def file_stem(chart_name: str, scope: Scope, options: Mapping[str, str] | None = None) -> str:
    """'price-curves_2026-10-26_country-US': two exports of different views never share a name."""
    from tokentide.reporting.options import non_default

    slug = filter_slug({**scope.filters.to_query(), **non_default(options or {})})
    return "_".join(p for p in (chart_name, data_date(scope), slug) if p)


def makers_named(scope: Scope) -> str:
    """'openai, anthropic, google and 12 other makers' (by models in view)."""
    counts = scope.intervals.drop_duplicates("canonical_model_id")["author"].dropna().value_counts()
    if counts.empty:
        return "the model makers"
    named = ", ".join(counts.index[:MAKERS_NAMED].astype(str))
    rest = len(counts) - MAKERS_NAMED
    return named + (f" and {rest} other makers" if rest > 0 else "")


def credit_line(scope: Scope) -> str:
    """'Source: list prices published by openai, anthropic, google and 9 other makers, compiled from
    makers' price pages (curated by tokentide) and models.dev (via the model-prices package); chart: tokentide.'"""
    compiled = [COMPILED_BY.get(s, s) for s in scope.sources]
    if not compiled:
        return "Source: no data in view; chart: tokentide"
    joined = compiled[0] if len(compiled) == 1 else ", ".join(compiled[:-1]) + " and " + compiled[-1]
    return f"Source: list prices published by {makers_named(scope)}, compiled from {joined}; chart: tokentide"


def _round_significant(values: pd.Series, digits: int) -> pd.Series:
    numbers = values.astype(float)
    finite = numbers.where(np.isfinite(numbers))
    magnitude = np.floor(np.log10(finite.abs().where(finite != 0)))
    scale = np.power(10.0, (digits - 1 - magnitude).fillna(0))
    return (np.round(finite * scale) / scale).where(finite.notna())


def _digits_for(column: str) -> tuple[str, int]:
    """('decimals', n) or ('significant', n) by what the column holds, read from its name (units in names)."""
    name = column.lower()
    if "hhi" in name or name in ("total", "size", "change"):
        return "decimals", 0
    if "pct" in name or "cr4" in name or "share" in name:
        return "decimals", 1
    if "years" in name or name in ("r2", "p", "p_value", "f", "residual_log"):
        return "decimals", 3
    return "significant", SIGNIFICANT_DIGITS


def publishable(frame: pd.DataFrame) -> pd.DataFrame:
    """Floats rounded to meaningful digits; infinities (an unbounded interval) and NaN become empty cells."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_float_dtype(out[column]):
            continue
        kind, digits = _digits_for(str(column))
        values = out[column].astype(float).where(lambda v: np.isfinite(v))
        out[column] = values.round(digits) if kind == "decimals" else _round_significant(values, digits)
    return out


def public_link(public_url: str | None, current_url: str | None, query: Mapping[str, str]) -> str:
    """The permalink on the configured public base URL (`[app] public_url`), keeping the page's path; without
    one, the address the browser used."""
    current = urlsplit(current_url or "http://127.0.0.1:8501/")
    if not public_url:
        return permalink(current_url or "http://127.0.0.1:8501/", query)
    base = public_url.rstrip("/")
    page = current.path.strip("/")
    prefix = urlsplit(base).path.strip("/")
    if prefix and page.startswith(prefix):  # served under the same prefix: do not repeat it
        page = page[len(prefix) :].strip("/")
    return permalink(f"{base}/{page}" if page else f"{base}/", query)
