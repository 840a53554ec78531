"""Page and chart options (method, basis, break date, ...): named, validated, kept in the URL like filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from tokentide.analytics.breaks import DEFAULT_BREAK_DATE
from tokentide.analytics.concentration import BASES
from tokentide.analytics.halflife import METHODS
from tokentide.analytics.premium import DEFAULT_TOKENS_PER_TASK_MULTIPLIER
from tokentide.analytics.tier_names import TIERS
from tokentide.reporting.capability_options import CAPABILITY_OPTIONS
from tokentide.reporting.filters import DATE_MAX, DATE_MIN, MAX_VALUE_CHARS, MAX_VALUES, QueryInput

MAX_COMPARE_MODELS: int = 8


@dataclass(frozen=True)
class OptionSpec:
    """One option: its URL key, label, default and allowed values (None = free text of `kind`)."""

    key: str
    label: str
    default: str
    choices: tuple[str, ...] | None = None
    kind: str = "choice"  # choice | date | number | list
    help: str = ""
    minimum: float = 0.0
    maximum: float = 1e6


OPTION_SPECS: dict[str, OptionSpec] = {
    spec.key: spec
    for spec in (
        OptionSpec("color", "Colour points by", "tier", ("tier", "author")),
        OptionSpec("method", "Estimator", "ols", METHODS, help="OLS with a pairs-bootstrap CI, or robust Theil-Sen"),
        OptionSpec(
            "window",
            "Window",
            "all",
            ("all", "12", "24", "36", "48"),
            help="Fit on all launches up to each date, or only the last N months (rolling)",
        ),
        OptionSpec("hpanel", "Show", "history", ("history", "start date", "diagnostics", "structural break")),
        OptionSpec("htier", "Tier", "all", ("all", *TIERS)),
        OptionSpec("break", "Break date (Chow test)", DEFAULT_BREAK_DATE, kind="date"),
        OptionSpec("period", "Period", "year", ("year", "half-year", "quarter")),
        OptionSpec("cpanel", "Show", "shares by author", ("shares by author", "US / China / other")),
        OptionSpec(
            "basis",
            "Share basis",
            "models-by-author",
            BASES,
            help="models-by-author counts models released in the period; models-listed-by-author counts every "
            "model listed during it; usage needs a usage CSV (see the page)",
        ),
        OptionSpec(
            "mult",
            "Tokens per task, reasoning vs non-reasoning",
            f"{DEFAULT_TOKENS_PER_TASK_MULTIPLIER:g}",
            kind="number",
            minimum=0.01,
            maximum=1000.0,
        ),
        OptionSpec("models", "Models to compare", "", kind="list"),
        OptionSpec(
            "dir",
            "Show",
            "moves",
            ("moves", "cut", "rise", "all"),
            help="moves = price cuts and rises (the default); all adds new listings, relistings and delistings",
        ),
        OptionSpec("min", "Minimum change (%)", "0", kind="number", minimum=0.0, maximum=10_000.0),
        OptionSpec("since", "Changes since", "", kind="date"),
        OptionSpec("q", "Search models", "", kind="text"),
        OptionSpec(
            "gen",
            "Generations",
            "current",
            ("current", "all"),
            help="current hides a model once its maker released a newer one in the same tier (superseded)",
        ),
        *(OptionSpec(**spec) for spec in CAPABILITY_OPTIONS),
    )
}


def _text(raw: str | list[str] | None) -> str:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    return str(values[-1]).strip()[:MAX_VALUE_CHARS] if values else ""


def parse_option(spec: OptionSpec, raw: str | list[str] | None) -> str:
    """The option's value as canonical text; anything invalid becomes the default."""
    if spec.kind == "list":
        items = [raw] if isinstance(raw, str) else list(raw or [])
        parts = [p.strip()[:MAX_VALUE_CHARS] for item in items for p in str(item).split(",")]
        return ",".join(list(dict.fromkeys(p for p in parts if p))[: min(MAX_VALUES, MAX_COMPARE_MODELS)])
    text = _text(raw)
    if not text:
        return spec.default
    if spec.kind == "choice":
        return text if spec.choices and text in spec.choices else spec.default
    if spec.kind == "date":
        try:
            value = date.fromisoformat(text[:10])
        except ValueError:
            return spec.default
        return min(max(value, DATE_MIN), DATE_MAX).isoformat()
    if spec.kind == "number":
        try:
            number = float(text)
        except ValueError:
            return spec.default
        if not spec.minimum <= number <= spec.maximum:
            return spec.default
        return f"{number:g}"
    return text  # free text: only ever compared as data


def parse_options(params: QueryInput, keys: tuple[str, ...] | None = None) -> dict[str, str]:
    """Every option (or just `keys`) from a URL query, invalid values replaced by defaults."""
    return {key: parse_option(OPTION_SPECS[key], params.get(key)) for key in keys or tuple(OPTION_SPECS)}


def non_default(options: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in options.items() if k in OPTION_SPECS and v != OPTION_SPECS[k].default}


def as_list(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def as_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def window_months(value: str) -> int | None:
    return None if value == "all" else int(value)
