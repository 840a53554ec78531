"""OpenRouter per-provider endpoints: one price row per endpoint, a paced fetch of the followed models."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from tests.collectors.helpers import FakeClock, client_factory, sequence
from tests.conftest import fixture_bytes
from tests.warehouse.helpers import load_bytes, query
from tokentide.collectors import openrouter_endpoints as endpoints
from tokentide.collectors.errors import GaveUp
from tokentide.collectors.fetching import RetryPolicy
from tokentide.warehouse.records import PayloadError

HAIKU = "openrouter-endpoints_anthropic_claude-3.5-haiku_constructed.json"
LLAMA = "openrouter-endpoints_meta-llama_llama-3.3-70b-instruct_constructed.json"


def bundle(*names: str) -> bytes:
    return b"[" + b",".join(fixture_bytes(n) for n in names) + b"]"


def test_one_record_per_endpoint_with_the_endpoints_provider() -> None:
    result = endpoints.parse(fixture_bytes(HAIKU))
    assert [(r.model_id, r.provider) for r in result.records] == [
        ("anthropic/claude-3.5-haiku", "Anthropic"),
        ("anthropic/claude-3.5-haiku", "Google Vertex"),
        ("anthropic/claude-3.5-haiku", "Amazon Bedrock"),
    ]
    first = result.records[0]
    assert (first.usd_per_mtok_input, first.usd_per_mtok_output, first.usd_per_mtok_cache_read) == (
        Decimal("0.8"),
        Decimal(4),
        Decimal("0.08"),
    )
    assert json.loads(result.records[2].extra)["status"] == -2 and result.n_read == 3


def test_a_provider_serving_a_model_twice_is_told_apart_by_tag() -> None:
    providers = [r.provider for r in endpoints.parse(fixture_bytes(LLAMA)).records]
    assert providers == ["DeepInfra", "deepinfra/bf16", "Groq", "Together"]


def test_an_array_of_responses_and_bad_items() -> None:
    good = endpoints.parse(bundle(HAIKU, LLAMA))
    assert len(good.records) == 7 and not good.quarantined
    mixed = endpoints.parse(b"[" + fixture_bytes(HAIKU) + b', {"error": {"code": 404}}]')
    assert len(mixed.records) == 3 and [q.record_key for q in mixed.quarantined] == ["#1"]
    with pytest.raises(PayloadError, match="wrong shape"):
        endpoints.parse(b'{"error": {"message": "Model not found", "code": 404}}')
    with pytest.raises(PayloadError, match="wrong shape"):
        endpoints.parse(b'"just a string"')


def test_fetch_paces_requests_skips_404_and_keeps_each_response_verbatim() -> None:
    bodies = {
        "anthropic/claude-3.5-haiku": fixture_bytes(HAIKU),
        "meta-llama/llama-3.3-70b-instruct": fixture_bytes(LLAMA),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        model = request.url.path.removeprefix("/api/v1/models/").removesuffix("/endpoints")
        return httpx.Response(200, content=bodies[model]) if model in bodies else httpx.Response(404)

    clock = FakeClock()
    models = ["anthropic/claude-3.5-haiku", "gone/model", "meta-llama/llama-3.3-70b-instruct"]
    with client_factory(handler)() as client:
        result = endpoints.fetch(client, models=models, request_interval_seconds=1.5, timing=clock.timing())
    assert clock.sleeps == [1.5, 1.5]  # one request per interval
    assert fixture_bytes(HAIKU).strip() in result.raw and fixture_bytes(LLAMA).strip() in result.raw
    assert len(endpoints.parse(result.raw).records) == 7


def test_fetch_stops_on_a_fault_that_outlasts_its_retries() -> None:
    handler, seen = sequence([httpx.Response(503)])
    policy = RetryPolicy(max_attempts=2, base_delay_seconds=1)
    with client_factory(handler)() as client, pytest.raises(GaveUp):
        endpoints.fetch(client, models=["a/b", "c/d"], policy=policy, timing=FakeClock().timing())
    assert len(seen) == 2  # the second model is never asked for


def test_the_url_template_needs_a_model_placeholder() -> None:
    url = endpoints.endpoint_url(endpoints.DEFAULT_URL, "qwen/qwen3:free")
    assert url == "https://openrouter.ai/api/v1/models/qwen/qwen3:free/endpoints"
    with pytest.raises(ValueError, match="must contain"):
        endpoints.endpoint_url("https://openrouter.ai/api/v1/models", "a/b")


def test_endpoints_load_as_a_catalogue_of_providers(db_path) -> None:
    outcome = load_bytes(db_path, "openrouter-endpoints", bundle(HAIKU, LLAMA), origin="endpoints.json")
    assert outcome.status == "added" and outcome.rows_added == 7
    rows = query(db_path, "SELECT source_provider, provider FROM price_intervals ORDER BY 1")
    assert ("google vertex", "google-vertex") in rows and ("amazon bedrock", "bedrock") in rows
