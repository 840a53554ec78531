"""The one list of sources: every source tokentide can parse, and which of them `collect` fetches and how often."""

from __future__ import annotations

from types import ModuleType

from tokentide.collectors import (
    artificial_analysis,
    epoch,
    epoch_benchmarks,
    genai_prices,
    litellm,
    milestones,
    model_prices,
    modelsdev,
    openrouter,
    openrouter_endpoints,
)

HOUR = 3600.0

# Every source `ingest` and `reparse` can read, by name.
SOURCES: dict[str, ModuleType] = {
    module.SOURCE: module
    for module in (openrouter, openrouter_endpoints, litellm, modelsdev, genai_prices, epoch, milestones, model_prices)
}
SOURCES.update({module.SOURCE: module for module in (epoch_benchmarks, artificial_analysis)})  # score sources

# The sources `collect` and `schedule` fetch, with their default interval in seconds (milestones and
# model-prices ship inside the package and are never fetched).
_COLLECT_EVERY_SECONDS: dict[str, float] = {
    openrouter.SOURCE: HOUR,
    openrouter_endpoints.SOURCE: HOUR,
    modelsdev.SOURCE: 6 * HOUR,
    litellm.SOURCE: 6 * HOUR,
    genai_prices.SOURCE: 6 * HOUR,
    epoch.SOURCE: 24 * HOUR,
    epoch_benchmarks.SOURCE: 24 * HOUR,
    artificial_analysis.SOURCE: 24 * HOUR,  # on only with its API key set (sources.py)
}
COLLECTED: dict[str, tuple[str, float]] = {
    name: (SOURCES[name].DEFAULT_URL, every_seconds) for name, every_seconds in _COLLECT_EVERY_SECONDS.items()
}


class UnknownSource(ValueError):
    pass


def source_module(name: str) -> ModuleType:
    try:
        return SOURCES[name]
    except KeyError:
        raise UnknownSource(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None
