"""pydantic/genai-prices: data.json, providers[].models[].prices (USD/Mtok, optionally dated or tiered)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import httpx

from tokentide.collectors.fetching import FetchResult, fetch_url
from tokentide.collectors.payload import compact_json, decode_json, parse_date
from tokentide.warehouse.price_values import USD_PER_MTOK, PriceProblem, parse_price
from tokentide.warehouse.records import ParseResult, PayloadError, PriceRecord, Quarantined

SOURCE = "genai-prices"
KIND = "catalogue"
PARSER_VERSION = "genai-prices/1"
DEFAULT_URL = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json"
LICENCE = "MIT (pydantic/genai-prices)"

_FIELDS = {
    "usd_per_mtok_input": "input_mtok",
    "usd_per_mtok_output": "output_mtok",
    "usd_per_mtok_cache_read": "cache_read_mtok",
    "usd_per_mtok_cache_write": "cache_write_mtok",
}


def _base_value(value: Any) -> Any:
    """Context-tiered prices {base, tiers: [...]} price the base tier; the tiers stay in `extra`."""
    if isinstance(value, Mapping):
        if "base" not in value:
            raise PriceProblem("tiered price without a base")
        return value["base"]
    return value


def select_prices(prices: Any, on: date) -> tuple[Mapping[str, Any], str | None]:
    """The price object in force on a date: the newest `constraint.start_date` <= date wins.

    Time-of-day constraints (off-peak discounts) never replace the standard price.
    """
    if isinstance(prices, Mapping):
        return prices, None
    if not isinstance(prices, list) or not prices:
        raise ValueError("prices is neither an object nor a non-empty list")
    chosen: Mapping[str, Any] | None = None
    chosen_start: date | None = None
    note = "conditional prices: " + compact_json(prices, 1500)
    for option in prices:
        if not isinstance(option, Mapping) or not isinstance(option.get("prices"), Mapping):
            raise ValueError("conditional price without a prices object")
        constraint = option.get("constraint")
        if constraint is None:
            if chosen is None:
                chosen = option["prices"]
            continue
        start = parse_date(constraint.get("start_date")) if isinstance(constraint, Mapping) else None
        if start is not None and start <= on and (chosen_start is None or start >= chosen_start):
            chosen, chosen_start = option["prices"], start
    if chosen is None:
        raise ValueError("no unconditional price and no dated price in force")
    return chosen, note


def parse_model(provider_id: str, spec: Any, on: date, pricing_url: str | None) -> PriceRecord:
    if not isinstance(spec, Mapping):
        raise ValueError(f"model entry is a {type(spec).__name__}, not an object")
    model_id = spec.get("id")
    if not isinstance(model_id, str) or not model_id:
        raise ValueError("missing model id")
    if "prices" not in spec:
        raise ValueError("missing prices")
    chosen, note = select_prices(spec["prices"], on)
    values: dict[str, Any] = {f: parse_price(_base_value(chosen.get(k)), USD_PER_MTOK) for f, k in _FIELDS.items()}
    tiered = {k: v for k, v in chosen.items() if isinstance(v, Mapping)}
    other = {k: v for k, v in chosen.items() if k not in _FIELDS.values()}
    extra = {**({"tiers": tiered} if tiered else {}), **other, **({"note": note} if note else {})}
    context = spec.get("context_window")
    return PriceRecord(
        model_id=model_id,
        provider=provider_id,
        model_name=spec.get("name") if isinstance(spec.get("name"), str) else None,
        context_length=context if isinstance(context, int) and not isinstance(context, bool) else None,
        source_url=pricing_url,
        extra=compact_json(extra) if extra else None,
        **values,
    )


def _providers(payload: Any) -> list[Any]:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, Mapping) and isinstance(payload.get("providers"), list):
        return payload["providers"]
    raise PayloadError("wrong shape: expected a list of providers (or {'providers': [...]})")


def fetch(client: httpx.Client, url: str = DEFAULT_URL, **options: Any) -> FetchResult:
    """GET data.json (retries, validators, file:// URLs: see fetching.fetch_url)."""
    return fetch_url(client, url, expect="JSON", **options)


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    providers = _providers(decode_json(raw))
    on = (as_of or datetime.now()).date()
    result = ParseResult()
    for index, provider in enumerate(providers):
        if not isinstance(provider, Mapping) or not isinstance(provider.get("models"), list):
            result.quarantined.append(Quarantined(f"provider #{index}", "provider without a models list"))
            continue
        provider_id = str(provider.get("id") or f"provider-{index}")
        urls = provider.get("pricing_urls")
        pricing_url = urls[0] if isinstance(urls, list) and urls and isinstance(urls[0], str) else None
        for spec in provider["models"]:
            result.n_read += 1
            try:
                result.records.append(parse_model(provider_id, spec, on, pricing_url))
            except (PriceProblem, ValueError) as exc:
                key = spec.get("id") if isinstance(spec, Mapping) else None
                name = f"{provider_id}/{key or '?'}"[:200]
                result.quarantined.append(Quarantined(name, str(exc), None, compact_json(spec)))
    return result
