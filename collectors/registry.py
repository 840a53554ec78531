"""The sources tokentide can parse, by name."""

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

SOURCES: dict[str, ModuleType] = {
    module.SOURCE: module
    for module in (openrouter, openrouter_endpoints, litellm, modelsdev, genai_prices, epoch, milestones, model_prices)
}
SOURCES.update({module.SOURCE: module for module in (epoch_benchmarks, artificial_analysis)})  # score sources


class UnknownSource(ValueError):
    pass


def source_module(name: str) -> ModuleType:
    try:
        return SOURCES[name]
    except KeyError:
        raise UnknownSource(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None
