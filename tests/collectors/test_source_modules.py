"""Every collected source module has the same shape: constants, fetch(client, url) -> FetchResult, parse(raw)."""

from __future__ import annotations

from types import ModuleType

import httpx
import pytest

from tests.collectors.helpers import FakeClock, client_factory, sequence
from tests.conftest import fixture_bytes
from tokentide.collectors import epoch, genai_prices, litellm, modelsdev, openrouter
from tokentide.collectors.fetching import FetchResult
from tokentide.collectors.registry import SOURCES
from tokentide.collectors.sources import COLLECTED

FIXTURES: dict[ModuleType, str] = {
    openrouter: "openrouter_2026-08-19_reasoning_object.json",
    modelsdev: "modelsdev_2026-07-02_excerpt.json",
    litellm: "litellm_2026-11-12_excerpt.json",
    genai_prices: "genai-prices_2026-08-21_excerpt.json",
    epoch: "epoch_2025-08-07_excerpt.csv",
}


@pytest.mark.parametrize("name", list(COLLECTED))
def test_every_collected_source_has_the_same_shape(name: str) -> None:
    module = SOURCES[name]
    for constant in ("SOURCE", "KIND", "PARSER_VERSION", "DEFAULT_URL", "LICENCE"):
        assert isinstance(getattr(module, constant), str) and getattr(module, constant)
    assert callable(module.fetch) and callable(module.parse)
    assert module.DEFAULT_URL.startswith("https://")


@pytest.mark.parametrize("module", list(FIXTURES), ids=lambda m: m.SOURCE)
def test_fetch_then_parse_a_recorded_payload_through_a_mock_transport(module: ModuleType) -> None:
    raw = fixture_bytes(FIXTURES[module])
    handler, seen = sequence([httpx.Response(200, content=raw)])
    with client_factory(handler)() as client:
        result = module.fetch(client, module.DEFAULT_URL, timing=FakeClock().timing())
    assert isinstance(result, FetchResult) and result.raw == raw and result.http_status == 200
    assert str(seen[0].url) == module.DEFAULT_URL
    parsed = module.parse(result.raw)
    assert parsed.records or parsed.facts
