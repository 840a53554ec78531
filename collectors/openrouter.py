"""OpenRouter: the /api/v1/models catalogue (prices in USD per token, as strings)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx

from tokentide.collectors.fetching import FetchResult, fetch_url
from tokentide.collectors.payload import compact_json, decode_json, unix_to_utc
from tokentide.warehouse.price_values import USD_PER_ITEM, USD_PER_TOKEN, PriceProblem, parse_price
from tokentide.warehouse.records import AsOfHint, ParseResult, PayloadError, PriceRecord, Quarantined

SOURCE = "openrouter"
KIND = "catalogue"
PARSER_VERSION = "openrouter/1"
DEFAULT_URL = "https://openrouter.ai/api/v1/models"
LICENCE = "OpenRouter API output; OpenRouter states no data licence (terms: https://openrouter.ai/terms)"

_TOKEN_FIELDS = {
    "usd_per_mtok_input": "prompt",
    "usd_per_mtok_output": "completion",
    "usd_per_mtok_cache_read": "input_cache_read",
    "usd_per_mtok_cache_write": "input_cache_write",
    "usd_per_mtok_reasoning": "internal_reasoning",
}
_ITEM_FIELDS = {"usd_per_request": "request", "usd_per_image": "image"}
_TYPED_KEYS = set(_TOKEN_FIELDS.values()) | set(_ITEM_FIELDS.values())


def models_list(payload: Any) -> list[Any]:
    """Accept the {"data": [...]} envelope and the bare array; anything else is the wrong shape."""
    if isinstance(payload, Mapping):
        data = payload.get("data")
        if isinstance(data, list):
            return data
        raise PayloadError(f"wrong envelope: expected {{'data': [...]}}, got keys {sorted(payload)[:6]}")
    if isinstance(payload, list):
        return payload
    raise PayloadError(f"wrong shape: expected a JSON object or array, got {type(payload).__name__}")


def _is_reasoning(entry: Mapping[str, Any]) -> bool | None:
    if isinstance(entry.get("reasoning"), Mapping):
        return True
    params = entry.get("supported_parameters")
    if isinstance(params, list):
        return "reasoning" in params or "include_reasoning" in params
    return None


def _prices(pricing: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, key in _TOKEN_FIELDS.items():
        values[field] = parse_price(pricing.get(key), USD_PER_TOKEN)
    for field, key in _ITEM_FIELDS.items():
        values[field] = parse_price(pricing.get(key), USD_PER_ITEM)
    return values


def parse_entry(entry: Any, provider: str = SOURCE) -> PriceRecord:
    """One catalogue entry -> PriceRecord; raises PriceProblem / KeyError-like ValueError when unusable."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"entry is a {type(entry).__name__}, not an object")
    model_id = entry.get("id")
    if not isinstance(model_id, str) or not model_id.strip():
        raise ValueError("missing model id")
    pricing = entry.get("pricing")
    if not isinstance(pricing, Mapping):
        raise ValueError("missing pricing object")
    extra = {k: v for k, v in pricing.items() if k not in _TYPED_KEYS}
    context = entry.get("context_length")
    return PriceRecord(
        model_id=model_id.strip(),
        provider=provider,
        author_hint=model_id.split("/", 1)[0] if "/" in model_id else None,
        model_name=entry.get("name") if isinstance(entry.get("name"), str) else None,
        original_unit="usd_per_token",
        context_length=context if isinstance(context, int) and not isinstance(context, bool) else None,
        is_reasoning=_is_reasoning(entry),
        created_at=unix_to_utc(entry.get("created")),
        extra=compact_json(extra) if extra else None,
        **_prices(pricing),
    )


def fetch(client: httpx.Client, url: str = DEFAULT_URL, **options: Any) -> FetchResult:
    """GET the /api/v1/models catalogue (retries, validators, file:// URLs: see fetching.fetch_url)."""
    return fetch_url(client, url, expect="JSON", **options)


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    entries = models_list(decode_json(raw))
    result = ParseResult(n_read=len(entries))
    for position, entry in enumerate(entries):
        key = entry.get("id") if isinstance(entry, Mapping) else None
        record_key = str(key) if key else f"#{position}"
        try:
            result.records.append(parse_entry(entry))
        except (PriceProblem, ValueError) as exc:
            result.quarantined.append(Quarantined(record_key, str(exc), None, compact_json(entry)))
    created = [r.created_at for r in result.records if r.created_at is not None]
    if created:
        result.as_of_hint = AsOfHint(max(created), "newest model 'created' in payload")
    return result
