"""LiteLLM: model_prices_and_context_window.json (USD per token as floats, provider in litellm_provider)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx

from tokentide.collectors.fetching import FetchResult, fetch_url
from tokentide.collectors.payload import as_bool, compact_json, decode_json
from tokentide.warehouse.price_values import USD_PER_TOKEN, PriceProblem, parse_price
from tokentide.warehouse.records import ParseResult, PayloadError, PriceRecord, Quarantined

SOURCE = "litellm"
KIND = "catalogue"
PARSER_VERSION = "litellm/1"
DEFAULT_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
LICENCE = "MIT (BerriAI/litellm)"

_TOKEN_FIELDS = {
    "usd_per_mtok_input": "input_cost_per_token",
    "usd_per_mtok_output": "output_cost_per_token",
    "usd_per_mtok_cache_read": "cache_read_input_token_cost",
    "usd_per_mtok_cache_write": "cache_creation_input_token_cost",
    "usd_per_mtok_reasoning": "output_cost_per_reasoning_token",
}
_EXTRA_KEYS = (
    "input_cost_per_token_above_200k_tokens",
    "output_cost_per_token_above_200k_tokens",
    "input_cost_per_token_batches",
    "output_cost_per_token_batches",
    "deprecation_date",
    "mode",
)
_SKIP_KEYS = frozenset({"sample_spec"})
UNSPECIFIED_PROVIDER = "unspecified"


def _is_token_priced(spec: Mapping[str, Any]) -> bool:
    return "input_cost_per_token" in spec or "output_cost_per_token" in spec


def parse_entry(key: str, spec: Any) -> PriceRecord:
    if not isinstance(spec, Mapping):
        raise ValueError(f"entry is a {type(spec).__name__}, not an object")
    provider = spec.get("litellm_provider")
    if provider is None:  # early files (2023-24) had none: take the key's prefix, else say so
        provider = key.split("/", 1)[0] if "/" in key else UNSPECIFIED_PROVIDER
    if not isinstance(provider, str) or not provider.strip():
        raise ValueError("litellm_provider is not a name")
    prices: dict[str, Any] = {
        field: parse_price(spec.get(name), USD_PER_TOKEN) for field, name in _TOKEN_FIELDS.items()
    }
    context = spec.get("max_input_tokens")
    extra = {k: spec[k] for k in _EXTRA_KEYS if k in spec}
    return PriceRecord(
        model_id=key,
        provider=provider.strip(),
        original_unit="usd_per_token",
        context_length=context if isinstance(context, int) and not isinstance(context, bool) else None,
        is_reasoning=as_bool(spec.get("supports_reasoning")),
        extra=compact_json(extra) if extra else None,
        **prices,
    )


def fetch(client: httpx.Client, url: str = DEFAULT_URL, **options: Any) -> FetchResult:
    """GET model_prices_and_context_window.json (retries, validators, file:// URLs: see fetching.fetch_url)."""
    return fetch_url(client, url, expect="JSON", **options)


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    payload = decode_json(raw)
    if not isinstance(payload, Mapping):
        raise PayloadError(f"wrong shape: expected an object keyed by model, got {type(payload).__name__}")
    result = ParseResult()
    skipped = 0
    for key, spec in payload.items():
        if key in _SKIP_KEYS:
            continue
        result.n_read += 1
        if isinstance(spec, Mapping) and not _is_token_priced(spec):
            skipped += 1  # image, audio, embedding-per-call prices: not token prices
            continue
        try:
            result.records.append(parse_entry(str(key), spec))
        except (PriceProblem, ValueError) as exc:
            result.quarantined.append(Quarantined(str(key)[:200], str(exc), None, compact_json(spec)))
    unspecified = sum(r.provider == UNSPECIFIED_PROVIDER for r in result.records)
    if unspecified:
        result.warnings.append(f"{unspecified} entries without litellm_provider recorded as '{UNSPECIFIED_PROVIDER}'")
    if skipped:
        result.warnings.append(f"{skipped} entries without per-token prices skipped (image/audio/search)")
    return result
