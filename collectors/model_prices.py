"""The `model-prices` PyPI package's snapshot.json: dated price timelines with a source per rate."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from importlib import resources
from typing import Any

from tokentide.collectors.payload import compact_json, decode_json
from tokentide.warehouse.price_values import USD_PER_MTOK, PriceProblem, parse_price
from tokentide.warehouse.records import AsOfHint, ParseResult, PayloadError, PriceRecord, Quarantined

SOURCE = "model-prices"
KIND = "history"
PARSER_VERSION = "model-prices/1"
LICENCE = "MIT (wakamex/model-prices; data derived from models.dev, MIT)"
PRICE_TIER = "standard"  # not batch, flex or priority
_FIELDS = {
    "usd_per_mtok_input": "input",
    "usd_per_mtok_output": "output",
    "usd_per_mtok_cache_read": "cache_read",
    "usd_per_mtok_cache_write": "cache_write",
    "usd_per_mtok_reasoning": "reasoning",
}


def bundled_path() -> str:
    return str(resources.files("model_prices").joinpath("snapshot.json"))


DEFAULT_URL = "https://pypi.org/project/model-prices/0.0.5/"


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


def _prices(rates: Mapping[str, Any]) -> dict[str, Any]:
    return {field: parse_price(rates.get(key), USD_PER_MTOK) for field, key in _FIELDS.items()}


def _timeline(provider: str, model: str, steps: list[Any]) -> list[PriceRecord]:
    """Each step {start, rates} holds until the next step's start; rates null = not offered then.

    A first step with start null means "since before records began"; it starts at the date its
    rate was first recorded (rates.valid_from), and a step that would be empty is skipped.
    """
    records: list[PriceRecord] = []
    for index, step in enumerate(steps):
        if not isinstance(step, Mapping):
            raise ValueError("timeline step is not an object")
        rates = step.get("rates")
        if rates is None:
            continue
        if not isinstance(rates, Mapping):
            raise ValueError(f"step {index}: rates is not an object")
        start = _timestamp(step.get("start")) or _timestamp(rates.get("valid_from"))
        if start is None:
            raise ValueError(f"step {index} has neither a start nor a valid_from")
        following = steps[index + 1] if index + 1 < len(steps) else None
        end = _timestamp(following.get("start")) if isinstance(following, Mapping) else None
        if end is not None and end <= start:
            continue
        extra = {k: v for k, v in rates.items() if k not in _FIELDS.values() and k != "source"}
        records.append(
            PriceRecord(
                model_id=model,
                provider=provider,
                effective_from=start,
                effective_to=end,
                source_url=rates.get("source") if isinstance(rates.get("source"), str) else None,
                extra=compact_json(extra) if extra else None,
                **_prices(rates),
            )
        )
    return records


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    payload = decode_json(raw)
    if not isinstance(payload, Mapping) or not isinstance(payload.get("prices"), Mapping):
        raise PayloadError("wrong shape: expected {'prices': {provider: {model: {tier: [...]}}}}")
    result = ParseResult()
    for provider, models in payload["prices"].items():
        if not isinstance(models, Mapping):
            result.quarantined.append(Quarantined(str(provider), "provider entry is not an object"))
            continue
        for model, tiers in models.items():
            result.n_read += 1
            steps = tiers.get(PRICE_TIER) if isinstance(tiers, Mapping) else None
            if steps is None:
                continue
            try:
                if not isinstance(steps, list):
                    raise ValueError("timeline is not a list")
                result.records.extend(_timeline(str(provider), str(model), steps))
            except (PriceProblem, ValueError) as exc:
                key = f"{provider}/{model}"[:200]
                result.quarantined.append(Quarantined(key, str(exc), None, compact_json(tiers)))
    updated = _timestamp(payload.get("updated_at"))
    if updated:
        result.as_of_hint = AsOfHint(updated, "snapshot 'updated_at'")
    return result
