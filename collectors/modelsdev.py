"""models.dev: api.json, {provider_id: {..., models: {model_id: {cost: {input, output, ...}}}}} in USD/Mtok."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

import httpx

from tokentide.collectors.fetching import FetchResult, fetch_url
from tokentide.collectors.payload import as_bool, compact_json, decode_json, parse_date
from tokentide.warehouse.price_values import USD_PER_MTOK, PriceProblem, parse_price
from tokentide.warehouse.records import (
    AsOfHint,
    ModelFact,
    ParseResult,
    PayloadError,
    PriceRecord,
    Quarantined,
)

SOURCE = "modelsdev"
KIND = "catalogue"
PARSER_VERSION = "modelsdev/1"
DEFAULT_URL = "https://models.dev/api.json"
LICENCE = "MIT (anomalyco/models.dev)"

_COST_FIELDS = {
    "usd_per_mtok_input": "input",
    "usd_per_mtok_output": "output",
    "usd_per_mtok_cache_read": "cache_read",
    "usd_per_mtok_cache_write": "cache_write",
    "usd_per_mtok_reasoning": "reasoning",
}


def parse_model(provider_id: str, model_id: str, spec: Any, doc_url: str | None) -> PriceRecord:
    if not isinstance(spec, Mapping):
        raise ValueError(f"model entry is a {type(spec).__name__}, not an object")
    cost = spec.get("cost")
    if cost is not None and not isinstance(cost, Mapping):
        raise ValueError("cost is not an object")
    cost = cost or {}
    prices: dict[str, Any] = {field: parse_price(cost.get(key), USD_PER_MTOK) for field, key in _COST_FIELDS.items()}
    limit: Mapping[str, Any] = spec["limit"] if isinstance(spec.get("limit"), Mapping) else {}
    context = limit.get("context")
    extra = {k: v for k, v in cost.items() if k not in _COST_FIELDS.values()}
    return PriceRecord(
        model_id=model_id,
        provider=provider_id,
        model_name=spec.get("name") if isinstance(spec.get("name"), str) else None,
        context_length=context if isinstance(context, int) and not isinstance(context, bool) else None,
        is_reasoning=as_bool(spec.get("reasoning")),
        is_open_weights=as_bool(spec.get("open_weights")),
        release_date=parse_date(spec.get("release_date")),
        source_url=doc_url,
        extra=compact_json(extra) if extra else None,
        **prices,
    )


def _fact(record: PriceRecord, spec: Mapping[str, Any]) -> ModelFact:
    family = spec.get("family")
    return ModelFact(
        model_id=record.model_id,
        model_name=record.model_name,
        family=family if isinstance(family, str) else None,
        release_date=record.release_date,
        is_reasoning=record.is_reasoning,
        is_open_weights=record.is_open_weights,
    )


def _newest_update(specs: list[Mapping[str, Any]]) -> AsOfHint | None:
    dates = [d for d in (parse_date(s.get("last_updated")) for s in specs) if d is not None]
    if not dates:
        return None
    return AsOfHint(datetime.combine(max(dates), time()), "newest model 'last_updated' in payload")


def fetch(client: httpx.Client, url: str = DEFAULT_URL, **options: Any) -> FetchResult:
    """GET api.json (retries, validators, file:// URLs: see fetching.fetch_url)."""
    return fetch_url(client, url, expect="JSON", **options)


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    payload = decode_json(raw)
    if not isinstance(payload, Mapping) or not all(isinstance(v, Mapping) for v in payload.values()):
        raise PayloadError("wrong shape: expected {provider_id: {models: {...}}}")
    result = ParseResult()
    seen_specs: list[Mapping[str, Any]] = []
    for provider_id, provider in payload.items():
        models = provider.get("models")
        if not isinstance(models, Mapping):
            result.quarantined.append(Quarantined(str(provider_id), "provider without a models object"))
            continue
        doc = provider.get("doc") if isinstance(provider.get("doc"), str) else None
        for model_id, spec in models.items():
            result.n_read += 1
            try:
                record = parse_model(str(provider_id), str(model_id), spec, doc)
            except (PriceProblem, ValueError) as exc:
                key = f"{provider_id}/{model_id}"
                result.quarantined.append(Quarantined(key[:200], str(exc), None, compact_json(spec)))
                continue
            result.records.append(record)
            result.facts.append(_fact(record, spec))
            seen_specs.append(spec)
    result.as_of_hint = _newest_update(seen_specs)
    return result
