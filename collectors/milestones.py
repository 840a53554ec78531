"""tokentide's curated milestones table: launch list prices and later cuts, one source URL per row."""

from __future__ import annotations

from datetime import datetime, time
from importlib import resources

from tokentide.collectors.payload import as_bool, decode_csv, parse_date
from tokentide.warehouse.price_values import USD_PER_MTOK, PriceProblem, parse_price
from tokentide.warehouse.records import AsOfHint, ModelFact, ParseResult, PriceRecord, Quarantined

SOURCE = "milestones"
KIND = "history"
PARSER_VERSION = "milestones/1"
LICENCE = "MIT (tokentide's curated table; facts are public list prices, one source URL per row)"
REQUIRED = (
    "model_id", "model_name", "author", "country", "family", "tier", "release_date", "price_date",
    "event", "usd_per_mtok_input", "usd_per_mtok_output", "usd_per_mtok_cache_read",
    "is_reasoning", "is_open_weights", "source_url",
)  # fmt: skip


def bundled_path() -> str:
    return str(resources.files("tokentide.warehouse").joinpath("reference", "milestones.csv"))


DEFAULT_URL = "file://" + bundled_path()


def _row(row: dict[str, str]) -> tuple[PriceRecord, ModelFact]:
    model_id = (row.get("model_id") or "").strip().lower()
    if not model_id:
        raise ValueError("missing model_id")
    price_date = parse_date(row.get("price_date"))
    if price_date is None:
        raise ValueError(f"unreadable price_date {row.get('price_date')!r}")
    author = (row.get("author") or "").strip().lower() or None
    currency = (row.get("currency") or "USD").strip().upper()
    if currency != "USD":
        raise ValueError(f"unknown currency {currency!r}: only USD list prices can be loaded; convert first")
    record = PriceRecord(
        model_id=model_id,
        provider=(row.get("provider") or "").strip().lower() or author or "unknown",
        author_hint=author,
        model_name=(row.get("model_name") or "").strip() or None,
        usd_per_mtok_input=parse_price(row.get("usd_per_mtok_input"), USD_PER_MTOK),
        usd_per_mtok_output=parse_price(row.get("usd_per_mtok_output"), USD_PER_MTOK),
        usd_per_mtok_cache_read=parse_price(row.get("usd_per_mtok_cache_read"), USD_PER_MTOK),
        is_reasoning=as_bool(row.get("is_reasoning")),
        is_open_weights=as_bool(row.get("is_open_weights")),
        release_date=parse_date(row.get("release_date")),
        effective_from=datetime.combine(price_date, time()),
        source_url=(row.get("source_url") or "").strip() or None,
    )
    fact = ModelFact(
        model_id=model_id,
        author_hint=author,
        model_name=record.model_name,
        author_country=(row.get("country") or "").strip().upper() or None,
        family=(row.get("family") or "").strip() or None,
        tier=(row.get("tier") or "").strip().lower() or None,
        release_date=record.release_date,
        is_reasoning=record.is_reasoning,
        is_open_weights=record.is_open_weights,
        source_url=record.source_url,
    )
    return record, fact


def parse(raw: bytes, as_of: datetime | None = None) -> ParseResult:
    rows = decode_csv(raw, required=REQUIRED)
    result = ParseResult(n_read=len(rows))
    facts: dict[str, ModelFact] = {}
    for index, row in enumerate(rows):
        try:
            record, fact = _row(row)
        except (PriceProblem, ValueError) as exc:
            key = f"row {index + 2} {row.get('model_id') or ''}".strip()
            result.quarantined.append(Quarantined(key, str(exc)))
            continue
        result.records.append(record)
        if row.get("event", "").strip() == "launch" or record.model_id not in facts:
            facts[record.model_id] = fact
    result.facts.extend(facts.values())
    dates = [r.effective_from for r in result.records if r.effective_from]
    if dates:
        result.as_of_hint = AsOfHint(max(dates), "newest price_date in table")
    return result
