"""OpenRouter per-provider prices: /api/v1/models/{author}/{slug}/endpoints for the models a user follows.

One HTTP response describes one model. A collect run fetches every followed model and stores the
responses, byte for byte, joined into one JSON array: that array is the snapshot, so a model that is no
longer listed by any provider is closed as delisted like in any other catalogue. `ingest` also accepts a
single recorded response.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from tokentide.collectors import openrouter
from tokentide.collectors.errors import ClientError
from tokentide.collectors.fetching import FetchResult, Timing, fetch_url
from tokentide.collectors.payload import compact_json, decode_json, unix_to_utc
from tokentide.warehouse.price_values import PriceProblem
from tokentide.warehouse.records import AsOfHint, ParseResult, PayloadError, PriceRecord, Quarantined

SOURCE = "openrouter-endpoints"
KIND = "catalogue"
PARSER_VERSION = "openrouter-endpoints/1"
DEFAULT_URL = "https://openrouter.ai/api/v1/models/{model}/endpoints"  # {model} = author/slug
LICENCE = openrouter.LICENCE

log = logging.getLogger(__name__)
_KEPT = ("tag", "quantization", "status", "max_completion_tokens")


def endpoint_url(template: str, model_id: str) -> str:
    if "{model}" not in template:
        raise ValueError(f"the endpoints URL {template!r} must contain {{model}}")
    return template.replace("{model}", quote(model_id.strip(), safe="/:"))


def fetch(
    client: httpx.Client,
    url: str = DEFAULT_URL,
    *,
    models: Sequence[str] = (),
    request_interval_seconds: float = 1.0,
    timing: Timing | None = None,
    **options: Any,
) -> FetchResult:
    """GET each followed model's endpoints, paced; a 404 (model gone) is skipped, other failures stop the run."""
    timing = timing or Timing()
    bodies: list[bytes] = []
    attempts = 0
    for position, model_id in enumerate(models):
        if position:
            timing.sleep(request_interval_seconds)  # rate limit: one request per interval
        try:
            result = fetch_url(client, endpoint_url(url, model_id), expect="JSON", timing=timing, **options)
        except ClientError as exc:
            if exc.status_code != 404:
                raise
            log.warning("openrouter-endpoints: %s is not listed (HTTP 404); skipped", model_id)
            continue
        attempts += result.attempts
        if result.raw is not None:
            bodies.append(result.raw.strip())
    raw = b"[" + b",\n".join(bodies) + b"]"
    return FetchResult(url, raw, timing.now(), 200 if bodies else None, attempts=max(attempts, 1))


def responses(payload: Any) -> list[Any]:
    """A single response object or an array of them (what `collect` stores)."""
    if isinstance(payload, Mapping):
        return [payload]
    if isinstance(payload, list):
        return payload
    raise PayloadError(f"wrong shape: expected an endpoints response or an array of them, got {type(payload).__name__}")


def _model(response: Any) -> Mapping[str, Any]:
    data = response.get("data") if isinstance(response, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(data.get("endpoints"), list):
        raise ValueError("not an endpoints response: expected {'data': {'id', 'endpoints': [...]}}")
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        raise ValueError("endpoints response without a model id")
    return data


def parse_endpoint(model: Mapping[str, Any], endpoint: Any, provider: str) -> PriceRecord:
    if not isinstance(endpoint, Mapping):
        raise ValueError(f"endpoint is a {type(endpoint).__name__}, not an object")
    entry = {
        "id": model["id"],
        "name": model.get("name"),
        "created": model.get("created"),
        "pricing": endpoint.get("pricing"),
        "context_length": endpoint.get("context_length"),
        "supported_parameters": endpoint.get("supported_parameters"),
    }
    record = openrouter.parse_entry(entry, provider=provider)
    extra = json.loads(record.extra) if record.extra else {}
    extra.update({key: endpoint[key] for key in _KEPT if endpoint.get(key) is not None})
    return dataclasses.replace(record, extra=compact_json(extra) if extra else None)


def _provider_names(endpoints: list[Any]) -> list[str]:
    """The endpoint's provider; a provider serving the model twice (two quantizations) is told apart by tag."""
    names: list[str] = []
    for endpoint in endpoints:
        spec = endpoint if isinstance(endpoint, Mapping) else {}
        name = str(spec.get("provider_name") or spec.get("tag") or "unknown").strip()
        if name in names and spec.get("tag"):
            name = str(spec["tag"]).strip()
        names.append(name)
    return names


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    items = responses(decode_json(raw))
    result = ParseResult()
    usable = 0
    for position, response in enumerate(items):
        try:
            model = _model(response)
        except ValueError as exc:
            result.quarantined.append(Quarantined(f"#{position}", str(exc), None, compact_json(response)))
            continue
        usable += 1
        endpoints = model["endpoints"]
        result.n_read += len(endpoints)
        for endpoint, provider in zip(endpoints, _provider_names(endpoints), strict=True):
            try:
                result.records.append(parse_endpoint(model, endpoint, provider))
            except (PriceProblem, ValueError) as exc:
                key = f"{model['id']} @ {provider}"
                result.quarantined.append(Quarantined(key, str(exc), None, compact_json(endpoint)))
    if items and not usable:
        raise PayloadError("wrong shape: no item is an endpoints response {'data': {'id', 'endpoints': [...]}}")
    created = [
        c
        for c in (
            unix_to_utc(r.get("data", {}).get("created"))
            for r in items
            if isinstance(r, Mapping) and isinstance(r.get("data"), Mapping)
        )
        if c is not None
    ]
    if created:
        result.as_of_hint = AsOfHint(max(created), "newest model 'created' in payload")
    return result
